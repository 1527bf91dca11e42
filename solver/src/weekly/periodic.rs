//! The periodic vehicle routing problem (PVRP, Cordeau et al. 1997): each customer is
//! visited on the days of one of its allowed day combinations, each day's routes respect
//! capacity and route duration, and the total distance over all days is minimised. It is
//! the benchmark of the weekly planner's core decision (which days, then which routes).
//!
//! Method: a balanced greedy choice of combinations to start; then the routing core's
//! iterated local search over all days at once, with the customers' combinations as
//! alternatives that its perturbation switches (routing's `patterns`).

use std::time::Duration;

use crate::matrix::TravelMatrix;
use crate::rng::Rng;
use crate::routing::{
    Alternatives, CostRates, Instance, Job, Load, RouteVehicle, RoutingSolution, SearchParams, solve_with_alternatives,
};
use crate::units::{Cost, Seconds, TimeWindow};

/// A PVRP instance over a matrix whose location 0 is the depot and `1..=n` the customers.
pub struct PeriodicInstance<'m> {
    pub matrix: &'m TravelMatrix,
    pub days: usize,
    pub vehicles_per_day: usize,
    /// Per day: vehicle capacity, and maximum route duration (travel + service) if any.
    pub capacity: Vec<i64>,
    pub max_duration: Vec<Option<Seconds>>,
    /// Per location (index 0, the depot, unused).
    pub service: Vec<Seconds>,
    pub demand: Vec<i64>,
    /// Allowed day combinations per location as bit masks (bit k = day k).
    pub combos: Vec<Vec<u32>>,
}

/// Routes per day (customer locations in visiting order) and each customer's combination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodicSolution {
    pub days: Vec<Vec<Vec<usize>>>,
    pub combo: Vec<u32>,
    /// Total distance in matrix units.
    pub distance: i64,
}

fn route_distance(m: &TravelMatrix, route: &[usize]) -> i64 {
    let mut at = 0;
    let mut total = 0;
    for &c in route.iter().chain(std::iter::once(&0)) {
        total += m.distance(at, c).get();
        at = c;
    }
    total
}

/// A balanced first choice: customers with more visits first, each taking the combination
/// whose days carry the least load so far (random ties).
fn initial_combos(inst: &PeriodicInstance, rng: &mut Rng) -> Vec<u32> {
    let n = inst.demand.len();
    let mut order: Vec<usize> = (1..n).collect();
    rng.shuffle(&mut order);
    order.sort_by_key(|&c| std::cmp::Reverse(inst.combos[c].first().map_or(0, |m| m.count_ones())));
    let mut load = vec![0i64; inst.days];
    let mut combo = vec![0u32; n];
    for c in order {
        let score = |m: u32| {
            (0..inst.days).filter(|&d| m & (1 << d) != 0).map(|d| (load[d] + inst.demand[c]).pow(2)).sum::<i64>()
        };
        let best = inst.combos[c].iter().copied().min_by_key(|&m| score(m)).unwrap_or(0);
        for d in (0..inst.days).filter(|&d| best & (1 << d) != 0) {
            load[d] += inst.demand[c];
        }
        combo[c] = best;
    }
    combo
}

/// Independent searches that share the time limit on small instances; larger ones (more
/// customer-day jobs than `MULTI_START_JOBS`) need the whole time for one search.
const STARTS: u64 = 3;
const MULTI_START_JOBS: usize = 400;

