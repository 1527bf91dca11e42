//! 2-opt within one route: reverse the segment between `u`'s successor and `v` so that
//! `u` is followed by `v`.

use super::{Improvement, Scratch, judge};
use crate::routing::state::State;

pub fn two_opt(state: &State, u: usize, v: usize, scratch: &mut Scratch) -> Option<Improvement> {
    let (ru, pu) = state.position(u)?;
    let (rv, pv) = state.position(v)?;
    if ru != rv || pv <= pu + 1 {
        return None;
    }
    scratch.a.clear();
    scratch.a.extend_from_slice(&state.routes[ru]);
    scratch.a[pu + 1..=pv].reverse();
    judge(state, ru, ru, scratch)
}
