//! Compiling the Sigma AST into items, rule trees, the literal prefilter and trigger lists.

use super::fields::{FieldId, FieldTable};
use super::item::{Anchor, Item, ItemId, Predicate, Scope, TextMatch};
use super::prefilter::{Hit, ScopeIndex, ScopeIndexBuilder};
use super::regex_literals::required_prefixes;
use super::text::fold;
use crate::sigma::{
    Condition, Detection, FieldItem, Filter, Level, Matcher, Meta, OfTarget, Pattern, PatternPart,
    Quantifier, Rule, Search,
};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// A rule's condition compiled over item ids.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Item(ItemId),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// At least `n` of the operands (`n` >= 2; `1 of` is [`Node::Or`]).
    AtLeast(usize, Vec<Node>),
    Const(bool),
}

/// What a match reports about its rule.
#[derive(Debug)]
pub(crate) struct RuleInfo {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) level: Option<Level>,
    pub(crate) tags: Vec<String>,
}

/// A compiled rule.
#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) info: Arc<RuleInfo>,
    pub(crate) node: Node,
}

/// How the prefilter treats an item.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ItemIndexing {
    /// True if the prefilter sees every value that could satisfy the item: an item it did
    /// not report is false.
    pub(crate) indexed: bool,
    /// Estimated chance of a prefilter hit: lower is rarer, better as a trigger.
    pub(crate) commonness: f32,
    /// For an item the prefilter does not see: the field it cannot be true without.
    pub(crate) presence: Option<FieldId>,
}

/// Builds the scopes' indexes on every available core: the automata of the busiest fields
/// dominate the time to load a large rule set.
fn build_indexes(
    mut scopes: Vec<(Scope, ScopeIndexBuilder)>,
) -> Result<Vec<(Scope, ScopeIndex)>, String> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(scopes.len().max(1));
    // The largest first, dealt round-robin, so the threads finish together.
    scopes.sort_by_key(|(_, builder)| std::cmp::Reverse(builder.size()));
    let mut shares: Vec<Vec<(Scope, ScopeIndexBuilder)>> =
        (0..threads).map(|_| Vec::new()).collect();
    for (i, scope) in scopes.into_iter().enumerate() {
        shares[i % threads].push(scope);
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| {
                s.spawn(move || {
                    share
                        .into_iter()
                        .map(|(scope, builder)| builder.build().map(|index| (scope, index)))
                        .collect::<Result<Vec<_>, String>>()
                })
            })
            .collect();
        let mut built = Vec::new();
        for handle in handles {
            built.extend(
                handle
                    .join()
                    .map_err(|_| "building a literal index panicked".to_string())??,
            );
        }
        Ok(built)
    })
}

/// Substrings shorter than this (`-`, `/c`, `#`) occur all over long values: reporting every
/// occurrence costs more than testing the few items that need them when a rule asks.
const MIN_SUBSTRING: usize = 3;

/// Estimated chance that an event has a given field, as a trigger's commonness.
const PRESENCE_COMMONNESS: f32 = 3.0;

/// What makes a rule worth evaluating: a prefilter hit on an item, or a field being present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Trigger {
    Item(ItemId),
    Field(FieldId),
}

/// Everything compiled from a set of documents.
#[derive(Debug, Default)]
pub(crate) struct Compiled {
    pub(crate) table: FieldTable,
    pub(crate) items: Vec<Item>,
    pub(crate) indexing: Vec<ItemIndexing>,
    /// Per field id, its prefilter index (if any literal is tested on it).
    pub(crate) field_index: Vec<Option<ScopeIndex>>,
    /// The prefilter of keyword searches.
    pub(crate) keyword_index: Option<ScopeIndex>,
    pub(crate) uses_keywords: bool,
    pub(crate) rules: Vec<CompiledRule>,
    /// Per item, the rules to evaluate when the prefilter reports it.
    pub(crate) triggers: Vec<Vec<u32>>,
    /// Per field id, the rules to evaluate when an event has the field.
    pub(crate) field_triggers: Vec<Vec<u32>>,
    /// Rules with no trigger they cannot match without: evaluated on every event.
    pub(crate) always: Vec<u32>,
}

/// Builds a [`Compiled`] rule by rule.
#[derive(Default)]
pub(crate) struct Compiler {
    out: Compiled,
    pattern_items: FxHashMap<Scope, FxHashMap<Pattern, ItemId>>,
    scopes: FxHashMap<Scope, ScopeIndexBuilder>,
}

