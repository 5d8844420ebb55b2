//! `%name%` placeholders of the `expand` modifier, replaced by `value_placeholders` and
//! `wildcard_placeholders`.

use super::params::Params;
use super::state::State;
use crate::sigma::ast::{Matcher, Pattern, PatternPart, TemplatePart};

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

/// Replaces the placeholders of one value of an item with these modifiers: a whole-value
/// placeholder, or with the `expand` modifier the `%name%` placeholders inside a string. With
/// the `cased` modifier, the values replacing a whole-value placeholder compare
/// case-sensitively.
pub(crate) fn replace_placeholders(
    value: Matcher,
    modifiers: &[String],
    scope: &PlaceholderScope,
    wildcard: bool,
    state: &State,
) -> Result<Vec<Matcher>, String> {
    let has = |modifier: &str| modifiers.iter().any(|m| m.eq_ignore_ascii_case(modifier));
    let mut resolve = |name: &str| -> Result<Option<Vec<Pattern>>, String> {
        if !scope.handles(name) {
            return Ok(None);
        }
        if wildcard {
            return Ok(Some(vec![Pattern {
                parts: vec![PatternPart::AnyChars],
            }]));
        }
        state
            .var(name)
            .map(|values| Some(values.iter().map(|v| Pattern::parse(v)).collect()))
            .ok_or_else(|| format!("placeholder '%{name}%' has no value in the pipelines' vars"))
    };
    match value {
        Matcher::Placeholder(template) => {
            if !template.names().all(|name| scope.handles(name)) {
                return Ok(vec![Matcher::Placeholder(template)]);
            }
            let pieces: Vec<Piece> = template
                .parts
                .iter()
                .flat_map(|part| match part {
                    TemplatePart::Pattern(p) => p.parts.iter().cloned().map(Piece::Part).collect(),
                    TemplatePart::Placeholder(name) => vec![Piece::Placeholder(name.clone())],
                })
                .collect();
            Ok(expand_pieces(&pieces, &mut resolve)?
                .into_iter()
                .map(|pattern| Matcher::Pattern {
                    pattern,
                    cased: template.cased,
                })
                .collect())
        }
        Matcher::Pattern { pattern, cased } if has("expand") => {
            match split_placeholders(&pattern) {
                Some(pieces) => Ok(expand_pieces(&pieces, &mut resolve)?
                    .into_iter()
                    .map(|pattern| Matcher::Pattern { pattern, cased })
                    .collect()),
                None => Ok(vec![Matcher::Pattern { pattern, cased }]),
            }
        }
        other => Ok(vec![other]),
    }
}

/// A piece of a pattern split at its `%name%` placeholders.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    /// Part of the pattern around placeholders.
    Part(PatternPart),
    /// A `%name%` placeholder.
    Placeholder(String),
}

/// Splits the literal text of a pattern written with the `expand` modifier at its `%name%`
/// placeholders (a name is letters, digits and `_`; `\%` is a literal `%`). `None` when the
/// pattern has no placeholder.
pub(crate) fn split_placeholders(pattern: &Pattern) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut found = false;
    for part in &pattern.parts {
        let PatternPart::Literal(text) = part else {
            pieces.push(Piece::Part(part.clone()));
            continue;
        };
        let mut literal = String::new();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '\\' if chars.get(i + 1) == Some(&'%') => {
                    literal.push('%');
                    i += 2;
                }
                '%' => {
                    let name_len = chars[i + 1..]
                        .iter()
                        .take_while(|c| c.is_alphanumeric() || **c == '_')
                        .count();
                    if name_len > 0 && chars.get(i + 1 + name_len) == Some(&'%') {
                        found = true;
                        if !literal.is_empty() {
                            pieces.push(Piece::Part(PatternPart::Literal(std::mem::take(
                                &mut literal,
                            ))));
                        }
                        pieces.push(Piece::Placeholder(
                            chars[i + 1..i + 1 + name_len].iter().collect(),
                        ));
                        i += name_len + 2;
                    } else {
                        literal.push('%');
                        i += 1;
                    }
                }
                c => {
                    literal.push(c);
                    i += 1;
                }
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Part(PatternPart::Literal(literal)));
        }
    }
    found.then_some(pieces)
}

/// At most this many values come out of replacing the placeholders of one value.
const MAX_EXPANSION: usize = 10_000;

/// Gives the values of a placeholder, or `None` to keep it for a later transformation.
pub(crate) type Resolve<'a> = dyn FnMut(&str) -> Result<Option<Vec<Pattern>>, String> + 'a;

/// Every pattern the pieces stand for when each placeholder is replaced by each of its
/// values (`resolve` gives them; `None` keeps the placeholder as `%name%` text for a later
/// transformation).
pub(crate) fn expand_pieces(
    pieces: &[Piece],
    resolve: &mut Resolve,
) -> Result<Vec<Pattern>, String> {
    let mut results = vec![Pattern::default()];
    for piece in pieces {
        let choices = match piece {
            Piece::Part(part) => vec![Pattern {
                parts: vec![part.clone()],
            }],
            Piece::Placeholder(name) => match resolve(name)? {
                Some(values) => values,
                None => vec![Pattern::literal(format!("%{name}%"))],
            },
        };
        if results.len() * choices.len() > MAX_EXPANSION {
            return Err(format!(
                "replacing placeholders yields more than {MAX_EXPANSION} values"
            ));
        }
        results = results
            .iter()
            .flat_map(|prefix| {
                choices.iter().map(move |choice| {
                    let mut joined = prefix.clone();
                    for part in &choice.parts {
                        joined.push(part.clone());
                    }
                    joined
                })
            })
            .collect();
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_need_a_name_and_respect_escapes() {
        let pieces =
            split_placeholders(&Pattern::literal(r"100% of \%x% and %user_name%")).unwrap();
        assert_eq!(
            pieces,
            [
                Piece::Part(PatternPart::Literal("100% of %x% and ".into())),
                Piece::Placeholder("user_name".into()),
            ]
        );
        assert_eq!(split_placeholders(&Pattern::literal("50%% off")), None);
    }
}
