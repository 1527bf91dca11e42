//! Equipment, service kinds, depots, vehicles and stops of a problem file.

use std::collections::HashMap;

use junkai_solver::model::{
    BreakRule, ClassSpec, Depot, EquipmentSet, KindSet, Point, RemoteResource, ServiceKind, Stop, Vehicle, VisitRule,
    Weekday, WeekdaySet,
};
use junkai_solver::units::{Seconds, TimeWindow};
use serde_json::{Map, Value};

use super::availability::{covered_days, parse_ranges};
use super::id_index;
use super::remote_staff::{RemoteStaff, check_kinds, parse_remote_staff};
use crate::calendar::Calendar;
use crate::diagnostics::Diagnostic;
use crate::io::json_reader::{Reader, field, index};

/// Display data of a service kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindInfo {
    pub name_en: String,
    /// Residents may use the service without booking when a unit that can give it visits
    /// a place that hosts it (e.g. the city office's counter).
    pub walk_in: bool,
    /// What the crew brings for this service (shown in itineraries).
    pub bring: Vec<String>,
}

/// Display data of a depot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepotInfo {
    /// The position is a stand-in (e.g. the 大字 representative point), not the building.
    pub approximate: bool,
    pub address: String,
}

/// Display data of a stop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopInfo {
    pub address: String,
    pub source: String,
}

/// The entities of a problem file by file position (`None` where an entry is broken),
/// with id lookups for the requests.
pub struct Model {
    pub equipment: Vec<String>,
    pub kinds: Vec<Option<(ServiceKind, KindInfo)>>,
    pub depots: Vec<Option<(Depot, DepotInfo)>>,
    pub vehicles: Vec<Option<Vehicle>>,
    pub stops: Vec<Option<(Stop, StopInfo)>>,
    pub kind_ids: HashMap<String, usize>,
    pub stop_ids: HashMap<String, usize>,
    pub remote: RemoteStaff,
}

/// All entities of a problem file without errors.
pub struct Complete {
    pub equipment: Vec<String>,
    pub kinds: Vec<ServiceKind>,
    pub kind_info: Vec<KindInfo>,
    pub depots: Vec<Depot>,
    pub depot_info: Vec<DepotInfo>,
    pub vehicles: Vec<Vehicle>,
    pub stops: Vec<Stop>,
    pub stop_info: Vec<StopInfo>,
    pub remote: Vec<RemoteResource>,
}

/// Japan's extent, to catch swapped or garbled coordinates.
const LON_RANGE: (f64, f64) = (122.0, 154.0);
const LAT_RANGE: (f64, f64) = (20.0, 46.0);

pub fn point(reader: &mut Reader, map: &Map<String, Value>, path: &str) -> Option<Point> {
    let lon = reader.required(map, path, "lon").and_then(|v| reader.number(v, &field(path, "lon"), f64::MIN, f64::MAX));
    let lat = reader.required(map, path, "lat").and_then(|v| reader.number(v, &field(path, "lat"), f64::MIN, f64::MAX));
    let (lon, lat) = (lon?, lat?);
    let inside = (LON_RANGE.0..=LON_RANGE.1).contains(&lon) && (LAT_RANGE.0..=LAT_RANGE.1).contains(&lat);
    if !inside {
        reader.report(Diagnostic::bad_coordinates(path, lon, lat));
        return None;
    }
    Some(Point::new(lon, lat))
}

fn list<'v>(reader: &mut Reader, top: &'v Map<String, Value>, key: &str, what_ja: &str, what_en: &str) -> &'v [Value] {
    let Some(v) = reader.required(top, "", key) else { return &[] };
    let items = reader.array(v, key).unwrap_or_default();
    if items.is_empty() {
        reader.report(Diagnostic::empty_list(key, what_ja, what_en));
    }
    items
}

/// An optional top-level list (empty when absent).
pub(super) fn list_or_empty<'v>(reader: &mut Reader, top: &'v Map<String, Value>, key: &str) -> &'v [Value] {
    match top.get(key) {
        Some(v) => reader.array(v, key).unwrap_or_default(),
        None => &[],
    }
}

