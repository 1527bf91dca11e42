//! The planners' requests page: every request and waiting online application, filtered by
//! state, district, service and date, with its state in the announced calendar (and, beside
//! it, in the newest draft when that would change it), a cancel button
//! that asks for the reason, and the same list as CSV. Showing it reads residents' names
//! and phones: each view and download is audited.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::account::staff_page;
use super::layout::{cell, csrf_input, t, url_encode};
use super::planner_forms::reason_field;
use super::planner_forms::{refusal, refused_write};
use crate::io::plan_view::PlanView;
use crate::io::problem_file::{Named, RequestEntry, StopEntry};
use crate::io::request_list::{
    CancelledRequest, RequestRow, StateSources, online_share, request_rows, request_rows_csv,
};
use crate::io::request_table::parse_request_table;
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::Planner;
use crate::server::changes::{announced_from, stored_plan};
use crate::server::error::{ApiError, current_lang};
use crate::server::planner::{cancel_request, import_requests};
use crate::server::store::{PlanStatus, RESERVED_FOR_APPLICATIONS, is_application_number};

/// The filters (all optional; empty = any).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Filter {
    state: String,
    district: String,
    kind: String,
    /// A date the request's dates include (`YYYY-MM-DD`).
    date: String,
}

impl Filter {
    fn keeps(&self, r: &RequestRow) -> bool {
        let any_or = |want: &str, have: &str| want.is_empty() || want == have;
        any_or(&self.state, r.state.key())
            && any_or(&self.district, &r.district)
            && any_or(&self.kind, &r.kind)
            && (self.date.is_empty()
                || (r.earliest.as_str() <= self.date.as_str() && self.date.as_str() <= r.latest.as_str()))
    }

