//! One week of the day-assignment MIP, built in the order of `docs/model.md`: the options
//! (its sets), the variables with their objective terms, constraints 1–8, and the
//! read-back of a solution. Rows and columns come in a fixed order (ordered maps only), so
//! the same input builds the same model and the solver returns the same plan.

use std::collections::BTreeMap;
use std::time::Duration;

use super::assign::Ledger;
use super::visits::{TentativeVisit, longest_window, place_location, request_place};
use super::week_options::{Options, Slot};
use crate::lp::{BACKEND, MAX_VARIABLES, MipError, MipModel, MipOutcome, Var, solve};
use crate::matrix::TravelMatrix;
use crate::model::Problem;
use crate::plan::{AssignedBy, AssignmentReport, MipBackend, UnservedReason, VisitPlace, VisitShortfall};

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

/// Weekdays and units each stop was visited on in earlier weeks: visits there cost no
/// consistency penalty.
pub type Familiar = BTreeMap<usize, Vec<(usize, usize)>>;

/// What one week's model is built from.
pub struct WeekInput<'a> {
    pub problem: &'a Problem,
    pub matrix: &'a TravelMatrix,
    pub ledger: &'a Ledger<'a>,
    pub week: u32,
    /// Requests served in earlier weeks.
    pub served: &'a [bool],
    pub familiar: &'a Familiar,
}

/// One week's result: visits with the requests they serve, shortfalls, the solve's figures.
pub struct WeekOutcome {
    pub visits: Vec<TentativeVisit>,
    pub shortfalls: Vec<VisitShortfall>,
    pub report: AssignmentReport,
}

/// Terms of a row: `(variable, coefficient)`.
type Terms = Vec<(Var, f64)>;
/// A visit: (place, day, unit).
type VisitKey = (usize, usize, usize);

fn minutes(s: crate::units::Seconds) -> f64 {
    s.get() as f64 / 60.0
}

/// Shortest detour (minutes) from each place through the two nearest other places
/// (infinite with fewer than two others): the part of `τ_{p,u}` that does not depend on
/// the unit.
fn detours(problem: &Problem, matrix: &TravelMatrix, places: &[VisitPlace]) -> Vec<f64> {
    let locations: Vec<usize> = places.iter().map(|&pl| place_location(problem, pl)).collect();
    let mut near = Vec::with_capacity(places.len());
    (0..places.len())
        .map(|p| {
            near.clear();
            let here = locations[p];
            let others = locations.iter().enumerate().filter(|&(q, _)| q != p);
            near.extend(
                others.map(|(_, &there)| minutes(matrix.duration(here, there).min(matrix.duration(there, here)))),
            );
            near.sort_by(f64::total_cmp);
            if near.len() < 2 { f64::INFINITY } else { near[0] + near[1] }
        })
        .collect()
}

/// The model and its variables by index.
struct WeekModel<'a> {
    input: &'a WeekInput<'a>,
    opts: Options,
    m: MipModel,
    /// `x_{p,d,u}`.
    x: BTreeMap<VisitKey, Var>,
    /// `y_{r,d,u}` per request: its day and variable.
    y: Vec<Vec<(usize, Var)>>,
    /// `y_{r,d,u}` of each visit, in request order.
    by_visit: BTreeMap<VisitKey, Vec<(usize, Var)>>,
    /// `c_{p,d,u,k}`.
    c: BTreeMap<(usize, usize, usize, usize), Var>,
    /// `(class session, its minutes)` of each visit.
    sessions: BTreeMap<VisitKey, Terms>,
    /// `short_{s,w}` by stop.
    short: Vec<(usize, Var)>,
    /// Per place, see [`detours`].
    detour: Vec<f64>,
}

