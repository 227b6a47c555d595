// SPDX-License-Identifier: GPL-2.0

//! An RCU hash table with writers in any context (C: an `hlist` hash
//! with `hlist_add_head_rcu`/`hlist_del_rcu` under a `spin_lock_bh`, as the
//! bridge's forwarding database before it moved to `rhashtable`).
//!
//! Kernel rules encoded here:
//! - readers take no lock: [`RcuHash::find`] and [`RcuHash::for_each`]
//!   need an [`RcuGuard`] and hand out references bounded by it;
//! - writers (the data path learning an address in softirq context, the
//!   control path under RTNL, an ageing work item) are serialised by one
//!   spinlock taken with bottom halves disabled ([`RcuHash::lock`], a
//!   [`BhLock`]), so a softirq never spins on a lock its CPU holds; what a
//!   writer reads through its [`RcuHashWriter`] is bounded by the writer;
//! - an entry is published only fully built (`rcu_assign_pointer`: a
//!   release store after its initialisation) and unlinked so that a reader
//!   standing on it still finds the rest of its chain (its `next` is left
//!   as it was, `hlist_del_rcu`);
//! - an unlinked entry is freed after a grace period by an RCU callback
//!   (`call_rcu`), in softirq context: entries are [`AtomicDrop`]; the
//!   module's exit waits for those callbacks (`barrier_deferred`);
//! - insertion allocates with `GFP_ATOMIC` (it may run in softirq) and
//!   reports failure, which the caller may ignore (C's bridge learns
//!   nothing when memory is short).
//!
//! Mutable state of an entry (timestamps, the port it points to) is the
//! value's own business: atomics, since readers see it concurrently.

use super::{
    bh_lock::{BhGuard, BhLock},
    rcu::{AtomicDrop, RcuBox, RcuGuard, RcuNode, Retired},
};
use core::{
    marker::PhantomData,
    ptr,
    sync::atomic::{AtomicPtr, Ordering},
};
use kernel::{
    alloc::{flags::GFP_ATOMIC, KBox, KVec},
    prelude::*,
    str::CStr,
    sync::LockClassKey,
};

/// An [`RcuHash`] whose writer lock has a lockdep class of its own for this
/// call site.
#[macro_export]
macro_rules! new_rcu_hash {
    ($bits:expr, $name:literal) => {
        $crate::netdev::rcu_hash::RcuHash::new(
            $bits,
            ::kernel::c_str!($name),
            ::kernel::static_lock_class!(),
        )
    };
}

/// One entry: its chain link, its hash and the value.
struct Entry<V> {
    next: AtomicPtr<RcuNode<Entry<V>>>,
    hash: u32,
    value: V,
}

// SAFETY: dropping an entry drops only `value` (`AtomicDrop`); `next` is a
// plain pointer that owns nothing.
unsafe impl<V: AtomicDrop> AtomicDrop for Entry<V> {}

type Link<V> = AtomicPtr<RcuNode<Entry<V>>>;

/// The writers' state under the lock.
struct WriterState {
    len: usize,
}

/// A hash table of `V`s read under RCU and written under a BH spinlock.
///
/// # Invariants
///
/// Every non-null pointer in `buckets` and in the `next` of a reachable
/// entry comes from [`RcuBox::into_raw`] and is owned by the table; an
/// entry is reachable from exactly one bucket (the one its `hash` selects);
/// chains are only changed with `lock` held.
pub struct RcuHash<V> {
    buckets: KVec<Link<V>>,
    mask: u32,
    lock: BhLock<WriterState>,
    _owns: PhantomData<KBox<V>>,
}

