// SPDX-License-Identifier: GPL-2.0

//! Receive from the GRE demultiplexer (C's `gre_rcv`, `ipgre_rcv`,
//! `__ipgre_rcv`) and its ICMP errors (`gre_err`, `ipgre_err`).

use crate::gre_dev::{Erspan, Gre, GreTap, ERSPAN_NET, GRETAP_NET, GRE_NET};
use crate::ip_tunnel::{
    net::TunnelNet,
    rcv::{ip_tunnel_rcv, RxTpi},
    tunnel::TunnelKind,
};
use crate::iptun::{
    addr::ipv4_is_multicast,
    erspan_md::{rx_md_range, rx_opts},
    flags::{TunFlags, IP_TUNNEL_KEY_BIT},
    gre::erspan_hdr_len,
    lookup::Query,
    parms::IPPROTO_GRE,
};
use crate::netdev::{
    gre::{uapi, GreHandler, GrePacket},
    iptunnel::{IcmpError, OuterIpv4},
    prelude::*,
    rx_handler::RxContext,
    skb::SkBuff,
};

/// The tunnel a GRE packet belongs to.
pub(crate) enum GreClaim<'a> {
    /// A `gre` tunnel (`raw`: an Ethernet payload no gretap took, left
    /// as it is for an external-mode gre).
    L3(&'a Device<Gre>, bool),
    /// A `gretap` tunnel.
    Tap(&'a Device<GreTap>),
    /// An `erspan` tunnel.
    Erspan(&'a Device<Erspan>),
}

/// The handler of GRE version 0.
pub(crate) struct GreRx;

/// `ip_tunnel_lookup` in a kind's table for a packet from `remote` to
/// `local` with the GRE header `gre`, arrived on `link`.
fn lookup<'a, D: TunnelKind>(
    tn: &'a TunnelNet<D>,
    link: i32,
    gre: &GrePacket,
    remote: u32,
    local: u32,
    rx: &'a RxContext,
) -> Option<&'a Device<D>> {
    let flags = TunFlags(gre.flags);
    let q = Query {
        link,
        flags,
        remote,
        local,
        key: if flags.test(IP_TUNNEL_KEY_BIT) {
            gre.key
        } else {
            0
        },
    };
    tn.lookup(&q, rx)
}

/// The decapsulation of `__ipgre_rcv` once its tunnel is found: the GRE
/// header pulled, metadata for a tunnel without a remote end, then
/// `ip_tunnel_rcv`.
fn rcv_tunnel<'a, D: TunnelKind>(
    t: &'a Device<D>,
    mut skb: SkBuff,
    outer: &OuterIpv4,
    gre: &GrePacket,
    raw_proto: bool,
    rx: &'a RxContext,
) {
    if skb
        .iptunnel_pull_header(gre.hdr_len, gre.proto, raw_proto, false)
        .is_err()
    {
        return drop(skb);
    }
    let cfg = t.data().cfg(rx);
    // A device whose header operations parse the source address reads
    // it from the outer IPv4 header (`ipgre_header_parse`).
    if cfg.header_ops {
        skb.pop_mac_header();
    } else {
        skb.reset_mac_header();
    }
    // A tunnel without a remote end tells the stack where the packet came
    // from (as an external-mode one would).
    let md = match cfg.collect_md || cfg.parms.iph.daddr == 0 {
        true => match gre.rx_metadata_dst(outer, &skb) {
            Some(md) => Some(md),
            // C's PACKET_REJECT: answered with "port unreachable" there;
            // dropped here (memory is short).
            None => return drop(skb),
        },
        false => None,
    };
    let tpi = RxTpi {
        flags: TunFlags(gre.flags),
        seq: gre.seq,
        i_flags: cfg.parms.i_flags,
    };
    ip_tunnel_rcv(t, skb, outer, &tpi, md, rx);
}

/// `erspan_rcv` once its tunnel is found: the GRE and ERSPAN headers
/// pulled (their length from the ERSPAN version the packet carries), the
/// mirrored frame handed up as Ethernet; an external-mode tunnel tells
/// the stack the outer addresses, session id and ERSPAN metadata.
fn erspan_rcv<'a>(
    t: &'a Device<Erspan>,
    mut skb: SkBuff,
    outer: &OuterIpv4,
    gre: &GrePacket,
    rx: &'a RxContext,
) {
    let hl = gre.hdr_len;
    let (ver, len) = if hl == 4 {
        (0, hl)
    } else {
        if !skb.may_pull(hl + 4) {
            return drop(skb);
        }
        // The ERSPAN header's version (its first 4 bits), linear now.
        let Some(&b) = skb.head_data().get(hl as usize) else {
            return drop(skb);
        };
        (b >> 4, hl + erspan_hdr_len(b >> 4) as u32)
    };
    if !skb.may_pull(len) {
        return drop(skb);
    }
    let cfg = t.data().cfg(rx);
    // The header's metadata, read before the pull moves the data on (C
    // reads the same bytes after it, from the network header).
    let opts = cfg.collect_md.then(|| {
        let (start, n) = rx_md_range(hl, ver);
        let data = skb.head_data();
        let end = (start + n).min(data.len());
        rx_opts(ver, data.get(start..end).unwrap_or(&[]))
    });
    if skb
        .iptunnel_pull_header(len, uapi::ETH_P_TEB, false, false)
        .is_err()
    {
        return drop(skb);
    }
    let md = match opts {
        Some(opts) => {
            let keyed = GrePacket {
                flags: gre.flags | TunFlags::KEY.0,
                ..*gre
            };
            match keyed.erspan_rx_metadata_dst(outer, &skb, &opts) {
                Some(md) => Some(md),
                // C's PACKET_REJECT, dropped here as in `rcv_tunnel`.
                None => return drop(skb),
            }
        }
        None => None,
    };
    skb.reset_mac_header();
    let tpi = RxTpi {
        flags: TunFlags(gre.flags),
        seq: gre.seq,
        i_flags: cfg.parms.i_flags,
    };
    ip_tunnel_rcv(t, skb, outer, &tpi, md, rx);
}

