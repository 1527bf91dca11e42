//! The stored documents of a plan version and their vocabulary, one Rust type each for
//! writing and reading back: the status and kind of a version, the summary shown to
//! planners (KPIs, assignment, unserved requests, changed windows), and why a solve
//! failed. `plan.json` is [`crate::io::plan_view::PlanView`] and the crews' itineraries are
//! [`crate::io::driver_day::DriverDay`]s.

use junkai_solver::kpi::Kpis;
use junkai_solver::plan::AssignmentReport;
use serde::{Deserialize, Serialize};

use crate::io::plan_view::{ShortfallView, UnservedView};

/// Where a plan version is in its life: queued → running → draft (or failed);
/// draft → published → superseded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
pub enum PlanStatus {
    Queued,
    Running,
    Draft,
    Published,
    Superseded,
    Failed,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Queued => "queued",
            PlanStatus::Running => "running",
            PlanStatus::Draft => "draft",
            PlanStatus::Published => "published",
            PlanStatus::Superseded => "superseded",
            PlanStatus::Failed => "failed",
        }
    }

    /// Whether a solve is still working on it.
    pub fn in_progress(self) -> bool {
        matches!(self, PlanStatus::Queued | PlanStatus::Running)
    }

    /// The status in words for planners.
    pub fn label(self) -> [&'static str; 2] {
        match self {
            PlanStatus::Queued => ["待機中", "queued"],
            PlanStatus::Running => ["計算中", "running"],
            PlanStatus::Draft => ["下書き", "draft"],
            PlanStatus::Published => ["公開中", "published"],
            PlanStatus::Superseded => ["置き換え済み", "superseded"],
            PlanStatus::Failed => ["失敗", "failed"],
        }
    }
}

/// How a plan version was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
pub enum PlanKind {
    /// From scratch.
    Plan,
    /// Around the published plan, keeping its windows.
    Replan,
    /// From scratch again, listing the published windows that change.
    Full,
}

impl PlanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanKind::Plan => "plan",
            PlanKind::Replan => "replan",
            PlanKind::Full => "full",
        }
    }

    pub fn label(self) -> [&'static str; 2] {
        match self {
            PlanKind::Plan => ["新規", "plan"],
            PlanKind::Replan => ["再計画", "re-plan"],
            PlanKind::Full => ["全体再最適化", "full re-plan"],
        }
    }
}

/// A published window that a re-plan changes (home visits are not named).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangedWindow {
    pub date: String,
    pub stop_id: Option<String>,
    pub stop_name: String,
    /// The announced window, `HH:MM`.
    pub published: (String, String),
    /// The window now, or `None` when the visit is gone.
    pub now: Option<(String, String)>,
    /// Why (summaries stored before causes were recorded read as the plan's choice).
    #[serde(default)]
    pub cause: junkai_solver::weekly::ChangeCause,
}

/// What planners see of a finished plan.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanSummary {
    pub kpis: Kpis,
    pub assignment: AssignmentReport,
    pub unserved: Vec<UnservedView>,
    pub shortfalls: Vec<ShortfallView>,
    /// Visits of the published plan the re-plan started from (0 for a new plan).
    pub published_visits: usize,
    pub changed_windows: Vec<ChangedWindow>,
    /// Requests the published plan served that no longer exist.
    pub cancelled: Vec<String>,
}

/// One input problem of a failed solve, in both languages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FailureProblem {
    pub code: String,
    pub path: String,
    pub ja: String,
    pub en: String,
}

/// Why a solve failed: bad input (`A422` with problems), a plan that failed its check or
/// a crash (`A500`), or a restart (`A503`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanFailure {
    pub code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<FailureProblem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<String>,
}
