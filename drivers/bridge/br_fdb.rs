// SPDX-License-Identifier: GPL-2.0

//! The forwarding database (C: br_fdb.c): an RCU hash of (address, VLAN)
//! keys read locklessly by the data path; learning from the data path and
//! changes from the control path under its BH lock; ageing by the
//! bridge's `gc` work item. Every entry that appears, moves or goes is
//! announced to `bridge monitor fdb` listeners (`RTM_NEWNEIGH`,
//! `RTM_DELNEIGH`), as C's `fdb_notify`.
//!
//! As C's bridge built with VLAN filtering support, the bridge and every
//! port have VLAN 1 (the default PVID) even with filtering off: local
//! entries and user entries added without a VLAN exist for VLAN 0 and
//! VLAN 1; the data path (no filtering) uses VLAN 0 only.

use crate::br_device::{Bridge, BridgeDriver, Port};
use crate::brlogic::fdb::{self, flag};
use crate::netdev::{
    bridge::{jiffies, jiffies_to_clock_t},
    fdb::{ntf, nud, FdbMsg},
    prelude::*,
};
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use kernel::prelude::*;
use kernel::sync::Arc;

/// The VLANs every port and the bridge have (the default PVID).
pub(crate) const DEFAULT_PVID: u16 = 1;

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

    pub(crate) fn is(&self, addr: &[u8; 6], vid: u16) -> bool {
        self.addr == *addr && self.vid == vid
    }

    pub(crate) fn on_port(&self, p: &Port) -> bool {
        self.port.as_deref().is_some_and(|q| core::ptr::eq(q, p))
    }

    /// On `port` (`None`: the bridge itself).
    pub(crate) fn on(&self, port: Option<&Port>) -> bool {
        match port {
            Some(p) => self.on_port(p),
            None => self.port.is_none(),
        }
    }
}

/// A new entry.
pub(crate) fn entry(
    addr: &[u8; 6],
    vid: u16,
    port: Option<Arc<Port>>,
    flags: u32,
    now: u64,
) -> Fdb {
    Fdb {
        addr: *addr,
        vid,
        port,
        flags: AtomicU32::new(flags),
        updated: AtomicU64::new(now),
        used: AtomicU64::new(now),
    }
}

pub(crate) fn key_hash(b: &Bridge, addr: &[u8; 6], vid: u16) -> u32 {
    fdb::hash(addr, vid, b.salt)
}

/// `fdb_fill_info`: the entry as a neighbour message.
pub(crate) fn msg(dev: &Device<BridgeDriver>, f: &Fdb, now: u64) -> FdbMsg {
    let fl = f.flags();
    let hold = dev.data().ageing_time.load(Ordering::Relaxed);
    let state = if fl & flag::LOCAL != 0 {
        nud::PERMANENT
    } else if fl & flag::STATIC != 0 {
        nud::NOARP
    } else if fdb::expired(fl, f.updated.load(Ordering::Relaxed), hold, now) {
        nud::STALE
    } else {
        nud::REACHABLE
    };
    let mut flags = 0;
    if fl & flag::OFFLOADED != 0 {
        flags |= ntf::OFFLOADED;
    }
    if fl & flag::ADDED_BY_EXT_LEARN != 0 {
        flags |= ntf::EXT_LEARNED;
    }
    if fl & flag::STICKY != 0 {
        flags |= ntf::STICKY;
    }
    let since =
        |t: &AtomicU64| jiffies_to_clock_t(now.wrapping_sub(t.load(Ordering::Relaxed))) as u32;
    FdbMsg {
        addr: f.addr,
        vid: f.vid,
        state,
        flags,
        ifindex: f.port.as_ref().map_or(dev.ifindex(), |p| p.dev.ifindex()),
        master: dev.ifindex(),
        ext_flags: if fl & flag::LOCKED != 0 {
            ntf::EXT_LOCKED
        } else {
            0
        },
        used: since(&f.used),
        updated: since(&f.updated),
    }
}

/// `fdb_notify`.
pub(crate) fn notify(dev: &Device<BridgeDriver>, f: &Fdb, new: bool) {
    msg(dev, f, jiffies()).notify(dev.net(), new);
}

