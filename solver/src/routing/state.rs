//! The mutable working copy the search edits: routes per vehicle with cached costs.
//!
//! Kept apart from the public result ([`super::RoutingSolution`]), as PyVRP does.

use super::instance::Instance;
use super::schedule::{RouteCost, evaluate};
use crate::units::Cost;

#[derive(Clone, Debug)]
pub struct State<'i, 'm> {
    pub inst: &'i Instance<'m>,
    /// Jobs of each vehicle's route, in visiting order.
    pub routes: Vec<Vec<usize>>,
    /// Cached evaluation of each route. Invariant: `costs[v] == evaluate(routes[v])`.
    pub costs: Vec<RouteCost>,
    /// The vehicle serving each job, `None` if unassigned.
    pub route_of: Vec<Option<usize>>,
    /// Vehicles with identical attributes share a profile; empty routes of one profile are
    /// interchangeable, so moves into empty routes try one per profile.
    pub profile: Vec<usize>,
}

impl<'i, 'm> State<'i, 'm> {
    pub fn new(inst: &'i Instance<'m>) -> Self {
        let n_vehicles = inst.vehicles.len();
        let mut profile = Vec::with_capacity(n_vehicles);
        for v in 0..n_vehicles {
            let same = (0..v).find(|&w| same_profile(inst, v, w));
            profile.push(same.map_or(v, |w| profile[w]));
        }
        State {
            inst,
            routes: vec![Vec::new(); n_vehicles],
            costs: vec![RouteCost::default(); n_vehicles],
            route_of: vec![None; inst.jobs.len()],
            profile,
        }
    }

    /// Replaces a vehicle's route and refreshes the caches.
    pub fn set_route(&mut self, vehicle: usize, jobs: Vec<usize>) {
        for &j in &self.routes[vehicle] {
            self.route_of[j] = None;
        }
        for &j in &jobs {
            self.route_of[j] = Some(vehicle);
        }
        self.costs[vehicle] = evaluate(self.inst, vehicle, &jobs);
        self.routes[vehicle] = jobs;
    }

    /// Removes the given jobs from their routes (each touched route is re-evaluated once).
    pub fn remove_jobs(&mut self, jobs: &[usize]) {
        let mut touched: Vec<usize> = jobs.iter().filter_map(|&j| self.route_of[j]).collect();
        touched.sort_unstable();
        touched.dedup();
        for &j in jobs {
            self.route_of[j] = None;
        }
        for v in touched {
            let route_of = &self.route_of;
            let kept: Vec<usize> = self.routes[v].iter().copied().filter(|&j| route_of[j] == Some(v)).collect();
            self.set_route(v, kept);
        }
    }

    pub fn position(&self, job: usize) -> Option<(usize, usize)> {
        let v = self.route_of[job]?;
        let pos = self.routes[v].iter().position(|&j| j == job)?;
        Some((v, pos))
    }

    pub fn unassigned(&self) -> Vec<usize> {
        (0..self.route_of.len()).filter(|&j| self.route_of[j].is_none()).collect()
    }

    pub fn is_feasible(&self) -> bool {
        self.costs.iter().all(RouteCost::is_feasible)
    }

    /// Route costs plus prizes of unassigned jobs.
    pub fn objective(&self) -> Cost {
        let routes: Cost = self.costs.iter().map(|c| c.cost).sum();
        let missed: Cost = self.unassigned().into_iter().map(|j| self.inst.prize(j)).sum();
        routes + missed
    }

    /// The first empty route of each profile.
    pub fn empty_routes(&self) -> Vec<usize> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for v in 0..self.routes.len() {
            if self.routes[v].is_empty() && !seen.contains(&self.profile[v]) {
                seen.push(self.profile[v]);
                out.push(v);
            }
        }
        out
    }
}

fn same_profile(inst: &Instance, a: usize, b: usize) -> bool {
    let (x, y) = (&inst.vehicles[a], &inst.vehicles[b]);
    let allowed_alike = inst.jobs.iter().all(|j| j.can_use(a) == j.can_use(b));
    x.start_location == y.start_location
        && x.end_location == y.end_location
        && x.shift == y.shift
        && x.capacity == y.capacity
        && x.max_work == y.max_work
        && x.lunch == y.lunch
        && x.fixed_cost == y.fixed_cost
        && allowed_alike
}
