//! Events at the Python door (wraps `finmark::event`): the [`Event`] and [`Rejected`] classes,
//! and the conversions between Python values and the core's JSON and [`finmark::Value`]s.
//!
//! Python values become JSON the way `json.dumps` would write them, with two additions:
//! `datetime` (and anything else with an `isoformat()` method) becomes its ISO text, and a
//! float that is not finite (pandas' NaN for "missing") becomes `null`. The core then parses
//! the JSON exactly as it parses bytes, so a dict and its JSON text give the same event.

use crate::error::to_py_err;
use finmark::event::{ParsedBatch, parse_object};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value as Json};
use std::borrow::Cow;

/// A Python value that has no JSON form, and where it was.
#[derive(Debug)]
pub struct Unconvertible {
    /// The dotted path of the value inside its dict (`user.name`, `tags[2]`); empty at the top.
    path: String,
    /// What was wrong.
    why: String,
}

impl Unconvertible {
    fn at(mut self, key: &str) -> Self {
        self.path = match (self.path.is_empty(), self.path.starts_with('[')) {
            (true, _) => key.to_owned(),
            (false, true) => format!("{key}{}", self.path),
            (false, false) => format!("{key}.{}", self.path),
        };
        self
    }
}

impl std::fmt::Display for Unconvertible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.why)
        } else {
            write!(f, "field '{}': {}", self.path, self.why)
        }
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |n| n.to_string())
}

/// A Python value as JSON: `dict` (string keys), `list`, `tuple`, `str`, `int`, `float`,
/// `bool`, `None`, and `datetime`-like objects (their `isoformat()`).
pub fn json_from_py(obj: &Bound<'_, PyAny>) -> Result<Json, Unconvertible> {
    let unconvertible = |why: String| Unconvertible {
        path: String::new(),
        why,
    };
    if let Ok(s) = obj.cast::<PyString>() {
        let text = s.to_cow().map_err(|e| unconvertible(e.to_string()))?;
        return Ok(Json::String(text.into_owned()));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        return object_from_py(dict).map(Json::Object);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Json::Bool(b.is_true()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(n) = i.extract::<i64>() {
            return Ok(Json::from(n));
        }
        return i
            .extract::<u64>()
            .map(Json::from)
            .map_err(|_| unconvertible(format!("integer {i} does not fit in 64 bits")));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(f.value()).map_or(Json::Null, Json::Number));
    }
    if obj.is_none() {
        return Ok(Json::Null);
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let items = obj.try_iter().map_err(|e| unconvertible(e.to_string()))?;
        return items
            .enumerate()
            .map(|(i, item)| {
                let item = item.map_err(|e| unconvertible(e.to_string()))?;
                json_from_py(&item).map_err(|e| e.at(&format!("[{i}]")))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Json::Array);
    }
    if obj.hasattr("isoformat").unwrap_or(false) {
        let text = obj
            .call_method0("isoformat")
            .and_then(|t| t.extract::<String>())
            .map_err(|e| unconvertible(e.to_string()))?;
        return Ok(Json::String(text));
    }
    Err(unconvertible(format!(
        "{} has no JSON form (use str, int, float, bool, None, list, dict or datetime)",
        type_name(obj)
    )))
}

/// A Python dict as a JSON object; keys must be strings.
pub fn object_from_py(dict: &Bound<'_, PyDict>) -> Result<Map<String, Json>, Unconvertible> {
    let mut object = Map::new();
    for (key, value) in dict.iter() {
        let key = key
            .cast::<PyString>()
            .ok()
            .and_then(|k| k.to_cow().ok())
            .ok_or_else(|| Unconvertible {
                path: String::new(),
                why: format!("keys must be strings, found {} {key}", type_name(&key)),
            })?;
        let value = json_from_py(&value).map_err(|e| e.at(&key))?;
        object.insert(key.into_owned(), value);
    }
    Ok(object)
}

/// A JSON value as the Python value `json.loads` would give.
pub fn json_to_py<'py>(py: Python<'py>, value: &Json) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Json::Null => py.None().into_bound(py),
        Json::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Json::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any(),
        },
        Json::String(s) => PyString::new(py, s).into_any(),
        Json::Array(items) => {
            let items = items
                .iter()
                .map(|item| json_to_py(py, item))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Json::Object(object) => {
            let dict = PyDict::new(py);
            for (key, item) in object {
                dict.set_item(key, json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// A field value as a Python value: `None`, `bool`, `int`, `float`, `str` or `list`.
pub fn value_to_py<'py>(py: Python<'py>, value: &finmark::Value) -> PyResult<Bound<'py, PyAny>> {
    use finmark::Value;
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Float(f) => PyFloat::new(py, *f).into_any(),
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::List(items) => {
            let items = items
                .iter()
                .map(|item| value_to_py(py, item))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
    })
}

/// The serde form of a core value as a Python dict: what every result class's `to_dict()`
/// starts from.
pub fn serialized_dict<'py, T: Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyDict>> {
    let json = serde_json::to_value(value).map_err(|e| {
        to_py_err(finmark::Error::internal(format!(
            "serializing a result: {e}"
        )))
    })?;
    Ok(json_to_py(py, &json)?.cast_into::<PyDict>()?)
}

