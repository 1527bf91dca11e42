//! Routing one working day: the day's tentative visits become routing jobs, the units
//! working that weekday become vehicles, and the routing core orders and times them.

use super::sessions::DaySessions;
use super::visits::{
    TentativeVisit, announced_window, place_location, place_windows, up_to_mark, vehicle_fits, visit_duration,
    visit_stay, visit_usage,
};
use crate::matrix::TravelMatrix;
use crate::model::Problem;
use crate::plan::{LunchBreak, Route, Visit};
use crate::routing::{self, CostRates, Instance, Job, Load, RouteVehicle, SearchParams};
use crate::units::{Cost, Seconds, TimeWindow};

/// Prize of serving one request, per priority step (dominates any route cost).
const PRIZE_PER_PRIORITY: i64 = 1_000_000;
/// Prize of a visit required by the stop's rule alone.
const RULE_VISIT_PRIZE: i64 = 500_000;
/// Prize of keeping a published visit: above any number of new requests a day can take,
/// so routing gives up new visits before it gives up a published one.
const LOCKED_VISIT_PRIZE: i64 = 1_000_000_000_000;

/// The routed day: routes, the visits of each route (indices into the given visit list,
/// parallel to `routes`), the indices that did not fit, and the requests of routed visits
/// left out because no remote person could hold their session (visit index, request).
pub struct RoutedDay {
    pub routes: Vec<Route>,
    pub visit_ids: Vec<Vec<usize>>,
    pub dropped: Vec<usize>,
    pub no_session: Vec<(usize, usize)>,
}

impl RoutedDay {
    /// Whether every visit and every session it was given fits.
    pub fn takes_everything(&self) -> bool {
        self.dropped.is_empty() && self.no_session.is_empty()
    }
}

/// How far a visit may start from its usual time (see `TentativeVisit::usual`).
const USUAL_TIME_SLACK: Seconds = Seconds(3600);

/// Start windows that keep a stay of `stay` inside an opening window and inside `limit`.
fn start_windows(
    problem: &Problem,
    visit: &TentativeVisit,
    day: usize,
    stay: Seconds,
    limit: Option<TimeWindow>,
) -> Vec<TimeWindow> {
    place_windows(problem, visit.place, problem.horizon().days[day])
        .into_iter()
        .filter_map(|w| match limit {
            Some(l) => w.intersection(&l),
            None => Some(w),
        })
        .filter(|w| w.length() >= stay)
        .map(|w| TimeWindow::new(w.start, w.end - stay))
        .collect()
}

/// How long the schedule holds a visit: a kept visit exactly its announced window (when
/// the service still fits in it), another one [`visit_stay`].
fn stay_of(problem: &Problem, visit: &TentativeVisit) -> Option<Seconds> {
    let service = visit_duration(problem, visit.place, &visit.requests, visit.class_kind);
    match visit.lock {
        Some(w) => (service <= w.length()).then_some(w.length()),
        None => Some(visit_stay(problem, visit.place, &visit.requests, visit.class_kind)),
    }
}

/// Whether `visit` can start at all on `day` (its place open, its kept window still open).
fn can_start(problem: &Problem, visit: &TentativeVisit, day: usize) -> bool {
    stay_of(problem, visit).is_some_and(|stay| !start_windows(problem, visit, day, stay, visit.lock).is_empty())
}

