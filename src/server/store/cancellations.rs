//! Cancelled requests. Cancelling deletes the request from the data set and, in the same
//! transaction, keeps a record without personal data: the service, place (a stop's id, or
//! only that it was a home) and dates, the last four digits of the phone for the resident's
//! status check (取消), and who cancelled it, when and why (staff only). Writing a request
//! with the same id again removes the record; the purge removes old ones.

use sqlx::Row;

use super::{Store, audit, stored_body};
use crate::io::problem_file::{RequestEntry, RequestSummary};
use crate::server::request_status::last_four_digits;

/// One cancelled request as recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct Cancellation {
    pub id: String,
    pub summary: RequestSummary,
    pub phone_last4: String,
    /// Why it was cancelled (staff only).
    pub reason: String,
    pub cancelled_at: String,
    pub cancelled_by: String,
}

impl Store {
    /// Deletes request `id` and records its cancellation (one transaction, audited with
    /// the reason); `false` if there was no such request.
    pub async fn cancel_request(&self, id: &str, actor: &str, reason: &str) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let body: Option<String> =
            sqlx::query_scalar("SELECT body_json FROM requests WHERE id = ?").bind(id).fetch_optional(&mut *tx).await?;
        let Some(body) = body else { return Ok(false) };
        let request: RequestEntry = stored_body("requests", id, &body)?;
        sqlx::query("DELETE FROM requests WHERE id = ?").bind(id).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT OR REPLACE INTO cancelled_requests \
             (id, summary_json, phone_last4, reason, cancelled_at, cancelled_by) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(serde_json::to_string(&request.summary()).expect("plain data"))
        .bind(last_four_digits(request.resident_phone()))
        .bind(reason)
        .bind(self.clock.stamp())
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        // An accepted application's resident then sees 取消 too.
        sqlx::query("UPDATE applications SET status = 'cancelled' WHERE id = ? AND status = 'accepted'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, &self.clock.stamp(), actor, "cancel", &format!("requests/{id}"), reason).await?;
        tx.commit().await?;
        self.bump();
        Ok(true)
    }

    /// The record of cancelled request `id`.
    pub async fn cancellation(&self, id: &str) -> Result<Option<Cancellation>, sqlx::Error> {
        let row =
            sqlx::query("SELECT * FROM cancelled_requests WHERE id = ?").bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(cancellation).transpose()
    }

    /// Every recorded cancellation, newest first.
    pub async fn cancellations(&self) -> Result<Vec<Cancellation>, sqlx::Error> {
        let rows = sqlx::query("SELECT * FROM cancelled_requests ORDER BY cancelled_at DESC, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(cancellation).collect()
    }
}

fn cancellation(r: &sqlx::sqlite::SqliteRow) -> Result<Cancellation, sqlx::Error> {
    let id: String = r.get("id");
    Ok(Cancellation {
        summary: stored_body("cancelled_requests", &id, r.get::<&str, _>("summary_json"))?,
        id,
        phone_last4: r.get("phone_last4"),
        reason: r.get("reason"),
        cancelled_at: r.get("cancelled_at"),
        cancelled_by: r.get("cancelled_by"),
    })
}
