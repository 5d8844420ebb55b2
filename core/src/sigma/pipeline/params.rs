//! Typed access to the keys of one YAML mapping, with messages that say what was expected and
//! a check that no key was misspelled.

use std::cell::RefCell;
use yaml_rust2::Yaml;
use yaml_rust2::yaml::Hash;

/// A YAML scalar written back as text, the way the Sigma parser reads rule values: strings as
/// they are, numbers as written, booleans as `true`/`false`. `None` for null, lists and maps.
pub(crate) fn scalar_text(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// What a YAML value is, for messages.
pub(crate) fn describe(value: &Yaml) -> &'static str {
    match value {
        Yaml::Real(_) | Yaml::Integer(_) => "a number",
        Yaml::String(_) => "a string",
        Yaml::Boolean(_) => "a boolean",
        Yaml::Array(_) => "a list",
        Yaml::Hash(_) => "a mapping",
        Yaml::Null => "null",
        Yaml::Alias(_) | Yaml::BadValue => "an unsupported YAML value",
    }
}

/// The keys of one mapping; every key read is remembered so [`Params::finish`] can reject the
/// ones nobody asked for.
pub(crate) struct Params<'a> {
    map: &'a Hash,
    what: &'a str,
    used: RefCell<Vec<&'a str>>,
}

impl<'a> Params<'a> {
    /// Wraps `value`, which must be a mapping; `what` names it in messages (`transformation`).
    pub(crate) fn new(value: &'a Yaml, what: &'a str) -> Result<Params<'a>, String> {
        match value {
            Yaml::Hash(map) => Ok(Params {
                map,
                what,
                used: RefCell::new(Vec::new()),
            }),
            other => Err(format!(
                "a {what} must be a mapping, not {}",
                describe(other)
            )),
        }
    }

    /// Marks keys as known without reading them (handled elsewhere).
    pub(crate) fn allow(&self, keys: &[&'a str]) {
        self.used.borrow_mut().extend_from_slice(keys);
    }

    /// The raw value of `key`, if present and not null.
    pub(crate) fn get(&self, key: &'a str) -> Option<&'a Yaml> {
        self.used.borrow_mut().push(key);
        match self.map.get(&Yaml::String(key.to_string())) {
            None | Some(Yaml::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// A scalar as text (`priority: 10` gives `"10"`), if present.
    pub(crate) fn text(&self, key: &'a str) -> Result<Option<String>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => scalar_text(v)
                .map(Some)
                .ok_or_else(|| format!("'{key}' must be a string, not {}", describe(v))),
        }
    }

    /// A scalar as text that must be present.
    pub(crate) fn required_text(&self, key: &'a str) -> Result<String, String> {
        self.text(key)?
            .ok_or_else(|| format!("'{key}' is required for this {}", self.what))
    }

    /// A boolean, `default` when absent.
    pub(crate) fn flag(&self, key: &'a str, default: bool) -> Result<bool, String> {
        match self.get(key) {
            None => Ok(default),
            Some(Yaml::Boolean(b)) => Ok(*b),
            Some(v) => Err(format!(
                "'{key}' must be true or false, not {}",
                describe(v)
            )),
        }
    }

    /// A scalar or a list of scalars, as texts; `None` when absent.
    pub(crate) fn text_list(&self, key: &'a str) -> Result<Option<Vec<String>>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => text_or_list(v)
                .map(Some)
                .map_err(|e| format!("'{key}' {e}")),
        }
    }

    /// A mapping, if present.
    pub(crate) fn map(&self, key: &'a str) -> Result<Option<&'a Hash>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Yaml::Hash(h)) => Ok(Some(h)),
            Some(v) => Err(format!("'{key}' must be a mapping, not {}", describe(v))),
        }
    }

    /// Fails if the mapping has a key nobody read.
    pub(crate) fn finish(self) -> Result<(), String> {
        let used = self.used.into_inner();
        for key in self.map.keys() {
            match key.as_str() {
                Some(k) if used.contains(&k) => {}
                Some(k) => return Err(format!("unknown key '{k}' in {}", self.what)),
                None => return Err(format!("{} keys must be strings", self.what)),
            }
        }
        Ok(())
    }
}

/// A scalar or a list of scalars, as texts.
pub(crate) fn text_or_list(value: &Yaml) -> Result<Vec<String>, String> {
    match value {
        Yaml::Array(items) => items
            .iter()
            .map(|v| {
                scalar_text(v).ok_or_else(|| format!("must list strings, not {}", describe(v)))
            })
            .collect(),
        v => scalar_text(v)
            .map(|s| vec![s])
            .ok_or_else(|| format!("must be a string or a list of strings, not {}", describe(v))),
    }
}

/// The entries of a mapping whose keys are strings, in order.
pub(crate) fn entries(map: &Hash) -> Result<Vec<(&str, &Yaml)>, String> {
    map.iter()
        .map(|(k, v)| match k.as_str() {
            Some(k) => Ok((k, v)),
            None => Err(format!("keys must be strings, not {}", describe(k))),
        })
        .collect()
}