fn job_for(problem: &Problem, visit: &TentativeVisit, day: usize, working: &[usize], keep_usual: bool) -> Job {
    let stay = stay_of(problem, visit);
    let duration = stay.unwrap_or_default();
    // A kept visit starts exactly at its announced start; another one, if asked, near its
    // usual time (when that leaves a feasible start at all).
    let usual = visit
        .usual
        .filter(|_| keep_usual && visit.lock.is_none())
        .map(|u| TimeWindow::new(u.start - USUAL_TIME_SLACK, u.start + USUAL_TIME_SLACK + duration.max(u.length())));
    let windows = match (stay, visit.lock) {
        (None, _) => Vec::new(),
        (Some(stay), Some(lock)) => start_windows(problem, visit, day, stay, Some(lock)),
        (Some(stay), None) => {
            let near_usual = start_windows(problem, visit, day, stay, usual);
            if near_usual.is_empty() { start_windows(problem, visit, day, stay, None) } else { near_usual }
        }
    };
    let (consultations, seats) = visit_usage(problem, &visit.requests);
    let priorities: i64 = visit.requests.iter().map(|&r| 1 + i64::from(problem.requests()[r].priority)).sum();
    // A visit that cannot start at all today (its place closed, its window no longer
    // open) rides no vehicle: it is dropped at once instead of being forced into a route
    // with a made-up window, which could cost the day its other visits.
    let possible = !windows.is_empty();
    Job {
        location: place_location(problem, visit.place),
        service: duration,
        windows: if windows.is_empty() { vec![TimeWindow::new(duration, duration)] } else { windows },
        demand: Load([consultations, seats]),
        prize: Some(Cost(match visit.lock {
            Some(_) => LOCKED_VISIT_PRIZE,
            None => priorities * PRIZE_PER_PRIORITY + RULE_VISIT_PRIZE,
        })),
        allowed_vehicles: Some(
            working
                .iter()
                .map(|&v| {
                    possible
                        && vehicle_fits(problem, v, visit.place, &visit.requests)
                        && (visit.lock.is_none() || v == visit.vehicle)
                })
                .collect(),
        ),
    }
}

/// Routes the given visits on horizon day `day`, starting from `warm` when given (the
/// visits of each unit in order, by unit index; visits not in it are inserted first), else
/// from the published order of kept visits. Visits are held near their usual time; if
/// that loses a visit that could have been served, the day is routed again without that
/// wish. A visit that cannot start at all that day (its place closed, its kept window no
/// longer open) rides no vehicle and ends up dropped.
pub fn route_day(
    problem: &Problem,
    matrix: &TravelMatrix,
    day: usize,
    visits: &[&TentativeVisit],
    warm: Option<&[(usize, Vec<usize>)]>,
    search: &SearchParams,
    rates: CostRates,
) -> RoutedDay {
    let routed = route_day_with(problem, matrix, day, visits, warm, search, rates, true);
    // Only a visit that could have been served is worth losing the usual times for.
    let lost_possible = routed.dropped.iter().any(|&i| can_start(problem, visits[i], day));
    if !lost_possible || visits.iter().all(|v| v.usual.is_none()) {
        return routed;
    }
    route_day_with(problem, matrix, day, visits, warm, search, rates, false)
}

