//! Independent feasibility check of a [`Plan`], recomputed from scratch from the problem
//! and the matrix. It shares no code with the planner's scheduling or assignment, so a bug
//! there cannot hide itself here. Used by tests, by the CLI before writing a plan, and by
//! the service before publishing one.

use std::collections::HashMap;
use std::fmt;

use crate::matrix::TravelMatrix;
use crate::model::{HOME_VISIT_HOURS, Place, Problem};
use crate::plan::{Plan, Route, Visit, VisitPlace};
use crate::units::Seconds;

/// Announced windows start and end on multiples of this many seconds (5 minutes). The
/// product rule, stated here again on purpose: the checker shares no code with the planner.
const ANNOUNCE_MARK_S: i64 = 300;

/// One broken rule, with where it happens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where: e.g. `day 3 / vehicle 1 / visit 2`, or `request 17`.
    pub at: String,
    pub what: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.what)
    }
}

struct Checker<'a> {
    problem: &'a Problem,
    matrix: &'a TravelMatrix,
    violations: Vec<Violation>,
}

impl Checker<'_> {
    fn fail(&mut self, at: impl Into<String>, what: impl Into<String>) {
        self.violations.push(Violation { at: at.into(), what: what.into() });
    }

    fn location(&self, place: VisitPlace) -> Option<usize> {
        match place {
            VisitPlace::Stop(s) if s < self.problem.stops().len() => Some(self.problem.stop_location(s)),
            VisitPlace::Home(r) if r < self.problem.requests().len() => {
                matches!(self.problem.requests()[r].place, Place::Home(_)).then(|| self.problem.request_location(r))
            }
            _ => None,
        }
    }

    /// Expected time on site, recomputed from the definition in the format reference.
    fn expected_duration(&self, visit: &Visit) -> Seconds {
        let p = self.problem;
        let mut total = Seconds::ZERO;
        for &r in &visit.requests {
            let kind = &p.kinds()[p.requests()[r].kind];
            if kind.class.is_none() {
                total += p.requests()[r].service;
            }
        }
        if let Some(c) = visit.class_kind.and_then(|k| p.kinds().get(k)).and_then(|k| k.class) {
            total += c.length;
        }
        // Remote sessions follow one another with the session buffer between two; the visit
        // lasts until its last session ends.
        total += p.session_buffer() * (visit.sessions.len() as i64 - 1).max(0);
        let total = match visit.place {
            VisitPlace::Stop(s) => total.max(p.stops()[s].min_stay),
            VisitPlace::Home(_) => total,
        };
        let last_session = visit.sessions.iter().map(|s| s.end - visit.start).max().unwrap_or(Seconds::ZERO);
        total.max(last_session)
    }

    fn check_route(&mut self, ordinal: u32, route: &Route) {
        let p = self.problem;
        let weekday = crate::model::Day { ordinal }.weekday();
        let at = format!("day {ordinal} / vehicle {}", route.vehicle);
        let Some(unit) = p.vehicles().get(route.vehicle) else {
            return self.fail(at, "unknown vehicle");
        };
        // Read from the data itself, not through the planner's helpers.
        if unit.out_of_service.contains(&ordinal) {
            return self.fail(at, format!("vehicle is out of service on day {ordinal}"));
        }
        let Some(shift) = unit.shifts[weekday.index()] else {
            return self.fail(at, format!("vehicle does not work on {}", weekday.key()));
        };
        if route.departure < shift.start {
            self.fail(&at, format!("departs {} before the shift starts {}", route.departure, shift.start));
        }
        let depot = p.depot_location(unit.depot);
        let (mut t, mut loc, mut distance) = (route.departure, depot, crate::units::Meters::ZERO);
        let (mut consultations, mut seats) = (0u32, 0u32);
        // How much later than its service the previous visit's announced window ends.
        let mut announced_tail = Seconds::ZERO;
        for (k, visit) in route.visits.iter().enumerate() {
            if let Some(l) = route.lunch.filter(|l| l.after_visits == k) {
                t = self.check_lunch(&at, t, l.start, unit.lunch);
            }
            let vat = format!("{at} / visit {k}");
            let Some(here) = self.location(visit.place) else {
                self.fail(&vat, "unknown place");
                continue;
            };
            t += self.matrix.duration(loc, here);
            distance += self.matrix.distance(loc, here);
            if visit.arrival < t && visit.arrival + announced_tail >= t {
                self.fail(
                    &vat,
                    format!("arrives {}: the unit leaves the previous place before its announced end", visit.arrival),
                );
            } else if visit.arrival < t {
                self.fail(&vat, format!("arrives {} but cannot be there before {}", visit.arrival, t));
            }
            if visit.start < visit.arrival {
                self.fail(&vat, "starts before arriving");
            }
            let expected = self.expected_duration(visit);
            if visit.end - visit.start != expected {
                self.fail(
                    &vat,
                    format!("stays {} min, needs {} min", (visit.end - visit.start).minutes(), expected.minutes()),
                );
            }
            let windows = match visit.place {
                VisitPlace::Stop(s) if p.stops()[s].closed.contains(&ordinal) => &[],
                VisitPlace::Stop(s) => p.stops()[s].windows[weekday.index()].as_slice(),
                VisitPlace::Home(_) => &[HOME_VISIT_HOURS],
            };
            if !windows.iter().any(|w| w.start <= visit.start && visit.end <= w.end) {
                self.fail(&vat, format!("{}–{} is outside the opening windows", visit.start, visit.end));
            }
            let published = visit.published;
            let inside_opening = windows.iter().any(|w| w.start <= published.start && published.end <= w.end);
            if published.start > visit.start || published.end < visit.end || !inside_opening {
                self.fail(
                    &vat,
                    format!(
                        "published window {}–{} must cover the visit and lie in an opening window",
                        published.start, published.end
                    ),
                );
            }
            self.check_announced(&vat, visit);
            self.check_requests(&vat, ordinal, route.vehicle, visit, &mut consultations, &mut seats);
            // The unit stays until the announced end: a promise to the residents.
            announced_tail = published.end.max(visit.end) - visit.end;
            t = published.end.max(visit.end).max(t);
            loc = here;
        }
        if let Some(l) = route.lunch.filter(|l| l.after_visits == route.visits.len()) {
            t = self.check_lunch(&at, t, l.start, unit.lunch);
        }
        if let Some(l) = route.lunch.filter(|l| l.after_visits > route.visits.len()) {
            self.fail(&at, format!("lunch after visit {} which does not exist", l.after_visits));
        }
        t += self.matrix.duration(loc, depot);
        distance += self.matrix.distance(loc, depot);
        if route.return_time < t {
            self.fail(&at, format!("returns {} but cannot be back before {}", route.return_time, t));
        }
        if route.return_time > shift.end {
            self.fail(&at, format!("returns {} after the shift ends {}", route.return_time, shift.end));
        }
        if route.distance != distance {
            self.fail(&at, format!("reports {} m driven, the matrix gives {} m", route.distance.get(), distance.get()));
        }
        if let Some(rule) = unit.lunch {
            let at_depot = route.departure >= rule.window.start + rule.length || route.return_time <= rule.window.end;
            if !at_depot && route.lunch.is_none() {
                self.fail(&at, "works through the lunch window without a break");
            }
        }
        if route.lunch.is_some_and(|l| l.after_visits == 0) {
            self.fail(&at, "lunch before the first visit belongs at the depot, outside the route");
        }
        let lunch_length = route.lunch.and(unit.lunch).map_or(Seconds::ZERO, |l| l.length);
        let work = route.return_time - route.departure - lunch_length;
        if work > unit.max_work {
            self.fail(&at, format!("works {} min, limit {} min", work.minutes(), unit.max_work.minutes()));
        }
        if consultations > unit.max_consultations || seats > unit.max_seats {
            self.fail(&at, format!("{consultations} consultations and {seats} seats exceed the unit's day capacity"));
        }
    }

    /// An announced window is a promise: on 5-minute marks, and the unit is there from its
    /// start (arrived) to its end (the route's timing checks the leaving).
    fn check_announced(&mut self, at: &str, visit: &Visit) {
        let w = visit.published;
        if w.start.get() % ANNOUNCE_MARK_S != 0 || w.end.get() % ANNOUNCE_MARK_S != 0 {
            self.fail(at, format!("announced window {}–{} is not on 5-minute marks", w.start, w.end));
        }
        if visit.arrival > w.start {
            self.fail(at, format!("arrives {} after the announced start {}", visit.arrival, w.start));
        }
    }

    /// Checks a lunch break that starts at `start` after time `t`; returns its end.
    fn check_lunch(&mut self, at: &str, t: Seconds, start: Seconds, rule: Option<crate::model::BreakRule>) -> Seconds {
        let Some(rule) = rule else {
            self.fail(at, "lunch break for a unit without one");
            return t;
        };
        if start < t || !rule.window.contains(start) {
            self.fail(at, format!("lunch at {start} is not within its window or overlaps work"));
        }
        (start + rule.length).max(t)
    }

    fn check_requests(
        &mut self,
        at: &str,
        ordinal: u32,
        vehicle: usize,
        visit: &Visit,
        consultations: &mut u32,
        seats: &mut u32,
    ) {
        let p = self.problem;
        let equipment = p.vehicles()[vehicle].equipment;
        let mut class_seats = 0u32;
        for &r in &visit.requests {
            let Some(req) = p.requests().get(r) else {
                self.fail(at, format!("unknown request {r}"));
                continue;
            };
            let kind = &p.kinds()[req.kind];
            let right_place = match (req.place, visit.place) {
                (Place::Stop(s), VisitPlace::Stop(t)) => s == t,
                (Place::Home(_), VisitPlace::Home(h)) => h == r,
                _ => false,
            };
            if !right_place {
                self.fail(at, format!("request {} is served at the wrong place", req.id));
            }
            if !equipment.covers(kind.equipment) {
                self.fail(at, format!("request {} needs equipment the unit lacks", req.id));
            }
            if ordinal < req.earliest_day || ordinal > req.latest_day {
                self.fail(at, format!("request {} served outside its dates", req.id));
            }
            if let VisitPlace::Stop(s) = visit.place
                && !p.stops()[s].hosts.contains(req.kind)
            {
                self.fail(at, format!("stop cannot host the service of request {}", req.id));
            }
            if kind.class.is_some() {
                class_seats += 1;
                if visit.class_kind != Some(req.kind) {
                    self.fail(at, format!("request {} takes a seat in a class that is not held", req.id));
                }
            } else {
                *consultations += 1;
            }
        }
        if let Some(c) = visit.class_kind.and_then(|k| p.kinds()[k].class)
            && class_seats > c.seats
        {
            self.fail(at, format!("{class_seats} seats booked, the class has {}", c.seats));
        }
        *seats += class_seats;
    }

    fn check_visit_rules(&mut self, plan: &Plan) {
        let p = self.problem;
        let mut per_stop: HashMap<usize, Vec<u32>> = HashMap::new();
        for (day, _, visit) in plan.visits() {
            if let VisitPlace::Stop(s) = visit.place {
                per_stop.entry(s).or_default().push(day.ordinal);
            }
        }
        let mut stops: Vec<_> = per_stop.into_iter().collect();
        stops.sort();
        for (s, mut ordinals) in stops {
            let Some(stop) = p.stops().get(s) else { continue };
            let rule = stop.rule;
            ordinals.sort_unstable();
            // Spacing holds among the plan's visits and from visits announced outside it
            // (`true` marks the plan's own; two fixed visits are not the plan's doing).
            let mut all: Vec<(i64, bool)> = ordinals.iter().map(|&o| (i64::from(o), true)).collect();
            all.extend(stop.fixed_visits.iter().map(|&o| (o, false)));
            all.sort_unstable();
            for pair in all.windows(2) {
                let [(first, own_first), (second, own_second)] = [pair[0], pair[1]];
                if (own_first || own_second) && second - first < i64::from(rule.min_gap_days) {
                    let pair = [first, second];
                    self.fail(
                        format!("stop {}", stop.id),
                        format!(
                            "visits on days {} and {} are closer than {} days",
                            pair[0], pair[1], rule.min_gap_days
                        ),
                    );
                }
            }
            for week in 0..p.horizon().weeks {
                let planned = ordinals.iter().filter(|&&o| o / 7 == week).count() as u32;
                let count = planned + stop.fixed_in_week(week);
                if planned > 0 && count > rule.max_per_week {
                    self.fail(
                        format!("stop {}", stop.id),
                        format!("{count} visits in week {week}, at most {}", rule.max_per_week),
                    );
                }
            }
            for &o in &ordinals {
                let weekday = crate::model::Day { ordinal: o }.weekday();
                if !rule.weekdays.contains(weekday) {
                    self.fail(
                        format!("stop {}", stop.id),
                        format!("visited on {}, not an allowed weekday", weekday.key()),
                    );
                }
            }
        }
    }

    fn check_accounting(&mut self, plan: &Plan) {
        let n = self.problem.requests().len();
        let mut seen = vec![0u32; n];
        for (_, _, visit) in plan.visits() {
            for &r in visit.requests.iter().filter(|&&r| r < n) {
                seen[r] += 1;
            }
        }
        for u in plan.unserved.iter().filter(|u| u.request < n) {
            seen[u.request] += 1;
        }
        for (r, count) in seen.into_iter().enumerate() {
            if count != 1 {
                let id = &self.problem.requests()[r].id;
                self.fail(
                    format!("request {id}"),
                    format!("appears {count} times among served and unserved (must be once)"),
                );
            }
        }
    }
}

/// Checks every hard rule of the plan; returns all violations (empty = feasible).
pub fn check(problem: &Problem, matrix: &TravelMatrix, plan: &Plan) -> Vec<Violation> {
    let mut checker = Checker { problem, matrix, violations: Vec::new() };
    let horizon: Vec<u32> = problem.horizon().days.iter().map(|d| d.ordinal).collect();
    for day in &plan.days {
        if !horizon.contains(&day.day.ordinal) {
            checker.fail(format!("day {}", day.day.ordinal), "not an open day of the horizon");
        }
        let mut vehicles: Vec<usize> = day.routes.iter().map(|r| r.vehicle).collect();
        vehicles.sort_unstable();
        if vehicles.windows(2).any(|w| w[0] == w[1]) {
            checker.fail(format!("day {}", day.day.ordinal), "a vehicle has two routes");
        }
        for route in &day.routes {
            checker.check_route(day.day.ordinal, route);
        }
    }
    checker.check_visit_rules(plan);
    checker.check_accounting(plan);
    checker.violations.extend(crate::check_sessions::check_sessions(problem, plan));
    checker.violations
}
