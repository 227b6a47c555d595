// SPDX-License-Identifier: GPL-2.0

//! Delayed work belonging to a device, cancelled on teardown.
//!
//! Kernel rules encoded here: a `delayed_work` is initialised in place
//! (it holds list and timer links), must not move once queued, and must be
//! cancelled with `cancel_delayed_work_sync` before its memory (or the
//! module text of its callback) goes away; its callback runs in process
//! context without RTNL.
//!
//! How the types enforce it:
//! - a [`DevWork`] can only be started through its own device:
//!   [`Device::start_work`] finds it with [`DevWorkHandler::work`] in the
//!   device's private data, and refuses (with a warning) a work item that
//!   does not lie inside that device's private area. A `static` item, a
//!   local one, one in a box or in another device's data is never queued;
//! - the private area never moves and drivers only get shared references
//!   to it, so a started item is pinned where it was initialised
//!   ([`DevWork`] is `!Unpin` and has no method that starts it by itself);
//! - [`DevWork::new`] is not `const`, so a `static` one cannot be written;
//! - the private data is dropped by the device's destructor (process
//!   context, before the module can go: unregistering the link kind frees
//!   its devices), and `DevWork`'s `Drop` cancels it there;
//! - a device with its own workqueue (`Driver::OWN_WORKQUEUE`, C bonding's
//!   ordered `bond->wq`) runs its items there: the layer destroys that
//!   queue after the private data, so no item is left to queue on it.

use super::{
    bindings,
    driver::{Adapter, Device, Driver},
    rtnl::Rtnl,
};
use core::{
    cell::UnsafeCell,
    marker::{PhantomData, PhantomPinned},
    mem::MaybeUninit,
    sync::atomic::{AtomicBool, AtomicPtr, Ordering},
};

/// What a driver's device work does, and where the work item lives.
///
/// A device may have several work items (bonding's MII monitor and its
/// 802.3ad state machines): each is a kind `K`, a marker type of the
/// driver, with an implementation of this trait per kind; `K = ()` for a
/// driver with one.
pub trait DevWorkHandler<K: 'static = ()>: Driver {
    /// The device's work item, a field of its private data
    /// (`&data.monitor`). Anything outside the device's private area is
    /// refused by [`Device::start_work`].
    fn work(data: &Self::Data) -> &DevWork<Self, K>;

    /// Runs in process context (no RTNL, may sleep).
    fn run(dev: &Device<Self>);
}

/// A delayed work item of a device of driver `D`, a field of the device's
/// private data; started with [`Device::start_work`].
///
/// # Invariants
///
/// `w` is initialised iff `inited`; `dev` is then the device whose private
/// area contains `self` (checked by `Device::start_work`, the only place
/// that initialises it).
#[repr(C)]
pub struct DevWork<D: DevWorkHandler<K>, K: 'static = ()> {
    w: UnsafeCell<MaybeUninit<bindings::delayed_work>>,
    dev: AtomicPtr<bindings::net_device>,
    inited: AtomicBool,
    _p: PhantomData<(D, fn() -> K)>,
    _pin: PhantomPinned,
}

// SAFETY: the work item is driven by the workqueue core, which is
// thread-safe; our fields are atomics or only written once under `inited`.
unsafe impl<D: DevWorkHandler<K>, K: 'static> Sync for DevWork<D, K> {}
// SAFETY: as above; not initialised until it sits in its final place.
unsafe impl<D: DevWorkHandler<K>, K: 'static> Send for DevWork<D, K> {}

