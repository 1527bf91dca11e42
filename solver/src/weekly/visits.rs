//! Tentative visits of the day assignment and the rules they follow: visit length, seats,
//! which units may make them, and on which days a stop can be visited.

use crate::model::{Day, EquipmentSet, HOME_VISIT_HOURS, Place, Problem, Session};
use crate::plan::VisitPlace;
use crate::units::{Seconds, TimeWindow};

/// A visit placed on a day, before routing decides the order and times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TentativeVisit {
    pub place: VisitPlace,
    /// Index into the horizon's days.
    pub day: usize,
    /// The unit the assignment intends (routing may pick another compatible one).
    pub vehicle: usize,
    pub requests: Vec<usize>,
    pub class_kind: Option<usize>,
    /// Routing could not fit the visit on any day; it no longer counts.
    pub dropped: bool,
    /// A published visit being kept (re-planning): its window, which the service must
    /// stay within, on its `vehicle`.
    pub lock: Option<TimeWindow>,
    /// The window of the stop's visit on the same weekday in an earlier week: routing
    /// tries to start within an hour of it (residents remember the time), and drops the
    /// wish when the day does not fit otherwise.
    pub usual: Option<TimeWindow>,
    /// A kept visit's published remote sessions: held at the same times, with the same
    /// people where they are still free.
    pub kept_sessions: Vec<Session>,
}

impl TentativeVisit {
    /// A new, unlocked visit.
    pub fn new(place: VisitPlace, day: usize, vehicle: usize, requests: Vec<usize>, class_kind: Option<usize>) -> Self {
        TentativeVisit {
            place,
            day,
            vehicle,
            requests,
            class_kind,
            dropped: false,
            lock: None,
            usual: None,
            kept_sessions: Vec::new(),
        }
    }
}

/// Equipment a request needs.
pub fn needed_equipment(problem: &Problem, request: usize) -> EquipmentSet {
    problem.kinds()[problem.requests()[request].kind].equipment
}

/// Whether the vehicle carries what every request of the visit needs, and for a visit
/// without requests, what at least one kind the stop hosts needs.
pub fn vehicle_fits(problem: &Problem, vehicle: usize, place: VisitPlace, requests: &[usize]) -> bool {
    let equipment = problem.vehicles()[vehicle].equipment;
    if requests.is_empty() {
        return match place {
            VisitPlace::Stop(s) => {
                problem.stops()[s].hosts.iter().any(|k| equipment.covers(problem.kinds()[k].equipment))
            }
            VisitPlace::Home(_) => false,
        };
    }
    requests.iter().all(|&r| equipment.covers(needed_equipment(problem, r)))
}

/// Time on site: at least the stop's minimum stay; otherwise the consultations one after
/// another (remote sessions first, the session buffer between two of them) plus the class
/// session, if one is held.
pub fn visit_duration(problem: &Problem, place: VisitPlace, requests: &[usize], class_kind: Option<usize>) -> Seconds {
    let remote = requests.iter().filter(|&&r| problem.needs_remote(r)).count() as i64;
    let buffers = problem.session_buffer() * (remote - 1).max(0);
    let services: Seconds = requests.iter().map(|&r| problem.request_service(r)).sum::<Seconds>() + buffers;
    let class = class_kind.and_then(|k| problem.kinds()[k].class).map_or(Seconds::ZERO, |c| c.length);
    let min_stay = match place {
        VisitPlace::Stop(s) => problem.stops()[s].min_stay,
        VisitPlace::Home(_) => Seconds::ZERO,
    };
    (services + class).max(min_stay)
}

/// Class seats and consultations a visit uses: `(consultations, seats)`.
pub fn visit_usage(problem: &Problem, requests: &[usize]) -> (i64, i64) {
    let seats = requests.iter().filter(|&&r| problem.kinds()[problem.requests()[r].kind].class.is_some()).count();
    (requests.len() as i64 - seats as i64, seats as i64)
}

/// Opening windows of the place on a day (none when closed; home visits:
/// [`HOME_VISIT_HOURS`]).
pub fn place_windows(problem: &Problem, place: VisitPlace, day: Day) -> Vec<TimeWindow> {
    match place {
        VisitPlace::Stop(s) => problem.stops()[s].windows_on(day).to_vec(),
        VisitPlace::Home(_) => vec![HOME_VISIT_HOURS],
    }
}

