//! Residents' online applications: stored as `pending` with a random request number, then
//! accepted by a planner (the body becomes a request with the same id) or declined with a
//! reason. A decided application keeps no name or phone: only its status, reason and the
//! last four digits of the phone, for the resident's status check, until the purge.

use sqlx::Row;

use super::{Store, audit, stored_body};
use crate::io::problem_file::RequestEntry;
use crate::server::auth::password::random_bytes;

/// Where an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplicationStatus {
    Pending,
    Accepted,
    Declined,
    /// Accepted, then the request was cancelled.
    Cancelled,
}

impl ApplicationStatus {
    fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Pending => "pending",
            ApplicationStatus::Accepted => "accepted",
            ApplicationStatus::Declined => "declined",
            ApplicationStatus::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> ApplicationStatus {
        match s {
            "accepted" => ApplicationStatus::Accepted,
            "declined" => ApplicationStatus::Declined,
            "cancelled" => ApplicationStatus::Cancelled,
            _ => ApplicationStatus::Pending,
        }
    }
}

/// One application as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Application {
    /// The request number the resident was given, e.g. `W-2718-2818`.
    pub id: String,
    pub status: ApplicationStatus,
    /// The request while pending; `None` once decided (its body is erased).
    pub request: Option<RequestEntry>,
    pub phone_last4: String,
    pub created_at: String,
    /// Why it was declined (told to the resident).
    pub reason: String,
}

/// Whether `id` has the form of an online application's number (`W-…`): staff-made
/// requests may not take it.
pub fn is_application_number(id: &str) -> bool {
    id.starts_with("W-")
}

/// Why a staff-made request may not take such a number.
pub const RESERVED_FOR_APPLICATIONS: [&str; 2] =
    ["「W-」で始まる番号はオンライン申し込み用です", "ids starting with W- are for online applications"];

/// A request number that cannot be guessed from another: `W-` and 8 random digits.
fn new_number() -> String {
    let n = u32::from_le_bytes(random_bytes::<4>()) % 100_000_000;
    format!("W-{:04}-{:04}", n / 10_000, n % 10_000)
}

/// An application row; a pending one whose body does not parse is an error naming it.
fn from_row(r: &sqlx::sqlite::SqliteRow) -> Result<Application, sqlx::Error> {
    let (id, status): (String, ApplicationStatus) = (r.get("id"), ApplicationStatus::parse(r.get::<&str, _>("status")));
    let request = match status {
        ApplicationStatus::Pending => Some(stored_body("applications", &id, r.get::<&str, _>("body_json"))?),
        _ => None,
    };
    Ok(Application {
        id,
        status,
        request,
        phone_last4: r.get("phone_last4"),
        created_at: r.get("created_at"),
        reason: r.get("reason"),
    })
}

impl Store {
    /// Stores a pending application (its `id` is set here) and answers its number.
    pub async fn add_application(&self, mut request: RequestEntry, phone_last4: &str) -> Result<String, sqlx::Error> {
        loop {
            let id = new_number();
            let taken: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM applications WHERE id = ? UNION SELECT 1 FROM requests WHERE id = ?")
                    .bind(&id)
                    .bind(&id)
                    .fetch_optional(&self.pool)
                    .await?;
            if taken.is_some() {
                continue;
            }
            request.id.clone_from(&id);
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "INSERT INTO applications (id, status, body_json, phone_last4, created_at) VALUES (?, 'pending', ?, ?, ?)",
            )
            .bind(&id)
            .bind(request.to_value().to_string())
            .bind(phone_last4)
            .bind(self.clock.stamp())
            .execute(&mut *tx)
            .await?;
            audit(&mut tx, &self.clock.stamp(), "online", "apply", &format!("applications/{id}"), "").await?;
            tx.commit().await?;
            return Ok(id);
        }
    }

    pub async fn application(&self, id: &str) -> Result<Option<Application>, sqlx::Error> {
        let row = sqlx::query("SELECT * FROM applications WHERE id = ?").bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Pending applications, oldest first (they hold names and phones: audit the read).
    pub async fn pending_applications(&self) -> Result<Vec<Application>, sqlx::Error> {
        let rows = sqlx::query("SELECT * FROM applications WHERE status = 'pending' ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Records a planner's decision on a pending application and erases its body; false
    /// if it is not pending (decided already, or unknown).
    pub async fn decide_application(
        &self,
        id: &str,
        status: ApplicationStatus,
        actor: &str,
        reason: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        if !self.decide_in(&mut tx, id, status, actor, reason).await? {
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Accepts pending application `request.id`: it becomes `request` (already validated)
    /// in the same transaction, so that an application is never both waiting and a request.
    /// `false` if it was not pending (another planner decided first).
    pub async fn accept_application(&self, request: &RequestEntry, actor: &str) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let id = &request.id;
        if !self.decide_in(&mut tx, id, ApplicationStatus::Accepted, actor, "").await? {
            return Ok(false);
        }
        self.put_in(&mut tx, super::Entity::Request, id, &request.to_value(), actor).await?;
        tx.commit().await?;
        self.bump();
        Ok(true)
    }

    /// Decides a pending application inside the caller's transaction (audited).
    async fn decide_in(
        &self,
        tx: &mut sqlx::SqliteConnection,
        id: &str,
        status: ApplicationStatus,
        actor: &str,
        reason: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE applications SET status = ?, body_json = '{}', decided_at = ?, decided_by = ?, reason = ? \
             WHERE id = ? AND status = 'pending'",
        )
        .bind(status.as_str())
        .bind(self.clock.stamp())
        .bind(actor)
        .bind(reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit(tx, &self.clock.stamp(), actor, status.as_str(), &format!("applications/{id}"), reason).await?;
        Ok(true)
    }
}
