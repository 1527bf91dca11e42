//! Problems built in code for the solver's integration tests (each test binary uses a part).
#![allow(dead_code)]

use junkai_solver::matrix::{GreatCircleConfig, TravelMatrix, great_circle_matrix};
use junkai_solver::model::*;
use junkai_solver::units::{Seconds, TimeWindow};

pub fn hm(h: i64, m: i64) -> Seconds {
    Seconds::from_hm(h, m)
}

pub fn window(a: (i64, i64), b: (i64, i64)) -> TimeWindow {
    TimeWindow::new(hm(a.0, a.1), hm(b.0, b.1))
}

pub fn weekdays(w: Vec<TimeWindow>) -> [Vec<TimeWindow>; 7] {
    [w.clone(), w.clone(), w.clone(), w.clone(), w, vec![], vec![]]
}

pub fn kinds() -> Vec<ServiceKind> {
    vec![
        ServiceKind {
            id: "admin".into(),
            name: "手続・相談".into(),
            equipment: EquipmentSet::single(0),
            default_service: Seconds::from_minutes(20),
            class: None,
            remote_kind: None,
        },
        ServiceKind {
            id: "medical".into(),
            name: "オンライン診療".into(),
            equipment: EquipmentSet::single(1),
            default_service: Seconds::from_minutes(30),
            class: None,
            remote_kind: None,
        },
        ServiceKind {
            id: "class".into(),
            name: "スマホ教室".into(),
            equipment: EquipmentSet::single(0),
            default_service: Seconds::ZERO,
            class: Some(ClassSpec { length: Seconds::from_minutes(90), seats: 3 }),
            remote_kind: None,
        },
    ]
}

pub fn vehicle(id: &str, equipment: usize) -> Vehicle {
    let shift = Some(window((8, 30), (17, 15)));
    Vehicle {
        id: id.into(),
        name: id.into(),
        equipment: EquipmentSet::single(equipment),
        depot: 0,
        shifts: [shift, shift, shift, shift, shift, None, None],
        lunch: Some(BreakRule { window: window((11, 30), (13, 30)), length: Seconds::from_minutes(45) }),
        max_work: hm(7, 45),
        max_consultations: 12,
        max_seats: 6,
        out_of_service: Vec::new(),
    }
}

pub fn stop(i: usize, lon: f64, lat: f64, mountainous: bool) -> Stop {
    let mut hosts = KindSet::default();
    for k in 0..3 {
        hosts.insert(k);
    }
    Stop {
        id: format!("S{i}"),
        name: format!("集会所{i}"),
        reading: String::new(),
        district: "azuma".into(),
        mountainous,
        location: Point::new(lon, lat),
        windows: weekdays(vec![window((9, 0), (12, 0)), window((13, 0), (16, 30))]),
        hosts,
        rule: VisitRule { min_per_week: 1, max_per_week: 2, min_gap_days: 2, weekdays: WeekdaySet::ALL },
        min_stay: Seconds::from_minutes(30),
        closed: Vec::new(),
        fixed_visits: Vec::new(),
    }
}

pub fn request(i: usize, kind: usize, stop: usize, earliest: u32, latest: u32) -> Request {
    Request {
        id: format!("R{i}"),
        kind,
        place: Place::Stop(stop),
        service: Seconds::from_minutes(if kind == 1 { 30 } else { 20 }),
        earliest_day: earliest,
        latest_day: latest,
        preferred_weekdays: WeekdaySet::ALL,
        preferred_time: None,
        priority: 3,
        remote: None,
    }
}

/// Two units, four hill stops, a handful of requests of every kind and a home visit.
pub fn tiny() -> Problem {
    let stops = vec![
        stop(0, 139.33, 36.55, true),
        stop(1, 139.35, 36.54, true),
        stop(2, 139.32, 36.52, true),
        stop(3, 139.29, 36.45, false),
    ];
    let mut requests = vec![
        request(0, 0, 0, 0, 4),
        request(1, 1, 0, 0, 4),
        request(2, 1, 1, 2, 3),
        request(3, 2, 2, 0, 4),
        request(4, 2, 2, 0, 4),
        request(5, 0, 3, 1, 1),
    ];
    let mut home = request(6, 1, 0, 0, 4);
    home.place = Place::Home(Point::new(139.34, 36.56));
    requests.push(home);
    Problem::new(ProblemParts {
        equipment: vec!["admin".into(), "medical".into()],
        kinds: kinds(),
        depots: vec![Depot { id: "D".into(), name: "東支所".into(), location: Point::new(139.324, 36.554) }],
        stops,
        vehicles: vec![vehicle("gyosei", 0), vehicle("iryo", 1)],
        requests,
        horizon: Horizon::from_weekdays(1, WeekdaySet::MON_TO_FRI),
        ..ProblemParts::default()
    })
    .expect("valid tiny problem")
}

pub fn matrix(problem: &Problem) -> TravelMatrix {
    let flags: Vec<bool> = (0..problem.locations().len()).map(|l| problem.location_is_mountainous(l)).collect();
    great_circle_matrix(problem.locations(), &flags, &GreatCircleConfig::default())
}
