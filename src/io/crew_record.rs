//! What a crew records on its day, usually offline on the phone and sent later: the times it
//! arrived at and left each stop, the outcome of each booking, and how many came to a class.
//!
//! An entry is made once on the device and named there by `client_id`; the server stores it
//! at most once (sending it again is harmless). Entries are never changed: a correction is
//! a new entry for the same [`Slot`]. The slot's value is its entry with the latest device
//! time (`recorded_at`), ties going to the entry received first ([`current`]). So when two
//! devices of one crew disagree, the later tap wins, and nothing either sent is lost.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::driver_day::{DriverDay, DriverStop};
use crate::lang::Lang;

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// At the stop (value `HH:MM`).
    Arrival,
    /// Left the stop (value `HH:MM`).
    Departure,
    /// A booking's outcome (value an [`Outcome`]).
    Outcome,
    /// How many attended the stop's class (value a count, 0–999).
    Attendance,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Arrival => "arrival",
            Field::Departure => "departure",
            Field::Outcome => "outcome",
            Field::Attendance => "attendance",
        }
    }

    pub fn parse(text: &str) -> Option<Field> {
        [Field::Arrival, Field::Departure, Field::Outcome, Field::Attendance].into_iter().find(|f| f.as_str() == text)
    }
}

/// How a booking went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 完了: served.
    Done,
    /// 不在: the resident was not there.
    NoShow,
    /// 当日取消: cancelled on the day.
    Cancelled,
    /// 延期希望: wants another date.
    Postponed,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Outcome::Done, Outcome::NoShow, Outcome::Cancelled, Outcome::Postponed];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::NoShow => "no_show",
            Outcome::Cancelled => "cancelled",
            Outcome::Postponed => "postponed",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Outcome::Done, Lang::Ja) => "完了",
            (Outcome::NoShow, Lang::Ja) => "不在",
            (Outcome::Cancelled, Lang::Ja) => "当日取消",
            (Outcome::Postponed, Lang::Ja) => "延期希望",
            (Outcome::Done, Lang::En) => "Done",
            (Outcome::NoShow, Lang::En) => "No-show",
            (Outcome::Cancelled, Lang::En) => "Cancelled on the day",
            (Outcome::Postponed, Lang::En) => "Wants another date",
        }
    }

    /// Whether the request goes back to the planners' queue (a follow-up).
    pub fn needs_follow_up(self) -> bool {
        matches!(self, Outcome::NoShow | Outcome::Postponed)
    }
}

/// One entry as the device sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrewEntry {
    /// Made by the device (8–64 of `A-Z a-z 0-9 - _`), unique per entry.
    pub client_id: String,
    pub date: String,
    pub unit_id: String,
    /// The visit's position in the day, from 1.
    pub stop_order: usize,
    /// The visit's stop as the device saw it (none for a home visit). When a re-plan has
    /// moved that stop to another position of the day, the entry follows the stop.
    #[serde(default)]
    pub stop_id: Option<String>,
    pub field: Field,
    /// The booking of an `outcome`; empty otherwise.
    #[serde(default)]
    pub request_id: String,
    pub value: String,
    /// Private free text (at most 500 characters).
    #[serde(default)]
    pub note: String,
    /// The device's clock when the entry was made (RFC 3339, e.g. `2026-12-08T10:02:00+09:00`).
    pub recorded_at: String,
}

/// The thing an entry gives a value to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    pub date: String,
    pub unit_id: String,
    pub stop_order: usize,
    pub field: Field,
    pub request_id: String,
}

impl CrewEntry {
    pub fn slot(&self) -> Slot {
        Slot {
            date: self.date.clone(),
            unit_id: self.unit_id.clone(),
            stop_order: self.stop_order,
            field: self.field,
            request_id: self.request_id.clone(),
        }
    }

    /// The device time, if it parses.
    pub fn device_time(&self) -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339(&self.recorded_at).ok()
    }
}

/// Why an entry was refused: a stable code and the message in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub code: &'static str,
    pub message_ja: String,
    pub message_en: String,
}

fn refuse(code: &'static str, ja: &str, en: &str) -> Refusal {
    Refusal { code, message_ja: ja.to_string(), message_en: en.to_string() }
}

/// The longest note an entry may carry, in characters.
pub const NOTE_MAX: usize = 500;

/// The entry's own form: id, device time, note (R4001).
pub fn check_form(e: &CrewEntry) -> Result<(), Refusal> {
    let id_ok = (8..=64).contains(&e.client_id.len())
        && e.client_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !id_ok {
        return Err(refuse(
            "R4001",
            "「client_id」は端末で作る8〜64文字の英数字・「-」・「_」です",
            "client_id must be 8–64 characters of A-Z, a-z, 0-9, '-' and '_', made by the device",
        ));
    }
    if e.device_time().is_none() {
        return Err(refuse(
            "R4001",
            "「recorded_at」は時差付きの日時（例 2026-12-08T10:02:00+09:00）です",
            "recorded_at must be a date and time with offset, e.g. 2026-12-08T10:02:00+09:00",
        ));
    }
    if e.note.chars().count() > NOTE_MAX || e.note.chars().any(|c| c.is_control() && c != '\n') {
        return Err(refuse(
            "R4001",
            "メモは改行以外の制御文字を含まない500文字以内です",
            "the note must be at most 500 characters without control characters other than newlines",
        ));
    }
    if NaiveDate::parse_from_str(&e.date, "%Y-%m-%d").is_err() {
        return Err(refuse("R4001", "「date」は YYYY-MM-DD です", "date must be YYYY-MM-DD"));
    }
    Ok(())
}

