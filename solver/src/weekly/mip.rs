//! The day-assignment MIP (written down in `docs/model.md`): which place is visited on
//! which day by which unit, which requests each visit serves, and whether it holds a
//! class — under the visit rules, request dates, equipment, visit lengths and each
//! unit-day's estimated working time and capacity, and remote people's hours per day —
//! maximising served requests (by priority, sooner and on preferred weekdays) minus
//! estimated driving, inconsistency (distinct weekdays and units per stop) and shortfalls
//! of weekly minimum visits.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use super::assign::Ledger;
use super::visits::{TentativeVisit, longest_window, place_location, place_open, request_place, vehicle_fits};
use crate::lp::{BACKEND, MAX_VARIABLES, MipError, MipModel, MipStatus, Var, solve};
use crate::matrix::TravelMatrix;
use crate::model::Problem;
use crate::plan::{AssignmentReport, Unserved, UnservedReason, VisitPlace, VisitShortfall};

/// Objective weights (per unit of each term).
const PER_PRIORITY: f64 = 1000.0;
const PER_WAITING_DAY: f64 = 20.0;
const PREFERRED_WEEKDAY: f64 = 10.0;
const PER_DRIVING_MINUTE: f64 = 2.0;
const PER_WEEKDAY_USED: f64 = 500.0;
const PER_UNIT_USED: f64 = 200.0;
/// (The weekday and unit terms apply per visit on a weekday or unit new to the stop.)
const PER_MISSING_VISIT: f64 = 3000.0;
/// Share of a unit's working time the assignment may fill.
const BUDGET_SHARE: f64 = 0.9;

/// The outcome: visits, requests left out, weekly shortfalls, and how the solve went.
pub struct MipAssignment {
    pub visits: Vec<TentativeVisit>,
    pub unserved: Vec<Unserved>,
    pub shortfalls: Vec<VisitShortfall>,
    pub report: AssignmentReport,
}

fn minutes(s: crate::units::Seconds) -> f64 {
    s.get() as f64 / 60.0
}

/// Places worth deciding about: stops with a weekly minimum or a servable request, and
/// homes of servable requests.
struct Places {
    list: Vec<VisitPlace>,
    index: HashMap<VisitPlace, usize>,
}

/// Marginal driving estimate (minutes) for visiting `p` with unit `u`: the detour through
/// the two nearest other places, but no more than a round trip from the unit's depot.
fn driving_estimate(problem: &Problem, matrix: &TravelMatrix, places: &[VisitPlace], p: usize, u: usize) -> f64 {
    let here = place_location(problem, places[p]);
    let depot = problem.depot_location(problem.vehicles()[u].depot);
    let round_trip = minutes(matrix.duration(depot, here) + matrix.duration(here, depot));
    let mut near: Vec<f64> = (0..places.len())
        .filter(|&q| q != p)
        .map(|q| {
            let there = place_location(problem, places[q]);
            minutes(matrix.duration(here, there).min(matrix.duration(there, here)))
        })
        .collect();
    near.sort_by(f64::total_cmp);
    let detour: f64 = near.iter().take(2).sum();
    if near.len() < 2 { round_trip } else { detour.min(round_trip) }
}

/// One week of the rolling horizon: the week's visits and requests served, shortfalls,
/// and the solve's figures.
struct WeekOutcome {
    visits: Vec<TentativeVisit>,
    shortfalls: Vec<VisitShortfall>,
    report: AssignmentReport,
}

