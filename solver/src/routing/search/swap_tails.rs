//! 2-opt* (swap tails): cut two routes after `u` and after `v` and exchange the ends:
//! `a₁…u | u⁺…` and `b₁…v | v⁺…` become `a₁…u v⁺…` and `b₁…v u⁺…`. With `v` the start
//! depot, `u`'s tail moves in front of `v`'s whole route.

use super::{Anchor, Change, Eval};
use crate::routing::route::Piece::Range;

pub fn swap_tails(e: &mut Eval, (ru, pu): Anchor, (rv, pv): Anchor) -> Option<Change> {
    if ru == rv {
        return None;
    }
    let (a_len, b_len) = (e.sol.routes[ru].len(), e.sol.routes[rv].len());
    if pu == a_len && pv == b_len {
        return None; // both tails empty
    }
    if !e.allowed(rv, pv + 1, b_len, ru) || !e.allowed(ru, pu + 1, a_len, rv) {
        return None;
    }
    let a = [Range { route: ru, from: 1, to: pu }, Range { route: rv, from: pv + 1, to: b_len }];
    let b = [Range { route: rv, from: 1, to: pv }, Range { route: ru, from: pu + 1, to: a_len }];
    e.judge((ru, &a), Some((rv, &b)), 0)
}
