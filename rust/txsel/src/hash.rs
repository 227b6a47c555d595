// SPDX-License-Identifier: GPL-2.0

//! Bonding transmit hash policies (`xmit_hash_policy`) and hash-based
//! port selection (`balance-xor`, `802.3ad`).
//!
//! Mirrors drivers/net/bonding/bond_main.c of Linux 6.12 step by step:
//!
//! * [`eth_hash`] is `bond_eth_hash()`:
//!   `h_dest[5] ^ h_source[5] ^ ntohs(h_proto)`.
//! * [`vlan_srcmac_hash`] is `bond_vlan_srcmac_hash()`:
//!   `vlan_tci ^ srcmac[0..3] ^ srcmac[3..6]` (as 24-bit big-endian ints).
//! * The L3/L4 key extraction is `bond_flow_dissect()` / `bond_flow_ip()`
//!   (ports only for `layer3+4`, none for IPv4 fragments, ICMP errors
//!   hashed on the embedded header, ICMP echo on type/code/id via
//!   `skb_flow_get_icmp_tci()`), or for the encap policies the result of
//!   `__skb_flow_dissect()` passed in [`FlowKeys::encap`].
//! * [`xmit_hash`] is `bond_xmit_hash()` / `__bond_xmit_hash()` /
//!   `bond_ip_hash()`: `hash ^= dst ^ src` (`flow_get_u32_dst/src`: the
//!   IPv4 address word, or for IPv6 `ipv6_addr_hash()` = XOR of the four
//!   32-bit words — no jhash), then `hash ^= hash >> 16; hash ^= hash >> 8`,
//!   and `hash >> 1` for `layer3+4`/`encap3+4`. `layer2` and
//!   `vlan+srcmac` are *not* folded.
//! * [`select_xor`] / [`select_3ad`] are `bond_xmit_3ad_xor_slave_get()`:
//!   `usable[hash % count]`, where the usable array is built by
//!   `bond_update_slave_arr()` (ports that can transmit, and for 802.3ad
//!   only those in the active aggregator), in slice order.

use super::flow::{
    proto_ports_offset, Addrs, FlowKeys, IcmpHdr, IpKeys, ETH_P_IP, ETH_P_IPV6, IPPROTO_ICMP,
    IPPROTO_ICMPV6,
};
use super::{nth_usable, Port, PortIndex};

/// `xmit_hash_policy` (`BOND_XMIT_POLICY_*` in
/// include/uapi/linux/if_bonding.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum XmitPolicy {
    /// `layer2` (0).
    #[default]
    Layer2,
    /// `layer3+4` (1).
    Layer34,
    /// `layer2+3` (2).
    Layer23,
    /// `encap2+3` (3).
    Encap23,
    /// `encap3+4` (4).
    Encap34,
    /// `vlan+srcmac` (5).
    VlanSrcMac,
}

impl XmitPolicy {
    /// All policies, in C value order.
    pub const ALL: [XmitPolicy; 6] = [
        XmitPolicy::Layer2,
        XmitPolicy::Layer34,
        XmitPolicy::Layer23,
        XmitPolicy::Encap23,
        XmitPolicy::Encap34,
        XmitPolicy::VlanSrcMac,
    ];

    /// The C value.
    pub const fn raw(self) -> u8 {
        match self {
            XmitPolicy::Layer2 => 0,
            XmitPolicy::Layer34 => 1,
            XmitPolicy::Layer23 => 2,
            XmitPolicy::Encap23 => 3,
            XmitPolicy::Encap34 => 4,
            XmitPolicy::VlanSrcMac => 5,
        }
    }

    /// Converts the C value; unknown values give `None`.
    pub const fn from_raw(v: u8) -> Option<Self> {
        match v {
            0 => Some(XmitPolicy::Layer2),
            1 => Some(XmitPolicy::Layer34),
            2 => Some(XmitPolicy::Layer23),
            3 => Some(XmitPolicy::Encap23),
            4 => Some(XmitPolicy::Encap34),
            5 => Some(XmitPolicy::VlanSrcMac),
            _ => None,
        }
    }

