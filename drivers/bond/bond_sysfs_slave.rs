// SPDX-License-Identifier: GPL-2.0

//! `/sys/class/net/<slave>/bonding_slave/*` (C: `bond_sysfs_slave.c`):
//! the slave's state, link, failure count, permanent address, queue id
//! and 802.3ad port states, read-only, present while the device is
//! enslaved (the directory is the [`SysfsDir`] of its [`Slave`], removed
//! with it on release).
//!
//! [`Slave`]: crate::bond_slave::Slave

use crate::bond_dev::{BondDriver, Mode};
use crate::bond_slave::SlavePort;
use crate::netdev::{
    device::MacFmt,
    prelude::*,
    sysfs::{AttrList, PortAttr, PortGroup, SysfsBuf, SysfsDir},
};
use core::fmt::Write;
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*};

fn line(out: &mut SysfsBuf<'_>, v: impl core::fmt::Display) -> Result {
    writeln!(out, "{}", v).map_err(|_| EINVAL)
}

fn state_show(p: &SlavePort, out: &mut SysfsBuf<'_>, _rcu: &RcuGuard) -> Result {
    line(
        out,
        if p.backup.load(Ordering::Relaxed) {
            "backup"
        } else {
            "active"
        },
    )
}

fn mii_status_show(p: &SlavePort, out: &mut SysfsBuf<'_>, _rcu: &RcuGuard) -> Result {
    line(out, crate::bond_proc::link_status(p.link()))
}

fn link_failure_count_show(p: &SlavePort, out: &mut SysfsBuf<'_>, _rcu: &RcuGuard) -> Result {
    line(out, p.link_failure_count.load(Ordering::Relaxed))
}

fn perm_hwaddr_show(p: &SlavePort, out: &mut SysfsBuf<'_>, _rcu: &RcuGuard) -> Result {
    writeln!(out, "{}", MacFmt(&p.perm_addr)).map_err(|_| EINVAL)
}

fn queue_id_show(p: &SlavePort, out: &mut SysfsBuf<'_>, _rcu: &RcuGuard) -> Result {
    line(out, p.queue_id.load(Ordering::Relaxed))
}

/// The port's 802.3ad state if the bond is in that mode and the port has
/// an aggregator (C prints `N/A` otherwise).
fn ad(p: &SlavePort, rcu: &RcuGuard) -> Option<crate::bond_3ad::SlaveOper> {
    let bond = p.master.downcast::<BondDriver>()?;
    if bond.data().snap.get(rcu)?.cfg.mode != Mode::Lacp {
        return None;
    }
    crate::bond_3ad::slave_oper(bond, p)
}

fn ad_aggregator_id_show(p: &SlavePort, out: &mut SysfsBuf<'_>, rcu: &RcuGuard) -> Result {
    match ad(p, rcu) {
        Some(o) => line(out, o.aggregator_id),
        None => line(out, "N/A"),
    }
}

fn ad_actor_oper_port_state_show(p: &SlavePort, out: &mut SysfsBuf<'_>, rcu: &RcuGuard) -> Result {
    match ad(p, rcu) {
        Some(o) => line(out, o.actor_state),
        None => line(out, "N/A"),
    }
}

fn ad_partner_oper_port_state_show(
    p: &SlavePort,
    out: &mut SysfsBuf<'_>,
    rcu: &RcuGuard,
) -> Result {
    match ad(p, rcu) {
        Some(o) => line(out, o.partner_state),
        None => line(out, "N/A"),
    }
}

/// C's `slave_attrs`, in its order.
static ATTRS: [PortAttr<SlavePort>; 8] = [
    PortAttr::ro(c_str!("state"), state_show),
    PortAttr::ro(c_str!("mii_status"), mii_status_show),
    PortAttr::ro(c_str!("link_failure_count"), link_failure_count_show),
    PortAttr::ro(c_str!("perm_hwaddr"), perm_hwaddr_show),
    PortAttr::ro(c_str!("queue_id"), queue_id_show),
    PortAttr::ro(c_str!("ad_aggregator_id"), ad_aggregator_id_show),
    PortAttr::ro(
        c_str!("ad_actor_oper_port_state"),
        ad_actor_oper_port_state_show,
    ),
    PortAttr::ro(
        c_str!("ad_partner_oper_port_state"),
        ad_partner_oper_port_state_show,
    ),
];

static LIST: AttrList<PortAttr<SlavePort>, 8> = AttrList::<PortAttr<SlavePort>, 8>::new(&ATTRS);
static GROUP: PortGroup<SlavePort> = PortGroup::new(&LIST);

/// Creates `bonding_slave/` under an enslaved device (C:
/// `bond_sysfs_slave_add`), after its rx_handler is registered.
pub(crate) fn add(slave: &NetDevice, rtnl: &Rtnl) -> Result<SysfsDir> {
    SysfsDir::new_port(slave, c_str!("bonding_slave"), &GROUP, rtnl)
}
