//! Field modifiers (`field|mod|mod: values`) applied to values, giving [`Matcher`]s.
//!
//! Modifiers apply in the order written, each to every value (as in pySigma): a value that
//! expands into alternatives (`windash`, `base64offset`) has the following modifiers applied to
//! each alternative. `all` and `neq` apply to the value list as a whole, wherever written.
//! The value encodings live in [`super::encoding`].

use super::ast::{
    CompareOp, FieldItem, Matcher, Pattern, PatternPart, RefMode, Template, TemplatePart, TimePart,
};
use super::encoding::{self, Piece, Text};
use super::yaml::Value;

/// The modifiers of the Sigma specification (and pySigma's long names of the regex flags).
const MODIFIER_NAMES: &str = "all, base64, base64offset, cased, cidr, contains, day, endswith, \
    exists, expand, fieldref, gt, gte, hour, i, lt, lte, m, minute, month, neq, re, s, \
    startswith, utf16, utf16be, utf16le, week, wide, windash, year";

/// One modifier of a field item's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Modifier {
    Contains,
    StartsWith,
    EndsWith,
    All,
    Neq,
    Re,
    ReFlag(ReFlag),
    Cidr,
    Base64,
    Base64Offset,
    Utf16(encoding::Utf16),
    Windash,
    Exists,
    Compare(CompareOp),
    FieldRef,
    Expand,
    Cased,
    Time(TimePart),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReFlag {
    IgnoreCase,
    MultiLine,
    DotAll,
}

impl Modifier {
    fn parse(name: &str) -> Option<Modifier> {
        use encoding::Utf16;
        Some(match name {
            "contains" => Modifier::Contains,
            "startswith" => Modifier::StartsWith,
            "endswith" => Modifier::EndsWith,
            "all" => Modifier::All,
            "neq" => Modifier::Neq,
            "re" => Modifier::Re,
            "i" | "ignorecase" => Modifier::ReFlag(ReFlag::IgnoreCase),
            "m" | "multiline" => Modifier::ReFlag(ReFlag::MultiLine),
            "s" | "dotall" => Modifier::ReFlag(ReFlag::DotAll),
            "cidr" => Modifier::Cidr,
            "base64" => Modifier::Base64,
            "base64offset" => Modifier::Base64Offset,
            "wide" | "utf16le" => Modifier::Utf16(Utf16::Le),
            "utf16be" => Modifier::Utf16(Utf16::Be),
            "utf16" => Modifier::Utf16(Utf16::LeWithBom),
            "windash" => Modifier::Windash,
            "exists" => Modifier::Exists,
            "gt" => Modifier::Compare(CompareOp::Gt),
            "gte" => Modifier::Compare(CompareOp::Gte),
            "lt" => Modifier::Compare(CompareOp::Lt),
            "lte" => Modifier::Compare(CompareOp::Lte),
            "fieldref" => Modifier::FieldRef,
            "expand" => Modifier::Expand,
            "cased" => Modifier::Cased,
            "minute" => Modifier::Time(TimePart::Minute),
            "hour" => Modifier::Time(TimePart::Hour),
            "day" => Modifier::Time(TimePart::Day),
            "week" => Modifier::Time(TimePart::Week),
            "month" => Modifier::Time(TimePart::Month),
            "year" => Modifier::Time(TimePart::Year),
            _ => return None,
        })
    }

    /// Modifiers that only accept a value nothing else has changed yet.
    fn needs_unmodified_value(self) -> bool {
        matches!(
            self,
            Modifier::Re
                | Modifier::Cidr
                | Modifier::Exists
                | Modifier::Compare(_)
                | Modifier::Time(_)
        )
    }
}

/// A value while its modifiers are applied.
#[derive(Debug, Clone)]
enum Val {
    /// A string as written in the rule, wildcards not yet read.
    Raw(String),
    Text(Text),
    /// A number and its text (`4688`, `1.50`).
    Number(f64, String),
    Bool(bool),
    Null,
    Regex {
        pattern: String,
        flags: [bool; 3],
    },
    Cidr(String),
    Compare(CompareOp, f64),
    Exists(bool),
    FieldRef {
        field: String,
        starts: bool,
        ends: bool,
        cased: bool,
    },
    TimePart(TimePart, i64),
    /// Alternatives (`windash`, `base64offset`): any must match.
    AnyOf(Vec<Val>),
}

