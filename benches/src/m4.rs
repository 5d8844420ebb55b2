//! The M4 competition's data files, its accuracy measures and its Naive2 benchmark.
//!
//! Definitions from the competition's own evaluation script (`Benchmarks and
//! Evaluation.R` in Mcompetitions/M4-methods): per forecast step,
//! `sMAPE = 200·|y − ŷ| / (|y| + |ŷ|)` and `MASE = |y − ŷ| / s` where `s` is the mean
//! absolute seasonal difference of the training series at the data's frequency
//! (`mean |x_t − x_{t−m}|` over `t = m+1..n`; `m` is 24 for Hourly and 1 for Weekly); each
//! figure is the mean over every step of every series.

use std::path::Path;

/// One M4 series: its id (`"H1"`) and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct M4Series {
    /// The id in the first column.
    pub id: String,
    /// The values, in time order.
    pub values: Vec<f64>,
}

/// Reads an M4 train or test file: a header line, then one line per series of quoted
/// fields, the id first, shorter series padded with empty fields.
pub fn read_file(path: &Path) -> Result<Vec<M4Series>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut series = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let mut fields = line.split(',').map(|f| f.trim().trim_matches('"'));
        let Some(id) = fields.next().filter(|id| !id.is_empty()) else {
            continue;
        };
        let values = fields
            .filter(|f| !f.is_empty())
            .map(|f| {
                f.parse::<f64>()
                    .map_err(|e| format!("{}:{}: {f:?}: {e}", path.display(), i + 1))
            })
            .collect::<Result<Vec<f64>, String>>()?;
        series.push(M4Series {
            id: id.to_string(),
            values,
        });
    }
    Ok(series)
}

/// Writes forecasts laid out like M4's test files: a header `"V1","V2",…`, then the id
/// and the forecasts of each series.
pub fn write_file(path: &Path, forecasts: &[M4Series]) -> std::io::Result<()> {
    use std::fmt::Write;
    let horizon = forecasts.iter().map(|s| s.values.len()).max().unwrap_or(0);
    let mut out = String::new();
    let header: Vec<String> = (1..=horizon + 1).map(|i| format!("\"V{i}\"")).collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for s in forecasts {
        write!(out, "\"{}\"", s.id).expect("writing to a String");
        for v in &s.values {
            write!(out, ",\"{v}\"").expect("writing to a String");
        }
        out.push('\n');
    }
    std::fs::write(path, out)
}

/// The sMAPE terms `200·|y − ŷ| / (|y| + |ŷ|)` of each step (0 where both are 0).
pub fn smape_terms(actual: &[f64], forecast: &[f64]) -> Vec<f64> {
    actual
        .iter()
        .zip(forecast)
        .map(|(&y, &f)| {
            let denominator = y.abs() + f.abs();
            if denominator == 0.0 {
                0.0
            } else {
                200.0 * (y - f).abs() / denominator
            }
        })
        .collect()
}

/// The MASE terms `|y − ŷ| / s` of each step, `s` the training series' mean absolute
/// difference at lag `frequency`.
pub fn mase_terms(train: &[f64], frequency: usize, actual: &[f64], forecast: &[f64]) -> Vec<f64> {
    let diffs: Vec<f64> = train
        .windows(frequency + 1)
        .map(|w| (w[frequency] - w[0]).abs())
        .collect();
    let scale = diffs.iter().sum::<f64>() / diffs.len() as f64;
    actual
        .iter()
        .zip(forecast)
        .map(|(y, f)| (y - f).abs() / scale)
        .collect()
}

/// Running means of the sMAPE and MASE terms of many series.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    smape_sum: f64,
    mase_sum: f64,
    steps: usize,
}

impl Score {
    /// Adds one series' forecast.
    pub fn add(&mut self, train: &[f64], frequency: usize, actual: &[f64], forecast: &[f64]) {
        self.smape_sum += smape_terms(actual, forecast).iter().sum::<f64>();
        self.mase_sum += mase_terms(train, frequency, actual, forecast)
            .iter()
            .sum::<f64>();
        self.steps += actual.len();
    }

    /// The mean sMAPE over every step added.
    pub fn smape(&self) -> f64 {
        self.smape_sum / self.steps as f64
    }

    /// The mean MASE over every step added.
    pub fn mase(&self) -> f64 {
        self.mase_sum / self.steps as f64
    }
}

