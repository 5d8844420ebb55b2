//! Items: the leaf predicates of compiled rules, one per (field, matcher), shared between
//! rules that test the same thing.

use super::fields::{FieldId, FieldTable};
use super::projection::{Atom, Kind, Projection};
use super::text::{Glob, fold, fold_into};
use crate::event::parse_timestamp;
use crate::sigma::{CompareOp, Matcher, Pattern, PatternPart, RefMode, TimePart};
use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};
use ipnet::IpNet;
use std::net::IpAddr;

/// Index of an item in a rule set.
pub(crate) type ItemId = u32;

/// Where an item looks: one field, or every string of the event (keyword searches).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    Field(FieldId),
    Keywords,
}

/// How a text literal must sit in the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Anchor {
    Exact,
    Prefix,
    Suffix,
    Contains,
}

/// A text comparison, with literals folded unless `cased`.
#[derive(Debug, Clone)]
pub(crate) enum TextMatch {
    /// A literal anchored as given.
    Literal { text: String, anchor: Anchor },
    /// A pattern with inner wildcards.
    Glob(Glob),
    /// Any non-null value (`*`).
    Any,
}

impl TextMatch {
    /// Compiles a Sigma pattern.
    pub(crate) fn new(pattern: &Pattern, cased: bool) -> TextMatch {
        let literal = |text: &str, anchor| TextMatch::Literal {
            text: if cased {
                text.to_string()
            } else {
                fold(text).into_owned()
            },
            anchor,
        };
        use PatternPart::{AnyChars as Star, Literal as Lit};
        match pattern.parts.as_slice() {
            [] => literal("", Anchor::Exact),
            [Lit(t)] => literal(t, Anchor::Exact),
            [Star, Lit(t)] => literal(t, Anchor::Suffix),
            [Lit(t), Star] => literal(t, Anchor::Prefix),
            [Star, Lit(t), Star] => literal(t, Anchor::Contains),
            parts if parts.iter().all(|p| *p == Star) => TextMatch::Any,
            _ => TextMatch::Glob(Glob::new(pattern, !cased)),
        }
    }

    /// True if `text` (folded when the match is case-insensitive) matches.
    pub(crate) fn matches(&self, text: &str) -> bool {
        match self {
            TextMatch::Literal { text: lit, anchor } => match anchor {
                Anchor::Exact => text == lit,
                Anchor::Prefix => text.starts_with(lit.as_str()),
                Anchor::Suffix => text.ends_with(lit.as_str()),
                Anchor::Contains => memchr::memmem::find(text.as_bytes(), lit.as_bytes()).is_some(),
            },
            TextMatch::Glob(glob) => glob.matches(text),
            TextMatch::Any => true,
        }
    }
}

/// What an item tests on its scope's values.
#[derive(Debug, Clone)]
pub(crate) enum Predicate {
    Text {
        matcher: TextMatch,
        cased: bool,
    },
    Regex(regex::Regex),
    Cidr(IpNet),
    Compare(CompareOp, f64),
    Exists(bool),
    Null,
    FieldRef {
        other: FieldId,
        mode: RefMode,
        cased: bool,
    },
    TimePart(TimePart, i64),
    /// Present, and no value matches the inner predicate (`neq`).
    Not(Box<Predicate>),
    /// Any of the alternatives a value expanded into (`windash`, `base64offset`), under `neq`.
    AnyOf(Vec<Predicate>),
    /// An unresolved placeholder: matches nothing.
    Never,
}

impl Predicate {
    /// True if the predicate can only hold on an event that has the field.
    pub(crate) fn requires_presence(&self) -> bool {
        !matches!(self, Predicate::Exists(false) | Predicate::Null)
    }

