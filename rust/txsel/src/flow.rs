// SPDX-License-Identifier: GPL-2.0

//! Flow keys: the packet fields the hash policies read.
//!
//! The kernel side fills these from the packet: for a linear packet with
//! [`FlowKeys::parse`] (this crate's own bounds-checked reading of the
//! Ethernet, VLAN, IPv4/IPv6 and L4 headers), otherwise with the kernel's
//! flow dissector (paged packets, the encap policies); the hashes are
//! arithmetic on the keys.
//!
//! Byte order: every address and the L4 word are kept as **bytes in
//! network (wire) order, exactly as stored in the packet** (`[u8; 4]` for
//! IPv4, `[u8; 16]` for IPv6 — the memory image of `__be32` /
//! `struct in6_addr`). The hash loads them as native-endian `u32`s, as the
//! C code does with `(__force u32)` casts and `memcpy()`, so results equal
//! the kernel's on the same architecture. Ethertype, VLAN TCI and the ICMP
//! echo identifier are host-order integers (as after `ntohs()`).

/// Ethertype of IPv4 (`ETH_P_IP`).
pub const ETH_P_IP: u16 = 0x0800;
/// Ethertype of IPv6 (`ETH_P_IPV6`).
pub const ETH_P_IPV6: u16 = 0x86dd;
/// Ethertype of ARP (`ETH_P_ARP`).
pub const ETH_P_ARP: u16 = 0x0806;

/// `IPPROTO_ICMP`.
pub const IPPROTO_ICMP: u8 = 1;
/// `IPPROTO_IGMP`.
pub const IPPROTO_IGMP: u8 = 2;
/// `IPPROTO_TCP`.
pub const IPPROTO_TCP: u8 = 6;
/// `IPPROTO_UDP`.
pub const IPPROTO_UDP: u8 = 17;
/// `IPPROTO_DCCP`.
pub const IPPROTO_DCCP: u8 = 33;
/// `IPPROTO_ESP`.
pub const IPPROTO_ESP: u8 = 50;
/// `IPPROTO_AH`.
pub const IPPROTO_AH: u8 = 51;
/// `IPPROTO_ICMPV6`.
pub const IPPROTO_ICMPV6: u8 = 58;
/// `IPPROTO_SCTP`.
pub const IPPROTO_SCTP: u8 = 132;
/// `IPPROTO_UDPLITE`.
pub const IPPROTO_UDPLITE: u8 = 136;

/// `proto_ports_offset()` (include/linux/in.h): offset of the 32-bit
/// "ports" word in the L4 header, `None` for protocols without one.
pub const fn proto_ports_offset(proto: u8) -> Option<u8> {
    match proto {
        IPPROTO_TCP | IPPROTO_UDP | IPPROTO_DCCP | IPPROTO_ESP | IPPROTO_SCTP | IPPROTO_UDPLITE => {
            Some(0)
        }
        IPPROTO_AH => Some(4),
        _ => None,
    }
}

/// Network-layer addresses, wire byte order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Addrs {
    /// No address key (`control.addr_type == 0`).
    #[default]
    None,
    /// IPv4 source and destination (`saddr`, `daddr`).
    V4 {
        /// Source address.
        src: [u8; 4],
        /// Destination address.
        dst: [u8; 4],
    },
    /// IPv6 source and destination (`struct in6_addr` images).
    V6 {
        /// Source address.
        src: [u8; 16],
        /// Destination address.
        dst: [u8; 16],
    },
    /// TIPC key (`FLOW_DISSECTOR_KEY_TIPC`, encap policies only): used as
    /// the source word, the destination word is 0.
    Tipc {
        /// `tipckey.key` (`__be32`).
        key: [u8; 4],
    },
}

/// ICMP / ICMPv6 header fields (`struct icmphdr` start).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct IcmpHdr {
    /// Type.
    pub ty: u8,
    /// Code.
    pub code: u8,
    /// `un.echo.id`, host order (whatever the type; only used for types
    /// that carry an identifier).
    pub echo_id: u16,
}

