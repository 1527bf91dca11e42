//! Time propagation along one route: arrivals, service starts, the lunch break, waiting,
//! time warp and the route's cost.
//!
//! Conventions (as in modern VRPTW solvers): a job's windows bound its *start*; arriving
//! between two windows waits for the next; arriving after the last window is *time warp*
//! (the service starts at the window's end and the lateness is recorded as a violation).
//! The departure from the depot is delayed as far as possible without making any service
//! later, so that waiting at the first stops becomes time at the depot instead.
//!
//! A lunch break is taken after a job, at that job's location, before driving on. It is
//! required unless the crew can take it at the depot: before leaving (departure at or after
//! the window start plus the break length) or after returning (return at or before the
//! window end). The evaluator tries every gap and keeps the best schedule. Routes of
//! vehicles without a lunch break take the single-pass path.

use super::instance::{Instance, Load};
use crate::units::{Cost, Meters, Seconds};

/// Summary of one route. `cost` excludes penalties for violations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RouteCost {
    pub distance: Meters,
    /// Return time minus departure time.
    pub duration: Seconds,
    pub time_warp: Seconds,
    pub excess_load: i64,
    pub excess_work: Seconds,
    pub cost: Cost,
}

impl RouteCost {
    pub fn is_feasible(&self) -> bool {
        self.time_warp == Seconds::ZERO && self.excess_load == 0 && self.excess_work == Seconds::ZERO
    }
}

/// Where and when the lunch break is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LunchSlot {
    /// Number of jobs done before the break (>= 1): it is taken at that job's place.
    pub after_jobs: usize,
    pub start: Seconds,
}

/// The full timetable of a route.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RouteTimes {
    pub departure: Seconds,
    pub arrivals: Vec<Seconds>,
    pub starts: Vec<Seconds>,
    pub lunch: Option<LunchSlot>,
    pub return_time: Seconds,
    pub cost: RouteCost,
}

/// Result of one forward pass.
struct Pass {
    time_warp: i64,
    distance: i64,
    return_time: i64,
    total_wait: i64,
    /// Largest departure delay that keeps every start inside its current window.
    delay_limit: i64,
    lunch_start: Option<i64>,
}

fn forward(
    inst: &Instance,
    vehicle: usize,
    jobs: &[usize],
    lunch_gap: Option<usize>,
    departure: i64,
    mut record: Option<&mut RouteTimes>,
) -> Pass {
    let veh = &inst.vehicles[vehicle];
    let m = inst.matrix;
    let mut t = departure;
    let mut loc = veh.start_location;
    let (mut warp, mut wait, mut distance) = (0i64, 0i64, 0i64);
    let mut delay_limit = i64::MAX;
    let mut lunch_start = None;
    for k in 0..=jobs.len() {
        if lunch_gap == Some(k)
            && let Some(lunch) = veh.lunch
        {
            let mut start = t.max(lunch.window.start.get());
            wait += start - t;
            if start > lunch.window.end.get() {
                warp += start - lunch.window.end.get();
                start = lunch.window.end.get();
            }
            delay_limit = delay_limit.min(wait + lunch.window.end.get() - start);
            lunch_start = Some(start);
            t = start + lunch.length.get();
        }
        let Some(&j) = jobs.get(k) else { break };
        let job = &inst.jobs[j];
        t += m.duration(loc, job.location).get();
        distance += m.distance(loc, job.location).get();
        let arrival = t;
        let start = match job.windows.iter().find(|w| w.end.get() >= t) {
            Some(w) => {
                let start = t.max(w.start.get());
                wait += start - t;
                delay_limit = delay_limit.min(wait + w.end.get() - start);
                start
            }
            None => {
                let end = job.windows.last().map_or(t, |w| w.end.get());
                warp += t - end;
                delay_limit = delay_limit.min(wait);
                end
            }
        };
        if let Some(r) = record.as_deref_mut() {
            r.arrivals.push(Seconds(arrival));
            r.starts.push(Seconds(start));
        }
        t = start + job.service.get();
        loc = job.location;
    }
    t += m.duration(loc, veh.end_location).get();
    distance += m.distance(loc, veh.end_location).get();
    if t > veh.shift.end.get() {
        warp += t - veh.shift.end.get();
    }
    Pass { time_warp: warp, distance, return_time: t, total_wait: wait, delay_limit, lunch_start }
}

