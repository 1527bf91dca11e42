//! The immutable, validated planning problem.
//!
//! Build one with [`Problem::new`] from [`ProblemParts`]; the constructor checks the
//! structural invariants documented on each field and never changes afterwards. Input
//! formats validate user data with path-aware messages before they get here; a
//! [`ModelError`] therefore means a caller bypassed that validation.

mod calendar;
mod point;
mod remote;
mod request;
mod service;
mod stop;
mod vehicle;

pub use calendar::{Day, Horizon, Weekday, WeekdaySet};
pub use point::{Depot, Point};
pub use remote::{RemoteResource, Session};
pub use request::{HOME_VISIT_HOURS, Place, Request};
pub use service::{ClassSpec, EquipmentSet, KindSet, ServiceKind};
pub use stop::{Stop, VisitRule};
pub use vehicle::{BreakRule, Vehicle};

use crate::units::{Seconds, TimeWindow};

/// Everything a [`Problem`] is made of, before validation.
#[derive(Clone, Debug, Default)]
pub struct ProblemParts {
    /// Equipment type names; `EquipmentSet` bits index this list.
    pub equipment: Vec<String>,
    pub kinds: Vec<ServiceKind>,
    pub depots: Vec<Depot>,
    pub stops: Vec<Stop>,
    pub vehicles: Vec<Vehicle>,
    pub requests: Vec<Request>,
    pub horizon: Horizon,
    /// Remote staff (doctors, pharmacists, counsellors) shared by all units.
    pub remote: Vec<RemoteResource>,
    /// Time kept free after each session of a remote person. Invariant: >= 0.
    pub session_buffer: Seconds,
}

impl Default for Horizon {
    fn default() -> Self {
        Horizon::from_weekdays(1, WeekdaySet::MON_TO_FRI)
    }
}

/// A broken structural invariant, naming the offending element.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("E1900 {path}: {cause}")]
pub struct ModelError {
    pub path: String,
    pub cause: String,
}

/// The validated problem. Locations are numbered depots first, then stops, then the
/// home-visit points of requests in request order (see [`Problem::locations`]).
#[derive(Clone, Debug)]
pub struct Problem {
    parts: ProblemParts,
    /// Location index of each request's place.
    request_locations: Vec<usize>,
    locations: Vec<Point>,
}

impl Problem {
    pub fn new(parts: ProblemParts) -> Result<Problem, ModelError> {
        check_invariants(&parts)?;
        let mut locations: Vec<Point> = parts.depots.iter().map(|d| d.location).collect();
        locations.extend(parts.stops.iter().map(|s| s.location));
        let depot_count = parts.depots.len();
        let request_locations = parts
            .requests
            .iter()
            .map(|r| match r.place {
                Place::Stop(s) => depot_count + s,
                Place::Home(p) => {
                    locations.push(p);
                    locations.len() - 1
                }
            })
            .collect();
        Ok(Problem { parts, request_locations, locations })
    }

    pub fn equipment(&self) -> &[String] {
        &self.parts.equipment
    }
    pub fn kinds(&self) -> &[ServiceKind] {
        &self.parts.kinds
    }
    pub fn depots(&self) -> &[Depot] {
        &self.parts.depots
    }
    pub fn stops(&self) -> &[Stop] {
        &self.parts.stops
    }
    pub fn vehicles(&self) -> &[Vehicle] {
        &self.parts.vehicles
    }
    pub fn requests(&self) -> &[Request] {
        &self.parts.requests
    }
    pub fn horizon(&self) -> &Horizon {
        &self.parts.horizon
    }
    pub fn remote(&self) -> &[RemoteResource] {
        &self.parts.remote
    }
    pub fn session_buffer(&self) -> Seconds {
        self.parts.session_buffer
    }

    /// Whether request `r` needs a remote person (it names one, or its kind needs one of a
    /// kind) — even when nobody of that kind exists.
    pub fn needs_remote(&self, r: usize) -> bool {
        let request = &self.parts.requests[r];
        request.remote.is_some() || self.parts.kinds[request.kind].remote_kind.is_some()
    }

    /// The remote people who may hold request `r`'s session: the one it names, else every
    /// person of its kind's `remote_kind`; empty when it needs nobody.
    pub fn remote_candidates(&self, r: usize) -> Vec<usize> {
        let request = &self.parts.requests[r];
        if let Some(named) = request.remote {
            return vec![named];
        }
        let Some(kind) = &self.parts.kinds[request.kind].remote_kind else { return Vec::new() };
        (0..self.parts.remote.len()).filter(|&i| &self.parts.remote[i].kind == kind).collect()
    }
    /// The parts this problem was built from (to derive a modified problem).
    pub fn parts(&self) -> &ProblemParts {
        &self.parts
    }

    /// All points the travel matrix must cover, in location-index order.
    pub fn locations(&self) -> &[Point] {
        &self.locations
    }
    pub fn depot_location(&self, depot: usize) -> usize {
        depot
    }
    pub fn stop_location(&self, stop: usize) -> usize {
        self.parts.depots.len() + stop
    }
    pub fn request_location(&self, request: usize) -> usize {
        self.request_locations[request]
    }
    /// Whether the location is a stop flagged mountainous. Depots and home-visit points
    /// count as not mountainous (a home's area is not known to the model).
    pub fn location_is_mountainous(&self, location: usize) -> bool {
        let first_stop = self.parts.depots.len();
        location >= first_stop
            && location < first_stop + self.parts.stops.len()
            && self.parts.stops[location - first_stop].mountainous
    }

