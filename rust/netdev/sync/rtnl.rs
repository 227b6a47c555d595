// SPDX-License-Identifier: GPL-2.0

//! The RTNL mutex as a type.
//!
//! Kernel rule: configuration of network devices (registration, links,
//! notifier delivery, most `net_device` fields) is serialised by the RTNL
//! mutex. Here, every API that needs the lock takes an [`Rtnl`] proof: one
//! can only be obtained by taking the lock ([`RtnlGuard`]) or inside a
//! callback that the kernel calls with RTNL held (the layer hands it out
//! there).
//!
//! Readers and writers under RTNL: holding RTNL does not make a reference
//! obtained under it valid for the whole section, because the section's own
//! writers free things: `RcuPtr::replace` retires the old value,
//! `dev_set_mtu` below 68 destroys the device's `in_device` and its
//! addresses (`inetdev_destroy`), unlinking or unregistering a device frees
//! adjacency-list entries, and any call that runs notifiers may do all of
//! that. So:
//! - a read that hands out such a reference takes `&'a Rtnl` and bounds the
//!   reference by that shared borrow (`RcuPtr::get_rtnl`, `for_each_upper`,
//!   `in_device_rtnl`, `master_upper`, `get_by_index`, ...);
//! - every call that may free RTNL-protected objects (publishing, MTU,
//!   flags, open/close, address changes, linking, creating or deleting a
//!   device) takes `&mut Rtnl`, so the compiler ends every reader's borrow
//!   before a write, as the kernel requires a reader to re-look-up after
//!   anything that may have changed the object;
//! - callbacks receive `&mut Rtnl`; driver data in an [`RtnlLocked`] is
//!   freed by no kernel writer, so [`RtnlLocked::borrow_mut_and_rtnl`] keeps
//!   it borrowed across writes (its `RefCell` catches re-entry).

use super::bindings;
use core::{
    cell::{Ref, RefCell, RefMut},
    marker::PhantomData,
    ptr::NonNull,
};
use kernel::error::{code::EBUSY, Result};

/// Proof that the RTNL mutex is held by the current task.
///
/// It cannot be constructed by drivers, only borrowed for the duration of a
/// callback or of an [`RtnlGuard`]; it is `!Send`/`!Sync`, so it cannot leave
/// the task that holds the lock. `&Rtnl` reads, `&mut Rtnl` writes (see the
/// module documentation).
pub struct Rtnl {
    _not_send: PhantomData<*mut ()>,
}

impl Rtnl {
    /// Returns a proof token for a context that holds RTNL.
    ///
    /// # Safety
    ///
    /// The caller must hold the RTNL mutex for the whole lifetime `'a`, and
    /// not hand out another token for an overlapping part of it in the same
    /// context (a nested kernel callback gets its own).
    pub(crate) unsafe fn assume_held<'a>() -> &'a mut Rtnl {
        // SAFETY: only a debug check; the contract is the caller's.
        debug_assert!(unsafe { bindings::rvnet_lockdep_rtnl_is_held() } != 0);
        // SAFETY: `Rtnl` is zero-sized: a dangling, aligned pointer is valid
        // for it and a `&mut` to it aliases no memory.
        unsafe { &mut *NonNull::<Rtnl>::dangling().as_ptr() }
    }
}

/// Holds the RTNL mutex from [`RtnlGuard::lock`] until it is dropped.
///
/// Dropping it runs `rtnl_unlock()`, which also completes deferred device
/// unregistration (`netdev_run_todo`).
pub struct RtnlGuard {
    _not_send: PhantomData<*mut ()>,
}

impl RtnlGuard {
    /// Takes the RTNL mutex. May sleep.
    pub fn lock() -> Self {
        // SAFETY: `rtnl_lock` may be called from any sleepable context; the
        // guard releases it exactly once in `drop`.
        unsafe { bindings::rtnl_lock() };
        RtnlGuard {
            _not_send: PhantomData,
        }
    }

