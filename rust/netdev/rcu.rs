// SPDX-License-Identifier: GPL-2.0

//! RCU read-side critical sections and RCU-published pointers.
//!
//! Kernel rule: a pointer published with `rcu_assign_pointer` may be read
//! without locks inside `rcu_read_lock()`/`rcu_read_unlock()`, and the old
//! object may only be freed after a grace period (`synchronize_rcu`).
//! [`RcuGuard`] is the read side; [`RcuPtr`] ties every reference it hands out
//! to a guard, and retires replaced objects through a grace period.

use super::{bindings, rtnl::Rtnl};
use core::{
    marker::PhantomData,
    ptr,
    sync::atomic::{AtomicPtr, Ordering},
};
use kernel::alloc::KBox;

/// An RCU read-side critical section, from `new` to drop.
///
/// `!Send`: the section must end on the CPU/task that started it.
pub struct RcuGuard {
    _not_send: PhantomData<*mut ()>,
}

impl RcuGuard {
    /// Enters a read-side critical section (`rcu_read_lock`).
    pub fn new() -> Self {
        // SAFETY: always allowed; paired with the unlock in `drop`.
        unsafe { bindings::rvnet_rcu_read_lock() };
        RcuGuard {
            _not_send: PhantomData,
        }
    }

    /// Returns a guard for a context the kernel already runs under RCU
    /// protection (e.g. `ndo_start_xmit`, which runs under
    /// `rcu_read_lock_bh`). It does not unlock on drop.
    ///
    /// # Safety
    ///
    /// The caller must be inside an RCU read-side critical section for the
    /// whole lifetime `'a`.
    pub(crate) unsafe fn assume_held<'a>() -> &'a RcuGuard {
        static HELD: RcuGuardToken = RcuGuardToken(RcuGuard {
            _not_send: PhantomData,
        });
        &HELD.0
    }
}

/// Holder for the static token of `assume_held` (never dropped).
struct RcuGuardToken(RcuGuard);

// SAFETY: the token is zero-sized and stateless; the proof it carries is only
// handed out by `assume_held` under its safety contract.
unsafe impl Sync for RcuGuardToken {}

impl Default for RcuGuard {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for RcuGuard {
    fn drop(&mut self) {
        // SAFETY: `new` entered the critical section; this leaves it once.
        // (The static token of `assume_held` is never dropped.)
        unsafe { bindings::rvnet_rcu_read_unlock() };
    }
}

/// An owned, RCU-published pointer to a `T` (or nothing).
///
/// Readers call [`RcuPtr::get`] with a guard and take no lock; the writer
/// side ([`RcuPtr::replace`]) is serialised by RTNL and returns the old value
/// as a [`Retired`], whose drop waits for a grace period before freeing it.
///
/// # Invariants
///
/// `ptr` is null or comes from `KBox::into_raw` and is owned by this value.
pub struct RcuPtr<T> {
    ptr: AtomicPtr<T>,
}

// SAFETY: readers on any thread get `&T` (needs `T: Sync`); the writer moves
// `T` values between threads (needs `T: Send`).
unsafe impl<T: Send + Sync> Sync for RcuPtr<T> {}
// SAFETY: as above; the pointer owns its `T`.
unsafe impl<T: Send + Sync> Send for RcuPtr<T> {}

impl<T> RcuPtr<T> {
    /// An empty pointer.
    pub const fn null() -> Self {
        // INVARIANT: null is allowed.
        RcuPtr {
            ptr: AtomicPtr::new(ptr::null_mut()),
        }
    }

    /// A pointer that owns `value`.
    pub fn new(value: KBox<T>) -> Self {
        // INVARIANT: the pointer comes from `KBox::into_raw`.
        RcuPtr {
            ptr: AtomicPtr::new(KBox::into_raw(value)),
        }
    }

    /// Reads the current value (`rcu_dereference`).
    ///
    /// The reference cannot outlive the critical section nor `self`.
    pub fn get<'a>(&'a self, _guard: &'a RcuGuard) -> Option<&'a T> {
        // Acquire orders the loads through the pointer after the load of the
        // pointer, which is what `rcu_dereference` guarantees.
        let p = self.ptr.load(Ordering::Acquire);
        // SAFETY: by the type invariant `p` is null or a live `T` owned by
        // `self`; a replaced value is freed only after a grace period, which
        // cannot end while `_guard` keeps this critical section open.
        unsafe { p.as_ref() }
    }

    /// Reads the current value on the update side, under RTNL.
    pub fn get_rtnl<'a>(&'a self, _rtnl: &'a Rtnl) -> Option<&'a T> {
        let p = self.ptr.load(Ordering::Acquire);
        // SAFETY: writers hold RTNL, so the value cannot be replaced (and
        // therefore not freed) while `_rtnl` is borrowed.
        unsafe { p.as_ref() }
    }

    /// Publishes `new` (`rcu_assign_pointer`) and returns the old value.
    ///
    /// Writers are serialised by RTNL. The old value may still be in use by
    /// readers: it is only freed once the returned [`Retired`] is dropped,
    /// which waits for a grace period.
    pub fn replace(&self, new: Option<KBox<T>>, _rtnl: &Rtnl) -> Retired<T> {
        let newp = new.map_or(ptr::null_mut(), KBox::into_raw);
        // Release publishes the initialisation of `*newp` before the pointer.
        let old = self.ptr.swap(newp, Ordering::AcqRel);
        // INVARIANT: `old` was owned by `self` and is now owned by `Retired`.
        Retired { ptr: old }
    }
}

impl<T> Drop for RcuPtr<T> {
    fn drop(&mut self) {
        let p = *self.ptr.get_mut();
        if !p.is_null() {
            // SAFETY: `&mut self` means no reader holds a reference obtained
            // from `get` (those borrow `self`); the pointer came from
            // `KBox::into_raw` and is owned by `self`.
            drop(unsafe { KBox::from_raw(p) });
        }
    }
}

/// A value removed from an [`RcuPtr`]; dropping it waits for a grace period
/// (`synchronize_rcu`) and then frees the value. May sleep.
///
/// # Invariants
///
/// `ptr` is null or an owned pointer from `KBox::into_raw` that is no longer
/// reachable through the `RcuPtr`.
pub struct Retired<T> {
    ptr: *mut T,
}

impl<T> Drop for Retired<T> {
    fn drop(&mut self) {
        if !self.ptr.is_null() {
            // SAFETY: called from process context (the writer held RTNL, a
            // mutex); waits until every reader that could see `ptr` is done.
            unsafe { bindings::synchronize_rcu() };
            // SAFETY: no reader can reach `ptr` after the grace period; we
            // own it by the type invariant.
            drop(unsafe { KBox::from_raw(self.ptr) });
        }
    }
}
