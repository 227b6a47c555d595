// SPDX-License-Identifier: GPL-2.0

//! RCU read-side critical sections and RCU-published pointers.
//!
//! Kernel rule: a pointer published with `rcu_assign_pointer` may be read
//! without locks inside `rcu_read_lock()`/`rcu_read_unlock()`, and the old
//! object may only be freed after a grace period. [`RcuGuard`] is the read
//! side; [`RcuPtr`] ties every reference it hands out to a guard, and hands
//! replaced objects back as a [`Retired`], freed after a grace period in one
//! of two ways:
//!
//! - dropping it waits for the grace period (`synchronize_rcu`) and frees the
//!   object before returning: for callers that need "freed when this
//!   returns" (e.g. the object pins something that must be gone next);
//! - [`Retired::defer`] returns at once and frees the object from an RCU
//!   callback (`call_rcu` on an `rcu_head` embedded in the allocation, or
//!   `kvfree_call_rcu` when the type has no destructor), as C's
//!   `call_rcu`/`kfree_rcu` do. The destructor then runs in softirq context,
//!   so only types whose drop is atomic-safe ([`AtomicDrop`]) can be deferred.
//!
//! A deferred destructor is code of the module that queued it. Every rvnet
//! module compiles its own copy of this file, so the counters below are per
//! module; the `Drop` of every registration type of this layer (the only way
//! the kernel can enter a module, and what a module's exit drops) ends with
//! [`barrier_deferred`], which runs `rcu_barrier()` if this module queued a
//! callback since the last barrier. A module therefore cannot finish its exit
//! (and have its text freed) with one of its callbacks still pending, and a
//! driver has nothing to remember.

use super::{bindings, device::NetDevice, qdisc::QdiscId, rtnl::Rtnl};
use core::{
    marker::PhantomData,
    mem::{needs_drop, ManuallyDrop},
    ptr,
    sync::atomic::{self, AtomicPtr, AtomicUsize, Ordering},
};
use kernel::{
    alloc::{AllocError, Flags, KBox, KVec},
    sync::Arc,
    types::ARef,
};

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

/// Types whose drop may run in softirq context (an RCU callback): it does not
/// sleep, take a mutex or semaphore, wait for a grace period or for work,
/// nor touch the current task. Dropping only frees memory with `kfree`,
/// releases references (`dev_put`, `Arc`) and drops other `AtomicDrop`s.
///
/// The layer implements it for primitives, atomics, `ARef<NetDevice>`,
/// `Arc`, `KBox`, `KVec`, `Option` and arrays of `AtomicDrop` types; it is
/// deliberately not implemented for [`RcuPtr`] (its drop may wait for a
/// barrier), skbs, registrations or anything holding a lock guard. Drivers
/// declare their own structs with [`atomic_drop!`](crate::atomic_drop),
/// which checks at compile time that every field is `AtomicDrop` and that
/// the struct has no `Drop` impl of its own.
///
/// Kernel rule enforced: an RCU callback (`call_rcu`) runs in softirq
/// context, where sleeping is a bug. The trait is `unsafe`: implementing it
/// is a promise the compiler cannot check, so a driver (which has no
/// `unsafe`) can only get it through `atomic_drop!`, which derives it from
/// the fields.
///
/// # Safety
///
/// Dropping a value of the type must be allowed in softirq context: no
/// sleeping, no mutex, no waiting for a grace period or for work.
pub unsafe trait AtomicDrop {}

macro_rules! atomic_drop_leaf {
    // SAFETY: dropping these frees nothing or only releases a reference
    // (`dev_put`), which is allowed in any context.
    ($($t:ty),* $(,)?) => { $(unsafe impl AtomicDrop for $t {})* };
}

atomic_drop_leaf!(
    (),
    bool,
    u8,
    u16,
    u32,
    u64,
    usize,
    i8,
    i16,
    i32,
    i64,
    isize,
    atomic::AtomicBool,
    atomic::AtomicU8,
    atomic::AtomicU16,
    atomic::AtomicU32,
    atomic::AtomicU64,
    atomic::AtomicUsize,
    atomic::AtomicI32,
    atomic::AtomicI64,
    ARef<NetDevice>,
    QdiscId,
);

