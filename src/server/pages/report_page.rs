//! `/planner/report`: the month's planned against actual, per district, with charts drawn on
//! the server; `/planner/report.csv` (the figures) and `/planner/open-data.csv` (visits and
//! services per district and service kind, no personal data; schema in docs/REPORT.md),
//! both as CSV that Excel opens. Staff who may read plans (viewers too): nothing personal.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

use super::account::staff_page;
use super::layout::{cell, print_button, t, table};
use super::requests_page::stop_districts;
use super::svg_chart::{self, Target};
use crate::io::excel_csv::excel_csv;
use crate::io::month_report::{CLASS_TARGET_PER_YEAR, MonthReport, ONLINE_TARGET};
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::Viewer;
use crate::server::error::{ApiError, current_lang};
use crate::server::report::{ReportQuery, report};

fn percent(share: Option<f64>) -> String {
    share.map(|s| format!("{:.1}%", s * 100.0)).unwrap_or_else(|| "—".into())
}

fn one(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into())
}

/// The district as shown: home visits have none.
fn district_name(lang: Lang, d: &str) -> String {
    if d.is_empty() { t(lang, "自宅訪問", "Home visits").to_string() } else { d.to_string() }
}

/// `(figure, planned, actual, target)` rows: the page's table and the CSV.
fn figures(lang: Lang, r: &MonthReport) -> Vec<[String; 4]> {
    let n = |v: u32| v.to_string();
    let p = &r.punctuality;
    let year_total = r.class_cumulative.last().map_or(0, |c| c.1);
    vec![
        [t(lang, "受付した依頼", "Requests received").into(), String::new(), n(r.requests_received), String::new()],
        [
            t(lang, "うちオンライン申請", "of which online").into(),
            String::new(),
            percent(r.online_share()),
            percent(Some(ONLINE_TARGET)),
        ],
        [t(lang, "予約（訪問での対応）", "Bookings at visits").into(), n(r.bookings_planned), n(r.done), String::new()],
        [t(lang, "不在", "No-shows").into(), String::new(), n(r.no_show), String::new()],
        [t(lang, "当日取消", "Cancelled on the day").into(), String::new(), n(r.cancelled), String::new()],
        [t(lang, "延期希望", "Wants another date").into(), String::new(), n(r.postponed), String::new()],
        [t(lang, "結果の記録なし", "No outcome recorded").into(), String::new(), n(r.unrecorded), String::new()],
        [
            t(lang, "平均待ち日数（受付から実施まで）", "Mean days waited (received to served)").into(),
            String::new(),
            one(r.mean_waiting_days),
            String::new(),
        ],
        [
            t(lang, "訪問（到着の記録あり）", "Visits (arrival recorded)").into(),
            n(r.visits_planned),
            n(p.recorded),
            String::new(),
        ],
        [
            t(lang, "お知らせした時間どおりの到着", "Arrived by the announced time").into(),
            String::new(),
            percent(r.on_time_share()),
            String::new(),
        ],
        [t(lang, "運行（車両・日）", "Unit-days run").into(), n(r.routes_planned), n(r.routes_run), String::new()],
        [
            t(lang, "運行時間（時間）", "Unit hours").into(),
            format!("{:.1}", r.unit_hours_planned),
            String::new(),
            String::new(),
        ],
        [
            t(lang, "現地での時間（両端の記録がある運行、時間）", "On-site hours (routes recorded at both ends)")
                .into(),
            format!("{:.1}", r.on_site_hours_planned),
            format!("{:.1}", r.on_site_hours_recorded),
            String::new(),
        ],
        [
            t(lang, "走行距離（km、運行した日の計画値）", "Distance (km, planned, of the days run)").into(),
            format!("{:.1}", r.km_planned),
            format!("{:.1}", r.km_run),
            String::new(),
        ],
        [
            t(lang, "中山間地域の訪問先", "Mountain stops").into(),
            n(r.mountain_stops_planned),
            n(r.mountain_stops_visited),
            String::new(),
        ],
        [
            t(lang, "スマホ教室などの参加者（今月）", "Class participants (this month)").into(),
            String::new(),
            n(r.class_participants),
            String::new(),
        ],
        [
            t(lang, "参加者（年度累計）", "Participants (fiscal year to date)").into(),
            String::new(),
            n(year_total),
            n(CLASS_TARGET_PER_YEAR),
        ],
    ]
}

