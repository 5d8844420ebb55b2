//! `%name%` placeholders of the `expand` modifier, replaced by `value_placeholders` and
//! `wildcard_placeholders`.

use super::params::Params;
use super::state::State;
use crate::sigma::ast::{Matcher, Pattern, PatternPart, Template, TemplatePart};

/// Which placeholders a placeholder transformation replaces.
#[derive(Debug, Clone, Default)]
pub(crate) struct PlaceholderScope {
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
}

impl PlaceholderScope {
    /// Reads `include` or `exclude` (not both) from the transformation's keys.
    pub(crate) fn parse(p: &Params) -> Result<PlaceholderScope, String> {
        let scope = PlaceholderScope {
            include: p.text_list("include")?,
            exclude: p.text_list("exclude")?,
        };
        if scope.include.is_some() && scope.exclude.is_some() {
            return Err("'include' and 'exclude' exclude each other".into());
        }
        Ok(scope)
    }

    fn handles(&self, name: &str) -> bool {
        match (&self.include, &self.exclude) {
            (Some(include), _) => include.iter().any(|n| n == name),
            (None, Some(exclude)) => !exclude.iter().any(|n| n == name),
            (None, None) => true,
        }
    }
}

/// Replaces the placeholders of one value (a template the `expand` modifier made): each
/// placeholder the scope handles by each of its values (or by `*` for
/// `wildcard_placeholders`), giving one value per combination. A value left without
/// placeholders becomes a plain pattern; one with placeholders the scope does not handle stays
/// a template for a later transformation.
pub(crate) fn replace_placeholders(
    value: Matcher,
    scope: &PlaceholderScope,
    wildcard: bool,
    state: &State,
) -> Result<Vec<Matcher>, String> {
    let Matcher::Placeholder(template) = value else {
        return Ok(vec![value]);
    };
    let mut results: Vec<Vec<TemplatePart>> = vec![Vec::new()];
    for part in &template.parts {
        let choices: Vec<TemplatePart> = match part {
            TemplatePart::Placeholder(name) if scope.handles(name) => {
                if wildcard {
                    vec![TemplatePart::Pattern(Pattern {
                        parts: vec![PatternPart::AnyChars],
                    })]
                } else {
                    state
                        .var(name)
                        .ok_or_else(|| {
                            format!("placeholder '%{name}%' has no value in the pipelines' vars")
                        })?
                        .iter()
                        .map(|v| TemplatePart::Pattern(Pattern::parse(v)))
                        .collect()
                }
            }
            other => vec![other.clone()],
        };
        if results.len() * choices.len() > MAX_EXPANSION {
            return Err(format!(
                "replacing placeholders yields more than {MAX_EXPANSION} values"
            ));
        }
        results = results
            .iter()
            .flat_map(|done| {
                choices.iter().map(move |choice| {
                    let mut parts = done.clone();
                    push_part(&mut parts, choice.clone());
                    parts
                })
            })
            .collect();
    }
    Ok(results
        .into_iter()
        .map(|parts| match parts.as_slice() {
            [TemplatePart::Pattern(pattern)] => Matcher::Pattern {
                pattern: pattern.clone(),
                cased: template.cased,
            },
            _ => Matcher::Placeholder(Template {
                parts,
                cased: template.cased,
            }),
        })
        .collect())
}

/// At most this many values come out of replacing the placeholders of one value.
const MAX_EXPANSION: usize = 10_000;

/// Appends a part, joining adjacent patterns into one.
fn push_part(parts: &mut Vec<TemplatePart>, part: TemplatePart) {
    match (parts.last_mut(), part) {
        (Some(TemplatePart::Pattern(last)), TemplatePart::Pattern(more)) => {
            for p in more.parts {
                last.push(p);
            }
        }
        (_, part) => parts.push(part),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(parts: Vec<TemplatePart>) -> Matcher {
        Matcher::Placeholder(Template { parts, cased: true })
    }

    #[test]
    fn handled_placeholders_become_patterns_and_others_stay() {
        let value = template(vec![
            TemplatePart::Pattern(Pattern::parse("*")),
            TemplatePart::Placeholder("a".into()),
            TemplatePart::Pattern(Pattern::literal("-")),
            TemplatePart::Placeholder("b".into()),
        ]);
        let mut vars = std::collections::BTreeMap::new();
        vars.insert("a".to_string(), vec!["x".to_string(), "y?".to_string()]);
        let state = State::new(vars);
        let only_a = PlaceholderScope {
            include: Some(vec!["a".into()]),
            exclude: None,
        };
        let partly = replace_placeholders(value.clone(), &only_a, false, &state).unwrap();
        assert_eq!(
            partly,
            [
                template(vec![
                    TemplatePart::Pattern(Pattern::parse("*x-")),
                    TemplatePart::Placeholder("b".into()),
                ]),
                template(vec![
                    TemplatePart::Pattern(Pattern::parse("*y?-")),
                    TemplatePart::Placeholder("b".into()),
                ]),
            ]
        );
        let rest = replace_placeholders(
            partly[0].clone(),
            &PlaceholderScope::default(),
            true,
            &state,
        )
        .unwrap();
        assert_eq!(
            rest,
            [Matcher::Pattern {
                pattern: Pattern::parse("*x-*"),
                cased: true
            }]
        );
        let missing = replace_placeholders(value, &PlaceholderScope::default(), false, &state);
        assert!(missing.unwrap_err().contains("'%b%'"));
    }
}
