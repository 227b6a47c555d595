// SPDX-License-Identifier: GPL-2.0

//! The forwarding database (C: br_fdb.c): an RCU hash of (address, VLAN)
//! keys read locklessly by the data path; learning from the data path and
//! changes from the control path under its BH lock; ageing by the
//! bridge's `gc` work item.

use crate::br_device::{Bridge, BridgeDriver, Port};
use crate::brlogic::fdb::{self, flag};
use crate::netdev::{bridge::jiffies, prelude::*};
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use kernel::sync::Arc;

crate::atomic_drop! {
    /// An FDB entry (C: `struct net_bridge_fdb_entry`).
    pub(crate) struct Fdb {
        pub(crate) addr: [u8; 6],
        pub(crate) vid: u16,
        /// The port the address is behind; `None`: the bridge itself.
        pub(crate) port: Option<Arc<Port>>,
        /// `BR_FDB_*` (`brlogic::fdb::flag`).
        pub(crate) flags: AtomicU32,
        /// Jiffies of the last frame from the address.
        pub(crate) updated: AtomicU64,
        /// Jiffies of the last frame forwarded to it.
        pub(crate) used: AtomicU64,
    }
}

impl Fdb {
    pub(crate) fn flags(&self) -> u32 {
        self.flags.load(Ordering::Relaxed)
    }

    pub(crate) fn is_local(&self) -> bool {
        self.flags() & flag::LOCAL != 0
    }

    fn is(&self, addr: &[u8; 6], vid: u16) -> bool {
        self.addr == *addr && self.vid == vid
    }

    fn on_port(&self, p: &Port) -> bool {
        self.port.as_deref().is_some_and(|q| core::ptr::eq(q, p))
    }
}

/// A local, static entry (an address of the bridge or of a port).
fn local_entry(addr: &[u8; 6], port: Option<Arc<Port>>, now: u64) -> Fdb {
    Fdb {
        addr: *addr,
        vid: 0,
        port,
        flags: AtomicU32::new(flag::LOCAL | flag::STATIC),
        updated: AtomicU64::new(now),
        used: AtomicU64::new(now),
    }
}

fn key_hash(b: &Bridge, addr: &[u8; 6], vid: u16) -> u32 {
    fdb::hash(addr, vid, b.salt)
}

/// `br_fdb_find_rcu`.
pub(crate) fn find<'a>(b: &'a Bridge, addr: &[u8; 6], rcu: &'a RcuGuard) -> Option<&'a Fdb> {
    b.fdb.find(key_hash(b, addr, 0), rcu, |f| f.is(addr, 0))
}

/// The `Arc` of `p` from the published port list (for a new entry).
fn port_arc(b: &Bridge, p: &Port, rcu: &RcuGuard) -> Option<Arc<Port>> {
    b.ports
        .get(rcu)?
        .iter()
        .find(|q| core::ptr::eq(&***q, p))
        .cloned()
}

