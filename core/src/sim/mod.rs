//! A seeded simulator of one day of a fintech's traffic, for the demo, examples, tests and
//! benches.
//!
//! A day ([`simulate`]) holds, built with the constructors of [`crate::event::kinds`]:
//! - **orders** ([`SimConfig::orders`], 3,000 by default) placed over a realistic 24-hour
//!   pattern: a quiet night, a morning ramp, a lunch peak and a higher evening peak;
//! - **logins** (`finmark.auth`): customers' password and passkey logins, mostly successful
//!   with a few typos, JWT refreshes, staff MFA logins, and one **brute force**: 40 to 64
//!   failed attempts within a few minutes from one address against several accounts, then a
//!   success, followed by the attacker's calls to admin endpoints;
//! - **API requests** (`finmark.http`): JWT-authenticated calls to a mix of endpoints, with a
//!   few client and server errors, latencies with a long tail, and health checks;
//! - **network flows** (`finmark.flow`): clients to the load balancer, API servers to the
//!   database and the payment provider, DNS, a nightly backup, and one **exfiltration-like
//!   burst**: hundreds of multi-megabyte flows from the database to one external address
//!   within minutes;
//! - **host metrics** (`finmark.metric`): cpu, memory and disk usage of four hosts every
//!   minute, following the load and nightly jobs, with one **anomaly** (the database's CPU
//!   pinned near 100% during the burst).
//!
//! Everything is drawn from ChaCha8 seeded with [`SimConfig::seed`] (one stream per date), so
//! the same configuration always gives the same events, ids included (`sim-<seed>-<yyyymmdd>-<rank>`,
//! numbered in time order). What was planted is returned as ground truth ([`Truth`]) so tests
//! and detections can be checked against it. Addresses are from reserved ranges; the hostile
//! ones are in [`THREAT_RANGE`].
//!
//! ```
//! use finmark::sim::{SimConfig, simulate};
//! let day = simulate(&SimConfig { orders: 300, ..SimConfig::default() });
//! let attacker = &day.truth.brute_force.attacker_ip;
//! let failures = day.events.iter().filter(|e| {
//!     e.get("source.ip").and_then(|v| v.as_str()) == Some(attacker.as_str())
//!         && e.get("event.outcome").and_then(|v| v.as_str()) == Some("failure")
//! });
//! assert!(failures.count() >= 40);
//! assert!(day.events.windows(2).all(|w| w[0].time <= w[1].time));
//! ```

mod api;
mod attack;
mod clock;
mod draft;
mod infra;
mod population;
mod random;
mod scene;
mod sessions;
mod truth;

pub use population::THREAT_RANGE;
pub use truth::{BruteForce, Exfiltration, HostAnomaly, Truth, Window};

use crate::event::Event;
use chrono::{Datelike, Duration, NaiveDate};
use clock::{DayClock, MINUTE_MS};
use population::Population;
use random::Dice;
use scene::Scene;
use serde::Deserialize;

/// What to simulate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimConfig {
    /// Seed of the random generator: the same seed gives the same events.
    pub seed: u64,
    /// The simulated day (UTC).
    pub date: NaiveDate,
    /// How many orders the day has; the other traffic scales with it (about 25 events per
    /// order), except host metrics and health checks, which are sampled every minute.
    pub orders: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 42,
            date: NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default(),
            orders: 3000,
        }
    }
}

/// A simulated day: its events and what was planted in them.
#[derive(Debug, Clone)]
pub struct Day {
    /// The events, sorted by time, with unique ids.
    pub events: Vec<Event>,
    /// What was planted: the brute force, the exfiltration burst, the host anomaly.
    pub truth: Truth,
}

/// Simulates one day: its events sorted by time, and the ground truth.
///
/// Costs about one microsecond per event (a default day has about 75,000 events).
pub fn simulate(config: &SimConfig) -> Day {
    let date = config.date;
    let mut dice = Dice::new(config.seed, date.num_days_from_ce() as u64);
    let people = Population::new(&mut dice, config.orders);
    let mut scene = Scene {
        dice,
        clock: DayClock::new(date),
        people,
        drafts: Vec::with_capacity(20_000 + 26 * config.orders),
    };
    let ymd = date.format("%Y%m%d");

    sessions::customers(&mut scene, config.orders, &format!("ord-{ymd}-"));
    sessions::staff(&mut scene);
    infra::health_checks(&mut scene);
    infra::background_flows(&mut scene, config.orders);
    let brute_force = attack::brute_force(&mut scene);
    let after = scene.clock.offset(brute_force.success_time);
    let exfiltration =
        attack::exfiltration(&mut scene, after, &brute_force.attacker_ip, config.orders);
    let anomaly_window = whole_minutes(&exfiltration.window);
    let samples = infra::host_metrics(&mut scene, &anomaly_window);
    let host_anomaly = HostAnomaly {
        host: exfiltration.source_host.clone(),
        metric: infra::METRICS[0].into(),
        window: anomaly_window,
        samples,
    };

    let events = draft::into_events(scene.drafts, &format!("sim-{}-{ymd}-", config.seed));
    Day {
        events,
        truth: Truth {
            brute_force,
            exfiltration,
            host_anomaly,
        },
    }
}

/// One simulated day of events, sorted by time (see [`simulate`] for the ground truth too).
pub fn simulate_day(config: &SimConfig) -> Vec<Event> {
    simulate(config).events
}

/// An endless stream of simulated events, day after day from [`SimConfig::default`]'s date
/// with its number of orders, for benches: the first day is exactly
/// `simulate_day(&SimConfig { seed, ..SimConfig::default() })`. Days are generated one at a
/// time as the stream is read.
pub fn stream(seed: u64) -> impl Iterator<Item = Event> {
    let first = SimConfig::default();
    first.date.iter_days().flat_map(move |date| {
        simulate_day(&SimConfig {
            seed,
            date,
            orders: first.orders,
        })
    })
}

/// `window` widened to whole minutes.
fn whole_minutes(window: &Window) -> Window {
    let minute = Duration::milliseconds(MINUTE_MS);
    let floor = |t: chrono::DateTime<chrono::Utc>| {
        t - Duration::milliseconds(t.timestamp_millis().rem_euclid(MINUTE_MS))
    };
    Window {
        start: floor(window.start),
        end: floor(window.end - Duration::milliseconds(1)) + minute,
    }
}
