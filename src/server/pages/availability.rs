//! The planner page's availability section: mark a unit out of service (inspection, staff
//! leave, breakdown) or a hall closed for dates, see every such range, and remove one.
//! Each change is an edit of the unit's `out_of_service` or the stop's `closed` list
//! (docs/format.md), stored through the same validated write as the API.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Value, json};

use super::layout::{csrf_input, t};
use super::planner_forms::{field, refusal, refused_write};
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::Planner;
use crate::server::error::{ApiError, current_lang};
use crate::server::planner::write;
use crate::server::store::Entity;

/// Which list of which entity a form changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Unit,
    Stop,
}

impl Target {
    fn parse(key: &str) -> Option<(Target, &str)> {
        match key.split_once(':') {
            Some(("unit", id)) => Some((Target::Unit, id)),
            Some(("stop", id)) => Some((Target::Stop, id)),
            _ => None,
        }
    }
    fn entity(self) -> Entity {
        match self {
            Target::Unit => Entity::Unit,
            Target::Stop => Entity::Stop,
        }
    }
    /// The entity's JSON field that holds the ranges.
    fn list(self) -> &'static str {
        match self {
            Target::Unit => "out_of_service",
            Target::Stop => "closed",
        }
    }
    fn key(self) -> &'static str {
        match self {
            Target::Unit => "unit",
            Target::Stop => "stop",
        }
    }
}

/// Every unit, then every stop, as stored.
async fn all_ranges(s: &AppState) -> Result<Vec<(Target, Value)>, ApiError> {
    let mut out = Vec::new();
    for target in [Target::Unit, Target::Stop] {
        out.extend(s.store.list(target.entity()).await?.into_iter().map(|v| (target, v)));
    }
    Ok(out)
}

fn range_text(lang: Lang, r: &Value) -> String {
    let from = r["from"].as_str().unwrap_or("");
    let to = r["to"].as_str().unwrap_or(from);
    let span = if to == from { from.to_string() } else { format!("{from} – {to}") };
    match r["reason"].as_str().filter(|x| !x.is_empty()) {
        Some(reason) if lang == Lang::Ja => format!("{span}（{reason}）"),
        Some(reason) => format!("{span} ({reason})"),
        None => span,
    }
}

/// The section: the two forms and the current ranges, each with a remove button.
pub async fn section(s: &AppState, lang: Lang, csrf: &str) -> Result<Markup, ApiError> {
    let entities = all_ranges(s).await?;
    let option = |target: Target| {
        html! { @for (t_, v) in entities.iter().filter(|(t_, _)| *t_ == target) {
            @let id = v["id"].as_str().unwrap_or("");
            option value={ (t_.key()) ":" (id) } { (v["name"].as_str().unwrap_or(id)) }
        } }
    };
    let form = |action: &str, id: &str, label: [&str; 2], target: Target, button: [&str; 2]| {
        html! {
            form.inline method="post" action=(action) {
                (csrf_input(csrf))
                (field(lang, &format!("{id}-target"), label[0], label[1], html! {
                    select id={ (id) "-target" } name="target" { (option(target)) } }))
                (field(lang, &format!("{id}-from"), "開始日", "From", html! {
                    input id={ (id) "-from" } name="from" type="date" required; }))
                (field(lang, &format!("{id}-to"), "終了日（1日なら空欄）", "To (empty: one day)", html! {
                    input id={ (id) "-to" } name="to" type="date"; }))
                (field(lang, &format!("{id}-reason"), "理由", "Reason", html! {
                    input id={ (id) "-reason" } name="reason" maxlength="100"; }))
                button type="submit" { (t(lang, button[0], button[1])) }
            }
        }
    };
    let listed: Vec<(Target, &Value, usize, &Value)> = entities
        .iter()
        .flat_map(|(target, v)| {
            let ranges = v[target.list()].as_array().map(Vec::as_slice).unwrap_or_default();
            ranges.iter().enumerate().map(move |(i, r)| (*target, v, i, r))
        })
        .collect();
    Ok(html! {
        h2 { (t(lang, "運休・休館", "Units out of service, halls closed")) }
        (form("/planner/availability", "oos", ["車両", "Unit"], Target::Unit, ["運休にする", "Mark out of service"]))
        (form("/planner/availability", "closed", ["訪問先", "Place"], Target::Stop, ["休館にする", "Mark closed"]))
        p { (t(lang, "開所時間・訪問の規則を変える: ", "Change opening hours or the visit rule: "))
            @for (_, v) in entities.iter().filter(|(t_, _)| *t_ == Target::Stop) {
                @let id = v["id"].as_str().unwrap_or("");
                a href={ "/planner/stops/" (id) "/edit" } { (v["name"].as_str().unwrap_or(id)) } " " } }
        @if listed.is_empty() {
            p.muted { (t(lang, "運休・休館の予定はありません。", "No unit is out of service and no hall is closed.")) }
        } @else {
            ul.availability { @for (target, v, i, r) in &listed {
                li {
                    (v["name"].as_str().unwrap_or("")) "： "
                    (if *target == Target::Unit { t(lang, "運休 ", "out of service ") } else { t(lang, "休館 ", "closed ") })
                    (range_text(lang, r)) " "
                    form.inline method="post" action="/planner/availability/remove" {
                        (csrf_input(csrf))
                        input type="hidden" name="target" value={ (target.key()) ":" (v["id"].as_str().unwrap_or("")) };
                        input type="hidden" name="index" value=(i);
                        input type="hidden" name="from" value=(r["from"].as_str().unwrap_or(""));
                        button type="submit" { (t(lang, "取り消す", "Remove")) }
                    }
                }
            } }
        }
    })
}