/// `br_fdb_find_rcu`, VLAN 0 (the data path without filtering).
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

/// `br_fdb_update` from the data path: learns that `src` is behind `p`.
#[inline]
pub(crate) fn learn(dev: &Device<BridgeDriver>, p: &Port, src: &[u8; 6], rcu: &RcuGuard) {
    update(dev, p, src, 0, false, rcu)
}

/// `br_fdb_update`: `addr` in VLAN `vid` is behind `p`; `user`: asked by
/// `bridge fdb add ... use` (`BR_FDB_ADDED_BY_USER`: the entry is not a
/// learned one, it does not count against `fdb_max_learned`).
#[inline]
pub(crate) fn update(
    dev: &Device<BridgeDriver>,
    p: &Port,
    addr: &[u8; 6],
    vid: u16,
    user: bool,
    rcu: &RcuGuard,
) {
    let b = dev.data();
    // Ageing time 0: "some users want to always flood".
    if b.ageing_time.load(Ordering::Relaxed) == 0 {
        return;
    }
    let h = key_hash(b, addr, vid);
    let now = jiffies();
    if let Some(f) = b.fdb.find(h, rcu, |f| f.is(addr, vid)) {
        if f.is_local() {
            // C warns (rate-limited) about its own address as a source.
            return;
        }
        if f.updated.load(Ordering::Relaxed) != now {
            f.updated.store(now, Ordering::Relaxed);
        }
        if f.on_port(p) || f.flags() & flag::STICKY != 0 {
            if user {
                mark_user(b, f);
            }
            return;
        }
        // The address moved: replace the entry (C rewrites `dst`).
        let Some(port) = port_arc(b, p, rcu) else {
            return;
        };
        let mut w = b.fdb.lock();
        let Some(old) = w.find(h, |f| f.is(addr, vid)) else {
            return;
        };
        if old.is_local() || old.flags() & flag::STICKY != 0 || old.on_port(p) {
            return;
        }
        let flags = old.flags() & !(flag::ADDED_BY_EXT_LEARN | flag::LOCKED);
        let used = old.used.load(Ordering::Relaxed);
        w.remove_in_chain(h, |f| f.is(addr, vid));
        let new = entry(addr, vid, Some(port), flags, now);
        new.used.store(used, Ordering::Relaxed);
        if let Ok(f) = w.insert(h, new) {
            if user {
                mark_user(b, f);
            }
            notify(dev, f, true);
        }
        return;
    }
    let Some(port) = port_arc(b, p, rcu) else {
        return;
    };
    let mut w = b.fdb.lock();
    // Lost a race with another CPU: nothing to do.
    if w.find(h, |f| f.is(addr, vid)).is_some() {
        return;
    }
    let flags = if user {
        flag::ADDED_BY_USER
    } else {
        let max = b.max_learned.load(Ordering::Relaxed);
        if max != 0 && b.n_learned.load(Ordering::Relaxed) >= max {
            return;
        }
        flag::DYNAMIC_LEARNED
    };
    if let Ok(f) = w.insert(h, entry(addr, vid, Some(port), flags, now)) {
        if !user {
            b.n_learned.fetch_add(1, Ordering::Relaxed);
        }
        notify(dev, f, true);
    }
}

/// The entry was added by the user: it stops counting as learned.
fn mark_user(b: &Bridge, f: &Fdb) {
    f.flags.fetch_or(flag::ADDED_BY_USER, Ordering::Relaxed);
    if f.flags.fetch_and(!flag::DYNAMIC_LEARNED, Ordering::Relaxed) & flag::DYNAMIC_LEARNED != 0 {
        b.n_learned.fetch_sub(1, Ordering::Relaxed);
    }
}

