//! Calendar identities of published visits across plan versions, so that calendar apps
//! update an event instead of adding a second one: a visit keeps the UID it had when first
//! published; a moved visit keeps it with a higher SEQUENCE; a cancelled one is sent once
//! more, with a higher SEQUENCE and STATUS:CANCELLED.

use serde::{Deserialize, Serialize};

use super::plan_diff::{VisitChange, VisitRef, diff_visits};

/// An event's identity (RFC 5545 UID and SEQUENCE).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventId {
    pub uid: String,
    pub sequence: u32,
}

/// The UID a visit at `place` (a stop id, or `home-` and its request) on `date` from
/// `from` gets when it is first published.
pub fn first_uid(date: &str, place: &str, from: &str) -> String {
    format!("junkai-{date}-{place}-{}@junkai", from.replace(':', ""))
}

/// The first UID of visit `v` (see [`first_uid`]).
pub fn first_uid_of(v: &VisitRef) -> String {
    let place =
        v.stop_id.clone().unwrap_or_else(|| format!("home-{}", v.requests.first().cloned().unwrap_or_default()));
    first_uid(&v.date, &place, &v.from)
}

/// The calendar identities of one published plan: one per visit (in the plan's order), and
/// the cancelled events still sent (newest last, at most [`CANCELLED_KEPT`]). Stored with
/// the plan when it is published, so that identities never depend on how far back one
/// looks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarIds {
    pub ids: Vec<EventId>,
    pub cancelled: Vec<(VisitRef, EventId)>,
}

/// Cancelled events kept in the feed (the oldest go first).
pub const CANCELLED_KEPT: usize = 500;

/// The identities of a first publication: every visit gets its first UID.
pub fn first_identities(visits: &[VisitRef]) -> CalendarIds {
    next_identities(&[], &CalendarIds::default(), visits, &[])
}

