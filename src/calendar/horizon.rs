//! The planning horizon: whole weeks from a Monday, minus holidays and city closures.

use chrono::{Datelike, Duration, NaiveDate};
use junkai_solver::model::{Day, Horizon, WeekdaySet};

use super::holidays::{FIRST_YEAR, LAST_YEAR, holiday_on};
use crate::diagnostics::Diagnostic;
use crate::lang::Text;

/// Calendar settings of a data set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarSettings {
    /// Weekdays on which the city runs its units.
    pub open_weekdays: WeekdaySet,
    /// Closures every year, as inclusive `(month, day)` ranges; a range may wrap the new
    /// year, e.g. 29 Dec – 3 Jan.
    pub annual_closures: Vec<((u32, u32), (u32, u32))>,
    /// Extra closed dates.
    pub closures: Vec<NaiveDate>,
    /// Skip Japanese national holidays.
    pub national_holidays: bool,
}

impl Default for CalendarSettings {
    fn default() -> Self {
        CalendarSettings {
            open_weekdays: WeekdaySet::MON_TO_FRI,
            annual_closures: vec![((12, 29), (1, 3))],
            closures: Vec::new(),
            national_holidays: true,
        }
    }
}

/// A weekday of the horizon on which the units do not run, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedDay {
    pub date: NaiveDate,
    pub reason: Text,
}

/// The horizon in dates: its first Monday, and the date of every open day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    pub first_monday: NaiveDate,
    pub weeks: u32,
    /// The date of each day of `horizon.days`, in the same order.
    pub open_dates: Vec<NaiveDate>,
    /// Open weekdays that are closed (holidays, closures).
    pub closed: Vec<ClosedDay>,
    pub horizon: Horizon,
}

/// The Monday of the week after `today`'s week.
pub fn next_monday(today: NaiveDate) -> NaiveDate {
    today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()))
}

fn in_annual_closure(settings: &CalendarSettings, d: NaiveDate) -> bool {
    let md = (d.month(), d.day());
    settings
        .annual_closures
        .iter()
        .any(|&(from, to)| if from <= to { from <= md && md <= to } else { md >= from || md <= to })
}

impl Calendar {
    /// The horizon of `weeks` weeks starting on the Monday of `week_of`'s week.
    pub fn new(settings: &CalendarSettings, week_of: NaiveDate, weeks: u32) -> Result<Calendar, Diagnostic> {
        if !(1..=8).contains(&weeks) {
            return Err(Diagnostic::weeks_out_of_range("calendar.weeks (--weeks)", i64::from(weeks)));
        }
        let first_monday = week_of - Duration::days(i64::from(week_of.weekday().num_days_from_monday()));
        let last = first_monday + Duration::days(i64::from(weeks) * 7 - 1);
        for year in [first_monday.year(), last.year()] {
            if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
                return Err(Diagnostic::year_unsupported("calendar.week (--week)", year));
            }
        }
        let mut days = Vec::new();
        let mut open_dates = Vec::new();
        let mut closed = Vec::new();
        for ordinal in 0..weeks * 7 {
            let day = Day { ordinal };
            if !settings.open_weekdays.contains(day.weekday()) {
                continue;
            }
            let date = first_monday + Duration::days(i64::from(ordinal));
            let reason = if let Some(h) = holiday_on(date).filter(|_| settings.national_holidays) {
                Some(Text::new(h.name_ja, h.name_en))
            } else if in_annual_closure(settings, date) {
                Some(Text::new("年末年始の閉庁日", "year-end closure"))
            } else if settings.closures.contains(&date) {
                Some(Text::new("市の休業日", "city closure day"))
            } else {
                None
            };
            match reason {
                Some(reason) => closed.push(ClosedDay { date, reason }),
                None => {
                    days.push(day);
                    open_dates.push(date);
                }
            }
        }
        Ok(Calendar {
            first_monday,
            weeks,
            open_dates,
            closed,
            horizon: Horizon { weeks, days, first_open: 0, frozen: Vec::new() },
        })
    }

    /// Day ordinal of a date (days since the first Monday; negative before the horizon).
    pub fn ordinal_of(&self, date: NaiveDate) -> i64 {
        (date - self.first_monday).num_days()
    }

    pub fn date_of(&self, day: Day) -> NaiveDate {
        self.first_monday + Duration::days(i64::from(day.ordinal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn holidays_and_year_end_closures_are_skipped() {
        let c = Calendar::new(&CalendarSettings::default(), d(2026, 12, 30), 2).unwrap();
        assert_eq!(c.first_monday, d(2026, 12, 28));
        // 28 Dec open; 29–31 Dec, 1 Jan closed; 4–8 Jan open (the 2nd Monday of Jan is the 11th).
        assert_eq!(
            c.open_dates,
            vec![d(2026, 12, 28), d(2027, 1, 4), d(2027, 1, 5), d(2027, 1, 6), d(2027, 1, 7), d(2027, 1, 8)]
        );
        assert_eq!(c.closed.len(), 4);
        assert_eq!(c.closed.last().unwrap().reason.ja, "元日");
    }

    #[test]
    fn national_holidays_inside_a_week_are_closed() {
        let c = Calendar::new(&CalendarSettings::default(), d(2026, 9, 21), 1).unwrap();
        assert_eq!(c.open_dates, vec![d(2026, 9, 24), d(2026, 9, 25)]);
        assert_eq!(c.horizon.days.iter().map(|x| x.ordinal).collect::<Vec<_>>(), vec![3, 4]);
    }

    #[test]
    fn next_monday_is_always_in_the_following_week() {
        assert_eq!(next_monday(d(2026, 11, 24)), d(2026, 11, 30));
        assert_eq!(next_monday(d(2026, 11, 30)), d(2026, 12, 7));
        assert_eq!(next_monday(d(2026, 12, 6)), d(2026, 12, 7));
    }

    #[test]
    fn bad_horizons_are_refused_with_codes() {
        let s = CalendarSettings::default();
        assert_eq!(Calendar::new(&s, d(2026, 12, 7), 9).unwrap_err().code, crate::diagnostics::Code::E3002);
        assert_eq!(Calendar::new(&s, d(2101, 1, 3), 1).unwrap_err().code, crate::diagnostics::Code::E3001);
    }
}
