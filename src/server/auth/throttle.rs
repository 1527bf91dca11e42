//! Sign-in throttling by address: failed sign-ins per client address in a sliding window
//! (kept in memory; a restart forgets them, the per-account lock in the database stays).
//! The per-account lock lives with the account ([`crate::server::store::Store::sign_in_failed`]).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Failed sign-ins per address, within `window_s` seconds of the clock.
#[derive(Debug)]
pub struct AddressThrottle {
    max_failures: usize,
    window_s: i64,
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl AddressThrottle {
    pub fn new(max_failures: usize, window_s: i64) -> AddressThrottle {
        AddressThrottle { max_failures, window_s, failures: Mutex::new(HashMap::new()) }
    }

    /// Seconds until `address` may try again, if it is throttled now (`now`: Unix seconds).
    pub fn wait(&self, address: &str, now: i64) -> Option<i64> {
        let mut map = self.failures.lock().ok()?;
        let list = map.get_mut(address)?;
        while list.front().is_some_and(|&t| t <= now - self.window_s) {
            list.pop_front();
        }
        if list.is_empty() {
            map.remove(address);
            return None;
        }
        (list.len() >= self.max_failures).then(|| list[0] + self.window_s - now)
    }

    /// Counts an attempt from `address` before it is checked (so that a parallel burst gets
    /// no more tries than a sequential one): `Err(seconds to wait)` when the address is
    /// paused, else `Ok(true)` when this attempt is the one that reaches the limit.
    pub fn reserve(&self, address: &str, now: i64) -> Result<bool, i64> {
        if let Some(wait) = self.wait(address, now) {
            return Err(wait);
        }
        let Ok(mut map) = self.failures.lock() else { return Ok(false) };
        // Bound the memory an attacker with many addresses can take.
        if map.len() > 100_000 {
            map.retain(|_, l| l.back().is_some_and(|&t| t > now - self.window_s));
        }
        let list = map.entry(address.to_string()).or_default();
        list.push_back(now);
        Ok(list.len() == self.max_failures)
    }

    /// Takes back the attempt of a successful sign-in.
    pub fn forgive(&self, address: &str) {
        if let Ok(mut map) = self.failures.lock()
            && let Some(list) = map.get_mut(address)
        {
            list.pop_back();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_paused_after_its_failures_until_the_window_passes() {
        let t = AddressThrottle::new(3, 600);
        assert_eq!(t.reserve("10.0.0.1", 999), Ok(false));
        t.forgive("10.0.0.1");
        for i in 0..3 {
            assert_eq!(t.reserve("10.0.0.1", 1000 + i), Ok(i == 2), "the third attempt reaches the limit");
        }
        assert_eq!(t.reserve("10.0.0.1", 1010), Err(590));
        assert_eq!(t.wait("10.0.0.1", 1010), Some(590));
        assert_eq!(t.wait("10.0.0.2", 1010), None, "other addresses are not affected");
        assert_eq!(t.wait("10.0.0.1", 1601), None, "the oldest failure left the window");
    }
}
