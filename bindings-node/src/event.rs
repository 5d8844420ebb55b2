//! Events in and out: the `Event` and `Rejected` result types, and reading a JavaScript array
//! of event objects.
//!
//! A field value is a `FieldValue` in TypeScript (declared in `dts-header.d.ts`): a string,
//! number, boolean, null or a list of them; nested objects are flattened to dotted names.

use napi::Env;
use napi::bindgen_prelude::{Array, Function, JsObjectValue, Object};
use serde::Deserialize;

/// A stored event: its id, its time (RFC 3339) and its fields under dotted names.
#[napi_derive::napi(object, object_from_js = false)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Unique id: the event's `event.id` or `id` field, else a hash of its fields.
    pub id: String,
    /// When the event happened, RFC 3339 in UTC (`2026-01-15T09:30:00Z`).
    pub time: String,
    /// The fields, ECS-style dotted names (`source.ip`) to values.
    #[napi(ts_type = "Record<string, FieldValue>")]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// An input record that could not become an event, and why.
#[napi_derive::napi(object, object_from_js = false)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rejected {
    /// 1-based line of the record in its input; for an array, the element's index + 1.
    pub line: u32,
    /// Why it was rejected, naming the field at fault where there is one.
    pub reason: String,
}

/// The JSON text of an array of event objects, as `JSON.stringify` writes it, for the core's
/// JSON parser: the one way events cross from JavaScript, so objects and bytes are read alike
/// (`Date` values become ISO strings, `undefined` fields are left out, and an element that is
/// not an object is rejected with its index + 1 as its line).
///
/// `JSON.stringify`'s own `TypeError` (a `BigInt`, a circular object) is thrown as it is.
pub fn array_json(env: &Env, events: Array) -> napi::Result<String> {
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let stringify: Function<Array, String> = json.get_named_property("stringify")?;
    stringify.apply(json, events)
}
