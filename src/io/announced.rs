//! The announced calendar: what residents, crews and remote staff have been told for each
//! date. A plan is published for its weeks; what is announced for a date is that date's
//! day in the latest publication covering it. Publishing next week therefore changes
//! nothing this week, and a rollback re-publishes its own dates only.
//!
//! This is the one seam for "what is announced on date D": hall pages, the timetable,
//! calendar files, GTFS, the map, itineraries, remote sessions, the residents' status,
//! the call lists, the report and retention all read it, never "the published plan".
//! A publication never changes the past: it covers its dates from the day it was
//! published (JST) on, and earlier dates stay as they were announced before.
//! Pure: the publications come from the store ([`crate::server::store::Store::announced`]).

use std::collections::HashSet;

use chrono::NaiveDate;

use super::calendar_identity::{CalendarIds, EventId, first_identities};
use super::driver_day::DriverDay;
use super::plan_diff::{VisitRef, visit_refs};
use super::plan_view::{DayView, PlanView};

/// Days before today that residents' and staff's views of the announced calendar still
/// show (a calendar file keeps recent events; a status check reports a visit just past).
pub const RECENT_DAYS: i64 = 28;

/// One publication of a plan: the dates it covers and what it announced for them.
#[derive(Clone, Debug)]
pub struct Publication {
    pub plan_id: i64,
    /// The order of publication; a rollback (publishing an old plan again) is a new one.
    pub sequence: i64,
    /// When it was published (RFC 3339, JST); empty when unknown.
    pub published_at: String,
    /// Its first Monday, and the day after its last day.
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub plan: PlanView,
    /// The calendar identities stored when it was published (in `visit_refs` order).
    pub calendar: Option<CalendarIds>,
    /// The crews' itineraries as stored (private; parsed only by the staff's readers).
    pub itineraries_json: Option<String>,
}

/// What decides which dates a publication covers, without its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage {
    pub sequence: i64,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// When it was published (RFC 3339, JST); empty when unknown.
    pub published_at: String,
}

impl Coverage {
    /// Whether `date` is read from this publication when nothing newer covers it.
    pub fn covers(&self, date: NaiveDate) -> bool {
        covers(self.start, self.end, &self.published_at, date)
    }
}

/// Whether `date` is inside `start..end` and not before the day of `published_at` (RFC
/// 3339, JST; unknown when empty).
fn covers(start: NaiveDate, end: NaiveDate, published_at: &str, date: NaiveDate) -> bool {
    let on = || chrono::DateTime::parse_from_rfc3339(published_at).ok().map(|t| t.date_naive());
    start <= date && date < end && on().is_none_or(|on| date >= on)
}

/// Of the publications `all`, those that some date of `from..=to` reads from, and the
/// newest (so that only they need to be read).
pub fn sources_among(all: &[Coverage], from: NaiveDate, to: NaiveDate) -> HashSet<i64> {
    let mut newest_first: Vec<&Coverage> = all.iter().collect();
    newest_first.sort_by_key(|c| std::cmp::Reverse(c.sequence));
    let mut out: HashSet<i64> = newest_first.first().map(|c| c.sequence).into_iter().collect();
    let (Some(first), Some(last)) = (all.iter().map(|c| c.start).min(), all.iter().map(|c| c.end).max()) else {
        return out;
    };
    let mut date = from.max(first);
    while date <= to && date < last {
        if let Some(c) = newest_first.iter().find(|c| c.covers(date)) {
            out.insert(c.sequence);
        }
        date += chrono::Duration::days(1);
    }
    out
}

impl Publication {
    /// Whether `date` is read from this publication when nothing newer covers it.
    pub fn covers(&self, date: NaiveDate) -> bool {
        covers(self.start, self.end, &self.published_at, date)
    }

    /// Its visits with their calendar identities (first identities when none were stored).
    fn visits_with_ids(&self) -> Vec<(VisitRef, EventId)> {
        let refs = visit_refs(&self.plan);
        let ids = match &self.calendar {
            Some(c) if c.ids.len() == refs.len() => c.ids.clone(),
            _ => first_identities(&refs).ids,
        };
        refs.into_iter().zip(ids).collect()
    }
}

