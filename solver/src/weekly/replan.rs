//! Re-planning around a published plan: its visits keep their day, unit and published
//! window (residents were told), requests that no published visit serves are fitted in
//! where the routes have room, and a full re-optimisation is compared with it window by
//! window.

use super::assign::Ledger;
use super::visits::{TentativeVisit, request_place};
use super::{Context, PlanParams, PlanProgress, day_plans, defer_open_requests, repair};
use crate::matrix::TravelMatrix;
use crate::model::{Problem, Session};
use crate::plan::{AssignedBy, AssignmentReport, Plan, Unserved, UnservedReason, VisitPlace};
use crate::units::TimeWindow;

/// A visit of the published plan, in the current problem's indices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedVisit {
    pub place: VisitPlace,
    /// The window residents were told; the service must stay inside it.
    pub window: TimeWindow,
    /// Requests it serves that still exist (cancelled ones removed).
    pub requests: Vec<usize>,
    pub class_kind: Option<usize>,
    /// Its remote sessions (of requests it still serves), kept at their times.
    pub sessions: Vec<Session>,
}

/// One published route: a unit's visits on a horizon day, in visiting order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedRoute {
    /// Index into the horizon's days.
    pub day: usize,
    pub vehicle: usize,
    pub visits: Vec<PublishedVisit>,
}

/// A published visit whose window a plan does not keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangedWindow {
    pub day: usize,
    pub place: VisitPlace,
    pub published: TimeWindow,
    /// The window the plan gives the same place that day, if it visits it at all.
    pub now: Option<TimeWindow>,
    pub cause: ChangeCause,
}

/// Why a published window could not be kept, judged from the current data alone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeCause {
    /// The unit does not work then any more (out of service that day, no shift that
    /// weekday, or a shift that no longer holds the window).
    UnitNotWorking,
    /// The place is closed that day, or its opening hours no longer hold the window.
    PlaceClosed,
    /// Nothing about the visit itself changed: the plan chose otherwise (a full
    /// re-optimisation), or the day's routes could not keep it beside the other changes.
    #[default]
    PlanChoice,
}

/// The cause of losing a published visit of `vehicle` on horizon day `day` (see
/// [`ChangeCause`]).
pub fn change_cause(problem: &Problem, day: usize, vehicle: usize, visit: &PublishedVisit) -> ChangeCause {
    let date = problem.horizon().days[day];
    let shift = problem.vehicles().get(vehicle).and_then(|unit| unit.shift_on(date));
    if !shift.is_some_and(|s| s.start <= visit.window.start && visit.window.end <= s.end) {
        return ChangeCause::UnitNotWorking;
    }
    let open = super::visits::place_windows(problem, visit.place, date);
    if !open.iter().any(|w| w.start <= visit.window.start && visit.window.end <= w.end) {
        return ChangeCause::PlaceClosed;
    }
    ChangeCause::PlanChoice
}

/// Keeps every published visit (same day, unit and window; its order and exact times may
/// change within the window) and inserts the requests no published visit serves, most
/// urgent first: into a published visit at their place when it has room, else as a new
/// visit on an allowed day whose routes still take every visit. What does not fit is
/// reported with its reason. A published visit is only given up when the current data
/// makes it impossible (e.g. a unit no longer works that day); [`changed_windows`] lists
/// those.
pub fn replan(
    problem: &Problem,
    matrix: &TravelMatrix,
    published: &[PublishedRoute],
    params: &PlanParams,
    progress: &mut dyn FnMut(PlanProgress),
) -> Plan {
    let ctx = Context { problem, matrix, params };
    let mut ledger = Ledger::new(problem, matrix);
    let days_total = problem.horizon().days.len();
    for route in published.iter().filter(|r| r.day < days_total && r.vehicle < problem.vehicles().len()) {
        for v in &route.visits {
            let mut visit = TentativeVisit::new(v.place, route.day, route.vehicle, v.requests.clone(), v.class_kind);
            visit.lock = Some(v.window);
            visit.kept_sessions = v.sessions.clone();
            ledger.add_visit(visit);
        }
    }
    let locked = ledger.visits.len();
    let mut routed = ctx.route_all_days(&mut ledger, progress);
    let given_up: Vec<usize> = routed.iter_mut().flat_map(|r| std::mem::take(&mut r.dropped)).collect();
    for &visit in &given_up {
        ledger.visits[visit].dropped = true;
    }
    let rehomed = repair::rehome(&ctx, &mut ledger, &mut routed, &given_up);
    // Sessions a kept visit can no longer hold (e.g. the doctor's new day off).
    let sessionless: Vec<usize> =
        super::take_out_sessionless(&mut ledger, &mut routed).into_iter().map(|u| u.request).collect();

    let mut served = vec![false; problem.requests().len()];
    for v in ledger.visits.iter().filter(|v| !v.dropped) {
        v.requests.iter().for_each(|&r| served[r] = true);
    }
    let mut pending: Vec<usize> = (0..problem.requests().len()).filter(|&r| !served[r]).collect();
    pending.sort_by_key(|&r| {
        let req = &problem.requests()[r];
        (req.latest_day, std::cmp::Reverse(req.priority), r)
    });
    let mut unserved = Vec::new();
    for request in pending {
        let reason = match ledger.candidate_days(request) {
            Err(reason) => reason,
            Ok(_) if repair::fill_one(&ctx, &mut ledger, &mut routed, request) => continue,
            Ok(_) if sessionless.contains(&request) => UnservedReason::NoRemote,
            Ok(days) => refusal(&ledger, request, &days),
        };
        unserved.push(Unserved { request, reason });
    }
    defer_open_requests(problem, &mut unserved);

    let kept = ledger.visits.iter().filter(|v| v.lock.is_some() && !v.dropped).count();
    let assignment = AssignmentReport {
        method: AssignedBy::Replan,
        message: format!(
            "{kept} of {locked} published visits kept in their windows, {} moved within their week",
            rehomed.len()
        ),
        locked,
        locked_kept: kept,
        ..AssignmentReport::default()
    };
    // Weeks below a stop's minimum (some dates planned afresh, or a visit lost for good)
    // get rule visits where the routes still take them.
    let shortfalls = repair::meet_minimums(&ctx, &mut ledger, &mut routed);
    Plan { days: day_plans(problem, routed), unserved, shortfalls, assignment }
}

