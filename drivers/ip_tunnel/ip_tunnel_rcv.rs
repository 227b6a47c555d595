// SPDX-License-Identifier: GPL-2.0

//! Decapsulation (C's `ip_tunnel_rcv`): once a driver has found the tunnel
//! and pulled its header, the packet is checked against the outer header's
//! ECN (RFC 6040), counted, scrubbed and handed up through the tunnel's
//! GRO cells as received on the tunnel device.

use super::tunnel::TunnelKind;
use crate::iptun::{
    addr::ipv4_is_multicast,
    ecn::{inet_ecn_decapsulate, ipv6_get_dsfield, Decap},
};
use crate::netdev::{
    iptunnel::{uapi, DevStat, MetadataDst, OuterIpv4},
    prelude::*,
    rx_handler::RxContext,
    skb::SkBuff,
};

/// The inner packet's DS field, if it is IPv4 or IPv6 (`IP_ECN_decapsulate`
/// looks at nothing else).
fn inner_dsfield(skb: &SkBuff) -> Option<u8> {
    match skb.protocol() {
        uapi::ETH_P_IP => skb.data_bytes::<2>().map(|b| b[1]),
        uapi::ETH_P_IPV6 => skb.data_bytes::<2>().map(ipv6_get_dsfield),
        _ => None,
    }
}

/// `ip_tunnel_rcv` for a layer-3 tunnel: `skb`'s data is at the inner
/// packet, its protocol set.
pub(crate) fn ip_tunnel_rcv<'a, D: TunnelKind>(
    t: &'a Device<D>,
    mut skb: SkBuff,
    outer: &OuterIpv4,
    md: Option<MetadataDst>,
    rx: &'a RxContext,
) {
    if ipv4_is_multicast(outer.daddr) {
        t.stats_inc(DevStat::Multicast);
        skb.set_pkt_type_broadcast();
    }
    skb.reset_network_header();
    if let Some(inner) = inner_dsfield(&skb) {
        match inet_ecn_decapsulate(outer.tos, inner) {
            Decap::Ok | Decap::Log => {}
            Decap::SetCe => skb.inet_ecn_set_ce(),
            Decap::SetEct1 => skb.inet_ecn_set_ect1(),
            Decap::Drop => {
                t.stats_inc(DevStat::RxFrameErrors);
                t.stats_inc(DevStat::RxErrors);
                return drop(skb);
            }
        }
    }
    t.count_rx(skb.len(), rx);
    skb.scrub(false);
    if let Some(md) = md {
        skb.set_metadata_dst(md);
    }
    t.data().gro.receive(skb, t.net_device(), rx);
}