    const fn is_l34(self) -> bool {
        matches!(self, XmitPolicy::Layer34 | XmitPolicy::Encap34)
    }

    /// `encap2+3`/`encap3+4`: the keys come from the flow dissector
    /// ([`FlowKeys::encap`]), not from [`FlowKeys::parse`].
    pub const fn is_encap(self) -> bool {
        matches!(self, XmitPolicy::Encap23 | XmitPolicy::Encap34)
    }

    /// The policy hashes the IP header ([`FlowKeys::ip`]).
    pub const fn reads_l3(self) -> bool {
        matches!(self, XmitPolicy::Layer23 | XmitPolicy::Layer34)
    }

    /// The policy hashes the ports word ([`IpKeys::l4`]).
    pub const fn reads_l4(self) -> bool {
        matches!(self, XmitPolicy::Layer34)
    }
}

/// `bond_eth_hash()`.
pub const fn eth_hash(k: &FlowKeys) -> u32 {
    (k.dst_mac[5] ^ k.src_mac[5]) as u32 ^ k.ethertype as u32
}

/// `bond_vlan_srcmac_hash()`.
pub const fn vlan_srcmac_hash(k: &FlowKeys) -> u32 {
    let m = k.src_mac;
    let vendor = (m[0] as u32) << 16 | (m[1] as u32) << 8 | m[2] as u32;
    let dev = (m[3] as u32) << 16 | (m[4] as u32) << 8 | m[5] as u32;
    let vlan = match k.vlan_tci {
        Some(t) => t as u32,
        None => 0,
    };
    vlan ^ vendor ^ dev
}

/// `ipv6_addr_hash()`: XOR of the four native-endian 32-bit words (the
/// 64-bit variant of the C function gives the same value).
const fn ipv6_addr_hash(a: &[u8; 16]) -> u32 {
    let w0 = u32::from_ne_bytes([a[0], a[1], a[2], a[3]]);
    let w1 = u32::from_ne_bytes([a[4], a[5], a[6], a[7]]);
    let w2 = u32::from_ne_bytes([a[8], a[9], a[10], a[11]]);
    let w3 = u32::from_ne_bytes([a[12], a[13], a[14], a[15]]);
    w0 ^ w1 ^ w2 ^ w3
}

/// `(flow_get_u32_src(), flow_get_u32_dst())` as native `u32`s.
pub const fn addr_words(a: &Addrs) -> (u32, u32) {
    match a {
        Addrs::None => (0, 0),
        Addrs::V4 { src, dst } => (u32::from_ne_bytes(*src), u32::from_ne_bytes(*dst)),
        Addrs::V6 { src, dst } => (ipv6_addr_hash(src), ipv6_addr_hash(dst)),
        Addrs::Tipc { key } => (u32::from_ne_bytes(*key), 0),
    }
}

/// `__skb_flow_get_ports()`: the L4 word for `proto`, 0 if the protocol
/// has none or the data is missing.
const fn ports_word(proto: u8, l4: &Option<[u8; 4]>) -> u32 {
    match (proto_ports_offset(proto), l4) {
        (Some(_), Some(b)) => u32::from_ne_bytes(*b),
        _ => 0,
    }
}

/// `icmp_has_id()` (net/core/flow_dissector.c; v4 and v6 types mixed as
/// in C).
const fn icmp_has_id(ty: u8) -> bool {
    // ICMP_ECHO, ICMP_ECHOREPLY, ICMP_TIMESTAMP, ICMP_TIMESTAMPREPLY,
    // ICMPV6_ECHO_REQUEST, ICMPV6_ECHO_REPLY
    matches!(ty, 8 | 0 | 13 | 14 | 128 | 129)
}

/// `icmp_is_err()` (include/linux/icmp.h).
const fn icmp_is_err(ty: u8) -> bool {
    // DEST_UNREACH, SOURCE_QUENCH, REDIRECT, TIME_EXCEEDED, PARAMETERPROB
    matches!(ty, 3 | 4 | 5 | 11 | 12)
}