/// Evaluates a route with the lunch at `lunch_gap`, returning its cost and best departure.
fn evaluate_with(inst: &Instance, vehicle: usize, jobs: &[usize], lunch_gap: Option<usize>) -> (RouteCost, i64) {
    let veh = &inst.vehicles[vehicle];
    if jobs.is_empty() {
        return (RouteCost::default(), veh.shift.start.get());
    }
    let earliest = veh.shift.start.get();
    let pass = forward(inst, vehicle, jobs, lunch_gap, earliest, None);
    let delay = if pass.time_warp > 0 { 0 } else { pass.total_wait.min(pass.delay_limit).max(0) };
    let departure = earliest + delay;
    let duration = pass.return_time - departure;
    let lunch_length = match (lunch_gap, veh.lunch) {
        (Some(_), Some(l)) => l.length.get(),
        _ => 0,
    };
    let excess_work = veh.max_work.map_or(0, |max| (duration - lunch_length - max.get()).max(0));
    let mut load = Load::default();
    for &j in jobs {
        load.add(inst.jobs[j].demand);
    }
    let cost = Cost(inst.rates.per_meter * pass.distance + inst.rates.per_second * duration + veh.fixed_cost.get());
    let route = RouteCost {
        distance: Meters(pass.distance),
        duration: Seconds(duration),
        time_warp: Seconds(pass.time_warp),
        excess_load: load.excess_over(veh.capacity),
        excess_work: Seconds(excess_work),
        cost,
    };
    (route, departure)
}

/// Whether a route working over `[departure, return]` leaves room for lunch at the depot.
fn lunch_can_be_skipped(inst: &Instance, vehicle: usize, departure: i64, return_time: i64) -> bool {
    inst.vehicles[vehicle]
        .lunch
        .is_none_or(|l| departure >= (l.window.start + l.length).get() || return_time <= l.window.end.get())
}

/// Penalised comparison key: violations first, then cost.
fn badness(c: &RouteCost) -> (i64, i64) {
    (c.time_warp.get() + c.excess_load + c.excess_work.get(), c.cost.get())
}

/// Chooses the lunch gap (or none) that gives the best route; returns it with the cost.
fn best_lunch(inst: &Instance, vehicle: usize, jobs: &[usize]) -> (Option<usize>, RouteCost, i64) {
    let (no_lunch, departure) = evaluate_with(inst, vehicle, jobs, None);
    if inst.vehicles[vehicle].lunch.is_none() || jobs.is_empty() {
        return (None, no_lunch, departure);
    }
    let mut best: Option<(Option<usize>, RouteCost, i64)> = None;
    let return_time = departure + no_lunch.duration.get();
    if lunch_can_be_skipped(inst, vehicle, departure, return_time) {
        best = Some((None, no_lunch, departure));
    }
    for gap in 1..=jobs.len() {
        let (c, d) = evaluate_with(inst, vehicle, jobs, Some(gap));
        if best.as_ref().is_none_or(|(_, b, _)| badness(&c) < badness(b)) {
            best = Some((Some(gap), c, d));
        }
    }
    best.expect("at least one lunch gap exists")
}

/// Cost and violations of serving `jobs` in this order with `vehicle`.
pub fn evaluate(inst: &Instance, vehicle: usize, jobs: &[usize]) -> RouteCost {
    best_lunch(inst, vehicle, jobs).1
}

