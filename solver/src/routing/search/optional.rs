//! Optional jobs (with a prize): insert an unassigned one where it pays its way, and drop
//! a routed one whose prize does not cover what it costs.

use super::{Change, Eval};
use crate::routing::route::Piece::{Job, Range};

/// The cheapest improving insertion of unassigned `u` after one of its neighbours or into
/// an empty route.
pub fn insert(e: &mut Eval, u: usize) -> Option<Change> {
    let prize = e.ctx.inst.prize(u).get();
    let mut best: Option<Change> = None;
    let mut anchors: Vec<(usize, usize)> = e.ctx.neighbours[u].iter().filter_map(|&v| e.sol.position[v]).collect();
    anchors.extend(e.ctx.empty_routes(|r| e.sol.routes[r].is_empty()).map(|r| (r, 0)));
    let routed: Vec<usize> = (0..e.sol.routes.len()).filter(|&r| !e.sol.routes[r].is_empty()).collect();
    anchors.extend(routed.into_iter().map(|r| (r, 0)));
    for (r, p) in anchors {
        if !e.ctx.inst.jobs[u].can_use(r) {
            continue;
        }
        let len = e.sol.routes[r].len();
        let pieces = [Range { route: r, from: 1, to: p }, Job(u), Range { route: r, from: p + 1, to: len }];
        if let Some(c) = e.judge((r, &pieces), None, -prize)
            && best.as_ref().is_none_or(|b| c.delta < b.delta)
        {
            best = Some(c);
        }
    }
    best
}

/// Drops routed optional job `u` when that lowers the cost including its prize.
pub fn remove(e: &mut Eval, u: usize) -> Option<Change> {
    let prize = e.ctx.inst.jobs[u].prize?.get();
    let (r, p) = e.sol.position[u]?;
    let len = e.sol.routes[r].len();
    let pieces = [Range { route: r, from: 1, to: p - 1 }, Range { route: r, from: p + 1, to: len }];
    e.judge((r, &pieces), None, prize)
}
