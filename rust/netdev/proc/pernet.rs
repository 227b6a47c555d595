// SPDX-License-Identifier: GPL-2.0

//! Per-namespace driver data (`pernet_operations` with `id`/`size`,
//! `net_generic`).
//!
//! Kernel rules encoded here:
//!
//! - Registering pernet operations runs `init` for every existing namespace
//!   and, from then on, for every new one before its devices appear;
//!   `exit` runs when a namespace dies (after its devices are gone) and for
//!   every namespace on unregistration. The core allocates `size` zeroed
//!   bytes per namespace (`net_generic(net, id)`) before `init` and frees
//!   them after `exit`.
//! - Here the data is built by [`PernetData::init`] with RTNL held, and
//!   published, read and retired only under RTNL: [`PernetId::get`] takes a
//!   `&Rtnl`, so a reader can never see data that `exit` (which takes RTNL
//!   too) is dropping, and code running under RTNL (netdevice and inetaddr
//!   notifiers) sees either no data or fully initialised data. A snapshot
//!   taken in `init` is thus consistent with the events that follow it.
//! - The id lives in a `static` [`PernetId`] (as C's `static unsigned int
//!   foo_net_id`); it answers `None` once the registration is dropped.

use super::{bindings, device::Net, rcu::RcuGuard, rtnl::Rtnl, rtnl::RtnlGuard};
use core::{
    marker::PhantomData,
    mem::MaybeUninit,
    pin::Pin,
    sync::atomic::{AtomicBool, AtomicU32, Ordering},
};
use kernel::{alloc::KBox, error::to_result, ffi, prelude::*, types::Opaque};

/// Data a driver keeps for each network namespace.
pub trait PernetData: Sized + Send + Sync + 'static {
    /// The `static` id of this data (the callbacks only get a namespace).
    fn id() -> &'static PernetId<Self>;

    /// Builds the data for `net` (existing namespaces at registration, new
    /// ones when created). Runs with RTNL held.
    fn init(net: &Net, rtnl: &mut Rtnl) -> Result<Self>;

    /// Registered as a device subsystem (`register_pernet_device`): its
    /// `exit` runs before the core's own device teardown of a dying
    /// namespace (`default_device_exit_batch`), while the namespace's
    /// devices still exist, so [`PernetData::exit`] can delete its own (a
    /// tunnel driver's fallback device, which `dellink` keeps). `false`
    /// (`register_pernet_subsys`): after every device is gone.
    const DEVICE: bool = false;

    /// Read under RCU ([`PernetId::get_rcu`], e.g. by a protocol handler
    /// in softirq context): the exit path then waits for a grace period
    /// (`synchronize_rcu`) between cutting readers off and dropping.
    const RCU_READERS: bool = false;

    /// Runs when the namespace dies (or the registration goes), under
    /// RTNL, while the data is still reachable through [`PernetId::get`],
    /// before it is dropped.
    fn exit(&self, _net: &Net, _rtnl: &mut Rtnl) {}
}

/// The per-namespace slot the core allocates (zeroed, so `ready` starts
/// false).
///
/// # Invariants
///
/// `value` is initialised iff `ready`; both change only under RTNL.
#[repr(C)]
struct Slot<T> {
    ready: AtomicBool,
    value: MaybeUninit<T>,
}

/// The id of a driver's per-namespace data; declare it as a `static`.
pub struct PernetId<T: PernetData> {
    id: AtomicU32,
    live: AtomicBool,
    _p: PhantomData<T>,
}

// SAFETY: the fields are atomics; the `T`s it gives access to are `Sync`.
unsafe impl<T: PernetData> Sync for PernetId<T> {}

impl<T: PernetData> PernetId<T> {
    /// An id not registered yet.
    pub const fn new() -> Self {
        PernetId {
            id: AtomicU32::new(0),
            live: AtomicBool::new(false),
            _p: PhantomData,
        }
    }

    /// The slot of `net`, if the id is registered and the core has one.
    fn slot(&self, net: &Net) -> *mut Slot<T> {
        if !self.live.load(Ordering::Acquire) {
            return core::ptr::null_mut();
        }
        self.raw_slot(net)
    }

    /// The slot of `net` whether or not the registration is complete (for
    /// the callbacks, which run while it is being set up or torn down).
    fn raw_slot(&self, net: &Net) -> *mut Slot<T> {
        // SAFETY: `net` is live; the helper bounds-checks the id.
        unsafe {
            bindings::rvnet_net_generic_or_null(net.as_raw(), self.id.load(Ordering::Relaxed))
        }
        .cast()
    }

