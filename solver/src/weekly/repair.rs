//! Repairs after routing, judged by routing itself rather than by the assignment's
//! workload estimate: move visits that a day could not take to another allowed day, and
//! fit requests the assignment turned away into the real routes where there is room.

use super::assign::Ledger;
use super::day_routing::RoutedDay;
use super::{Context, visits};
use crate::plan::{Unserved, UnservedReason, VisitShortfall};

/// Re-routes `day` with the ledger's current visits; keeps the result and returns `true`
/// when every visit and remote session fits, otherwise leaves `routed` unchanged and
/// returns `false`.
fn try_day(ctx: &Context, ledger: &Ledger, routed: &mut [RoutedDay], day: usize) -> bool {
    let attempt = ctx.resolve_day(ledger, day, &routed[day]);
    let fits = attempt.takes_everything();
    if fits {
        routed[day] = attempt;
    }
    fits
}

/// Moves each visit that routing dropped to another day that its requests and the stop's
/// rule allow and whose routes can take it without losing any visit; otherwise marks it
/// dropped for good.
pub fn move_dropped(ctx: &Context, ledger: &mut Ledger, routed: &mut [RoutedDay]) {
    let dropped: Vec<usize> = routed.iter().flat_map(|r| r.dropped.iter().copied()).collect();
    for visit in dropped {
        let from = ledger.visits[visit].day;
        ledger.visits[visit].dropped = true;
        routed[from].dropped.retain(|&v| v != visit);
        for day in repair_days(ctx, ledger, visit) {
            if day == from || !ledger.rule_allows(ledger.visits[visit].place, day) {
                continue;
            }
            ledger.visits[visit].day = day;
            ledger.visits[visit].dropped = false;
            if try_day(ctx, ledger, routed, day) {
                break;
            }
            ledger.visits[visit].dropped = true;
            ledger.visits[visit].day = from;
        }
    }
}

/// Re-homes each announced visit that routing had to give up (its unit out of service,
/// its window no longer open, ...): it keeps its place and requests but not its window or
/// unit, and goes on the nearest day of the same week (its own day first, on another
/// unit) that its requests and the stop's rule allow and whose routes take it without
/// losing any visit. When that fails and the stop would fall below its weekly minimum,
/// the visit is re-homed without its requests (they are fitted in afterwards like any
/// other). Visits that find no home stay dropped; returns the re-homed ones.
pub fn rehome(ctx: &Context, ledger: &mut Ledger, routed: &mut [RoutedDay], given_up: &[usize]) -> Vec<usize> {
    let mut rehomed = Vec::new();
    for &visit in given_up {
        let v = &mut ledger.visits[visit];
        v.lock = None;
        v.kept_sessions.clear();
        if move_within_week(ctx, ledger, routed, visit) {
            rehomed.push(visit);
            continue;
        }
        let (requests, class_kind) = (ledger.visits[visit].requests.clone(), ledger.visits[visit].class_kind);
        if requests.is_empty() || !below_minimum(ctx, ledger, visit) {
            continue;
        }
        ledger.visits[visit].requests.clear();
        ledger.visits[visit].class_kind = None;
        if move_within_week(ctx, ledger, routed, visit) {
            rehomed.push(visit);
        } else {
            ledger.visits[visit].requests = requests;
            ledger.visits[visit].class_kind = class_kind;
        }
    }
    rehomed
}

/// Brings every stop up to its weekly minimum around the visits already routed: each new
/// rule visit goes on the day the ledger picks, or else on the nearest day of its week
/// whose routes take it without losing a visit. Returns the weeks still short.
pub fn meet_minimums(ctx: &Context, ledger: &mut Ledger, routed: &mut [RoutedDay]) -> Vec<VisitShortfall> {
    let first_new = ledger.visits.len();
    let mut short = ledger.meet_minimums();
    for visit in first_new..ledger.visits.len() {
        if !try_day(ctx, ledger, routed, ledger.visits[visit].day) {
            ledger.visits[visit].dropped = true;
            move_within_week(ctx, ledger, routed, visit);
        }
    }
    short.extend(super::rule_shortfalls(ctx.problem, ledger, &short));
    short
}