/// The longest opening window of the place on that day.
pub fn longest_window(problem: &Problem, place: VisitPlace, day: Day) -> Seconds {
    place_windows(problem, place, day).iter().map(TimeWindow::length).max().unwrap_or(Seconds(-1))
}

/// The place where a request is served.
pub fn request_place(problem: &Problem, request: usize) -> VisitPlace {
    match problem.requests()[request].place {
        Place::Stop(s) => VisitPlace::Stop(s),
        Place::Home(_) => VisitPlace::Home(request),
    }
}

/// Whether a new visit may be placed at the place on this day at all: the day takes new
/// visits (it has not passed and is not frozen: [`crate::model::Horizon`]), the place is
/// open, and for stops
/// the visit rule allows the weekday and the stop's fixed visits (announced outside the
/// plan) leave room for it.
pub fn place_open(problem: &Problem, place: VisitPlace, day: Day) -> bool {
    if !problem.horizon().takes_new_visits(day) {
        return false;
    }
    match place {
        VisitPlace::Stop(s) => {
            let stop = &problem.stops()[s];
            stop.rule.weekdays.contains(day.weekday()) && !stop.windows_on(day).is_empty() && stop.fixed_allow(day)
        }
        VisitPlace::Home(_) => true,
    }
}

/// Whether the stop's visits announced outside the plan alone forbid a new visit on this
/// day (its spacing, or its week already full).
pub fn kept_apart(problem: &Problem, place: VisitPlace, day: Day) -> bool {
    matches!(place, VisitPlace::Stop(s) if !problem.stops()[s].fixed_allow(day))
}

/// Location index of a place.
pub fn place_location(problem: &Problem, place: VisitPlace) -> usize {
    match place {
        VisitPlace::Stop(s) => problem.stop_location(s),
        VisitPlace::Home(r) => problem.request_location(r),
    }
}

/// Announced windows start and end on marks of this many seconds (5 minutes).
pub const ANNOUNCE_STEP: i64 = 300;

/// The first mark at or after `t`.
pub fn up_to_mark(t: Seconds) -> Seconds {
    Seconds((t.get() + ANNOUNCE_STEP - 1).div_euclid(ANNOUNCE_STEP) * ANNOUNCE_STEP)
}

/// The last mark at or before `t`.
pub fn down_to_mark(t: Seconds) -> Seconds {
    Seconds(t.get().div_euclid(ANNOUNCE_STEP) * ANNOUNCE_STEP)
}

/// The time a visit takes in a route's schedule: its service rounded up to the next mark
/// (the announced window), plus up to one step of waiting for the window to start on a
/// mark. Routing plans with this, so that the announced window always fits.
pub fn announced_stay(service: Seconds) -> Seconds {
    up_to_mark(service) + Seconds(ANNOUNCE_STEP)
}

/// [`announced_stay`] of a visit.
pub fn visit_stay(problem: &Problem, place: VisitPlace, requests: &[usize], class_kind: Option<usize>) -> Seconds {
    announced_stay(visit_duration(problem, place, requests, class_kind))
}

/// The window announced for a visit that routing may start at `planned_start` (its
/// schedule holds the visit for [`announced_stay`]): from the next mark, for the service
/// rounded up to a mark. It ends no later than `planned_start + announced_stay(service)`,
/// so the unit keeps it and still leaves in time for the next place.
pub fn announced_window(planned_start: Seconds, service: Seconds) -> TimeWindow {
    let from = up_to_mark(planned_start);
    TimeWindow::new(from, from + up_to_mark(service))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announced_windows_are_on_marks_and_fit_the_planned_stay() {
        for start in (8 * 3600..8 * 3600 + 900).step_by(37) {
            for minutes in [1, 5, 17, 30, 60] {
                let (start, service) = (Seconds(start), Seconds::from_minutes(minutes));
                let w = announced_window(start, service);
                assert_eq!(w.start.get() % ANNOUNCE_STEP, 0);
                assert_eq!(w.end.get() % ANNOUNCE_STEP, 0);
                assert!(w.start >= start && w.length() >= service, "{w:?} holds the service");
                assert!(w.end <= start + announced_stay(service), "{w:?} ends within the planned stay");
            }
        }
    }
}
