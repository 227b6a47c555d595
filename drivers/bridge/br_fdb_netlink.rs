// SPDX-License-Identifier: GPL-2.0

//! `bridge fdb add/del/show/get` (C: br_fdb.c `br_fdb_add`,
//! `br_fdb_delete`, `br_fdb_dump`, `br_fdb_get`, `fdb_add_entry`).

use crate::br_device::{BridgeDriver, Port};
use crate::br_fdb::{self, entry, key_hash, msg, notify, Fdb, DEFAULT_PVID};
use crate::brlogic::fdb::flag;
use crate::netdev::{
    bridge::jiffies,
    fdb::{ntf, nud, FdbDump, FdbReply, FdbReq, NLM_F_CREATE, NLM_F_EXCL},
    prelude::*,
};
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*, sync::Arc};

/// The port a request names (`None`: the bridge itself); `Err` if the
/// device is neither.
fn target(
    dev: &Device<BridgeDriver>,
    req_dev: &NetDevice,
    rtnl: &Rtnl,
) -> Result<Option<Arc<Port>>> {
    if core::ptr::eq(dev.net_device(), req_dev) {
        return Ok(None);
    }
    match dev.data().ctl.borrow(rtnl)?.port_of(req_dev) {
        Some(s) => Ok(Some(s.port.clone())),
        None => Err(EINVAL),
    }
}

/// `fdb_to_nud`.
fn to_nud(dev: &Device<BridgeDriver>, f: &Fdb) -> u16 {
    msg(dev, f, jiffies()).state
}

/// `fdb_add_entry` for one VLAN.
fn add_entry(
    dev: &Device<BridgeDriver>,
    port: Option<&Arc<Port>>,
    req: &FdbReq<'_>,
    vid: u16,
) -> Result {
    let b = dev.data();
    let state = req.state;
    if let Some(p) = port {
        if state & (nud::PERMANENT | nud::NOARP) == 0 && !p.state().learns() {
            return Err(EPERM);
        }
    } else if state & nud::PERMANENT == 0 {
        pr_info!(
            "bridge: RTM_NEWNEIGH {} without NUD_PERMANENT\n",
            dev.name()
        );
        return Err(EINVAL);
    }
    let sticky = req.flags & ntf::STICKY != 0;
    if sticky && state & nud::PERMANENT != 0 {
        return Err(EINVAL);
    }
    let h = key_hash(b, &req.addr, vid);
    let now = jiffies();
    let mut w = b.fdb.lock();
    let mut modified = false;
    let existing = w.find(h, |f| f.is(&req.addr, vid)).map(|f| {
        (
            f.port.as_deref().map(|p| p as *const Port),
            f.flags(),
            f.updated.load(Ordering::Relaxed),
        )
    });
    match existing {
        None => {
            if req.nlh_flags & NLM_F_CREATE == 0 {
                return Err(ENOENT);
            }
            let new = entry(&req.addr, vid, port.cloned(), flag::ADDED_BY_USER, now);
            if w.insert(h, new).is_err() {
                return Err(ENOMEM);
            }
            modified = true;
        }
        Some((old_port, old_flags, updated)) => {
            if req.nlh_flags & NLM_F_EXCL != 0 {
                return Err(EEXIST);
            }
            let same = old_port == port.map(|p| &**p as *const Port);
            if old_flags & flag::DYNAMIC_LEARNED != 0 {
                b.n_learned.fetch_sub(1, Ordering::Relaxed);
            }
            let flags = (old_flags | flag::ADDED_BY_USER) & !flag::DYNAMIC_LEARNED;
            if !same {
                // A move: the entry is replaced (C rewrites `dst`).
                w.remove_in_chain(h, |f| f.is(&req.addr, vid));
                let new = entry(&req.addr, vid, port.cloned(), flags, now);
                new.updated.store(updated, Ordering::Relaxed);
                if w.insert(h, new).is_err() {
                    return Err(ENOMEM);
                }
                modified = true;
            } else if let Some(f) = w.find(h, |f| f.is(&req.addr, vid)) {
                f.flags.store(flags, Ordering::Relaxed);
            }
        }
    }
    let Some(f) = w.find(h, |f| f.is(&req.addr, vid)) else {
        return Err(ENOENT);
    };
    if to_nud(dev, f) != state {
        let fl = f.flags();
        let fl = if state & nud::PERMANENT != 0 {
            fl | flag::LOCAL | flag::STATIC
        } else if state & nud::NOARP != 0 {
            (fl & !flag::LOCAL) | flag::STATIC
        } else {
            fl & !(flag::LOCAL | flag::STATIC)
        };
        f.flags.store(fl, Ordering::Relaxed);
        modified = true;
    }
    if sticky != (f.flags() & flag::STICKY != 0) {
        f.flags.fetch_xor(flag::STICKY, Ordering::Relaxed);
        modified = true;
    }
    if f.flags() & flag::LOCKED != 0 {
        f.flags.fetch_and(!flag::LOCKED, Ordering::Relaxed);
        modified = true;
    }
    f.used.store(now, Ordering::Relaxed);
    if modified {
        f.updated.store(now, Ordering::Relaxed);
        notify(dev, f, true);
    }
    Ok(())
}

