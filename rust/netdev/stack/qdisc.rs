// SPDX-License-Identifier: GPL-2.0

//! Queueing disciplines (`struct Qdisc_ops`) implemented in Rust.
//!
//! Kernel rules encoded here:
//! - `enqueue`, `dequeue` and `reset` run under the qdisc's root lock: they
//!   receive a [`QdiscLocked`], a view of *that* qdisc which only the layer
//!   builds, inside those callbacks; the instance's packet queue
//!   ([`SkbQueue`], C's unlocked `__skb_queue_*` use) belongs to the layer's
//!   part of the private area and is reachable only through it, so it is
//!   only touched under its own qdisc's root lock (it is neither `Sync` nor
//!   constructible by drivers: no `static` or shared queue can exist);
//! - `init` and `destroy` run under RTNL (they receive a `&Rtnl`); `init`
//!   sees a [`QdiscCore`], which has no `data()`: the data is what `init`
//!   returns, and a [`Qdisc`] (with `data()`) is only handed out afterwards;
//! - the private area (`qdisc_priv`) holds the kind's [`QdiscKind::Data`],
//!   initialised by `init`; `destroy` is also called when `init` failed, so
//!   the data is dropped only if it was initialised;
//! - a registered kind keeps its module pinned while instances exist
//!   (`Qdisc_ops.owner`), so `rmmod` with attached instances fails with
//!   `EBUSY` instead of pulling code from under them.

use super::{bindings, device::NetDevice, nla::ExtAck, rtnl::Rtnl, skb::SkBuff};
use core::{cell::UnsafeCell, marker::PhantomData, mem::MaybeUninit, ops::Deref, pin::Pin};
use kernel::{alloc::KBox, error::to_result, ffi, prelude::*, types::Opaque, ThisModule};

/// A qdisc under its root lock, inside `enqueue`/`dequeue`/`reset`.
///
/// Only the layer builds one, for the qdisc whose callback runs, so it is
/// proof that *this* qdisc's root lock is held; it borrows the callback's
/// qdisc and is `!Send`, so it cannot outlive or leave the callback.
pub struct QdiscLocked<'a, Q: QdiscKind> {
    q: &'a Qdisc<Q>,
    _not_send: PhantomData<*mut ()>,
}

impl<'a, Q: QdiscKind> QdiscLocked<'a, Q> {
    /// # Safety
    ///
    /// The root lock of `q` must be held for `'a`, and `q` initialised.
    unsafe fn new(q: &'a Qdisc<Q>) -> Self {
        QdiscLocked {
            q,
            _not_send: PhantomData,
        }
    }

    /// The instance's packet queue.
    pub fn queue(&self) -> &SkbQueue {
        // SAFETY: the slot's queue is initialised with the data (`live`);
        // the root lock held for `'a` serialises every access to it.
        unsafe { &(*Qdisc::<Q>::slot(self.q.raw())).queue }
    }

    /// Sets `q.qlen`, the backlog the core reports and tests for emptiness.
    pub fn set_qlen(&self, qlen: u32) {
        // SAFETY: the root lock is held.
        unsafe { bindings::rvnet_qdisc_set_qlen(self.q.raw(), qlen) }
    }

    /// Counts a dequeued packet in the qdisc's byte/packet statistics.
    pub fn count_dequeued(&self, skb: &SkBuff) {
        // SAFETY: the root lock is held; the skb is live.
        unsafe { bindings::rvnet_qdisc_bstats_update(self.q.raw(), skb.as_raw()) }
    }
}

impl<Q: QdiscKind> Deref for QdiscLocked<'_, Q> {
    type Target = Qdisc<Q>;

    fn deref(&self) -> &Qdisc<Q> {
        self.q
    }
}

/// The FIFO of packets of one qdisc instance, used without a lock of its
/// own because the qdisc root lock serialises it (as C qdiscs use the
/// unlocked `__skb_queue_*` helpers). Linked through `skb->next`.
///
/// Each instance has one, in the layer's part of its private area; it is
/// reached only through [`QdiscLocked::queue`]. Not `Sync` and not
/// constructible outside this module.
pub struct SkbQueue {
    inner: UnsafeCell<QueueInner>,
}