/// `icmpv6_is_err()` (include/linux/icmpv6.h).
const fn icmpv6_is_err(ty: u8) -> bool {
    // DEST_UNREACH, PKT_TOOBIG, TIME_EXCEED, PARAMPROB
    matches!(ty, 1..=4)
}

/// `struct flow_dissector_key_icmp` as filled by
/// `skb_flow_get_icmp_tci()`; zero when the header is missing.
#[derive(Clone, Copy, Default)]
struct IcmpKey {
    ty: u8,
    code: u8,
    id: u16,
}

impl IcmpKey {
    const fn from_hdr(h: &Option<IcmpHdr>) -> Self {
        match h {
            None => IcmpKey {
                ty: 0,
                code: 0,
                id: 0,
            },
            Some(h) => IcmpKey {
                ty: h.ty,
                code: h.code,
                id: if !icmp_has_id(h.ty) {
                    0
                } else if h.echo_id != 0 {
                    h.echo_id
                } else {
                    1
                },
            },
        }
    }

    /// `memcpy(&hash, &flow.icmp, sizeof(hash))`.
    const fn word(self) -> u32 {
        let id = self.id.to_ne_bytes();
        u32::from_ne_bytes([self.ty, self.code, id[0], id[1]])
    }
}

/// The parts of `struct flow_keys` the hash reads.
#[derive(Clone, Copy, Default)]
struct Flow {
    src: u32,
    dst: u32,
    ports: u32,
    icmp: IcmpKey,
}

/// `bond_flow_ip()`: `ip_proto` is the C `int` (-1 = unknown).
#[inline]
fn flow_ip(ethertype: u16, ip: &IpKeys, l34: bool, ip_proto: &mut i32, fk: &mut Flow) {
    (fk.src, fk.dst) = addr_words(&ip.addrs);
    if ethertype == ETH_P_IP {
        if !ip.is_fragment {
            *ip_proto = i32::from(ip.ip_proto);
        }
    } else {
        *ip_proto = i32::from(ip.ip_proto);
    }
    if l34 && *ip_proto >= 0 {
        // 0 <= ip_proto <= 255 here.
        fk.ports = ports_word(*ip_proto as u8, &ip.l4);
    }
}

/// `bond_flow_dissect()` for the non-encap policies.
#[inline]
fn flow_dissect_l3(k: &FlowKeys, l34: bool) -> Option<Flow> {
    if k.ethertype != ETH_P_IP && k.ethertype != ETH_P_IPV6 {
        return None;
    }
    let ip = k.ip.as_ref()?;
    let mut fk = Flow::default();
    let mut ip_proto: i32 = -1;
    flow_ip(k.ethertype, ip, l34, &mut ip_proto, &mut fk);

    let icmp = ip_proto == i32::from(IPPROTO_ICMP);
    if icmp || ip_proto == i32::from(IPPROTO_ICMPV6) {
        fk.icmp = IcmpKey::from_hdr(&ip.icmp);
        let err = if icmp {
            icmp_is_err(fk.icmp.ty)
        } else {
            icmpv6_is_err(fk.icmp.ty)
        };
        if !err {
            return Some(fk);
        }
        // Hash the error on the header of the packet that caused it.
        let inner = k.icmp_inner.as_ref()?;
        flow_ip(k.ethertype, inner, l34, &mut ip_proto, &mut fk);
    }
    Some(fk)
}

/// The flow dissector result for the encap policies.
#[inline]
fn flow_dissect_encap(k: &FlowKeys) -> Option<Flow> {
    let e = k.encap.as_ref()?;
    let (src, dst) = addr_words(&e.addrs);
    let mut fk = Flow {
        src,
        dst,
        ..Flow::default()
    };
    // Fragments stop the dissector before the transport header.
    if !e.is_fragment {
        if e.ip_proto == IPPROTO_ICMP || e.ip_proto == IPPROTO_ICMPV6 {
            fk.icmp = IcmpKey::from_hdr(&e.icmp);
        }
        fk.ports = ports_word(e.ip_proto, &e.l4);
    }
    Some(fk)
}

