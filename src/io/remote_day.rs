//! A remote person's sessions (a doctor's, a counsellor's), taken from the crews' days of
//! the published plan: when, at which hall, with which unit and crew, for which request —
//! with the resident's name, which only that person and the crew see — and their calendar
//! (iCalendar, without residents' names).

use serde::{Deserialize, Serialize};

use super::driver_day::DriverDay;

/// One session of a remote person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteSession {
    pub date: String,
    pub weekday: String,
    pub start: String,
    pub end: String,
    /// The hall (or 自宅訪問) and its address (a home's address stays with the crew).
    pub place: String,
    pub address: String,
    pub unit_id: String,
    pub unit_name: String,
    pub request_id: String,
    pub kind_name: String,
    /// Private: the resident this session is for.
    pub resident_name: String,
}

/// The sessions of person `remote_id` in `days`, by date and start.
pub fn remote_sessions(days: &[DriverDay], remote_id: &str) -> Vec<RemoteSession> {
    let mut out = Vec::new();
    for day in days {
        for stop in &day.stops {
            for r in &stop.requests {
                let Some(s) = r.session.as_ref().filter(|s| s.remote_id == remote_id) else { continue };
                out.push(RemoteSession {
                    date: day.date.clone(),
                    weekday: day.weekday.clone(),
                    start: s.start.clone(),
                    end: s.end.clone(),
                    place: stop.name.clone(),
                    address: if stop.stop_id.is_some() { stop.address.clone() } else { String::new() },
                    unit_id: day.unit_id.clone(),
                    unit_name: day.unit_name.clone(),
                    request_id: r.id.clone(),
                    kind_name: r.kind_name.clone(),
                    resident_name: r.resident_name.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.date, &a.start).cmp(&(&b.date, &b.start)));
    out
}
