//! Planned against actual for one month (and optionally one district): what the published
//! plans promised, and what the crews recorded ([`crate::io::crew_record`]).
//!
//! Definitions (docs/REPORT.md):
//! - requests received: requests whose `created_at` (JST date) is in the month; the online
//!   share is those with `channel: online` (target 30 %).
//! - planned bookings: requests in the month's planned visits; outcomes are each booking's
//!   latest recorded outcome, `unrecorded` the rest.
//! - waiting days: from the day a request was received to the day it was served (done).
//! - punctuality: a visit with a recorded arrival is on time when it arrived by the start
//!   of the window announced to residents, late when within the window, missed after it.
//! - unit hours and km: the planned routes (departure to return); the routes run are those
//!   with at least one recorded arrival; on-site time runs from the first arrival to the last
//!   departure of a route whose both ends were recorded, against the plan's same span.
//! - mountain stops: distinct stops marked mountainous, planned and with an arrival.
//! - class attendance: recorded attendance; cumulative over the fiscal year (April–March)
//!   against 300 a year.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::crew_record::{Field, Outcome, Slot, StoredEntry, current};

/// Class participants a year (the city's KPI).
pub const CLASS_TARGET_PER_YEAR: u32 = 300;
/// Share of applications made online (the city's KPI).
pub const ONLINE_TARGET: f64 = 0.30;

/// The parts of a published `plan.json` the report reads.
#[derive(Clone, Debug, Deserialize)]
pub struct PlanDays {
    pub days: Vec<PlanDay>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PlanDay {
    pub date: NaiveDate,
    pub routes: Vec<PlanRoute>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PlanRoute {
    pub vehicle_id: String,
    pub departure: String,
    pub return_time: String,
    pub distance_km: f64,
    pub visits: Vec<PlanVisit>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PlanVisit {
    pub stop_id: Option<String>,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub mountainous: bool,
    pub arrival: String,
    pub end: String,
    pub published: (String, String),
    /// `(kind id, kind name)` of the visit's class.
    pub class: Option<(String, String)>,
    pub requests: Vec<PlanRequest>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PlanRequest {
    pub id: String,
    pub kind: String,
    #[serde(default)]
    pub kind_name: String,
}

/// A stored request as the report needs it: nothing personal.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestFact {
    pub id: String,
    pub received: NaiveDate,
    pub online: bool,
    /// The district of its stop ("" for a home visit).
    pub district: String,
    /// A follow-up of an earlier request (`follow_up_of`): booked again, not received anew.
    pub follow_up: bool,
}

/// How many visits arrived on time, late (within the announced window) or after it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Punctuality {
    pub recorded: u32,
    pub on_time: u32,
    pub late_in_window: u32,
    pub after_window: u32,
    /// Minutes after the window's start, by bucket: ≤0, 1–5, 6–15, 16–30, >30.
    pub delay_buckets: [u32; 5],
}

/// One row of the open-data file: per district and service kind, no personal data.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OpenDataRow {
    pub month: String,
    pub district: String,
    pub kind: String,
    pub kind_name: String,
    /// Visits with a recorded arrival that served this kind.
    pub visits: u32,
    /// Bookings of this kind recorded as done.
    pub served: u32,
    /// Class participants recorded.
    pub participants: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MonthReport {
    pub month: String,
    pub district: Option<String>,
    pub requests_received: u32,
    pub online_received: u32,
    pub bookings_planned: u32,
    pub done: u32,
    pub no_show: u32,
    pub cancelled: u32,
    pub postponed: u32,
    pub unrecorded: u32,
    pub mean_waiting_days: Option<f64>,
    pub visits_planned: u32,
    pub punctuality: Punctuality,
    pub routes_planned: u32,
    pub routes_run: u32,
    pub unit_hours_planned: f64,
    pub km_planned: f64,
    pub km_run: f64,
    /// First arrival to last departure of the routes recorded at both ends, in hours.
    pub on_site_hours_planned: f64,
    pub on_site_hours_recorded: f64,
    pub mountain_stops_planned: u32,
    pub mountain_stops_visited: u32,
    pub class_participants: u32,
    /// Cumulative participants of the fiscal year, per month from April (`YYYY-MM`).
    pub class_cumulative: Vec<(String, u32)>,
    pub open_data: Vec<OpenDataRow>,
}

impl MonthReport {
    pub fn online_share(&self) -> Option<f64> {
        (self.requests_received > 0).then(|| f64::from(self.online_received) / f64::from(self.requests_received))
    }

    pub fn on_time_share(&self) -> Option<f64> {
        let p = &self.punctuality;
        (p.recorded > 0).then(|| f64::from(p.on_time) / f64::from(p.recorded))
    }
}

/// The first day of the fiscal year (April) that `month` (its first day) is in.
pub fn fiscal_start(month: NaiveDate) -> NaiveDate {
    let year = if month.month() >= 4 { month.year() } else { month.year() - 1 };
    NaiveDate::from_ymd_opt(year, 4, 1).expect("April the first")
}

/// The last day of the month that starts on `first`.
pub fn month_end(first: NaiveDate) -> NaiveDate {
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).expect("a valid month")
}

fn minutes(hhmm: &str) -> Option<i64> {
    NaiveTime::parse_from_str(hhmm, "%H:%M").ok().map(|t| i64::from(t.num_seconds_from_midnight()) / 60)
}

fn hours_between(from: &str, to: &str) -> f64 {
    match (minutes(from), minutes(to)) {
        (Some(a), Some(b)) if b >= a => (b - a) as f64 / 60.0,
        _ => 0.0,
    }
}

/// What the report is computed from.
pub struct ReportInput<'a> {
    /// The month's first day.
    pub month: NaiveDate,
    pub district: Option<&'a str>,
    /// The planned day of each date of the month (from the plan published for it).
    pub days: &'a [PlanDay],
    /// The crews' entries from the fiscal year's start to the month's end.
    pub entries: &'a [StoredEntry],
    pub requests: &'a [RequestFact],
}

