//! Entry points for runtime benchmarks of the search internals (`benches/routing_core.rs`):
//! pricing moves and one full local-search descent. Not part of the stable API.

use super::SearchParams;
use super::context::Context;
use super::ils::random_solution;
use super::instance::Instance;
use super::route::Piece::Range;
use super::search::{Eval, LocalSearch, Scratch};
use crate::rng::Rng;

/// What one descent did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Descent {
    /// Route costs plus missed prizes of the result, no penalties.
    pub cost: i64,
    /// Moves judged (each one or two proposed routes).
    pub judged: u64,
    /// Proposed routes priced exactly.
    pub priced: u64,
}

/// A random solution of `inst` improved by one exhaustive local search, with the granular
/// neighbourhoods [`super::solve`] would use — the work of one full descent.
pub fn local_search_descent(inst: &Instance, seed: u64) -> Descent {
    let ctx = Context::new(inst, &SearchParams::default());
    let mut rng = Rng::seed(seed);
    let mut ls = LocalSearch::new(&ctx);
    let mut sol = random_solution(&ctx, &mut rng);
    let costs = ctx.initial_penalties();
    ls.run_exhaustive(&ctx, &mut sol, &costs, &mut rng);
    let (judged, priced) = ls.counts();
    Descent { cost: sol.summary(&ctx).cost, judged, priced }
}

/// Prices `count` random relocations of one job between two routes of a random solution
/// and returns the sum of their cost deltas (so the work cannot be optimised away).
pub fn price_relocations(inst: &Instance, seed: u64, count: usize) -> i64 {
    let ctx = Context::new(inst, &SearchParams::default());
    let mut rng = Rng::seed(seed);
    let sol = random_solution(&ctx, &mut rng);
    let costs = ctx.initial_penalties();
    let used: Vec<usize> = (0..sol.routes.len()).filter(|&r| sol.routes[r].len() >= 2).collect();
    let mut scratch = Scratch::default();
    let mut e = Eval { ctx: &ctx, sol: &sol, costs: &costs, scratch: &mut scratch };
    let mut total = 0i64;
    for _ in 0..count {
        let (a, b) = (used[rng.below(used.len())], used[rng.below(used.len())]);
        if a == b {
            continue;
        }
        let (la, lb) = (sol.routes[a].len(), sol.routes[b].len());
        let (p, q) = (1 + rng.below(la), rng.below(lb + 1));
        let new_a = [Range { route: a, from: 1, to: p - 1 }, Range { route: a, from: p + 1, to: la }];
        let new_b = [
            Range { route: b, from: 1, to: q },
            Range { route: a, from: p, to: p },
            Range { route: b, from: q + 1, to: lb },
        ];
        total += e.price(a, &new_a) + e.price(b, &new_b) - e.current(a) - e.current(b);
    }
    total
}
