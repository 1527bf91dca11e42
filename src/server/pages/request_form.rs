//! The request form of the planner's pages (phone and counter intake, and editing a stored
//! request): its markup, with the checks' problems shown next to their fields, and what
//! the typed fields become in the requests-file format (a hall found by id, name or
//! reading; a home's address and position; preferred weekdays).

use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::layout::{csrf_input, t};
use super::planner_forms::field;
use super::resident::stop_points;
use super::svg_map;
use crate::io::public_timetable::PublicStop;
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::error::ApiError;
use crate::server::public::{fold_kana, snapshot, stop_matches};

/// Weekday keys of the format with their one-character Japanese and three-letter English
/// names, Monday first.
const WEEKDAYS: [(&str, &str, &str); 7] = [
    ("mon", "月", "Mon"),
    ("tue", "火", "Tue"),
    ("wed", "水", "Wed"),
    ("thu", "木", "Thu"),
    ("fri", "金", "Fri"),
    ("sat", "土", "Sat"),
    ("sun", "日", "Sun"),
];

/// What the request form shows: the values (a stored request, or what was typed and
/// refused), whether it edits a stored request, and the problems of the checks, each with
/// the field it belongs to (its path after `requests[i].`, e.g. `earliest`,
/// `resident.phone`, `home.lat`; `""` for the whole request).
#[derive(Default)]
pub struct FormState<'a> {
    pub values: Option<&'a Value>,
    pub editing: bool,
    pub problems: Vec<(String, String)>,
}

/// The field a diagnostic's path names: `requests[3].resident.phone` → `resident.phone`,
/// `requests[0].preferred_weekdays[1]` → `preferred_weekdays`.
pub fn field_of(path: &str) -> String {
    let Some((_, rest)) = path.split_once("].") else { return String::new() };
    rest.split('[').next().unwrap_or(rest).to_string()
}

/// The problems of `key`, under its input.
fn problems_of(state: &FormState, key: &str) -> Markup {
    html! { @for (k, text) in &state.problems { @if k == key { p.field-problem role="alert" { (text) } } } }
}