    /// Compiles a matcher; `intern` gives ids to fields a `fieldref` names.
    pub(crate) fn new(matcher: &Matcher, table: &mut FieldTable) -> Result<Predicate, String> {
        Ok(match matcher {
            Matcher::Pattern { pattern, cased } => Predicate::Text {
                matcher: TextMatch::new(pattern, *cased),
                cased: *cased,
            },
            Matcher::Regex {
                pattern,
                case_insensitive,
                multi_line,
                dot_matches_new_line,
            } => Predicate::Regex(
                regex::RegexBuilder::new(pattern)
                    .case_insensitive(*case_insensitive)
                    .multi_line(*multi_line)
                    .dot_matches_new_line(*dot_matches_new_line)
                    .build()
                    .map_err(|e| format!("regular expression '{pattern}' does not compile: {e}"))?,
            ),
            Matcher::Cidr(net) => Predicate::Cidr(
                net.parse::<IpNet>()
                    .or_else(|_| net.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("'{net}' is not a CIDR network"))?,
            ),
            Matcher::Compare { op, value } => Predicate::Compare(*op, *value),
            Matcher::Exists(b) => Predicate::Exists(*b),
            Matcher::Null => Predicate::Null,
            Matcher::FieldRef { field, mode, cased } => Predicate::FieldRef {
                other: table.intern(field),
                mode: *mode,
                cased: *cased,
            },
            Matcher::TimePart { part, value } => Predicate::TimePart(*part, *value),
            Matcher::Not(inner) => Predicate::Not(Box::new(Predicate::new(inner, table)?)),
            Matcher::Placeholder(_) => Predicate::Never,
            Matcher::AnyOf(alternatives) => Predicate::AnyOf(
                alternatives
                    .iter()
                    .map(|m| Predicate::new(m, table))
                    .collect::<Result<_, _>>()?,
            ),
        })
    }

    /// Evaluates the predicate on `scope` of the projected event.
    pub(crate) fn eval(&self, scope: Scope, p: &Projection, scratch: &mut String) -> bool {
        match scope {
            Scope::Keywords => match self {
                Predicate::Text { matcher, cased } => p
                    .keyword_texts()
                    .any(|t| text_matches(matcher, *cased, t, scratch)),
                Predicate::Regex(re) => p.keyword_texts().any(|t| re.is_match(t)),
                _ => false,
            },
            Scope::Field(field) => {
                let atoms = p.field(field);
                match self {
                    Predicate::Exists(want) => atoms.is_some() == *want,
                    Predicate::Null => atoms.is_none_or(|a| a.iter().all(|x| x.kind == Kind::Null)),
                    Predicate::Not(inner) => atoms.is_some_and(|a| {
                        !a.is_empty() && !a.iter().any(|x| inner.eval_atom(x, p, scratch))
                    }),
                    _ => atoms.is_some_and(|a| a.iter().any(|x| self.eval_atom(x, p, scratch))),
                }
            }
        }
    }

    /// Evaluates the predicate on one value.
    fn eval_atom(&self, atom: &Atom, p: &Projection, scratch: &mut String) -> bool {
        if atom.kind == Kind::Null {
            return false;
        }
        let text = p.text(atom);
        match self {
            Predicate::Text { matcher, cased } => text_matches(matcher, *cased, text, scratch),
            Predicate::Regex(re) => re.is_match(text),
            Predicate::Cidr(net) => text
                .trim()
                .parse::<IpAddr>()
                .is_ok_and(|ip| net.contains(&ip)),
            Predicate::Compare(op, value) => {
                atom.number(p).is_some_and(|n| compare(*op, n, *value))
            }
            Predicate::FieldRef { other, mode, cased } => p.field(*other).is_some_and(|others| {
                others
                    .iter()
                    .filter(|o| o.kind != Kind::Null)
                    .any(|o| refers(*mode, *cased, text, p.text(o)))
            }),
            Predicate::TimePart(part, value) => {
                time_of(atom, p).is_some_and(|t| time_part(t, *part) == *value)
            }
            Predicate::Not(inner) => !inner.eval_atom(atom, p, scratch),
            Predicate::AnyOf(alternatives) => {
                alternatives.iter().any(|a| a.eval_atom(atom, p, scratch))
            }
            Predicate::Exists(_) | Predicate::Null => true,
            Predicate::Never => false,
        }
    }
}

fn text_matches(matcher: &TextMatch, cased: bool, text: &str, scratch: &mut String) -> bool {
    if cased {
        return matcher.matches(text);
    }
    if text.is_ascii() {
        if let TextMatch::Literal { text: lit, anchor } = matcher {
            return ascii_insensitive(text.as_bytes(), lit.as_bytes(), *anchor);
        }
        if !text.bytes().any(|b| b.is_ascii_uppercase()) {
            return matcher.matches(text);
        }
    }
    fold_into(text, scratch);
    matcher.matches(scratch)
}

