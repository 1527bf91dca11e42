//! Public routes (no login): stops and their next visits, search by district or name
//! (kana too), the map, and a calendar file per stop. They read only the announced
//! calendar's public content ([`crate::io::announced`]) and the stops' public fields:
//! never requests or residents' data.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::answers::{Health, StopVisits};
use super::changes::{announced_from, visit_notices};
use super::error::ApiError;
use super::store::PlanColumn;
use crate::io::announced::Announced;
use crate::io::calendar_identity::EventId;
use crate::io::gtfs::{Publisher, feed_zip};
use crate::io::ical::calendar;
use crate::io::plan_diff::{VisitChange, VisitRef};
use crate::io::plan_geojson::announced_map;
use crate::io::public_timetable::{PublicStop, PublicVisit, public_visits};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/public/stops", get(stops))
        .route("/api/public/stops/{id}/visits", get(stop_visits))
        .route("/api/public/stops/{id}/calendar.ics", get(stop_calendar))
        .route("/api/public/search", get(search))
        .route("/api/public/map.geojson", get(map))
        .route("/api/public/gtfs.zip", get(gtfs))
}

async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Katakana → hiragana, lower-case ASCII: so that 「コナカ」 finds 「こなか」.
pub fn fold_kana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Whether a stop's name, reading, district or address contains `needle` (already folded
/// with [`fold_kana`]; an empty needle matches nothing).
pub(crate) fn stop_matches(stop: &PublicStop, needle: &str) -> bool {
    !needle.is_empty()
        && [&stop.name, &stop.reading, &stop.district, &stop.address].iter().any(|t| fold_kana(t).contains(needle))
}

/// The data set's name and credit lines (from its stored base document).
#[derive(Debug, Default, Deserialize)]
struct DatasetHeader {
    #[serde(default)]
    name: String,
    #[serde(default)]
    credits: Vec<String>,
}

/// A stop with its next visits, as `/api/public/stops` and the search answer them.
#[derive(Serialize)]
struct StopWithVisits<'a> {
    #[serde(flatten)]
    stop: &'a PublicStop,
    next_visits: Vec<&'a PublicVisit>,
}

/// What the public routes serve, read once per write generation of the store and day.
pub struct PublicSnapshot {
    pub generation: u64,
    /// The day it was read on (notices depend on "today").
    pub built_on: NaiveDate,
    pub stops: Vec<PublicStop>,
    /// The announced visits at stops, by date and time.
    pub visits: Vec<PublicVisit>,
    pub map: String,
    pub name: String,
    /// The data's credit lines, joined for page footers.
    pub credits: String,
    /// Announced visits that publications moved or cancelled, as still true today (for
    /// the change notices; never `Added`).
    pub changes: Vec<VisitChange>,
    /// Calendar events of announced visits that publications cancelled (sent as CANCELLED).
    pub cancelled_events: Vec<(VisitRef, EventId)>,
    /// Changes with every publication (GTFS `feed_version`).
    pub feed_version: String,
    /// `/api/public/stops` as served on a date (the next visits depend on "today").
    stops_answer: std::sync::Mutex<Option<(String, axum::body::Bytes)>>,
}

/// `plan-ID-YYYYMMDDHHMMSS` of the latest publication (a rollback publishes an old plan
/// again under a new version), `none` before the first.
fn feed_version(announced: &Announced) -> String {
    let Some(latest) = announced.latest() else { return "none".to_string() };
    let digits: String = latest.published_at.chars().filter(char::is_ascii_digit).take(14).collect();
    format!("plan-{}-{digits}", latest.plan_id)
}

/// The announced visits at stops with their calendar identities.
fn announced_visits(announced: &Announced) -> Vec<PublicVisit> {
    let Some(view) = announced.view() else { return Vec::new() };
    let ids = announced.visits();
    let mut visits = public_visits(&view);
    for v in &mut visits {
        let found = ids.iter().find(|(r, _)| {
            r.stop_id.as_deref() == Some(v.stop_id.as_str())
                && (r.date.as_str(), r.from.as_str(), r.to.as_str(), r.unit.as_str())
                    == (v.date.as_str(), v.from.as_str(), v.to.as_str(), v.unit_name.as_str())
        });
        v.event = found.map(|(_, id)| id.clone());
    }
    visits
}

/// The announced map: each date's routes from its publication, the stops' visits from
/// the whole announced calendar.
async fn map_of(s: &AppState, announced: &Announced) -> Result<String, ApiError> {
    let mut maps = Vec::new();
    for p in announced.publications() {
        let text = s.store.plan_output(p.plan_id, PlanColumn::MapGeojson).await?.unwrap_or_default();
        maps.push((p, text));
    }
    announced_map(announced, &maps).map_err(|e| ApiError::internal(&format!("a stored map: {e}")))
}