fn charts(lang: Lang, r: &MonthReport) -> Markup {
    let outcomes = vec![
        (t(lang, "予約", "Booked").to_string(), f64::from(r.bookings_planned)),
        (t(lang, "完了", "Done").to_string(), f64::from(r.done)),
        (t(lang, "不在", "No-show").to_string(), f64::from(r.no_show)),
        (t(lang, "当日取消", "Cancelled").to_string(), f64::from(r.cancelled)),
        (t(lang, "延期希望", "Postponed").to_string(), f64::from(r.postponed)),
        (t(lang, "記録なし", "Unrecorded").to_string(), f64::from(r.unrecorded)),
    ];
    let labels = [t(lang, "時間どおり", "On time"), "1–5分", "6–15分", "16–30分", t(lang, "31分以上", "31+ min")];
    let delays: Vec<(String, f64)> =
        labels.iter().zip(r.punctuality.delay_buckets).map(|(l, n)| (l.to_string(), f64::from(n))).collect();
    let year: Vec<(String, f64)> =
        r.class_cumulative.iter().map(|(m, n)| (m.get(5..).unwrap_or(m).to_string(), f64::from(*n))).collect();
    let target_label =
        format!("{}{CLASS_TARGET_PER_YEAR}{}", t(lang, "年間目標 ", "Target "), t(lang, "人", " a year"));
    let online =
        vec![(t(lang, "オンライン申請の割合", "Online share").to_string(), r.online_share().unwrap_or(0.0) * 100.0)];
    let online_label = format!("{}30%", t(lang, "目標 ", "Target "));
    html! {
        div.charts {
            (svg_chart::bars(t(lang, "予約と結果（件）", "Bookings and outcomes"), &outcomes, None))
            (svg_chart::bars(t(lang, "到着の遅れ（お知らせした開始時刻から）", "Arrival delay (from the announced start)"), &delays, None))
            (svg_chart::cumulative(t(lang, "教室参加者の年度累計（人）", "Class participants, fiscal year to date"), &year, 12,
                &Target { value: f64::from(CLASS_TARGET_PER_YEAR), label: &target_label }))
            (svg_chart::bars(t(lang, "オンライン申請の割合（%）", "Applications made online (%)"), &online,
                Some(&Target { value: ONLINE_TARGET * 100.0, label: &online_label })))
        }
    }
}

fn choice(lang: Lang, r: &MonthReport, districts: &[&str]) -> Markup {
    html! {
        form.inline.no-print method="get" action="/planner/report" {
            div { label for="month" { (t(lang, "月", "Month")) } input id="month" name="month" type="month" value=(r.month); }
            div { label for="district" { (t(lang, "地区", "District")) }
                select id="district" name="district" {
                    option value="" { (t(lang, "すべての地区", "All districts")) }
                    @for d in districts { option value=(d) selected[r.district.as_deref() == Some(*d)] { (d) } }
                } }
            button type="submit" { (t(lang, "表示", "Show")) }
        }
    }
}

pub async fn report_page(
    who: Result<Viewer, ApiError>,
    State(s): State<AppState>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, ApiError> {
    let Ok(Viewer(caller)) = who else { return Ok(Redirect::to("/login").into_response()) };
    let lang = current_lang();
    let r = report(&s, &q).await?;
    let stops = s.store.stops().await?;
    let rows: Vec<Vec<Markup>> = figures(lang, &r).iter().map(|row| row.iter().map(|c| cell(c)).collect()).collect();
    let query = format!("month={}&district={}", r.month, r.district.as_deref().unwrap_or(""));
    let heading = format!("{} {}", r.month, r.district.as_deref().unwrap_or(t(lang, "全地区", "all districts")));
    let body = html! {
        (choice(lang, &r, &stop_districts(&stops)))
        h2 { (heading) }
        div.scroll { (table(&[t(lang, "指標", "Figure"), t(lang, "計画", "Planned"), t(lang, "実績", "Actual"), t(lang, "目標", "Target")], &rows)) }
        p.no-print {
            a href={ "/planner/report.csv?" (query) } { (t(lang, "この表をCSVで保存（Excel）", "Download this table (CSV, Excel)")) } " ・ "
            a href={ "/planner/open-data.csv?month=" (r.month) } { (t(lang, "オープンデータ（CSV、個人情報なし）", "Open data (CSV, no personal data)")) }
        }
        (charts(lang, &r))
        (print_button(t(lang, "印刷する", "Print")))
    };
    Ok(staff_page(lang, &caller, t(lang, "計画と実績", "Planned and actual"), "/planner/report", body))
}

fn csv_response(name: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

pub async fn report_csv(
    _: Viewer,
    State(s): State<AppState>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let r = report(&s, &q).await?;
    let headers =
        [t(lang, "指標", "Figure"), t(lang, "計画", "Planned"), t(lang, "実績", "Actual"), t(lang, "目標", "Target")];
    let rows: Vec<Vec<String>> = figures(lang, &r).into_iter().map(Vec::from).collect();
    Ok(csv_response(&format!("report-{}.csv", r.month), excel_csv(&headers, &rows)))
}

/// The open-data columns (docs/REPORT.md): Japanese headers, as the city publishes them.
pub const OPEN_DATA_HEADERS: [&str; 7] =
    ["年月", "地区", "サービス種別コード", "サービス種別", "訪問回数", "実施件数", "教室参加者数"];

pub async fn open_data_csv(
    _: Viewer,
    State(s): State<AppState>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, ApiError> {
    let whole = ReportQuery { month: q.month.clone(), district: None };
    let r = report(&s, &whole).await?;
    let rows: Vec<Vec<String>> = r
        .open_data
        .iter()
        .map(|o| {
            vec![
                o.month.clone(),
                district_name(Lang::Ja, &o.district),
                o.kind.clone(),
                o.kind_name.clone(),
                o.visits.to_string(),
                o.served.to_string(),
                o.participants.to_string(),
            ]
        })
        .collect();
    Ok(csv_response(&format!("open-data-{}.csv", r.month), excel_csv(&OPEN_DATA_HEADERS, &rows)))
}