impl GreHandler for GreRx {
    type Claim<'a> = GreClaim<'a>;

    /// `ipgre_rcv`'s lookups: Ethernet payloads in the gretap table (then
    /// an external gre's), ERSPAN in the erspan table (`erspan_rcv`: type
    /// I has a 4-byte GRE header and no key, the others are keyed by
    /// their session id), the rest in the gre table.
    fn claim<'a>(
        outer: &OuterIpv4,
        gre: &GrePacket,
        lower: &'a NetDevice,
        rx: &'a RxContext,
    ) -> Option<GreClaim<'a>> {
        let net = lower.net();
        let link = lower.ifindex();
        match gre.proto {
            uapi::ETH_P_ERSPAN | uapi::ETH_P_ERSPAN2 => {
                let tn = ERSPAN_NET.get_rcu(net, rx)?;
                let mut g = *gre;
                if gre.hdr_len == 4 {
                    g.flags |= TunFlags::NO_KEY.0;
                    g.key = 0;
                } else {
                    g.flags |= TunFlags::KEY.0;
                }
                lookup(tn, link, &g, outer.saddr, outer.daddr, rx).map(GreClaim::Erspan)
            }
            uapi::ETH_P_TEB => {
                let tap = GRETAP_NET
                    .get_rcu(net, rx)
                    .and_then(|tn| lookup(tn, link, gre, outer.saddr, outer.daddr, rx));
                if let Some(t) = tap {
                    return Some(GreClaim::Tap(t));
                }
                // External-mode gre tunnels take Ethernet payloads too.
                let tn = GRE_NET.get_rcu(net, rx)?;
                lookup(tn, link, gre, outer.saddr, outer.daddr, rx).map(|t| GreClaim::L3(t, true))
            }
            _ => {
                let tn = GRE_NET.get_rcu(net, rx)?;
                lookup(tn, link, gre, outer.saddr, outer.daddr, rx).map(|t| GreClaim::L3(t, false))
            }
        }
    }

    fn receive<'a>(
        claim: GreClaim<'a>,
        skb: SkBuff,
        outer: &OuterIpv4,
        gre: &GrePacket,
        rx: &'a RxContext,
    ) {
        match claim {
            GreClaim::L3(t, raw) => rcv_tunnel(t, skb, outer, gre, raw, rx),
            GreClaim::Tap(t) => rcv_tunnel(t, skb, outer, gre, false, rx),
            GreClaim::Erspan(t) => erspan_rcv(t, skb, outer, gre, rx),
        }
    }

    /// `gre_err`: "fragmentation needed" teaches the route the path MTU, a
    /// redirect is followed (both for the arrival device's routes); other
    /// unreachables and TTL expiry count as link failures of the tunnel
    /// (`ipgre_err`).
    fn error<'a>(err: &IcmpError<'_>, gre: &GrePacket, lower: &'a NetDevice, rx: &'a RxContext) {
        let net = lower.net();
        let link = lower.ifindex();
        match (err.ty, err.code) {
            (IcmpError::DEST_UNREACH, IcmpError::FRAG_NEEDED) => {
                return err.update_pmtu(net, link, IPPROTO_GRE);
            }
            (IcmpError::REDIRECT, _) => return err.redirect(net, link, IPPROTO_GRE),
            _ => {}
        }
        // The quoted packet is one we sent: its destination is the remote.
        let (remote, local) = (err.quoted.daddr, err.quoted.saddr);
        let found = match gre.proto {
            uapi::ETH_P_ERSPAN | uapi::ETH_P_ERSPAN2 => ERSPAN_NET
                .get_rcu(net, rx)
                .and_then(|tn| lookup(tn, link, gre, remote, local, rx))
                .map(|t| (t.data(), t.data().cfg(rx))),
            uapi::ETH_P_TEB => GRETAP_NET
                .get_rcu(net, rx)
                .and_then(|tn| lookup(tn, link, gre, remote, local, rx))
                .map(|t| (t.data(), t.data().cfg(rx))),
            _ => GRE_NET
                .get_rcu(net, rx)
                .and_then(|tn| lookup(tn, link, gre, remote, local, rx))
                .map(|t| (t.data(), t.data().cfg(rx))),
        };
        let Some((t, cfg)) = found else {
            return;
        };
        match (err.ty, err.code) {
            (IcmpError::DEST_UNREACH, IcmpError::SR_FAILED | IcmpError::PORT_UNREACH) => return,
            (IcmpError::DEST_UNREACH, _) | (IcmpError::REDIRECT, _) => {}
            (IcmpError::TIME_EXCEEDED, IcmpError::EXC_TTL) => {}
            _ => return,
        }
        // An error about an IPv6 payload goes back to its sender as
        // ICMPv6 (and then counts no more).
        if gre.proto == uapi::ETH_P_IPV6 && err.relay_icmpv6(gre.hdr_len) {
            return;
        }
        let daddr = cfg.parms.iph.daddr;
        if daddr == 0 || ipv4_is_multicast(daddr) {
            return;
        }
        if cfg.parms.iph.ttl == 0 && err.ty == IcmpError::TIME_EXCEEDED {
            return;
        }
        t.note_error();
    }
}
