//! Routing with alternatives: jobs come in groups, each group has several patterns (sets
//! of jobs), and exactly one pattern per group is routed — a customer visited on one of
//! its allowed day combinations (periodic VRP), with one job per day and the day's
//! vehicles only. The iterated local search gains one more perturbation: switch the
//! patterns of a few nearby groups (leaving jobs are removed, arriving jobs inserted), and
//! the focused local search then repairs the routes around them.

use super::context::Context;
use super::cost::CostEvaluator;
use super::ils::{self, Hooks, Improvement, Perturbation, random_solution_of};
use super::instance::Instance;
use super::repair::insert_missing;
use super::route::Piece;
use super::search::LocalSearch;
use super::search::{Eval, Scratch};
use super::solution::Solution;
use super::{RoutingSolution, SearchParams};
use crate::rng::Rng;
use crate::units::Cost;

/// Groups of patterns; a pattern is a list of job indices. Every job belongs to at least
/// one pattern of exactly one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alternatives {
    pub groups: Vec<Vec<Vec<usize>>>,
}

/// Share of iterations that switch patterns instead of the standard perturbation.
const SWITCH_SHARE: f64 = 0.3;
/// Patterns of up to this many nearby groups switch at once.
const MAX_GROUPS: usize = 3;
/// Share of iterations followed by a full pattern-improvement pass.
const IMPROVE_SHARE: f64 = 0.1;

fn enabled_of(inst: &Instance, alts: &Alternatives, choice: &[usize]) -> Vec<bool> {
    let mut enabled = vec![false; inst.jobs.len()];
    for (g, &p) in choice.iter().enumerate() {
        for &j in &alts.groups[g][p] {
            enabled[j] = true;
        }
    }
    enabled
}

/// The pattern each group currently uses (read from the enabled jobs).
fn choice_of(alts: &Alternatives, sol: &Solution) -> Vec<usize> {
    alts.groups
        .iter()
        .map(|patterns| patterns.iter().position(|p| p.iter().all(|&j| sol.enabled[j])).unwrap_or(0))
        .collect()
}

/// Switches group `g` to pattern `to`; returns the jobs that arrive (still unrouted).
fn switch(
    ctx: &Context,
    sol: &mut Solution,
    alts: &Alternatives,
    g: usize,
    to: usize,
    ls: &mut LocalSearch,
) -> Vec<usize> {
    let new: &[usize] = &alts.groups[g][to];
    let leaving: Vec<usize> =
        alts.groups[g].iter().flatten().copied().filter(|j| sol.enabled[*j] && !new.contains(j)).collect();
    for &j in &leaving {
        ls.mark(sol, j);
    }
    sol.remove(ctx, &leaving);
    for &j in &leaving {
        sol.enabled[j] = false;
    }
    let arriving: Vec<usize> = new.iter().copied().filter(|&j| !sol.enabled[j]).collect();
    for &j in new {
        sol.enabled[j] = true;
    }
    arriving
}

/// New pieces per changed route: `(route index, pieces)`.
type RouteChanges = Vec<(usize, Vec<Piece>)>;

/// The change of penalised cost of moving group `g` to pattern `to`: leaving jobs removed
/// from their routes, arriving jobs at their cheapest place in their allowed routes (each
/// job's routes are priced independently, so this is exact when the jobs of a group ride
/// different routes, as the days of a customer do). With the changes to make.
fn pattern_move(
    ctx: &Context,
    sol: &Solution,
    costs: &CostEvaluator,
    alts: &Alternatives,
    g: usize,
    to: usize,
) -> Option<(i64, RouteChanges)> {
    let new: &[usize] = &alts.groups[g][to];
    let leaving: Vec<usize> =
        alts.groups[g].iter().flatten().copied().filter(|j| sol.enabled[*j] && !new.contains(j)).collect();
    let arriving: Vec<usize> = new.iter().copied().filter(|&j| !sol.enabled[j]).collect();
    let mut scratch = Scratch::default();
    let mut e = Eval { ctx, sol, costs, scratch: &mut scratch };
    let mut delta = 0i64;
    let mut changes: RouteChanges = Vec::new();
    for &j in &leaving {
        let (r, p) = sol.position[j]?;
        if changes.iter().any(|(cr, _)| *cr == r) {
            return None; // two jobs of the group in one route: not this move's case
        }
        let len = sol.routes[r].len();
        let pieces =
            vec![Piece::Range { route: r, from: 1, to: p - 1 }, Piece::Range { route: r, from: p + 1, to: len }];
        delta += e.price(r, &pieces) - e.current(r);
        changes.push((r, pieces));
    }
    for &j in &arriving {
        let mut best: Option<(i64, usize, Vec<Piece>)> = None;
        let empties: Vec<usize> =
            ctx.empty_routes(|r| sol.routes[r].is_empty() && ctx.inst.jobs[j].can_use(r)).collect();
        for r in
            (0..sol.routes.len()).filter(|&r| !sol.routes[r].is_empty() && ctx.inst.jobs[j].can_use(r)).chain(empties)
        {
            if changes.iter().any(|(cr, _)| *cr == r) {
                continue;
            }
            let len = sol.routes[r].len();
            for p in 0..=len {
                let pieces = vec![
                    Piece::Range { route: r, from: 1, to: p },
                    Piece::Job(j),
                    Piece::Range { route: r, from: p + 1, to: len },
                ];
                let d = e.price(r, &pieces) - e.current(r);
                if best.as_ref().is_none_or(|b| d < b.0) {
                    best = Some((d, r, pieces));
                }
            }
        }
        let (d, r, pieces) = best?;
        delta += d;
        changes.push((r, pieces));
    }
    Some((delta, changes))
}

