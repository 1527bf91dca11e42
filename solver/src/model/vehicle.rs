//! Vehicles (units): 行政MaaS and 医療MaaS cars with their shifts, lunch break and capacity.

use serde::{Deserialize, Serialize};

use super::calendar::Day;
use super::service::EquipmentSet;
use crate::units::{Seconds, TimeWindow};

/// A break of fixed length that must *start* within `window` (e.g. lunch starting 11:30–13:30).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakRule {
    pub window: TimeWindow,
    /// Invariant: > 0.
    pub length: Seconds,
}

/// A mobile unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vehicle {
    pub id: String,
    pub name: String,
    pub equipment: EquipmentSet,
    /// Index into `Problem::depots()`; the day starts and ends there.
    pub depot: usize,
    /// Shift per weekday (index 0 = Monday): leave the depot no earlier than `start`, be back
    /// no later than `end`. `None` = not working that weekday.
    pub shifts: [Option<TimeWindow>; 7],
    pub lunch: Option<BreakRule>,
    /// Longest working time per day (return minus departure minus the break).
    pub max_work: Seconds,
    /// Consultations (non-class requests) per day.
    pub max_consultations: u32,
    /// Class seats per day.
    pub max_seats: u32,
    /// Ordinals of the horizon's days on which the unit is out of service (inspection,
    /// leave, breakdown), sorted, without repeats.
    #[serde(default)]
    pub out_of_service: Vec<u32>,
}

impl Vehicle {
    /// The shift on `day`: none on a day off or out of service.
    pub fn shift_on(&self, day: Day) -> Option<TimeWindow> {
        if self.out_of_service.binary_search(&day.ordinal).is_ok() {
            return None;
        }
        self.shifts[day.weekday().index()]
    }
}