/// The current value of each recorded slot of the month's days.
type Values<'a> = BTreeMap<Slot, &'a StoredEntry>;

fn value<'a>(values: &'a Values, date: &str, unit: &str, order: usize, field: Field, request: &str) -> Option<&'a str> {
    let slot = Slot { date: date.into(), unit_id: unit.into(), stop_order: order, field, request_id: request.into() };
    values.get(&slot).map(|e| e.entry.value.as_str())
}

pub fn month_report(input: &ReportInput) -> MonthReport {
    let end = month_end(input.month);
    let in_month = |d: NaiveDate| d >= input.month && d <= end;
    let in_district = |d: &str| input.district.is_none_or(|x| x == d);
    let values = current(input.entries);
    let mut r = MonthReport {
        month: input.month.format("%Y-%m").to_string(),
        district: input.district.map(str::to_string),
        ..MonthReport::default()
    };
    for q in input.requests.iter().filter(|q| !q.follow_up && in_month(q.received) && in_district(&q.district)) {
        r.requests_received += 1;
        r.online_received += u32::from(q.online);
    }
    let received: BTreeMap<&str, NaiveDate> = input.requests.iter().map(|q| (q.id.as_str(), q.received)).collect();
    let mut waits = Vec::new();
    let (mut mountain_planned, mut mountain_visited) = (BTreeSet::new(), BTreeSet::new());
    let mut open: BTreeMap<(String, String), OpenDataRow> = BTreeMap::new();
    for day in input.days.iter().filter(|d| in_month(d.date)) {
        let date = day.date.to_string();
        for route in &day.routes {
            let unit = route.vehicle_id.as_str();
            let visits: Vec<(usize, &PlanVisit)> = route
                .visits
                .iter()
                .enumerate()
                .map(|(i, v)| (i + 1, v))
                .filter(|(_, v)| in_district(&v.district))
                .collect();
            if visits.is_empty() {
                continue;
            }
            r.routes_planned += 1;
            r.unit_hours_planned += hours_between(&route.departure, &route.return_time);
            r.km_planned += route.distance_km;
            let arrived = |order: usize| value(&values, &date, unit, order, Field::Arrival, "");
            if visits.iter().any(|(o, _)| arrived(*o).is_some()) {
                r.routes_run += 1;
                r.km_run += route.distance_km;
            }
            on_site(&mut r, &values, &date, unit, &visits);
            for &(order, v) in &visits {
                r.visits_planned += 1;
                let arrival = arrived(order);
                if v.mountainous
                    && let Some(id) = &v.stop_id
                {
                    mountain_planned.insert(id.clone());
                    if arrival.is_some() {
                        mountain_visited.insert(id.clone());
                    }
                }
                if let Some(a) = arrival {
                    punctual(&mut r.punctuality, a, &recorded_window(&values, &date, unit, order, v));
                }
                let mut kinds_served: BTreeMap<&str, &str> = BTreeMap::new();
                for q in &v.requests {
                    r.bookings_planned += 1;
                    let outcome = value(&values, &date, unit, order, Field::Outcome, &q.id).and_then(Outcome::parse);
                    match outcome {
                        Some(Outcome::Done) => {
                            r.done += 1;
                            if let Some(got) = received.get(q.id.as_str()) {
                                waits.push((day.date - *got).num_days() as f64);
                            }
                            open_row(&mut open, &r.month, &v.district, &q.kind, &q.kind_name).served += 1;
                        }
                        Some(Outcome::NoShow) => r.no_show += 1,
                        Some(Outcome::Cancelled) => r.cancelled += 1,
                        Some(Outcome::Postponed) => r.postponed += 1,
                        None => r.unrecorded += 1,
                    }
                    kinds_served.entry(&q.kind).or_insert(&q.kind_name);
                }
                if let Some((kind, name)) = &v.class {
                    kinds_served.insert(kind, name);
                    let count =
                        value(&values, &date, unit, order, Field::Attendance, "").and_then(|c| c.parse::<u32>().ok());
                    r.class_participants += count.unwrap_or(0);
                    open_row(&mut open, &r.month, &v.district, kind, name).participants += count.unwrap_or(0);
                }
                if arrival.is_some() {
                    for (kind, name) in &kinds_served {
                        open_row(&mut open, &r.month, &v.district, kind, name).visits += 1;
                    }
                }
            }
        }
    }
    r.mean_waiting_days = (!waits.is_empty()).then(|| waits.iter().sum::<f64>() / waits.len() as f64);
    r.mountain_stops_planned = mountain_planned.len() as u32;
    r.mountain_stops_visited = mountain_visited.len() as u32;
    r.open_data = open.into_values().collect();
    r.class_cumulative = class_cumulative(input, &values);
    r
}

