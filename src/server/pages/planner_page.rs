//! `/planner`: plan versions with progress, the chosen plan's KPIs, map, unserved requests
//! and (for a re-plan) the published windows it changes; for planners also the forms to
//! make, publish and re-plan a plan and to add a request. Viewers see it read-only.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Datelike;
use geojson::FeatureCollection;
use maud::{Markup, html};
use serde::Deserialize;

use super::account::staff_nav;
use super::layout::{Page, cell, csrf_input, t, table, visit_day};
use super::map_view::MapQuery;
use super::planner_forms::replan_buttons;
use super::request_form::{FormState, request_form};
use super::resident::credits;
use super::svg_map;
use super::{application_queue, availability, changes_page, follow_up_queue};
use crate::calendar::holidays::{FIRST_YEAR, LAST_YEAR};
use crate::diagnostics::Diagnostic;
use crate::io::problem_file::HorizonChoice;
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::auth::{Planner, Viewer};
use crate::server::changes::{publish_plan, review_of};
use crate::server::error::{ApiError, current_lang};
use crate::server::plan_routes::find_plan;
use crate::server::planning::begin_plan;
use crate::server::store::{ChangedWindow, PlanColumn, PlanKind, PlanRow, PlanStatus, PlanSummary};

#[derive(Debug, Default, Deserialize)]
pub struct PlanQuery {
    plan: Option<i64>,
}

/// A figure for the KPI table: whole numbers without decimals, others with two.
fn figure(x: f64) -> String {
    if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x:.2}") }
}

fn versions(s: &AppState, lang: Lang, plans: &[PlanRow]) -> Markup {
    let rows: Vec<Vec<Markup>> = plans
        .iter()
        .take(10)
        .map(|p| {
            let progress = s.jobs.progress(p.id).unwrap_or(p.progress);
            let [status_ja, status_en] = p.status.label();
            let [kind_ja, kind_en] = p.kind.label();
            vec![
                html! { a href={ "/planner?plan=" (p.id) } { (p.id) } },
                html! { span data-status=(p.status.as_str()) { (t(lang, status_ja, status_en)) } },
                cell(t(lang, kind_ja, kind_en)),
                cell(&p.first_monday),
                html! { progress value=(format!("{progress:.2}")) max="1" { (format!("{:.0}%", progress * 100.0)) } },
            ]
        })
        .collect();
    let headers = [
        "ID",
        t(lang, "状態", "Status"),
        t(lang, "種類", "Kind"),
        t(lang, "開始週", "First Monday"),
        t(lang, "進捗", "Progress"),
    ];
    html! { h2 { (t(lang, "計画の版", "Plan versions")) } (table(&headers, &rows)) }
}

fn kpi_table(lang: Lang, summary: &PlanSummary) -> Markup {
    let k = &summary.kpis;
    let rows = [
        (
            t(lang, "予約（対応/全体）", "Requests served / all"),
            format!("{} / {}", k.requests_served, k.requests_total),
        ),
        (t(lang, "平均待ち日数", "Mean waiting days"), figure(k.mean_waiting_days)),
        (
            t(lang, "中山間地域の訪問先", "Mountainous stops visited"),
            format!("{} / {}", k.mountainous_stops_visited, k.mountainous_stops),
        ),
        (t(lang, "訪問回数", "Visits"), k.visits.to_string()),
        (t(lang, "走行距離（km）", "Distance (km)"), format!("{:.1}", k.distance.km())),
        (t(lang, "稼働率", "Utilisation"), figure(k.utilisation)),
        (t(lang, "いつもの曜日の割合", "On the usual weekday"), figure(k.regular_weekday_share)),
    ];
    html! {
        h3 { "KPI" }
        table { tbody { @for (label, value) in rows { tr { th scope="row" { (label) } td { (value) } } } } }
    }
}

/// For a re-plan: how many published windows it keeps, and each one it changes.
fn changed_windows(lang: Lang, summary: &PlanSummary) -> Markup {
    let changed = &summary.changed_windows;
    let published = summary.published_visits;
    let window = |w: &Option<(String, String)>| match w {
        Some((a, b)) => format!("{a}–{b}"),
        None => t(lang, "訪問なし", "no visit").to_string(),
    };
    let place = |c: &ChangedWindow| {
        if c.stop_name.is_empty() { t(lang, "自宅訪問", "home visit").to_string() } else { c.stop_name.clone() }
    };
    html! {
        h3 { (t(lang, "公開済みの時間枠", "Published windows")) }
        p { @match lang {
            Lang::Ja => { "公開済みの訪問 " (published) " 件のうち " (changed.len()) " 件の時間枠が変わります" }
            Lang::En => { (changed.len()) " of " (published) " published windows change" }
        } }
        ul { @for c in changed {
            li { (c.date) " " (place(c)) " " (window(&Some(c.published.clone()))) " → " (window(&c.now)) }
        } }
    }
}

