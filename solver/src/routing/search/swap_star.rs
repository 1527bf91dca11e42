//! SWAP* (Vidal 2022, "Hybrid genetic search for the CVRP: open-source implementation and
//! SWAP* neighborhood"): exchange `u` of route A with `v` of route B, where each is
//! reinserted at its best place in the other route rather than in the other's position.
//!
//! For every job the three cheapest insertion places in the other route are priced once
//! (places whose added distance alone rules them out are skipped); every pair (u, v) is
//! then estimated by adding removal and insertion deltas (skipping places next to the
//! removed job, and estimating the removed job's own place by distance), and only the best
//! estimate is priced exactly.

use super::{Change, Eval};
use crate::routing::route::Piece::{self, Job, Range};

/// Up to three cheapest insertion places (after visit `p`) with their cost deltas.
#[derive(Clone, Copy)]
struct Top3([(i64, usize); 3]);

impl Top3 {
    fn new() -> Top3 {
        Top3([(i64::MAX, 0); 3])
    }
    fn offer(&mut self, delta: i64, after: usize) {
        let t = &mut self.0;
        if delta < t[2].0 {
            t[2] = (delta, after);
            t.sort_by_key(|x| x.0);
        }
    }
}

fn insertion_pieces(route: usize, len: usize, job: usize, after: usize) -> [Piece; 3] {
    [Range { route, from: 1, to: after }, Job(job), Range { route, from: after + 1, to: len }]
}

/// Location of visit `p` of route `r`, the route's depots for 0 and n+1.
fn location(e: &Eval, r: usize, p: usize) -> usize {
    let route = &e.sol.routes[r];
    let v = &e.ctx.inst.vehicles[route.vehicle];
    if p == 0 {
        v.start_location
    } else if p > route.len() {
        v.end_location
    } else {
        e.ctx.inst.jobs[route.at(p)].location
    }
}

/// Cost of the distance added by putting location `x` between visits `p` and `p + 1`.
fn added_distance(e: &Eval, r: usize, p: usize, x: usize) -> i64 {
    let m = e.ctx.inst.matrix;
    let (a, b) = (location(e, r, p), location(e, r, p + 1));
    e.ctx.inst.rates.per_meter * (m.distance(a, x).get() + m.distance(x, b).get() - m.distance(a, b).get())
}

/// Cheapest places to insert each job of `from` into route `into` (as it is now).
fn top_insertions(e: &mut Eval, from: usize, into: usize) -> Vec<Top3> {
    let len = e.sol.routes[into].len();
    let base = e.current(into);
    // The route's cost beyond distance and fixed cost: an insertion can at best remove it.
    let route = &e.sol.routes[into];
    let fixed = e.ctx.inst.vehicles[route.vehicle].fixed_cost.get();
    let slack = base - e.ctx.inst.rates.per_meter * route.cost.distance.get() - fixed;
    let jobs = e.sol.routes[from].jobs.clone();
    jobs.iter()
        .map(|&j| {
            let mut top = Top3::new();
            if e.ctx.inst.jobs[j].can_use(into) {
                let x = e.ctx.inst.jobs[j].location;
                for after in 0..=len {
                    if added_distance(e, into, after, x) - slack >= top.0[2].0 {
                        continue;
                    }
                    let delta = e.price(into, &insertion_pieces(into, len, j, after)) - base;
                    top.offer(delta, after);
                }
            }
            top
        })
        .collect()
}

/// Removal deltas of every job of route `r`.
fn removal_deltas(e: &mut Eval, r: usize) -> Vec<i64> {
    let len = e.sol.routes[r].len();
    let base = e.current(r);
    (1..=len)
        .map(|p| e.price(r, &[Range { route: r, from: 1, to: p - 1 }, Range { route: r, from: p + 1, to: len }]) - base)
        .collect()
}