/// The entry against the crew's day: the stop and booking exist and the value fits the
/// field (R4004, R4005). Returns the stop.
pub fn check_against<'a>(e: &CrewEntry, day: &'a DriverDay) -> Result<&'a DriverStop, Refusal> {
    let same_stop = |s: &&DriverStop| e.stop_id.is_none() || s.stop_id == e.stop_id;
    let at_order = day.stops.iter().find(|s| s.order == e.stop_order).filter(same_stop);
    let stop = at_order.or_else(|| day.stops.iter().find(|s| e.stop_id.is_some() && s.stop_id == e.stop_id));
    let stop = stop.ok_or_else(|| {
        refuse("R4004", "その日の運行にこの訪問はありません", "the day's itinerary has no visit with that stop_order")
    })?;
    let bad_value = |ja: &str, en: &str| Err(refuse("R4005", ja, en));
    match e.field {
        Field::Arrival | Field::Departure => {
            if !e.request_id.is_empty() {
                return bad_value(
                    "到着・出発には「request_id」を付けません",
                    "arrival and departure take no request_id",
                );
            }
            if NaiveTime::parse_from_str(&e.value, "%H:%M").is_err() || e.value.len() != 5 {
                return bad_value("時刻は HH:MM（例 09:05）です", "the time must be HH:MM, e.g. 09:05");
            }
        }
        Field::Outcome => {
            if !stop.requests.iter().any(|r| r.id == e.request_id) {
                return Err(refuse(
                    "R4004",
                    "この訪問にその予約はありません",
                    "that visit has no booking with this request_id",
                ));
            }
            if Outcome::parse(&e.value).is_none() {
                return bad_value(
                    "結果は「done」「no_show」「cancelled」「postponed」のどれかです",
                    "the outcome must be done, no_show, cancelled or postponed",
                );
            }
        }
        Field::Attendance => {
            if stop.class.is_none() {
                return bad_value("この訪問には教室がありません", "this visit has no class");
            }
            if !e.request_id.is_empty() || !e.value.parse::<u16>().is_ok_and(|n| n <= 999) {
                return bad_value(
                    "参加人数は0〜999の整数で、「request_id」は付けません",
                    "attendance is a whole number 0–999, without request_id",
                );
            }
        }
    }
    Ok(stop)
}

/// An entry as the server holds it: what was sent, and the order it arrived in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredEntry {
    #[serde(flatten)]
    pub entry: CrewEntry,
    pub received_at: String,
    /// Arrival order at the server (ties of device time go to the smaller).
    pub sequence: i64,
    pub actor: String,
    /// The window the published plan announced for the visit (HH:MM).
    pub published: (String, String),
}

/// The value of every slot: its entry with the latest device time, ties to the first received.
pub fn current(entries: &[StoredEntry]) -> BTreeMap<Slot, &StoredEntry> {
    let mut out: BTreeMap<Slot, &StoredEntry> = BTreeMap::new();
    for e in entries {
        let later = |held: &StoredEntry| {
            let (new, old) = (e.entry.device_time(), held.entry.device_time());
            new > old || (new == old && e.sequence < held.sequence)
        };
        match out.get(&e.entry.slot()) {
            Some(held) if !later(held) => {}
            _ => {
                out.insert(e.entry.slot(), e);
            }
        }
    }
    out
}

/// The latest of entries of one slot (by the same rule as [`current`]).
pub fn latest(entries: &[StoredEntry]) -> Option<&StoredEntry> {
    current(entries).into_values().max_by(|a, b| {
        (a.entry.device_time(), std::cmp::Reverse(a.sequence))
            .cmp(&(b.entry.device_time(), std::cmp::Reverse(b.sequence)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: &str, value: &str, at: &str, sequence: i64) -> StoredEntry {
        StoredEntry {
            entry: CrewEntry {
                client_id: id.into(),
                date: "2026-12-08".into(),
                unit_id: "gyosei-1".into(),
                stop_order: 1,
                stop_id: None,
                field: Field::Arrival,
                request_id: String::new(),
                value: value.into(),
                note: String::new(),
                recorded_at: at.into(),
            },
            received_at: String::new(),
            sequence,
            actor: "user:a".into(),
            published: ("09:00".into(), "09:30".into()),
        }
    }

    #[test]
    fn the_later_device_time_wins_and_ties_go_to_the_first_received() {
        // Device B corrected the time later but its entry reached the server first.
        let a = stored("device-a-1", "09:05", "2026-12-08T09:05:00+09:00", 2);
        let b = stored("device-b-1", "09:07", "2026-12-08T09:20:00+09:00", 1);
        let both = [a.clone(), b.clone()];
        assert_eq!(current(&both).values().next().unwrap().entry.value, "09:07");
        // The same moment written in another offset is the same time: the first received holds.
        let c = stored("device-c-1", "09:09", "2026-12-08T00:20:00Z", 3);
        let all = [a, b, c];
        assert_eq!(current(&all).values().next().unwrap().entry.value, "09:07");
    }

    #[test]
    fn malformed_entries_are_refused_with_r4001() {
        let mut e = stored("short", "09:00", "2026-12-08T09:00:00+09:00", 1).entry;
        assert_eq!(check_form(&e).unwrap_err().code, "R4001");
        e.client_id = "device-a-0001".into();
        assert!(check_form(&e).is_ok());
        e.recorded_at = "yesterday".into();
        assert_eq!(check_form(&e).unwrap_err().code, "R4001");
    }
}