    /// `net_generic(net, id)` read inline for a reader that already holds
    /// RCU (a protocol handler, per packet): `net->gen`, then its bounds-
    /// checked slot, as `rvnet_net_generic_or_null` without its own
    /// `rcu_read_lock()` and the call.
    #[inline(always)]
    fn rcu_slot(&self, net: &Net, _rcu: &RcuGuard) -> *mut Slot<T> {
        let id = self.id.load(Ordering::Relaxed) as usize;
        // SAFETY: `net` is live; `net->gen` is RCU-published and `_rcu`
        // keeps it from being freed (`rcu_dereference`: one read).
        let ng = unsafe { core::ptr::read_volatile(core::ptr::addr_of!((*net.as_raw()).gen)) };
        let ng = ng.cast::<u8>();
        // SAFETY: `s.len` is a `u32` at offset 0 of the live array
        // (checked in include/rvnet_bindings.h).
        let len = unsafe { ng.cast::<u32>().read() } as usize;
        if id >= len {
            return core::ptr::null_mut();
        }
        // SAFETY: slot `id < len` of the pointer array at
        // `RVNET_NET_GENERIC_PTR_OFF` (checked in include/rvnet_bindings.h).
        unsafe {
            ng.add(bindings::RVNET_NET_GENERIC_PTR_OFF)
                .cast::<*mut ffi::c_void>()
                .add(id)
                .read()
                .cast()
        }
    }

    /// The data of `net`, under RTNL; `None` before its `init` finished,
    /// after its `exit`, or when the registration is gone.
    pub fn get<'a>(&self, net: &'a Net, _rtnl: &'a Rtnl) -> Option<&'a T> {
        let slot = self.slot(net);
        if slot.is_null() {
            return None;
        }
        // SAFETY: a non-null slot is the core's allocation for this id in a
        // live namespace, freed only after `exit`, which needs RTNL that the
        // borrow `'a` holds; `ready` and `value` change only under RTNL.
        unsafe {
            if (*slot).ready.load(Ordering::Relaxed) {
                Some((*slot).value.assume_init_ref())
            } else {
                None
            }
        }
    }

    /// The data of `net` for an RCU reader (e.g. a protocol handler), for
    /// data that asks for it ([`PernetData::RCU_READERS`]: `exit` clears
    /// `ready`, then waits for a grace period before dropping).
    pub fn get_rcu<'a>(&self, net: &'a Net, rcu: &'a RcuGuard) -> Option<&'a T> {
        const { assert!(T::RCU_READERS, "get_rcu needs PernetData::RCU_READERS") };
        if !self.live.load(Ordering::Acquire) {
            return None;
        }
        let slot = self.rcu_slot(net, rcu);
        if slot.is_null() {
            return None;
        }
        // The slot is the core's allocation for this id in the reader's live
        // namespace, freed after `exit`, which clears `ready` and waits for a
        // grace period before dropping `value` (written before `ready`).
        // SAFETY: as above: `rcu` holds that grace period off; Acquire
        // pairs with the Release that published `value`.
        unsafe {
            if (*slot).ready.load(Ordering::Acquire) {
                Some((*slot).value.assume_init_ref())
            } else {
                None
            }
        }
    }
}

impl<T: PernetData> Default for PernetId<T> {
    fn default() -> Self {
        Self::new()
    }
}

struct Adapter<T: PernetData>(PhantomData<T>);