/// The full timetable of the route (same choices as [`evaluate`]).
pub fn route_times(inst: &Instance, vehicle: usize, jobs: &[usize]) -> RouteTimes {
    let (gap, cost, departure) = best_lunch(inst, vehicle, jobs);
    let mut times = RouteTimes { cost, ..RouteTimes::default() };
    let pass = forward(inst, vehicle, jobs, gap, departure, Some(&mut times));
    times.departure = Seconds(departure);
    times.return_time = Seconds(pass.return_time);
    times.lunch = gap.zip(pass.lunch_start).map(|(after_jobs, s)| LunchSlot { after_jobs, start: Seconds(s) });
    times
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::TravelMatrix;
    use crate::model::BreakRule;
    use crate::routing::instance::{CostRates, Job, RouteVehicle};
    use crate::units::TimeWindow;

    fn hm(h: i64, m: i64) -> Seconds {
        Seconds::from_hm(h, m)
    }

    /// Depot 0 and two stops; every leg takes 30 minutes and 10 km.
    fn instance(matrix: &TravelMatrix, lunch: Option<BreakRule>) -> Instance<'_> {
        let job = |loc, open: TimeWindow| Job {
            location: loc,
            service: Seconds::from_minutes(60),
            windows: vec![open],
            demand: Load::single(1),
            prize: None,
            allowed_vehicles: None,
        };
        Instance {
            matrix,
            jobs: vec![job(1, TimeWindow::new(hm(10, 0), hm(11, 0))), job(2, TimeWindow::new(hm(13, 0), hm(15, 0)))],
            vehicles: vec![RouteVehicle {
                start_location: 0,
                end_location: 0,
                shift: TimeWindow::new(hm(8, 30), hm(17, 15)),
                capacity: Load::single(5),
                max_work: Some(Seconds::from_hm(7, 45)),
                lunch,
                fixed_cost: Cost(0),
            }],
            rates: CostRates { per_meter: 1, per_second: 0 },
        }
    }

    fn matrix() -> TravelMatrix {
        TravelMatrix::from_fn(3, |_, _| (Seconds::from_minutes(30), Meters(10_000)))
    }

    #[test]
    fn departure_is_delayed_to_avoid_waiting() {
        let m = matrix();
        let inst = instance(&m, None);
        let t = route_times(&inst, 0, &[0, 1]);
        // Leaving at 10:30 reaches the first stop at 11:00, the end of its window; the
        // second stop opens at 13:00 regardless, so this is the shortest working day.
        assert_eq!(t.departure, hm(10, 30));
        assert_eq!(t.starts, vec![hm(11, 0), hm(13, 0)]);
        assert_eq!(t.cost.duration, Seconds::from_hm(4, 0));
        assert_eq!(t.return_time, hm(14, 30));
        assert_eq!(t.cost.distance, Meters(30_000));
        assert!(t.cost.is_feasible());
    }

    #[test]
    fn lunch_is_placed_in_the_waiting_gap() {
        let m = matrix();
        let lunch = BreakRule { window: TimeWindow::new(hm(11, 30), hm(13, 30)), length: Seconds::from_minutes(45) };
        let inst = instance(&m, Some(lunch));
        let t = route_times(&inst, 0, &[0, 1]);
        let slot = t.lunch.expect("route spans lunch");
        assert_eq!(slot.after_jobs, 1);
        assert!(slot.start >= hm(11, 30) && slot.start + lunch.length <= hm(12, 30));
        assert_eq!(t.starts[1], hm(13, 0));
        assert!(t.cost.is_feasible());
    }

    #[test]
    fn lateness_is_time_warp_and_order_matters() {
        let m = matrix();
        let inst = instance(&m, None);
        let c = evaluate(&inst, 0, &[1, 0]);
        // Job 1 starts 13:00, ends 14:00, arrives at job 0 at 14:30: 3.5 h after 11:00.
        assert_eq!(c.time_warp, Seconds::from_hm(3, 30));
        assert!(!c.is_feasible());
    }

    #[test]
    fn capacity_and_work_limits_are_reported() {
        let m = matrix();
        let mut inst = instance(&m, None);
        inst.vehicles[0].capacity = Load::single(1);
        inst.vehicles[0].max_work = Some(Seconds::from_hm(3, 0));
        let c = evaluate(&inst, 0, &[0, 1]);
        assert_eq!(c.excess_load, 1);
        assert_eq!(c.excess_work, Seconds::from_hm(1, 0));
    }
}
