//! Residents' pages (public, Japanese first): find your hall by name, reading or district,
//! see its next visits in large type, add them to a calendar, and print an A4 timetable of
//! a district for those without smartphones.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use geojson::FeatureCollection;
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{Page, cell, print_button, t, table, url_encode, visit_when};
use super::map_view::MapQuery;
use super::svg_map;
use crate::io::plan_diff::{VisitChange, VisitRef};
use crate::io::public_timetable::{PublicStop, PublicVisit};
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::error::{ApiError, current_lang};
use crate::server::public::{PublicSnapshot, find_stop, fold_kana, snapshot, stop_matches, today};

/// The residents' pages' menu.
pub(super) fn nav(lang: Lang) -> Vec<(&'static str, &'static str)> {
    vec![
        ("/", t(lang, "さがす", "Find a hall")),
        ("/timetable", t(lang, "時刻表を印刷", "Print a timetable")),
        ("/apply", t(lang, "申し込む", "Apply")),
        ("/status", t(lang, "予約の確認", "Check a request")),
    ]
}

pub(super) async fn credits(s: &AppState) -> String {
    snapshot(s).await.map(|snap| snap.credits.clone()).unwrap_or_default()
}

/// One visit in large type: 「12月8日（火）10:30〜11:30」.
fn visit_line(lang: Lang, v: &PublicVisit) -> String {
    visit_when(lang, &v.date, &v.weekday, &v.from, &v.to)
}

/// The change notices for visits at `stops` from `from` on: what the published plan moved
/// or cancelled against what residents were told before.
fn change_notices(lang: Lang, snap: &PublicSnapshot, stops: &[&str], from: &str) -> Markup {
    let when = |v: &VisitRef| visit_when(lang, &v.date, &v.weekday, &v.from, &v.to);
    let at = |v: &VisitRef| v.stop_id.as_deref().is_some_and(|s| stops.contains(&s));
    let ahead = |v: &VisitRef| v.date.as_str() >= from;
    let notices: Vec<String> = snap
        .changes
        .iter()
        .filter_map(|c| match c {
            VisitChange::Moved { from, to } if at(from) && (ahead(from) || ahead(to)) => Some(match lang {
                Lang::Ja => {
                    format!("{}（{}）の訪問は、{}（{}）に変更になりました。", when(from), from.place, when(to), to.unit)
                }
                Lang::En => {
                    format!("The visit at {} on {} has moved to {} ({}).", from.place, when(from), when(to), to.unit)
                }
            }),
            VisitChange::Cancelled(v) if at(v) && ahead(v) => Some(match lang {
                Lang::Ja => format!("{}（{}）の訪問は、取りやめになりました。", when(v), v.place),
                Lang::En => format!("The visit at {} on {} has been cancelled.", v.place, when(v)),
            }),
            _ => None,
        })
        .collect();
    html! { @for n in &notices { p.notice role="status" data-testid="change-notice" { (n) } } }
}

#[derive(Debug, Default, Deserialize)]
pub struct FindQuery {
    #[serde(default)]
    q: String,
}

/// The districts of the stops, sorted, once each.
fn districts(stops: &[PublicStop]) -> Vec<&str> {
    let mut list: Vec<&str> = stops.iter().map(|st| st.district.as_str()).filter(|d| !d.is_empty()).collect();
    list.sort();
    list.dedup();
    list
}

/// A hall found by the search, with its next visit.
fn hall_card(lang: Lang, st: &PublicStop, next: Option<&PublicVisit>) -> Markup {
    let id = &st.id;
    html! {
        section.card aria-labelledby={ "h-" (id) } {
            h3 id={ "h-" (id) } { a href={ "/stops/" (url_encode(id)) } { (st.name) } }
            p.muted { (st.district) " " (st.address) }
            @match next {
                Some(v) => {
                    p.next data-testid="next-visit" { (t(lang, "次回", "Next:")) " " (visit_line(lang, v)) }
                    p { (t(lang, "内容", "Services")) ": " (v.offers(lang)) }
                }
                None => p.next data-testid="next-visit" { (t(lang, "予定はまだ公開されていません", "No visit published yet")) }
            }
        }
    }
}

/// `/`: the search form, and the matching halls with their next visit.
pub async fn home(State(s): State<AppState>, Query(q): Query<FindQuery>) -> Result<Html<String>, ApiError> {
    let lang = current_lang();
    let snap = snapshot(&s).await?;
    let (stops, visits) = (&snap.stops, &snap.visits);
    let from = today(&s);
    let needle = fold_kana(q.q.trim());
    let hits: Vec<&PublicStop> = stops.iter().filter(|st| stop_matches(st, &needle)).collect();
    let body = html! {
        p { (t(lang, "移動市役所・移動診療車がお住まいの地区に来る日時を調べられます。",
               "Find when the mobile city office and the mobile clinic come to your area.")) }
        form.inline role="search" action="/" method="get" {
            div { label for="q" { (t(lang, "集会所の名前・よみ・地区名", "Hall name, reading or district")) }
                  input id="q" name="q" type="search" value=(q.q) autocomplete="off"; }
            button type="submit" { (t(lang, "さがす", "Search")) }
            input type="hidden" name="lang" value=(if lang == Lang::Ja { "ja" } else { "en" });
        }
        @if needle.is_empty() {
            h2 { (t(lang, "地区からさがす", "Browse by district")) }
            ul { @for d in districts(stops) { li { a href={ "/?q=" (url_encode(d)) } { (d) } } } }
        } @else {
            h2 id="results" { (t(lang, "検索結果", "Results")) ": " (hits.len()) " " (t(lang, "件", "halls")) }
            @if hits.is_empty() {
                p.notice { (t(lang, "見つかりませんでした。地区名でもさがせます。", "Nothing found. Try a district name.")) }
            }
            @for st in &hits {
                (hall_card(lang, st, visits.iter().find(|v| v.stop_id == st.id && v.date >= from)))
            }
        }
    };
    let title = t(lang, "巡回 — 移動市役所・移動診療の予定", "junkai — mobile office and clinic visits");
    let self_url = if q.q.is_empty() { "/".to_string() } else { format!("/?q={}", url_encode(&q.q)) };
    let credits = credits(&s).await;
    Ok(Html(Page::new(lang, title, &self_url).nav(&nav(lang)).credits(&credits).render(body)))
}