/// Best estimated place for a job in a route whose visit `removed` leaves: one of the top
/// places not touching it, or the removed job's own place (estimated by distance).
fn best_place(e: &Eval, top: &Top3, route: usize, removed: usize, job: usize) -> (i64, usize) {
    let mut best = (i64::MAX, 0);
    for &(delta, after) in &top.0 {
        if delta != i64::MAX && after + 1 != removed && after != removed {
            best = (delta, after);
            break;
        }
    }
    let m = e.ctx.inst.matrix;
    let (a, old, b) = (location(e, route, removed - 1), location(e, route, removed), location(e, route, removed + 1));
    let x = e.ctx.inst.jobs[job].location;
    let in_place = e.ctx.inst.rates.per_meter
        * (m.distance(a, x).get() + m.distance(x, b).get() - m.distance(a, old).get() - m.distance(old, b).get())
        + e.ctx.inst.rates.per_meter * (m.distance(a, old).get() + m.distance(old, b).get() - m.distance(a, b).get());
    if in_place < best.0 {
        best = (in_place, removed - 1);
    }
    best
}

/// The route that results from removing visit `removed` and inserting `job` after visit
/// `after` (both in the route's current numbering).
fn rebuilt(route: usize, len: usize, removed: usize, job: usize, after: usize) -> Vec<Piece> {
    if after < removed {
        vec![
            Range { route, from: 1, to: after },
            Job(job),
            Range { route, from: after + 1, to: removed - 1 },
            Range { route, from: removed + 1, to: len },
        ]
    } else {
        vec![
            Range { route, from: 1, to: removed - 1 },
            Range { route, from: removed + 1, to: after },
            Job(job),
            Range { route, from: after + 1, to: len },
        ]
    }
}

/// How many of each job's nearest neighbours are looked at to decide that two routes
/// are close enough for SWAP* (a coordinate-free stand-in for overlapping polar sectors).
const CLOSE_NEIGHBOURS: usize = 5;

/// Whether some job of `a` has a job of `b` among its few nearest neighbours.
fn routes_are_close(e: &Eval, a: usize, b: usize) -> bool {
    e.sol.routes[a].jobs.iter().any(|&u| {
        e.ctx.neighbours[u].iter().take(CLOSE_NEIGHBOURS).any(|&v| e.sol.position[v].is_some_and(|(r, _)| r == b))
    })
}

pub fn swap_star(e: &mut Eval, a: usize, b: usize) -> Option<Change> {
    if !routes_are_close(e, a, b) {
        return None;
    }
    let top_ab = top_insertions(e, a, b);
    let top_ba = top_insertions(e, b, a);
    let rem_a = removal_deltas(e, a);
    let rem_b = removal_deltas(e, b);
    let (a_jobs, b_jobs) = (e.sol.routes[a].jobs.clone(), e.sol.routes[b].jobs.clone());
    let mut best: Option<(i64, usize, usize, usize, usize)> = None;
    for (i, &u) in a_jobs.iter().enumerate() {
        if top_ab[i].0[0].0 == i64::MAX {
            continue;
        }
        for (k, &v) in b_jobs.iter().enumerate() {
            if top_ba[k].0[0].0 == i64::MAX {
                continue;
            }
            let (pu, pv) = (i + 1, k + 1);
            let (ins_u, after_u) = best_place(e, &top_ab[i], b, pv, u);
            let (ins_v, after_v) = best_place(e, &top_ba[k], a, pu, v);
            if ins_u == i64::MAX || ins_v == i64::MAX {
                continue;
            }
            let estimate = rem_a[i] + rem_b[k] + ins_u + ins_v;
            if estimate < 0 && best.is_none_or(|x| estimate < x.0) {
                best = Some((estimate, pu, pv, after_v, after_u));
            }
        }
    }
    let (_, pu, pv, after_v, after_u) = best?;
    let (u, v) = (e.sol.routes[a].at(pu), e.sol.routes[b].at(pv));
    let new_a = rebuilt(a, a_jobs.len(), pu, v, after_v);
    let new_b = rebuilt(b, b_jobs.len(), pv, u, after_u);
    e.judge((a, &new_a), Some((b, &new_b)), 0)
}
