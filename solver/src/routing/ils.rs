//! Iterated local search (the outer loop): perturb the current solution a little, improve
//! it with a local search focused on what the perturbation touched, and accept it by late
//! acceptance hill climbing (Burke & Bykov 2017, with both enhancements of their §4.2), as
//! PyVRP does since version 0.12. New best solutions get an exhaustive local search with
//! SWAP*. Penalty weights adapt to keep about 65 % of candidates feasible; the search
//! restarts from the best solution after a long stall. Stops on iterations, iterations
//! without improvement, or a time limit.

use std::collections::VecDeque;
use std::time::Instant;

use super::SearchParams;
use super::context::Context;
use super::cost::CostEvaluator;
use super::penalty::PenaltyManager;
use super::perturb::perturb;
use super::search::LocalSearch;
use super::solution::{Solution, Summary};
use crate::rng::Rng;

/// Late acceptance compares a candidate with the current solution of this many accepted
/// steps ago.
const HISTORY: usize = 300;
/// Perturbation size: 1 to this many jobs.
const MAX_PERTURBATION: usize = 25;
/// Restart from the best solution after this many iterations without a new best.
const RESTART_AFTER: u64 = 150_000;
/// Penalty boost for the very first local search (from a random solution).
const INITIAL_BOOST: f64 = 100.0;

/// A random solution: mandatory jobs (and half of the optional ones) shuffled and spread in
/// equal consecutive chunks over all vehicles, as PyVRP starts. The first local search
/// then merges the short routes; starting from few long routes instead leaves the search
/// in a basin with more routes than needed on long-route instances (R2, C2, RC2).
pub fn random_solution(ctx: &Context, rng: &mut Rng) -> Solution {
    random_solution_of(ctx, rng, &vec![true; ctx.inst.jobs.len()])
}

/// [`random_solution`] over the enabled jobs only.
pub fn random_solution_of(ctx: &Context, rng: &mut Rng, enabled: &[bool]) -> Solution {
    let mut jobs: Vec<usize> = (0..ctx.inst.jobs.len())
        .filter(|&j| enabled[j] && (ctx.inst.jobs[j].prize.is_none() || rng.unit() < 0.5))
        .collect();
    rng.shuffle(&mut jobs);
    let per_route = jobs.len().div_ceil(ctx.inst.vehicles.len().max(1)).max(1);
    let mut routes = vec![Vec::new(); ctx.inst.vehicles.len()];
    for (k, chunk) in jobs.chunks(per_route).enumerate() {
        for &j in chunk {
            // The chunk's vehicle, or the first one allowed to take the job (none: unassigned).
            let allowed = |v: &usize| ctx.inst.jobs[j].can_use(*v);
            if let Some(v) = Some(k).filter(allowed).or_else(|| (0..routes.len()).find(allowed)) {
                routes[v].push(j);
            }
        }
    }
    let mut s = Solution::new(ctx, routes);
    s.enabled = enabled.to_vec();
    s
}

/// An extra perturbation, used with probability `share` instead of the standard one.
pub struct Perturbation<'h> {
    pub share: f64,
    pub apply: &'h mut dyn FnMut(&Context, &mut Solution, &CostEvaluator, &mut Rng, &mut LocalSearch),
}

/// An extra improvement step run after the local search with probability `share` (and
/// always on new best solutions); returns whether it changed the solution, in which case
/// the local search runs again.
pub struct Improvement<'h> {
    pub share: f64,
    pub apply: &'h mut dyn FnMut(&Context, &mut Solution, &CostEvaluator, &mut Rng, &mut LocalSearch) -> bool,
}

/// How the search starts and what else it may do.
#[derive(Default)]
pub struct Hooks<'h> {
    /// The starting solution (else a random one).
    pub initial: Option<Solution>,
    pub perturbation: Option<Perturbation<'h>>,
    pub improvement: Option<Improvement<'h>>,
}

pub struct Outcome {
    /// The best feasible solution and its cost.
    pub best: Option<(Solution, i64)>,
    pub iterations: u64,
}