struct QueueInner {
    head: *mut bindings::sk_buff,
    tail: *mut bindings::sk_buff,
    len: u32,
}

impl SkbQueue {
    /// An empty queue (private: only instances' slots hold queues).
    fn new() -> Self {
        SkbQueue {
            inner: UnsafeCell::new(QueueInner {
                head: core::ptr::null_mut(),
                tail: core::ptr::null_mut(),
                len: 0,
            }),
        }
    }

    /// Number of packets queued.
    pub fn len(&self) -> u32 {
        // SAFETY: a `&SkbQueue` exists only under the root lock (through
        // `QdiscLocked`) or with exclusive access, so no one mutates
        // concurrently.
        unsafe { (*self.inner.get()).len }
    }

    /// True if no packet is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends a packet.
    pub fn push(&self, skb: SkBuff) {
        let p = skb.into_raw();
        // SAFETY: under the root lock (see `len`); the queue takes
        // ownership of `p` and of the `next` link of every queued skb.
        unsafe {
            let q = &mut *self.inner.get();
            bindings::rvnet_skb_set_next(p, core::ptr::null_mut());
            if q.tail.is_null() {
                q.head = p;
            } else {
                bindings::rvnet_skb_set_next(q.tail, p);
            }
            q.tail = p;
            q.len += 1;
        }
    }

    fn pop_inner(q: &mut QueueInner) -> Option<SkBuff> {
        if q.head.is_null() {
            return None;
        }
        let p = q.head;
        // SAFETY: `p` is a queued skb owned by the queue.
        unsafe {
            q.head = bindings::rvnet_skb_next(p);
            bindings::rvnet_skb_set_next(p, core::ptr::null_mut());
        }
        if q.head.is_null() {
            q.tail = core::ptr::null_mut();
        }
        q.len -= 1;
        // SAFETY: unlinked, so ownership passes to the caller.
        Some(unsafe { SkBuff::from_raw(p) })
    }

    /// Removes the first packet.
    pub fn pop(&self) -> Option<SkBuff> {
        // SAFETY: under the root lock (see `len`); no reference into the
        // inner state outlives this call.
        Self::pop_inner(unsafe { &mut *self.inner.get() })
    }

    /// Frees every queued packet.
    pub fn purge(&self) {
        while let Some(skb) = self.pop() {
            skb.drop_reason(super::skb::DropReason::QueuePurge);
        }
    }
}

impl Drop for SkbQueue {
    fn drop(&mut self) {
        while let Some(skb) = Self::pop_inner(self.inner.get_mut()) {
            skb.drop_reason(super::skb::DropReason::QueuePurge);
        }
    }
}

/// A qdisc instance of kind `Q` whose private data may not exist yet: what
/// [`QdiscKind::init`] sees (no `data()`). [`Qdisc`] derefs to it.
#[repr(transparent)]
pub struct QdiscCore<Q: QdiscKind>(Opaque<bindings::Qdisc>, PhantomData<Q>);

/// A qdisc instance of kind `Q` with initialised private data.
#[repr(transparent)]
pub struct Qdisc<Q: QdiscKind>(QdiscCore<Q>);

/// A qdisc's identity, for comparisons only (never dereferenced).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct QdiscId(usize);

impl<Q: QdiscKind> QdiscCore<Q> {
    fn raw(&self) -> *mut bindings::Qdisc {
        self.0.get()
    }

    /// The device the qdisc is attached to (`qdisc_dev`).
    pub fn dev(&self) -> &NetDevice {
        // SAFETY: a qdisc holds a reference on its device for its lifetime.
        unsafe { NetDevice::from_raw(bindings::rvnet_qdisc_dev(self.raw())) }
    }

    /// True if the qdisc is the root of its device (`parent == TC_H_ROOT`).
    pub fn is_root(&self) -> bool {
        // SAFETY: `parent` is set before `init` and constant afterwards.
        unsafe { bindings::rvnet_qdisc_is_root(self.raw()) }
    }