/// The "add a request" form (or the form that edits a stored one), with the data set's
/// service kinds, the stops to find by name or reading, a home visit's address and
/// position (typed, or clicked on the map), the preferred weekdays, and the checks'
/// problems next to their fields.
pub async fn request_form(s: &AppState, lang: Lang, csrf: &str, state: &FormState<'_>) -> Result<Markup, ApiError> {
    let existing = state.values;
    let value = |key: &str| existing.and_then(|r| r.pointer(key)).map(text_of).unwrap_or_default();
    let number = |key: &str| existing.and_then(|r| r.get(key)).and_then(Value::as_u64);
    let (id, kind, stop, channel) = (value("/id"), value("/kind"), value("/stop"), value("/channel"));
    let home = existing.is_some_and(|r| r.get("home").is_some());
    let preferred: Vec<String> = existing
        .and_then(|r| r["preferred_weekdays"].as_array())
        .map(|days| days.iter().filter_map(Value::as_str).map(String::from).collect())
        .unwrap_or_default();
    let editing = state.editing;
    let action = if editing { format!("/planner/requests/{id}") } else { "/planner/requests".to_string() };
    let known = [
        "id",
        "kind",
        "stop",
        "home",
        "home.lat",
        "home.lon",
        "home.address",
        "preferred_weekdays",
        "earliest",
        "latest",
        "priority",
        "resident.name",
        "resident.phone",
        "note",
        "channel",
    ];
    let general: Vec<&String> =
        state.problems.iter().filter(|(k, _)| !known.contains(&k.as_str())).map(|(_, text)| text).collect();
    let snap = snapshot(s).await?;
    let kinds: Vec<(String, String)> = s.store.kinds().await?.iter().map(|k| k.choice(lang)).collect();
    let points = stop_points(&snap.stops);
    Ok(html! {
        h2 { @if editing { (t(lang, "予約を変更", "Edit the request")) " " (id) } @else { (t(lang, "予約を追加", "Add a request")) } }
        @if !state.problems.is_empty() {
            p.notice role="alert" { (t(lang, "受け付けられませんでした。赤字の項目を直してください。", "Not saved: correct the fields marked in red.")) }
            @for text in &general { p.field-problem { (text) } }
        }
        form.request-form method="post" action=(action) {
            (csrf_input(csrf))
            div.inline {
                (field(lang, "r-id", "予約番号", "Request id", html! { input id="r-id" name="id" required value=(id) readonly[editing]; (problems_of(state, "id")) }))
                (field(lang, "r-kind", "サービス", "Service", html! {
                    select id="r-kind" name="kind" { @for (k, name) in &kinds { option value=(k) selected[*k == kind] { (name) } } } (problems_of(state, "kind")) }))
            }
            fieldset {
                legend { (t(lang, "場所", "Place")) }
                div { input type="radio" id="r-stop-place" name="place" value="stop" checked[!home];
                    label.inline-label for="r-stop-place" { (t(lang, "集会所など", "A hall")) } }
                (field(lang, "r-stop", "名前・よみがな・番号で探す", "Find by name, reading or id", html! {
                    input id="r-stop" name="stop" list="r-stops" autocomplete="off" value=(stop);
                    datalist id="r-stops" { @for st in &snap.stops {
                        option value=(st.id) { (st.name) "（" (st.reading) "）" (st.district) } } }
                    (problems_of(state, "stop")) }))
                div { input type="radio" id="r-home-place" name="place" value="home" checked[home];
                    label.inline-label for="r-home-place" { (t(lang, "自宅訪問", "A home visit")) } }
                div.inline {
                    (field(lang, "r-home-address", "住所", "Address", html! {
                        input id="r-home-address" name="home_address" autocomplete="off" maxlength="200" value=(value("/home/address"));
                        (problems_of(state, "home.address")) }))
                    (field(lang, "r-home-lat", "緯度", "Latitude", html! {
                        input id="r-home-lat" name="home_lat" inputmode="decimal" value=(value("/home/lat")); (problems_of(state, "home.lat")) }))
                    (field(lang, "r-home-lon", "経度", "Longitude", html! {
                        input id="r-home-lon" name="home_lon" inputmode="decimal" value=(value("/home/lon")); (problems_of(state, "home.lon")) }))
                }
                (problems_of(state, "home"))
                p.muted { (t(lang, "自宅の位置は地図をクリックするか、緯度・経度を入力してください。", "Click the home on the map, or type its latitude and longitude.")) }
                (svg_map::picker(s.backdrop(), lang, &points, "r-home", t(lang, "自宅の位置を選ぶ地図", "Map to pick the home's position")))
            }
            fieldset {
                legend { (t(lang, "希望の曜日（なければ指定なし）", "Preferred weekdays (none: any)")) }
                div.inline { @for (key, ja, en) in WEEKDAYS {
                    div { input type="checkbox" id={ "r-wd-" (key) } name={ "wd_" (key) } value="1" checked[preferred.iter().any(|p| p == key)];
                        label.inline-label for={ "r-wd-" (key) } { (t(lang, ja, en)) } } } }
                (problems_of(state, "preferred_weekdays"))
            }
            div.inline {
                (field(lang, "r-earliest", "いつから", "Earliest", html! { input id="r-earliest" name="earliest" type="date" required value=(value("/earliest")); (problems_of(state, "earliest")) }))
                (field(lang, "r-latest", "いつまで", "Latest", html! { input id="r-latest" name="latest" type="date" required value=(value("/latest")); (problems_of(state, "latest")) }))
                (field(lang, "r-priority", "優先度（1–5）", "Priority (1–5)", html! {
                    input id="r-priority" name="priority" type="number" min="1" max="5" value=(number("priority").unwrap_or(3)); (problems_of(state, "priority")) }))
                (field(lang, "r-name", "お名前", "Resident's name", html! { input id="r-name" name="name" autocomplete="off" value=(value("/resident/name")); (problems_of(state, "resident.name")) }))
                (field(lang, "r-phone", "電話番号", "Phone", html! { input id="r-phone" name="phone" type="tel" autocomplete="off" value=(value("/resident/phone")); (problems_of(state, "resident.phone")) }))
                (field(lang, "r-note", "メモ（車いす・持ち物など）", "Note (wheelchair, what to bring…)", html! { input id="r-note" name="note" maxlength="200" value=(value("/note")); (problems_of(state, "note")) }))
                (field(lang, "r-channel", "受付経路", "Taken by", html! {
                    select id="r-channel" name="channel" {
                        @if editing && channel.is_empty() { option value="" selected { (t(lang, "不明", "Unknown")) } }
                        option value="phone" selected[channel == "phone"] { (t(lang, "電話", "Phone")) }
                        option value="counter" selected[channel == "counter"] { (t(lang, "窓口", "Counter")) }
                        @if channel == "online" { option value="online" selected { (t(lang, "オンライン", "Online")) } } } }))
                button type="submit" { @if editing { (t(lang, "保存", "Save")) } @else { (t(lang, "追加", "Add")) } }
            }
        }
    })
}

/// A stored value as form text: strings as they are, numbers written out.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

#[derive(Debug, Deserialize)]
pub struct RequestForm {
    pub id: String,
    kind: String,
    /// `stop` (default) or `home`.
    place: Option<String>,
    /// A stop's id, name or reading (resolved by [`RequestForm::resolve_stop`]).
    stop: Option<String>,
    home_address: Option<String>,
    home_lat: Option<String>,
    home_lon: Option<String>,
    earliest: String,
    latest: String,
    priority: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    note: Option<String>,
    channel: Option<String>,
    wd_mon: Option<String>,
    wd_tue: Option<String>,
    wd_wed: Option<String>,
    wd_thu: Option<String>,
    wd_fri: Option<String>,
    wd_sat: Option<String>,
    wd_sun: Option<String>,
}

