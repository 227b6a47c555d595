// SPDX-License-Identifier: GPL-2.0

//! Teardown that needs RTNL, run later when the owner is dropped without it.
//!
//! Kernel rule: `netdev_rx_handler_unregister` and
//! `netdev_upper_dev_unlink` run under RTNL. Registrations of this layer
//! that need it (`RxHandlerRegistration`, `UpperLink`) offer an explicit
//! `unregister(self, &Rtnl)`/`unlink(self, &Rtnl)`; when one is merely
//! dropped (its owner's data freed by `priv_destructor` after
//! `rtnl_unlock`, a driver dropping it in a work item, ...), we cannot know
//! whether this task holds RTNL, so the drop never unregisters inline: the
//! registration's state was allocated at registration time together with a
//! queue node, and the drop pushes it on this module's list and schedules
//! a work item that takes RTNL and tears everything on the list down.
//! Until then the registration keeps what the kernel still reaches (the
//! handler's data, its device references), so nothing is freed early; the
//! module's exit flushes the work (from `rcu::barrier_deferred`, which the
//! `Drop` of every module-level registration runs, never under RTNL)
//! before its text can go.

use super::{bindings, rtnl::Rtnl};
use core::{
    ptr,
    sync::atomic::{AtomicPtr, AtomicU8, AtomicUsize, Ordering},
};
use kernel::{alloc::KBox, prelude::*, types::Opaque};

/// State whose teardown needs RTNL.
pub(crate) trait RtnlTeardown: Send + 'static {
    /// Undoes the registration, under RTNL.
    fn teardown(self, rtnl: &Rtnl);
}

/// The list link of a queued teardown; first field of a [`Node`].
#[repr(C)]
struct Link {
    next: *mut Link,
    run: unsafe fn(*mut Link, &Rtnl),
}

#[repr(C)]
struct Node<P> {
    link: Link,
    payload: P,
}

/// A registration's state `P` with the node that carries it to the work
/// item if it is dropped without RTNL.
///
/// # Invariants
///
/// `node` is `Some` until `take` or `drop`.
pub(crate) struct Deferrable<P: RtnlTeardown> {
    node: Option<KBox<Node<P>>>,
}

// SAFETY: the node's link is only used once the node is queued (after the
// `Deferrable` is gone); otherwise it is plain owned `P`.
unsafe impl<P: RtnlTeardown> Send for Deferrable<P> {}
// SAFETY: shared access only reads `P` (`get`).
unsafe impl<P: RtnlTeardown + Sync> Sync for Deferrable<P> {}

impl<P: RtnlTeardown> Deferrable<P> {
    /// Allocates the node for `payload` (process context).
    pub(crate) fn new(payload: P) -> Result<Self> {
        let node = KBox::new(
            Node {
                link: Link {
                    next: ptr::null_mut(),
                    run: run::<P>,
                },
                payload,
            },
            GFP_KERNEL,
        )?;
        Ok(Deferrable { node: Some(node) })
    }

    /// The state.
    pub(crate) fn get(&self) -> Option<&P> {
        self.node.as_ref().map(|n| &n.payload)
    }

    /// Drops the state without tearing it down (its registration failed).
    pub(crate) fn discard(mut self) {
        drop(self.node.take());
    }

    /// Tears down now, under RTNL.
    pub(crate) fn teardown(mut self, rtnl: &Rtnl) {
        if let Some(n) = self.node.take() {
            KBox::into_inner(n).payload.teardown(rtnl);
        }
    }
}

impl<P: RtnlTeardown> Drop for Deferrable<P> {
    fn drop(&mut self) {
        if let Some(n) = self.node.take() {
            push(KBox::into_raw(n).cast::<Link>());
        }
    }
}

/// Runs one queued teardown and frees its node.
///
/// # Safety
///
/// `l` is the link of a `Node<P>` from `KBox::into_raw`, queued once; RTNL
/// is held.
unsafe fn run<P: RtnlTeardown>(l: *mut Link, rtnl: &Rtnl) {
    // SAFETY: per the contract, `l` is the first field of a `#[repr(C)]`
    // `Node<P>` we own again.
    let n = unsafe { KBox::from_raw(l.cast::<Node<P>>()) };
    KBox::into_inner(n).payload.teardown(rtnl);
}

