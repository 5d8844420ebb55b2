//! Evaluating compiled rules on projected events.
//!
//! Per event: the prefilter scans each value once and reports the literal items it
//! satisfies; only rules triggered by those items (and the few rules without a trigger) are
//! evaluated; items are evaluated lazily and at most once per event.

use super::compile::{Compiled, Node};
use super::fields::FieldId;
use super::item::{ItemId, Scope};
use super::prefilter::{Hit, Memo, ScopeIndex};
use super::projection::{Kind, Projection};
use super::text::fold_into;

const UNKNOWN: u8 = 0;
const TRUE: u8 = 1;
const FALSE: u8 = 2;
const CANDIDATE: u8 = 3;

/// Per-thread matching state for one compiled rule set, reused across events.
pub(crate) struct Scanner<'c> {
    compiled: &'c Compiled,
    /// The event being matched.
    pub(crate) projection: Projection,
    state: Vec<u8>,
    touched: Vec<ItemId>,
    stamps: Vec<u32>,
    stamp: u32,
    candidates: Vec<u32>,
    fold_buf: String,
    scratch: String,
    seen: Vec<u32>,
    memo: Memo,
    /// Evaluate every rule on every event, bypassing the prefilter (for differential tests).
    exhaustive: bool,
}

impl<'c> Scanner<'c> {
    /// A scanner for `compiled`.
    pub(crate) fn new(compiled: &'c Compiled, exhaustive: bool) -> Scanner<'c> {
        Scanner {
            compiled,
            projection: Projection::new(compiled.table.len(), compiled.uses_keywords),
            state: vec![UNKNOWN; compiled.items.len()],
            touched: Vec::new(),
            stamps: vec![0; compiled.rules.len()],
            stamp: 0,
            candidates: Vec::new(),
            fold_buf: String::new(),
            scratch: String::new(),
            seen: Vec::new(),
            memo: Memo::new(compiled.table.len() + 1),
            exhaustive,
        }
    }

    /// Matches the event in [`Scanner::projection`]; calls `on_match` with the index of every
    /// matching rule, in rule order.
    pub(crate) fn run(&mut self, mut on_match: impl FnMut(u32, &Self)) {
        self.reset();
        if self.exhaustive {
            self.candidates.extend(0..self.compiled.rules.len() as u32);
        } else {
            self.prefilter();
            self.candidates.extend_from_slice(&self.compiled.always);
            self.candidates.sort_unstable();
        }
        let candidates = std::mem::take(&mut self.candidates);
        for &rule in &candidates {
            if self.eval(&self.compiled.rules[rule as usize].node) {
                on_match(rule, self);
            }
        }
        self.candidates = candidates;
    }

    fn reset(&mut self) {
        for &i in &self.touched {
            self.state[i as usize] = UNKNOWN;
        }
        self.touched.clear();
        self.candidates.clear();
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.stamps.fill(0);
            self.stamp = 1;
        }
    }

    fn prefilter(&mut self) {
        let Scanner {
            compiled,
            projection,
            state,
            touched,
            stamps,
            stamp,
            candidates,
            fold_buf,
            seen,
            memo,
            ..
        } = self;
        let mut hits = Hits {
            compiled,
            state,
            touched,
            stamps,
            stamp: *stamp,
            candidates,
        };
        for &field in projection.present() {
            hits.trigger(&compiled.field_triggers[field as usize]);
            let (Some(index), Some(atoms)) = (
                &compiled.field_index[field as usize],
                projection.field(field),
            ) else {
                continue;
            };
            let remember = index.worth_remembering();
            for atom in atoms.iter().filter(|a| a.kind != Kind::Null) {
                let text = projection.text(atom);
                let mut record = |item, hit| hits.record(item, hit);
                if remember {
                    memo.hits(
                        field as usize,
                        text,
                        |report| scan_value(index, text, fold_buf, seen, report),
                        &mut record,
                    );
                } else {
                    scan_value(index, text, fold_buf, seen, &mut record);
                }
            }
        }
        if let Some(index) = &compiled.keyword_index {
            let scope = compiled.table.len();
            for text in projection.keyword_texts() {
                memo.hits(
                    scope,
                    text,
                    |report| scan_value(index, text, fold_buf, seen, report),
                    &mut |item, hit| hits.record(item, hit),
                );
            }
        }
    }