/// Wraps core values in Python objects of the pyclass `C` and returns them as a list.
pub fn list_of<'py, T, C>(
    py: Python<'py>,
    items: impl IntoIterator<Item = T>,
    wrap: impl Fn(T) -> C,
) -> PyResult<Bound<'py, PyList>>
where
    C: pyo3::PyClass + Into<pyo3::PyClassInitializer<C>>,
{
    let objects = items
        .into_iter()
        .map(|item| Bound::new(py, wrap(item)))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, objects)
}

/// The bytes of JSON input given as `bytes` (borrowed, not copied), `bytearray` or `str`.
pub fn json_bytes<'a>(data: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(bytes) = data.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(bytes.as_bytes()));
    }
    if let Ok(text) = data.cast::<PyString>() {
        return Ok(match text.to_cow()? {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        });
    }
    if let Ok(array) = data.cast::<PyByteArray>() {
        return Ok(Cow::Owned(array.to_vec()));
    }
    Err(PyTypeError::new_err(format!(
        "expected JSON as bytes, bytearray or str, found {}",
        type_name(data)
    )))
}

/// Events taken from Python objects, not yet parsed into core events.
enum Pending {
    /// A dict converted to JSON, to be parsed like any JSON object.
    Object(Map<String, Json>),
    /// A `finmark.Event` passed back in, used as it is.
    Event(finmark::Event),
}

/// A batch read from a Python iterable: every convertible item with its position, and a
/// rejection (position and reason) for every other item.
///
/// Positions are 1-based (index + 1), as the core numbers the elements of a JSON array, so a
/// list and its JSON text are reported alike.
pub struct PendingBatch {
    items: Vec<(usize, Pending)>,
    rejected: Vec<finmark::event::Rejected>,
}

impl PendingBatch {
    /// Reads `events`, an iterable of dicts (or `finmark.Event`s), holding the GIL.
    pub fn from_py(events: &Bound<'_, PyAny>) -> PyResult<PendingBatch> {
        if events.is_instance_of::<PyDict>()
            || events.is_instance_of::<PyString>()
            || events.is_instance_of::<PyBytes>()
        {
            return Err(PyTypeError::new_err(format!(
                "expected an iterable of event dicts, found {}; wrap one event in a list, \
                 pass JSON text to the *_json / *_ndjson methods",
                type_name(events)
            )));
        }
        let mut batch = PendingBatch {
            items: Vec::new(),
            rejected: Vec::new(),
        };
        for (index, item) in events.try_iter()?.enumerate() {
            let item = item?;
            let line = index + 1;
            if let Ok(event) = item.cast::<Event>() {
                batch
                    .items
                    .push((line, Pending::Event(event.get().inner.clone())));
                continue;
            }
            let parsed = match item.cast::<PyDict>() {
                Ok(dict) => object_from_py(dict).map_err(|e| e.to_string()),
                Err(_) => Err(format!(
                    "expected a dict (a JSON object), found {}",
                    type_name(&item)
                )),
            };
            match parsed {
                Ok(object) => batch.items.push((line, Pending::Object(object))),
                Err(reason) => batch
                    .rejected
                    .push(finmark::event::Rejected { line, reason }),
            }
        }
        Ok(batch)
    }

