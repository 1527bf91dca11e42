//! Sign-in throttling by address: failed sign-ins per client address in a sliding window
//! (kept in memory; a restart forgets them, the per-account lock in the database stays).
//! The per-account lock lives with the account ([`crate::server::store::Store::reserve_sign_in`]);
//! names without an account get the same lock from [`UnknownNames`], so that the answers
//! never tell which names exist.

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

    /// Attempts from `address` within the window.
    pub fn recent(&self, address: &str, now: i64) -> usize {
        // `wait` drops the attempts that left the window.
        let _ = self.wait(address, now);
        self.failures.lock().ok().and_then(|m| m.get(address).map(VecDeque::len)).unwrap_or(0)
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

/// The sign-in lock of names that have no account (or a disabled one), kept in memory
/// with the same rule as an account's: the attempt that makes `max_failures` in a row
/// locks the name for `lock_s` seconds, and an expired lock starts the count again.
#[derive(Debug)]
pub struct UnknownNames {
    max_failures: i64,
    lock_s: i64,
    /// Name → (failures in a row, locked until).
    names: Mutex<HashMap<String, (i64, Option<i64>)>>,
}

impl UnknownNames {
    pub fn new(max_failures: i64, lock_s: i64) -> UnknownNames {
        UnknownNames { max_failures, lock_s, names: Mutex::new(HashMap::new()) }
    }

    /// As [`crate::server::store::Store::reserve_sign_in`]: `None` when `name` is locked,
    /// else whether this attempt reached the limit (`now`: Unix seconds).
    pub fn reserve(&self, name: &str, now: i64) -> Option<bool> {
        let Ok(mut map) = self.names.lock() else { return Some(false) };
        // Bound the memory: forget names whose lock has expired.
        if map.len() > 100_000 {
            map.retain(|_, (_, until)| until.is_some_and(|u| u > now));
        }
        let (count, until) = map.entry(name.to_string()).or_insert((0, None));
        match *until {
            Some(u) if u > now => return None,
            Some(_) => (*count, *until) = (0, None),
            None => {}
        }
        *count += 1;
        let reached = *count >= self.max_failures;
        if reached {
            *until = Some(now + self.lock_s);
        }
        Some(reached)
    }
}

/// One turn at a time per key (a request number's status checks): a delay given to each
/// check then limits the rate however many addresses ask at once.
#[derive(Debug, Default)]
pub struct Turns {
    gates: Mutex<HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>,
}

impl Turns {
    /// Waits for `key`'s turn; the turn lasts as long as the guard.
    pub async fn take(&self, key: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let gate = {
            let mut gates = self.gates.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            // Bound the memory: forget keys nobody is waiting for.
            if gates.len() > 10_000 {
                gates.retain(|_, g| std::sync::Arc::strong_count(g) > 1);
            }
            gates.entry(key.to_string()).or_default().clone()
        };
        gate.lock_owned().await
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

    #[test]
    fn unknown_names_lock_like_accounts_and_unlock_when_the_time_is_up() {
        let names = UnknownNames::new(3, 900);
        assert_eq!(names.reserve("ghost", 100), Some(false));
        assert_eq!(names.reserve("ghost", 101), Some(false));
        assert_eq!(names.reserve("ghost", 102), Some(true), "the third in a row locks");
        assert_eq!(names.reserve("ghost", 500), None);
        assert_eq!(names.reserve("other", 500), Some(false), "other names are not affected");
        assert_eq!(names.reserve("ghost", 1002), Some(false), "the lock expired and the count starts again");
    }
}
