// SPDX-License-Identifier: GPL-2.0

//! The pure decisions of the IPv4 tunnel transmit path and the MTU
//! arithmetic of net/ipv4/ip_tunnel.c (6.12): outer TOS, TTL and DF of
//! `ip_tunnel_xmit`, `tnl_update_pmtu`, the error-count step of
//! `ip_tunnel_xmit`, `ip_tunnel_bind_dev`, `__ip_tunnel_change_mtu`,
//! the `IFLA_MTU` clamp of `ip_tunnel_newlink`, `ip_tunnel_create`'s
//! `max_mtu`, `ip_tunnel_limit_headroom` / `ip_tunnel_adj_headroom`
//! (include/net/ip_tunnels.h) and `LL_RESERVED_SPACE`.
//!
//! Inputs are plain numbers read by the caller from the skb, the route
//! and the devices. Integer arithmetic wraps like C's `int` and
//! `unsigned int` (C mixes them; each function says how).

use super::addr::{ipv4_is_multicast, Be16, Be32};
use super::ecn::{inet_ecn_encapsulate, ipv6_get_dsfield, INET_DSCP_MASK};
use super::parms::IP_DF_BE;

/// `IP_MAX_MTU` in 6.12 (include/linux/ip.h): `0xFFFF`.
pub const IP_MAX_MTU: u32 = 0xFFFF;
/// `IPV4_MIN_MTU` (68, RFC 791): the floor of `ip_tunnel_bind_dev`.
pub const IPV4_MIN_MTU: i32 = 68;
/// `ETH_MIN_MTU` (68): the `min_mtu` of tunnel devices.
pub const ETH_MIN_MTU: i32 = 68;
/// `ETH_DATA_LEN` (1500): `ip_tunnel_bind_dev`'s MTU without a device.
pub const ETH_DATA_LEN: i32 = 1500;
/// `IPV6_MIN_MTU` (1280).
pub const IPV6_MIN_MTU: i32 = 1280;
/// `sizeof(struct iphdr)`.
pub const IPHDR_LEN: i32 = 20;
/// `HH_DATA_MOD`.
pub const HH_DATA_MOD: u32 = 16;
/// The cap of `ip_tunnel_limit_headroom`.
pub const MAX_HEADROOM: u32 = 512;

/// The inner packet as the transmit path sees it (`skb_protocol(skb,
/// true)` and the inner network header).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inner {
    /// `ETH_P_IP`: the inner IPv4 header's fields.
    Ipv4 {
        /// `tos`.
        tos: u8,
        /// `ttl`.
        ttl: u8,
        /// `frag_off` (raw network order).
        frag_off: Be16,
    },
    /// `ETH_P_IPV6`: the inner IPv6 header's fields.
    Ipv6 {
        /// The traffic class (`ipv6_get_dsfield`).
        dsfield: u8,
        /// `hop_limit`.
        hop_limit: u8,
    },
    /// Any other payload (MPLS, Ethernet for gretap, ...).
    Other,
}

impl Inner {
    /// Reads an inner IPv4 header (at least 20 bytes, else `None`).
    pub fn from_ipv4(hdr: &[u8]) -> Option<Inner> {
        match hdr {
            [_, tos, _, _, _, _, f0, f1, ttl, ..] if hdr.len() >= 20 => Some(Inner::Ipv4 {
                tos: *tos,
                ttl: *ttl,
                frag_off: u16::from_ne_bytes([*f0, *f1]),
            }),
            _ => None,
        }
    }

    /// Reads an inner IPv6 header (at least 40 bytes, else `None`).
    pub fn from_ipv6(hdr: &[u8]) -> Option<Inner> {
        match hdr {
            [b0, b1, _, _, _, _, _, hl, ..] if hdr.len() >= 40 => Some(Inner::Ipv6 {
                dsfield: ipv6_get_dsfield([*b0, *b1]),
                hop_limit: *hl,
            }),
            _ => None,
        }
    }

    /// `ip_tunnel_get_dsfield()`: IPv4 `tos`, IPv6 traffic class, else 0.
    pub const fn dsfield(&self) -> u8 {
        match *self {
            Inner::Ipv4 { tos, .. } => tos,
            Inner::Ipv6 { dsfield, .. } => dsfield,
            Inner::Other => 0,
        }
    }

