//! What a planner reviews before publishing a draft: each announced visit it moves or
//! drops, with why; the residents whose booking moves; and what the service would lose,
//! as shortfalls: mountain-area halls left without a visit in a week, and stops below
//! their weekly minimum. Pure: built from the draft's difference to what is announced
//! ([`super::plan_diff`]) and the plan's own findings.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Datelike, Duration, NaiveDate};
use junkai_solver::weekly::ChangeCause;
use serde::{Deserialize, Serialize};

use super::plan_diff::{BookingChange, PlanDiff, VisitChange, VisitRef};
use super::plan_view::ShortfallView;
use crate::lang::Text;

/// The review of a draft against what is announced for its dates (from today on).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DraftReview {
    /// Announced visits the draft moves (`to` set) or drops (`to` empty), with why.
    pub changes: Vec<ReviewedChange>,
    /// Visits the draft adds on those dates.
    pub added: Vec<VisitRef>,
    /// Bookings whose announced visit moves or is dropped (residents to call).
    pub bookings: Vec<BookingChange>,
    /// Weeks in which mountain-area halls visited so far would get no visit.
    pub coverage_lost: Vec<CoverageLoss>,
    /// Stops the draft leaves below their weekly minimum.
    pub shortfalls: Vec<ShortfallView>,
}

/// An announced visit that the draft moves or drops.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewedChange {
    pub from: VisitRef,
    pub to: Option<VisitRef>,
    pub cause: ChangeCause,
    /// `cause` in words for the planner.
    pub why: Text,
}

/// A week in which mountain-area halls announced with a visit would have none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageLoss {
    /// The Monday of the week.
    pub week_of: NaiveDate,
    /// Mountain-area halls with a visit in that week: announced, and in the draft.
    pub announced: usize,
    pub planned: usize,
    /// The halls that lose their visit (names).
    pub lost: Vec<String>,
}

impl DraftReview {
    /// Whether publishing would take anything away from residents.
    pub fn has_losses(&self) -> bool {
        !self.changes.is_empty() || !self.coverage_lost.is_empty() || !self.shortfalls.is_empty()
    }
}

/// What goes into a review: the announced visits a publication would replace
/// (`before`), the draft's visits on the same dates (`after`), their difference, the stop
/// ids of mountain-area halls, the plan's weekly shortfalls, why each lost visit was lost
/// (`cause_of`, for the visits the plan itself reported) and whether the plan is a full
/// re-optimisation.
pub struct ReviewInput<'a> {
    pub before: &'a [VisitRef],
    pub after: &'a [VisitRef],
    pub diff: &'a PlanDiff,
    pub mountainous: &'a HashSet<String>,
    pub shortfalls: &'a [ShortfallView],
    pub cause_of: &'a dyn Fn(&VisitRef) -> Option<ChangeCause>,
    pub full: bool,
}

/// The review of a draft (see [`ReviewInput`]).
pub fn review(input: &ReviewInput) -> DraftReview {
    let reviewed = |from: &VisitRef, to: Option<&VisitRef>| {
        let cause = (input.cause_of)(from).unwrap_or_default();
        ReviewedChange { from: from.clone(), to: to.cloned(), cause, why: cause_text(cause, input.full) }
    };
    let mut changes = Vec::new();
    let mut added = Vec::new();
    for change in &input.diff.visits {
        match change {
            VisitChange::Moved { from, to } => changes.push(reviewed(from, Some(to))),
            VisitChange::Cancelled(from) => changes.push(reviewed(from, None)),
            VisitChange::Added(v) => added.push(v.clone()),
        }
    }
    DraftReview {
        changes,
        added,
        bookings: input.diff.bookings.clone(),
        coverage_lost: coverage_lost(input.before, input.after, input.mountainous),
        shortfalls: input.shortfalls.to_vec(),
    }
}

/// Why an announced visit changes, for planners: `full` when the plan was made from
/// scratch (a new plan or a full re-optimisation, which move visits by choice), else a
/// re-plan that keeps what it can.
pub fn cause_text(cause: ChangeCause, full: bool) -> Text {
    match (cause, full) {
        (ChangeCause::UnitNotWorking, _) => {
            Text::new("車両がその日・その時間は運行しないため", "the unit does not run then any more")
        }
        (ChangeCause::PlaceClosed, _) => {
            Text::new("会場がその時間は開いていないため", "the hall is not open at that time any more")
        }
        (ChangeCause::PlanChoice, true) => {
            Text::new("計画を作り直したため", "the dates were planned again from scratch")
        }
        (ChangeCause::PlanChoice, false) => {
            Text::new("ほかの変更で経路に収まらないため", "the day's route no longer holds it beside the other changes")
        }
    }
}

