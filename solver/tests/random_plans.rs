//! Property tests: plans for random small problems, with halls closed and units out of
//! service on random days, always pass the independent checker, and every request is
//! either served or reported unserved with a reason; so do plans where several units share
//! a few doctors with short online hours, days off and a buffer between sessions.

mod common;

use junkai_solver::check::check;
use junkai_solver::model::*;
use junkai_solver::units::{Seconds, TimeWindow};
use junkai_solver::weekly::{PlanParams, plan};
use proptest::prelude::*;

/// A stop: (dx, dy, mountainous, min per week, extra max per week, min gap days).
type StopSpec = (f64, f64, bool, u32, u32, u32);

#[derive(Debug, Clone)]
struct Spec {
    /// Each stop with the day ordinals it is closed.
    stops: Vec<(StopSpec, Vec<u32>)>,
    requests: Vec<(usize, usize, u32, u32, i64, u8, bool)>,
    units: Vec<(usize, Vec<u32>)>,
    weeks: u32,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(
            ((0.0..0.15f64, 0.0..0.15f64, any::<bool>(), 0..3u32, 1..4u32, 0..3u32), days_off()),
            1..7,
        ),
        prop::collection::vec(
            (0..3usize, 0..7usize, 0..14u32, 0..6u32, 5..120i64, 1..6u8, prop::bool::weighted(0.1)),
            0..25,
        ),
        prop::collection::vec((0..3usize, days_off()), 1..4),
        1..3u32,
    )
        .prop_map(|(stops, requests, units, weeks)| Spec { stops, requests, units, weeks })
}

/// A few day ordinals of a two-week horizon (closures, days out of service).
fn days_off() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::btree_set(0..14u32, 0..3).prop_map(|days| days.into_iter().collect())
}

fn build(s: &Spec) -> Problem {
    let stops: Vec<Stop> = s
        .stops
        .iter()
        .enumerate()
        .map(|(i, ((dx, dy, hill, min, extra, gap), closed))| {
            let mut st = common::stop(i, 139.25 + dx, 36.40 + dy, *hill);
            st.closed = closed.clone();
            st.rule.min_per_week = *min;
            st.rule.max_per_week = min + extra;
            st.rule.min_gap_days = *gap;
            st
        })
        .collect();
    let requests = s
        .requests
        .iter()
        .enumerate()
        .map(|(i, &(kind, stop, earliest, span, minutes, priority, home))| {
            let mut r = common::request(i, kind, stop % stops.len(), earliest, earliest + span);
            r.service = Seconds::from_minutes(minutes);
            r.priority = priority;
            if home {
                r.place = Place::Home(Point::new(139.3, 36.5));
            }
            r
        })
        .collect();
    let vehicles = s
        .units
        .iter()
        .enumerate()
        .map(|(i, (e, out))| {
            let mut v = common::vehicle(&format!("u{i}"), (*e).min(1));
            v.out_of_service = out.clone();
            if *e == 2 {
                v.equipment = EquipmentSet(0b11);
            }
            v
        })
        .collect();
    Problem::new(ProblemParts {
        equipment: vec!["admin".into(), "medical".into()],
        kinds: common::kinds(),
        depots: vec![Depot { id: "D".into(), name: "庁舎".into(), location: Point::new(139.28, 36.42) }],
        stops,
        vehicles,
        requests,
        horizon: Horizon::from_weekdays(s.weeks, WeekdaySet::MON_TO_FRI),
        ..ProblemParts::default()
    })
    .expect("generated problems are valid")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_plans_pass_the_checker(s in spec()) {
        let problem = build(&s);
        let m = common::matrix(&problem);
        let params = PlanParams { assignment: junkai_solver::weekly::AssignmentMethod::Mip { time_limit: std::time::Duration::from_millis(300) }, ..PlanParams::default() };
        let p = plan(&problem, &m, &params, &mut |_| {});
        let violations = check(&problem, &m, &p);
        prop_assert!(violations.is_empty(), "{:#?}", violations);
    }
}

/// A doctor: (first online hour, hours online, days off, sessions at once).
type DoctorSpec = (i64, i64, Vec<u32>, u32);

/// A random problem of [`spec`] whose consultations (kind 1) need one of `doctors`, some
/// requests naming their own, with a buffer of `buffer` minutes and every unit medical.
fn with_doctors(s: &Spec, doctors: &[DoctorSpec], buffer: i64, named: &[bool]) -> Problem {
    let mut parts = build(s).parts().clone();
    parts.kinds[1].remote_kind = Some("doctor".into());
    parts.remote = doctors
        .iter()
        .enumerate()
        .map(|(i, (from, hours, off, concurrent))| RemoteResource {
            id: format!("dr{i}"),
            name: format!("医師{i}"),
            kind: "doctor".into(),
            organisation: format!("診療所{i}"),
            contact: String::new(),
            hours: std::array::from_fn(|d| {
                let online = TimeWindow::new(Seconds::from_hm(*from, 0), Seconds::from_hm(from + hours, 0));
                if d < 5 { vec![online] } else { Vec::new() }
            }),
            days_off: off.clone(),
            concurrent: *concurrent,
        })
        .collect();
    parts.session_buffer = Seconds::from_minutes(buffer);
    for (r, request) in parts.requests.iter_mut().enumerate() {
        if request.kind == 1 && named.get(r).copied().unwrap_or(false) {
            request.remote = Some(r % doctors.len());
        }
    }
    for v in &mut parts.vehicles {
        v.equipment = EquipmentSet(0b11);
    }
    Problem::new(parts).expect("generated problems with doctors are valid")
}

fn doctors() -> impl Strategy<Value = Vec<DoctorSpec>> {
    prop::collection::vec((8..15i64, 1..3i64, days_off(), prop::sample::select(vec![1u32, 1, 2])), 1..3)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn plans_with_shared_doctors_pass_the_checker(
        s in spec(),
        doctors in doctors(),
        buffer in 0..15i64,
        named in prop::collection::vec(prop::bool::weighted(0.3), 25),
    ) {
        let problem = with_doctors(&s, &doctors, buffer, &named);
        let m = common::matrix(&problem);
        let params = PlanParams { assignment: junkai_solver::weekly::AssignmentMethod::Mip { time_limit: std::time::Duration::from_millis(300) }, ..PlanParams::default() };
        let p = plan(&problem, &m, &params, &mut |_| {});
        let violations = check(&problem, &m, &p);
        prop_assert!(violations.is_empty(), "{:#?}", violations);
        let sessions: usize = p.visits().map(|(_, _, v)| v.sessions.len()).sum();
        let served_remote: usize = p.visits().map(|(_, _, v)| v.requests.iter().filter(|&&r| problem.needs_remote(r)).count()).sum();
        prop_assert_eq!(sessions, served_remote);
    }
}
