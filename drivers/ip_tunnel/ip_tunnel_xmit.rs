// SPDX-License-Identifier: GPL-2.0

//! Encapsulation (C's `ip_tunnel_xmit` and `tnl_update_pmtu`): the outer
//! header's fields from the tunnel's template and the inner packet, the
//! route (cached per CPU for a tunnel with a fixed remote end), path MTU
//! and the push of the outer IPv4 header (`iptunnel_xmit`).

use super::tunnel::{Cfg, TunnelDev};
use crate::iptun::{
    addr::ipv4_is_multicast,
    ecn::{inet_ecn_encapsulate, INET_DSCP_MASK},
    parms::IpHdr,
    xmit::{self as pure, Inner, PmtuIn},
};
use crate::netdev::{
    iptunnel::{uapi, DevStat, Flow4, MdKey, Route4},
    prelude::*,
    skb::SkBuff,
};

/// The inner packet's header fields, by its protocol.
fn inner_of(skb: &SkBuff, proto: u16) -> Inner {
    match proto {
        uapi::ETH_P_IP => skb
            .inner_network_header(20)
            .and_then(Inner::from_ipv4)
            .unwrap_or(Inner::Other),
        uapi::ETH_P_IPV6 => skb
            .inner_network_header(40)
            .and_then(Inner::from_ipv6)
            .unwrap_or(Inner::Other),
        _ => Inner::Other,
    }
}

/// Drops a packet that could not be sent and counts it (`tx_error`).
pub(crate) fn tx_error<D: TunnelDev>(dev: &Device<D>, skb: SkBuff) {
    dev.stats_inc(DevStat::TxErrors);
    drop(skb);
}

/// `ip_md_tunnel_xmit`: an external-mode tunnel's transmit, the outer
/// header from the packet's tunnel key `key` (`act_tunnel_key`, BPF, OVS)
/// instead of the tunnel's template; `tunnel_hlen` is the tunnel's own
/// header already pushed (GRE's; 0: the FOU/GUE header's length counts).
pub(crate) fn ip_md_tunnel_xmit<D: TunnelDev>(
    dev: &Device<D>,
    mut skb: SkBuff,
    key: &MdKey,
    mut proto: u8,
    tunnel_hlen: u32,
    tx: &XmitContext,
) {
    skb.clear_ipcb_opt();
    let payload = skb.protocol();
    let inner = inner_of(&skb, payload);
    let mut tos = key.tos;
    if tos == 1 && !matches!(inner, Inner::Other) {
        tos = inner.dsfield();
    }
    let hash = skb.get_hash();
    let (rt, saddr, encap_hlen) =
        match skb.md_route(dev.link_net(), &mut proto, tos & INET_DSCP_MASK, hash, tx) {
            Ok(r) => r,
            Err(None) => return tx_error(dev, skb),
            Err(Some(_)) => {
                dev.stats_inc(DevStat::TxCarrierErrors);
                return tx_error(dev, skb);
            }
        };
    let hlen = if tunnel_hlen == 0 {
        encap_hlen
    } else {
        tunnel_hlen
    };
    let Some(rt) = route_checks(dev, &mut skb, rt, key.df, &inner, hlen, key.dst) else {
        return tx_error(dev, skb);
    };
    let tos = inet_ecn_encapsulate(tos, inner.dsfield());
    let hop = if pure::ttl_from_route(key.ttl, &inner) {
        rt.hoplimit()
    } else {
        0
    };
    let ttl = pure::tunnel_ttl(key.ttl, &inner, hop);
    let headroom = pure::xmit_headroom(rt.headroom(), 0, 0);
    if !skb.cow_head(headroom) {
        drop(rt);
        dev.stats_inc(DevStat::TxDropped);
        return drop(skb);
    }
    dev.raise_needed_headroom(pure::ip_tunnel_limit_headroom(headroom));
    skb.iptunnel_xmit(
        rt,
        saddr,
        key.dst,
        proto,
        tos,
        ttl,
        key.df,
        dev.crosses_netns(),
    );
}

/// The checks between the route lookup and the push of both transmit
/// paths: a route back through the tunnel itself (`collisions`), then
/// `tnl_update_pmtu` with the tunnel's header length `hlen` and remote
/// `daddr`. `None` (route dropped) when the packet must go as a transmit
/// error.
#[allow(clippy::too_many_arguments)]
fn route_checks<D: TunnelDev>(
    dev: &Device<D>,
    skb: &mut SkBuff,
    rt: Route4,
    df: bool,
    inner: &Inner,
    hlen: u32,
    daddr: u32,
) -> Option<Route4> {
    if core::ptr::eq(rt.dev(), dev.net_device()) {
        dev.stats_inc(DevStat::Collisions);
        return None;
    }
    let pmtu = pure::tnl_update_pmtu(&PmtuIn {
        df,
        inner: *inner,
        gso: skb.is_gso(),
        skb_len: skb.len(),
        tunnel_hlen: hlen as i32,
        is_ether: D::IS_ETHER,
        hard_header_len: super::tunnel::ether_hlen::<D>(),
        rt_mtu: rt.mtu(),
        skb_dst_mtu: skb.valid_dst_mtu(),
        dev_mtu: dev.mtu(),
        rt6_plen: None,
        daddr,
    });
    apply_pmtu(skb, &pmtu, inner, daddr).then_some(rt)
}

