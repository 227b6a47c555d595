// SPDX-License-Identifier: GPL-2.0

//! Port events (C: br.c `br_device_event`): a port that goes away is
//! removed; up/down/carrier changes recompute the port states and the
//! bridge's carrier; address and MTU changes update the local FDB entries,
//! the bridge's address and its MTU.

use crate::br_device::BridgeDriver;
use crate::br_fdb;
use crate::br_if;
use crate::netdev::{bridge_link, notifier::NotifyResult, prelude::*};

/// The notifier handler.
pub(crate) struct BridgeEvents;

fn port_event(br: &Device<BridgeDriver>, event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl) {
    match event {
        NetdevEvent::Unregister => {
            let _ = br_if::del_if(br, dev, rtnl);
        }
        NetdevEvent::Up | NetdevEvent::Down | NetdevEvent::Change => {
            if event == NetdevEvent::Change {
                br_if::carrier_check(br, dev, rtnl);
            }
            // One announcement per event (C: `notified`).
            if !br_if::port_states(br, dev, rtnl) {
                bridge_link::notify(br, dev, true);
            }
        }
        NetdevEvent::ChangeMtu => br_if::mtu_auto_adjust(br, rtnl),
        NetdevEvent::FeatChange => br.update_features(rtnl),
        NetdevEvent::ChangeName => {
            if let Ok(mut ctl) = br.data().ctl.borrow_mut(rtnl) {
                let crate::br_device::Ctl { ports, brif, .. } = &mut *ctl;
                let slot = ports.iter_mut().find(|s| core::ptr::eq(&*s.port.dev, dev));
                if let (Some(brif), Some(f)) = (brif.as_ref(), slot.and_then(|s| s.sysfs.as_mut()))
                {
                    crate::br_sysfs_if::rename_port(br, brif, dev, f);
                }
            }
        }
        NetdevEvent::ChangeAddr => {
            let port = match br.data().ctl.borrow(rtnl) {
                Ok(ctl) => ctl.port_of(dev).map(|s| s.port.clone()),
                Err(_) => None,
            };
            if let Some(p) = port {
                // The old address is whatever local entry this port has.
                let old = br_fdb::local_addr_of(br.data(), &p);
                br_fdb::port_addr_changed(br, &p, old, rtnl);
                br_if::recalc_addr(br, rtnl);
                bridge_link::notify(br, dev, true);
            }
        }
        _ => {}
    }
}

impl NetdevNotifier for BridgeEvents {
    fn event(&self, event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl) -> NotifyResult {
        // Held: removing the port unlinks it from its master.
        let Some(master) = dev.master_upper(rtnl).map(|m| m.hold()) else {
            return NotifyResult::Done;
        };
        if let Some(br) = master.downcast::<BridgeDriver>() {
            port_event(br, event, dev, rtnl);
        }
        NotifyResult::Done
    }
}
