//! Granular neighbourhoods: for each job, the jobs it is most sensible to place next to.
//!
//! Proximity of `j` after `i` is the travel time plus penalties for the waiting and the
//! lateness that serving `j` right after `i` implies given their windows (a time-aware
//! distance in the spirit of Vidal et al. 2013). Lists are symmetric-ish: both directions
//! are considered, and the closest `k` are kept, ties broken by index for determinism.

use super::instance::Instance;

/// Weight of unavoidable waiting and of unavoidable lateness in the proximity measure.
const WAIT_WEIGHT: i64 = 1;
const LATE_WEIGHT: i64 = 10;

fn proximity(inst: &Instance, i: usize, j: usize) -> i64 {
    let (a, b) = (&inst.jobs[i], &inst.jobs[j]);
    let travel = inst.matrix.duration(a.location, b.location).get();
    let a_open = a.windows.first().map_or(0, |w| w.start.get());
    let a_close = a.windows.last().map_or(0, |w| w.end.get());
    let b_open = b.windows.first().map_or(0, |w| w.start.get());
    let b_close = b.windows.last().map_or(0, |w| w.end.get());
    let service = a.service.get();
    let wait = (b_open - (a_close + service + travel)).max(0);
    let late = (a_open + service + travel - b_close).max(0);
    travel + WAIT_WEIGHT * wait + LATE_WEIGHT * late
}

/// For each job, up to `k` nearest other jobs by `min(proximity(i,j), proximity(j,i))`.
pub fn neighbours(inst: &Instance, k: usize) -> Vec<Vec<usize>> {
    let n = inst.jobs.len();
    (0..n)
        .map(|i| {
            let mut others: Vec<(i64, usize)> =
                (0..n).filter(|&j| j != i).map(|j| (proximity(inst, i, j).min(proximity(inst, j, i)), j)).collect();
            let keep = k.min(others.len());
            if keep < others.len() {
                others.select_nth_unstable(keep);
                others.truncate(keep);
            }
            others.sort_unstable();
            others.into_iter().map(|(_, j)| j).collect()
        })
        .collect()
}
