//! Granular neighbourhoods: for each job, the jobs it is most sensible to place next to.
//!
//! Proximity of `j` after `i` is the cost of the edge plus weighted waiting and lateness
//! that serving `j` right after `i` implies given their windows (PyVRP's measure with
//! weights 0.2 and 1; Vidal et al. 2013). Lists use the smaller of both directions and keep
//! the closest `k`, ties broken by index for determinism. Only jobs that may ride a common
//! vehicle are neighbours: in a periodic instance a customer's jobs on other days are at
//! distance zero but can never share its route, and would otherwise fill the list.
//!
//! How many to keep ([`granularity`]) scales with the instance: a job's nearest jobs mostly
//! ride its own route when routes are long, so large instances with long routes need longer
//! lists for moves between routes to be found at all.

use super::instance::{Instance, LOAD_DIMS};

/// Neighbours per job on small instances or short routes.
const MIN_NEIGHBOURS: usize = 20;
/// Neighbours per job at most (PyVRP's default list length).
const MAX_NEIGHBOURS: usize = 50;
/// Above `MIN_NEIGHBOURS × JOBS_PER_NEIGHBOUR` jobs, one more neighbour per this many jobs.
const JOBS_PER_NEIGHBOUR: usize = 20;

/// The neighbour-list length for `inst`: `n / 20` (so 20 up to 400 jobs, 50 from 1,000),
/// but no more than the jobs a route holds on average when the fleet is as small as the
/// loads allow (`n × capacity / total demand`, the smallest over load dimensions), and
/// always within 20..=50.
pub fn granularity(inst: &Instance) -> usize {
    let n = inst.jobs.len();
    let mut per_route = usize::MAX;
    for d in 0..LOAD_DIMS {
        let total: i64 = inst.jobs.iter().map(|j| j.demand.0[d]).sum();
        let capacity = inst.vehicles.iter().map(|v| v.capacity.0[d]).filter(|&c| c > 0).min();
        if let Some(capacity) = capacity.filter(|_| total > 0) {
            per_route = per_route.min((n as f64 * capacity as f64 / total as f64).ceil() as usize);
        }
    }
    (n / JOBS_PER_NEIGHBOUR).min(per_route).clamp(MIN_NEIGHBOURS, MAX_NEIGHBOURS)
}

const WAIT_WEIGHT: f64 = 0.2;
const TIME_WARP_WEIGHT: f64 = 1.0;

fn proximity(inst: &Instance, i: usize, j: usize) -> f64 {
    let (a, b) = (&inst.jobs[i], &inst.jobs[j]);
    let m = inst.matrix;
    let travel = m.duration(a.location, b.location).get();
    let edge = inst.rates.per_meter * m.distance(a.location, b.location).get() + inst.rates.per_second * travel;
    let a_open = a.windows.first().map_or(0, |w| w.start.get());
    let a_close = a.windows.last().map_or(0, |w| w.end.get());
    let b_open = b.windows.first().map_or(0, |w| w.start.get());
    let b_close = b.windows.last().map_or(0, |w| w.end.get());
    let service = a.service.get();
    let wait = (b_open - (a_close + service + travel)).max(0);
    let late = (a_open + service + travel - b_close).max(0);
    edge as f64 + WAIT_WEIGHT * wait as f64 + TIME_WARP_WEIGHT * late as f64
}

/// Per job, the vehicles it may use as a bit set (`None`: every vehicle).
fn vehicle_sets(inst: &Instance) -> Vec<Option<Vec<u64>>> {
    let words = inst.vehicles.len().div_ceil(64);
    let set_of = |allowed: &Vec<bool>| {
        let mut bits = vec![0u64; words];
        for v in (0..allowed.len()).filter(|&v| allowed[v]) {
            bits[v / 64] |= 1 << (v % 64);
        }
        bits
    };
    inst.jobs.iter().map(|j| j.allowed_vehicles.as_ref().map(set_of)).collect()
}

fn may_share(a: &Option<Vec<u64>>, b: &Option<Vec<u64>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.iter().zip(b).any(|(x, y)| x & y != 0),
        _ => true,
    }
}

/// For each job, up to `k` nearest other jobs among those that may share a vehicle with it.
pub fn neighbours(inst: &Instance, k: usize) -> Vec<Vec<usize>> {
    let n = inst.jobs.len();
    let sets = vehicle_sets(inst);
    (0..n)
        .map(|i| {
            let mut others: Vec<(f64, usize)> = (0..n)
                .filter(|&j| j != i && may_share(&sets[i], &sets[j]))
                .map(|j| (proximity(inst, i, j).min(proximity(inst, j, i)), j))
                .collect();
            others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            others.truncate(k);
            others.into_iter().map(|(_, j)| j).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::TravelMatrix;
    use crate::routing::instance::{CostRates, Job, Load, RouteVehicle};
    use crate::units::{Cost, Meters, Seconds, TimeWindow};

    /// `n` jobs of demand 1 at one location and `vehicles` vehicles of the given capacity.
    fn check_instance<R>(n: usize, capacity: i64, vehicles: usize, look: impl FnOnce(&mut Instance) -> R) -> R {
        let m = TravelMatrix::from_fn(1, |_, _| (Seconds(0), Meters(0)));
        let window = TimeWindow::new(Seconds(0), Seconds(100));
        let job = Job {
            location: 0,
            service: Seconds(0),
            windows: vec![window],
            demand: Load::single(1),
            prize: None,
            allowed_vehicles: None,
        };
        let vehicle = RouteVehicle {
            start_location: 0,
            end_location: 0,
            shift: window,
            capacity: Load::single(capacity),
            max_work: None,
            lunch: None,
            fixed_cost: Cost(0),
        };
        let mut inst = Instance {
            matrix: &m,
            jobs: vec![job; n],
            vehicles: vec![vehicle; vehicles],
            rates: CostRates { per_meter: 1, per_second: 0 },
        };
        look(&mut inst)
    }

    fn granularity_of(n: usize, capacity: i64) -> usize {
        check_instance(n, capacity, 1, |inst| granularity(inst))
    }

    #[test]
    fn lists_grow_with_large_instances_of_long_routes_only() {
        assert_eq!(granularity_of(100, 100), MIN_NEIGHBOURS, "small instance");
        assert_eq!(granularity_of(400, 200), MIN_NEIGHBOURS, "400 jobs, long routes");
        assert_eq!(granularity_of(1000, 10), MIN_NEIGHBOURS, "short routes of 10 jobs");
        assert_eq!(granularity_of(700, 30), 30, "routes of 30 jobs cap the list at 30");
        assert_eq!(granularity_of(1000, 60), MAX_NEIGHBOURS, "1,000 jobs, routes of 60");
        assert_eq!(granularity_of(5000, 5000), MAX_NEIGHBOURS, "never beyond the maximum");
    }

    #[test]
    fn jobs_that_can_never_share_a_vehicle_are_not_neighbours() {
        let lists = check_instance(4, 10, 2, |inst| {
            // Jobs 0 and 1 only on vehicle 0, job 2 only on vehicle 1, job 3 anywhere.
            for (job, allowed) in [(0, [true, false]), (1, [true, false]), (2, [false, true])] {
                inst.jobs[job].allowed_vehicles = Some(allowed.to_vec());
            }
            neighbours(inst, 3)
        });
        assert_eq!(lists[0], vec![1, 3]);
        assert_eq!(lists[2], vec![3]);
        assert_eq!(lists[3], vec![0, 1, 2]);
    }
}
