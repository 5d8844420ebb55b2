//! The rule of the house, stated once: every arrow between core's modules points down.
//!
//! [`LAYERS`] orders the modules of `core/src` from the bottom up. A module may use what is
//! below it and nothing above it; the test reads every source file and fails on a
//! `crate::<module>` path (in code, not in comments; a crate-root re-export such as
//! `crate::ErrorKind` counts as the module it comes from) that points up or sideways, and on
//! a module missing from the table. ARCHITECTURE.md explains the layers.

use std::path::{Path, PathBuf};

/// The modules of `core/src`, lowest first.
const LAYERS: &[&str] = &[
    // Plain vocabulary every module may use.
    "error",
    "arguments",
    // The data: events, rules as written, and what a detection reports.
    "event",
    "sim",
    "sigma",
    "detection",
    // Pure computations over batches.
    "detect",
    "correlate",
    "metrics",
    "access",
    "alert",
    "audit",
    "forecast",
    // Persistence of the models below it.
    "storage",
    // The stages over storage, and the one type that wires everything.
    "ingest",
    "engine",
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|m| *m == module)
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `core/src` belongs to (`lib.rs` belongs to none).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then(|| name.to_string())
}

/// The modules a line of code names as `crate::<module>`.
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or_default();
    code.match_indices("crate::")
        .filter(|(at, _)| {
            // `crate::` itself, not the end of a longer identifier (`my_crate::`).
            !code[..*at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .map(|(at, _)| {
            code[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// The names `lib.rs` re-exports (`pub use engine::{Engine, ...};`), each with its module.
fn root_reexports(lib: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(lib).unwrap();
    let mut names = Vec::new();
    for line in text.lines() {
        let Some(path) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let path = path.trim_end_matches(';');
        let Some((module, rest)) = path.split_once("::") else {
            continue;
        };
        let items = rest.rsplit("::").next().unwrap_or(rest);
        let items = items.trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            let item = item.trim();
            if !item.is_empty() {
                names.push((item.to_string(), module.to_string()));
            }
        }
    }
    names
}

#[test]
fn every_arrow_between_core_modules_points_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let reexports = root_reexports(&src.join("lib.rs"));
    let mut wrong = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(own) = rank(&module) else {
            wrong.push(format!(
                "{}: module '{module}' is not in LAYERS (core/tests/architecture.rs): give it \
                 its place",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for used in crate_paths(line) {
                if used == module {
                    continue;
                }
                // A crate-root re-export stands for the module it comes from.
                let used = reexports
                    .iter()
                    .find(|(name, _)| *name == used)
                    .map_or(used.clone(), |(_, from)| from.clone());
                if used == module {
                    continue;
                }
                match rank(&used) {
                    Some(r) if r < own => {}
                    _ => wrong.push(format!(
                        "{}:{}: '{module}' uses crate::{used}, which is not below it",
                        file.display(),
                        number + 1
                    )),
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows that do not point down:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_reader_of_paths_finds_what_it_should() {
    assert_eq!(crate_paths("use crate::event::{Event, Value};"), ["event"]);
    assert_eq!(
        crate_paths("let x = crate::detect::Match; // crate::engine"),
        ["detect"]
    );
    assert!(crate_paths("use my_crate::engine;").is_empty());
    assert_eq!(
        crate_paths("pub(crate) use crate::sigma::Level;"),
        ["sigma"]
    );
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs");
    let reexports = root_reexports(&lib);
    assert!(reexports.contains(&("ErrorKind".to_string(), "error".to_string())));
    assert!(reexports.contains(&("Engine".to_string(), "engine".to_string())));
}
