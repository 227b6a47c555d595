// SPDX-License-Identifier: GPL-2.0

//! What sit (IPv6 in IPv4, C's net/ipv6/sit.c) needs beyond the IPv4
//! tunnel core of [`super::iptunnel`]: the IPv6 side of its paths (the
//! next hop of an inner packet, ISATAP, the tunnel's own IPv6 prefixes),
//! its receive delivery (`netif_rx`, not GRO cells) and its ioctls beyond
//! the tunnel ones (the potential router list and the 6rd prefix), whose
//! user memory the layer reads and writes ([`SitUser`]).
//!
//! Kernel rules encoded here:
//!
//! - the IPv6 helpers called (`ipv6_chk_prefix`, `dst_neigh_lookup`, ...)
//!   are the built-in IPv6 stack's: no module dependency;
//! - the receive-side calls take the protocol handler's [`RxContext`]
//!   (softirq, RCU held: `__in6_dev_get` needs it);
//! - a PRL or 6rd ioctl runs under RTNL ([`Driver::sit_ctl`]); user
//!   memory is only touched through `copy_{from,to}_user`.

use super::{
    bindings,
    device::NetDevice,
    driver::{Device, Driver},
    iptunnel::{IcmpError, Route4},
    rtnl::Rtnl,
    rx_handler::RxContext,
    skb::SkBuff,
};
use kernel::{error::code::*, ffi, prelude::*};

/// A sit ioctl beyond the tunnel ones (`ndo_siocdevprivate`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SitCmd {
    /// `SIOCGETPRL`.
    GetPrl,
    /// `SIOCADDPRL`.
    AddPrl,
    /// `SIOCDELPRL`.
    DelPrl,
    /// `SIOCCHGPRL`.
    ChgPrl,
    /// `SIOCGET6RD`.
    Get6rd,
    /// `SIOCADD6RD`.
    Add6rd,
    /// `SIOCDEL6RD`.
    Del6rd,
    /// `SIOCCHG6RD`.
    Chg6rd,
}

impl SitCmd {
    /// The command for an ioctl number, if it is one of these.
    pub(crate) fn from_raw(cmd: u32) -> Option<SitCmd> {
        Some(match cmd {
            bindings::SIOCGETPRL => SitCmd::GetPrl,
            bindings::SIOCADDPRL => SitCmd::AddPrl,
            bindings::SIOCDELPRL => SitCmd::DelPrl,
            bindings::SIOCCHGPRL => SitCmd::ChgPrl,
            bindings::SIOCGET6RD => SitCmd::Get6rd,
            bindings::SIOCADD6RD => SitCmd::Add6rd,
            bindings::SIOCDEL6RD => SitCmd::Del6rd,
            bindings::SIOCCHG6RD => SitCmd::Chg6rd,
            _ => return None,
        })
    }
}

/// `PRL_DEFAULT`: the router of a PRL entry is a default router.
pub const PRL_DEFAULT: u16 = bindings::PRL_DEFAULT as u16;

/// The user block of a sit ioctl (`ifr_data`): the layer copies bytes
/// from and to it with `copy_from_user` / `copy_to_user` (`EFAULT` for a
/// bad range); what they mean is the driver's (uapi `struct
/// ip_tunnel_prl`, `struct ip_tunnel_6rd`, `struct ip_tunnel_parm`).
pub struct SitUser(*mut ffi::c_void);

impl SitUser {
    /// # Safety
    ///
    /// `p` is the user pointer of an ioctl being served (it is only passed
    /// to `copy_{from,to}_user`, which check it).
    pub(crate) unsafe fn new(p: *mut ffi::c_void) -> Self {
        SitUser(p)
    }

    fn at(&self, offset: usize) -> *mut ffi::c_void {
        (self.0 as usize).wrapping_add(offset) as *mut ffi::c_void
    }

    /// Reads `N` bytes at byte `offset`.
    pub fn read<const N: usize>(&self, offset: usize) -> Result<[u8; N]> {
        let mut b = [0u8; N];
        // SAFETY: `copy_from_user` checks the user range and writes our
        // `N`-byte buffer.
        if unsafe { bindings::rvnet_copy_from_user(b.as_mut_ptr().cast(), self.at(offset), N as _) }
            != 0
        {
            return Err(EFAULT);
        }
        Ok(b)
    }

    /// Writes `bytes` at byte `offset`.
    pub fn write(&self, offset: usize, bytes: &[u8]) -> Result {
        // SAFETY: `copy_to_user` checks the user range and reads our slice.
        if unsafe {
            bindings::rvnet_copy_to_user(self.at(offset), bytes.as_ptr().cast(), bytes.len() as _)
        } != 0
        {
            return Err(EFAULT);
        }
        Ok(())
    }
}

/// The node type ISATAP's source check gives a received packet
/// (`skb->ndisc_nodetype`, which neighbour discovery reads).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NdiscNodeType {
    /// `NDISC_NODETYPE_HOST`.
    Host,
    /// `NDISC_NODETYPE_NODEFAULT`.
    NoDefault,
    /// `NDISC_NODETYPE_DEFAULT`.
    Default,
}

