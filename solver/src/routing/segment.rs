//! Segment summaries for O(1) move evaluation (Vidal et al. 2013, "A hybrid genetic
//! algorithm with adaptive diversity management for a large class of vehicle routing
//! problems with time-windows"; the same concatenation as PyVRP's `DurationSegment`).
//!
//! A segment is a sequence of consecutive visits. Its time summary holds the minimal
//! duration (travel, service and unavoidable waiting), the unavoidable time warp, and the
//! earliest and latest start of its first service that achieve them. Two summaries combine
//! in constant time, so a move that splices a few segments is priced without walking the
//! routes. Only single-window jobs and vehicles without a lunch break have exact summaries;
//! the routing core checks that before using them.

use super::instance::Load;
use crate::matrix::TravelMatrix;
use crate::units::TimeWindow;

/// Time summary of a visit sequence (all in the instance's integer time unit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DurationSegment {
    pub duration: i64,
    pub time_warp: i64,
    /// Earliest and latest start of the first service that give `duration` and `time_warp`.
    pub earliest: i64,
    pub latest: i64,
}

impl DurationSegment {
    /// A single visit with a service time and a start window.
    pub fn node(service: i64, window: TimeWindow) -> Self {
        DurationSegment { duration: service, time_warp: 0, earliest: window.start.get(), latest: window.end.get() }
    }

    /// `self`, then travel of `edge`, then `next`.
    #[inline]
    pub fn then(self, edge: i64, next: DurationSegment) -> DurationSegment {
        let reach = self.duration - self.time_warp + edge;
        let wait = (next.earliest - reach - self.latest).max(0);
        let warp = (self.earliest + reach - next.latest).max(0);
        DurationSegment {
            duration: self.duration + next.duration + edge + wait,
            time_warp: self.time_warp + next.time_warp + warp,
            earliest: (next.earliest - reach).max(self.earliest) - wait,
            latest: (next.latest - reach).min(self.latest) + warp,
        }
    }
}

/// Everything a move needs to know about a visit sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Locations of the first and the last visit.
    pub first: usize,
    pub last: usize,
    pub time: DurationSegment,
    /// Distance driven inside the segment.
    pub distance: i64,
    pub load: Load,
}

impl Segment {
    pub fn node(location: usize, service: i64, window: TimeWindow, demand: Load) -> Segment {
        Segment {
            first: location,
            last: location,
            time: DurationSegment::node(service, window),
            distance: 0,
            load: demand,
        }
    }

    /// `self` followed by `next`.
    #[inline]
    pub fn then(&self, matrix: &TravelMatrix, next: &Segment) -> Segment {
        let (edge_time, edge_distance) = matrix.leg(self.last, next.first);
        let mut load = self.load;
        load.add(next.load);
        Segment {
            first: self.first,
            last: next.last,
            time: self.time.then(edge_time.get(), next.time),
            distance: self.distance + edge_distance.get() + next.distance,
            load,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Seconds;

    fn w(a: i64, b: i64) -> TimeWindow {
        TimeWindow::new(Seconds(a), Seconds(b))
    }

    #[test]
    fn waiting_and_lateness_follow_the_windows() {
        // Depot [0, 100], job A (service 10, start in [20, 30]), job B (service 5, [0, 25]).
        let depot = DurationSegment::node(0, w(0, 100));
        let a = DurationSegment::node(10, w(20, 30));
        let b = DurationSegment::node(5, w(0, 25));
        let da = depot.then(5, a);
        // Leaving at 15 reaches A at 20: no waiting is needed.
        assert_eq!((da.duration, da.time_warp, da.earliest, da.latest), (15, 0, 15, 25));
        let dab = da.then(4, b);
        // A ends at 30 at the earliest, B is reached at 34 > 25: 9 units of time warp.
        assert_eq!(dab.time_warp, 9);
        let ba = DurationSegment::node(5, w(0, 25)).then(4, a);
        // Starting B at 11 reaches A exactly at 20: no waiting.
        assert_eq!((ba.duration, ba.time_warp, ba.earliest, ba.latest), (19, 0, 11, 21));
    }

    #[test]
    fn concatenation_is_associative() {
        let s = [w(0, 50), w(10, 20), w(30, 60), w(5, 15)].map(|x| DurationSegment::node(3, x));
        let left = s[0].then(2, s[1]).then(4, s[2]).then(1, s[3]);
        let right = s[0].then(2, s[1].then(4, s[2].then(1, s[3])));
        assert_eq!(left, right);
    }
}