impl<V: AtomicDrop + Send + Sync + 'static> RcuHash<V> {
    /// An empty table of `1 << bits` buckets (use [`new_rcu_hash!`]).
    pub fn new(bits: u32, name: &'static CStr, key: &'static LockClassKey) -> Result<Self> {
        if bits > 16 {
            return Err(EINVAL);
        }
        let n = 1usize << bits;
        let mut buckets = KVec::with_capacity(n, GFP_KERNEL)?;
        for _ in 0..n {
            buckets.push(AtomicPtr::new(ptr::null_mut()), GFP_KERNEL)?;
        }
        // INVARIANT: every chain is empty.
        Ok(RcuHash {
            buckets,
            mask: (n - 1) as u32,
            lock: BhLock::new(WriterState { len: 0 }, name, key)?,
            _owns: PhantomData,
        })
    }

    fn bucket(&self, hash: u32) -> &Link<V> {
        &self.buckets[(hash & self.mask) as usize]
    }

    /// The first value with `hash` for which `pred` holds (readers).
    pub fn find<'a>(
        &'a self,
        hash: u32,
        _rcu: &'a RcuGuard,
        mut pred: impl FnMut(&V) -> bool,
    ) -> Option<&'a V> {
        // Acquire: `rcu_dereference`.
        let mut p = self.bucket(hash).load(Ordering::Acquire);
        // SAFETY: by the invariant `p` is null or an entry of the table; an
        // entry unlinked meanwhile is freed only after a grace period, which
        // `_rcu` holds off; its `next` still leads on.
        while let Some(n) = unsafe { p.as_ref() } {
            if n.value.hash == hash && pred(&n.value.value) {
                return Some(&n.value.value);
            }
            p = n.value.next.load(Ordering::Acquire);
        }
        None
    }

    /// The values with `hash`, newest first (readers; C's
    /// `hlist_for_each_entry_rcu` over one bucket, for lookups that make
    /// several passes or prefer one match over another).
    pub fn iter_hash<'a>(&'a self, hash: u32, _rcu: &'a RcuGuard) -> Chain<'a, V> {
        // INVARIANT: `_rcu` holds off the freeing of every entry reachable
        // now for `'a`.
        Chain {
            p: self.bucket(hash).load(Ordering::Acquire),
            hash,
            _p: PhantomData,
        }
    }

    /// Calls `f` on every value (readers; a value added or removed
    /// meanwhile may or may not be seen).
    pub fn for_each<'a>(&'a self, _rcu: &'a RcuGuard, mut f: impl FnMut(&'a V)) {
        for b in self.buckets.iter() {
            let mut p = b.load(Ordering::Acquire);
            // SAFETY: as in `find`.
            while let Some(n) = unsafe { p.as_ref() } {
                f(&n.value.value);
                p = n.value.next.load(Ordering::Acquire);
            }
        }
    }

    /// Takes the writer lock (bottom halves disabled while held).
    pub fn lock(&self) -> RcuHashWriter<'_, V> {
        RcuHashWriter {
            table: self,
            state: self.lock.lock(),
        }
    }
}

impl<V> Drop for RcuHash<V> {
    fn drop(&mut self) {
        // `&mut self`: no reader holds a reference into the table (readers
        // borrow it), and its owner outlived every RCU reader that could
        // reach it (as for `RcuPtr`).
        for b in self.buckets.iter_mut() {
            let mut p = *b.get_mut();
            while !p.is_null() {
                // SAFETY: owned by the table (invariant), unreachable now.
                let node = unsafe { KBox::from_raw(p) };
                p = node.value.next.load(Ordering::Relaxed);
                drop(node);
            }
        }
    }
}

/// The writer side of an [`RcuHash`], holding its lock.
pub struct RcuHashWriter<'a, V> {
    table: &'a RcuHash<V>,
    state: BhGuard<'a, WriterState>,
}

impl<V: AtomicDrop + Send + Sync + 'static> RcuHashWriter<'_, V> {
    /// Number of values.
    pub fn len(&self) -> usize {
        self.state.len
    }

    /// True if the table is empty.
    pub fn is_empty(&self) -> bool {
        self.state.len == 0
    }

    /// The first value with `hash` for which `pred` holds.
    pub fn find(&self, hash: u32, mut pred: impl FnMut(&V) -> bool) -> Option<&V> {
        let mut p = self.table.bucket(hash).load(Ordering::Relaxed);
        // SAFETY: entries are only unlinked (and then freed) with the lock
        // held, which `self` holds for as long as the reference lives.
        while let Some(n) = unsafe { p.as_ref() } {
            if n.value.hash == hash && pred(&n.value.value) {
                return Some(&n.value.value);
            }
            p = n.value.next.load(Ordering::Relaxed);
        }
        None
    }

