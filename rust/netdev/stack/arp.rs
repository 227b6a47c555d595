// SPDX-License-Identifier: GPL-2.0

//! What a link monitor that probes with ARP needs from the stack (C:
//! bonding's `bond_arp_send_all`, `bond_arp_send`, `bond_handle_vlan`,
//! `bond_verify_device_path`, `bond_confirm_addr`, `bond_has_this_ip`,
//! `bond_arp_rcv`, and the IPv6 side of its NS monitor, `bond_ns_send_all`,
//! `bond_ns_send`, `bond_na_rcv`): the device a route to a target leaves
//! by, the address to send from, the VLAN tag of a device on the path, an
//! ARP request built by `arp_create` and sent by `arp_xmit` (a neighbour
//! solicitation by `ndisc_ns_create` and `ndisc_send_skb`), and the bytes
//! of a received ARP or advertisement.
//!
//! Kernel rules encoded here:
//! - a route's output device is only valid while something pins it: the
//!   route holds a reference that an unregistration takes away (then waits
//!   for RCU readers) and a freed route drops after a grace period, so the
//!   device [`route_output_dev`] returns is borrowed from the caller's
//!   [`RcuGuard`] and cannot outlive it (compile-fail
//!   `arp_route_dev_outlives_rcu`);
//! - the address lists and the upper-device lists are read under RCU
//!   (`__in_dev_get_rcu`, `netdev_walk_all_upper_dev_rcu`): those calls
//!   take the guard too;
//! - `arp_xmit` runs the `NF_ARP_OUT` hook and `dev_queue_xmit`, which
//!   need the device alive: the caller's `&NetDevice` (a held slave)
//!   guarantees it.

use super::{
    bindings,
    device::{Net, NetDevice},
    inet::Ipv4Addr,
    rcu::RcuGuard,
    skb::SkBuff,
};

/// The current time in jiffies.
pub use super::bridge::jiffies;

/// `msecs_to_jiffies`.
pub fn msecs_to_jiffies(ms: u32) -> u64 {
    // SAFETY: arithmetic only.
    unsafe { bindings::rvnet_msecs_to_jiffies(ms) as u64 }
}

fn be(a: Ipv4Addr) -> u32 {
    // `__be32` in memory is the dotted quad.
    u32::from_ne_bytes(a.0)
}

/// The device a packet to `dst` leaves by: `ip_route_output(net, dst, 0,
/// 0, 0, RT_SCOPE_LINK)`'s `dst.dev`, `None` without a route. The
/// reference lasts as long as the RCU read-side section.
pub fn route_output_dev<'a>(net: &Net, dst: Ipv4Addr, _rcu: &'a RcuGuard) -> Option<&'a NetDevice> {
    // SAFETY: `net` is live; the helper looks the route up, reads its
    // device and puts the route.
    let d = unsafe { bindings::rvnet_route_output_dev_rcu(net.as_raw(), be(dst)) };
    // SAFETY: read from a held route inside the caller's RCU section: the
    // device is freed only after a grace period that follows the loss of
    // the route's reference (see the module documentation), so it is live
    // for `'a`.
    (!d.is_null()).then(|| unsafe { NetDevice::from_raw(d) })
}

/// A VLAN tag: its protocol (`ETH_P_8021Q`, `ETH_P_8021AD`) and id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VlanTag {
    /// Tag protocol, host order.
    pub proto: u16,
    /// VLAN id (0: none at this level).
    pub vid: u16,
}

impl NetDevice {
    /// `bond_confirm_addr(dev, dst, local)`: an address of this device
    /// for talking to `dst` (`inet_confirm_addr`, scope host), 0.0.0.0 if
    /// none.
    pub fn confirm_addr(&self, dst: Ipv4Addr, local: Ipv4Addr, _rcu: &RcuGuard) -> Ipv4Addr {
        // SAFETY: the device is live; the RCU section the guard proves
        // covers the in_device and address list reads.
        let a = unsafe { bindings::rvnet_confirm_addr_rcu(self.as_raw(), be(dst), be(local)) };
        Ipv4Addr(a.to_ne_bytes())
    }

