// SPDX-License-Identifier: GPL-2.0

//! The link-layer header of a GRE device without a fixed unicast remote
//! end (C's `ipgre_header_ops` in net/ipv4/ip_gre.c): which gre devices
//! have it (`ipgre_tunnel_init`: NBMA, remote 0, and a multicast remote,
//! which needs a local address), the header `ipgre_header` builds (the
//! outer IPv4 header from the tunnel's template with the hardware
//! addresses the neighbour layer gives, then the GRE base header) and the
//! source address `ipgre_header_parse` reads back.

use super::addr::{htons, ipv4_is_multicast, Be32};
use super::err::TunErr;
use super::flags::{gre_tnl_flags_to_gre_flags, TunFlags};
use super::ioctl::{iphdr_from_bytes, iphdr_to_bytes, IPHDR_BYTES};
use super::parms::IpHdr;

/// Whether and why a gre device builds its headers itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderMode {
    /// A unicast remote end or external mode: no `header_ops`.
    None,
    /// No remote end (NBMA): each neighbour's hardware address is the
    /// outer destination (`IFF_NOARP` stays).
    Nbma,
    /// A multicast remote end: a broadcast device (`IFF_BROADCAST`, no
    /// `IFF_NOARP`) whose broadcast address is the group.
    Multicast,
}

impl HeaderMode {
    /// `ipgre_tunnel_init`'s choice for remote `daddr`, local `saddr`:
    /// a multicast remote end needs a local address (`EINVAL`).
    pub const fn of(daddr: Be32, saddr: Be32, collect_md: bool) -> Result<HeaderMode, TunErr> {
        if collect_md {
            return Ok(HeaderMode::None);
        }
        if daddr == 0 {
            return Ok(HeaderMode::Nbma);
        }
        if !ipv4_is_multicast(daddr) {
            return Ok(HeaderMode::None);
        }
        if saddr == 0 {
            return Err(TunErr::Inval);
        }
        Ok(HeaderMode::Multicast)
    }

    /// Whether the device has `ipgre_header_ops`.
    pub const fn has_header_ops(self) -> bool {
        !matches!(self, HeaderMode::None)
    }
}

/// `dev->hard_header_len` of a gre device with header operations: the
/// outer IPv4 header and the tunnel's own (`t->hlen`).
pub const fn hard_header_len(hlen: u32) -> u32 {
    hlen + IPHDR_BYTES as u32
}

/// A 4-byte hardware address (an IPv4 address as it sits in memory), if
/// the caller gave one of that length.
fn addr4(a: Option<&[u8]>) -> Option<Be32> {
    let b: [u8; 4] = a?.try_into().ok()?;
    Some(u32::from_ne_bytes(b))
}

/// `ipgre_header` into `out` (`t->hlen` + 20 bytes, zeroed by the
/// caller): the template `tmpl` (`t->parms.iph`) with `saddr`/`daddr`
/// when given, the GRE flags of `o_flags` and protocol `ty` (host
/// order); the options space after them is left as it is. `true` (C's
/// positive answer) when the outer destination is known (not 0).
pub fn build(
    tmpl: &IpHdr,
    o_flags: TunFlags,
    ty: u16,
    daddr: Option<&[u8]>,
    saddr: Option<&[u8]>,
    out: &mut [u8],
) -> bool {
    let mut iph = *tmpl;
    if let Some(s) = addr4(saddr) {
        iph.saddr = s;
    }
    if let Some(d) = addr4(daddr) {
        iph.daddr = d;
    }
    if let Some(h) = out.get_mut(..IPHDR_BYTES) {
        h.copy_from_slice(&iphdr_to_bytes(&iph));
    }
    let g = htons(gre_tnl_flags_to_gre_flags(o_flags)).to_ne_bytes();
    let p = htons(ty).to_ne_bytes();
    if let Some(h) = out.get_mut(IPHDR_BYTES..IPHDR_BYTES + 4) {
        h.copy_from_slice(&[g[0], g[1], p[0], p[1]]);
    }
    iph.daddr != 0
}

/// The outer header `ipgre_xmit` takes its parameters from (`tnl_params`
/// at the data of a packet whose header [`build`] made), if `data` holds
/// one.
pub fn tnl_params(data: &[u8]) -> Option<IpHdr> {
    let b: &[u8; IPHDR_BYTES] = data.get(..IPHDR_BYTES)?.try_into().ok()?;
    Some(iphdr_from_bytes(b))
}