    /// The identity of this instance.
    pub fn id(&self) -> QdiscId {
        QdiscId(self.raw() as usize)
    }

    /// The kind's context object given at registration.
    pub fn context(&self) -> &Q::Context {
        // SAFETY: `ops` points into a live `OpsBlock<Q>` (its registration
        // outlives every instance: the module is pinned by `owner`).
        unsafe { &(*bindings::rvnet_qdisc_ops(self.raw()).cast::<OpsBlock<Q>>()).ctx }
    }

    /// # Safety
    ///
    /// `sch` must be a live qdisc of kind `Q` for `'a`.
    unsafe fn from_raw<'a>(sch: *mut bindings::Qdisc) -> &'a Self {
        // SAFETY: transparent wrapper; liveness is the caller's contract.
        unsafe { &*sch.cast::<Self>() }
    }
}

impl<Q: QdiscKind> Qdisc<Q> {
    /// The instance's private data (initialised by `init`).
    pub fn data(&self) -> &Q::Data {
        // SAFETY: a `&Qdisc<Q>` is only handed out after a successful
        // `init` (type invariant, checked by the trampolines).
        unsafe { (*Self::slot(self.raw())).data.assume_init_ref() }
    }

    fn slot(sch: *mut bindings::Qdisc) -> *mut QSlot<Q::Data> {
        // SAFETY: the qdisc was allocated with `priv_size` for a `QSlot`.
        unsafe { bindings::rvnet_qdisc_priv(sch) }.cast()
    }

    /// # Safety
    ///
    /// `sch` must be a live qdisc of kind `Q` for `'a` whose data is
    /// initialised.
    unsafe fn from_raw<'a>(sch: *mut bindings::Qdisc) -> &'a Self {
        // SAFETY: transparent wrapper; liveness is the caller's contract.
        unsafe { &*sch.cast::<Self>() }
    }
}

impl<Q: QdiscKind> Deref for Qdisc<Q> {
    type Target = QdiscCore<Q>;

    fn deref(&self) -> &QdiscCore<Q> {
        &self.0
    }
}

impl NetDevice {
    /// True if `id` is the qdisc attached to this device's transmit queue 0
    /// (`qdisc_sleeping`): the instance is still in place.
    #[inline]
    pub fn txq0_qdisc_is(&self, id: QdiscId) -> bool {
        // SAFETY: only the pointer value is read (`rcu_access_pointer`).
        unsafe {
            core::ptr::addr_of!((*self.txq0()).qdisc_sleeping).read_volatile() as usize == id.0
        }
    }

    /// Drops every packet waiting in the qdisc of this device's transmit
    /// queue 0 (`dev_reset_queue`), as a master does when its last lower
    /// device goes: what it queued (and stopped its queue for) would
    /// otherwise wait for a wake-up that never comes, and keep its
    /// sockets, and their namespaces, alive.
    pub fn txq0_reset(&self, _rtnl: &Rtnl) {
        // SAFETY: RTNL held (the helper reads `qdisc_sleeping` with
        // `rtnl_dereference`) and takes the qdisc's locks itself.
        unsafe { bindings::rvnet_txq0_reset(self.as_raw()) }
    }

    /// Backlog of the qdisc on this device's transmit queue 0.
    pub fn txq0_qlen(&self) -> u32 {
        // SAFETY: called from qdisc/xmit context, under RCU-bh.
        unsafe { bindings::rvnet_txq0_qdisc_qlen(self.as_raw()) }
    }
}

