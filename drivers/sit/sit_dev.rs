// SPDX-License-Identifier: GPL-2.0

//! The sit device (C's `ipip6_tunnel_setup`, `ipip6_tunnel_init`,
//! `ipip6_tunnel_uninit`, `ipip6_tunnel_bind_dev`, `ipip6_tunnel_update`)
//! and its transmit path (`sit_tunnel_xmit`: `ipip6_tunnel_xmit` for
//! IPv6, the core's `ip_tunnel_xmit` for IPv4 and MPLS payloads).

use crate::ip_tunnel::{
    tunnel::{Cfg, IpTunnel, TunnelDev},
    xmit::{ip_tunnel_xmit, tx_error},
};
use crate::iptun::{
    ecn::{inet_ecn_encapsulate, ipv6_get_dsfield, INET_DSCP_MASK},
    flags::IP_TUNNEL_SIT_ISATAP_BIT,
    sit::{ipip6_xmit_dst, Ip6rd, IP6_MAX_MTU},
    xmit::{ip_tunnel_limit_headroom, IPHDR_LEN, IPV4_MIN_MTU, IPV6_MIN_MTU},
};
use crate::netdev::{
    device::flags,
    features::Features,
    iptunnel::{uapi, DevStat, Flow4, Route4, TunnelGso},
    link::LinkHandle,
    lower::ll_max_header,
    pernet::PernetId,
    prelude::*,
};
use crate::sit_net::SitNet;
use kernel::{c_str, prelude::*};

/// The sit driver (link kind `sit`).
pub(crate) struct Sit;

/// The kind's per-namespace state.
pub(crate) static SIT_NET: PernetId<SitNet> = PernetId::new();
/// The kind's registration, for the fallback devices and the ioctls.
pub(crate) static SIT_LINK: LinkHandle<Sit> = LinkHandle::new();

/// `SIT_FEATURES`.
fn sit_features() -> Features {
    Features::SG
        | Features::FRAGLIST
        | Features::HIGHDMA
        | Features::GSO_SOFTWARE
        | Features::HW_CSUM
}

impl TunnelDev for Sit {
    const DEV_TYPE: u16 = uapi::ARPHRD_SIT;
    const IS_ETHER: bool = false;
}

/// `sit0`'s configuration (`ipip6_fb_tunnel_init`: version 4, IPv6,
/// ihl 5, TTL 64; `ipip6_tunnel_clone_6rd`: 6to4).
pub(crate) fn fb_cfg() -> Cfg {
    let mut cfg = Cfg::default();
    cfg.parms.iph.version = 4;
    cfg.parms.iph.protocol = uapi::IPPROTO_IPV6;
    cfg.parms.iph.ihl = 5;
    cfg.parms.iph.ttl = 64;
    cfg.ip6rd = Ip6rd::default_6to4();
    cfg
}

/// The tunnel's headers: its encapsulation's and the outer IPv4 header
/// (C's `t_hlen`).
pub(crate) fn t_hlen(cfg: &Cfg) -> u32 {
    cfg.hlen + IPHDR_LEN as u32
}

/// The device is an ISATAP tunnel (`IFF_ISATAP`, set from the flags it
/// was created with, which never change).
pub(crate) fn is_isatap(cfg: &Cfg) -> bool {
    cfg.parms.i_flags.test(IP_TUNNEL_SIT_ISATAP_BIT)
}

