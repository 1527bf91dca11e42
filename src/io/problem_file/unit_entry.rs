//! A unit (a vehicle and its crew) as it is written in a problem file (`vehicles`), stored
//! by the service and sent over the API (docs/format.md, "vehicles"). The reader
//! (`entities.rs`) checks an entry with coded diagnostics; this type is its shape.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::stop_entry::DateRangeEntry;

/// A lunch break that must start inside `window`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LunchEntry {
    /// `["HH:MM", "HH:MM"]`.
    pub window: [String; 2],
    /// 1–240.
    pub minutes: u32,
}

/// Bookings a unit takes per day (unlimited when absent).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityEntry {
    /// Non-class requests per day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub consultations: Option<u32>,
    /// Class seats per day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub seats: Option<u32>,
}

/// A unit entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitEntry {
    pub id: String,
    pub name: String,
    /// Equipment ids (what services it can give).
    pub equipment: Vec<String>,
    /// The depot it leaves from and returns to.
    pub depot: String,
    /// The shift by weekday key (`weekdays`, `daily`, `mon` … `sun`); days without one
    /// are days off.
    pub shifts: BTreeMap<String, [String; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub lunch: Option<LunchEntry>,
    /// The longest day from departure to return, lunch excluded (default 480).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub max_work_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub capacity: Option<CapacityEntry>,
    /// Dates the unit does not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub out_of_service: Option<Vec<DateRangeEntry>>,
}

impl UnitEntry {
    /// The out-of-service ranges (none when absent).
    pub fn out_of_service_ranges(&self) -> &[DateRangeEntry] {
        self.out_of_service.as_deref().unwrap_or_default()
    }

    /// The entry as the JSON the reader checks.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a unit entry is plain data")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_unit_reads_and_writes_the_documented_json_unchanged() {
        let documented = json!({ "id": "gyosei-1", "name": "行政MaaS 1号車", "equipment": ["admin"], "depot": "omama",
            "shifts": { "weekdays": ["08:30", "17:15"] },
            "lunch": { "window": ["11:30", "13:30"], "minutes": 45 },
            "max_work_minutes": 465, "capacity": { "consultations": 16, "seats": 10 },
            "out_of_service": [{ "from": "2026-12-08", "to": "2026-12-09", "reason": "車検" }] });
        let unit: UnitEntry = serde_json::from_value(documented.clone()).unwrap();
        assert_eq!(unit.out_of_service_ranges().len(), 1);
        assert_eq!(unit.to_value(), documented);
    }
}
