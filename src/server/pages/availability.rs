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
use crate::io::problem_file::DateRangeEntry;
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
    /// The stored entry as JSON with its ranges, if stored.
    async fn stored(self, s: &AppState, id: &str) -> Result<Option<(Value, Vec<DateRangeEntry>)>, ApiError> {
        Ok(match self {
            Target::Unit => s.store.unit(id).await?.map(|u| (u.to_value(), u.out_of_service_ranges().to_vec())),
            Target::Stop => s.store.stop(id).await?.map(|x| (x.to_value(), x.closed_ranges().to_vec())),
        })
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

/// A unit or stop with its ranges.
struct Holder {
    target: Target,
    id: String,
    name: String,
    ranges: Vec<DateRangeEntry>,
}

/// Every unit, then every stop, as stored.
async fn all_ranges(s: &AppState) -> Result<Vec<Holder>, ApiError> {
    let units = s.store.units().await?.into_iter().map(|u| Holder {
        target: Target::Unit,
        ranges: u.out_of_service_ranges().to_vec(),
        id: u.id,
        name: u.name,
    });
    let stops = s.store.stops().await?.into_iter().map(|x| Holder {
        target: Target::Stop,
        ranges: x.closed_ranges().to_vec(),
        id: x.id,
        name: x.name,
    });
    Ok(units.chain(stops).collect())
}

fn range_text(lang: Lang, r: &DateRangeEntry) -> String {
    let (from, to) = (r.from, r.last());
    let span = if to == from { from.to_string() } else { format!("{from} – {to}") };
    match r.reason.as_deref().filter(|x| !x.is_empty()) {
        Some(reason) if lang == Lang::Ja => format!("{span}（{reason}）"),
        Some(reason) => format!("{span} ({reason})"),
        None => span,
    }
}

/// The section: the two forms and the current ranges, each with a remove button.
pub async fn section(s: &AppState, lang: Lang, csrf: &str) -> Result<Markup, ApiError> {
    let entities = all_ranges(s).await?;
    let option = |target: Target| {
        html! { @for h in entities.iter().filter(|h| h.target == target) {
            option value={ (target.key()) ":" (h.id) } { (h.name) }
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
    let listed: Vec<(&Holder, usize, &DateRangeEntry)> =
        entities.iter().flat_map(|h| h.ranges.iter().enumerate().map(move |(i, r)| (h, i, r))).collect();
    Ok(html! {
        h2 { (t(lang, "運休・休館", "Units out of service, halls closed")) }
        (form("/planner/availability", "oos", ["車両", "Unit"], Target::Unit, ["運休にする", "Mark out of service"]))
        (form("/planner/availability", "closed", ["訪問先", "Place"], Target::Stop, ["休館にする", "Mark closed"]))
        p { (t(lang, "開所時間・訪問の規則を変える: ", "Change opening hours or the visit rule: "))
            @for h in entities.iter().filter(|h| h.target == Target::Stop) {
                a href={ "/planner/stops/" (h.id) "/edit" } { (h.name) } " " } }
        @if listed.is_empty() {
            p.muted { (t(lang, "運休・休館の予定はありません。", "No unit is out of service and no hall is closed.")) }
        } @else {
            ul.availability { @for (h, i, r) in &listed {
                li {
                    (h.name) "： "
                    (if h.target == Target::Unit { t(lang, "運休 ", "out of service ") } else { t(lang, "休館 ", "closed ") })
                    (range_text(lang, r)) " "
                    form.inline method="post" action="/planner/availability/remove" {
                        (csrf_input(csrf))
                        input type="hidden" name="target" value={ (h.target.key()) ":" (h.id) };
                        input type="hidden" name="index" value=(i);
                        input type="hidden" name="from" value=(r.from);
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

/// A change of one entity's ranges: a range as typed (unchecked input, for the validated
/// write to accept or to name its problems), or the removal of the range at `index`
/// that starts on `from` (as the page showed it).
enum Change {
    Add(Value),
    Remove { index: usize, from: String },
}

/// Reads the entity, applies `change` to its ranges, and stores it through the validated
/// write; refused changes come back as a page with the coded problems. A removal of a
/// range the page showed but that has changed since is refused (409, nothing stored).
async fn change_ranges(s: &AppState, who: &str, target_key: &str, change: Change) -> Result<Response, ApiError> {
    let lang = current_lang();
    let title = t(lang, "運休・休館", "Out of service, closed");
    let lead = t(lang, "変更できませんでした。", "The change was not made.");
    let Some((target, id)) = Target::parse(target_key) else {
        return Ok(refusal(lang, title, lead, vec![t(lang, "対象を選んでください", "choose a unit or place").into()]));
    };
    let Some((mut entity, stored)) = target.stored(s, id).await? else {
        return Err(ApiError::not_found("車両・訪問先", "unit or place"));
    };
    let mut ranges: Vec<Value> = stored.iter().map(|r| json!(r)).collect();
    match change {
        Change::Add(range) => ranges.push(range),
        Change::Remove { index, from } if stored.get(index).is_some_and(|r| r.from.to_string() == from) => {
            ranges.remove(index);
        }
        Change::Remove { .. } => {
            return Err(ApiError::conflict(
                ["この期間は既に変わっています", "this period has changed meanwhile"],
                ["計画担当の画面を開き直してください", "reload the planner page"],
            ));
        }
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
    change_ranges(&s, &planner.who(), &f.target, Change::Add(range)).await
}

pub async fn remove(
    planner: Planner,
    State(s): State<AppState>,
    Form(f): Form<RemoveForm>,
) -> Result<Response, ApiError> {
    change_ranges(&s, &planner.who(), &f.target, Change::Remove { index: f.index, from: f.from }).await
}
