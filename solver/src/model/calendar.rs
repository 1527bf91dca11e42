//! Weekdays, weekday sets and the planning horizon (working days only).
//!
//! The solver has no dates: a day is identified by its *ordinal*, the number of calendar
//! days since the Monday that starts the horizon. Closed days (holidays, city closures)
//! are simply absent from [`Horizon::days`]; the application decides which days are open.

use serde::{Deserialize, Serialize};

/// Day of the week, Monday first (index 0) as in ISO 8601.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] =
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

    /// 0 for Monday … 6 for Sunday.
    pub const fn index(self) -> usize {
        self as usize
    }

    pub const fn from_index(index: usize) -> Weekday {
        Weekday::ALL[index % 7]
    }

    /// The three-letter lowercase key used in input files (`mon` … `sun`).
    pub const fn key(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self as usize]
    }

    pub fn from_key(key: &str) -> Option<Weekday> {
        Weekday::ALL.into_iter().find(|d| d.key() == key)
    }

    /// One-character Japanese name (月 … 日).
    pub const fn japanese(self) -> &'static str {
        ["月", "火", "水", "木", "金", "土", "日"][self as usize]
    }
}

/// A set of weekdays as a 7-bit mask (bit 0 = Monday).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct WeekdaySet(u8);

impl WeekdaySet {
    pub const EMPTY: WeekdaySet = WeekdaySet(0);
    pub const ALL: WeekdaySet = WeekdaySet(0x7f);
    pub const MON_TO_FRI: WeekdaySet = WeekdaySet(0x1f);

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.index()) != 0
    }
    pub fn insert(&mut self, day: Weekday) {
        self.0 |= 1 << day.index();
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = Weekday> {
        Weekday::ALL.into_iter().filter(move |d| self.contains(*d))
    }
}

impl FromIterator<Weekday> for WeekdaySet {
    fn from_iter<I: IntoIterator<Item = Weekday>>(iter: I) -> Self {
        let mut set = WeekdaySet::EMPTY;
        for day in iter {
            set.insert(day);
        }
        set
    }
}

/// One working day of the horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    /// Calendar days since the Monday that starts the horizon (0 = that Monday).
    pub ordinal: u32,
}

impl Day {
    pub fn weekday(self) -> Weekday {
        Weekday::from_index(self.ordinal as usize % 7)
    }
    /// Week number within the horizon, 0-based.
    pub fn week(self) -> u32 {
        self.ordinal / 7
    }
}

/// The open days of the planning horizon, in increasing ordinal order.
/// Invariant: strictly increasing ordinals, all below `7 * weeks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Horizon {
    pub weeks: u32,
    pub days: Vec<Day>,
    /// The first day ordinal that takes new visits: the days before it have passed (a
    /// plan or re-plan made mid-week). Visits already announced there stay as they are.
    /// 0 when every day is ahead.
    #[serde(default)]
    pub first_open: u32,
    /// Ordinals of days whose announced visits stay exactly as they are (locked by the
    /// planner): no new visit goes there. Sorted.
    #[serde(default)]
    pub frozen: Vec<u32>,
}

impl Horizon {
    /// Whether `day` takes new visits: it has not passed and is not frozen.
    pub fn takes_new_visits(&self, day: Day) -> bool {
        day.ordinal >= self.first_open && self.frozen.binary_search(&day.ordinal).is_err()
    }
}

impl Horizon {
    /// Every day of `weeks` weeks whose weekday is in `open`.
    pub fn from_weekdays(weeks: u32, open: WeekdaySet) -> Horizon {
        let days = (0..weeks * 7).map(|ordinal| Day { ordinal }).filter(|d| open.contains(d.weekday())).collect();
        Horizon { weeks, days, first_open: 0, frozen: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_ordinals_map_to_weekdays_and_weeks() {
        let d = Day { ordinal: 9 };
        assert_eq!(d.weekday(), Weekday::Wed);
        assert_eq!(d.week(), 1);
    }

    #[test]
    fn horizon_keeps_only_open_weekdays() {
        let h = Horizon::from_weekdays(2, WeekdaySet::MON_TO_FRI);
        assert_eq!(h.days.len(), 10);
        assert!(h.days.iter().all(|d| d.weekday() < Weekday::Sat));
    }

    #[test]
    fn weekday_keys_round_trip() {
        for d in Weekday::ALL {
            assert_eq!(Weekday::from_key(d.key()), Some(d));
        }
        assert_eq!(Weekday::from_key("monday"), None);
    }
}
