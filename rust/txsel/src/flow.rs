// SPDX-License-Identifier: GPL-2.0

//! Flow keys: the packet fields the hash policies read.
//!
//! The kernel side fills these from the packet (with the flow dissector or
//! by reading the headers); this crate only does arithmetic on them.
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
