//! The literal prefilter: per scope (a field, or every string for keywords), the literals of all
//! rules, indexed so that one look at a value finds every literal item it satisfies:
//!
//! - exact values in a hash map (one lookup);
//! - prefixes in a trie walked from the start (it stops at the longest stored prefix);
//! - suffixes in a trie of reversed literals, walked from the end;
//! - substrings (and the required literals of wildcard patterns and regexes) in one
//!   unanchored Aho-Corasick automaton, walked directly: a DFA for up to 400 literals, a
//!   contiguous NFA beyond.
//!
//! An indexed item the prefilter did not report is known to be false, so it is never evaluated.

use super::item::{Anchor, ItemId};
use super::trie::Trie;
use aho_corasick::automaton::Automaton;
use aho_corasick::{Anchored, BuildError, MatchKind, StartKind, dfa, nfa};
use rustc_hash::FxHashMap;

/// What a literal occurrence means for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hit {
    /// The item is true.
    Sure,
    /// The item may be true: its pattern has wildcards and must be verified.
    Candidate,
}

/// The items one literal feeds.
type Entries = Vec<(ItemId, Hit)>;

/// The hits a value gave, as the memo keeps them.
type ValueHits = Box<[(ItemId, Hit)]>;

/// Literals of one anchoring, deduplicated, before their automaton is built.
#[derive(Debug, Default)]
struct LiteralSet {
    ids: FxHashMap<Vec<u8>, usize>,
    entries: Vec<Entries>,
}

impl LiteralSet {
    fn add(&mut self, literal: Vec<u8>, item: ItemId, hit: Hit) {
        let next = self.entries.len();
        let id = *self.ids.entry(literal).or_insert(next);
        if id == next {
            self.entries.push(Vec::new());
        }
        self.entries[id].push((item, hit));
    }

    /// Builds the unanchored automaton of substrings: a DFA when there are few literals (a
    /// small table, walked with one lookup per byte), else a contiguous NFA (compact, built
    /// fast, but following failure links).
    fn automaton(self) -> Result<Option<Literals>, String> {
        if self.entries.is_empty() {
            return Ok(None);
        }
        let automaton =
            Walker::build(self.patterns()).map_err(|e| format!("literal automaton: {e}"))?;
        Ok(Some(Literals {
            automaton,
            entries: self.entries,
        }))
    }

    /// Builds the trie of prefixes (or of reversed suffixes).
    fn trie(self) -> Option<Anchors> {
        if self.entries.is_empty() {
            return None;
        }
        let trie = Trie::new(
            self.patterns()
                .into_iter()
                .enumerate()
                .map(|(id, p)| (p, id as u32)),
        );
        Some(Anchors {
            trie,
            entries: self.entries,
        })
    }

    /// The literals in the order of their ids.
    fn patterns(&self) -> Vec<Vec<u8>> {
        let mut patterns: Vec<(&Vec<u8>, usize)> =
            self.ids.iter().map(|(p, id)| (p, *id)).collect();
        patterns.sort_unstable_by_key(|(_, id)| *id);
        patterns.into_iter().map(|(p, _)| p.clone()).collect()
    }
}

/// Scopes with at most this many substring literals get a DFA.
const DFA_MAX_LITERALS: usize = 400;

/// An unanchored, ASCII case-insensitive automaton of substrings.
#[derive(Debug)]
enum Walker {
    Dfa(dfa::DFA),
    Nfa(nfa::contiguous::NFA),
}

impl Walker {
    /// A DFA for at most [`DFA_MAX_LITERALS`] patterns, else an NFA.
    fn build(patterns: Vec<Vec<u8>>) -> Result<Walker, BuildError> {
        if patterns.len() <= DFA_MAX_LITERALS {
            Walker::dfa(patterns)
        } else {
            Walker::nfa(patterns)
        }
    }

    /// The DFA of `patterns`: one table lookup per byte.
    fn dfa<P: AsRef<[u8]>>(patterns: impl IntoIterator<Item = P>) -> Result<Walker, BuildError> {
        dfa::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .build(patterns)
            .map(Walker::Dfa)
    }

    /// The contiguous NFA of `patterns`: compact and fast to build, with failure links.
    fn nfa<P: AsRef<[u8]>>(patterns: impl IntoIterator<Item = P>) -> Result<Walker, BuildError> {
        nfa::contiguous::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(patterns)
            .map(Walker::Nfa)
    }
}

/// The unanchored automaton of substrings and the items of each of its patterns.
#[derive(Debug)]
struct Literals {
    automaton: Walker,
    entries: Vec<Entries>,
}

impl Literals {
    /// Walks the automaton over `haystack` once, reporting the items of every pattern found;
    /// a pattern found again later in the same haystack is not reported again (`seen`).
    fn scan(&self, haystack: &[u8], seen: &mut Vec<u32>, report: &mut dyn FnMut(ItemId, Hit)) {
        seen.clear();
        let mut found = |pattern: u32| {
            if !seen.contains(&pattern) {
                seen.push(pattern);
                for &(item, hit) in &self.entries[pattern as usize] {
                    report(item, hit);
                }
            }
        };
        match &self.automaton {
            Walker::Dfa(dfa) => walk(dfa, haystack, &mut found),
            Walker::Nfa(nfa) => walk(nfa, haystack, &mut found),
        }
    }
}

