//! Re-planning around a published plan: published windows never move, new requests are
//! fitted in or refused with reasons, cancelled ones leave, and a full re-optimisation is
//! compared window by window. The independent checker is the oracle for every plan.

mod common;

use junkai_solver::check::check;
use junkai_solver::model::{Problem, ProblemParts, Request};
use junkai_solver::plan::{Plan, VisitPlace};
use junkai_solver::rng::Rng;
use junkai_solver::weekly::{
    AssignmentMethod, PlanParams, PublishedRoute, changed_windows, plan, published_routes, replan,
};

fn params() -> PlanParams {
    PlanParams {
        assignment: AssignmentMethod::Mip { time_limit: std::time::Duration::from_millis(500) },
        ..PlanParams::default()
    }
}

fn checked(problem: &Problem, p: Plan) -> Plan {
    let violations = check(problem, &common::matrix(problem), &p);
    assert!(violations.is_empty(), "{violations:#?}");
    p
}

fn replan_of(problem: &Problem, published: &[PublishedRoute]) -> Plan {
    checked(problem, replan(problem, &common::matrix(problem), published, &params(), &mut |_| {}))
}

/// The tiny week, planned and published.
fn published_tiny() -> (Problem, Vec<PublishedRoute>) {
    let problem = common::tiny();
    let p = checked(&problem, plan(&problem, &common::matrix(&problem), &params(), &mut |_| {}));
    let published = published_routes(&problem, &p);
    (problem, published)
}

/// The problem with extra requests appended (indices of existing requests unchanged).
fn with_requests(problem: &Problem, extra: Vec<Request>) -> Problem {
    let mut parts: ProblemParts = problem.parts().clone();
    parts.requests.extend(extra);
    Problem::new(parts).unwrap()
}

fn served(p: &Plan) -> Vec<usize> {
    let mut s: Vec<usize> = p.visits().flat_map(|(_, _, v)| v.requests.clone()).collect();
    s.sort_unstable();
    s
}

#[test]
fn replanning_an_unchanged_problem_keeps_everything() {
    let (problem, published) = published_tiny();
    let again = replan_of(&problem, &published);
    assert!(changed_windows(&problem, &published, &again).is_empty());
    assert_eq!(served(&again), (0..problem.requests().len()).collect::<Vec<_>>());
    assert_eq!(again.assignment.method, junkai_solver::plan::AssignedBy::Replan);
}

#[test]
fn new_requests_are_fitted_in_without_moving_a_published_window() {
    let (problem, published) = published_tiny();
    // One joins stop 0 on any day, one needs stop 2 on day 3 only, one is a
    // medical request at stop 3 late in the week.
    let extra = vec![common::request(10, 0, 0, 0, 4), common::request(11, 0, 2, 3, 3), common::request(12, 1, 3, 2, 4)];
    let bigger = with_requests(&problem, extra);
    let p = replan_of(&bigger, &published);
    assert!(changed_windows(&bigger, &published, &p).is_empty(), "{:?}", changed_windows(&bigger, &published, &p));
    for r in 7..10 {
        let placed = served(&p).contains(&r);
        let refused = p.unserved.iter().any(|u| u.request == r);
        assert!(placed != refused, "request {r}: served {placed}, refused {refused}");
    }
    assert!(served(&p).len() >= 9, "only {} served: {:?}", served(&p).len(), p.unserved);
    // Request R10 is at stop 0, which a published visit already serves: it joins one only
    // if the announced window still holds the longer service (windows are promises).
    if let Some((_, _, v)) = p.visits().find(|(_, _, v)| v.requests.contains(&7)) {
        assert_eq!(v.place, VisitPlace::Stop(0));
    }
}

#[test]
fn requests_that_do_not_fit_are_refused_with_a_reason_and_nothing_moves() {
    let (problem, published) = published_tiny();
    // Forty one-hour consultations at stop 1 on day 2: far more than a day holds.
    let extra: Vec<Request> = (0..40)
        .map(|i| {
            let mut r = common::request(100 + i, 0, 1, 2, 2);
            r.service = junkai_solver::units::Seconds::from_minutes(60);
            r
        })
        .collect();
    let bigger = with_requests(&problem, extra);
    let p = replan_of(&bigger, &published);
    assert!(changed_windows(&bigger, &published, &p).is_empty());
    assert!(p.unserved.len() >= 30, "{} refused", p.unserved.len());
    assert_eq!(served(&p).len() + p.unserved.len(), bigger.requests().len());
}

#[test]
fn a_visit_the_data_no_longer_allows_is_reported_as_changed() {
    let (problem, published) = published_tiny();
    let day = published.iter().find(|r| r.vehicle == 1).map(|r| r.day).expect("the medical unit works");
    let weekday = problem.horizon().days[day].weekday();
    let mut parts: ProblemParts = problem.parts().clone();
    parts.vehicles[1].shifts[weekday.index()] = None;
    let changed_data = Problem::new(parts).unwrap();
    let p = replan_of(&changed_data, &published);
    let changed = changed_windows(&changed_data, &published, &p);
    let lost: usize = published.iter().filter(|r| r.vehicle == 1 && r.day == day).map(|r| r.visits.len()).sum();
    assert!(changed.len() >= lost && lost > 0, "{} changed, {lost} lost", changed.len());
    assert!(changed.iter().all(|c| c.day == day));
}

