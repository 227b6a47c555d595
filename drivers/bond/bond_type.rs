// SPDX-License-Identifier: GPL-2.0

//! The bond's link-layer type follows its first slave (C, in
//! `bond_main.c`: the type change of `bond_enslave`,
//! `bond_setup_by_slave`, `bond_ether_setup`, `bond_header_ops`, and the
//! `err_undo_flags` return to Ethernet). A bond without slaves keeps the
//! type its last slave gave it until a slave of another type comes.

use crate::bond_dev::{BondDriver, Mode};
use crate::netdev::{prelude::*, type_change::LowerHeaders, upper::ARPHRD_ETHER};
use kernel::{c_str, prelude::*};

/// Headers are built and parsed by the active slave's header operations
/// (C: `bond_header_create`, `bond_header_parse` on `curr_active_slave`).
impl LowerHeaders for BondDriver {
    fn header_lower<'a>(dev: &'a Device<Self>, rcu: &'a RcuGuard) -> Option<&'a NetDevice> {
        let s = dev.data().snap.get(rcu)?;
        s.curr.and_then(|i| s.slaves.get(i)).map(|p| &*p.dev)
    }
}

/// Before the first slave is enslaved: the bond takes its type (or
/// Ethernet again); a later slave must have the bond's type.
pub(crate) fn enslave_check(
    dev: &Device<BondDriver>,
    slave: &NetDevice,
    mode: Mode,
    first: bool,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    let ty = slave.dev_type();
    if dev.net_device().dev_type() == ty {
        return Ok(());
    }
    if !first {
        return Err(crate::bond_slave::nl_err(
            dev,
            Some(slave),
            extack,
            c_str!("Device type is different from other slaves"),
            EINVAL,
        ));
    }
    if ty != ARPHRD_ETHER && mode == Mode::Lacp {
        return Err(crate::bond_slave::nl_err(
            dev,
            Some(slave),
            extack,
            c_str!("8023AD mode requires Ethernet devices"),
            EINVAL,
        ));
    }
    let Ok(mut tc) = dev.begin_type_change(rtnl) else {
        crate::slave_err!(dev.net_device(), slave, "refused to change device type\n");
        return Err(EBUSY);
    };
    tc.flush_addr_lists();
    if ty != ARPHRD_ETHER {
        tc.take_type_of(slave);
    } else {
        tc.ether_setup();
    }
    Ok(())
}

/// A failed enslave of what would have been the first slave (C:
/// `err_undo_flags`): the bond drops an address it took from the slave
/// and is closed and made Ethernet again, without a type-change
/// notification.
pub(crate) fn enslave_failed(dev: &Device<BondDriver>, slave: &NetDevice, rtnl: &mut Rtnl) {
    if dev.addr6_equal(slave) {
        dev.random_addr(rtnl);
    }
    dev.revert_to_ether(rtnl);
}
