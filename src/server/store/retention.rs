//! Erasing residents' personal data when it is no longer needed: a request's resident
//! (name, phone) and note, and the same fields in every stored crew itinerary, once
//! `retention_days` have passed since the request's last visit. A home visit's place is
//! personal too: its position is coarsened to 0.01° (about 1 km), and in itineraries its
//! address, links and the day's route line are removed. Plans, KPIs, timetables and the
//! audit log stay; they hold no personal fields. Crew records keep their times, outcomes
//! and counts; their notes go with their day.
//!
//! A request's last day is the date of its last announced visit, else its
//! `latest` date (no visit can come after it). A cancelled request is deleted from the
//! requests at once; its name in an itinerary goes with that itinerary day's date, and the
//! record of its cancellation (the phone's last four digits) with the cancellation's date.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::{Store, audit};
use crate::io::driver_day::DriverDay;
use crate::io::problem_file::RequestEntry;

/// What a purge erased (or, in a dry run, would erase).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    /// Days on or before which personal data is erased.
    pub cutoff: String,
    /// Requests whose resident and note were erased.
    pub requests: Vec<String>,
    /// Crew itinerary days whose bookings were erased, over all plan versions.
    pub itinerary_days: usize,
    /// Online applications deleted: decided on or before the cutoff, or still pending
    /// with their `latest` date on or before it.
    #[serde(default)]
    pub applications: usize,
    /// Records of cancelled requests deleted: cancelled on or before the cutoff.
    #[serde(default)]
    pub cancellations: usize,
    /// Crew records whose note was erased: of days on or before the cutoff.
    #[serde(default)]
    pub record_notes: usize,
}

impl PurgeReport {
    /// Whether the purge found nothing to erase.
    pub fn erased_nothing(&self) -> bool {
        self.requests.is_empty()
            && self.itinerary_days == 0
            && self.applications == 0
            && self.cancellations == 0
            && self.record_notes == 0
    }
}

/// The text that replaces an erased field in a printable itinerary.
const ERASED: &str = "（削除済み）";

