//! The month's planned-against-actual report (staff without personal data: viewers,
//! planners, admins): `GET /api/report?month=YYYY-MM&district=` as JSON, and the figures
//! and the open-data file as CSV (pages/report_page.rs). Each date is read from the newest
//! plan published for it; the crews' entries and the stored requests give the actuals.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::AppState;
use super::auth::Viewer;
use super::error::ApiError;
use crate::io::month_report::{MonthReport, PlanDay, ReportInput, RequestFact, fiscal_start, month_end, month_report};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/report", get(report_json))
}

/// `?month=YYYY-MM&district=` (default: this month, every district).
#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    pub month: Option<String>,
    pub district: Option<String>,
}

impl ReportQuery {
    /// The month's first day, or A400 naming the field.
    pub fn first_day(&self, today: NaiveDate) -> Result<NaiveDate, ApiError> {
        match self.month.as_deref().filter(|m| !m.is_empty()) {
            None => Ok(today.with_day0(0).unwrap_or(today)),
            Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
                .ok()
                .filter(|d| (2020..=2099).contains(&d.year()))
                .ok_or_else(|| {
                    ApiError::bad_request(
                        ["「month」は YYYY-MM（2020〜2099年）です", "month must be YYYY-MM (years 2020–2099)"],
                        ["例: 「month=2026-12」", "e.g. month=2026-12"],
                    )
                }),
        }
    }

    pub fn district(&self) -> Option<&str> {
        self.district.as_deref().filter(|d| !d.is_empty())
    }
}

/// The announced day of every date from `from` to `to` ([`crate::io::announced`]).
async fn planned_days(s: &AppState, from: NaiveDate, to: NaiveDate) -> Result<Vec<PlanDay>, ApiError> {
    let announced = s.store.announced(from, to, false).await?;
    announced
        .days()
        .into_iter()
        .filter(|(_, d)| from <= d.date && d.date <= to)
        .map(|(_, d)| serde_json::to_value(d).and_then(serde_json::from_value::<PlanDay>))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::internal(&format!("stored plan: {e}")))
}

/// The stored requests without personal data: when received, online or not, district.
async fn request_facts(s: &AppState) -> Result<Vec<RequestFact>, ApiError> {
    let stops: HashMap<String, String> =
        s.store.stops().await?.iter().map(|st| (st.id.clone(), st.district_text().to_string())).collect();
    Ok(s.store
        .requests_received()
        .await?
        .into_iter()
        .filter_map(|(at, r)| {
            let received = at.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())?;
            let district = stops.get(r.stop_id()).cloned().unwrap_or_default();
            let (online, follow_up) = (r.is_online(), r.follow_up_of.is_some());
            Some(RequestFact { id: r.id, received, online, district, follow_up })
        })
        .collect())
}

/// The report of `q`'s month and district.
pub async fn report(s: &AppState, q: &ReportQuery) -> Result<MonthReport, ApiError> {
    let month = q.first_day(s.config.clock.today())?;
    let (from, to) = (fiscal_start(month), month_end(month));
    let days = planned_days(s, from, to).await?;
    let entries = s.store.entries_between(&from.to_string(), &to.to_string()).await?;
    let requests = request_facts(s).await?;
    Ok(month_report(&ReportInput {
        month,
        district: q.district(),
        days: &days,
        entries: &entries,
        requests: &requests,
    }))
}

async fn report_json(
    _: Viewer,
    State(s): State<AppState>,
    Query(q): Query<ReportQuery>,
) -> Result<Json<MonthReport>, ApiError> {
    Ok(Json(report(&s, &q).await?))
}
