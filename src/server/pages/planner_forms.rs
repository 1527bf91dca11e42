//! The planner page's forms: add a resident's request (validated like the API and the
//! CLI, with the coded problems shown on a page), and re-plan around the published plan.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use maud::{Markup, html};

use super::account::staff_page;
use super::layout::{Page, csrf_input, t};
use crate::lang::{Lang, entry_name};
use crate::server::AppState;
use crate::server::auth::Planner;
use crate::server::error::{ApiError, current_lang};
use crate::server::planner::{begin_replan, write};
use crate::server::public::snapshot;
use crate::server::store::{Entity, RESERVED_FOR_APPLICATIONS, is_application_number};

/// A labelled form field.
pub fn field(lang: Lang, id: &str, ja: &str, en: &str, input: Markup) -> Markup {
    html! { div { label for=(id) { (t(lang, ja, en)) } (input) } }
}

/// The "add a request" form (or, given a stored request, the form that edits it), with the
/// data set's service kinds and stops to choose from.
pub async fn request_form(s: &AppState, lang: Lang, csrf: &str, existing: Option<&Value>) -> Result<Markup, ApiError> {
    let value = |key: &str| existing.and_then(|r| r.pointer(key)).and_then(Value::as_str).unwrap_or("").to_string();
    let number = |key: &str| existing.and_then(|r| r.get(key)).and_then(Value::as_u64);
    let (id, kind, stop, channel) = (value("/id"), value("/kind"), value("/stop"), value("/channel"));
    let action = if existing.is_some() { format!("/planner/requests/{id}") } else { "/planner/requests".to_string() };
    let docs = s.store.documents().await?;
    let snap = snapshot(s).await?;
    let kinds: Vec<(String, String)> = docs.problem.1["service_kinds"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|k| (k["id"].as_str().unwrap_or("").to_string(), entry_name(k, lang).to_string()))
        .collect();
    Ok(html! {
        h2 { @if existing.is_some() { (t(lang, "予約を変更", "Edit the request")) " " (id) } @else { (t(lang, "予約を追加", "Add a request")) } }
        form.inline method="post" action=(action) {
            (csrf_input(csrf))
            (field(lang, "r-id", "予約番号", "Request id", html! { input id="r-id" name="id" required value=(id) readonly[existing.is_some()]; }))
            (field(lang, "r-kind", "サービス", "Service", html! {
                select id="r-kind" name="kind" { @for (k, name) in &kinds { option value=(k) selected[*k == kind] { (name) } } } }))
            (field(lang, "r-stop", "場所", "Stop", html! {
                select id="r-stop" name="stop" { @for st in &snap.stops {
                    option value=(st.id) selected[st.id == stop] { (st.name) " (" (st.district) ")" } } } }))
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
    })
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
    stop: String,
    earliest: String,
    latest: String,
    priority: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    note: Option<String>,
    channel: Option<String>,
}

/// `value` trimmed, if not empty.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl RequestForm {
    /// The request in the requests-file format (empty optional fields left out).
    fn to_json(&self) -> Value {
        self.merged_into(json!({}))
    }

    /// `stored` with the form's fields written over it (fields the form does not hold,
    /// such as preferred weekdays, stay; emptied ones go).
    fn merged_into(&self, mut r: Value) -> Value {
        for (key, value) in [("id", self.id.trim()), ("kind", &self.kind), ("stop", &self.stop)] {
            r[key] = json!(value);
        }
        for (key, value) in [("earliest", &self.earliest), ("latest", &self.latest)] {
            r[key] = json!(value.trim());
        }
        let Some(fields) = r.as_object_mut() else { return r };
        fields.remove("home");
        let optional = [
            ("priority", self.priority.as_deref().and_then(|p| p.trim().parse::<u64>().ok()).map(|p| json!(p))),
            ("channel", given(&self.channel).map(|c| json!(c))),
            ("note", given(&self.note).map(|n| json!(n))),
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

/// The printable receipt (受付票) of a request taken by phone or at the counter: its number
/// and what was asked, and how the resident checks it (an audited read).
pub async fn receipt(
    Planner(caller): Planner,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let Some(r) = s.store.get(Entity::Request, &id).await? else {
        return Err(ApiError::not_found("予約", "request"));
    };
    s.store.audit_read(&caller.who(), &format!("requests/{id}"), "receipt").await?;
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let snap = snapshot(&s).await?;
    let place =
        snap.stops.iter().find(|st| st.id == text(&r["stop"])).map_or_else(|| text(&r["stop"]), |st| st.name.clone());
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
        table { tbody { @for (k, v) in &rows { tr { th scope="row" { (k) } td { (v) } } } } }
        p { (t(lang, "日時が決まりましたら、お電話でお知らせします。受付番号と電話番号の下4けたで、「予約の確認」（/status）からも確かめられます。",
               "You will be phoned when the date is set. The request number and the last four digits of the phone also give its status at /status.")) }
        (super::layout::print_button(t(lang, "印刷する", "Print")))
        p.no-print { a href="/planner" { (t(lang, "計画担当の画面へ", "Back to the planner page")) } }
    };
    Ok(staff_page(lang, &caller, t(lang, "受付票", "Receipt"), "/planner/requests", body))
}

/// A stored request the form can edit: one at a stop (the form has no home position).
async fn editable(s: &AppState, id: &str) -> Result<Value, ApiError> {
    let Some(stored) = s.store.get(Entity::Request, id).await? else {
        return Err(ApiError::not_found("予約", "request"));
    };
    if stored.get("home").is_some() {
        return Err(ApiError::conflict(
            ["自宅訪問の予約はこの画面では変更できません", "a home visit cannot be edited on this page"],
            ["API（PUT /api/requests/{id}）で変更してください", "edit it with the API (PUT /api/requests/{id})"],
        ));
    }
    Ok(stored)
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
    Form(f): Form<RequestForm>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let stored = editable(&s, &id).await?;
    if f.id.trim() != id {
        return Err(ApiError::bad_request(
            ["予約番号は変えられません", "the request id cannot change"],
            ["取り消してから新しく追加してください", "cancel it and add a new one"],
        ));
    }
    match write(&s, &planner.who(), Entity::Request, &id, Some(f.merged_into(stored))).await {
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
    Form(f): Form<RequestForm>,
) -> Result<Response, ApiError> {
    let body = f.to_json();
    let id = f.id.trim().to_string();
    let lang = current_lang();
    let (title, lead) =
        (t(lang, "予約の追加", "Add a request"), t(lang, "予約を追加できませんでした。", "The request was not added."));
    let refused = |problems: Vec<String>| refusal(lang, title, lead, problems);
    if s.store.get(Entity::Request, &id).await?.is_some() {
        return Ok(refused(vec![format!("{id}: {}", t(lang, "同じ予約番号が既にあります", "this id exists"))]));
    }
    if is_application_number(&id) {
        let [ja, en] = RESERVED_FOR_APPLICATIONS;
        return Ok(refused(vec![format!("{id}: {}", t(lang, ja, en))]));
    }
    match write(&s, &planner.who(), Entity::Request, &id, Some(body)).await {
        // The form names a stop of the data set, never a position: no boundary warning.
        Ok(_) => Ok(Redirect::to(&format!("/planner/requests/{id}/receipt")).into_response()),
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
