//! Relocate (Exchange N,0): move one or two consecutive jobs starting at `u` to right
//! after visit `v` (possibly the start depot), in the same route or another one.

use super::{Anchor, Change, Eval};
use crate::routing::route::Piece::{self, Range};

fn relocate(e: &mut Eval, count: usize, (ru, pu): Anchor, (rv, pv): Anchor) -> Option<Change> {
    let a_len = e.sol.routes[ru].len();
    let last = pu + count - 1;
    if last > a_len {
        return None;
    }
    if ru == rv {
        if pv + 1 >= pu && pv <= last {
            return None; // no change, or `v` inside the moved jobs
        }
        let moved = Range { route: ru, from: pu, to: last };
        let pieces: [Piece; 4] = if pv < pu {
            [
                Range { route: ru, from: 1, to: pv },
                moved,
                Range { route: ru, from: pv + 1, to: pu - 1 },
                Range { route: ru, from: last + 1, to: a_len },
            ]
        } else {
            [
                Range { route: ru, from: 1, to: pu - 1 },
                Range { route: ru, from: last + 1, to: pv },
                moved,
                Range { route: ru, from: pv + 1, to: a_len },
            ]
        };
        return e.judge((ru, &pieces), None, 0);
    }
    if !e.allowed(ru, pu, last, rv) {
        return None;
    }
    let b_len = e.sol.routes[rv].len();
    let a = [Range { route: ru, from: 1, to: pu - 1 }, Range { route: ru, from: last + 1, to: a_len }];
    let b = [
        Range { route: rv, from: 1, to: pv },
        Range { route: ru, from: pu, to: last },
        Range { route: rv, from: pv + 1, to: b_len },
    ];
    e.judge((ru, &a), Some((rv, &b)), 0)
}

/// Moves `u` after `v`.
pub fn relocate_one(e: &mut Eval, u: Anchor, v: Anchor) -> Option<Change> {
    relocate(e, 1, u, v)
}

/// Moves `u` and its successor after `v`.
pub fn relocate_two(e: &mut Eval, u: Anchor, v: Anchor) -> Option<Change> {
    relocate(e, 2, u, v)
}