/// `br_fdb_external_learn_add` (not locked, announced): `addr` in VLAN
/// `vid` is behind `port` (`None`: the bridge) as an external learner
/// says; such an entry does not age.
pub(crate) fn external_learn_add(
    dev: &Device<BridgeDriver>,
    port: Option<Arc<Port>>,
    addr: &[u8; 6],
    vid: u16,
) -> Result {
    let b = dev.data();
    let h = key_hash(b, addr, vid);
    let now = jiffies();
    let mut w = b.fdb.lock();
    let mut modified = false;
    let moved = match w.find(h, |f| f.is(addr, vid)) {
        None => {
            let mut flags = flag::ADDED_BY_EXT_LEARN | flag::ADDED_BY_USER;
            if port.is_none() {
                flags |= flag::LOCAL;
            }
            let f = w
                .insert(h, entry(addr, vid, port, flags, now))
                .map_err(|_| ENOMEM)?;
            notify(dev, f, true);
            return Ok(());
        }
        Some(f) if !f.on(port.as_deref()) => Some((f.flags(), f.used.load(Ordering::Relaxed))),
        Some(f) => {
            f.updated.store(now, Ordering::Relaxed);
            None
        }
    };
    if let Some((flags, used)) = moved {
        w.remove_in_chain(h, |f| f.is(addr, vid));
        let new = entry(addr, vid, port.clone(), flags, now);
        new.used.store(used, Ordering::Relaxed);
        w.insert(h, new).map_err(|_| ENOMEM)?;
        modified = true;
    }
    let Some(f) = w.find(h, |f| f.is(addr, vid)) else {
        return Err(ENOENT);
    };
    if f.flags
        .fetch_or(flag::ADDED_BY_EXT_LEARN, Ordering::Relaxed)
        & flag::ADDED_BY_EXT_LEARN
        != 0
    {
        // Refresh.
        f.used.store(now, Ordering::Relaxed);
    } else {
        modified = true;
    }
    if f.flags.fetch_and(!flag::LOCKED, Ordering::Relaxed) & flag::LOCKED != 0 {
        modified = true;
    }
    mark_user(b, f);
    if port.is_none() {
        f.flags.fetch_or(flag::LOCAL, Ordering::Relaxed);
    }
    if modified {
        notify(dev, f, true);
    }
    Ok(())
}

/// Removes what `remove` selects, announcing each and keeping the learned
/// count right (C: `fdb_delete`).
pub(crate) fn remove_where(
    dev: &Device<BridgeDriver>,
    mut remove: impl FnMut(&Fdb) -> bool,
) -> usize {
    let b = dev.data();
    let mut learned = 0;
    let gone = b.fdb.lock().remove_where(|f| {
        let r = remove(f);
        if r {
            if f.flags() & flag::DYNAMIC_LEARNED != 0 {
                learned += 1;
            }
            notify(dev, f, false);
        }
        r
    });
    b.n_learned.fetch_sub(learned, Ordering::Relaxed);
    gone
}

/// `fdb_add_local`: local, static entries (VLAN 0 and the default PVID)
/// for an address of the bridge (`port` `None`) or of a port. An existing
/// local entry keeps its first owner; an existing non-local one is
/// replaced.
pub(crate) fn add_local(
    dev: &Device<BridgeDriver>,
    port: Option<Arc<Port>>,
    addr: &[u8; 6],
    _rtnl: &Rtnl,
) {
    // `fdb_add_local` refuses what is not a valid unicast address (the
    // zero address of a bridge without ports).
    if !crate::brlogic::deliver::valid_source(addr) {
        return;
    }
    for vid in [0, DEFAULT_PVID] {
        let b = dev.data();
        let h = key_hash(b, addr, vid);
        let now = jiffies();
        let mut learned = 0;
        let mut w = b.fdb.lock();
        if w.find(h, |f| f.is(addr, vid) && f.is_local()).is_some() {
            continue;
        }
        // C warns "adding interface with same address as a received
        // packet" and deletes the entry (announced).
        w.remove_in_chain(h, |f| {
            let r = f.is(addr, vid);
            if r {
                if f.flags() & flag::DYNAMIC_LEARNED != 0 {
                    learned += 1;
                }
                notify(dev, f, false);
            }
            r
        });
        if let Ok(f) = w.insert(
            h,
            entry(addr, vid, port.clone(), flag::LOCAL | flag::STATIC, now),
        ) {
            notify(dev, f, true);
        }
        drop(w);
        b.n_learned.fetch_sub(learned, Ordering::Relaxed);
    }
}