    /// `bond_has_this_ip`: `ip` is an address of this device or of a
    /// device stacked above it.
    pub fn has_ip_here_or_above(&self, ip: Ipv4Addr, _rcu: &RcuGuard) -> bool {
        // SAFETY: the device is live; the walk of the upper devices and
        // their addresses runs inside the guard's RCU section.
        unsafe { bindings::rvnet_dev_or_upper_has_ip_rcu(self.as_raw(), be(ip)) }
    }

    /// `netdev_walk_all_upper_dev_rcu`: `f` for every device stacked above
    /// this one, in C's order (depth first; a device that has uppers is
    /// visited again each time the walk comes back to it from one, as C's
    /// walk does), until `f` answers `true` (then `true`). The devices are
    /// borrowed for one call only: the walk's RCU section (the guard)
    /// keeps them alive, not longer.
    pub fn walk_all_uppers_rcu<F: FnMut(&NetDevice) -> bool>(&self, _rcu: &RcuGuard, f: F) -> bool {
        /// # Safety
        ///
        /// `upper` must be live for the call and `data` point to an `F`
        /// nothing else uses meanwhile (the walk below guarantees both).
        unsafe extern "C" fn one<F: FnMut(&NetDevice) -> bool>(
            upper: *mut bindings::net_device,
            data: *mut core::ffi::c_void,
        ) -> core::ffi::c_int {
            // SAFETY: `data` is the `F` the walk below passed, borrowed
            // mutably for the walk only, and no other reference to it
            // exists meanwhile.
            let f = unsafe { &mut *data.cast::<F>() };
            // SAFETY: the walk hands out live uppers under the caller's
            // RCU section; the reference does not escape the call (`F`
            // takes any lifetime).
            let d = unsafe { NetDevice::from_raw(upper) };
            core::ffi::c_int::from(f(d))
        }
        let mut f = f;
        // SAFETY: the device is live and the guard proves the RCU section
        // the walk needs; `one::<F>` gets back the `f` passed here, which
        // outlives the call.
        unsafe {
            bindings::rvnet_walk_all_upper_rcu(
                self.as_raw(),
                Some(one::<F>),
                core::ptr::addr_of_mut!(f).cast(),
            ) != 0
        }
    }

    /// `netif_is_macvlan`: a macvlan (or macvtap) device.
    pub fn is_macvlan(&self) -> bool {
        // SAFETY: the device is live; a flag read.
        unsafe { bindings::rvnet_netif_is_macvlan(self.as_raw()) }
    }

    /// `dev->lower_level`: the longest chain of devices below this one,
    /// plus one (1 for a device with none).
    pub fn lower_level(&self) -> u8 {
        // SAFETY: the device is live; a plain field, read racily as C's
        // readers under RCU do.
        unsafe { core::ptr::addr_of!((*self.as_raw()).lower_level).read() }
    }

    /// The VLAN tag of a VLAN device (`is_vlan_dev`,
    /// `vlan_dev_vlan_proto`, `vlan_dev_vlan_id`), `None` for any other.
    pub fn vlan_tag_of(&self) -> Option<VlanTag> {
        let (mut proto, mut vid) = (0u16, 0u16);
        // SAFETY: the device is live; a VLAN device's private data is
        // `vlan_dev_priv`, which the helper reads only after checking the
        // flag.
        let ok = unsafe { bindings::rvnet_vlan_dev_tag(self.as_raw(), &mut proto, &mut vid) };
        ok.then_some(VlanTag { proto, vid })
    }