/// `br_fdb_add`.
pub(crate) fn add(
    dev: &Device<BridgeDriver>,
    req: &FdbReq<'_>,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    if req.state & (nud::PERMANENT | nud::NOARP | nud::REACHABLE) == 0 {
        pr_info!("bridge: RTM_NEWNEIGH with invalid state {:#x}\n", req.state);
        return Err(EINVAL);
    }
    if req.addr == [0; 6] {
        pr_info!("bridge: RTM_NEWNEIGH with invalid ether address\n");
        return Err(EINVAL);
    }
    let port = match target(dev, req.dev, rtnl) {
        Ok(p) => p,
        Err(e) => {
            pr_info!(
                "bridge: RTM_NEWNEIGH {} not a bridge port\n",
                req.dev.name()
            );
            return Err(e);
        }
    };
    if req.ext_flags.is_some_and(|x| x & ntf::EXT_LOCKED != 0) {
        return Err(extack.fail(
            c_str!("bridge: Cannot add FDB entry with \"locked\" flag set"),
            EINVAL,
        ));
    }
    if req.vid != 0 {
        if req.vid != DEFAULT_PVID {
            pr_info!(
                "bridge: RTM_NEWNEIGH with unconfigured vlan {} on {}\n",
                req.vid,
                dev.name()
            );
            return Err(EINVAL);
        }
        return add_one(dev, port.as_ref(), req, req.vid, extack);
    }
    // Without a VLAN: VLAN 0, then every VLAN of the device (the PVID).
    add_one(dev, port.as_ref(), req, 0, extack)?;
    add_one(dev, port.as_ref(), req, DEFAULT_PVID, extack)
}

/// `__br_fdb_add`: `NTF_USE` learns as a frame would (the entry is the
/// user's), `NTF_EXT_LEARNED` adds an externally learned entry, anything
/// else is a user entry.
fn add_one(
    dev: &Device<BridgeDriver>,
    port: Option<&Arc<Port>>,
    req: &FdbReq<'_>,
    vid: u16,
    extack: &mut ExtAck,
) -> Result {
    if req.flags & ntf::USE != 0 {
        let Some(p) = port else {
            pr_info!(
                "bridge: RTM_NEWNEIGH {} with NTF_USE is not supported\n",
                dev.name()
            );
            return Err(EINVAL);
        };
        if p.state().learns() {
            br_fdb::update(dev, p, &req.addr, vid, true, &RcuGuard::new());
        }
        Ok(())
    } else if req.flags & ntf::EXT_LEARNED != 0 {
        if port.is_none() && req.state & nud::PERMANENT == 0 {
            return Err(extack.fail(
                c_str!("bridge: FDB entry towards bridge must be permanent"),
                EINVAL,
            ));
        }
        br_fdb::external_learn_add(dev, port.cloned(), &req.addr, vid)
    } else {
        add_entry(dev, port, req, vid)
    }
}

/// `fdb_delete_by_addr_and_port` for one VLAN.
fn del_one(dev: &Device<BridgeDriver>, port: Option<&Port>, addr: &[u8; 6], vid: u16) -> bool {
    let b = dev.data();
    let h = key_hash(b, addr, vid);
    let mut learned = 0;
    let gone = b.fdb.lock().remove_in_chain(h, |f| {
        let r = f.is(addr, vid) && f.on(port);
        if r {
            if f.flags() & flag::DYNAMIC_LEARNED != 0 {
                learned += 1;
            }
            notify(dev, f, false);
        }
        r
    });
    b.n_learned.fetch_sub(learned, Ordering::Relaxed);
    gone > 0
}

/// `br_fdb_delete`.
pub(crate) fn del(
    dev: &Device<BridgeDriver>,
    req: &FdbReq<'_>,
    _extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    let port = match target(dev, req.dev, rtnl) {
        Ok(p) => p,
        Err(e) => {
            pr_info!(
                "bridge: RTM_DELNEIGH {} not a bridge port\n",
                req.dev.name()
            );
            return Err(e);
        }
    };
    let p = port.as_deref();
    if req.vid != 0 {
        if req.vid != DEFAULT_PVID {
            pr_info!(
                "bridge: RTM_DELNEIGH with unconfigured vlan {} on {}\n",
                req.vid,
                dev.name()
            );
            return Err(EINVAL);
        }
        return if del_one(dev, p, &req.addr, req.vid) {
            Ok(())
        } else {
            Err(ENOENT)
        };
    }
    let a = del_one(dev, p, &req.addr, 0);
    let b = del_one(dev, p, &req.addr, DEFAULT_PVID);
    if a || b {
        Ok(())
    } else {
        Err(ENOENT)
    }
}

/// `br_fdb_dump`: for the bridge itself (no filter) its own address
/// lists, then its entries without a port; for a port, that port's.
pub(crate) fn dump(
    dev: &Device<BridgeDriver>,
    filter: Option<&NetDevice>,
    d: &mut FdbDump<'_>,
    rcu: &RcuGuard,
) -> Result {
    let filter = filter.filter(|f| !core::ptr::eq(*f, dev.net_device()));
    if filter.is_none() {
        d.default_entries(dev)?;
    }
    let now = jiffies();
    let mut res = Ok(());
    dev.data().fdb.for_each(rcu, |f| {
        if res.is_err() {
            return;
        }
        let mine = match (filter, f.port.as_deref()) {
            (None, None) => true,
            (Some(fd), Some(p)) => core::ptr::eq(&*p.dev, fd),
            _ => false,
        };
        if mine {
            res = d.entry(&msg(dev, f, now));
        }
    });
    res
}

/// `br_fdb_get`.
pub(crate) fn get(
    dev: &Device<BridgeDriver>,
    addr: &[u8; 6],
    vid: u16,
    reply: FdbReply,
    extack: &mut ExtAck,
    rcu: &RcuGuard,
) -> Result {
    let b = dev.data();
    match b.fdb.find(key_hash(b, addr, vid), rcu, |f| f.is(addr, vid)) {
        Some(f) => reply.entry(&msg(dev, f, jiffies())),
        None => Err(extack.fail(c_str!("Fdb entry not found"), ENOENT)),
    }
}
