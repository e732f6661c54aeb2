//! The one lock policy of the crate: a std `Mutex` or `RwLock` whose earlier holder panicked is
//! taken as it is, never turned into an error or a second panic. Every lock goes through here.
//!
//! Why: a panic is a bug in one request (or one background pass), and the tables behind these
//! locks (routes, client and offset tables, store positions, segment lists) are changed by single
//! inserts, removals and assignments, so the holder's panic leaves them as some earlier or later
//! request could also have left them. Spreading the panic (`lock().unwrap()`) or refusing every
//! later call (an error such as "store shut down") would turn that one bug into an outage of the
//! whole server; skipping the work silently (`if let Ok(..)`) would lose updates without a word.
//! The store's real failure case, a commit-log write that failed, has its own state (kept bytes
//! retried with backoff, `StoreError::WriteFailing`) and does not depend on poisoning.

use std::sync::{Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

/// The guard of `m`, poisoned or not.
pub fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A read guard of `l`, poisoned or not.
pub fn read_lock<T: ?Sized>(l: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|p| p.into_inner())
}

/// The write guard of `l`, poisoned or not.
pub fn write_lock<T: ?Sized>(l: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|p| p.into_inner())
}

/// Waits on `cv` (up to `timeout`) while `condition` holds; the guard comes back poisoned or not.
pub fn wait_timeout_while<'a, T>(
    cv: &Condvar,
    guard: MutexGuard<'a, T>,
    timeout: Duration,
    condition: impl FnMut(&mut T) -> bool,
) -> MutexGuard<'a, T> {
    match cv.wait_timeout_while(guard, timeout, condition) {
        Ok((guard, _)) => guard,
        Err(p) => p.into_inner().0,
    }
}
