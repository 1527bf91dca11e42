//! Checks a routing solution from scratch with the full time simulation (`schedule`), which
//! shares no code with the segment summaries the search prices moves with.

use super::RoutingSolution;
use super::instance::Instance;
use super::schedule::evaluate;

/// `Ok` when every job is routed at most once, every mandatory job is routed, every job
/// rides an allowed vehicle, the unassigned list is exact, and every route is feasible.
pub fn verify(inst: &Instance, solution: &RoutingSolution) -> Result<(), String> {
    let n = inst.jobs.len();
    if solution.routes.len() > inst.vehicles.len() {
        return Err(format!("{} routes for {} vehicles", solution.routes.len(), inst.vehicles.len()));
    }
    let mut seen = vec![0u32; n];
    for (v, route) in solution.routes.iter().enumerate() {
        for &j in route {
            if j >= n {
                return Err(format!("route {v}: unknown job {j}"));
            }
            seen[j] += 1;
            if !inst.jobs[j].can_use(v) {
                return Err(format!("route {v}: job {j} may not ride this vehicle"));
            }
        }
        let c = evaluate(inst, v, route);
        if !c.is_feasible() {
            return Err(format!(
                "route {v}: time warp {}, excess load {}, excess work {}",
                c.time_warp.get(),
                c.excess_load,
                c.excess_work.get()
            ));
        }
    }
    for &j in &solution.unassigned {
        if j < n {
            seen[j] += 10;
        }
    }
    for (j, &count) in seen.iter().enumerate() {
        match (count, inst.jobs[j].prize.is_some()) {
            (1, _) | (10, true) => {}
            (10, false) | (0, false) => return Err(format!("mandatory job {j} is not routed")),
            (0, true) => return Err(format!("job {j} is neither routed nor listed unassigned")),
            _ => return Err(format!("job {j} appears more than once")),
        }
    }
    Ok(())
}