/// `bond_ip_hash()`.
const fn ip_hash(mut hash: u32, fk: &Flow, policy: XmitPolicy) -> u32 {
    hash ^= fk.dst ^ fk.src;
    hash ^= hash >> 16;
    hash ^= hash >> 8;
    if policy.is_l34() {
        hash >> 1
    } else {
        hash
    }
}

/// `bond_xmit_hash()`: the 32-bit transmit hash of a packet.
#[inline]
pub fn xmit_hash(policy: XmitPolicy, k: &FlowKeys) -> u32 {
    if policy == XmitPolicy::Encap34 {
        if let Some(h) = k.l4_hash {
            return h;
        }
    }
    let fk = match policy {
        XmitPolicy::VlanSrcMac => return vlan_srcmac_hash(k),
        XmitPolicy::Layer2 => None,
        XmitPolicy::Layer23 => flow_dissect_l3(k, false),
        XmitPolicy::Layer34 => flow_dissect_l3(k, true),
        XmitPolicy::Encap23 | XmitPolicy::Encap34 => flow_dissect_encap(k),
    };
    let Some(fk) = fk else {
        return eth_hash(k);
    };
    let hash = if matches!(policy, XmitPolicy::Layer23 | XmitPolicy::Encap23) {
        eth_hash(k)
    } else if fk.icmp.id != 0 {
        fk.icmp.word()
    } else {
        fk.ports
    };
    ip_hash(hash, &fk, policy)
}

/// `bond_xmit_3ad_xor_slave_get()` for `balance-xor`: `usable[hash %
/// count]` over the ports that can transmit ([`Port::can_tx`]).
#[inline]
pub fn select_xor(ports: &[Port], hash: u32) -> Option<PortIndex> {
    select_by_hash(ports, hash, Port::can_tx)
}

/// `bond_xmit_3ad_xor_slave_get()` for `802.3ad`: like [`select_xor`] but
/// only ports attached to the active aggregator `active_agg` count.
pub fn select_3ad(ports: &[Port], hash: u32, active_agg: u16) -> Option<PortIndex> {
    select_by_hash(ports, hash, |p| p.aggregator_id == active_agg && p.can_tx())
}

/// `usable[hash % count]` for any usability predicate.
#[inline]
pub fn select_by_hash<F>(ports: &[Port], hash: u32, usable: F) -> Option<PortIndex>
where
    F: Fn(&Port) -> bool,
{
    let count = ports.iter().filter(|p| usable(p)).count();
    if count == 0 {
        return None;
    }
    // `hash % count` with count an unsigned int in C; identical here.
    nth_usable(ports, (hash as usize) % count, usable)
}

/// Hash and select in one step for `balance-xor`.
#[inline]
pub fn select(policy: XmitPolicy, keys: &FlowKeys, ports: &[Port]) -> Option<PortIndex> {
    select_xor(ports, xmit_hash(policy, keys))
}

#[cfg(test)]
mod tests {
    use super::super::flow::{ETH_P_ARP, IPPROTO_TCP, IPPROTO_UDP};
    use super::super::LinkState;
    use super::*;

    fn base() -> FlowKeys {
        FlowKeys {
            dst_mac: [0x00, 0x11, 0x22, 0x33, 0x44, 0x55],
            src_mac: [0x02, 0x00, 0x00, 0x00, 0x00, 0x07],
            ethertype: ETH_P_IP,
            ..FlowKeys::default()
        }
    }

    #[test]
    fn layer2_by_hand() {
        let k = base();
        // 0x55 ^ 0x07 ^ 0x0800 = 0x52 ^ 0x800 = 0x852
        assert_eq!(xmit_hash(XmitPolicy::Layer2, &k), 0x852);
        // Not folded: 0x852 % 3 = 2130 % 3 = 0
        let ports = [Port::new(0), Port::new(1), Port::new(2)];
        assert_eq!(select(XmitPolicy::Layer2, &k, &ports), Some(0));
    }