fn date_of(v: &VisitRef) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&v.date, "%Y-%m-%d").ok()
}

/// Every publication that matters for some dates, and what each date reads from.
#[derive(Clone, Debug, Default)]
pub struct Announced {
    /// Newest publication first.
    publications: Vec<Publication>,
}

impl Announced {
    pub fn new(mut publications: Vec<Publication>) -> Announced {
        publications.sort_by_key(|p| std::cmp::Reverse(p.sequence));
        Announced { publications }
    }

    /// The publications, newest first.
    pub fn publications(&self) -> &[Publication] {
        &self.publications
    }

    /// The most recent publication (the GTFS feed's version, a remote calendar's sequence).
    pub fn latest(&self) -> Option<&Publication> {
        self.publications.first()
    }

    /// The publication `date` is read from.
    pub fn source(&self, date: NaiveDate) -> Option<&Publication> {
        self.publications.iter().find(|p| p.covers(date))
    }

    /// Whether `date` is read from publication `p`.
    pub fn reads_from(&self, p: &Publication, date: NaiveDate) -> bool {
        self.source(date).is_some_and(|s| s.sequence == p.sequence)
    }

    /// Every announced day, by date, with the publication it comes from.
    pub fn days(&self) -> Vec<(&Publication, &DayView)> {
        let mut days: Vec<(&Publication, &DayView)> = self
            .publications
            .iter()
            .flat_map(|p| p.plan.days.iter().map(move |d| (p, d)))
            .filter(|(p, d)| self.reads_from(p, d.date))
            .collect();
        days.sort_by_key(|(_, d)| d.date);
        days
    }

    /// The announced day `date` (`None`: nothing announced, or no unit runs that day).
    pub fn day(&self, date: NaiveDate) -> Option<&DayView> {
        self.source(date)?.plan.days.iter().find(|d| d.date == date)
    }

    /// The announced calendar as one plan: each date's day from its publication, the
    /// requests that no announced visit serves with the newest reason given for them.
    pub fn view(&self) -> Option<PlanView> {
        let latest = self.latest()?;
        let mut view = latest.plan.clone();
        view.days = self.days().into_iter().map(|(_, d)| d.clone()).collect();
        let start = self.publications.iter().map(|p| p.start).min().unwrap_or(latest.start);
        let end = self.publications.iter().map(|p| p.end).max().unwrap_or(latest.end);
        view.first_monday = start;
        view.weeks = u32::try_from((end - start).num_days() / 7).unwrap_or(u32::MAX);
        let from_source = |p: &Publication, date: NaiveDate| self.reads_from(p, date);
        view.closed = self
            .publications
            .iter()
            .flat_map(|p| p.plan.closed.iter().filter(move |c| from_source(p, c.date)))
            .cloned()
            .collect();
        view.closed.sort_by_key(|c| c.date);
        let served: HashSet<String> = view
            .days
            .iter()
            .flat_map(|d| &d.routes)
            .flat_map(|r| &r.visits)
            .flat_map(|v| &v.requests)
            .map(|r| r.id.clone())
            .collect();
        let mut seen = served;
        view.unserved = self
            .publications
            .iter()
            .flat_map(|p| &p.plan.unserved)
            .filter(|u| seen.insert(u.id.clone()))
            .cloned()
            .collect();
        view.shortfalls = self
            .publications
            .iter()
            .flat_map(|p| p.plan.shortfalls.iter().filter(move |s| from_source(p, s.week_of)))
            .cloned()
            .collect();
        Some(view)
    }

    /// The announced calendar on the `weeks` weeks from `monday` as one plan of exactly
    /// those weeks (what a re-plan of them starts from); `None` when nothing is announced.
    pub fn view_of(&self, monday: NaiveDate, weeks: u32) -> Option<PlanView> {
        let end = monday + chrono::Duration::days(7 * i64::from(weeks));
        let within = |d: NaiveDate| monday <= d && d < end;
        let mut view = self.view()?;
        view.days.retain(|d| within(d.date));
        view.closed.retain(|c| within(c.date));
        view.shortfalls.retain(|s| within(s.week_of));
        (view.first_monday, view.weeks) = (monday, weeks);
        Some(view)
    }

