//! The junkai problem format, version 1 (`docs/format.md`): JSON files converted into a
//! validated [`Dataset`] — the solver's [`Problem`] plus what only the application needs
//! (dates, display names, private contact data, credits).
//!
//! Conversion reads everything and reports every problem at once, each as a coded
//! [`Diagnostic`] with its JSON path; it never panics on any input.

mod availability;
mod changes;
mod document_edits;
mod entities;
mod named;
mod remote_staff;
mod request_entry;
mod requests;
mod stop_entry;
mod unit_entry;

use std::collections::HashMap;

use chrono::NaiveDate;
use junkai_solver::matrix::GreatCircleConfig;
use junkai_solver::model::{Horizon, Problem, ProblemParts};
use serde_json::Value;

use super::json_reader::{Reader, field, index};
use crate::calendar::{Calendar, CalendarSettings, next_monday};
use crate::diagnostics::Diagnostic;
pub use changes::RequestChanges;
pub use entities::{DepotInfo, KindInfo, StopInfo};
pub use named::{Named, name_of, names_in};
pub use request_entry::{Channel, Home, RequestEntry, RequestSummary, Resident};
pub use requests::{Contact, OutsideHorizon, OutsideReason};
pub use stop_entry::{DateRangeEntry, StopEntry, VisitRuleEntry};
pub use unit_entry::{CapacityEntry, LunchEntry, UnitEntry};

/// Value of the `format` field of a problem file.
pub const FORMAT: &str = "junkai-problem";
/// Value of the `format` field of a requests file.
pub const REQUESTS_FORMAT: &str = "junkai-requests";
pub const VERSION: i64 = 1;

/// The JSON documents of one data set, each with a label for paths in messages.
pub struct Documents {
    pub problem: (String, Value),
    /// A separate requests file, if the data folder has one.
    pub requests: Option<(String, Value)>,
    /// Requests added or cancelled on top of these documents.
    pub changes: RequestChanges,
    /// What the service's calendar has announced around and within the plan.
    pub announced: Announcements,
}

/// What is announced that a plan must respect (the service's calendar; empty elsewhere).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Announcements {
    /// Visits at stops outside what is planned: they count toward each stop's visit rule
    /// ([`junkai_solver::model::Stop::fixed_visits`]).
    pub visits: Vec<AnnouncedVisit>,
    /// Dates whose announced visits stay as they are: no new visit goes there
    /// ([`junkai_solver::model::Horizon::frozen`]).
    pub locked: Vec<NaiveDate>,
}

impl Documents {
    /// A problem document (named by `label`) and an optional requests document, nothing on top.
    pub fn new(problem: (String, Value), requests: Option<(String, Value)>) -> Documents {
        Documents { problem, requests, changes: RequestChanges::default(), announced: Announcements::default() }
    }
}

/// The calendar's horizon as the plan sees it: in the service (`from_today`), nothing new
/// before today; nothing new on the `locked` dates.
fn horizon_of(calendar: &Calendar, choice: HorizonChoice, locked: &[NaiveDate]) -> Horizon {
    let days_total = i64::from(calendar.weeks) * 7;
    let today = if choice.from_today { calendar.ordinal_of(choice.today).clamp(0, days_total) } else { 0 };
    let mut frozen: Vec<u32> = locked.iter().filter_map(|d| u32::try_from(calendar.ordinal_of(*d)).ok()).collect();
    frozen.sort_unstable();
    frozen.dedup();
    Horizon { first_open: u32::try_from(today).unwrap_or(0), frozen, ..calendar.horizon.clone() }
}

/// A visit to a stop that is announced and not the plan's to decide.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnouncedVisit {
    pub stop_id: String,
    pub date: NaiveDate,
}

/// Which weeks to plan, as asked on the command line; unset values come from the file's
/// `calendar.week` / `calendar.weeks`, then default to the week after `today` and one week.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HorizonChoice {
    /// Any date in the first week.
    pub week_of: Option<NaiveDate>,
    pub weeks: Option<u32>,
    /// Today's date in Japan, from the caller's clock ([`crate::clock::Clock`]).
    pub today: NaiveDate,
    /// In the rolling operation (the service), no new visit goes before `today`: those
    /// days have passed. `false` plans every day of the horizon (a study of any week).
    pub from_today: bool,
}

impl HorizonChoice {
    /// The file's horizon, else next week from `today`.
    pub fn from_file(today: NaiveDate) -> HorizonChoice {
        HorizonChoice { week_of: None, weeks: None, today, from_today: false }
    }

