//! Remote staff of a problem file (`remote_staff`, `session_buffer_minutes`): doctors,
//! pharmacists and counsellors who join visits by video, with their weekly online hours,
//! days off and sessions at once; and the checks that tie them to service kinds and
//! requests (E1028, E1029).

use std::collections::HashMap;

use junkai_solver::model::{RemoteResource, ServiceKind};
use serde_json::{Map, Value};

use super::availability::{covered_days, parse_ranges};
use super::entities::{list_or_empty, lookup, raw_ids};
use super::id_index;
use crate::calendar::Calendar;
use crate::diagnostics::Diagnostic;
use crate::io::json_reader::{Reader, field, index};

/// The remote staff by file position (`None` where an entry is broken), with the id index.
pub struct RemoteStaff {
    pub people: Vec<Option<RemoteResource>>,
    pub ids: HashMap<String, usize>,
}

const FIELDS: [&str; 8] = ["id", "name", "kind", "organisation", "contact", "hours", "days_off", "concurrent"];

/// Reads `remote_staff` (optional; none when absent).
pub fn parse_remote_staff(reader: &mut Reader, top: &Map<String, Value>, calendar: &Calendar) -> RemoteStaff {
    let items = list_or_empty(reader, top, "remote_staff");
    let ids = id_index(reader, &raw_ids(items, "remote_staff"));
    let people =
        items.iter().enumerate().map(|(i, v)| parse_person(reader, v, &index("remote_staff", i), calendar)).collect();
    RemoteStaff { people, ids }
}

fn parse_person(reader: &mut Reader, v: &Value, path: &str, calendar: &Calendar) -> Option<RemoteResource> {
    let map = reader.object(v, path, &FIELDS)?;
    let id = reader.id_field(map, path, "id");
    let name = reader.text_field(map, path, "name");
    let kind = reader.id_field(map, path, "kind");
    let organisation = reader.opt_string(map, path, "organisation").unwrap_or_default();
    let contact = reader.opt_long_text(map, path, "contact").unwrap_or_default();
    let hours = reader.required(map, path, "hours").and_then(|h| reader.windows_by_weekday(h, &field(path, "hours")));
    let hours = hours.filter(|h| {
        let works = h.iter().any(|day| !day.is_empty());
        if !works {
            reader.report(Diagnostic::no_hours(&field(path, "hours")));
        }
        works
    });
    let days_off = parse_ranges(reader, map, path, "days_off");
    let concurrent = reader.integer_or(map, path, "concurrent", 1, 1, 20);
    Some(RemoteResource {
        id: id?,
        name: name?,
        kind: kind?,
        organisation,
        contact,
        hours: hours?,
        days_off: covered_days(&days_off?, calendar),
        concurrent: concurrent? as u32,
    })
}

/// `session_buffer_minutes`: time kept free after each session of one person (default 0).
pub fn parse_session_buffer(reader: &mut Reader, top: &Map<String, Value>) -> Option<junkai_solver::units::Seconds> {
    reader.integer_or(top, "", "session_buffer_minutes", 0, 0, 120).map(junkai_solver::units::Seconds::from_minutes)
}

/// A service kind's `remote_kind` must be the kind of some person of `remote_staff`.
pub fn check_kinds(reader: &mut Reader, kinds: &[Option<(ServiceKind, super::KindInfo)>], staff: &RemoteStaff) {
    let mut known: Vec<String> = staff.people.iter().flatten().map(|x| x.kind.clone()).collect();
    known.sort();
    known.dedup();
    for (i, (kind, _)) in kinds.iter().enumerate().filter_map(|(i, k)| Some((i, k.as_ref()?))) {
        let Some(wanted) = &kind.remote_kind else { continue };
        let path = field(&index("service_kinds", i), "remote_kind");
        if kind.class.is_some() {
            reader.report(Diagnostic::remote_mismatch(&path, wanted, None));
        } else if !known.contains(wanted) {
            reader.report(Diagnostic::no_remote_staff(&path, wanted, &known));
        }
    }
}

/// A request's `remote` (its own doctor): a person of the kind its service needs.
pub fn resolve_request_person(
    reader: &mut Reader,
    map: &Map<String, Value>,
    path: &str,
    kind: Option<&ServiceKind>,
    staff: &RemoteStaff,
) -> Option<Option<usize>> {
    let Some(v) = map.get("remote") else { return Some(None) };
    let p = field(path, "remote");
    let person = lookup(reader, v, &p, &staff.ids, "remote staff")?;
    let (Some(kind), Some(Some(x))) = (kind, staff.people.get(person)) else { return Some(Some(person)) };
    let wrong = kind.class.is_some() || kind.remote_kind.as_ref().is_some_and(|k| k != &x.kind);
    if wrong {
        reader.report(Diagnostic::remote_mismatch(&p, &x.kind, Some(&kind.id)));
        return None;
    }
    Some(Some(person))
}
