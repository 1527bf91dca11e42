//! The announced calendar in the store: the publications that cover some dates (read into
//! [`Announced`], the one seam for "what is announced on date D"), and what each
//! publication changed against what was announced for its dates until then, kept so that
//! notices and call lists stay until the original date has passed.

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::Store;
use crate::io::announced::{Announced, Coverage, Publication, sources_among};
use crate::io::plan_diff::{PlanDiff, VisitChange, VisitRef};

/// A change a publication made, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnouncedChange {
    pub plan_id: i64,
    pub sequence: i64,
    /// The request of a booking change (`None`: a visit moved or cancelled).
    pub request: Option<String>,
    /// The visit as it was announced before.
    pub before: VisitRef,
    /// What replaced it (`None`: cancelled, or the booking lost its visit).
    pub after: Option<VisitRef>,
}

/// Stores the changes of publication `publication` (inside its publishing transaction).
pub(super) async fn record_changes(
    conn: &mut SqliteConnection,
    publication: i64,
    diff: &PlanDiff,
) -> Result<(), sqlx::Error> {
    let mut rows: Vec<(&str, &str, &VisitRef, Option<&VisitRef>)> = Vec::new();
    for change in &diff.visits {
        match change {
            VisitChange::Moved { from, to } => rows.push(("moved", "", from, Some(to))),
            VisitChange::Cancelled(from) => rows.push(("cancelled", "", from, None)),
            VisitChange::Added(_) => {}
        }
    }
    rows.extend(diff.bookings.iter().map(|b| ("booking", b.request.as_str(), &b.from, b.to.as_ref())));
    let json = |v: &VisitRef| serde_json::to_string(v).expect("visits serialise");
    for (kind, request, before, after) in rows {
        sqlx::query(
            "INSERT INTO announced_changes (publication, kind, request_id, date, before_json, after_json) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(publication)
        .bind(kind)
        .bind(request)
        .bind(&before.date)
        .bind(json(before))
        .bind(after.map(json))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

impl Store {
    /// The announced calendar for the dates `from..=to`: every publication covering one of
    /// them (with the crews' itineraries only when `with_itineraries`, they are private).
    pub async fn announced(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        with_itineraries: bool,
    ) -> Result<Announced, sqlx::Error> {
        // First what decides coverage (small), then the content of only the publications
        // some date reads from: a rolling operation keeps many that later ones shadow.
        let overlapping: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT pub.seq, pub.published_at, p.first_monday, p.weeks \
             FROM publications pub JOIN plans p ON p.id = pub.plan_id \
             WHERE p.plan_json IS NOT NULL \
             AND p.first_monday <= ? AND date(p.first_monday, printf('+%d days', 7 * p.weeks)) > ?",
        )
        .bind(to.to_string())
        .bind(from.to_string())
        .fetch_all(&self.pool)
        .await?;
        let coverage: Vec<Coverage> = overlapping
            .into_iter()
            .filter_map(|(sequence, published_at, first_monday, weeks)| {
                let start = NaiveDate::parse_from_str(&first_monday, "%Y-%m-%d").ok()?;
                Some(Coverage { sequence, start, end: start + chrono::Duration::days(7 * weeks), published_at })
            })
            .collect();
        let needed: Vec<String> = sources_among(&coverage, from, to).iter().map(i64::to_string).collect();
        if needed.is_empty() {
            return Ok(Announced::default());
        }
        type Row = (i64, i64, String, String, i64, String, Option<String>, Option<String>);
        let itineraries = if with_itineraries { "itineraries_json" } else { "NULL" };
        // The sequences are integers formatted here, never text from outside.
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT p.id, pub.seq, pub.published_at, p.first_monday, p.weeks, p.plan_json, pub.calendar_json, \
             {itineraries} FROM publications pub JOIN plans p ON p.id = pub.plan_id WHERE pub.seq IN ({})",
            needed.join(", ")
        ))
        .fetch_all(&self.pool)
        .await?;
        let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
        let mut publications = Vec::with_capacity(rows.len());
        for (plan_id, sequence, published_at, first_monday, weeks, plan, calendar, itineraries_json) in rows {
            let start =
                NaiveDate::parse_from_str(&first_monday, "%Y-%m-%d").map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            let calendar =
                calendar.filter(|c| !c.is_empty()).map(|c| serde_json::from_str(&c)).transpose().map_err(decode)?;
            publications.push(Publication {
                plan_id,
                sequence,
                published_at,
                start,
                end: start + chrono::Duration::days(7 * weeks),
                plan: serde_json::from_str(&plan).map_err(decode)?,
                calendar,
                itineraries_json,
            });
        }
        Ok(Announced::new(publications))
    }

    /// The announced calendar from `from` on (every later date).
    pub async fn announced_from(&self, from: NaiveDate, with_itineraries: bool) -> Result<Announced, sqlx::Error> {
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date");
        self.announced(from, last, with_itineraries).await
    }

    /// A number that grows with every publication and never goes down (the highest plan id
    /// ever published plus the number of publications): a calendar's SEQUENCE.
    pub async fn publication_counter(&self) -> Result<u32, sqlx::Error> {
        let n: Option<i64> =
            sqlx::query_scalar("SELECT MAX(plan_id) + MAX(seq) FROM publications").fetch_one(&self.pool).await?;
        Ok(n.map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)))
    }

    /// The changes publications made to visits on `from` or later, oldest publication first.
    pub async fn announced_changes(&self, from: NaiveDate) -> Result<Vec<AnnouncedChange>, sqlx::Error> {
        let rows: Vec<(i64, i64, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT pub.plan_id, c.publication, c.kind, c.request_id, c.before_json, c.after_json \
             FROM announced_changes c JOIN publications pub ON pub.seq = c.publication \
             WHERE c.date >= ? ORDER BY c.publication, c.id",
        )
        .bind(from.to_string())
        .fetch_all(&self.pool)
        .await?;
        let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
        rows.into_iter()
            .map(|(plan_id, sequence, kind, request, before, after)| {
                Ok(AnnouncedChange {
                    plan_id,
                    sequence,
                    request: (kind == "booking").then_some(request),
                    before: serde_json::from_str(&before).map_err(decode)?,
                    after: after.map(|a| serde_json::from_str(&a)).transpose().map_err(decode)?,
                })
            })
            .collect()
    }
}
