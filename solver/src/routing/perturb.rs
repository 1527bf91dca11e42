//! Perturbation for the iterated local search: remove a few related jobs — a random job,
//! then random close neighbours of jobs already removed — and put them back greedily.
//! Everything touched is marked promising for the focused local search that follows.

use super::context::Context;
use super::cost::CostEvaluator;
use super::repair::insert_missing;
use super::search::LocalSearch;
use super::solution::Solution;
use crate::rng::Rng;

/// How many of a removed job's nearest neighbours the next removal is drawn from.
const CLOSE: usize = 10;

pub fn perturb(
    ctx: &Context,
    sol: &mut Solution,
    costs: &CostEvaluator,
    rng: &mut Rng,
    count: usize,
    ls: &mut LocalSearch,
) {
    let routed: Vec<usize> = (0..sol.position.len()).filter(|&j| sol.position[j].is_some()).collect();
    let mut removed: Vec<usize> = Vec::with_capacity(count);
    if !routed.is_empty() {
        removed.push(routed[rng.below(routed.len())]);
        let mut attempts = 0;
        while removed.len() < count.min(routed.len()) && attempts < 10 * count {
            attempts += 1;
            let from = removed[rng.below(removed.len())];
            let near = &ctx.neighbours[from];
            let candidate = if near.is_empty() || rng.below(10) == 0 {
                routed[rng.below(routed.len())]
            } else {
                near[rng.below(near.len().min(CLOSE))]
            };
            if sol.position[candidate].is_some() && !removed.contains(&candidate) {
                removed.push(candidate);
            }
        }
    }
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