/// A position rounded to 0.01° (about 1 km): no longer a house.
fn coarse(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Erases the personal fields of `day`'s bookings and home visits; whether it held any.
fn scrub_day(day: &mut DriverDay) -> bool {
    let mut secrets: Vec<String> = Vec::new();
    let mut home_erased = false;
    for stop in day.stops.iter_mut().filter(|s| s.stop_id.is_none() && !s.navigation.is_empty()) {
        if !stop.address.is_empty() {
            secrets.push(std::mem::take(&mut stop.address));
        }
        (stop.lon, stop.lat) = (coarse(stop.lon), coarse(stop.lat));
        // The links hold the exact position; the printable itinerary has them too.
        secrets.push(std::mem::take(&mut stop.navigation));
        secrets.push(std::mem::take(&mut stop.map));
        day.geometry = geojson::FeatureCollection { features: Vec::new(), bbox: None, foreign_members: None };
        home_erased = true;
    }
    for r in day.stops.iter_mut().flat_map(|s| s.requests.iter_mut()) {
        for field in [&mut r.resident_name, &mut r.phone, &mut r.note] {
            if !field.is_empty() {
                secrets.push(std::mem::take(field));
            }
        }
    }
    // Longest first, so that a name contained in a note is not left half-replaced.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.retain(|s| !s.is_empty());
    for s in &secrets {
        day.itinerary_ja = day.itinerary_ja.replace(s.as_str(), ERASED);
        day.itinerary_en = day.itinerary_en.replace(s.as_str(), ERASED);
    }
    home_erased || !secrets.is_empty()
}

/// Erases a stored request's personal fields; whether it held any.
fn scrub_request(request: &mut RequestEntry) -> bool {
    let mut erased = request.resident.take().is_some() | request.note.take().is_some();
    if let Some(home) = &mut request.home {
        for x in [&mut home.lon, &mut home.lat] {
            if coarse(*x) != *x {
                *x = coarse(*x);
                erased = true;
            }
        }
        erased |= home.address.take().is_some();
    }
    erased
}

impl Store {
    /// The date of each request's last announced visit.
    async fn visit_dates(&self) -> Result<HashMap<String, NaiveDate>, sqlx::Error> {
        let mut out = HashMap::new();
        let first = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date");
        let announced = self.announced_from(first, false).await?;
        for (_, day) in announced.days() {
            for r in day.routes.iter().flat_map(|r| &r.visits).flat_map(|v| &v.requests) {
                let last = out.entry(r.id.clone()).or_insert(day.date);
                *last = (*last).max(day.date);
            }
        }
        Ok(out)
    }

    /// Erases personal data older than `retention_days` (see the module doc); with
    /// `dry_run`, reports what it would erase and writes nothing. One transaction that
    /// takes the write lock first, so nothing changes between reading and writing.
    pub async fn purge(&self, retention_days: i64, dry_run: bool, actor: &str) -> Result<PurgeReport, sqlx::Error> {
        let cutoff = self.clock.today() - Duration::days(retention_days);
        let visits = self.visit_dates().await?;
        let mut tx = if dry_run { self.pool.begin().await? } else { self.pool.begin_with("BEGIN IMMEDIATE").await? };
        let mut report = PurgeReport { cutoff: cutoff.to_string(), ..PurgeReport::default() };
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT id, body_json FROM requests ORDER BY id").fetch_all(&mut *tx).await?;
        for (id, text) in rows {
            let Ok(mut request) = serde_json::from_str::<RequestEntry>(&text) else {
                tracing::warn!(request = %id, "a stored request does not parse: left for a person to look at");
                continue;
            };
            let last = visits.get(&id).copied().unwrap_or(request.latest);
            if last > cutoff || !scrub_request(&mut request) {
                continue;
            }
            if !dry_run {
                sqlx::query("UPDATE requests SET body_json = ? WHERE id = ?")
                    .bind(request.to_value().to_string())
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
            }
            report.requests.push(id);
        }
        let plans: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, itineraries_json FROM plans WHERE itineraries_json IS NOT NULL")
                .fetch_all(&mut *tx)
                .await?;
        for (id, text) in plans {
            let Ok(mut days) = serde_json::from_str::<Vec<DriverDay>>(&text) else {
                tracing::warn!(plan = id, "stored itineraries do not read back: left for a person to look at");
                continue;
            };
            let old = |d: &DriverDay| d.date.parse::<NaiveDate>().is_ok_and(|date| date <= cutoff);
            let erased = days.iter_mut().filter(|d| old(d)).map(scrub_day).filter(|&e| e).count();
            if erased > 0 && !dry_run {
                let json = serde_json::to_string(&days).expect("itineraries serialise");
                sqlx::query("UPDATE plans SET itineraries_json = ? WHERE id = ?")
                    .bind(json)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            report.itinerary_days += erased;
        }
        report.applications = self.purge_applications(&mut tx, cutoff, dry_run).await?;
        report.cancellations = purge_cancellations(&mut tx, cutoff, dry_run).await?;
        report.record_notes = purge_record_notes(&mut tx, cutoff, dry_run).await?;
        if dry_run || report.erased_nothing() {
            tx.rollback().await?;
            return Ok(report);
        }
        let detail = format!(
            "cutoff {cutoff}: {} requests, {} itinerary days, {} applications, {} cancellations, {} record notes",
            report.requests.len(),
            report.itinerary_days,
            report.applications,
            report.cancellations,
            report.record_notes
        );
        audit(&mut tx, &self.clock.stamp(), actor, "purge", "personal-data", &detail).await?;
        tx.commit().await?;
        self.bump();
        Ok(report)
    }

    async fn purge_applications(
        &self,
        tx: &mut sqlx::SqliteConnection,
        cutoff: NaiveDate,
        dry_run: bool,
    ) -> Result<usize, sqlx::Error> {
        let rows: Vec<(String, String, Option<String>, String, String)> =
            sqlx::query_as("SELECT id, status, decided_at, body_json, created_at FROM applications")
                .fetch_all(&mut *tx)
                .await?;
        let day = |text: &str| text.get(..10).and_then(|d| d.parse::<NaiveDate>().ok());
        let old: Vec<String> = rows
            .into_iter()
            .filter(|(_, status, decided, body, created)| {
                // A pending application lasts until its latest date (else from when it came
                // in); a decided one from its decision.
                let latest = || serde_json::from_str::<RequestEntry>(body).ok().map(|r| r.latest);
                let last = match status.as_str() {
                    "pending" => latest().or_else(|| day(created)),
                    _ => decided.as_deref().and_then(day),
                };
                last.is_some_and(|d| d <= cutoff)
            })
            .map(|(id, ..)| id)
            .collect();
        if !dry_run {
            for id in &old {
                sqlx::query("DELETE FROM applications WHERE id = ?").bind(id).execute(&mut *tx).await?;
            }
        }
        Ok(old.len())
    }
}

/// Deletes the records of requests cancelled on or before `cutoff`; how many.
async fn purge_cancellations(
    tx: &mut sqlx::SqliteConnection,
    cutoff: NaiveDate,
    dry_run: bool,
) -> Result<usize, sqlx::Error> {
    // `cancelled_at` is an RFC 3339 stamp: its first ten characters are the date.
    let day = cutoff.to_string();
    let old: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cancelled_requests WHERE substr(cancelled_at, 1, 10) <= ?")
        .bind(&day)
        .fetch_one(&mut *tx)
        .await?;
    if !dry_run {
        sqlx::query("DELETE FROM cancelled_requests WHERE substr(cancelled_at, 1, 10) <= ?")
            .bind(&day)
            .execute(&mut *tx)
            .await?;
    }
    Ok(old as usize)
}

/// Erases the notes of crew records of days on or before `cutoff` (the times, outcomes and
/// counts stay: they name no one); how many.
async fn purge_record_notes(
    tx: &mut sqlx::SqliteConnection,
    cutoff: NaiveDate,
    dry_run: bool,
) -> Result<usize, sqlx::Error> {
    let day = cutoff.to_string();
    let old: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visit_records WHERE date <= ? AND note != ''")
        .bind(&day)
        .fetch_one(&mut *tx)
        .await?;
    if !dry_run {
        sqlx::query("UPDATE visit_records SET note = '' WHERE date <= ? AND note != ''")
            .bind(&day)
            .execute(&mut *tx)
            .await?;
    }
    Ok(old as usize)
}