    /// `ip_tunnel_get_ttl()`: IPv4 `ttl`, IPv6 `hop_limit`, else 0.
    pub const fn ttl(&self) -> u8 {
        match *self {
            Inner::Ipv4 { ttl, .. } => ttl,
            Inner::Ipv6 { hop_limit, .. } => hop_limit,
            Inner::Other => 0,
        }
    }
}

/// The TOS decisions of `ip_tunnel_xmit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tos {
    /// The route lookup TOS: `tos & INET_DSCP_MASK` (for
    /// `ip_tunnel_init_flow`).
    pub flow_tos: u8,
    /// The outer header TOS: `ip_tunnel_ecn_encap(tos, inner)`.
    pub outer: u8,
    /// The TOS was inherited from an IPv4/IPv6 inner header, which makes
    /// C set `connected = false` (no per-tunnel dst cache).
    pub inherited: bool,
}

/// `ip_tunnel_xmit`'s TOS: `tos = tnl_params->tos`; when bit 0 is set it
/// is cleared and, for an IPv4/IPv6 payload, replaced by the inner
/// dsfield (for other payloads the cleared value stays). The outer TOS
/// is then `INET_ECN_encapsulate(tos, inner dsfield)`.
pub const fn tunnel_tos(tnl_tos: u8, inner: &Inner) -> Tos {
    let mut tos = tnl_tos;
    let mut inherited = false;
    if tos & 0x1 != 0 {
        tos &= !0x1;
        match *inner {
            Inner::Ipv4 { tos: t, .. } => {
                tos = t;
                inherited = true;
            }
            Inner::Ipv6 { dsfield, .. } => {
                tos = dsfield;
                inherited = true;
            }
            Inner::Other => {}
        }
    }
    Tos {
        flow_tos: tos & INET_DSCP_MASK,
        outer: inet_ecn_encapsulate(tos, inner.dsfield()),
        inherited,
    }
}

/// `ip_tunnel_xmit`'s TTL: `tnl_params->ttl`, or when 0 the inner IPv4
/// TTL / IPv6 hop limit, else `ip4_dst_hoplimit(&rt->dst)` (passed in as
/// `route_hoplimit`).
pub const fn tunnel_ttl(tnl_ttl: u8, inner: &Inner, route_hoplimit: u8) -> u8 {
    if tnl_ttl != 0 {
        return tnl_ttl;
    }
    match *inner {
        Inner::Ipv4 { ttl, .. } => ttl,
        Inner::Ipv6 { hop_limit, .. } => hop_limit,
        Inner::Other => route_hoplimit,
    }
}

/// Whether [`tunnel_ttl`] reads its `route_hoplimit` (a tunnel that
/// inherits the TTL from a packet that is neither IPv4 nor IPv6): the
/// route's hop limit is looked up only then (C's `ip4_dst_hoplimit` in
/// the same branch), not per packet.
pub const fn ttl_from_route(tnl_ttl: u8, inner: &Inner) -> bool {
    tnl_ttl == 0 && matches!(*inner, Inner::Other)
}

/// `ip_tunnel_xmit`'s DF: `df = tnl_params->frag_off`, or-ed with the
/// inner IPv4 header's DF unless the tunnel has `ignore_df`. The result
/// is the raw `__be16` passed to `iptunnel_xmit` (whole `frag_off`, as
/// C; only DF can be set after the ioctl/netlink checks).
pub const fn tunnel_df(tnl_frag_off: Be16, inner: &Inner, ignore_df: bool) -> Be16 {
    let mut df = tnl_frag_off;
    if let Inner::Ipv4 { frag_off, .. } = *inner {
        if !ignore_df {
            df |= frag_off & IP_DF_BE;
        }
    }
    df
}

/// What `tnl_update_pmtu` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PmtuIn {
    /// `df` as computed by [`tunnel_df`] is non-zero.
    pub df: bool,
    /// The inner packet.
    pub inner: Inner,
    /// `skb_is_gso(skb)`.
    pub gso: bool,
    /// `skb->len`.
    pub skb_len: u32,
    /// The tunnel header length used: the argument when `md`, else
    /// `tunnel->hlen` (the caller picks, as C's first line does).
    pub tunnel_hlen: i32,
    /// `dev->type == ARPHRD_ETHER`.
    pub is_ether: bool,
    /// `dev->hard_header_len`.
    pub hard_header_len: i32,
    /// `dst_mtu(&rt->dst)`: the outer route's MTU.
    pub rt_mtu: u32,
    /// `dst_mtu(skb_dst(skb))` when `skb_valid_dst(skb)`, else `None`.
    pub skb_dst_mtu: Option<u32>,
    /// `dev->mtu`.
    pub dev_mtu: u32,
    /// For IPv6 payloads with a valid dst: the dst is an IPv6 route whose
    /// prefix length is `rt6i_dst.plen` (`Some(plen)`), else `None`.
    pub rt6_plen: Option<u8>,
    /// The tunnel destination C tests (`md ? dst : parms.iph.daddr`).
    pub daddr: Be32,
}

