//! The weekly planner on hand-built problems, with the independent checker as oracle.

mod common;

use junkai_solver::check::check;
use junkai_solver::kpi::Kpis;
use junkai_solver::model::{Problem, ProblemParts};
use junkai_solver::plan::{UnservedReason, VisitPlace};
use junkai_solver::weekly::{AssignmentMethod, PlanParams, first_week_model_text, plan};

/// Test settings: the MIP gets a short time limit (a few cases are knapsacks it cannot
/// prove quickly; the best solution found is used then).
fn params() -> PlanParams {
    PlanParams {
        assignment: AssignmentMethod::Mip { time_limit: std::time::Duration::from_millis(500) },
        ..PlanParams::default()
    }
}

fn plan_of(problem: &Problem) -> junkai_solver::plan::Plan {
    let m = common::matrix(problem);
    let p = plan(problem, &m, &params(), &mut |_| {});
    let violations = check(problem, &m, &p);
    assert!(violations.is_empty(), "{violations:#?}");
    p
}

#[test]
fn tiny_week_serves_every_request_and_visits_every_stop() {
    let problem = common::tiny();
    let p = plan_of(&problem);
    assert!(p.unserved.is_empty(), "{:?}", p.unserved);
    assert!(p.shortfalls.is_empty(), "{:?}", p.shortfalls);
    let k = Kpis::compute(&problem, &p);
    assert_eq!(k.requests_served, 7);
    assert_eq!(k.mountainous_stops_visited, 3);
    // Class seats are held in a class session, and the home visit happens at home.
    let class_visit = p.visits().find(|(_, _, v)| v.requests.contains(&3)).unwrap().2;
    assert_eq!(class_visit.class_kind, Some(2));
    assert!(class_visit.end - class_visit.start >= junkai_solver::units::Seconds::from_minutes(90));
    assert!(p.visits().any(|(_, _, v)| v.place == VisitPlace::Home(6)));
    // Published windows are on the 5-minute grid (or at an opening boundary) and cover the visit.
    for (_, _, v) in p.visits() {
        assert!(v.published.start <= v.start && v.end <= v.published.end);
        assert!(v.published.end - v.end <= junkai_solver::units::Seconds::from_minutes(15));
    }
    assert_eq!(k.regular_weekday_share, 1.0, "one week is trivially regular");
    // Medical requests ride with the medical unit.
    for (_, vehicle, v) in p.visits() {
        if v.requests.iter().any(|&r| problem.requests()[r].kind == 1) {
            assert_eq!(vehicle, 1);
        }
    }
}

#[test]
fn the_greedy_assignment_also_gives_checked_plans() {
    let problem = common::tiny();
    let m = common::matrix(&problem);
    let p =
        plan(&problem, &m, &PlanParams { assignment: AssignmentMethod::Greedy, ..PlanParams::default() }, &mut |_| {});
    assert!(check(&problem, &m, &p).is_empty());
    assert_eq!(p.assignment.method, junkai_solver::plan::AssignedBy::Greedy);
}

#[test]
fn the_mip_proves_the_tiny_week_optimal() {
    let p = plan_of(&common::tiny());
    assert_eq!(p.assignment.method, junkai_solver::plan::AssignedBy::Mip);
    assert_eq!(p.assignment.gap, Some(0.0), "{:?}", p.assignment);
}

#[test]
fn plans_are_deterministic_for_a_seed() {
    let problem = common::tiny();
    assert_eq!(plan_of(&problem), plan_of(&problem));
}

#[test]
fn the_week_model_is_built_in_a_fixed_order() {
    let problem = common::tiny();
    let matrix = common::matrix(&problem);
    let first = first_week_model_text(&problem, &matrix);
    assert!(first.matches("LessEq").count() > 20, "the tiny week has rows: {first}");
    for _ in 0..5 {
        assert_eq!(first_week_model_text(&problem, &matrix), first, "a second build differs");
    }
}

#[test]
fn unservable_requests_come_back_with_reasons() {
    let base = common::tiny();
    let mut parts: ProblemParts = base.parts().clone();
    // Nobody carries medical equipment any more.
    parts.vehicles.truncate(1);
    // A request far longer than any opening window.
    let mut long = common::request(7, 0, 1, 0, 4);
    long.service = junkai_solver::units::Seconds::from_hm(5, 0);
    parts.requests.push(long);
    // A request whose dates fall on the weekend only.
    parts.requests.push(common::request(8, 0, 1, 5, 6));
    let problem = Problem::new(parts).unwrap();
    let p = plan_of(&problem);
    let reason = |id: &str| {
        let r = problem.requests().iter().position(|r| r.id == id).unwrap();
        p.unserved.iter().find(|u| u.request == r).map(|u| u.reason)
    };
    assert_eq!(reason("R1"), Some(UnservedReason::NoUnit));
    assert_eq!(reason("R6"), Some(UnservedReason::NoUnit));
    assert_eq!(reason("R7"), Some(UnservedReason::TooLong));
    assert_eq!(reason("R8"), Some(UnservedReason::NoDay));
    assert_eq!(reason("R0"), None);
}

#[test]
fn overload_is_reported_as_capacity_not_hidden() {
    let base = common::tiny();
    let mut parts = base.parts().clone();
    // Let the stop be visited as often as wanted, so the units' day is what binds.
    parts.stops[3].rule.min_gap_days = 0;
    parts.stops[3].rule.max_per_week = 10;
    // Sixty one-hour consultations at one stop on one day cannot all fit.
    for i in 0..60 {
        let mut r = common::request(100 + i, 0, 3, 1, 1);
        r.service = junkai_solver::units::Seconds::from_minutes(60);
        parts.requests.push(r);
    }
    let problem = Problem::new(parts).unwrap();
    let p = plan_of(&problem);
    let capacity = p.unserved.iter().filter(|u| u.reason == UnservedReason::Capacity).count();
    assert!(capacity >= 50, "{capacity} capacity refusals");
    let served_that_day = p.visits().filter(|(d, _, _)| d.ordinal == 1).flat_map(|(_, _, v)| &v.requests).count();
    assert!(served_that_day >= 3, "only {served_that_day} served on the overloaded day");
}
