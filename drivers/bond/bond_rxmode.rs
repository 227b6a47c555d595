// SPDX-License-Identifier: GPL-2.0

//! What the bond's receive filters do to its slaves (C:
//! `bond_set_rx_mode`, `bond_change_rx_flags`, `bond_set_promiscuity`,
//! `bond_set_allmulti`, `bond_hw_addr_swap`, `bond_hw_addr_flush`): the
//! bond's unicast and multicast address lists, its promiscuity and its
//! all-multicast go to the active slave in active-backup (moved on
//! failover) and to every slave in the other modes; the lists while the
//! bond is up, promiscuity and all-multicast while the bond has them.
//!
//! Each slave records what it holds of the bond's (`SlavePort::rx_*`,
//! written under RTNL); [`sync`] brings every slave in line with the mode,
//! the active slave and the bond's flags, after every change of them
//! (`bond_slave::publish`, open, stop, `ndo_change_rx_flags`), taking from
//! the slaves that should no longer hold before giving to those that
//! should (as `bond_hw_addr_swap`); a released slave gives back what it
//! holds ([`release`]). `ndo_set_rx_mode` syncs the lists to the slaves
//! that hold them, reading their flags under the bond's address-list lock,
//! which the RTNL side also takes after setting or before clearing a flag.

use crate::bond_dev::{BondDriver, Ctl};
use crate::bond_slave::SlavePort;
use crate::netdev::{device::flags, prelude::*, vlan::AddrListsLocked};
use core::sync::atomic::Ordering;

/// What a slave should hold of the bond's filters.
#[derive(Clone, Copy)]
struct Want {
    promisc: bool,
    allmulti: bool,
    lists: bool,
}

const NONE: Want = Want {
    promisc: false,
    allmulti: false,
    lists: false,
};

/// Moves `p` towards `want`: only what is taken (`adding` false) or only
/// what is given (`adding` true). `single`: the lists go to one slave
/// (`dev_uc_sync`, active-backup), else to several (`_multiple`).
fn adjust(
    master: &NetDevice,
    p: &SlavePort,
    want: Want,
    adding: bool,
    single: bool,
    rtnl: &mut Rtnl,
) {
    let d = &*p.dev;
    let inc = if adding { 1 } else { -1 };
    if p.rx_promisc.load(Ordering::Relaxed) != want.promisc
        && want.promisc == adding
        && d.set_promiscuity(inc, rtnl).is_ok()
    {
        p.rx_promisc.store(want.promisc, Ordering::Relaxed);
    }
    if p.rx_allmulti.load(Ordering::Relaxed) != want.allmulti
        && want.allmulti == adding
        && d.set_allmulti(inc, rtnl).is_ok()
    {
        p.rx_allmulti.store(want.allmulti, Ordering::Relaxed);
    }
    if p.rx_lists.load(Ordering::Relaxed) != want.lists && want.lists == adding {
        // Set before the lock is taken, cleared before the lists are
        // unsynced (which takes it): `set_rx_mode` reads it under the lock.
        p.rx_lists.store(adding, Ordering::Relaxed);
        if adding {
            let lists = master.lock_addr_lists(rtnl);
            sync_lists(&lists, d, single);
        } else {
            master.unsync_addr_lists_from(d, rtnl);
        }
    }
}

fn sync_lists(lists: &AddrListsLocked<'_>, slave: &NetDevice, single: bool) {
    if single {
        lists.sync_to(slave);
    } else {
        lists.sync_to_multiple(slave);
    }
}

/// Brings every slave's share of the bond's filters in line with the
/// mode, the active slave and the bond's flags; `up`: the bond is up or
/// opening (its `IFF_UP` is still set in `ndo_stop`, not yet in
/// `ndo_open`).
pub(crate) fn sync(master: &NetDevice, ctl: &Ctl, up: bool, rtnl: &mut Rtnl) {
    let f = master.flags();
    let single = ctl.cfg.mode.uses_primary();
    let want = |i: usize| {
        if single && ctl.active != Some(i) {
            return NONE;
        }
        Want {
            promisc: f & flags::IFF_PROMISC != 0,
            allmulti: f & flags::IFF_ALLMULTI != 0,
            lists: up,
        }
    };
    for adding in [false, true] {
        for (i, s) in ctl.slaves.iter().enumerate() {
            adjust(master, &s.port, want(i), adding, single, rtnl);
        }
    }
}

/// A released slave gives back what it holds (C: `__bond_release_one`,
/// or `bond_hw_addr_swap` of the old active slave).
pub(crate) fn release(master: &NetDevice, p: &SlavePort, rtnl: &mut Rtnl) {
    // Taking only: how the lists were given does not matter.
    adjust(master, p, NONE, false, false, rtnl);
}

/// `ndo_set_rx_mode` of the bond: the lists go to the slaves holding them.
pub(crate) fn set_rx_mode(dev: &Device<BondDriver>, lists: &AddrListsLocked<'_>) {
    let rcu = RcuGuard::new();
    let Some(s) = dev.data().snap.get(&rcu) else {
        return;
    };
    let single = s.cfg.mode.uses_primary();
    for p in s.slaves.iter() {
        if p.rx_lists.load(Ordering::Relaxed) {
            sync_lists(lists, &p.dev, single);
        }
    }
}