// SAFETY: dropping an `Option` or an array drops `AtomicDrop` values only.
unsafe impl<T: AtomicDrop> AtomicDrop for Option<T> {}
// SAFETY: as above.
unsafe impl<T: AtomicDrop, const N: usize> AtomicDrop for [T; N] {}
// SAFETY: `kfree` may be called from any context; the contents are
// `AtomicDrop`.
unsafe impl<T: AtomicDrop> AtomicDrop for KBox<T> {}
// SAFETY: as above.
unsafe impl<T: AtomicDrop> AtomicDrop for KVec<T> {}
// SAFETY: the last reference drops `T` (`AtomicDrop`) and frees with `kfree`.
unsafe impl<T: AtomicDrop> AtomicDrop for Arc<T> {}
// SAFETY: pure transmit-selection data: `Copy`, so no drop glue at all.
unsafe impl AtomicDrop for super::txsel::Port {}
// SAFETY: as above.
unsafe impl AtomicDrop for super::txsel::roundrobin::RrConfig {}

/// A `Copy` value inside an [`AtomicDrop`] struct: `Copy` types have no
/// drop glue, so dropping one is trivially atomic-safe. Reads through
/// `Deref` (`snap.cfg.mode`).
#[derive(Clone, Copy)]
pub struct Plain<T: Copy>(pub T);

// SAFETY: `Copy` types have no drop glue.
unsafe impl<T: Copy> AtomicDrop for Plain<T> {}

impl<T: Copy> core::ops::Deref for Plain<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Declares a struct whose drop is atomic-safe ([`AtomicDrop`]).
///
/// Fails to compile if a field type is not `AtomicDrop` or if the struct
/// implements `Drop` itself. Plain (non-generic, named-field) structs only.
///
/// ```ignore
/// crate::atomic_drop! {
///     pub(crate) struct Set { pub(crate) devs: KVec<ARef<NetDevice>> }
/// }
/// ```
#[macro_export]
macro_rules! atomic_drop {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$fmeta:meta])* $fvis:vis $field:ident : $fty:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$fmeta])* $fvis $field: $fty),*
        }

        // SAFETY: dropping the struct drops its fields and nothing else
        // (it has no `Drop` impl, checked below), and every field is
        // `AtomicDrop` (the `where` clause). Allowed in drivers: the
        // promise is checked here, not made by the driver.
        #[allow(unsafe_code)]
        unsafe impl $crate::netdev::rcu::AtomicDrop for $name
        where
            $($fty: $crate::netdev::rcu::AtomicDrop,)*
        {
        }

        // A `Drop` impl of the struct itself would conflict with this
        // blanket impl (the check pin-project uses).
        const _: () = {
            #[allow(dead_code)]
            trait MustNotImplDrop {}
            #[allow(drop_bounds)]
            impl<T: ::core::ops::Drop> MustNotImplDrop for T {}
            impl MustNotImplDrop for $name {}
        };
    };
}

/// Deferred callbacks (`call_rcu`) this module has queued: incremented once
/// `call_rcu` returned, never decremented.
static QUEUED: AtomicUsize = AtomicUsize::new(0);
/// The value of `QUEUED` that the last `rcu_barrier()` covered.
static WAITED: AtomicUsize = AtomicUsize::new(0);

/// Waits (`rcu_barrier()`) for every RCU callback this module queued with
/// [`Retired::defer`], if one was queued since the last barrier. Process
/// context; may sleep.
///
/// Called by the `Drop` of every registration of this layer after it
/// unregistered, so that module exit cannot return (and the module text
/// cannot be freed) while a callback of the module is still pending.
///
/// Never under RTNL: it flushes the `rtnl_defer` work, which takes RTNL.
/// The registrations that call it cannot be dropped under RTNL anyway
/// (unregistering a notifier, pernet operations, a link kind or a device
/// takes RTNL or `pernet_ops_rwsem` itself), and the test kernel's lockdep
/// reports a flush of a work item that takes a lock the flusher holds.
pub(crate) fn barrier_deferred() {
    // Teardowns deferred to an RTNL work item are module code too (and may
    // queue RCU callbacks): run them first.
    super::rtnl_defer::flush();
    let queued = QUEUED.load(Ordering::Acquire);
    if queued != WAITED.load(Ordering::Acquire) {
        // SAFETY: process context (registrations are dropped by module exit
        // or other sleepable paths); waits for all queued RCU callbacks.
        unsafe { bindings::rcu_barrier() };
        WAITED.fetch_max(queued, Ordering::AcqRel);
    }
}

/// One allocation that can be published in an [`RcuPtr`]: the value and the
/// `rcu_head` its deferred free needs (C embeds an `rcu_head` in the object).
#[repr(C)]
pub(super) struct RcuNode<T> {
    head: bindings::callback_head,
    pub(super) value: T,
}

/// A value allocated for publication in an [`RcuPtr`] (value plus an
/// embedded `rcu_head`).
pub struct RcuBox<T>(KBox<RcuNode<T>>);

