//! The weekly planner: assigns visits to days and units, routes each working day, repairs
//! what the routes could not take, and reports what stays unserved, with reasons.

mod assign;
mod day_routing;
mod mip;
pub mod periodic;
mod remote_budget;
mod remote_time;
mod repair;
mod replan;
mod sessions;
mod visits;
mod week_model;
mod week_options;

use std::time::Duration;

use crate::lp::MipError;
use crate::matrix::TravelMatrix;
use crate::model::Problem;
use crate::plan::{
    AssignedBy, AssignmentReport, DayPlan, GreedyCause, Plan, Unserved, UnservedReason, VisitPlace, VisitShortfall,
};
use crate::routing::{CostRates, SearchParams};
use assign::Ledger;
use day_routing::{RoutedDay, route_day};
use visits::TentativeVisit;

pub use replan::{
    ChangeCause, ChangedWindow, PublishedRoute, PublishedVisit, beside_promises, change_cause, changed_windows,
    published_routes, replan,
};

/// The first week's day-assignment model as text (variables and rows in the order they
/// are added), for tests: the same input must build the same model.
#[doc(hidden)]
pub fn first_week_model_text(problem: &Problem, matrix: &TravelMatrix) -> String {
    let ledger = Ledger::new(problem, matrix);
    let served = vec![false; problem.requests().len()];
    let familiar = week_model::Familiar::new();
    week_model::model_text(&week_model::WeekInput {
        problem,
        matrix,
        ledger: &ledger,
        week: 0,
        served: &served,
        familiar: &familiar,
    })
}

/// How visits are assigned to days and units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignmentMethod {
    /// The MIP of `docs/model.md`, with a time limit; falls back to greedy if it finds no
    /// solution in time.
    Mip { time_limit: Duration },
    /// The greedy assignment only.
    Greedy,
}

/// Settings of the weekly planner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanParams {
    /// Search settings of each day's routing solve (its seed is varied per day).
    pub search: SearchParams,
    /// Route costs: by default a metre and a second of unit time weigh the same.
    pub rates: CostRates,
    pub assignment: AssignmentMethod,
}

impl Default for PlanParams {
    fn default() -> Self {
        PlanParams {
            search: SearchParams { max_iterations: 300, max_no_improvement: 100, ..SearchParams::default() },
            rates: CostRates { per_meter: 1, per_second: 1 },
            assignment: AssignmentMethod::Mip { time_limit: Duration::from_secs(8) },
        }
    }
}

/// Progress of [`plan`]: days routed so far out of all working days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanProgress {
    pub days_done: usize,
    pub days_total: usize,
}

/// What every step of the planner reads.
pub(crate) struct Context<'a> {
    pub problem: &'a Problem,
    pub matrix: &'a TravelMatrix,
    pub params: &'a PlanParams,
}