#[derive(Debug, Deserialize)]
pub struct AddForm {
    target: String,
    from: String,
    to: Option<String>,
    reason: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    target: String,
    index: usize,
    /// The range's first day, as shown: a page out of date removes nothing.
    from: String,
}

/// Reads the entity, lets `change` edit its ranges, and stores it through the validated
/// write; refused changes come back as a page with the coded problems. `change` answers
/// false when the page it came from is out of date (409, nothing stored).
async fn change_ranges(
    s: &AppState,
    who: &str,
    target_key: &str,
    change: impl FnOnce(&mut Vec<Value>) -> bool,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let title = t(lang, "運休・休館", "Out of service, closed");
    let lead = t(lang, "変更できませんでした。", "The change was not made.");
    let Some((target, id)) = Target::parse(target_key) else {
        return Ok(refusal(lang, title, lead, vec![t(lang, "対象を選んでください", "choose a unit or place").into()]));
    };
    let Some(mut entity) = s.store.get(target.entity(), id).await? else {
        return Err(ApiError::not_found("車両・訪問先", "unit or place"));
    };
    let mut ranges = entity[target.list()].as_array().cloned().unwrap_or_default();
    if !change(&mut ranges) {
        return Err(ApiError::conflict(
            ["この期間は既に変わっています", "this period has changed meanwhile"],
            ["計画担当の画面を開き直してください", "reload the planner page"],
        ));
    }
    if let Some(fields) = entity.as_object_mut() {
        if ranges.is_empty() {
            fields.remove(target.list());
        } else {
            fields.insert(target.list().into(), Value::Array(ranges));
        }
    }
    match write(s, who, target.entity(), id, Some(entity)).await {
        Ok(_) => Ok(Redirect::to("/planner").into_response()),
        Err(e) => refused_write(e, lang, title, lead),
    }
}

pub async fn add(planner: Planner, State(s): State<AppState>, Form(f): Form<AddForm>) -> Result<Response, ApiError> {
    let mut range = json!({ "from": f.from.trim() });
    if let Some(to) = f.to.as_deref().map(str::trim).filter(|to| !to.is_empty()) {
        range["to"] = json!(to);
    }
    if let Some(reason) = f.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        range["reason"] = json!(reason);
    }
    change_ranges(&s, &planner.who(), &f.target, |ranges| {
        ranges.push(range);
        true
    })
    .await
}

pub async fn remove(
    planner: Planner,
    State(s): State<AppState>,
    Form(f): Form<RemoveForm>,
) -> Result<Response, ApiError> {
    change_ranges(&s, &planner.who(), &f.target, |ranges| {
        let shown = ranges.get(f.index).is_some_and(|r| r["from"] == f.from.as_str());
        if shown {
            ranges.remove(f.index);
        }
        shown
    })
    .await
}
