//! The simulator's seeded dice: ChaCha8 plus the few distributions a day of traffic needs.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A seeded random source with helpers for the shapes the simulator draws.
pub(super) struct Dice(ChaCha8Rng);

impl Dice {
    /// Dice for `seed`, on a separate ChaCha stream per `stream` (the simulated day), so every
    /// day of a seed is independent and reproducible on its own.
    pub fn new(seed: u64, stream: u64) -> Dice {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Dice(rng)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        self.0.random()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.0.random_bool(p.clamp(0.0, 1.0))
    }

    /// Uniform integer in `[lo, hi)`; `lo` when the range is empty.
    pub fn below(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            self.0.random_range(lo..hi)
        }
    }

    /// Uniform index into a collection of `len` items (`len > 0`).
    pub fn index(&mut self, len: usize) -> usize {
        self.below(0, len as u64) as usize
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// One item of a non-empty slice of `(item, weight)` pairs, with probability proportional
    /// to its weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, f64)]) -> &'a T {
        let total: f64 = items.iter().map(|(_, w)| w).sum();
        let mut left = self.unit() * total;
        for (item, weight) in items {
            if left < *weight {
                return item;
            }
            left -= weight;
        }
        &items[items.len() - 1].0
    }

    /// Standard normal (Box-Muller).
    pub fn gauss(&mut self) -> f64 {
        let u = 1.0 - self.unit(); // (0, 1]: ln is finite
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Normal with the given mean and standard deviation.
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        mean + sd * self.gauss()
    }

    /// Log-normal with the given median and log-scale spread: a right-skewed positive value,
    /// the shape of amounts and latencies.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.gauss()).exp()
    }

    /// Pareto with minimum 1 and tail index `alpha`: rare, very large factors (long tails).
    pub fn pareto(&mut self, alpha: f64) -> f64 {
        (1.0 - self.unit()).powf(-1.0 / alpha)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_draws_and_streams_differ() {
        let draws = |seed, stream| {
            let mut d = Dice::new(seed, stream);
            (0..8).map(|_| d.below(0, 1000)).collect::<Vec<_>>()
        };
        assert_eq!(draws(1, 7), draws(1, 7));
        assert_ne!(draws(1, 7), draws(1, 8));
        assert_ne!(draws(1, 7), draws(2, 7));
    }

    #[test]
    fn distributions_have_their_shape() {
        let mut d = Dice::new(3, 0);
        let n = 20_000;
        let mean = (0..n).map(|_| d.normal(10.0, 2.0)).sum::<f64>() / n as f64;
        assert!((mean - 10.0).abs() < 0.1, "{mean}");
        let mut amounts: Vec<f64> = (0..n).map(|_| d.lognormal(40.0, 0.8)).collect();
        amounts.sort_by(f64::total_cmp);
        let median = amounts[n / 2];
        assert!((median - 40.0).abs() < 2.0, "{median}");
        assert!(amounts.iter().all(|a| *a > 0.0));
        assert!((0..n).all(|_| d.pareto(1.5) >= 1.0));
        let heavy = (0..n)
            .filter(|_| *d.weighted(&[(true, 9.0), (false, 1.0)]))
            .count();
        assert!((heavy as f64 / n as f64 - 0.9).abs() < 0.02);
    }
}
