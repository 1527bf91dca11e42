//! The planner page's forms: add or edit a resident's request (validated like the API and
//! the CLI, the coded problems shown next to the fields), its printable receipt, and
//! re-plan around the published plan.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;

use maud::{Markup, html};

use super::account::staff_page;
use super::layout::{Page, csrf_input, t, url_encode};
use super::request_form::{FormState, RequestForm, field_of, request_form};
use crate::diagnostics::Diagnostic;
use crate::io::problem_file::{RequestEntry, name_of};
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::{Caller, Planner};
use crate::server::error::{ApiError, current_lang};
use crate::server::planner::write;
use crate::server::planning::begin_replan;
use crate::server::public::snapshot;
use crate::server::store::{Entity, RESERVED_FOR_APPLICATIONS, is_application_number};

/// A labelled form field.
pub fn field(lang: Lang, id: &str, ja: &str, en: &str, input: Markup) -> Markup {
    html! { div { label for=(id) { (t(lang, ja, en)) } (input) } }
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
    let r = editable(&s, &id).await?;
    s.store.audit_read(&caller.who(), &format!("requests/{id}"), "receipt").await?;
    let snap = snapshot(&s).await?;
    let place = match &r.home {
        Some(home) => {
            format!("{}（{}）", t(lang, "自宅訪問", "Home visit"), home.address.as_deref().unwrap_or_default())
        }
        None => {
            snap.stops.iter().find(|st| st.id == r.stop_id()).map_or_else(|| r.stop_id().into(), |st| st.name.clone())
        }
    };
    let kinds = s.store.kinds().await?;
    let kind_name = name_of(&kinds, &r.kind, lang).to_string();
    let rows = [
        (t(lang, "受付番号", "Request number"), id.clone()),
        (t(lang, "受付日", "Taken on"), s.config.clock.today().to_string()),
        (t(lang, "場所", "Place"), place),
        (t(lang, "サービス", "Service"), kind_name),
        (t(lang, "ご希望の期間", "Dates asked for"), format!("{} – {}", r.earliest, r.latest)),
        (t(lang, "お名前", "Name"), r.resident_name().to_string()),
        (t(lang, "電話番号", "Phone"), r.resident_phone().to_string()),
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
async fn editable(s: &AppState, id: &str) -> Result<RequestEntry, ApiError> {
    s.store.request(id).await?.ok_or_else(|| ApiError::not_found("予約", "request"))
}

/// The form again with what was typed and each problem next to its field (422).
async fn form_again(
    s: &AppState,
    lang: Lang,
    caller: &Caller,
    body: &Value,
    editing: bool,
    problems: Vec<(String, String)>,
) -> Result<Response, ApiError> {
    let state = FormState { values: Some(body), editing, problems };
    let form = request_form(s, lang, caller.csrf(), &state).await?;
    let title = if editing {
        t(lang, "予約の変更", "Edit a request")
    } else {
        t(lang, "予約の追加", "Add a request")
    };
    let page = staff_page(lang, caller, title, "/planner/requests", form);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The problems of a refused write, keyed by their fields; `Err` for any other error.
fn field_problems(e: ApiError, lang: Lang) -> Result<Vec<(String, String)>, ApiError> {
    if e.problems.is_empty() {
        return Err(e);
    }
    Ok(e.problems.iter().map(|d| (field_of(&d.path), d.render(lang))).collect())
}

/// A typed stop that several stops match, as the stop field's problem with the choices.
fn ambiguous_stop(lang: Lang, candidates: Vec<String>) -> Vec<(String, String)> {
    let lead =
        t(lang, "場所が一つに決まりません。番号で選んでください：", "Several stops match; choose one by its id:");
    std::iter::once(lead.to_string()).chain(candidates).map(|text| ("stop".to_string(), text)).collect()
}

/// The form that edits request `id` (a read of its resident: audited).
pub async fn edit_request_page(
    Planner(caller): Planner,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let stored = editable(&s, &id).await?.to_value();
    s.store.audit_read(&caller.who(), &format!("requests/{id}"), "edit").await?;
    let state = FormState { values: Some(&stored), editing: true, problems: Vec::new() };
    let form = request_form(&s, lang, caller.csrf(), &state).await?;
    Ok(staff_page(lang, &caller, t(lang, "予約の変更", "Edit a request"), "/planner/requests", form))
}

/// Saves an edited request (checked like every write), or shows the form again with the
/// problems next to their fields.
pub async fn update_request(
    Planner(caller): Planner,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(mut f): Form<RequestForm>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let stored = editable(&s, &id).await?.to_value();
    if f.id.trim() != id {
        return Err(ApiError::bad_request(
            ["予約番号は変えられません", "the request id cannot change"],
            ["取り消してから新しく追加してください", "cancel it and add a new one"],
        ));
    }
    let ambiguous = f.resolve_stop(&snapshot(&s).await?.stops).err();
    let body = f.merged_into(stored);
    if let Some(candidates) = ambiguous {
        return form_again(&s, lang, &caller, &body, true, ambiguous_stop(lang, candidates)).await;
    }
    match write(&s, &caller.who(), Entity::Request, &id, Some(body.clone())).await {
        Ok(warnings) if !warnings.is_empty() => Ok(Redirect::to(&receipt_address(&id, &warnings)).into_response()),
        Ok(_) => Ok(Redirect::to("/planner/requests").into_response()),
        Err(e) => form_again(&s, lang, &caller, &body, true, field_problems(e, lang)?).await,
    }
}

/// Adds the request, or shows the form again with what was typed and the problems (the
/// same coded problems as the API) next to their fields.
pub async fn add_request(
    Planner(caller): Planner,
    State(s): State<AppState>,
    Form(mut f): Form<RequestForm>,
) -> Result<Response, ApiError> {
    let id = f.id.trim().to_string();
    let lang = current_lang();
    let ambiguous = f.resolve_stop(&snapshot(&s).await?.stops).err();
    let body = f.to_json();
    let id_problem = |text: &str| vec![("id".to_string(), format!("{id}: {text}"))];
    let problems = if let Some(candidates) = ambiguous {
        ambiguous_stop(lang, candidates)
    } else if s.store.request(&id).await?.is_some() {
        id_problem(t(lang, "同じ予約番号が既にあります", "this id exists"))
    } else if is_application_number(&id) {
        let [ja, en] = RESERVED_FOR_APPLICATIONS;
        id_problem(t(lang, ja, en))
    } else {
        match write(&s, &caller.who(), Entity::Request, &id, Some(body.clone())).await {
            Ok(warnings) => return Ok(Redirect::to(&receipt_address(&id, &warnings)).into_response()),
            Err(e) => field_problems(e, lang)?,
        }
    };
    form_again(&s, lang, &caller, &body, false, problems).await
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
    let id = begin_replan(&s, &planner.who(), f.full.is_some(), 1, None, None).await?;
    Ok(Redirect::to(&format!("/planner?plan={id}")).into_response())
}