impl<'a> WeekModel<'a> {
    fn build(input: &'a WeekInput<'a>, opts: Options) -> WeekModel<'a> {
        let mut w = WeekModel {
            input,
            opts,
            m: MipModel::default(),
            x: BTreeMap::new(),
            y: Vec::new(),
            by_visit: BTreeMap::new(),
            c: BTreeMap::new(),
            sessions: BTreeMap::new(),
            short: Vec::new(),
            detour: Vec::new(),
        };
        w.detour = detours(input.problem, input.matrix, &w.opts.places);
        w.add_visits();
        w.add_requests();
        w.add_remote_hours();
        w.add_classes();
        w.add_visit_and_unit_day_time();
        w.add_visit_rules();
        w
    }

    /// Marginal driving estimate `τ_{p,u}` (minutes): the detour through the two nearest
    /// other places, but no more than a round trip from the unit's depot.
    fn driving(&self, p: usize, u: usize) -> f64 {
        let (problem, matrix) = (self.input.problem, self.input.matrix);
        let here = place_location(problem, self.opts.places[p]);
        let depot = problem.depot_location(problem.vehicles()[u].depot);
        let round_trip = minutes(matrix.duration(depot, here) + matrix.duration(here, depot));
        self.detour[p].min(round_trip)
    }

    /// `x` with driving and consistency costs `τ`, `ν`.
    fn add_visits(&mut self) {
        let days = &self.input.problem.horizon().days;
        for (p, &place) in self.opts.places.iter().enumerate() {
            for &(d, u) in &self.opts.place[p] {
                // Within one week every visit of a stop takes its own weekday, so consistency
                // is a cost per visit on a weekday (and with a unit) the stop has not had.
                let consistency = match place {
                    VisitPlace::Stop(s) => {
                        let before = self.input.familiar.get(&s).map_or(&[][..], Vec::as_slice);
                        let k = days[d].weekday().index();
                        let new_weekday = !before.iter().any(|&(bk, _)| bk == k);
                        let new_unit = !before.is_empty() && !before.iter().any(|&(_, bu)| bu == u);
                        (if new_weekday { PER_WEEKDAY_USED } else { 0.0 })
                            + (if new_unit { PER_UNIT_USED } else { 0.0 })
                    }
                    VisitPlace::Home(_) => 0.0,
                };
                let cost = PER_DRIVING_MINUTE * self.driving(p, u) + consistency;
                self.x.insert((p, d, u), self.m.binary(-cost));
            }
        }
    }

    /// `y` with its gains, `c`; constraints 1, 2 and the first of 3.
    fn add_requests(&mut self) {
        let problem = self.input.problem;
        let days = &problem.horizon().days;
        for (r, slots) in self.opts.request.iter().enumerate() {
            let req = &problem.requests()[r];
            let Some(&p) = self.opts.place_index.get(&request_place(problem, r)) else {
                self.y.push(Vec::new());
                continue;
            };
            let mut of_request = Vec::new();
            for &(d, u) in slots {
                let Some(&xv) = self.x.get(&(p, d, u)) else { continue };
                let day = days[d];
                let gain = PER_PRIORITY * (1.0 + f64::from(req.priority))
                    - PER_WAITING_DAY * f64::from(day.ordinal.saturating_sub(req.earliest_day))
                    + if req.preferred_weekdays.contains(day.weekday()) { PREFERRED_WEEKDAY } else { 0.0 };
                let yv = self.m.binary(gain);
                self.m.less_eq(vec![(yv, 1.0), (xv, -1.0)], 0.0);
                if problem.kinds()[req.kind].class.is_some() {
                    let cv = *self.c.entry((p, d, u, req.kind)).or_insert_with(|| self.m.binary(0.0));
                    self.m.less_eq(vec![(yv, 1.0), (cv, -1.0)], 0.0);
                }
                of_request.push((d, yv));
                self.by_visit.entry((p, d, u)).or_default().push((r, yv));
            }
            self.m.less_eq(of_request.iter().map(|&(_, v)| (v, 1.0)).collect(), 1.0);
            self.y.push(of_request);
        }
    }

    /// Remote people's hours: session minutes per pool (a person, a kind) and day.
    fn add_remote_hours(&mut self) {
        let (problem, budget) = (self.input.problem, self.input.ledger.remote_budget());
        let mut rows: BTreeMap<(usize, usize), Terms> = BTreeMap::new();
        for (r, ys) in self.y.iter().enumerate() {
            for &(d, v) in ys {
                for &pool in budget.pools_of(r) {
                    rows.entry((pool, d)).or_default().push((v, minutes(problem.requests()[r].service)));
                }
            }
        }
        for ((pool, d), row) in rows {
            self.m.less_eq(row, minutes(budget.capacity(pool, d)));
        }
    }

    /// Constraint 3: seats per session, a session only during a visit, one class per visit.
    fn add_classes(&mut self) {
        let problem = self.input.problem;
        for (&(p, d, u, k), &cv) in &self.c {
            let class = problem.kinds()[k].class.expect("class kinds only");
            let mut row = vec![(cv, -f64::from(class.seats))];
            let of_kind = self.by_visit[&(p, d, u)].iter().filter(|&&(r, _)| problem.requests()[r].kind == k);
            row.extend(of_kind.map(|&(_, v)| (v, 1.0)));
            self.m.less_eq(row, 0.0);
            self.m.less_eq(vec![(cv, 1.0), (self.x[&(p, d, u)], -1.0)], 0.0);
            self.sessions.entry((p, d, u)).or_default().push((cv, minutes(class.length)));
        }
        for sessions in self.sessions.values() {
            self.m.less_eq(sessions.iter().map(|&(v, _)| (v, 1.0)).collect(), 1.0);
        }
    }

    /// Minutes on site of a visit: services and the class session.
    fn on_site(&self, key: VisitKey) -> Terms {
        let problem = self.input.problem;
        let services = self.by_visit.get(&key).into_iter().flatten();
        let mut terms: Terms = services.map(|&(r, v)| (v, minutes(problem.request_service(r)))).collect();
        terms.extend(self.sessions.get(&key).into_iter().flatten().copied());
        terms
    }

    /// Constraints 4 (a visit fits the longest window), 7 (unit-day time) and 8 (unit-day
    /// consultations and seats).
    fn add_visit_and_unit_day_time(&mut self) {
        let problem = self.input.problem;
        let days = &problem.horizon().days;
        let mut unit_day: BTreeMap<Slot, Terms> = BTreeMap::new();
        // Per unit-day: consultations and class seats.
        let mut served: BTreeMap<Slot, (Terms, Terms)> = BTreeMap::new();
        for (&(_, d, u), ys) in &self.by_visit {
            let (consult, seats) = served.entry((u, d)).or_default();
            for &(r, v) in ys {
                let is_class = problem.kinds()[problem.requests()[r].kind].class.is_some();
                if is_class { &mut *seats } else { &mut *consult }.push((v, 1.0));
            }
        }
        for (p, &place) in self.opts.places.iter().enumerate() {
            let stay = match place {
                VisitPlace::Stop(s) => minutes(problem.stops()[s].min_stay),
                VisitPlace::Home(_) => 0.0,
            };
            for &(d, u) in &self.opts.place[p] {
                let xv = self.x[&(p, d, u)];
                let services = self.on_site((p, d, u));
                let mut row = services.clone();
                row.push((xv, -minutes(longest_window(problem, place, days[d]))));
                self.m.less_eq(row, 0.0);
                let entry = unit_day.entry((u, d)).or_default();
                entry.push((xv, stay + self.driving(p, u)));
                entry.extend(services);
            }
        }
        for ((u, d), terms) in unit_day {
            self.m.less_eq(terms, self.unit_day_budget(u, d));
            let (consult, seats) = served.remove(&(u, d)).unwrap_or_default();
            let unit = &problem.vehicles()[u];
            self.m.less_eq(consult, f64::from(unit.max_consultations));
            self.m.less_eq(seats, f64::from(unit.max_seats));
        }
    }

    /// `B_{u,d}`: the share of the working time the visits may fill, less the typical drive
    /// out and back.
    fn unit_day_budget(&self, u: usize, d: usize) -> f64 {
        let problem = self.input.problem;
        let unit = &problem.vehicles()[u];
        let shift = unit.shift_on(problem.horizon().days[d]).map_or(0.0, |s| minutes(s.length()));
        let lunch = unit.lunch.map_or(0.0, |l| minutes(l.length));
        let depot = problem.depot_location(unit.depot);
        let mut access: Vec<f64> = self
            .opts
            .places
            .iter()
            .map(|&pl| {
                let l = place_location(problem, pl);
                minutes(self.input.matrix.duration(depot, l) + self.input.matrix.duration(l, depot)) / 2.0
            })
            .collect();
        access.sort_by(f64::total_cmp);
        let typical_access = access.get(access.len() / 2).copied().unwrap_or(0.0);
        ((shift - lunch).min(minutes(unit.max_work)) * BUDGET_SHARE - typical_access).max(0.0)
    }

    /// Constraints 5 (visit rule, with shortfalls) and 6 (spacing, as cliques: at most one
    /// visit in any run of `min_gap_days` calendar days, stronger than the pairwise form).
    fn add_visit_rules(&mut self) {
        let (problem, week) = (self.input.problem, self.input.week);
        let days = &problem.horizon().days;
        for (p, &place) in self.opts.places.iter().enumerate() {
            let VisitPlace::Stop(s) = place else { continue };
            let rule = problem.stops()[s].rule;
            // Visits announced outside the plan fill part of the week's minimum and maximum.
            let fixed = problem.stops()[s].fixed_in_week(week);
            let (min, max) = (rule.min_per_week.saturating_sub(fixed), rule.max_per_week.saturating_sub(fixed));
            let x = &self.x;
            let on_day = |d: usize| -> Terms { x.range((p, d, 0)..(p, d + 1, 0)).map(|(_, &v)| (v, 1.0)).collect() };
            let this_week: Terms = (0..days.len()).filter(|&d| days[d].week() == week).flat_map(on_day).collect();
            let mut rows = vec![(this_week.clone(), f64::from(max))];
            if min > 0 {
                let short = self.m.continuous(0.0, f64::from(min), -PER_MISSING_VISIT);
                let mut row: Terms = this_week.iter().map(|&(v, _)| (v, -1.0)).collect();
                row.push((short, -1.0));
                rows.push((row, -f64::from(min)));
                self.short.push((s, short));
            }
            if rule.min_gap_days > 0 {
                for d1 in 0..days.len() {
                    let row: Terms = (d1..days.len())
                        .take_while(|&d2| days[d2].ordinal - days[d1].ordinal < rule.min_gap_days)
                        .flat_map(on_day)
                        .collect();
                    if row.len() > 1 {
                        rows.push((row, 1.0));
                    }
                }
            }
            for (row, rhs) in rows {
                self.m.less_eq(row, rhs);
            }
        }
    }

    /// Visits that are on, with their requests and class, and the weekly shortfalls.
    fn read_back(self, outcome: MipOutcome) -> WeekOutcome {
        let on = |v: Var| outcome.values[v.0] > 0.5;
        let mut visits = Vec::new();
        for &(p, d, u) in self.x.iter().filter(|&(_, &xv)| on(xv)).map(|(key, _)| key) {
            // In request order, as they were added.
            let ys = self.by_visit.get(&(p, d, u)).into_iter().flatten();
            let requests: Vec<usize> = ys.filter(|&&(_, v)| on(v)).map(|&(r, _)| r).collect();
            let mut classes = self.c.range((p, d, u, 0)..(p, d, u + 1, 0)).filter(|&(_, &v)| on(v));
            let class_kind = classes.next().map(|(key, _)| key.3);
            visits.push(TentativeVisit::new(self.opts.places[p], d, u, requests, class_kind));
        }
        let shortfalls = self
            .short
            .iter()
            .filter(|&&(_, v)| outcome.values[v.0] > 0.5)
            .map(|&(stop, v)| {
                let required = self.input.problem.stops()[stop].rule.min_per_week;
                let missing = outcome.values[v.0].round() as u32;
                VisitShortfall {
                    stop,
                    week: self.input.week,
                    planned: required.saturating_sub(missing),
                    required,
                    reason: UnservedReason::Capacity,
                }
            })
            .collect();
        let report = AssignmentReport {
            method: AssignedBy::Mip,
            backend: Some(MipBackend::BUILT),
            status: Some(outcome.status.into()),
            objective: Some(outcome.objective),
            bound: outcome.bound,
            gap: outcome.gap,
            variables: self.m.variable_count(),
            constraints: self.m.constraint_count(),
            ..AssignmentReport::default()
        };
        WeekOutcome { visits, shortfalls, report }
    }
}

/// Builds and solves one week's model.
pub fn solve_week(input: &WeekInput, time_limit: Duration) -> Result<WeekOutcome, MipError> {
    let opts = Options::new(input);
    let variables = opts.variables();
    if variables > MAX_VARIABLES {
        return Err(MipError::TooLarge { variables, limit: MAX_VARIABLES, backend: BACKEND });
    }
    let model = WeekModel::build(input, opts);
    let outcome = solve(&model.m, time_limit)?;
    Ok(model.read_back(outcome))
}

/// The model of `input`'s week as text, variables and rows in the order they were added.
pub fn model_text(input: &WeekInput) -> String {
    format!("{:?}", WeekModel::build(input, Options::new(input)).m)
}