/// `value` trimmed, if not empty.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A typed coordinate: a number when it reads as one, else the text (which the checks then
/// refuse with the field's name).
fn coordinate(raw: &Option<String>) -> Value {
    let text = given(raw).unwrap_or("");
    text.parse::<f64>().ok().filter(|x| x.is_finite()).map_or_else(|| json!(text), |x| json!(x))
}

impl RequestForm {
    fn is_home(&self) -> bool {
        self.place.as_deref() == Some("home")
    }

    fn preferred_weekdays(&self) -> Vec<&'static str> {
        let ticked = [&self.wd_mon, &self.wd_tue, &self.wd_wed, &self.wd_thu, &self.wd_fri, &self.wd_sat, &self.wd_sun];
        WEEKDAYS.iter().zip(ticked).filter(|(_, t)| given(t).is_some()).map(|((key, _, _), _)| *key).collect()
    }

    /// Finds the stop typed into the form: its id, else the one stop whose name or reading
    /// holds the text. `Err` lists the candidates when several do; text that names no stop
    /// passes on as it is, for the checks to refuse with their coded problem.
    pub fn resolve_stop(&mut self, stops: &[PublicStop]) -> Result<(), Vec<String>> {
        if self.is_home() {
            return Ok(());
        }
        let typed = given(&self.stop).unwrap_or("").to_string();
        if typed.is_empty() || stops.iter().any(|st| st.id == typed) {
            return Ok(());
        }
        let needle = fold_kana(&typed);
        let named = |st: &&PublicStop| fold_kana(&st.name) == needle || fold_kana(&st.reading) == needle;
        let exact: Vec<&PublicStop> = stops.iter().filter(named).collect();
        let candidates =
            if exact.is_empty() { stops.iter().filter(|st| stop_matches(st, &needle)).collect() } else { exact };
        match candidates.as_slice() {
            [] => Ok(()),
            [one] => {
                self.stop = Some(one.id.clone());
                Ok(())
            }
            many => {
                Err(many.iter().map(|st| format!("{}（{}）{} — {}", st.name, st.reading, st.district, st.id)).collect())
            }
        }
    }

    /// The request in the requests-file format (empty optional fields left out).
    pub fn to_json(&self) -> Value {
        self.merged_into(json!({}))
    }

    /// `stored` with the form's fields written over it (fields the form does not hold,
    /// such as the preferred time, stay; emptied ones go).
    pub fn merged_into(&self, mut r: Value) -> Value {
        for (key, value) in [("id", self.id.trim()), ("kind", &self.kind)] {
            r[key] = json!(value);
        }
        for (key, value) in [("earliest", &self.earliest), ("latest", &self.latest)] {
            r[key] = json!(value.trim());
        }
        let Some(fields) = r.as_object_mut() else { return r };
        if self.is_home() {
            fields.remove("stop");
            let mut home = Map::new();
            home.insert("lat".into(), coordinate(&self.home_lat));
            home.insert("lon".into(), coordinate(&self.home_lon));
            if let Some(address) = given(&self.home_address) {
                home.insert("address".into(), json!(address));
            }
            fields.insert("home".into(), Value::Object(home));
        } else {
            fields.remove("home");
            fields.insert("stop".into(), json!(given(&self.stop).unwrap_or("")));
        }
        let weekdays = self.preferred_weekdays();
        let optional = [
            ("priority", self.priority.as_deref().and_then(|p| p.trim().parse::<u64>().ok()).map(|p| json!(p))),
            ("channel", given(&self.channel).map(|c| json!(c))),
            ("note", given(&self.note).map(|n| json!(n))),
            ("preferred_weekdays", (!weekdays.is_empty()).then(|| json!(weekdays))),
        ];
        for (key, value) in optional {
            match value {
                Some(v) => fields.insert(key.into(), v),
                None => fields.remove(key),
            };
        }
        let mut resident = Map::new();
        for (key, value) in [("name", &self.name), ("phone", &self.phone)] {
            if let Some(v) = given(value) {
                resident.insert(key.into(), json!(v));
            }
        }
        if resident.is_empty() {
            fields.remove("resident");
        } else {
            fields.insert("resident".into(), Value::Object(resident));
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostics_path_names_its_field() {
        assert_eq!(field_of("requests[3].resident.phone"), "resident.phone");
        assert_eq!(field_of("requests[0].preferred_weekdays[1]"), "preferred_weekdays");
        assert_eq!(field_of("requests[12].earliest"), "earliest");
        assert_eq!(field_of("requests[2]"), "");
    }
}
