//! Crew records (what happened on a day: arrivals, departures, outcomes, attendance) and
//! the follow-ups they raise. Storing is idempotent by the device's `client_id`: an entry
//! sent again stores nothing. A booking whose latest outcome is no-show or postponed has a
//! pending follow-up for the planners; a later correction to another outcome withdraws it.

use serde::Serialize;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::{Store, audit};
use crate::io::crew_record::{CrewEntry, Field, Outcome, StoredEntry, latest};
use crate::io::problem_file::RequestEntry;

/// An entry to store (its `stop_order` and `stop_id` those of the visit it was checked
/// against), with what the published plan announced for that visit.
pub struct NewEntry<'a> {
    pub entry: CrewEntry,
    pub plan_id: i64,
    pub published: &'a (String, String),
}

/// A booking back in the planners' queue after a no-show or a wish for another date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FollowUp {
    pub request_id: String,
    /// The day of the visit.
    pub date: String,
    pub outcome: Outcome,
    pub created_at: String,
}

const COLUMNS: &str = "seq, client_id, date, unit_id, stop_order, stop_id, field, request_id, value, note, recorded_at, \
                       received_at, actor, published_from, published_to";

fn stored(row: &SqliteRow) -> StoredEntry {
    StoredEntry {
        entry: CrewEntry {
            client_id: row.get("client_id"),
            date: row.get("date"),
            unit_id: row.get("unit_id"),
            stop_order: row.get::<i64, _>("stop_order").max(0) as usize,
            stop_id: row.get("stop_id"),
            field: Field::parse(row.get("field")).unwrap_or(Field::Arrival),
            request_id: row.get("request_id"),
            value: row.get("value"),
            note: row.get("note"),
            recorded_at: row.get("recorded_at"),
        },
        received_at: row.get("received_at"),
        sequence: row.get("seq"),
        actor: row.get("actor"),
        published: (row.get("published_from"), row.get("published_to")),
    }
}

impl Store {
    /// Stores the entries that are new (one transaction, one audit line per call); for each
    /// entry, whether it was new (`false`: that `client_id` was stored before).
    pub async fn record_entries(&self, entries: &[NewEntry<'_>], actor: &str) -> Result<Vec<bool>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let at = self.clock.stamp();
        let mut fresh = Vec::with_capacity(entries.len());
        for n in entries {
            let e = &n.entry;
            let done = sqlx::query(
                "INSERT OR IGNORE INTO visit_records (client_id, date, unit_id, stop_order, stop_id, field, \
                 request_id, value, note, recorded_at, received_at, actor, plan_id, published_from, published_to) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&e.client_id)
            .bind(&e.date)
            .bind(&e.unit_id)
            .bind(e.stop_order as i64)
            .bind(&e.stop_id)
            .bind(e.field.as_str())
            .bind(&e.request_id)
            .bind(&e.value)
            .bind(&e.note)
            .bind(&e.recorded_at)
            .bind(&at)
            .bind(actor)
            .bind(n.plan_id)
            .bind(&n.published.0)
            .bind(&n.published.1)
            .execute(&mut *tx)
            .await?;
            let is_new = done.rows_affected() == 1;
            if is_new && e.field == Field::Outcome {
                follow_up_for(&mut tx, &e.request_id, &e.date, &at).await?;
            }
            fresh.push(is_new);
        }
        let stored = fresh.iter().filter(|&&f| f).count();
        if stored > 0 {
            let detail = format!("{stored} new of {}", entries.len());
            audit(&mut tx, &at, actor, "record", "visit_records", &detail).await?;
        }
        tx.commit().await?;
        Ok(fresh)
    }

    /// Every entry of a crew's day, in the order received.
    pub async fn day_entries(&self, date: &str, unit_id: &str) -> Result<Vec<StoredEntry>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM visit_records WHERE date = ? AND unit_id = ? ORDER BY seq");
        let rows = sqlx::query(&sql).bind(date).bind(unit_id).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(stored).collect())
    }

    /// Every entry of the days `from..=to` (dates `YYYY-MM-DD`), in the order received.
    pub async fn entries_between(&self, from: &str, to: &str) -> Result<Vec<StoredEntry>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM visit_records WHERE date BETWEEN ? AND ? ORDER BY seq");
        let rows = sqlx::query(&sql).bind(from).bind(to).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(stored).collect())
    }

    /// The follow-ups that wait for a planner, oldest visit first.
    pub async fn pending_follow_ups(&self) -> Result<Vec<FollowUp>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT request_id, date, outcome, created_at FROM follow_ups WHERE status = 'pending' \
             ORDER BY date, request_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| FollowUp {
                request_id: r.get("request_id"),
                date: r.get("date"),
                outcome: Outcome::parse(r.get("outcome")).unwrap_or(Outcome::NoShow),
                created_at: r.get("created_at"),
            })
            .collect())
    }

    /// Decides a pending follow-up: confirmed as request `new_request` (stored in the same
    /// transaction, audited) or dismissed (`None`). `false` if it was not pending.
    pub async fn decide_follow_up(
        &self,
        request_id: &str,
        date: &str,
        new_request: Option<&RequestEntry>,
        actor: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let at = self.clock.stamp();
        let new_id = new_request.map(|r| r.id.as_str());
        let status = if new_id.is_some() { "confirmed" } else { "dismissed" };
        let done = sqlx::query(
            "UPDATE follow_ups SET status = ?, new_request_id = ?, decided_at = ?, decided_by = ? \
             WHERE request_id = ? AND date = ? AND status = 'pending'",
        )
        .bind(status)
        .bind(new_id)
        .bind(&at)
        .bind(actor)
        .bind(request_id)
        .bind(date)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        if let Some(request) = new_request {
            self.put_in(&mut tx, super::Entity::Request, &request.id, &request.to_value(), actor).await?;
        }
        audit(&mut tx, &at, actor, &format!("follow_up_{status}"), &format!("requests/{request_id}"), date).await?;
        tx.commit().await?;
        if new_id.is_some() {
            self.bump();
        }
        Ok(true)
    }
}

/// Brings the follow-up of `request_id` on `date` in line with the booking's latest outcome.
async fn follow_up_for(
    tx: &mut sqlx::SqliteConnection,
    request_id: &str,
    date: &str,
    at: &str,
) -> Result<(), sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM visit_records WHERE field = 'outcome' AND request_id = ? AND date = ?");
    let rows = sqlx::query(&sql).bind(request_id).bind(date).fetch_all(&mut *tx).await?;
    let entries: Vec<StoredEntry> = rows.iter().map(stored).collect();
    let outcome = latest(&entries).and_then(|e| Outcome::parse(&e.entry.value));
    match outcome {
        Some(o) if o.needs_follow_up() => {
            sqlx::query(
                "INSERT INTO follow_ups (request_id, date, outcome, created_at) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (request_id, date) DO UPDATE SET outcome = excluded.outcome WHERE status = 'pending'",
            )
            .bind(request_id)
            .bind(date)
            .bind(o.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        _ => {
            sqlx::query("DELETE FROM follow_ups WHERE request_id = ? AND date = ? AND status = 'pending'")
                .bind(request_id)
                .bind(date)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

impl Store {
    /// Every stored request with the moment it was received: `(created_at, request)`.
    pub async fn requests_received(&self) -> Result<Vec<(String, RequestEntry)>, sqlx::Error> {
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT created_at, id, body_json FROM requests ORDER BY created_at, id")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(|(at, id, body)| Ok((at, super::stored_body("requests", &id, &body)?))).collect()
    }
}
