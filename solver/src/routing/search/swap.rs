//! Swap (Exchange N,M): exchange N consecutive jobs starting at `u` with M consecutive
//! jobs starting at `v`, in one route or across two.

use super::{Anchor, Change, Eval};
use crate::routing::route::Piece::Range;

fn swap(e: &mut Eval, n: usize, m: usize, (ru, pu): Anchor, (rv, pv): Anchor) -> Option<Change> {
    let (u_last, v_last) = (pu + n - 1, pv + m - 1);
    if pv == 0 || u_last > e.sol.routes[ru].len() || v_last > e.sol.routes[rv].len() {
        return None;
    }
    if ru == rv {
        let len = e.sol.routes[ru].len();
        let (first, first_last, second, second_last) =
            if pu < pv { (pu, u_last, pv, v_last) } else { (pv, v_last, pu, u_last) };
        if first_last >= second {
            return None; // overlapping
        }
        if n == m && pu > pv {
            return None; // the same exchange is tried from `v`'s side
        }
        let pieces = [
            Range { route: ru, from: 1, to: first - 1 },
            Range { route: ru, from: second, to: second_last },
            Range { route: ru, from: first_last + 1, to: second - 1 },
            Range { route: ru, from: first, to: first_last },
            Range { route: ru, from: second_last + 1, to: len },
        ];
        return e.judge((ru, &pieces), None, 0);
    }
    if !e.allowed(ru, pu, u_last, rv) || !e.allowed(rv, pv, v_last, ru) {
        return None;
    }
    let (a_len, b_len) = (e.sol.routes[ru].len(), e.sol.routes[rv].len());
    let a = [
        Range { route: ru, from: 1, to: pu - 1 },
        Range { route: rv, from: pv, to: v_last },
        Range { route: ru, from: u_last + 1, to: a_len },
    ];
    let b = [
        Range { route: rv, from: 1, to: pv - 1 },
        Range { route: ru, from: pu, to: u_last },
        Range { route: rv, from: v_last + 1, to: b_len },
    ];
    e.judge((ru, &a), Some((rv, &b)), 0)
}

pub fn swap_one_one(e: &mut Eval, u: Anchor, v: Anchor) -> Option<Change> {
    swap(e, 1, 1, u, v)
}

pub fn swap_two_one(e: &mut Eval, u: Anchor, v: Anchor) -> Option<Change> {
    swap(e, 2, 1, u, v)
}

pub fn swap_two_two(e: &mut Eval, u: Anchor, v: Anchor) -> Option<Change> {
    swap(e, 2, 2, u, v)
}
