//! 2-opt* (swap tails): cut two routes and exchange their ends so that `u` is followed by
//! `v`: `A = a₁…u | u⁺…` and `B = b₁…v⁻ | v…` become `a₁…u v…` and `b₁…v⁻ u⁺…`.

use super::{Improvement, Scratch, judge};
use crate::routing::state::State;

pub fn swap_tails(state: &State, u: usize, v: usize, scratch: &mut Scratch) -> Option<Improvement> {
    let (ru, pu) = state.position(u)?;
    let (rv, pv) = state.position(v)?;
    if ru == rv {
        return None;
    }
    let (a, b) = (&state.routes[ru], &state.routes[rv]);
    let jobs = &state.inst.jobs;
    if !b[pv..].iter().all(|&j| jobs[j].can_use(ru)) || !a[pu + 1..].iter().all(|&j| jobs[j].can_use(rv)) {
        return None;
    }
    scratch.a.clear();
    scratch.a.extend(a[..=pu].iter().chain(&b[pv..]));
    scratch.b.clear();
    scratch.b.extend(b[..pv].iter().chain(&a[pu + 1..]));
    judge(state, ru, rv, scratch)
}
