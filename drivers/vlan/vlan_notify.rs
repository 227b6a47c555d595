// SPDX-License-Identifier: GPL-2.0

//! Follows lower devices (C: `vlan_device_event`): VLANs take the lower
//! device's operstate, are capped to its MTU, go down and up with it
//! (unless `loose_binding`), and are deleted when it is unregistered.

use crate::netdev::{device::flags, notifier::NotifyResult, prelude::*, vlan::*};
use crate::vlan_dev::Vlan;
use kernel::{alloc::KVec, prelude::*, types::ARef};

/// The notifier handler.
pub(crate) struct LowerEvents;

/// The VLANs of ours stacked directly on `lower`, held.
fn vlans_on(lower: &NetDevice, rtnl: &Rtnl) -> KVec<ARef<NetDevice>> {
    let mut out = KVec::new();
    for up in lower.for_each_upper(rtnl) {
        if let Some(v) = up.downcast::<Vlan>() {
            if core::ptr::eq(v.data().real_dev(), lower) && out.push(up.hold(), GFP_KERNEL).is_err()
            {
                break;
            }
        }
    }
    out
}

impl NetdevNotifier for LowerEvents {
    fn event(&self, event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl) -> NotifyResult {
        let interesting = matches!(
            event,
            NetdevEvent::Change
                | NetdevEvent::ChangeAddr
                | NetdevEvent::FeatChange
                | NetdevEvent::ChangeMtu
                | NetdevEvent::Down
                | NetdevEvent::Up
                | NetdevEvent::Unregister
        );
        if !interesting {
            return NotifyResult::Done;
        }
        let vlans = vlans_on(dev, rtnl);
        for vd in vlans.iter() {
            let Some(v) = vd.downcast::<Vlan>() else {
                continue;
            };
            let vf = v.data().flags();
            match event {
                NetdevEvent::Change => {
                    if vf & VLAN_FLAG_BRIDGE_BINDING == 0 {
                        v.transfer_operstate_from(dev, rtnl);
                    }
                }
                NetdevEvent::ChangeAddr => {
                    if v.is_up() {
                        v.data().sync_address(v, rtnl);
                    }
                }
                NetdevEvent::FeatChange => v.data().transfer_features(v, rtnl),
                NetdevEvent::ChangeMtu => {
                    if v.mtu() > dev.mtu() {
                        let _ = v.set_mtu(dev.mtu(), rtnl);
                    }
                }
                // As C: only the VLANs closed here take the lower device's
                // operstate; a loose-binding VLAN keeps its own.
                NetdevEvent::Down => {
                    if v.is_up() && vf & VLAN_FLAG_LOOSE_BINDING == 0 {
                        let _ = v.change_flags(v.user_flags() & !flags::IFF_UP, rtnl);
                        if vf & VLAN_FLAG_BRIDGE_BINDING == 0 {
                            v.transfer_operstate_from(dev, rtnl);
                        }
                    }
                }
                // As C: a VLAN already up is left alone; one that is down
                // is opened (unless loose binding) and takes the operstate.
                NetdevEvent::Up => {
                    if !v.is_up() {
                        if vf & VLAN_FLAG_LOOSE_BINDING == 0 {
                            let _ = v.change_flags(v.user_flags() | flags::IFF_UP, rtnl);
                        }
                        if vf & VLAN_FLAG_BRIDGE_BINDING == 0 {
                            v.transfer_operstate_from(dev, rtnl);
                        }
                    }
                }
                NetdevEvent::Unregister => {
                    // A namespace move also unregisters: only a real
                    // unregistration takes the VLANs along.
                    if dev.is_unregistering() {
                        v.delete(rtnl);
                    }
                }
                _ => {}
            }
        }
        NotifyResult::Done
    }
}
