//! Forecasting: exact forecasts of hand-made series, intervals, errors and the helpers.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use finmark::ErrorKind;
use finmark::forecast::{
    Direction, Forecast, ForecastOptions, ForecastPoint, Model, Series, crossing, forecast,
    next_days,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap()
}

fn only(model: Model) -> ForecastOptions {
    ForecastOptions {
        models: vec![model],
        ..ForecastOptions::default()
    }
}

fn p50(f: &Forecast) -> Vec<f64> {
    f.points.iter().map(|p| p.p50).collect()
}

fn assert_close(actual: &[f64], expected: &[f64], tolerance: f64) {
    assert_eq!(actual.len(), expected.len());
    for (k, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            (a - e).abs() <= tolerance,
            "step {k}: {a} vs {e}\nactual {actual:?}\nexpected {expected:?}"
        );
    }
}

/// Standard normal draws by the Box-Muller transform.
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[test]
fn seasonal_naive_repeats_the_last_day_hour_by_hour() {
    // Three days of hourly values 0, 1, ..., 71: the last day is 48..=71.
    let values: Vec<f64> = (0..72).map(f64::from).collect();
    let series = Series::new(start(), HOUR, values).unwrap();
    let f = forecast(&series, 30, &only(Model::SeasonalNaive)).unwrap();
    let expected: Vec<f64> = (0..30).map(|k| f64::from(48 + k % 24)).collect();
    assert_eq!(p50(&f), expected);
    assert_eq!(f.model, Model::SeasonalNaive);
    assert_eq!(f.points[0].start, start() + Duration::hours(72));
    assert_eq!(f.points[29].start, start() + Duration::hours(101));
    assert!(f.holdout_scores.is_empty());
    // Its in-sample errors are all exactly +24 for the first day ahead (each value is 24
    // above the day before) and +48 for the second (two days back): the upper bounds are
    // the point plus that, the lower ones the point itself (an interval holds its point).
    for (k, p) in f.points.iter().enumerate() {
        let error = if k < 24 { 24.0 } else { 48.0 };
        assert_eq!(
            (p.p90_high, p.p95_high),
            (p.p50 + error, p.p50 + error),
            "{p:?}"
        );
        assert_eq!((p.p90_low, p.p95_low), (p.p50, p.p50), "{p:?}");
    }
}

#[test]
fn naive_repeats_the_last_value() {
    let series = Series::new(start(), DAY, vec![3.0, 9.0, 4.0, 7.0]).unwrap();
    let f = forecast(&series, 3, &only(Model::Naive)).unwrap();
    assert_eq!(p50(&f), vec![7.0; 3]);
}

#[test]
fn holt_extrapolates_a_pure_linear_trend() {
    let values: Vec<f64> = (0..60).map(|t| 100.0 + 3.0 * f64::from(t)).collect();
    let series = Series::new(start(), DAY, values).unwrap();
    let f = forecast(&series, 10, &only(Model::Holt)).unwrap();
    let expected: Vec<f64> = (0..10).map(|k| 100.0 + 3.0 * f64::from(60 + k)).collect();
    assert_close(&p50(&f), &expected, 1e-6);
    // A perfect fit: no in-sample error, so no width.
    assert!((f.points[9].p95_high - f.points[9].p95_low).abs() < 1e-6);
}

#[test]
fn holt_winters_continues_a_pure_weekly_pattern() {
    let week = [620.0, 640.0, 610.0, 650.0, 700.0, 380.0, 300.0];
    let values: Vec<f64> = (0..56).map(|d| week[d % 7]).collect();
    let series = Series::new(start(), DAY, values).unwrap();
    let expected: Vec<f64> = (0..10).map(|k| week[k % 7]).collect();
    for model in [Model::HoltWintersAdditive, Model::HoltWintersMultiplicative] {
        let f = forecast(&series, 10, &only(model)).unwrap();
        assert_eq!(f.model, model);
        assert_close(&p50(&f), &expected, 1e-6);
    }
}

