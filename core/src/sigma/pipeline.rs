//! pySigma-compatible processing pipelines: field name mapping and logsource conditions.

/// A processing pipeline: ordered transformations applied to rules before compilation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pipeline {
    /// The pipeline's `name`.
    pub name: String,
    /// Lower priorities apply first.
    pub priority: i64,
}

impl Pipeline {
    /// A builtin pipeline by name, or a pipeline YAML file at that path.
    pub fn named_or_file(spec: &str) -> crate::Result<Pipeline> {
        Err(crate::Error::invalid_rule(format!(
            "pipeline '{spec}': pipelines are not built yet"
        )))
    }
}

impl Pipeline {
    /// Applies the pipeline's transformations to a document.
    pub fn apply(&self, doc: &mut crate::sigma::Document) -> crate::Result<()> {
        let _ = doc;
        Ok(())
    }
}