impl<T> RcuBox<T> {
    /// Allocates `value` with room for its deferred free.
    pub fn new(value: T, flags: Flags) -> Result<Self, AllocError> {
        let node = RcuNode {
            head: bindings::callback_head {
                next: ptr::null_mut(),
                func: None,
            },
            value,
        };
        Ok(RcuBox(KBox::new(node, flags)?))
    }

    /// As [`RcuBox::new`], but gives `value` back if memory is short.
    pub fn try_new(value: T, flags: Flags) -> Result<Self, T> {
        let Ok(uninit) = KBox::<RcuNode<T>>::new_uninit(flags) else {
            return Err(value);
        };
        let node = RcuNode {
            head: bindings::callback_head {
                next: ptr::null_mut(),
                func: None,
            },
            value,
        };
        Ok(RcuBox(KBox::write(uninit, node)))
    }

    /// Gives up ownership of the node (for the layer's own RCU
    /// structures, e.g. `rcu_hash`); [`Retired::from_raw`] takes it back.
    pub(super) fn into_raw(self) -> *mut RcuNode<T> {
        KBox::into_raw(self.0)
    }
}

impl<T> core::ops::Deref for RcuBox<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0.value
    }
}

/// An owned, RCU-published pointer to a `T` (or nothing).
///
/// Readers call [`RcuPtr::get`] with a guard and take no lock; the writer
/// side ([`RcuPtr::replace`]) is serialised by RTNL and returns the old value
/// as a [`Retired`], freed after a grace period (synchronously on drop, or
/// in the background with [`Retired::defer`]).
///
/// # Invariants
///
/// `ptr` is null or comes from `KBox::into_raw` of an [`RcuBox`] and is owned
/// by this value.
pub struct RcuPtr<T> {
    ptr: AtomicPtr<RcuNode<T>>,
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
    pub fn new(value: RcuBox<T>) -> Self {
        // INVARIANT: the pointer comes from `KBox::into_raw` of an `RcuBox`.
        RcuPtr {
            ptr: AtomicPtr::new(KBox::into_raw(value.0)),
        }
    }

    /// Reads the current value (`rcu_dereference`).
    ///
    /// The reference cannot outlive the critical section nor `self`.
    pub fn get<'a>(&'a self, _guard: &'a RcuGuard) -> Option<&'a T> {
        // Acquire orders the loads through the pointer after the load of the
        // pointer, which is what `rcu_dereference` guarantees.
        let p = self.ptr.load(Ordering::Acquire);
        // SAFETY: by the type invariant `p` is null or a live node owned by
        // `self`; a replaced value is freed only after a grace period, which
        // cannot end while `_guard` keeps this critical section open.
        unsafe { p.as_ref() }.map(|n| &n.value)
    }

    /// Reads the current value on the update side, under RTNL.
    ///
    /// The reference is bounded by a shared borrow of the token: `replace`
    /// needs `&mut Rtnl`, so it cannot retire (and free) the value while
    /// the reference is alive.
    pub fn get_rtnl<'a>(&'a self, _rtnl: &'a Rtnl) -> Option<&'a T> {
        let p = self.ptr.load(Ordering::Acquire);
        // SAFETY: writers hold RTNL and an exclusive borrow of the token, so
        // the value cannot be replaced (and therefore not freed) while
        // `_rtnl` is borrowed.
        unsafe { p.as_ref() }.map(|n| &n.value)
    }