#[allow(clippy::too_many_arguments)]
fn route_day_with(
    problem: &Problem,
    matrix: &TravelMatrix,
    day: usize,
    visits: &[&TentativeVisit],
    warm: Option<&[(usize, Vec<usize>)]>,
    search: &SearchParams,
    rates: CostRates,
    keep_usual: bool,
) -> RoutedDay {
    let date = problem.horizon().days[day];
    let working: Vec<usize> =
        (0..problem.vehicles().len()).filter(|&v| problem.vehicles()[v].shift_on(date).is_some()).collect();
    let vehicles = working
        .iter()
        .map(|&v| {
            let unit = &problem.vehicles()[v];
            let depot = problem.depot_location(unit.depot);
            RouteVehicle {
                start_location: depot,
                end_location: depot,
                shift: unit.shift_on(date).expect("working vehicles have a shift"),
                capacity: Load([i64::from(unit.max_consultations), i64::from(unit.max_seats)]),
                max_work: Some(unit.max_work),
                lunch: unit.lunch,
                fixed_cost: Cost(0),
            }
        })
        .collect();
    let mut jobs: Vec<Job> = visits.iter().map(|v| job_for(problem, v, day, &working, keep_usual)).collect();
    let mut sessions = DaySessions::new(problem, date, visits, jobs.iter().map(|j| j.windows.clone()).collect());
    for (j, job) in jobs.iter_mut().enumerate() {
        job.windows = sessions.hours_windows(j);
    }
    let mut instance = Instance { matrix, jobs, vehicles, rates };
    let initial: Option<Vec<Vec<usize>>> = match warm {
        Some(routes) => Some(
            working
                .iter()
                .map(|&v| routes.iter().filter(|(u, _)| *u == v).flat_map(|(_, ids)| ids.iter().copied()).collect())
                .collect(),
        ),
        None => kept_routes(visits, &working),
    };
    // The starting routes hold only visits that may ride their vehicle.
    let rides = |k: usize, j: usize| instance.jobs[j].allowed_vehicles.as_ref().is_none_or(|a| a[k]);
    let initial = initial.map(|routes| {
        routes.into_iter().enumerate().map(|(k, ids)| ids.into_iter().filter(|&j| rides(k, j)).collect()).collect()
    });
    let solution = routing::solve_from(&instance, search, initial, &mut |_, _| {});
    let used: Vec<(usize, Vec<usize>)> =
        solution.routes.into_iter().enumerate().filter(|(_, jobs)| !jobs.is_empty()).collect();
    let (times, held) = sessions.place(&mut instance, &used);
    let routes = used
        .iter()
        .zip(times)
        .zip(held)
        .map(|((&(k, ref jobs), times), held)| Route {
            vehicle: working[k],
            departure: times.departure,
            return_time: times.return_time,
            lunch: times.lunch.map(|l| LunchBreak { after_visits: l.after_jobs, start: l.start }),
            distance: times.cost.distance,
            visits: jobs
                .iter()
                .zip(held)
                .enumerate()
                .map(|(pos, (&j, held))| routed_visit(problem, visits[j], sessions.requests(j), &times, pos, held))
                .collect(),
        })
        .collect();
    let no_session = used
        .iter()
        .flat_map(|(_, jobs)| jobs.iter().flat_map(|&j| sessions.left_out[j].iter().map(move |&r| (j, r))))
        .collect();
    let visit_ids = used.into_iter().map(|(_, jobs)| jobs).collect();
    RoutedDay { routes, visit_ids, dropped: solution.unassigned, no_session }
}

/// The visit at `position` of a timed route, serving `requests` and holding `sessions`:
/// its announced window covers the service and every session.
fn routed_visit(
    problem: &Problem,
    v: &TentativeVisit,
    requests: Vec<usize>,
    times: &routing::RouteTimes,
    position: usize,
    sessions: Vec<crate::model::Session>,
) -> Visit {
    let planned = times.starts[position];
    let service = visit_duration(problem, v.place, &requests, v.class_kind);
    let last_session = sessions.iter().map(|s| s.end).max();
    let reach = last_session.map_or(Seconds::ZERO, |end| end - up_to_mark(planned));
    let announced = v.lock.unwrap_or_else(|| announced_window(planned, service.max(reach)));
    Visit {
        place: v.place,
        arrival: times.arrivals[position],
        start: announced.start,
        end: last_session.map_or(announced.start + service, |end| end.max(announced.start + service)),
        published: announced,
        requests,
        class_kind: v.class_kind,
        sessions,
    }
}

/// The published routes of kept visits, as the search's starting point: on each working
/// vehicle, its kept visits in the order of their windows (the published order). `None`
/// when nothing is kept.
fn kept_routes(visits: &[&TentativeVisit], working: &[usize]) -> Option<Vec<Vec<usize>>> {
    if visits.iter().all(|v| v.lock.is_none()) {
        return None;
    }
    let routes = working
        .iter()
        .map(|&vehicle| {
            let mut kept: Vec<usize> =
                (0..visits.len()).filter(|&i| visits[i].lock.is_some() && visits[i].vehicle == vehicle).collect();
            kept.sort_by_key(|&i| (visits[i].lock.map(|w| w.start), i));
            kept
        })
        .collect();
    Some(routes)
}
