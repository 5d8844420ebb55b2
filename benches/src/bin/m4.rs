//! Accuracy of finmark's forecasts on the M4 competition's Hourly and Weekly series.
//!
//! ```text
//! cargo run --release -p finmark-benches --bin m4 -- ../shared/m4 --out DIR [--methods LIST]
//! ```
//!
//! Every model is fitted to the train files only; the test files are read after all
//! forecasts are made, to score them. Writes `DIR/Hourly-forecast.csv` and
//! `DIR/Weekly-forecast.csv` (the automatic choice, laid out like M4's test files), prints
//! one JSON line per method and frequency (sMAPE, MASE, wall and CPU milliseconds per
//! series), and last
//! the automatic choice's scores: `{"hourly": {"smape": x, "mase": y}, "weekly": {...}}`.
//!
//! Methods: `auto` (finmark's default automatic choice), every `finmark::forecast::Model`
//! alone by its name, and `naive2` (M4's benchmark, computed here). A model that cannot
//! forecast a series (too short for its seasons) falls back to the naive forecast there;
//! the line says how often.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{TimeZone, Utc};
use finmark::forecast::{ForecastOptions, Model, Series, forecast};
use finmark_benches::m4::{M4Series, Score, naive2, read_file, write_file};

/// One of M4's frequencies as this bench runs it.
struct Frequency {
    name: &'static str,
    horizon: usize,
    /// M4's frequency: the lag of the MASE scale and of Naive2's seasonality.
    m4_frequency: usize,
    step_seconds: i64,
}

const FREQUENCIES: [Frequency; 2] = [
    Frequency {
        name: "Hourly",
        horizon: 48,
        m4_frequency: 24,
        step_seconds: 3_600,
    },
    Frequency {
        name: "Weekly",
        horizon: 13,
        m4_frequency: 1,
        step_seconds: 7 * 86_400,
    },
];

#[derive(Clone, Copy, PartialEq)]
enum Method {
    Auto,
    Only(Model),
    Naive2,
}

impl Method {
    fn name(self) -> String {
        match self {
            Method::Auto => "auto".into(),
            Method::Only(m) => m.name().into(),
            Method::Naive2 => "naive2".into(),
        }
    }

    fn parse(s: &str) -> Result<Method, String> {
        match s {
            "auto" => Ok(Method::Auto),
            "naive2" => Ok(Method::Naive2),
            _ => s.parse().map(Method::Only).map_err(|e| e.to_string()),
        }
    }
}

/// A method's forecasts of every series, with what it took.
struct Run {
    forecasts: Vec<M4Series>,
    wall_seconds: f64,
    /// CPU time of this thread, where Linux tells it.
    cpu_seconds: Option<f64>,
    fallbacks: usize,
    chosen: BTreeMap<String, usize>,
}

fn run(method: Method, freq: &Frequency, train: &[M4Series]) -> Run {
    let start = Utc.with_ymd_and_hms(2000, 1, 3, 0, 0, 0).unwrap();
    let mut forecasts = Vec::with_capacity(train.len());
    let mut fallbacks = 0;
    let mut chosen = BTreeMap::new();
    let began = Instant::now();
    let cpu_began = thread_cpu_seconds();
    for s in train {
        let values = match method {
            Method::Naive2 => naive2(&s.values, freq.m4_frequency, freq.horizon),
            Method::Auto | Method::Only(_) => {
                let options = match method {
                    Method::Only(m) => ForecastOptions {
                        models: vec![m],
                        ..ForecastOptions::default()
                    },
                    _ => ForecastOptions::default(),
                };
                let series = Series::new(start, freq.step_seconds, s.values.clone())
                    .expect("M4 values are finite");
                match forecast(&series, freq.horizon, &options) {
                    Ok(f) => {
                        *chosen.entry(f.model.name().to_string()).or_insert(0) += 1;
                        f.points.iter().map(|p| p.p50).collect()
                    }
                    Err(_) => {
                        fallbacks += 1;
                        vec![*s.values.last().expect("values"); freq.horizon]
                    }
                }
            }
        };
        forecasts.push(M4Series {
            id: s.id.clone(),
            values,
        });
    }
    Run {
        forecasts,
        wall_seconds: began.elapsed().as_secs_f64(),
        cpu_seconds: thread_cpu_seconds()
            .zip(cpu_began)
            .map(|(end, start)| end - start),
        fallbacks,
        chosen,
    }
}

