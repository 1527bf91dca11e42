//! Remote sessions: the independent check (`check_sessions`) finds every broken rule — a
//! doctor shared by every unit double-booked, used outside the hours or on a day off, a
//! session of the wrong length or outside its visit — and the planner's sessions pass it.

mod common;

use junkai_solver::check::check;
use junkai_solver::check_sessions::check_sessions;
use junkai_solver::model::{Problem, RemoteResource, Session};
use junkai_solver::plan::{Plan, UnservedReason};
use junkai_solver::units::{Seconds, TimeWindow};
use junkai_solver::weekly::{AssignmentMethod, PlanParams, plan, published_routes, replan};

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

/// Replaces the planner's sessions: every request that needs a doctor gets a session with
/// `doctor`, one after another from its visit's start.
fn sessions_with(problem: &Problem, plan: &mut Plan, doctor: usize) {
    for day in &mut plan.days {
        for route in &mut day.routes {
            for visit in &mut route.visits {
                visit.sessions.clear();
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

/// Consultations served in the plan (kind 1 needs a doctor).
fn consultations(problem: &Problem, plan: &Plan) -> usize {
    plan.visits().map(|(_, _, v)| v.requests.iter().filter(|&&r| problem.requests()[r].kind == 1).count()).sum()
}

#[test]
fn the_planner_gives_every_consultation_a_session_that_passes_the_check() {
    for (concurrent, buffer) in [(1, 0), (1, 10), (2, 5)] {
        let problem = with_doctors(concurrent, buffer, Vec::new());
        let plan = planned(&problem);
        assert_eq!(check(&problem, &common::matrix(&problem), &plan), vec![]);
        let sessions: usize = plan.visits().map(|(_, _, v)| v.sessions.len()).sum();
        assert!(consultations(&problem, &plan) >= 2, "the tiny week serves consultations");
        assert_eq!(sessions, consultations(&problem, &plan));
    }
    // Without the sessions the same plan fails, once per consultation.
    let problem = with_doctors(1, 0, Vec::new());
    let mut plan = planned(&problem);
    plan.days.iter_mut().flat_map(|d| d.routes.iter_mut()).flat_map(|r| r.visits.iter_mut()).for_each(|v| {
        v.sessions.clear();
    });
    let violations = check(&problem, &common::matrix(&problem), &plan);
    let missing = violations.iter().filter(|v| v.what.contains("no session")).count();
    assert_eq!(missing, consultations(&problem, &plan), "{violations:#?}");
}

#[test]
fn a_doctor_off_all_week_serves_no_one_and_the_reason_says_so() {
    let mut parts = with_doctors(1, 0, Vec::new()).parts().clone();
    parts.remote.truncate(1);
    parts.remote[0].days_off = (0..7).collect();
    let problem = Problem::new(parts).expect("valid");
    let plan = planned(&problem);
    assert_eq!(check(&problem, &common::matrix(&problem), &plan), vec![]);
    assert_eq!(consultations(&problem, &plan), 0);
    let no_remote = plan.unserved.iter().filter(|u| u.reason == UnservedReason::NoRemote).count();
    let wanting = (0..problem.requests().len()).filter(|&r| problem.needs_remote(r)).count();
    assert_eq!(no_remote, wanting, "{:?}", plan.unserved);
}

#[test]
fn one_doctor_for_two_hours_serves_at_most_what_fits_and_never_two_at_once() {
    let mut parts = with_doctors(1, 10, Vec::new()).parts().clone();
    parts.remote.truncate(1);
    let two_hours = TimeWindow::new(Seconds::from_hm(10, 0), Seconds::from_hm(12, 0));
    parts.remote[0].hours = std::array::from_fn(|d| if d < 5 { vec![two_hours] } else { Vec::new() });
    // Twelve more 30-minute consultations at four halls over the week.
    let n = parts.requests.len();
    parts.requests.extend((0..12).map(|i| common::request(n + i, 1, i % 4, 0, 4)));
    let problem = Problem::new(parts).expect("valid");
    let plan = planned(&problem);
    assert_eq!(check(&problem, &common::matrix(&problem), &plan), vec![]);
    // 30 minutes and a 10-minute buffer: at most three sessions in two hours, per day.
    for day in &plan.days {
        let held: usize = day.routes.iter().flat_map(|r| &r.visits).map(|v| v.sessions.len()).sum();
        assert!(held <= 3, "day {}: {held} sessions", day.day.ordinal);
    }
    let served = consultations(&problem, &plan);
    let unserved = plan.unserved.iter().filter(|u| problem.needs_remote(u.request)).count();
    assert_eq!(served + unserved, (0..problem.requests().len()).filter(|&r| problem.needs_remote(r)).count());
    assert!(served >= 5, "the doctor's week holds several sessions: {served}");
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

/// Every session as (day, request, person, start, end), sorted.
fn session_list(plan: &Plan) -> Vec<(u32, usize, usize, Seconds, Seconds)> {
    let mut out: Vec<_> = plan
        .visits()
        .flat_map(|(d, _, v)| v.sessions.iter().map(move |s| (d.ordinal, s.request, s.resource, s.start, s.end)))
        .collect();
    out.sort();
    out
}

#[test]
fn re_planning_keeps_published_sessions_and_a_new_day_off_moves_or_reports_them() {
    let mut parts = with_doctors(1, 5, Vec::new()).parts().clone();
    parts.remote.truncate(1);
    let problem = Problem::new(parts.clone()).expect("valid");
    let plan = planned(&problem);
    let published = published_routes(&problem, &plan);
    let params = PlanParams::default();
    let again = replan(&problem, &common::matrix(&problem), &published, &params, &mut |_| {});
    assert_eq!(check(&problem, &common::matrix(&problem), &again), vec![]);
    assert_eq!(session_list(&again), session_list(&plan), "published sessions keep their times and people");

    // The doctor takes the busiest day off.
    let sessions = session_list(&plan);
    let busiest =
        sessions.iter().map(|s| s.0).max_by_key(|&d| (sessions.iter().filter(|s| s.0 == d).count(), d)).unwrap();
    parts.remote[0].days_off = vec![busiest];
    let away = Problem::new(parts).expect("valid");
    let moved = replan(&away, &common::matrix(&away), &published, &params, &mut |_| {});
    assert_eq!(check(&away, &common::matrix(&away), &moved), vec![]);
    let now = session_list(&moved);
    assert!(now.iter().all(|s| s.0 != busiest), "no session on the day off");
    for s in sessions.iter().filter(|s| s.0 != busiest) {
        assert!(now.contains(s), "a session on another day stays as published: {s:?}");
    }
    for s in sessions.iter().filter(|s| s.0 == busiest) {
        let moved_to = now.iter().find(|t| t.1 == s.1);
        let reported = moved.unserved.iter().any(|u| u.request == s.1 && u.reason == UnservedReason::NoRemote);
        assert!(moved_to.is_some() != reported, "request {} is moved or reported U07, not both", s.1);
    }
}
