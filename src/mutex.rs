//! Locking a std `Mutex` whether or not an earlier holder panicked: the data behind these locks
//! (routes, client tables, store bookkeeping) stays usable after a panicking request, so a
//! poisoned lock is taken as it is rather than spreading the panic.

use std::sync::{Mutex, MutexGuard};

/// The guard of `m`, poisoned or not.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
