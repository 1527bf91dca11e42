//! The options of one week's day-assignment model (the sets of `docs/model.md`): on which
//! days and with which units each request can be served, which places are worth deciding
//! about, and when each can be visited. Everything is in a fixed order (requests, stops and
//! days by index), so the model built from them is too.

use std::collections::BTreeMap;

use super::visits::{place_open, request_place, vehicle_fits};
use super::week_model::WeekInput;
use crate::plan::VisitPlace;

/// A (day, unit) option.
pub type Slot = (usize, usize);

/// The sets of `docs/model.md` for one week.
pub struct Options {
    /// `Ω_r` per request (empty if served already or without an option this week).
    pub request: Vec<Vec<Slot>>,
    /// `P`: stops with a weekly minimum in stop order, then request places in request order.
    pub places: Vec<VisitPlace>,
    pub place_index: BTreeMap<VisitPlace, usize>,
    /// `Ω_p` per place, sorted.
    pub place: Vec<Vec<Slot>>,
}

impl Options {
    pub fn new(input: &WeekInput) -> Options {
        let (problem, days) = (input.problem, &input.problem.horizon().days);
        let units = problem.vehicles().len();
        let works = |u: usize, d: usize| problem.vehicles()[u].shift_on(days[d]).is_some();
        let in_week = |d: usize| days[d].week() == input.week;
        let request: Vec<Vec<Slot>> = (0..problem.requests().len())
            .map(|r| {
                let Some(ds) = (!input.served[r]).then(|| input.ledger.candidate_days(r).ok()).flatten() else {
                    return Vec::new();
                };
                let place = request_place(problem, r);
                ds.into_iter()
                    .filter(|&d| in_week(d))
                    .flat_map(|d| (0..units).filter(move |&u| works(u, d)).map(move |u| (d, u)))
                    .filter(|&(_, u)| vehicle_fits(problem, u, place, &[r]))
                    .collect()
            })
            .collect();
        let mut opts = Options { request, places: Vec::new(), place_index: BTreeMap::new(), place: Vec::new() };
        let stops = (0..problem.stops().len()).filter(|&s| problem.stops()[s].rule.min_per_week > 0);
        let requested: Vec<VisitPlace> = (0..opts.request.len())
            .filter(|&r| !opts.request[r].is_empty())
            .map(|r| request_place(problem, r))
            .collect();
        for place in stops.map(VisitPlace::Stop).chain(requested) {
            if !opts.place_index.contains_key(&place) {
                opts.place_index.insert(place, opts.places.len());
                opts.places.push(place);
            }
        }
        opts.place = opts
            .places
            .iter()
            .map(|&place| {
                let mut slots: Vec<Slot> = match place {
                    VisitPlace::Stop(_) => (0..days.len())
                        .filter(|&d| in_week(d) && place_open(problem, place, days[d]))
                        .flat_map(|d| (0..units).map(move |u| (d, u)))
                        .filter(|&(d, u)| works(u, d) && vehicle_fits(problem, u, place, &[]))
                        .collect(),
                    VisitPlace::Home(r) => opts.request[r].clone(),
                };
                slots.sort_unstable();
                slots
            })
            .collect();
        opts
    }

    /// Variables the model will have (x and y), counted before it is built.
    pub fn variables(&self) -> usize {
        self.place.iter().chain(&self.request).map(Vec::len).sum()
    }
}