/// What `tnl_update_pmtu` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PmtuOut {
    /// The computed `mtu` (`int`).
    pub mtu: i32,
    /// `pkt_size` (`int`).
    pub pkt_size: i32,
    /// `skb_dst_update_pmtu_no_confirm(skb, mtu)` is called (valid dst).
    pub update_skb_dst: bool,
    /// The IPv6 route gets `RTF_MODIFIED` and `RTAX_MTU = mtu`.
    pub set_rt6_mtu: bool,
    /// Send ICMP "fragmentation needed" (`ICMP_DEST_UNREACH`,
    /// `ICMP_FRAG_NEEDED`, `htonl(mtu)`) and fail with `-E2BIG`.
    pub icmp_frag_needed: bool,
    /// Send ICMPv6 "packet too big" with `mtu` and fail with `-E2BIG`.
    pub icmpv6_too_big: bool,
}

impl PmtuOut {
    /// `tnl_update_pmtu` returns `-E2BIG` (the packet is not sent).
    pub const fn too_big(&self) -> bool {
        self.icmp_frag_needed || self.icmpv6_too_big
    }
}

/// `tnl_update_pmtu()`. With DF the MTU is the route's minus the outer
/// IPv4 and tunnel headers (and the Ethernet header for gretap-like
/// devices); without, the inner dst's MTU or the device MTU. The
/// arithmetic wraps as C's (`u32` minus `size_t` stored in an `int`).
pub fn tnl_update_pmtu(i: &PmtuIn) -> PmtuOut {
    let eth = if i.is_ether { i.hard_header_len } else { 0 };
    let pkt_size = (i.skb_len as i32)
        .wrapping_sub(i.tunnel_hlen)
        .wrapping_sub(eth);
    let mtu = if i.df {
        (i.rt_mtu as i32)
            .wrapping_sub(IPHDR_LEN.wrapping_add(i.tunnel_hlen))
            .wrapping_sub(eth)
    } else {
        match i.skb_dst_mtu {
            Some(m) => m as i32,
            None => i.dev_mtu as i32,
        }
    };
    let mut out = PmtuOut {
        mtu,
        pkt_size,
        update_skb_dst: i.skb_dst_mtu.is_some(),
        set_rt6_mtu: false,
        icmp_frag_needed: false,
        icmpv6_too_big: false,
    };
    match i.inner {
        Inner::Ipv4 { frag_off, .. } => {
            out.icmp_frag_needed = !i.gso && frag_off & IP_DF_BE != 0 && mtu < pkt_size;
        }
        Inner::Ipv6 { .. } => {
            if let (Some(plen), Some(dmtu)) = (i.rt6_plen, i.skb_dst_mtu) {
                // `mtu < dst_mtu(...)` compares as unsigned int in C.
                if (mtu as u32) < dmtu && mtu >= IPV6_MIN_MTU {
                    out.set_rt6_mtu = (i.daddr != 0 && !ipv4_is_multicast(i.daddr)) || plen == 128;
                }
            }
            out.icmpv6_too_big = !i.gso && mtu >= IPV6_MIN_MTU && mtu < pkt_size;
        }
        Inner::Other => {}
    }
    out
}

/// The `tunnel->err_count` step of `ip_tunnel_xmit`: when positive and
/// still within `IPTUNNEL_ERR_TIMEO` of `err_time` (`within_timeo`), it
/// is decremented and `dst_link_failure(skb)` is called (the `bool`);
/// when positive but timed out, it is reset to 0.
pub const fn err_count_step(err_count: i32, within_timeo: bool) -> (i32, bool) {
    if err_count > 0 {
        if within_timeo {
            (err_count - 1, true)
        } else {
            (0, false)
        }
    } else {
        (err_count, false)
    }
}