impl Context<'_> {
    /// Routes the live visits of one day from scratch.
    pub fn solve_day(&self, ledger: &Ledger, day: usize) -> RoutedDay {
        self.route(ledger, day, None, &self.params.search)
    }

    /// Routes the live visits of one day again after a change, starting from `before`
    /// (its routes, with new visits inserted first) and with a shorter search: the
    /// repairs call this once per attempt, so it must stay cheap on large days.
    pub fn resolve_day(&self, ledger: &Ledger, day: usize, before: &RoutedDay) -> RoutedDay {
        let s = self.params.search;
        let search = SearchParams {
            max_iterations: s.max_iterations / REPAIR_SEARCH_SHARE,
            max_no_improvement: s.max_no_improvement / REPAIR_SEARCH_SHARE,
            ..s
        };
        self.route(ledger, day, Some(before), &search)
    }

    /// Routes every day of the horizon in order, each keeping its stops near the time of
    /// their visits on the same weekday of earlier weeks.
    pub fn route_all_days(&self, ledger: &mut Ledger, progress: &mut dyn FnMut(PlanProgress)) -> Vec<RoutedDay> {
        let days_total = self.problem.horizon().days.len();
        let mut routed: Vec<RoutedDay> = Vec::with_capacity(days_total);
        for day in 0..days_total {
            remember_usual_times(self.problem, ledger, &routed, day);
            routed.push(self.solve_day(ledger, day));
            progress(PlanProgress { days_done: day + 1, days_total });
        }
        routed
    }

    fn route(&self, ledger: &Ledger, day: usize, before: Option<&RoutedDay>, search: &SearchParams) -> RoutedDay {
        let indices: Vec<usize> =
            (0..ledger.visits.len()).filter(|&i| !ledger.visits[i].dropped && ledger.visits[i].day == day).collect();
        let visits: Vec<&TentativeVisit> = indices.iter().map(|&i| &ledger.visits[i]).collect();
        // The previous routes in this call's visit positions (ledger index → position).
        let warm: Option<Vec<(usize, Vec<usize>)>> = before.map(|b| {
            b.routes
                .iter()
                .zip(&b.visit_ids)
                .map(|(r, ids)| (r.vehicle, ids.iter().filter_map(|i| indices.binary_search(i).ok()).collect()))
                .collect()
        });
        let search = SearchParams { seed: search.seed.wrapping_add(day as u64), ..*search };
        let mut routed =
            route_day(self.problem, self.matrix, day, &visits, warm.as_deref(), &search, self.params.rates);
        routed.dropped = routed.dropped.iter().map(|&k| indices[k]).collect();
        routed.no_session.iter_mut().for_each(|(k, _)| *k = indices[*k]);
        for ids in &mut routed.visit_ids {
            ids.iter_mut().for_each(|k| *k = indices[*k]);
        }
        routed
    }
}

/// A repair's re-routing runs this fraction (1/n) of the full search.
const REPAIR_SEARCH_SHARE: u64 = 4;

/// Plans the whole horizon.
pub fn plan(
    problem: &Problem,
    matrix: &TravelMatrix,
    params: &PlanParams,
    progress: &mut dyn FnMut(PlanProgress),
) -> Plan {
    let ctx = Context { problem, matrix, params };
    let mut ledger = Ledger::new(problem, matrix);
    let days_total = problem.horizon().days.len();
    // The day assignment comes first (it may take the MIP's time limit): report the
    // work ahead before it starts.
    progress(PlanProgress { days_done: 0, days_total });
    let (mut unserved, mut shortfalls, assignment) = match params.assignment {
        AssignmentMethod::Greedy => greedy(&mut ledger, GreedyCause::Requested, "greedy assignment requested".into()),
        AssignmentMethod::Mip { time_limit } => match mip::assign(problem, matrix, &ledger, time_limit) {
            Ok(a) => {
                for v in a.visits {
                    ledger.add_visit(v);
                }
                (a.unserved, a.shortfalls, a.report)
            }
            Err(e @ MipError::TooLarge { .. }) => {
                greedy(&mut ledger, GreedyCause::TooLarge, format!("{e}; greedy assignment used"))
            }
            Err(e) => greedy(
                &mut ledger,
                GreedyCause::NoMipSolution,
                format!("MIP gave no solution ({e}); greedy assignment used"),
            ),
        },
    };

    let mut routed = ctx.route_all_days(&mut ledger, progress);
    unserved.extend(take_out_sessionless(&mut ledger, &mut routed));
    repair::move_dropped(&ctx, &mut ledger, &mut routed);
    for visit in ledger.visits.iter().filter(|v| v.dropped) {
        unserved.extend(visit.requests.iter().map(|&request| Unserved { request, reason: UnservedReason::Capacity }));
    }
    repair::fill_unserved(&ctx, &mut ledger, &mut routed, &mut unserved);
    shortfalls.extend(rule_shortfalls(problem, &ledger, &shortfalls));
    defer_open_requests(problem, &mut unserved);
    unserved.sort_by_key(|u| u.request);

    Plan { days: day_plans(problem, routed), unserved, shortfalls, assignment }
}