/// Solves the instance: one routing instance over all days (vehicle `d·m + k` is day
/// `d`'s `k`-th vehicle), a job per customer and day it may be visited on, and each
/// customer's combinations as alternatives (see `routing::solve_with_alternatives`).
pub fn solve_periodic(inst: &PeriodicInstance, seed: u64, time_limit: Duration) -> PeriodicSolution {
    let (t, m) = (inst.days, inst.vehicles_per_day);
    let n = inst.demand.len();
    let horizon = Seconds(i64::MAX / 8);
    let mut jobs = Vec::new();
    let mut job_of: Vec<Vec<Option<usize>>> = vec![vec![None; t]; n];
    for (c, day_jobs) in job_of.iter_mut().enumerate().skip(1) {
        let days = inst.combos[c].iter().fold(0u32, |acc, &x| acc | x);
        for d in (0..t).filter(|&d| days & (1 << d) != 0) {
            day_jobs[d] = Some(jobs.len());
            jobs.push(Job {
                location: c,
                service: inst.service[c],
                windows: vec![TimeWindow::new(Seconds::ZERO, horizon)],
                demand: Load::single(inst.demand[c]),
                prize: None,
                allowed_vehicles: Some((0..t * m).map(|v| v / m == d).collect()),
            });
        }
    }
    let vehicles = (0..t * m)
        .map(|v| RouteVehicle {
            start_location: 0,
            end_location: 0,
            shift: TimeWindow::new(Seconds::ZERO, horizon),
            capacity: Load::single(inst.capacity[v / m]),
            max_work: inst.max_duration[v / m],
            lunch: None,
            fixed_cost: Cost(0),
        })
        .collect();
    let routing = Instance { matrix: inst.matrix, jobs, vehicles, rates: CostRates { per_meter: 1, per_second: 0 } };
    let days_of = |mask: u32| (0..t).filter(move |&d| mask & (1 << d) != 0);
    let alternatives = Alternatives {
        groups: (1..n)
            .map(|c| inst.combos[c].iter().map(|&mask| days_of(mask).filter_map(|d| job_of[c][d]).collect()).collect())
            .collect(),
    };
    // Independent starts share the time: the search settles into one day pattern per
    // customer and rarely leaves it, so fresh starts from other balanced patterns pay.
    let mut best: Option<(RoutingSolution, Vec<usize>)> = None;
    let starts = if routing.jobs.len() <= MULTI_START_JOBS { STARTS } else { 1 };
    for start in 0..starts {
        let run_seed = seed.wrapping_add(start * 0x9e37_79b9);
        let mut rng = Rng::seed(run_seed);
        let first = initial_combos(inst, &mut rng);
        let choice: Vec<usize> =
            (1..n).map(|c| inst.combos[c].iter().position(|&mask| mask == first[c]).unwrap_or(0)).collect();
        let params = SearchParams {
            seed: run_seed,
            max_iterations: u64::MAX,
            max_no_improvement: u64::MAX,
            time_limit: Some(time_limit / starts as u32),
            ..SearchParams::default()
        };
        let run = solve_with_alternatives(&routing, &alternatives, choice, &params);
        let better = |b: &(RoutingSolution, Vec<usize>)| !b.0.feasible || run.0.objective < b.0.objective;
        if run.0.feasible && best.as_ref().is_none_or(better) {
            best = Some(run);
        }
    }
    let (solved, chosen) =
        best.unwrap_or_else(|| (RoutingSolution::infeasible(&routing, 0), vec![0; n.saturating_sub(1)]));
    let mut days = vec![Vec::new(); t];
    for (v, route) in solved.routes.iter().enumerate() {
        if !route.is_empty() {
            days[v / m].push(route.iter().map(|&j| routing.jobs[j].location).collect::<Vec<usize>>());
        }
    }
    let mut combo = vec![0u32; n];
    for c in 1..n {
        combo[c] = inst.combos[c][chosen[c - 1]];
    }
    let distance = days.iter().flatten().map(|r: &Vec<usize>| route_distance(inst.matrix, r)).sum();
    PeriodicSolution { days, combo, distance }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Meters;

    /// Shortest closed tour from the depot over `stops`, by trying every order.
    fn best_tour(m: &TravelMatrix, stops: &[usize]) -> i64 {
        fn permute(m: &TravelMatrix, rest: &mut Vec<usize>, route: &mut Vec<usize>, best: &mut i64) {
            if rest.is_empty() {
                *best = (*best).min(route_distance(m, route));
            }
            for k in 0..rest.len() {
                route.push(rest.remove(k));
                permute(m, rest, route, best);
                rest.insert(k, route.pop().unwrap());
            }
        }
        let mut best = i64::MAX;
        permute(m, &mut stops.to_vec(), &mut Vec::new(), &mut best);
        best
    }

    #[test]
    fn small_instances_reach_the_enumerated_optimum() {
        for seed in 0..5u64 {
            let mut rng = Rng::seed(seed);
            let n = 7; // depot and six customers
            let xy: Vec<(i64, i64)> = (0..n).map(|_| (rng.below(100) as i64, rng.below(100) as i64)).collect();
            let matrix = TravelMatrix::from_fn(n, |a, b| {
                let d = (((xy[a].0 - xy[b].0).pow(2) + (xy[a].1 - xy[b].1).pow(2)) as f64).sqrt().ceil() as i64;
                (Seconds(d), Meters(d))
            });
            // Three days, one vehicle a day; customers need one visit (any day) or two
            // visits (days 1+3 or 2+3).
            let combos: Vec<Vec<u32>> = (0..n)
                .map(|c| {
                    if c == 0 {
                        vec![]
                    } else if c % 2 == 0 {
                        vec![0b101, 0b110]
                    } else {
                        vec![1, 2, 4]
                    }
                })
                .collect();
            let inst = PeriodicInstance {
                matrix: &matrix,
                days: 3,
                vehicles_per_day: 1,
                capacity: vec![100; 3],
                max_duration: vec![None; 3],
                service: vec![Seconds::ZERO; n],
                demand: vec![1; n],
                combos: combos.clone(),
            };
            let mut optimum = i64::MAX;
            let mut pick = vec![0usize; n];
            'all: loop {
                let days: Vec<Vec<usize>> =
                    (0..3).map(|d| (1..n).filter(|&c| combos[c][pick[c]] & (1 << d) != 0).collect()).collect();
                optimum = optimum.min(days.iter().map(|s| best_tour(&matrix, s)).sum());
                for c in 1..n {
                    pick[c] += 1;
                    if pick[c] < combos[c].len() {
                        continue 'all;
                    }
                    pick[c] = 0;
                }
                break;
            }
            let solved = solve_periodic(&inst, seed, Duration::from_millis(300));
            for (c, allowed) in combos.iter().enumerate().skip(1) {
                let visited =
                    (0..3).filter(|&d| solved.days[d].iter().flatten().any(|&x| x == c)).fold(0, |m, d| m | 1 << d);
                assert_eq!(visited, solved.combo[c], "seed {seed} customer {c}");
                assert!(allowed.contains(&visited));
            }
            assert_eq!(solved.distance, optimum, "seed {seed}");
        }
    }
}
