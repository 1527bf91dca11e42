//! iCalendar (RFC 5545) files of a stop's visits, in Asia/Tokyo time: CRLF lines folded
//! at 75 octets, text escaped, one VEVENT per visit with a stable UID.

use std::fmt::Write;

use super::calendar_identity::{EventId, first_uid};
use super::plan_diff::VisitRef;
use super::public_timetable::PublicVisit;
use super::remote_day::RemoteSession;
use crate::lang::Lang;

/// Escapes TEXT values (backslash, semicolon, comma, newline).
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n")
}

/// Folds a content line at 75 octets without splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

/// `2026-12-08` and `10:30` → `20261208T103000`.
fn local_time(date: &str, hhmm: &str) -> String {
    format!("{}T{}00", date.replace('-', ""), hhmm.replace(':', ""))
}

/// One VEVENT on `when` (`[date, from, to]`) in Asia/Tokyo time; `extra` is the line
/// that differs between kinds of event (a description, or the cancelled status).
fn event(id: &EventId, stamp: &str, when: [&str; 3], summary: &str, location: &str, extra: String) -> [String; 11] {
    let [date, from, to] = when;
    [
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", id.uid),
        format!("SEQUENCE:{}", id.sequence),
        format!("DTSTAMP:{stamp}"),
        format!("DTSTART;TZID=Asia/Tokyo:{}", local_time(date, from)),
        format!("DTEND;TZID=Asia/Tokyo:{}", local_time(date, to)),
        format!("SUMMARY:{}", escape(summary)),
        format!("LOCATION:{}", escape(location)),
        extra,
        "TRANSP:TRANSPARENT".into(),
        "END:VEVENT".into(),
    ]
}

/// The calendar of `visits` (normally one stop's) and of `cancelled` visits (sent once
/// more as CANCELLED, so that calendar apps remove them), named `name`; `stamp` is the
/// DTSTAMP (UTC, `YYYYMMDDTHHMMSSZ`). A visit keeps its UID across plan versions
/// ([`PublicVisit::event`]); a changed one comes with a higher SEQUENCE.
pub fn calendar(name: &str, visits: &[PublicVisit], cancelled: &[(VisitRef, EventId)], stamp: &str) -> String {
    let mut lines = header(name);
    for v in visits {
        let mut summary = format!("{}（{}）", v.unit_name, v.stop_name);
        if let Some(class) = &v.class {
            let _ = write!(summary, " {class}");
        }
        let services = format!("{} / {}", v.offers(Lang::Ja), v.offers(Lang::En));
        let id =
            v.event.clone().unwrap_or_else(|| EventId { uid: first_uid(&v.date, &v.stop_id, &v.from), sequence: 0 });
        let description = format!("DESCRIPTION:{}", escape(&format!("サービス / services: {services}")));
        let when = [v.date.as_str(), &v.from, &v.to];
        lines.extend(event(&id, stamp, when, &summary, &v.stop_name, description));
    }
    for (v, id) in cancelled {
        let summary = format!("取りやめ / cancelled: {}（{}）", v.unit, v.place);
        let when = [v.date.as_str(), &v.from, &v.to];
        lines.extend(event(id, stamp, when, &summary, &v.place, "STATUS:CANCELLED".into()));
    }
    finish(lines)
}

/// A remote person's sessions as a calendar named `name`. Residents' names stay out (the
/// file leaves the service); each session names its request, service, hall and unit. A
/// session keeps its UID (date and request) when it moves; `sequence` (a number that grows
/// with every publication, rollbacks included) tells calendar apps which version is newer.
pub fn remote_calendar(name: &str, sessions: &[RemoteSession], stamp: &str, sequence: u32) -> String {
    let mut lines = header(name);
    for s in sessions {
        let id = EventId { uid: format!("junkai-session-{}-{}@junkai", s.date, s.request_id), sequence };
        let summary = format!("{} {}（{}）", s.kind_name, s.place, s.unit_name);
        let description = format!("DESCRIPTION:{}", escape(&format!("予約 / request {}", s.request_id)));
        let location = if s.address.is_empty() { s.place.clone() } else { format!("{} {}", s.place, s.address) };
        lines.extend(event(&id, stamp, [s.date.as_str(), &s.start, &s.end], &summary, &location, description));
    }
    finish(lines)
}

fn finish(mut lines: Vec<String>) -> String {
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

/// The calendar's opening lines, with the Asia/Tokyo time zone.
fn header(name: &str) -> Vec<String> {
    vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//junkai//junkai 0.1//JA".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape(name)),
        "X-WR-TIMEZONE:Asia/Tokyo".into(),
        "BEGIN:VTIMEZONE".into(),
        "TZID:Asia/Tokyo".into(),
        "BEGIN:STANDARD".into(),
        "DTSTART:19700101T000000".into(),
        "TZOFFSETFROM:+0900".into(),
        "TZOFFSETTO:+0900".into(),
        "TZNAME:JST".into(),
        "END:STANDARD".into(),
        "END:VTIMEZONE".into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_on_character_boundaries() {
        let line = "SUMMARY:".to_string() + &"移動市役所".repeat(10);
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{part}");
        }
        let unfolded = folded.replace("\r\n ", "").trim_end().to_string();
        assert_eq!(unfolded, line);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
