//! The weekly planner: assigns visits to days and units, routes each working day, moves
//! visits that do not fit to other allowed days, and reports what stays unserved.

mod assign;
mod day_routing;
mod visits;

use crate::matrix::TravelMatrix;
use crate::model::Problem;
use crate::plan::{DayPlan, Plan, Unserved, UnservedReason, VisitPlace, VisitShortfall};
use crate::routing::{CostRates, SearchParams};
use assign::Ledger;
use day_routing::{RoutedDay, route_day};
use visits::TentativeVisit;

/// Settings of the weekly planner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanParams {
    /// Search settings of each day's routing solve (its seed is varied per day).
    pub search: SearchParams,
    /// Route costs: by default a metre and a second of unit time weigh the same.
    pub rates: CostRates,
}

impl Default for PlanParams {
    fn default() -> Self {
        PlanParams {
            search: SearchParams { max_iterations: 300, max_no_improvement: 100, ..SearchParams::default() },
            rates: CostRates { per_meter: 1, per_second: 1 },
        }
    }
}

/// Progress of [`plan`]: days routed so far out of all working days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanProgress {
    pub days_done: usize,
    pub days_total: usize,
}

/// Plans the whole horizon.
pub fn plan(
    problem: &Problem,
    matrix: &TravelMatrix,
    params: &PlanParams,
    progress: &mut dyn FnMut(PlanProgress),
) -> Plan {
    let mut ledger = Ledger::new(problem, matrix);
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
    let mut shortfalls = ledger.meet_minimums();

    let days_total = problem.horizon().days.len();
    let mut routed: Vec<RoutedDay> = Vec::with_capacity(days_total);
    for day in 0..days_total {
        routed.push(solve_day(problem, matrix, &ledger, day, params));
        progress(PlanProgress { days_done: day + 1, days_total });
    }
    repair(problem, matrix, &mut ledger, &mut routed, params);

    for visit in ledger.visits.iter().filter(|v| v.dropped) {
        unserved.extend(visit.requests.iter().map(|&request| Unserved { request, reason: UnservedReason::Capacity }));
        if let (VisitPlace::Stop(stop), true) = (visit.place, visit.requests.is_empty()) {
            let week = problem.horizon().days[visit.day].week();
            let required = problem.stops()[stop].rule.min_per_week;
            let planned = ledger
                .visits
                .iter()
                .filter(|v| !v.dropped && v.place == visit.place && problem.horizon().days[v.day].week() == week)
                .count() as u32;
            if planned < required && !shortfalls.iter().any(|s| s.stop == stop && s.week == week) {
                shortfalls.push(VisitShortfall { stop, week, planned, required, reason: UnservedReason::Capacity });
            }
        }
    }
    unserved.sort_by_key(|u| u.request);
    let days = routed
        .into_iter()
        .enumerate()
        .filter(|(_, r)| !r.routes.is_empty())
        .map(|(day, r)| DayPlan { day: problem.horizon().days[day], routes: r.routes })
        .collect();
    Plan { days, unserved, shortfalls }
}

/// Indices of the live visits on a day, in ledger order.
fn visits_on(ledger: &Ledger, day: usize) -> Vec<usize> {
    (0..ledger.visits.len()).filter(|&i| !ledger.visits[i].dropped && ledger.visits[i].day == day).collect()
}

fn solve_day(problem: &Problem, matrix: &TravelMatrix, ledger: &Ledger, day: usize, params: &PlanParams) -> RoutedDay {
    let indices = visits_on(ledger, day);
    let visits: Vec<&TentativeVisit> = indices.iter().map(|&i| &ledger.visits[i]).collect();
    let search = SearchParams { seed: params.search.seed.wrapping_add(day as u64), ..params.search };
    let mut routed = route_day(problem, matrix, day, &visits, &search, params.rates);
    routed.dropped = routed.dropped.iter().map(|&k| indices[k]).collect();
    routed
}

/// Moves each visit that routing dropped to another day that its requests and the stop's
/// rule allow and whose routes can take it without losing any visit; otherwise marks it
/// dropped for good.
fn repair(problem: &Problem, matrix: &TravelMatrix, ledger: &mut Ledger, routed: &mut [RoutedDay], params: &PlanParams) {
    let dropped: Vec<usize> = routed.iter().flat_map(|r| r.dropped.iter().copied()).collect();
    for visit in dropped {
        let from = ledger.visits[visit].day;
        ledger.visits[visit].dropped = true;
        routed[from].dropped.retain(|&v| v != visit);
        for day in repair_days(problem, ledger, visit) {
            if day == from || !ledger.rule_allows(ledger.visits[visit].place, day) {
                continue;
            }
            ledger.visits[visit].day = day;
            ledger.visits[visit].dropped = false;
            let attempt = solve_day(problem, matrix, ledger, day, params);
            if attempt.dropped.is_empty() {
                routed[day] = attempt;
                break;
            }
            ledger.visits[visit].dropped = true;
            ledger.visits[visit].day = from;
        }
    }
}

/// Days a dropped visit may move to: days allowed for all its requests, or for a visit
/// without requests, the open days of the same week.
fn repair_days(problem: &Problem, ledger: &Ledger, visit: usize) -> Vec<usize> {
    let v = &ledger.visits[visit];
    let days = &problem.horizon().days;
    if v.requests.is_empty() {
        let week = days[v.day].week();
        return (0..days.len())
            .filter(|&d| days[d].week() == week && visits::place_open(problem, v.place, days[d]))
            .collect();
    }
    let mut common: Option<Vec<usize>> = None;
    for &r in &v.requests {
        let allowed = ledger.candidate_days(r).unwrap_or_default();
        common = Some(match common {
            None => allowed,
            Some(c) => c.into_iter().filter(|d| allowed.contains(d)).collect(),
        });
    }
    let mut out = common.unwrap_or_default();
    out.retain(|&d| (0..problem.vehicles().len()).any(|u| visits::vehicle_fits(problem, u, v.place, &v.requests)
        && problem.vehicles()[u].shifts[days[d].weekday().index()].is_some()));
    out
}