/// Resolves one name against an index, reporting an unknown one.
pub(super) fn lookup(
    reader: &mut Reader,
    v: &Value,
    path: &str,
    ids: &HashMap<String, usize>,
    what: &str,
) -> Option<usize> {
    let name = reader.text(v, path)?;
    let found = ids.get(&name).copied();
    if found.is_none() {
        let mut known: Vec<String> = ids.keys().cloned().collect();
        known.sort();
        reader.report(Diagnostic::unknown_reference(path, what, &name, &known));
    }
    found
}

/// Resolves a list of names against an index, reporting unknown ones.
fn resolve_all(reader: &mut Reader, v: &Value, path: &str, ids: &HashMap<String, usize>, what: &str) -> Vec<usize> {
    let mut known: Vec<String> = ids.keys().cloned().collect();
    known.sort();
    let items = reader.array(v, path).unwrap_or_default();
    items.iter().enumerate().filter_map(|(i, item)| lookup(reader, item, &index(path, i), ids, what)).collect()
}

fn minutes(
    reader: &mut Reader,
    map: &Map<String, Value>,
    path: &str,
    key: &str,
    default: i64,
    min: i64,
) -> Option<Seconds> {
    reader.integer_or(map, path, key, default, min, 24 * 60).map(Seconds::from_minutes)
}

fn parse_kind(
    reader: &mut Reader,
    v: &Value,
    path: &str,
    equipment: &HashMap<String, usize>,
) -> Option<(ServiceKind, KindInfo)> {
    let keys = ["id", "name", "name_en", "equipment", "default_minutes", "class", "bring", "walk_in", "remote_kind"];
    let map = reader.object(v, path, &keys)?;
    let id = reader.id_field(map, path, "id");
    let name = reader.text_field(map, path, "name");
    let name_en = reader.opt_string(map, path, "name_en").unwrap_or_default();
    let walk_in = match map.get("walk_in") {
        Some(b) => reader.boolean(b, &field(path, "walk_in")),
        None => Some(false),
    };
    let bring = match map.get("bring") {
        Some(b) => {
            let p = field(path, "bring");
            reader
                .array(b, &p)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .filter_map(|(i, x)| reader.text(x, &index(&p, i)))
                .collect()
        }
        None => Vec::new(),
    };
    let needs = reader
        .required(map, path, "equipment")
        .map(|v| resolve_all(reader, v, &field(path, "equipment"), equipment, "equipment"));
    let default_service = minutes(reader, map, path, "default_minutes", 20, 0);
    let remote_kind = match map.get("remote_kind") {
        Some(_) => reader.id_field(map, path, "remote_kind").map(Some),
        None => Some(None),
    };
    let class = match map.get("class") {
        None => Some(None),
        Some(c) => {
            let p = field(path, "class");
            reader.object(c, &p, &["minutes", "seats"]).and_then(|cm| {
                let length =
                    reader.required(cm, &p, "minutes").and_then(|v| reader.integer(v, &field(&p, "minutes"), 1, 600));
                let seats =
                    reader.required(cm, &p, "seats").and_then(|v| reader.integer(v, &field(&p, "seats"), 1, 1000));
                Some(Some(ClassSpec { length: Seconds::from_minutes(length?), seats: seats? as u32 }))
            })
        }
    };
    let equipment = needs?.into_iter().fold(EquipmentSet::default(), |acc, e| acc.union(EquipmentSet::single(e)));
    Some((
        ServiceKind {
            id: id?,
            name: name?,
            equipment,
            default_service: default_service?,
            class: class?,
            remote_kind: remote_kind?,
        },
        KindInfo { name_en, bring, walk_in: walk_in? },
    ))
}

fn parse_depot(reader: &mut Reader, v: &Value, path: &str) -> Option<(Depot, DepotInfo)> {
    let map = reader.object(v, path, &["id", "name", "lon", "lat", "approximate", "address", "note"])?;
    let id = reader.id_field(map, path, "id");
    let name = reader.text_field(map, path, "name");
    let location = point(reader, map, path);
    let approximate = match map.get("approximate") {
        Some(v) => reader.boolean(v, &field(path, "approximate")),
        None => Some(false),
    };
    let address = reader.opt_long_text(map, path, "address").unwrap_or_default();
    Some((Depot { id: id?, name: name?, location: location? }, DepotInfo { approximate: approximate?, address }))
}

