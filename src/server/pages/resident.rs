//! Residents' pages (public, Japanese first): find your hall by name, reading or district,
//! see its next visits in large type, add them to a calendar, and print an A4 timetable of
//! a district for those without smartphones.

use std::fmt::Write;

use axum::extract::{Path, Query, State};
use axum::response::Html;
use serde::Deserialize;
use serde_json::Value;

use super::layout::{esc, page, t, table, url_encode};
use crate::io::public_timetable::PublicVisit;
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::error::{ApiError, current_lang};
use crate::server::public::{fold_kana, snapshot, today};

fn nav(lang: Lang) -> Vec<(&'static str, &'static str)> {
    vec![("/", t(lang, "さがす", "Find a hall")), ("/timetable", t(lang, "時刻表を印刷", "Print a timetable"))]
}

pub(super) async fn credits(s: &AppState) -> String {
    snapshot(s).await.map(|snap| snap.credits.clone()).unwrap_or_default()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// One visit in large type: 「12月8日（火）10:30〜11:30」.
fn visit_line(lang: Lang, v: &PublicVisit) -> String {
    let date = chrono::NaiveDate::parse_from_str(&v.date, "%Y-%m-%d").ok();
    let day = match (lang, date) {
        (Lang::Ja, Some(d)) => format!("{}月{}日（{}）", d.format("%-m"), d.format("%-d"), v.weekday),
        (Lang::En, Some(d)) => d.format("%a %-d %b").to_string(),
        (_, None) => v.date.clone(),
    };
    format!("{day} {}〜{}", v.from, v.to)
}

fn services(lang: Lang, v: &PublicVisit) -> String {
    let mut list = v.services.clone();
    if let Some(c) = &v.class
        && !list.contains(c)
    {
        list.push(c.clone());
    }
    if list.is_empty() {
        t(lang, "窓口・相談（予約なしでご利用いただけます）", "counter and consultation (no booking needed)")
            .to_string()
    } else {
        list.join("・")
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct FindQuery {
    #[serde(default)]
    q: String,
}

/// `/`: the search form, and the matching halls with their next visit.
pub async fn home(State(s): State<AppState>, Query(q): Query<FindQuery>) -> Result<Html<String>, ApiError> {
    let lang = current_lang();
    let snap = snapshot(&s).await?;
    let (stops, visits) = (&snap.stops, &snap.visits);
    let from = today(&s);
    let mut body = format!(
        "<p>{}</p><form class=\"inline\" role=\"search\" action=\"/\" method=\"get\"><div><label for=\"q\">{}</label>\
         <input id=\"q\" name=\"q\" type=\"search\" value=\"{}\" autocomplete=\"off\"></div><button type=\"submit\">{}</button>\
         <input type=\"hidden\" name=\"lang\" value=\"{}\"></form>",
        t(
            lang,
            "移動市役所・移動診療車がお住まいの地区に来る日時を調べられます。",
            "Find when the mobile city office and the mobile clinic come to your area."
        ),
        t(lang, "集会所の名前・よみ・地区名", "Hall name, reading or district"),
        esc(&q.q),
        t(lang, "さがす", "Search"),
        if lang == Lang::Ja { "ja" } else { "en" },
    );
    let needle = fold_kana(q.q.trim());
    if needle.is_empty() {
        let mut districts: Vec<&str> = stops.iter().map(|st| text(st, "district")).filter(|d| !d.is_empty()).collect();
        districts.sort();
        districts.dedup();
        let _ = write!(body, "<h2>{}</h2><ul>", t(lang, "地区からさがす", "Browse by district"));
        for d in districts {
            let _ = write!(body, "<li><a href=\"/?q={}\">{}</a></li>", url_encode(d), esc(d));
        }
        body.push_str("</ul>");
    } else {
        let hits: Vec<&Value> = stops
            .iter()
            .filter(|st| {
                ["name", "reading", "district", "address"].iter().any(|k| fold_kana(text(st, k)).contains(&needle))
            })
            .collect();
        let _ = write!(
            body,
            "<h2 id=\"results\">{}: {}</h2>",
            t(lang, "検索結果", "Results"),
            esc(&format!("{} {}", hits.len(), t(lang, "件", "halls")))
        );
        if hits.is_empty() {
            let _ = write!(
                body,
                "<p class=\"notice\">{}</p>",
                t(lang, "見つかりませんでした。地区名でもさがせます。", "Nothing found. Try a district name.")
            );
        }
        for st in hits {
            let id = text(st, "id");
            let next = visits.iter().find(|v| v.stop_id == id && v.date >= from);
            let next_html = match next {
                Some(v) => format!(
                    "<p class=\"next\" data-testid=\"next-visit\">{} {}</p><p>{}: {}</p>",
                    t(lang, "次回", "Next:"),
                    esc(&visit_line(lang, v)),
                    t(lang, "内容", "Services"),
                    esc(&services(lang, v))
                ),
                None => format!(
                    "<p class=\"next\" data-testid=\"next-visit\">{}</p>",
                    t(lang, "予定はまだ公開されていません", "No visit published yet")
                ),
            };
            let _ = write!(
                body,
                "<section class=\"card\" aria-labelledby=\"h-{id}\"><h3 id=\"h-{id}\"><a href=\"/stops/{}\">{}</a></h3>\
                 <p class=\"muted\">{} {}</p>{next_html}</section>",
                url_encode(id),
                esc(text(st, "name")),
                esc(text(st, "district")),
                esc(text(st, "address")),
                id = esc(id),
            );
        }
    }
    let title = t(lang, "巡回 — 移動市役所・移動診療の予定", "junkai — mobile office and clinic visits");
    let self_url = if q.q.is_empty() { "/".to_string() } else { format!("/?q={}", url_encode(&q.q)) };
    Ok(Html(page(lang, title, &self_url, &nav(lang), &body, &credits(&s).await)))
}

/// `/stops/{id}`: a hall's visits, calendar link, print link.
pub async fn stop(State(s): State<AppState>, Path(id): Path<String>) -> Result<Html<String>, ApiError> {
    let lang = current_lang();
    let snap = snapshot(&s).await?;
    let st = snap.stops.iter().find(|st| text(st, "id") == id).ok_or_else(|| ApiError::not_found("訪問先", "stop"))?;
    let from = today(&s);
    let visits: Vec<&PublicVisit> = snap.visits.iter().filter(|v| v.stop_id == id && v.date >= from).collect();
    let mut body = format!("<p>{} {}</p>", esc(text(st, "district")), esc(text(st, "address")));
    if let Some(v) = visits.first() {
        let _ = write!(
            body,
            "<p class=\"next\" data-testid=\"next-visit\">{} {}</p>",
            t(lang, "次回", "Next:"),
            esc(&visit_line(lang, v))
        );
    }
    let mut rows: Vec<Vec<String>> =
        visits.iter().map(|v| vec![esc(&visit_line(lang, v)), esc(&v.unit_name), esc(&services(lang, v))]).collect();
    if rows.is_empty() {
        rows.push(vec![esc(t(lang, "公開中の予定はありません", "No published visits")), String::new(), String::new()]);
    }
    let headers = [t(lang, "日時", "When"), t(lang, "車両", "Vehicle"), t(lang, "内容", "Services")];
    let _ = write!(body, "<h2>{}</h2>{}", t(lang, "予定", "Visits"), table(&headers, &rows));
    let _ = write!(
        body,
        "<p class=\"no-print\"><a href=\"/api/public/stops/{}/calendar.ics\" download>{}</a> ・ \
         <a href=\"/timetable?district={}\">{}</a></p>",
        url_encode(&id),
        t(lang, "カレンダーに追加（.ics）", "Add to calendar (.ics)"),
        url_encode(text(st, "district")),
        t(lang, "地区の時刻表を印刷", "Print the district's timetable")
    );
    Ok(Html(page(
        lang,
        text(st, "name"),
        &format!("/stops/{}", url_encode(&id)),
        &nav(lang),
        &body,
        &credits(&s).await,
    )))
}

#[derive(Debug, Default, Deserialize)]
pub struct DistrictQuery {
    #[serde(default)]
    district: String,
}

/// `/timetable?district=`: an A4 timetable of a district's published visits.
pub async fn timetable(State(s): State<AppState>, Query(q): Query<DistrictQuery>) -> Result<Html<String>, ApiError> {
    let lang = current_lang();
    let snap = snapshot(&s).await?;
    let stops = &snap.stops;
    let mut districts: Vec<&str> = stops.iter().map(|st| text(st, "district")).filter(|d| !d.is_empty()).collect();
    districts.sort();
    districts.dedup();
    let mut body = format!(
        "<form class=\"inline\" action=\"/timetable\" method=\"get\"><div><label for=\"district\">{}</label><select id=\"district\" name=\"district\">",
        t(lang, "地区", "District")
    );
    for d in &districts {
        let selected = if *d == q.district { " selected" } else { "" };
        let _ = write!(body, "<option value=\"{0}\"{selected}>{0}</option>", esc(d));
    }
    let _ = write!(body, "</select></div><button type=\"submit\">{}</button></form>", t(lang, "表示", "Show"));
    if !q.district.is_empty() {
        let in_district: Vec<&str> =
            stops.iter().filter(|st| text(st, "district") == q.district).map(|st| text(st, "id")).collect();
        let visits: Vec<&PublicVisit> =
            snap.visits.iter().filter(|v| in_district.contains(&v.stop_id.as_str())).collect();
        let rows: Vec<Vec<String>> = visits
            .iter()
            .map(|v| vec![esc(&visit_line(lang, v)), esc(&v.stop_name), esc(&v.unit_name), esc(&services(lang, v))])
            .collect();
        let headers = [
            t(lang, "日時", "When"),
            t(lang, "場所", "Where"),
            t(lang, "車両", "Vehicle"),
            t(lang, "内容", "Services"),
        ];
        let _ = write!(
            body,
            "<h2>{} {}</h2>{}",
            esc(&q.district),
            t(lang, "の巡回予定", "— visits"),
            table(&headers, &rows)
        );

        let _ = write!(
            body,
            "<p class=\"no-print\"><button type=\"button\" onclick=\"window.print()\">{}</button></p>",
            t(lang, "印刷する（A4）", "Print (A4)")
        );
    }
    let self_url = format!("/timetable?district={}", url_encode(&q.district));
    Ok(Html(page(lang, t(lang, "巡回時刻表", "Visit timetable"), &self_url, &nav(lang), &body, &credits(&s).await)))
}