    /// The values with `hash`, newest first.
    pub fn iter_hash(&self, hash: u32) -> Chain<'_, V> {
        // INVARIANT: entries are only unlinked (and then freed) with the
        // lock held, which `self` holds for as long as the borrow lives.
        Chain {
            p: self.table.bucket(hash).load(Ordering::Acquire),
            hash,
            _p: PhantomData,
        }
    }

    /// Calls `f` on every value.
    pub fn for_each(&self, mut f: impl FnMut(&V)) {
        for b in self.table.buckets.iter() {
            let mut p = b.load(Ordering::Relaxed);
            // SAFETY: as in `find`.
            while let Some(n) = unsafe { p.as_ref() } {
                f(&n.value.value);
                p = n.value.next.load(Ordering::Relaxed);
            }
        }
    }

    /// Adds `value` under `hash` (at the head of its chain) with
    /// `GFP_ATOMIC`; on allocation failure the value is given back.
    pub fn insert(&mut self, hash: u32, value: V) -> Result<&V, V> {
        let head = self.table.bucket(hash);
        let entry = Entry {
            next: AtomicPtr::new(head.load(Ordering::Relaxed)),
            hash,
            value,
        };
        let node = match RcuBox::try_new(entry, GFP_ATOMIC) {
            Ok(n) => n,
            Err(e) => return Err(e.value),
        };
        let raw = node.into_raw();
        // Release: `rcu_assign_pointer`, the entry is complete before it is
        // reachable.
        head.store(raw, Ordering::Release);
        self.state.len += 1;
        // SAFETY: just published; freed only by a writer, and `self` is
        // the writer for as long as the reference lives.
        Ok(unsafe { &(*raw).value.value })
    }

    /// Unlinks every value for which `remove` returns true; each is freed
    /// after a grace period (`call_rcu`). Returns how many went.
    pub fn remove_where(&mut self, mut remove: impl FnMut(&V) -> bool) -> usize {
        let mut gone = 0;
        for b in self.table.buckets.iter() {
            gone += unlink_where(b, &mut remove);
        }
        self.state.len -= gone;
        gone
    }

    /// As [`RcuHashWriter::remove_where`], in the chain of `hash` only.
    pub fn remove_in_chain(&mut self, hash: u32, mut remove: impl FnMut(&V) -> bool) -> usize {
        let gone = unlink_where(self.table.bucket(hash), &mut |v: &V| remove(v));
        self.state.len -= gone;
        gone
    }
}

/// The values of one chain with a given hash ([`RcuHash::iter_hash`],
/// [`RcuHashWriter::iter_hash`]).
///
/// # Invariants
///
/// `p` is null or an entry of the table that is not freed during `'a`
/// (an RCU reader or the writer lock holds that off), nor is any entry
/// reachable from it.
pub struct Chain<'a, V> {
    p: *mut RcuNode<Entry<V>>,
    hash: u32,
    _p: PhantomData<&'a V>,
}

impl<'a, V> Iterator for Chain<'a, V> {
    type Item = &'a V;

    fn next(&mut self) -> Option<&'a V> {
        loop {
            // SAFETY: by the invariant `p` is null or live for `'a`; an
            // entry unlinked meanwhile still leads on through its `next`.
            let n = unsafe { self.p.as_ref() }?;
            // INVARIANT: `next` is reachable from a live entry.
            self.p = n.value.next.load(Ordering::Acquire);
            if n.value.hash == self.hash {
                return Some(&n.value.value);
            }
        }
    }
}

/// Unlinks the entries of one chain for which `remove` holds and queues
/// them for freeing after a grace period.
fn unlink_where<V: AtomicDrop + Send + 'static>(
    head: &Link<V>,
    remove: &mut impl FnMut(&V) -> bool,
) -> usize {
    let mut gone = 0;
    let mut link: &Link<V> = head;
    loop {
        let p = link.load(Ordering::Relaxed);
        // SAFETY: the writer lock is held (callers hold an
        // `RcuHashWriter`): `p` is null or a live entry of the table.
        let Some(n) = (unsafe { p.as_ref() }) else {
            break;
        };
        if remove(&n.value.value) {
            // `hlist_del_rcu`: readers on `n` still follow its `next`.
            link.store(n.value.next.load(Ordering::Relaxed), Ordering::Release);
            // SAFETY: `p` came from `RcuBox::into_raw`, was owned by the
            // table and is unreachable for readers that start now.
            unsafe { Retired::from_raw(p) }.defer();
            gone += 1;
        } else {
            link = &n.value.next;
        }
    }
    gone
}