/// A queueing discipline kind.
#[vtable]
pub trait QdiscKind: Sized + 'static {
    /// Per-instance private data (`qdisc_priv`).
    type Data: Send + Sync;
    /// Shared context of the kind (e.g. the master device it feeds).
    type Context: Send + Sync;

    /// `init`, under RTNL: builds the instance's data (not readable yet:
    /// a [`QdiscCore`] has no `data()`).
    fn init(q: &QdiscCore<Self>, extack: &mut ExtAck, rtnl: &mut Rtnl) -> Result<Self::Data>;

    /// `enqueue`, under the root lock; `Err` gives the packet back to be
    /// dropped and counted (`qdisc_drop`).
    fn enqueue(q: &QdiscLocked<'_, Self>, skb: SkBuff) -> core::result::Result<(), SkBuff>;

    /// `dequeue`, under the root lock.
    fn dequeue(q: &QdiscLocked<'_, Self>) -> Option<SkBuff>;

    /// `reset`, under the root lock: drop queued packets (the layer then
    /// purges the instance's [`SkbQueue`]).
    fn reset(q: &QdiscLocked<'_, Self>);

    /// `destroy`, under RTNL, before the data is dropped.
    fn destroy(q: &Qdisc<Self>, rtnl: &mut Rtnl);
}

/// # Invariants
///
/// `queue` and `data` are initialised iff `live`.
struct QSlot<T> {
    live: bool,
    queue: SkbQueue,
    data: MaybeUninit<T>,
}

/// The registered ops: the C `Qdisc_ops` first, then the context.
#[repr(C)]
struct OpsBlock<Q: QdiscKind> {
    ops: Opaque<bindings::Qdisc_ops>,
    ctx: Q::Context,
}

struct QAdapter<Q: QdiscKind>(PhantomData<Q>);

impl<Q: QdiscKind> QAdapter<Q> {
    /// # Safety
    ///
    /// Only called by the qdisc core with a live qdisc of this kind.
    unsafe extern "C" fn init_cb(
        sch: *mut bindings::Qdisc,
        _opt: *mut bindings::nlattr,
        extack: *mut bindings::netlink_ext_ack,
    ) -> ffi::c_int {
        let slot = Qdisc::<Q>::slot(sch);
        // SAFETY: the private area is ours; `qdisc_alloc` zeroed it.
        unsafe { (*slot).live = false };
        // SAFETY: `init` runs under RTNL on a live qdisc; the ack is valid.
        let (q, mut ack, rtnl) = unsafe {
            (
                QdiscCore::<Q>::from_raw(sch),
                ExtAck::from_raw(extack),
                Rtnl::assume_held(),
            )
        };
        match Q::init(q, &mut ack, rtnl) {
            Ok(d) => {
                // SAFETY: no other callback runs before `init` returns.
                unsafe {
                    core::ptr::addr_of_mut!((*slot).queue).write(SkbQueue::new());
                    (*slot).data.write(d);
                    // INVARIANT: just initialised.
                    (*slot).live = true;
                }
                0
            }
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the qdisc core under the root lock.
    unsafe extern "C" fn enqueue_cb(
        skb: *mut bindings::sk_buff,
        sch: *mut bindings::Qdisc,
        to_free: *mut *mut bindings::sk_buff,
    ) -> ffi::c_int {
        // SAFETY: the core owns `skb` and gives it to us; the qdisc is live
        // and initialised (enqueue is only called on grafted qdiscs).
        let (l, skb) = unsafe {
            (
                QdiscLocked::new(Qdisc::<Q>::from_raw(sch)),
                SkBuff::from_raw(skb),
            )
        };
        match Q::enqueue(&l, skb) {
            Ok(()) => bindings::NET_XMIT_SUCCESS as ffi::c_int,
            Err(skb) => {
                // SAFETY: `qdisc_drop` takes the skb and counts the drop.
                unsafe { bindings::rvnet_qdisc_drop(skb.into_raw(), sch, to_free) }
            }
        }
    }

    /// # Safety
    ///
    /// Only called by the qdisc core under the root lock.
    unsafe extern "C" fn dequeue_cb(sch: *mut bindings::Qdisc) -> *mut bindings::sk_buff {
        // SAFETY: live, initialised qdisc under its root lock.
        let l = unsafe { QdiscLocked::new(Qdisc::<Q>::from_raw(sch)) };
        Q::dequeue(&l).map_or(core::ptr::null_mut(), SkBuff::into_raw)
    }

    /// # Safety
    ///
    /// Only called by the qdisc core.
    unsafe extern "C" fn peek_cb(_sch: *mut bindings::Qdisc) -> *mut bindings::sk_buff {
        core::ptr::null_mut()
    }

    /// # Safety
    ///
    /// Only called by the qdisc core under the root lock.
    unsafe extern "C" fn reset_cb(sch: *mut bindings::Qdisc) {
        // SAFETY: live qdisc; reset may come before a successful init only
        // if init failed, which the `live` check covers.
        if unsafe { (*Qdisc::<Q>::slot(sch)).live } {
            // SAFETY: initialised (checked above), under the root lock.
            let l = unsafe { QdiscLocked::new(Qdisc::<Q>::from_raw(sch)) };
            Q::reset(&l);
            l.queue().purge();
        }
    }

    /// # Safety
    ///
    /// Only called by the qdisc core, under RTNL, once per instance.
    unsafe extern "C" fn destroy_cb(sch: *mut bindings::Qdisc) {
        let slot = Qdisc::<Q>::slot(sch);
        // SAFETY: private area of a live qdisc.
        if !unsafe { (*slot).live } {
            return;
        }
        // SAFETY: initialised; destroy runs under RTNL with no concurrent
        // enqueue/dequeue any more.
        let (q, rtnl) = unsafe { (Qdisc::<Q>::from_raw(sch), Rtnl::assume_held()) };
        Q::destroy(q, rtnl);
        // SAFETY: last use of the queue and the data; `live` cleared first.
        unsafe {
            (*slot).live = false;
            core::ptr::drop_in_place(core::ptr::addr_of_mut!((*slot).queue));
            (*slot).data.assume_init_drop();
        }
    }

    fn ops(id: &[u8], module: &'static ThisModule) -> bindings::Qdisc_ops {
        let mut ops = bindings::Qdisc_ops {
            priv_size: core::mem::size_of::<QSlot<Q::Data>>() as ffi::c_int,
            enqueue: Some(Self::enqueue_cb),
            dequeue: Some(Self::dequeue_cb),
            peek: Some(Self::peek_cb),
            init: Some(Self::init_cb),
            reset: Some(Self::reset_cb),
            destroy: Some(Self::destroy_cb),
            // The two binding sets declare `struct module` separately.
            owner: module.as_ptr().cast(),
            // SAFETY: all-zero is valid for the remaining fields.
            ..unsafe { MaybeUninit::zeroed().assume_init() }
        };
        for (d, &s) in ops.id.iter_mut().zip(id.iter().take(15)) {
            *d = s as ffi::c_char;
        }
        ops
    }
}

/// A registered qdisc kind; dropping it unregisters the kind. Instances
/// pin the module, so none exist when a module drops its registration.
pub struct QdiscRegistration<Q: QdiscKind> {
    block: Pin<KBox<OpsBlock<Q>>>,
}

// SAFETY: the ops are only touched by the qdisc core under its own locks;
// the context is `Send + Sync`.
unsafe impl<Q: QdiscKind> Send for QdiscRegistration<Q> {}
// SAFETY: as above.
unsafe impl<Q: QdiscKind> Sync for QdiscRegistration<Q> {}

impl<Q: QdiscKind> QdiscRegistration<Q> {
    /// Registers kind `id` (`tc qdisc add ... <id>`, at most 15 bytes) with
    /// context `ctx`.
    pub fn new(id: &[u8], ctx: Q::Context, module: &'static ThisModule) -> Result<Self> {
        let block = KBox::pin(
            OpsBlock {
                ops: Opaque::new(QAdapter::<Q>::ops(id, module)),
                ctx,
            },
            GFP_KERNEL,
        )?;
        // SAFETY: the ops are pinned and live until `drop` unregisters them.
        to_result(unsafe { bindings::rvnet_register_qdisc(block.ops.get()) })?;
        Ok(QdiscRegistration { block })
    }

    /// The context.
    pub fn context(&self) -> &Q::Context {
        &self.block.ctx
    }
}

impl<Q: QdiscKind> Drop for QdiscRegistration<Q> {
    fn drop(&mut self) {
        // SAFETY: registered in `new`.
        unsafe { bindings::rvnet_unregister_qdisc(self.block.ops.get()) };
        // Module exit drops its registrations: no deferred RCU callback of
        // this module may outlive it.
        super::rcu::barrier_deferred();
    }
}
