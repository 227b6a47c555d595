// SPDX-License-Identifier: GPL-2.0

//! The VLAN device: set-up, open/stop, MTU, address filters, statistics and
//! the transmit path (C: `vlan_dev.c`).

use crate::netdev::{
    device::Stats64,
    errno,
    lower::NET_XMIT_CN,
    prelude::*,
    proc::ProcDevSlot,
    vlan::{
        AddrListsLocked, VlanPriv, VlanSetup, VLAN_FLAG_BRIDGE_BINDING, VLAN_FLAG_LOOSE_BINDING,
    },
};
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::{c_str, prelude::*};

/// The VLAN driver.
pub(crate) struct Vlan;

/// Our part of the private data (after the C `vlan_dev_priv`).
pub(crate) struct VlanExt {
    /// MTU to take in `ndo_init` when the user gave none (0: keep).
    pub(crate) initial_mtu: AtomicU32,
    /// `/proc/net/vlan/<dev>`, present while the device is registered
    /// (made and removed by the layer, C: `vlan_proc_{add,rem}_dev`).
    pub(crate) proc: ProcDevSlot,
}

impl VlanExt {
    /// Our part for a new VLAN; its `/proc` file comes at registration.
    pub(crate) fn new(initial_mtu: u32) -> Self {
        VlanExt {
            initial_mtu: AtomicU32::new(initial_mtu),
            proc: ProcDevSlot::new(),
        }
    }
}

/// The private data of a VLAN device.
pub(crate) type VlanData = VlanPriv<VlanExt>;

/// The largest MTU a VLAN on `real` can have.
pub(crate) fn max_mtu(real: &NetDevice) -> u32 {
    if real.reduces_vlan_mtu() {
        real.mtu().saturating_sub(4)
    } else {
        real.mtu()
    }
}

#[vtable]
impl Driver for Vlan {
    type Data = VlanData;

    const INFO: DriverInfo = DriverInfo {
        name: c_str!("rvnet_vlan"),
        version: c_str!("1.0"),
    };

    fn setup(dev: &mut Setup<'_, Self>) {
        dev.ether_setup();
        dev.mark_vlan();
        dev.no_queue();
        dev.unicast_filter();
        dev.no_tx_skb_sharing();
        dev.keep_dst();
        dev.set_lltx();
        dev.set_mtu(1500, 0, crate::netdev::uapi::ETH_MAX_MTU);
    }

    fn init(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        let real = dev.data().real_dev();
        dev.inherit_from(real, rtnl);
        let m = dev.data().ext.initial_mtu.load(Ordering::Relaxed);
        if m != 0 {
            dev.set_mtu_raw(m, rtnl);
        }
        Ok(())
    }

    fn open(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        let v = dev.data();
        let real = v.real_dev();
        if !real.is_up() && v.flags() & VLAN_FLAG_LOOSE_BINDING == 0 {
            return Err(errno::err(errno::ENETDOWN));
        }
        if !dev.same_addr(real) {
            dev.uc_add_own_addr_to(real, rtnl)?;
        }
        v.note_real_addr(rtnl);
        if real.carrier_ok() && v.flags() & VLAN_FLAG_BRIDGE_BINDING == 0 {
            dev.set_carrier(true);
        }
        Ok(())
    }

    fn stop(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        let v = dev.data();
        let real = v.real_dev();
        dev.unsync_addr_lists_from(real, rtnl);
        if !dev.same_addr(real) {
            dev.uc_del_own_addr_from(real, rtnl);
        }
        if v.flags() & VLAN_FLAG_BRIDGE_BINDING == 0 {
            dev.set_carrier(false);
        }
        Ok(())
    }

    fn change_mtu(dev: &Device<Self>, new_mtu: u32, _rtnl: &mut Rtnl) -> Result {
        if new_mtu > max_mtu(dev.data().real_dev()) {
            return Err(ERANGE);
        }
        Ok(())
    }

    fn set_rx_mode(dev: &Device<Self>, lists: &AddrListsLocked<'_>) {
        lists.sync_to(dev.data().real_dev());
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut Stats64) {
        dev.data().fold_stats(stats);
    }

    fn start_xmit<'x>(dev: &Device<Self>, skb: TxSkb<'x>, tx: &XmitContext) -> TxResult<'x> {
        let mut skb = skb.into_skb();
        let v = dev.data();
        let len = skb.len();
        let tci = v.tci_for(&skb);
        skb.put_vlan_tag(v.proto(), tci);
        let rc = skb.queue_xmit(v.real_dev());
        if rc == 0 || rc == NET_XMIT_CN {
            v.count_tx(len, tx);
        } else {
            v.count_tx_dropped(tx);
        }
        TxResult::Ok
    }
}
