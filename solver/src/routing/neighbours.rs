//! Granular neighbourhoods: for each job, the jobs it is most sensible to place next to.
//!
//! Proximity of `j` after `i` is the cost of the edge plus weighted waiting and lateness
//! that serving `j` right after `i` implies given their windows (PyVRP's measure with
//! weights 0.2 and 1; Vidal et al. 2013). Lists use the smaller of both directions and keep
//! the closest `k`, ties broken by index for determinism.

use super::instance::Instance;

const WAIT_WEIGHT: f64 = 0.2;
const TIME_WARP_WEIGHT: f64 = 1.0;

fn proximity(inst: &Instance, i: usize, j: usize) -> f64 {
    let (a, b) = (&inst.jobs[i], &inst.jobs[j]);
    let m = inst.matrix;
    let travel = m.duration(a.location, b.location).get();
    let edge = inst.rates.per_meter * m.distance(a.location, b.location).get() + inst.rates.per_second * travel;
    let a_open = a.windows.first().map_or(0, |w| w.start.get());
    let a_close = a.windows.last().map_or(0, |w| w.end.get());
    let b_open = b.windows.first().map_or(0, |w| w.start.get());
    let b_close = b.windows.last().map_or(0, |w| w.end.get());
    let service = a.service.get();
    let wait = (b_open - (a_close + service + travel)).max(0);
    let late = (a_open + service + travel - b_close).max(0);
    edge as f64 + WAIT_WEIGHT * wait as f64 + TIME_WARP_WEIGHT * late as f64
}

/// For each job, up to `k` nearest other jobs.
pub fn neighbours(inst: &Instance, k: usize) -> Vec<Vec<usize>> {
    let n = inst.jobs.len();
    (0..n)
        .map(|i| {
            let mut others: Vec<(f64, usize)> =
                (0..n).filter(|&j| j != i).map(|j| (proximity(inst, i, j).min(proximity(inst, j, i)), j)).collect();
            others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            others.truncate(k);
            others.into_iter().map(|(_, j)| j).collect()
        })
        .collect()
}