/// One pass of pattern improvement: every switchable group (in random order) moves to its
/// best pattern when that lowers the penalised cost. Returns whether anything moved.
fn improve_patterns(
    ctx: &Context,
    sol: &mut Solution,
    costs: &CostEvaluator,
    rng: &mut Rng,
    ls: &mut LocalSearch,
    alts: &Alternatives,
    switchable: &[usize],
) -> bool {
    let mut order = switchable.to_vec();
    rng.shuffle(&mut order);
    let mut moved = false;
    for g in order {
        let current = choice_of(alts, sol)[g];
        let best = (0..alts.groups[g].len())
            .filter(|&to| to != current)
            .filter_map(|to| pattern_move(ctx, sol, costs, alts, g, to).map(|(d, c)| (d, to, c)))
            .min_by_key(|x| x.0);
        if let Some((delta, to, changes)) = best.filter(|b| b.0 < 0) {
            let leaving: Vec<usize> = alts.groups[g]
                .iter()
                .flatten()
                .copied()
                .filter(|j| sol.enabled[*j] && !alts.groups[g][to].contains(j))
                .collect();
            for &j in &leaving {
                ls.mark(sol, j);
            }
            for &j in &alts.groups[g][to] {
                sol.enabled[j] = true;
            }
            sol.apply(ctx, &changes);
            for &j in &leaving {
                sol.enabled[j] = false;
            }
            for &j in &alts.groups[g][to] {
                ls.mark(sol, j);
            }
            let _ = delta;
            moved = true;
        }
    }
    moved
}

/// Solves the instance routing exactly one pattern per group, starting from `choice`.
/// Returns the solution and the chosen pattern per group.
pub fn solve_with_alternatives(
    inst: &Instance,
    alts: &Alternatives,
    choice: Vec<usize>,
    params: &SearchParams,
) -> (RoutingSolution, Vec<usize>) {
    let ctx = Context::new(inst, params);
    let mut group_of = vec![usize::MAX; inst.jobs.len()];
    for (g, patterns) in alts.groups.iter().enumerate() {
        for &j in patterns.iter().flatten() {
            group_of[j] = g;
        }
    }
    let switchable: Vec<usize> = (0..alts.groups.len())
        .filter(|&g| alts.groups[g].len() > 1 && alts.groups[g].iter().any(|p| !p.is_empty()))
        .collect();
    let mut rng = Rng::seed(params.seed ^ 0x5eed);
    let initial = random_solution_of(&ctx, &mut rng, &enabled_of(inst, alts, &choice));
    let mut apply = |ctx: &Context, sol: &mut Solution, costs: &CostEvaluator, rng: &mut Rng, ls: &mut LocalSearch| {
        if switchable.is_empty() {
            return;
        }
        let first = switchable[rng.below(switchable.len())];
        let mut groups = vec![first];
        let anchor = alts.groups[first].iter().flatten().next().copied().unwrap_or_default();
        for &v in &ctx.neighbours[anchor] {
            let g = group_of[v];
            if groups.len() > rng.below(MAX_GROUPS) {
                break;
            }
            if g != usize::MAX && alts.groups[g].len() > 1 && !groups.contains(&g) {
                groups.push(g);
            }
        }
        // Each group moves to its best other pattern, priced by greedy reinsertion.
        for g in groups {
            let current = choice_of(alts, sol)[g];
            let mut best: Option<(i64, Solution, Vec<usize>)> = None;
            for to in (0..alts.groups[g].len()).filter(|&to| to != current) {
                let mut trial = sol.clone();
                let arrived = switch(ctx, &mut trial, alts, g, to, ls);
                insert_missing(ctx, &mut trial, costs, rng);
                let cost = trial.summary(ctx).penalised(costs) as i64;
                if best.as_ref().is_none_or(|b| cost < b.0) {
                    best = Some((cost, trial, arrived));
                }
            }
            if let Some((_, chosen, arrived)) = best {
                *sol = chosen;
                for j in arrived {
                    if sol.position[j].is_some() {
                        ls.mark(sol, j);
                    }
                }
            }
        }
    };
    let mut improve =
        |ctx: &Context, sol: &mut Solution, costs: &CostEvaluator, rng: &mut Rng, ls: &mut LocalSearch| {
            improve_patterns(ctx, sol, costs, rng, ls, alts, &switchable)
        };
    let hooks = Hooks {
        initial: Some(initial),
        perturbation: Some(Perturbation { share: SWITCH_SHARE, apply: &mut apply }),
        improvement: Some(Improvement { share: IMPROVE_SHARE, apply: &mut improve }),
    };
    let outcome = ils::run(&ctx, params, hooks, &mut |_, _| {});
    match outcome.best {
        Some((best, cost)) => {
            let chosen = choice_of(alts, &best);
            let routes = best.jobs_per_route();
            let mut routed = vec![false; inst.jobs.len()];
            routes.iter().flatten().for_each(|&j| routed[j] = true);
            let unassigned = (0..inst.jobs.len()).filter(|&j| best.enabled[j] && !routed[j]).collect();
            (
                RoutingSolution {
                    routes,
                    unassigned,
                    objective: Cost(cost),
                    iterations: outcome.iterations,
                    feasible: true,
                },
                chosen,
            )
        }
        None => (RoutingSolution::infeasible(inst, outcome.iterations), choice),
    }
}