/// `br_fdb_update`: learns that `src` is behind `p` (data path).
pub(crate) fn learn(b: &Bridge, p: &Port, src: &[u8; 6], rcu: &RcuGuard) {
    // Ageing time 0: "some users want to always flood".
    if b.ageing_time.load(Ordering::Relaxed) == 0 {
        return;
    }
    let h = key_hash(b, src, 0);
    let now = jiffies();
    if let Some(f) = b.fdb.find(h, rcu, |f| f.is(src, 0)) {
        if f.is_local() {
            // C warns (rate-limited) about its own address as a source.
            return;
        }
        if f.updated.load(Ordering::Relaxed) != now {
            f.updated.store(now, Ordering::Relaxed);
        }
        if f.on_port(p) || f.flags() & flag::STICKY != 0 {
            return;
        }
        // The address moved: replace the entry (C rewrites `dst`).
        let Some(port) = port_arc(b, p, rcu) else {
            return;
        };
        let mut w = b.fdb.lock();
        let Some(old) = w.find(h, |f| f.is(src, 0)) else {
            return;
        };
        if old.is_local() || old.flags() & flag::STICKY != 0 || old.on_port(p) {
            return;
        }
        let flags = old.flags() & !(flag::ADDED_BY_EXT_LEARN | flag::LOCKED);
        let used = old.used.load(Ordering::Relaxed);
        w.remove_in_chain(h, |f| f.is(src, 0));
        let _ = w.insert(
            h,
            Fdb {
                addr: *src,
                vid: 0,
                port: Some(port),
                flags: AtomicU32::new(flags),
                updated: AtomicU64::new(now),
                used: AtomicU64::new(used),
            },
        );
        return;
    }
    let Some(port) = port_arc(b, p, rcu) else {
        return;
    };
    let mut w = b.fdb.lock();
    // Lost a race with another CPU: nothing to do.
    if w.find(h, |f| f.is(src, 0)).is_some() {
        return;
    }
    let max = b.max_learned.load(Ordering::Relaxed);
    if max != 0 && b.n_learned.load(Ordering::Relaxed) >= max {
        return;
    }
    let new = Fdb {
        addr: *src,
        vid: 0,
        port: Some(port),
        flags: AtomicU32::new(flag::DYNAMIC_LEARNED),
        updated: AtomicU64::new(now),
        used: AtomicU64::new(now),
    };
    if w.insert(h, new).is_ok() {
        b.n_learned.fetch_add(1, Ordering::Relaxed);
    }
}

/// Removes what `remove` selects, keeping the learned count right.
fn remove_where(b: &Bridge, mut remove: impl FnMut(&Fdb) -> bool) {
    let mut learned = 0;
    let mut w = b.fdb.lock();
    w.remove_where(|f| {
        let r = remove(f);
        if r && f.flags() & flag::DYNAMIC_LEARNED != 0 {
            learned += 1;
        }
        r
    });
    b.n_learned.fetch_sub(learned, Ordering::Relaxed);
}

/// `fdb_add_local`: a local, static entry for an address of the bridge
/// (`port` `None`) or of a port. An existing non-local entry for it is
/// replaced (C: "own address as source" takes over).
pub(crate) fn add_local(b: &Bridge, port: Option<Arc<Port>>, addr: &[u8; 6], _rtnl: &Rtnl) {
    // `fdb_add_local` refuses what is not a valid unicast address (the
    // zero address of a bridge without ports).
    if !crate::brlogic::deliver::valid_source(addr) {
        return;
    }
    let h = key_hash(b, addr, 0);
    let now = jiffies();
    let mut learned = 0;
    let mut w = b.fdb.lock();
    if w.find(h, |f| f.is(addr, 0) && f.is_local()).is_some() {
        return;
    }
    w.remove_in_chain(h, |f| {
        let r = f.is(addr, 0);
        if r && f.flags() & flag::DYNAMIC_LEARNED != 0 {
            learned += 1;
        }
        r
    });
    let _ = w.insert(h, local_entry(addr, port, now));
    drop(w);
    b.n_learned.fetch_sub(learned, Ordering::Relaxed);
}

/// `fdb_delete_local`: the local entry for `addr` of port `p` (or of the
/// bridge, `p` `None`) goes, unless another port or the bridge still has
/// that address, in which case the entry moves to it.
pub(crate) fn delete_local(
    dev: &Device<BridgeDriver>,
    p: Option<&Port>,
    addr: &[u8; 6],
    rtnl: &Rtnl,
) {
    let b = dev.data();
    let h = key_hash(b, addr, 0);
    let mine = |f: &Fdb| {
        f.is(addr, 0)
            && f.is_local()
            && match p {
                Some(p) => f.on_port(p),
                None => f.port.is_none(),
            }
    };
    {
        let w = b.fdb.lock();
        if w.find(h, mine).is_none() {
            return;
        }
    }
    // Someone else with the same address keeps the entry.
    let heir: Option<Option<Arc<Port>>> = match b.ctl.borrow(rtnl) {
        Ok(ctl) => ctl
            .ports
            .iter()
            .find(|s| {
                !p.is_some_and(|p| core::ptr::eq(&*s.port, p))
                    && s.port.dev.mac().as_ref() == Some(addr)
            })
            .map(|s| Some(s.port.clone()))
            .or_else(|| (p.is_some() && dev.mac().as_ref() == Some(addr)).then_some(None)),
        Err(_) => None,
    };
    let mut w = b.fdb.lock();
    w.remove_in_chain(h, mine);
    if let Some(port) = heir {
        let _ = w.insert(h, local_entry(addr, port, jiffies()));
    }
}

