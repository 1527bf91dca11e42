//! Reader for periodic VRP instances in Cordeau's format (`type m n t`, then `t` lines
//! `D Q`, then one line per vertex `i x y d q f a combinations…`, depot first) and their
//! conversion to the solver's [`PeriodicInstance`]. Distances are Euclidean, unrounded:
//! the core works in integers scaled by 10⁴ with distances rounded up and duration limits
//! rounded down, so its solutions stay feasible unrounded.

use junkai_solver::matrix::TravelMatrix;
use junkai_solver::units::{Meters, Seconds};
use junkai_solver::weekly::periodic::PeriodicInstance;

use super::vrp_benchmark::EXACT_SCALE;
use crate::diagnostics::Diagnostic;

#[derive(Clone, Debug, PartialEq)]
pub struct CordeauInstance {
    pub name: String,
    pub vehicles_per_day: usize,
    pub days: usize,
    /// Per day: (max duration, 0 = none; capacity).
    pub limits: Vec<(f64, f64)>,
    /// Per vertex: (number, x, y, service, demand, combinations).
    pub vertices: Vec<(u32, f64, f64, f64, f64, Vec<u32>)>,
}

pub fn parse_cordeau(text: &str, file: &str, name: &str) -> Result<CordeauInstance, Diagnostic> {
    let rows: Vec<(usize, Vec<f64>)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            l.split_whitespace()
                .map(|t| match t.parse::<f64>() {
                    Ok(x) if x.is_finite() && x.abs() < 1e9 => Ok(x),
                    _ => Err(Diagnostic::bad_instance(file, i + 1, "expected finite numbers below 10⁹")),
                })
                .collect::<Result<Vec<f64>, _>>()
                .map(|v| (i + 1, v))
        })
        .collect::<Result<_, _>>()?;
    let (line, head) = rows.first().ok_or_else(|| Diagnostic::bad_instance(file, 1, "empty file"))?;
    if head.len() < 4 || head[0] != 1.0 {
        return Err(Diagnostic::bad_instance(file, *line, "the first line must be `1 m n t` (type 1 = PVRP)"));
    }
    let (m, n, t) = (head[1] as usize, head[2] as usize, head[3] as usize);
    if t == 0 || t > 31 || m == 0 || rows.len() < 1 + t + n + 1 {
        return Err(Diagnostic::bad_instance(file, *line, "counts do not match the lines that follow"));
    }
    let limits = rows[1..=t]
        .iter()
        .map(|(l, v)| {
            if v.len() >= 2 {
                Ok((v[0], v[1]))
            } else {
                Err(Diagnostic::bad_instance(file, *l, "a day line needs `D Q`"))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut vertices = Vec::with_capacity(n + 1);
    for (l, v) in &rows[1 + t..1 + t + n + 1] {
        if v.len() < 7 || v.len() < 7 + v[6] as usize {
            return Err(Diagnostic::bad_instance(file, *l, "a vertex line needs `i x y d q f a` and a combinations"));
        }
        let mut combos: Vec<u32> = v[7..7 + v[6] as usize].iter().map(|&c| c as u32).collect();
        let customer = !vertices.is_empty();
        if customer && combos.is_empty() {
            if v[5] != 0.0 {
                return Err(Diagnostic::bad_instance(file, *l, "a customer needs at least one day combination"));
            }
            combos.push(0); // never visited
        }
        if customer && combos.iter().any(|&c| c >= 1 << t || c.count_ones() != v[5] as u32) {
            return Err(Diagnostic::bad_instance(
                file,
                *l,
                "a combination names a day outside 1..t or has the wrong number of days",
            ));
        }
        vertices.push((v[0] as u32, v[1], v[2], v[3], v[4], combos));
    }
    Ok(CordeauInstance { name: name.to_string(), vehicles_per_day: m, days: t, limits, vertices })
}

impl CordeauInstance {
    fn euclid(&self, a: usize, b: usize) -> f64 {
        let (p, q) = (&self.vertices[a], &self.vertices[b]);
        (p.1 - q.1).hypot(p.2 - q.2)
    }

    pub fn matrix(&self) -> TravelMatrix {
        TravelMatrix::from_fn(self.vertices.len(), |a, b| {
            let x = (self.euclid(a, b) * EXACT_SCALE).ceil() as i64;
            (Seconds(x), Meters(x))
        })
    }

    pub fn periodic<'m>(&self, matrix: &'m TravelMatrix) -> PeriodicInstance<'m> {
        PeriodicInstance {
            matrix,
            days: self.days,
            vehicles_per_day: self.vehicles_per_day,
            capacity: self.limits.iter().map(|l| l.1 as i64).collect(),
            max_duration: self
                .limits
                .iter()
                .map(|l| (l.0 > 0.0).then(|| Seconds((l.0 * EXACT_SCALE).floor() as i64)))
                .collect(),
            service: self.vertices.iter().map(|v| Seconds((v.3 * EXACT_SCALE).round() as i64)).collect(),
            demand: self.vertices.iter().map(|v| v.4 as i64).collect(),
            combos: self.vertices.iter().map(|v| v.5.clone()).collect(),
        }
    }

    /// Total unrounded distance of routes given as vertex indices.
    pub fn distance(&self, routes: &[Vec<usize>]) -> f64 {
        routes
            .iter()
            .map(|r| {
                let path: Vec<usize> = std::iter::once(0).chain(r.iter().copied()).chain(std::iter::once(0)).collect();
                path.windows(2).map(|w| self.euclid(w[0], w[1])).sum::<f64>()
            })
            .sum()
    }
}
