//! The checker must catch every kind of broken plan: each test breaks one rule of a valid
//! plan and expects a violation that names it.

mod common;

use junkai_solver::check::check;
use junkai_solver::plan::Plan;
use junkai_solver::units::Seconds;
use junkai_solver::weekly::{PlanParams, plan};

fn valid() -> (junkai_solver::model::Problem, junkai_solver::matrix::TravelMatrix, Plan) {
    let problem = common::tiny();
    let m = common::matrix(&problem);
    let p = plan(&problem, &m, &PlanParams::default(), &mut |_| {});
    assert!(check(&problem, &m, &p).is_empty());
    (problem, m, p)
}

fn violations_after(change: impl FnOnce(&mut Plan)) -> Vec<String> {
    let (problem, m, mut p) = valid();
    change(&mut p);
    check(&problem, &m, &p).into_iter().map(|v| v.to_string()).collect()
}

fn expect(change: impl FnOnce(&mut Plan), needle: &str) {
    let v = violations_after(change);
    assert!(v.iter().any(|s| s.contains(needle)), "expected '{needle}' in {v:#?}");
}

#[test]
fn arriving_too_early_is_caught() {
    expect(|p| p.days[0].routes[0].visits[0].arrival = Seconds::ZERO, "cannot be there before");
}

#[test]
fn leaving_the_opening_window_is_caught() {
    expect(
        |p| {
            let v = &mut p.days[0].routes[0].visits[0];
            let length = v.end - v.start;
            v.start = Seconds::from_hm(16, 20);
            v.arrival = v.start;
            v.end = v.start + length;
        },
        "outside the opening windows",
    );
}

#[test]
fn leaving_before_the_announced_end_is_caught() {
    // Announce the first visit of a two-visit route until the next one's arrival: the unit
    // cannot keep it and still reach the next place.
    expect(
        |p| {
            let route = p.days.iter_mut().flat_map(|d| &mut d.routes).find(|r| r.visits.len() >= 2).unwrap();
            let next = route.visits[1].arrival;
            let end = Seconds((next.get() / 300 + 1) * 300);
            route.visits[0].published = junkai_solver::units::TimeWindow::new(route.visits[0].published.start, end);
        },
        "leaves the previous place before its announced end",
    );
}

#[test]
fn an_announced_window_off_the_marks_or_after_arrival_is_caught() {
    expect(
        |p| {
            let v = &mut p.days[0].routes[0].visits[0];
            v.published = junkai_solver::units::TimeWindow::new(v.published.start + Seconds(60), v.published.end);
        },
        "not on 5-minute marks",
    );
    expect(
        |p| {
            let v = &mut p.days[0].routes[0].visits[0];
            v.arrival = v.published.start + Seconds(60);
            v.start = v.start.max(v.arrival);
        },
        "after the announced start",
    );
}

#[test]
fn a_short_stay_is_caught() {
    expect(|p| p.days[0].routes[0].visits[0].end = p.days[0].routes[0].visits[0].start, "needs");
}

#[test]
fn a_lost_request_is_caught() {
    expect(
        |p| {
            let visit = p
                .days
                .iter_mut()
                .flat_map(|d| &mut d.routes)
                .flat_map(|r| &mut r.visits)
                .find(|v| !v.requests.is_empty())
                .unwrap();
            visit.requests.pop();
        },
        "appears 0 times",
    );
}

#[test]
fn the_wrong_unit_is_caught() {
    expect(
        |p| {
            for d in &mut p.days {
                for r in &mut d.routes {
                    r.vehicle = 1 - r.vehicle;
                }
            }
        },
        "equipment the unit lacks",
    );
}

#[test]
fn a_late_return_is_caught() {
    expect(|p| p.days[0].routes[0].return_time = Seconds::from_hm(18, 0), "after the shift ends");
}

#[test]
fn a_missing_lunch_is_caught() {
    // A working day from 09:00 to 16:00 must include the lunch break.
    expect(
        |p| {
            let r = &mut p.days[0].routes[0];
            r.departure = Seconds::from_hm(9, 0).min(r.departure);
            r.return_time = Seconds::from_hm(16, 0).max(r.return_time);
            r.lunch = None;
        },
        "without a break",
    );
}

#[test]
fn visits_too_close_together_are_caught() {
    expect(
        |p| {
            let first = p.days[0].clone();
            let mut copy = first.clone();
            copy.day.ordinal += 1;
            for r in &mut copy.routes {
                for v in &mut r.visits {
                    v.requests.clear();
                    v.class_kind = None;
                }
            }
            p.days.insert(1, copy);
            p.days.sort_by_key(|d| d.day.ordinal);
        },
        "closer than",
    );
}

#[test]
fn a_misreported_distance_is_caught() {
    expect(|p| p.days[0].routes[0].distance = junkai_solver::units::Meters(1), "the matrix gives");
}

/// The valid plan checked against the same problem changed by `change`.
fn violations_with_problem(change: impl FnOnce(&mut junkai_solver::model::ProblemParts, &Plan)) -> Vec<String> {
    let (problem, m, p) = valid();
    let mut parts = problem.parts().clone();
    change(&mut parts, &p);
    let changed = junkai_solver::model::Problem::new(parts).unwrap();
    check(&changed, &m, &p).into_iter().map(|v| v.to_string()).collect()
}

#[test]
fn a_visit_by_a_unit_out_of_service_is_caught() {
    let v = violations_with_problem(|parts, p| {
        let (day, route) = (&p.days[0].day, &p.days[0].routes[0]);
        parts.vehicles[route.vehicle].out_of_service = vec![day.ordinal];
    });
    assert!(v.iter().any(|s| s.contains("out of service")), "{v:#?}");
}

#[test]
fn a_visit_to_a_closed_hall_is_caught() {
    let v = violations_with_problem(|parts, p| {
        let visit = p.days[0].routes[0].visits.iter().find_map(|v| match v.place {
            junkai_solver::plan::VisitPlace::Stop(s) => Some(s),
            junkai_solver::plan::VisitPlace::Home(_) => None,
        });
        parts.stops[visit.expect("the tiny plan visits a stop")].closed = vec![p.days[0].day.ordinal];
    });
    assert!(v.iter().any(|s| s.contains("outside the opening windows")), "{v:#?}");
}