    /// Service time a request adds to a visit (zero for class seats).
    pub fn request_service(&self, request: usize) -> Seconds {
        let r = &self.parts.requests[request];
        if self.parts.kinds[r.kind].class.is_some() { Seconds::ZERO } else { r.service }
    }
}

fn err(path: impl Into<String>, cause: impl Into<String>) -> ModelError {
    ModelError { path: path.into(), cause: cause.into() }
}

fn check_windows(path: &str, windows: &[TimeWindow]) -> Result<(), ModelError> {
    for (i, w) in windows.iter().enumerate() {
        if w.start > w.end || w.start < Seconds::ZERO {
            return Err(err(format!("{path}[{i}]"), "window must satisfy 0 <= start <= end"));
        }
        if i > 0 && windows[i - 1].end > w.start {
            return Err(err(format!("{path}[{i}]"), "windows must be sorted and disjoint"));
        }
    }
    Ok(())
}

/// Day ordinals (closures, days out of service): strictly increasing.
fn check_ordinals(path: &str, ordinals: &[u32]) -> Result<(), ModelError> {
    match ordinals.windows(2).position(|w| w[0] >= w[1]) {
        Some(i) => Err(err(format!("{path}[{}]", i + 1), "day ordinals must be sorted and distinct")),
        None => Ok(()),
    }
}

fn check_invariants(p: &ProblemParts) -> Result<(), ModelError> {
    check_ordinals("horizon.frozen", &p.horizon.frozen)?;
    if p.equipment.len() > 32 {
        return Err(err("equipment", "at most 32 equipment types"));
    }
    if p.kinds.len() > 64 {
        return Err(err("service_kinds", "at most 64 service kinds"));
    }
    for (i, k) in p.kinds.iter().enumerate() {
        if let Some(c) = k.class
            && (c.length <= Seconds::ZERO || c.seats == 0)
        {
            return Err(err(format!("service_kinds[{i}].class"), "length and seats must be > 0"));
        }
        if k.class.is_some() && k.remote_kind.is_some() {
            return Err(err(format!("service_kinds[{i}].remote_kind"), "a class kind has no remote session"));
        }
    }
    for (i, s) in p.stops.iter().enumerate() {
        if !s.location.is_valid() {
            return Err(err(format!("stops[{i}]"), "invalid coordinates"));
        }
        for day in Weekday::ALL {
            check_windows(&format!("stops[{i}].windows.{}", day.key()), &s.windows[day.index()])?;
        }
        if s.rule.min_per_week > s.rule.max_per_week {
            return Err(err(format!("stops[{i}].visit_rule"), "min_per_week > max_per_week"));
        }
        check_ordinals(&format!("stops[{i}].closed"), &s.closed)?;
    }
    for (i, d) in p.depots.iter().enumerate() {
        if !d.location.is_valid() {
            return Err(err(format!("depots[{i}]"), "invalid coordinates"));
        }
    }
    for (i, v) in p.vehicles.iter().enumerate() {
        if v.depot >= p.depots.len() {
            return Err(err(format!("vehicles[{i}].depot"), "depot index out of range"));
        }
        for day in Weekday::ALL {
            if let Some(shift) = v.shifts[day.index()] {
                check_windows(&format!("vehicles[{i}].shifts.{}", day.key()), &[shift])?;
            }
        }
        if let Some(b) = v.lunch
            && (b.length <= Seconds::ZERO || b.window.start > b.window.end)
        {
            return Err(err(format!("vehicles[{i}].lunch"), "invalid break"));
        }
        check_ordinals(&format!("vehicles[{i}].out_of_service"), &v.out_of_service)?;
    }
    let mut previous = None;
    for d in &p.horizon.days {
        if previous.is_some_and(|o| o >= d.ordinal) || d.ordinal >= p.horizon.weeks * 7 {
            return Err(err("horizon.days", "ordinals must increase and stay inside the weeks"));
        }
        previous = Some(d.ordinal);
    }
    for (i, r) in p.requests.iter().enumerate() {
        let path = format!("requests[{i}]");
        if r.kind >= p.kinds.len() {
            return Err(err(path, "kind index out of range"));
        }
        if let Place::Stop(s) = r.place
            && s >= p.stops.len()
        {
            return Err(err(path, "stop index out of range"));
        }
        if let Place::Home(pt) = r.place
            && !pt.is_valid()
        {
            return Err(err(path, "invalid home coordinates"));
        }
        if r.earliest_day > r.latest_day || r.service < Seconds::ZERO {
            return Err(err(path, "earliest_day > latest_day or negative service"));
        }
        if r.remote.is_some_and(|x| x >= p.remote.len()) {
            return Err(err(format!("{path}.remote"), "remote person index out of range"));
        }
        if r.remote.is_some() && p.kinds[r.kind].class.is_some() {
            return Err(err(format!("{path}.remote"), "a class seat has no remote session"));
        }
    }
    check_remote(p)
}

fn check_remote(p: &ProblemParts) -> Result<(), ModelError> {
    if p.session_buffer < Seconds::ZERO {
        return Err(err("session_buffer", "must be >= 0"));
    }
    for (i, x) in p.remote.iter().enumerate() {
        if x.concurrent == 0 {
            return Err(err(format!("remote[{i}].concurrent"), "must be >= 1"));
        }
        for day in Weekday::ALL {
            check_windows(&format!("remote[{i}].hours.{}", day.key()), &x.hours[day.index()])?;
        }
        check_ordinals(&format!("remote[{i}].days_off"), &x.days_off)?;
    }
    Ok(())
}
