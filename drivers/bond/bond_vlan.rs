// SPDX-License-Identifier: GPL-2.0

//! The VLANs stacked on the bond, on its slaves (C: `bond_vlan_rx_add_vid`,
//! `bond_vlan_rx_kill_vid`, and `vlan_vids_add_by_dev`/`vlan_vids_del_by_dev`
//! in `bond_enslave`/`__bond_release_one`): the bond offers VLAN filtering
//! (`NETIF_F_HW_VLAN_*_FILTER`, which the user may turn off with `ethtool
//! -K bond0 rx-vlan-filter off`), and every VID a VLAN device above adds
//! goes to every slave, all or none.

use crate::bond_dev::BondDriver;
use crate::netdev::prelude::*;
use kernel::prelude::*;

/// `ndo_vlan_rx_add_vid`: the VID on every slave, or on none if one
/// refuses (those before it drop it again).
pub(crate) fn add_vid(dev: &Device<BondDriver>, proto: u16, vid: u16, rtnl: &mut Rtnl) -> Result {
    let (ctl, rtnl) = dev.data().ctl.borrow_and_rtnl(rtnl)?;
    for (i, s) in ctl.slaves.iter().enumerate() {
        if let Err(e) = s.port.dev.vlan_vid_add(proto, vid, rtnl) {
            for t in ctl.slaves.iter().take(i) {
                t.port.dev.vlan_vid_del(proto, vid, rtnl);
            }
            return Err(e);
        }
    }
    Ok(())
}

/// `ndo_vlan_rx_kill_vid`: the VID off every slave (and balance-alb's
/// clients seen on it forgotten: `bond_alb_clear_vlan`).
pub(crate) fn kill_vid(dev: &Device<BondDriver>, proto: u16, vid: u16, rtnl: &mut Rtnl) -> Result {
    let (ctl, rtnl) = dev.data().ctl.borrow_and_rtnl(rtnl)?;
    for s in ctl.slaves.iter() {
        s.port.dev.vlan_vid_del(proto, vid, rtnl);
    }
    if ctl.cfg.mode.is_lb() {
        crate::bond_alb::clear_vlan(dev.data(), vid);
    }
    Ok(())
}
