//! The simulated day's clock: times as milliseconds after midnight, and the 24-hour activity
//! curve that traffic follows (quiet night, morning ramp, lunch and evening peaks).

use super::random::Dice;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Minutes in a day.
pub(super) const MINUTES: usize = 24 * 60;
/// Milliseconds in a minute.
pub(super) const MINUTE_MS: i64 = 60_000;
/// Milliseconds in a day.
pub(super) const DAY_MS: i64 = MINUTES as i64 * MINUTE_MS;

/// Relative user activity at hour `h` (0..24): a floor at night, a plateau from the morning
/// ramp (about 07:30) to late evening, a lunch peak (about 12:45) and a higher evening peak
/// (about 20:00).
fn activity(h: f64) -> f64 {
    let sigmoid = |x: f64| 1.0 / (1.0 + (-x).exp());
    let bump = |mean: f64, sd: f64| (-0.5 * ((h - mean) / sd).powi(2)).exp();
    0.06 + 0.5 * sigmoid((h - 7.5) / 0.7) * sigmoid((22.8 - h) / 0.5)
        + 0.45 * bump(12.75, 0.9)
        + 0.75 * bump(20.0, 1.4)
}

/// One day: its midnight, the activity per minute, and a sampler of busy times.
pub(super) struct DayClock {
    midnight: DateTime<Utc>,
    /// Activity per minute, scaled so the busiest minute is 1.
    load: Vec<f64>,
    /// Running sum of `load`, for sampling minutes in proportion to activity.
    cumulative: Vec<f64>,
}

impl DayClock {
    /// The clock of `date` (UTC).
    pub fn new(date: NaiveDate) -> DayClock {
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let raw: Vec<f64> = (0..MINUTES)
            .map(|m| activity((m as f64 + 0.5) / 60.0))
            .collect();
        let peak = raw.iter().copied().fold(f64::MIN, f64::max);
        let load: Vec<f64> = raw.iter().map(|a| a / peak).collect();
        let cumulative = load
            .iter()
            .scan(0.0, |sum, l| {
                *sum += l;
                Some(*sum)
            })
            .collect();
        DayClock {
            midnight,
            load,
            cumulative,
        }
    }

    /// The time `ms` milliseconds after midnight.
    pub fn at(&self, ms: i64) -> DateTime<Utc> {
        self.midnight + Duration::milliseconds(ms)
    }

    /// Milliseconds after midnight of `t`.
    pub fn offset(&self, t: DateTime<Utc>) -> i64 {
        (t - self.midnight).num_milliseconds()
    }

    /// Activity in the minute holding `ms` (0..1, 1 at the busiest minute of the day).
    pub fn load(&self, ms: i64) -> f64 {
        let minute = (ms / MINUTE_MS).clamp(0, MINUTES as i64 - 1) as usize;
        self.load[minute]
    }

    /// A time of day (ms after midnight) drawn in proportion to activity: most draws fall in
    /// the peaks, few at night.
    pub fn busy_time(&self, dice: &mut Dice) -> i64 {
        let total = self.cumulative[MINUTES - 1];
        let target = dice.unit() * total;
        let minute = self
            .cumulative
            .partition_point(|&c| c <= target)
            .min(MINUTES - 1);
        minute as i64 * MINUTE_MS + dice.below(0, MINUTE_MS as u64) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nights_are_quiet_and_evenings_busy() {
        let clock = DayClock::new(NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
        let hour = |h: i64| clock.load(h * 60 * MINUTE_MS + 30 * MINUTE_MS);
        assert!(hour(3) < 0.1);
        assert!(hour(10) > 4.0 * hour(3));
        assert!(hour(12) > hour(10) && hour(20) > hour(16));
        let mut dice = Dice::new(1, 0);
        let mut per_hour = [0usize; 24];
        for _ in 0..10_000 {
            let t = clock.busy_time(&mut dice);
            assert!((0..DAY_MS).contains(&t));
            per_hour[(t / (60 * MINUTE_MS)) as usize] += 1;
        }
        assert!(per_hour[20] > 5 * per_hour[3], "{per_hour:?}");
        assert_eq!(
            clock.at(DAY_MS - 1).to_rfc3339(),
            "2026-01-15T23:59:59.999+00:00"
        );
    }
}
