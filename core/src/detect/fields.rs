//! Interned field names: every field a rule reads gets a dense [`FieldId`].

use rustc_hash::{FxHashMap, FxHashSet};

/// Index of an interned field name in a [`FieldTable`].
pub(crate) type FieldId = u32;

/// The field names the rules of one rule set read, each with a dense id.
///
/// Also knows every dotted prefix of those names (`source` for `source.ip`), so nested JSON
/// objects that cannot lead to a known field are skipped without being read.
#[derive(Debug, Default)]
pub(crate) struct FieldTable {
    ids: FxHashMap<Box<str>, FieldId>,
    names: Vec<Box<str>>,
    prefixes: FxHashSet<Box<str>>,
}

impl FieldTable {
    /// The id of `name`, adding it when new.
    pub(crate) fn intern(&mut self, name: &str) -> FieldId {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as FieldId;
        self.ids.insert(name.into(), id);
        self.names.push(name.into());
        for (i, _) in name.match_indices('.') {
            self.prefixes.insert(name[..i].into());
        }
        id
    }

    /// The id of `name`, if a rule reads it.
    #[inline]
    pub(crate) fn get(&self, name: &str) -> Option<FieldId> {
        self.ids.get(name).copied()
    }

    /// True if some known field name starts with `prefix` followed by a dot.
    #[inline]
    pub(crate) fn is_prefix(&self, prefix: &str) -> bool {
        !self.prefixes.is_empty() && self.prefixes.contains(prefix)
    }

    /// The name of `id`.
    pub(crate) fn name(&self, id: FieldId) -> &str {
        &self.names[id as usize]
    }

    /// How many fields are interned.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_and_knows_prefixes() {
        let mut t = FieldTable::default();
        let a = t.intern("source.ip");
        assert_eq!(t.intern("source.ip"), a);
        assert_eq!(t.get("source.ip"), Some(a));
        assert_eq!(t.name(a), "source.ip");
        assert!(t.is_prefix("source"));
        assert!(!t.is_prefix("source.ip"));
        assert_eq!(t.len(), 1);
    }
}