impl Val {
    fn describe(&self) -> String {
        match self {
            Val::Raw(s) => format!("'{s}'"),
            Val::Text(_) => "a string".into(),
            Val::Number(_, text) => text.clone(),
            Val::Bool(b) => b.to_string(),
            Val::Null => "null".into(),
            Val::Regex { .. } => "a regular expression".into(),
            Val::Cidr(_) => "a network".into(),
            Val::Compare(..) => "a comparison".into(),
            Val::Exists(_) => "an existence test".into(),
            Val::FieldRef { .. } => "a field reference".into(),
            Val::TimePart(..) => "a time part".into(),
            Val::AnyOf(_) => "alternatives".into(),
        }
    }

    /// The value as text with wildcards, for the string modifiers. Numbers and booleans are
    /// read as the text they are written as.
    fn into_text(self, modifier: &str) -> Result<Text, String> {
        match self {
            Val::Raw(s) => Ok(Text::parse(s)),
            Val::Number(_, text) => Ok(Text::parse(text)),
            Val::Bool(b) => Ok(Text::parse(b.to_string())),
            Val::Text(text) => Ok(text),
            other => Err(format!(
                "'{modifier}' applies to strings, not to {}",
                other.describe()
            )),
        }
    }
}

/// Builds a field item from a search map entry: `key` is `field|modifier|...` and `value` one
/// value or a list of values.
pub(crate) fn field_item(key: &str, value: Value) -> Result<FieldItem, String> {
    let mut names = key.split('|');
    let field = names.next().filter(|f| !f.is_empty()).map(str::to_owned);
    let mut modifiers = Vec::new();
    let mut written = Vec::new();
    for name in names {
        if name.is_empty() {
            return Err("empty modifier (two '|' in a row or a trailing '|')".into());
        }
        let modifier = Modifier::parse(name).ok_or_else(|| {
            format!("unknown modifier '{name}' (the modifiers are {MODIFIER_NAMES})")
        })?;
        if matches!(modifier, Modifier::All | Modifier::Neq) && modifiers.contains(&modifier) {
            return Err(format!("modifier '{name}' is given twice"));
        }
        modifiers.push(modifier);
        written.push(name.to_owned());
    }
    let values = values_of(value)?;
    let item = apply(field.is_some(), &modifiers, &written, values)?;
    Ok(FieldItem {
        field,
        modifiers: written,
        matchers: item.0,
        all: item.1,
    })
}

/// The matchers of keyword values (a search that is a list of values, or one value).
pub(crate) fn keywords(value: Value) -> Result<Vec<Matcher>, String> {
    Ok(apply(false, &[], &[], values_of(value)?)?.0)
}

/// The list of values of an item: one value, or each value of a list.
fn values_of(value: Value) -> Result<Vec<Val>, String> {
    match value {
        Value::Seq(items) if items.is_empty() => Err(
            "an empty list of values matches nothing; write null to match a missing field".into(),
        ),
        Value::Seq(items) => items.into_iter().map(|n| scalar(n.value)).collect(),
        other => Ok(vec![scalar(other)?]),
    }
}

fn scalar(value: Value) -> Result<Val, String> {
    Ok(match value {
        Value::Str(s) => Val::Raw(s),
        Value::Int(i) => Val::Number(i as f64, i.to_string()),
        Value::Float(text) => Val::Number(parse_float(&text), text),
        Value::Bool(b) => Val::Bool(b),
        Value::Null => Val::Null,
        Value::Seq(_) => return Err("a list of values must not contain another list".into()),
        Value::Map(_) => {
            return Err("a value must be a string, number, boolean or null, not a map".into());
        }
    })
}

fn parse_float(text: &str) -> f64 {
    let unsigned = text.trim_start_matches(['+', '-']);
    let magnitude = match unsigned {
        ".inf" | ".Inf" | ".INF" => f64::INFINITY,
        ".nan" | ".NaN" | ".NAN" => f64::NAN,
        _ => unsigned.parse().unwrap_or(f64::NAN),
    };
    if text.starts_with('-') {
        -magnitude
    } else {
        magnitude
    }
}

