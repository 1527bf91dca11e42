//! Staff pages behind the sign-in: the planner's page (plan versions, the map, KPIs,
//! unserved requests with reasons, create and publish buttons; read-only for viewers) and
//! the driver's printable itinerary with its map (audited: it names residents).

use std::fmt::Write;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;

use super::account::staff_nav;
use super::layout::{csrf_field, esc, page, t, table};
use super::planner_forms::{replan_buttons, request_form};
use super::resident::credits;
use super::svg_map::svg;
use crate::io::problem_file::HorizonChoice;
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::{Driver, Planner, Viewer};
use crate::server::error::{ApiError, current_lang};
use crate::server::planner::begin_plan;
use crate::server::store::PlanColumn;

#[derive(Debug, Default, Deserialize)]
pub struct PlanQuery {
    plan: Option<i64>,
}

fn num(v: &Value) -> String {
    match v {
        Value::Number(n) => {
            n.as_f64().map_or(n.to_string(), |f| if f.fract() == 0.0 { format!("{f:.0}") } else { format!("{f:.2}") })
        }
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

/// `/planner`: versions, and the chosen (or newest finished) plan in detail.
pub async fn planner(
    who: Result<Viewer, ApiError>,
    State(s): State<AppState>,
    Query(q): Query<PlanQuery>,
) -> Result<Response, ApiError> {
    let Ok(Viewer(caller)) = who else { return Ok(Redirect::to("/login").into_response()) };
    let (may_plan, csrf) = (caller.account.role.plans(), caller.csrf().to_string());
    let lang = current_lang();
    let plans = s.store.plans().await?;
    let running = plans.iter().any(|p| p.status == "queued" || p.status == "running");
    let mut body = String::new();
    if may_plan {
        let _ = write!(
            body,
            "<form class=\"inline\" method=\"post\" action=\"/planner/plans\">{}<div><label for=\"week\">{}</label>\
         <input id=\"week\" name=\"week\" type=\"date\"></div><div><label for=\"weeks\">{}</label>\
         <input id=\"weeks\" name=\"weeks\" type=\"number\" min=\"1\" max=\"8\" value=\"1\"></div><button type=\"submit\">{}</button></form>",
            csrf_field(&csrf),
            t(lang, "対象週（その週の任意の日）", "Week (any day in it)"),
            t(lang, "週数", "Weeks"),
            t(lang, "計画を作成", "Make a plan")
        );
    }
    let rows: Vec<Vec<String>> = plans
        .iter()
        .take(10)
        .map(|p| {
            let progress = s.jobs.progress(p.id).unwrap_or(p.progress);
            vec![
                format!("<a href=\"/planner?plan={0}\">{0}</a>", p.id),
                format!("<span data-status=\"{0}\">{0}</span>", esc(&p.status)),
                esc(&p.kind),
                esc(&p.first_monday),
                format!("<progress value=\"{progress:.2}\" max=\"1\">{:.0}%</progress>", progress * 100.0),
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
    let _ = write!(body, "<h2>{}</h2>{}", t(lang, "計画の版", "Plan versions"), table(&headers, &rows));
    let chosen = match q.plan {
        Some(id) => plans.iter().find(|p| p.id == id),
        None => plans.iter().find(|p| matches!(p.status.as_str(), "draft" | "published")),
    };
    if let Some(p) = chosen {
        let summary: Value = p.summary_json.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default();
        let _ = write!(body, "<h2>{} {} ({})</h2>", t(lang, "計画", "Plan"), p.id, esc(&p.status));
        if p.status == "draft" && may_plan {
            let _ = write!(
                body,
                "<form method=\"post\" action=\"/planner/plans/{}/publish\">{}<button type=\"submit\">{}</button></form>",
                p.id,
                csrf_field(&csrf),
                t(lang, "この計画を公開する", "Publish this plan")
            );
        }
        let k = &summary["kpis"];
        let rows = [
            (
                t(lang, "予約（対応/全体）", "Requests served / all"),
                format!("{} / {}", num(&k["requests_served"]), num(&k["requests_total"])),
            ),
            (t(lang, "平均待ち日数", "Mean waiting days"), num(&k["mean_waiting_days"])),
            (
                t(lang, "中山間地域の訪問先", "Mountainous stops visited"),
                format!("{} / {}", num(&k["mountainous_stops_visited"]), num(&k["mountainous_stops"])),
            ),
            (t(lang, "訪問回数", "Visits"), num(&k["visits"])),
            (t(lang, "走行距離（m）", "Distance (m)"), num(&k["distance_m"])),
            (t(lang, "稼働率", "Utilisation"), num(&k["utilisation"])),
            (t(lang, "いつもの曜日の割合", "On the usual weekday"), num(&k["regular_weekday_share"])),
        ];
        let _ = write!(body, "<h3>KPI</h3><table><tbody>");
        for (label, value) in rows {
            let _ = write!(body, "<tr><th scope=\"row\">{}</th><td>{}</td></tr>", esc(label), esc(&value));
        }
        body.push_str("</tbody></table>");
        let map_text = s.store.plan_output(p.id, PlanColumn::MapGeojson).await?.unwrap_or_default();
        let map: Value = serde_json::from_str(&map_text).unwrap_or(Value::Null);
        let boundary: Option<Value> = s.boundary.as_deref().and_then(|b| serde_json::from_str(b).ok());
        let _ = write!(
            body,
            "<h3>{}</h3>{}",
            t(lang, "地図", "Map"),
            svg(boundary.as_ref(), &map, t(lang, "計画の地図", "Map of the plan"))
        );
        if p.kind != "plan" {
            body.push_str(&changed_windows(lang, &summary));
        }
        let unserved = summary["unserved"].as_array().cloned().unwrap_or_default();
        let _ = write!(body, "<h3>{} ({})</h3><ul>", t(lang, "未対応の予約", "Unserved requests"), unserved.len());
        for u in &unserved {
            let reason = if lang == Lang::Ja { &u["reason"]["ja"] } else { &u["reason"]["en"] };
            let _ = write!(
                body,
                "<li>{} — {} ({})</li>",
                esc(u["id"].as_str().unwrap_or("")),
                esc(reason.as_str().unwrap_or("")),
                esc(u["code"].as_str().unwrap_or(""))
            );
        }
        body.push_str("</ul>");
    }
    if may_plan {
        if s.store.published_id().await?.is_some() {
            body.push_str(&replan_buttons(lang, &csrf));
        }
        body.push_str(&request_form(&s, lang, &csrf).await?);
    }
    let mut html =
        page(lang, t(lang, "計画担当", "Planner"), "/planner", &staff_nav(lang, &caller), &body, &credits(&s).await);
    if running {
        html = html.replacen("<head>", "<head>\n<meta http-equiv=\"refresh\" content=\"2\">", 1);
    }
    Ok(Html(html).into_response())
}

/// For a re-plan: how many published windows it keeps, and each one it changes.
fn changed_windows(lang: Lang, summary: &Value) -> String {
    let changed = summary["changed_windows"].as_array().cloned().unwrap_or_default();
    let published = summary["published_visits"].as_u64().unwrap_or(0);
    let mut out = format!(
        "<h3>{}</h3><p>{}</p><ul>",
        t(lang, "公開済みの時間枠", "Published windows"),
        esc(&match lang {
            Lang::Ja => format!("公開済みの訪問 {published} 件のうち {} 件の時間枠が変わります", changed.len()),
            Lang::En => format!("{} of {published} published windows change", changed.len()),
        })
    );
    for c in &changed {
        let window = |w: &Value| match (w[0].as_str(), w[1].as_str()) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => t(lang, "訪問なし", "no visit").to_string(),
        };
        let _ = write!(
            out,
            "<li>{} {} {} → {}</li>",
            esc(c["date"].as_str().unwrap_or("")),
            esc(c["stop_name"].as_str().filter(|n| !n.is_empty()).unwrap_or(t(lang, "自宅訪問", "home visit"))),
            esc(&window(&c["published"])),
            esc(&window(&c["now"]))
        );
    }
    out.push_str("</ul>");
    out
}

#[derive(Debug, Deserialize)]
pub struct NewPlanForm {
    week: Option<String>,
    weeks: Option<String>,
}

/// Starts a plan from the page's form, then returns to the page.
pub async fn create_plan(
    planner: Planner,
    State(s): State<AppState>,
    Form(f): Form<NewPlanForm>,
) -> Result<Response, ApiError> {
    let week_of =
        f.week.as_deref().filter(|w| !w.is_empty()).and_then(|w| chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").ok());
    let weeks = f.weeks.as_deref().and_then(|w| w.parse().ok());
    let id = begin_plan(&s, &planner.who(), HorizonChoice { week_of, weeks, today: s.config.clock.today() }, 1).await?;
    Ok(Redirect::to(&format!("/planner?plan={id}")).into_response())
}

pub async fn publish(p: Planner, State(s): State<AppState>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    if !s.store.publish(id, &p.who()).await? {
        return Err(ApiError::conflict(
            ["公開できるのは下書きだけです", "only a draft can be published"],
            ["状態を確認してください", "check its status"],
        ));
    }
    Ok(Redirect::to(&format!("/planner?plan={id}")).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct DayQuery {
    date: Option<String>,
}

/// `/driver`: the unit's itinerary for a day (default: the next working day), printable.
pub async fn driver(
    who: Result<Driver, ApiError>,
    State(s): State<AppState>,
    Query(q): Query<DayQuery>,
) -> Result<Response, ApiError> {
    let Ok(Driver(caller)) = who else { return Ok(Redirect::to("/login").into_response()) };
    let lang = current_lang();
    let days = crate::server::driver::driver_days(&s, &caller.account).await?;
    let today = crate::server::public::today(&s);
    let chosen = match &q.date {
        Some(date) => days.iter().find(|day| day["date"].as_str() == Some(date.as_str())),
        None => days.iter().find(|day| day["date"].as_str().is_some_and(|x| x >= today.as_str())).or(days.first()),
    };
    let mut body = String::from("<nav aria-label=\"days\" class=\"no-print\"><ul>");
    for day in &days {
        let date = day["date"].as_str().unwrap_or("");
        let _ = write!(body, "<li><a href=\"/driver?date={0}\">{0}</a></li>", esc(date));
    }
    body.push_str("</ul></nav>");
    match chosen {
        None => {
            let _ = write!(
                body,
                "<p class=\"notice\">{}</p>",
                t(lang, "公開中の運行はありません。", "No published itinerary.")
            );
        }
        Some(day) => {
            let target =
                format!("itinerary/{}/{}", day["date"].as_str().unwrap_or(""), day["unit_id"].as_str().unwrap_or(""));
            s.store.audit_read(&caller.who(), &target, "page").await?;
            let _ = write!(
                body,
                "<h2>{} {} — {}</h2><p>{} {} ・ {} {}</p>",
                esc(day["date"].as_str().unwrap_or("")),
                esc(day["weekday"].as_str().unwrap_or("")),
                esc(day["unit_name"].as_str().unwrap_or("")),
                t(lang, "出発", "Leave"),
                esc(day["departure"].as_str().unwrap_or("")),
                t(lang, "帰着", "Back"),
                esc(day["return_time"].as_str().unwrap_or(""))
            );
            let minutes = t(lang, "分", " min");
            let rows: Vec<Vec<String>> = day["stops"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|st| {
                    let bookings: Vec<String> = st["requests"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|r| {
                            let text = |k: &str| r[k].as_str().unwrap_or("").to_string();
                            format!(
                                "{} {} {}{minutes} {}",
                                text("kind_name"),
                                text("resident_name"),
                                num(&r["minutes"]),
                                text("phone")
                            )
                        })
                        .collect();
                    let text = |k: &str| esc(st[k].as_str().unwrap_or(""));
                    vec![
                        num(&st["order"]),
                        format!("{}–{}", text("arrival"), text("departure")),
                        format!("{}<br><span class=\"muted\">{}</span>", text("name"), text("address")),
                        esc(&bookings.join(" / ")),
                        format!("<a href=\"{}\">{}</a>", text("navigation"), t(lang, "経路", "Route")),
                    ]
                })
                .collect();
            let headers = [
                "#",
                t(lang, "到着–出発", "Arrive–leave"),
                t(lang, "訪問先", "Stop"),
                t(lang, "予約（個人情報）", "Bookings (personal data)"),
                t(lang, "ナビ", "Navigate"),
            ];
            body.push_str(&table(&headers, &rows));
            let bring: Vec<String> =
                day["bring"].as_array().into_iter().flatten().filter_map(|b| b.as_str().map(esc)).collect();
            let _ = write!(
                body,
                "<h3>{}</h3><ul><li>{}</li></ul>",
                t(lang, "持ち物", "What to bring"),
                bring.join("</li><li>")
            );
            let boundary: Option<Value> = s.boundary.as_deref().and_then(|b| serde_json::from_str(b).ok());
            let _ = write!(
                body,
                "<h3>{}</h3>{}",
                t(lang, "地図", "Map"),
                svg(boundary.as_ref(), &day["geometry"], t(lang, "運行経路", "Route map"))
            );
            let _ = write!(
                body,
                "<p class=\"no-print\"><button type=\"button\" onclick=\"window.print()\">{}</button></p>",
                t(lang, "印刷する", "Print")
            );
        }
    }
    let html =
        page(lang, t(lang, "運行表", "Itinerary"), "/driver", &staff_nav(lang, &caller), &body, &credits(&s).await);
    Ok(Html(html).into_response())
}