fn parse_vehicle(
    reader: &mut Reader,
    v: &Value,
    path: &str,
    equipment: &HashMap<String, usize>,
    depots: &HashMap<String, usize>,
    calendar: &Calendar,
) -> Option<Vehicle> {
    let keys =
        ["id", "name", "equipment", "depot", "shifts", "lunch", "max_work_minutes", "capacity", "out_of_service"];
    let map = reader.object(v, path, &keys)?;
    let id = reader.id_field(map, path, "id");
    let name = reader.text_field(map, path, "name");
    let kit = reader
        .required(map, path, "equipment")
        .map(|v| resolve_all(reader, v, &field(path, "equipment"), equipment, "equipment"));
    let depot =
        reader.required(map, path, "depot").and_then(|v| lookup(reader, v, &field(path, "depot"), depots, "depot"));
    let mut shifts: [Option<TimeWindow>; 7] = [None; 7];
    let shifts_ok = reader.required(map, path, "shifts").and_then(|v| {
        let mut ok = true;
        for (days, p, value) in reader.per_weekday(v, &field(path, "shifts"))? {
            match reader.window(value, &p) {
                Some(w) => days.iter().for_each(|d| shifts[d.index()] = Some(w)),
                None => ok = false,
            }
        }
        ok.then_some(())
    });
    let lunch = match map.get("lunch") {
        None => Some(None),
        Some(l) => {
            let p = field(path, "lunch");
            reader.object(l, &p, &["window", "minutes"]).and_then(|lm| {
                let window = reader.required(lm, &p, "window").and_then(|w| reader.window(w, &field(&p, "window")));
                let length =
                    reader.required(lm, &p, "minutes").and_then(|m| reader.integer(m, &field(&p, "minutes"), 1, 240));
                Some(Some(BreakRule { window: window?, length: Seconds::from_minutes(length?) }))
            })
        }
    };
    let max_work = minutes(reader, map, path, "max_work_minutes", 8 * 60, 1);
    let (consultations, seats) = match map.get("capacity") {
        None => (Some(1000), Some(1000)),
        Some(c) => {
            let p = field(path, "capacity");
            match reader.object(c, &p, &["consultations", "seats"]) {
                Some(cm) => (
                    reader.integer_or(cm, &p, "consultations", 1000, 0, 100_000),
                    reader.integer_or(cm, &p, "seats", 1000, 0, 100_000),
                ),
                None => (None, None),
            }
        }
    };
    let out_of_service = parse_ranges(reader, map, path, "out_of_service");
    let (lunch, max_work) = (lunch?, max_work?);
    shifts_ok?;
    check_shift(reader, path, &shifts, lunch);
    let equipment = kit?.into_iter().fold(EquipmentSet::default(), |acc, e| acc.union(EquipmentSet::single(e)));
    Some(Vehicle {
        id: id?,
        name: name?,
        equipment,
        depot: depot?,
        shifts,
        lunch,
        max_work,
        max_consultations: consultations? as u32,
        max_seats: seats? as u32,
        out_of_service: covered_days(&out_of_service?, calendar),
    })
}

/// The lunch break must fit in every shift whose hours reach its window.
fn check_shift(reader: &mut Reader, path: &str, shifts: &[Option<TimeWindow>; 7], lunch: Option<BreakRule>) {
    if shifts.iter().all(Option::is_none) {
        reader.report(Diagnostic::shift_invalid(
            &field(path, "shifts"),
            "勤務する曜日がありません",
            "the unit works on no weekday",
        ));
    }
    let Some(l) = lunch else { return };
    for day in Weekday::ALL {
        let Some(s) = shifts[day.index()] else { continue };
        if l.window.start < s.start || l.window.start + l.length > s.end {
            let p = field(path, "lunch");
            reader.report(Diagnostic::shift_invalid(
                &p,
                &format!("昼休憩が{}曜の勤務時間 {}–{} に収まりません", day.japanese(), s.start, s.end),
                &format!("the lunch break does not fit in the {} shift {}–{}", day.key(), s.start, s.end),
            ));
            return;
        }
    }
}

