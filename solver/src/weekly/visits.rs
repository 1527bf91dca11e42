//! Tentative visits of the day assignment and the rules they follow: visit length, seats,
//! which units may make them, and on which days a stop can be visited.

use crate::model::{Day, EquipmentSet, HOME_VISIT_HOURS, Place, Problem, Weekday};
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
}

impl TentativeVisit {
    /// A new, unlocked visit.
    pub fn new(place: VisitPlace, day: usize, vehicle: usize, requests: Vec<usize>, class_kind: Option<usize>) -> Self {
        TentativeVisit { place, day, vehicle, requests, class_kind, dropped: false, lock: None, usual: None }
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
/// another plus the class session, if one is held.
pub fn visit_duration(problem: &Problem, place: VisitPlace, requests: &[usize], class_kind: Option<usize>) -> Seconds {
    let services: Seconds = requests.iter().map(|&r| problem.request_service(r)).sum();
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

/// Opening windows of the place on a weekday (home visits: [`HOME_VISIT_HOURS`]).
pub fn place_windows(problem: &Problem, place: VisitPlace, weekday: Weekday) -> Vec<TimeWindow> {
    match place {
        VisitPlace::Stop(s) => problem.stops()[s].windows[weekday.index()].clone(),
        VisitPlace::Home(_) => vec![HOME_VISIT_HOURS],
    }
}

/// The longest opening window of the place on that weekday.
pub fn longest_window(problem: &Problem, place: VisitPlace, weekday: Weekday) -> Seconds {
    place_windows(problem, place, weekday).iter().map(TimeWindow::length).max().unwrap_or(Seconds(-1))
}

/// The place where a request is served.
pub fn request_place(problem: &Problem, request: usize) -> VisitPlace {
    match problem.requests()[request].place {
        Place::Stop(s) => VisitPlace::Stop(s),
        Place::Home(_) => VisitPlace::Home(request),
    }
}

/// Whether the place may be visited on this day at all (open, and for stops, allowed by
/// the visit rule's weekdays).
pub fn place_open(problem: &Problem, place: VisitPlace, day: Day) -> bool {
    match place {
        VisitPlace::Stop(s) => {
            let stop = &problem.stops()[s];
            stop.rule.weekdays.contains(day.weekday()) && !stop.windows[day.weekday().index()].is_empty()
        }
        VisitPlace::Home(_) => true,
    }
}

/// Location index of a place.
pub fn place_location(problem: &Problem, place: VisitPlace) -> usize {
    match place {
        VisitPlace::Stop(s) => problem.stop_location(s),
        VisitPlace::Home(r) => problem.request_location(r),
    }
}

/// Published windows are rounded outwards to this many seconds (5 minutes)...
pub const PUBLISHED_ROUNDING: i64 = 300;
/// ...after adding this buffer after the last service.
pub const PUBLISHED_BUFFER: Seconds = Seconds::from_minutes(10);

/// The window announced for a visit (see [`crate::plan::Visit::published`]).
pub fn published_window(
    problem: &Problem,
    place: VisitPlace,
    weekday: Weekday,
    arrival: Seconds,
    start: Seconds,
    end: Seconds,
) -> TimeWindow {
    let open = place_windows(problem, place, weekday).into_iter().find(|w| w.start <= start && end <= w.end);
    let (lo, hi) = open.map_or((start, end), |w| (w.start, w.end));
    let down = |t: Seconds| Seconds(t.get().div_euclid(PUBLISHED_ROUNDING) * PUBLISHED_ROUNDING);
    let up =
        |t: Seconds| Seconds((t.get() + PUBLISHED_ROUNDING - 1).div_euclid(PUBLISHED_ROUNDING) * PUBLISHED_ROUNDING);
    let from = down(arrival.max(lo)).max(lo).min(start);
    let to = up(end + PUBLISHED_BUFFER).min(hi).max(end);
    TimeWindow::new(from, to)
}