/// `ipip6_tunnel_bind_dev`: the underlay from a route to the remote end
/// (which also makes the device point-to-point) or `link`; its MTU less
/// the tunnel's headers (at least 1280) becomes the device's, and the
/// headroom follows.
pub(crate) fn bind_dev(dev: &Device<Sit>, rtnl: &mut Rtnl) {
    let cfg = dev.data().cfg_rtnl(rtnl);
    let p = &cfg.parms;
    let net = dev.link_net();
    let t_hlen = t_hlen(&cfg);
    let mut tdev: Option<Option<(u32, u32)>> = None;
    if p.iph.daddr != 0 {
        let flow = Flow4 {
            proto: uapi::IPPROTO_IPV6,
            daddr: p.iph.daddr,
            saddr: p.iph.saddr,
            key: 0,
            tos: p.iph.tos & INET_DSCP_MASK,
            oif: p.link,
            mark: 0,
            hash: 0,
        };
        if let Ok((rt, _)) = Route4::output(net, &flow) {
            tdev = Some(underlay(rt.dev()));
        }
        dev.set_flags_raw(flags::IFF_POINTOPOINT, 0, rtnl);
    }
    if tdev.is_none() && p.link != 0 {
        tdev = NetDevice::get_by_index(net, p.link, rtnl).map(underlay);
    }
    // An L3 master (VRF) underlay says nothing of the path: ignored.
    let tdev = tdev.flatten();
    let mut hlen = u32::from(ll_max_header());
    if let Some((mtu, lower_hlen)) = tdev {
        let mtu = mtu.saturating_sub(t_hlen).max(IPV6_MIN_MTU as u32);
        dev.set_mtu_raw(mtu, rtnl);
        hlen = lower_hlen;
    }
    dev.set_needed_headroom(ip_tunnel_limit_headroom(t_hlen + hlen), rtnl);
}

/// An underlay's MTU and headroom, `None` for an L3 master.
fn underlay(d: &NetDevice) -> Option<(u32, u32)> {
    (!d.is_l3_master()).then(|| (d.mtu(), d.lower_hlen()))
}

/// `ipip6_tunnel_update`: new endpoints (and table slot), TTL, TOS, DF,
/// link and fwmark (not the protocol nor the flags); a new link or
/// fwmark rebinds to the underlay.
pub(crate) fn update(
    dev: &Device<Sit>,
    p: &crate::iptun::parms::TunnelParms,
    fwmark: u32,
    rtnl: &mut Rtnl,
) -> Result {
    let old = dev.data().cfg_rtnl(rtnl);
    let mut cfg = old;
    cfg.parms.iph.saddr = p.iph.saddr;
    cfg.parms.iph.daddr = p.iph.daddr;
    cfg.parms.iph.ttl = p.iph.ttl;
    cfg.parms.iph.tos = p.iph.tos;
    cfg.parms.iph.frag_off = p.iph.frag_off;
    let rebind = old.parms.link != p.link || old.fwmark != fwmark;
    cfg.parms.link = p.link;
    cfg.fwmark = fwmark;
    SIT_NET
        .get(dev.link_net(), rtnl)
        .ok_or(ENODEV)?
        .remove(dev, rtnl);
    dev.data().publish(cfg, rtnl)?;
    dev.set_tunnel_addr4(cfg.parms.iph.saddr, cfg.parms.iph.daddr, rtnl);
    SIT_NET
        .get(dev.link_net(), rtnl)
        .ok_or(ENODEV)?
        .add(dev, &cfg.parms, rtnl)?;
    if rebind {
        bind_dev(dev, rtnl);
    }
    dev.data().dst_cache.reset(rtnl);
    dev.state_change(rtnl);
    Ok(())
}

/// `ipip6_tunnel_update_6rd` after its checks: the new prefix.
pub(crate) fn set_6rd(dev: &Device<Sit>, ip6rd: Ip6rd, rtnl: &mut Rtnl) -> Result {
    let mut cfg = dev.data().cfg_rtnl(rtnl);
    cfg.ip6rd = ip6rd;
    dev.data().publish(cfg, rtnl)?;
    dev.data().dst_cache.reset(rtnl);
    dev.state_change(rtnl);
    Ok(())
}

/// `ipip6_tunnel_clone_6rd`: the namespace's `sit0`'s 6rd prefix (6to4
/// for `sit0` itself or without one).
pub(crate) fn clone_6rd(dev: &Device<Sit>, rtnl: &Rtnl) -> Ip6rd {
    if dev.data().fallback {
        return Ip6rd::default_6to4();
    }
    SIT_NET
        .get(dev.link_net(), rtnl)
        .and_then(|sn| sn.fallback_cfg(rtnl))
        .map_or(Ip6rd::default_6to4(), |c| c.ip6rd)
}