impl<T: PernetData> Adapter<T> {
    /// # Safety
    ///
    /// Called by the netns core for a namespace being set up, after it
    /// allocated our zeroed slot.
    unsafe extern "C" fn init_callback(net: *mut bindings::net) -> ffi::c_int {
        // SAFETY: the core calls `init` for a live namespace.
        let net = unsafe { Net::from_raw(net) };
        let mut rtnl = RtnlGuard::lock();
        let slot = T::id().raw_slot(net);
        if slot.is_null() {
            return ENOMEM.to_errno();
        }
        match T::init(net, &mut rtnl) {
            Ok(v) => {
                // INVARIANT: `value` is written before `ready` is set.
                // SAFETY: the slot is the core's zeroed (not ready) allocation
                // of `size_of::<Slot<T>>()` bytes, aligned (checked in `new`);
                // RTNL is held, so no reader looks at it meanwhile.
                unsafe {
                    (*slot).value.write(v);
                    (*slot).ready.store(true, Ordering::Release);
                }
                0
            }
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Called by the netns core for a dying namespace (or on
    /// unregistration), before it frees our slot.
    unsafe extern "C" fn exit_callback(net: *mut bindings::net) {
        // SAFETY: the namespace is live until its `exit` calls return.
        let net = unsafe { Net::from_raw(net) };
        let mut rtnl = RtnlGuard::lock();
        let slot = T::id().raw_slot(net);
        if slot.is_null() {
            return;
        }
        // SAFETY: the value is initialised iff `ready` (type invariant);
        // RTNL is held.
        if !unsafe { (*slot).ready.load(Ordering::Relaxed) } {
            return;
        }
        // SAFETY: as above; `exit` only borrows the value, under RTNL.
        T::exit(unsafe { (*slot).value.assume_init_ref() }, net, &mut rtnl);
        // INVARIANT: `ready` is cleared before the value is dropped.
        // SAFETY: RTNL is held, so no `get` borrow is alive.
        unsafe { (*slot).ready.store(false, Ordering::Release) };
        if T::RCU_READERS {
            // `get_rcu` readers that saw `ready` finish first.
            // SAFETY: process context (the netns work or module exit).
            unsafe { bindings::synchronize_rcu() };
        }
        // SAFETY: cut off from every reader above; initialised.
        unsafe { (*slot).value.assume_init_drop() };
    }
}

/// Registered per-namespace data; dropping it runs `exit` (dropping the
/// data) for every namespace (`unregister_pernet_subsys`).
pub struct PernetRegistration<T: PernetData> {
    ops: Pin<KBox<Opaque<bindings::pernet_operations>>>,
    _p: PhantomData<T>,
}

// SAFETY: the ops are only touched by the netns core under its locks.
unsafe impl<T: PernetData> Send for PernetRegistration<T> {}
// SAFETY: no `&self` method touches the ops.
unsafe impl<T: PernetData> Sync for PernetRegistration<T> {}

impl<T: PernetData> PernetRegistration<T> {
    /// Registers the data: `T::init` runs for every existing namespace
    /// before this returns, and for every new one. Takes RTNL (inside each
    /// `init`), so it must not be called with RTNL held.
    pub fn new() -> Result<Self> {
        // kzalloc'ed slots are aligned to at least 8 bytes on every
        // architecture the kernel supports.
        const { assert!(core::mem::align_of::<Slot<T>>() <= 8) };
        let id = T::id();
        if id.live.load(Ordering::Acquire) {
            return Err(EBUSY);
        }
        let size = core::mem::size_of::<Slot<T>>();
        let ops = KBox::pin(
            Opaque::new(bindings::pernet_operations {
                init: Some(Adapter::<T>::init_callback),
                exit: Some(Adapter::<T>::exit_callback),
                id: id.id.as_ptr(),
                size,
                // SAFETY: all-zero is valid for the rest (no batch hooks,
                // unlinked list head).
                ..unsafe { MaybeUninit::zeroed().assume_init() }
            }),
            GFP_KERNEL,
        )?;
        // SAFETY: the ops are pinned and live until `drop` unregisters them;
        // `id` points into a `'static`.
        to_result(unsafe {
            if T::DEVICE {
                bindings::register_pernet_device(ops.get())
            } else {
                bindings::register_pernet_subsys(ops.get())
            }
        })?;
        id.live.store(true, Ordering::Release);
        Ok(PernetRegistration {
            ops,
            _p: PhantomData,
        })
    }
}

impl<T: PernetData> Drop for PernetRegistration<T> {
    fn drop(&mut self) {
        {
            // Under RTNL, so that no `get` borrow is alive when readers are
            // cut off.
            let _rtnl = RtnlGuard::lock();
            T::id().live.store(false, Ordering::Release);
        }
        // SAFETY: registered in `new`; runs `exit` for every namespace.
        unsafe {
            if T::DEVICE {
                bindings::unregister_pernet_device(self.ops.get())
            } else {
                bindings::unregister_pernet_subsys(self.ops.get())
            }
        };
        // Module exit drops its registrations: no deferred RCU callback of
        // this module may outlive it.
        super::rcu::barrier_deferred();
    }
}
