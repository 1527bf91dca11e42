//! Dates on which a unit is out of service (inspection, staff leave, breakdown) or a place
//! is closed (the hall is booked): lists of inclusive date ranges,
//! `[{"from": "2026-12-08", "to": "2026-12-09", "reason": "車検"}]`; `to` defaults to
//! `from` (one day). The solver sees the horizon's days they cover.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::calendar::Calendar;
use crate::diagnostics::Diagnostic;
use crate::io::json_reader::{Reader, field, index};

/// One range as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    /// Inclusive. Invariant: `from <= to`.
    pub to: NaiveDate,
    pub reason: String,
}

impl DateRange {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

fn parse_range(reader: &mut Reader, v: &Value, path: &str) -> Option<DateRange> {
    let map = reader.object(v, path, &["from", "to", "reason"])?;
    let from = reader.required(map, path, "from").and_then(|d| reader.date(d, &field(path, "from")))?;
    let to = match map.get("to") {
        Some(d) => reader.date(d, &field(path, "to"))?,
        None => from,
    };
    let reason = reader.opt_long_text(map, path, "reason").unwrap_or_default();
    if to < from {
        reader.report(Diagnostic::dates_reversed(path, &from.to_string(), &to.to_string()));
        return None;
    }
    Some(DateRange { from, to, reason })
}

/// The ranges of the optional list `key` of `map` (empty when absent); `None` if any is
/// invalid (the problems are reported).
pub fn parse_ranges(reader: &mut Reader, map: &Map<String, Value>, path: &str, key: &str) -> Option<Vec<DateRange>> {
    let Some(v) = map.get(key) else { return Some(Vec::new()) };
    let p = field(path, key);
    let items = reader.array(v, &p)?;
    let parsed: Vec<Option<DateRange>> =
        items.iter().enumerate().map(|(i, item)| parse_range(reader, item, &index(&p, i))).collect();
    parsed.into_iter().collect()
}

/// Ordinals of the horizon's open days that some range covers (sorted, distinct).
pub fn covered_days(ranges: &[DateRange], calendar: &Calendar) -> Vec<u32> {
    calendar
        .horizon
        .days
        .iter()
        .zip(&calendar.open_dates)
        .filter(|(_, date)| ranges.iter().any(|r| r.contains(**date)))
        .map(|(day, _)| day.ordinal)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CalendarSettings;
    use serde_json::json;

    fn ranges(v: Value) -> (Option<Vec<DateRange>>, Vec<String>) {
        let mut reader = Reader::default();
        let doc = json!({ "closed": v });
        let got = parse_ranges(&mut reader, doc.as_object().unwrap(), "stops[0]", "closed");
        (got, reader.diagnostics.iter().map(|d| d.code.as_str()).collect())
    }

    #[test]
    fn ranges_cover_the_open_days_between_their_dates() {
        let (got, problems) = ranges(json!([{ "from": "2026-12-08", "to": "2026-12-09" }, { "from": "2026-12-11" }]));
        assert!(problems.is_empty());
        let monday = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let calendar = Calendar::new(&CalendarSettings::default(), monday, 1).unwrap();
        assert_eq!(covered_days(&got.unwrap(), &calendar), vec![1, 2, 4]);
    }

    #[test]
    fn reversed_and_malformed_ranges_are_refused_with_their_codes() {
        assert_eq!(ranges(json!([{ "from": "2026-12-09", "to": "2026-12-08" }])).1, vec!["E1013"]);
        assert_eq!(ranges(json!([{ "to": "2026-12-08" }])).1, vec!["E1002"]);
        assert_eq!(ranges(json!([{ "from": "2026-13-01" }])).1, vec!["E1017"]);
        assert_eq!(ranges(json!([{ "from": "2026-12-01", "until": "x" }])).1, vec!["E1001"]);
        assert_eq!(ranges(json!("2026-12-01")).1, vec!["E1004"]);
    }
}
