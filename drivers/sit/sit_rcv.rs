// SPDX-License-Identifier: GPL-2.0

//! sit's receive side: IPv6 in IPv4 (`ipip6_rcv`: the tunnel's own
//! lookup, ISATAP and 6rd / 6to4 source checks, ECN, `netif_rx`), IPv4
//! and MPLS in IPv4 for tunnels in those modes (`sit_tunnel_rcv`, through
//! the core's `ip_tunnel_rcv`) and the ICMP errors about what the tunnels
//! sent (`ipip6_err`).

use crate::ip_tunnel::rcv::{ecn_decapsulate, ip_tunnel_rcv, RxTpi};
use crate::iptun::{
    ecn::ipv6_get_dsfield,
    fmt::{Ipv4, Ipv6c},
    sit::{packet_is_spoofed, NodeType, RxAddrs, RxSource, SitQuery},
};
use crate::netdev::{
    device::flags,
    iptunnel::{uapi, DevStat, IcmpError, OuterIpv4, Tunnel4Family, Tunnel4Handler},
    prelude::*,
    rx_handler::RxContext,
    sit::NdiscNodeType,
    skb::SkBuff,
};
use crate::sit_dev::{is_isatap, Sit, SIT_NET};

/// sit's protocol handler, for all three families (`sit_handler`,
/// `ipip_handler`, `mplsip_handler`).
pub(crate) struct SitRx;

/// The tunnel for a packet from `remote` to `local` that arrived on
/// `lower` (`ipip6_tunnel_lookup` with the VRF slave's index).
fn lookup<'a>(
    remote: u32,
    local: u32,
    lower: &'a NetDevice,
    sifindex: i32,
    rx: &'a RxContext,
) -> Option<&'a Device<Sit>> {
    let sn = SIT_NET.get_rcu(lower.net(), rx)?;
    let q = SitQuery {
        remote,
        local,
        ifindex: Some(lower.ifindex()),
        sifindex,
    };
    sn.lookup(&q, rx)
}

fn addr16(b: &[u8]) -> [u8; 16] {
    let mut a = [0u8; 16];
    if let Some(s) = b.get(..16) {
        a.copy_from_slice(s);
    }
    a
}

impl Tunnel4Handler for SitRx {
    type Claim<'a> = &'a Device<Sit>;

    fn claim<'a>(
        _family: Tunnel4Family,
        outer: &OuterIpv4,
        lower: &'a NetDevice,
        skb: &SkBuff,
        rx: &'a RxContext,
    ) -> Option<&'a Device<Sit>> {
        lookup(outer.saddr, outer.daddr, lower, skb.l3_sifindex(), rx)
    }

    fn receive<'a>(t: &'a Device<Sit>, skb: SkBuff, outer: &OuterIpv4, rx: &'a RxContext) {
        match outer.protocol {
            uapi::IPPROTO_IPV6 => ipip6_rcv(t, skb, outer, rx),
            p => sit_tunnel_rcv(t, skb, outer, p, rx),
        }
    }

    /// `ipip6_err`: "fragmentation needed" teaches the route the path MTU,
    /// a redirect is followed; other unreachables and TTL expiry go to the
    /// IPv6 sender as ICMPv6 and count as link failures the transmit path
    /// reports for a while.
    fn error<'a>(
        _family: Tunnel4Family,
        err: &IcmpError<'_>,
        lower: &'a NetDevice,
        rx: &'a RxContext,
    ) -> bool {
        match (err.ty, err.code) {
            (IcmpError::DEST_UNREACH, IcmpError::SR_FAILED) => return true,
            (IcmpError::DEST_UNREACH, _) | (IcmpError::REDIRECT, _) => {}
            (IcmpError::TIME_EXCEEDED, IcmpError::EXC_TTL) => {}
            _ => return true,
        }
        // The quoted packet went from us (its source) to the remote end.
        let sifindex = err.l3_sifindex();
        let Some(t) = lookup(err.quoted.daddr, err.quoted.saddr, lower, sifindex, rx) else {
            return false;
        };
        let net = lower.net();
        let cfg = t.data().cfg(rx);
        if err.ty == IcmpError::DEST_UNREACH && err.code == IcmpError::FRAG_NEEDED {
            err.update_pmtu(net, cfg.parms.link, err.quoted.protocol);
            return true;
        }
        if err.ty == IcmpError::REDIRECT {
            err.redirect(net, cfg.parms.link, err.quoted.protocol);
            return true;
        }
        if lower.has_inet6(rx) && err.relay_icmpv6(0) {
            return true;
        }
        if cfg.parms.iph.daddr == 0 {
            return true;
        }
        if cfg.parms.iph.ttl == 0 && err.ty == IcmpError::TIME_EXCEEDED {
            return true;
        }
        t.data().note_error();
        true
    }
}