/// `fdb_delete_local`: the local entries for `addr` of port `p` (or of
/// the bridge, `p` `None`) go, unless another port or the bridge still has
/// that address, in which case they move to it.
pub(crate) fn delete_local(
    dev: &Device<BridgeDriver>,
    p: Option<&Port>,
    addr: &[u8; 6],
    rtnl: &Rtnl,
) {
    let b = dev.data();
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
    for vid in [0, DEFAULT_PVID] {
        let h = key_hash(b, addr, vid);
        let mut w = b.fdb.lock();
        let mut flags = None;
        w.remove_in_chain(h, |f| {
            let r = f.is(addr, vid) && f.is_local() && f.on(p);
            if r {
                flags = Some(f.flags());
                if heir.is_none() {
                    notify(dev, f, false);
                }
            }
            r
        });
        // Re-pointed to the heir without an announcement, as C.
        if let (Some(fl), Some(port)) = (flags, heir.clone()) {
            let fl = fl & !flag::ADDED_BY_USER;
            let _ = w.insert(h, entry(addr, vid, port, fl, jiffies()));
        }
    }
}

/// `br_fdb_delete_by_port(br, p, 0, 1)`: every entry of a port that goes,
/// local ones included (moved to an heir as `delete_local` does).
pub(crate) fn delete_port(dev: &Device<BridgeDriver>, p: &Port, rtnl: &Rtnl) {
    if let Some(a) = p.dev.mac() {
        delete_local(dev, Some(p), &a, rtnl);
    }
    // The rest, local entries of an address the port no longer has too.
    remove_where(dev, |f| f.on_port(p));
}

/// `br_fdb_delete_by_port(br, p, 0, 0)`: the dynamic entries of a port
/// that stops forwarding (or `bridge_slave fdb_flush`).
pub(crate) fn delete_dynamic_of(dev: &Device<BridgeDriver>, p: &Port) {
    remove_where(dev, |f| f.on_port(p) && f.flags() & flag::STATIC == 0);
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
        add_local(dev, Some(p.clone()), &n, rtnl);
    }
}

/// `br_fdb_change_mac_address`: the bridge's own entries follow its
/// address.
pub(crate) fn change_bridge_addr(
    dev: &Device<BridgeDriver>,
    old: &[u8; 6],
    new: &[u8; 6],
    rtnl: &Rtnl,
) {
    remove_where(dev, |f| {
        f.addr == *old && f.is_local() && f.port.is_none() && f.flags() & flag::ADDED_BY_USER == 0
    });
    add_local(dev, None, new, rtnl);
}

/// Every entry goes (the bridge is deleted).
pub(crate) fn flush_all(dev: &Device<BridgeDriver>) {
    remove_where(dev, |_| true);
}

/// `br_fdb_flush` of the non-static entries (`fdb_flush`).
pub(crate) fn flush_dynamic(dev: &Device<BridgeDriver>) {
    remove_where(dev, |f| f.flags() & flag::STATIC == 0);
}

/// `br_fdb_cleanup`: ages out dynamic entries not refreshed within the
/// ageing time. Returns when to run again (ms).
pub(crate) fn cleanup(dev: &Device<BridgeDriver>) -> u32 {
    let hold = dev.data().ageing_time.load(Ordering::Relaxed);
    let now = jiffies();
    let mut next = hold;
    if hold != 0 {
        remove_where(dev, |f| {
            let fl = f.flags();
            if fl & (flag::STATIC | flag::ADDED_BY_EXT_LEARN) != 0 {
                return false;
            }
            let upd = f.updated.load(Ordering::Relaxed);
            if fdb::expired(fl, upd, hold, now) {
                return true;
            }
            next = next.min(hold.saturating_sub(now.wrapping_sub(upd)));
            false
        });
    }
    if hold == 0 {
        return 1000;
    }
    // C re-arms at the earliest expiry, at least 10 ms away; 100 ms here.
    crate::netdev::bridge::jiffies_to_msecs(next).max(100)
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