    #[test]
    fn vlan_srcmac_by_hand() {
        let mut k = base();
        k.src_mac = [0x00, 0x1b, 0x21, 0xab, 0xcd, 0xef];
        // 0x001b21 ^ 0xabcdef = 0xabd6ce
        assert_eq!(xmit_hash(XmitPolicy::VlanSrcMac, &k), 0xab_d6ce);
        k.vlan_tci = Some(0x2064); // PCP 1, VID 100
        assert_eq!(xmit_hash(XmitPolicy::VlanSrcMac, &k), 0xab_d6ce ^ 0x2064);
    }

    #[test]
    fn layer23_v4_by_hand() {
        let mut k = base();
        k.ip = Some(IpKeys::v4([10, 0, 0, 1], [10, 0, 0, 2], IPPROTO_TCP).with_ports(1234, 80));
        let s = u32::from_ne_bytes([10, 0, 0, 1]);
        let d = u32::from_ne_bytes([10, 0, 0, 2]);
        let mut h = 0x852 ^ s ^ d;
        h ^= h >> 16;
        h ^= h >> 8;
        assert_eq!(xmit_hash(XmitPolicy::Layer23, &k), h);
        if cfg!(target_endian = "little") {
            // s ^ d = 0x03000000; ^0x852 = 0x03000852; >>16 -> 0x0300;
            // 0x03000b52; >>8 -> 0x0003000b; 0x03030b59.
            assert_eq!(h, 0x0303_0b59);
        }
    }

    #[test]
    fn layer34_v4_by_hand() {
        let mut k = base();
        k.ip = Some(IpKeys::v4([10, 0, 0, 1], [10, 0, 0, 2], IPPROTO_TCP).with_ports(1234, 80));
        let h = xmit_hash(XmitPolicy::Layer34, &k);
        if cfg!(target_endian = "little") {
            // ports word: bytes 04 d2 00 50 -> 0x5000d204; ^ 0x03000000
            // = 0x5300d204; >>16: ^0x5300 = 0x53008104; >>8: ^0x00530081
            // = 0x53538185; >>1 = 0x29a9c0c2.
            assert_eq!(h, 0x29a9_c0c2);
        }
        // Fragment: no ports.
        k.ip = k.ip.map(IpKeys::fragment);
        let mut e = u32::from_ne_bytes([10, 0, 0, 1]) ^ u32::from_ne_bytes([10, 0, 0, 2]);
        e ^= e >> 16;
        e ^= e >> 8;
        assert_eq!(xmit_hash(XmitPolicy::Layer34, &k), e >> 1);
    }

    #[test]
    fn layer34_v6_uses_xor_of_words() {
        let mut src = [0u8; 16];
        let mut dst = [0u8; 16];
        src[0] = 0x20;
        src[1] = 0x01;
        src[15] = 1;
        dst[0] = 0x20;
        dst[1] = 0x01;
        dst[15] = 2;
        let mut k = base();
        k.ethertype = ETH_P_IPV6;
        k.ip = Some(IpKeys::v6(src, dst, IPPROTO_UDP).with_ports(53, 53));
        let h = xmit_hash(XmitPolicy::Layer34, &k);
        if cfg!(target_endian = "little") {
            // src/dst words XOR to 0x03000000 (0x2001 halves cancel);
            // ports 00 35 00 35 -> 0x35003500; ^ = 0x36003500;
            // >>16: ^0x3600 = 0x36000300; >>8: ^0x00360003 = 0x36360303;
            // >>1 = 0x1b1b0181.
            assert_eq!(h, 0x1b1b_0181);
        }
    }

    #[test]
    fn non_ip_falls_back_to_layer2() {
        let mut k = base();
        k.ethertype = ETH_P_ARP;
        k.ip = Some(IpKeys::v4([1, 2, 3, 4], [5, 6, 7, 8], 0));
        let l2 = xmit_hash(XmitPolicy::Layer2, &k);
        assert_eq!(xmit_hash(XmitPolicy::Layer23, &k), l2);
        assert_eq!(xmit_hash(XmitPolicy::Layer34, &k), l2);
        assert_eq!(xmit_hash(XmitPolicy::Encap34, &k), l2);
        // IP ethertype but truncated header.
        k.ethertype = ETH_P_IP;
        k.ip = None;
        assert_eq!(xmit_hash(XmitPolicy::Layer34, &k), eth_hash(&k));
    }