impl Compiler {
    /// Compiles one rule with the filters that apply to it; on error nothing of the rule is kept
    /// except harmless interned items.
    pub(crate) fn add_rule(&mut self, rule: &Rule, filters: &[&Filter]) -> Result<(), String> {
        let mut node = self.detection(&rule.detection)?;
        for filter in filters {
            let filter_node = self.detection(&filter.detection).map_err(|e| {
                format!(
                    "filter '{}' ({}): {e}",
                    filter.meta.title, filter.meta.origin
                )
            })?;
            node = Node::And(vec![node, filter_node]);
        }
        self.out.rules.push(CompiledRule {
            info: Arc::new(rule_info(&rule.meta)),
            node,
        });
        Ok(())
    }

    /// Finishes compilation: builds the indexes and chooses each rule's triggers.
    pub(crate) fn finish(self) -> Result<Compiled, String> {
        let Compiler {
            mut out, scopes, ..
        } = self;
        out.field_index = (0..out.table.len()).map(|_| None).collect();
        for (scope, index) in build_indexes(scopes.into_iter().collect())? {
            match scope {
                Scope::Field(f) => out.field_index[f as usize] = Some(index),
                Scope::Keywords => out.keyword_index = Some(index),
            }
        }
        out.triggers = vec![Vec::new(); out.items.len()];
        out.field_triggers = vec![Vec::new(); out.table.len()];
        for (r, rule) in out.rules.iter().enumerate() {
            match necessary(&rule.node, &out.indexing) {
                Some((triggers, _)) => {
                    for trigger in triggers {
                        match trigger {
                            Trigger::Item(i) => out.triggers[i as usize].push(r as u32),
                            Trigger::Field(f) => out.field_triggers[f as usize].push(r as u32),
                        }
                    }
                }
                None => out.always.push(r as u32),
            }
        }
        Ok(out)
    }

    fn detection(&mut self, detection: &Detection) -> Result<Node, String> {
        let mut compiled: FxHashMap<&str, Node> = FxHashMap::default();
        for (name, search) in &detection.searches {
            compiled.insert(
                name,
                self.search(search)
                    .map_err(|e| format!("search '{name}': {e}"))?,
            );
        }
        condition(&detection.condition, &detection.searches, &compiled)
    }

    fn search(&mut self, search: &Search) -> Result<Node, String> {
        Ok(match search {
            Search::AllOf(items) => and(items
                .iter()
                .map(|i| self.field_item(i))
                .collect::<Result<_, _>>()?),
            Search::AnyOf(searches) => or(searches
                .iter()
                .map(|s| self.search(s))
                .collect::<Result<_, _>>()?),
            Search::Keywords(matchers) => {
                self.out.uses_keywords = true;
                or(matchers
                    .iter()
                    .map(|m| self.matcher_node(Scope::Keywords, &full_text(m)))
                    .collect::<Result<_, _>>()?)
            }
        })
    }

    fn field_item(&mut self, item: &FieldItem) -> Result<Node, String> {
        let scope = match &item.field {
            Some(name) => Scope::Field(self.out.table.intern(name)),
            None => {
                self.out.uses_keywords = true;
                Scope::Keywords
            }
        };
        let nodes = item
            .matchers
            .iter()
            .map(|m| self.matcher_node(scope, m))
            .collect::<Result<Vec<_>, String>>()
            .map_err(|e| {
                format!(
                    "field '{}': {e}",
                    item.field.as_deref().unwrap_or("<keywords>")
                )
            })?;
        Ok(if item.all { and(nodes) } else { or(nodes) })
    }

    /// The node of one matcher: its item, or `or` over the alternatives of a value that
    /// expanded into several (`Matcher::AnyOf`).
    fn matcher_node(&mut self, scope: Scope, matcher: &Matcher) -> Result<Node, String> {
        match matcher {
            Matcher::AnyOf(alternatives) => Ok(or(alternatives
                .iter()
                .map(|m| self.matcher_node(scope, m))
                .collect::<Result<_, _>>()?)),
            _ => self.item(scope, matcher).map(Node::Item),
        }
    }

    /// The item for `matcher` on `scope`, shared with earlier identical pattern items.
    fn item(&mut self, scope: Scope, matcher: &Matcher) -> Result<ItemId, String> {
        if let Matcher::Pattern {
            pattern,
            cased: false,
        } = matcher
            && let Some(&id) = self
                .pattern_items
                .get(&scope)
                .and_then(|items| items.get(pattern))
        {
            return Ok(id);
        }
        let predicate = Predicate::new(matcher, &mut self.out.table)?;
        let id = self.out.items.len() as ItemId;
        let indexing = self.index(scope, &predicate, matcher, id);
        self.out.items.push(Item { scope, predicate });
        self.out.indexing.push(indexing);
        if let Matcher::Pattern {
            pattern,
            cased: false,
        } = matcher
        {
            self.pattern_items
                .entry(scope)
                .or_default()
                .insert(pattern.clone(), id);
        }
        Ok(id)
    }

