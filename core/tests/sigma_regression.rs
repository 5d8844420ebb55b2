//! SigmaHQ's own regression data: for every `info.yml` under `../shared/sigma/regression_data`,
//! the rule it names, run on its JSON sample, must match (`match_count` times where given,
//! else at least once). The data is SigmaHQ's and is never edited here.

use finmark::RuleSet;
use std::path::{Path, PathBuf};
use yaml_rust2::{Yaml, YamlLoader};

fn sigma_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/sigma")
}

fn info_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("regression data directory").flatten() {
        let path = entry.path();
        if path.is_dir() {
            info_files(&path, out);
        } else if path.file_name().is_some_and(|n| n == "info.yml") {
            out.push(path);
        }
    }
}

/// One regression case: the rule file, the JSON sample and the expected match count.
struct Case {
    info: PathBuf,
    rule: PathBuf,
    sample: PathBuf,
    match_count: Option<usize>,
}

fn case(info: &Path, sigma: &Path) -> Result<Case, String> {
    let text = std::fs::read_to_string(info).map_err(|e| e.to_string())?;
    let doc = YamlLoader::load_from_str(&text).map_err(|e| e.to_string())?.remove(0);
    let test = &doc["regression_tests_info"][0];
    let evtx = test["path"].as_str().ok_or("no regression_tests_info[0].path")?;
    let sample = sigma.join(evtx).with_extension("json");
    // regression_data/<collection>/<dirs>/<rule name>/info.yml names <collection>/<dirs>/<rule name>.yml
    let relative = info.parent().and_then(|p| p.strip_prefix(sigma.join("regression_data")).ok()).ok_or("bad path")?;
    let rule = sigma.join(relative).with_extension("yml");
    let match_count = match &test["match_count"] {
        Yaml::Integer(n) => Some(*n as usize),
        _ => None,
    };
    Ok(Case {
        info: info.to_path_buf(),
        rule,
        sample,
        match_count,
    })
}

#[test]
fn every_regression_case_matches() {
    let sigma = sigma_dir();
    let mut infos = Vec::new();
    info_files(&sigma.join("regression_data"), &mut infos);
    infos.sort();
    assert!(infos.len() > 150, "expected SigmaHQ's ~200 regression cases, found {}", infos.len());
    let mut failures = Vec::new();
    for info in &infos {
        let outcome = case(info, &sigma).and_then(|c| {
            let rules = RuleSet::builder().path(&c.rule).strict(true).build().map_err(|e| e.to_string())?;
            let bytes = std::fs::read(&c.sample).map_err(|e| format!("{}: {e}", c.sample.display()))?;
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
    assert!(
        failures.is_empty(),
        "{} of {} regression cases failed:\n{}",
        failures.len(),
        infos.len(),
        failures.join("\n")
    );
}