/// The announced window kept with the arrival entry (what was promised when it was recorded).
fn recorded_window(values: &Values, date: &str, unit: &str, order: usize, v: &PlanVisit) -> (String, String) {
    let slot = Slot {
        date: date.into(),
        unit_id: unit.into(),
        stop_order: order,
        field: Field::Arrival,
        request_id: String::new(),
    };
    values.get(&slot).map(|e| e.published.clone()).unwrap_or_else(|| v.published.clone())
}

fn punctual(p: &mut Punctuality, arrival: &str, window: &(String, String)) {
    let (Some(a), Some(from), Some(to)) = (minutes(arrival), minutes(&window.0), minutes(&window.1)) else { return };
    p.recorded += 1;
    let delay = a - from;
    if delay <= 0 {
        p.on_time += 1;
    } else if a <= to {
        p.late_in_window += 1;
    } else {
        p.after_window += 1;
    }
    let bucket = match delay {
        ..=0 => 0,
        1..=5 => 1,
        6..=15 => 2,
        16..=30 => 3,
        _ => 4,
    };
    p.delay_buckets[bucket] += 1;
}

/// Adds the on-site span of a route recorded at both ends (first arrival, last departure).
fn on_site(r: &mut MonthReport, values: &Values, date: &str, unit: &str, visits: &[(usize, &PlanVisit)]) {
    let (Some((first, fv)), Some((last, lv))) = (visits.first(), visits.last()) else { return };
    let arrived = value(values, date, unit, *first, Field::Arrival, "");
    let left = value(values, date, unit, *last, Field::Departure, "");
    if let (Some(a), Some(d)) = (arrived, left) {
        r.on_site_hours_recorded += hours_between(a, d);
        r.on_site_hours_planned += hours_between(&fv.arrival, &lv.end);
    }
}

fn open_row<'a>(
    open: &'a mut BTreeMap<(String, String), OpenDataRow>,
    month: &str,
    district: &str,
    kind: &str,
    kind_name: &str,
) -> &'a mut OpenDataRow {
    open.entry((district.to_string(), kind.to_string())).or_insert_with(|| OpenDataRow {
        month: month.to_string(),
        district: district.to_string(),
        kind: kind.to_string(),
        kind_name: kind_name.to_string(),
        visits: 0,
        served: 0,
        participants: 0,
    })
}

/// Recorded class participants from April to the report's month, cumulative per month.
/// Attendance counts where the plan of its day has a class at that visit (in the district).
fn class_cumulative(input: &ReportInput, values: &Values) -> Vec<(String, u32)> {
    let in_district = |d: &str| input.district.is_none_or(|x| x == d);
    let start = fiscal_start(input.month);
    let mut per_month: BTreeMap<String, u32> = BTreeMap::new();
    let mut month = start;
    while month <= input.month {
        per_month.insert(month.format("%Y-%m").to_string(), 0);
        month = month_end(month).succ_opt().expect("a next month");
    }
    let class_visit = |date: &str, unit: &str, order: usize| {
        let day = input.days.iter().find(|d| d.date.to_string() == date)?;
        let route = day.routes.iter().find(|r| r.vehicle_id == unit)?;
        route.visits.get(order.checked_sub(1)?).filter(|v| v.class.is_some())
    };
    for (slot, e) in values.iter().filter(|(s, _)| s.field == Field::Attendance) {
        let key = slot.date.get(..7).unwrap_or_default();
        let counts = class_visit(&slot.date, &slot.unit_id, slot.stop_order).is_some_and(|v| in_district(&v.district));
        if let (Some(total), true) = (per_month.get_mut(key), counts) {
            *total += e.entry.value.parse::<u32>().unwrap_or(0);
        }
    }
    let mut running = 0;
    per_month
        .into_iter()
        .map(|(m, n)| {
            running += n;
            (m, running)
        })
        .collect()
}
