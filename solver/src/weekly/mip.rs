//! The day-assignment MIP (written down in `docs/model.md`): which place is visited on
//! which day by which unit, which requests each visit serves, and whether it holds a
//! class — under the visit rules, request dates, equipment, visit lengths and each
//! unit-day's estimated working time and capacity, and remote people's hours per day —
//! maximising served requests (by priority, sooner and on preferred weekdays) minus
//! estimated driving, inconsistency (distinct weekdays and units per stop) and shortfalls
//! of weekly minimum visits. This file runs the weeks of the horizon; `week_model` builds
//! and solves one week.

use std::time::Duration;

use super::assign::Ledger;
use super::visits::TentativeVisit;
use super::week_model::{Familiar, WeekInput, solve_week};
use crate::lp::MipError;
use crate::matrix::TravelMatrix;
use crate::model::Problem;
use crate::plan::{AssignedBy, AssignmentReport, SolveStatus, Unserved, UnservedReason, VisitPlace, VisitShortfall};

/// The outcome: visits, requests left out, weekly shortfalls, and how the solve went.
pub struct MipAssignment {
    pub visits: Vec<TentativeVisit>,
    pub unserved: Vec<Unserved>,
    pub shortfalls: Vec<VisitShortfall>,
    pub report: AssignmentReport,
}

/// Plans the horizon week by week (a rolling horizon): each week's MIP is small enough to
/// be solved to proven optimality quickly; requests not served carry over to the next week
/// their dates allow; weekdays and units used for a stop in earlier weeks are free of the
/// consistency penalty in later ones.
pub fn assign(
    problem: &Problem,
    matrix: &TravelMatrix,
    ledger: &Ledger,
    time_limit: Duration,
) -> Result<MipAssignment, MipError> {
    let weeks = problem.horizon().weeks;
    let started = std::time::Instant::now();
    let mut served = vec![false; problem.requests().len()];
    let mut familiar = Familiar::new();
    let (mut visits, mut shortfalls) = (Vec::new(), Vec::new());
    let mut report = AssignmentReport {
        method: AssignedBy::Mip,
        status: Some(SolveStatus::Optimal),
        objective: Some(0.0),
        bound: Some(0.0),
        gap: Some(0.0),
        ..AssignmentReport::default()
    };
    for week in 0..weeks {
        // Time a week does not use passes on to the weeks after it.
        let left = time_limit.saturating_sub(started.elapsed());
        let per_week = (left / (weeks - week).max(1)).max(Duration::from_millis(100));
        let input = WeekInput { problem, matrix, ledger, week, served: &served, familiar: &familiar };
        let w = solve_week(&input, per_week)?;
        for v in &w.visits {
            served.iter_mut().enumerate().filter(|(r, _)| v.requests.contains(r)).for_each(|(_, s)| *s = true);
            if let VisitPlace::Stop(s) = v.place {
                familiar.entry(s).or_default().push((problem.horizon().days[v.day].weekday().index(), v.vehicle));
            }
        }
        visits.extend(w.visits);
        shortfalls.extend(w.shortfalls);
        report.backend = w.report.backend;
        report.variables += w.report.variables;
        report.constraints += w.report.constraints;
        report.objective = report.objective.zip(w.report.objective).map(|(a, b)| a + b);
        report.bound = report.bound.zip(w.report.bound).map(|(a, b)| a + b);
        report.gap = report.gap.zip(w.report.gap).map(|(a, b)| a.max(b));
        if w.report.status != Some(SolveStatus::Optimal) {
            report.status = w.report.status;
        }
    }
    report.message = match (report.status, weeks) {
        (Some(SolveStatus::Optimal), 1) => "optimal".into(),
        (Some(SolveStatus::Optimal), _) => format!("optimal for each of {weeks} weeks (rolling horizon)"),
        _ => "time limit reached: best solution found so far".into(),
    };
    let mut unserved = Vec::new();
    for (r, &done) in served.iter().enumerate() {
        if !done {
            let reason = ledger.candidate_days(r).err().unwrap_or(UnservedReason::Capacity);
            unserved.push(Unserved { request: r, reason });
        }
    }
    Ok(MipAssignment { visits, unserved, shortfalls, report })
}