    /// Parses the objects into core events (no GIL needed).
    pub fn parse(self) -> ParsedBatch {
        let mut batch = ParsedBatch {
            rejected: self.rejected,
            ..ParsedBatch::default()
        };
        for (line, item) in self.items {
            batch.events.push(match item {
                Pending::Object(object) => parse_object(object),
                Pending::Event(event) => event,
            });
            batch.lines.push(line);
        }
        batch
    }
}

/// One stored or parsed event: an id, a time and ECS-style dotted fields.
///
/// `event["user.name"]` reads a field; `fields` converts all of them to a dict.
#[pyclass(frozen, module = "finmark")]
pub struct Event {
    /// The core event.
    pub inner: finmark::Event,
}

#[pymethods]
impl Event {
    /// The event id (`event.id` or `id`, else a hash of its fields).
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// When the event happened, a timezone-aware (UTC) `datetime`.
    #[getter]
    fn time(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.time
    }

    /// The fields as a new dict of dotted names to values.
    #[getter]
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in self.inner.fields.iter() {
            dict.set_item(name, value_to_py(py, value)?)?;
        }
        Ok(dict)
    }

    /// The value of one field; `KeyError` if the event lacks it.
    fn __getitem__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.inner.get(name) {
            Some(value) => value_to_py(py, value),
            None => Err(pyo3::exceptions::PyKeyError::new_err(name.to_owned())),
        }
    }

    /// True if the event has the field.
    fn __contains__(&self, name: &str) -> bool {
        self.inner.get(name).is_some()
    }

    /// The value of one field, or `default` if the event lacks it.
    #[pyo3(signature = (name, default = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.inner.get(name) {
            Some(value) => value_to_py(py, value),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    /// `{"id", "time", "fields"}`: the attributes, `time` a `datetime`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("id", &self.inner.id)?;
        dict.set_item("time", self.inner.time)?;
        dict.set_item("fields", self.fields(py)?)?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "Event(id={:?}, time={}, fields={})",
            self.inner.id,
            self.inner.time.to_rfc3339(),
            self.inner.fields.len()
        )
    }
}

/// An input record that could not become an event: its 1-based line (for a list, its index
/// + 1) and why.
#[pyclass(frozen, module = "finmark")]
pub struct Rejected {
    /// The core rejection.
    pub inner: finmark::event::Rejected,
}

#[pymethods]
impl Rejected {
    /// The 1-based line of the record (for a list or JSON array: its index + 1).
    #[getter]
    fn line(&self) -> usize {
        self.inner.line
    }

    /// Why it was rejected, naming the field at fault where there is one.
    #[getter]
    fn reason(&self) -> &str {
        &self.inner.reason
    }

    /// `{"line", "reason"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        serialized_dict(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Rejected(line={}, reason={:?})",
            self.inner.line, self.inner.reason
        )
    }
}

/// The rejections of a batch as a list of [`Rejected`].
pub fn rejected_list(
    py: Python<'_>,
    rejected: Vec<finmark::event::Rejected>,
) -> PyResult<Bound<'_, PyList>> {
    list_of(py, rejected, |inner| Rejected { inner })
}

/// An argument given as a Python dict (a query, rule options, a simulator config) read into
/// the core type it is the JSON form of; a malformed one is an `InvalidQueryError` naming
/// `what` it was.
pub fn from_json_arg<T: DeserializeOwned>(arg: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    let invalid = |why: String| {
        to_py_err(finmark::Error::invalid_query(format!(
            "invalid {what}: {why}"
        )))
    };
    let json = json_from_py(arg).map_err(|e| invalid(e.to_string()))?;
    finmark::arguments::from_json(json, what).map_err(to_py_err)
}