/// M4's Naive2: the last value of the seasonally adjusted series times the last cycle of
/// the seasonal indices, where the series passes M4's seasonality test (otherwise the plain
/// naive forecast). The adjustment is R's classical multiplicative `decompose`.
pub fn naive2(train: &[f64], frequency: usize, horizon: usize) -> Vec<f64> {
    let last = *train.last().expect("an M4 series has values");
    if frequency <= 1 || !is_seasonal(train, frequency) {
        return vec![last; horizon];
    }
    let indices = multiplicative_indices(train, frequency);
    let n = train.len();
    let adjusted_last = last / indices[(n - 1) % frequency];
    (0..horizon)
        .map(|k| adjusted_last * indices[(n + k) % frequency])
        .collect()
}

/// M4's seasonality test: the autocorrelation at lag `m` exceeds the 90% one-sided limit
/// `1.645·√((1 + 2·Σ_{k<m} r_k²) / n)`; never for fewer than `3m` values.
pub fn is_seasonal(x: &[f64], m: usize) -> bool {
    let n = x.len();
    if n < 3 * m {
        return false;
    }
    let r = autocorrelations(x, m);
    let sum_sq: f64 = r[..m - 1].iter().map(|v| v * v).sum();
    let limit = 1.645 / (n as f64).sqrt() * (1.0 + 2.0 * sum_sq).sqrt();
    r[m - 1].abs() > limit
}

/// Sample autocorrelations at lags `1..=max_lag`, as R's `acf`.
fn autocorrelations(x: &[f64], max_lag: usize) -> Vec<f64> {
    let n = x.len();
    let mean = x.iter().sum::<f64>() / n as f64;
    let d: Vec<f64> = x.iter().map(|v| v - mean).collect();
    let c0: f64 = d.iter().map(|v| v * v).sum();
    (1..=max_lag)
        .map(|k| (0..n - k).map(|t| d[t] * d[t + k]).sum::<f64>() / c0)
        .collect()
}

/// The seasonal indices of R's `decompose(type = "multiplicative")`: the ratio of each
/// value to a centred moving average of one cycle, averaged per phase, normalised to mean 1.
fn multiplicative_indices(x: &[f64], m: usize) -> Vec<f64> {
    let n = x.len();
    // A centred MA of length m (2×m for even m: the end weights are halved).
    let weights: Vec<f64> = if m.is_multiple_of(2) {
        (0..=m)
            .map(|j| if j == 0 || j == m { 0.5 } else { 1.0 } / m as f64)
            .collect()
    } else {
        vec![1.0 / m as f64; m]
    };
    let half = (weights.len() - 1) / 2;
    let mut sums = vec![0.0; m];
    let mut counts = vec![0usize; m];
    for t in half..n.saturating_sub(half) {
        let trend: f64 = weights
            .iter()
            .enumerate()
            .map(|(j, w)| w * x[t + j - half])
            .sum();
        sums[t % m] += x[t] / trend;
        counts[t % m] += 1;
    }
    let mut figure: Vec<f64> = sums
        .iter()
        .zip(&counts)
        .map(|(s, &c)| s / c as f64)
        .collect();
    let mean = figure.iter().sum::<f64>() / m as f64;
    figure.iter_mut().for_each(|f| *f /= mean);
    figure
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smape_and_mase_follow_m4s_formulas() {
        // |10 - 8| · 200 / 18 = 22.2…; |4 - 5| · 200 / 9 = 22.2…
        let s = smape_terms(&[10.0, 4.0, 0.0], &[8.0, 5.0, 0.0]);
        assert!((s[0] - 400.0 / 18.0).abs() < 1e-12);
        assert!((s[1] - 200.0 / 9.0).abs() < 1e-12);
        assert_eq!(s[2], 0.0);
        // Lag-2 differences of 1, 2, 4, 8: |4 - 1| and |8 - 2|, mean 4.5.
        let m = mase_terms(&[1.0, 2.0, 4.0, 8.0], 2, &[10.0], &[1.0]);
        assert!((m[0] - 2.0).abs() < 1e-12);
    }

    #[test]
    fn naive2_is_naive_without_seasonality() {
        let x: Vec<f64> = (0..100).map(|t| 10.0 + (t % 3) as f64).collect();
        assert_eq!(naive2(&x, 1, 3), vec![x[99]; 3]);
    }

    #[test]
    fn naive2_reseasonalises_a_seasonal_series() {
        // A pure multiplicative pattern: the centred MA is constant 2.5 (the pattern's
        // mean), so the indices are 0.4, 0.8, 1.2, 1.6 and Naive2 repeats the pattern.
        let pattern = [1.0, 2.0, 3.0, 4.0];
        let x: Vec<f64> = (0..40).map(|t| pattern[t % 4]).collect();
        assert!(is_seasonal(&x, 4));
        let f = naive2(&x, 4, 6);
        for (k, v) in f.iter().enumerate() {
            assert!((v - pattern[k % 4]).abs() < 1e-9, "{f:?}");
        }
    }
}
