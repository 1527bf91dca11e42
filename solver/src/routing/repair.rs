//! Greedy repair: inserts unassigned jobs at their cheapest place near their neighbours
//! (or at the start of a route, or into an empty route). Mandatory jobs always go in;
//! optional ones only when the insertion costs less than their prize.

use super::context::Context;
use super::cost::CostEvaluator;
use super::route::Piece::{Job, Range};
use super::search::{Change, Eval, Scratch};
use super::solution::Solution;
use crate::rng::Rng;

/// Places where `u` may go: after each routed neighbour and before it, after the start
/// depot of every used route, and into one empty route per profile.
fn anchors(ctx: &Context, sol: &Solution, u: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &v in &ctx.neighbours[u] {
        if let Some((r, p)) = sol.position[v] {
            out.push((r, p));
            out.push((r, p - 1));
        }
    }
    out.extend((0..sol.routes.len()).filter(|&r| !sol.routes[r].is_empty()).map(|r| (r, 0)));
    out.extend(ctx.empty_routes(|r| sol.routes[r].is_empty()).map(|r| (r, 0)));
    out.sort_unstable();
    out.dedup();
    out.retain(|&(r, _)| ctx.inst.jobs[u].can_use(r));
    out
}

/// The cheapest insertion of `u` (whether or not it improves the cost).
fn cheapest(ctx: &Context, sol: &Solution, costs: &CostEvaluator, scratch: &mut Scratch, u: usize) -> Option<Change> {
    let mut e = Eval { ctx, sol, costs, scratch };
    let mut best: Option<Change> = None;
    for (r, p) in anchors(ctx, sol, u) {
        let len = sol.routes[r].len();
        let pieces = [Range { route: r, from: 1, to: p }, Job(u), Range { route: r, from: p + 1, to: len }];
        let delta = e.price(r, &pieces) - e.current(r);
        if best.as_ref().is_none_or(|b| delta < b.delta) {
            best = Some(Change { delta, routes: vec![(r, pieces.to_vec())] });
        }
    }
    best
}

pub fn insert_missing(ctx: &Context, sol: &mut Solution, costs: &CostEvaluator, rng: &mut Rng) {
    let mut missing: Vec<usize> =
        (0..sol.position.len()).filter(|&j| sol.position[j].is_none() && sol.enabled[j]).collect();
    rng.shuffle(&mut missing);
    let mut scratch = Scratch::default();
    for u in missing {
        let Some(change) = cheapest(ctx, sol, costs, &mut scratch, u) else { continue };
        let worth = ctx.inst.jobs[u].prize.is_none_or(|p| change.delta < p.get());
        if worth {
            sol.apply(ctx, &change.routes);
        }
    }
}