/// Network + transport keys of one IP header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct IpKeys {
    /// Addresses.
    pub addrs: Addrs,
    /// Transport protocol. For the `layer2+3`/`layer3+4` policies this is
    /// what `bond_flow_ip()` reads: the IPv4 `protocol` field or the IPv6
    /// *fixed header* `nexthdr` (no extension-header walk). For the
    /// `encap` keys it is the flow dissector's final `basic.ip_proto`.
    pub ip_proto: u8,
    /// Fragment (`ip_is_fragment()` for IPv4; for the `encap` keys the
    /// dissector's `FLOW_DIS_IS_FRAGMENT`, IPv4 or IPv6). Ignored for IPv6
    /// by the non-encap policies, as in C.
    pub is_fragment: bool,
    /// The 4 bytes at `proto_ports_offset(ip_proto)` in the L4 header
    /// (source port then destination port for TCP/UDP/SCTP/DCCP/UDP-Lite,
    /// the SPI for ESP/AH), wire order; `None` if the packet is too short.
    pub l4: Option<[u8; 4]>,
    /// ICMP header, for `ip_proto` ICMP/ICMPv6; `None` if truncated.
    pub icmp: Option<IcmpHdr>,
}

impl IpKeys {
    /// IPv4 keys without L4 data.
    pub const fn v4(src: [u8; 4], dst: [u8; 4], ip_proto: u8) -> Self {
        IpKeys {
            addrs: Addrs::V4 { src, dst },
            ip_proto,
            is_fragment: false,
            l4: None,
            icmp: None,
        }
    }

    /// IPv6 keys without L4 data.
    pub const fn v6(src: [u8; 16], dst: [u8; 16], ip_proto: u8) -> Self {
        IpKeys {
            addrs: Addrs::V6 { src, dst },
            ip_proto,
            is_fragment: false,
            l4: None,
            icmp: None,
        }
    }

    /// Sets the L4 word from host-order source and destination ports.
    pub const fn with_ports(mut self, src: u16, dst: u16) -> Self {
        let s = src.to_be_bytes();
        let d = dst.to_be_bytes();
        self.l4 = Some([s[0], s[1], d[0], d[1]]);
        self
    }

    /// Sets the ICMP header.
    pub const fn with_icmp(mut self, ty: u8, code: u8, echo_id: u16) -> Self {
        self.icmp = Some(IcmpHdr { ty, code, echo_id });
        self
    }

    /// Marks the keys as a fragment.
    pub const fn fragment(mut self) -> Self {
        self.is_fragment = true;
        self
    }
}

/// Everything the bonding hash policies may read for one packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct FlowKeys {
    /// Ethernet destination (`h_dest`).
    pub dst_mac: [u8; 6],
    /// Ethernet source (`h_source`).
    pub src_mac: [u8; 6],
    /// Ethernet `h_proto`, host order. It is also taken as the packet's
    /// L2 protocol (`skb->protocol`), which is the same value for untagged
    /// and hardware-accelerated VLAN frames.
    pub ethertype: u16,
    /// Hardware-accelerated VLAN tag: the full TCI as returned by
    /// `skb_vlan_tag_get()` (priority bits included), `None` if absent.
    /// Only `vlan+srcmac` reads it; XDP callers pass `None`.
    pub vlan_tci: Option<u16>,
    /// The network header as `bond_flow_ip()` reads it (`None` if the
    /// packet is not IP or the header is truncated).
    pub ip: Option<IpKeys>,
    /// For an ICMP/ICMPv6 *error* in `ip`: the embedded original IP header
    /// and its first L4 bytes (`None` if truncated).
    pub icmp_inner: Option<IpKeys>,
    /// For `encap2+3`/`encap3+4`: what `__skb_flow_dissect()` with the
    /// bonding key set found (innermost headers). `None` when the
    /// dissector returned false.
    pub encap: Option<IpKeys>,
    /// `skb->hash` when `skb->l4_hash` is set (`encap3+4` returns it as
    /// is); `None` otherwise and for XDP.
    pub l4_hash: Option<u32>,
}

