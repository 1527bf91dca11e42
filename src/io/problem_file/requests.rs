//! Residents' requests: their place, service, dates and private contact data.

use junkai_solver::model::{Place, Request, WeekdaySet};
use junkai_solver::units::Seconds;
use serde_json::{Map, Value};

use super::entities::{Model, lookup, point};
use super::id_index;
use super::remote_staff::resolve_request_person;
use crate::calendar::Calendar;
use crate::diagnostics::Diagnostic;
use crate::io::json_reader::{Reader, field, index};

/// Private data of a request: stored and shown to the unit's crew, never published.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub note: String,
    /// A home visit's address (`home.address`), for the crew.
    #[serde(default)]
    pub address: String,
}

/// Why a request is not part of this horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutsideReason {
    /// Its latest date is before the horizon.
    Expired,
    /// Its earliest date is after the horizon.
    Later,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OutsideHorizon {
    pub id: String,
    pub reason: OutsideReason,
}

pub struct ParsedRequests {
    pub requests: Vec<Request>,
    pub contacts: Vec<Contact>,
    pub outside: Vec<OutsideHorizon>,
}

const FIELDS: &[&str] = &[
    "id",
    "kind",
    "stop",
    "home",
    "minutes",
    "earliest",
    "latest",
    "preferred_weekdays",
    "preferred_time",
    "priority",
    "resident",
    "note",
    "channel",
    "remote",
    "follow_up_of",
];

/// How a request came in: by phone, at a counter, or as an online application.
pub const CHANNELS: [&str; 3] = ["phone", "counter", "online"];

fn check_channel(reader: &mut Reader, map: &Map<String, Value>, path: &str) {
    let Some(v) = map.get("channel") else { return };
    let p = field(path, "channel");
    if let Some(name) = reader.text(v, &p)
        && !CHANNELS.contains(&name.as_str())
    {
        let known: Vec<String> = CHANNELS.iter().map(|c| c.to_string()).collect();
        reader.report(Diagnostic::unknown_reference(&p, "channel", &name, &known));
    }
}

fn contact(reader: &mut Reader, map: &Map<String, Value>, path: &str) -> Contact {
    let mut c = Contact { note: reader.opt_long_text(map, path, "note").unwrap_or_default(), ..Contact::default() };
    if let Some(v) = map.get("resident") {
        let p = field(path, "resident");
        if let Some(r) = reader.object(v, &p, &["name", "phone"]) {
            c.name = reader.opt_string(r, &p, "name").unwrap_or_default();
            c.phone = reader.opt_string(r, &p, "phone").unwrap_or_default();
        }
    }
    if let Some(home) = map.get("home").and_then(Value::as_object) {
        c.address = reader.opt_long_text(home, &field(path, "home"), "address").unwrap_or_default();
    }
    c
}

/// A request in the horizon, or the reason it is outside.
enum Parsed {
    Inside(Request, Contact),
    Outside(OutsideHorizon),
}

fn parse_one(reader: &mut Reader, v: &Value, path: &str, model: &Model, calendar: &Calendar) -> Option<Parsed> {
    let map = reader.object(v, path, FIELDS)?;
    check_channel(reader, map, path);
    if map.contains_key("follow_up_of") {
        reader.id_field(map, path, "follow_up_of");
    }
    let id = reader.id_field(map, path, "id");
    let kind = reader
        .required(map, path, "kind")
        .and_then(|k| lookup(reader, k, &field(path, "kind"), &model.kind_ids, "service kind"));
    let remote = resolve_request_person(reader, map, path, kind.and_then(|k| model.kind(k)), &model.remote);
    let place = match (map.get("stop"), map.get("home")) {
        (Some(_), Some(_)) | (None, None) => {
            reader.report(Diagnostic::place_ambiguous(path, map.contains_key("stop")));
            None
        }
        (Some(s), None) => lookup(reader, s, &field(path, "stop"), &model.stop_ids, "stop").map(Place::Stop),
        (None, Some(h)) => {
            let p = field(path, "home");
            reader.object(h, &p, &["lon", "lat", "address"]).and_then(|hm| point(reader, hm, &p)).map(Place::Home)
        }
    };
    let service = match map.get("minutes") {
        Some(m) => reader.integer(m, &field(path, "minutes"), 1, 8 * 60).map(|m| Some(Seconds::from_minutes(m))),
        None => Some(None),
    };
    let earliest = reader.required(map, path, "earliest").and_then(|d| reader.date(d, &field(path, "earliest")));
    let latest = reader.required(map, path, "latest").and_then(|d| reader.date(d, &field(path, "latest")));
    let preferred_weekdays = match map.get("preferred_weekdays") {
        Some(w) => reader.weekday_set(w, &field(path, "preferred_weekdays")),
        None => Some(WeekdaySet::ALL),
    };
    let preferred_time = match map.get("preferred_time") {
        Some(w) => reader.window(w, &field(path, "preferred_time")).map(Some),
        None => Some(None),
    };
    let priority = reader.integer_or(map, path, "priority", 3, 1, 5);
    let contact = contact(reader, map, path);

    let (id, kind, place, earliest, latest, remote) = (id?, kind?, place?, earliest?, latest?, remote?);
    if latest < earliest {
        reader.report(Diagnostic::dates_reversed(path, &earliest.to_string(), &latest.to_string()));
        return None;
    }
    if let Place::Stop(s) = place
        && let (Some(stop), Some(k)) = (model.stop(s), model.kind(kind))
        && !stop.hosts.contains(kind)
    {
        reader.report(Diagnostic::kind_not_hosted(&field(path, "kind"), &k.id, &stop.id));
        return None;
    }
    let (service, preferred_weekdays, preferred_time, priority) =
        (service?, preferred_weekdays?, preferred_time?, priority?);
    let first = calendar.ordinal_of(earliest);
    let last = calendar.ordinal_of(latest);
    let horizon_days = i64::from(calendar.weeks) * 7;
    if last < 0 {
        return Some(Parsed::Outside(OutsideHorizon { id, reason: OutsideReason::Expired }));
    }
    if first >= horizon_days {
        return Some(Parsed::Outside(OutsideHorizon { id, reason: OutsideReason::Later }));
    }
    let request = Request {
        id,
        kind,
        place,
        service: service.or(model.kind(kind).map(|k| k.default_service)).unwrap_or(Seconds::ZERO),
        earliest_day: first.max(0) as u32,
        latest_day: last.min(i64::from(u32::MAX)) as u32,
        preferred_weekdays,
        preferred_time,
        priority: priority as u8,
        remote,
    };
    Some(Parsed::Inside(request, contact))
}

pub fn parse_requests(reader: &mut Reader, values: &[Value], model: &Model, calendar: &Calendar) -> ParsedRequests {
    let mut out = ParsedRequests { requests: Vec::new(), contacts: Vec::new(), outside: Vec::new() };
    let mut ids = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let path = index("requests", i);
        match parse_one(reader, v, &path, model, calendar) {
            Some(Parsed::Inside(r, c)) => {
                ids.push((r.id.clone(), format!("{path}.id")));
                out.requests.push(r);
                out.contacts.push(c);
            }
            Some(Parsed::Outside(o)) => {
                ids.push((o.id.clone(), format!("{path}.id")));
                out.outside.push(o);
            }
            None => {}
        }
    }
    id_index(reader, &ids);
    out
}
