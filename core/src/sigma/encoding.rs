//! Value transformations behind the string modifiers: UTF-16 and Base64 encodings, `windash`
//! permutations, `expand` placeholders, `cidr` networks and `re` checks.
//!
//! While modifiers apply, a value is [`Text`]: bytes and wildcards, so that an encoding's
//! output (`wide` gives NUL bytes, `utf16` a byte order mark) can be encoded again by
//! `base64`. A value must be valid UTF-8 text once every modifier has applied.

use super::ast::{Pattern, PatternPart};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ipnet::IpNet;
use std::net::IpAddr;

/// The dash characters `windash` permutes: hyphen-minus, slash, en dash, em dash, horizontal bar.
pub(crate) const DASHES: [char; 5] = ['-', '/', '\u{2013}', '\u{2014}', '\u{2015}'];

/// At most this many dashes in one `windash` value (5^6 = 15,625 permutations).
const MAX_DASHES: usize = 6;

/// The UTF-16 byte order mark as `utf16` writes it (little endian).
const BOM: [u8; 2] = [0xFF, 0xFE];

/// One piece of a [`Text`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    /// Literal bytes (UTF-8 text until an encoding modifier applies).
    Bytes(Vec<u8>),
    /// `*`.
    AnyChars,
    /// `?`.
    OneChar,
    /// `%name%` (`expand`).
    Placeholder(String),
}

/// A string value while its modifiers apply.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Text {
    /// The pieces, in order.
    pub parts: Vec<Piece>,
    /// `cased` was applied.
    pub cased: bool,
    /// The UTF-16 encoding applied to the literals, if any (`utf16` also wrote a byte order
    /// mark first).
    utf16: Option<Utf16>,
}

/// The UTF-16 encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Utf16 {
    /// `utf16le` and its alias `wide`.
    Le,
    /// `utf16be`.
    Be,
    /// `utf16`: little endian after a byte order mark.
    LeWithBom,
}

/// A piece of the final text of a value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TextPiece {
    Literal(String),
    AnyChars,
    OneChar,
    Placeholder(String),
}

impl Text {
    /// Reads a Sigma string: `*` and `?` are wildcards, backslash escapes them (as
    /// [`Pattern::parse`]).
    pub fn parse(text: String) -> Text {
        if !text.contains(['*', '?', '\\']) {
            return Text {
                parts: vec![Piece::Bytes(text.into_bytes())],
                cased: false,
                utf16: None,
            };
        }
        let parts = Pattern::parse(&text)
            .parts
            .into_iter()
            .map(|part| match part {
                PatternPart::Literal(s) => Piece::Bytes(s.into_bytes()),
                PatternPart::AnyChars => Piece::AnyChars,
                PatternPart::OneChar => Piece::OneChar,
            })
            .collect();
        Text {
            parts,
            cased: false,
            utf16: None,
        }
    }

    /// The bytes of a value without wildcards or placeholders.
    pub fn plain_bytes(&self) -> Option<Vec<u8>> {
        let mut bytes = Vec::new();
        for part in &self.parts {
            match part {
                Piece::Bytes(b) => bytes.extend_from_slice(b),
                _ => return None,
            }
        }
        Some(bytes)
    }

    /// A text of `literal` only, keeping this text's `cased`.
    pub fn with_literal(&self, literal: String) -> Text {
        Text {
            parts: vec![Piece::Bytes(literal.into_bytes())],
            cased: self.cased,
            utf16: None,
        }
    }

    /// Encodes every literal as UTF-16 (`wide`, `utf16le`, `utf16be`, `utf16`); wildcards and
    /// placeholders stay as they are.
    pub fn utf16(mut self, kind: Utf16, name: &str) -> Result<Text, String> {
        if self.utf16.is_some() {
            return Err(format!("'{name}': the value is already UTF-16"));
        }
        for part in &mut self.parts {
            if let Piece::Bytes(bytes) = part {
                let text = std::str::from_utf8(bytes)
                    .map_err(|_| format!("'{name}' needs text, not encoded bytes"))?;
                let mut encoded = Vec::with_capacity(bytes.len() * 2);
                for unit in text.encode_utf16() {
                    match kind {
                        Utf16::Be => encoded.extend_from_slice(&unit.to_be_bytes()),
                        Utf16::Le | Utf16::LeWithBom => {
                            encoded.extend_from_slice(&unit.to_le_bytes())
                        }
                    }
                }
                *bytes = encoded;
            }
        }
        if kind == Utf16::LeWithBom {
            self.parts.insert(0, Piece::Bytes(BOM.to_vec()));
        }
        self.utf16 = Some(kind);
        Ok(self)
    }