#[test]
fn random_additions_never_move_a_window_and_every_plan_checks() {
    let (problem, published) = published_tiny();
    for seed in 0..6u64 {
        let mut rng = Rng::seed(seed);
        let extra: Vec<Request> = (0..4 + rng.below(6))
            .map(|i| {
                let first = rng.below(5) as u32;
                let kind = rng.below(3);
                common::request(20 + i, kind, rng.below(4), first, first + rng.below(5 - first as usize) as u32)
            })
            .collect();
        let bigger = with_requests(&problem, extra);
        let p = replan_of(&bigger, &published);
        assert!(changed_windows(&bigger, &published, &p).is_empty(), "seed {seed}");
        assert_eq!(served(&p).len() + p.unserved.len(), bigger.requests().len(), "seed {seed}");
        // The full re-optimisation is checked too; how many windows it moves is reported.
        let full = checked(&bigger, plan(&bigger, &common::matrix(&bigger), &params(), &mut |_| {}));
        let moved = changed_windows(&bigger, &published, &full).len();
        assert!(moved <= published.iter().map(|r| r.visits.len()).sum::<usize>());
    }
}

#[test]
fn a_hall_closed_for_a_day_moves_only_its_own_visit() {
    let (problem, published) = published_tiny();
    // A day on which a unit visits a hall and something else.
    let (route, stop) = published
        .iter()
        .filter(|r| r.visits.len() >= 2)
        .find_map(|r| {
            r.visits.iter().find_map(|v| match v.place {
                VisitPlace::Stop(s) => Some((r, s)),
                VisitPlace::Home(_) => None,
            })
        })
        .expect("the tiny week has a route with two visits");
    let ordinal = problem.horizon().days[route.day].ordinal;
    let mut parts: ProblemParts = problem.parts().clone();
    parts.stops[stop].closed = vec![ordinal];
    let closed = Problem::new(parts).unwrap();
    let p = replan_of(&closed, &published);
    let changed = changed_windows(&closed, &published, &p);
    assert!(!changed.is_empty(), "the closed hall's visit cannot stay");
    assert!(
        changed.iter().all(|c| c.day == route.day && c.place == VisitPlace::Stop(stop)),
        "only the closed hall's visit changes: {changed:?}"
    );
}

/// The unit's route of `day` taken out of service (its shift that weekday removed).
fn without_unit_on(problem: &Problem, vehicle: usize, day: usize) -> Problem {
    let weekday = problem.horizon().days[day].weekday();
    let mut parts: ProblemParts = problem.parts().clone();
    parts.vehicles[vehicle].shifts[weekday.index()] = None;
    Problem::new(parts).unwrap()
}

#[test]
fn visits_of_a_unit_out_of_service_are_rehomed_within_the_week_and_nothing_else_moves() {
    // The tiny week with a hall no request asks for: its weekly minimum alone brings a visit.
    let mut parts: ProblemParts = common::tiny().parts().clone();
    parts.stops.push(common::stop(4, 139.31, 36.50, true));
    let problem = Problem::new(parts).unwrap();
    let p = checked(&problem, plan(&problem, &common::matrix(&problem), &params(), &mut |_| {}));
    let published = published_routes(&problem, &p);
    let hall = VisitPlace::Stop(4);
    let route = published.iter().find(|r| r.visits.iter().any(|v| v.place == hall)).expect("the hall's rule visit");
    let out = without_unit_on(&problem, route.vehicle, route.day);
    let p = replan_of(&out, &published);
    let changed = changed_windows(&out, &published, &p);
    assert_eq!(changed.len(), route.visits.len(), "exactly the unit's visits of that day change: {changed:?}");
    assert!(changed.iter().all(|c| c.day == route.day));
    let week = problem.horizon().days[route.day].week();
    let hall_visits = p.visits().filter(|(day, _, v)| day.week() == week && v.place == hall).count();
    assert_eq!(hall_visits, 1, "the hall's visit is re-homed in its week: {:?}", p.assignment.message);
    assert!(p.shortfalls.is_empty(), "{:?}", p.shortfalls);
    for r in route.visits.iter().flat_map(|v| &v.requests) {
        let fate = served(&p).contains(r) || p.unserved.iter().any(|u| u.request == *r);
        assert!(fate, "request {r} of a lost visit is neither served nor refused");
    }
}

#[test]
fn days_that_have_passed_take_no_new_visit() {
    let (problem, published) = published_tiny();
    // Mid-week: days 0 and 1 have passed. New requests open all week.
    let extra: Vec<Request> = (0..4).map(|i| common::request(40 + i, i % 2, i, 0, 4)).collect();
    let mut parts: ProblemParts = with_requests(&problem, extra).parts().clone();
    parts.horizon.first_open = 2;
    let midweek = Problem::new(parts).unwrap();
    let p = replan_of(&midweek, &published);
    assert!(changed_windows(&midweek, &published, &p).is_empty(), "announced visits of passed days stay");
    let new_requests = problem.requests().len()..midweek.requests().len();
    for (day, _, v) in p.visits() {
        let has_new = v.requests.iter().any(|r| new_requests.contains(r));
        let announced = published
            .iter()
            .any(|r| problem.horizon().days[r.day] == day && r.visits.iter().any(|a| a.place == v.place));
        assert!(!has_new || day.ordinal >= 2 || announced, "a new request was placed on passed day {}", day.ordinal);
        assert!(announced || day.ordinal >= 2, "a new visit on passed day {}", day.ordinal);
    }
}
