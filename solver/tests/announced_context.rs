//! Plans that start from what is announced around them: visits announced outside the
//! plan (the week before, the week after, days that have passed) count toward each stop's
//! visit rule — spacing across the week boundary, and the weekly minimum and maximum —
//! with the MIP and with the greedy assignment, and the independent checker enforces it.

mod common;

use junkai_solver::check::check;
use junkai_solver::model::{Problem, ProblemParts};
use junkai_solver::plan::{Plan, VisitPlace};
use junkai_solver::weekly::{AssignmentMethod, PlanParams, plan};

fn methods() -> [PlanParams; 2] {
    let mip = AssignmentMethod::Mip { time_limit: std::time::Duration::from_millis(500) };
    [
        PlanParams { assignment: mip, ..PlanParams::default() },
        PlanParams { assignment: AssignmentMethod::Greedy, ..PlanParams::default() },
    ]
}

/// The tiny week with a hall (stop 4) that only its rule brings a visit to: at least one
/// a week, at most `max`, `gap` days apart; visits announced on `fixed` ordinals.
fn with_hall(max: u32, gap: u32, fixed: Vec<i64>, first_open: u32) -> Problem {
    let mut parts: ProblemParts = common::tiny().parts().clone();
    let mut hall = common::stop(4, 139.31, 36.50, true);
    hall.rule.max_per_week = max;
    hall.rule.min_gap_days = gap;
    hall.fixed_visits = fixed;
    parts.stops.push(hall);
    parts.horizon.first_open = first_open;
    Problem::new(parts).unwrap()
}

fn planned(problem: &Problem, params: &PlanParams) -> Plan {
    let p = plan(problem, &common::matrix(problem), params, &mut |_| {});
    let violations = check(problem, &common::matrix(problem), &p);
    assert!(violations.is_empty(), "{violations:#?}");
    p
}

fn hall_days(p: &Plan) -> Vec<u32> {
    p.visits().filter(|(_, _, v)| v.place == VisitPlace::Stop(4)).map(|(d, _, _)| d.ordinal).collect()
}

#[test]
fn a_visit_announced_last_friday_keeps_its_spacing_into_monday() {
    for params in methods() {
        // Four days apart at least; last Friday is day -3, so Monday (0) is too close.
        let problem = with_hall(2, 4, vec![-3], 0);
        let p = planned(&problem, &params);
        let days = hall_days(&p);
        assert_eq!(days.len(), 1, "{:?}: the weekly minimum is met: {days:?}", params.assignment);
        assert!(days.iter().all(|&d| d >= 1), "{:?}: {days:?}", params.assignment);
        // Without the announced visit Monday is allowed, and the same plan checks.
        let free = with_hall(2, 4, Vec::new(), 0);
        assert!(check(&free, &common::matrix(&free), &p).is_empty());
    }
}

#[test]
fn a_visit_on_a_day_that_has_passed_counts_toward_the_week() {
    for params in methods() {
        // Monday has passed and had the hall's visit; the week needs no other.
        let p = planned(&with_hall(1, 1, vec![0], 1), &params);
        assert!(hall_days(&p).is_empty(), "{:?}: {:?}", params.assignment, hall_days(&p));
        assert!(p.shortfalls.iter().all(|s| s.stop != 4), "{:?}", p.shortfalls);
        // Without it, the hall gets its visit on a day still ahead.
        let p = planned(&with_hall(1, 1, Vec::new(), 1), &params);
        assert!(hall_days(&p).iter().all(|&d| d >= 1) && hall_days(&p).len() == 1, "{:?}", hall_days(&p));
    }
}

#[test]
fn the_checker_refuses_a_visit_too_close_to_an_announced_one_or_over_the_week_maximum() {
    let free = with_hall(1, 1, Vec::new(), 0);
    let p = planned(&free, &methods()[0]);
    let day = *hall_days(&p).first().expect("the hall is visited");
    // The same plan, with a visit announced the day before (gap 2) or the same week (max 1).
    let close = with_hall(1, 2, vec![i64::from(day) - 1], 0);
    assert!(check(&close, &common::matrix(&close), &p).iter().any(|v| v.to_string().contains("closer than")));
    let full = with_hall(1, 1, vec![i64::from(day / 7 * 7 + (day + 3) % 7)], 0);
    assert!(check(&full, &common::matrix(&full), &p).iter().any(|v| v.to_string().contains("at most")));
}

#[test]
fn a_request_kept_from_its_only_day_by_an_announced_visit_is_refused_for_the_visit_rule() {
    let mut parts: ProblemParts = with_hall(2, 4, vec![-3], 0).parts().clone();
    // Monday only, at the hall last visited on Friday.
    parts.requests.push(common::request(50, 0, 4, 0, 0));
    let problem = Problem::new(parts).unwrap();
    let request = problem.requests().len() - 1;
    for params in methods() {
        let p = planned(&problem, &params);
        let refused = p.unserved.iter().find(|u| u.request == request);
        assert_eq!(
            refused.map(|u| u.reason),
            Some(junkai_solver::plan::UnservedReason::VisitLimit),
            "{:?}: {:?}",
            params.assignment,
            p.unserved
        );
    }
}