/// Weekdays and units each stop was visited on in earlier weeks: visits there cost no
/// consistency penalty.
type Familiar = HashMap<usize, Vec<(usize, usize)>>;

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
    let mut familiar: Familiar = HashMap::new();
    let (mut visits, mut shortfalls) = (Vec::new(), Vec::new());
    let mut report = AssignmentReport {
        method: "mip".into(),
        status: Some(MipStatus::Optimal),
        objective: Some(0.0),
        bound: Some(0.0),
        gap: Some(0.0),
        ..AssignmentReport::default()
    };
    for week in 0..weeks {
        // Time a week does not use passes on to the weeks after it.
        let left = time_limit.saturating_sub(started.elapsed());
        let per_week = (left / (weeks - week).max(1)).max(Duration::from_millis(100));
        let w = solve_week(problem, matrix, ledger, week, &served, &familiar, per_week)?;
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
        if w.report.status != Some(MipStatus::Optimal) {
            report.status = w.report.status;
        }
    }
    report.message = match (report.status, weeks) {
        (Some(MipStatus::Optimal), 1) => "optimal".into(),
        (Some(MipStatus::Optimal), _) => format!("optimal for each of {weeks} weeks (rolling horizon)"),
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

fn solve_week(
    problem: &Problem,
    matrix: &TravelMatrix,
    ledger: &Ledger,
    week: u32,
    served: &[bool],
    familiar: &Familiar,
    time_limit: Duration,
) -> Result<WeekOutcome, MipError> {
    let days = &problem.horizon().days;
    let units = problem.vehicles().len();
    let works = |u: usize, d: usize| problem.vehicles()[u].shift_on(days[d]).is_some();
    let in_week = |d: usize| days[d].week() == week;

    // Request options (day, unit) in this week, for requests not served yet.
    let mut request_options: Vec<Vec<(usize, usize)>> = vec![Vec::new(); problem.requests().len()];
    for (r, options) in request_options.iter_mut().enumerate() {
        if served[r] {
            continue;
        }
        if let Ok(ds) = ledger.candidate_days(r) {
            let place = request_place(problem, r);
            *options = ds
                .into_iter()
                .filter(|&d| in_week(d))
                .flat_map(|d| (0..units).filter(move |&u| works(u, d)).map(move |u| (d, u)))
                .filter(|&(_, u)| vehicle_fits(problem, u, place, &[r]))
                .collect();
        }
    }
    let mut places = Places { list: Vec::new(), index: HashMap::new() };
    let add_place = |p: VisitPlace, places: &mut Places| {
        if !places.index.contains_key(&p) {
            places.index.insert(p, places.list.len());
            places.list.push(p);
        }
    };
    for s in 0..problem.stops().len() {
        if problem.stops()[s].rule.min_per_week > 0 {
            add_place(VisitPlace::Stop(s), &mut places);
        }
    }
    for (r, options) in request_options.iter().enumerate() {
        if !options.is_empty() {
            add_place(request_place(problem, r), &mut places);
        }
    }

    // Visit options (day, unit) per place; the model's size follows from them.
    let place_options: Vec<Vec<(usize, usize)>> = places
        .list
        .iter()
        .map(|&place| {
            let mut opts: Vec<(usize, usize)> = match place {
                VisitPlace::Stop(_) => (0..days.len())
                    .filter(|&d| in_week(d) && place_open(problem, place, days[d]))
                    .flat_map(|d| (0..units).map(move |u| (d, u)))
                    .filter(|&(d, u)| works(u, d) && vehicle_fits(problem, u, place, &[]))
                    .collect(),
                VisitPlace::Home(r) => request_options[r].clone(),
            };
            opts.sort_unstable();
            opts
        })
        .collect();
    let variables = place_options.iter().chain(&request_options).map(Vec::len).sum::<usize>();
    if variables > MAX_VARIABLES {
        return Err(MipError::TooLarge { variables, limit: MAX_VARIABLES, backend: BACKEND });
    }

    let mut m = MipModel::default();
    // x: visits.
    let mut x: HashMap<(usize, usize, usize), Var> = HashMap::new();
    for (p, &place) in places.list.iter().enumerate() {
        let opts = &place_options[p];
        for &(d, u) in opts {
            // Within one week every visit of a stop takes its own weekday, so consistency is
            // a cost per visit on a weekday (and with a unit) the stop has not had before.
            let consistency = match place {
                VisitPlace::Stop(s) => {
                    let before = familiar.get(&s).map_or(&[][..], Vec::as_slice);
                    let k = days[d].weekday().index();
                    (if before.iter().any(|&(bk, _)| bk == k) { 0.0 } else { PER_WEEKDAY_USED })
                        + (if before.is_empty() || before.iter().any(|&(_, bu)| bu == u) { 0.0 } else { PER_UNIT_USED })
                }
                VisitPlace::Home(_) => 0.0,
            };
            let cost = PER_DRIVING_MINUTE * driving_estimate(problem, matrix, &places.list, p, u) + consistency;
            x.insert((p, d, u), m.binary(-cost));
        }
    }
    // y: request assignments, grouped by visit; c: class sessions.
    let mut y: Vec<Vec<((usize, usize), Var)>> = vec![Vec::new(); problem.requests().len()];
    let mut by_visit: HashMap<(usize, usize, usize), Vec<(usize, Var)>> = HashMap::new();
    let mut c: HashMap<(usize, usize, usize, usize), Var> = HashMap::new();
    for (r, options) in request_options.iter().enumerate() {
        let req = &problem.requests()[r];
        let Some(&p) = places.index.get(&request_place(problem, r)) else { continue };
        for &(d, u) in options {
            let Some(&xv) = x.get(&(p, d, u)) else { continue };
            let day = days[d];
            let gain = PER_PRIORITY * (1.0 + f64::from(req.priority))
                - PER_WAITING_DAY * f64::from(day.ordinal.saturating_sub(req.earliest_day))
                + if req.preferred_weekdays.contains(day.weekday()) { PREFERRED_WEEKDAY } else { 0.0 };
            let yv = m.binary(gain);
            m.less_eq(vec![(yv, 1.0), (xv, -1.0)], 0.0);
            if problem.kinds()[req.kind].class.is_some() {
                let cv = *c.entry((p, d, u, req.kind)).or_insert_with(|| m.binary(0.0));
                m.less_eq(vec![(yv, 1.0), (cv, -1.0)], 0.0);
            }
            y[r].push(((d, u), yv));
            by_visit.entry((p, d, u)).or_default().push((r, yv));
        }
        m.less_eq(y[r].iter().map(|&(_, v)| (v, 1.0)).collect(), 1.0);
    }
    // Remote people's hours: session minutes per pool (a person, a kind) and day.
    let budget = ledger.remote_budget();
    let mut remote_rows: BTreeMap<(usize, usize), Vec<(Var, f64)>> = BTreeMap::new();
    for (r, options) in y.iter().enumerate() {
        for &((d, _), v) in options {
            for &pool in budget.pools_of(r) {
                remote_rows.entry((pool, d)).or_default().push((v, minutes(problem.requests()[r].service)));
            }
        }
    }
    for ((pool, d), row) in remote_rows {
        m.less_eq(row, minutes(budget.capacity(pool, d)));
    }
    // Classes: seats per session, a session only during a visit, one class per visit.
    let mut sessions_of_visit: HashMap<(usize, usize, usize), Vec<(Var, f64)>> = HashMap::new();
    for (&(p, d, u, k), &cv) in &c {
        let class = problem.kinds()[k].class.expect("class kinds only");
        let mut row = vec![(cv, -f64::from(class.seats))];
        row.extend(
            by_visit[&(p, d, u)].iter().filter(|&&(r, _)| problem.requests()[r].kind == k).map(|&(_, v)| (v, 1.0)),
        );
        m.less_eq(row, 0.0);
        m.less_eq(vec![(cv, 1.0), (x[&(p, d, u)], -1.0)], 0.0);
        sessions_of_visit.entry((p, d, u)).or_default().push((cv, minutes(class.length)));
    }
    for sessions in sessions_of_visit.values() {
        m.less_eq(sessions.iter().map(|&(v, _)| (v, 1.0)).collect(), 1.0);
    }
    // Time on site of a visit: services and the class session.
    let service_terms = |p: usize, d: usize, u: usize| -> Vec<(Var, f64)> {
        let mut terms: Vec<(Var, f64)> = by_visit
            .get(&(p, d, u))
            .map_or(Vec::new(), |list| list.iter().map(|&(r, v)| (v, minutes(problem.request_service(r)))).collect());
        terms.extend(sessions_of_visit.get(&(p, d, u)).into_iter().flatten().copied());
        terms
    };
    let mut unit_day: HashMap<(usize, usize), Vec<(Var, f64)>> = HashMap::new();
    for (p, &place) in places.list.iter().enumerate() {
        let stay = match place {
            VisitPlace::Stop(s) => minutes(problem.stops()[s].min_stay),
            VisitPlace::Home(_) => 0.0,
        };
        for &(d, u) in &place_options[p] {
            let xv = x[&(p, d, u)];
            let services = service_terms(p, d, u);
            let longest = minutes(longest_window(problem, place, days[d]));
            let mut row = services.clone();
            row.push((xv, -longest));
            m.less_eq(row, 0.0);
            let entry = unit_day.entry((u, d)).or_default();
            entry.push((xv, stay + driving_estimate(problem, matrix, &places.list, p, u)));
            entry.extend(services);
        }
    }
    for (&(u, d), terms) in &unit_day {
        let unit = &problem.vehicles()[u];
        let shift = unit.shift_on(days[d]).map_or(0.0, |s| minutes(s.length()));
        let lunch = unit.lunch.map_or(0.0, |l| minutes(l.length));
        let depot = problem.depot_location(unit.depot);
        let mut access: Vec<f64> = places
            .list
            .iter()
            .map(|&pl| {
                let l = place_location(problem, pl);
                minutes(matrix.duration(depot, l) + matrix.duration(l, depot)) / 2.0
            })
            .collect();
        access.sort_by(f64::total_cmp);
        let typical_access = access.get(access.len() / 2).copied().unwrap_or(0.0);
        let budget = ((shift - lunch).min(minutes(unit.max_work)) * BUDGET_SHARE - typical_access).max(0.0);
        m.less_eq(terms.clone(), budget);
        let (mut consult, mut seats) = (Vec::new(), Vec::new());
        for p in 0..places.list.len() {
            for &(r, v) in by_visit.get(&(p, d, u)).into_iter().flatten() {
                if problem.kinds()[problem.requests()[r].kind].class.is_some() {
                    seats.push((v, 1.0))
                } else {
                    consult.push((v, 1.0))
                }
            }
        }
        m.less_eq(consult, f64::from(unit.max_consultations));
        m.less_eq(seats, f64::from(unit.max_seats));
    }
    // Visit rules, spacing and consistency per stop.
    let mut shortfall_vars: Vec<(usize, u32, Var)> = Vec::new();
    for (p, &place) in places.list.iter().enumerate() {
        let VisitPlace::Stop(s) = place else { continue };
        let rule = problem.stops()[s].rule;
        let on_day =
            |d: usize| -> Vec<(Var, f64)> { (0..units).filter_map(|u| x.get(&(p, d, u))).map(|&v| (v, 1.0)).collect() };
        let visits_this_week: Vec<(Var, f64)> = (0..days.len()).filter(|&d| in_week(d)).flat_map(on_day).collect();
        m.less_eq(visits_this_week.clone(), f64::from(rule.max_per_week));
        if rule.min_per_week > 0 {
            let short = m.continuous(0.0, f64::from(rule.min_per_week), -PER_MISSING_VISIT);
            let mut row: Vec<(Var, f64)> = visits_this_week.iter().map(|&(v, _)| (v, -1.0)).collect();
            row.push((short, -1.0));
            m.less_eq(row, -f64::from(rule.min_per_week));
            shortfall_vars.push((s, week, short));
        }
        // Spacing as clique constraints: at most one visit in any run of `min_gap_days`
        // consecutive calendar days (stronger than the pairwise form).
        if rule.min_gap_days > 0 {
            for d1 in 0..days.len() {
                let row: Vec<(Var, f64)> = (d1..days.len())
                    .take_while(|&d2| days[d2].ordinal - days[d1].ordinal < rule.min_gap_days)
                    .flat_map(on_day)
                    .collect();
                if row.len() > 1 {
                    m.less_eq(row, 1.0);
                }
            }
        }
    }

    let (variables, constraints) = (m.variable_count(), m.constraint_count());
    let outcome = solve(&m, time_limit)?;
    let on = |v: Var| outcome.values[v.0] > 0.5;
    let mut visits = Vec::new();
    let mut keys: Vec<&(usize, usize, usize)> = x.keys().collect();
    keys.sort_unstable();
    for &(p, d, u) in keys {
        if !on(x[&(p, d, u)]) {
            continue;
        }
        let mut requests: Vec<usize> =
            by_visit.get(&(p, d, u)).into_iter().flatten().filter(|&&(_, v)| on(v)).map(|&(r, _)| r).collect();
        requests.sort_unstable();
        let class_kind = c.iter().find(|&(key, &v)| (key.0, key.1, key.2) == (p, d, u) && on(v)).map(|(key, _)| key.3);
        visits.push(TentativeVisit::new(places.list[p], d, u, requests, class_kind));
    }
    let shortfalls = shortfall_vars
        .into_iter()
        .filter(|&(_, _, v)| outcome.values[v.0] > 0.5)
        .map(|(stop, week, v)| {
            let required = problem.stops()[stop].rule.min_per_week;
            let missing = outcome.values[v.0].round() as u32;
            VisitShortfall {
                stop,
                week,
                planned: required.saturating_sub(missing),
                required,
                reason: UnservedReason::Capacity,
            }
        })
        .collect();
    let report = AssignmentReport {
        method: "mip".into(),
        backend: outcome.backend.into(),
        status: Some(outcome.status),
        objective: Some(outcome.objective),
        bound: outcome.bound,
        gap: outcome.gap,
        variables,
        constraints,
        ..AssignmentReport::default()
    };
    Ok(WeekOutcome { visits, shortfalls, report })
}