    /// Every permutation of the dash characters ([`DASHES`]) at each position where the value
    /// has one of them (`windash`).
    pub fn windash(self) -> Result<Vec<Text>, String> {
        if self.utf16.is_some() {
            return Err("'windash' must come before the encoding modifiers".into());
        }
        let mut variants: Vec<Vec<Piece>> = vec![Vec::new()];
        let mut dashes = 0;
        for part in self.parts {
            let Piece::Bytes(bytes) = part else {
                variants.iter_mut().for_each(|v| v.push(part.clone()));
                continue;
            };
            let text = String::from_utf8(bytes)
                .map_err(|_| "'windash' must come before the encoding modifiers".to_string())?;
            let mut run_start = 0;
            for (at, c) in text.char_indices() {
                if !DASHES.contains(&c) {
                    continue;
                }
                dashes += 1;
                if dashes > MAX_DASHES {
                    return Err(format!(
                        "'windash' permutes at most {MAX_DASHES} dashes in one value"
                    ));
                }
                let run = &text[run_start..at];
                variants = variants
                    .into_iter()
                    .flat_map(|variant| {
                        DASHES.iter().map(move |dash| {
                            let mut next = variant.clone();
                            push_str(&mut next, run);
                            push_str(&mut next, dash.encode_utf8(&mut [0; 4]));
                            next
                        })
                    })
                    .collect();
                run_start = at + c.len_utf8();
            }
            let rest = &text[run_start..];
            variants.iter_mut().for_each(|v| push_str(v, rest));
        }
        Ok(variants
            .into_iter()
            .map(|parts| Text {
                parts,
                cased: self.cased,
                utf16: None,
            })
            .collect())
    }

    /// Replaces `%name%` (a name of letters, digits and `_`) with placeholders; `\%` is a
    /// plain percent sign (`expand`).
    pub fn insert_placeholders(mut self) -> Result<Text, String> {
        if self.utf16.is_some() {
            return Err("'expand' must come before the encoding modifiers".into());
        }
        let mut parts = Vec::with_capacity(self.parts.len());
        for part in self.parts {
            let Piece::Bytes(bytes) = part else {
                parts.push(part);
                continue;
            };
            let text = String::from_utf8(bytes)
                .map_err(|_| "'expand' must come before the encoding modifiers".to_string())?;
            let mut rest = text.as_str();
            while let Some((before, name, after)) = next_placeholder(rest) {
                push_str(&mut parts, &before.replace("\\%", "%"));
                parts.push(Piece::Placeholder(name.to_owned()));
                rest = after;
            }
            push_str(&mut parts, &rest.replace("\\%", "%"));
        }
        self.parts = parts;
        Ok(self)
    }

    /// The final text pieces; fails if the bytes are not UTF-8 text.
    pub fn into_text_pieces(self) -> Result<Vec<TextPiece>, String> {
        let mut pieces = Vec::with_capacity(self.parts.len());
        for (index, part) in self.parts.into_iter().enumerate() {
            pieces.push(match part {
                Piece::Bytes(mut bytes) => {
                    if index == 0 && self.utf16 == Some(Utf16::LeWithBom) && bytes.starts_with(&BOM)
                    {
                        // As pySigma: outside of base64, the byte order mark is U+FEFF.
                        bytes.splice(..2, "\u{feff}".bytes());
                    }
                    TextPiece::Literal(String::from_utf8(bytes).map_err(|_| {
                        "the UTF-16 encoding of this value is not valid text; \
                         apply 'base64' or 'base64offset' after the encoding modifier"
                            .to_string()
                    })?)
                }
                Piece::AnyChars => TextPiece::AnyChars,
                Piece::OneChar => TextPiece::OneChar,
                Piece::Placeholder(name) => TextPiece::Placeholder(name),
            });
        }
        Ok(pieces)
    }
}

/// Appends text to the last literal piece, or as a new one.
fn push_str(parts: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(Piece::Bytes(bytes)) => bytes.extend_from_slice(text.as_bytes()),
        _ => parts.push(Piece::Bytes(text.as_bytes().to_vec())),
    }
}

/// Finds the next `%name%` not preceded by a backslash: (text before, name, text after).
fn next_placeholder(text: &str) -> Option<(&str, &str, &str)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = text[from..].find('%') {
        let open = from + offset;
        from = open + 1;
        if open > 0 && bytes[open - 1] == b'\\' {
            continue;
        }
        let name_len = text[open + 1..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(text.len() - open - 1);
        let close = open + 1 + name_len;
        if name_len > 0 && bytes.get(close) == Some(&b'%') {
            return Some((&text[..open], &text[open + 1..close], &text[close + 1..]));
        }
    }
    None
}