    /// `bond_arp_send(ARPOP_REQUEST)`: an ARP request for `dest` from
    /// `src` and this device's address, broadcast, with `tags` (the first
    /// the outermost, as accelerated tag; the others, those with a VLAN
    /// id, inserted in the packet), sent with `arp_xmit`. False if nothing
    /// was sent (no memory).
    pub fn send_arp_request(&self, dest: Ipv4Addr, src: Ipv4Addr, tags: &[VlanTag]) -> bool {
        let (protos, vids, n) = tag_arrays(tags);
        // SAFETY: the device is live (borrowed); the arrays hold `n`
        // entries; the helper builds and sends its own skb.
        unsafe {
            bindings::rvnet_arp_send_request(
                self.as_raw(),
                be(dest),
                be(src),
                protos.as_ptr(),
                vids.as_ptr(),
                n,
            )
        }
    }
}

impl NetDevice {
    /// `rlb_update_client`'s ARP reply: to `ip_dst` at `mac_dst` (also
    /// the Ethernet destination), from `ip_src` and this device's address,
    /// tagged `ETH_P_8021Q` with `tci` unless 0, sent with `arp_xmit`.
    /// False if nothing was sent (no memory, or not an Ethernet-sized
    /// address).
    pub fn send_arp_reply(
        &self,
        ip_dst: Ipv4Addr,
        ip_src: Ipv4Addr,
        mac_dst: &[u8; 6],
        tci: u16,
    ) -> bool {
        // SAFETY: the device is live (borrowed); the helper reads 6 bytes
        // of `mac_dst`, only for a device with 6-byte addresses; it builds
        // and sends its own skb.
        unsafe {
            bindings::rvnet_arp_send_reply(
                self.as_raw(),
                be(ip_dst),
                be(ip_src),
                mac_dst.as_ptr(),
                tci,
            )
        }
    }
}

impl Net {
    /// `ip_dev_find(net, ip)` is a bridge (`netif_is_any_bridge_master`):
    /// the bond does not balance ARPs a bridge above it sends.
    pub fn ip_dev_is_any_bridge(&self, ip: Ipv4Addr) -> bool {
        // SAFETY: `net` is live; the helper takes and puts its own
        // reference on the device it finds.
        unsafe { bindings::rvnet_ip_dev_is_any_bridge(self.as_raw(), be(ip)) }
    }
}

/// An IPv6 address as the C type (aligned as the kernel reads it).
fn in6(a: &[u8; 16]) -> bindings::in6_addr {
    // SAFETY: `in6_addr` is plain data (a union of byte and word arrays);
    // all zeros is a valid value.
    let mut x: bindings::in6_addr = unsafe { core::mem::zeroed() };
    // SAFETY: `in6_addr` is exactly 16 bytes of address.
    unsafe {
        core::ptr::copy_nonoverlapping(a.as_ptr(), core::ptr::addr_of_mut!(x).cast::<u8>(), 16)
    };
    x
}

/// IPv6 is available (`ipv6_mod_enabled`: built in or loaded, not
/// disabled on the command line).
pub fn ipv6_enabled() -> bool {
    // SAFETY: reads a flag.
    unsafe { bindings::rvnet_ipv6_mod_enabled() }
}

/// The device a packet to the IPv6 address `dst` leaves by
/// (`ip6_route_output`'s `dst->dev`), `None` if the route is an error;
/// bounded by the RCU section as [`route_output_dev`].
pub fn route6_output_dev<'a>(
    net: &Net,
    dst: &[u8; 16],
    _rcu: &'a RcuGuard,
) -> Option<&'a NetDevice> {
    let d6 = in6(dst);
    // SAFETY: `net` is live; the helper looks the route up, reads its
    // device and releases the route.
    let d = unsafe { bindings::rvnet_route6_output_dev_rcu(net.as_raw(), &d6) };
    // SAFETY: as for `route_output_dev`: read from a held route inside the
    // caller's RCU section.
    (!d.is_null()).then(|| unsafe { NetDevice::from_raw(d) })
}

