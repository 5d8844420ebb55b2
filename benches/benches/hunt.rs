//! Sigma matching throughput: the SigmaHQ `rules/windows` corpus (and its first 50 and 500
//! files) over the 24,883 real Windows events of `../shared/events`, NDJSON bytes in, matches
//! out, with finmark's `RuleSet::match_json` and with rsigma-eval side by side.
//!
//! ```sh
//! cargo bench -p finmark-benches --bench hunt
//! ```
//!
//! The `hunt-vs-rsigma` binary measures the same on 1,000,000 replicated lines with load
//! times, peak memory and the serde_json floors; this bench gives criterion's statistics on
//! one pass over the real events.

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use finmark_benches::{Rsigma, finmark_rules, rule_files, windows_events_file, windows_rules_dir};
use std::hint::black_box;
use std::time::Duration;

fn hunt(c: &mut Criterion) {
    let events = std::fs::read(windows_events_file()).expect("the shared Windows events");
    let lines = events
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count() as u64;
    let all = rule_files(&windows_rules_dir());
    let mut group = c.benchmark_group("hunt");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(lines));
    for n in [50, 500, all.len()] {
        let files = &all[..n.min(all.len())];
        let finmark = finmark_rules(files).expect("finmark loads the rules");
        group.bench_function(format!("finmark/{n}"), |b| {
            b.iter(|| black_box(finmark.match_json(&events).matches.len()))
        });
        let rsigma = Rsigma::load(files);
        group.bench_function(format!("rsigma/{n}"), |b| {
            b.iter(|| black_box(rsigma.scan(&events, |_, _| {})))
        });
    }
    group.finish();
}

criterion_group!(benches, hunt);
criterion_main!(benches);