    #[test]
    fn icmp_echo_uses_id() {
        let mut k = base();
        let ip = IpKeys::v4([1, 1, 1, 1], [1, 1, 1, 1], IPPROTO_ICMP);
        k.ip = Some(ip.with_icmp(8, 0, 0x1234));
        // Addresses cancel: hash = fold(icmp word) >> 1.
        let w = u32::from_ne_bytes([8, 0, 0x1234u16.to_ne_bytes()[0], 0x1234u16.to_ne_bytes()[1]]);
        let mut h = w;
        h ^= h >> 16;
        h ^= h >> 8;
        assert_eq!(xmit_hash(XmitPolicy::Layer34, &k), h >> 1);
        // id 0 is replaced by 1.
        k.ip = Some(ip.with_icmp(0, 0, 0));
        let w = u32::from_ne_bytes([0, 0, 1u16.to_ne_bytes()[0], 1u16.to_ne_bytes()[1]]);
        let mut h = w;
        h ^= h >> 16;
        h ^= h >> 8;
        assert_eq!(xmit_hash(XmitPolicy::Layer34, &k), h >> 1);
    }

    #[test]
    fn icmp_error_hashes_inner_header() {
        let inner = IpKeys::v4([192, 0, 2, 1], [198, 51, 100, 7], IPPROTO_UDP).with_ports(4000, 53);
        let mut err = base();
        err.ip =
            Some(IpKeys::v4([203, 0, 113, 9], [192, 0, 2, 1], IPPROTO_ICMP).with_icmp(3, 3, 0));
        err.icmp_inner = Some(inner);
        let mut direct = base();
        direct.ip = Some(inner);
        for p in [XmitPolicy::Layer23, XmitPolicy::Layer34] {
            assert_eq!(xmit_hash(p, &err), xmit_hash(p, &direct), "{p:?}");
        }
        // Truncated error: whole dissection fails -> layer2 hash.
        err.icmp_inner = None;
        assert_eq!(xmit_hash(XmitPolicy::Layer34, &err), eth_hash(&err));
    }

    #[test]
    fn encap_l4_hash_shortcut() {
        let mut k = base();
        k.l4_hash = Some(0xdead_beef);
        assert_eq!(xmit_hash(XmitPolicy::Encap34, &k), 0xdead_beef);
        assert_ne!(xmit_hash(XmitPolicy::Encap23, &k), 0xdead_beef);
    }

    #[test]
    fn select_uses_compacted_usable_array() {
        let up = Port::new(0);
        let down = Port {
            link: LinkState::Down,
            ..up
        };
        let ports = [down, up, down, up, up];
        assert_eq!(select_xor(&ports, 0), Some(1));
        assert_eq!(select_xor(&ports, 1), Some(3));
        assert_eq!(select_xor(&ports, 2), Some(4));
        assert_eq!(select_xor(&ports, 3), Some(1));
        assert_eq!(select_xor(&[down], 3), None);
        assert_eq!(select_xor(&[], 3), None);
        let mut a = [up, up, up];
        a[0].aggregator_id = 1;
        a[1].aggregator_id = 2;
        a[2].aggregator_id = 2;
        assert_eq!(select_3ad(&a, 5, 2), Some(2));
        assert_eq!(select_3ad(&a, 5, 1), Some(0));
        assert_eq!(select_3ad(&a, 5, 3), None);
    }

    #[test]
    fn policy_raw_roundtrip() {
        for p in XmitPolicy::ALL {
            assert_eq!(XmitPolicy::from_raw(p.raw()), Some(p));
        }
        assert_eq!(XmitPolicy::from_raw(6), None);
    }
}
