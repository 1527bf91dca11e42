//! One day of remote people's time as sessions are booked: when each person can start a
//! session of a given length (inside their hours, not on a day off, below their number
//! of sessions at once with the buffer after each session). The same rules as
//! `check_sessions`, computed forwards for the planner.

use crate::model::{Day, Problem};
use crate::units::{Seconds, TimeWindow};

/// Booked sessions of every remote person on one day.
pub struct Bookings<'a> {
    problem: &'a Problem,
    day: Day,
    /// Per person: occupied intervals `[start, end + buffer)`, half-open.
    held: Vec<Vec<(Seconds, Seconds)>>,
}

impl<'a> Bookings<'a> {
    pub fn new(problem: &'a Problem, day: Day) -> Self {
        Bookings { problem, day, held: vec![Vec::new(); problem.remote().len()] }
    }

    /// Books `person` for a session `[start, start + length)`.
    pub fn book(&mut self, person: usize, start: Seconds, length: Seconds) {
        self.held[person].push((start, start + length + self.problem.session_buffer()));
    }

    /// If `person` can hold a session of `length` starting at `start`: the latest start of
    /// the free time that holds it.
    pub fn free_until(&self, person: usize, start: Seconds, length: Seconds) -> Option<Seconds> {
        self.free_starts(person, length).into_iter().find(|w| w.contains(start)).map(|w| w.end)
    }

    /// The starts at which `person` can hold a session of `length`: the session inside
    /// their hours, and its occupied interval (with the buffer) clear of every moment at
    /// which they already hold as many sessions as they can. Sorted, disjoint.
    pub fn free_starts(&self, person: usize, length: Seconds) -> Vec<TimeWindow> {
        let occupied = length + self.problem.session_buffer();
        let busy = self.saturated(person);
        let mut out = Vec::new();
        for hours in self.problem.remote()[person].hours_on(self.day) {
            let (mut lo, hi) = (hours.start, hours.end - length);
            // A busy interval [p, q) forbids the starts in (p - occupied, q).
            for &(p, q) in &busy {
                if lo > hi || p - occupied >= hi {
                    break;
                }
                if q <= lo {
                    continue;
                }
                if p - occupied >= lo {
                    out.push(TimeWindow::new(lo, p - occupied));
                }
                lo = lo.max(q);
            }
            if lo <= hi {
                out.push(TimeWindow::new(lo, hi));
            }
        }
        out
    }

    /// The moments at which `person` holds as many sessions as they can, as sorted
    /// disjoint half-open intervals.
    fn saturated(&self, person: usize) -> Vec<(Seconds, Seconds)> {
        let limit = self.problem.remote()[person].concurrent as i64;
        // Ends sort before starts at the same moment: the intervals are half-open.
        let mut events: Vec<(Seconds, i64)> = self.held[person].iter().flat_map(|&(s, e)| [(s, 1), (e, -1)]).collect();
        events.sort();
        let (mut depth, mut from) = (0, Seconds::ZERO);
        let mut out: Vec<(Seconds, Seconds)> = Vec::new();
        for (t, step) in events {
            if depth >= limit && depth + step < limit && from < t {
                out.push((from, t));
            }
            if depth < limit && depth + step >= limit {
                from = t;
            }
            depth += step;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ProblemParts, RemoteResource};

    fn hm(h: i64, m: i64) -> Seconds {
        Seconds::from_hm(h, m)
    }

    /// One person working 09:00–12:00 on every day, `concurrent` at once, buffer 10 min.
    fn problem(concurrent: u32) -> Problem {
        let person = RemoteResource {
            id: "d".into(),
            name: "d".into(),
            kind: "doctor".into(),
            organisation: String::new(),
            contact: String::new(),
            hours: std::array::from_fn(|_| vec![TimeWindow::new(hm(9, 0), hm(12, 0))]),
            days_off: vec![3],
            concurrent,
        };
        let parts =
            ProblemParts { remote: vec![person], session_buffer: Seconds::from_minutes(10), ..Default::default() };
        Problem::new(parts).expect("valid")
    }

    fn day(ordinal: u32) -> Day {
        Day { ordinal }
    }

    #[test]
    fn a_session_leaves_its_length_and_buffer_free_around_it() {
        let p = problem(1);
        let mut b = Bookings::new(&p, day(0));
        let fifteen = Seconds::from_minutes(15);
        assert_eq!(b.free_starts(0, fifteen), vec![TimeWindow::new(hm(9, 0), hm(11, 45))]);
        b.book(0, hm(10, 0), fifteen);
        // Before: end + buffer by 10:00; after: from 10:25.
        assert_eq!(
            b.free_starts(0, fifteen),
            vec![TimeWindow::new(hm(9, 0), hm(9, 35)), TimeWindow::new(hm(10, 25), hm(11, 45))]
        );
        assert!(b.free_until(0, hm(9, 35), fifteen).is_some() && b.free_until(0, hm(9, 36), fifteen).is_none());
        assert!(b.free_until(0, hm(10, 24), fifteen).is_none() && b.free_until(0, hm(10, 25), fifteen).is_some());
        assert!(b.free_until(0, hm(11, 50), fifteen).is_none(), "the session must end inside the hours");
    }

    #[test]
    fn two_at_once_block_only_where_both_are_held() {
        let p = problem(2);
        let mut b = Bookings::new(&p, day(0));
        let twenty = Seconds::from_minutes(20);
        b.book(0, hm(9, 0), twenty); // occupies 09:00–09:30
        b.book(0, hm(9, 20), twenty); // occupies 09:20–09:50
        assert!(b.free_until(0, hm(9, 0), Seconds::from_minutes(5)).is_some(), "one slot is still free at 09:00");
        assert!(b.free_until(0, hm(9, 25), Seconds::from_minutes(5)).is_none(), "both held 09:20–09:30");
        assert!(b.free_until(0, hm(9, 30), twenty).is_some());
    }

    #[test]
    fn nobody_works_on_a_day_off() {
        let p = problem(1);
        assert!(Bookings::new(&p, day(3)).free_starts(0, Seconds::from_minutes(5)).is_empty());
    }
}
