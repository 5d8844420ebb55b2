//! Input files: `-` for stdin, files, and directories searched for JSON files; each read a
//! chunk of records at a time.

use crate::Failure;
use finmark::event::chunks::Chunks;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

/// Records per chunk read from an input: the batch size of ingest and hunt.
pub const BATCH_RECORDS: usize = 10_000;

/// File name extensions read from directories (any file named explicitly is read).
const JSON_EXTENSIONS: [&str; 3] = ["json", "jsonl", "ndjson"];

/// One input: a file or stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-`).
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Input {
    /// How messages name it: the path as given, or `-`.
    pub fn label(&self) -> String {
        match self {
            Input::Stdin => "-".into(),
            Input::File(path) => path.display().to_string(),
        }
    }

    /// Its records, in chunks of about [`BATCH_RECORDS`].
    pub fn chunks(&self) -> Result<Chunks<Box<dyn BufRead>>, Failure> {
        let reader: Box<dyn BufRead> = match self {
            Input::Stdin => Box::new(io::stdin().lock()),
            Input::File(path) => Box::new(BufReader::with_capacity(
                1 << 20,
                File::open(path).map_err(|e| Failure::reading(path.display(), e))?,
            )),
        };
        Ok(Chunks::new(reader, BATCH_RECORDS))
    }
}

/// The inputs `args` name, in order: `-` is stdin, a directory stands for every `.json`,
/// `.jsonl` and `.ndjson` file below it (sorted by path).
pub fn expand(args: &[PathBuf]) -> Result<Vec<Input>, Failure> {
    let mut inputs = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if arg.is_dir() {
            let mut files = Vec::new();
            json_files_under(arg, &mut files)?;
            files.sort();
            inputs.extend(files.into_iter().map(Input::File));
        } else if arg.exists() {
            inputs.push(Input::File(arg.clone()));
        } else {
            return Err(Failure::Input(format!(
                "cannot read {}: no such file or directory",
                arg.display()
            )));
        }
    }
    Ok(inputs)
}

fn json_files_under(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| Failure::reading(dir.display(), e))?;
    for entry in entries {
        let path = entry
            .map_err(|e| Failure::reading(dir.display(), e))?
            .path();
        if path.is_dir() {
            json_files_under(&path, files)?;
        } else if has_json_extension(&path) {
            files.push(path);
        }
    }
    Ok(())
}

fn has_json_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| JSON_EXTENSIONS.iter().any(|j| e.eq_ignore_ascii_case(j)))
}
