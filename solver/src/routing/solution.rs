//! The working solution the local search edits: one route per vehicle with caches, and
//! each job's position. Kept apart from the immutable result, as PyVRP does.

use super::context::Context;
use super::cost::CostEvaluator;
use super::route::{Piece, Route, materialise};

#[derive(Clone, Debug)]
pub struct Solution {
    /// `routes[v]` is vehicle `v`'s route.
    pub routes: Vec<Route>,
    /// `(route, visit index)` of each job; `None` if unassigned.
    pub position: Vec<Option<(usize, usize)>>,
    /// Jobs that take part in this solution (all by default). A disabled job is never
    /// routed and costs nothing; the periodic planner uses this to switch a customer's
    /// visits between days.
    pub enabled: Vec<bool>,
}

impl Solution {
    /// Builds a solution from job lists per vehicle (missing vehicles get empty routes).
    pub fn new(ctx: &Context, mut routes: Vec<Vec<usize>>) -> Solution {
        routes.resize(ctx.inst.vehicles.len(), Vec::new());
        let routes: Vec<Route> =
            routes.into_iter().enumerate().map(|(v, jobs)| Route::new(ctx.inst, ctx.fast, v, jobs)).collect();
        let mut s =
            Solution { routes, position: vec![None; ctx.inst.jobs.len()], enabled: vec![true; ctx.inst.jobs.len()] };
        for r in 0..s.routes.len() {
            s.index_route(r);
        }
        s
    }

    fn index_route(&mut self, r: usize) {
        for (i, &j) in self.routes[r].jobs.iter().enumerate() {
            self.position[j] = Some((r, i + 1));
        }
    }

    /// Replaces the jobs of several routes at once. Each new job list is built from the
    /// current routes before any is changed, so pieces may refer to any of them.
    pub fn apply(&mut self, ctx: &Context, changes: &[(usize, Vec<Piece>)]) {
        let new: Vec<(usize, Vec<usize>)> = changes
            .iter()
            .map(|(r, pieces)| {
                let mut jobs = Vec::new();
                materialise(&self.routes, pieces, &mut jobs);
                (*r, jobs)
            })
            .collect();
        for (r, _) in &new {
            for &j in &self.routes[*r].jobs {
                self.position[j] = None;
            }
        }
        for (r, jobs) in new {
            self.routes[r].jobs = jobs;
            self.routes[r].refresh(ctx.inst, ctx.fast);
            self.index_route(r);
        }
    }

    pub fn missed_prizes(&self, ctx: &Context) -> i64 {
        (0..self.position.len())
            .filter(|&j| self.position[j].is_none() && self.enabled[j])
            .map(|j| ctx.inst.prize(j).get())
            .sum()
    }

    pub fn jobs_per_route(&self) -> Vec<Vec<usize>> {
        self.routes.iter().map(|r| r.jobs.clone()).collect()
    }
}

/// A solution's cost parts, so that it can be priced under any penalty weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Route costs plus prizes of unassigned jobs.
    pub cost: i64,
    /// Time warp plus excess work.
    pub time_violation: i64,
    pub load_violation: i64,
    /// Mandatory jobs left out (possible only when no vehicle may take them).
    pub missing_mandatory: usize,
}

impl Summary {
    pub fn penalised(&self, costs: &CostEvaluator) -> f64 {
        self.cost as f64 + costs.time_warp * self.time_violation as f64 + costs.load * self.load_violation as f64
    }

    pub fn is_feasible(&self) -> bool {
        self.time_violation == 0 && self.load_violation == 0 && self.missing_mandatory == 0
    }
}

impl Solution {
    pub fn summary(&self, ctx: &Context) -> Summary {
        let missing_mandatory = (0..self.position.len())
            .filter(|&j| self.position[j].is_none() && self.enabled[j] && ctx.inst.jobs[j].prize.is_none())
            .count();
        let mut s = Summary { cost: self.missed_prizes(ctx), time_violation: 0, load_violation: 0, missing_mandatory };
        for r in &self.routes {
            s.cost += r.cost.cost.get();
            s.time_violation += r.cost.time_warp.get() + r.cost.excess_work.get();
            s.load_violation += r.cost.excess_load;
        }
        s
    }

    /// Removes jobs from their routes (each touched route is rebuilt once).
    pub fn remove(&mut self, ctx: &Context, jobs: &[usize]) {
        let mut touched: Vec<usize> = jobs.iter().filter_map(|&j| self.position[j].map(|(r, _)| r)).collect();
        touched.sort_unstable();
        touched.dedup();
        for &j in jobs {
            self.position[j] = None;
        }
        for r in touched {
            let position = &self.position;
            let kept: Vec<usize> = self.routes[r].jobs.iter().copied().filter(|&j| position[j].is_some()).collect();
            self.routes[r].jobs = kept;
            self.routes[r].refresh(ctx.inst, ctx.fast);
            for (i, &j) in self.routes[r].jobs.iter().enumerate() {
                self.position[j] = Some((r, i + 1));
            }
        }
    }
}
