//! Metric rollups: declared aggregates of events kept in clock-aligned buckets of one minute,
//! one hour and one day, and the queries the dashboard asks of them.
//!
//! - [`RollupSpec`] declares a rollup: a [`Measure`] (an event count or a numeric field), an
//!   optional filter, `group_by` fields, an optional `distinct` field, [`Retention`] per
//!   level and a bound on groups per day.
//! - [`Rollups::deltas`] is the engine's stage: a batch of new events becomes bucket deltas at
//!   every [`Level`], keyed by [`BucketKey`]; [`Deltas::finish`] applies the group bound
//!   against what storage holds ([`StoredGroups`]); storage merges each delta into its stored
//!   [`Bucket`] ([`Bucket::merge`]) and stores it as [`Bucket::to_bytes`].
//! - A [`Bucket`] holds count, sum, min, max, sum of squares (exact for whole numbers), a
//!   DDSketch for quantiles (1 % relative error) and a HyperLogLog++ sketch for a distinct
//!   count. Buckets merge without loss, so an hour is exactly its sixty minutes.
//! - [`MetricQuery`] asks for a time series, rate, mean, standard deviation, percentiles,
//!   distinct count, the 24-hour pattern, the peak or the top keys; it is answered from a
//!   covering rollup's buckets or from raw events with the same sketches ([`Series`]).
//!
//! All of it is pure, synchronous computation: storage reads and writes the buckets.
//!
//! ```
//! use finmark::event::{Event, Value};
//! use finmark::metrics::{Answer, MetricQuery, Measure, RollupSpec, Rollups, Source};
//! let spec: RollupSpec = serde_json::from_str(
//!     r#"{"name": "latency", "measure": {"field": "event.duration"}, "group_by": ["url.path"]}"#,
//! ).unwrap();
//! let rollups = Rollups::new(vec![spec]).unwrap();
//! let events: Vec<Event> = (0..100).map(|i| Event::new([
//!     ("@timestamp", Value::from(1_768_471_200 + i * 30)),
//!     ("url.path", Value::from("/api/v1/balance")),
//!     ("event.duration", Value::from(20 + i % 10)),
//! ].into_iter().collect())).collect();
//! let now = "2026-01-15T12:00:00Z".parse().unwrap();
//! // The stage: deltas for storage to merge.
//! let update = rollups.deltas(&events, now).finish(&());
//! // A query the rollup covers, answered from its hour buckets.
//! let query: MetricQuery = serde_json::from_str(
//!     r#"{"measure": {"field": "event.duration"}, "interval": "1h"}"#).unwrap();
//! let Source::Rollup { rollup, level } = query.source(&rollups, now) else { unreachable!() };
//! let hours = update.buckets.into_iter().filter(|b| b.key.level == level);
//! let series = query.from_buckets(rollups.get(&rollup).unwrap(), hours).unwrap();
//! let Answer::Rows(rows) = query.run(&series).unwrap() else { unreachable!() };
//! assert_eq!(rows.iter().map(|r| r.count).sum::<u64>(), 100);
//! // The same answer straight from the events.
//! let direct = query.run(&query.from_events(&events).unwrap()).unwrap();
//! assert_eq!(direct, Answer::Rows(rows));
//! ```

mod bucket;
pub mod codec;
mod distinct;
mod group;
mod level;
mod query;
mod select;
mod spec;
mod stage;
mod sum;
mod views;

pub use bucket::Bucket;
pub use group::GroupKey;
pub use level::Level;
pub use query::{DEFAULT_LIMIT, MAX_LIMIT, MetricQuery, Series, Source};
pub use spec::{DEFAULT_MAX_GROUPS, MAX_GROUP_BY, MAX_GROUPS, Measure, Retention, RollupSpec};
pub use stage::{
    BucketKey, Cutoff, DeltaReport, Deltas, GroupLookup, KeyedBucket, RollupUpdate, Rollups,
    StoredGroups,
};
pub use views::{Answer, HourProfile, MetricRow, Peak, RateUnit, Statistic, View};
