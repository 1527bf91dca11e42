//! Perturbation for the iterated local search. Most of the time: remove a few related
//! jobs — a random job, then random close neighbours of jobs already removed. Sometimes:
//! remove a whole short route (route removal, which is how the fleet shrinks when
//! vehicles have a fixed cost or are scarce). The removed jobs are put back greedily, and
//! everything touched is marked promising for the focused local search that follows.

use super::context::Context;
use super::cost::CostEvaluator;
use super::repair::insert_missing;
use super::search::LocalSearch;
use super::solution::Solution;
use crate::rng::Rng;

/// How many of a removed job's nearest neighbours the next removal is drawn from.
const CLOSE: usize = 10;
/// Share of perturbations that remove a whole route.
const ROUTE_REMOVAL_SHARE: f64 = 0.05;
/// Route removal picks among this many shortest used routes.
const SHORTEST_ROUTES: usize = 3;

/// A random job and then random close neighbours of the jobs already chosen.
fn related_jobs(ctx: &Context, sol: &Solution, rng: &mut Rng, count: usize) -> Vec<usize> {
    let routed: Vec<usize> = (0..sol.position.len()).filter(|&j| sol.position[j].is_some()).collect();
    let mut chosen: Vec<usize> = Vec::with_capacity(count);
    if routed.is_empty() {
        return chosen;
    }
    chosen.push(routed[rng.below(routed.len())]);
    let mut attempts = 0;
    while chosen.len() < count.min(routed.len()) && attempts < 10 * count {
        attempts += 1;
        let from = chosen[rng.below(chosen.len())];
        let near = &ctx.neighbours[from];
        let candidate = if near.is_empty() || rng.below(10) == 0 {
            routed[rng.below(routed.len())]
        } else {
            near[rng.below(near.len().min(CLOSE))]
        };
        if sol.position[candidate].is_some() && !chosen.contains(&candidate) {
            chosen.push(candidate);
        }
    }
    chosen
}

/// All jobs of one of the shortest used routes (when there are at least two routes).
fn route_jobs(sol: &Solution, rng: &mut Rng) -> Option<Vec<usize>> {
    let mut used: Vec<usize> = (0..sol.routes.len()).filter(|&r| !sol.routes[r].is_empty()).collect();
    if used.len() < 2 {
        return None;
    }
    used.sort_by_key(|&r| (sol.routes[r].len(), r));
    let pick = used[rng.below(used.len().min(SHORTEST_ROUTES))];
    Some(sol.routes[pick].jobs.clone())
}

pub fn perturb(
    ctx: &Context,
    sol: &mut Solution,
    costs: &CostEvaluator,
    rng: &mut Rng,
    count: usize,
    ls: &mut LocalSearch,
) {
    let removed = match (rng.unit() < ROUTE_REMOVAL_SHARE).then(|| route_jobs(sol, rng)).flatten() {
        Some(jobs) => jobs,
        None => related_jobs(ctx, sol, rng, count),
    };
    for &j in &removed {
        ls.mark(sol, j);
    }
    sol.remove(ctx, &removed);
    insert_missing(ctx, sol, costs, rng);
    for &j in &removed {
        if sol.position[j].is_some() {
            ls.mark(sol, j);
        }
    }
}
