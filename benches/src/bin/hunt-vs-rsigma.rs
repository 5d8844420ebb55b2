//! Side-by-side Sigma hunting throughput: finmark against rsigma-eval and the JSON floors.
//!
//! One thread each, the same rules (SigmaHQ `rules/windows`, or the first 50 / 500 files) and
//! the same events (the 24,883 real Windows events replicated to `--lines` NDJSON lines).
//! Every measurement runs in its own child process so peak memory is its own.
//!
//! ```text
//! cargo run --release -p finmark-benches --bin hunt-vs-rsigma -- [--lines N] [--runs K]
//!     [--rules DIR] [--events FILE] [--subsets 50,500]
//! ```

use finmark_benches::{
    Rsigma, finmark_rules, median, peak_rss_mib, replicate_lines, rule_files, windows_events_file,
    windows_rules_dir,
};
use serde::de::IgnoredAny;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

struct Options {
    rules: PathBuf,
    events: PathBuf,
    lines: usize,
    runs: usize,
    subsets: Vec<usize>,
}

fn parse_args(args: &[String]) -> Result<(Options, Option<(String, usize)>), String> {
    let mut o = Options {
        rules: windows_rules_dir(),
        events: windows_events_file(),
        lines: 1_000_000,
        runs: 3,
        subsets: vec![50, 500],
    };
    let mut child = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--rules" => o.rules = value()?.into(),
            "--events" => o.events = value()?.into(),
            "--lines" => o.lines = value()?.parse().map_err(|e| format!("--lines: {e}"))?,
            "--runs" => o.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--subsets" => {
                o.subsets = value()?
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().map_err(|e| format!("--subsets: {e}")))
                    .collect::<Result<_, _>>()?
            }
            "--child" => {
                let mode = value()?;
                let rules = value()?
                    .parse()
                    .map_err(|e| format!("--child rules: {e}"))?;
                child = Some((mode, rules));
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok((o, child))
}

/// Times `f` `runs` times; returns the median seconds and the last result.
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut secs = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        last = Some(f());
        secs.push(t.elapsed().as_secs_f64());
    }
    (median(secs), last.expect("at least one run"))
}

/// One measurement, run in this (child) process; prints one JSON line.
fn child(o: &Options, mode: &str, rule_limit: usize) -> Result<(), String> {
    let input =
        replicate_lines(&o.events, o.lines).map_err(|e| format!("{}: {e}", o.events.display()))?;
    let mut files = rule_files(&o.rules);
    files.truncate(rule_limit);
    let (mut load_secs, mut rules) = (0.0, 0);
    let (secs, (events, matches)) = match mode {
        "serde-value" => timed(o.runs, || {
            let mut n = 0;
            for line in input.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let v: serde_json::Value = serde_json::from_slice(line).expect("valid JSON");
                n += usize::from(v.is_object());
            }
            (n, 0)
        }),
        "serde-ignored" => timed(o.runs, || {
            let mut n = 0;
            for line in input.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let _: IgnoredAny = serde_json::from_slice(line).expect("valid JSON");
                n += 1;
            }
            (n, 0)
        }),
        "finmark" => {
            let (load, set) = timed(o.runs, || finmark_rules(&files));
            let set = set.map_err(|e| e.to_string())?;
            (load_secs, rules) = (load, set.len());
            timed(o.runs, || {
                let report = set.match_json(&input);
                (report.events, report.matches.len())
            })
        }
        "rsigma" => {
            let (load, engine) = timed(o.runs, || Rsigma::load(&files));
            (load_secs, rules) = (load, engine.rule_count());
            timed(o.runs, || {
                let mut matches = 0;
                let events = engine.scan(&input, |_, _| matches += 1);
                (events, matches)
            })
        }
        other => return Err(format!("unknown mode {other}")),
    };
    println!(
        "{}",
        serde_json::json!({
            "mode": mode, "rules": rules, "load_secs": load_secs, "events": events,
            "matches": matches, "secs": secs, "events_per_sec": events as f64 / secs,
            "peak_rss_mib": peak_rss_mib(),
        })
    );
    Ok(())
}

fn run_child(args: &[String], mode: &str, rules: usize) -> Result<serde_json::Value, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args(args)
        .args(["--child", mode, &rules.to_string()])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("{mode}: {}", String::from_utf8_lossy(&out.stderr)));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("{mode}: {e}"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = parse_args(&args).and_then(|(o, child_mode)| match child_mode {
        Some((mode, rules)) => child(&o, &mode, rules),
        None => parent(&o, &args),
    });
    if let Err(e) = result {
        eprintln!("hunt-vs-rsigma: {e}");
        std::process::exit(1);
    }
}

fn parent(o: &Options, args: &[String]) -> Result<(), String> {
    let all = rule_files(&o.rules).len();
    println!(
        "# {} NDJSON lines from {}, rules from {} ({} files), median of {} runs, one thread each\n",
        o.lines,
        o.events.display(),
        o.rules.display(),
        all,
        o.runs
    );
    println!("| engine | rule files | rules compiled | load s | events/s | matches | peak MiB |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    let row = |r: &serde_json::Value, files: usize| {
        println!(
            "| {} | {} | {} | {:.3} | {:.0} | {} | {:.0} |",
            r["mode"].as_str().unwrap_or("?"),
            files,
            r["rules"],
            r["load_secs"].as_f64().unwrap_or(0.0),
            r["events_per_sec"].as_f64().unwrap_or(0.0),
            r["matches"],
            r["peak_rss_mib"].as_f64().unwrap_or(0.0)
        );
    };
    for mode in ["serde-value", "serde-ignored"] {
        row(&run_child(args, mode, 0)?, 0);
    }
    let mut subsets: Vec<usize> = o.subsets.iter().copied().filter(|&n| n < all).collect();
    subsets.push(all);
    let mut ratio = None;
    for n in subsets {
        let f = run_child(args, "finmark", n)?;
        row(&f, n);
        let r = run_child(args, "rsigma", n)?;
        row(&r, n);
        let x = f["events_per_sec"].as_f64().unwrap_or(0.0)
            / r["events_per_sec"].as_f64().unwrap_or(f64::NAN);
        println!("| finmark / rsigma | {n} | | | **{x:.2}x** | | |");
        ratio = Some(x);
    }
    if let Some(x) = ratio {
        println!("\nfinmark is {x:.2}x rsigma on the whole corpus (target: 5x)");
    }
    Ok(())
}
