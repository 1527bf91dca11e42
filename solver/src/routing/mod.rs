//! The routing core: vehicle routing with time windows, shifts, lunch breaks, capacities,
//! allowed vehicles, several depots and optional jobs with prizes.
//!
//! [`solve`] runs an iterated local search ([`ils`]) whose local search prices moves in
//! O(1) from segment summaries when every job has one window and no vehicle takes a break
//! (the plain VRPTW path), and by simulating the route otherwise. Infeasible solutions are
//! explored with adaptive penalties; only feasible ones are returned.

mod context;
mod cost;
mod ils;
mod instance;
mod neighbours;
mod patterns;
mod penalty;
mod perturb;
#[doc(hidden)]
pub mod probe;
mod repair;
mod route;
mod schedule;
mod search;
mod segment;
mod solution;
mod verify;

pub use instance::{CostRates, Instance, Job, LOAD_DIMS, Load, MANDATORY_PRIZE, RouteVehicle};
pub use patterns::{Alternatives, solve_with_alternatives};
pub use schedule::{LunchSlot, RouteCost, RouteTimes, evaluate, route_times};
pub use verify::verify;

use std::time::Duration;

use crate::units::Cost;
use context::Context;

/// Stopping rules and randomness of [`solve`]. Results are deterministic for a seed when
/// the search stops on an iteration rule rather than the time limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchParams {
    pub seed: u64,
    /// Genetic iterations (children) at most.
    pub max_iterations: u64,
    /// Stop after this many iterations without a new best solution.
    pub max_no_improvement: u64,
    pub time_limit: Option<Duration>,
    /// Neighbours per job in the granular neighbourhoods; `None`: scaled to the instance
    /// (20 to 50, see `neighbours::granularity`).
    pub neighbours: Option<usize>,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams { seed: 1, max_iterations: 2_000, max_no_improvement: 500, time_limit: None, neighbours: None }
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
    /// Whether a feasible solution was found; if not, `routes` is empty and every job is
    /// listed unassigned.
    pub feasible: bool,
}

impl RoutingSolution {
    /// No feasible solution: every job unassigned.
    pub fn infeasible(inst: &Instance, iterations: u64) -> RoutingSolution {
        RoutingSolution {
            routes: vec![Vec::new(); inst.vehicles.len()],
            unassigned: (0..inst.jobs.len()).collect(),
            objective: Cost(i64::MAX),
            iterations,
            feasible: false,
        }
    }
}

/// Solves the instance. `progress(iteration, best objective)` is called now and then.
pub fn solve(inst: &Instance, params: &SearchParams, progress: &mut dyn FnMut(u64, Cost)) -> RoutingSolution {
    solve_from(inst, params, None, progress)
}

/// Solves the instance starting from `initial` routes (jobs per vehicle; missing jobs are
/// inserted first), or from a random solution.
pub fn solve_from(
    inst: &Instance,
    params: &SearchParams,
    initial: Option<Vec<Vec<usize>>>,
    progress: &mut dyn FnMut(u64, Cost),
) -> RoutingSolution {
    let ctx = Context::new(inst, params);
    // A warm start may hold a job on a vehicle it no longer allows (a request joined a
    // visit and needs other equipment): such jobs start unassigned and are inserted anew.
    let allowed = |k: usize, j: usize| inst.jobs[j].allowed_vehicles.as_ref().is_none_or(|a| a.get(k) == Some(&true));
    let initial = initial.map(|routes| {
        routes.into_iter().enumerate().map(|(k, jobs)| jobs.into_iter().filter(|&j| allowed(k, j)).collect()).collect()
    });
    let hooks =
        ils::Hooks { initial: initial.map(|routes| solution::Solution::new(&ctx, routes)), ..ils::Hooks::default() };
    let outcome = ils::run(&ctx, params, hooks, &mut |i, c| progress(i, Cost(c)));
    match outcome.best {
        Some((best, cost)) => {
            let routes = best.jobs_per_route();
            let mut routed = vec![false; inst.jobs.len()];
            routes.iter().flatten().for_each(|&j| routed[j] = true);
            RoutingSolution {
                unassigned: (0..inst.jobs.len()).filter(|&j| !routed[j]).collect(),
                objective: Cost(cost),
                routes,
                iterations: outcome.iterations,
                feasible: true,
            }
        }
        None => RoutingSolution::infeasible(inst, outcome.iterations),
    }
}