impl Route4 {
    /// `rt->rt_type` is `RTN_UNICAST` or `RTN_LOCAL` (sit sends over
    /// nothing else).
    pub fn is_unicast_or_local(&self) -> bool {
        // SAFETY: a held route.
        unsafe { bindings::rvnet_rt_is_unicast_or_local(self.as_ptr()) }
    }
}

impl SkBuff {
    /// The key (IPv6 address) of the neighbour the packet's route gives
    /// for `daddr` (`dst_neigh_lookup(skb_dst(skb), daddr)`: the next
    /// hop, or `daddr` itself on a link), `None` without a route or
    /// neighbour.
    pub fn dst_neigh_key6(&self, daddr: &[u8; 16]) -> Option<[u8; 16]> {
        let mut key = [0u8; 16];
        // SAFETY: we own the skb; the helper reads 16 bytes of `daddr`,
        // writes 16 of `key` and releases the neighbour it found.
        unsafe {
            bindings::rvnet_skb_dst_neigh_key6(self.as_raw(), daddr.as_ptr(), key.as_mut_ptr())
        }
        .then_some(key)
    }

    /// `ipip6_rcv` on a found tunnel `dev`: the outer header becomes the
    /// MAC header, the inner one (at the data) the network header, the
    /// IPv4 control block's flags are cleared and the packet is `dev`'s.
    pub fn sit_rx_start<'a>(&mut self, dev: &'a NetDevice, _rx: &'a RxContext) {
        // SAFETY: we own the skb; `dev` lives for the RCU section, during
        // which the packet is delivered or dropped.
        unsafe { bindings::rvnet_skb_sit_rx_start(self.as_raw(), dev.as_raw()) }
    }

    /// `skb->ndisc_nodetype = ty`.
    pub fn set_ndisc_nodetype(&mut self, ty: NdiscNodeType) {
        let raw = match ty {
            NdiscNodeType::Host => bindings::NDISC_NODETYPE_HOST,
            NdiscNodeType::NoDefault => bindings::NDISC_NODETYPE_NODEFAULT,
            NdiscNodeType::Default => bindings::NDISC_NODETYPE_DEFAULT,
        };
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_skb_set_ndisc_nodetype(self.as_raw(), raw as u8) }
    }

    /// The ifindex of the VRF slave a received packet came in through
    /// when it arrived on an L3 master device (`IPCB(skb)->iif`), else 0.
    pub fn l3_sifindex(&self) -> i32 {
        // SAFETY: we own (or borrow, in a protocol handler) the skb.
        unsafe { bindings::rvnet_skb_l3_sifindex(self.as_raw()) }
    }

    /// `netif_rx(skb)`: delivers the decapsulated packet (its device set
    /// by [`SkBuff::sit_rx_start`]) through the backlog.
    pub fn netif_rx(self, _rx: &RxContext) {
        // SAFETY: the call takes the skb.
        unsafe { bindings::rvnet_netif_rx(self.into_raw()) }
    }
}

impl IcmpError<'_> {
    /// [`SkBuff::l3_sifindex`] of the ICMP error.
    pub fn l3_sifindex(&self) -> i32 {
        self.skb().l3_sifindex()
    }
}

impl NetDevice {
    /// `ipv6_chk_prefix(addr, dev)`: one of the device's IPv6 prefixes
    /// covers `addr`.
    pub fn ipv6_chk_prefix(&self, addr: &[u8; 16], _rx: &RxContext) -> bool {
        // SAFETY: a live device (RCU held); the helper reads 16 bytes.
        unsafe { bindings::rvnet_ipv6_chk_prefix(addr.as_ptr(), self.as_raw()) }
    }

    /// `ipv6_chk_custom_prefix(addr, plen, dev)`: one of the device's
    /// addresses shares the first `plen` bits of `addr`.
    pub fn ipv6_chk_custom_prefix(&self, addr: &[u8; 16], plen: u32, _rx: &RxContext) -> bool {
        // SAFETY: as above.
        unsafe { bindings::rvnet_ipv6_chk_custom_prefix(addr.as_ptr(), plen, self.as_raw()) }
    }

    /// The device is an L3 master (a VRF: `netif_is_l3_master`).
    pub fn is_l3_master(&self) -> bool {
        // SAFETY: a live device; reads its flags.
        unsafe { bindings::rvnet_netdev_is_l3_master(self.as_raw()) }
    }

    /// The device has IPv6 state (`__in6_dev_get(dev)`).
    pub fn has_inet6(&self, _rx: &RxContext) -> bool {
        // SAFETY: a live device; RCU held (`_rx`).
        unsafe { bindings::rvnet_netdev_has_inet6(self.as_raw()) }
    }
}

impl<D: Driver> Device<D> {
    /// Marks the device an ISATAP interface (`IFF_ISATAP`: IPv6
    /// autoconfiguration makes ISATAP link-local addresses on it), from
    /// `ndo_init` ([`Driver::init`]), before the device is announced.
    pub fn set_isatap(&self, _rtnl: &mut Rtnl) {
        // SAFETY: under RTNL, which serialises `priv_flags` writers.
        unsafe { bindings::rvnet_netdev_set_isatap(self.net_device().as_raw()) }
    }
}