impl<D: DevWorkHandler<K>, K: 'static> DevWork<D, K> {
    /// A work item that is not initialised yet (it may still be moved,
    /// e.g. into the private data `newlink` returns).
    ///
    /// Deliberately not `const`: a `static` work item would outlive every
    /// device and the module.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        DevWork {
            w: UnsafeCell::new(MaybeUninit::uninit()),
            dev: AtomicPtr::new(core::ptr::null_mut()),
            inited: AtomicBool::new(false),
            _p: PhantomData,
            _pin: PhantomPinned,
        }
    }

    fn raw(&self) -> *mut bindings::delayed_work {
        self.w.get().cast()
    }

    /// Runs the work again after `ms` milliseconds (e.g. from `run`); does
    /// nothing if it was never started.
    pub fn rearm(&self, ms: u32) {
        if self.inited.load(Ordering::Acquire) {
            // SAFETY: initialised, in its device's private area; the
            // device's workqueue (if any) outlives its data, hence `self`.
            unsafe { bindings::rvnet_schedule_delayed_work_ms(self.queue(), self.raw(), ms) };
        }
    }

    /// The workqueue the item runs on: its device's own
    /// ([`super::driver::Driver::OWN_WORKQUEUE`]) or null (the system one).
    fn queue(&self) -> *mut bindings::workqueue_struct {
        let dev = self.dev.load(Ordering::Relaxed);
        // SAFETY: `inited` (checked by the callers) means `dev` is the
        // device whose private data contains `self`: it is live while
        // `self` is borrowed.
        unsafe { Device::<D>::from_raw(dev) }.workqueue()
    }

    /// The jiffies until the work runs, 0 if it is not pending (C shows
    /// such timers in sysfs and netlink, e.g. the bridge's `gc_timer`).
    pub fn remaining_jiffies(&self) -> u64 {
        if !self.inited.load(Ordering::Acquire) {
            return 0;
        }
        // SAFETY: initialised, in its device's private area; the helper
        // only reads the timer.
        unsafe { bindings::rvnet_delayed_work_remaining(self.raw()) as u64 }
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
    /// `Device::start_work`.
    unsafe extern "C" fn callback(work: *mut bindings::work_struct) {
        // `work` is the first member of the `delayed_work`, which is the
        // first member of this `#[repr(C)]` struct.
        let this = work.cast::<Self>();
        // SAFETY: the item is live: its owner's `Drop` cancels it first.
        let dev = unsafe { (*this).dev.load(Ordering::Relaxed) };
        // SAFETY: the device outlives its private data, which contains the
        // work item (checked when started) and cancels it in `drop`.
        <D as DevWorkHandler<K>>::run(unsafe { Device::<D>::from_raw(dev) });
    }
}

impl<D: Driver> Device<D> {
    /// Runs `D::run(self)` of work kind `K` after `ms` milliseconds, with
    /// the work item `D::work` finds in this device's private data. RTNL
    /// serialises the first-use initialisation.
    ///
    /// A work item outside this device's private area is not started (a
    /// warning is logged): it could outlive the device or the module.
    pub fn start_work<K: 'static>(&self, ms: u32, rtnl: &Rtnl)
    where
        D: DevWorkHandler<K>,
    {
        if let Some(w) = self.work_inited::<K>(rtnl) {
            w.rearm(ms);
        }
    }

    /// As [`Device::start_work`], but a pending run is moved to `ms` from
    /// now (`mod_delayed_work`: e.g. the bridge's ageing time changed, so
    /// its gc runs now, not when it was due).
    pub fn restart_work<K: 'static>(&self, ms: u32, rtnl: &Rtnl)
    where
        D: DevWorkHandler<K>,
    {
        if let Some(w) = self.work_inited::<K>(rtnl) {
            // SAFETY: initialised, in its device's private area.
            unsafe { bindings::rvnet_mod_delayed_work_ms(w.queue(), w.raw(), ms) };
        }
    }

    /// The work item of kind `K`, initialised on first use.
    fn work_inited<K: 'static>(&self, _rtnl: &Rtnl) -> Option<&DevWork<D, K>>
    where
        D: DevWorkHandler<K>,
    {
        let w = <D as DevWorkHandler<K>>::work(self.data());
        if !w.inited.load(Ordering::Acquire) {
            // The device was set up for `D`: its private area has
            // `priv_size()` bytes.
            let base = self.priv_ptr() as usize;
            let end = base + Adapter::<D>::priv_size();
            let at = w as *const DevWork<D, K> as usize;
            if at < base || at + core::mem::size_of::<DevWork<D, K>>() > end {
                kernel::pr_warn!("rvnet: DevWork outside its device's private data, not started\n");
                return None;
            }
            w.dev.store(self.as_raw(), Ordering::Relaxed);
            // SAFETY: first use, under RTNL: the item sits in this device's
            // private area, which does not move any more.
            unsafe { bindings::rvnet_init_delayed_work(w.raw(), Some(DevWork::<D, K>::callback)) };
            // INVARIANT: initialised just above, inside `self`'s private area.
            w.inited.store(true, Ordering::Release);
        }
        Some(w)
    }
}

impl<D: DevWorkHandler<K>, K: 'static> Drop for DevWork<D, K> {
    fn drop(&mut self) {
        self.cancel_sync();
    }
}