/// Applies the modifiers to every value; returns the matchers and whether all must match.
fn apply(
    has_field: bool,
    modifiers: &[Modifier],
    written: &[String],
    mut values: Vec<Val>,
) -> Result<(Vec<Matcher>, bool), String> {
    let mut value_modifiers = 0;
    for (&modifier, name) in modifiers.iter().zip(written) {
        if matches!(modifier, Modifier::All | Modifier::Neq) {
            continue;
        }
        if modifier.needs_unmodified_value() && value_modifiers > 0 {
            let before = &written[..modifiers.iter().position(|m| *m == modifier).unwrap_or(0)];
            return Err(format!(
                "'{name}' must come first: it reads the value as written, but {} changes it before",
                before
                    .iter()
                    .filter(|n| !matches!(n.as_str(), "all" | "neq"))
                    .map(|n| format!("'{n}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if modifier == Modifier::Exists && !has_field {
            return Err("'exists' needs a field".into());
        }
        values = values
            .into_iter()
            .map(|v| apply_one(modifier, name, v))
            .collect::<Result<_, _>>()?;
        value_modifiers += 1;
    }
    let all = modifiers.contains(&Modifier::All);
    let neq = modifiers.contains(&Modifier::Neq);
    let mut alternatives = Vec::with_capacity(values.len());
    for value in values {
        let mut matchers = Vec::new();
        finish(value, &mut matchers)?;
        dedup(&mut matchers);
        if !has_field {
            if let Some(m) = matchers.iter().find(|m| !is_keyword_matcher(m)) {
                return Err(format!(
                    "{} needs a field: a keyword matches text in any field",
                    matcher_kind(m)
                ));
            }
            if neq {
                return Err("'neq' needs a field".into());
            }
        }
        alternatives.push(matchers);
    }
    Ok(link(alternatives, all, neq))
}

/// Links the values' alternatives: OR by default, AND with `all`, negated with `neq`
/// (`neq` is "different from every value": NOT(a OR b) = NOT a AND NOT b).
fn link(alternatives: Vec<Vec<Matcher>>, all: bool, neq: bool) -> (Vec<Matcher>, bool) {
    let any_of = |mut alts: Vec<Matcher>| {
        if alts.len() == 1 {
            alts.pop().expect("one alternative")
        } else {
            Matcher::AnyOf(alts)
        }
    };
    let not = |m: Matcher| Matcher::Not(Box::new(m));
    match (all, neq) {
        (false, false) => (alternatives.into_iter().flatten().collect(), false),
        (true, false) => (alternatives.into_iter().map(any_of).collect(), true),
        (false, true) => (alternatives.into_iter().flatten().map(not).collect(), true),
        (true, true) => (
            alternatives.into_iter().map(|a| not(any_of(a))).collect(),
            false,
        ),
    }
}

fn is_keyword_matcher(m: &Matcher) -> bool {
    match m {
        Matcher::Pattern { .. } | Matcher::Regex { .. } | Matcher::Placeholder(_) => true,
        Matcher::AnyOf(alts) => alts.iter().all(is_keyword_matcher),
        _ => false,
    }
}

fn matcher_kind(m: &Matcher) -> &'static str {
    match m {
        Matcher::Null => "null",
        Matcher::Exists(_) => "'exists'",
        Matcher::FieldRef { .. } => "'fieldref'",
        Matcher::Cidr(_) => "'cidr'",
        Matcher::Compare { .. } => "a comparison (gt, gte, lt, lte)",
        Matcher::TimePart { .. } => "a time modifier",
        _ => "this value",
    }
}

fn dedup(matchers: &mut Vec<Matcher>) {
    let mut unique: Vec<Matcher> = Vec::with_capacity(matchers.len());
    for m in matchers.drain(..) {
        if !unique.contains(&m) {
            unique.push(m);
        }
    }
    *matchers = unique;
}

/// Applies one value modifier to one value.
fn apply_one(modifier: Modifier, name: &str, value: Val) -> Result<Val, String> {
    if let Val::AnyOf(alternatives) = value {
        return alternatives
            .into_iter()
            .map(|v| apply_one(modifier, name, v))
            .collect::<Result<_, _>>()
            .map(Val::AnyOf);
    }
    if matches!(value, Val::Null) {
        return Err(format!("'{name}' cannot apply to null"));
    }
    match modifier {
        Modifier::Contains => wildcards(value, name, true, true),
        Modifier::StartsWith => wildcards(value, name, false, true),
        Modifier::EndsWith => wildcards(value, name, true, false),
        Modifier::Re => match value {
            Val::Raw(pattern) | Val::Number(_, pattern) => Ok(Val::Regex {
                pattern,
                flags: [false; 3],
            }),
            other => Err(format!("'re' needs a string, not {}", other.describe())),
        },
        Modifier::ReFlag(flag) => match value {
            Val::Regex { pattern, mut flags } => {
                flags[flag as usize] = true;
                Ok(Val::Regex { pattern, flags })
            }
            _ => Err(format!("'{name}' is a flag of 're' and must follow it")),
        },
        Modifier::Cidr => match value {
            Val::Raw(text) => encoding::network(&text).map(Val::Cidr),
            other => Err(format!("'cidr' needs a network, not {}", other.describe())),
        },
        Modifier::Base64 | Modifier::Base64Offset => {
            let text = value.into_text(name)?;
            let bytes = text.plain_bytes().ok_or_else(|| {
                format!("'{name}' cannot encode wildcards or placeholders; apply 'contains', 'startswith' or 'endswith' after it")
            })?;
            if modifier == Modifier::Base64 {
                Ok(Val::Text(text.with_literal(encoding::base64(&bytes))))
            } else {
                let variants = encoding::base64_offsets(&bytes);
                if variants.is_empty() {
                    return Err(format!("'{name}' needs a longer value"));
                }
                Ok(Val::AnyOf(
                    variants
                        .into_iter()
                        .map(|v| Val::Text(text.with_literal(v)))
                        .collect(),
                ))
            }
        }
        Modifier::Utf16(kind) => Ok(Val::Text(value.into_text(name)?.utf16(kind, name)?)),
        Modifier::Windash => Ok(Val::AnyOf(
            value
                .into_text(name)?
                .windash()?
                .into_iter()
                .map(Val::Text)
                .collect(),
        )),
        Modifier::Exists => match value {
            Val::Bool(b) => Ok(Val::Exists(b)),
            other => Err(format!("'exists' needs true or false, not {}", other.describe())),
        },
        Modifier::Compare(op) => match value {
            Val::Number(n, _) if !n.is_nan() => Ok(Val::Compare(op, n)),
            other => Err(format!("'{name}' needs a number, not {}", other.describe())),
        },
        Modifier::Time(part) => time_part(part, name, value),
        Modifier::FieldRef => {
            let text = value.into_text(name)?;
            let cased = text.cased;
            match text.plain_bytes().map(String::from_utf8) {
                Some(Ok(field)) if !field.is_empty() => Ok(Val::FieldRef {
                    field,
                    starts: false,
                    ends: false,
                    cased,
                }),
                _ => Err("'fieldref' needs a field name without wildcards".into()),
            }
        }
        Modifier::Expand => match value {
            Val::Regex { .. } => Err("'expand' is not supported with 're'".into()),
            other => Ok(Val::Text(other.into_text(name)?.insert_placeholders()?)),
        },
        Modifier::Cased => match value {
            Val::FieldRef {
                field, starts, ends, ..
            } => Ok(Val::FieldRef {
                field,
                starts,
                ends,
                cased: true,
            }),
            Val::Regex { .. } => Err(
                "'cased' applies to plain values; a regular expression is case-sensitive unless 'i' is given"
                    .into(),
            ),
            other => {
                let mut text = other.into_text(name)?;
                text.cased = true;
                Ok(Val::Text(text))
            }
        },
        Modifier::All | Modifier::Neq => unreachable!("list modifiers are not applied per value"),
    }
}

/// `contains` (both ends), `startswith` (`*` after) and `endswith` (`*` before).
fn wildcards(value: Val, name: &str, before: bool, after: bool) -> Result<Val, String> {
    match value {
        Val::Regex { pattern, flags } => Ok(Val::Regex {
            pattern: encoding::regex_wildcards(&pattern, before, after),
            flags,
        }),
        Val::FieldRef {
            field,
            starts,
            ends,
            cased,
        } => Ok(Val::FieldRef {
            field,
            starts: starts || after,
            ends: ends || before,
            cased,
        }),
        other => {
            let mut text = other.into_text(name)?;
            if before && !matches!(text.parts.first(), Some(Piece::AnyChars)) {
                text.parts.insert(0, Piece::AnyChars);
            }
            if after && !matches!(text.parts.last(), Some(Piece::AnyChars)) {
                text.parts.push(Piece::AnyChars);
            }
            Ok(Val::Text(text))
        }
    }
}

fn time_part(part: TimePart, name: &str, value: Val) -> Result<Val, String> {
    let Val::Number(n, text) = value else {
        return Err(format!(
            "'{name}' needs a whole number, not {}",
            value.describe()
        ));
    };
    let range = match part {
        TimePart::Minute => 0..=59,
        TimePart::Hour => 0..=23,
        TimePart::Day => 1..=31,
        TimePart::Week => 1..=53,
        TimePart::Month => 1..=12,
        TimePart::Year => 0..=9999,
    };
    if n.fract() != 0.0 || !range.contains(&(n as i64)) {
        return Err(format!(
            "'{name}' needs a whole number from {} to {}, not {text}",
            range.start(),
            range.end()
        ));
    }
    Ok(Val::TimePart(part, n as i64))
}

/// Turns a fully modified value into its matchers (several for alternatives).
fn finish(value: Val, out: &mut Vec<Matcher>) -> Result<(), String> {
    let matcher = match value {
        Val::AnyOf(alternatives) => {
            for alternative in alternatives {
                finish(alternative, out)?;
            }
            return Ok(());
        }
        Val::Raw(s) if s.is_empty() || s.contains(['*', '?', '\\']) => Matcher::Pattern {
            pattern: Pattern::parse(&s),
            cased: false,
        },
        Val::Raw(s) => Matcher::Pattern {
            pattern: Pattern::literal(s),
            cased: false,
        },
        Val::Number(_, text) => Matcher::Pattern {
            pattern: Pattern::literal(text),
            cased: false,
        },
        Val::Bool(b) => Matcher::Pattern {
            pattern: Pattern::literal(b.to_string()),
            cased: false,
        },
        Val::Text(text) => text_matcher(text)?,
        Val::Null => Matcher::Null,
        Val::Regex { pattern, flags } => {
            encoding::check_regex(&pattern, flags)?;
            Matcher::Regex {
                pattern,
                case_insensitive: flags[ReFlag::IgnoreCase as usize],
                multi_line: flags[ReFlag::MultiLine as usize],
                dot_matches_new_line: flags[ReFlag::DotAll as usize],
            }
        }
        Val::Cidr(network) => Matcher::Cidr(network),
        Val::Compare(op, value) => Matcher::Compare { op, value },
        Val::Exists(b) => Matcher::Exists(b),
        Val::FieldRef {
            field,
            starts,
            ends,
            cased,
        } => Matcher::FieldRef {
            field,
            mode: match (starts, ends) {
                (false, false) => RefMode::Equals,
                (true, false) => RefMode::StartsWith,
                (false, true) => RefMode::EndsWith,
                (true, true) => RefMode::Contains,
            },
            cased,
        },
        Val::TimePart(part, value) => Matcher::TimePart { part, value },
    };
    out.push(matcher);
    Ok(())
}

/// A text value as a pattern, or as a template when it has placeholders.
fn text_matcher(text: Text) -> Result<Matcher, String> {
    let cased = text.cased;
    let mut pattern = Pattern::default();
    let mut template = Template {
        parts: Vec::new(),
        cased,
    };
    for piece in text.into_text_pieces()? {
        match piece {
            encoding::TextPiece::Literal(s) => pattern.push(PatternPart::Literal(s)),
            encoding::TextPiece::AnyChars => pattern.push(PatternPart::AnyChars),
            encoding::TextPiece::OneChar => pattern.push(PatternPart::OneChar),
            encoding::TextPiece::Placeholder(name) => {
                if !pattern.parts.is_empty() {
                    template
                        .parts
                        .push(TemplatePart::Pattern(std::mem::take(&mut pattern)));
                }
                template.parts.push(TemplatePart::Placeholder(name));
            }
        }
    }
    if template.parts.is_empty() {
        return Ok(Matcher::Pattern { pattern, cased });
    }
    if !pattern.parts.is_empty() {
        template.parts.push(TemplatePart::Pattern(pattern));
    }
    Ok(Matcher::Placeholder(template))
}
