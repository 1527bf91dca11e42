//! Relocate: move one job (or two consecutive jobs) next to a neighbour, in the same route
//! or another one; also move a job into an empty route.

use super::{Improvement, Scratch, judge};
use crate::routing::state::State;

/// Fills `scratch` with the routes after moving `count` jobs starting at `u` so that they
/// sit at `offset` relative to `v` (0 = before `v`, 1 = after `v`).
fn build(
    state: &State,
    u: usize,
    count: usize,
    v: usize,
    offset: usize,
    scratch: &mut Scratch,
) -> Option<(usize, usize)> {
    let (ru, pu) = state.position(u)?;
    let (rv, pv) = state.position(v)?;
    let moved_end = pu + count;
    if moved_end > state.routes[ru].len() {
        return None;
    }
    let moved = &state.routes[ru][pu..moved_end];
    if moved.contains(&v) || !moved.iter().all(|&j| state.inst.jobs[j].can_use(rv)) {
        return None;
    }
    scratch.a.clear();
    scratch.b.clear();
    if ru == rv {
        let route = &state.routes[ru];
        let rest: Vec<usize> = route[..pu].iter().chain(&route[moved_end..]).copied().collect();
        let at = rest.iter().position(|&j| j == v)? + offset;
        if at == pu {
            return None; // same sequence
        }
        scratch.a.extend_from_slice(&rest[..at]);
        scratch.a.extend_from_slice(moved);
        scratch.a.extend_from_slice(&rest[at..]);
    } else {
        let (from, to) = (&state.routes[ru], &state.routes[rv]);
        scratch.a.extend(from[..pu].iter().chain(&from[moved_end..]));
        let at = pv + offset;
        scratch.b.extend(to[..at].iter().chain(moved).chain(&to[at..]));
    }
    Some((ru, rv))
}

fn relocate(
    state: &State,
    u: usize,
    count: usize,
    v: usize,
    offset: usize,
    scratch: &mut Scratch,
) -> Option<Improvement> {
    let (ru, rv) = build(state, u, count, v, offset, scratch)?;
    judge(state, ru, rv, scratch)
}

/// Moves `u` right before `v` (creates the edge u → v).
pub fn relocate_before(state: &State, u: usize, v: usize, scratch: &mut Scratch) -> Option<Improvement> {
    relocate(state, u, 1, v, 0, scratch)
}

/// Moves `u` right after `v` (creates the edge v → u).
pub fn relocate_after(state: &State, u: usize, v: usize, scratch: &mut Scratch) -> Option<Improvement> {
    relocate(state, u, 1, v, 1, scratch)
}

/// Moves `u` and its successor right after `v`.
pub fn relocate_pair_after(state: &State, u: usize, v: usize, scratch: &mut Scratch) -> Option<Improvement> {
    relocate(state, u, 2, v, 1, scratch)
}

/// Moves `u` alone into the empty route of `vehicle`.
pub fn relocate_into_empty(state: &State, u: usize, vehicle: usize, scratch: &mut Scratch) -> Option<Improvement> {
    let (ru, pu) = state.position(u)?;
    if ru == vehicle || !state.inst.jobs[u].can_use(vehicle) {
        return None;
    }
    scratch.a.clear();
    scratch.a.extend(state.routes[ru].iter().enumerate().filter(|&(p, _)| p != pu).map(|(_, &j)| j));
    scratch.b.clear();
    scratch.b.push(u);
    judge(state, ru, vehicle, scratch)
}