    /// The given weeks, every day of them planned.
    pub fn weeks(week_of: Option<NaiveDate>, weeks: Option<u32>, today: NaiveDate) -> HorizonChoice {
        HorizonChoice { week_of, weeks, today, from_today: false }
    }

    /// The same weeks, with no new visit before today (the service's plans).
    pub fn from_today(self) -> HorizonChoice {
        HorizonChoice { from_today: true, ..self }
    }
}

/// Seeded sample requests to generate when a data set has no requests of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampleSpec {
    pub seed: u64,
    pub per_week: u32,
}

/// A loaded, validated data set for one horizon.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub name: String,
    pub credits: Vec<String>,
    pub problem: Problem,
    pub travel: GreatCircleConfig,
    pub calendar: Calendar,
    pub kinds: Vec<KindInfo>,
    pub depots: Vec<DepotInfo>,
    pub stops: Vec<StopInfo>,
    /// Private data of each request of `problem`, same order. Never published.
    pub contacts: Vec<Contact>,
    /// Whether the requests are generated sample data.
    pub sample_requests: bool,
    /// Requests whose dates do not meet the horizon.
    pub outside_horizon: Vec<OutsideHorizon>,
    /// Road network to use for travel times and maps, if any.
    pub roads: Option<RoadsRef>,
}

const TOP_FIELDS: &[&str] = &[
    "format",
    "version",
    "name",
    "credits",
    "calendar",
    "travel",
    "equipment",
    "service_kinds",
    "depots",
    "vehicles",
    "stops",
    "remote_staff",
    "session_buffer_minutes",
    "requests",
    "sample_requests",
    "notes",
    "roads",
];

/// Default largest distance from a place to the road it snaps to.
pub const DEFAULT_MAX_SNAP_M: f64 = 500.0;

/// The road network a data set names (a file made by `junkai roads import`).
#[derive(Clone, Debug, PartialEq)]
pub struct RoadsRef {
    /// As written in the file (relative paths are relative to the data folder).
    pub file: String,
    pub max_snap_m: f64,
}

/// Index of every id in a list, reporting duplicates.
fn id_index(reader: &mut Reader, ids: &[(String, String)]) -> HashMap<String, usize> {
    let mut map: HashMap<String, usize> = HashMap::new();
    for (i, (id, path)) in ids.iter().enumerate() {
        if let Some(&first) = map.get(id) {
            reader.report(Diagnostic::duplicate_id(path, id, &ids[first].1));
        } else {
            map.insert(id.clone(), i);
        }
    }
    map
}

fn check_format(reader: &mut Reader, top: &serde_json::Map<String, Value>, expected: &str) {
    match top.get("format").and_then(Value::as_str) {
        Some(f) if f == expected => {}
        Some(f) => {
            reader.report(Diagnostic::bad_format("format", f, [&format!("「{expected}」"), &format!("\"{expected}\"")]))
        }
        None => reader.report(Diagnostic::missing_field("", "format")),
    }
    if let Some(v) = reader.required(top, "", "version")
        && let Some(n) = v.as_i64().filter(|&n| n != VERSION)
    {
        reader.report(Diagnostic::bad_format(
            "version",
            &n.to_string(),
            [&format!("「{VERSION}」"), &format!("version {VERSION}")],
        ));
    }
}

