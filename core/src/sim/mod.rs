//! A seeded simulator of one day of a fintech's traffic, for the demo, examples and benches.
//!
//! Contract (implemented by the sim work item; bindings expose it as `simulate_day`):
//! - [`SimConfig`] `{seed, date, orders}` with defaults `42`, `2026-01-15`, `3000`;
//! - [`simulate_day`]`(&SimConfig) -> Vec<Event>`: the day's events, sorted by time;
//! - [`stream`]`(seed) -> impl Iterator<Item = Event>`: an endless stream for benches.

use crate::event::Event;
use chrono::NaiveDate;
use serde::Deserialize;

/// What to simulate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SimConfig {
    /// Seed of the random generator: the same seed gives the same events.
    pub seed: u64,
    /// The simulated day (UTC).
    pub date: NaiveDate,
    /// How many orders the day has.
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

/// One simulated day of events, sorted by time.
pub fn simulate_day(config: &SimConfig) -> Vec<Event> {
    let _ = config;
    Vec::new()
}

/// An endless stream of simulated events, day after day, for benches.
pub fn stream(seed: u64) -> impl Iterator<Item = Event> {
    let _ = seed;
    std::iter::empty()
}