fn unserved(lang: Lang, summary: &PlanSummary) -> Markup {
    html! {
        h3 { (t(lang, "未対応の予約", "Unserved requests")) " (" (summary.unserved.len()) ")" }
        ul { @for u in &summary.unserved {
            li { (u.id) " — " (if lang == Lang::Ja { &u.reason.ja } else { &u.reason.en }) " (" (u.code) ")" }
        } }
    }
}

/// The chosen plan in detail.
async fn plan_detail(
    s: &AppState,
    lang: Lang,
    p: &PlanRow,
    caller: &Caller,
    view: &MapQuery,
) -> Result<Markup, ApiError> {
    let (may_plan, csrf) = (caller.account.role.plans(), caller.csrf());
    let may_publish = may_plan && matches!(p.status, PlanStatus::Draft | PlanStatus::Superseded);
    let review = if may_publish {
        Some(changes_page::review_section(s, lang, &review_of(s, p).await?, &caller.who()).await?)
    } else {
        None
    };
    let map_text = s.store.plan_output(p.id, PlanColumn::MapGeojson).await?.unwrap_or_default();
    let map: FeatureCollection = serde_json::from_str(&map_text).unwrap_or_default();
    let [status_ja, status_en] = p.status.label();
    let summary = p.summary();
    Ok(html! {
        h2 { (t(lang, "計画", "Plan")) " " (p.id) " (" (t(lang, status_ja, status_en)) ")" }
        @if let Some(r) = review { (r) }
        @if may_publish {
            form method="post" action={ "/planner/plans/" (p.id) "/publish" } {
                (csrf_input(csrf))
                button type="submit" { @if p.status == PlanStatus::Draft { (t(lang, "この計画を公開する", "Publish this plan")) }
                    @else { (t(lang, "この版をもう一度公開する（元に戻す）", "Publish this version again (roll back)")) } }
            }
        }
        @if may_plan && p.status == PlanStatus::Published {
            p { a href="/planner/calls" { (t(lang, "連絡リスト（予約が動いた住民）", "Call list (residents whose booking moved)")) }
                " ・ " a href="/planner/day-before" { (t(lang, "前日確認リスト", "Day-before call list")) } }
        }
        @if let Some(summary) = &summary { (kpi_table(lang, summary)) }
        h3 { (t(lang, "地図", "Map")) }
        (svg_map::map(s.backdrop(), lang, &format!("/planner?plan={}", p.id), view, &map, t(lang, "計画の地図", "Map of the plan")))
        @if let Some(summary) = &summary {
            @if p.kind != PlanKind::Plan { (changed_windows(lang, summary)) }
            (unserved(lang, summary))
        }
    })
}

/// The dates with announced visits from today on (eight weeks), with their weekdays.
async fn announced_days(s: &AppState) -> Result<Vec<(String, String)>, ApiError> {
    let today = s.config.clock.today();
    let announced = s.store.announced(today, today + chrono::Duration::days(56), false).await?;
    Ok(announced
        .days()
        .into_iter()
        .filter(|(_, d)| d.date >= today && !d.routes.is_empty())
        .map(|(_, d)| (d.date.to_string(), d.weekday.clone()))
        .collect())
}