/// `ip_tunnel_limit_headroom()`: caps at 512.
pub const fn ip_tunnel_limit_headroom(headroom: u32) -> u32 {
    if headroom > MAX_HEADROOM {
        MAX_HEADROOM
    } else {
        headroom
    }
}

/// `ip_tunnel_adj_headroom()`: the new `dev->needed_headroom` if the
/// (capped) headroom is larger than the current one, else `None`.
pub const fn ip_tunnel_adj_headroom(current: u32, headroom: u32) -> Option<u32> {
    let h = ip_tunnel_limit_headroom(headroom);
    if h > current {
        Some(h)
    } else {
        None
    }
}

/// `LL_RESERVED_SPACE(dev)`: `((hard_header_len + needed_headroom) &
/// ~(HH_DATA_MOD - 1)) + HH_DATA_MOD`.
pub const fn ll_reserved_space(hard_header_len: u32, needed_headroom: u32) -> u32 {
    (hard_header_len.wrapping_add(needed_headroom) & !(HH_DATA_MOD - 1)).wrapping_add(HH_DATA_MOD)
}

/// `ip_tunnel_xmit`'s `max_headroom`: `LL_RESERVED_SPACE(rt->dst.dev) +
/// sizeof(struct iphdr) + rt->dst.header_len + ip_encap_hlen(...)`.
pub const fn xmit_headroom(ll_reserved: u32, dst_header_len: u32, encap_hlen: u32) -> u32 {
    ll_reserved
        .wrapping_add(IPHDR_LEN as u32)
        .wrapping_add(dst_header_len)
        .wrapping_add(encap_hlen)
}

/// The output device `ip_tunnel_bind_dev` found (the route's device or
/// the `link` device).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tdev {
    /// `tdev->hard_header_len`.
    pub hard_header_len: u16,
    /// `tdev->needed_headroom`.
    pub needed_headroom: u16,
    /// `tdev->mtu`.
    pub mtu: u32,
}

/// What `ip_tunnel_bind_dev` reads besides the route lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BindDev {
    /// `tunnel->hlen` (tunnel header + encap header).
    pub hlen: i32,
    /// The device found, if any.
    pub tdev: Option<Tdev>,
    /// `dev->type == ARPHRD_ETHER`.
    pub is_ether: bool,
    /// `dev->hard_header_len` (counts only for Ethernet-type devices).
    pub hard_header_len: i32,
    /// `LL_MAX_HEADER` of the running kernel (32, 96 or 128 depending on
    /// its config; pass the binding's value).
    pub ll_max_header: i32,
}

/// The result of `ip_tunnel_bind_dev`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    /// The new `dev->needed_headroom`.
    pub needed_headroom: u32,
    /// The returned MTU (at least `IPV4_MIN_MTU`).
    pub mtu: i32,
}

/// `ip_tunnel_bind_dev()` arithmetic: headroom `t_hlen + hlen` capped at
/// 512 (`hlen` is the device's `hard_header_len + needed_headroom`, else
/// `LL_MAX_HEADER`); MTU `min(tdev->mtu, IP_MAX_MTU)` (else 1500) minus
/// `t_hlen = tunnel->hlen + 20` and, for Ethernet devices, their
/// `hard_header_len`, floored at 68. (C also sets `IFF_POINTOPOINT` on
/// non-Ethernet devices when the tunnel has a remote: the caller's.)
pub const fn ip_tunnel_bind_dev(b: &BindDev) -> Bound {
    let t_hlen = b.hlen.wrapping_add(IPHDR_LEN);
    let (hlen, mut mtu) = match b.tdev {
        Some(t) => {
            let m = if t.mtu < IP_MAX_MTU {
                t.mtu
            } else {
                IP_MAX_MTU
            };
            (
                t.hard_header_len as i32 + t.needed_headroom as i32,
                m as i32,
            )
        }
        None => (b.ll_max_header, ETH_DATA_LEN),
    };
    let needed_headroom = ip_tunnel_limit_headroom(t_hlen.wrapping_add(hlen) as u32);
    let eth = if b.is_ether { b.hard_header_len } else { 0 };
    mtu = mtu.wrapping_sub(t_hlen.wrapping_add(eth));
    if mtu < IPV4_MIN_MTU {
        mtu = IPV4_MIN_MTU;
    }
    Bound {
        needed_headroom,
        mtu,
    }
}