#[vtable]
impl Driver for Sit {
    type Data = IpTunnel;

    const INFO: DriverInfo = DriverInfo {
        name: c_str!("rvnet_sit"),
        version: c_str!("1.0"),
    };
    const PCPU_STATS: bool = true;
    // The 4-byte address is the local end, any value (0 for sit0).
    const ETH_ADDR: bool = false;

    /// `ipip6_tunnel_setup`: the MTU and its limits for the outer IPv4
    /// header alone (the private data is not there yet, as in C).
    fn setup(dev: &mut Setup<'_, Self>) {
        dev.iptunnel_setup(uapi::ARPHRD_SIT, 4);
        let t_hlen = IPHDR_LEN as u32;
        dev.set_mtu(
            uapi::ETH_DATA_LEN - t_hlen,
            IPV6_MIN_MTU as u32,
            IP6_MAX_MTU - t_hlen,
        );
        dev.set_features(sit_features(), sit_features(), Features::from_bits(0));
    }

    /// `ipip6_tunnel_create`'s address and ISATAP flag, then
    /// `ipip6_tunnel_init`: bound to the underlay, the route cache.
    fn init(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        let cfg = dev.data().cfg_rtnl(rtnl);
        dev.set_tunnel_addr4(cfg.parms.iph.saddr, cfg.parms.iph.daddr, rtnl);
        if is_isatap(&cfg) {
            dev.set_isatap(rtnl);
        }
        bind_dev(dev, rtnl);
        dev.data().dst_cache.init(rtnl)
    }

    /// `ipip6_tunnel_uninit`: out of the table, the PRL emptied, the route
    /// cache dropped.
    fn uninit(dev: &Device<Self>, rtnl: &mut Rtnl) {
        if let Some(sn) = SIT_NET.get(dev.link_net(), rtnl) {
            sn.remove(dev, rtnl);
        }
        dev.data().prl.replace(None, rtnl).defer();
        dev.data().dst_cache.reset(rtnl);
    }

    fn get_iflink(dev: &Device<Self>) -> i32 {
        dev.data().iflink()
    }

    fn tunnel_ctl(dev: &Device<Self>, cmd: u32, parm: &mut [u8; 52], rtnl: &mut Rtnl) -> Result {
        crate::sit_ioctl::tunnel_ctl(dev, cmd, parm, rtnl)
    }

    fn sit_ctl(
        dev: &Device<Self>,
        cmd: crate::netdev::sit::SitCmd,
        user: &crate::netdev::sit::SitUser,
        rtnl: &mut Rtnl,
    ) -> Result {
        crate::sit_ioctl::sit_ctl(dev, cmd, user, rtnl)
    }

    /// `sit_tunnel_xmit`.
    fn start_xmit<'x>(dev: &Device<Self>, skb: TxSkb<'x>, tx: &XmitContext) -> TxResult<'x> {
        let mut skb = skb.into_skb();
        if !skb.inet_may_pull() {
            tx_error(dev, skb);
            return TxResult::Ok;
        }
        let cfg = dev.data().cfg(tx);
        let ipproto = match skb.protocol() {
            uapi::ETH_P_IPV6 => {
                ipip6_tunnel_xmit(dev, skb, cfg, tx);
                return TxResult::Ok;
            }
            uapi::ETH_P_IP => uapi::IPPROTO_IPIP,
            uapi::ETH_P_MPLS_UC => uapi::IPPROTO_MPLS,
            _ => {
                tx_error(dev, skb);
                return TxResult::Ok;
            }
        };
        // `sit_tunnel_xmit__`: whatever the tunnel's mode.
        if skb.tunnel_handle_offloads(TunnelGso::IpxIp4).is_err() {
            tx_error(dev, skb);
            return TxResult::Ok;
        }
        skb.set_inner_ipproto(ipproto);
        ip_tunnel_xmit(dev, skb, cfg, &cfg.parms.iph, ipproto, tx);
        TxResult::Ok
    }
}