/// Runs the search, from `initial` routes (per vehicle) when given, else from a random
/// solution.
pub fn run(ctx: &Context, params: &SearchParams, mut hooks: Hooks, progress: &mut dyn FnMut(u64, i64)) -> Outcome {
    let started = Instant::now();
    let out_of_time = || params.time_limit.is_some_and(|l| started.elapsed() >= l);
    let mut rng = Rng::seed(params.seed);
    let mut penalties = PenaltyManager::new(ctx.initial_penalties());
    let mut ls = LocalSearch::new(ctx);

    let mut current = match hooks.initial.take() {
        Some(mut s) => {
            super::repair::insert_missing(ctx, &mut s, &penalties.costs, &mut rng);
            s
        }
        None => random_solution(ctx, &mut rng),
    };
    ls.run_exhaustive(ctx, &mut current, &penalties.costs.boosted(INITIAL_BOOST), &mut rng);
    let mut current_summary = current.summary(ctx);
    let mut best: Option<(Solution, i64)> = None;
    let consider = |sol: &Solution, s: Summary, best: &mut Option<(Solution, i64)>| -> bool {
        let better = s.is_feasible() && best.as_ref().is_none_or(|(_, c)| s.cost < *c);
        if better {
            *best = Some((sol.clone(), s.cost));
        }
        better
    };
    if ctx.inst.jobs.iter().all(|j| j.prize.is_some()) {
        let mut empty = Solution::new(ctx, Vec::new());
        empty.enabled = current.enabled.clone();
        let s = empty.summary(ctx);
        consider(&empty, s, &mut best);
    }
    consider(&current, current_summary, &mut best);

    let mut history: VecDeque<Summary> = VecDeque::with_capacity(HISTORY);
    let (mut iterations, mut since_best) = (0u64, 0u64);
    while iterations < params.max_iterations && since_best < params.max_no_improvement && !out_of_time() {
        iterations += 1;
        since_best += 1;
        if since_best % RESTART_AFTER == 0
            && let Some((b, _)) = &best
        {
            current = b.clone();
            current_summary = current.summary(ctx);
            history.clear();
        }
        let costs = penalties.costs;
        let mut candidate = current.clone();
        match hooks.perturbation.as_mut().filter(|p| rng.unit() < p.share) {
            Some(p) => (p.apply)(ctx, &mut candidate, &costs, &mut rng, &mut ls),
            None => {
                let count = 1 + rng.below(MAX_PERTURBATION.min(ctx.inst.jobs.len().max(1)));
                perturb(ctx, &mut candidate, &costs, &mut rng, count, &mut ls);
            }
        }
        ls.run_focused(ctx, &mut candidate, &costs, &mut rng);
        if let Some(imp) = hooks.improvement.as_mut().filter(|i| rng.unit() < i.share)
            && (imp.apply)(ctx, &mut candidate, &costs, &mut rng, &mut ls)
        {
            ls.run_focused(ctx, &mut candidate, &costs, &mut rng);
        }
        let mut summary = candidate.summary(ctx);
        penalties.register(summary.load_violation == 0, summary.time_violation == 0);
        if consider(&candidate, summary, &mut best) {
            since_best = 0;
            let mut polished = candidate.clone();
            ls.run_exhaustive(ctx, &mut polished, &costs, &mut rng);
            if let Some(imp) = hooks.improvement.as_mut()
                && (imp.apply)(ctx, &mut polished, &costs, &mut rng, &mut ls)
            {
                ls.run_exhaustive(ctx, &mut polished, &costs, &mut rng);
            }
            let s = polished.summary(ctx);
            if consider(&polished, s, &mut best) {
                candidate = polished;
                summary = s;
            }
        }
        // Late acceptance hill climbing.
        let cand_cost = summary.penalised(&costs);
        let curr_cost = current_summary.penalised(&costs);
        let late = if history.len() == HISTORY { history.front().copied() } else { None };
        let late_cost = late.map_or(curr_cost, |l| l.penalised(&costs));
        if cand_cost < late_cost || cand_cost < curr_cost {
            current = candidate;
            current_summary = summary;
        }
        let curr_cost = current_summary.penalised(&costs);
        if late.is_none() || curr_cost < late_cost {
            if history.len() == HISTORY {
                history.pop_front();
            }
            history.push_back(current_summary);
        } else if let Some(oldest) = history.pop_front() {
            history.push_back(oldest);
        }
        if iterations % 1000 == 0 {
            progress(iterations, best.as_ref().map_or(i64::MAX, |b| b.1));
        }
    }
    progress(iterations, best.as_ref().map_or(i64::MAX, |b| b.1));
    Outcome { best, iterations }
}
