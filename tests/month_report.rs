//! The month's planned-against-actual report on a fixture month whose every figure was
//! worked out by hand (the comments give the arithmetic).

use chrono::NaiveDate;
use junkai::io::crew_record::{CrewEntry, Field, StoredEntry};
use junkai::io::month_report::{PlanDays, ReportInput, RequestFact, month_report};
use serde_json::json;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Two December days of 行政MaaS and one November day with a class.
fn plan() -> PlanDays {
    let visit = |stop: &str,
                 district: &str,
                 mountain: bool,
                 arrival: &str,
                 end: &str,
                 window: (&str, &str),
                 class: bool,
                 requests: &[(&str, &str)]| {
        json!({ "stop_id": stop, "district": district, "mountainous": mountain, "arrival": arrival, "end": end,
                "published": [window.0, window.1], "class": if class { json!(["class", "スマホ教室"]) } else { json!(null) },
                "requests": requests.iter().map(|(id, kind)| json!({ "id": id, "kind": kind, "kind_name": kind })).collect::<Vec<_>>() })
    };
    let route = |dep: &str, ret: &str, km: f64, visits: Vec<serde_json::Value>| json!({ "vehicle_id": "gyosei", "departure": dep, "return_time": ret, "distance_km": km, "visits": visits });
    serde_json::from_value(json!({ "days": [
        { "date": "2026-11-26", "routes": [route("08:30", "12:00", 10.0, vec![
            visit("godo", "東町", true, "09:00", "10:00", ("09:00", "10:00"), true, &[])])] },
        { "date": "2026-12-08", "routes": [route("08:30", "16:00", 40.0, vec![
            visit("konaka", "東町", true, "09:10", "10:00", ("09:15", "10:00"), false, &[("R1", "admin"), ("R2", "admin")]),
            visit("nagaone", "大間々町", false, "10:40", "11:30", ("10:45", "11:30"), true, &[("R3", "class")])])] },
        { "date": "2026-12-10", "routes": [route("08:30", "12:00", 20.0, vec![
            visit("zama", "東町", true, "09:00", "09:30", ("09:00", "09:30"), false, &[("R4", "admin")])])] },
    ] }))
    .unwrap()
}

fn entries() -> Vec<StoredEntry> {
    let rows = [
        ("2026-11-26", 1, Field::Attendance, "", "12", "10:00", ("09:00", "10:00")),
        ("2026-12-08", 1, Field::Arrival, "", "09:12", "09:12", ("09:15", "10:00")),
        ("2026-12-08", 1, Field::Outcome, "R1", "done", "09:20", ("09:15", "10:00")),
        ("2026-12-08", 1, Field::Outcome, "R2", "no_show", "09:30", ("09:15", "10:00")),
        ("2026-12-08", 1, Field::Outcome, "R2", "postponed", "09:40", ("09:15", "10:00")),
        ("2026-12-08", 1, Field::Departure, "", "10:00", "10:00", ("09:15", "10:00")),
        ("2026-12-08", 2, Field::Arrival, "", "10:55", "10:55", ("10:45", "11:30")),
        ("2026-12-08", 2, Field::Attendance, "", "8", "11:30", ("10:45", "11:30")),
        ("2026-12-08", 2, Field::Outcome, "R3", "done", "11:31", ("10:45", "11:30")),
        ("2026-12-08", 2, Field::Departure, "", "11:40", "11:40", ("10:45", "11:30")),
        // Two phones: 09:35 first, corrected to 09:40 a little later.
        ("2026-12-10", 1, Field::Arrival, "", "09:35", "09:35", ("09:00", "09:30")),
        ("2026-12-10", 1, Field::Arrival, "", "09:40", "09:41", ("09:00", "09:30")),
    ];
    rows.iter()
        .enumerate()
        .map(|(i, (day, order, field, request, value, at, window))| StoredEntry {
            entry: CrewEntry {
                client_id: format!("fixture-{i:04}"),
                date: day.to_string(),
                unit_id: "gyosei".into(),
                stop_order: *order,
                stop_id: None,
                field: *field,
                request_id: request.to_string(),
                value: value.to_string(),
                note: String::new(),
                recorded_at: format!("{day}T{at}:00+09:00"),
            },
            received_at: String::new(),
            sequence: i as i64,
            actor: "user:driver".into(),
            published: (window.0.to_string(), window.1.to_string()),
        })
        .collect()
}

