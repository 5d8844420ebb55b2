//! Field renaming for the field name transformations, everywhere a document names fields.

use super::item::ProcessingItem;
use super::state::State;
use super::walk::{Outcome, detection_of, meta_mut, rewrite_items};
use crate::sigma::ast::{Correlation, Document, FieldItem, Matcher};

/// Renames fields everywhere a document names them: detection items and field references
/// (rules and filters), the `fields` list, and a correlation's `group-by`, alias fields and
/// value field.
pub(crate) fn rename_fields(
    rename: &dyn Fn(&str) -> Option<Vec<String>>,
    item: &ProcessingItem,
    doc: &mut Document,
    state: &mut State,
) -> Result<(), String> {
    let map_name = |field: &str, state: &mut State| -> Vec<String> {
        match rename(field).filter(|_| item.applies_to_field(Some(field), state)) {
            Some(names) => {
                state.track_field(field, &names, item.id.as_deref());
                names
            }
            None => vec![field.to_string()],
        }
    };
    let fields = std::mem::take(&mut meta_mut(doc).fields);
    meta_mut(doc).fields = fields.iter().flat_map(|f| map_name(f, state)).collect();
    if let Document::Correlation(c) = doc {
        return rename_correlation(c, &mut |f| map_name(f, state));
    }
    let Some((detection, _)) = detection_of(doc) else {
        return Ok(());
    };
    rewrite_items(detection, &mut |fi| {
        if !item.applies_to_item(fi, state) {
            return Ok(Outcome::Keep);
        }
        rename_field_refs(&mut fi.matchers, &mut |f| map_name(f, state));
        let Some(field) = fi.field.clone() else {
            return Ok(Outcome::Keep);
        };
        let names = map_name(&field, state);
        Ok(match names.as_slice() {
            [one] => {
                fi.field = Some(one.clone());
                Outcome::Keep
            }
            _ => Outcome::Alternatives(
                names
                    .into_iter()
                    .map(|name| FieldItem {
                        field: Some(name),
                        ..fi.clone()
                    })
                    .collect(),
            ),
        })
    })
}

/// Renames the fields of a correlation; alias fields and the value field must stay one name.
fn rename_correlation(
    c: &mut Correlation,
    map_name: &mut dyn FnMut(&str) -> Vec<String>,
) -> Result<(), String> {
    let mut single = |field: &str, what: &str| -> Result<String, String> {
        match map_name(field).as_slice() {
            [one] => Ok(one.clone()),
            many => Err(format!(
                "{what} '{field}' maps to several fields ({}); a correlation needs one",
                many.join(", ")
            )),
        }
    };
    for alias in &mut c.aliases {
        for (_, field) in &mut alias.fields {
            *field = single(field, "alias field")?;
        }
    }
    if let Some(field) = &mut c.field {
        *field = single(field, "value field")?;
    }
    let aliases: Vec<String> = c.aliases.iter().map(|a| a.name.clone()).collect();
    c.group_by = std::mem::take(&mut c.group_by)
        .into_iter()
        .flat_map(|g| {
            if aliases.contains(&g) {
                vec![g]
            } else {
                map_name(&g)
            }
        })
        .collect();
    Ok(())
}

/// Renames the fields that `fieldref` values point to; a reference to a field mapped to
/// several names becomes one reference per name.
fn rename_field_refs(matchers: &mut Vec<Matcher>, map_name: &mut dyn FnMut(&str) -> Vec<String>) {
    if !matchers.iter().any(is_field_ref) {
        return;
    }
    let mut renamed = Vec::with_capacity(matchers.len());
    for m in std::mem::take(matchers) {
        renamed.extend(rename_field_ref(m, map_name));
    }
    *matchers = renamed;
}

fn is_field_ref(m: &Matcher) -> bool {
    match m {
        Matcher::FieldRef { .. } => true,
        Matcher::Not(inner) => is_field_ref(inner),
        _ => false,
    }
}

fn rename_field_ref(m: Matcher, map_name: &mut dyn FnMut(&str) -> Vec<String>) -> Vec<Matcher> {
    match m {
        Matcher::FieldRef { field, mode, cased } => map_name(&field)
            .into_iter()
            .map(|field| Matcher::FieldRef { field, mode, cased })
            .collect(),
        Matcher::Not(inner) => rename_field_ref(*inner, map_name)
            .into_iter()
            .map(|m| Matcher::Not(Box::new(m)))
            .collect(),
        other => vec![other],
    }
}
