//! The literal prefilter: per scope (field, or every string for keywords), one hash index of
//! exact values and one Aho-Corasick automaton over all other literals of all rules. One pass
//! over a value finds every literal item it satisfies, so those items are never evaluated
//! one by one, and an item whose literal was not found is known to be false.

use super::item::{Anchor, ItemId};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::FxHashMap;

/// What a literal occurrence means for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hit {
    /// The item is true.
    Sure,
    /// The item may be true: its pattern has wildcards and must be verified.
    Candidate,
}

/// One item fed by an automaton pattern.
#[derive(Debug, Clone, Copy)]
struct Entry {
    item: ItemId,
    anchor: Anchor,
    hit: Hit,
}

/// Collects the literals of one scope before the automaton is built.
#[derive(Debug, Default)]
pub(crate) struct ScopeIndexBuilder {
    exact: FxHashMap<Box<str>, Vec<ItemId>>,
    patterns: FxHashMap<String, usize>,
    entries: Vec<Vec<Entry>>,
}

impl ScopeIndexBuilder {
    /// Registers an item that is true when the (folded) value equals `text`.
    pub(crate) fn exact(&mut self, text: &str, item: ItemId) {
        self.exact.entry(text.into()).or_default().push(item);
    }

    /// Registers an item that is (or may be, per `hit`) true when `text` occurs as `anchor`
    /// says. `text` must not be empty.
    pub(crate) fn literal(&mut self, text: &str, anchor: Anchor, hit: Hit, item: ItemId) {
        let next = self.patterns.len();
        let pattern = *self.patterns.entry(text.to_string()).or_insert(next);
        if pattern == self.entries.len() {
            self.entries.push(Vec::new());
        }
        self.entries[pattern].push(Entry { item, anchor, hit });
    }

    /// Builds the automaton.
    pub(crate) fn build(self) -> Result<ScopeIndex, String> {
        let automaton = if self.patterns.is_empty() {
            None
        } else {
            let mut patterns: Vec<(String, usize)> = self.patterns.into_iter().collect();
            patterns.sort_unstable_by_key(|(_, id)| *id);
            let built = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(patterns.iter().map(|(p, _)| p.as_bytes()))
                .map_err(|e| format!("literal automaton: {e}"))?;
            Some(built)
        };
        Ok(ScopeIndex {
            exact: self.exact,
            automaton,
            entries: self.entries,
        })
    }
}

/// The compiled index of one scope.
#[derive(Debug)]
pub(crate) struct ScopeIndex {
    exact: FxHashMap<Box<str>, Vec<ItemId>>,
    automaton: Option<AhoCorasick>,
    entries: Vec<Vec<Entry>>,
}

impl ScopeIndex {
    /// Reports every item a value satisfies (or may satisfy). `folded` is the value
    /// lower-cased; for ASCII values `original` may still contain upper case (the automaton
    /// folds ASCII itself), for others it must be the folded text too.
    pub(crate) fn scan(&self, folded: &str, original: &str, report: &mut impl FnMut(ItemId, Hit)) {
        if let Some(items) = self.exact.get(folded) {
            for &item in items {
                report(item, Hit::Sure);
            }
        }
        let Some(automaton) = &self.automaton else {
            return;
        };
        let len = original.len();
        for m in automaton.find_overlapping_iter(original) {
            for e in &self.entries[m.pattern().as_usize()] {
                let placed = match e.anchor {
                    Anchor::Contains => true,
                    Anchor::Prefix => m.start() == 0,
                    Anchor::Suffix => m.end() == len,
                    Anchor::Exact => m.start() == 0 && m.end() == len,
                };
                if placed {
                    report(e.item, e.hit);
                }
            }
        }
    }

    /// True if the index needs the folded value (it has exact entries).
    pub(crate) fn needs_folded(&self) -> bool {
        !self.exact.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_anchored_literals() {
        let mut b = ScopeIndexBuilder::default();
        b.exact("cmd.exe", 0);
        b.literal("\\cmd.exe", Anchor::Suffix, Hit::Sure, 1);
        b.literal("c:\\", Anchor::Prefix, Hit::Sure, 2);
        b.literal("temp", Anchor::Contains, Hit::Candidate, 3);
        b.literal("\\cmd.exe", Anchor::Contains, Hit::Sure, 4);
        let index = b.build().unwrap();
        let mut hits = Vec::new();
        let text = "C:\\Temp\\CMD.exe";
        index.scan(&text.to_lowercase(), text, &mut |i, h| hits.push((i, h)));
        hits.sort_by_key(|h| h.0);
        assert_eq!(
            hits,
            vec![
                (1, Hit::Sure),
                (2, Hit::Sure),
                (3, Hit::Candidate),
                (4, Hit::Sure)
            ]
        );
        hits.clear();
        index.scan("cmd.exe", "CMD.EXE", &mut |i, h| hits.push((i, h)));
        assert_eq!(hits, vec![(0, Hit::Sure)]);
    }
}
