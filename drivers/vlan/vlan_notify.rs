// SPDX-License-Identifier: GPL-2.0

//! Follows lower devices (C: `vlan_device_event`): VLANs take the lower
//! device's operstate, are capped to its MTU, go down and up with it
//! (unless `loose_binding`), and are deleted when it is unregistered.

use crate::netdev::{
    device::flags, notifier::NotifyResult, prelude::*, proc::ProcDevEntry, vlan::*,
};
use crate::vlan_dev::Vlan;
use crate::vlanproc::VlanDir;
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

/// Makes, renames (remove, make) and removes a VLAN's `/proc/net/vlan`
/// file with the device.
fn follow_proc_file(event: NetdevEvent, v: &Device<Vlan>, rtnl: &mut Rtnl) -> Result {
    let add = match event {
        NetdevEvent::Register | NetdevEvent::ChangeName => true,
        NetdevEvent::Unregister => false,
        _ => return Ok(()),
    };
    let mut slot = v.data().ext.proc.borrow_mut(rtnl)?;
    // Removal waits for running readers of the old file.
    drop(slot.take());
    if add {
        *slot = Some(ProcDevEntry::new::<Vlan, VlanDir>(v, rtnl)?);
    }
    Ok(())
}

impl NetdevNotifier for LowerEvents {
    fn event(&self, event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl) -> NotifyResult {
        // Our own devices: their /proc/net/vlan/<dev> file.
        if let Some(v) = dev.downcast::<Vlan>() {
            if let Err(e) = follow_proc_file(event, v, rtnl) {
                return NotifyResult::Veto(e);
            }
        }
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
                NetdevEvent::Down => {
                    if v.is_up() && vf & VLAN_FLAG_LOOSE_BINDING == 0 {
                        let _ = v.change_flags(v.user_flags() & !flags::IFF_UP, rtnl);
                    }
                    if vf & VLAN_FLAG_BRIDGE_BINDING == 0 {
                        v.transfer_operstate_from(dev, rtnl);
                    }
                }
                NetdevEvent::Up => {
                    if !v.is_up() && vf & VLAN_FLAG_LOOSE_BINDING == 0 {
                        let _ = v.change_flags(v.user_flags() | flags::IFF_UP, rtnl);
                    }
                    if vf & VLAN_FLAG_BRIDGE_BINDING == 0 {
                        v.transfer_operstate_from(dev, rtnl);
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
