// SPDX-License-Identifier: GPL-2.0

//! Decapsulation (C's `ip_tunnel_rcv`): once a driver has found the tunnel
//! and pulled its header, the packet is checked against the tunnel's GRE
//! checksum and sequence settings and the outer header's ECN (RFC 6040),
//! counted, scrubbed and handed up through the tunnel's GRO cells as
//! received on the tunnel device.

use super::tunnel::{self, TunnelDev};
use crate::iptun::{
    addr::ipv4_is_multicast,
    ecn::{inet_ecn_decapsulate, ipv6_get_dsfield, Decap},
    flags::{TunFlags, IP_TUNNEL_CSUM_BIT, IP_TUNNEL_SEQ_BIT},
    fmt::Ipv4,
};
use crate::netdev::{
    iptunnel::{log_ecn_error, uapi, DevStat, MetadataDst, OuterIpv4},
    prelude::*,
    rx_handler::RxContext,
    skb::SkBuff,
};
use core::sync::atomic::Ordering;

/// The inner packet's DS field, if it is IPv4 or IPv6 (`IP_ECN_decapsulate`
/// looks at nothing else): after the Ethernet header of an Ethernet
/// tunnel (whose `skb->protocol` is still the outer one: the frame's
/// EtherType says), at the data of a layer-3 one.
fn inner_dsfield<D: TunnelDev>(skb: &SkBuff) -> Option<u8> {
    if D::IS_ETHER {
        let h = skb.data_bytes::<16>()?;
        return match u16::from_be_bytes([h[12], h[13]]) {
            uapi::ETH_P_IP => Some(h[15]),
            uapi::ETH_P_IPV6 => Some(ipv6_get_dsfield([h[14], h[15]])),
            _ => None,
        };
    }
    match skb.protocol() {
        uapi::ETH_P_IP => skb.data_bytes::<2>().map(|b| b[1]),
        uapi::ETH_P_IPV6 => skb.data_bytes::<2>().map(ipv6_get_dsfield),
        _ => None,
    }
}

/// RFC 6040 decapsulation (`IP_ECN_decapsulate`, `IP6_ECN_decapsulate`)
/// of an inner packet with DS field `inner` under the `outer` header:
/// marks the inner packet CE or ECT(1) as needed; `false` (counted as a
/// frame error) when it must be dropped. A not-ECT inner packet under an
/// ECN-marked outer header is logged, rate-limited, while the module's
/// `log_ecn_error` is set, as C's `ip_tunnel_rcv` and `ipip6_rcv` do (the
/// outer TOS then has ECN bits: never 0, which `%#x` would print bare).
pub(crate) fn ecn_decapsulate<D: TunnelDev>(
    t: &Device<D>,
    skb: &mut SkBuff,
    outer: &OuterIpv4,
    inner: u8,
) -> bool {
    let d = inet_ecn_decapsulate(outer.tos, inner);
    if matches!(d, Decap::Log | Decap::Drop) && log_ecn_error() {
        crate::net_info_ratelimited!(
            "non-ECT from {} with TOS={:#x}\n",
            Ipv4(outer.saddr),
            outer.tos
        );
    }
    match d {
        Decap::Ok | Decap::Log => true,
        Decap::SetCe => {
            skb.inet_ecn_set_ce();
            true
        }
        Decap::SetEct1 => {
            skb.inet_ecn_set_ect1();
            true
        }
        Decap::Drop => {
            t.stats_inc(DevStat::RxFrameErrors);
            t.stats_inc(DevStat::RxErrors);
            false
        }
    }
}

/// What the tunnel header said (C's `struct tnl_ptk_info` as
/// `ip_tunnel_rcv` reads it): GRE's checksum and sequence number flags
/// and the sequence number (raw `__be32`); nothing for ipip. With it, the
/// tunnel's own receive flags (`tunnel->parms.i_flags`, from the
/// configuration snapshot the caller already read: one copy per packet).
#[derive(Clone, Copy, Default)]
pub(crate) struct RxTpi {
    pub(crate) flags: TunFlags,
    pub(crate) seq: u32,
    pub(crate) i_flags: TunFlags,
}

/// `ip_tunnel_rcv`: `skb`'s data is at the inner packet (an Ethernet
/// frame for an Ethernet tunnel), its protocol set for a layer-3 one.
pub(crate) fn ip_tunnel_rcv<'a, D: TunnelDev>(
    t: &'a Device<D>,
    mut skb: SkBuff,
    outer: &OuterIpv4,
    tpi: &RxTpi,
    md: Option<MetadataDst>,
    rx: &'a RxContext,
) {
    if ipv4_is_multicast(outer.daddr) {
        t.stats_inc(DevStat::Multicast);
        skb.set_pkt_type_broadcast();
    }
    let i_flags = tpi.i_flags;
    if i_flags.test(IP_TUNNEL_CSUM_BIT) != tpi.flags.test(IP_TUNNEL_CSUM_BIT) {
        t.stats_inc(DevStat::RxCrcErrors);
        t.stats_inc(DevStat::RxErrors);
        return drop(skb);
    }
    if i_flags.test(IP_TUNNEL_SEQ_BIT) {
        let seq = u32::from_be(tpi.seq);
        let want = t.data().i_seqno.load(Ordering::Relaxed);
        if !tpi.flags.test(IP_TUNNEL_SEQ_BIT) || (want != 0 && (seq.wrapping_sub(want) as i32) < 0)
        {
            t.stats_inc(DevStat::RxFifoErrors);
            t.stats_inc(DevStat::RxErrors);
            return drop(skb);
        }
        t.data()
            .i_seqno
            .store(seq.wrapping_add(1), Ordering::Relaxed);
    }
    skb.set_network_header(tunnel::ether_hlen::<D>() as u32);
    if !skb.inet_may_pull() {
        t.stats_inc(DevStat::RxLengthErrors);
        t.stats_inc(DevStat::RxErrors);
        return drop(skb);
    }
    if let Some(inner) = inner_dsfield::<D>(&skb) {
        if !ecn_decapsulate(t, &mut skb, outer, inner) {
            return drop(skb);
        }
    }
    t.count_rx(skb.len(), rx);
    skb.scrub(t.crosses_netns());
    if D::IS_ETHER {
        skb.eth_type_trans(t.net_device());
    }
    if let Some(md) = md {
        skb.set_metadata_dst(md);
    }
    t.data().gro.receive(skb, t.net_device(), rx);
}
