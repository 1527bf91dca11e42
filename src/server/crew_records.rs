//! Crew records over HTTP (driver accounts): `POST /api/driver/records` takes a batch of
//! entries made on the phone, often long after they were made offline, and answers per
//! entry `stored`, `duplicate` (that `client_id` was stored before: nothing changes) or
//! `refused` with a code. `GET /api/driver/records?date=&unit=` gives a day's entries and
//! the current value of each slot. Entries may only be for a day the caller drives.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;

use super::AppState;
use super::answers::{DayRecords, EntryResult, RecordResults};
use super::auth::Driver;
use super::driver::recordable_days;
use super::error::{ApiError, current_lang};
use super::store::NewEntry;
use crate::io::crew_record::{CrewEntry, Refusal, StoredEntry, check_against, check_form, current};
use crate::io::driver_day::DriverDay;
use crate::lang::Lang;

/// The most entries one call may carry (a device sends its queue in parts).
pub const BATCH_MAX: usize = 500;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/driver/records", get(day_records).post(record))
}

/// Entries are read one by one: a malformed one is refused (R4001) without the others.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = RecordBatch)]
pub(crate) struct Batch {
    /// Crew records (docs/API.md, "Crew records"), each checked on its own.
    #[schema(value_type = Vec<Object>)]
    entries: Vec<serde_json::Value>,
}

/// The one field read from an entry that may not parse: its id on the phone.
#[derive(Deserialize)]
struct ClientId {
    #[serde(default)]
    client_id: String,
}

fn malformed(e: &serde_json::Error) -> Refusal {
    Refusal {
        code: "R4001",
        message_ja: "記録の形が違います（項目が足りないか、値の種類が違います）".into(),
        message_en: format!("the entry is malformed ({e})"),
    }
}

fn not_driven() -> Refusal {
    Refusal {
        code: "R4003",
        message_ja: "このアカウントはこの日にこの車両を担当していません".into(),
        message_en: "this account does not drive that unit on that day".into(),
    }
}

fn refused(client_id: &str, r: Refusal, lang: Lang) -> EntryResult {
    let message = if lang == Lang::Ja { r.message_ja } else { r.message_en };
    EntryResult { client_id: client_id.to_string(), status: "refused", code: Some(r.code), message: Some(message) }
}

/// The crew day an entry belongs to, if the caller drives it.
fn day_of<'a>(days: &'a [DriverDay], e: &CrewEntry) -> Option<&'a DriverDay> {
    days.iter().find(|d| d.date == e.date && d.unit_id == e.unit_id)
}

async fn record(
    d: Driver,
    State(s): State<AppState>,
    Json(batch): Json<Batch>,
) -> Result<Json<RecordResults>, ApiError> {
    if batch.entries.len() > BATCH_MAX {
        return Err(ApiError::bad_request(
            ["一度に送れる記録は500件までです", "at most 500 entries per call"],
            ["分けて送ってください", "send them in several calls"],
        ));
    }
    let lang = current_lang();
    // Each entry is read on its own: a malformed one is refused, the others go on (its
    // `client_id`, if it has one, names it in the answer).
    let entries: Vec<(String, Result<CrewEntry, Refusal>)> = batch
        .entries
        .iter()
        .map(|v| {
            let client_id = ClientId::deserialize(v).map(|c| c.client_id).unwrap_or_default();
            (client_id, serde_json::from_value::<CrewEntry>(v.clone()).map_err(|e| malformed(&e)))
        })
        .collect();
    let dates: Vec<NaiveDate> = entries.iter().filter_map(|(_, e)| e.as_ref().ok()?.date.parse().ok()).collect();
    let days = match (dates.iter().min(), dates.iter().max()) {
        (Some(&from), Some(&to)) => recordable_days(&s, &d.0.account, from, to).await?,
        _ => Vec::new(),
    };
    // Each entry keeps the publication its day was announced by.
    let announced = match (dates.iter().min(), dates.iter().max()) {
        (Some(&from), Some(&to)) => s.store.announced(from, to, false).await?,
        _ => Default::default(),
    };
    let plan_of = |date: &str| {
        NaiveDate::parse_from_str(date, "%Y-%m-%d").ok().and_then(|d| announced.source(d)).map_or(0, |p| p.plan_id)
    };
    let mut answers: Vec<Result<String, EntryResult>> = Vec::new();
    let mut accepted = Vec::new();
    for (client_id, entry) in entries {
        let checked = entry.and_then(|e| {
            check_form(&e)?;
            let day = day_of(&days, &e).ok_or_else(not_driven)?;
            check_against(&e, day).map(|stop| (e, stop))
        });
        match checked {
            Ok((e, stop)) => {
                let entry = CrewEntry { stop_order: stop.order, stop_id: stop.stop_id.clone(), ..e };
                let plan_id = plan_of(&entry.date);
                accepted.push(NewEntry { entry, plan_id, published: &stop.published });
                answers.push(Ok(client_id));
            }
            Err(r) => answers.push(Err(refused(&client_id, r, lang))),
        }
    }
    let mut fresh = s.store.record_entries(&accepted, &d.who()).await?.into_iter();
    let results: Vec<EntryResult> = answers
        .into_iter()
        .map(|answer| match answer {
            Ok(client_id) => {
                let status = if fresh.next().unwrap_or(false) { "stored" } else { "duplicate" };
                EntryResult { client_id, status, code: None, message: None }
            }
            Err(refusal) => refusal,
        })
        .collect();
    Ok(Json(RecordResults { results }))
}

#[derive(Debug, Deserialize)]
struct DayQuery {
    date: String,
    unit: String,
}

/// A day's entries (notes are private: the read is audited) and each slot's current value.
async fn day_records(
    d: Driver,
    State(s): State<AppState>,
    Query(q): Query<DayQuery>,
) -> Result<Json<DayRecords>, ApiError> {
    let not_found = || ApiError::not_found("この日の運行", "an itinerary for that day");
    let date: NaiveDate = q.date.parse().map_err(|_| not_found())?;
    let days = recordable_days(&s, &d.0.account, date, date).await?;
    if !days.iter().any(|day| day.date == q.date && day.unit_id == q.unit) {
        return Err(not_found());
    }
    let entries = s.store.day_entries(&q.date, &q.unit).await?;
    s.store.audit_read(&d.who(), &format!("records/{}/{}", q.date, q.unit), "api").await?;
    let current: Vec<StoredEntry> = current(&entries).into_values().cloned().collect();
    Ok(Json(DayRecords { entries, current }))
}