/// The current snapshot (rebuilt after any write, and each day).
pub(crate) async fn snapshot(s: &AppState) -> Result<Arc<PublicSnapshot>, ApiError> {
    let generation = s.store.generation();
    let today = s.config.clock.today();
    if let Some(current) =
        s.public.read().ok().and_then(|c| c.clone()).filter(|c| c.generation == generation && c.built_on == today)
    {
        return Ok(current);
    }
    let since = today - chrono::Duration::days(crate::io::announced::RECENT_DAYS);
    let announced = announced_from(s, since).await?;
    let changes = visit_notices(&s.store.announced_changes(since).await?, &announced, today);
    let docs = s.store.documents().await?;
    let header: DatasetHeader = serde_json::from_value(docs.problem.1).unwrap_or_default();
    let name = if header.name.is_empty() { "junkai".to_string() } else { header.name };
    let credits = header.credits.join(" / ");
    let stops: Vec<PublicStop> = s.store.stops().await?.iter().map(PublicStop::from).collect();
    let fresh = Arc::new(PublicSnapshot {
        generation,
        built_on: today,
        stops,
        visits: announced_visits(&announced),
        map: map_of(s, &announced).await?,
        name,
        credits,
        changes,
        cancelled_events: announced.cancelled_events(),
        feed_version: feed_version(&announced),
        stops_answer: Default::default(),
    });
    if let Ok(mut slot) = s.public.write() {
        *slot = Some(fresh.clone());
    }
    Ok(fresh)
}

/// Today's date in Japan from the server's clock, as `YYYY-MM-DD`.
pub(super) fn today(s: &AppState) -> String {
    s.config.clock.today().to_string()
}

fn with_next_visits<'a>(stop: &'a PublicStop, visits: &'a [PublicVisit], from: &str) -> StopWithVisits<'a> {
    let next_visits = visits.iter().filter(|v| v.stop_id == stop.id && v.date.as_str() >= from).take(3).collect();
    StopWithVisits { stop, next_visits }
}

/// Every stop with its next visits; the answer is built once per day and snapshot.
async fn stops(State(s): State<AppState>) -> Result<Response, ApiError> {
    let snap = snapshot(&s).await?;
    let from = today(&s);
    let cached = snap.stops_answer.lock().ok().and_then(|c| c.clone()).filter(|(day, _)| *day == from);
    let bytes = match cached {
        Some((_, bytes)) => bytes,
        None => {
            let list: Vec<StopWithVisits> =
                snap.stops.iter().map(|st| with_next_visits(st, &snap.visits, &from)).collect();
            let bytes = axum::body::Bytes::from(serde_json::to_vec(&list).expect("JSON serialises"));
            if let Ok(mut slot) = snap.stops_answer.lock() {
                *slot = Some((from, bytes.clone()));
            }
            bytes
        }
    };
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

#[derive(Debug, Deserialize)]
struct Range {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

async fn stop_visits(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(range): Query<Range>,
) -> Result<Response, ApiError> {
    let snap = snapshot(&s).await?;
    let stop = find_stop(&snap, &id)?;
    let (from, to) = (range.from.map(|d| d.to_string()), range.to.map(|d| d.to_string()));
    let visits: Vec<&PublicVisit> = snap
        .visits
        .iter()
        .filter(|v| v.stop_id == id)
        .filter(|v| from.as_ref().is_none_or(|f| &v.date >= f) && to.as_ref().is_none_or(|t| &v.date <= t))
        .collect();
    Ok(Json(StopVisits { stop, visits }).into_response())
}

async fn stop_calendar(State(s): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let snap = snapshot(&s).await?;
    let stop = find_stop(&snap, &id)?;
    let visits: Vec<PublicVisit> = snap.visits.iter().filter(|v| v.stop_id == id).cloned().collect();
    let name = &stop.name;
    let stamp = s.config.clock.now().naive_utc().format("%Y%m%dT%H%M%SZ").to_string();
    let cancelled: Vec<(VisitRef, EventId)> =
        snap.cancelled_events.iter().filter(|(v, _)| v.stop_id.as_deref() == Some(id.as_str())).cloned().collect();
    let body = calendar(&format!("巡回 {name}"), &visits, &cancelled, &stamp);
    let disposition =
        format!("attachment; filename=\"junkai-{}.ics\"", id.replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// Stops whose name, reading or district contains the query (kana-insensitive).
async fn search(State(s): State<AppState>, Query(query): Query<SearchQuery>) -> Result<Response, ApiError> {
    let needle = fold_kana(query.q.trim());
    let snap = snapshot(&s).await?;
    let from = today(&s);
    let hits: Vec<StopWithVisits> = snap
        .stops
        .iter()
        .filter(|st| stop_matches(st, &needle))
        .map(|st| with_next_visits(st, &snap.visits, &from))
        .collect();
    Ok(Json(hits).into_response())
}

async fn map(State(s): State<AppState>) -> Result<Response, ApiError> {
    let snap = snapshot(&s).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/geo+json")], snap.map.clone()).into_response())
}

pub(crate) fn find_stop<'a>(snap: &'a PublicSnapshot, id: &str) -> Result<&'a PublicStop, ApiError> {
    snap.stops.iter().find(|st| st.id == id).ok_or_else(|| ApiError::not_found("訪問先", "stop"))
}

/// The published timetable as a GTFS feed.
async fn gtfs(State(s): State<AppState>) -> Result<Response, ApiError> {
    let snap = snapshot(&s).await?;
    let publisher = Publisher { name: &snap.name, url: &s.config.public_url, version: &snap.feed_version };
    let bytes = feed_zip(&publisher, &snap.stops, &snap.visits).map_err(|e| ApiError::internal(&e.to_string()))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/zip"),
            (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"gtfs.zip\""),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn katakana_finds_hiragana() {
        assert_eq!(fold_kana("コナカ"), "こなか");
        assert_eq!(fold_kana("Konaka"), "konaka");
    }
}