/// Calendar settings and the horizon the file asks for (if any).
fn parse_calendar(reader: &mut Reader, v: Option<&Value>, today: NaiveDate) -> (CalendarSettings, HorizonChoice) {
    let mut settings = CalendarSettings::default();
    let mut choice = HorizonChoice::from_file(today);
    let Some(v) = v else { return (settings, choice) };
    let path = "calendar";
    let keys = ["week", "weeks", "open_weekdays", "annual_closures", "closures", "national_holidays"];
    let Some(map) = reader.object(v, path, &keys) else {
        return (settings, choice);
    };
    if let Some(v) = map.get("week") {
        choice.week_of = reader.date(v, &field(path, "week"));
    }
    if let Some(v) = map.get("weeks") {
        choice.weeks = reader.integer(v, &field(path, "weeks"), i64::MIN, i64::MAX).map(|w| w.clamp(0, 1000) as u32);
    }
    if let Some(v) = map.get("open_weekdays")
        && let Some(set) = reader.weekday_set(v, &field(path, "open_weekdays"))
    {
        settings.open_weekdays = set;
    }
    if let Some(v) = map.get("national_holidays")
        && let Some(b) = reader.boolean(v, &field(path, "national_holidays"))
    {
        settings.national_holidays = b;
    }
    if let Some(v) = map.get("closures") {
        let p = field(path, "closures");
        let items = reader.array(v, &p).unwrap_or_default();
        settings.closures = items.iter().enumerate().filter_map(|(i, d)| reader.date(d, &index(&p, i))).collect();
    }
    if let Some(v) = map.get("annual_closures") {
        let p = field(path, "annual_closures");
        settings.annual_closures.clear();
        for (i, item) in reader.array(v, &p).unwrap_or_default().iter().enumerate() {
            let pi = index(&p, i);
            let pair = reader.array(item, &pi).unwrap_or_default();
            let parsed: Vec<Option<(u32, u32)>> = pair
                .iter()
                .enumerate()
                .map(|(j, md)| {
                    let s = md.as_str().unwrap_or_default();
                    let ok = NaiveDate::parse_from_str(&format!("2024-{s}"), "%Y-%m-%d").ok();
                    if ok.is_none() {
                        reader.report(Diagnostic::bad_date(&index(&pi, j), s));
                    }
                    ok.map(|d| (chrono::Datelike::month(&d), chrono::Datelike::day(&d)))
                })
                .collect();
            match parsed.as_slice() {
                [Some(a), Some(b)] => settings.annual_closures.push((*a, *b)),
                [_, _] => {}
                _ => reader.report(Diagnostic::wrong_type(
                    &pi,
                    ["2つの日付 [\"MM-DD\", \"MM-DD\"]", "a pair [\"MM-DD\", \"MM-DD\"]"],
                    ["別のリスト", "another list"],
                )),
            }
        }
    }
    (settings, choice)
}

fn parse_travel(reader: &mut Reader, v: Option<&Value>) -> GreatCircleConfig {
    let mut cfg = GreatCircleConfig::default();
    let Some(v) = v else { return cfg };
    let keys = ["detour_factor", "speed_kmh", "mountain_detour_factor", "mountain_speed_kmh"];
    let Some(map) = reader.object(v, "travel", &keys) else { return cfg };
    let mut get = |key: &str, min: f64, max: f64, slot: &mut f64| {
        if let Some(x) = map.get(key).and_then(|v| reader.number(v, &field("travel", key), min, max)) {
            *slot = x;
        }
    };
    get("detour_factor", 1.0, 5.0, &mut cfg.detour_factor);
    get("speed_kmh", 1.0, 120.0, &mut cfg.speed_kmh);
    get("mountain_detour_factor", 1.0, 5.0, &mut cfg.mountain_detour_factor);
    get("mountain_speed_kmh", 1.0, 120.0, &mut cfg.mountain_speed_kmh);
    cfg
}

fn parse_roads(reader: &mut Reader, v: Option<&Value>) -> Option<RoadsRef> {
    let map = reader.object(v?, "roads", &["file", "max_snap_m"])?;
    let file = reader.text_field(map, "roads", "file")?;
    let max_snap_m = match map.get("max_snap_m") {
        Some(m) => reader.number(m, "roads.max_snap_m", 1.0, 100_000.0)?,
        None => DEFAULT_MAX_SNAP_M,
    };
    Some(RoadsRef { file, max_snap_m })
}

fn parse_sample(reader: &mut Reader, v: Option<&Value>) -> Option<SampleSpec> {
    let v = v?;
    let map = reader.object(v, "sample_requests", &["seed", "per_week"])?;
    let seed = reader.integer_or(map, "sample_requests", "seed", 1, 0, i64::MAX)?;
    let per_week = reader.integer_or(map, "sample_requests", "per_week", 30, 0, 2000)?;
    Some(SampleSpec { seed: seed as u64, per_week: per_week as u32 })
}

