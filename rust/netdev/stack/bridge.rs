// SPDX-License-Identifier: GPL-2.0

//! What a bridge needs from the stack: the Ethernet addresses of a frame,
//! forwarding a frame to a port, its own transmit, and time in jiffies and
//! the `clock_t` units of the bridge's netlink and ioctl interfaces.
//!
//! Kernel rules encoded here:
//! - a frame is forwarded to a port the way C's `__br_forward` +
//!   `br_dev_queue_push_xmit` do: `skb->dev` set to the port, the checksum
//!   state reset for a forwarded frame (`skb_forward_csum`), the MAC
//!   header pushed back, a frame larger than the port's MTU dropped
//!   (`is_skb_forwardable`), then `dev_queue_xmit`; only inside an RCU
//!   read-side section (the receive handler or the bridge's transmit),
//!   which keeps the port's device alive for the call;
//! - `PACKET_HOST` is set only on a frame the handler owns.
//!
//! `IFF_EBRIDGE` and `IFF_BRIDGE_PORT` come with the FDB hooks: see
//! `fdb.rs` (`Setup::bridge_master`, `UpperLink::new_bridge_port`).

use super::{
    bindings,
    device::NetDevice,
    driver::{Device, Driver},
    rcu::RcuGuard,
    rtnl::Rtnl,
    skb::SkBuff,
};
use kernel::{error::to_result, prelude::*};

impl NetDevice {
    /// Adds (`inc` > 0) or drops promiscuity references
    /// (`dev_set_promiscuity`); a port is promiscuous while bridged.
    pub fn set_promiscuity(&self, inc: i32, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: RTNL held; the device is live.
        to_result(unsafe { bindings::rvnet_dev_set_promiscuity(self.as_raw(), inc) })
    }

    /// Adds or drops all-multicast references (`dev_set_allmulti`).
    pub fn set_allmulti(&self, inc: i32, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: RTNL held; the device is live.
        to_result(unsafe { bindings::rvnet_dev_set_allmulti(self.as_raw(), inc) })
    }

    /// `netif_oper_up`: operational state up or unknown.
    pub fn oper_up(&self) -> bool {
        // SAFETY: the device is live.
        unsafe { bindings::rvnet_netif_oper_up(self.as_raw()) }
    }

    /// `IFF_DONT_BRIDGE`: the device refuses to be bridged (wireless).
    pub fn dont_bridge(&self) -> bool {
        // SAFETY: the device is live.
        unsafe { bindings::rvnet_dev_dont_bridge(self.as_raw()) }
    }

    /// `IFF_LOOPBACK`.
    pub fn is_loopback(&self) -> bool {
        // SAFETY: the device is live.
        unsafe { bindings::rvnet_dev_is_loopback(self.as_raw()) }
    }

    /// `netif_is_bridge_port`: the device is a port of a bridge (C's or
    /// ours: `IFF_BRIDGE_PORT`), read racily as C does.
    pub fn is_bridge_port(&self) -> bool {
        // SAFETY: the device is live; `priv_flags` is a plain read.
        let f = unsafe { bindings::rvnet_netdev_priv_flags(self.as_raw()) };
        f & bindings::netdev_priv_flags_IFF_BRIDGE_PORT != 0
    }
}

impl<D: Driver> Device<D> {
    /// Changes the device's own address without changing how it was
    /// assigned (the bridge taking its lowest port's address,
    /// `br_stp_change_bridge_id`), then notifies `NETDEV_CHANGEADDR`.
    pub fn set_addr_notify(&self, mac: &[u8; 6], _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held; our own Ethernet device (6-byte address).
        unsafe { bindings::rvnet_dev_addr_set_notify(self.as_raw(), mac.as_ptr()) }
    }
}

impl SkBuff {
    /// Destination and source Ethernet addresses of a frame whose MAC
    /// header is set (received, or after [`SkBuff::pull_eth`]).
    /// Read inline (C's `eth_hdr`); zeros if the MAC header is not set.
    #[inline]
    pub fn eth_addrs(&self) -> ([u8; 6], [u8; 6]) {
        let h = self.mac_bytes::<12>().unwrap_or([0; 12]);
        let (mut d, mut s) = ([0u8; 6], [0u8; 6]);
        d.copy_from_slice(&h[..6]);
        s.copy_from_slice(&h[6..]);
        (d, s)
    }

    /// `skb->pkt_type = PACKET_HOST` (a frame for the bridge's own address
    /// received on a port, C's `br_handle_frame`).
    pub fn set_pkt_host(&mut self) {
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_skb_set_pkt_host(self.as_raw()) };
    }

    /// The bridge's own transmit (`br_dev_xmit`): sets the MAC header where
    /// the data starts and pulls it, so the frame looks like a received
    /// one. False (nothing changed) if the frame is shorter than an
    /// Ethernet header.
    pub fn pull_eth(&mut self) -> bool {
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_skb_pull_eth(self.as_raw()) }
    }

    /// Forwards the frame (data after its MAC header) to `to`, giving it
    /// away; `local_orig` when it came from the bridge's own transmit.
    pub fn bridge_forward(self, to: &NetDevice, local_orig: bool, _rcu: &RcuGuard) {
        // SAFETY: we own the skb and give it away; `to` is live for the
        // RCU section `_rcu` proves.
        unsafe { bindings::rvnet_br_forward(self.into_raw(), to.as_raw(), local_orig) }
    }
}

/// The current time in jiffies.
#[inline]
pub fn jiffies() -> u64 {
    // SAFETY: the exported counter, read as C's `READ_ONCE(jiffies)`.
    unsafe { core::ptr::addr_of!(bindings::jiffies).read_volatile() as u64 }
}

/// `jiffies_to_clock_t`: the 1/100 s units of the bridge's netlink times.
pub fn jiffies_to_clock_t(j: u64) -> u64 {
    // SAFETY: arithmetic only.
    unsafe { bindings::rvnet_jiffies_to_clock_t(j as _) as u64 }
}

/// `clock_t_to_jiffies`.
pub fn clock_t_to_jiffies(c: u64) -> u64 {
    // SAFETY: arithmetic only.
    unsafe { bindings::rvnet_clock_t_to_jiffies(c as _) as u64 }
}

/// `jiffies_to_msecs`.
pub fn jiffies_to_msecs(j: u64) -> u32 {
    // SAFETY: arithmetic only.
    unsafe { bindings::rvnet_jiffies_to_msecs(j as _) }
}