    /// Registers a case-insensitive text item with the prefilter of its scope.
    fn index(
        &mut self,
        scope: Scope,
        predicate: &Predicate,
        matcher: &Matcher,
        id: ItemId,
    ) -> ItemIndexing {
        let unindexed = ItemIndexing {
            indexed: false,
            commonness: f32::INFINITY,
            presence: match scope {
                Scope::Field(f) if predicate.requires_presence() => Some(f),
                _ => None,
            },
        };
        if let Matcher::Regex {
            pattern,
            case_insensitive,
            multi_line,
            dot_matches_new_line,
        } = matcher
        {
            let Some(literals) = required_prefixes(
                pattern,
                *case_insensitive,
                *multi_line,
                *dot_matches_new_line,
            ) else {
                return unindexed;
            };
            let builder = self.scopes.entry(scope).or_default();
            let mut commonness = 0.0;
            for literal in &literals {
                builder.literal(literal, Anchor::Contains, Hit::Candidate, id);
                commonness += indexed(literal, 8.0).commonness;
            }
            return ItemIndexing {
                indexed: true,
                commonness,
                presence: None,
            };
        }
        let Predicate::Text {
            matcher: text,
            cased: false,
        } = predicate
        else {
            return unindexed;
        };
        match text {
            TextMatch::Literal {
                text,
                anchor: Anchor::Contains,
            } if text.len() < MIN_SUBSTRING => unindexed,
            TextMatch::Literal {
                text,
                anchor: Anchor::Contains,
            } => {
                self.scopes.entry(scope).or_default().literal(
                    text,
                    Anchor::Contains,
                    Hit::Sure,
                    id,
                );
                indexed(text, 8.0)
            }
            TextMatch::Literal { text, anchor } if !text.is_empty() || *anchor == Anchor::Exact => {
                let weight = if *anchor == Anchor::Exact { 4.0 } else { 6.0 };
                self.scopes
                    .entry(scope)
                    .or_default()
                    .literal(text, *anchor, Hit::Sure, id);
                indexed(text, weight)
            }
            TextMatch::Glob(_) => {
                let Matcher::Pattern { pattern, .. } = matcher else {
                    return unindexed;
                };
                match longest_literal(pattern) {
                    Some(piece) if piece.len() >= MIN_SUBSTRING => {
                        let piece = fold(piece);
                        self.scopes.entry(scope).or_default().literal(
                            &piece,
                            Anchor::Contains,
                            Hit::Candidate,
                            id,
                        );
                        indexed(&piece, 8.0)
                    }
                    _ => unindexed,
                }
            }
            _ => unindexed,
        }
    }
}

/// A keyword as a full-text search: the specification applies keyword lists "to the full log
/// message", so a keyword matches anywhere inside any value (`*keyword*`).
fn full_text(matcher: &Matcher) -> Matcher {
    match matcher {
        Matcher::Pattern { pattern, cased } => {
            let mut parts = pattern.parts.clone();
            if parts.first() != Some(&PatternPart::AnyChars) {
                parts.insert(0, PatternPart::AnyChars);
            }
            if parts.last() != Some(&PatternPart::AnyChars) {
                parts.push(PatternPart::AnyChars);
            }
            Matcher::Pattern {
                pattern: Pattern { parts },
                cased: *cased,
            }
        }
        Matcher::AnyOf(alternatives) => {
            Matcher::AnyOf(alternatives.iter().map(full_text).collect())
        }
        other => other.clone(),
    }
}

fn indexed(text: &str, weight: f32) -> ItemIndexing {
    ItemIndexing {
        indexed: true,
        commonness: weight / (text.chars().count() as f32 + 1.0),
        presence: None,
    }
}

fn longest_literal(pattern: &Pattern) -> Option<&str> {
    pattern
        .parts
        .iter()
        .filter_map(|p| match p {
            PatternPart::Literal(t) if !t.is_empty() => Some(t.as_str()),
            _ => None,
        })
        .max_by_key(|t| t.len())
}

fn rule_info(meta: &Meta) -> RuleInfo {
    RuleInfo {
        id: meta.identifier().to_string(),
        title: meta.title.clone(),
        level: meta.level,
        tags: meta.tags.clone(),
    }
}

fn and(mut nodes: Vec<Node>) -> Node {
    if nodes.len() == 1 {
        nodes.pop().unwrap_or(Node::Const(true))
    } else {
        Node::And(nodes)
    }
}

fn or(mut nodes: Vec<Node>) -> Node {
    match nodes.len() {
        0 => Node::Const(false),
        1 => nodes.pop().unwrap_or(Node::Const(false)),
        _ => Node::Or(nodes),
    }
}