/// The `n` bytes at `off` in `frame`, or `None` past its end (what
/// `skb_header_pointer()` answers for a packet that is all in `frame`).
#[inline(always)]
fn bytes<const N: usize>(frame: &[u8], off: usize) -> Option<&[u8; N]> {
    frame.get(off..off.checked_add(N)?)?.try_into().ok()
}

#[inline(always)]
const fn be16(b: [u8; 2]) -> u16 {
    u16::from_be_bytes(b)
}

/// One IP header of family `protocol` at `nhoff`, as `bond_flow_ip()`
/// reads it (the kernel side's `rvnet_flow_ip()`, identically): the
/// addresses, the protocol field (IPv6: the fixed header's `nexthdr`), the
/// fragment bit, with `l4` the ports word, and for `ip_proto` ICMP or
/// ICMPv6 the ICMP header. Returns the keys and the transport offset.
#[inline(always)]
fn parse_ip(frame: &[u8], protocol: u16, nhoff: usize, l4: bool) -> Option<(IpKeys, usize)> {
    let (mut k, thoff) = if protocol == ETH_P_IP {
        let h: &[u8; 20] = bytes(frame, nhoff)?;
        let k = IpKeys {
            addrs: Addrs::V4 {
                src: [h[12], h[13], h[14], h[15]],
                dst: [h[16], h[17], h[18], h[19]],
            },
            ip_proto: h[9],
            // `ip_is_fragment()`: MF or a fragment offset.
            is_fragment: be16([h[6], h[7]]) & 0x3fff != 0,
            l4: None,
            icmp: None,
        };
        (k, nhoff + usize::from(h[0] & 0xf) * 4)
    } else if protocol == ETH_P_IPV6 {
        let h: &[u8; 40] = bytes(frame, nhoff)?;
        let mut src = [0u8; 16];
        let mut dst = [0u8; 16];
        src.copy_from_slice(&h[8..24]);
        dst.copy_from_slice(&h[24..40]);
        (IpKeys::v6(src, dst, h[6]), nhoff + 40)
    } else {
        return None;
    };
    if l4 {
        if let Some(poff) = proto_ports_offset(k.ip_proto) {
            k.l4 = thoff
                .checked_add(usize::from(poff))
                .and_then(|o| bytes::<4>(frame, o))
                .copied();
        }
    }
    if k.ip_proto == IPPROTO_ICMP || k.ip_proto == IPPROTO_ICMPV6 {
        k.icmp = bytes::<8>(frame, thoff).map(|h| IcmpHdr {
            ty: h[0],
            code: h[1],
            echo_id: be16([h[4], h[5]]),
        });
    }
    Some((k, thoff))
}

impl FlowKeys {
    /// The keys of a packet held whole in `frame` (the linear data of an
    /// skb without fragments, starting at the Ethernet header), for the
    /// non-encap policies: the Ethernet addresses and `h_proto`; with `l3`
    /// the IP header of family `protocol` (`skb->protocol`, host order) at
    /// `nhoff` (`skb_network_offset()`) and, for an ICMP error, the header
    /// it embeds; with `l4` also the ports words. A read past the end of
    /// `frame` leaves its field empty, as `skb_header_pointer()` does on a
    /// short packet, so this equals the kernel side's
    /// `rvnet_skb_flow_keys()` on the same packet. The VLAN tag, the
    /// encap keys and the L4 hash are left to the caller.
    #[inline]
    pub fn parse(frame: &[u8], protocol: u16, nhoff: usize, l3: bool, l4: bool) -> FlowKeys {
        let mut k = FlowKeys::default();
        if let Some(eh) = bytes::<14>(frame, 0) {
            k.dst_mac.copy_from_slice(&eh[0..6]);
            k.src_mac.copy_from_slice(&eh[6..12]);
            k.ethertype = be16([eh[12], eh[13]]);
        }
        if !l3 {
            return k;
        }
        if let Some((ip, thoff)) = parse_ip(frame, protocol, nhoff, l4) {
            // An ICMP error carries the header that caused it.
            if ip.icmp.is_some() {
                k.icmp_inner = parse_ip(frame, protocol, thoff + 8, l4).map(|(i, _)| i);
            }
            k.ip = Some(ip);
        }
        k
    }
}
