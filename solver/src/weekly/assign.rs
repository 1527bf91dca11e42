//! Greedy day assignment: places every request on a visit (stop, day, unit) that its dates,
//! the stop's visit rule and the units' estimated workload allow, then adds visits until
//! each stop reaches its weekly minimum. It is the `Greedy` assignment and the MIP's
//! fallback, and its ledger is what repairs and re-plans work on; it never breaks a hard
//! rule.

use super::remote_budget::RemoteBudget;
use super::visits::{
    self, TentativeVisit, longest_window, place_location, place_open, request_place, vehicle_fits, visit_duration,
    visit_stay, visit_usage,
};
use crate::matrix::TravelMatrix;
use crate::model::Problem;
use crate::plan::{UnservedReason, VisitPlace, VisitShortfall};
use crate::units::Seconds;

/// Share of a unit's working time the assignment fills, leaving room for estimation error.
const BUDGET_SHARE_PERCENT: i64 = 85;

/// The assignment's view of one unit-day: estimated time used and capacity used.
#[derive(Clone, Debug, Default)]
struct UnitDay {
    time: Seconds,
    consultations: i64,
    seats: i64,
    locations: Vec<usize>,
}

pub struct Ledger<'a> {
    problem: &'a Problem,
    matrix: &'a TravelMatrix,
    pub visits: Vec<TentativeVisit>,
    /// Indexed `[vehicle][day]`.
    unit_days: Vec<Vec<UnitDay>>,
    /// Remote people's session time per day.
    remote: RemoteBudget,
}

/// Why a candidate slot was refused (the most telling one becomes the unserved reason).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Refusal {
    Rule,
    Capacity,
    /// The units had room but the remote people it needs had no time left.
    Remote,
}

impl<'a> Ledger<'a> {
    pub fn new(problem: &'a Problem, matrix: &'a TravelMatrix) -> Self {
        let days = problem.horizon().days.len();
        Ledger {
            problem,
            matrix,
            visits: Vec::new(),
            unit_days: vec![vec![UnitDay::default(); days]; problem.vehicles().len()],
            remote: RemoteBudget::new(problem),
        }
    }

