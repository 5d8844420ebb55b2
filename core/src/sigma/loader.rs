//! Loading rule files: one file, or every `.yml` / `.yaml` file under a directory, parsed on
//! all cores.

use super::Loaded;
use super::document::parse_text;
use super::error::RuleError;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Loads `path`: a builtin rule set when it is `builtin:<name>` ([`super::builtin_rules`]); a
/// file is parsed whatever its extension; a directory is searched recursively
/// for `.yml` and `.yaml` files (hidden directories such as `.git` are skipped), which are parsed
/// in parallel and reported in path order.
///
/// Several paths are loaded together, so their files share the cores too; documents come in
/// the order of the paths (the builtin sets first), each directory's files in path order.
pub(crate) fn load<P: AsRef<Path>>(paths: &[P]) -> Loaded {
    let mut loaded = Loaded::default();
    let mut files = Vec::new();
    let mut builtin = Vec::new();
    for path in paths {
        let path = path.as_ref();
        if let Some(set) = super::builtin_rules::load(path) {
            builtin.push(set);
            continue;
        }
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                collect_files(path, &mut found, &mut loaded.errors);
                found.sort();
                files.extend(found);
            }
            Ok(_) => files.push(path.to_path_buf()),
            Err(e) => loaded.errors.push(RuleError {
                file: path.to_path_buf(),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
    let parsed = parse_files(&files);
    for part in builtin.into_iter().chain(parsed) {
        loaded.documents.extend(part.documents);
        loaded.errors.extend(part.errors);
    }
    loaded
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<RuleError>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            return errors.push(RuleError {
                file: dir.to_path_buf(),
                reason: format!("cannot read the directory: {e}"),
            });
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_dir = match entry.file_type() {
            Ok(kind) if kind.is_symlink() => fs::metadata(&path).is_ok_and(|m| m.is_dir()),
            Ok(kind) => kind.is_dir(),
            Err(_) => false,
        };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if is_dir {
            if !name.starts_with('.') {
                collect_files(&path, files, errors);
            }
        } else if is_rule_file(&name) {
            files.push(path);
        }
    }
}

fn is_rule_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yml") || lower.ends_with(".yaml")
}

/// Parses the files on `available_parallelism` threads; the result is in `files` order.
fn parse_files(files: &[PathBuf]) -> Vec<Loaded> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len());
    if threads <= 1 {
        let mut buffer = String::new();
        return files.iter().map(|f| parse_file(f, &mut buffer)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, Loaded)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut buffer = String::new();
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(index) else { break };
                        done.push((index, parse_file(file, &mut buffer)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a rule parsing thread panicked"))
            .collect()
    });
    results.sort_unstable_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, loaded)| loaded).collect()
}

/// Reads and parses one file, reusing `buffer` for its text.
fn parse_file(file: &Path, buffer: &mut String) -> Loaded {
    buffer.clear();
    let read = fs::File::open(file).and_then(|mut f| f.read_to_string(buffer));
    match read {
        Ok(_) => parse_text(buffer, file),
        Err(e) => Loaded {
            documents: Vec::new(),
            errors: vec![RuleError {
                file: file.to_path_buf(),
                reason: format!("cannot read the file as UTF-8 text: {e}"),
            }],
        },
    }
}