    /// Every announced visit with its calendar identity, by date and route.
    pub fn visits(&self) -> Vec<(VisitRef, EventId)> {
        let mut out: Vec<(VisitRef, EventId)> = self
            .publications
            .iter()
            .flat_map(|p| {
                p.visits_with_ids().into_iter().filter(|(v, _)| date_of(v).is_some_and(|d| self.reads_from(p, d)))
            })
            .collect();
        out.sort_by(|a, b| a.0.date.cmp(&b.0.date));
        out
    }

    /// Calendar events of cancelled visits still sent as CANCELLED: each date's from the
    /// publication it is read from (so a later publication of other dates never drops them).
    pub fn cancelled_events(&self) -> Vec<(VisitRef, EventId)> {
        let mut out: Vec<(VisitRef, EventId)> = self
            .publications
            .iter()
            .flat_map(|p| p.calendar.iter().flat_map(|c| &c.cancelled).map(move |e| (p, e)))
            .filter(|(p, (v, _))| date_of(v).is_some_and(|d| self.reads_from(p, d)))
            .map(|(_, e)| e.clone())
            .collect();
        out.sort_by(|a, b| a.0.date.cmp(&b.0.date));
        out
    }

    /// What is announced on the dates `start..end` (the visits, in order, with their
    /// identities, and the cancelled events there): what a publication of those dates
    /// replaces.
    pub fn on_dates(&self, start: NaiveDate, end: NaiveDate) -> (Vec<VisitRef>, CalendarIds) {
        let within = |v: &VisitRef| date_of(v).is_some_and(|d| start <= d && d < end);
        let (refs, ids): (Vec<VisitRef>, Vec<EventId>) = self.visits().into_iter().filter(|(v, _)| within(v)).unzip();
        let cancelled = self.cancelled_events().into_iter().filter(|(v, _)| within(v)).collect();
        (refs, CalendarIds { ids, cancelled })
    }

    /// The crews' announced days, each from the publication its date is read from.
    pub fn itineraries(&self) -> Result<Vec<DriverDay>, serde_json::Error> {
        let mut out = Vec::new();
        for p in &self.publications {
            let days: Vec<DriverDay> = serde_json::from_str(p.itineraries_json.as_deref().unwrap_or("[]"))?;
            out.extend(
                days.into_iter().filter(|d| {
                    NaiveDate::parse_from_str(&d.date, "%Y-%m-%d").is_ok_and(|date| self.reads_from(p, date))
                }),
            );
        }
        out.sort_by(|a, b| (&a.date, &a.unit_id).cmp(&(&b.date, &b.unit_id)));
        Ok(out)
    }
}

