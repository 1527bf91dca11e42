//! The routing core: one day's vehicle routing with time windows, shifts, lunch breaks,
//! capacities, allowed vehicles and optional jobs with prizes.
//!
//! [`solve`] builds a first solution by regret insertion, improves it by local search and
//! then runs an iterated local search with ruin-and-recreate. Only feasible solutions are
//! kept; jobs that fit nowhere come back unassigned.

mod insertion;
mod instance;
mod neighbours;
mod ruin;
mod schedule;
mod search;
mod state;

pub use instance::{CostRates, Instance, Job, LOAD_DIMS, Load, MANDATORY_PRIZE, RouteVehicle};
pub use schedule::{LunchSlot, RouteCost, RouteTimes, evaluate, route_times};

use std::time::{Duration, Instant};

use crate::rng::Rng;
use crate::units::Cost;
use state::State;

/// Stopping rules and randomness of [`solve`]. Results are deterministic for a seed when
/// the search stops on an iteration rule rather than the time limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchParams {
    pub seed: u64,
    /// Ruin-and-recreate iterations at most.
    pub max_iterations: u64,
    /// Stop after this many iterations without a new best solution.
    pub max_no_improvement: u64,
    pub time_limit: Option<Duration>,
    /// Neighbours per job in the granular neighbourhoods.
    pub neighbours: usize,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams { seed: 1, max_iterations: 2_000, max_no_improvement: 500, time_limit: None, neighbours: 30 }
    }
}

/// The result of a routing solve: each vehicle's jobs in order, and the jobs left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutingSolution {
    pub routes: Vec<Vec<usize>>,
    pub unassigned: Vec<usize>,
    /// Route costs plus prizes of unassigned jobs.
    pub objective: Cost,
    pub iterations: u64,
}

/// Solves the instance. `progress(iteration, best objective)` is called now and then.
pub fn solve(inst: &Instance, params: &SearchParams, progress: &mut dyn FnMut(u64, Cost)) -> RoutingSolution {
    let started = Instant::now();
    let mut rng = Rng::seed(params.seed);
    let neighbours = neighbours::neighbours(inst, params.neighbours);
    let mut current = State::new(inst);
    let all: Vec<usize> = (0..inst.jobs.len()).collect();
    insertion::insert_regret(&mut current, &all, &mut rng);
    search::local_search(&mut current, &neighbours, &mut rng, 50);
    let mut best = current.clone();
    let mut best_obj = best.objective();
    let mut current_obj = best_obj;
    let mut since_best = 0;
    let mut iterations = 0;
    let assigned_count = |s: &State| s.route_of.iter().filter(|r| r.is_some()).count();
    while iterations < params.max_iterations && since_best < params.max_no_improvement {
        if params.time_limit.is_some_and(|limit| started.elapsed() >= limit) {
            break;
        }
        iterations += 1;
        since_best += 1;
        let mut candidate = current.clone();
        let max_remove = (assigned_count(&candidate) / 4).clamp(1, 30);
        let count = 1 + rng.below(max_remove);
        let victims = ruin::choose_victims(&candidate, &neighbours, count, &mut rng);
        candidate.remove_jobs(&victims);
        let mut pending = candidate.unassigned();
        rng.shuffle(&mut pending);
        insertion::insert_greedy(&mut candidate, &pending, 0.01, &mut rng);
        search::local_search(&mut candidate, &neighbours, &mut rng, 10);
        let obj = candidate.objective();
        // Record-to-record acceptance with a threshold that shrinks to zero.
        let progress_fraction = iterations as f64 / params.max_iterations as f64;
        let threshold = (0.02 * (1.0 - progress_fraction) * best_obj.get().abs() as f64) as i64;
        if obj.get() < best_obj.get() + threshold || obj < current_obj {
            current = candidate;
            current_obj = obj;
        }
        if current_obj < best_obj {
            best = current.clone();
            best_obj = current_obj;
            since_best = 0;
        }
        if iterations % 100 == 0 {
            progress(iterations, best_obj);
        }
    }
    progress(iterations, best_obj);
    debug_assert!(best.is_feasible());
    RoutingSolution { unassigned: best.unassigned(), routes: best.routes, objective: best_obj, iterations }
}
