//! Calendar identities of published visits across plan versions, so that calendar apps
//! update an event instead of adding a second one: a visit keeps the UID it had when first
//! published; a moved visit keeps it with a higher SEQUENCE; a cancelled one is sent once
//! more, with a higher SEQUENCE and STATUS:CANCELLED.

use super::plan_diff::{VisitChange, VisitRef, diff_visits};

/// An event's identity (RFC 5545 UID and SEQUENCE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventId {
    pub uid: String,
    pub sequence: u32,
}

/// The UID a visit at `place` (a stop id, or `home-` and its request) on `date` from
/// `from` gets when it is first published.
pub fn first_uid(date: &str, place: &str, from: &str) -> String {
    format!("junkai-{date}-{place}-{}@junkai", from.replace(':', ""))
}

fn uid_of(v: &VisitRef) -> String {
    let place =
        v.stop_id.clone().unwrap_or_else(|| format!("home-{}", v.requests.first().cloned().unwrap_or_default()));
    first_uid(&v.date, &place, &v.from)
}

/// The identities of the newest plan's visits (in its order) and the cancelled events
/// still worth sending, for `chain`: the visits of each published plan, oldest first.
pub fn event_ids(chain: &[Vec<VisitRef>]) -> (Vec<EventId>, Vec<(VisitRef, EventId)>) {
    let Some(first) = chain.first() else { return (Vec::new(), Vec::new()) };
    let mut ids: Vec<EventId> = first.iter().map(|v| EventId { uid: uid_of(v), sequence: 0 }).collect();
    let mut cancelled: Vec<(VisitRef, EventId)> = Vec::new();
    for pair in chain.windows(2) {
        let (old, new) = (&pair[0], &pair[1]);
        let diff = diff_visits(old, new);
        let position = |list: &[VisitRef], v: &VisitRef| list.iter().position(|x| x == v);
        let mut next: Vec<Option<EventId>> = vec![None; new.len()];
        for (j, v) in new.iter().enumerate() {
            // Unchanged: the same visit is in the old plan.
            if let Some(i) = old.iter().position(|o| o.same_visit(v)) {
                next[j] = Some(ids[i].clone());
            }
        }
        for c in &diff.visits {
            match c {
                VisitChange::Moved { from, to } => {
                    if let (Some(i), Some(j)) = (position(old, from), position(new, to)) {
                        next[j] = Some(EventId { uid: ids[i].uid.clone(), sequence: ids[i].sequence + 1 });
                    }
                }
                VisitChange::Cancelled(from) => {
                    if let Some(i) = position(old, from) {
                        let id = EventId { uid: ids[i].uid.clone(), sequence: ids[i].sequence + 1 };
                        cancelled.push((from.clone(), id));
                    }
                }
                VisitChange::Added(_) => {}
            }
        }
        // A cancelled event stays cancelled: a new visit on its place and time gets the
        // next free variant of the UID.
        let mut taken: Vec<String> = cancelled.iter().map(|(_, id)| id.uid.clone()).collect();
        taken.extend(next.iter().flatten().map(|id| id.uid.clone()));
        ids = next
            .into_iter()
            .zip(new)
            .map(|(id, v)| {
                id.unwrap_or_else(|| {
                    let base = uid_of(v);
                    let uid = (0..)
                        .map(|k| if k == 0 { base.clone() } else { base.replace("@junkai", &format!("-{k}@junkai")) })
                        .find(|u| !taken.contains(u))
                        .expect("a free variant");
                    taken.push(uid.clone());
                    EventId { uid, sequence: 0 }
                })
            })
            .collect();
    }
    (ids, cancelled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(stop: &str, date: &str, from: &str) -> VisitRef {
        crate::io::plan_diff::sample_visit(stop, date, from, &[])
    }

    #[test]
    fn moved_visits_keep_their_uid_with_a_higher_sequence_and_cancelled_ones_are_marked() {
        let v1 = vec![visit("konaka", "2026-12-08", "10:00"), visit("zama", "2026-12-08", "13:00")];
        let v2 = vec![visit("konaka", "2026-12-09", "10:00")];
        let v3 = vec![visit("konaka", "2026-12-10", "10:00"), visit("godo", "2026-12-10", "13:00")];
        let (first, _) = event_ids(std::slice::from_ref(&v1));
        let (ids, cancelled) = event_ids(&[v1.clone(), v2.clone()]);
        assert_eq!(ids, vec![EventId { uid: first[0].uid.clone(), sequence: 1 }], "konaka moved: same UID");
        assert_eq!(cancelled.len(), 1);
        assert_eq!((cancelled[0].0.place.as_str(), cancelled[0].1.sequence), ("zama", 1));
        let (ids, cancelled) = event_ids(&[v1, v2, v3]);
        assert_eq!((ids[0].uid.as_str(), ids[0].sequence), (first[0].uid.as_str(), 2), "moved twice");
        assert_eq!(ids[1].sequence, 0, "godo is new");
        assert_eq!(cancelled.len(), 1, "zama stays cancelled");
    }

    #[test]
    fn an_unchanged_plan_keeps_every_identity() {
        let v = vec![visit("konaka", "2026-12-08", "10:00"), visit("zama", "2026-12-08", "13:00")];
        let (once, _) = event_ids(std::slice::from_ref(&v));
        let (twice, cancelled) = event_ids(&[v.clone(), v]);
        assert_eq!(once, twice);
        assert!(cancelled.is_empty());
    }
}
