// SPDX-License-Identifier: GPL-2.0

//! A gre device without a fixed unicast remote end (C's
//! `ipgre_header_ops`, the end of `ipgre_tunnel_init`, `ipgre_open`,
//! `ipgre_close` and the `dev->header_ops` branch of `ipgre_xmit`): NBMA
//! (remote 0), where each neighbour's hardware address is the outer
//! destination (`ip neigh add 10.0.0.2 lladdr 192.0.2.2 dev gre1`, as
//! opennhrp installs them), and a multicast remote end, a broadcast
//! device whose group is joined on the underlay while it is up.

use crate::gre_dev::Gre;
use crate::ip_tunnel::tunnel::Cfg;
use crate::iptun::{
    addr::ipv4_is_multicast,
    ecn::INET_DSCP_MASK,
    gre_header_ops::{self as pure, HeaderMode},
    parms::IpHdr,
};
use crate::netdev::{
    device::flags,
    errno,
    header_ops::{HardHeader, HeaderOps, MAX_ADDR_LEN},
    iptunnel::{uapi, Flow4, Route4},
    prelude::*,
};
use core::sync::atomic::Ordering;
use kernel::prelude::*;

/// `ipgre_tunnel_init` after `__gre_tunnel_init`: an NBMA or multicast
/// gre device gets the header operations, a hardware header of the
/// outer IPv4 and GRE headers and no extra headroom; a multicast one is
/// a broadcast device (without `IFF_NOARP`) and needs a local address
/// (`EINVAL`).
pub(crate) fn init(dev: &Device<Gre>, cfg: &mut Cfg, rtnl: &mut Rtnl) -> Result {
    let p = &cfg.parms;
    let mode = HeaderMode::of(p.iph.daddr, p.iph.saddr, cfg.collect_md)
        .map_err(|e| Error::from_errno(e.to_errno()))?;
    if mode == HeaderMode::Multicast {
        dev.set_flags_raw(flags::IFF_BROADCAST, flags::IFF_NOARP, rtnl);
    }
    if mode.has_header_ops() {
        dev.set_header_ops(rtnl)?;
        let len = pure::hard_header_len(cfg.hlen);
        dev.set_hard_header_len(len.min(u16::MAX.into()) as u16, rtnl);
        dev.set_needed_headroom(0, rtnl);
        cfg.header_ops = true;
    }
    Ok(())
}

/// `ipgre_open`: a multicast tunnel joins its group on the device its
/// route to the group leaves by (`EADDRNOTAVAIL` without a route or
/// IPv4 there), remembered for `stop`.
pub(crate) fn open(dev: &Device<Gre>, rtnl: &mut Rtnl) -> Result {
    let cfg = dev.data().cfg_rtnl(rtnl);
    let p = &cfg.parms;
    if !ipv4_is_multicast(p.iph.daddr) {
        return Ok(());
    }
    // `ip_route_output_gre`: no mark, no flow hash.
    let flow = Flow4 {
        proto: uapi::IPPROTO_GRE,
        daddr: p.iph.daddr,
        saddr: p.iph.saddr,
        key: p.o_key,
        tos: p.iph.tos & INET_DSCP_MASK,
        oif: p.link,
        mark: 0,
        hash: 0,
    };
    let eaddr = || errno::err(errno::EADDRNOTAVAIL);
    let (rt, _) = Route4::output(dev.link_net(), &flow).map_err(|_| eaddr())?;
    let lower = rt.dev();
    let in_dev = lower.in_device_rtnl(rtnl).ok_or_else(eaddr)?;
    dev.data().mlink.store(lower.ifindex(), Ordering::Relaxed);
    in_dev.mc_inc_group(p.iph.daddr, rtnl);
    Ok(())
}

/// `ipgre_close`: the group is left on the device it was joined on, if
/// that device is still there.
pub(crate) fn stop(dev: &Device<Gre>, rtnl: &mut Rtnl) -> Result {
    let cfg = dev.data().cfg_rtnl(rtnl);
    let group = cfg.parms.iph.daddr;
    let mlink = dev.data().mlink.load(Ordering::Relaxed);
    if !ipv4_is_multicast(group) || mlink == 0 {
        return Ok(());
    }
    if let Some(lower) = NetDevice::get_by_index(dev.link_net(), mlink, rtnl) {
        if let Some(in_dev) = lower.in_device_rtnl(rtnl) {
            in_dev.mc_dec_group(group, rtnl);
        }
    }
    Ok(())
}

/// `ipgre_xmit`'s header operations branch: the outer IPv4 header and
/// GRE header the header operations built are taken off the packet
/// (`hlen` bytes after the IPv4 header); the IPv4 header, returned, is
/// the template of this packet's outer header (`tnl_params`). `None`:
/// drop.
pub(crate) fn pull_built_header(skb: &mut SkBuff, hlen: u32) -> Option<IpHdr> {
    let len = pure::hard_header_len(hlen);
    if !skb.cow_head(0) || !skb.may_pull(len) {
        return None;
    }
    let tnl = pure::tnl_params(skb.head_data())?;
    if !skb.pull_linear(len) {
        return None;
    }
    skb.reset_mac_header();
    (!skb.csum_start_before_data()).then_some(tnl)
}

impl HeaderOps for Gre {
    /// `ipgre_header`: the outer IPv4 header from the tunnel's template
    /// with the neighbour's addresses, the GRE flags and protocol; the
    /// options after them are GRE's transmit to fill.
    fn create(
        dev: &Device<Self>,
        hdr: &mut HardHeader<'_>,
        ty: u16,
        daddr: Option<&[u8]>,
        saddr: Option<&[u8]>,
        _len: u32,
    ) -> bool {
        let guard = RcuGuard::new();
        let cfg = dev.data().cfg(&guard);
        let Some(buf) = hdr.push(pure::hard_header_len(cfg.hlen)) else {
            return false;
        };
        pure::build(&cfg.parms.iph, cfg.parms.o_flags, ty, daddr, saddr, buf)
    }

    /// `ipgre_header_parse`: the outer source address (the MAC header of
    /// a received packet is its outer IPv4 header).
    fn parse(_dev: &Device<Self>, skb: &SkBuff, haddr: &mut [u8; MAX_ADDR_LEN]) -> usize {
        pure::parse(skb.mac_header_bytes(20).unwrap_or(&[]), haddr)
    }
}
