// SPDX-License-Identifier: GPL-2.0

//! Netdevice events (C: `bond_netdev_event`): a slave that goes away is
//! released; a slave going up, down or changing carrier refreshes its
//! speed/duplex and the published snapshot; a renamed bond gets its
//! `/proc/net/bonding` file under the new name.

use crate::bond_dev::BondDriver;
use crate::bond_proc::BondingDir;
use crate::bond_slave;
use crate::netdev::{notifier::NotifyResult, prelude::*, proc::ProcDevEntry};

/// The notifier handler.
pub(crate) struct BondEvents;

fn bond_event(bond: &Device<BondDriver>, event: NetdevEvent, rtnl: &mut Rtnl) {
    if event != NetdevEvent::ChangeName {
        return;
    }
    if let Ok(mut ctl) = bond.data().ctl.borrow_mut(rtnl) {
        if let Some(p) = ctl.proc.take() {
            p.remove();
        }
        ctl.proc = ProcDevEntry::new::<BondDriver, BondingDir>(bond, rtnl).ok();
    }
}

impl NetdevNotifier for BondEvents {
    fn event(&self, event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl) -> NotifyResult {
        if let Some(bond) = dev.downcast::<BondDriver>() {
            bond_event(bond, event, rtnl);
            return NotifyResult::Done;
        }
        // Held: releasing the slave unlinks it from its master.
        let Some(master) = dev.master_upper(rtnl).map(|m| m.hold()) else {
            return NotifyResult::Done;
        };
        let Some(bond) = master.downcast::<BondDriver>() else {
            return NotifyResult::Done;
        };
        match event {
            NetdevEvent::Unregister => {
                let _ = bond_slave::release(bond, dev, true, rtnl);
            }
            NetdevEvent::Up | NetdevEvent::Down | NetdevEvent::Change => {
                let b = bond.data();
                if let Ok((ctl, rtnl)) = b.ctl.borrow_and_rtnl(rtnl) {
                    for s in ctl.slaves.iter() {
                        if core::ptr::eq(&*s.port.dev, dev) {
                            s.port.update_speed_duplex(rtnl);
                        }
                    }
                    bond_slave::publish(b, &ctl, rtnl);
                }
            }
            _ => {}
        }
        NotifyResult::Done
    }
}
