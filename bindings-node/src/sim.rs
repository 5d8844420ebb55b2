//! `simulateDay`: one seeded day of a fintech's traffic, from the core's `sim`.

use crate::error::{Result, to_napi};
use crate::json_number;
use crate::storage::Instant;

/// What to simulate: `{seed, date, orders}`, every key optional.
#[napi_derive::napi(object, object_to_js = false)]
pub struct SimConfig {
    /// Seed of the random generator (default 42): the same seed gives the same events.
    pub seed: Option<f64>,
    /// The simulated day (default 2026-01-15): a `YYYY-MM-DD` string, or a `Date` whose UTC
    /// calendar day is used.
    #[napi(ts_type = "Instant")]
    pub date: Option<Instant>,
    /// How many orders the day has (default 3000).
    pub orders: Option<f64>,
}

impl SimConfig {
    /// The core config this one stands for, through its JSON form; `INVALID_QUERY` when a
    /// value is malformed.
    fn into_core(self) -> finmark::Result<finmark::sim::SimConfig> {
        let mut json = serde_json::Map::new();
        if let Some(seed) = self.seed {
            json.insert("seed".into(), json_number(seed));
        }
        match self.date {
            Some(Instant::Text(day)) => {
                json.insert("date".into(), day.into());
            }
            Some(date) => {
                let day = date.to_time().map_err(|e| e.context("date"))?.date_naive();
                json.insert("date".into(), day.to_string().into());
            }
            None => {}
        }
        if let Some(orders) = self.orders {
            json.insert("orders".into(), json_number(orders));
        }
        serde_json::from_value(json.into())
            .map_err(|e| finmark::Error::invalid_query(format!("invalid sim config: {e}")))
    }
}

/// One simulated day of events, sorted by time, as flat event objects (dotted field names,
/// with `event.id` and `@timestamp`) ready for `engine.ingest`.
///
/// Throws `INVALID_QUERY` for a malformed config (a negative seed, a date that is not
/// `YYYY-MM-DD`).
#[napi_derive::napi(catch_unwind, ts_return_type = "Array<Record<string, FieldValue>>")]
// napi-rs registers exported functions only outside `cfg(test)`, where nothing else calls it.
#[cfg_attr(test, allow(dead_code))]
pub fn simulate_day(config: Option<SimConfig>) -> Result<Vec<serde_json::Value>> {
    let config = match config {
        None => finmark::sim::SimConfig::default(),
        Some(config) => config.into_core().map_err(to_napi)?,
    };
    Ok(finmark::sim::simulate_day(&config)
        .iter()
        .map(finmark::Event::to_json)
        .collect())
}