fn parse_rule(reader: &mut Reader, map: &Map<String, Value>, path: &str) -> Option<VisitRule> {
    let Some(v) = map.get("visit_rule") else { return Some(VisitRule::default()) };
    let p = field(path, "visit_rule");
    let rule = reader.object(v, &p, &["min_per_week", "max_per_week", "min_gap_days", "weekdays"])?;
    let d = VisitRule::default();
    let min = reader.integer_or(rule, &p, "min_per_week", i64::from(d.min_per_week), 0, 7);
    let max = reader.integer_or(rule, &p, "max_per_week", i64::from(d.max_per_week), 0, 7);
    let gap = reader.integer_or(rule, &p, "min_gap_days", i64::from(d.min_gap_days), 0, 6);
    let weekdays = match rule.get("weekdays") {
        Some(w) => reader.weekday_set(w, &field(&p, "weekdays")),
        None => Some(WeekdaySet::ALL),
    };
    let (min, max) = (min?, max?);
    if min > max {
        reader.report(Diagnostic::rule_min_over_max(&p, min as u64, max as u64));
        return None;
    }
    Some(VisitRule {
        min_per_week: min as u32,
        max_per_week: max as u32,
        min_gap_days: gap? as u32,
        weekdays: weekdays?,
    })
}

fn parse_stop(
    reader: &mut Reader,
    v: &Value,
    path: &str,
    kinds: &HashMap<String, usize>,
    calendar: &Calendar,
) -> Option<(Stop, StopInfo)> {
    let keys = [
        "id",
        "name",
        "reading",
        "district",
        "address",
        "lon",
        "lat",
        "mountainous",
        "windows",
        "hosts",
        "visit_rule",
        "min_stay_minutes",
        "source",
        "closed",
    ];
    let map = reader.object(v, path, &keys)?;
    let id = reader.id_field(map, path, "id");
    let name = reader.text_field(map, path, "name");
    let reading = reader.opt_string(map, path, "reading").unwrap_or_default();
    let district = reader.opt_string(map, path, "district").unwrap_or_default();
    let location = point(reader, map, path);
    let mountainous = match map.get("mountainous") {
        Some(b) => reader.boolean(b, &field(path, "mountainous")),
        None => Some(false),
    };
    let windows =
        reader.required(map, path, "windows").and_then(|w| reader.windows_by_weekday(w, &field(path, "windows")));
    let windows = windows.filter(|w| {
        let open = w.iter().any(|day| !day.is_empty());
        if !open {
            reader.report(Diagnostic::no_window(&field(path, "windows")));
        }
        open
    });
    let hosts = reader.required(map, path, "hosts").map(|h| {
        let mut set = KindSet::default();
        resolve_all(reader, h, &field(path, "hosts"), kinds, "service kind").into_iter().for_each(|k| set.insert(k));
        set
    });
    let rule = parse_rule(reader, map, path);
    let min_stay = minutes(reader, map, path, "min_stay_minutes", 30, 0);
    let closed = parse_ranges(reader, map, path, "closed");
    let info = StopInfo {
        address: reader.opt_long_text(map, path, "address").unwrap_or_default(),
        source: reader.opt_long_text(map, path, "source").unwrap_or_default(),
    };
    let stop = Stop {
        id: id?,
        name: name?,
        reading,
        district,
        mountainous: mountainous?,
        location: location?,
        windows: windows?,
        hosts: hosts?,
        rule: rule?,
        min_stay: min_stay?,
        closed: covered_days(&closed?, calendar),
        fixed_visits: Vec::new(),
    };
    Some((stop, info))
}

/// `(id, path)` of every entry with a textual id, by file position, so that references
/// resolve (and duplicates are found) even when another field of the entry is broken.
pub(super) fn raw_ids(items: &[Value], list: &str) -> Vec<(String, String)> {
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let id = v.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            (id, format!("{}.id", index(list, i)))
        })
        .collect()
}

