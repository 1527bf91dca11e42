//! The public, immutable result of weekly planning: routes per working day, the visits
//! they make (with times), and what could not be served, with reasons.

use serde::{Deserialize, Serialize};

use crate::model::Day;
use crate::units::{Meters, Seconds};

/// A weekly (or multi-week) plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub days: Vec<DayPlan>,
    pub unserved: Vec<Unserved>,
    pub shortfalls: Vec<VisitShortfall>,
    /// How the visits were assigned to days and units.
    pub assignment: AssignmentReport,
}

/// How the day assignment was made: by the MIP (with its status, objective, bound and
/// gap) or greedily (with the reason).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AssignmentReport {
    pub method: AssignedBy,
    /// The MIP backend; none without a MIP (written `""` in plan.json, as always).
    #[serde(with = "backend_text")]
    pub backend: Option<MipBackend>,
    pub status: Option<SolveStatus>,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    pub gap: Option<f64>,
    pub variables: usize,
    pub constraints: usize,
    /// A note in English for logs and plan.json; messages to users are made from the
    /// fields.
    pub message: String,
    /// Why the greedy assignment was used (greedy only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greedy_cause: Option<GreedyCause>,
    /// Re-planning: published visits locked, and of those kept in their windows.
    #[serde(default)]
    pub locked: usize,
    #[serde(default)]
    pub locked_kept: usize,
}

/// Why visits were assigned to days greedily rather than by the MIP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GreedyCause {
    /// The caller asked for it.
    Requested,
    /// The model had more variables than the backend's limit.
    TooLarge,
    /// The MIP solver gave no solution.
    NoMipSolution,
}

/// The routes of one working day (only vehicles that leave the depot).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayPlan {
    pub day: Day,
    pub routes: Vec<Route>,
}

/// One vehicle's day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub vehicle: usize,
    pub departure: Seconds,
    pub return_time: Seconds,
    pub lunch: Option<LunchBreak>,
    pub visits: Vec<Visit>,
    /// Driven distance, depot to depot.
    pub distance: Meters,
}

/// How the visits were assigned to days and units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignedBy {
    /// The day-assignment MIP.
    Mip,
    /// The greedy assignment (asked for, or the MIP's fallback).
    #[default]
    Greedy,
    /// A re-plan around announced visits (kept in their windows).
    Replan,
}

impl std::fmt::Display for AssignedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AssignedBy::Mip => "mip",
            AssignedBy::Greedy => "greedy",
            AssignedBy::Replan => "replan",
        })
    }
}

/// The MIP backend a build solves with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MipBackend {
    /// The pure-Rust default.
    Microlp,
    /// HiGHS, with the `highs` feature.
    Highs,
}

impl MipBackend {
    /// The backend of this build.
    pub const BUILT: MipBackend = if cfg!(feature = "highs") { MipBackend::Highs } else { MipBackend::Microlp };
}

impl std::fmt::Display for MipBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MipBackend::Microlp => "microlp",
            MipBackend::Highs => "highs",
        })
    }
}

/// `backend` as plan.json has always written it: the backend's name, or `""` without one.
mod backend_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::MipBackend;

    pub fn serialize<S: Serializer>(backend: &Option<MipBackend>, s: S) -> Result<S::Ok, S::Error> {
        match backend {
            Some(b) => b.serialize(s),
            None => s.serialize_str(""),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<MipBackend>, D::Error> {
        let text = String::deserialize(d)?;
        if text.is_empty() {
            return Ok(None);
        }
        MipBackend::deserialize(serde::de::value::StrDeserializer::<D::Error>::new(&text)).map(Some)
    }
}

/// How the day assignment's MIP ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// Proven optimal.
    Optimal,
    /// Feasible, stopped by the time limit before the proof.
    TimeLimit,
}

impl From<crate::lp::MipStatus> for SolveStatus {
    fn from(status: crate::lp::MipStatus) -> SolveStatus {
        match status {
            crate::lp::MipStatus::Optimal => SolveStatus::Optimal,
            crate::lp::MipStatus::TimeLimit => SolveStatus::TimeLimit,
        }
    }
}

/// A unit's lunch break in its route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LunchBreak {
    /// Visits done before the break (>= 1): it is taken at the place of the last of them.
    pub after_visits: usize,
    pub start: Seconds,
}

/// Where a visit takes place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitPlace {
    /// At a stop (index into `Problem::stops()`).
    Stop(usize),
    /// At the home of the resident who made this request.
    Home(usize),
}

/// One stop of a route. The unit is on site from `start` to `end`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub place: VisitPlace,
    pub arrival: Seconds,
    pub start: Seconds,
    pub end: Seconds,
    /// The window announced to residents, a promise: on 5-minute marks, inside an opening
    /// window, covering `[start, end]`; the unit arrives no later than its start and leaves
    /// no earlier than its end (so one unit's windows never overlap and leave the travel
    /// time between them). Checked by [`crate::check::check`].
    pub published: crate::units::TimeWindow,
    /// Requests served during the visit (indices into `Problem::requests()`).
    pub requests: Vec<usize>,
    /// The class kind held during this visit, if any.
    pub class_kind: Option<usize>,
    /// The remote sessions held during this visit (requests that need a remote person).
    #[serde(default)]
    pub sessions: Vec<crate::model::Session>,
}

/// Why a request could not be served. Stable codes, documented in `docs/errors.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnservedReason {
    /// No vehicle carries the equipment the service needs.
    NoUnit,
    /// No open day in the request's date range on which the stop is open, its visit rule
    /// allows the weekday and a suitable unit works.
    NoDay,
    /// The service is longer than every opening window of the stop.
    TooLong,
    /// Days exist, but the stop's visit rule (visits per week, spacing) leaves none free.
    VisitLimit,
    /// The units' time, consultations or seats on the allowed days are used up.
    Capacity,
    /// Not served in this horizon, but its dates run past it: carried over to the next plan.
    Deferred,
    /// No remote person it needs (its doctor, a counsellor) was free for its session at a
    /// time the routes could keep.
    NoRemote,
}

impl UnservedReason {
    pub const ALL: [UnservedReason; 7] = [
        UnservedReason::NoUnit,
        UnservedReason::NoDay,
        UnservedReason::TooLong,
        UnservedReason::VisitLimit,
        UnservedReason::Capacity,
        UnservedReason::Deferred,
        UnservedReason::NoRemote,
    ];

    /// Stable code (`U01`…), used in outputs and documented with the error codes.
    pub const fn code(self) -> &'static str {
        match self {
            UnservedReason::NoUnit => "U01",
            UnservedReason::NoDay => "U02",
            UnservedReason::TooLong => "U03",
            UnservedReason::VisitLimit => "U04",
            UnservedReason::Capacity => "U05",
            UnservedReason::Deferred => "U06",
            UnservedReason::NoRemote => "U07",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unserved {
    pub request: usize,
    pub reason: UnservedReason,
}

/// A stop that got fewer visits in a week than its rule's minimum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitShortfall {
    pub stop: usize,
    pub week: u32,
    pub planned: u32,
    pub required: u32,
    pub reason: UnservedReason,
}

impl Plan {
    /// All visits with their day and vehicle, in day and route order.
    pub fn visits(&self) -> impl Iterator<Item = (Day, usize, &Visit)> {
        self.days
            .iter()
            .flat_map(|d| d.routes.iter().flat_map(move |r| r.visits.iter().map(move |v| (d.day, r.vehicle, v))))
    }
}