#[test]
fn holt_winters_multiplicative_scales_the_season_with_the_level() {
    // The same pattern at two levels: an additive model cannot fit both with one set of
    // indices, a multiplicative one can, so the automatic choice picks it.
    let shape = [1.2, 1.1, 1.0, 0.9, 0.8];
    let values: Vec<f64> = (0..60)
        .map(|t| if t < 30 { 100.0 } else { 400.0 } * shape[t % 5])
        .collect();
    let series = Series::new(start(), DAY, values).unwrap();
    let options = ForecastOptions {
        models: vec![Model::HoltWintersAdditive, Model::HoltWintersMultiplicative],
        seasons: Some(vec![5]),
        ..ForecastOptions::default()
    };
    let f = forecast(&series, 5, &options).unwrap();
    assert_eq!(f.model, Model::HoltWintersMultiplicative);
    let expected: Vec<f64> = shape.iter().map(|s| 400.0 * s).collect();
    assert_close(&p50(&f), &expected, 1.0);
}

#[test]
fn mstl_follows_a_daily_and_a_weekly_season() {
    // Hourly: a daily wave plus a quieter weekend, six weeks, no noise.
    let truth = |t: usize| {
        let hour = (t % 24) as f64;
        let weekend = (t / 24) % 7 >= 5;
        200.0 + 50.0 * (std::f64::consts::TAU * hour / 24.0).sin()
            - if weekend { 60.0 } else { 0.0 }
    };
    let n = 6 * 168;
    let series = Series::new(start(), HOUR, (0..n).map(truth).collect()).unwrap();
    let f = forecast(&series, 168, &only(Model::Mstl)).unwrap();
    let expected: Vec<f64> = (n..n + 168).map(truth).collect();
    assert_close(&p50(&f), &expected, 2.0);
    // The seasonal naive of one day cannot know the weekend is coming.
    let daily = forecast(&series, 168, &only(Model::SeasonalNaive)).unwrap();
    let error = |f: &Forecast| {
        p50(f)
            .iter()
            .zip(&expected)
            .map(|(a, e)| (a - e).abs())
            .sum::<f64>()
    };
    assert!(error(&f) * 10.0 < error(&daily));
}

#[test]
fn the_automatic_choice_keeps_the_lowest_holdout_error() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let week = [0.0, 20.0, 10.0, 30.0, 40.0, -80.0, -120.0];
    let values: Vec<f64> = (0..120)
        .map(|d| 500.0 + 2.0 * d as f64 + week[d % 7] + 5.0 * normal(&mut rng))
        .collect();
    let series = Series::new(start(), DAY, values).unwrap();
    let f = forecast(&series, 14, &ForecastOptions::default()).unwrap();
    let scores = &f.holdout_scores;
    assert_eq!(scores.len(), Model::ALL.len(), "{scores:?}");
    let best = scores
        .iter()
        .min_by(|a, b| a.mae.total_cmp(&b.mae))
        .unwrap();
    assert_eq!(f.model, best.model, "{scores:?}");
    // A weekly pattern with a trend: nothing without a season can be best.
    assert!(
        ![Model::Naive, Model::Ses, Model::Holt].contains(&f.model),
        "{scores:?}"
    );
}

#[test]
fn intervals_widen_with_the_horizon() {
    // A random walk: the error of a naive forecast k steps ahead grows like √k.
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut level = 1_000.0;
    let values: Vec<f64> = (0..500)
        .map(|_| {
            level += 10.0 * normal(&mut rng);
            level
        })
        .collect();
    let series = Series::new(start(), DAY, values).unwrap();
    for model in [Model::Naive, Model::Ses, Model::HoltWintersAdditive] {
        let f = forecast(&series, 30, &only(model)).unwrap();
        let width = |p: &ForecastPoint| p.p95_high - p.p95_low;
        let width90 = |p: &ForecastPoint| p.p90_high - p.p90_low;
        for pair in f.points.windows(2) {
            // Equal widths around different points may differ in the last bits.
            assert!(
                width(&pair[1]) >= width(&pair[0]) - 1e-9,
                "{model}: {pair:?}"
            );
            assert!(
                width90(&pair[1]) >= width90(&pair[0]) - 1e-9,
                "{model}: {pair:?}"
            );
        }
        let (first, last) = (width(&f.points[0]), width(&f.points[29]));
        // √30 ≈ 5.5; in-sample quantiles are noisy, so ask for 3.
        assert!(last > 3.0 * first, "{model}: {first} -> {last}");
        for p in &f.points {
            assert!(p.p95_low <= p.p90_low && p.p90_low <= p.p50, "{p:?}");
            assert!(p.p50 <= p.p90_high && p.p90_high <= p.p95_high, "{p:?}");
        }
    }
}