/// Why a request with candidate days still did not fit: the visit rule when it allowed
/// no new visit on any of them and no visit at the place could take it; else capacity.
fn refusal(ledger: &Ledger, request: usize, days: &[usize]) -> UnservedReason {
    let place = request_place(ledger.problem(), request);
    let visited = |d: usize| ledger.visits.iter().any(|v| !v.dropped && v.day == d && v.place == place);
    if days.iter().all(|&d| !ledger.rule_allows(place, d) && !visited(d)) {
        UnservedReason::VisitLimit
    } else {
        UnservedReason::Capacity
    }
}

/// The problem without the fixed visits announced outside the weeks that a published
/// visit of the weeks already stands too close to: the announcements broke the stop's
/// spacing before this re-plan (e.g. a rollback of one week), and the re-plan keeps its
/// promises rather than failing on them.
pub fn beside_promises(problem: &Problem, published: &[PublishedRoute]) -> Result<Problem, crate::model::ModelError> {
    let days = &problem.horizon().days;
    let mut parts = problem.parts().clone();
    for route in published.iter().filter(|r| r.day < days.len()) {
        let ordinal = i64::from(days[route.day].ordinal);
        for v in &route.visits {
            let VisitPlace::Stop(s) = v.place else { continue };
            let Some(stop) = parts.stops.get_mut(s) else { continue };
            let gap = i64::from(stop.rule.min_gap_days);
            let horizon = 0..i64::from(problem.horizon().weeks) * 7;
            stop.fixed_visits.retain(|f| horizon.contains(f) || (f - ordinal).abs() >= gap);
        }
    }
    Problem::new(parts)
}

/// The published visits that `plan` does not keep: it has no visit to the same place on
/// the same day by the same unit with exactly the published window (residents expecting
/// the city office are told when the clinic comes instead).
pub fn changed_windows(problem: &Problem, published: &[PublishedRoute], plan: &Plan) -> Vec<ChangedWindow> {
    let days = &problem.horizon().days;
    let mut changed = Vec::new();
    // Days that have passed are not the plan's to change (a full re-optimisation leaves
    // them empty; what was announced there stays announced).
    let ahead = |r: &&PublishedRoute| days.get(r.day).is_some_and(|d| d.ordinal >= problem.horizon().first_open);
    for route in published.iter().filter(ahead) {
        for v in &route.visits {
            let same_place: Vec<(usize, TimeWindow)> = plan
                .visits()
                .filter(|(day, _, visit)| days.get(route.day) == Some(day) && visit.place == v.place)
                .map(|(_, vehicle, visit)| (vehicle, visit.published))
                .collect();
            if !same_place.contains(&(route.vehicle, v.window)) {
                let now = same_place.first().map(|(_, w)| *w);
                let cause = change_cause(problem, route.day, route.vehicle, v);
                changed.push(ChangedWindow { day: route.day, place: v.place, published: v.window, now, cause });
            }
        }
    }
    changed
}

/// The routes of a plan as published routes (to keep them when re-planning the same
/// problem, e.g. right after publishing).
pub fn published_routes(problem: &Problem, plan: &Plan) -> Vec<PublishedRoute> {
    let days = &problem.horizon().days;
    plan.days
        .iter()
        .filter_map(|d| days.iter().position(|h| *h == d.day).map(|index| (index, d)))
        .flat_map(|(day, d)| {
            d.routes.iter().map(move |r| PublishedRoute {
                day,
                vehicle: r.vehicle,
                visits: r
                    .visits
                    .iter()
                    .map(|v| PublishedVisit {
                        place: v.place,
                        window: v.published,
                        requests: v.requests.clone(),
                        class_kind: v.class_kind,
                        sessions: v.sessions.clone(),
                    })
                    .collect(),
            })
        })
        .collect()
}
