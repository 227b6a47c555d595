// SPDX-License-Identifier: GPL-2.0

//! A spinlock always taken with bottom halves disabled (`spin_lock_bh`),
//! for driver state shared between process context (device work, RTNL
//! callbacks) and softirq context (rx handlers): bonding's `mode_lock`,
//! later the bridge's FDB `hash_lock`.
//!
//! Kernel rules encoded here:
//! - a lock that softirq code takes must be taken with BH disabled
//!   everywhere else, or a softirq interrupting the holder on the same CPU
//!   spins on it forever (lockdep: `{SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W}`).
//!   [`BhLock`] has one way in, [`BhLock::lock`], which disables BH first
//!   and re-enables it after unlocking (the guard's fields drop in that
//!   order); nesting inside a softirq is harmless (`local_bh_disable`
//!   counts);
//! - a spinlock is initialised in place and must not move afterwards: the
//!   lock lives in its own pinned allocation, so the value holding a
//!   [`BhLock`] (a device's private data, built before it is placed) moves
//!   freely;
//! - each lock site gets its own lockdep class ([`new_bh_lock!`] makes a
//!   static key where it is written), so two different locks nested in a
//!   fixed order are not reported as recursion;
//! - the holder must not sleep: the guard is `!Send`, and sleeping in
//!   atomic context is caught at run time by the kernel's own checks
//!   (`DEBUG_ATOMIC_SLEEP`, which the test kernel has), as for
//!   [`super::rcu::RcuGuard`].

use super::bindings;
use core::{
    marker::PhantomData,
    ops::{Deref, DerefMut},
    pin::Pin,
};
use kernel::{
    alloc::{flags::GFP_KERNEL, KBox},
    prelude::*,
    str::CStr,
    sync::{
        lock::{spinlock::SpinLockBackend, Guard},
        LockClassKey, SpinLock,
    },
};

/// A [`BhLock`] with a lockdep class of its own for this call site.
#[macro_export]
macro_rules! new_bh_lock {
    ($value:expr, $name:literal) => {
        $crate::netdev::bh_lock::BhLock::new(
            $value,
            ::kernel::c_str!($name),
            ::kernel::static_lock_class!(),
        )
    };
}

/// A spinlock protecting a `T`, taken with BH disabled.
pub struct BhLock<T> {
    inner: Pin<KBox<SpinLock<T>>>,
}

impl<T> BhLock<T> {
    /// A new lock holding `value` (allocates; use [`new_bh_lock!`]).
    pub fn new(value: T, name: &'static CStr, key: &'static LockClassKey) -> Result<Self> {
        let inner = KBox::pin_init(SpinLock::new(value, name, key), GFP_KERNEL)?;
        Ok(BhLock { inner })
    }

    /// Disables bottom halves, then takes the lock.
    pub fn lock(&self) -> BhGuard<'_, T> {
        // SAFETY: no precondition; undone by `BhDisabled::drop`.
        unsafe { bindings::rvnet_local_bh_disable() };
        let bh = BhDisabled {
            _not_send: PhantomData,
        };
        BhGuard {
            guard: self.inner.lock(),
            _bh: bh,
        }
    }
}

/// Bottom halves disabled by this task until dropped.
struct BhDisabled {
    _not_send: PhantomData<*mut ()>,
}

impl Drop for BhDisabled {
    fn drop(&mut self) {
        // SAFETY: paired with the `rvnet_local_bh_disable` that made us.
        unsafe { bindings::rvnet_local_bh_enable() };
    }
}

/// The lock held with BH disabled; unlocks, then re-enables BH, on drop.
pub struct BhGuard<'a, T> {
    // Field order is drop order: unlock first, then enable BH.
    guard: Guard<'a, T, SpinLockBackend>,
    _bh: BhDisabled,
}

impl<T> Deref for BhGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> DerefMut for BhGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}