fn requests() -> Vec<RequestFact> {
    let fact = |id: &str, received: &str, online: bool, district: &str| RequestFact {
        id: id.into(),
        received: date(received),
        online,
        district: district.into(),
        follow_up: false,
    };
    vec![
        fact("R1", "2026-12-01", true, "東町"),
        fact("R2", "2026-12-02", false, "東町"),
        fact("R3", "2026-11-20", true, "大間々町"),
        fact("R4", "2026-12-05", false, "東町"),
        fact("R5", "2026-12-03", true, "東町"),
        // R2 booked again after the visit: not a new request.
        RequestFact { follow_up: true, ..fact("R2-F1", "2026-12-08", false, "東町") },
    ]
}

#[test]
fn the_fixture_month_gives_the_hand_computed_figures() {
    let (plan, entries, requests) = (plan(), entries(), requests());
    let input = ReportInput {
        month: date("2026-12-01"),
        district: None,
        days: &plan.days,
        entries: &entries,
        requests: &requests,
    };
    let r = month_report(&input);
    // Received in December: R1, R2, R4, R5; online R1 and R5.
    assert_eq!((r.requests_received, r.online_received), (4, 2));
    assert_eq!(r.online_share(), Some(0.5));
    // Booked R1–R4: R1 and R3 done, R2 postponed (its latest outcome), R4 not recorded.
    assert_eq!((r.bookings_planned, r.done, r.no_show, r.cancelled, r.postponed, r.unrecorded), (4, 2, 0, 0, 1, 1));
    // R1 waited 12-01 → 12-08 = 7 days, R3 11-20 → 12-08 = 18: mean 12.5.
    assert_eq!(r.mean_waiting_days, Some(12.5));
    // 09:12 by 09:15 on time; 10:55 in 10:45–11:30 late (10 min); 09:40 after 09:00–09:30 (40 min).
    let p = &r.punctuality;
    assert_eq!((r.visits_planned, p.recorded, p.on_time, p.late_in_window, p.after_window), (3, 3, 1, 1, 1));
    assert_eq!(p.delay_buckets, [1, 0, 1, 0, 1]);
    // 08:30–16:00 and 08:30–12:00: 11 h; 40 + 20 km, both days run.
    assert_eq!((r.routes_planned, r.routes_run), (2, 2));
    assert!(
        (r.unit_hours_planned - 11.0).abs() < 1e-9
            && (r.km_planned - 60.0).abs() < 1e-9
            && (r.km_run - 60.0).abs() < 1e-9
    );
    // On site on 12-08: 09:12–11:40 recorded (2 h 28), 09:10–11:30 planned (2 h 20); 12-10 has no departure.
    assert!((r.on_site_hours_recorded - 148.0 / 60.0).abs() < 1e-9, "{}", r.on_site_hours_recorded);
    assert!((r.on_site_hours_planned - 140.0 / 60.0).abs() < 1e-9);
    // Mountain stops of December: 小中 (konaka) and 座間 (zama), both visited.
    assert_eq!((r.mountain_stops_planned, r.mountain_stops_visited), (2, 2));
    // Classes: 8 in December; 12 in November: the fiscal year so far is 20 (April–December).
    assert_eq!(r.class_participants, 8);
    assert_eq!(r.class_cumulative.len(), 9);
    assert_eq!(r.class_cumulative[7], ("2026-11".to_string(), 12));
    assert_eq!(r.class_cumulative[8], ("2026-12".to_string(), 20));
    // Open data: 東町 admin visited twice, one served; 大間々町 class once, one served, 8 came.
    let rows: Vec<(&str, &str, u32, u32, u32)> = r
        .open_data
        .iter()
        .map(|o| (o.district.as_str(), o.kind.as_str(), o.visits, o.served, o.participants))
        .collect();
    assert_eq!(rows, [("大間々町", "class", 1, 1, 8), ("東町", "admin", 2, 1, 0)]);
}

#[test]
fn one_district_counts_only_its_own() {
    let (plan, entries, requests) = (plan(), entries(), requests());
    let input = ReportInput {
        month: date("2026-12-01"),
        district: Some("東町"),
        days: &plan.days,
        entries: &entries,
        requests: &requests,
    };
    let r = month_report(&input);
    assert_eq!((r.requests_received, r.bookings_planned, r.done, r.visits_planned), (4, 3, 1, 2));
    assert_eq!(r.class_participants, 0);
    // 東町's class of November (godo) is its year so far.
    assert_eq!(r.class_cumulative.last(), Some(&("2026-12".to_string(), 12)));
}