/// Standard Base64 with padding (`base64`).
pub(crate) fn base64(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

/// The three Base64 forms of `bytes` at offsets 0, 1 and 2 of an encoded stream, without the
/// characters that depend on the neighbouring bytes (`base64offset`, as pySigma computes
/// them). Empty forms (of one-byte values) are left out.
pub(crate) fn base64_offsets(bytes: &[u8]) -> Vec<String> {
    const STARTS: [usize; 3] = [0, 2, 3];
    const END_CUTS: [usize; 3] = [0, 3, 2];
    (0..3)
        .filter_map(|shift| {
            let mut shifted = vec![b' '; shift];
            shifted.extend_from_slice(bytes);
            let encoded = BASE64.encode(&shifted);
            let end = encoded.len() - END_CUTS[(bytes.len() + shift) % 3];
            (STARTS[shift] < end).then(|| encoded[STARTS[shift]..end].to_owned())
        })
        .collect()
}

/// Checks a `cidr` value and writes it in canonical form (`10.0.0.0/8`; a single address
/// becomes a /32 or /128 network).
pub(crate) fn network(text: &str) -> Result<String, String> {
    let net = match text.trim().parse::<IpNet>() {
        Ok(net) => net,
        Err(_) => match text.trim().parse::<IpAddr>() {
            Ok(addr) => IpNet::from(addr),
            Err(_) => {
                return Err(format!(
                    "'{text}' is not an IPv4 or IPv6 network (for example 10.0.0.0/8 or fe80::/10)"
                ));
            }
        },
    };
    if net.trunc() != net {
        return Err(format!(
            "'{text}' has host bits set: the network is {}",
            net.trunc()
        ));
    }
    Ok(net.to_string())
}

/// Adds `.*` around a regular expression as pySigma does for `re|contains`, `re|startswith`
/// and `re|endswith`: a top-level alternation is grouped first, and nothing is added where the
/// expression is already anchored or open.
pub(crate) fn regex_wildcards(pattern: &str, before: bool, after: bool) -> String {
    let mut pattern = if has_top_level_alternation(pattern) {
        format!("(?:{pattern})")
    } else {
        pattern.to_owned()
    };
    let open_end = !ends_with_unescaped(&pattern, ".*") && !ends_with_unescaped(&pattern, "$");
    if before && !pattern.starts_with(".*") && !pattern.starts_with('^') {
        pattern.insert_str(0, ".*");
    }
    if after && open_end {
        pattern.push_str(".*");
    }
    pattern
}

fn has_top_level_alternation(pattern: &str) -> bool {
    let bytes = pattern.as_bytes();
    let (mut depth, mut in_class, mut i) = (0i32, false, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b']' if in_class => in_class = false,
            _ if in_class => {}
            b'[' => {
                in_class = true;
                if bytes.get(i + 1) == Some(&b'^') {
                    i += 1;
                }
                if bytes.get(i + 1) == Some(&b']') {
                    i += 1;
                }
            }
            b'(' => depth += 1,
            b')' => depth -= 1,
            b'|' if depth == 0 => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

fn ends_with_unescaped(pattern: &str, suffix: &str) -> bool {
    pattern
        .strip_suffix(suffix)
        .is_some_and(|head| head.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 0)
}

/// Checks that a `re` value is a regular expression the `regex` crate accepts with its flags
/// (`i`, `m`, `s`). Only the syntax is checked (parsed and translated, which rejects
/// look-around and back-references); building the matcher is the compiler's job.
pub(crate) fn check_regex(pattern: &str, flags: [bool; 3]) -> Result<(), String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(flags[0])
        .multi_line(flags[1])
        .dot_matches_new_line(flags[2])
        .build()
        .parse(pattern)
        .map(drop)
        .map_err(|e| {
            let detail = e.to_string();
            let reason = detail
                .lines()
                .last()
                .unwrap_or("")
                .trim_start_matches("error: ");
            format!("regular expression '{pattern}' is not supported: {reason}")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_offsets_match_pysigma() {
        // pySigma's own test: base64offset of 'foobar'.
        assert_eq!(
            base64_offsets(b"foobar"),
            ["Zm9vYmFy", "Zvb2Jhc", "mb29iYX"]
        );
        assert_eq!(base64_offsets(b"http"), ["aHR0c", "h0dH", "odHRw"]);
        assert_eq!(base64_offsets(b"a"), ["Y", "h"]);
        assert_eq!(base64(b"cmd"), "Y21k");
    }

    #[test]
    fn placeholders() {
        let text = Text::parse(r"\%plain%name%x".into())
            .insert_placeholders()
            .unwrap();
        assert_eq!(
            text.parts,
            vec![
                Piece::Bytes(b"%plain".to_vec()),
                Piece::Placeholder("name".into()),
                Piece::Bytes(b"x".to_vec())
            ]
        );
        assert_eq!(next_placeholder("%a b%c%"), Some(("%a b", "c", "")));
        assert_eq!(next_placeholder("100%"), None);
    }

    #[test]
    fn regex_wildcards_follow_pysigma() {
        assert_eq!(regex_wildcards("a|b", true, true), ".*(?:a|b).*");
        assert_eq!(regex_wildcards("^abc", true, true), "^abc.*");
        assert_eq!(regex_wildcards("abc$", true, true), ".*abc$");
        assert_eq!(regex_wildcards(r"abc\$", false, true), r"abc\$.*");
        assert_eq!(regex_wildcards("[|]x", true, false), ".*[|]x");
    }

    #[test]
    fn networks() {
        assert_eq!(network("10.0.0.0/8").unwrap(), "10.0.0.0/8");
        assert_eq!(network("::1").unwrap(), "::1/128");
        assert!(network("10.0.0.1/8").unwrap_err().contains("host bits"));
        assert!(network("10.0.0/8").is_err());
    }
}
