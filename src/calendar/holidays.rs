//! Japanese national holidays (国民の祝日), computed by rule for 2020–2099, offline.
//!
//! Rules of the Act on National Holidays as in force since 2020: fixed days, Happy Monday
//! days, the equinoxes (astronomical approximation valid 1980–2099, as published by the
//! National Astronomical Observatory for past years), 振替休日 (a holiday on Sunday moves
//! to the next non-holiday day) and 国民の休日 (a day between two holidays). The one-off
//! moves for the Tokyo Olympics in 2020 and 2021 are included.

use chrono::{Datelike, NaiveDate, Weekday};

pub const FIRST_YEAR: i32 = 2020;
pub const LAST_YEAR: i32 = 2099;

/// A holiday with its Japanese and English names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name_ja: &'static str,
    pub name_en: &'static str,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date")
}

/// The `n`-th Monday (1-based) of a month.
fn nth_monday(y: i32, m: u32, n: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(y, m, Weekday::Mon, n as u8).expect("month has n Mondays")
}

fn equinox_day(y: i32, base: f64) -> u32 {
    let t = f64::from(y - 1980);
    (base + 0.242194 * t - (t / 4.0).floor()).floor() as u32
}

/// The named holidays of a year, before substitute days and citizens' holidays.
fn named(y: i32) -> Vec<Holiday> {
    let h = |date, name_ja, name_en| Holiday { date, name_ja, name_en };
    let (marine, mountain, sports) = match y {
        2020 => (date(y, 7, 23), date(y, 8, 10), date(y, 7, 24)),
        2021 => (date(y, 7, 22), date(y, 8, 8), date(y, 7, 23)),
        _ => (nth_monday(y, 7, 3), date(y, 8, 11), nth_monday(y, 10, 2)),
    };
    vec![
        h(date(y, 1, 1), "元日", "New Year's Day"),
        h(nth_monday(y, 1, 2), "成人の日", "Coming of Age Day"),
        h(date(y, 2, 11), "建国記念の日", "National Foundation Day"),
        h(date(y, 2, 23), "天皇誕生日", "Emperor's Birthday"),
        h(date(y, 3, equinox_day(y, 20.8431)), "春分の日", "Vernal Equinox Day"),
        h(date(y, 4, 29), "昭和の日", "Showa Day"),
        h(date(y, 5, 3), "憲法記念日", "Constitution Memorial Day"),
        h(date(y, 5, 4), "みどりの日", "Greenery Day"),
        h(date(y, 5, 5), "こどもの日", "Children's Day"),
        h(marine, "海の日", "Marine Day"),
        h(mountain, "山の日", "Mountain Day"),
        h(nth_monday(y, 9, 3), "敬老の日", "Respect for the Aged Day"),
        h(date(y, 9, equinox_day(y, 23.2488)), "秋分の日", "Autumnal Equinox Day"),
        h(sports, "スポーツの日", "Sports Day"),
        h(date(y, 11, 3), "文化の日", "Culture Day"),
        h(date(y, 11, 23), "勤労感謝の日", "Labour Thanksgiving Day"),
    ]
}

/// All national holidays of `year`, sorted by date; `None` outside 2020–2099.
pub fn holidays(year: i32) -> Option<Vec<Holiday>> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return None;
    }
    let mut days = named(year);
    days.sort_by_key(|h| h.date);
    let is_holiday = |list: &[Holiday], d: NaiveDate| list.iter().any(|h| h.date == d);
    // 国民の休日: a day that is not Sunday or a holiday, between two holidays.
    let mut extra = Vec::new();
    for pair in days.windows(2) {
        let between = pair[0].date.succ_opt().expect("in range");
        if pair[1].date == between.succ_opt().expect("in range")
            && between.weekday() != Weekday::Sun
            && !is_holiday(&days, between)
        {
            extra.push(Holiday { date: between, name_ja: "国民の休日", name_en: "Citizens' Holiday" });
        }
    }
    // 振替休日: a holiday on Sunday makes the next non-holiday day a holiday.
    for h in days.iter().filter(|h| h.date.weekday() == Weekday::Sun) {
        let mut d = h.date.succ_opt().expect("in range");
        while is_holiday(&days, d) || is_holiday(&extra, d) {
            d = d.succ_opt().expect("in range");
        }
        extra.push(Holiday { date: d, name_ja: "振替休日", name_en: "Substitute Holiday" });
    }
    days.extend(extra);
    days.sort_by_key(|h| h.date);
    Some(days)
}

/// The holiday on `date`, if any (`None` also for years outside the table).
pub fn holiday_on(date: NaiveDate) -> Option<Holiday> {
    holidays(date.year())?.into_iter().find(|h| h.date == date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(year: i32) -> Vec<String> {
        holidays(year).unwrap().iter().map(|h| h.date.format("%m-%d").to_string()).collect()
    }

    #[test]
    fn year_2026_matches_the_cabinet_office_list() {
        assert_eq!(
            dates(2026),
            [
                "01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-20",
                "08-11", "09-21", "09-22", "09-23", "10-12", "11-03", "11-23"
            ]
        );
        assert_eq!(holiday_on(date(2026, 9, 22)).unwrap().name_ja, "国民の休日");
        assert_eq!(holiday_on(date(2026, 5, 6)).unwrap().name_ja, "振替休日");
    }

    #[test]
    fn years_2027_to_2030_match_the_published_lists() {
        assert_eq!(
            dates(2027),
            [
                "01-01", "01-11", "02-11", "02-23", "03-21", "03-22", "04-29", "05-03", "05-04", "05-05", "07-19",
                "08-11", "09-20", "09-23", "10-11", "11-03", "11-23"
            ]
        );
        assert_eq!(
            dates(2028),
            [
                "01-01", "01-10", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "07-17", "08-11",
                "09-18", "09-22", "10-09", "11-03", "11-23"
            ]
        );
        assert_eq!(
            dates(2029),
            [
                "01-01", "01-08", "02-11", "02-12", "02-23", "03-20", "04-29", "04-30", "05-03", "05-04", "05-05",
                "07-16", "08-11", "09-17", "09-23", "09-24", "10-08", "11-03", "11-23"
            ]
        );
        assert_eq!(
            dates(2030),
            [
                "01-01", "01-14", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-15",
                "08-11", "08-12", "09-16", "09-23", "10-14", "11-03", "11-04", "11-23"
            ]
        );
    }

    #[test]
    fn olympic_moves_of_2021_are_kept() {
        let d = dates(2021);
        assert!(d.contains(&"07-22".to_string()) && d.contains(&"07-23".to_string()));
        assert!(d.contains(&"08-08".to_string()) && d.contains(&"08-09".to_string()));
        assert!(!d.contains(&"10-11".to_string()));
    }

    #[test]
    fn years_outside_the_table_are_refused() {
        assert!(holidays(2019).is_none());
        assert!(holidays(2100).is_none());
        assert!(holidays(2099).is_some());
    }
}
