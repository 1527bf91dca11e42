//! Remote staff: people who take part in a visit from elsewhere and so are scheduled across
//! all units at once — a clinic's doctor in an online consultation (オンライン診療), a
//! pharmacist (オンライン服薬指導), a counsellor at city hall (リモート相談窓口). Each works
//! in weekly hours (several windows per weekday), has dates off, and holds a number of
//! sessions at once (usually one).
//!
//! A request needs a remote person when its service kind names a `remote_kind` (anyone of
//! that kind will do) or when the request names its own (`Request::remote`, e.g. the
//! patient's doctor). The session lasts the request's service time and lies inside the
//! visit that serves it; `ProblemParts::session_buffer` separates two sessions of one
//! person.

use serde::{Deserialize, Serialize};

use super::calendar::Day;
use crate::units::{Seconds, TimeWindow};

/// One remote person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RemoteResource {
    pub id: String,
    pub name: String,
    /// What they are, matched against `ServiceKind::remote_kind` (e.g. `doctor`).
    pub kind: String,
    /// Where they work (e.g. 木村内科).
    pub organisation: String,
    /// How the crew reaches them (a phone number or a meeting address).
    pub contact: String,
    /// Hours per weekday (index 0 = Monday), sorted and disjoint.
    pub hours: [Vec<TimeWindow>; 7],
    /// Ordinals of the horizon's days off, sorted, without repeats.
    pub days_off: Vec<u32>,
    /// Sessions at once. Invariant: >= 1.
    pub concurrent: u32,
}

impl RemoteResource {
    /// The hours on `day`: none on a day off.
    pub fn hours_on(&self, day: Day) -> &[TimeWindow] {
        if self.days_off.binary_search(&day.ordinal).is_ok() {
            return &[];
        }
        &self.hours[day.weekday().index()]
    }

    /// Minutes of work on `day`, seconds.
    pub fn capacity_on(&self, day: Day) -> Seconds {
        self.hours_on(day).iter().fold(Seconds::ZERO, |sum, w| sum + (w.end - w.start))
    }
}

/// A remote person's part in a visit: the session of one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Index into `Problem::requests()`.
    pub request: usize,
    /// Index into `Problem::remote()`.
    pub resource: usize,
    pub start: Seconds,
    pub end: Seconds,
}