impl NetDevice {
    /// `ipv6_dev_get_saddr`: the source address this device uses towards
    /// `dst`, `None` if it has none.
    pub fn ipv6_saddr(&self, dst: &[u8; 16]) -> Option<[u8; 16]> {
        let d6 = in6(dst);
        let mut s6 = in6(&[0; 16]);
        // SAFETY: the device is live; both addresses are valid `in6_addr`s.
        let ok = unsafe { bindings::rvnet_ipv6_dev_get_saddr(self.as_raw(), &d6, &mut s6) };
        let mut out = [0u8; 16];
        // SAFETY: `in6_addr` is 16 bytes of address.
        unsafe {
            core::ptr::copy_nonoverlapping(
                core::ptr::addr_of!(s6).cast::<u8>(),
                out.as_mut_ptr(),
                16,
            )
        };
        ok.then_some(out)
    }

    /// `bond_has_this_ip6`: `addr` is an address of this device or of a
    /// device stacked above it.
    pub fn has_ip6_here_or_above(&self, addr: &[u8; 16], _rcu: &RcuGuard) -> bool {
        let a6 = in6(addr);
        // SAFETY: the device is live; the walk runs inside the guard's RCU
        // section.
        unsafe { bindings::rvnet_dev_or_upper_has_ip6_rcu(self.as_raw(), &a6) }
    }

    /// `bond_ns_send`: a neighbour solicitation for `dst` from `src`
    /// (`ndisc_ns_create`, to the solicited-node group of `dst`,
    /// `ndisc_send_skb`), tagged as [`NetDevice::send_arp_request`];
    /// false if nothing was sent.
    pub fn send_ns(&self, dst: &[u8; 16], src: &[u8; 16], tags: &[VlanTag]) -> bool {
        let (protos, vids, n) = tag_arrays(tags);
        let (d6, s6) = (in6(dst), in6(src));
        // SAFETY: the device is live; the addresses are valid; the arrays
        // hold `n` entries; the helper builds and sends its own skb.
        unsafe {
            bindings::rvnet_ns_send(self.as_raw(), &d6, &s6, protos.as_ptr(), vids.as_ptr(), n)
        }
    }

    /// The link-layer address of the solicited-node group of `target` on
    /// this device (`addrconf_addr_solict_mult`, `ndisc_mc_map`).
    pub fn solicited_node_mac(&self, target: &[u8; 16]) -> Option<[u8; 6]> {
        let t6 = in6(target);
        let mut mac = [0u8; bindings::MAX_ADDR_LEN as usize];
        // SAFETY: the device is live; `mac` holds `MAX_ADDR_LEN` bytes, as
        // `ndisc_mc_map` may write.
        let r = unsafe { bindings::rvnet_ndisc_solicited_mc(&t6, self.as_raw(), mac.as_mut_ptr()) };
        (r == 0).then(|| [mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]])
    }
}

/// The tag arrays the C helpers take.
fn tag_arrays(tags: &[VlanTag]) -> ([u16; 16], [u16; 16], u32) {
    let n = tags.len().min(16);
    let mut protos = [0u16; 16];
    let mut vids = [0u16; 16];
    for (i, t) in tags.iter().take(n).enumerate() {
        protos[i] = t.proto;
        vids[i] = t.vid;
    }
    (protos, vids, n as u32)
}

impl SkBuff {
    /// Copies `buf.len()` bytes from `offset` of the packet data
    /// (`skb_copy_bits`, paged data included); false if the packet is
    /// shorter.
    pub fn copy_bits(&self, offset: u32, buf: &mut [u8]) -> bool {
        let (Ok(off), Ok(len)) = (i32::try_from(offset), i32::try_from(buf.len())) else {
            return false;
        };
        // SAFETY: the skb is valid (owned); `buf` is writable for `len`
        // bytes; the helper only reads the skb.
        unsafe {
            bindings::rvnet_skb_copy_bits(self.as_raw(), off, buf.as_mut_ptr().cast(), len) == 0
        }
    }
}