/// `br_fdb_delete_by_port(br, p, 0, 1)`: every entry of a port that goes,
/// local ones included (moved to an heir as `delete_local` does).
pub(crate) fn delete_port(dev: &Device<BridgeDriver>, p: &Port, rtnl: &Rtnl) {
    if let Some(a) = p.dev.mac() {
        delete_local(dev, Some(p), &a, rtnl);
    }
    remove_where(dev.data(), |f| f.on_port(p));
}

/// `br_fdb_delete_by_port(br, p, 0, 0)`: the dynamic entries of a port
/// that stops forwarding.
pub(crate) fn delete_dynamic_of(b: &Bridge, p: &Port) {
    remove_where(b, |f| f.on_port(p) && f.flags() & flag::STATIC == 0);
}

/// `br_fdb_changeaddr`: a port's address changed.
pub(crate) fn port_addr_changed(
    dev: &Device<BridgeDriver>,
    p: &Arc<Port>,
    old: Option<[u8; 6]>,
    rtnl: &Rtnl,
) {
    if let Some(o) = old {
        delete_local(dev, Some(p), &o, rtnl);
    }
    if let Some(n) = p.dev.mac() {
        add_local(dev.data(), Some(p.clone()), &n, rtnl);
    }
}

/// `br_fdb_change_mac_address`: the bridge's own entry follows its
/// address.
pub(crate) fn change_bridge_addr(b: &Bridge, old: &[u8; 6], new: &[u8; 6], rtnl: &Rtnl) {
    let h = key_hash(b, old, 0);
    b.fdb
        .lock()
        .remove_in_chain(h, |f| f.is(old, 0) && f.is_local() && f.port.is_none());
    add_local(b, None, new, rtnl);
}

/// Every entry goes (the bridge is deleted).
pub(crate) fn flush_all(b: &Bridge) {
    remove_where(b, |_| true);
}

/// `br_fdb_flush` of dynamic entries (`brctl`/sysfs `flush`).
pub(crate) fn flush_dynamic(b: &Bridge) {
    remove_where(b, |f| f.flags() & flag::STATIC == 0);
}

/// `br_fdb_cleanup`: ages out dynamic entries not refreshed within the
/// ageing time. Returns when to run again (ms).
pub(crate) fn cleanup(b: &Bridge) -> u32 {
    let hold = b.ageing_time.load(Ordering::Relaxed);
    let now = jiffies();
    let mut next = hold;
    if hold != 0 {
        remove_where(b, |f| {
            let fl = f.flags();
            if fl & (flag::LOCAL | flag::STATIC | flag::ADDED_BY_EXT_LEARN) != 0 {
                return false;
            }
            let upd = f.updated.load(Ordering::Relaxed);
            if fdb::expired(fl, upd, hold, now) {
                return true;
            }
            let left = hold.saturating_sub(now.wrapping_sub(upd));
            next = next.min(left);
            false
        });
    }
    // At least every 100 ms, at most every ageing period (C:
    // `work_delay = max_t(unsigned long, work_delay, msecs_to_jiffies(10))`
    // with HZ/10 as its floor when idle).
    let ms = crate::netdev::bridge::jiffies_to_msecs(next).max(100);
    ms.min(if hold == 0 { 1000 } else { u32::MAX })
}

/// The address of `p`'s local entry, if it has one.
pub(crate) fn local_addr_of(b: &Bridge, p: &Port) -> Option<[u8; 6]> {
    let w = b.fdb.lock();
    let mut a = None;
    w.for_each(|f| {
        if a.is_none() && f.is_local() && f.on_port(p) {
            a = Some(f.addr);
        }
    });
    a
}
