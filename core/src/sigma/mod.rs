//! Sigma: parsing rules, filters, correlations and processing pipelines into an AST.
//!
//! Follows the SigmaHQ sigma-specification (rules v2 with the modifiers appendix v2.1, filters,
//! correlations with the metric types of v2.1) and, where the specification is terse, pySigma.
//! The AST ([`ast`]) has modifiers already applied, so the detection compiler
//! (`crate::detect`) only sees what to compare.
//!
//! ```
//! use finmark::sigma::{parse_yaml, Document};
//! let loaded = parse_yaml(
//!     "title: Whoami\nlogsource: {category: process_creation}\n\
//!      detection:\n  selection:\n    Image|endswith: '\\whoami.exe'\n  condition: selection\n",
//!     std::path::Path::new("whoami.yml"),
//! );
//! assert!(loaded.errors.is_empty());
//! let Document::Rule(rule) = &loaded.documents[0] else { unreachable!() };
//! assert_eq!(rule.meta.title, "Whoami");
//! ```
//!
//! Choices where the specification leaves room (each is tested in `tests/sigma_parse.rs`):
//! - `detection.timeframe` (Sigma v1 aggregations) is rejected with a pointer to correlations,
//!   as are the `|` aggregation syntax in conditions and v1 `action: global` collections.
//! - `windash` permutes every occurrence of `-`, `/`, `–`, `—` and `―` (pySigma only those
//!   between a non-word and a word character; rsigma only `-`), at most 6 per value.
//! - `N of` accepts any positive N (pySigma only 1, any and all) and must be satisfiable;
//!   `of` patterns select identifiers in full and skip `_` names unless the pattern starts
//!   with `_`.
//! - Numbers and booleans take string modifiers as the text they are written as; `gt`, `lt`...
//!   need YAML numbers and `exists` YAML booleans.
//! - An empty list of values is rejected (pySigma reads it as null).

pub mod ast;
pub mod builtin_rules;
mod condition;
mod correlation;
mod detection;
mod document;
mod encoding;
mod error;
mod filter;
mod loader;
mod meta;
mod modifiers;
pub mod pipeline;
mod yaml;

pub use ast::*;
pub use pipeline::Pipeline;

pub use error::RuleError;
use std::path::Path;

/// Documents parsed from a file, a directory or a text, and the ones that failed.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The documents that parsed.
    pub documents: Vec<Document>,
    /// One error per document (or file) that did not.
    pub errors: Vec<RuleError>,
}

/// Parses every YAML document of `text`; `file` names it in origins and errors. A document
/// that is not valid YAML or not a valid Sigma rule, correlation or filter is reported in
/// [`Loaded::errors`] (with its line and the construct at fault) and the others are kept.
pub fn parse_yaml(text: &str, file: &Path) -> Loaded {
    document::parse_text(text, file)
}

/// Loads a rule file, or every `.yml`/`.yaml` file under a directory (recursively, sorted by
/// path, hidden directories skipped), parsing files on all available cores.
pub fn load_path(path: &Path) -> Loaded {
    loader::load(&[path])
}

/// Loads several rule files or directories (as [`load_path`] each), parsing all their files
/// together on all available cores; documents come in the order of `paths`.
pub fn load_paths<P: AsRef<Path>>(paths: &[P]) -> Loaded {
    loader::load(paths)
}