/// Feeds `haystack` through `automaton` byte by byte, calling `found` with every pattern of
/// every match state reached.
fn walk(automaton: &impl Automaton, haystack: &[u8], found: &mut impl FnMut(u32)) {
    let Ok(mut state) = automaton.start_state(Anchored::No) else {
        return;
    };
    for &byte in haystack {
        state = automaton.next_state(Anchored::No, state, byte);
        if !automaton.is_special(state) || !automaton.is_match(state) {
            continue;
        }
        for i in 0..automaton.match_len(state) {
            found(automaton.match_pattern(state, i).as_u32());
        }
    }
}

/// A trie of prefixes (or reversed suffixes) and the items of each literal.
#[derive(Debug)]
struct Anchors {
    trie: Trie,
    entries: Vec<Entries>,
}

impl Anchors {
    fn scan(&self, bytes: impl Iterator<Item = u8>, report: &mut dyn FnMut(ItemId, Hit)) {
        self.trie.prefixes_of(bytes, |id| {
            for &(item, hit) in &self.entries[id as usize] {
                report(item, hit);
            }
        });
    }
}

/// Collects the literals of one scope before the automata are built.
#[derive(Debug, Default)]
pub(crate) struct ScopeIndexBuilder {
    exact: FxHashMap<Box<str>, Entries>,
    prefixes: LiteralSet,
    suffixes: LiteralSet,
    substrings: LiteralSet,
}

impl ScopeIndexBuilder {
    /// Registers an item that is (or may be, per `hit`) true when the folded value and
    /// `text` sit as `anchor` says. `text` is folded and, unless the anchor is exact, not empty.
    pub(crate) fn literal(&mut self, text: &str, anchor: Anchor, hit: Hit, item: ItemId) {
        match anchor {
            Anchor::Exact => self.exact.entry(text.into()).or_default().push((item, hit)),
            Anchor::Prefix => self.prefixes.add(text.as_bytes().to_vec(), item, hit),
            Anchor::Suffix => self.suffixes.add(text.bytes().rev().collect(), item, hit),
            Anchor::Contains => self.substrings.add(text.as_bytes().to_vec(), item, hit),
        }
    }

    /// How many literals the scope has: what building its index costs, roughly.
    pub(crate) fn size(&self) -> usize {
        self.exact.len()
            + self.prefixes.entries.len()
            + self.suffixes.entries.len()
            + self.substrings.entries.len()
    }

    /// Builds the automata.
    pub(crate) fn build(self) -> Result<ScopeIndex, String> {
        Ok(ScopeIndex {
            exact: self.exact,
            prefixes: self.prefixes.trie(),
            suffixes: self.suffixes.trie(),
            substrings: self.substrings.automaton()?,
        })
    }
}

/// The compiled index of one scope.
#[derive(Debug)]
pub(crate) struct ScopeIndex {
    exact: FxHashMap<Box<str>, Entries>,
    prefixes: Option<Anchors>,
    suffixes: Option<Anchors>,
    substrings: Option<Literals>,
}

impl ScopeIndex {
    /// Reports every item a value satisfies (or may satisfy). `folded` is the value
    /// lower-cased; for ASCII values `original` may still contain upper case (the automata
    /// fold ASCII themselves), for others it must be the folded text too.
    pub(crate) fn scan(
        &self,
        folded: &str,
        original: &str,
        seen: &mut Vec<u32>,
        report: &mut dyn FnMut(ItemId, Hit),
    ) {
        if let Some(items) = self.exact.get(folded) {
            for &(item, hit) in items {
                report(item, hit);
            }
        }
        if let Some(prefixes) = &self.prefixes {
            prefixes.scan(original.bytes(), report);
        }
        if let Some(suffixes) = &self.suffixes {
            suffixes.scan(original.bytes().rev(), report);
        }
        if let Some(substrings) = &self.substrings {
            substrings.scan(original.as_bytes(), seen, report);
        }
    }

    /// True if looking a value up costs more than a hash lookup (tries or an automaton), so
    /// remembering its hits pays.
    pub(crate) fn worth_remembering(&self) -> bool {
        self.prefixes.is_some() || self.suffixes.is_some() || self.substrings.is_some()
    }

    /// True if the index needs the folded value (it has exact entries).
    pub(crate) fn needs_folded(&self) -> bool {
        !self.exact.is_empty()
    }
}

/// The longest value whose prefilter hits are remembered.
const MEMO_MAX_LEN: usize = 96;
/// How many values are remembered at most, over all scopes.
const MEMO_MAX_VALUES: usize = 1 << 16;