/// `ipgre_header_parse`: the outer source address of a received packet
/// whose MAC header is its outer IPv4 header (`mac`, as much as is
/// there), into `haddr`; its length (always 4, as C's).
pub fn parse(mac: &[u8], haddr: &mut [u8]) -> usize {
    if let (Some(s), Some(d)) = (mac.get(12..16), haddr.get_mut(..4)) {
        d.copy_from_slice(s);
    }
    4
}

#[cfg(test)]
mod tests {
    use super::super::flags::IP_TUNNEL_KEY_BIT;
    use super::*;

    const G: Be32 = u32::from_ne_bytes([239, 1, 1, 1]);
    const A: Be32 = u32::from_ne_bytes([192, 168, 93, 1]);

    #[test]
    fn modes() {
        assert_eq!(HeaderMode::of(0, 0, false), Ok(HeaderMode::Nbma));
        assert_eq!(HeaderMode::of(0, A, true), Ok(HeaderMode::None));
        assert_eq!(HeaderMode::of(A, 0, false), Ok(HeaderMode::None));
        assert_eq!(HeaderMode::of(G, A, false), Ok(HeaderMode::Multicast));
        assert_eq!(HeaderMode::of(G, 0, false), Err(TunErr::Inval));
        assert_eq!(HeaderMode::of(G, 0, true), Ok(HeaderMode::None));
        assert_eq!(hard_header_len(8), 28);
    }

    #[test]
    fn header_from_template() {
        let tmpl = IpHdr {
            version: 4,
            ihl: 5,
            tos: 0x10,
            frag_off: htons(0x4000),
            ttl: 64,
            protocol: 47,
            saddr: A,
            ..IpHdr::default()
        };
        let mut f = TunFlags::default();
        f.assign(IP_TUNNEL_KEY_BIT, true);
        let mut out = [0u8; 28];
        let d = [192, 168, 93, 2];
        assert!(build(&tmpl, f, 0x0800, Some(&d), None, &mut out));
        assert_eq!(&out[..2], &[0x45, 0x10]);
        assert_eq!(&out[6..10], &[0x40, 0, 64, 47]);
        assert_eq!(&out[12..20], &[192, 168, 93, 1, 192, 168, 93, 2]);
        assert_eq!(&out[20..24], &[0x20, 0, 0x08, 0x00]);
        let back = tnl_params(&out).unwrap();
        assert_eq!((back.saddr, back.ttl, back.tos), (A, 64, 0x10));
        // NBMA without a destination: incomplete.
        let mut out = [0u8; 24];
        assert!(!build(
            &tmpl,
            TunFlags::default(),
            0x0806,
            None,
            None,
            &mut out
        ));
        // Another source; a wrong address length is ignored.
        let s = [10, 0, 0, 1];
        assert!(build(
            &tmpl,
            TunFlags::default(),
            0x0806,
            Some(&[1, 2, 3, 4]),
            Some(&s),
            &mut out
        ));
        assert_eq!(&out[12..16], &s);
        let mut h = [0u8; 32];
        assert_eq!(parse(&out, &mut h), 4);
        assert_eq!(&h[..4], &s);
        assert_eq!(parse(&out[..10], &mut h), 4);
        assert!(!build(
            &tmpl,
            TunFlags::default(),
            0x0806,
            Some(&[1, 2, 3]),
            None,
            &mut out
        ));
    }

    proptest::proptest! {
        #[test]
        fn any_input_no_panic(
            tos: u8, ttl: u8, saddr: u32, daddr: u32, flags: u32, ty: u16,
            d in proptest::collection::vec(0u8.., 0..8),
            s in proptest::collection::vec(0u8.., 0..8),
            n in 0usize..64,
        ) {
            let tmpl = IpHdr { tos, ttl, saddr, daddr, ..IpHdr::default() };
            let mut out = [0u8; 64];
            let known = build(&tmpl, TunFlags(flags), ty, Some(&d), Some(&s), &mut out[..n]);
            let dst = if d.len() == 4 { u32::from_ne_bytes([d[0], d[1], d[2], d[3]]) } else { daddr };
            proptest::prop_assert_eq!(known, dst != 0);
            if n >= 20 {
                let back = tnl_params(&out[..n]).unwrap();
                proptest::prop_assert_eq!((back.tos, back.ttl, back.daddr), (tos, ttl, dst));
            }
        }
    }
}
