//! Operations on string values: the plain text view pySigma's value transformations see, and
//! regular expression replacement that keeps untouched wildcards intact.

use crate::sigma::ast::{Pattern, PatternPart};
use regex::Regex;

/// The plain text pySigma shows value transformations: wildcards as `*` and `?`, literal `*`
/// and `?` escaped with a backslash, every other character (backslashes too) as is.
pub(crate) fn plain_view(pattern: &Pattern) -> String {
    tokens(pattern).into_iter().map(|t| t.text).collect()
}

/// Parses text in the [`plain_view`] format: a backslash escapes a following `*` or `?`; any
/// other backslash is literal.
pub(crate) fn parse_plain(text: &str) -> Pattern {
    Pattern::parse_escaping(text, &['*', '?'])
}

/// One character of a pattern and how it reads in the plain view.
struct Token {
    text: String,
    part: PatternPart,
}

fn tokens(pattern: &Pattern) -> Vec<Token> {
    let mut out = Vec::new();
    for part in &pattern.parts {
        match part {
            PatternPart::AnyChars => out.push(Token {
                text: "*".into(),
                part: PatternPart::AnyChars,
            }),
            PatternPart::OneChar => out.push(Token {
                text: "?".into(),
                part: PatternPart::OneChar,
            }),
            PatternPart::Literal(text) => out.extend(text.chars().map(|c| Token {
                text: match c {
                    '*' | '?' => format!("\\{c}"),
                    c => c.to_string(),
                },
                part: PatternPart::Literal(c.to_string()),
            })),
        }
    }
    out
}

/// How `replace_string` treats a value.
#[derive(Debug, Clone)]
pub(crate) struct Replacement {
    /// The expression, in Rust `regex` syntax (Python's for the common subset).
    pub(crate) regex: Regex,
    /// The replacement, already translated to `regex` syntax (`$1`, `${name}`).
    pub(crate) with: String,
    /// Replace only inside literal text, leaving wildcards and placeholders alone.
    pub(crate) skip_special: bool,
    /// With `skip_special`, read `*` and `?` in the result as wildcards.
    pub(crate) interpret_special: bool,
}

impl Replacement {
    /// The pattern with every match replaced, or `None` when nothing matched.
    pub(crate) fn apply(&self, pattern: &Pattern) -> Option<Pattern> {
        if self.skip_special {
            return self.apply_to_literals(pattern);
        }
        let tokens = tokens(pattern);
        let mut view = String::new();
        let mut starts = Vec::with_capacity(tokens.len());
        for t in &tokens {
            starts.push(view.len());
            view.push_str(&t.text);
        }
        let mut result = Pattern::default();
        let mut next = 0; // first token not yet emitted or consumed
        let mut changed = false;
        for caps in self.regex.captures_iter(&view) {
            let Some(m) = caps.get(0) else { continue };
            changed = true;
            // Tokens wholly before the match keep their identity (a wildcard stays a wildcard
            // even next to a literal backslash); tokens the match touches are consumed by it.
            while next < tokens.len() && starts[next] + tokens[next].text.len() <= m.start() {
                result.push(tokens[next].part.clone());
                next += 1;
            }
            while next < tokens.len() && starts[next] < m.end() {
                next += 1;
            }
            let mut expanded = String::new();
            caps.expand(&self.with, &mut expanded);
            for part in parse_plain(&expanded).parts {
                result.push(part);
            }
        }
        if !changed {
            return None;
        }
        for t in &tokens[next..] {
            result.push(t.part.clone());
        }
        Some(result)
    }

    fn apply_to_literals(&self, pattern: &Pattern) -> Option<Pattern> {
        let mut result = Pattern::default();
        let mut changed = false;
        for part in &pattern.parts {
            match part {
                PatternPart::Literal(text) if self.regex.is_match(text) => {
                    changed = true;
                    let replaced = self.regex.replace_all(text, self.with.as_str());
                    if self.interpret_special {
                        for p in parse_plain(&replaced).parts {
                            result.push(p);
                        }
                    } else {
                        result.push(PatternPart::Literal(replaced.into_owned()));
                    }
                }
                other => result.push(other.clone()),
            }
        }
        changed.then_some(result)
    }
}

/// Translates a Python `re.sub` replacement (`\1`, `\g<name>`, `\\`) into `regex` syntax.
pub(crate) fn python_replacement(text: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' => out.push_str("$$"),
            '\\' => match chars.next() {
                Some(d) if d.is_ascii_digit() => {
                    let mut group = d.to_string();
                    if let Some(&e) = chars.peek().filter(|e| e.is_ascii_digit()) {
                        group.push(e);
                        chars.next();
                    }
                    out.push_str(&format!("${{{group}}}"));
                }
                Some('g') => {
                    if chars.next() != Some('<') {
                        return Err("'\\g' must be followed by '<name>'".into());
                    }
                    let name: String = chars.by_ref().take_while(|&c| c != '>').collect();
                    if name.is_empty() {
                        return Err("empty group name in '\\g<>'".into());
                    }
                    out.push_str(&format!("${{{name}}}"));
                }
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) if other.is_ascii_alphabetic() => {
                    return Err(format!("unknown escape '\\{other}' in the replacement"));
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            other => out.push(other),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_replacements_translate() {
        assert_eq!(
            python_replacement(r"\1-\g<name>$\\x\.").unwrap(),
            r"${1}-${name}$$\x\."
        );
        assert!(python_replacement(r"\q").is_err());
        assert!(python_replacement(r"\g1").is_err());
    }

    #[test]
    fn replacement_keeps_the_parts_it_does_not_touch() {
        let p = Pattern {
            parts: vec![
                PatternPart::Literal("a*b\\".into()),
                PatternPart::AnyChars,
                PatternPart::OneChar,
            ],
        };
        assert_eq!(plain_view(&p), r"a\*b\*?");
        // Re-reading the whole view would turn the wildcard after the backslash into a
        // literal star; the replacement re-reads only the text it wrote.
        let replacement = Replacement {
            regex: Regex::new("^a").unwrap(),
            with: "A".into(),
            skip_special: false,
            interpret_special: false,
        };
        let replaced = replacement.apply(&p).unwrap();
        assert_eq!(
            replaced.parts,
            [
                PatternPart::Literal("A*b\\".into()),
                PatternPart::AnyChars,
                PatternPart::OneChar,
            ]
        );
        let untouched = Replacement {
            regex: Regex::new("zzz").unwrap(),
            ..replacement
        };
        assert_eq!(untouched.apply(&p), None);
    }
}
