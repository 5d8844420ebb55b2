//! Flattening Windows event logs exported as JSON (`evtx_dump -o json`).
//!
//! The export nests every record as `{"Event": {"System": {...}, "EventData": {...}}}`. Rules
//! and analysts address the fields by their bare names (`EventID`, `Channel`, `Image`), so the
//! record is flattened the way Chainsaw and Hayabusa read it:
//!
//! - `System` scalars keep their name (`EventID`, `Channel`, `Computer`, `EventRecordID`);
//! - attributes become `Parent_Attribute` (`Provider_Name`, `Provider_Guid`,
//!   `Execution_ProcessID`), except `Security.UserID`, which is `UserID`, and
//!   `TimeCreated.SystemTime`, which is `@timestamp`;
//! - a value with attributes and text (`"EventID": {"#attributes": {...}, "#text": 4624}`)
//!   keeps the text under its own name;
//! - `EventData` and `UserData` children keep their names (`UserData`'s one wrapper element is
//!   skipped), and nested objects below them flatten with dots.

use super::{Fields, Value};
use serde_json::{Map, Value as Json};

const ATTRIBUTES: &str = "#attributes";
const TEXT: &str = "#text";

/// True if generic flattening of a record gave the names of the `Event.System` layout
/// (`Event.System.EventID`, ...): the record must be flattened the Windows way instead.
pub(crate) fn is_nested_windows_event(fields: &Fields) -> bool {
    fields
        .iter()
        .any(|(name, _)| name.starts_with("Event.System."))
        && fields.iter().all(|(name, _)| name.starts_with("Event."))
}

/// If `object` is a Windows event in the `Event.System` layout, its flattened fields.
pub(crate) fn flatten_windows_event(object: &mut Map<String, Json>) -> Option<Fields> {
    if object.len() != 1 {
        return None;
    }
    let Some(Json::Object(event)) = object.get_mut("Event") else {
        return None;
    };
    let Some(Json::Object(system)) = event.remove("System") else {
        return None;
    };
    let mut fields = Fields::with_capacity(32);
    for (name, value) in system {
        flatten_system_entry(&mut fields, name, value);
    }
    for (section, value) in std::mem::take(event) {
        match (section.as_str(), value) {
            (ATTRIBUTES, _) => {}
            ("EventData", Json::Object(data)) => flatten_data(&mut fields, "", data),
            ("UserData", Json::Object(data)) => {
                for (_, inner) in data {
                    match inner {
                        Json::Object(inner) => flatten_data(&mut fields, "", inner),
                        other => fields.insert("UserData", Value::from_json(other)),
                    }
                }
            }
            (_, Json::Object(data)) => flatten_data(&mut fields, &section, data),
            (_, other) => fields.insert(section, Value::from_json(other)),
        }
    }
    Some(fields)
}

fn flatten_system_entry(fields: &mut Fields, name: String, value: Json) {
    let Json::Object(mut inner) = value else {
        fields.insert(name, Value::from_json(value));
        return;
    };
    if let Some(text) = inner.remove(TEXT) {
        fields.insert(name.clone(), Value::from_json(text));
    }
    if let Some(Json::Object(attributes)) = inner.remove(ATTRIBUTES) {
        for (attribute, v) in attributes {
            let flat = match (name.as_str(), attribute.as_str()) {
                ("Security", "UserID") => "UserID".to_string(),
                ("TimeCreated", "SystemTime") => "@timestamp".to_string(),
                _ => format!("{name}_{attribute}"),
            };
            fields.insert(flat, Value::from_json(v));
        }
    }
    flatten_data(fields, &name, inner);
}

fn flatten_data(fields: &mut Fields, prefix: &str, data: Map<String, Json>) {
    for (key, value) in data {
        if key == ATTRIBUTES {
            continue;
        }
        let name = match (prefix.is_empty(), key == TEXT) {
            (true, _) => key,
            (false, true) => prefix.to_string(),
            (false, false) => format!("{prefix}.{key}"),
        };
        match value {
            Json::Object(inner) => flatten_data(fields, &name, inner),
            other => fields.insert(name, Value::from_json(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_like_chainsaw() {
        let raw = r##"{"Event": {"#attributes": {"xmlns": "x"}, "System": {
            "Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon", "Guid": "G"}},
            "EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational",
            "TimeCreated": {"#attributes": {"SystemTime": "2025-11-27T07:40:10.165324Z"}},
            "Security": {"#attributes": {"UserID": "S-1-5-18"}},
            "Correlation": null},
          "EventData": {"Image": "C:\\x.exe", "ProcessId": 4460}}}"##;
        let mut object: Map<String, Json> = serde_json::from_str(raw).unwrap();
        let f = flatten_windows_event(&mut object).unwrap();
        assert_eq!(
            f.get("Provider_Name"),
            Some(&Value::from("Microsoft-Windows-Sysmon"))
        );
        assert_eq!(f.get("EventID"), Some(&Value::Int(1)));
        assert_eq!(f.get("UserID"), Some(&Value::from("S-1-5-18")));
        assert_eq!(
            f.get("@timestamp"),
            Some(&Value::from("2025-11-27T07:40:10.165324Z"))
        );
        assert_eq!(f.get("Image"), Some(&Value::from("C:\\x.exe")));
        assert_eq!(f.get("ProcessId"), Some(&Value::Int(4460)));
        assert_eq!(f.get("Correlation"), Some(&Value::Null));
    }

    #[test]
    fn text_with_attributes() {
        let raw = r##"{"Event": {"System": {"EventID": {"#attributes": {"Qualifiers": 16384}, "#text": 7045}},
          "UserData": {"RuleAndFileData": {"RuleId": "r"}}}}"##;
        let mut object: Map<String, Json> = serde_json::from_str(raw).unwrap();
        let f = flatten_windows_event(&mut object).unwrap();
        assert_eq!(f.get("EventID"), Some(&Value::Int(7045)));
        assert_eq!(f.get("EventID_Qualifiers"), Some(&Value::Int(16384)));
        assert_eq!(f.get("RuleId"), Some(&Value::from("r")));
    }
}
