//! What changes for residents between two plans (the published one and a new one): visits
//! added, moved (from → to) and cancelled at each place, and each booking that moves or is
//! dropped. A visit is the same when its place, date, announced window and unit are; a visit
//! that is gone is paired with a new visit at the same place (the nearest in date) and
//! called moved, else cancelled.

use chrono::Datelike;

use super::plan_view::PlanView;

/// One visit as residents were told of it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VisitRef {
    pub date: String,
    pub weekday: String,
    /// The stop's id; `None` for a home visit.
    pub stop_id: Option<String>,
    pub place: String,
    /// The announced window, `HH:MM`.
    pub from: String,
    pub to: String,
    pub unit: String,
    /// Request ids served.
    pub requests: Vec<String>,
}

impl VisitRef {
    /// Same place, date, announced window and unit (a resident expecting the city office
    /// is told when the clinic comes instead).
    pub fn same_visit(&self, other: &VisitRef) -> bool {
        self.place_key() == other.place_key()
            && (self.date.as_str(), self.from.as_str(), self.to.as_str(), self.unit.as_str())
                == (other.date.as_str(), other.from.as_str(), other.to.as_str(), other.unit.as_str())
    }

    /// The place: the stop, or for a home visit its first request.
    fn place_key(&self) -> String {
        self.stop_id.clone().unwrap_or_else(|| format!("home:{}", self.requests.first().cloned().unwrap_or_default()))
    }

    fn day_number(&self) -> i64 {
        chrono::NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").map_or(0, |d| d.num_days_from_ce().into())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VisitChange {
    Added(VisitRef),
    Moved { from: VisitRef, to: VisitRef },
    Cancelled(VisitRef),
}

/// A booking whose visit changes: `to` is `None` when no visit serves it any more.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BookingChange {
    pub request: String,
    pub from: VisitRef,
    pub to: Option<VisitRef>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanDiff {
    pub visits: Vec<VisitChange>,
    pub bookings: Vec<BookingChange>,
}

impl PlanDiff {
    pub fn is_empty(&self) -> bool {
        self.visits.is_empty() && self.bookings.is_empty()
    }

    /// The change that concerns a visit `published` at a stop, if any.
    pub fn change_of(&self, published: &VisitRef) -> Option<&VisitChange> {
        self.visits.iter().find(|c| match c {
            VisitChange::Moved { from, .. } | VisitChange::Cancelled(from) => from.same_visit(published),
            VisitChange::Added(_) => false,
        })
    }
}

/// Every visit of `plan`, by day and route.
pub fn visit_refs(plan: &PlanView) -> Vec<VisitRef> {
    let mut out = Vec::new();
    for day in &plan.days {
        for route in &day.routes {
            for v in &route.visits {
                out.push(VisitRef {
                    date: day.date.to_string(),
                    weekday: day.weekday.clone(),
                    stop_id: v.stop_id.clone(),
                    place: v.name.clone(),
                    from: v.published.0.clone(),
                    to: v.published.1.clone(),
                    unit: route.vehicle_name.clone(),
                    requests: v.requests.iter().map(|r| r.id.clone()).collect(),
                });
            }
        }
    }
    out
}

/// The changes from `published` to `candidate`.
pub fn plan_diff(published: &PlanView, candidate: &PlanView) -> PlanDiff {
    diff_visits(&visit_refs(published), &visit_refs(candidate))
}

/// The changes from the visits `old` to the visits `new`.
pub fn diff_visits(old: &[VisitRef], new: &[VisitRef]) -> PlanDiff {
    let kept_old: Vec<bool> = old.iter().map(|o| new.iter().any(|n| n.same_visit(o))).collect();
    let mut new_free: Vec<bool> = new.iter().map(|n| !old.iter().any(|o| o.same_visit(n))).collect();
    let mut visits = Vec::new();
    for (o, _) in old.iter().zip(&kept_old).filter(|(_, kept)| !**kept) {
        let nearest = (0..new.len())
            .filter(|&j| new_free[j] && new[j].place_key() == o.place_key())
            .min_by_key(|&j| (new[j].day_number() - o.day_number()).abs());
        match nearest {
            Some(j) => {
                new_free[j] = false;
                visits.push(VisitChange::Moved { from: o.clone(), to: new[j].clone() });
            }
            None => visits.push(VisitChange::Cancelled(o.clone())),
        }
    }
    visits.extend(new.iter().zip(&new_free).filter(|(_, free)| **free).map(|(n, _)| VisitChange::Added(n.clone())));
    let mut bookings = Vec::new();
    for o in old {
        for request in &o.requests {
            let now = new.iter().find(|n| n.requests.contains(request));
            if now.is_none_or(|n| !n.same_visit(o)) {
                bookings.push(BookingChange { request: request.clone(), from: o.clone(), to: now.cloned() });
            }
        }
    }
    PlanDiff { visits, bookings }
}

/// A visit of the city office at `stop` from `from` to 12:00, for tests.
#[cfg(test)]
pub(crate) fn sample_visit(stop: &str, date: &str, from: &str, requests: &[&str]) -> VisitRef {
    VisitRef {
        date: date.into(),
        weekday: String::new(),
        stop_id: Some(stop.into()),
        place: stop.into(),
        from: from.into(),
        to: "12:00".into(),
        unit: "移動市役所".into(),
        requests: requests.iter().map(|r| r.to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::sample_visit as visit;
    use super::*;

    #[test]
    fn moved_cancelled_and_added_visits_and_the_bookings_they_move() {
        let old = [
            visit("konaka", "2026-12-10", "10:00", &["R1"]),
            visit("zama", "2026-12-10", "13:00", &["R7"]),
            visit("godo", "2026-12-08", "09:00", &["R3"]),
        ];
        let new = [
            visit("konaka", "2026-12-11", "10:00", &["R1"]),
            visit("godo", "2026-12-08", "09:00", &["R3", "R7"]),
            visit("nagaone", "2026-12-09", "10:00", &[]),
        ];
        let d = diff_visits(&old, &new);
        assert_eq!(
            d.visits,
            vec![
                VisitChange::Moved { from: old[0].clone(), to: new[0].clone() },
                VisitChange::Cancelled(old[1].clone()),
                VisitChange::Added(new[2].clone()),
            ]
        );
        assert_eq!(d.bookings.len(), 2, "R1 moves with its visit, R7 moves to another hall; R3 stays");
        assert_eq!(
            d.bookings[1],
            BookingChange { request: "R7".into(), from: old[1].clone(), to: Some(new[1].clone()) }
        );
        assert_eq!(d.change_of(&old[1]), Some(&VisitChange::Cancelled(old[1].clone())));
        assert!(d.change_of(&old[2]).is_none());
        assert!(diff_visits(&old, &old).is_empty());
    }

    #[test]
    fn a_booking_no_visit_serves_any_more_is_dropped() {
        let old = [visit("konaka", "2026-12-10", "10:00", &["R1", "R2"])];
        let new = [visit("konaka", "2026-12-10", "10:00", &["R1"])];
        let d = diff_visits(&old, &new);
        assert!(d.visits.is_empty());
        assert_eq!(d.bookings, vec![BookingChange { request: "R2".into(), from: old[0].clone(), to: None }]);
    }
}