    fn eval(&mut self, node: &Node) -> bool {
        match node {
            Node::Item(i) => self.item(*i),
            Node::And(nodes) => nodes.iter().all(|n| self.operand(n)),
            Node::Or(nodes) => nodes.iter().any(|n| self.operand(n)),
            Node::Not(n) => !self.eval(n),
            Node::AtLeast(k, nodes) => {
                let mut hits = 0;
                for n in nodes {
                    if self.eval(n) {
                        hits += 1;
                        if hits >= *k {
                            return true;
                        }
                    }
                }
                false
            }
            Node::Const(b) => *b,
        }
    }

    /// An operand of `and` / `or`: items, the most common, without a recursive call.
    #[inline]
    fn operand(&mut self, node: &Node) -> bool {
        match node {
            Node::Item(i) => self.item(*i),
            _ => self.eval(node),
        }
    }

    #[inline]
    fn item(&mut self, i: ItemId) -> bool {
        let state = self.state[i as usize];
        match state {
            TRUE => return true,
            FALSE => return false,
            UNKNOWN if !self.exhaustive && self.compiled.indexing[i as usize].indexed => {
                return false;
            }
            _ => {}
        }
        let item = &self.compiled.items[i as usize];
        let result = item
            .predicate
            .eval(item.scope, &self.projection, &mut self.scratch);
        if state == UNKNOWN {
            self.touched.push(i);
        }
        self.state[i as usize] = if result { TRUE } else { FALSE };
        result
    }

    /// The fields whose items were true in `rule`'s evaluation, outside negations.
    pub(crate) fn matched_fields(&self, rule: u32) -> Vec<FieldId> {
        let mut fields = Vec::new();
        self.collect_fields(&self.compiled.rules[rule as usize].node, &mut fields);
        fields
    }

    fn collect_fields(&self, node: &Node, out: &mut Vec<FieldId>) {
        match node {
            Node::Item(i) => {
                if self.state[*i as usize] == TRUE
                    && let Scope::Field(f) = self.compiled.items[*i as usize].scope
                    && !out.contains(&f)
                {
                    out.push(f);
                }
            }
            Node::And(nodes) | Node::Or(nodes) | Node::AtLeast(_, nodes) => {
                nodes.iter().for_each(|n| self.collect_fields(n, out));
            }
            Node::Not(_) | Node::Const(_) => {}
        }
    }
}

/// Runs one value through a scope's index, folding it when the index needs that.
fn scan_value(
    index: &ScopeIndex,
    text: &str,
    fold_buf: &mut String,
    seen: &mut Vec<u32>,
    report: &mut dyn FnMut(ItemId, Hit),
) {
    if text.is_ascii() {
        if index.needs_folded() && text.bytes().any(|b| b.is_ascii_uppercase()) {
            fold_into(text, fold_buf);
            index.scan(fold_buf, text, seen, report);
        } else {
            index.scan(text, text, seen, report);
        }
    } else {
        fold_into(text, fold_buf);
        index.scan(fold_buf, fold_buf, seen, report);
    }
}

/// Records prefilter hits: item states and the rules they trigger.
struct Hits<'a> {
    compiled: &'a Compiled,
    state: &'a mut [u8],
    touched: &'a mut Vec<ItemId>,
    stamps: &'a mut [u32],
    stamp: u32,
    candidates: &'a mut Vec<u32>,
}

impl Hits<'_> {
    fn record(&mut self, item: ItemId, hit: Hit) {
        let slot = &mut self.state[item as usize];
        let new = match (*slot, hit) {
            (TRUE, _) | (CANDIDATE, Hit::Candidate) => return,
            (_, Hit::Sure) => TRUE,
            (_, Hit::Candidate) => CANDIDATE,
        };
        if *slot == UNKNOWN {
            self.touched.push(item);
        }
        *slot = new;
        self.trigger(&self.compiled.triggers[item as usize]);
    }

    /// Adds `rules` to the rules to evaluate for this event, once each.
    fn trigger(&mut self, rules: &[u32]) {
        for &rule in rules {
            if self.stamps[rule as usize] != self.stamp {
                self.stamps[rule as usize] = self.stamp;
                self.candidates.push(rule);
            }
        }
    }
}
