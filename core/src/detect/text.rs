//! Text primitives of matching: case folding and Sigma wildcard patterns.
//!
//! Case-insensitive comparison folds both sides with Unicode lower-casing; ASCII text, by far
//! the most common, takes a byte-wise fast path.

use crate::sigma::{Pattern, PatternPart};
use std::borrow::Cow;

/// `text` lower-cased: borrowed when it has no upper-case letters.
pub(crate) fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        }
    } else {
        let lower = text.to_lowercase();
        if lower == text {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(lower)
        }
    }
}

/// Lower-cases `text` into `out` (cleared first), reusing its allocation.
pub(crate) fn fold_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
    } else {
        out.extend(text.chars().flat_map(char::to_lowercase));
    }
}

/// A wildcard pattern compiled for matching: literal segments between `*`, with `?` kept as
/// single-character holes. Literals are already folded when the pattern is case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Glob {
    /// Segments separated by `*`; each is a sequence of literal text and `?` holes.
    segments: Vec<Vec<Piece>>,
    /// True if the pattern starts with `*`.
    open_start: bool,
    /// True if the pattern ends with `*`.
    open_end: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    AnyOne,
}

impl Glob {
    /// Compiles a pattern; `fold_case` folds its literals for case-insensitive matching.
    pub(crate) fn new(pattern: &Pattern, fold_case: bool) -> Glob {
        let mut segments = vec![Vec::new()];
        let parts = &pattern.parts;
        for part in parts {
            match part {
                PatternPart::AnyChars => segments.push(Vec::new()),
                PatternPart::OneChar => segments
                    .last_mut()
                    .map(|s| s.push(Piece::AnyOne))
                    .unwrap_or_default(),
                PatternPart::Literal(text) => {
                    let text = if fold_case {
                        fold(text).into_owned()
                    } else {
                        text.clone()
                    };
                    if let Some(s) = segments.last_mut() {
                        s.push(Piece::Text(text));
                    }
                }
            }
        }
        Glob {
            open_start: matches!(parts.first(), Some(PatternPart::AnyChars)),
            open_end: matches!(parts.last(), Some(PatternPart::AnyChars)),
            segments: segments.into_iter().filter(|s| !s.is_empty()).collect(),
        }
    }

    /// True if `text` (already folded when the glob is case-insensitive) matches in full.
    pub(crate) fn matches(&self, text: &str) -> bool {
        let n = self.segments.len();
        if n == 0 {
            // Only stars (matches anything) or the empty pattern (matches "").
            return self.open_start || self.open_end || text.is_empty();
        }
        let mut rest = text;
        for (i, segment) in self.segments.iter().enumerate() {
            let first = i == 0;
            let last = i == n - 1;
            let anchored_start = first && !self.open_start;
            let anchored_end = last && !self.open_end;
            let found = if anchored_start && anchored_end {
                match_at(segment, rest).filter(|&len| len == rest.len())
            } else if anchored_start {
                match_at(segment, rest)
            } else if anchored_end {
                match_suffix(segment, rest).map(|_| rest.len())
            } else {
                find(segment, rest).map(|(start, len)| start + len)
            };
            match found {
                Some(end) => rest = &rest[end..],
                None => return false,
            }
        }
        true
    }
}

/// The byte length of `segment` matched at the start of `text`, if it matches there.
fn match_at(segment: &[Piece], text: &str) -> Option<usize> {
    let mut at = 0;
    for piece in segment {
        match piece {
            Piece::Text(t) => {
                if !text[at..].starts_with(t.as_str()) {
                    return None;
                }
                at += t.len();
            }
            Piece::AnyOne => at += text[at..].chars().next()?.len_utf8(),
        }
    }
    Some(at)
}

/// True if `segment` matches a suffix of `text`.
fn match_suffix(segment: &[Piece], text: &str) -> Option<()> {
    let chars_needed: usize = segment
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.chars().count(),
            Piece::AnyOne => 1,
        })
        .sum();
    let start = text
        .char_indices()
        .rev()
        .nth(chars_needed.checked_sub(1)?)
        .map(|(i, _)| i);
    let start = match (start, chars_needed) {
        (Some(i), _) => i,
        (None, 0) => text.len(),
        (None, _) => return None,
    };
    (match_at(segment, &text[start..]) == Some(text.len() - start)).then_some(())
}

/// The leftmost position where `segment` matches inside `text`, and the match length.
fn find(segment: &[Piece], text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while from <= text.len() {
        // A segment that starts with text can only match where that text occurs.
        let start = match segment.first() {
            Some(Piece::Text(t)) => {
                from + memchr::memmem::find(&text.as_bytes()[from..], t.as_bytes())?
            }
            _ => from,
        };
        if let Some(len) = match_at(segment, &text[start..]) {
            return Some((start, len));
        }
        from = start + text[start..].chars().next()?.len_utf8();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(p: &str) -> Glob {
        Glob::new(&Pattern::parse(p), true)
    }

    #[test]
    fn wildcards() {
        assert!(glob("*\\cmd.exe").matches("c:\\windows\\cmd.exe"));
        assert!(!glob("*\\cmd.exe").matches("c:\\windows\\cmd.exe2"));
        assert!(glob(r"c:\\*\temp\\*").matches(r"c:\users\x\temp\a.exe"));
        assert!(glob("a?c").matches("abc"));
        assert!(!glob("a?c").matches("ac"));
        assert!(glob("*a*b*").matches("xxaxxbxx"));
        assert!(!glob("*a*b*").matches("xxbxxaxx"));
        assert!(glob("*").matches(""));
        assert!(glob("").matches(""));
        assert!(!glob("").matches("x"));
        assert!(glob("ab*ab").matches("abab"));
        assert!(!glob("ab*ab").matches("aba"));
        assert!(glob("*?").matches("é"));
        assert!(glob("x*é?").matches("xyzéü"));
        assert!(glob("*ab?d*").matches("zzabxabcdzz"));
        assert!(glob("?*end").matches("1end"));
        assert!(!glob("?*end").matches("end"));
    }

    #[test]
    fn folding() {
        assert_eq!(fold("ABC"), "abc");
        assert!(matches!(fold("abc"), Cow::Borrowed(_)));
        assert_eq!(fold("ÄRGER"), "ärger");
        let mut s = String::new();
        fold_into("MiXé", &mut s);
        assert_eq!(s, "mixé");
    }
}