/// Halls as the points of a map.
pub(super) fn stop_points(stops: &[PublicStop]) -> FeatureCollection {
    let point = |st: &PublicStop| {
        let mut feature =
            geojson::Feature::from(geojson::Geometry::new(geojson::GeometryValue::new_point([st.lon, st.lat])));
        feature.set_property("type", "stop");
        feature.set_property("name", st.name.clone());
        feature
    };
    stops.iter().map(point).collect()
}

/// `/stops/{id}`: a hall's visits, calendar link, print link.
pub async fn stop(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(view): Query<MapQuery>,
) -> Result<Html<String>, ApiError> {
    let lang = current_lang();
    let snap = snapshot(&s).await?;
    let st = find_stop(&snap, &id)?;
    let from = today(&s);
    let visits: Vec<&PublicVisit> = snap.visits.iter().filter(|v| v.stop_id == id && v.date >= from).collect();
    let mut rows: Vec<Vec<Markup>> =
        visits.iter().map(|v| vec![cell(&visit_line(lang, v)), cell(&v.unit_name), cell(&v.offers(lang))]).collect();
    if rows.is_empty() {
        rows.push(vec![cell(t(lang, "公開中の予定はありません", "No published visits")), cell(""), cell("")]);
    }
    let headers = [t(lang, "日時", "When"), t(lang, "車両", "Vehicle"), t(lang, "内容", "Services")];
    let notices = change_notices(lang, &snap, &[id.as_str()], &from);
    let self_url = format!("/stops/{}", url_encode(&id));
    let body = html! {
        (notices)
        p { (st.district) " " (st.address) }
        @if let Some(v) = visits.first() {
            p.next data-testid="next-visit" { (t(lang, "次回", "Next:")) " " (visit_line(lang, v)) }
        }
        h2 { (t(lang, "予定", "Visits")) }
        (table(&headers, &rows))
        p.no-print {
            a href={ "/api/public/stops/" (url_encode(&id)) "/calendar.ics" } download { (t(lang, "カレンダーに追加（.ics）", "Add to calendar (.ics)")) }
            " ・ "
            a href={ "/timetable?district=" (url_encode(&st.district)) } { (t(lang, "地区の時刻表を印刷", "Print the district's timetable")) }
        }
        h2 { (t(lang, "場所", "Where")) }
        (svg_map::map(s.backdrop(), lang, &self_url, &view, &stop_points(std::slice::from_ref(st)), &st.name))
    };
    let credits = credits(&s).await;
    Ok(Html(Page::new(lang, &st.name, &self_url).nav(&nav(lang)).credits(&credits).render(body)))
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
    let in_district: Vec<&str> = stops.iter().filter(|st| st.district == q.district).map(|st| st.id.as_str()).collect();
    let rows: Vec<Vec<Markup>> = snap
        .visits
        .iter()
        .filter(|v| in_district.contains(&v.stop_id.as_str()))
        .map(|v| vec![cell(&visit_line(lang, v)), cell(&v.stop_name), cell(&v.unit_name), cell(&v.offers(lang))])
        .collect();
    let headers =
        [t(lang, "日時", "When"), t(lang, "場所", "Where"), t(lang, "車両", "Vehicle"), t(lang, "内容", "Services")];
    let body = html! {
        form.inline action="/timetable" method="get" {
            div { label for="district" { (t(lang, "地区", "District")) }
                select id="district" name="district" {
                    @for d in districts(stops) { option value=(d) selected[d == q.district] { (d) } }
                } }
            button type="submit" { (t(lang, "表示", "Show")) }
        }
        @if !q.district.is_empty() {
            h2 { (q.district) " " (t(lang, "の巡回予定", "— visits")) }
            (change_notices(lang, &snap, &in_district, &today(&s)))
            (table(&headers, &rows))
            (print_button(t(lang, "印刷する（A4）", "Print (A4)")))
        }
    };
    let self_url = format!("/timetable?district={}", url_encode(&q.district));
    let credits = credits(&s).await;
    Ok(Html(
        Page::new(lang, t(lang, "巡回時刻表", "Visit timetable"), &self_url)
            .nav(&nav(lang))
            .credits(&credits)
            .render(body),
    ))
}