/// Remembers the prefilter hits of short values per scope: logs repeat the same channels,
/// providers, event ids, users and addresses over and over, and a hash lookup is cheaper than
/// walking the automata again. Per matching thread; bounded.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    scopes: Vec<FxHashMap<Box<str>, ValueHits>>,
    values: usize,
    found: Vec<(ItemId, Hit)>,
}

impl Memo {
    /// A memo for `scopes` scopes.
    pub(crate) fn new(scopes: usize) -> Memo {
        Memo {
            scopes: (0..scopes).map(|_| FxHashMap::default()).collect(),
            ..Memo::default()
        }
    }

    /// Reports the hits of `text` in scope `scope`: remembered ones, or those `scan` finds
    /// (and remembers, when the value is short and there is room).
    pub(crate) fn hits(
        &mut self,
        scope: usize,
        text: &str,
        scan: impl FnOnce(&mut dyn FnMut(ItemId, Hit)),
        report: &mut impl FnMut(ItemId, Hit),
    ) {
        if text.len() > MEMO_MAX_LEN {
            return scan(report);
        }
        if let Some(hits) = self.scopes[scope].get(text) {
            hits.iter().for_each(|&(item, hit)| report(item, hit));
            return;
        }
        self.found.clear();
        let found = &mut self.found;
        scan(&mut |item, hit| found.push((item, hit)));
        self.found.iter().for_each(|&(item, hit)| report(item, hit));
        if self.values < MEMO_MAX_VALUES {
            self.values += 1;
            self.scopes[scope].insert(text.into(), self.found.as_slice().into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(index: &ScopeIndex, text: &str) -> Vec<(ItemId, Hit)> {
        let mut hits = Vec::new();
        index.scan(&text.to_lowercase(), text, &mut Vec::new(), &mut |i, h| {
            hits.push((i, h))
        });
        hits.sort_by_key(|h| h.0);
        hits
    }

    #[test]
    fn memo_replays_hits() {
        let mut memo = Memo::new(1);
        let mut scans = 0;
        for _ in 0..3 {
            let mut seen = Vec::new();
            memo.hits(
                0,
                "Security",
                |r| {
                    scans += 1;
                    r(4, Hit::Sure)
                },
                &mut |i, h| seen.push((i, h)),
            );
            assert_eq!(seen, vec![(4, Hit::Sure)]);
        }
        assert_eq!(scans, 1);
        let long = "x".repeat(MEMO_MAX_LEN + 1);
        for _ in 0..2 {
            memo.hits(0, &long, |_| scans += 1, &mut |_, _| {});
        }
        assert_eq!(scans, 3);
    }

    /// The DFA and the NFA find the same patterns, each once, case-insensitively.
    #[test]
    fn both_walkers_find_every_pattern_once() {
        let patterns = ["cmd", "CMD.exe", "exe", "/c", "md.e", "xx"];
        for automaton in [
            Walker::dfa(patterns).unwrap(),
            Walker::nfa(patterns).unwrap(),
        ] {
            let literals = Literals {
                automaton,
                entries: (0..patterns.len())
                    .map(|i| vec![(i as ItemId, Hit::Sure)])
                    .collect(),
            };
            let found = |haystack: &str| {
                let mut items = Vec::new();
                literals.scan(haystack.as_bytes(), &mut Vec::new(), &mut |i, _| {
                    items.push(i)
                });
                items.sort_unstable();
                items
            };
            assert_eq!(found("C:\\CMD.EXE /c cmd.exe /C"), vec![0, 1, 2, 3, 4]);
            assert_eq!(found("xxx"), vec![5]);
            assert!(found("none").is_empty());
        }
    }

    #[test]
    fn finds_anchored_literals() {
        let mut b = ScopeIndexBuilder::default();
        b.literal("cmd.exe", Anchor::Exact, Hit::Sure, 0);
        b.literal("\\cmd.exe", Anchor::Suffix, Hit::Sure, 1);
        b.literal("c:\\", Anchor::Prefix, Hit::Sure, 2);
        b.literal("temp", Anchor::Contains, Hit::Candidate, 3);
        b.literal("\\cmd.exe", Anchor::Contains, Hit::Sure, 4);
        b.literal("c:", Anchor::Prefix, Hit::Sure, 5);
        b.literal("exe", Anchor::Suffix, Hit::Sure, 6);
        b.literal("temp", Anchor::Prefix, Hit::Sure, 7);
        b.literal("mp\\c", Anchor::Contains, Hit::Sure, 8);
        let index = b.build().unwrap();
        let all = |ids: &[ItemId]| {
            ids.iter()
                .map(|&i| (i, if i == 3 { Hit::Candidate } else { Hit::Sure }))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            hits(&index, "C:\\Temp\\CMD.exe"),
            all(&[1, 2, 3, 4, 5, 6, 8])
        );
        assert_eq!(hits(&index, "CMD.EXE"), all(&[0, 6]));
        assert_eq!(hits(&index, "x\\cmd.exe.bak"), all(&[4]));
        assert_eq!(hits(&index, "tempc:"), all(&[3, 7]));
    }
}