/// Compiles a condition over the detection's compiled searches.
fn condition(
    c: &Condition,
    searches: &[(String, Search)],
    compiled: &FxHashMap<&str, Node>,
) -> Result<Node, String> {
    Ok(match c {
        Condition::Search(name) => compiled.get(name.as_str()).cloned().ok_or_else(|| {
            format!("condition names '{name}', which is not a search of this detection")
        })?,
        Condition::And(cs) => Node::And(
            cs.iter()
                .map(|c| condition(c, searches, compiled))
                .collect::<Result<_, _>>()?,
        ),
        Condition::Or(cs) => Node::Or(
            cs.iter()
                .map(|c| condition(c, searches, compiled))
                .collect::<Result<_, _>>()?,
        ),
        Condition::Not(c) => Node::Not(Box::new(condition(c, searches, compiled)?)),
        Condition::Never => Node::Const(false),
        Condition::Of { quantifier, target } => {
            let names: Vec<&str> = searches
                .iter()
                .map(|(n, _)| n.as_str())
                .filter(|n| match target {
                    OfTarget::Them => !n.starts_with('_'),
                    OfTarget::Names(pattern) => name_matches(pattern, n),
                })
                .collect();
            if names.is_empty() {
                let what = match target {
                    OfTarget::Them => "them".to_string(),
                    OfTarget::Names(p) => format!("'{p}'"),
                };
                return Err(format!("{what} matches no search of this detection"));
            }
            let nodes: Vec<Node> = names
                .iter()
                .filter_map(|n| compiled.get(n).cloned())
                .collect();
            match quantifier {
                Quantifier::All => and(nodes),
                Quantifier::AtLeast(1) => or(nodes),
                Quantifier::AtLeast(n) if *n > nodes.len() => Node::Const(false),
                Quantifier::AtLeast(n) => Node::AtLeast(*n, nodes),
            }
        }
    })
}

/// Matches a search name against a pattern where `*` stands for any characters.
fn name_matches(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// A set of triggers one of which must fire for `node` to be true (a prefilter hit on an
/// indexed item, or a field an item cannot be true without), with its summed commonness;
/// `None` when no such set exists.
pub(crate) fn necessary(node: &Node, indexing: &[ItemIndexing]) -> Option<(Vec<Trigger>, f32)> {
    match node {
        Node::Item(i) => {
            let ix = indexing[*i as usize];
            if ix.indexed {
                Some((vec![Trigger::Item(*i)], ix.commonness))
            } else {
                ix.presence
                    .map(|f| (vec![Trigger::Field(f)], PRESENCE_COMMONNESS))
            }
        }
        Node::Const(false) => Some((Vec::new(), 0.0)),
        Node::Const(true) | Node::Not(_) => None,
        Node::And(nodes) => nodes
            .iter()
            .filter_map(|n| necessary(n, indexing))
            .min_by(|a, b| a.1.total_cmp(&b.1)),
        Node::AtLeast(n, nodes) if *n == nodes.len() => {
            necessary(&Node::And(nodes.clone()), indexing)
        }
        Node::Or(nodes) | Node::AtLeast(_, nodes) => {
            let mut all = Vec::new();
            let mut cost = 0.0;
            for n in nodes {
                let (triggers, c) = necessary(n, indexing)?;
                all.extend(triggers);
                cost += c;
            }
            all.sort_unstable();
            all.dedup();
            Some((all, cost))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_name_patterns() {
        assert!(name_matches("selection_*", "selection_img"));
        assert!(!name_matches("selection_*", "selection"));
        assert!(name_matches("sel*", "selection"));
        assert!(name_matches("*_main_*", "filter_main_x"));
        assert!(name_matches("exact", "exact"));
        assert!(!name_matches("exact", "exactly"));
        assert!(name_matches("*", "anything"));
        assert!(name_matches("a*b*c", "axxbyyc"));
        assert!(!name_matches("a*b*c", "axxcyyb"));
    }

    #[test]
    fn necessary_picks_rarest_conjunct() {
        let ix = |indexed, commonness| ItemIndexing {
            indexed,
            commonness,
            presence: None,
        };
        let indexing = vec![
            ix(true, 2.0),
            ix(true, 0.1),
            ix(false, f32::INFINITY),
            ix(true, 0.5),
        ];
        let and = Node::And(vec![
            Node::Item(0),
            Node::Item(1),
            Node::Not(Box::new(Node::Item(3))),
        ]);
        assert_eq!(
            necessary(&and, &indexing).unwrap().0,
            vec![Trigger::Item(1)]
        );
        let or = Node::Or(vec![Node::Item(0), Node::Item(3)]);
        assert_eq!(
            necessary(&or, &indexing).unwrap().0,
            vec![Trigger::Item(0), Trigger::Item(3)]
        );
        assert!(necessary(&Node::Or(vec![Node::Item(0), Node::Item(2)]), &indexing).is_none());
        assert!(necessary(&Node::Item(2), &indexing).is_none());
    }
}
