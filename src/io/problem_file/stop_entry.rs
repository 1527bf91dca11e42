//! A stop (a community hall or similar) as it is written in a problem file, stored by the
//! service and sent over the API (docs/format.md, "stops"); with the date ranges that
//! close a stop or take a unit out of service. The reader (`entities.rs`) checks an entry
//! with coded diagnostics; these types are its shape (see `request_entry.rs`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Dates on which a stop is closed or a unit does not run (inclusive).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DateRangeEntry {
    pub from: NaiveDate,
    /// The last date; `from` when absent (one day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub to: Option<NaiveDate>,
    /// Shown to staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub reason: Option<String>,
}

impl DateRangeEntry {
    /// The last date of the range.
    pub fn last(&self) -> NaiveDate {
        self.to.unwrap_or(self.from)
    }
}

/// How often a stop is visited: a weekly target and hard limits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitRuleEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub min_per_week: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub max_per_week: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub min_gap_days: Option<u32>,
    /// Weekday keys (`mon` … `sun`, `weekdays`, `daily`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub weekdays: Option<Vec<String>>,
}

/// A stop entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StopEntry {
    pub id: String,
    pub name: String,
    /// The name in kana, for search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub reading: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub district: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub address: Option<String>,
    /// WGS84 degrees.
    pub lon: f64,
    pub lat: f64,
    /// 中山間地域 (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub mountainous: Option<bool>,
    /// Opening windows by weekday key (`weekdays`, `daily`, `mon` … `sun`; single days
    /// override the groups).
    pub windows: BTreeMap<String, Vec<[String; 2]>>,
    /// The service kinds that can be given there.
    pub hosts: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub visit_rule: Option<VisitRuleEntry>,
    /// The shortest visit (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub min_stay_minutes: Option<u32>,
    /// Where the position and name come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub source: Option<String>,
    /// Dates the place cannot be used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub closed: Option<Vec<DateRangeEntry>>,
}

impl StopEntry {
    pub fn district_text(&self) -> &str {
        self.district.as_deref().unwrap_or_default()
    }

    pub fn is_mountainous(&self) -> bool {
        self.mountainous == Some(true)
    }

    /// The closed ranges (none when absent).
    pub fn closed_ranges(&self) -> &[DateRangeEntry] {
        self.closed.as_deref().unwrap_or_default()
    }

    /// The entry as the JSON the reader checks.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a stop entry is plain data")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_stop_reads_and_writes_the_documented_json_unchanged() {
        let documented = json!({ "id": "F006", "name": "小中集会所", "reading": "こなかしゅうかいじょ",
            "district": "東町", "address": "群馬県みどり市東町小中591-1",
            "lon": 139.338692, "lat": 36.535625, "mountainous": true,
            "windows": { "weekdays": [["09:30", "11:30"], ["13:30", "15:30"]], "wed": [] },
            "hosts": ["admin", "medical", "class"],
            "visit_rule": { "min_per_week": 1, "max_per_week": 3, "min_gap_days": 1, "weekdays": ["weekdays"] },
            "min_stay_minutes": 60, "source": "国土地理院 指定緊急避難場所データ",
            "closed": [{ "from": "2026-12-10", "reason": "地区の行事" }, { "from": "2026-12-24", "to": "2026-12-25" }] });
        let stop: StopEntry = serde_json::from_value(documented.clone()).unwrap();
        assert!(stop.is_mountainous());
        assert_eq!(stop.closed_ranges()[0].last(), stop.closed_ranges()[0].from, "one day when `to` is absent");
        assert_eq!(stop.to_value(), documented);
        let mut extra = documented;
        extra["colour"] = json!("red");
        assert!(serde_json::from_value::<StopEntry>(extra).is_err(), "unknown keys are refused");
    }
}