/// Takes the requests whose remote session the routed days could not hold out of their
/// visits, as unserved for that reason (the repairs may still place them elsewhere).
pub(crate) fn take_out_sessionless(ledger: &mut Ledger, routed: &mut [RoutedDay]) -> Vec<Unserved> {
    let mut out = Vec::new();
    for (visit, request) in routed.iter_mut().flat_map(|d| std::mem::take(&mut d.no_session)) {
        ledger.unjoin(visit, request);
        out.push(Unserved { request, reason: UnservedReason::NoRemote });
    }
    out
}

/// Gives each stop visit of `day` the window of the stop's latest visit on the same
/// weekday in an earlier week (`routed` holds the days before `day`), so that routing
/// keeps it at about the same time.
fn remember_usual_times(problem: &Problem, ledger: &mut Ledger, routed: &[RoutedDay], day: usize) {
    let days = &problem.horizon().days;
    let weekday = days[day].weekday();
    for visit in ledger.visits.iter_mut().filter(|v| v.day == day && !v.dropped) {
        if !matches!(visit.place, VisitPlace::Stop(_)) {
            continue;
        }
        visit.usual = (0..day.min(routed.len()))
            .rev()
            .filter(|&d| days[d].weekday() == weekday && days[d].week() < days[day].week())
            .find_map(|d| routed[d].routes.iter().flat_map(|r| &r.visits).find(|v| v.place == visit.place))
            .map(|v| v.published);
    }
}

/// The routed days as the plan's days (days without routes left out).
pub(crate) fn day_plans(problem: &Problem, routed: Vec<RoutedDay>) -> Vec<DayPlan> {
    routed
        .into_iter()
        .enumerate()
        .filter(|(_, r)| !r.routes.is_empty())
        .map(|(day, r)| DayPlan { day: problem.horizon().days[day], routes: r.routes })
        .collect()
}

/// The greedy assignment: requests by deadline and priority, then weekly minimums.
fn greedy(
    ledger: &mut Ledger,
    cause: GreedyCause,
    message: String,
) -> (Vec<Unserved>, Vec<VisitShortfall>, AssignmentReport) {
    let problem = ledger.problem();
    let mut unserved = Vec::new();
    let mut order: Vec<usize> = (0..problem.requests().len()).collect();
    order.sort_by_key(|&r| {
        let req = &problem.requests()[r];
        (req.latest_day, std::cmp::Reverse(req.priority), r)
    });
    for r in order {
        if let Err(reason) = ledger.place_request(r) {
            unserved.push(Unserved { request: r, reason });
        }
    }
    let shortfalls = ledger.meet_minimums();
    let report = AssignmentReport {
        method: AssignedBy::Greedy,
        message,
        greedy_cause: Some(cause),
        ..AssignmentReport::default()
    };
    (unserved, shortfalls, report)
}

/// Weeks where dropped visits leave a stop below its minimum (not yet listed).
pub(crate) fn rule_shortfalls(problem: &Problem, ledger: &Ledger, known: &[VisitShortfall]) -> Vec<VisitShortfall> {
    let days = &problem.horizon().days;
    let mut out: Vec<VisitShortfall> = Vec::new();
    for visit in ledger.visits.iter().filter(|v| v.dropped) {
        let VisitPlace::Stop(stop) = visit.place else { continue };
        let week = days[visit.day].week();
        let required = problem.stops()[stop].rule.min_per_week;
        let planned = ledger.visits_in_week(visit.place, week);
        let listed = known.iter().chain(&out).any(|s| s.stop == stop && s.week == week);
        if planned < required && !listed {
            out.push(VisitShortfall { stop, week, planned, required, reason: UnservedReason::Capacity });
        }
    }
    out
}

/// Requests that could still be served after the horizon are carried over, not refused.
pub(crate) fn defer_open_requests(problem: &Problem, unserved: &mut [Unserved]) {
    let horizon_end = problem.horizon().weeks * 7;
    for u in unserved {
        let open_later = problem.requests()[u.request].latest_day >= horizon_end;
        let may_wait =
            matches!(u.reason, UnservedReason::NoDay | UnservedReason::VisitLimit | UnservedReason::Capacity);
        if open_later && may_wait {
            u.reason = UnservedReason::Deferred;
        }
    }
}
