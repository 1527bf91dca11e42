//! Units of measure used throughout the solver: one newtype per quantity, one resolution each.
//!
//! * [`Seconds`] — a duration or a time of day, in whole seconds. A time of day counts
//!   seconds since local midnight of the planning day (the application owns dates and time
//!   zones; the solver never sees them).
//! * [`Meters`] — a distance in whole metres.
//! * [`Cost`] — the optimiser's objective unit (dimensionless, integer, larger is worse).

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Sub, SubAssign};

macro_rules! integer_unit {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash,
                 serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            pub const ZERO: Self = Self(0);
            pub const MAX: Self = Self(i64::MAX / 4);

            /// The raw integer value in this unit's resolution.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl Add for $name {
            type Output = Self;
            fn add(self, rhs: Self) -> Self {
                Self(self.0 + rhs.0)
            }
        }
        impl Sub for $name {
            type Output = Self;
            fn sub(self, rhs: Self) -> Self {
                Self(self.0 - rhs.0)
            }
        }
        impl AddAssign for $name {
            fn add_assign(&mut self, rhs: Self) {
                self.0 += rhs.0;
            }
        }
        impl SubAssign for $name {
            fn sub_assign(&mut self, rhs: Self) {
                self.0 -= rhs.0;
            }
        }
        impl Mul<i64> for $name {
            type Output = Self;
            fn mul(self, rhs: i64) -> Self {
                Self(self.0 * rhs)
            }
        }
        impl Sum for $name {
            fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
                Self(iter.map(|v| v.0).sum())
            }
        }
    };
}

integer_unit!(
    /// A duration, or a time of day as seconds since local midnight.
    Seconds
);
integer_unit!(
    /// A distance in metres.
    Meters
);
integer_unit!(
    /// Objective value; integer so that comparisons are exact and deterministic.
    Cost
);

impl Seconds {
    pub const fn from_minutes(minutes: i64) -> Self {
        Self(minutes * 60)
    }
    pub const fn from_hm(hours: i64, minutes: i64) -> Self {
        Self(hours * 3600 + minutes * 60)
    }
    /// Whole minutes, rounded down.
    pub const fn minutes(self) -> i64 {
        self.0.div_euclid(60)
    }
}

impl fmt::Display for Seconds {
    /// Formats as `HH:MM` (a time of day) — seconds are dropped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.minutes();
        write!(f, "{:02}:{:02}", m.div_euclid(60), m.rem_euclid(60))
    }
}

impl Meters {
    pub fn km(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

/// A closed interval of time of day `[start, end]`, in seconds since local midnight.
/// Invariant (checked by the model builder): `start <= end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct TimeWindow {
    pub start: Seconds,
    pub end: Seconds,
}

impl TimeWindow {
    pub const fn new(start: Seconds, end: Seconds) -> Self {
        Self { start, end }
    }
    pub fn length(&self) -> Seconds {
        self.end - self.start
    }
    pub fn contains(&self, t: Seconds) -> bool {
        self.start <= t && t <= self.end
    }
    /// Whether the two closed windows share more than a single instant.
    pub fn overlaps(&self, other: &TimeWindow) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// The common part of two windows, if they meet.
    pub fn intersection(&self, other: &TimeWindow) -> Option<TimeWindow> {
        let (start, end) = (self.start.max(other.start), self.end.min(other.end));
        (start <= end).then_some(TimeWindow { start, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_format_as_clock_time() {
        assert_eq!(Seconds::from_hm(8, 30).to_string(), "08:30");
        assert_eq!(Seconds::from_hm(17, 15).to_string(), "17:15");
        assert_eq!(Seconds(59).to_string(), "00:00");
    }

    #[test]
    fn windows_overlap_only_with_common_interior() {
        let a = TimeWindow::new(Seconds::from_hm(9, 0), Seconds::from_hm(12, 0));
        let b = TimeWindow::new(Seconds::from_hm(12, 0), Seconds::from_hm(13, 0));
        let c = TimeWindow::new(Seconds::from_hm(11, 0), Seconds::from_hm(13, 0));
        assert!(!a.overlaps(&b));
        assert!(a.overlaps(&c));
        assert!(a.contains(Seconds::from_hm(12, 0)));
    }
}
