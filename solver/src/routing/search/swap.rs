//! Swap: exchange the positions of two jobs, in one route or across two.

use super::{Improvement, Scratch, judge};
use crate::routing::state::State;

pub fn swap(state: &State, u: usize, v: usize, scratch: &mut Scratch) -> Option<Improvement> {
    if u >= v {
        return None; // each unordered pair once
    }
    let (ru, pu) = state.position(u)?;
    let (rv, pv) = state.position(v)?;
    let jobs = &state.inst.jobs;
    if !jobs[u].can_use(rv) || !jobs[v].can_use(ru) {
        return None;
    }
    scratch.a.clear();
    scratch.a.extend_from_slice(&state.routes[ru]);
    scratch.b.clear();
    if ru == rv {
        scratch.a.swap(pu, pv);
    } else {
        scratch.a[pu] = v;
        scratch.b.extend_from_slice(&state.routes[rv]);
        scratch.b[pv] = u;
    }
    judge(state, ru, rv, scratch)
}
