//! Local search with granular neighbourhoods and first-improvement acceptance.
//!
//! Each operator lives in its own module and follows one contract: given the state and a
//! pair of jobs `(u, v)` where `v` is a neighbour of `u`, return the improving change (the
//! new contents of at most two routes and the cost delta) or `None`. Only changes whose
//! routes stay feasible are returned. The driver applies the first improvement it finds.

mod relocate;
mod swap;
mod swap_tails;
mod two_opt;

use super::insertion::{best_two, insert_greedy};
use super::schedule::evaluate;
use super::state::State;
use crate::rng::Rng;

/// New route contents for up to two vehicles and the total change of route cost (< 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Improvement {
    pub routes: Vec<(usize, Vec<usize>)>,
    pub delta: i64,
}

/// Scratch buffers reused by the operators.
#[derive(Default)]
pub struct Scratch {
    pub a: Vec<usize>,
    pub b: Vec<usize>,
}

/// Evaluates candidate contents for one or two routes; returns the improvement if all
/// routes are feasible and the cost drops. `b` is ignored when `vb == va`.
pub fn judge(state: &State, va: usize, vb: usize, scratch: &Scratch) -> Option<Improvement> {
    let ca = evaluate(state.inst, va, &scratch.a);
    if !ca.is_feasible() {
        return None;
    }
    let mut delta = ca.cost.get() - state.costs[va].cost.get();
    if va == vb {
        return (delta < 0).then(|| Improvement { routes: vec![(va, scratch.a.clone())], delta });
    }
    // Cheap bound before the second evaluation: route costs are non-negative.
    if delta - state.costs[vb].cost.get() >= 0 {
        return None;
    }
    let cb = evaluate(state.inst, vb, &scratch.b);
    if !cb.is_feasible() {
        return None;
    }
    delta += cb.cost.get() - state.costs[vb].cost.get();
    (delta < 0).then(|| Improvement { routes: vec![(va, scratch.a.clone()), (vb, scratch.b.clone())], delta })
}

type Operator = fn(&State, usize, usize, &mut Scratch) -> Option<Improvement>;

const OPERATORS: [Operator; 6] = [
    relocate::relocate_before,
    relocate::relocate_after,
    relocate::relocate_pair_after,
    swap::swap,
    swap_tails::swap_tails,
    two_opt::two_opt,
];

/// Improves `state` until no operator finds an improving move for any pair, or until
/// `max_passes` passes over all jobs. Unassigned jobs are offered a place in every pass.
pub fn local_search(state: &mut State, neighbours: &[Vec<usize>], rng: &mut Rng, max_passes: usize) {
    let n = state.inst.jobs.len();
    let mut order: Vec<usize> = (0..n).collect();
    let mut scratch = Scratch::default();
    for _ in 0..max_passes {
        rng.shuffle(&mut order);
        let mut improved = false;
        for &u in &order {
            if state.route_of[u].is_none() {
                continue;
            }
            if let Some(imp) = best_move_for(state, u, neighbours, &mut scratch) {
                for (v, route) in imp.routes {
                    state.set_route(v, route);
                }
                improved = true;
            }
        }
        improved |= insert_missing(state, rng);
        if !improved {
            break;
        }
    }
}

/// The first improving move involving `u` with one of its neighbours, or with an empty route.
fn best_move_for(state: &State, u: usize, neighbours: &[Vec<usize>], scratch: &mut Scratch) -> Option<Improvement> {
    for &v in &neighbours[u] {
        if state.route_of[v].is_none() {
            continue;
        }
        for op in OPERATORS {
            if let Some(imp) = op(state, u, v, scratch) {
                return Some(imp);
            }
        }
    }
    for empty in state.empty_routes() {
        if let Some(imp) = relocate::relocate_into_empty(state, u, empty, scratch) {
            return Some(imp);
        }
    }
    None
}

/// Tries to insert unassigned jobs; returns whether any was inserted.
fn insert_missing(state: &mut State, rng: &mut Rng) -> bool {
    let missing = state.unassigned();
    if missing.is_empty() {
        return false;
    }
    let mut buf = Vec::new();
    let any_fits = missing.iter().any(|&j| best_two(state, j, 0.0, rng, &mut buf).0.is_some());
    if !any_fits {
        return false;
    }
    let before = missing.len();
    insert_greedy(state, &missing, 0.0, rng);
    state.unassigned().len() < before
}