/// This module's queue (each module compiles its own copy of the layer).
struct Queue {
    head: AtomicPtr<Link>,
    /// 0: work not initialised, 1: being initialised, 2: ready.
    state: AtomicU8,
    work: Opaque<bindings::work_struct>,
}

// SAFETY: `head` and `state` are atomics; `work` is initialised once (under
// `state`) and then only used through the thread-safe workqueue API.
unsafe impl Sync for Queue {}

/// Teardowns pushed since the module loaded, and how many the last flush
/// covered: a module that never drops a registration without its explicit
/// teardown never flushes (nor waits for RTNL).
static PUSHED: AtomicUsize = AtomicUsize::new(0);
static FLUSHED: AtomicUsize = AtomicUsize::new(0);

static QUEUE: Queue = Queue {
    head: AtomicPtr::new(ptr::null_mut()),
    state: AtomicU8::new(0),
    work: Opaque::uninit(),
};

fn push(l: *mut Link) {
    let mut head = QUEUE.head.load(Ordering::Relaxed);
    loop {
        // SAFETY: `l` is ours until it is published by the exchange below.
        unsafe { (*l).next = head };
        match QUEUE
            .head
            .compare_exchange_weak(head, l, Ordering::Release, Ordering::Relaxed)
        {
            Ok(_) => break,
            Err(h) => head = h,
        }
    }
    match QUEUE
        .state
        .compare_exchange(0, 1, Ordering::Acquire, Ordering::Acquire)
    {
        Ok(_) => {
            // SAFETY: first use; nobody else touches `work` until `state`
            // is 2.
            unsafe { bindings::rvnet_init_work(QUEUE.work.get(), Some(work_fn)) };
            QUEUE.state.store(2, Ordering::Release);
        }
        Err(_) => {
            while QUEUE.state.load(Ordering::Acquire) != 2 {
                core::hint::spin_loop();
            }
        }
    }
    PUSHED.fetch_add(1, Ordering::AcqRel);
    // SAFETY: initialised (state 2); the static never moves.
    unsafe { bindings::rvnet_schedule_work(QUEUE.work.get()) };
}

/// # Safety
///
/// Only called by the workqueue core for `QUEUE.work`.
unsafe extern "C" fn work_fn(_w: *mut bindings::work_struct) {
    // SAFETY: process context (a work item), may sleep.
    unsafe { bindings::rtnl_lock() };
    // SAFETY: we took RTNL just above and release it below.
    let rtnl = unsafe { Rtnl::assume_held() };
    loop {
        let mut l = QUEUE.head.swap(ptr::null_mut(), Ordering::Acquire);
        if l.is_null() {
            break;
        }
        while !l.is_null() {
            // SAFETY: every link on the list was pushed once by `push` and
            // is owned by the list until run.
            let (next, f) = unsafe { ((*l).next, (*l).run) };
            // SAFETY: as above; RTNL is held.
            unsafe { f(l, rtnl) };
            l = next;
        }
    }
    // SAFETY: taken above.
    unsafe { bindings::rtnl_unlock() };
}

/// Waits for the teardowns queued since the last flush, if any (module
/// exit; process context). The work takes RTNL: with a teardown pending,
/// this must not be called under RTNL (module-level registrations are not
/// dropped under it).
pub(crate) fn flush() {
    let pushed = PUSHED.load(Ordering::Acquire);
    if pushed != FLUSHED.load(Ordering::Acquire) && QUEUE.state.load(Ordering::Acquire) == 2 {
        // SAFETY: initialised; flushing a work item may sleep.
        unsafe { bindings::rvnet_flush_work(QUEUE.work.get()) };
        FLUSHED.fetch_max(pushed, Ordering::AcqRel);
    }
}
