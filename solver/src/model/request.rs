//! Residents' requests for a service at a stop or at home.

use serde::{Deserialize, Serialize};

use super::calendar::WeekdaySet;
use super::point::Point;
use crate::units::{Seconds, TimeWindow};

/// Hours in which home visits are made (the whole visit lies inside).
pub const HOME_VISIT_HOURS: TimeWindow = TimeWindow::new(Seconds::from_hm(9, 0), Seconds::from_hm(17, 0));

/// Where a request is served.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// At a stop, index into `Problem::stops()`.
    Stop(usize),
    /// A home visit at this point (private: never published).
    Home(Point),
}

/// One resident's request. Private contact data is kept by the application, not here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: String,
    /// Index into `Problem::kinds()`.
    pub kind: usize,
    pub place: Place,
    /// Service time (ignored for class kinds, where the request takes one seat).
    pub service: Seconds,
    /// First and last day ordinal on which the request may be served (inclusive).
    /// Invariant: `earliest_day <= latest_day`.
    pub earliest_day: u32,
    pub latest_day: u32,
    /// Preferred weekdays (soft).
    pub preferred_weekdays: WeekdaySet,
    /// Preferred time of day (soft).
    pub preferred_time: Option<TimeWindow>,
    /// 1 (low) … 5 (urgent).
    pub priority: u8,
    /// The remote person this request's session must be with (index into
    /// `Problem::remote()`), e.g. the patient's own doctor.
    #[serde(default)]
    pub remote: Option<usize>,
}
