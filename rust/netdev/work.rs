// SPDX-License-Identifier: GPL-2.0

//! Delayed work belonging to a device, cancelled on teardown.
//!
//! Kernel rules encoded here: a `delayed_work` is initialised in place
//! (it holds list and timer links) and must be cancelled with
//! `cancel_delayed_work_sync` before its memory goes away; its callback
//! runs in process context without RTNL. [`DevWork`] lives in a device's
//! private data (whose address never changes), is initialised on first
//! use, and its `Drop` (run from the device's destructor) cancels it, so a
//! timer or work item can never outlive the device.

use super::{
    bindings,
    driver::{Device, Driver},
    rtnl::Rtnl,
};
use core::{
    cell::UnsafeCell,
    marker::PhantomData,
    mem::MaybeUninit,
    sync::atomic::{AtomicBool, AtomicPtr, Ordering},
};

/// What a driver's device work does.
pub trait DevWorkHandler: Driver {
    /// Runs in process context (no RTNL, may sleep).
    fn run(dev: &Device<Self>);
}

/// A delayed work item of a device of driver `D`.
///
/// # Invariants
///
/// `w` is initialised iff `inited`; `dev` is then the device whose private
/// data contains `self`.
#[repr(C)]
pub struct DevWork<D: DevWorkHandler> {
    w: UnsafeCell<MaybeUninit<bindings::delayed_work>>,
    dev: AtomicPtr<bindings::net_device>,
    inited: AtomicBool,
    _p: PhantomData<D>,
}

// SAFETY: the work item is driven by the workqueue core, which is
// thread-safe; our fields are atomics or only written once under `inited`.
unsafe impl<D: DevWorkHandler> Sync for DevWork<D> {}
// SAFETY: as above; not initialised until it sits in its final place.
unsafe impl<D: DevWorkHandler> Send for DevWork<D> {}

impl<D: DevWorkHandler> Default for DevWork<D> {
    fn default() -> Self {
        Self::new()
    }
}

impl<D: DevWorkHandler> DevWork<D> {
    /// A work item that is not initialised yet (it may still be moved).
    pub const fn new() -> Self {
        DevWork {
            w: UnsafeCell::new(MaybeUninit::uninit()),
            dev: AtomicPtr::new(core::ptr::null_mut()),
            inited: AtomicBool::new(false),
            _p: PhantomData,
        }
    }

    fn raw(&self) -> *mut bindings::delayed_work {
        self.w.get().cast()
    }

    /// Runs `D::run(dev)` after `ms` milliseconds. `self` must be part of
    /// `dev`'s private data (the only place a driver can reach it from a
    /// `&Device<D>`); RTNL serialises the first-use initialisation.
    pub fn start(&self, dev: &Device<D>, ms: u32, _rtnl: &Rtnl) {
        if !self.inited.load(Ordering::Acquire) {
            self.dev.store(dev.as_raw(), Ordering::Relaxed);
            // SAFETY: first use, under RTNL: the item sits in the device's
            // private area, which does not move any more.
            unsafe { bindings::rvnet_init_delayed_work(self.raw(), Some(Self::callback)) };
            // INVARIANT: initialised just above.
            self.inited.store(true, Ordering::Release);
        }
        self.rearm(ms);
    }

    /// Runs the work again after `ms` milliseconds (e.g. from `run`); does
    /// nothing if it was never started.
    pub fn rearm(&self, ms: u32) {
        if self.inited.load(Ordering::Acquire) {
            // SAFETY: initialised.
            unsafe { bindings::rvnet_schedule_delayed_work_ms(self.raw(), ms) };
        }
    }

    /// Cancels the work and waits for a running callback to finish. Must
    /// not be called from the callback.
    pub fn cancel_sync(&self) {
        if self.inited.load(Ordering::Acquire) {
            // SAFETY: initialised; may sleep (process context).
            unsafe { bindings::rvnet_cancel_delayed_work_sync(self.raw()) };
        }
    }

    /// # Safety
    ///
    /// Only called by the workqueue core for an item initialised by
    /// `schedule`.
    unsafe extern "C" fn callback(work: *mut bindings::work_struct) {
        // `work` is the first member of the `delayed_work`, which is the
        // first member of this `#[repr(C)]` struct.
        let this = work.cast::<Self>();
        // SAFETY: the item is live: its owner's `Drop` cancels it first.
        let dev = unsafe { (*this).dev.load(Ordering::Relaxed) };
        // SAFETY: the device outlives its private data, which outlives the
        // work item (cancelled in `drop`).
        D::run(unsafe { Device::<D>::from_raw(dev) });
    }
}

impl<D: DevWorkHandler> Drop for DevWork<D> {
    fn drop(&mut self) {
        self.cancel_sync();
    }
}
