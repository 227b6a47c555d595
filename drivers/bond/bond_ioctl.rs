// SPDX-License-Identifier: GPL-2.0

//! The bond's ioctls (C: `bond_do_ioctl`, `bond_siocdevprivate`,
//! `bond_eth_ioctl`): the `ifenslave` commands and queries, and the MII
//! status of the bond itself. The layer (`netdev::bond_ioctl`) copies the
//! structures and resolves the slave's name.

use crate::bond_dev::BondDriver;
use crate::bond_options::{self, Input, Opt, OptErr, Report};
use crate::netdev::{
    bond_ioctl::{BondIoctl, IfBond, IfSlave, MiiCmd, MiiData, BMSR_LSTATUS},
    errno,
    prelude::*,
};
use core::sync::atomic::Ordering;
use kernel::prelude::*;

/// `bond_do_ioctl`.
pub(crate) fn siocbond(dev: &Device<BondDriver>, req: BondIoctl<'_>, rtnl: &mut Rtnl) -> Result {
    match req {
        BondIoctl::InfoQuery(info) => {
            info_query(dev, info, rtnl);
            Ok(())
        }
        BondIoctl::SlaveInfoQuery(info) => slave_info_query(dev, info, rtnl),
        // As C: no extended ack for an ioctl.
        BondIoctl::Enslave(s) => crate::bond_slave::enslave(dev, s, &mut ExtAck::discard(), rtnl),
        BondIoctl::Release(s) => crate::bond_slave::release(dev, s, false, rtnl),
        // `bond_set_dev_addr`: the bond alone takes the address (stolen).
        BondIoctl::SetHwAddr(s) => dev.take_addr_from(s, rtnl),
        BondIoctl::ChangeActive(s) => change_active(dev, s, rtnl),
    }
}

/// `bond_fill_ifbond`.
fn info_query(dev: &Device<BondDriver>, info: &mut IfBond, rtnl: &Rtnl) {
    if let Ok(ctl) = dev.data().ctl.borrow(rtnl) {
        info.bond_mode = ctl.cfg.mode.raw().into();
        info.miimon = ctl.cfg.miimon as i32;
        info.num_slaves = ctl.slaves.len() as i32;
    }
}

/// `bond_slave_info_query`: `ENODEV` past the last slave.
fn slave_info_query(dev: &Device<BondDriver>, info: &mut IfSlave, rtnl: &Rtnl) -> Result {
    let ctl = dev.data().ctl.borrow(rtnl)?;
    let s = usize::try_from(info.slave_id)
        .ok()
        .and_then(|i| ctl.slaves.get(i))
        .ok_or(ENODEV)?;
    // `bond_fill_ifslave`.
    let p = &s.port;
    info.set_name(p.dev.name().as_bytes());
    info.link = p.link().raw();
    info.state = i8::from(p.backup.load(Ordering::Relaxed));
    info.link_failure_count = p.link_failure_count.load(Ordering::Relaxed);
    Ok(())
}

/// `__bond_opt_set_notify(bond, BOND_OPT_ACTIVE_SLAVE, name)`: as a write of
/// the slave's name to `active_slave`, errors to the log.
fn change_active(dev: &Device<BondDriver>, slave: &NetDevice, rtnl: &mut Rtnl) -> Result {
    let mode = dev.data().ctl.borrow(rtnl)?.cfg.mode;
    let r = if mode.uses_primary() {
        bond_options::set_active(dev, Some(slave), rtnl)
    } else {
        Err(OptErr::Access)
    };
    let name = slave.name();
    let input = Input::Str(core::str::from_utf8(name.as_bytes()).unwrap_or(""));
    r.map_err(|e| Report::Log(dev.net_device()).error(Opt::ActiveSlave, e, input, mode))?;
    dev.info_change(rtnl);
    Ok(())
}

/// `bond_eth_ioctl`: register 1 (BMSR) reports the bond's carrier.
pub(crate) fn eth_ioctl(
    dev: &Device<BondDriver>,
    cmd: MiiCmd,
    mii: &mut MiiData,
    _rtnl: &mut Rtnl,
) -> Result {
    match cmd {
        MiiCmd::GetPhy => mii.phy_id = 0,
        MiiCmd::GetReg => {}
        MiiCmd::SetReg => return Err(errno::err(errno::EOPNOTSUPP)),
    }
    if mii.reg_num == 1 {
        mii.val_out = if dev.carrier_ok() { BMSR_LSTATUS } else { 0 };
    }
    Ok(())
}
