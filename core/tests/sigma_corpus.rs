//! Every document of the SigmaHQ corpus (`../shared/sigma/rules*`) parses.
//!
//! The corpus is read in place from the shared data directory next to the project root.

use finmark::sigma::{Condition, Document, load_path};
use std::path::{Path, PathBuf};

fn corpus_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/sigma");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("rules"))
        })
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_corpus_document_parses() {
    let dirs = corpus_dirs();
    assert!(dirs.len() >= 5, "{dirs:?}");
    let mut documents = Vec::new();
    let mut errors = Vec::new();
    for dir in &dirs {
        let loaded = load_path(dir);
        documents.extend(loaded.documents);
        errors.extend(loaded.errors);
    }
    let report: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "{} of {} documents rejected:\n{}",
        report.len(),
        report.len() + documents.len(),
        report.join("\n")
    );
    assert!(documents.len() > 3700, "only {} documents", documents.len());
    for document in &documents {
        let Document::Rule(rule) = document else {
            panic!("{}: the corpus holds rules only", document.meta().origin);
        };
        let meta = &rule.meta;
        assert!(meta.id.is_some(), "{}: SigmaHQ rules have ids", meta.origin);
        assert!(
            meta.level.is_some(),
            "{}: SigmaHQ rules have levels",
            meta.origin
        );
        assert_ne!(
            rule.detection.condition,
            Condition::Never,
            "{}",
            meta.origin
        );
    }
}