    pub fn problem(&self) -> &'a Problem {
        self.problem
    }

    pub fn remote_budget(&self) -> &RemoteBudget {
        &self.remote
    }

    fn works(&self, vehicle: usize, day: usize) -> bool {
        self.problem.vehicles()[vehicle].shift_on(self.problem.horizon().days[day]).is_some()
    }

    /// Working time the assignment may fill for this unit-day.
    fn budget(&self, vehicle: usize, day: usize) -> Seconds {
        let v = &self.problem.vehicles()[vehicle];
        let Some(shift) = v.shift_on(self.problem.horizon().days[day]) else { return Seconds::ZERO };
        let lunch = v.lunch.map_or(Seconds::ZERO, |l| l.length);
        let available = (shift.length() - lunch).min(v.max_work);
        Seconds(available.get() * BUDGET_SHARE_PERCENT / 100)
    }

    /// Estimated extra driving to fit `location` into the unit-day: a detour from the
    /// nearest place already on it (or the depot).
    fn detour(&self, vehicle: usize, day: usize, location: usize) -> Seconds {
        let depot = self.problem.depot_location(self.problem.vehicles()[vehicle].depot);
        let here = &self.unit_days[vehicle][day].locations;
        std::iter::once(depot)
            .chain(here.iter().copied())
            .map(|p| self.matrix.duration(p, location) + self.matrix.duration(location, p))
            .min()
            .unwrap_or(Seconds::ZERO)
    }

    fn fits_capacity(&self, vehicle: usize, day: usize, extra_time: Seconds, usage: (i64, i64)) -> bool {
        let v = &self.problem.vehicles()[vehicle];
        let ud = &self.unit_days[vehicle][day];
        ud.time + extra_time <= self.budget(vehicle, day)
            && ud.consultations + usage.0 <= i64::from(v.max_consultations)
            && ud.seats + usage.1 <= i64::from(v.max_seats)
    }

    /// Whether the stop's rule allows one more visit on `day` (max per week, spacing).
    pub fn rule_allows(&self, place: VisitPlace, day: usize) -> bool {
        let VisitPlace::Stop(s) = place else { return true };
        let stop = &self.problem.stops()[s];
        let rule = stop.rule;
        let days = &self.problem.horizon().days;
        let this = days[day];
        if !stop.fixed_allow(this) {
            return false;
        }
        let mut in_week = stop.fixed_in_week(this.week());
        for v in self.visits.iter().filter(|v| v.place == place && !v.dropped) {
            let other = days[v.day];
            if other.week() == this.week() {
                in_week += 1;
            }
            if other.ordinal.abs_diff(this.ordinal) < rule.min_gap_days {
                return false;
            }
        }
        in_week < rule.max_per_week
    }

    /// Visits at `place` in horizon week `week`: the plan's (not dropped) and, at a stop,
    /// those announced outside the plan ([`crate::model::Stop::fixed_visits`]).
    pub fn visits_in_week(&self, place: VisitPlace, week: u32) -> u32 {
        let days = &self.problem.horizon().days;
        let planned =
            self.visits.iter().filter(|v| v.place == place && !v.dropped && days[v.day].week() == week).count() as u32;
        let fixed = match place {
            VisitPlace::Stop(s) => self.problem.stops()[s].fixed_in_week(week),
            VisitPlace::Home(_) => 0,
        };
        planned + fixed
    }

    /// Records a visit (and its estimated workload).
    pub fn add_visit(&mut self, visit: TentativeVisit) {
        let location = place_location(self.problem, visit.place);
        let extra = self.detour(visit.vehicle, visit.day, location)
            + visit_stay(self.problem, visit.place, &visit.requests, visit.class_kind);
        let usage = visit_usage(self.problem, &visit.requests);
        let ud = &mut self.unit_days[visit.vehicle][visit.day];
        ud.time += extra;
        ud.consultations += usage.0;
        ud.seats += usage.1;
        ud.locations.push(location);
        self.remote.record(self.problem, &visit.requests, visit.day, 1);
        self.visits.push(visit);
    }

    /// If the request can join visit `i` (same place, a unit fits all its requests, seats
    /// left in the class, still fits the longest opening window), the visit's class kind
    /// after joining and the added time on site.
    pub fn joinable(&self, i: usize, request: usize) -> Option<(Option<usize>, Seconds)> {
        let p = self.problem;
        let r = &p.requests()[request];
        let v = &self.visits[i];
        let place = request_place(p, request);
        if v.dropped || v.place != place {
            return None;
        }
        let class = p.kinds()[r.kind].class;
        if let Some(c) = class {
            let seats_taken = visit_usage(p, &v.requests).1;
            if v.class_kind.is_some_and(|k| k != r.kind) || seats_taken >= i64::from(c.seats) {
                return None;
            }
        }
        let mut with = v.requests.clone();
        with.push(request);
        let unit_fits = match v.lock {
            Some(_) => vehicle_fits(p, v.vehicle, place, &with),
            None => (0..p.vehicles().len()).any(|u| self.works(u, v.day) && vehicle_fits(p, u, place, &with)),
        };
        if !unit_fits {
            return None;
        }
        let class_kind = if class.is_some() { Some(r.kind) } else { v.class_kind };
        let old = visit_stay(p, place, &v.requests, v.class_kind);
        let new = visit_stay(p, place, &with, class_kind);
        // A kept visit must hold the longer service inside its announced window.
        let fits = match v.lock {
            Some(w) => visit_duration(p, place, &with, class_kind) <= w.length(),
            None => new <= longest_window(p, place, p.horizon().days[v.day]),
        };
        fits.then_some((class_kind, new - old))
    }

    /// Adds the request to visit `i` (which must be [`Ledger::joinable`]).
    pub fn join(&mut self, i: usize, request: usize) {
        let Some((class_kind, extra)) = self.joinable(i, request) else { return };
        let usage = visit_usage(self.problem, &[request]);
        let v = &mut self.visits[i];
        v.requests.push(request);
        v.class_kind = class_kind;
        let ud = &mut self.unit_days[v.vehicle][v.day];
        ud.time += extra;
        ud.consultations += usage.0;
        ud.seats += usage.1;
        self.remote.record(self.problem, &[request], v.day, 1);
    }

    /// Undoes the last [`Ledger::join`] of `request` to visit `i`.
    pub fn unjoin(&mut self, i: usize, request: usize) {
        let p = self.problem;
        let v = &mut self.visits[i];
        if v.requests.contains(&request) {
            self.remote.record(p, &[request], v.day, -1);
        }
        v.requests.retain(|&r| r != request);
        if v.requests.iter().all(|&r| p.kinds()[p.requests()[r].kind].class.is_none()) {
            v.class_kind = None;
        }
    }

    /// Opens a visit for the request on `day` without the workload estimate (the caller
    /// checks feasibility by routing); returns its index, or `None` if no unit fits.
    pub fn open_unchecked(&mut self, request: usize, day: usize) -> Option<usize> {
        let p = self.problem;
        let place = request_place(p, request);
        let vehicle = (0..p.vehicles().len()).find(|&u| self.works(u, day) && vehicle_fits(p, u, place, &[request]))?;
        let class_kind = p.kinds()[p.requests()[request].kind].class.map(|_| p.requests()[request].kind);
        self.add_visit(TentativeVisit::new(place, day, vehicle, vec![request], class_kind));
        Some(self.visits.len() - 1)
    }

    /// Tries to add the request to an existing visit; returns whether it did.
    fn attach(&mut self, request: usize, candidate_days: &[usize]) -> bool {
        let p = self.problem;
        let r = &p.requests()[request];
        let mut best: Option<(bool, u32, usize)> = None;
        for i in 0..self.visits.len() {
            let v = &self.visits[i];
            if !candidate_days.contains(&v.day) || !vehicle_fits(p, v.vehicle, v.place, &[request]) {
                continue;
            }
            let Some((_, extra)) = self.joinable(i, request) else { continue };
            if !self.fits_capacity(v.vehicle, v.day, extra, visit_usage(p, &[request]))
                || !self.remote.fits(p, request, v.day)
            {
                continue;
            }
            let day = p.horizon().days[v.day];
            let key = (!r.preferred_weekdays.contains(day.weekday()), day.ordinal, i);
            if best.is_none_or(|b| key < b) {
                best = Some(key);
            }
        }
        let Some((_, _, i)) = best else { return false };
        self.join(i, request);
        true
    }

    /// Opens a new visit for the request on the best free slot.
    fn open_visit(&mut self, request: usize, candidate_days: &[usize]) -> Result<(), Refusal> {
        let p = self.problem;
        let r = &p.requests()[request];
        let place = request_place(p, request);
        let location = place_location(p, place);
        let class_kind = p.kinds()[r.kind].class.map(|_| r.kind);
        let duration = visit_stay(p, place, &[request], class_kind);
        let usage = visit_usage(p, &[request]);
        let mut best: Option<(i64, usize, usize)> = None;
        let mut refusal = Refusal::Rule;
        for &day in candidate_days {
            if !self.rule_allows(place, day) {
                continue;
            }
            refusal = refusal.max(Refusal::Capacity);
            let remote_fits = self.remote.fits(p, request, day);
            for vehicle in 0..p.vehicles().len() {
                if !self.works(vehicle, day) || !vehicle_fits(p, vehicle, place, &[request]) {
                    continue;
                }
                let extra = duration + self.detour(vehicle, day, location);
                if !self.fits_capacity(vehicle, day, extra, usage) {
                    continue;
                }
                if !remote_fits {
                    refusal = Refusal::Remote;
                    continue;
                }
                let d = p.horizon().days[day];
                let off_preference = if r.preferred_weekdays.contains(d.weekday()) { 0 } else { 4 * 3600 };
                let waiting = i64::from(d.ordinal.saturating_sub(r.earliest_day)) * 1800;
                let score = off_preference + waiting + self.unit_days[vehicle][day].time.get() + extra.get();
                if best.is_none_or(|b| (score, day, vehicle) < b) {
                    best = Some((score, day, vehicle));
                }
            }
        }
        let (_, day, vehicle) = best.ok_or(refusal)?;
        self.add_visit(TentativeVisit::new(place, day, vehicle, vec![request], class_kind));
        Ok(())
    }

    /// Days of the horizon on which the request could be served, ignoring capacity, the
    /// visit rule's counts and remote people's booked time (but not whether anyone it
    /// needs works that day); or the reason there are none.
    pub fn candidate_days(&self, request: usize) -> Result<Vec<usize>, UnservedReason> {
        let p = self.problem;
        let r = &p.requests()[request];
        let place = request_place(p, request);
        if !(0..p.vehicles().len()).any(|v| vehicle_fits(p, v, place, &[request])) {
            return Err(UnservedReason::NoUnit);
        }
        let class_kind = p.kinds()[r.kind].class.map(|_| r.kind);
        let duration = visit_stay(p, place, &[request], class_kind);
        let mut days = Vec::new();
        let (mut too_long, mut nobody_remote, mut kept_apart) = (false, false, false);
        for (i, d) in p.horizon().days.iter().enumerate() {
            if d.ordinal < r.earliest_day || d.ordinal > r.latest_day {
                continue;
            }
            if !place_open(p, place, *d) {
                kept_apart |= visits::kept_apart(p, place, *d);
                continue;
            }
            if !(0..p.vehicles().len()).any(|v| self.works(v, i) && vehicle_fits(p, v, place, &[request])) {
                continue;
            }
            if duration > longest_window(p, place, *d) {
                too_long = true;
                continue;
            }
            if !self.remote.possible(p, request, i) {
                nobody_remote = true;
                continue;
            }
            days.push(i);
        }
        match (days.is_empty(), too_long, nobody_remote) {
            (false, _, _) => Ok(days),
            (true, true, _) => Err(UnservedReason::TooLong),
            (true, false, true) => Err(UnservedReason::NoRemote),
            (true, false, false) if kept_apart => Err(UnservedReason::VisitLimit),
            (true, false, false) => Err(UnservedReason::NoDay),
        }
    }

    /// Places one request; returns the reason when it cannot be placed.
    pub fn place_request(&mut self, request: usize) -> Result<(), UnservedReason> {
        let days = self.candidate_days(request)?;
        if self.attach(request, &days) {
            return Ok(());
        }
        self.open_visit(request, &days).map_err(|refusal| match refusal {
            Refusal::Rule => UnservedReason::VisitLimit,
            Refusal::Capacity => UnservedReason::Capacity,
            Refusal::Remote => UnservedReason::NoRemote,
        })
    }

    /// Adds request-free visits until each stop meets its weekly minimum, spreading visits
    /// through the week. Returns the weeks that still fall short.
    pub fn meet_minimums(&mut self) -> Vec<VisitShortfall> {
        let p = self.problem;
        let mut shortfalls = Vec::new();
        for s in 0..p.stops().len() {
            let place = VisitPlace::Stop(s);
            let required = p.stops()[s].rule.min_per_week;
            for week in 0..p.horizon().weeks {
                let count = |ledger: &Ledger| ledger.visits_in_week(place, week);
                while count(self) < required {
                    if let Err(reason) = self.open_rule_visit(s, week) {
                        shortfalls.push(VisitShortfall { stop: s, week, planned: count(self), required, reason });
                        break;
                    }
                }
            }
        }
        shortfalls
    }

    fn open_rule_visit(&mut self, stop: usize, week: u32) -> Result<(), UnservedReason> {
        let p = self.problem;
        let place = VisitPlace::Stop(stop);
        let location = place_location(p, place);
        let duration = visit_stay(p, place, &[], None);
        let days = &p.horizon().days;
        let mut best: Option<(i64, usize, usize)> = None;
        let mut reason = UnservedReason::NoDay;
        for day in (0..days.len()).filter(|&i| days[i].week() == week && place_open(p, place, days[i])) {
            if !self.rule_allows(place, day) {
                reason = reason.max(UnservedReason::VisitLimit);
                continue;
            }
            reason = UnservedReason::Capacity;
            // Prefer days far from the stop's other visits, then the least loaded unit.
            let spacing = self
                .visits
                .iter()
                .filter(|v| v.place == place && !v.dropped)
                .map(|v| i64::from(days[v.day].ordinal.abs_diff(days[day].ordinal)))
                .min()
                .unwrap_or(7)
                .min(7);
            for vehicle in 0..p.vehicles().len() {
                if !self.works(vehicle, day) || !vehicle_fits(p, vehicle, place, &[]) {
                    continue;
                }
                let extra = duration + self.detour(vehicle, day, location);
                if !self.fits_capacity(vehicle, day, extra, (0, 0)) {
                    continue;
                }
                let score = -spacing * 4 * 3600 + self.unit_days[vehicle][day].time.get() + extra.get();
                if best.is_none_or(|b| (score, day, vehicle) < b) {
                    best = Some((score, day, vehicle));
                }
            }
        }
        let (_, day, vehicle) = best.ok_or(reason)?;
        self.add_visit(TentativeVisit::new(place, day, vehicle, Vec::new(), None));
        Ok(())
    }
}