/// Compares ASCII `text` with a folded literal ignoring ASCII case, without folding `text`.
fn ascii_insensitive(text: &[u8], lit: &[u8], anchor: Anchor) -> bool {
    let n = lit.len();
    match anchor {
        Anchor::Exact => text.eq_ignore_ascii_case(lit),
        Anchor::Prefix => text.len() >= n && text[..n].eq_ignore_ascii_case(lit),
        Anchor::Suffix => text.len() >= n && text[text.len() - n..].eq_ignore_ascii_case(lit),
        Anchor::Contains => {
            let Some((&first, rest)) = lit.split_first() else {
                return true;
            };
            if text.len() < n {
                return false;
            }
            memchr::memchr2_iter(first, first.to_ascii_uppercase(), &text[..=text.len() - n])
                .any(|at| text[at + 1..at + n].eq_ignore_ascii_case(rest))
        }
    }
}

fn compare(op: CompareOp, n: f64, value: f64) -> bool {
    match op {
        CompareOp::Lt => n < value,
        CompareOp::Lte => n <= value,
        CompareOp::Gt => n > value,
        CompareOp::Gte => n >= value,
    }
}

fn refers(mode: RefMode, cased: bool, this: &str, other: &str) -> bool {
    let (this, other) = if cased {
        (this.into(), other.into())
    } else {
        (fold(this), fold(other))
    };
    match mode {
        RefMode::Equals => this == other,
        RefMode::Contains => this.contains(other.as_ref()),
        RefMode::StartsWith => this.starts_with(other.as_ref()),
        RefMode::EndsWith => this.ends_with(other.as_ref()),
    }
}

fn time_of(atom: &Atom, p: &Projection) -> Option<DateTime<Utc>> {
    match atom.kind {
        Kind::Str => parse_timestamp(p.text(atom)),
        Kind::Int(_) | Kind::Float(_) => {
            let n = atom.number(p)?;
            let millis = if n >= 1e11 { n } else { n * 1000.0 };
            Utc.timestamp_millis_opt(millis as i64).single()
        }
        Kind::Bool | Kind::Null => None,
    }
}

fn time_part(t: DateTime<Utc>, part: TimePart) -> i64 {
    i64::from(match part {
        TimePart::Minute => t.minute(),
        TimePart::Hour => t.hour(),
        TimePart::Day => t.day(),
        TimePart::Week => t.iso_week().week(),
        TimePart::Month => t.month(),
        TimePart::Year => return i64::from(t.year()),
    })
}

/// A compiled item: its scope and predicate.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) scope: Scope,
    pub(crate) predicate: Predicate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_comparisons_ignore_case() {
        assert!(ascii_insensitive(
            b"C:\\CMD.EXE",
            b"cmd.exe",
            Anchor::Suffix
        ));
        assert!(ascii_insensitive(b"CMD.EXE /c", b"cmd", Anchor::Prefix));
        assert!(ascii_insensitive(
            b"xxWhoAmIxx",
            b"whoami",
            Anchor::Contains
        ));
        assert!(ascii_insensitive(b"whoami", b"whoami", Anchor::Contains));
        assert!(!ascii_insensitive(b"whoam", b"whoami", Anchor::Contains));
        assert!(!ascii_insensitive(b"WHOAMI", b"whoamx", Anchor::Exact));
        assert!(ascii_insensitive(b"abc", b"", Anchor::Contains));
    }

    #[test]
    fn text_match_shapes() {
        let m = |p: &str| TextMatch::new(&Pattern::parse(p), false);
        assert!(matches!(
            m("abc"),
            TextMatch::Literal {
                anchor: Anchor::Exact,
                ..
            }
        ));
        assert!(matches!(
            m("*abc"),
            TextMatch::Literal {
                anchor: Anchor::Suffix,
                ..
            }
        ));
        assert!(
            matches!(m("ABC*"), TextMatch::Literal { anchor: Anchor::Prefix, ref text } if text == "abc")
        );
        assert!(matches!(
            m("*abc*"),
            TextMatch::Literal {
                anchor: Anchor::Contains,
                ..
            }
        ));
        assert!(matches!(m("**"), TextMatch::Any));
        assert!(matches!(m("a*c"), TextMatch::Glob(_)));
    }
}