/// Parses every entry of a list, keeping file positions.
fn parse_list<T>(items: &[Value], list: &str, mut parse: impl FnMut(&Value, &str) -> Option<T>) -> Vec<Option<T>> {
    items.iter().enumerate().map(|(i, v)| parse(v, &index(list, i))).collect()
}

impl Model {
    pub fn kind(&self, i: usize) -> Option<&ServiceKind> {
        self.kinds.get(i)?.as_ref().map(|(k, _)| k)
    }

    pub fn stop(&self, i: usize) -> Option<&Stop> {
        self.stops.get(i)?.as_ref().map(|(s, _)| s)
    }

    /// Stops and kinds, when every one of them parsed.
    pub fn stops_and_kinds(&self) -> Option<(Vec<Stop>, Vec<ServiceKind>)> {
        let stops = self.stops.iter().map(|s| s.as_ref().map(|(s, _)| s.clone())).collect::<Option<Vec<_>>>()?;
        let kinds = self.kinds.iter().map(|k| k.as_ref().map(|(k, _)| k.clone())).collect::<Option<Vec<_>>>()?;
        Some((stops, kinds))
    }

    /// Every entity, when every one parsed.
    pub fn complete(self) -> Option<Complete> {
        let (kinds, kind_info) = self.kinds.into_iter().collect::<Option<Vec<_>>>()?.into_iter().unzip();
        let (depots, depot_info) = self.depots.into_iter().collect::<Option<Vec<_>>>()?.into_iter().unzip();
        let (stops, stop_info) = self.stops.into_iter().collect::<Option<Vec<_>>>()?.into_iter().unzip();
        let vehicles = self.vehicles.into_iter().collect::<Option<Vec<_>>>()?;
        let remote = self.remote.people.into_iter().collect::<Option<Vec<_>>>()?;
        Some(Complete {
            equipment: self.equipment,
            kinds,
            kind_info,
            depots,
            depot_info,
            vehicles,
            stops,
            stop_info,
            remote,
        })
    }
}

/// Reads all entities. Entries that fail to parse stay as `None` at their file position;
/// their problems are in the reader's diagnostics.
pub fn parse_entities(reader: &mut Reader, top: &Map<String, Value>, calendar: &Calendar) -> Model {
    let equipment: Vec<String> = {
        let items = list(reader, top, "equipment", "装備", "equipment");
        items.iter().enumerate().filter_map(|(i, e)| reader.text(e, &index("equipment", i))).collect()
    };
    let eq_paths: Vec<(String, String)> =
        equipment.iter().enumerate().map(|(i, e)| (e.clone(), index("equipment", i))).collect();
    let eq_ids = id_index(reader, &eq_paths);

    let items = list(reader, top, "service_kinds", "サービス種別", "service kind");
    let kind_ids = id_index(reader, &raw_ids(items, "service_kinds"));
    let kinds = parse_list(items, "service_kinds", |v, p| parse_kind(reader, v, p, &eq_ids));

    let items = list(reader, top, "depots", "拠点（庁舎・支所）", "depot");
    let depot_ids = id_index(reader, &raw_ids(items, "depots"));
    let depots = parse_list(items, "depots", |v, p| parse_depot(reader, v, p));

    let items = list(reader, top, "vehicles", "車両", "vehicle");
    id_index(reader, &raw_ids(items, "vehicles"));
    let vehicles = parse_list(items, "vehicles", |v, p| parse_vehicle(reader, v, p, &eq_ids, &depot_ids, calendar));

    let items = list(reader, top, "stops", "訪問先", "stop");
    let stop_ids = id_index(reader, &raw_ids(items, "stops"));
    for (id, path) in raw_ids(items, "stops").into_iter().filter(|(id, _)| depot_ids.contains_key(id)) {
        reader.report(Diagnostic::id_shared(&path, &id, ["拠点", "the depots"]));
    }
    let stops = parse_list(items, "stops", |v, p| parse_stop(reader, v, p, &kind_ids, calendar));

    let remote = parse_remote_staff(reader, top, calendar);
    check_kinds(reader, &kinds, &remote);
    Model { equipment, kinds, depots, vehicles, stops, kind_ids, stop_ids, remote }
}
