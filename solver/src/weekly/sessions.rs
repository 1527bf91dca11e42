//! Remote sessions of one routed day (method in `docs/model.md`, "Remote staff"): resource
//! time windows fixed per route, with cross-route repair.
//!
//! Inside a visit the sessions come first, back to back with the session buffer between
//! two, from the visit's announced start (a kept visit keeps its published sessions'
//! times). Before routing, each visit's start windows are narrowed to the starts at which
//! someone allowed works for each of its sessions. After routing, the sessions of all
//! units are booked in order of start; at the first one nobody is free for, that visit's
//! windows are narrowed to the starts still free given the sessions booked before it and
//! its route is timed again; if the route cannot keep that, the visit's last session that
//! fails is left out (its request is reported back). Repeat until every session is booked.

use super::remote_time::Bookings;
use super::visits::{TentativeVisit, down_to_mark, up_to_mark};
use crate::model::{Day, Problem, Session};
use crate::routing::{Instance, RouteTimes, route_times};
use crate::units::{Seconds, TimeWindow};

/// A session to hold: request, start, and the person it was published with.
type Slot = (usize, Seconds, Option<usize>);

/// The sessions of one day's visits while routing fixes their times.
pub struct DaySessions<'a> {
    problem: &'a Problem,
    date: Day,
    visits: &'a [&'a TentativeVisit],
    /// Each visit's start windows without any remote person's hours.
    base: Vec<Vec<TimeWindow>>,
    /// Requests left out of each visit because no session could be held.
    pub left_out: Vec<Vec<usize>>,
}

