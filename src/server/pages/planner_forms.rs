//! The planner page's forms: add a resident's request (validated like the API and the
//! CLI, with the coded problems shown on a page), and re-plan around the published plan.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use maud::{Markup, html};

use super::account::staff_page;
use super::layout::{Page, csrf_input, t, url_encode};
use super::resident::stop_points;
use super::svg_map;
use crate::diagnostics::Diagnostic;
use crate::io::public_timetable::PublicStop;
use crate::lang::{Lang, entry_name};
use crate::server::AppState;
use crate::server::auth::Planner;
use crate::server::error::{ApiError, current_lang};
use crate::server::planner::{begin_replan, write};
use crate::server::public::{fold_kana, snapshot, stop_matches};
use crate::server::store::{Entity, RESERVED_FOR_APPLICATIONS, is_application_number};

/// A labelled form field.
pub fn field(lang: Lang, id: &str, ja: &str, en: &str, input: Markup) -> Markup {
    html! { div { label for=(id) { (t(lang, ja, en)) } (input) } }
}

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

/// The "add a request" form (or, given a stored request, the form that edits it), with the
/// data set's service kinds, the stops to find by name or reading, a home visit's address
/// and position (typed, or clicked on the map) and the preferred weekdays.
pub async fn request_form(s: &AppState, lang: Lang, csrf: &str, existing: Option<&Value>) -> Result<Markup, ApiError> {
    let value = |key: &str| existing.and_then(|r| r.pointer(key)).map(text_of).unwrap_or_default();
    let number = |key: &str| existing.and_then(|r| r.get(key)).and_then(Value::as_u64);
    let (id, kind, stop, channel) = (value("/id"), value("/kind"), value("/stop"), value("/channel"));
    let home = existing.is_some_and(|r| r.get("home").is_some());
    let preferred: Vec<String> = existing
        .and_then(|r| r["preferred_weekdays"].as_array())
        .map(|days| days.iter().filter_map(Value::as_str).map(String::from).collect())
        .unwrap_or_default();
    let action = if existing.is_some() { format!("/planner/requests/{id}") } else { "/planner/requests".to_string() };
    let docs = s.store.documents().await?;
    let snap = snapshot(s).await?;
    let kinds: Vec<(String, String)> = docs.problem.1["service_kinds"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|k| (k["id"].as_str().unwrap_or("").to_string(), entry_name(k, lang).to_string()))
        .collect();
    let points = stop_points(&snap.stops);
    Ok(html! {
        h2 { @if existing.is_some() { (t(lang, "予約を変更", "Edit the request")) " " (id) } @else { (t(lang, "予約を追加", "Add a request")) } }
        form.request-form method="post" action=(action) {
            (csrf_input(csrf))
            div.inline {
                (field(lang, "r-id", "予約番号", "Request id", html! { input id="r-id" name="id" required value=(id) readonly[existing.is_some()]; }))
                (field(lang, "r-kind", "サービス", "Service", html! {
                    select id="r-kind" name="kind" { @for (k, name) in &kinds { option value=(k) selected[*k == kind] { (name) } } } }))
            }
            fieldset {
                legend { (t(lang, "場所", "Place")) }
                div { input type="radio" id="r-stop-place" name="place" value="stop" checked[!home];
                    label.inline-label for="r-stop-place" { (t(lang, "集会所など", "A hall")) } }
                (field(lang, "r-stop", "名前・よみがな・番号で探す", "Find by name, reading or id", html! {
                    input id="r-stop" name="stop" list="r-stops" autocomplete="off" value=(stop);
                    datalist id="r-stops" { @for st in &snap.stops {
                        option value=(st.id) { (st.name) "（" (st.reading) "）" (st.district) } } } }))
                div { input type="radio" id="r-home-place" name="place" value="home" checked[home];
                    label.inline-label for="r-home-place" { (t(lang, "自宅訪問", "A home visit")) } }
                div.inline {
                    (field(lang, "r-home-address", "住所", "Address", html! {
                        input id="r-home-address" name="home_address" autocomplete="off" maxlength="200" value=(value("/home/address")); }))
                    (field(lang, "r-home-lat", "緯度", "Latitude", html! {
                        input id="r-home-lat" name="home_lat" inputmode="decimal" value=(value("/home/lat")); }))
                    (field(lang, "r-home-lon", "経度", "Longitude", html! {
                        input id="r-home-lon" name="home_lon" inputmode="decimal" value=(value("/home/lon")); }))
                }
                p.muted { (t(lang, "自宅の位置は地図をクリックするか、緯度・経度を入力してください。", "Click the home on the map, or type its latitude and longitude.")) }
                (svg_map::picker(s.backdrop(), lang, &points, "r-home", t(lang, "自宅の位置を選ぶ地図", "Map to pick the home's position")))
            }
            fieldset {
                legend { (t(lang, "希望の曜日（なければ指定なし）", "Preferred weekdays (none: any)")) }
                div.inline { @for (key, ja, en) in WEEKDAYS {
                    div { input type="checkbox" id={ "r-wd-" (key) } name={ "wd_" (key) } value="1" checked[preferred.iter().any(|p| p == key)];
                        label.inline-label for={ "r-wd-" (key) } { (t(lang, ja, en)) } } } }
            }
            div.inline {
                (field(lang, "r-earliest", "いつから", "Earliest", html! { input id="r-earliest" name="earliest" type="date" required value=(value("/earliest")); }))
                (field(lang, "r-latest", "いつまで", "Latest", html! { input id="r-latest" name="latest" type="date" required value=(value("/latest")); }))
                (field(lang, "r-priority", "優先度（1–5）", "Priority (1–5)", html! {
                    input id="r-priority" name="priority" type="number" min="1" max="5" value=(number("priority").unwrap_or(3)); }))
                (field(lang, "r-name", "お名前", "Resident's name", html! { input id="r-name" name="name" autocomplete="off" value=(value("/resident/name")); }))
                (field(lang, "r-phone", "電話番号", "Phone", html! { input id="r-phone" name="phone" type="tel" autocomplete="off" value=(value("/resident/phone")); }))
                (field(lang, "r-note", "メモ（車いす・持ち物など）", "Note (wheelchair, what to bring…)", html! { input id="r-note" name="note" maxlength="200" value=(value("/note")); }))
                (field(lang, "r-channel", "受付経路", "Taken by", html! {
                    select id="r-channel" name="channel" {
                        @if existing.is_some() && channel.is_empty() { option value="" selected { (t(lang, "不明", "Unknown")) } }
                        option value="phone" selected[channel == "phone"] { (t(lang, "電話", "Phone")) }
                        option value="counter" selected[channel == "counter"] { (t(lang, "窓口", "Counter")) }
                        @if channel == "online" { option value="online" selected { (t(lang, "オンライン", "Online")) } } } }))
                button type="submit" { @if existing.is_some() { (t(lang, "保存", "Save")) } @else { (t(lang, "追加", "Add")) } }
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

/// The re-plan buttons (shown when a plan is published).
pub fn replan_buttons(lang: Lang, csrf: &str) -> Markup {
    html! {
        form.inline method="post" action="/planner/replan" {
            (csrf_input(csrf))
            button type="submit" { (t(lang, "再計画（公開済みの時間枠は変えない）", "Re-plan (keep published windows)")) }
            button type="submit" name="full" value="1" { (t(lang, "全体を再最適化（変わる時間枠を表示）", "Re-optimise all (lists changed windows)")) }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct RequestForm {
    id: String,
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
    fn resolve_stop(&mut self, stops: &[PublicStop]) -> Result<(), Vec<String>> {
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
    fn to_json(&self) -> Value {
        self.merged_into(json!({}))
    }

    /// `stored` with the form's fields written over it (fields the form does not hold,
    /// such as the preferred time, stay; emptied ones go).
    fn merged_into(&self, mut r: Value) -> Value {
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

/// A reason typed into a form (shown to residents or kept in the audit log): trimmed,
/// without control characters, at most 200 characters; 400 with `hint` when empty.
pub fn reason_field(raw: &str, hint: [&str; 2]) -> Result<String, ApiError> {
    let reason: String = raw.trim().chars().filter(|c| !c.is_control()).take(200).collect();
    if reason.is_empty() {
        return Err(ApiError::bad_request(["理由が書かれていません", "the reason is missing"], hint));
    }
    Ok(reason)
}

/// A 422 page: `lead`, then each problem, and the way back to the planner page.
pub fn refusal(lang: Lang, title: &str, lead: &str, problems: Vec<String>) -> Response {
    let body = html! {
        p.notice role="alert" { (lead) }
        ul { @for p in &problems { li { (p) } } }
        p { a href="/planner" { (t(lang, "戻る", "Back")) } }
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Html(Page::new(lang, title, "/planner").render(body))).into_response()
}

/// A write the checks refused, as the 422 page of its coded problems (`title`, `lead`);
/// any other error passes on.
pub fn refused_write(e: ApiError, lang: Lang, title: &str, lead: &str) -> Result<Response, ApiError> {
    if e.problems.is_empty() {
        return Err(e);
    }
    Ok(refusal(lang, title, lead, e.problems.iter().map(|d| d.render(lang)).collect()))
}

/// The receipt's address; `far=1` when the home lies outside the city (W2001), for the
/// receipt to say so.
fn receipt_address(id: &str, warnings: &[Diagnostic]) -> String {
    let far = if warnings.is_empty() { "" } else { "?far=1" };
    format!("/planner/requests/{}/receipt{far}", url_encode(id))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReceiptQuery {
    far: Option<String>,
}

/// The printable receipt (受付票) of a request taken by phone or at the counter: its number
/// and what was asked, and how the resident checks it (an audited read).
pub async fn receipt(
    Planner(caller): Planner,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<ReceiptQuery>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let Some(r) = s.store.get(Entity::Request, &id).await? else {
        return Err(ApiError::not_found("予約", "request"));
    };
    s.store.audit_read(&caller.who(), &format!("requests/{id}"), "receipt").await?;
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let snap = snapshot(&s).await?;
    let place = match r.get("home") {
        Some(home) => format!("{}（{}）", t(lang, "自宅訪問", "Home visit"), text(&home["address"])),
        None => snap
            .stops
            .iter()
            .find(|st| st.id == text(&r["stop"]))
            .map_or_else(|| text(&r["stop"]), |st| st.name.clone()),
    };
    let docs = s.store.documents().await?;
    let kinds = docs.problem.1["service_kinds"].as_array().cloned().unwrap_or_default();
    let kind = kinds.iter().find(|k| k["id"] == r["kind"]).map_or(Value::Null, Clone::clone);
    let kind_name = Some(entry_name(&kind, lang)).filter(|n| !n.is_empty());
    let rows = [
        (t(lang, "受付番号", "Request number"), id.clone()),
        (t(lang, "受付日", "Taken on"), s.config.clock.today().to_string()),
        (t(lang, "場所", "Place"), place),
        (t(lang, "サービス", "Service"), kind_name.map_or_else(|| text(&r["kind"]), String::from)),
        (t(lang, "ご希望の期間", "Dates asked for"), format!("{} – {}", text(&r["earliest"]), text(&r["latest"]))),
        (t(lang, "お名前", "Name"), text(&r["resident"]["name"])),
        (t(lang, "電話番号", "Phone"), text(&r["resident"]["phone"])),
    ];
    let body = html! {
        @if q.far.is_some() {
            p.notice.no-print role="alert" { (t(lang, "W2001 自宅の位置が市の区域から離れています。緯度・経度を確かめてください。",
                "W2001 The home lies outside the city. Check its latitude and longitude.")) }
        }
        table { tbody { @for (k, v) in &rows { tr { th scope="row" { (k) } td { (v) } } } } }
        p { (t(lang, "日時が決まりましたら、お電話でお知らせします。受付番号と電話番号の下4けたで、「予約の確認」（/status）からも確かめられます。",
               "You will be phoned when the date is set. The request number and the last four digits of the phone also give its status at /status.")) }
        (super::layout::print_button(t(lang, "印刷する", "Print")))
        p.no-print { a href="/planner" { (t(lang, "計画担当の画面へ", "Back to the planner page")) } }
    };
    Ok(staff_page(lang, &caller, t(lang, "受付票", "Receipt"), "/planner/requests", body))
}

/// A stored request the form edits.
async fn editable(s: &AppState, id: &str) -> Result<Value, ApiError> {
    s.store.get(Entity::Request, id).await?.ok_or_else(|| ApiError::not_found("予約", "request"))
}

/// The refusal of a typed stop that several stops match, with them to choose from.
fn ambiguous_stop(lang: Lang, title: &str, candidates: Vec<String>) -> Response {
    let lead =
        t(lang, "場所が一つに決まりません。番号で選んでください：", "Several stops match; choose one by its id:");
    refusal(lang, title, lead, candidates)
}

/// The form that edits request `id` (a read of its resident: audited).
pub async fn edit_request_page(
    Planner(caller): Planner,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let stored = editable(&s, &id).await?;
    s.store.audit_read(&caller.who(), &format!("requests/{id}"), "edit").await?;
    let form = request_form(&s, lang, caller.csrf(), Some(&stored)).await?;
    Ok(staff_page(lang, &caller, t(lang, "予約の変更", "Edit a request"), "/planner/requests", form))
}

/// Saves an edited request (checked like every write), or shows why it was refused.
pub async fn update_request(
    planner: Planner,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(mut f): Form<RequestForm>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let stored = editable(&s, &id).await?;
    if let Err(candidates) = f.resolve_stop(&snapshot(&s).await?.stops) {
        return Ok(ambiguous_stop(lang, t(lang, "予約の変更", "Edit a request"), candidates));
    }
    if f.id.trim() != id {
        return Err(ApiError::bad_request(
            ["予約番号は変えられません", "the request id cannot change"],
            ["取り消してから新しく追加してください", "cancel it and add a new one"],
        ));
    }
    match write(&s, &planner.who(), Entity::Request, &id, Some(f.merged_into(stored))).await {
        Ok(warnings) if !warnings.is_empty() => Ok(Redirect::to(&receipt_address(&id, &warnings)).into_response()),
        Ok(_) => Ok(Redirect::to("/planner/requests").into_response()),
        Err(e) => {
            let lead = t(lang, "予約を変更できませんでした。", "The request was not changed.");
            refused_write(e, lang, t(lang, "予約の変更", "Edit a request"), lead)
        }
    }
}

/// Adds the request, or shows why it was refused (the same coded problems as the API).
pub async fn add_request(
    planner: Planner,
    State(s): State<AppState>,
    Form(mut f): Form<RequestForm>,
) -> Result<Response, ApiError> {
    let id = f.id.trim().to_string();
    let lang = current_lang();
    let (title, lead) =
        (t(lang, "予約の追加", "Add a request"), t(lang, "予約を追加できませんでした。", "The request was not added."));
    if let Err(candidates) = f.resolve_stop(&snapshot(&s).await?.stops) {
        return Ok(ambiguous_stop(lang, title, candidates));
    }
    let body = f.to_json();
    let refused = |problems: Vec<String>| refusal(lang, title, lead, problems);
    if s.store.get(Entity::Request, &id).await?.is_some() {
        return Ok(refused(vec![format!("{id}: {}", t(lang, "同じ予約番号が既にあります", "this id exists"))]));
    }
    if is_application_number(&id) {
        let [ja, en] = RESERVED_FOR_APPLICATIONS;
        return Ok(refused(vec![format!("{id}: {}", t(lang, ja, en))]));
    }
    match write(&s, &planner.who(), Entity::Request, &id, Some(body)).await {
        Ok(warnings) => Ok(Redirect::to(&receipt_address(&id, &warnings)).into_response()),
        Err(e) => refused_write(e, lang, title, lead),
    }
}

#[derive(Debug, Deserialize)]
pub struct ReplanForm {
    full: Option<String>,
}

pub async fn replan(
    planner: Planner,
    State(s): State<AppState>,
    Form(f): Form<ReplanForm>,
) -> Result<Response, ApiError> {
    let id = begin_replan(&s, &planner.who(), f.full.is_some(), 1).await?;
    Ok(Redirect::to(&format!("/planner?plan={id}")).into_response())
}
