//! The planners' list of requests: each stored request (and each online application still
//! waiting) with its place, service, dates, contact, and its state in the newest plan —
//! scheduled when and by which unit, unserved with the reason, or not planned yet. Also as
//! CSV that Excel opens ([`excel_csv`]).

use super::excel_csv::excel_csv;
use super::plan_view::PlanView;
use super::problem_file::{Channel, Named, RequestEntry, RequestSummary, StopEntry, name_of};
use crate::lang::{Lang, Text};

/// Where a request stands in the announced calendar (or in a draft).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowState {
    Scheduled {
        date: String,
        from: String,
        to: String,
        unit: String,
    },
    Unserved {
        code: String,
        reason: Text,
    },
    /// Not in the announced calendar (made after it, or nothing announced yet).
    Unplanned,
    /// An online application waiting for a planner.
    Pending,
    /// Cancelled by staff: when (`YYYY-MM-DD`) and why.
    Cancelled {
        on: String,
        reason: String,
    },
}

/// A cancelled request as the list shows it: its id and summary (no personal data), the
/// day it was cancelled and the reason.
pub struct CancelledRequest {
    pub id: String,
    pub summary: RequestSummary,
    pub on: String,
    pub reason: String,
}

impl RowState {
    /// The filter key: `scheduled`, `unserved`, `unplanned`, `pending`, `cancelled`.
    pub fn key(&self) -> &'static str {
        match self {
            RowState::Scheduled { .. } => "scheduled",
            RowState::Unserved { .. } => "unserved",
            RowState::Unplanned => "unplanned",
            RowState::Pending => "pending",
            RowState::Cancelled { .. } => "cancelled",
        }
    }

    pub fn label(&self, lang: Lang) -> String {
        let pick = |ja: &str, en: &str| if lang == Lang::Ja { ja.to_string() } else { en.to_string() };
        match self {
            RowState::Scheduled { date, from, to, unit } => match lang {
                Lang::Ja => format!("予定あり {date} {from}–{to}（{unit}）"),
                Lang::En => format!("scheduled {date} {from}–{to} ({unit})"),
            },
            RowState::Unserved { code, reason } => match lang {
                Lang::Ja => format!("未対応: {}（{code}）", reason.ja),
                Lang::En => format!("unserved: {} ({code})", reason.en),
            },
            RowState::Unplanned => pick("未計画", "not planned yet"),
            RowState::Pending => pick("確認待ち（オンライン申し込み）", "waiting (online application)"),
            RowState::Cancelled { on, reason } => match lang {
                Lang::Ja => format!("取消 {on}（{reason}）"),
                Lang::En => format!("cancelled {on} ({reason})"),
            },
        }
    }
}

/// One row of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRow {
    pub id: String,
    pub stop_id: String,
    /// The hall's name, or 自宅 / home for a home visit.
    pub place: String,
    pub district: String,
    pub kind: String,
    pub kind_name: String,
    pub earliest: String,
    pub latest: String,
    pub name: String,
    pub phone: String,
    pub note: String,
    pub channel: String,
    /// Where it stands in the announced calendar (what the resident is told).
    pub state: RowState,
    /// Where it would stand in the newest unpublished draft, when that differs.
    pub draft: Option<RowState>,
}

/// The state of each request id in `plan`.
fn plan_state(plan: Option<&PlanView>, id: &str, today: chrono::NaiveDate) -> RowState {
    let Some(plan) = plan else { return RowState::Unplanned };
    if let Some((day, route, v)) = plan.next_visit_of(id, today) {
        let (from, to) = v.published.clone();
        return RowState::Scheduled { date: day.date.to_string(), from, to, unit: route.vehicle_name.clone() };
    }
    match plan.unserved.iter().find(|u| u.id == id) {
        Some(u) => RowState::Unserved { code: u.code.clone(), reason: u.reason.clone() },
        None => RowState::Unplanned,
    }
}

/// The plans a request's state is read from: the announced calendar as one plan, and the
/// newest draft not yet published (if any).
#[derive(Clone, Copy, Default)]
pub struct StateSources<'a> {
    pub announced: Option<&'a PlanView>,
    pub draft: Option<&'a PlanView>,
    /// A request with visits on either side of today shows the one ahead.
    pub today: chrono::NaiveDate,
}