/// Moves a dropped visit to the nearest day of its week (its own day first) whose routes
/// take it; `false` (and the visit left dropped on its day) when none does.
fn move_within_week(ctx: &Context, ledger: &mut Ledger, routed: &mut [RoutedDay], visit: usize) -> bool {
    let days = &ctx.problem.horizon().days;
    let from = ledger.visits[visit].day;
    let mut choices: Vec<usize> =
        repair_days(ctx, ledger, visit).into_iter().filter(|&d| days[d].week() == days[from].week()).collect();
    choices.sort_by_key(|&d| (days[d].ordinal.abs_diff(days[from].ordinal), days[d].ordinal));
    for day in choices {
        if !ledger.rule_allows(ledger.visits[visit].place, day) {
            continue;
        }
        ledger.visits[visit].day = day;
        ledger.visits[visit].dropped = false;
        if try_day(ctx, ledger, routed, day) {
            return true;
        }
        ledger.visits[visit].dropped = true;
    }
    ledger.visits[visit].day = from;
    false
}

/// Whether the stop of a dropped visit has fewer visits in its week than its rule's minimum.
fn below_minimum(ctx: &Context, ledger: &Ledger, visit: usize) -> bool {
    let v = &ledger.visits[visit];
    let crate::plan::VisitPlace::Stop(stop) = v.place else { return false };
    let week = ctx.problem.horizon().days[v.day].week();
    ledger.visits_in_week(v.place, week) < ctx.problem.stops()[stop].rule.min_per_week
}

/// Days a dropped visit may move to: days allowed for all its requests, or for a visit
/// without requests, the open days of the same week.
fn repair_days(ctx: &Context, ledger: &Ledger, visit: usize) -> Vec<usize> {
    let problem = ctx.problem;
    let v = &ledger.visits[visit];
    let days = &problem.horizon().days;
    if v.requests.is_empty() {
        let week = days[v.day].week();
        return (0..days.len())
            .filter(|&d| days[d].week() == week && visits::place_open(problem, v.place, days[d]))
            .collect();
    }
    let mut common: Option<Vec<usize>> = None;
    for &r in &v.requests {
        let allowed = ledger.candidate_days(r).unwrap_or_default();
        common = Some(match common {
            None => allowed,
            Some(c) => c.into_iter().filter(|d| allowed.contains(d)).collect(),
        });
    }
    common.unwrap_or_default()
}

/// Tries to serve requests refused for capacity, by the visit rule or for want of a remote
/// person: first by joining a
/// visit already at their place on an allowed day, then by opening a new visit where the
/// rule allows; each attempt is kept only if the day's routes still take every visit.
pub fn fill_unserved(ctx: &Context, ledger: &mut Ledger, routed: &mut [RoutedDay], unserved: &mut Vec<Unserved>) {
    let mut still = Vec::new();
    for u in std::mem::take(unserved) {
        let retry =
            matches!(u.reason, UnservedReason::Capacity | UnservedReason::VisitLimit | UnservedReason::NoRemote);
        if !retry || !fill_one(ctx, ledger, routed, u.request) {
            still.push(u);
        }
    }
    *unserved = still;
}

/// Serves one request by joining a visit at its place or opening a new one, on its
/// earliest (preferably preferred-weekday) day whose routes still take every visit.
pub(super) fn fill_one(ctx: &Context, ledger: &mut Ledger, routed: &mut [RoutedDay], request: usize) -> bool {
    let problem = ctx.problem;
    let Ok(mut days) = ledger.candidate_days(request) else { return false };
    let r = &problem.requests()[request];
    days.sort_by_key(|&d| {
        let day = problem.horizon().days[d];
        (!r.preferred_weekdays.contains(day.weekday()), day.ordinal)
    });
    for day in days {
        if !ledger.remote_budget().fits(problem, request, day) {
            continue;
        }
        let here: Vec<usize> = (0..ledger.visits.len()).filter(|&i| ledger.visits[i].day == day).collect();
        for i in here {
            if ledger.joinable(i, request).is_none() {
                continue;
            }
            ledger.join(i, request);
            if try_day(ctx, ledger, routed, day) {
                return true;
            }
            ledger.unjoin(i, request);
        }
        let place = visits::request_place(problem, request);
        if ledger.rule_allows(place, day)
            && let Some(i) = ledger.open_unchecked(request, day)
        {
            if try_day(ctx, ledger, routed, day) {
                return true;
            }
            ledger.visits[i].dropped = true;
        }
    }
    false
}