    fn query(&self) -> String {
        let pairs = [("state", &self.state), ("district", &self.district), ("kind", &self.kind), ("date", &self.date)];
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The announced calendar as one plan, and the newest draft made after the last
/// publication (what publishing it would change), if any.
async fn state_plans(s: &AppState) -> Result<(Option<PlanView>, Option<PlanView>), ApiError> {
    let since = s.config.clock.today() - chrono::Duration::days(crate::io::announced::RECENT_DAYS);
    let announced = announced_from(s, since).await?.view();
    let plans = s.store.plans().await?;
    let last_published = plans.iter().filter(|p| p.published_at.is_some()).map(|p| p.id).max().unwrap_or(0);
    let draft = match plans.iter().find(|p| p.status == PlanStatus::Draft && p.id > last_published) {
        Some(row) => Some(stored_plan(s, row.id).await?),
        None => None,
    };
    Ok((announced, draft))
}

/// Every row, and the data set's stops and kinds for the filter choices.
async fn all_rows(s: &AppState, lang: Lang) -> Result<(Vec<RequestRow>, Vec<StopEntry>, Vec<Named>), ApiError> {
    let requests = s.store.requests().await?;
    let pending: Vec<RequestEntry> =
        s.store.pending_applications().await?.into_iter().filter_map(|a| a.request).collect();
    let cancelled: Vec<CancelledRequest> = s
        .store
        .cancellations()
        .await?
        .into_iter()
        .map(|c| CancelledRequest {
            id: c.id,
            summary: c.summary,
            on: c.cancelled_at.chars().take(10).collect(),
            reason: c.reason,
        })
        .collect();
    let stops = s.store.stops().await?;
    let kinds = s.store.kinds().await?;
    let (announced, draft) = state_plans(s).await?;
    let today = s.config.clock.today();
    let sources = StateSources { announced: announced.as_ref(), draft: draft.as_ref(), today };
    Ok((request_rows(&requests, &pending, &cancelled, &stops, &kinds, sources, lang), stops, kinds))
}

/// The districts of the stops, sorted, once each.
pub(super) fn stop_districts(stops: &[StopEntry]) -> Vec<&str> {
    let mut districts: Vec<&str> = stops.iter().map(StopEntry::district_text).filter(|d| !d.is_empty()).collect();
    districts.sort_unstable();
    districts.dedup();
    districts
}

fn filter_form(lang: Lang, f: &Filter, stops: &[StopEntry], kinds: &[Named]) -> Markup {
    let districts = stop_districts(stops);
    let states = [
        ("scheduled", t(lang, "予定あり", "Scheduled")),
        ("unserved", t(lang, "未対応", "Unserved")),
        ("unplanned", t(lang, "未計画", "Not planned yet")),
        ("pending", t(lang, "確認待ち", "Waiting")),
        ("cancelled", t(lang, "取消", "Cancelled")),
    ];
    let any = t(lang, "すべて", "Any");
    html! {
        form.inline method="get" action="/planner/requests" {
            div { label for="f-state" { (t(lang, "状況", "State")) }
                select id="f-state" name="state" { option value="" { (any) }
                    @for (k, name) in states { option value=(k) selected[f.state == k] { (name) } } } }
            div { label for="f-district" { (t(lang, "地区", "District")) }
                select id="f-district" name="district" { option value="" { (any) }
                    @for d in &districts { option value=(d) selected[f.district == *d] { (d) } } } }
            div { label for="f-kind" { (t(lang, "サービス", "Service")) }
                select id="f-kind" name="kind" { option value="" { (any) }
                    @for k in kinds { option value=(k.id) selected[f.kind == k.id] { (k.name(lang)) } } } }
            div { label for="f-date" { (t(lang, "この日を含む", "Includes the date")) }
                input id="f-date" name="date" type="date" value=(f.date); }
            button type="submit" { (t(lang, "絞り込む", "Filter")) }
        }
    }
}

fn row_markup(lang: Lang, r: &RequestRow, csrf: &str) -> Vec<Markup> {
    let open = !matches!(r.state.key(), "pending" | "cancelled");
    let cancel = html! {
        @if open {
            a href={ "/planner/requests/" (r.id) "/edit" } { (t(lang, "変更", "Edit")) } " "
        }
        @if open {
            form.inline method="post" action={ "/planner/requests/" (r.id) "/cancel" } {
                (csrf_input(csrf))
                input name="reason" required maxlength="200" aria-label=(t(lang, "取消の理由", "Reason for cancelling"))
                    placeholder=(t(lang, "取消の理由", "Reason"));
                button type="submit" { (t(lang, "取り消す", "Cancel")) }
            }
        }
    };
    vec![
        cell(&r.id),
        html! { (r.state.label(lang))
        @if let Some(d) = &r.draft { br; span.note { (t(lang, "下書きでは: ", "In the draft: ")) (d.label(lang)) } } },
        cell(&format!("{} {}", r.place, r.district)),
        cell(&r.kind_name),
        cell(&format!("{} – {}", r.earliest, r.latest)),
        html! { (r.name) " " a href={ "tel:" (r.phone) } { (r.phone) } @if !r.note.is_empty() { br; span.note { (r.note) } } },
        cancel,
    ]
}

pub async fn list(
    Planner(caller): Planner,
    State(s): State<AppState>,
    Query(f): Query<Filter>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    s.store.audit_read(&caller.who(), "requests", "page").await?;
    let (rows, stops, kinds) = all_rows(&s, lang).await?;
    let kept: Vec<&RequestRow> = rows.iter().filter(|r| f.keeps(r)).collect();
    let headers = [
        t(lang, "予約番号", "Id"),
        t(lang, "状況（お知らせ済み）", "State (as announced)"),
        t(lang, "場所", "Place"),
        t(lang, "サービス", "Service"),
        t(lang, "期間", "Dates"),
        t(lang, "氏名・電話", "Name, phone"),
        "",
    ];
    let table_rows: Vec<Vec<Markup>> = kept.iter().map(|r| row_markup(lang, r, caller.csrf())).collect();
    let (online, all) = online_share(&rows);
    let share = if all == 0 { 0.0 } else { 100.0 * online as f64 / all as f64 };
    let body = html! {
        p data-testid="online-share" { (match lang {
            Lang::Ja => format!("オンラインでの事前申請割合: {share:.0}%（{online} / {all} 件、目標 30%）"),
            Lang::En => format!("Applied online in advance: {share:.0}% ({online} of {all}; target 30%)"),
        }) }
        (filter_form(lang, &f, &stops, &kinds))
        p { (kept.len()) " / " (rows.len()) (t(lang, " 件", " requests")) " — "
            a href={ "/planner/requests.csv?" (f.query()) } { (t(lang, "CSVで保存（Excel）", "Download CSV (Excel)")) } }
        div.scroll { (super::layout::table(&headers, &table_rows)) }
        h2 { (t(lang, "表から取り込む", "Import from a table")) }
        form method="post" action="/planner/requests/import" {
            (csrf_input(caller.csrf()))
            p { label for="table" { (t(lang,
                "Excel のセルを見出しごと貼り付けるか、CSV の中身を貼り付けてください（列: 予約番号・サービス種別・訪問先・いつから・いつまで・優先度・氏名・電話番号・メモ・受付経路）。",
                "Paste Excel cells with their headings, or a CSV file's text (columns: id, kind, stop, earliest, latest, priority, name, phone, note, channel).")) } }
            textarea id="table" name="table" rows="6" cols="60" required {}
            p { button type="submit" { (t(lang, "取り込む（すべて確認してから保存）", "Import (all checked before anything is saved)")) } }
        }
    };
    Ok(staff_page(lang, &caller, t(lang, "予約一覧", "Requests"), "/planner/requests", body))
}

pub async fn csv(planner: Planner, State(s): State<AppState>, Query(f): Query<Filter>) -> Result<Response, ApiError> {
    let lang = current_lang();
    s.store.audit_read(&planner.who(), "requests", "csv").await?;
    let (rows, ..) = all_rows(&s, lang).await?;
    let kept: Vec<RequestRow> = rows.into_iter().filter(|r| f.keeps(r)).collect();
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"requests.csv\""),
    ];
    Ok((headers, request_rows_csv(&kept, lang)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ImportForm {
    table: String,
}

/// Imports the pasted table: every line is checked with the data set first; one problem
/// anywhere stores nothing and lists every problem by line.
pub async fn import(
    planner: Planner,
    State(s): State<AppState>,
    Form(f): Form<ImportForm>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let title = t(lang, "表から取り込む", "Import from a table");
    let lead = t(lang, "取り込めませんでした（何も保存していません）。", "Nothing was imported.");
    let rows = match parse_request_table(&f.table, "table") {
        Ok(rows) => rows,
        Err(problems) => return refused_write(ApiError::invalid(problems), lang, title, lead),
    };
    let [ja, en] = RESERVED_FOR_APPLICATIONS;
    let reserved: Vec<String> = rows
        .iter()
        .filter(|(_, r)| r["id"].as_str().is_some_and(is_application_number))
        .map(|(line, _)| format!("table: line {line} — {}", t(lang, ja, en)))
        .collect();
    if !reserved.is_empty() {
        return Ok(refusal(lang, title, lead, reserved));
    }
    match import_requests(&s, &planner.who(), "table", rows).await {
        Ok(_) => Ok(Redirect::to("/planner/requests").into_response()),
        Err(e) => refused_write(e, lang, title, lead),
    }
}

#[derive(Debug, Deserialize)]
pub struct CancelForm {
    reason: String,
}

/// Cancels a request (it leaves the data set; an accepted application shows 取消), with
/// the reason in the audit log.
pub async fn cancel(
    planner: Planner,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<CancelForm>,
) -> Result<Response, ApiError> {
    let reason = reason_field(&f.reason, ["取り消す理由を書いてください", "write why the request is cancelled"])?;
    cancel_request(&s, &planner.who(), &id, &reason).await?;
    Ok(Redirect::to("/planner/requests").into_response())
}