/// `/planner`: versions, and the chosen (or newest finished) plan in detail.
pub async fn planner(
    who: Result<Viewer, ApiError>,
    State(s): State<AppState>,
    Query(q): Query<PlanQuery>,
    Query(view): Query<MapQuery>,
) -> Result<Response, ApiError> {
    let Ok(Viewer(caller)) = who else { return Ok(Redirect::to("/login").into_response()) };
    let (may_plan, csrf) = (caller.account.role.plans(), caller.csrf());
    let lang = current_lang();
    let plans = s.store.plans().await?;
    let running = plans.iter().any(|p| p.status.in_progress());
    let chosen = match q.plan {
        Some(id) => plans.iter().find(|p| p.id == id),
        None => plans.iter().find(|p| matches!(p.status, PlanStatus::Draft | PlanStatus::Published)),
    };
    let detail = match chosen {
        Some(p) => Some(plan_detail(&s, lang, p, &caller, &view).await?),
        None => None,
    };
    let published = s.store.published_id().await?.is_some();
    let announced_days = if may_plan { announced_days(&s).await? } else { Vec::new() };
    let add_request = if may_plan { Some(request_form(&s, lang, csrf, &FormState::default()).await?) } else { None };
    let availability = if may_plan { Some(availability::section(&s, lang, csrf).await?) } else { None };
    let queue = if may_plan { Some(application_queue::section(&s, lang, csrf, &caller.who()).await?) } else { None };
    let follow_ups = if may_plan { Some(follow_up_queue::section(&s, lang, csrf, &caller.who()).await?) } else { None };
    let body = html! {
        @if may_plan {
            form.inline method="post" action="/planner/plans" {
                (csrf_input(csrf))
                div { label for="week" { (t(lang, "対象週（その週の任意の日）", "Week (any day in it)")) } input id="week" name="week" type="date"; }
                div { label for="weeks" { (t(lang, "週数", "Weeks")) } input id="weeks" name="weeks" type="number" min="1" max="8" value="1"; }
                button type="submit" { (t(lang, "計画を作成", "Make a plan")) }
                @if !announced_days.is_empty() {
                    fieldset.open-dates {
                        legend { (t(lang, "お知らせ済みの日は、そのまま残します。作り直す日だけ選んでください。",
                            "Announced dates stay as they are: tick only the dates to plan again.")) }
                        @for (date, weekday) in &announced_days {
                            label { input type="checkbox" name="open" value=(date); " " (visit_day(lang, date, weekday)) }
                        }
                    }
                }
            }
        }
        (versions(&s, lang, &plans))
        @if let Some(d) = detail { (d) }
        @if may_plan && published { (replan_buttons(lang, csrf)) }
        @if let Some(queue) = queue { (queue) }
        @if let Some(f) = follow_ups { (f) }
        @if let Some(form) = add_request { (form) }
        @if let Some(section) = availability { (section) }
    };
    let credits = credits(&s).await;
    let nav = staff_nav(lang, &caller);
    let mut page = Page::new(lang, t(lang, "計画担当", "Planner"), "/planner").nav(&nav).credits(&credits);
    if running {
        page = page.refresh(2);
    }
    Ok(Html(page.render(body)).into_response())
}

/// Starts a plan from the page's form (`week`, `weeks`, and an `open` per announced date to
/// plan again), then returns to the page.
pub async fn create_plan(
    planner: Planner,
    State(s): State<AppState>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let field = |name: &str| {
        let value = fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim());
        value.filter(|v| !v.is_empty()).map(str::to_string)
    };
    let (week, weeks) = (field("week"), field("weeks"));
    let mut problems = Vec::new();
    let open: Vec<chrono::NaiveDate> = fields
        .iter()
        .filter(|(k, _)| k == "open")
        .filter_map(|(_, v)| match chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(Diagnostic::bad_date("open", v));
                None
            }
        })
        .collect();
    let week_of = week.and_then(|w| match chrono::NaiveDate::parse_from_str(&w, "%Y-%m-%d") {
        Ok(day) if (FIRST_YEAR..=LAST_YEAR).contains(&day.year()) => Some(day),
        Ok(day) => {
            problems.push(Diagnostic::year_unsupported("week", day.year()));
            None
        }
        Err(_) => {
            problems.push(Diagnostic::bad_date("week", &w));
            None
        }
    });
    let weeks = weeks.and_then(|w| match w.parse::<u32>() {
        Ok(n) if (1..=8).contains(&n) => Some(n),
        _ => {
            problems.push(Diagnostic::bad_number("weeks", &w, "1–8"));
            None
        }
    });
    if !problems.is_empty() {
        return Err(ApiError::invalid(problems));
    }
    let choice = HorizonChoice::weeks(week_of, weeks, s.config.clock.today());
    let id = begin_plan(&s, &planner.who(), choice, 1, &open).await?;
    Ok(Redirect::to(&format!("/planner?plan={id}")).into_response())
}

pub async fn publish(p: Planner, State(s): State<AppState>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    find_plan(&s, id).await?;
    publish_plan(&s, id, &p.who()).await?;
    Ok(Redirect::to(&format!("/planner?plan={id}")).into_response())
}