    /// Takes the RTNL mutex only if it is free (`rtnl_trylock`), for work
    /// that `ndo_stop` may cancel synchronously while holding RTNL (waiting
    /// for the lock there would deadlock): retry later instead.
    pub fn try_lock() -> Option<Self> {
        // SAFETY: may be called from any sleepable context; on success the
        // guard releases the lock exactly once in `drop`.
        // `then`, not `then_some`: a guard built eagerly and dropped on
        // failure would unlock a mutex we do not hold.
        (unsafe { bindings::rtnl_trylock() } != 0).then(|| RtnlGuard {
            _not_send: PhantomData,
        })
    }

    /// The proof token for as long as the guard lives.
    pub fn token(&mut self) -> &mut Rtnl {
        // SAFETY: the lock is held while `self` lives; the borrow of `self`
        // makes this the only token of the guard.
        unsafe { Rtnl::assume_held() }
    }
}

impl core::ops::Deref for RtnlGuard {
    type Target = Rtnl;

    fn deref(&self) -> &Rtnl {
        // SAFETY: the lock is held while `self` lives; shared like `self`.
        unsafe { Rtnl::assume_held() }
    }
}

impl core::ops::DerefMut for RtnlGuard {
    fn deref_mut(&mut self) -> &mut Rtnl {
        self.token()
    }
}

impl Drop for RtnlGuard {
    fn drop(&mut self) {
        // SAFETY: `lock` took the mutex; this is the only unlock.
        unsafe { bindings::rtnl_unlock() };
    }
}

/// Data that may only be read or written with RTNL held.
///
/// Encodes the C convention "protected by RTNL" (e.g. a device's list of
/// lower devices on the control path): access needs a `&Rtnl`, so the
/// compiler checks that the lock is held. Inside the lock, a `RefCell`
/// keeps shared and exclusive borrows apart, so a callback that re-enters
/// cannot alias a mutable borrow.
pub struct RtnlLocked<T> {
    value: RefCell<T>,
}

// SAFETY: every access, including the `RefCell` borrow counter, happens
// through a `&Rtnl`, i.e. under the RTNL mutex, so accesses from different
// threads are serialised; `T: Send` because the value may be touched by
// whichever task holds RTNL.
unsafe impl<T: Send> Sync for RtnlLocked<T> {}

impl<T> RtnlLocked<T> {
    /// Wraps `value`.
    pub const fn new(value: T) -> Self {
        RtnlLocked {
            value: RefCell::new(value),
        }
    }

    /// Shared access under RTNL; `EBUSY` if a mutable borrow is alive.
    pub fn borrow<'a>(&'a self, _rtnl: &'a Rtnl) -> Result<Ref<'a, T>> {
        self.value.try_borrow().map_err(|_| EBUSY)
    }

    /// Exclusive access under RTNL; `EBUSY` if any other borrow is alive.
    pub fn borrow_mut<'a>(&'a self, _rtnl: &'a Rtnl) -> Result<RefMut<'a, T>> {
        self.value.try_borrow_mut().map_err(|_| EBUSY)
    }

    /// Shared access that leaves the token usable for writers: the data
    /// and the token back, both bounded by the caller's exclusive borrow
    /// (so the lock stays held). Safe because no kernel writer frees the
    /// data: it is the driver's, and re-entry is caught by the `RefCell`.
    pub fn borrow_and_rtnl<'a>(&'a self, rtnl: &'a mut Rtnl) -> Result<(Ref<'a, T>, &'a mut Rtnl)> {
        Ok((self.value.try_borrow().map_err(|_| EBUSY)?, rtnl))
    }

    /// Exclusive access that leaves the token usable for writers; see
    /// [`RtnlLocked::borrow_and_rtnl`].
    pub fn borrow_mut_and_rtnl<'a>(
        &'a self,
        rtnl: &'a mut Rtnl,
    ) -> Result<(RefMut<'a, T>, &'a mut Rtnl)> {
        Ok((self.value.try_borrow_mut().map_err(|_| EBUSY)?, rtnl))
    }

    /// Consumes the cell (no lock needed: the caller owns it).
    pub fn into_inner(self) -> T {
        self.value.into_inner()
    }
}
