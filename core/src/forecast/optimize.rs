//! Nelder-Mead minimisation of a function of a few unconstrained parameters.
//!
//! The smoothing models map their bounded parameters (for example `0 < alpha < 1`) onto the
//! real line, so the search itself needs no bounds. The method is the classic simplex search
//! (Nelder and Mead 1965) with the standard coefficients: reflection 1, expansion 2,
//! contraction 1/2, shrink 1/2.

/// When the search stops.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stop {
    /// At most this many evaluations of the function.
    pub max_evaluations: usize,
    /// Stop when the best and worst vertices' values differ by at most this much, relative
    /// to the best value's magnitude (plus the same amount absolutely).
    pub tolerance: f64,
}

/// Minimises `f` from `start` and returns the best point found; the first simplex has sides
/// of `step` along each axis.
///
/// A non-finite value of `f` counts as worse than any finite value, so `f` may return
/// `f64::INFINITY` where a parameter combination makes no sense. Cost: at most
/// `stop.max_evaluations` calls of `f` plus `O(d²)` work per iteration.
pub(crate) fn minimize(
    mut f: impl FnMut(&[f64]) -> f64,
    start: &[f64],
    step: f64,
    stop: Stop,
) -> Vec<f64> {
    let d = start.len();
    let mut eval = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() { v } else { f64::INFINITY }
    };
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(d + 1);
    simplex.push((start.to_vec(), eval(start)));
    for i in 0..d {
        let mut x = start.to_vec();
        x[i] += step;
        let v = eval(&x);
        simplex.push((x, v));
    }
    let mut evaluations = d + 1;
    while evaluations < stop.max_evaluations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let best = simplex[0].1;
        let worst = simplex[d].1;
        if worst - best <= stop.tolerance * (best.abs() + stop.tolerance) {
            break;
        }
        let centroid = centroid(&simplex[..d]);
        let along = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&simplex[d].0)
                .map(|(c, w)| c + t * (c - w))
                .collect()
        };
        let reflected = along(1.0);
        let reflected_value = eval(&reflected);
        evaluations += 1;
        if reflected_value < best {
            let expanded = along(2.0);
            let expanded_value = eval(&expanded);
            evaluations += 1;
            simplex[d] = if expanded_value < reflected_value {
                (expanded, expanded_value)
            } else {
                (reflected, reflected_value)
            };
            continue;
        }
        if reflected_value < simplex[d - 1].1 {
            simplex[d] = (reflected, reflected_value);
            continue;
        }
        // Contract towards the better of the worst vertex and its reflection.
        let (t, bound) = if reflected_value < worst {
            (0.5, reflected_value)
        } else {
            (-0.5, worst)
        };
        let contracted = along(t);
        let contracted_value = eval(&contracted);
        evaluations += 1;
        if contracted_value < bound {
            simplex[d] = (contracted, contracted_value);
            continue;
        }
        let best_x = simplex[0].0.clone();
        for vertex in simplex.iter_mut().skip(1) {
            for (x, b) in vertex.0.iter_mut().zip(&best_x) {
                *x = b + 0.5 * (*x - b);
            }
            vertex.1 = eval(&vertex.0);
        }
        evaluations += d;
    }
    simplex
        .into_iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("the simplex has d + 1 >= 1 vertices")
        .0
}

fn centroid(vertices: &[(Vec<f64>, f64)]) -> Vec<f64> {
    let d = vertices[0].0.len();
    let mut c = vec![0.0; d];
    for (x, _) in vertices {
        for (ci, xi) in c.iter_mut().zip(x) {
            *ci += xi;
        }
    }
    let n = vertices.len() as f64;
    c.iter_mut().for_each(|ci| *ci /= n);
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    const STOP: Stop = Stop {
        max_evaluations: 2_000,
        tolerance: 1e-12,
    };

    #[test]
    fn finds_the_minimum_of_a_quadratic_bowl() {
        let x = minimize(
            |x| (x[0] - 3.0).powi(2) + 10.0 * (x[1] + 1.0).powi(2),
            &[0.0, 0.0],
            1.0,
            STOP,
        );
        assert!((x[0] - 3.0).abs() < 1e-4, "{x:?}");
        assert!((x[1] + 1.0).abs() < 1e-4, "{x:?}");
    }

    #[test]
    fn finds_the_rosenbrock_valley_floor() {
        // Rosenbrock's function has its one minimum 0 at (1, 1).
        let x = minimize(
            |x| 100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2),
            &[-1.2, 1.0],
            0.5,
            STOP,
        );
        assert!((x[0] - 1.0).abs() < 1e-3, "{x:?}");
        assert!((x[1] - 1.0).abs() < 1e-3, "{x:?}");
    }

    #[test]
    fn treats_non_finite_values_as_worse_than_any() {
        // Undefined left of 1: the search must stay on the defined side.
        let x = minimize(
            |x| {
                if x[0] < 1.0 {
                    f64::NAN
                } else {
                    (x[0] - 2.0).powi(2)
                }
            },
            &[5.0],
            1.0,
            STOP,
        );
        assert!((x[0] - 2.0).abs() < 1e-4, "{x:?}");
    }

    #[test]
    fn stops_after_the_evaluation_budget() {
        let mut calls = 0;
        minimize(
            |x| {
                calls += 1;
                x[0].sin() + x[1].cos()
            },
            &[0.0, 0.0],
            1.0,
            Stop {
                max_evaluations: 20,
                tolerance: 0.0,
            },
        );
        // The last iteration may overrun by at most a shrink (d evaluations) plus 2.
        assert!(calls <= 20 + 2 + 2, "{calls}");
    }
}