/// The identities of `new` when it replaces `old` (published with identities `before`):
/// unchanged visits keep theirs, moved ones keep the UID with SEQUENCE + 1, cancelled ones
/// join the cancelled events with SEQUENCE + 1, added ones get a UID no event has used —
/// neither these nor `reserved` (the events announced on other dates: a visit moved there
/// keeps the UID it was first given, which names its first date).
pub fn next_identities(old: &[VisitRef], before: &CalendarIds, new: &[VisitRef], reserved: &[String]) -> CalendarIds {
    let position = |list: &[VisitRef], v: &VisitRef| list.iter().position(|x| x == v);
    let id_at =
        |i: usize| before.ids.get(i).cloned().unwrap_or_else(|| EventId { uid: first_uid_of(&old[i]), sequence: 0 });
    let mut next: Vec<Option<EventId>> = vec![None; new.len()];
    for (j, v) in new.iter().enumerate() {
        // Unchanged: the same visit is in the old plan.
        if let Some(i) = old.iter().position(|o| o.same_visit(v)) {
            next[j] = Some(id_at(i));
        }
    }
    let mut cancelled = before.cancelled.clone();
    for c in &diff_visits(old, new).visits {
        match c {
            VisitChange::Moved { from, to } => {
                if let (Some(i), Some(j)) = (position(old, from), position(new, to)) {
                    let was = id_at(i);
                    next[j] = Some(EventId { uid: was.uid, sequence: was.sequence + 1 });
                }
            }
            VisitChange::Cancelled(from) => {
                if let Some(i) = position(old, from) {
                    let was = id_at(i);
                    cancelled.push((from.clone(), EventId { uid: was.uid, sequence: was.sequence + 1 }));
                }
            }
            VisitChange::Added(_) => {}
        }
    }
    // A visit back on a cancelled event's place and time is that event again, not a second.
    for (j, v) in new.iter().enumerate() {
        if next[j].is_none()
            && let Some(k) = cancelled.iter().position(|(gone, _)| gone.same_visit(v))
        {
            let (_, was) = cancelled.remove(k);
            next[j] = Some(EventId { uid: was.uid, sequence: was.sequence + 1 });
        }
    }
    let kept: Vec<String> = next.iter().flatten().map(|id| id.uid.clone()).collect();
    let excess = cancelled.len().saturating_sub(CANCELLED_KEPT);
    cancelled.drain(..excess);
    // A cancelled event stays cancelled: a new visit on its place and time gets the next
    // free variant of the UID.
    let mut taken: Vec<String> = cancelled.iter().map(|(_, id)| id.uid.clone()).collect();
    taken.extend(kept);
    taken.extend(reserved.iter().cloned());
    let ids = next
        .into_iter()
        .zip(new)
        .map(|(id, v)| {
            id.unwrap_or_else(|| {
                let base = first_uid_of(v);
                let uid = (0..)
                    .map(|k| if k == 0 { base.clone() } else { base.replace("@junkai", &format!("-{k}@junkai")) })
                    .find(|u| !taken.contains(u))
                    .expect("a free variant");
                taken.push(uid.clone());
                EventId { uid, sequence: 0 }
            })
        })
        .collect();
    CalendarIds { ids, cancelled }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The identities after a chain of publications (each plan's visits, oldest first).
    fn event_ids(chain: &[Vec<VisitRef>]) -> CalendarIds {
        let Some((first, rest)) = chain.split_first() else { return CalendarIds::default() };
        let mut ids = first_identities(first);
        let mut old = first;
        for new in rest {
            ids = next_identities(old, &ids, new, &[]);
            old = new;
        }
        ids
    }

    fn visit(stop: &str, date: &str, from: &str) -> VisitRef {
        crate::io::plan_diff::sample_visit(stop, date, from, &[])
    }

    #[test]
    fn moved_visits_keep_their_uid_with_a_higher_sequence_and_cancelled_ones_are_marked() {
        let v1 = vec![visit("konaka", "2026-12-08", "10:00"), visit("zama", "2026-12-08", "13:00")];
        let v2 = vec![visit("konaka", "2026-12-09", "10:00")];
        let v3 = vec![visit("konaka", "2026-12-10", "10:00"), visit("godo", "2026-12-10", "13:00")];
        let first = event_ids(std::slice::from_ref(&v1)).ids;
        let CalendarIds { ids, cancelled } = event_ids(&[v1.clone(), v2.clone()]);
        assert_eq!(ids, vec![EventId { uid: first[0].uid.clone(), sequence: 1 }], "konaka moved: same UID");
        assert_eq!(cancelled.len(), 1);
        assert_eq!((cancelled[0].0.place.as_str(), cancelled[0].1.sequence), ("zama", 1));
        let CalendarIds { ids, cancelled } = event_ids(&[v1, v2, v3]);
        assert_eq!((ids[0].uid.as_str(), ids[0].sequence), (first[0].uid.as_str(), 2), "moved twice");
        assert_eq!(ids[1].sequence, 0, "godo is new");
        assert_eq!(cancelled.len(), 1, "zama stays cancelled");
    }

    #[test]
    fn an_unchanged_plan_keeps_every_identity() {
        let v = vec![visit("konaka", "2026-12-08", "10:00"), visit("zama", "2026-12-08", "13:00")];
        let once = event_ids(std::slice::from_ref(&v)).ids;
        let CalendarIds { ids: twice, cancelled } = event_ids(&[v.clone(), v]);
        assert_eq!(once, twice);
        assert!(cancelled.is_empty());
    }

    /// Publishing a version again (a rollback) moves the visit back: the same UID with a
    /// SEQUENCE above every earlier one, never back to 0; a visit that returns to a cancelled
    /// event's place and time is that event again.
    #[test]
    fn a_new_visit_never_takes_a_uid_announced_on_another_date() {
        let moved_away = EventId { uid: first_uid("2026-12-10", "sayado", "09:00"), sequence: 1 };
        let new = [visit("sayado", "2026-12-10", "09:00")];
        let ids = next_identities(&[], &CalendarIds::default(), &new, std::slice::from_ref(&moved_away.uid));
        assert_ne!(ids.ids[0].uid, moved_away.uid, "the visit moved to the 17th keeps that UID");
    }

    #[test]
    fn a_rollback_raises_the_sequence_again_and_revives_cancelled_events() {
        let a = vec![visit("konaka", "2026-12-08", "10:00"), visit("zama", "2026-12-08", "13:00")];
        let b = vec![visit("konaka", "2026-12-09", "10:00")];
        let at_a = first_identities(&a);
        let at_b = next_identities(&a, &at_a, &b, &[]);
        let back = next_identities(&b, &at_b, &a, &[]);
        assert_eq!(back.ids[0], EventId { uid: at_a.ids[0].uid.clone(), sequence: 2 }, "moved there and back");
        assert_eq!(back.ids[1].uid, at_a.ids[1].uid, "zama's event is back");
        assert!(back.cancelled.is_empty(), "and no longer cancelled: {:?}", back.cancelled);
    }
}
