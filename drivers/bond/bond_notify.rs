// SPDX-License-Identifier: GPL-2.0

//! Netdevice events (C: `bond_netdev_event`): a slave that goes away is
//! released; a slave going up, down or changing carrier refreshes its
//! speed/duplex and the published snapshot. (A bond's own
//! `/proc/net/bonding` file follows renames through the layer.)
//!
//! As in C, a device can be a bond and a slave at once (a bond enslaved to
//! another bond): master events of a bond do not stop its slave events, so
//! an enslaved bond that is deleted is released from its master first.

use crate::bond_3ad;
use crate::bond_dev::BondDriver;
use crate::bond_slave;
use crate::netdev::{notifier::NotifyResult, prelude::*, txsel::LinkState, upper::ARPHRD_ETHER};
use core::sync::atomic::Ordering;

/// The notifier handler.
pub(crate) struct BondEvents;

/// Events of a device enslaved to one of our bonds (C:
/// `bond_slave_netdev_event`).
fn slave_event(bond: &Device<BondDriver>, event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl) {
    match event {
        NetdevEvent::Unregister => {
            // C: a bond of another type than Ethernet goes away with its
            // last slave (`bond_release_and_destroy`).
            let destroy = bond.net_device().dev_type() != ARPHRD_ETHER;
            if bond_slave::release(bond, dev, true, rtnl).is_ok()
                && destroy
                && bond
                    .data()
                    .ctl
                    .borrow(rtnl)
                    .is_ok_and(|c| c.slaves.is_empty())
                && bond.delete(rtnl)
            {
                crate::netdev_info!(bond.net_device(), "Destroying bond\n");
            }
        }
        NetdevEvent::FeatChange => crate::bond_features::recompute(bond, rtnl),
        NetdevEvent::XdpFeatChange => crate::bond_xdp::set_features(bond, rtnl),
        NetdevEvent::Up | NetdevEvent::Down | NetdevEvent::Change => {
            let b = bond.data();
            if let Ok((ctl, rtnl)) = b.ctl.borrow_and_rtnl(rtnl) {
                // C refreshes speed and duplex on up and change only; a
                // slave going down keeps what it had (`/proc` shows it).
                let refresh = event != NetdevEvent::Down;
                let lacp = bond_3ad::is_8023ad(&ctl.cfg) && refresh;
                if let Some(s) = ctl.slave_of(dev).filter(|_| refresh) {
                    // 802.3ad: an unknown speed or duplex takes the
                    // link down (failing if it was ever up); the
                    // monitor brings it back once ethtool answers.
                    if !s.port.update_speed_duplex(rtnl) && lacp {
                        s.port.set_link(if s.port.was_up.load(Ordering::Relaxed) {
                            LinkState::Fail
                        } else {
                            LinkState::Down
                        });
                    }
                    if lacp {
                        bond_3ad::speed_duplex_changed(bond, &s.port);
                    }
                }
                bond_slave::publish(b, &ctl, rtnl);
            }
        }
        _ => {}
    }
}

impl NetdevNotifier for BondEvents {
    fn event(&self, event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl) -> NotifyResult {
        // Master events of one of our bonds need nothing here (C: rename
        // and proc file, done by the layer), and do not end the handling:
        // the bond may itself be a slave. Held: releasing the slave unlinks
        // it from its master.
        let Some(master) = dev.master_upper(rtnl).map(|m| m.hold()) else {
            return NotifyResult::Done;
        };
        if let Some(bond) = master.downcast::<BondDriver>() {
            slave_event(bond, event, dev, rtnl);
        }
        NotifyResult::Done
    }
}