/// The rows of `requests` (stored) and `pending` (waiting applications), with the names
/// of `stops` and `kinds` (problem-file entries) in `lang`.
pub fn request_rows(
    requests: &[RequestEntry],
    pending: &[RequestEntry],
    cancelled: &[CancelledRequest],
    stops: &[StopEntry],
    kinds: &[Named],
    plans: StateSources,
    lang: Lang,
) -> Vec<RequestRow> {
    // `private` is the stored request (name, phone, note) where there is one.
    let row = |id: &str, s: &RequestSummary, private: Option<&RequestEntry>, state: RowState| {
        let stop = stops.iter().find(|x| s.stop.as_ref() == Some(&x.id));
        let home = if lang == Lang::Ja { "自宅" } else { "home" };
        let private_text = |f: fn(&RequestEntry) -> &str| private.map_or("", f).to_string();
        RequestRow {
            id: id.to_string(),
            stop_id: s.stop.clone().unwrap_or_default(),
            place: if s.home { home.to_string() } else { stop.map_or_else(String::new, |x| x.name.clone()) },
            district: stop.map_or("", StopEntry::district_text).to_string(),
            kind: s.kind.clone(),
            kind_name: name_of(kinds, &s.kind, lang).to_string(),
            earliest: s.earliest.to_string(),
            latest: s.latest.to_string(),
            name: private_text(RequestEntry::resident_name),
            phone: private_text(RequestEntry::resident_phone),
            note: private_text(RequestEntry::note_text),
            channel: s.channel.map_or("", Channel::key).to_string(),
            state,
            draft: None,
        }
    };
    let stored = requests.iter().map(|r| {
        let mut row = row(&r.id, &r.summary(), Some(r), plan_state(plans.announced, &r.id, plans.today));
        // A request the draft does not mention (served on other dates) is not its change.
        row.draft = plans
            .draft
            .map(|d| plan_state(Some(d), &r.id, plans.today))
            .filter(|d| *d != row.state && *d != RowState::Unplanned);
        row
    });
    let waiting = pending.iter().map(|r| row(&r.id, &r.summary(), Some(r), RowState::Pending));
    let gone = cancelled.iter().map(|c| {
        let state = RowState::Cancelled { on: c.on.clone(), reason: c.reason.clone() };
        row(&c.id, &c.summary, None, state)
    });
    stored.chain(waiting).chain(gone).collect()
}

/// The share of requests that came in as online applications (the city's KPI
/// オンラインでの事前申請割合, target 30 %): `(online, all)`, waiting applications included.
pub fn online_share(rows: &[RequestRow]) -> (usize, usize) {
    let online = rows.iter().filter(|r| r.channel == "online" || r.state == RowState::Pending).count();
    (online, rows.len())
}

/// The rows as CSV for Excel.
pub fn request_rows_csv(rows: &[RequestRow], lang: Lang) -> Vec<u8> {
    let header = match lang {
        Lang::Ja => [
            "予約番号",
            "状況",
            "場所",
            "地区",
            "サービス",
            "いつから",
            "いつまで",
            "氏名",
            "電話番号",
            "メモ",
            "受付経路",
            "下書きでは",
        ],
        Lang::En => [
            "id",
            "state",
            "place",
            "district",
            "service",
            "earliest",
            "latest",
            "name",
            "phone",
            "note",
            "channel",
            "in the draft",
        ],
    };
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.state.label(lang),
                r.place.clone(),
                r.district.clone(),
                r.kind_name.clone(),
                r.earliest.clone(),
                r.latest.clone(),
                r.name.clone(),
                r.phone.clone(),
                r.note.clone(),
                r.channel.clone(),
                r.draft.as_ref().map(|d| d.label(lang)).unwrap_or_default(),
            ]
        })
        .collect();
    excel_csv(&header, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_carry_names_and_states_and_the_csv_is_safe_for_excel() {
        let stops =
            [serde_json::from_value::<StopEntry>(json!({ "id": "konaka", "name": "小中集会所", "district": "東町",
            "lon": 139.3, "lat": 36.5, "windows": {}, "hosts": ["admin"] }))
            .unwrap()];
        let kinds = [Named { id: "admin".into(), name: "手続・相談".into(), name_en: "Procedures".into() }];
        let entry = |v| serde_json::from_value::<RequestEntry>(v).unwrap();
        let requests = [entry(json!({ "id": "R1", "kind": "admin", "stop": "konaka", "earliest": "2026-12-07",
                                "latest": "2026-12-11", "resident": { "name": "=HYPERLINK(\"x\")", "phone": "0277" } }))];
        let pending = [entry(
            json!({ "id": "W-1", "kind": "admin", "stop": "konaka", "earliest": "2026-12-08", "latest": "2026-12-09" }),
        )];
        let rows = request_rows(&requests, &pending, &[], &stops, &kinds, StateSources::default(), Lang::Ja);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].place.as_str(), rows[0].state.key()), ("小中集会所", "unplanned"));
        assert_eq!(rows[1].state, RowState::Pending);
        let csv = request_rows_csv(&rows, Lang::Ja);
        assert!(csv.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
        let text = String::from_utf8(csv[3..].to_vec()).unwrap();
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "formulas are inert: {text}");
        assert!(text.lines().count() == 3 && text.contains("\r\n"));
        let mut reader = csv::Reader::from_reader(&csv[3..]);
        assert_eq!(reader.records().count(), 2, "it reads back as two records");
    }
}
