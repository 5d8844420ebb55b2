//! pySigma-compatible processing pipelines: field name mapping and logsource conditions.

/// A processing pipeline: ordered transformations applied to rules before compilation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pipeline {
    /// The pipeline's `name`.
    pub name: String,
    /// Lower priorities apply first.
    pub priority: i64,
}
