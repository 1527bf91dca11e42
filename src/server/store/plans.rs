//! Plan versions in the store: queued → running → draft (or failed); a draft is
//! published, superseding the plan published before.

use super::documents::{PlanFailure, PlanKind, PlanStatus, PlanSummary};
use super::{Store, audit};
use crate::io::plan_diff::PlanDiff;

/// One plan version as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PlanRow {
    pub id: i64,
    pub status: PlanStatus,
    pub kind: PlanKind,
    pub based_on: Option<i64>,
    pub first_monday: String,
    pub weeks: i64,
    pub seed: i64,
    pub progress: f64,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub published_at: Option<String>,
    pub summary_json: Option<String>,
    pub error_json: Option<String>,
}

impl PlanRow {
    /// The summary of a finished plan.
    pub fn summary(&self) -> Option<PlanSummary> {
        serde_json::from_str(self.summary_json.as_deref()?).ok()
    }

    /// Why the solve failed, if it did.
    pub fn failure(&self) -> Option<PlanFailure> {
        serde_json::from_str(self.error_json.as_deref()?).ok()
    }
}

const PLAN_COLUMNS: &str = "id, status, kind, based_on, first_monday, weeks, seed, progress, created_at, \
                            finished_at, published_at, summary_json, error_json";

/// What publishing a plan version did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Publishing {
    Published,
    /// Not a draft nor a superseded version (queued, running, failed, already published).
    NotPublishable,
    /// Its last day is before today.
    Past,
}

/// The stored outputs of a finished plan.
pub struct PlanOutputs {
    pub plan_json: String,
    pub map_geojson: String,
    pub itineraries_json: String,
    pub summary: PlanSummary,
}

impl Store {
    /// Records a new plan version (queued); returns its id.
    pub async fn create_plan(
        &self,
        kind: PlanKind,
        based_on: Option<i64>,
        first_monday: &str,
        weeks: u32,
        seed: u64,
        actor: &str,
    ) -> Result<i64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO plans (status, kind, based_on, first_monday, weeks, seed, created_at) \
             VALUES ('queued', ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(kind)
        .bind(based_on)
        .bind(first_monday)
        .bind(i64::from(weeks))
        .bind(seed as i64)
        .bind(self.clock.stamp())
        .fetch_one(&mut *tx)
        .await?;
        audit(&mut tx, &self.clock.stamp(), actor, kind.as_str(), &format!("plans/{id}"), first_monday).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn set_running(&self, id: i64, progress: f64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE plans SET status = 'running', progress = ? WHERE id = ? AND status IN ('queued', 'running')",
        )
        .bind(progress)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stores a finished plan's outputs as a draft.
    pub async fn finish_plan(&self, id: i64, out: &PlanOutputs) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE plans SET status = 'draft', progress = 1, finished_at = ?, plan_json = ?, map_geojson = ?, \
             itineraries_json = ?, summary_json = ? WHERE id = ?",
        )
        .bind(self.clock.stamp())
        .bind(&out.plan_json)
        .bind(&out.map_geojson)
        .bind(&out.itineraries_json)
        .bind(serde_json::to_string(&out.summary).expect("summaries serialise"))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn fail_plan(&self, id: i64, failure: &PlanFailure) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE plans SET status = 'failed', finished_at = ?, error_json = ? WHERE id = ?")
            .bind(self.clock.stamp())
            .bind(serde_json::to_string(failure).expect("failures serialise"))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn plan(&self, id: i64) -> Result<Option<PlanRow>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    pub async fn plans(&self) -> Result<Vec<PlanRow>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {PLAN_COLUMNS} FROM plans ORDER BY id DESC LIMIT 100"))
            .fetch_all(&self.pool)
            .await
    }

    /// One stored output column of a plan (`plan_json`, `map_geojson`, `itineraries_json`).
    pub async fn plan_output(&self, id: i64, column: PlanColumn) -> Result<Option<String>, sqlx::Error> {
        let value: Option<Option<String>> =
            sqlx::query_scalar(&format!("SELECT {} FROM plans WHERE id = ?", column.name()))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(value.flatten())
    }

    /// The id of the most recently published plan, if any.
    pub async fn published_id(&self) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT id FROM plans WHERE status = 'published' ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await
    }

    /// Publishes a draft, or a superseded version again (a rollback), superseding the plan
    /// published before. Refused for other statuses and for a plan whose last day has passed
    /// (residents would be shown nothing). One transaction with its audit entry.
    /// `calendar`: the plan's calendar identities (JSON of `CalendarIds`), stored with it;
    /// `changes`: what it changes against what was announced for its dates until now.
    pub async fn publish(
        &self,
        id: i64,
        actor: &str,
        calendar: &str,
        changes: &PlanDiff,
    ) -> Result<Publishing, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let row: Option<(PlanStatus, String, i64)> =
            sqlx::query_as("SELECT status, first_monday, weeks FROM plans WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((status, first_monday, weeks)) = row else { return Ok(Publishing::NotPublishable) };
        let action = match status {
            PlanStatus::Draft => "publish",
            PlanStatus::Superseded => "republish",
            _ => return Ok(Publishing::NotPublishable),
        };
        let last_day =
            first_monday.parse::<chrono::NaiveDate>().ok().map(|d| d + chrono::Duration::days(weeks * 7 - 1));
        if last_day.is_none_or(|last| last < self.clock.today()) {
            return Ok(Publishing::Past);
        }
        let before: Option<i64> =
            sqlx::query_scalar("SELECT id FROM plans WHERE status = 'published'").fetch_optional(&mut *tx).await?;
        sqlx::query("UPDATE plans SET status = 'superseded' WHERE status = 'published'").execute(&mut *tx).await?;
        let at = self.clock.stamp();
        sqlx::query(
            "UPDATE plans SET status = 'published', published_at = ?, replaces = ?, calendar_json = ? WHERE id = ?",
        )
        .bind(&at)
        .bind(before)
        .bind(calendar)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let publication: i64 = sqlx::query_scalar(
            "INSERT INTO publications (plan_id, published_at, calendar_json) VALUES (?, ?, ?) RETURNING seq",
        )
        .bind(id)
        .bind(&at)
        .bind(calendar)
        .fetch_one(&mut *tx)
        .await?;
        super::announcements::record_changes(&mut tx, publication, changes).await?;
        audit(&mut tx, &self.clock.stamp(), actor, action, &format!("plans/{id}"), status.as_str()).await?;
        tx.commit().await?;
        self.bump();
        Ok(Publishing::Published)
    }

    /// Plans left queued or running by a previous process: marked failed at start.
    pub async fn fail_interrupted(&self) -> Result<u64, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE plans SET status = 'failed', error_json = '{\"code\":\"A503\",\"message\":\"interrupted by a restart\"}' \
             WHERE status IN ('queued', 'running')",
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}

/// Stored output columns of a plan.
#[derive(Clone, Copy, Debug)]
pub enum PlanColumn {
    PlanJson,
    MapGeojson,
    Itineraries,
}

impl PlanColumn {
    fn name(self) -> &'static str {
        match self {
            PlanColumn::PlanJson => "plan_json",
            PlanColumn::MapGeojson => "map_geojson",
            PlanColumn::Itineraries => "itineraries_json",
        }
    }
}
