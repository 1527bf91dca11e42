//! The day assignment's budget of remote people's time: per day, the session minutes
//! placed with one person (requests that name them) and with one kind of person (every
//! request that needs that kind) never exceed the hours they work that day, times the
//! sessions they hold at once. This is a necessary condition; routing then fixes each
//! session's start exactly (see `sessions.rs`).

use std::collections::BTreeMap;

use crate::model::Problem;
use crate::units::Seconds;

/// Session minutes available and used, per pool and horizon day.
#[derive(Clone, Debug)]
pub struct RemoteBudget {
    /// Pools each request draws on: its named person's pool, then its kind's pool.
    pools_of: Vec<Vec<usize>>,
    /// `[pool][day]`: session time the pool's people can hold.
    capacity: Vec<Vec<Seconds>>,
    /// `[pool][day]`: session time placed so far.
    used: Vec<Vec<Seconds>>,
}

impl RemoteBudget {
    pub fn new(problem: &Problem) -> Self {
        let people = problem.remote();
        let days = &problem.horizon().days;
        // Pools 0..people.len() are the people; then one per kind of person.
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for x in people {
            let next = people.len() + kinds.len();
            kinds.entry(x.kind.as_str()).or_insert(next);
        }
        let mut capacity = vec![vec![Seconds::ZERO; days.len()]; people.len() + kinds.len()];
        for (i, x) in people.iter().enumerate() {
            for (d, &day) in days.iter().enumerate() {
                let held = x.capacity_on(day) * i64::from(x.concurrent);
                capacity[i][d] = held;
                capacity[kinds[x.kind.as_str()]][d] += held;
            }
        }
        let pools_of = (0..problem.requests().len())
            .map(|r| {
                let request = &problem.requests()[r];
                let kind = match request.remote {
                    Some(x) => Some(people[x].kind.as_str()),
                    None => problem.kinds()[request.kind].remote_kind.as_deref(),
                };
                // A kind nobody has gets a pool of its own with no time.
                let kind_pool = kind.map(|k| kinds.get(k).copied().unwrap_or(usize::MAX));
                request.remote.into_iter().chain(kind_pool).collect()
            })
            .collect();
        let used = vec![vec![Seconds::ZERO; days.len()]; capacity.len()];
        RemoteBudget { pools_of, capacity, used }
    }

    fn left(&self, pool: usize, day: usize) -> Seconds {
        self.capacity(pool, day) - self.used.get(pool).map_or(Seconds::ZERO, |u| u[day])
    }

    /// Whether request `r` alone could have its session on `day` (someone allowed works
    /// long enough that day; always for a request that needs nobody).
    pub fn possible(&self, problem: &Problem, r: usize, day: usize) -> bool {
        let service = problem.requests()[r].service;
        self.pools_of[r].iter().all(|&p| self.capacity(p, day) >= service)
    }

    /// Whether request `r`'s session still fits into `day`'s budget (its pools are
    /// distinct: a person's and a kind's).
    pub fn fits(&self, problem: &Problem, r: usize, day: usize) -> bool {
        let service = problem.requests()[r].service;
        self.pools_of[r].iter().all(|&p| service <= self.left(p, day))
    }

    /// Records the sessions of `requests` on `day` (`sign` +1) or takes them back (-1).
    pub fn record(&mut self, problem: &Problem, requests: &[usize], day: usize, sign: i64) {
        for &r in requests {
            for &p in &self.pools_of[r] {
                if let Some(used) = self.used.get_mut(p) {
                    used[day] += problem.requests()[r].service * sign;
                }
            }
        }
    }

    /// Session time pool `pool`'s people can hold on `day`.
    pub fn capacity(&self, pool: usize, day: usize) -> Seconds {
        self.capacity.get(pool).map_or(Seconds::ZERO, |c| c[day])
    }

    /// The pools request `r` draws on (a kind nobody has is `usize::MAX`, with no time).
    pub fn pools_of(&self, r: usize) -> &[usize] {
        &self.pools_of[r]
    }
}