#[test]
fn p90_intervals_cover_about_90_percent_of_new_noise() {
    // A weekly pattern plus Gaussian noise of σ = 20; 40 independent histories, each
    // forecast 14 days ahead and compared with its own continuation.
    let week = [0.0, 20.0, 10.0, 30.0, 40.0, -80.0, -120.0];
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for model in [Model::SeasonalNaive, Model::HoltWintersAdditive] {
        let (mut inside, mut total) = (0usize, 0usize);
        for _ in 0..40 {
            let all: Vec<f64> = (0..224)
                .map(|d| 600.0 + week[d % 7] + 20.0 * normal(&mut rng))
                .collect();
            let (history, future) = all.split_at(210);
            let series = Series::new(start(), DAY, history.to_vec()).unwrap();
            let f = forecast(&series, 14, &only(model)).unwrap();
            for (p, y) in f.points.iter().zip(future) {
                inside += usize::from(p.p90_low <= *y && *y <= p.p90_high);
                total += 1;
            }
        }
        let coverage = inside as f64 / total as f64;
        assert!(
            (coverage - 0.90).abs() <= 0.05,
            "{model}: P90 coverage {coverage}"
        );
    }
}

#[test]
fn too_little_history_is_an_error_naming_what_is_needed() {
    // The automatic choice needs the simplest candidate's 1 value plus the 7 held out.
    let short = Series::new(start(), DAY, vec![500.0; 10]).unwrap();
    assert_eq!(
        forecast(&short, 7, &ForecastOptions::default())
            .unwrap()
            .model,
        Model::Naive
    );
    let tiny = Series::new(start(), DAY, vec![500.0; 5]).unwrap();
    let e = forecast(&tiny, 7, &ForecastOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidQuery);
    assert!(e.message().contains("at least 8 values"), "{e}");
    assert!(e.message().contains("got 5"), "{e}");
    let e = forecast(&short, 7, &only(Model::HoltWintersAdditive)).unwrap_err();
    assert!(
        e.message()
            .contains("holt_winters_additive needs at least 14 values of history, got 10"),
        "{e}"
    );
    let e = forecast(&short, 0, &ForecastOptions::default()).unwrap_err();
    assert!(e.message().contains("got 0"), "{e}");
}

#[test]
fn irregular_or_missing_input_is_an_error() {
    let t = |h| start() + Duration::hours(h);
    let e = Series::from_points(&[(t(0), 1.0), (t(1), 2.0), (t(5), 3.0)], HOUR).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidQuery);
    assert!(e.message().contains("point 2"), "{e}");
    let e = Series::new(start(), HOUR, vec![1.0, f64::NAN]).unwrap_err();
    assert!(e.message().contains("index 1"), "{e}");
    // Count rollups: a missing bucket is zero events.
    let s = Series::from_points_filled(&[(t(0), 4.0), (t(2), 6.0)], HOUR, 0.0).unwrap();
    assert_eq!(s.values(), &[4.0, 0.0, 6.0]);
}

#[test]
fn forecasts_of_counts_never_go_below_zero() {
    let values: Vec<f64> = (0..40).map(|t| (40 - t) as f64).collect();
    let series = Series::new(start(), DAY, values.clone()).unwrap();
    let f = forecast(&series, 20, &only(Model::Holt)).unwrap();
    assert!(f.points.iter().all(|p| p.p95_low >= 0.0 && p.p50 >= 0.0));
    assert_eq!(f.points[19].p50, 0.0);
    // The floor is for histories without negative values, and can be switched off.
    let unfloored = ForecastOptions {
        floor_at_zero: false,
        ..only(Model::Holt)
    };
    let f = forecast(&series, 20, &unfloored).unwrap();
    assert!(f.points[19].p50 < -10.0, "{:?}", f.points[19]);
}

fn hand_made(p50: &[f64], spread: f64) -> Forecast {
    let day = |d: usize| {
        Utc.with_ymd_and_hms(2026, 7, 1 + d as u32, 0, 0, 0)
            .unwrap()
    };
    Forecast {
        model: Model::Holt,
        points: p50
            .iter()
            .enumerate()
            .map(|(d, &v)| ForecastPoint {
                start: day(d),
                p50: v,
                p90_low: v - spread * 0.8,
                p90_high: v + spread * 0.8,
                p95_low: v - spread,
                p95_high: v + spread,
            })
            .collect(),
        holdout_scores: Vec::new(),
    }
}

