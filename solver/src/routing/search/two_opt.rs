//! 2-opt within a route: reverse the jobs after `u` up to `v`, so that `u` is followed by `v`.

use super::{Anchor, Change, Eval};
use crate::routing::route::Piece::{Range, Reversed};

pub fn two_opt(e: &mut Eval, (ru, pu): Anchor, (rv, pv): Anchor) -> Option<Change> {
    if ru != rv || pv <= pu + 1 {
        return None;
    }
    let len = e.sol.routes[ru].len();
    let pieces = [
        Range { route: ru, from: 1, to: pu },
        Reversed { route: ru, from: pu + 1, to: pv },
        Range { route: ru, from: pv + 1, to: len },
    ];
    e.judge((ru, &pieces), None, 0)
}
