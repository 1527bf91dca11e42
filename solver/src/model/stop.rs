//! Stops: community halls (公民館・集会所) and other places where a unit parks and serves.

use serde::{Deserialize, Serialize};

use super::calendar::{Day, WeekdaySet};
use super::point::Point;
use super::service::KindSet;
use crate::units::{Seconds, TimeWindow};

/// How often and when a stop is visited, per week of the horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRule {
    /// Visits the stop should get every week even without requests (a target: a shortfall
    /// is reported, not an error).
    pub min_per_week: u32,
    /// Hard upper limit of visits per week. Invariant: `min_per_week <= max_per_week`.
    pub max_per_week: u32,
    /// Hard minimum number of calendar days between two visits (0 = any; 1 = not twice a day).
    pub min_gap_days: u32,
    /// Weekdays on which visits are allowed.
    pub weekdays: WeekdaySet,
}

impl Default for VisitRule {
    fn default() -> Self {
        VisitRule { min_per_week: 0, max_per_week: 5, min_gap_days: 1, weekdays: WeekdaySet::ALL }
    }
}

/// A place where a unit stops and serves residents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub id: String,
    /// Japanese name, e.g. `小中集会所`.
    pub name: String,
    /// Reading in kana, for search; may be empty.
    pub reading: String,
    /// District key (e.g. `azuma`).
    pub district: String,
    /// In a hilly rural area (中山間地域).
    pub mountainous: bool,
    pub location: Point,
    /// Opening windows per weekday (index 0 = Monday). Invariant: each list sorted by start,
    /// windows disjoint, `start <= end`. A visit (arrival to departure) lies inside one window.
    pub windows: [Vec<TimeWindow>; 7],
    /// Service kinds the stop can host.
    pub hosts: KindSet,
    pub rule: VisitRule,
    /// Shortest visit, even with no booked request (walk-in counter time). Invariant: >= 0.
    pub min_stay: Seconds,
    /// Ordinals of the horizon's days on which the place is closed (the hall is booked),
    /// sorted, without repeats.
    #[serde(default)]
    pub closed: Vec<u32>,
    /// Days of visits to the stop that are announced and not this plan's to decide (before
    /// or after the horizon, or on days that have passed), as ordinals counted from the
    /// horizon's first Monday (negative before it). They count toward the visit rule —
    /// spacing, and the minimum and maximum of their week — and nothing else.
    #[serde(default)]
    pub fixed_visits: Vec<i64>,
}

impl Stop {
    /// Fixed visits (see [`Stop::fixed_visits`]) in horizon week `week`.
    pub fn fixed_in_week(&self, week: u32) -> u32 {
        self.fixed_visits.iter().filter(|o| o.div_euclid(7) == i64::from(week)).count() as u32
    }

    /// Whether a new visit on `day` keeps the rule's spacing from every fixed visit and
    /// leaves room under the week's maximum beside them.
    pub fn fixed_allow(&self, day: Day) -> bool {
        let gap = i64::from(self.rule.min_gap_days);
        let near = self.fixed_visits.iter().any(|o| (o - i64::from(day.ordinal)).abs() < gap);
        !near && self.fixed_in_week(day.week()) < self.rule.max_per_week
    }

    /// The opening windows on `day`: none when the place is closed that day.
    pub fn windows_on(&self, day: Day) -> &[TimeWindow] {
        if self.closed.binary_search(&day.ordinal).is_ok() {
            return &[];
        }
        &self.windows[day.weekday().index()]
    }
}
