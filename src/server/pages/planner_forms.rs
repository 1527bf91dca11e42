//! The planner page's forms: add a resident's request (validated like the API and the
//! CLI, with the coded problems shown on a page), and re-plan around the published plan.

use std::fmt::Write;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::layout::{csrf_field, esc, page, t};
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::Planner;
use crate::server::error::{ApiError, current_lang};
use crate::server::planner::{begin_replan, write};
use crate::server::public::snapshot;
use crate::server::store::Entity;

fn field(lang: Lang, id: &str, ja: &str, en: &str, input: &str) -> String {
    format!("<div><label for=\"{id}\">{}</label>{input}</div>", t(lang, ja, en))
}

/// The "add a request" form, with the data set's service kinds and stops to choose from.
pub async fn request_form(s: &AppState, lang: Lang, csrf: &str) -> Result<String, ApiError> {
    let docs = s.store.documents().await?;
    let snap = snapshot(s).await?;
    let mut kinds = String::new();
    for k in docs.problem.1["service_kinds"].as_array().into_iter().flatten() {
        let name = if lang == Lang::En { k["name_en"].as_str().or(k["name"].as_str()) } else { k["name"].as_str() };
        let _ = write!(
            kinds,
            "<option value=\"{}\">{}</option>",
            esc(k["id"].as_str().unwrap_or("")),
            esc(name.unwrap_or(""))
        );
    }
    let mut stops = String::new();
    for st in &snap.stops {
        let _ = write!(
            stops,
            "<option value=\"{}\">{} ({})</option>",
            esc(st["id"].as_str().unwrap_or("")),
            esc(st["name"].as_str().unwrap_or("")),
            esc(st["district"].as_str().unwrap_or(""))
        );
    }
    let mut form = format!(
        "<h2>{}</h2><form class=\"inline\" method=\"post\" action=\"/planner/requests\">{}",
        t(lang, "予約を追加", "Add a request"),
        csrf_field(csrf)
    );
    form += &field(lang, "r-id", "予約番号", "Request id", "<input id=\"r-id\" name=\"id\" required>");
    form +=
        &field(lang, "r-kind", "サービス", "Service", &format!("<select id=\"r-kind\" name=\"kind\">{kinds}</select>"));
    form += &field(lang, "r-stop", "場所", "Stop", &format!("<select id=\"r-stop\" name=\"stop\">{stops}</select>"));
    form += &field(
        lang,
        "r-earliest",
        "いつから",
        "Earliest",
        "<input id=\"r-earliest\" name=\"earliest\" type=\"date\" required>",
    );
    form += &field(
        lang,
        "r-latest",
        "いつまで",
        "Latest",
        "<input id=\"r-latest\" name=\"latest\" type=\"date\" required>",
    );
    form += &field(
        lang,
        "r-priority",
        "優先度（1–5）",
        "Priority (1–5)",
        "<input id=\"r-priority\" name=\"priority\" type=\"number\" min=\"1\" max=\"5\" value=\"3\">",
    );
    form +=
        &field(lang, "r-name", "お名前", "Resident's name", "<input id=\"r-name\" name=\"name\" autocomplete=\"off\">");
    form += &field(
        lang,
        "r-phone",
        "電話番号",
        "Phone",
        "<input id=\"r-phone\" name=\"phone\" type=\"tel\" autocomplete=\"off\">",
    );
    let _ = write!(form, "<button type=\"submit\">{}</button></form>", t(lang, "追加", "Add"));
    Ok(form)
}

/// The re-plan buttons (shown when a plan is published).
pub fn replan_buttons(lang: Lang, csrf: &str) -> String {
    format!(
        "<form class=\"inline\" method=\"post\" action=\"/planner/replan\">{}<button type=\"submit\">{}</button>\
         <button type=\"submit\" name=\"full\" value=\"1\">{}</button></form>",
        csrf_field(csrf),
        t(lang, "再計画（公開済みの時間枠は変えない）", "Re-plan (keep published windows)"),
        t(lang, "全体を再最適化（変わる時間枠を表示）", "Re-optimise all (lists changed windows)")
    )
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
}

impl RequestForm {
    /// The request in the requests-file format (empty optional fields left out).
    fn to_json(&self) -> Value {
        let mut r = json!({ "id": self.id.trim(), "kind": self.kind, "stop": self.stop,
                            "earliest": self.earliest, "latest": self.latest });
        if let Some(p) = self.priority.as_deref().and_then(|p| p.parse::<u64>().ok()) {
            r["priority"] = json!(p);
        }
        let mut resident = Map::new();
        for (key, value) in [("name", &self.name), ("phone", &self.phone)] {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                resident.insert(key.into(), json!(v));
            }
        }
        if !resident.is_empty() {
            r["resident"] = Value::Object(resident);
        }
        r
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
    let refused = |problems: Vec<String>| {
        let mut html = format!(
            "<p class=\"notice\" role=\"alert\">{}</p><ul>",
            t(lang, "予約を追加できませんでした。", "The request was not added.")
        );
        for p in problems {
            let _ = write!(html, "<li>{}</li>", esc(&p));
        }
        let _ = write!(html, "</ul><p><a href=\"/planner\">{}</a></p>", t(lang, "戻る", "Back"));
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(page(lang, t(lang, "予約の追加", "Add a request"), "/planner", &[], &html, "")),
        )
            .into_response()
    };
    if s.store.get(Entity::Request, &id).await?.is_some() {
        return Ok(refused(vec![format!("{id}: {}", t(lang, "同じ予約番号が既にあります", "this id exists"))]));
    }
    match write(&s, &planner.who(), Entity::Request, &id, Some(body)).await {
        Ok(()) => Ok(Redirect::to("/planner").into_response()),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            Ok(refused(e.problems.iter().map(|d| d.render(lang)).collect()))
        }
        Err(e) => Err(e),
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
