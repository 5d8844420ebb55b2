//! SigmaHQ's own regression data: for every `info.yml` under `../shared/sigma/regression_data`,
//! the rule it names, run on its JSON sample, must match (`match_count` times where given,
//! else at least once). The data is SigmaHQ's and is never edited here.
//!
//! The samples are Windows event logs exported as JSON, and their expected counts assume the
//! rule sees only the events of its logsource, so the rules run with the shipped `windows`
//! pipeline (Channel and EventID conditions per logsource, as Chainsaw and Hayabusa map them).

use finmark::RuleSet;
use finmark::sigma::Pipeline;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use yaml_rust2::{Yaml, YamlLoader};

fn sigma_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/sigma")
}

fn info_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("regression data directory")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            info_files(&path, out);
        } else if path.file_name().is_some_and(|n| n == "info.yml") {
            out.push(path);
        }
    }
}

/// Every rule file of the corpus by its `id`: cases name their rule by id, and rules move.
fn rules_by_id(sigma: &Path) -> HashMap<String, PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(sigma).expect("sigma directory").flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with("rules") {
            yaml_files(&entry.path(), &mut files);
        }
    }
    let mut by_id = HashMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if let Some(id) = text.lines().find_map(|l| l.strip_prefix("id:")) {
            by_id.insert(id.trim().to_string(), file);
        }
    }
    by_id
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yml") {
            out.push(path);
        }
    }
}

/// Cases whose upstream `match_count` contradicts their sample (see the file's header):
/// rule id to the count the specification gives.
fn count_notes() -> HashMap<String, usize> {
    include_str!("regression-count-notes.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (
                cols[0].to_string(),
                cols[2].parse().expect("a count in column 3"),
            )
        })
        .collect()
}

/// One regression case: the rule file, the JSON sample and the expected match count.
struct Case {
    info: PathBuf,
    rule: PathBuf,
    sample: PathBuf,
    match_count: Option<usize>,
}

/// The case an `info.yml` describes; `Ok(None)` when it has no test (commented out upstream).
fn case(
    info: &Path,
    sigma: &Path,
    rules: &HashMap<String, PathBuf>,
    notes: &HashMap<String, usize>,
) -> Result<Option<Case>, String> {
    let text = std::fs::read_to_string(info).map_err(|e| e.to_string())?;
    let doc = YamlLoader::load_from_str(&text)
        .map_err(|e| e.to_string())?
        .remove(0);
    let test = &doc["regression_tests_info"][0];
    let Some(evtx) = test["path"].as_str() else {
        return Ok(None);
    };
    let sample = sigma.join(evtx).with_extension("json");
    let id = doc["rule_metadata"][0]["id"]
        .as_str()
        .ok_or("no rule_metadata[0].id")?;
    let rule = rules
        .get(id)
        .cloned()
        .ok_or_else(|| format!("no rule with id {id} in the corpus"))?;
    let match_count = match &test["match_count"] {
        Yaml::Integer(n) => Some(notes.get(id).copied().unwrap_or(*n as usize)),
        _ => None,
    };
    Ok(Some(Case {
        info: info.to_path_buf(),
        rule,
        sample,
        match_count,
    }))
}

#[test]
fn every_regression_case_matches() {
    let sigma = sigma_dir();
    let mut infos = Vec::new();
    info_files(&sigma.join("regression_data"), &mut infos);
    infos.sort();
    assert!(
        infos.len() > 150,
        "expected SigmaHQ's ~200 regression cases, found {}",
        infos.len()
    );
    let rules = rules_by_id(&sigma);
    let notes = count_notes();
    let windows = Pipeline::builtin("windows").expect("the shipped windows pipeline");
    let mut failures = Vec::new();
    let mut cases = 0;
    for info in &infos {
        let outcome = case(info, &sigma, &rules, &notes).and_then(|c| {
            let Some(c) = c else { return Ok(()) };
            cases += 1;
            let rules = RuleSet::builder()
                .pipeline(windows.clone())
                .path(&c.rule)
                .strict(true)
                .build()
                .map_err(|e| e.to_string())?;
            let bytes =
                std::fs::read(&c.sample).map_err(|e| format!("{}: {e}", c.sample.display()))?;
            let report = rules.match_json(&bytes);
            if !report.rejected.is_empty() {
                return Err(format!("sample rejected: {:?}", report.rejected));
            }
            let n = report.matches.len();
            match c.match_count {
                Some(want) if n != want => Err(format!("{} matches, expected {want}", n)),
                None if n == 0 => Err("no match".into()),
                _ => Ok(()),
            }
            .map_err(|e| format!("{} on {}: {e}", c.rule.display(), c.info.display()))
        });
        if let Err(e) = outcome {
            failures.push(e);
        }
    }
    assert!(cases > 150, "only {cases} cases had a test");
    assert!(
        failures.is_empty(),
        "{} of {cases} regression cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