/// Announced calendars for tests: built from visits as residents were told of them.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;
    use serde_json::json;

    /// A plan of `weeks` weeks from `monday` holding exactly `visits` (one route per date).
    pub fn plan_of(monday: &str, weeks: u32, visits: &[VisitRef]) -> PlanView {
        let mut dates: Vec<&str> = visits.iter().map(|v| v.date.as_str()).collect();
        dates.sort();
        dates.dedup();
        let days: Vec<_> = dates
            .iter()
            .map(|date| {
                let on_day: Vec<&VisitRef> = visits.iter().filter(|v| v.date == *date).collect();
                let visits: Vec<_> = on_day
                    .iter()
                    .map(|v| {
                        let requests: Vec<_> = v
                            .requests
                            .iter()
                            .map(|r| json!({"id": r, "kind": "admin", "kind_name": "手続", "minutes": 20, "priority": 3}))
                            .collect();
                        json!({
                            "stop_id": v.stop_id, "name": v.place, "district": "", "address": "", "mountainous": false,
                            "arrival": v.from, "start": v.from, "end": v.to, "published": [v.from, v.to],
                            "class": null, "requests": requests
                        })
                    })
                    .collect();
                json!({ "date": date, "weekday": on_day[0].weekday, "routes": [{
                    "vehicle_id": "gyosei", "vehicle_name": on_day[0].unit, "colour": "#0072B2", "depot_id": "hq",
                    "depot_name": "本庁", "road_geometry": false, "departure": "08:30", "return_time": "17:00",
                    "lunch": null, "distance_km": 1.0, "visits": visits }] })
            })
            .collect();
        serde_json::from_value(json!({
            "format": "junkai-plan", "version": 1, "name": "test", "sample_requests": false,
            "first_monday": monday, "weeks": weeks, "closed": [],
            "kpis": { "requests_total": 0, "requests_served": 0, "mean_waiting_days": 0.0,
                "served_on_preferred_weekday": 0, "mountainous_stops": 0, "mountainous_stops_visited": 0,
                "visits": 0, "distance_m": 0, "unit_time_s": 0, "utilisation": 0.0, "unserved_by_reason": {},
                "regular_weekday_share": 1.0, "regular_time_share": 1.0 },
            "assignment": junkai_solver::plan::AssignmentReport::default(), "days": days, "unserved": [], "shortfalls": [], "not_in_horizon": [], "credits": []
        }))
        .expect("a plan view")
    }

    /// A publication of `view` (identities as first published, no publication date).
    pub fn publication(plan_id: i64, sequence: i64, view: PlanView) -> Publication {
        let start = view.first_monday;
        let end = start + chrono::Duration::days(7 * i64::from(view.weeks));
        let calendar = Some(first_identities(&visit_refs(&view)));
        Publication {
            plan_id,
            sequence,
            published_at: String::new(),
            start,
            end,
            plan: view,
            calendar,
            itineraries_json: None,
        }
    }

    /// One publication of the weeks around `visits` holding exactly them.
    pub fn announced_with(visits: &[VisitRef]) -> Announced {
        Announced::new(vec![publication(1, 1, plan_of("2026-11-30", 4, visits))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::tests_support::{plan_of, publication};
    use crate::io::plan_diff::sample_visit;

    /// A plan of the weeks from `monday` with a city-office visit at each `(date, stop, to)`.
    fn plan(monday: &str, weeks: u32, visits: &[(&str, &str, &str)]) -> PlanView {
        let refs: Vec<VisitRef> = visits
            .iter()
            .map(|(date, stop, to)| VisitRef { to: to.to_string(), ..sample_visit(stop, date, "09:00", &[]) })
            .collect();
        plan_of(monday, weeks, &refs)
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn publishing_next_week_leaves_this_week_as_announced() {
        let this_week = plan("2026-12-07", 1, &[("2026-12-08", "sayado", "12:00"), ("2026-12-10", "sayado", "12:00")]);
        let next_week = plan("2026-12-14", 1, &[("2026-12-14", "sayado", "11:00")]);
        let announced = Announced::new(vec![publication(1, 1, this_week), publication(2, 2, next_week)]);
        let dates: Vec<String> = announced.days().iter().map(|(_, d)| d.date.to_string()).collect();
        assert_eq!(dates, ["2026-12-08", "2026-12-10", "2026-12-14"]);
        assert_eq!(announced.source(date("2026-12-10")).map(|p| p.plan_id), Some(1));
        assert_eq!(announced.source(date("2026-12-14")).map(|p| p.plan_id), Some(2));
        assert_eq!(announced.latest().map(|p| p.plan_id), Some(2));
        let view = announced.view().unwrap();
        assert_eq!((view.first_monday, view.weeks, view.days.len()), (date("2026-12-07"), 2, 3));
        let (before, ids) = announced.on_dates(date("2026-12-14"), date("2026-12-21"));
        assert_eq!((before.len(), ids.ids.len()), (1, 1), "only next week's visit is on next week's dates");
    }

    #[test]
    fn a_later_publication_of_the_same_dates_wins_and_a_rollback_only_its_own() {
        let first = plan("2026-12-07", 2, &[("2026-12-08", "sayado", "12:00"), ("2026-12-15", "sayado", "12:00")]);
        let replan = plan("2026-12-07", 1, &[("2026-12-09", "sayado", "12:00")]);
        let announced = Announced::new(vec![publication(1, 1, first.clone()), publication(2, 2, replan)]);
        let dates: Vec<String> = announced.days().iter().map(|(_, d)| d.date.to_string()).collect();
        assert_eq!(dates, ["2026-12-09", "2026-12-15"], "week one from the re-plan, week two still from plan 1");
        assert!(announced.day(date("2026-12-08")).is_none(), "the moved visit's old day is not announced");
        // Plan 1 published again: both its weeks read from it.
        let replan = plan("2026-12-07", 1, &[("2026-12-09", "sayado", "12:00")]);
        let rolled_back =
            Announced::new(vec![publication(1, 1, first.clone()), publication(2, 2, replan), publication(1, 3, first)]);
        let dates: Vec<String> = rolled_back.days().iter().map(|(_, d)| d.date.to_string()).collect();
        assert_eq!(dates, ["2026-12-08", "2026-12-15"]);
    }

    #[test]
    fn a_publication_never_changes_the_days_before_it_was_published() {
        let week = plan("2026-12-07", 1, &[("2026-12-07", "sayado", "12:00"), ("2026-12-10", "sayado", "12:00")]);
        let mut first = publication(1, 1, week);
        first.published_at = "2026-12-04T10:00:00+09:00".into();
        // Re-planned on Wednesday after a breakdown: Monday stays as it was announced.
        let replan = plan("2026-12-07", 1, &[("2026-12-07", "sayado", "11:00"), ("2026-12-11", "sayado", "12:00")]);
        let mut second = publication(2, 2, replan);
        second.published_at = "2026-12-09T16:00:00+09:00".into();
        let announced = Announced::new(vec![first, second]);
        let days: Vec<(i64, String)> = announced.days().iter().map(|(p, d)| (p.plan_id, d.date.to_string())).collect();
        assert_eq!(days, [(1, "2026-12-07".to_string()), (2, "2026-12-11".to_string())]);
    }

    #[test]
    fn only_the_publications_some_date_reads_from_are_needed() {
        let at = |seq: i64, start: &str, weeks: i64, on: &str| {
            let start = date(start);
            Coverage { sequence: seq, start, end: start + chrono::Duration::days(7 * weeks), published_at: on.into() }
        };
        let all = [
            at(1, "2026-12-07", 1, "2026-12-01T09:00:00+09:00"),
            at(2, "2026-12-07", 1, "2026-12-02T09:00:00+09:00"),
            at(3, "2026-12-14", 1, "2026-12-03T09:00:00+09:00"),
            at(4, "2026-12-07", 1, "2026-12-09T09:00:00+09:00"),
        ];
        let needed = sources_among(&all, date("2026-12-01"), date("2026-12-31"));
        let mut needed: Vec<i64> = needed.into_iter().collect();
        needed.sort();
        assert_eq!(needed, [2, 3, 4], "plan 1 is shadowed by its re-plan on every date");
        let later: Vec<i64> = sources_among(&all, date("2026-12-14"), date("2026-12-31")).into_iter().collect();
        assert_eq!(later.len(), 2, "next week's, and the newest: {later:?}");
    }

    #[test]
    fn cancelled_events_are_read_from_the_publication_of_their_date() {
        let this_week = plan("2026-12-07", 1, &[("2026-12-08", "sayado", "12:00")]);
        let mut first = publication(1, 1, this_week);
        let gone = VisitRef {
            date: "2026-12-09".into(),
            weekday: "水".into(),
            stop_id: Some("kusaki".into()),
            place: "kusaki".into(),
            from: "09:00".into(),
            to: "12:00".into(),
            unit: "移動市役所".into(),
            requests: vec![],
        };
        let event = EventId { uid: "junkai-x@junkai".into(), sequence: 1 };
        first.calendar.as_mut().unwrap().cancelled.push((gone.clone(), event.clone()));
        // Next week's publication carries an old-style list that claims this week's
        // visit was cancelled too: ignored, this week is read from plan 1.
        let mut second = publication(2, 2, plan("2026-12-14", 1, &[("2026-12-14", "sayado", "12:00")]));
        let mut claimed = gone.clone();
        claimed.date = "2026-12-08".into();
        claimed.stop_id = Some("sayado".into());
        second.calendar.as_mut().unwrap().cancelled.push((claimed, event.clone()));
        let announced = Announced::new(vec![first, second]);
        assert_eq!(announced.cancelled_events(), vec![(gone, event)]);
        assert_eq!(announced.visits().len(), 2);
    }
}