#[test]
fn crossing_reports_the_first_p50_step_and_the_p95_range() {
    let day = |d: u32| Utc.with_ymd_and_hms(2026, 7, d, 0, 0, 0).unwrap();
    // Daily orders 2,400 .. 3,300 by 100 a day, P95 ± 250.
    let f = hand_made(
        &(0..10)
            .map(|d| 2_400.0 + 100.0 * d as f64)
            .collect::<Vec<_>>(),
        250.0,
    );
    let c = crossing(&f, 3_000.0, Direction::Above).unwrap();
    assert_eq!((c.start, c.step), (day(7), 6)); // p50 3,000
    assert_eq!(c.earliest, day(5)); // p95_high 2,800 + 250 >= 3,000; July 4: 2,950
    assert_eq!(c.latest, Some(day(10))); // p95_low 3,300 - 250 >= 3,000; July 9: 2,950
    // Falling: the same points read downwards.
    let c = crossing(&f, 2_600.0, Direction::Below).unwrap();
    assert_eq!((c.start, c.earliest), (day(1), day(1)));
    // p50 2,400 is already below; p95_low reaches it at once, p95_high (2,650) never
    // comes down to it: the points only rise.
    assert_eq!(c.latest, None);
    // Crossing only after the horizon: no latest date, or no crossing at all.
    let c = crossing(&f, 3_200.0, Direction::Above).unwrap();
    assert_eq!((c.start, c.latest), (day(9), None));
    assert!(crossing(&f, 4_000.0, Direction::Above).is_none());
}

#[test]
fn crossing_of_a_holt_forecast_of_a_straight_line() {
    // 1,000 orders a day growing by 50: day 40 (3,000) is the first above 2,990.
    let values: Vec<f64> = (0..30).map(|t| 1_000.0 + 50.0 * t as f64).collect();
    let series = Series::new(start(), DAY, values).unwrap();
    let f = forecast(&series, 30, &only(Model::Holt)).unwrap();
    let c = crossing(&f, 2_990.0, Direction::Above).unwrap();
    assert_eq!(c.step, 10);
    assert_eq!(c.start, start() + Duration::days(40));
}

#[test]
fn next_days_starts_on_the_day_asked_for() {
    // Five weeks of daily orders ending on Sunday 2026-02-08; weekends quieter.
    let values: Vec<f64> = (0..35)
        .map(|d| if d % 7 >= 5 { 400.0 } else { 600.0 })
        .collect();
    let daily = Series::new(start(), DAY, values).unwrap();
    let tuesday = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
    let f = next_days(&daily, tuesday, 30, &only(Model::SeasonalNaive)).unwrap();
    assert_eq!(f.points.len(), 30);
    assert_eq!(f.points[0].start.date_naive(), tuesday);
    assert_eq!(f.points[0].p50, 600.0);
    assert_eq!(f.points[4].p50, 400.0); // Saturday 2026-02-14
    let e = next_days(
        &daily,
        NaiveDate::from_ymd_opt(2026, 2, 8).unwrap(),
        3,
        &only(Model::Naive),
    )
    .unwrap_err();
    assert!(
        e.message()
            .contains("after the last observed day 2026-02-08"),
        "{e}"
    );
    let hourly = Series::new(start(), HOUR, vec![1.0; 100]).unwrap();
    assert!(next_days(&hourly, tuesday, 3, &only(Model::Naive)).is_err());
}

#[test]
fn json_shapes_are_the_documented_ones() {
    let series = Series::new(start(), DAY, vec![5.0, 6.0, 7.0]).unwrap();
    let f = forecast(&series, 1, &only(Model::Naive)).unwrap();
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json["model"], "naive");
    let point = json["points"][0].as_object().unwrap();
    let keys: Vec<&str> = point.keys().map(String::as_str).collect();
    let mut expected = ["start", "p50", "p90_low", "p90_high", "p95_low", "p95_high"];
    expected.sort_unstable();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, expected);
    assert_eq!(point["start"], "2026-01-08T00:00:00Z");
    let options: ForecastOptions =
        serde_json::from_str(r#"{"models": ["holt_winters_multiplicative"], "holdout": 7}"#)
            .unwrap();
    assert_eq!(options.models, vec![Model::HoltWintersMultiplicative]);
    assert_eq!(options.holdout, Some(7));
    assert!(options.floor_at_zero);
    let e = serde_json::from_str::<ForecastOptions>(r#"{"model": "mstl"}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field `model`"), "{e}");
    assert_eq!("mstl".parse::<Model>().unwrap(), Model::Mstl);
    assert!(
        "arima"
            .parse::<Model>()
            .unwrap_err()
            .message()
            .contains("seasonal_naive")
    );
}
