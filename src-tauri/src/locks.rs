//! One way to take a lock in the app: a thread that panicked while holding a lock leaves data
//! that is still usable here (lists and flags), so a poisoned lock is taken anyway.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `mutex`, poisoned or not.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