/// The Monday of a visit's week (`None` for a date that does not parse).
fn week_of(v: &VisitRef) -> Option<NaiveDate> {
    let date = NaiveDate::parse_from_str(&v.date, "%Y-%m-%d").ok()?;
    Some(date - Duration::days(i64::from(date.weekday().num_days_from_monday())))
}

/// Per week, the mountain-area halls (by id) visited in `visits`, with their names.
fn halls_by_week(visits: &[VisitRef], mountainous: &HashSet<String>) -> BTreeMap<NaiveDate, BTreeMap<String, String>> {
    let mut weeks: BTreeMap<NaiveDate, BTreeMap<String, String>> = BTreeMap::new();
    for v in visits {
        if let (Some(week), Some(stop)) = (week_of(v), v.stop_id.as_ref().filter(|s| mountainous.contains(*s))) {
            weeks.entry(week).or_default().insert(stop.clone(), v.place.clone());
        }
    }
    weeks
}

/// The weeks in which a mountain-area hall announced with a visit has none in `after`.
fn coverage_lost(before: &[VisitRef], after: &[VisitRef], mountainous: &HashSet<String>) -> Vec<CoverageLoss> {
    let planned = halls_by_week(after, mountainous);
    let empty = BTreeMap::new();
    halls_by_week(before, mountainous)
        .into_iter()
        .filter_map(|(week, announced)| {
            let now = planned.get(&week).unwrap_or(&empty);
            let lost: BTreeSet<&String> = announced.keys().filter(|s| !now.contains_key(*s)).collect();
            (!lost.is_empty()).then(|| CoverageLoss {
                week_of: week,
                announced: announced.len(),
                planned: now.len(),
                lost: lost.into_iter().map(|s| announced[s].clone()).collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::plan_diff::{diff_visits, sample_visit as visit};

    fn input_review(
        before: &[VisitRef],
        after: &[VisitRef],
        cause_of: &dyn Fn(&VisitRef) -> Option<ChangeCause>,
    ) -> DraftReview {
        let diff = diff_visits(before, after);
        let mountainous: HashSet<String> = ["konaka".to_string(), "zama".to_string()].into();
        review(&ReviewInput {
            before,
            after,
            diff: &diff,
            mountainous: &mountainous,
            shortfalls: &[],
            cause_of,
            full: false,
        })
    }

    #[test]
    fn each_lost_visit_has_its_cause_and_lost_halls_are_named_by_week() {
        let before = [
            visit("konaka", "2026-12-14", "10:00", &["R1"]),
            visit("zama", "2026-12-15", "13:00", &[]),
            visit("godo", "2026-12-16", "09:00", &["R3"]),
        ];
        // konaka moves within the week, zama is dropped, godo stays.
        let after = [visit("konaka", "2026-12-17", "10:00", &["R1"]), visit("godo", "2026-12-16", "09:00", &["R3"])];
        let unit_out = |v: &VisitRef| (v.date == "2026-12-14").then_some(ChangeCause::UnitNotWorking);
        let r = input_review(&before, &after, &unit_out);
        assert_eq!(r.changes.len(), 2);
        assert_eq!(r.changes[0].cause, ChangeCause::UnitNotWorking);
        assert_eq!(r.changes[0].to.as_ref().map(|v| v.date.as_str()), Some("2026-12-17"));
        assert_eq!(r.changes[1].cause, ChangeCause::PlanChoice);
        assert!(r.changes[1].to.is_none());
        assert_eq!(r.bookings.iter().map(|b| b.request.as_str()).collect::<Vec<_>>(), ["R1"]);
        let week = NaiveDate::from_ymd_opt(2026, 12, 14).unwrap();
        assert_eq!(
            r.coverage_lost,
            [CoverageLoss { week_of: week, announced: 2, planned: 1, lost: vec!["zama".into()] }]
        );
        assert!(r.has_losses());
    }

    #[test]
    fn an_unchanged_draft_has_nothing_to_review() {
        let before = [visit("konaka", "2026-12-14", "10:00", &["R1"])];
        let r = input_review(&before, &before, &|_| None);
        assert!(!r.has_losses(), "{r:?}");
        assert!(r.bookings.is_empty() && r.added.is_empty());
    }
}