impl<'a> DaySessions<'a> {
    pub fn new(problem: &'a Problem, date: Day, visits: &'a [&'a TentativeVisit], base: Vec<Vec<TimeWindow>>) -> Self {
        let left_out = vec![Vec::new(); visits.len()];
        DaySessions { problem, date, visits, base, left_out }
    }

    /// The requests visit `j` still serves.
    pub fn requests(&self, j: usize) -> Vec<usize> {
        self.visits[j].requests.iter().copied().filter(|r| !self.left_out[j].contains(r)).collect()
    }

    fn remote_requests(&self, j: usize) -> Vec<usize> {
        self.requests(j).into_iter().filter(|&r| self.problem.needs_remote(r)).collect()
    }

    /// Visit `j`'s start windows inside the hours of the people its sessions need; while
    /// there are none, a session is left out: first one that nobody's hours can hold at
    /// any start, else the last. Kept visits keep their windows.
    pub fn hours_windows(&mut self, j: usize) -> Vec<TimeWindow> {
        if self.visits[j].lock.is_some() {
            return self.base[j].clone();
        }
        let nobody = Bookings::new(self.problem, self.date);
        loop {
            let Some(free) = self.free_starts(&nobody, j) else { return self.base[j].clone() };
            let windows = intersect(&self.base[j], &free);
            if !windows.is_empty() {
                return windows;
            }
            let layout = self.layout(j);
            let hopeless = layout
                .iter()
                .find(|&&(r, offset)| intersect(&self.base[j], &self.session_starts(&nobody, r, offset)).is_empty());
            let Some(&(r, _)) = hopeless.or(layout.last()) else { return windows };
            self.left_out[j].push(r);
        }
    }

    /// Visit `j`'s remote requests with their sessions' offsets from its start (back to
    /// back, the buffer between two).
    fn layout(&self, j: usize) -> Vec<(usize, Seconds)> {
        let mut offset = Seconds::ZERO;
        let buffer = self.problem.session_buffer();
        self.remote_requests(j)
            .into_iter()
            .map(|r| {
                let at = offset;
                offset += self.problem.requests()[r].service + buffer;
                (r, at)
            })
            .collect()
    }

    /// Books every session of the routed day, narrowing windows and retiming routes
    /// (`routes`: vehicle index in `inst` and its jobs) until all can be held. Returns the
    /// final times of each route and the sessions of each of its visits.
    pub fn place(
        &mut self,
        inst: &mut Instance,
        routes: &[(usize, Vec<usize>)],
    ) -> (Vec<RouteTimes>, Vec<Vec<Vec<Session>>>) {
        let remote_visits = (0..self.visits.len()).filter(|&j| !self.remote_requests(j).is_empty()).count();
        for _ in 0..10 * remote_visits + 10 {
            let times = all_times(inst, routes);
            match self.book_all(&times, routes, false) {
                Ok(sessions) => return (times, sessions),
                Err((route, position, bookings)) => {
                    self.repair(inst, &routes[route], position, &times[route], &bookings)
                }
            }
        }
        // Out of attempts (never seen): leave out whatever still fails, keeping the times.
        let times = all_times(inst, routes);
        let sessions = self.book_all(&times, routes, true).unwrap_or_default();
        (times, sessions)
    }

    /// The announced start of visit `j` planned at `planned`.
    fn visit_start(&self, j: usize, planned: Seconds) -> Seconds {
        self.visits[j].lock.map_or_else(|| up_to_mark(planned), |w| w.start)
    }

    /// Books the sessions in order of start. On the first visit that cannot hold all its
    /// sessions: with `leave_out`, drops the failing ones and goes on; else returns it
    /// (route, position) with the bookings made before it.
    #[allow(clippy::type_complexity)]
    fn book_all(
        &mut self,
        times: &[RouteTimes],
        routes: &[(usize, Vec<usize>)],
        leave_out: bool,
    ) -> Result<Vec<Vec<Vec<Session>>>, (usize, usize, Bookings<'a>)> {
        let mut order: Vec<(Seconds, usize, usize)> = Vec::new();
        for (ri, (_, jobs)) in routes.iter().enumerate() {
            for (pos, &j) in jobs.iter().enumerate() {
                if !self.remote_requests(j).is_empty() {
                    order.push((self.visit_start(j, times[ri].starts[pos]), ri, pos));
                }
            }
        }
        order.sort_unstable();
        let mut bookings = Bookings::new(self.problem, self.date);
        let mut sessions: Vec<Vec<Vec<Session>>> =
            routes.iter().map(|(_, jobs)| vec![Vec::new(); jobs.len()]).collect();
        for (start, ri, pos) in order {
            let j = routes[ri].1[pos];
            let held = self.try_book(&bookings, j, start);
            let failed: Vec<usize> = held.iter().filter(|(_, s)| s.is_none()).map(|(r, _)| *r).collect();
            if !failed.is_empty() && !leave_out {
                return Err((ri, pos, bookings));
            }
            self.left_out[j].extend(failed);
            for s in held.into_iter().filter_map(|(_, s)| s) {
                bookings.book(s.resource, s.start, s.end - s.start);
                sessions[ri][pos].push(s);
            }
        }
        Ok(sessions)
    }

    /// The sessions visit `j` would hold starting at `start` (`None` where nobody allowed
    /// is free, or a kept visit's window cannot hold it). A kept session keeps its person
    /// when they are free; otherwise the free person whose free time ends soonest takes it,
    /// leaving those free longer to later sessions.
    fn try_book(&self, bookings: &Bookings, j: usize, start: Seconds) -> Vec<(usize, Option<Session>)> {
        let limit = self.visits[j].lock.map(|w| w.end);
        self.slots(j, start)
            .into_iter()
            .map(|(r, at, published)| {
                let length = self.problem.requests()[r].service;
                let fits = at >= start && limit.is_none_or(|end| at + length <= end);
                let free_until = |x: usize| bookings.free_until(x, at, length);
                let allowed = self.problem.remote_candidates(r);
                let kept = published.filter(|&x| allowed.contains(&x) && free_until(x).is_some());
                let soonest = || {
                    let people = allowed.iter().filter_map(|&x| free_until(x).map(|until| (until, x)));
                    people.min().map(|(_, x)| x)
                };
                let person = if fits { kept.or_else(soonest) } else { None };
                (r, person.map(|resource| Session { request: r, resource, start: at, end: at + length }))
            })
            .collect()
    }

    /// Visit `j`'s sessions from `start`: a kept visit's published sessions at their times
    /// (with their people first), the others one after another after them.
    fn slots(&self, j: usize, start: Seconds) -> Vec<Slot> {
        let buffer = self.problem.session_buffer();
        let remote = self.remote_requests(j);
        let kept: Vec<&Session> = self.visits[j].kept_sessions.iter().filter(|s| remote.contains(&s.request)).collect();
        let mut at = kept.iter().map(|s| s.end + buffer).max().unwrap_or(start).max(start);
        remote
            .into_iter()
            .map(|r| match kept.iter().find(|s| s.request == r) {
                Some(s) => (r, s.start, Some(s.resource)),
                None => {
                    let slot = (r, at, None);
                    at += self.problem.requests()[r].service + buffer;
                    slot
                }
            })
            .collect()
    }

    /// Planned starts at which every session of visit `j` can be held given `bookings`
    /// (`None` when it has none): for each session, the union over the people allowed of
    /// their free starts, moved back by its offset; then the common part, on marks.
    fn free_starts(&self, bookings: &Bookings, j: usize) -> Option<Vec<TimeWindow>> {
        let layout = self.layout(j);
        if layout.is_empty() {
            return None;
        }
        let mut common = vec![TimeWindow::new(Seconds(i64::MIN / 4), Seconds(i64::MAX / 4))];
        for (r, offset) in layout {
            common = intersect(&common, &self.session_starts(bookings, r, offset));
        }
        // Routing's planned start `s` is announced at the next mark: keep marks only.
        let on_marks = common.into_iter().filter_map(|w| {
            let (from, to) = (up_to_mark(w.start), down_to_mark(w.end));
            (from <= to).then_some(TimeWindow::new(from, to))
        });
        Some(on_marks.collect())
    }

    /// Visit starts at which request `r`'s session, `offset` after the start, can be held
    /// by someone allowed (the union over them, sorted and disjoint).
    fn session_starts(&self, bookings: &Bookings, r: usize, offset: Seconds) -> Vec<TimeWindow> {
        let length = self.problem.requests()[r].service;
        let starts = self
            .problem
            .remote_candidates(r)
            .into_iter()
            .flat_map(|x| bookings.free_starts(x, length))
            .map(|w| TimeWindow::new(w.start - offset, w.end - offset))
            .collect();
        union(starts)
    }

    /// Moves the visit at `position` of `route` to a start its sessions can have, if the
    /// route can keep it; else leaves out one of its sessions. The route's times stay
    /// feasible either way: windows only narrow when the route keeps them, and leaving a
    /// session out changes neither the windows nor the time the schedule holds.
    fn repair(
        &mut self,
        inst: &mut Instance,
        route: &(usize, Vec<usize>),
        position: usize,
        times: &RouteTimes,
        bookings: &Bookings,
    ) {
        let (vehicle, jobs) = route;
        let j = jobs[position];
        if self.visits[j].lock.is_none()
            && let Some(free) = self.free_starts(bookings, j)
        {
            let narrowed = intersect(&inst.jobs[j].windows, &free);
            if !narrowed.is_empty() {
                let before = std::mem::replace(&mut inst.jobs[j].windows, narrowed);
                if route_times(inst, *vehicle, jobs).cost.is_feasible() {
                    return;
                }
                inst.jobs[j].windows = before;
            }
        }
        let start = self.visit_start(j, times.starts[position]);
        let held = self.try_book(bookings, j, start);
        let failing = held.iter().rev().find(|(_, s)| s.is_none()).map(|(r, _)| *r);
        if let Some(r) = failing.or_else(|| self.remote_requests(j).last().copied()) {
            self.left_out[j].push(r);
        }
    }
}

fn all_times(inst: &Instance, routes: &[(usize, Vec<usize>)]) -> Vec<RouteTimes> {
    routes.iter().map(|(k, jobs)| route_times(inst, *k, jobs)).collect()
}

/// Sorted, disjoint windows covering the same instants as `windows`.
fn union(mut windows: Vec<TimeWindow>) -> Vec<TimeWindow> {
    windows.sort_unstable();
    let mut out: Vec<TimeWindow> = Vec::with_capacity(windows.len());
    for w in windows {
        match out.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => out.push(w),
        }
    }
    out
}

/// The instants in both sorted, disjoint window lists.
fn intersect(a: &[TimeWindow], b: &[TimeWindow]) -> Vec<TimeWindow> {
    let (mut i, mut k, mut out) = (0, 0, Vec::new());
    while i < a.len() && k < b.len() {
        out.extend(a[i].intersection(&b[k]));
        if a[i].end < b[k].end {
            i += 1;
        } else {
            k += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(a: i64, b: i64) -> TimeWindow {
        TimeWindow::new(Seconds(a), Seconds(b))
    }

    #[test]
    fn window_lists_merge_and_intersect() {
        assert_eq!(union(vec![w(5, 9), w(0, 3), w(3, 4), w(8, 12)]), vec![w(0, 4), w(5, 12)]);
        assert_eq!(intersect(&[w(0, 4), w(5, 12)], &[w(2, 6), w(10, 20)]), vec![w(2, 4), w(5, 6), w(10, 12)]);
        assert!(intersect(&[w(0, 1)], &[w(2, 3)]).is_empty());
    }
}
