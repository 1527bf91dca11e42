//! Property tests of the routing core on random instances with tight windows, lunch
//! breaks, several depots, vehicle restrictions and optional jobs: every returned solution
//! passes the independent `verify` (full time simulation), mandatory jobs are all routed
//! whenever a feasible solution is reported, and results are reproducible for a seed.

use junkai_solver::matrix::TravelMatrix;
use junkai_solver::model::BreakRule;
use junkai_solver::routing::*;
use junkai_solver::units::{Cost, Meters, Seconds, TimeWindow};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Spec {
    points: Vec<(i64, i64)>,
    depots: usize,
    jobs: Vec<(i64, i64, i64, i64, bool, u8)>,
    vehicles: Vec<(usize, usize, bool, i64)>,
    multi_window: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (2..4usize, 1..25usize).prop_flat_map(|(depots, n)| {
        (
            prop::collection::vec((0..100i64, 0..100i64), depots + n),
            Just(depots),
            prop::collection::vec((0..480i64, 20..240i64, 0..30i64, 1..4i64, prop::bool::weighted(0.3), 0..4u8), n),
            prop::collection::vec((0..depots, 0..depots, any::<bool>(), 5..20i64), 1..5),
            any::<bool>(),
        )
            .prop_map(|(points, depots, jobs, vehicles, multi_window)| Spec {
                points,
                depots,
                jobs,
                vehicles,
                multi_window,
            })
    })
}

fn build(s: &Spec) -> (TravelMatrix, Vec<Job>, Vec<RouteVehicle>) {
    let m = TravelMatrix::from_fn(s.points.len(), |a, b| {
        let (p, q) = (s.points[a], s.points[b]);
        let d = (((p.0 - q.0).pow(2) + (p.1 - q.1).pow(2)) as f64).sqrt().ceil() as i64;
        (Seconds(d), Meters(d))
    });
    let n_vehicles = s.vehicles.len();
    let jobs = s
        .jobs
        .iter()
        .enumerate()
        .map(|(i, &(open, width, service, demand, optional, restrict))| {
            let first = TimeWindow::new(Seconds(open), Seconds(open + width));
            let windows = if s.multi_window && i % 2 == 0 {
                vec![first, TimeWindow::new(Seconds(open + width + 60), Seconds(open + width + 120))]
            } else {
                vec![first]
            };
            Job {
                location: s.depots + i,
                service: Seconds(service),
                windows,
                demand: Load::single(demand),
                prize: optional.then_some(Cost(500)),
                allowed_vehicles: (restrict == 0).then(|| (0..n_vehicles).map(|v| v % 2 == i % 2).collect()),
            }
        })
        .collect();
    let vehicles = s
        .vehicles
        .iter()
        .map(|&(start, end, lunch, capacity)| RouteVehicle {
            start_location: start,
            end_location: end,
            shift: TimeWindow::new(Seconds(0), Seconds(720)),
            capacity: Load::single(capacity),
            max_work: Some(Seconds(600)),
            lunch: lunch
                .then_some(BreakRule { window: TimeWindow::new(Seconds(200), Seconds(300)), length: Seconds(30) }),
            fixed_cost: Cost(10),
        })
        .collect();
    (m, jobs, vehicles)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn every_returned_solution_verifies(s in spec(), seed in 0..1000u64) {
        let (m, jobs, vehicles) = build(&s);
        let inst = Instance { matrix: &m, jobs, vehicles, rates: CostRates { per_meter: 1, per_second: 1 } };
        let params = SearchParams { seed, max_iterations: 100, max_no_improvement: 50, ..SearchParams::default() };
        let sol = solve(&inst, &params, &mut |_, _| {});
        if sol.feasible {
            prop_assert_eq!(verify(&inst, &sol), Ok(()));
            // The reported objective is the routes' cost plus the missed prizes.
            let routes: i64 = sol.routes.iter().enumerate().map(|(v, r)| evaluate(&inst, v, r).cost.get()).sum();
            let missed: i64 = sol.unassigned.iter().map(|&j| inst.prize(j).get()).sum();
            prop_assert_eq!(sol.objective.get(), routes + missed);
        } else {
            prop_assert!(inst.jobs.iter().any(|j| j.prize.is_none()), "all-optional instances always have a feasible solution");
        }
        let again = solve(&inst, &params, &mut |_, _| {});
        prop_assert_eq!(sol, again);
    }
}