/// Converts the documents into a data set for the chosen horizon. `sample` generates the
/// sample requests when the documents hold none (see [`crate::sample`]).
pub fn parse(docs: &Documents, choice: HorizonChoice) -> Result<Dataset, Vec<Diagnostic>> {
    let mut reader = Reader::default();
    let (problem_label, problem_doc) = &docs.problem;
    let Some(top) = reader.object(problem_doc, "", TOP_FIELDS) else {
        return Err(label_all(reader.diagnostics, problem_label));
    };
    check_format(&mut reader, top, FORMAT);
    let name = top.get("name").and_then(|v| reader.text(v, "name")).unwrap_or_else(|| "junkai".into());
    let credits = match top.get("credits") {
        Some(v) => reader
            .array(v, "credits")
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter_map(|(i, c)| reader.text(c, &index("credits", i)))
            .collect(),
        None => Vec::new(),
    };
    let (settings, in_file) = parse_calendar(&mut reader, top.get("calendar"), choice.today);
    let travel = parse_travel(&mut reader, top.get("travel"));
    let sample = parse_sample(&mut reader, top.get("sample_requests"));
    let roads = parse_roads(&mut reader, top.get("roads"));
    let week_of = choice.week_of.or(in_file.week_of).unwrap_or_else(|| next_monday(choice.today));
    let weeks = choice.weeks.or(in_file.weeks).unwrap_or(1);
    let calendar = Calendar::new(&settings, week_of, weeks).map_err(|d| {
        let d = if choice.week_of.is_none() && choice.weeks.is_none() { d.in_file(problem_label) } else { d };
        let mut all = label_all(reader.diagnostics.clone(), problem_label);
        all.push(d);
        all
    })?;
    let model = entities::parse_entities(&mut reader, top, &calendar);
    let session_buffer = remote_staff::parse_session_buffer(&mut reader, top);
    let mut diagnostics = label_all(std::mem::take(&mut reader.diagnostics), problem_label);

    // Requests: from the requests file, from the problem file, or generated samples.
    let (request_values, requests_label, sample_requests) = match (&docs.requests, top.get("requests")) {
        (Some((label, doc)), _) => {
            let list = requests_list(&mut reader, doc);
            diagnostics.extend(label_all(std::mem::take(&mut reader.diagnostics), label));
            let is_sample = doc.get("sample").and_then(Value::as_bool).unwrap_or(false);
            (list, label.clone(), is_sample)
        }
        (None, Some(v)) => {
            (reader.array(v, "requests").map(<[Value]>::to_vec).unwrap_or_default(), problem_label.clone(), false)
        }
        (None, None) => match (sample, model.stops_and_kinds()) {
            (Some(spec), Some((stops, kinds))) => {
                let remote: Vec<_> = model.remote.people.iter().flatten().cloned().collect();
                (crate::sample::generate(&stops, &kinds, &remote, &calendar, spec), "sample".to_string(), true)
            }
            _ => (Vec::new(), problem_label.clone(), false),
        },
    };
    let mut parsed = requests::parse_requests(&mut reader, &request_values, &model, &calendar);
    diagnostics.extend(label_all(std::mem::take(&mut reader.diagnostics), &requests_label));
    diagnostics.extend(docs.changes.apply(&mut parsed, &model, &calendar));

    let (Some(model), Some(session_buffer)) = (model.complete().filter(|_| diagnostics.is_empty()), session_buffer)
    else {
        return Err(diagnostics);
    };
    let mut stops = model.stops;
    for visit in &docs.announced.visits {
        if let Some(stop) = stops.iter_mut().find(|s| s.id == visit.stop_id) {
            stop.fixed_visits.push(calendar.ordinal_of(visit.date));
        }
    }
    stops.iter_mut().for_each(|s| s.fixed_visits.sort_unstable());
    let parts = ProblemParts {
        equipment: model.equipment,
        kinds: model.kinds,
        depots: model.depots,
        stops,
        vehicles: model.vehicles,
        requests: parsed.requests,
        horizon: horizon_of(&calendar, choice, &docs.announced.locked),
        remote: model.remote,
        session_buffer,
    };
    let problem = Problem::new(parts).map_err(|e| {
        vec![Diagnostic::bad_format(
            &e.path,
            &e.cause,
            ["正しいデータ（これは不具合です。報告してください）", "valid data (this is a bug: please report it)"],
        )]
    })?;
    Ok(Dataset {
        name,
        credits,
        problem,
        travel,
        calendar,
        kinds: model.kind_info,
        depots: model.depot_info,
        stops: model.stop_info,
        contacts: parsed.contacts,
        sample_requests,
        outside_horizon: parsed.outside,
        roads,
    })
}

/// The `requests` list of a requests file (checking its header).
fn requests_list(reader: &mut Reader, doc: &Value) -> Vec<Value> {
    let Some(top) = reader.object(doc, "", &["format", "version", "sample", "note", "requests"]) else {
        return Vec::new();
    };
    check_format(reader, top, REQUESTS_FORMAT);
    match reader.required(top, "", "requests") {
        Some(v) => reader.array(v, "requests").map(<[Value]>::to_vec).unwrap_or_default(),
        None => Vec::new(),
    }
}

fn label_all(diagnostics: Vec<Diagnostic>, label: &str) -> Vec<Diagnostic> {
    diagnostics.into_iter().map(|d| d.in_file(label)).collect()
}
