//! One resident's request as it is written in a requests file, stored by the service and
//! sent over the API (docs/format.md, "Requests"): the one typed form the store, the
//! handlers and the pages share.
//!
//! The problem-file reader (`requests.rs`) checks an entry with coded diagnostics (ranges,
//! references, the place rule); this type is its shape. An entry the reader accepts always
//! deserializes (tested below and in `tests/service_data.rs`); writing one back gives the
//! same JSON apart from key order.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a request came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Phone,
    Counter,
    /// A resident's application, accepted by a planner.
    Online,
}

impl Channel {
    /// The key in files and the API: `phone`, `counter`, `online`.
    pub fn key(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Counter => "counter",
            Channel::Online => "online",
        }
    }
}

/// The resident's name and phone: private, shown to staff only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resident {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub phone: Option<String>,
}

/// A home visit's place (private): WGS84 degrees and an optional address for the crew.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Home {
    pub lon: f64,
    pub lat: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub address: Option<String>,
}

/// A request entry. Exactly one of `stop` and `home` is set in a valid entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestEntry {
    pub id: String,
    /// A service kind id.
    pub kind: String,
    /// A stop id (a visit at a hall).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub stop: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub home: Option<Home>,
    /// Service time in minutes (1–480); the kind's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub minutes: Option<u32>,
    /// The first and last date on which to serve (inclusive).
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
    /// Weekday keys (`mon` … `sun`, `weekdays`, `daily`): a soft wish.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub preferred_weekdays: Option<Vec<String>>,
    /// `["HH:MM", "HH:MM"]`: a soft wish.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub preferred_time: Option<[String; 2]>,
    /// 1 (low) – 5 (urgent); 3 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub priority: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub resident: Option<Resident>,
    /// Private free text for the crew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub channel: Option<Channel>,
    /// The remote person the session must be with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub remote: Option<String>,
    /// The earlier request this one follows up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub follow_up_of: Option<String>,
}

/// What of a request is kept without personal data (a cancelled request's record): a
/// home visit keeps only that it was one, not where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub home: bool,
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
}

impl RequestEntry {
    /// The request without personal data.
    pub fn summary(&self) -> RequestSummary {
        RequestSummary {
            kind: self.kind.clone(),
            stop: self.stop.clone(),
            home: self.home.is_some(),
            earliest: self.earliest,
            latest: self.latest,
            channel: self.channel,
        }
    }

    /// The resident's name, or "".
    pub fn resident_name(&self) -> &str {
        self.resident.as_ref().and_then(|r| r.name.as_deref()).unwrap_or_default()
    }

    /// The resident's phone number, or "".
    pub fn resident_phone(&self) -> &str {
        self.resident.as_ref().and_then(|r| r.phone.as_deref()).unwrap_or_default()
    }

    /// The private note, or "".
    pub fn note_text(&self) -> &str {
        self.note.as_deref().unwrap_or_default()
    }

    /// The stop id, or "" for a home visit.
    pub fn stop_id(&self) -> &str {
        self.stop.as_deref().unwrap_or_default()
    }

    /// Whether the request came in as an online application.
    pub fn is_online(&self) -> bool {
        self.channel == Some(Channel::Online)
    }

    /// The entry as the JSON the reader checks.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a request entry is plain data")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_entry_reads_and_writes_the_documented_json_unchanged() {
        let documented = json!({ "id": "R001", "kind": "medical", "stop": "F006", "minutes": 30,
            "earliest": "2026-12-07", "latest": "2026-12-18",
            "preferred_weekdays": ["tue", "thu"], "preferred_time": ["09:00", "12:00"],
            "priority": 4, "resident": { "name": "山田 花子", "phone": "0277-00-0000" },
            "note": "車椅子", "channel": "phone", "remote": "dr-1", "follow_up_of": "R000" });
        let entry: RequestEntry = serde_json::from_value(documented.clone()).unwrap();
        assert_eq!((entry.resident_name(), entry.resident_phone()), ("山田 花子", "0277-00-0000"));
        assert_eq!(entry.earliest, NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert_eq!(entry.to_value(), documented);
        let home = json!({ "id": "R002", "kind": "medical", "home": { "lon": 139.36, "lat": 36.55 },
            "earliest": "2026-12-07", "latest": "2026-12-11" });
        let entry: RequestEntry = serde_json::from_value(home.clone()).unwrap();
        assert_eq!((entry.stop_id(), entry.resident_name(), entry.is_online()), ("", "", false));
        assert_eq!(entry.to_value(), home);
    }

    #[test]
    fn an_unknown_key_or_channel_is_refused() {
        let base = json!({ "id": "R1", "kind": "k", "stop": "s", "earliest": "2026-12-07", "latest": "2026-12-07" });
        let mut extra = base.clone();
        extra["colour"] = json!("red");
        assert!(serde_json::from_value::<RequestEntry>(extra).is_err());
        let mut channel = base;
        channel["channel"] = json!("fax");
        assert!(serde_json::from_value::<RequestEntry>(channel).is_err());
    }
}