/// What `tnl_update_pmtu` does to the packet: the route's PMTU, the IPv6
/// route metric, the ICMP answer; `false` when the packet is too big.
fn apply_pmtu(skb: &mut SkBuff, pmtu: &pure::PmtuOut, inner: &Inner, daddr: u32) -> bool {
    if pmtu.update_skb_dst {
        skb.dst_update_pmtu(pmtu.mtu as u32);
    }
    // `update_skb_dst`: the packet has a real route (read once above).
    if matches!(inner, Inner::Ipv6 { .. }) && pmtu.update_skb_dst {
        skb.rt6_update_mtu(pmtu.mtu as u32, daddr != 0 && !ipv4_is_multicast(daddr));
    }
    if pmtu.icmp_frag_needed {
        skb.icmp_frag_needed(pmtu.mtu as u32);
    } else if pmtu.icmpv6_too_big {
        skb.icmpv6_too_big(pmtu.mtu as u32);
    }
    !pmtu.too_big()
}

/// `ip_tunnel_xmit`: encapsulates `skb` in an IPv4 header of protocol
/// `proto` and sends it: the outer addresses, TOS, TTL and DF from `tnl`
/// (C's `tnl_params`: the tunnel's template, or the header a GRE
/// device's header operations built), the rest from the tunnel's
/// configuration `cfg`.
pub(crate) fn ip_tunnel_xmit<D: TunnelDev>(
    dev: &Device<D>,
    mut skb: SkBuff,
    cfg: &Cfg,
    tnl: &IpHdr,
    mut proto: u8,
    tx: &XmitContext,
) {
    let p = &cfg.parms;
    let payload = skb.protocol();
    let inner = inner_of(&skb, payload);
    let mut connected = p.iph.daddr != 0;
    skb.clear_ipcb_opt();

    let mut dst = tnl.daddr;
    if dst == 0 {
        // NBMA: the remote end is the inner packet's next hop.
        if !skb.has_dst() {
            dev.stats_inc(DevStat::TxFifoErrors);
            return tx_error(dev, skb);
        }
        match (payload, inner) {
            (uapi::ETH_P_IP, Inner::Ipv4 { .. }) => {
                let daddr = skb
                    .inner_network_header(20)
                    .and_then(|h| h.get(16..20))
                    .map(|a| u32::from_ne_bytes([a[0], a[1], a[2], a[3]]))
                    .unwrap_or(0);
                dst = skb.rt_nexthop(daddr);
            }
            _ => return tx_error(dev, skb),
        }
        connected = false;
    }

    let tos = pure::tunnel_tos(tnl.tos, &inner);
    if tos.inherited {
        connected = false;
    }
    let flow = Flow4 {
        proto,
        daddr: dst,
        saddr: tnl.saddr,
        key: p.o_key,
        tos: tos.flow_tos,
        oif: p.link,
        mark: cfg.fwmark,
        hash: skb.get_hash(),
    };
    // FOU/GUE: the UDP header goes on now (the route is still looked up
    // for the tunnel's protocol, as C's).
    if skb
        .tunnel_encap(&cfg.encap, &mut proto, flow.saddr, flow.daddr)
        .is_err()
    {
        return tx_error(dev, skb);
    }
    let cache = &dev.data().dst_cache;
    let cached = if connected { cache.get_ip4(tx) } else { None };
    let (rt, saddr) = match cached {
        Some(r) => r,
        None => match Route4::output(dev.link_net(), &flow) {
            Ok((rt, saddr)) => {
                if connected {
                    cache.set_ip4(&rt, saddr, tx);
                }
                (rt, saddr)
            }
            Err(_) => {
                dev.stats_inc(DevStat::TxCarrierErrors);
                return tx_error(dev, skb);
            }
        },
    };
    let df = pure::tunnel_df(tnl.frag_off, &inner, cfg.ignore_df) != 0;
    let Some(rt) = route_checks(dev, &mut skb, rt, df, &inner, cfg.hlen, p.iph.daddr) else {
        return tx_error(dev, skb);
    };

    if dev.data().take_error() {
        skb.dst_link_failure();
    }

    let hop = if pure::ttl_from_route(tnl.ttl, &inner) {
        rt.hoplimit()
    } else {
        0
    };
    let ttl = pure::tunnel_ttl(tnl.ttl, &inner, hop);
    let headroom = pure::xmit_headroom(rt.headroom(), 0, cfg.encap_hlen);
    let needed = dev.raise_needed_headroom(headroom);
    if !skb.cow_head(needed) {
        drop(rt);
        dev.stats_inc(DevStat::TxDropped);
        return drop(skb);
    }
    skb.iptunnel_xmit(
        rt,
        saddr,
        dst,
        proto,
        tos.outer,
        ttl,
        df,
        dev.crosses_netns(),
    );
}