/// The `max_mtu` of a tunnel device (`ip_tunnel_create`,
/// `__ip_tunnel_change_mtu`): `IP_MAX_MTU - (hlen + 20)`, minus
/// `hard_header_len` for Ethernet devices.
pub const fn ip_tunnel_max_mtu(hlen: i32, is_ether: bool, hard_header_len: i32) -> i32 {
    let m = (IP_MAX_MTU as i32).wrapping_sub(hlen.wrapping_add(IPHDR_LEN));
    if is_ether {
        m.wrapping_sub(hard_header_len)
    } else {
        m
    }
}

/// `__ip_tunnel_change_mtu()`: below 68 is `EINVAL`; above
/// [`ip_tunnel_max_mtu`] is `EINVAL` when `strict`, else clamped. Returns
/// the MTU to store. `ip_tunnel_change_mtu` is the strict form.
pub const fn ip_tunnel_change_mtu(
    new_mtu: i32,
    max_mtu: i32,
    strict: bool,
) -> Result<i32, super::err::TunErr> {
    if new_mtu < ETH_MIN_MTU {
        return Err(super::err::TunErr::Inval);
    }
    if new_mtu > max_mtu {
        if strict {
            return Err(super::err::TunErr::Inval);
        }
        return Ok(max_mtu);
    }
    Ok(new_mtu)
}

/// `ip_tunnel_newlink()` with `IFLA_MTU`: `clamp(dev->mtu, ETH_MIN_MTU,
/// max)` in `unsigned int`, where `max = IP_MAX_MTU - (hlen + 20)` (minus
/// `hard_header_len` for Ethernet devices). C's `__clamp` tests the upper
/// bound first.
pub const fn newlink_mtu(dev_mtu: u32, hlen: i32, is_ether: bool, hard_header_len: i32) -> u32 {
    let max = ip_tunnel_max_mtu(hlen, is_ether, hard_header_len) as u32;
    if dev_mtu >= max {
        max
    } else if dev_mtu <= ETH_MIN_MTU as u32 {
        ETH_MIN_MTU as u32
    } else {
        dev_mtu
    }
}

#[cfg(test)]
mod tests {
    use super::super::addr::htons;
    use super::*;

    #[test]
    fn ipip_mtu() {
        let b = ip_tunnel_bind_dev(&BindDev {
            hlen: 0,
            tdev: Some(Tdev {
                hard_header_len: 14,
                needed_headroom: 0,
                mtu: 1500,
            }),
            is_ether: false,
            hard_header_len: 0,
            ll_max_header: 128,
        });
        assert_eq!(b.mtu, 1480);
        assert_eq!(b.needed_headroom, 34);
        let n = ip_tunnel_bind_dev(&BindDev {
            hlen: 0,
            tdev: None,
            is_ether: false,
            hard_header_len: 0,
            ll_max_header: 128,
        });
        assert_eq!((n.mtu, n.needed_headroom), (1480, 148));
        assert_eq!(ip_tunnel_max_mtu(0, false, 0), 0xFFFF - 20);
        assert_eq!(
            ip_tunnel_change_mtu(67, 1000, true),
            Err(super::super::err::TunErr::Inval)
        );
        assert_eq!(ip_tunnel_change_mtu(2000, 1000, false), Ok(1000));
    }

    #[test]
    fn tos_ttl_df() {
        let v4 = Inner::Ipv4 {
            tos: 0xb9,
            ttl: 7,
            frag_off: htons(0x4000),
        };
        let t = tunnel_tos(1, &v4);
        assert_eq!((t.flow_tos, t.outer, t.inherited), (0xb8, 0xb9, true));
        let t = tunnel_tos(0x11, &Inner::Other);
        assert_eq!((t.flow_tos, t.outer, t.inherited), (0x10, 0x10, false));
        assert_eq!(tunnel_ttl(0, &v4, 64), 7);
        assert_eq!(tunnel_ttl(0, &Inner::Other, 64), 64);
        // The route's hop limit is read only where it decides.
        for t in [0, 9] {
            for i in [v4, Inner::Other] {
                if !ttl_from_route(t, &i) {
                    assert_eq!(tunnel_ttl(t, &i, 1), tunnel_ttl(t, &i, 200));
                }
            }
        }
        assert!(ttl_from_route(0, &Inner::Other));
        assert_eq!(tunnel_df(0, &v4, false), htons(0x4000));
        assert_eq!(tunnel_df(0, &v4, true), 0);
    }
}
