//! The one source of "now" and "today" for the CLI and the server: the system clock, a
//! clock set to another date that runs on from there (settings `today = "2026-12-07"`,
//! `JUNKAI_TODAY`, `--today`: rehearsals, where sessions must still expire), or a frozen
//! instant that only a test moves.
//!
//! Residents live in Japan: dates are in Japan Standard Time (UTC+9, no daylight saving).
//! Nothing else in the application reads the wall clock for dates; elapsed-time measures
//! (`Instant`) are not dates and stay where they are.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, SecondsFormat, TimeZone, Utc};

/// Japan Standard Time.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("UTC+9 is a valid offset")
}

/// Where time comes from. Cheap to clone; clones of a pinned clock share one instant, so a
/// test that advances it moves every holder's clock.
#[derive(Clone, Debug)]
pub struct Clock(Source);

#[derive(Clone, Debug)]
enum Source {
    System,
    /// The system clock shifted by this many milliseconds.
    Shifted(i64),
    /// Unix time in milliseconds, frozen until advanced.
    Pinned(Arc<AtomicI64>),
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The machine's clock.
    pub fn system() -> Clock {
        Clock(Source::System)
    }

    /// A clock that stands at `at` until advanced.
    pub fn pinned(at: DateTime<FixedOffset>) -> Clock {
        Clock(Source::Pinned(Arc::new(AtomicI64::new(at.timestamp_millis()))))
    }

    /// A clock that stands at 09:00 JST on `date` (office hours: "today" is that date).
    pub fn pinned_on(date: NaiveDate) -> Clock {
        let nine = date.and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("09:00 is a time"));
        let at = jst().from_local_datetime(&nine).single().expect("JST has no gaps");
        Clock::pinned(at)
    }

    /// `YYYY-MM-DD` (09:00 JST that day) or an RFC 3339 instant, frozen there.
    pub fn parse(text: &str) -> Option<Clock> {
        let text = text.trim();
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(Clock::pinned_on(date));
        }
        DateTime::parse_from_rfc3339(text).ok().map(Clock::pinned)
    }

    /// Like [`Clock::parse`], but the clock runs on from that instant at real speed.
    pub fn parse_running(text: &str) -> Option<Clock> {
        let start = Clock::parse(text)?.now();
        Some(Clock(Source::Shifted(start.timestamp_millis() - Utc::now().timestamp_millis())))
    }

    /// Whether this clock is set to another time than the system's (tests, `today = …`).
    pub fn is_pinned(&self) -> bool {
        !matches!(self.0, Source::System)
    }

    /// The current instant in JST.
    pub fn now(&self) -> DateTime<FixedOffset> {
        match &self.0 {
            Source::System => Utc::now().with_timezone(&jst()),
            Source::Shifted(ms) => (Utc::now() + Duration::milliseconds(*ms)).with_timezone(&jst()),
            Source::Pinned(ms) => {
                let utc = DateTime::<Utc>::from_timestamp_millis(ms.load(Ordering::Acquire)).unwrap_or_default();
                utc.with_timezone(&jst())
            }
        }
    }

    /// Today's date in Japan.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// The current instant as stored in the database and the audit log (RFC 3339, seconds, JST).
    pub fn stamp(&self) -> String {
        self.now().to_rfc3339_opts(SecondsFormat::Secs, false)
    }

    /// Seconds since the Unix epoch (expiry arithmetic of sessions and throttling).
    pub fn unix(&self) -> i64 {
        self.now().timestamp()
    }

    /// Moves a pinned clock forward (tests of expiry); the system clock cannot be moved.
    pub fn advance(&self, by: Duration) {
        if let Source::Pinned(ms) = &self.0 {
            ms.fetch_add(by.num_milliseconds(), Ordering::AcqRel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_clock_says_its_date_in_japan_and_moves_only_when_advanced() {
        let clock = Clock::parse("2026-12-07").unwrap();
        assert!(clock.is_pinned());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert_eq!(clock.stamp(), "2026-12-07T09:00:00+09:00");
        let copy = clock.clone();
        copy.advance(Duration::hours(15));
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(), "clones share the instant");
        // 23:30 UTC on the 7th is already the 8th in Japan.
        let late = Clock::parse("2026-12-07T23:30:00Z").unwrap();
        assert_eq!(late.today(), NaiveDate::from_ymd_opt(2026, 12, 8).unwrap());
        assert!(Clock::parse("2026-13-01").is_none());
        assert!(!Clock::system().is_pinned());
        // A clock set for a rehearsal starts on that day and runs on.
        let running = Clock::parse_running("2026-12-07").unwrap();
        assert!(running.is_pinned());
        assert_eq!(running.today(), NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        let first = running.now();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(running.now() > first, "it moves by itself");
    }
}
