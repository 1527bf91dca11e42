//! What the search derives once from an instance: whether the O(1) segment path applies,
//! granular neighbour lists, vehicle profiles and the instance-scaled initial penalties.

use super::SearchParams;
use super::cost::CostEvaluator;
use super::instance::Instance;
use super::neighbours::{granularity, neighbours};

pub struct Context<'i, 'm> {
    pub inst: &'i Instance<'m>,
    /// All jobs have one window and no vehicle takes a lunch break: segments are exact.
    pub fast: bool,
    pub neighbours: Vec<Vec<usize>>,
    /// Vehicles with identical attributes form a profile; empty routes of one profile are
    /// interchangeable, so moves into empty routes try one per profile.
    profile_members: Vec<Vec<usize>>,
    pub any_optional: bool,
    /// Some job may only ride some vehicles.
    pub restricted: bool,
}

impl<'i, 'm> Context<'i, 'm> {
    /// The context a search of `inst` runs in: neighbour lists as long as `params` asks, or
    /// scaled to the instance.
    pub fn new(inst: &'i Instance<'m>, params: &SearchParams) -> Self {
        let list_length = params.neighbours.unwrap_or_else(|| granularity(inst));
        let fast = inst.jobs.iter().all(|j| j.windows.len() == 1) && inst.vehicles.iter().all(|v| v.lunch.is_none());
        let n_vehicles = inst.vehicles.len();
        let mut profile = Vec::with_capacity(n_vehicles);
        for v in 0..n_vehicles {
            let same = (0..v).find(|&w| same_profile(inst, v, w));
            profile.push(same.map_or(v, |w| profile[w]));
        }
        let mut profile_members = vec![Vec::new(); n_vehicles];
        for (v, &p) in profile.iter().enumerate() {
            profile_members[p].push(v);
        }
        profile_members.retain(|m| !m.is_empty());
        Context {
            inst,
            fast,
            neighbours: neighbours(inst, list_length),
            profile_members,
            any_optional: inst.jobs.iter().any(|j| j.prize.is_some()),
            restricted: inst.jobs.iter().any(|j| j.allowed_vehicles.is_some()),
        }
    }

    /// Starting penalty weights: a unit of violation costs about as much as the average
    /// edge per unit of the average quantity (as HGS and PyVRP initialise them).
    pub fn initial_penalties(&self) -> CostEvaluator {
        let inst = self.inst;
        let n = inst.matrix.size();
        let mut edge_sum = 0i128;
        for i in 0..n {
            for j in 0..n {
                edge_sum += i128::from(inst.matrix.distance(i, j).get() * inst.rates.per_meter)
                    + i128::from(inst.matrix.duration(i, j).get() * inst.rates.per_second);
            }
        }
        let avg_edge = (edge_sum as f64 / (n * n).max(1) as f64).max(1.0);
        let avg_duration = {
            let mut s = 0i128;
            for i in 0..n {
                for j in 0..n {
                    s += i128::from(inst.matrix.duration(i, j).get());
                }
            }
            (s as f64 / (n * n).max(1) as f64).max(1.0)
        };
        let demands: Vec<i64> = inst.jobs.iter().map(|j| j.demand.0.iter().sum::<i64>()).collect();
        let avg_demand = (demands.iter().sum::<i64>() as f64 / demands.len().max(1) as f64).max(1.0);
        CostEvaluator { time_warp: (avg_edge / avg_duration).max(1.0), load: (avg_edge / avg_demand).max(1.0) }
    }

    /// The first empty route of each profile.
    pub fn empty_routes<'a>(&'a self, is_empty: impl Fn(usize) -> bool + 'a) -> impl Iterator<Item = usize> + 'a {
        self.profile_members.iter().filter_map(move |members| members.iter().copied().find(|&v| is_empty(v)))
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
