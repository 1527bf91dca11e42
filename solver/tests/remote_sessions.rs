//! The independent check of remote sessions (`check_sessions`): a doctor shared by every
//! unit is never double-booked, never used outside the hours or on a day off, and each
//! session lasts its request's service inside its visit. The planner does not place
//! sessions yet: the check says so for a plan of requests that need a doctor.

mod common;

use junkai_solver::check::check;
use junkai_solver::check_sessions::check_sessions;
use junkai_solver::model::{Problem, RemoteResource, Session};
use junkai_solver::plan::Plan;
use junkai_solver::units::{Seconds, TimeWindow};
use junkai_solver::weekly::{AssignmentMethod, PlanParams, plan};

/// Online consultations (kind 1) need a `doctor`; two doctors, weekdays 08:00–18:00.
fn with_doctors(concurrent: u32, buffer_min: i64, days_off: Vec<u32>) -> Problem {
    let mut parts = common::tiny().parts().clone();
    parts.kinds[1].remote_kind = Some("doctor".into());
    // Two more consultations at one hall on Monday: one visit holds several sessions.
    let n = parts.requests.len();
    parts.requests.extend([common::request(n, 1, 0, 0, 0), common::request(n + 1, 1, 0, 0, 0)]);
    let hours = TimeWindow::new(Seconds::from_hm(8, 0), Seconds::from_hm(18, 0));
    let doctor = |id: &str, days_off: Vec<u32>| RemoteResource {
        id: id.into(),
        name: format!("医師 {id}"),
        kind: "doctor".into(),
        organisation: "木村内科".into(),
        contact: "0277-00-0000".into(),
        hours: std::array::from_fn(|d| if d < 5 { vec![hours] } else { Vec::new() }),
        days_off,
        concurrent,
    };
    parts.remote = vec![doctor("kimura", days_off), doctor("sato", Vec::new())];
    parts.session_buffer = Seconds::from_minutes(buffer_min);
    Problem::new(parts).expect("valid problem with doctors")
}

fn planned(problem: &Problem) -> Plan {
    let params = PlanParams {
        assignment: AssignmentMethod::Mip { time_limit: std::time::Duration::from_millis(500) },
        ..PlanParams::default()
    };
    plan(problem, &common::matrix(problem), &params, &mut |_| {})
}

/// Gives every request that needs a doctor a session with `doctor`, one after another
/// from its visit's start.
fn sessions_with(problem: &Problem, plan: &mut Plan, doctor: usize) {
    for day in &mut plan.days {
        for route in &mut day.routes {
            for visit in &mut route.visits {
                let mut at = visit.start;
                for &r in &visit.requests {
                    if !problem.remote_candidates(r).is_empty() {
                        let service = problem.requests()[r].service;
                        visit.sessions.push(Session { request: r, resource: doctor, start: at, end: at + service });
                        at += service;
                    }
                }
            }
        }
    }
}

fn all_sessions(plan: &mut Plan) -> Vec<&mut Session> {
    plan.days
        .iter_mut()
        .flat_map(|d| d.routes.iter_mut())
        .flat_map(|r| r.visits.iter_mut())
        .flat_map(|v| v.sessions.iter_mut())
        .collect()
}

#[test]
fn a_plan_without_sessions_fails_for_every_consultation_that_needs_a_doctor() {
    let problem = with_doctors(1, 0, Vec::new());
    let plan = planned(&problem);
    let violations = check(&problem, &common::matrix(&problem), &plan);
    let consultations: usize =
        plan.visits().map(|(_, _, v)| v.requests.iter().filter(|&&r| problem.requests()[r].kind == 1).count()).sum();
    assert!(consultations >= 2, "the tiny week serves consultations");
    let missing = violations.iter().filter(|v| v.what.contains("no session")).count();
    assert_eq!(missing, consultations, "{violations:#?}");
}

#[test]
fn sessions_in_hours_one_at_a_time_pass_and_every_broken_rule_is_found() {
    let problem = with_doctors(1, 0, Vec::new());
    let mut plan = planned(&problem);
    sessions_with(&problem, &mut plan, 0);
    assert_eq!(check_sessions(&problem, &plan), vec![], "one doctor, sessions in sequence");

    // Two sessions of one doctor at once (whatever the units).
    let mut clash = plan.clone();
    let first = all_sessions(&mut clash)[0].start;
    for s in all_sessions(&mut clash).into_iter().take(2) {
        let length = s.end - s.start;
        (s.start, s.end) = (first, first + length);
    }
    assert!(check_sessions(&problem, &clash).iter().any(|v| v.what.contains("at most 1")), "double-booked");
    // Two at once are fine for a doctor who can hold two (but not outside the visit).
    let roomy = with_doctors(2, 0, Vec::new());
    assert!(!check_sessions(&roomy, &clash).iter().any(|v| v.what.contains("at most")));

    // Outside the hours, too short, with someone not allowed, and with nobody needed.
    let mut late = plan.clone();
    for s in all_sessions(&mut late).into_iter().take(1) {
        (s.start, s.end) = (Seconds::from_hm(18, 0), Seconds::from_hm(18, 30));
    }
    let found = check_sessions(&problem, &late);
    assert!(
        found.iter().any(|v| v.what.contains("hours")) && found.iter().any(|v| v.what.contains("outside its visit"))
    );
    let mut short = plan.clone();
    all_sessions(&mut short)[0].end -= Seconds::from_minutes(5);
    assert!(check_sessions(&problem, &short).iter().any(|v| v.what.contains("length")));
    let mut stranger = plan.clone();
    all_sessions(&mut stranger)[0].resource = 5;
    assert!(check_sessions(&problem, &stranger).iter().any(|v| v.what.contains("may not hold")));
    let mut needless = plan.clone();
    let visit = needless
        .days
        .iter_mut()
        .flat_map(|d| d.routes.iter_mut())
        .flat_map(|r| r.visits.iter_mut())
        .find(|v| v.requests.iter().any(|&r| problem.remote_candidates(r).is_empty()))
        .expect("a visit with a request that needs nobody");
    let r = *visit.requests.iter().find(|&&r| problem.remote_candidates(r).is_empty()).unwrap();
    visit.sessions.push(Session {
        request: r,
        resource: 0,
        start: visit.start,
        end: visit.start + Seconds::from_minutes(20),
    });
    assert!(check_sessions(&problem, &needless).iter().any(|v| v.what.contains("needs nobody")));
}

#[test]
fn a_day_off_and_the_buffer_between_sessions_are_kept() {
    let plain = with_doctors(1, 0, Vec::new());
    let mut plan = planned(&plain);
    sessions_with(&plain, &mut plan, 0);
    let day = plan.visits().find(|(_, _, v)| !v.sessions.is_empty()).map(|(d, _, _)| d.ordinal).unwrap();
    let away = with_doctors(1, 0, vec![day]);
    assert!(check_sessions(&away, &plan).iter().any(|v| v.what.contains("hours")), "the doctor is off that day");
    // Back-to-back sessions of one visit break a 10-minute buffer.
    let back_to_back = plan.visits().any(|(_, _, v)| v.sessions.len() >= 2);
    assert!(back_to_back, "the tiny week has a visit with two consultations");
    let buffered = with_doctors(1, 10, Vec::new());
    let found = check_sessions(&buffered, &plan);
    assert_eq!(back_to_back, found.iter().any(|v| v.what.contains("at most 1")), "{found:#?}");
}
