//! Alerts at the Node door (wraps `finmark::alert` and the engine's alert calls): actors,
//! alert queries, silence requests and the alert and correlation configurations go in as
//! plain objects in the core's JSON forms (snake_case keys, times as RFC 3339 strings); alerts,
//! pages, counts and silences come out as the core's JSON forms, typed in `dts-header.d.ts`.

use finmark::access::Actor;
use finmark::alert::{AlertConfig, SilenceRequest};
use finmark::arguments::from_json;
use finmark::correlate::CorrelationConfig;
use finmark::storage::AlertQuery;
use serde::Serialize;
use serde_json::Value;

/// The actor `{id, roles}`; `INVALID_QUERY` for an unknown role or key.
pub fn actor(value: Value) -> finmark::Result<Actor> {
    from_json(value, "actor")
}

/// The alert query (`{status, severity, rule_id, entity, fingerprint, since, until, limit,
/// cursor}`, every key optional); absent or `null` is every alert, first page.
pub fn query(value: Option<Value>) -> finmark::Result<AlertQuery> {
    optional(value, "alert query")
}

/// The silence request `{matchers, starts_at, ends_at, duration_secs, reason}`.
pub fn silence(value: Value) -> finmark::Result<SilenceRequest> {
    from_json(value, "silence")
}

/// The alert configuration; absent or `null` is the default.
pub fn alert_config(value: Option<Value>) -> finmark::Result<AlertConfig> {
    optional(value, "alertConfig")
}

/// The correlation configuration; absent or `null` is the default.
pub fn correlation_config(value: Option<Value>) -> finmark::Result<CorrelationConfig> {
    optional(value, "correlationConfig")
}

/// Reads an optional argument, `null` meaning absent (the default value).
fn optional<T: serde::de::DeserializeOwned + Default>(
    value: Option<Value>,
    what: &str,
) -> finmark::Result<T> {
    match value {
        None | Some(Value::Null) => Ok(T::default()),
        Some(value) => from_json(value, what),
    }
}

/// A core result as its JSON form.
pub fn to_json<T: Serialize>(value: &T) -> finmark::Result<Value> {
    serde_json::to_value(value)
        .map_err(|e| finmark::Error::internal(format!("serializing a result: {e}")))
}
