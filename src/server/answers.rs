//! The JSON answers of the API's operations, one type per answer: the handler builds it
//! and the OpenAPI document takes its schema from it (utoipa), so the two cannot drift.
//! Nested documents that have their own page in docs/ (a plan's summary, a crew day, a
//! review) are described there and appear here as objects.

use serde::Serialize;
use utoipa::ToSchema;

use super::store::{PlanKind, PlanRow, PlanStatus};
use crate::io::crew_record::StoredEntry;
use crate::io::plan_view::UnservedView;
use crate::io::public_timetable::{PublicStop, PublicVisit};
use crate::io::remote_day::RemoteSession;

/// `GET /api/health`.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` while the service answers.
    pub status: &'static str,
}

/// Where a plan version's documents are.
#[derive(Serialize, ToSchema)]
pub struct PlanLinks {
    #[serde(rename = "self")]
    pub this: String,
    /// The plan document (`junkai-plan`).
    pub plan: String,
}

/// A plan version with its progress (`/api/plans`, `/api/plans/{id}`, publish, and the
/// 202 of a started solve).
#[derive(Serialize, ToSchema)]
pub struct PlanAnswer {
    pub id: i64,
    pub status: PlanStatus,
    pub kind: PlanKind,
    /// The plan a re-plan started from.
    pub based_on: Option<i64>,
    /// The Monday of its first week, `YYYY-MM-DD`.
    pub first_monday: String,
    pub weeks: i64,
    pub seed: i64,
    /// 0–1, live while it runs.
    pub progress: f64,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub published_at: Option<String>,
    /// KPIs, assignment, unserved, shortfalls, changed windows (docs/API.md).
    #[schema(value_type = Option<Object>)]
    pub summary: Option<crate::server::store::PlanSummary>,
    /// Why the solve failed.
    #[schema(value_type = Option<Object>)]
    pub error: Option<crate::server::store::PlanFailure>,
    pub links: PlanLinks,
}

impl PlanAnswer {
    /// Plan version `row`, with the live `progress` of a running solve.
    pub fn of(row: &PlanRow, progress: Option<f64>) -> PlanAnswer {
        PlanAnswer {
            id: row.id,
            status: row.status,
            kind: row.kind,
            based_on: row.based_on,
            first_monday: row.first_monday.clone(),
            weeks: row.weeks,
            seed: row.seed,
            progress: progress.unwrap_or(row.progress),
            created_at: row.created_at.clone(),
            finished_at: row.finished_at.clone(),
            published_at: row.published_at.clone(),
            summary: row.summary(),
            error: row.failure(),
            links: PlanLinks {
                this: format!("/api/plans/{}", row.id),
                plan: format!("/api/plans/{}/plan.json", row.id),
            },
        }
    }
}

/// `GET /api/unserved`: the plan the reasons come from (none before the first plan).
#[derive(Serialize, ToSchema)]
pub struct UnservedAnswer {
    pub plan: Option<i64>,
    pub status: Option<PlanStatus>,
    pub unserved: Vec<UnservedView>,
}

/// `GET /api/driver/days`.
#[derive(Serialize, ToSchema)]
pub struct DriverDays {
    /// The unit the account drives, if fixed.
    pub unit_id: Option<String>,
    /// `YYYY-MM-DD`, ascending.
    pub dates: Vec<String>,
}

/// `GET /api/driver/records`: a day's entries and each slot's current value.
#[derive(Serialize, ToSchema)]
pub struct DayRecords {
    #[schema(value_type = Vec<Object>)]
    pub entries: Vec<StoredEntry>,
    #[schema(value_type = Vec<Object>)]
    pub current: Vec<StoredEntry>,
}

/// What became of one crew record sent from a phone.
#[derive(Serialize, ToSchema)]
pub struct EntryResult {
    pub client_id: String,
    /// `stored`, `duplicate` or `refused`.
    pub status: &'static str,
    /// Why it was refused (`R…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `POST /api/driver/records`: one result per entry, in order.
#[derive(Serialize, ToSchema)]
pub struct RecordResults {
    pub results: Vec<EntryResult>,
}

/// `GET /api/remote/sessions`.
#[derive(Serialize, ToSchema)]
pub struct RemoteSessions {
    pub remote_id: String,
    #[schema(value_type = Vec<Object>)]
    pub sessions: Vec<RemoteSession>,
}

/// `GET /api/public/stops/{id}/visits`.
#[derive(Serialize, ToSchema)]
pub struct StopVisits<'a> {
    #[schema(value_type = Object)]
    pub stop: &'a PublicStop,
    #[schema(value_type = Vec<Object>)]
    pub visits: Vec<&'a PublicVisit>,
}

/// `GET /api/follow-ups`.
#[derive(Serialize, ToSchema)]
pub struct FollowUps {
    #[schema(value_type = Vec<Object>)]
    pub follow_ups: Vec<crate::server::store::FollowUp>,
}

/// The id of what was made (`POST /api/follow-ups/…/confirm`: the new request).
#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}
