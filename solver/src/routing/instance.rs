//! A routing instance: jobs with time windows and demands, vehicles with shifts, breaks and
//! capacities, over one travel matrix. This is the routing core's whole view of the world;
//! the weekly planner and the benchmark readers both translate into it.

use crate::matrix::TravelMatrix;
use crate::model::BreakRule;
use crate::units::{Cost, Seconds, TimeWindow};

/// Number of capacity dimensions (e.g. consultations and class seats).
pub const LOAD_DIMS: usize = 2;

/// A load or capacity vector.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Load(pub [i64; LOAD_DIMS]);

impl Load {
    pub fn single(amount: i64) -> Load {
        let mut l = [0; LOAD_DIMS];
        l[0] = amount;
        Load(l)
    }
    pub fn add(&mut self, other: Load) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }
    /// Total amount by which `self` exceeds `capacity`, summed over dimensions.
    pub fn excess_over(&self, capacity: Load) -> i64 {
        self.0.iter().zip(capacity.0).map(|(l, c)| (l - c).max(0)).sum()
    }
}

/// A visit to make. Invariant: `windows` non-empty, sorted, disjoint.
#[derive(Clone, Debug)]
pub struct Job {
    pub location: usize,
    pub service: Seconds,
    /// Allowed *start* times of the service.
    pub windows: Vec<TimeWindow>,
    pub demand: Load,
    /// Penalty for leaving the job out; `None` = the job is mandatory.
    pub prize: Option<Cost>,
    /// Vehicles allowed to do the job; `None` = all.
    pub allowed_vehicles: Option<Vec<bool>>,
}

impl Job {
    pub fn can_use(&self, vehicle: usize) -> bool {
        self.allowed_vehicles.as_ref().is_none_or(|a| a[vehicle])
    }
}

/// A vehicle's day. Each vehicle runs at most one route.
#[derive(Clone, Debug)]
pub struct RouteVehicle {
    pub start_location: usize,
    pub end_location: usize,
    /// Leave the start no earlier than `shift.start`; be back no later than `shift.end`.
    pub shift: TimeWindow,
    pub capacity: Load,
    /// Longest working time (return − departure − break); `None` = only the shift limits.
    pub max_work: Option<Seconds>,
    pub lunch: Option<BreakRule>,
    /// Cost of using the vehicle at all.
    pub fixed_cost: Cost,
}

/// Linear costs of a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CostRates {
    /// Cost units per metre driven.
    pub per_meter: i64,
    /// Cost units per second between departure and return.
    pub per_second: i64,
}

/// Prize used for mandatory jobs when comparing objective values: large enough that leaving
/// one out is never worth any route cost.
pub const MANDATORY_PRIZE: Cost = Cost(1_000_000_000_000);

#[derive(Clone, Debug)]
pub struct Instance<'m> {
    pub matrix: &'m TravelMatrix,
    pub jobs: Vec<Job>,
    pub vehicles: Vec<RouteVehicle>,
    pub rates: CostRates,
}

impl Instance<'_> {
    pub fn prize(&self, job: usize) -> Cost {
        self.jobs[job].prize.unwrap_or(MANDATORY_PRIZE)
    }
}