fn score(freq: &Frequency, train: &[M4Series], test: &[M4Series], run: &Run) -> Score {
    let mut score = Score::default();
    for ((tr, te), f) in train.iter().zip(test).zip(&run.forecasts) {
        assert_eq!(tr.id, te.id, "train and test files list the same series");
        assert_eq!(te.values.len(), freq.horizon, "{}: test length", te.id);
        score.add(&tr.values, freq.m4_frequency, &te.values, &f.values);
    }
    score
}

fn parse_args() -> Result<(PathBuf, PathBuf, Vec<Method>), String> {
    let mut args = std::env::args().skip(1);
    let mut data = None;
    let mut out = None;
    let mut methods = vec![Method::Auto, Method::Naive2];
    methods.extend(Model::ALL.map(Method::Only));
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--methods" => {
                let list = args.next().ok_or("--methods needs a list")?;
                methods = list
                    .split(',')
                    .map(Method::parse)
                    .collect::<Result<_, _>>()?;
                if !methods.contains(&Method::Auto) {
                    methods.insert(0, Method::Auto);
                }
            }
            _ if data.is_none() && !arg.starts_with("--") => data = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    let usage = "usage: m4 M4_DIR --out DIR [--methods auto,naive2,seasonal_naive,...]";
    Ok((data.ok_or(usage)?, out.ok_or(usage)?, methods))
}

fn main() -> Result<(), String> {
    let (data, out, methods) = parse_args()?;
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut summary = serde_json::Map::new();
    for freq in &FREQUENCIES {
        let file = |kind: &str| data.join(format!("{}-{kind}.csv", freq.name));
        let train = read_file(&file("train"))?;
        let mut auto = None;
        let mut runs = Vec::new();
        for &method in &methods {
            let r = run(method, freq, &train);
            if method == Method::Auto {
                write_forecasts(&out, freq, &r)?;
            }
            runs.push((method, r));
        }
        // Only now are the test values read, to score what was forecast.
        let test = read_file(&file("test"))?;
        for (method, r) in &runs {
            let s = score(freq, &train, &test, r);
            let line = serde_json::json!({
                "frequency": freq.name.to_lowercase(),
                "method": method.name(),
                "smape": round3(s.smape()),
                "mase": round3(s.mase()),
                "wall_ms_per_series": round3(1e3 * r.wall_seconds / train.len() as f64),
                "cpu_ms_per_series": r.cpu_seconds.map(|s| round3(1e3 * s / train.len() as f64)),
                "series": train.len(),
                "naive_fallbacks": r.fallbacks,
                "chosen": if *method == Method::Auto { serde_json::json!(r.chosen) } else { serde_json::Value::Null },
            });
            println!("{line}");
            if *method == Method::Auto {
                auto = Some(s);
            }
        }
        let s = auto.expect("auto always runs");
        summary.insert(
            freq.name.to_lowercase(),
            serde_json::json!({"smape": round3(s.smape()), "mase": round3(s.mase())}),
        );
    }
    println!("{}", serde_json::Value::Object(summary));
    Ok(())
}

fn write_forecasts(out: &Path, freq: &Frequency, r: &Run) -> Result<(), String> {
    let path = out.join(format!("{}-forecast.csv", freq.name));
    write_file(&path, &r.forecasts).map_err(|e| format!("{}: {e}", path.display()))
}

/// The CPU time this thread has run, from the first field (nanoseconds) of Linux's
/// `/proc/thread-self/schedstat`; the machine is shared, so wall time alone says little.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

fn round3(v: f64) -> f64 {
    (v * 1e3).round() / 1e3
}