/// `ipip6_tunnel_xmit`: an IPv6 packet (its header linear at the data)
/// in an IPv4 header to the tunnel's remote end or, NBMA, to the address
/// the inner destination or its next hop embeds.
fn ipip6_tunnel_xmit(dev: &Device<Sit>, mut skb: SkBuff, cfg: &Cfg, tx: &XmitContext) {
    let Some(h) = skb.data_bytes::<40>() else {
        return tx_error(dev, skb);
    };
    let dsfield = ipv6_get_dsfield([h[0], h[1]]);
    let hop_limit = h[7];
    let mut daddr6 = [0u8; 16];
    daddr6.copy_from_slice(&h[24..40]);
    let p = &cfg.parms;
    let mut tos = p.iph.tos;
    if tos == 1 {
        tos = dsfield;
    }
    let mut df = p.iph.df();
    let Some(dst) = ipip6_xmit_dst(p.iph.daddr, is_isatap(cfg), &cfg.ip6rd, &daddr6, || {
        skb.dst_neigh_key6(&daddr6)
    }) else {
        return tx_error(dev, skb);
    };
    let flow = Flow4 {
        proto: uapi::IPPROTO_IPV6,
        daddr: dst,
        saddr: p.iph.saddr,
        key: 0,
        tos: tos & INET_DSCP_MASK,
        oif: p.link,
        mark: cfg.fwmark,
        hash: 0,
    };
    // C consults the route cache whatever the destination (NBMA too).
    let cache = &dev.data().dst_cache;
    let (rt, saddr) = match cache.get_ip4(tx) {
        Some(r) => r,
        None => match Route4::output(dev.link_net(), &flow) {
            Ok((rt, saddr)) => {
                cache.set_ip4(&rt, saddr, tx);
                (rt, saddr)
            }
            Err(_) => {
                dev.stats_inc(DevStat::TxCarrierErrors);
                skb.dst_link_failure();
                return tx_error(dev, skb);
            }
        },
    };
    if !rt.is_unicast_or_local() {
        drop(rt);
        dev.stats_inc(DevStat::TxCarrierErrors);
        skb.dst_link_failure();
        return tx_error(dev, skb);
    }
    if core::ptr::eq(rt.dev(), dev.net_device()) {
        drop(rt);
        dev.stats_inc(DevStat::Collisions);
        return tx_error(dev, skb);
    }
    if skb.tunnel_handle_offloads(TunnelGso::IpxIp4).is_err() {
        drop(rt);
        return tx_error(dev, skb);
    }
    let t_hlen = t_hlen(cfg);
    if df {
        let mut mtu = rt.mtu() as i32 - t_hlen as i32;
        if mtu < IPV4_MIN_MTU {
            drop(rt);
            dev.stats_inc(DevStat::Collisions);
            return tx_error(dev, skb);
        }
        if mtu < IPV6_MIN_MTU {
            mtu = IPV6_MIN_MTU;
            df = false;
        }
        if p.iph.daddr != 0 {
            skb.dst_update_pmtu(mtu as u32);
        }
        if skb.len() > mtu as u32 && !skb.is_gso() {
            skb.icmpv6_too_big(mtu as u32);
            drop(rt);
            return tx_error(dev, skb);
        }
    }
    if dev.data().take_error() {
        skb.dst_link_failure();
    }
    if !skb.cow_head(rt.headroom() + t_hlen) {
        drop(rt);
        dev.stats_inc(DevStat::TxDropped);
        return drop(skb);
    }
    let ttl = if p.iph.ttl == 0 { hop_limit } else { p.iph.ttl };
    let tos = inet_ecn_encapsulate(tos, dsfield);
    let mut proto = uapi::IPPROTO_IPV6;
    if skb
        .tunnel_encap(&cfg.encap, &mut proto, saddr, dst)
        .is_err()
    {
        drop(rt);
        return tx_error(dev, skb);
    }
    skb.set_inner_ipproto(uapi::IPPROTO_IPV6);
    skb.iptunnel_xmit(rt, saddr, dst, proto, tos, ttl, df, dev.crosses_netns());
}