/// `ipip6_rcv` for the tunnel `t` found.
fn ipip6_rcv<'a>(t: &'a Device<Sit>, mut skb: SkBuff, outer: &OuterIpv4, rx: &'a RxContext) {
    let cfg = t.data().cfg(rx);
    let want = cfg.parms.iph.protocol;
    if want != uapi::IPPROTO_IPV6 && want != 0 {
        return drop(skb);
    }
    skb.sit_rx_start(t.net_device(), rx);
    // `packet_is_spoofed` reads the inner header (`ipv6_hdr`): the
    // addresses, linear as `iptunnel_pull_header` will make sure of
    // anyway; a packet too short for them goes on to fail there.
    let isatap = is_isatap(cfg);
    let p2p = t.flags() & flags::IFF_POINTOPOINT != 0;
    if isatap || !p2p {
        let Some(h) = skb.data_bytes::<40>() else {
            return drop(skb);
        };
        let a = RxAddrs {
            saddr: outer.saddr,
            daddr: outer.daddr,
            saddr6: addr16(&h[8..24]),
            daddr6: addr16(&h[24..40]),
        };
        let prl = t.data().prl.get(rx);
        let verdict = packet_is_spoofed(
            isatap,
            p2p,
            &cfg.ip6rd,
            prl.into_iter().flat_map(|l| l.iter().map(|e| &e.0)),
            &a,
            |a6| t.ipv6_chk_prefix(a6, rx),
            |a6, plen| t.ipv6_chk_custom_prefix(a6, plen as u32, rx),
        );
        match verdict {
            RxSource::Ok(Some(n)) => skb.set_ndisc_nodetype(match n {
                NodeType::Default => NdiscNodeType::Default,
                NodeType::NoDefault => NdiscNodeType::NoDefault,
                NodeType::Host => NdiscNodeType::Host,
            }),
            RxSource::Ok(None) => {}
            v => {
                // `packet_is_spoofed`'s warnings (an ISATAP source
                // refused goes silently, as C's).
                let what = match v {
                    RxSource::SrcSpoofed => Some("Src"),
                    RxSource::DstSpoofed => Some("Dst"),
                    _ => None,
                };
                if let Some(what) = what {
                    crate::net_warn_ratelimited!(
                        "{} spoofed {}/{} -> {}/{}\n",
                        what,
                        Ipv4(a.saddr),
                        Ipv6c(a.saddr6),
                        Ipv4(a.daddr),
                        Ipv6c(a.daddr6)
                    );
                }
                t.stats_inc(DevStat::RxErrors);
                return drop(skb);
            }
        }
    }
    if skb
        .iptunnel_pull_header(0, uapi::ETH_P_IPV6, false, t.crosses_netns())
        .is_err()
    {
        return drop(skb);
    }
    skb.reset_mac_header();
    if let Some(b) = skb.data_bytes::<2>() {
        if !ecn_decapsulate(t, &mut skb, outer, ipv6_get_dsfield(b)) {
            return drop(skb);
        }
    }
    t.count_rx(skb.len(), rx);
    skb.netif_rx(rx);
}

/// `sit_tunnel_rcv` (IPv4 or MPLS in IPv4) for the tunnel `t` found.
fn sit_tunnel_rcv<'a>(
    t: &'a Device<Sit>,
    mut skb: SkBuff,
    outer: &OuterIpv4,
    ipproto: u8,
    rx: &'a RxContext,
) {
    let cfg = t.data().cfg(rx);
    let want = cfg.parms.iph.protocol;
    let inner = match ipproto {
        uapi::IPPROTO_MPLS => uapi::ETH_P_MPLS_UC,
        _ => uapi::ETH_P_IP,
    };
    if (want != ipproto && want != 0)
        || !skb.xfrm4_policy_check_in()
        || skb.iptunnel_pull_header(0, inner, false, false).is_err()
    {
        return drop(skb);
    }
    skb.reset_mac_header();
    let tpi = RxTpi {
        i_flags: cfg.parms.i_flags,
        ..RxTpi::default()
    };
    ip_tunnel_rcv(t, skb, outer, &tpi, None, rx);
}
