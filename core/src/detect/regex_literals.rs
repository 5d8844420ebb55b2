//! The literals a regular expression cannot match without, so that regex items can feed the
//! literal prefilter instead of running on every event that has their field.

use regex_syntax::ParserBuilder;
use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// Literals shorter than this are too common to be worth a prefilter entry.
const MIN_LEN: usize = 3;
/// More alternatives than this make a poor trigger.
const MAX_LITERALS: usize = 32;

/// Lower-cased literals one of which every match of the regex starts with, or `None` when
/// the regex has no such short, finite set of literals of at least [`MIN_LEN`] bytes.
pub(crate) fn required_prefixes(
    pattern: &str,
    case_insensitive: bool,
    multi_line: bool,
    dot_matches_new_line: bool,
) -> Option<Vec<String>> {
    let hir = ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .multi_line(multi_line)
        .dot_matches_new_line(dot_matches_new_line)
        .build()
        .parse(pattern)
        .ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let mut literals: Vec<String> = Vec::new();
    for literal in seq.literals()? {
        let text = std::str::from_utf8(literal.as_bytes()).ok()?;
        if text.len() < MIN_LEN {
            return None;
        }
        let folded = text.to_lowercase();
        if !literals.contains(&folded) {
            literals.push(folded);
        }
    }
    (!literals.is_empty() && literals.len() <= MAX_LITERALS).then_some(literals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_prefixes() {
        assert_eq!(
            required_prefixes("invoke-(expression|webrequest)", false, false, false).unwrap(),
            vec!["invoke-expression", "invoke-webrequest"]
        );
        // Case variants collapse into one folded literal (or a shorter common prefix).
        let folded =
            required_prefixes("(?i)invoke-(expression|webrequest)", false, false, false).unwrap();
        assert!(
            folded.iter().all(|l| l.starts_with("invoke-")),
            "{folded:?}"
        );
        let ci = required_prefixes("mimikatz", true, false, false).unwrap();
        assert!(
            ci.len() == 1 && "mimikatz".starts_with(ci[0].as_str()) && ci[0].len() >= MIN_LEN,
            "{ci:?}"
        );
        assert!(required_prefixes(".*foo", false, false, false).is_none());
        assert!(required_prefixes("[a-z]+x", false, false, false).is_none());
        assert!(required_prefixes("ab", false, false, false).is_none());
        assert!(required_prefixes("(", false, false, false).is_none());
    }
}
