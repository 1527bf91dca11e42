//! The independent check of remote sessions (see `model/remote.rs`), recomputed from the
//! data: every served request that needs a remote person has exactly one session, with a
//! person allowed for it, lasting its service time, inside its visit and inside that
//! person's hours on that day; no person holds more sessions at once than they can, each
//! session followed by the buffer; the sessions of one visit follow one another (one crew,
//! one terminal); requests that need nobody have no session. Shares no code with any
//! planner.

use crate::check::Violation;
use crate::model::{Day, Problem, Session};
use crate::plan::Plan;

/// Every broken rule of the plan's sessions.
pub fn check_sessions(problem: &Problem, plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut fail = |at: String, what: String| out.push(Violation { at, what });
    // (resource, day ordinal, session) of every session, for the overlap sweep.
    let mut held: Vec<(usize, u32, Session)> = Vec::new();
    for (day, _, visit) in plan.visits() {
        for &r in &visit.requests {
            let Some(request) = problem.requests().get(r) else { continue };
            let needs = needed_by(problem, r);
            let sessions: Vec<&Session> = visit.sessions.iter().filter(|s| s.request == r).collect();
            let at = format!("day {} / request {}", day.ordinal, request.id);
            match (needs.is_empty(), sessions.as_slice()) {
                (true, []) => {}
                (true, _) => fail(at, "has a remote session but needs nobody".into()),
                (false, []) => fail(at, "needs a remote person but has no session".into()),
                (false, [s]) => {
                    if !needs.contains(&s.resource) {
                        fail(at.clone(), format!("session with remote person {} who may not hold it", s.resource));
                    }
                    if s.end - s.start != request.service {
                        fail(at.clone(), "session length differs from the service time".into());
                    }
                    if s.start < visit.start || s.end > visit.end {
                        fail(at.clone(), "session outside its visit".into());
                    }
                    if !in_hours(problem, s, day) {
                        fail(at, "session outside the remote person's hours".into());
                    }
                    held.push((s.resource, day.ordinal, **s));
                }
                (false, _) => fail(at, "more than one session".into()),
            }
        }
        for s in visit.sessions.iter().filter(|s| !visit.requests.contains(&s.request)) {
            fail(format!("day {}", day.ordinal), format!("session of request {} outside its visit", s.request));
        }
        let mut in_visit: Vec<&Session> = visit.sessions.iter().collect();
        in_visit.sort_by_key(|s| s.start);
        if in_visit.windows(2).any(|pair| pair[1].start < pair[0].end) {
            fail(format!("day {}", day.ordinal), "two sessions of one visit at once".into());
        }
    }
    out.extend(overbooked(problem, held));
    out
}

/// Who may hold request `r`'s session, read from the data: the person it names, else
/// everyone of its kind's remote kind.
fn needed_by(problem: &Problem, r: usize) -> Vec<usize> {
    let request = &problem.requests()[r];
    if let Some(named) = request.remote {
        return vec![named];
    }
    match &problem.kinds()[request.kind].remote_kind {
        Some(kind) => problem.remote().iter().enumerate().filter(|(_, x)| &x.kind == kind).map(|(i, _)| i).collect(),
        None => Vec::new(),
    }
}

fn in_hours(problem: &Problem, s: &Session, day: Day) -> bool {
    let Some(person) = problem.remote().get(s.resource) else { return false };
    if person.days_off.contains(&day.ordinal) {
        return false;
    }
    person.hours[day.weekday().index()].iter().any(|w| w.start <= s.start && s.end <= w.end)
}

/// People holding more sessions at once than they can: each session occupies
/// `[start, end + buffer)`.
fn overbooked(problem: &Problem, mut held: Vec<(usize, u32, Session)>) -> Vec<Violation> {
    let buffer = problem.session_buffer();
    held.sort_by_key(|(x, d, s)| (*x, *d, s.start));
    let mut out = Vec::new();
    for (i, (x, d, s)) in held.iter().enumerate() {
        let at_once = held[..=i]
            .iter()
            .filter(|(y, e, t)| y == x && e == d && t.start <= s.start && s.start < t.end + buffer)
            .count();
        let limit = problem.remote().get(*x).map_or(1, |p| p.concurrent) as usize;
        if at_once > limit {
            out.push(Violation {
                at: format!("day {d} / remote person {x}"),
                what: format!("{at_once} sessions at {} (at most {limit})", s.start),
            });
        }
    }
    out
}
