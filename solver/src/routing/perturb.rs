//! Perturbation for the iterated local search. Most of the time: remove a few related
//! jobs — a random job and its nearest routed neighbours, as PyVRP's perturbation does, so
//! the hole is compact and the routes through it can be rebuilt. Sometimes:
//! remove a whole short route (route removal, which is how the fleet shrinks when
//! vehicles have a fixed cost or are scarce). The removed jobs are put back greedily, and
//! everything touched is marked promising for the focused local search that follows.

use super::context::Context;
use super::cost::CostEvaluator;
use super::repair::insert_missing;
use super::search::LocalSearch;
use super::solution::Solution;
use crate::rng::Rng;

/// When a job's neighbour list runs out before `count` jobs are chosen, the removal
/// continues around another random job, this many times at most.
const MAX_CENTRES: usize = 4;
/// Share of perturbations that remove a whole route.
const ROUTE_REMOVAL_SHARE: f64 = 0.05;
/// Route removal picks among this many shortest used routes.
const SHORTEST_ROUTES: usize = 3;

/// A random routed job, then its routed neighbours nearest first, until `count` are chosen
/// (continuing around further random jobs when the list runs out).
fn related_jobs(ctx: &Context, sol: &Solution, rng: &mut Rng, count: usize) -> Vec<usize> {
    let routed: Vec<usize> = (0..sol.position.len()).filter(|&j| sol.position[j].is_some()).collect();
    let count = count.min(routed.len());
    let mut chosen: Vec<usize> = Vec::with_capacity(count);
    if count == 0 {
        return chosen;
    }
    for _ in 0..MAX_CENTRES {
        let centre = routed[rng.below(routed.len())];
        for &j in std::iter::once(&centre).chain(&ctx.neighbours[centre]) {
            if chosen.len() == count {
                return chosen;
            }
            if sol.position[j].is_some() && !chosen.contains(&j) {
                chosen.push(j);
            }
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
