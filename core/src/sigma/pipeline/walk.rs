//! Reaching into documents: their detection and metadata, and rewriting the detection items
//! of a detection in place (keep, drop, or replace an item by alternatives: a field mapped to
//! several names becomes an OR of copies of the item).

use crate::sigma::ast::{Detection, Document, FieldItem, LogSource, Meta, Search};

/// What becomes of one detection item.
pub(crate) enum Outcome {
    /// The item stays (possibly changed in place).
    Keep,
    /// The item is removed; a map whose items are all removed holds for every event.
    Drop,
    /// The item is replaced by any one of these (OR); never empty.
    Alternatives(Vec<FieldItem>),
}

/// A map whose alternatives would multiply into more than this many maps is refused.
const MAX_ALTERNATIVES: usize = 4096;

/// Rewrites every detection item of `detection`. Keyword lists are offered as one item
/// without a field.
pub(crate) fn rewrite_items(
    detection: &mut Detection,
    rewrite: &mut dyn FnMut(&mut FieldItem) -> Result<Outcome, String>,
) -> Result<(), String> {
    for (name, search) in &mut detection.searches {
        rewrite_search(search, rewrite).map_err(|e| format!("search '{name}': {e}"))?;
    }
    Ok(())
}

fn rewrite_search(
    search: &mut Search,
    rewrite: &mut dyn FnMut(&mut FieldItem) -> Result<Outcome, String>,
) -> Result<(), String> {
    match search {
        Search::AnyOf(searches) => {
            for s in searches {
                rewrite_search(s, rewrite)?;
            }
        }
        Search::AllOf(items) => {
            let mut choices = Vec::with_capacity(items.len());
            let mut alternatives = false;
            for mut item in std::mem::take(items) {
                match rewrite(&mut item)? {
                    Outcome::Keep => choices.push(Choice::One(item)),
                    Outcome::Drop => {}
                    Outcome::Alternatives(any) => {
                        alternatives = true;
                        choices.push(Choice::Any(any));
                    }
                }
            }
            *search = if alternatives {
                combine(choices)?
            } else {
                let mut kept = Vec::with_capacity(choices.len());
                for choice in choices {
                    match choice {
                        Choice::One(item) => kept.push(item),
                        Choice::Any(items) => kept.extend(items),
                    }
                }
                Search::AllOf(kept)
            };
        }
        Search::Keywords(matchers) => {
            let mut item = FieldItem {
                field: None,
                modifiers: Vec::new(),
                matchers: std::mem::take(matchers),
                all: false,
            };
            *search = match rewrite(&mut item)? {
                Outcome::Keep => Search::Keywords(item.matchers),
                Outcome::Drop => Search::AllOf(Vec::new()),
                Outcome::Alternatives(any) => combine(vec![Choice::Any(any)])?,
            };
        }
    }
    Ok(())
}

/// One item of a map, or the alternatives that replace it.
enum Choice {
    One(FieldItem),
    Any(Vec<FieldItem>),
}

impl Choice {
    fn options(&self) -> &[FieldItem] {
        match self {
            Choice::One(item) => std::slice::from_ref(item),
            Choice::Any(items) => items,
        }
    }
}

/// The AND of the choices, each an OR of items, as the OR of every combination of one item
/// per choice (AND distributes over OR).
fn combine(choices: Vec<Choice>) -> Result<Search, String> {
    let count = choices
        .iter()
        .try_fold(1usize, |n, c| n.checked_mul(c.options().len()))
        .filter(|&n| n <= MAX_ALTERNATIVES)
        .ok_or_else(|| {
            format!("mapping fields to several names would need more than {MAX_ALTERNATIVES} alternatives")
        })?;
    let mut maps: Vec<Vec<FieldItem>> = Vec::with_capacity(count);
    maps.push(Vec::new());
    for choice in &choices {
        maps = maps
            .into_iter()
            .flat_map(|prefix| {
                choice.options().iter().map(move |item| {
                    let mut map = prefix.clone();
                    map.push(item.clone());
                    map
                })
            })
            .collect();
    }
    Ok(Search::AnyOf(maps.into_iter().map(Search::AllOf).collect()))
}

/// The detection of a rule or filter, with its logsource.
pub(crate) fn detection_of(doc: &mut Document) -> Option<(&mut Detection, &LogSource)> {
    match doc {
        Document::Rule(r) => Some((&mut r.detection, &r.meta.logsource)),
        Document::Filter(f) => Some((&mut f.detection, &f.meta.logsource)),
        Document::Correlation(_) => None,
    }
}

/// The metadata of any document, to change.
pub(crate) fn meta_mut(doc: &mut Document) -> &mut Meta {
    match doc {
        Document::Rule(r) => &mut r.meta,
        Document::Filter(f) => &mut f.meta,
        Document::Correlation(c) => &mut c.meta,
    }
}
