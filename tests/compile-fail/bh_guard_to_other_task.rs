// SPDX-License-Identifier: GPL-2.0
//! A `BhLock` is unlocked, and bottom halves re-enabled, by the task that
//! locked it (`spin_unlock_bh` on the CPU and in the context that did
//! `spin_lock_bh`): its guard cannot be handed to another task.
//! expect: cannot be sent between threads safely

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

use kernel::prelude::*;

/// Stands for anything that runs its argument elsewhere (a work item, a
/// kthread): it requires `Send`.
fn run_elsewhere<T: Send + 'static>(_t: T) {}

fn misuse(lock: &'static netdev::bh_lock::BhLock<u32>) {
    // Misuse: the guard leaves the task that holds the lock.
    run_elsewhere(lock.lock());
}

#[allow(dead_code)]
fn uses() -> Result {
    let lock = KBox::new(crate::new_bh_lock!(0u32, "cf")?, GFP_KERNEL)?;
    misuse(KBox::leak(lock));
    Ok(())
}

include!("../../tests/compile-fail/common/case_module.rs");
