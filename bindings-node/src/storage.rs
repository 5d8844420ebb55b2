//! Queries over stored events and what they return: `EventQuery` in, `EventPage` and
//! `FieldCount` out.

use crate::event::Event;
use crate::json_number;
use chrono::{DateTime, TimeZone, Utc};
use napi::bindgen_prelude::{FromNapiValue, TypeName, ValidateNapiValue};
use napi::{ValueType, sys};
use serde::Deserialize;

/// A point in time from JavaScript: a `Date`, or a string in any form the core reads
/// (`2026-01-15T09:30:00Z`, `2026-01-15 09:30:00` as UTC, `2026-01-15`); `Instant` in
/// TypeScript.
///
/// An invalid `Date` (`new Date('garbage')`) is kept as such and refused with `INVALID_QUERY`
/// rather than read as the epoch.
pub enum Instant {
    /// A `Date`: milliseconds since the epoch, `NaN` when invalid.
    Date(f64),
    /// A string, read as the core reads times in queries.
    Text(String),
}

impl Instant {
    /// The time this stands for; `INVALID_QUERY` when malformed.
    pub fn to_time(&self) -> finmark::Result<DateTime<Utc>> {
        match self {
            Instant::Date(millis) => Utc
                .timestamp_millis_opt(*millis as i64)
                .single()
                .filter(|_| millis.is_finite())
                .ok_or_else(|| finmark::Error::invalid_query("invalid Date")),
            Instant::Text(text) => finmark::event::parse_time_arg(text),
        }
    }
}

impl TypeName for Instant {
    fn type_name() -> &'static str {
        "Date | string"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ValidateNapiValue for Instant {}

impl FromNapiValue for Instant {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let mut is_date = false;
        // SAFETY: napi-rs hands over a valid env and value of the current call.
        napi::check_status!(unsafe { sys::napi_is_date(env, value, &mut is_date) })?;
        if !is_date {
            // SAFETY: as above.
            return unsafe { String::from_napi_value(env, value) }.map(Instant::Text);
        }
        let mut millis = 0.0;
        // SAFETY: as above, and `value` is a Date.
        napi::check_status!(unsafe { sys::napi_get_date_value(env, value, &mut millis) })?;
        Ok(Instant::Date(millis))
    }
}

/// Which events to return: `{since, until, where, limit, cursor}`, every key optional, `null`
/// meaning absent (so a page's `next_cursor` can be passed on as it is).
///
/// It becomes the core's `EventQuery` through its JSON form, so it means exactly what the same
/// JSON means to the C door and the CLI.
#[napi_derive::napi(object, object_to_js = false)]
pub struct EventQuery {
    /// Only events at or after this time.
    #[napi(ts_type = "Instant | null")]
    pub since: Option<Option<Instant>>,
    /// Only events before this time.
    #[napi(ts_type = "Instant | null")]
    pub until: Option<Option<Instant>>,
    /// Only events whose fields equal these values (typed: `500` does not match `'500'`).
    #[napi(js_name = "where", ts_type = "Record<string, FieldValue> | null")]
    pub filters: Option<Option<serde_json::Map<String, serde_json::Value>>>,
    /// Page size: 100 when absent, at most 10,000.
    pub limit: Option<Option<f64>>,
    /// Continue after the page that returned this `next_cursor` (`null`: the first page).
    pub cursor: Option<Option<String>>,
}

impl EventQuery {
    /// The core query this one stands for; `INVALID_QUERY` naming the key when a value is
    /// malformed.
    pub fn into_core(query: Option<EventQuery>) -> finmark::Result<finmark::storage::EventQuery> {
        let Some(query) = query else {
            return Ok(finmark::storage::EventQuery::new());
        };
        let mut json = serde_json::Map::new();
        for (key, bound) in [("since", query.since), ("until", query.until)] {
            if let Some(bound) = bound.flatten() {
                let time = bound.to_time().map_err(|e| e.context(key))?;
                json.insert(key.into(), serde_json::Value::String(time.to_rfc3339()));
            }
        }
        if let Some(filters) = query.filters.flatten() {
            json.insert("where".into(), filters.into());
        }
        if let Some(limit) = query.limit.flatten() {
            json.insert("limit".into(), json_number(limit));
        }
        if let Some(cursor) = query.cursor.flatten() {
            json.insert("cursor".into(), cursor.into());
        }
        finmark::arguments::from_json(json.into(), "event query")
    }
}

/// One page of events, newest first.
#[napi_derive::napi(object, object_from_js = false, use_nullable = true)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventPage {
    /// The events of this page.
    pub events: Vec<Event>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    #[napi(js_name = "next_cursor")]
    pub next_cursor: Option<String>,
}

/// How many events have one value of a field.
#[napi_derive::napi(object, object_from_js = false)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldCount {
    /// The field value.
    #[napi(ts_type = "FieldValue")]
    pub value: serde_json::Value,
    /// The number of events with it.
    pub count: i64,
}