    /// Publishes `new` (`rcu_assign_pointer`) and returns the old value.
    ///
    /// Writers are serialised by RTNL and take it exclusively (`&mut Rtnl`):
    /// no reference from [`RcuPtr::get_rtnl`] survives. The old value may
    /// still be in use by RCU readers: dropping the returned [`Retired`]
    /// waits for a grace period and frees it; [`Retired::defer`] frees it
    /// later without waiting.
    pub fn replace(&self, new: Option<RcuBox<T>>, _rtnl: &mut Rtnl) -> Retired<T> {
        let newp = new.map_or(ptr::null_mut(), |b| KBox::into_raw(b.0));
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

/// An RCU-published value that is always there (a configuration replaced
/// as a whole): [`RcuPtr`] without the empty state, so a reader gets `&T`
/// with no branch and no copy (C's `READ_ONCE` of a field in place).
///
/// # Invariants
///
/// `ptr` is never null.
pub struct RcuCell<T> {
    ptr: RcuPtr<T>,
}

impl<T> RcuCell<T> {
    /// A cell holding `value`.
    pub fn new(value: RcuBox<T>) -> Self {
        // INVARIANT: `RcuPtr::new` of a box is not null.
        RcuCell {
            ptr: RcuPtr::new(value),
        }
    }

    /// Reads the current value (`rcu_dereference`), bounded by the
    /// critical section.
    #[inline(always)]
    pub fn get<'a>(&'a self, _guard: &'a RcuGuard) -> &'a T {
        let p = self.ptr.ptr.load(Ordering::Acquire);
        // SAFETY: never null (type invariant): a live node owned by `ptr`,
        // freed only after a grace period once replaced, which `_guard`
        // holds off (as in `RcuPtr::get`).
        unsafe { &(*p).value }
    }

    /// Reads the current value under RTNL (see [`RcuPtr::get_rtnl`]).
    pub fn get_rtnl<'a>(&'a self, _rtnl: &'a Rtnl) -> &'a T {
        let p = self.ptr.ptr.load(Ordering::Acquire);
        // SAFETY: never null (type invariant); `replace` needs `&mut Rtnl`,
        // so the value is not retired while `_rtnl` is borrowed.
        unsafe { &(*p).value }
    }

    /// Publishes `new` and returns the old value (see
    /// [`RcuPtr::replace`]).
    pub fn replace(&self, new: RcuBox<T>, rtnl: &mut Rtnl) -> Retired<T> {
        // INVARIANT: a box is not null.
        self.ptr.replace(Some(new), rtnl)
    }
}

/// A value removed from an [`RcuPtr`], still possibly seen by readers.
///
/// Dropping it waits for a grace period (`synchronize_rcu`) and then frees
/// the value: may sleep. [`Retired::defer`] frees it after a grace period
/// without waiting.
///
/// # Invariants
///
/// `ptr` is null or an owned pointer from `KBox::into_raw` of an [`RcuBox`]
/// that is no longer reachable through the `RcuPtr`.
pub struct Retired<T> {
    ptr: *mut RcuNode<T>,
}

impl<T> Retired<T> {
    /// Takes back a node unlinked from one of the layer's RCU structures.
    ///
    /// # Safety
    ///
    /// `ptr` is null or comes from [`RcuBox::into_raw`], is owned by the
    /// caller (who gives that up) and is no longer reachable by readers
    /// that start after this call.
    pub(super) unsafe fn from_raw(ptr: *mut RcuNode<T>) -> Self {
        // INVARIANT: the caller's contract.
        Retired { ptr }
    }
}

impl<T: AtomicDrop + Send + 'static> Retired<T> {
    /// Frees the value after a grace period, without waiting for it
    /// (C: `call_rcu`, or `kfree_rcu` when `T` has no destructor).
    ///
    /// `T`'s destructor runs later in softirq context on any CPU, hence
    /// `AtomicDrop + Send + 'static`. The module's exit waits for it (see the
    /// module documentation).
    pub fn defer(self) {
        let this = ManuallyDrop::new(self);
        let p = this.ptr;
        if p.is_null() {
            return;
        }
        if !needs_drop::<T>() {
            // SAFETY: `p` is owned (invariant) and unreachable for new
            // readers; the core frees the allocation (from `kmalloc`) after a
            // grace period with `kvfree`, running no code of this module.
            unsafe { bindings::kvfree_call_rcu(ptr::addr_of_mut!((*p).head), p.cast()) };
            return;
        }
        // SAFETY: as above; `head` is embedded in the allocation, unused
        // (never queued before: ownership passes to the callback), and
        // `free_callback::<T>` matches the node type.
        unsafe { bindings::call_rcu(ptr::addr_of_mut!((*p).head), Some(free_callback::<T>)) };
        QUEUED.fetch_add(1, Ordering::AcqRel);
    }
}

/// The RCU callback of [`Retired::defer`]: drops and frees the node.
///
/// # Safety
///
/// Only called by RCU, once, with the `head` of a node queued by `defer`.
unsafe extern "C" fn free_callback<T: AtomicDrop>(head: *mut bindings::callback_head) {
    // SAFETY: `head` is the first field of a `#[repr(C)]` `RcuNode<T>` that
    // came from `KBox::into_raw`; the grace period has elapsed, so no reader
    // can reach it; `T: AtomicDrop` makes the drop legal in softirq context.
    drop(unsafe { KBox::from_raw(head.cast::<RcuNode<T>>()) });
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

/// Waits until every RCU reader that started before the call has finished
/// (`synchronize_net`: expedited under RTNL), e.g. the receive handlers that
/// may still see a flag just cleared. Sleeps: process context only (a call
/// inside an [`RcuGuard`] is reported by lockdep at run time).
pub fn synchronize_net(_rtnl: &Rtnl) {
    // SAFETY: no arguments; process context (the caller holds RTNL, a mutex).
    unsafe { bindings::synchronize_net() };
}
