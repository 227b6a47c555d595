// SPDX-License-Identifier: GPL-2.0

//! The GRE header: `gre_calc_hlen` and `gre_build_header`
//! (include/net/gre.h), `gre_parse_header` (net/ipv4/gre_demux.c), and
//! the ERSPAN header lengths (`erspan_hdr_len`, include/net/erspan.h).
//!
//! The checksum is computed by the kernel over the skb, so [`build`]
//! leaves the checksum field zero and reports where it is, and [`parse`]
//! reports that one is present; the caller validates it (C's
//! `skb_checksum_simple_validate`, which fails with `EINVAL` and
//! `*csum_err = true`).

use super::addr::{htons, Be16, Be32};
use super::flags::{
    gre_flags_to_tnl_flags, gre_tnl_flags_to_gre_flags, TunFlags, GRE_CSUM, GRE_KEY, GRE_ROUTING,
    GRE_SEQ, GRE_VERSION, IP_TUNNEL_CSUM_BIT, IP_TUNNEL_KEY_BIT, IP_TUNNEL_SEQ_BIT,
};

/// `sizeof(struct gre_base_hdr)`.
pub const GRE_BASE_LEN: usize = 4;
/// The longest header [`build`] writes (`struct gre_full_hdr`: base,
/// checksum, key, sequence).
pub const GRE_MAX_LEN: usize = 16;
/// `ETH_P_IP`.
pub const ETH_P_IP: u16 = 0x0800;
/// `ETH_P_IPV6`.
pub const ETH_P_IPV6: u16 = 0x86DD;
/// `ETH_P_TEB` (gretap).
pub const ETH_P_TEB: u16 = 0x6558;
/// `ETH_P_WCCP`.
pub const ETH_P_WCCP: u16 = 0x883E;
/// `ETH_P_ERSPAN` (type II, ERSPAN version 1).
pub const ETH_P_ERSPAN: u16 = 0x88BE;
/// `ETH_P_ERSPAN2` (type III, ERSPAN version 2).
pub const ETH_P_ERSPAN2: u16 = 0x22EB;
/// `sizeof(struct erspan_base_hdr)`.
pub const ERSPAN_BASE_LEN: usize = 4;
/// `ERSPAN_V1_MDSIZE`.
pub const ERSPAN_V1_MDSIZE: usize = 4;
/// `ERSPAN_V2_MDSIZE`.
pub const ERSPAN_V2_MDSIZE: usize = 8;

/// `gre_calc_hlen()`: 4, plus 4 for each of CSUM, KEY and SEQ.
pub const fn gre_calc_hlen(o_flags: TunFlags) -> usize {
    let mut n = GRE_BASE_LEN;
    if o_flags.test(IP_TUNNEL_CSUM_BIT) {
        n += 4;
    }
    if o_flags.test(IP_TUNNEL_KEY_BIT) {
        n += 4;
    }
    if o_flags.test(IP_TUNNEL_SEQ_BIT) {
        n += 4;
    }
    n
}

/// `erspan_hdr_len()`: 0 for version 0, else the base header plus the
/// version 1 (4) or, for any other version, version 2 (8) metadata.
pub const fn erspan_hdr_len(version: u8) -> usize {
    match version {
        0 => 0,
        1 => ERSPAN_BASE_LEN + ERSPAN_V1_MDSIZE,
        _ => ERSPAN_BASE_LEN + ERSPAN_V2_MDSIZE,
    }
}

/// The result of [`build`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Built {
    /// Bytes written (`gre_calc_hlen(flags)`).
    pub len: usize,
    /// The offset of the 16-bit checksum field when CSUM is set: the
    /// caller must fill it over the GRE header and payload (C's
    /// `csum_fold(lco_csum(skb))` or `CHECKSUM_PARTIAL` with
    /// `csum_offset = 4`). Skipped by C for GRE GSO skbs.
    pub csum_offset: Option<usize>,
}

/// `gre_build_header()` with `hdr_len = gre_calc_hlen(flags)`: the wire
/// flags (`gre_tnl_flags_to_gre_flags`), the protocol, then from the end
/// the sequence, the key and the (zeroed) checksum word, each only when
/// its flag is set. `proto`, `key` and `seq` are raw network order.
/// `None` when `out` is too short.
pub fn build(flags: TunFlags, proto: Be16, key: Be32, seq: Be32, out: &mut [u8]) -> Option<Built> {
    let len = gre_calc_hlen(flags);
    let hdr = out.get_mut(..len)?;
    hdr.fill(0);
    let wire = gre_tnl_flags_to_gre_flags(flags).to_be_bytes();
    let mut ptr = len;
    let mut put = |p: &mut usize, w: [u8; 4]| {
        *p = p.saturating_sub(4);
        if let Some(d) = hdr.get_mut(*p..*p + 4) {
            d.copy_from_slice(&w);
        }
    };
    if flags.test(IP_TUNNEL_SEQ_BIT) {
        put(&mut ptr, seq.to_ne_bytes());
    }
    if flags.test(IP_TUNNEL_KEY_BIT) {
        put(&mut ptr, key.to_ne_bytes());
    }
    let mut csum_offset = None;
    if flags.test(IP_TUNNEL_CSUM_BIT) {
        put(&mut ptr, [0; 4]);
        csum_offset = Some(ptr);
    }
    if let Some(d) = hdr.get_mut(..4) {
        d.copy_from_slice(&[wire[0], wire[1], 0, 0]);
        if let Some(p) = d.get_mut(2..4) {
            p.copy_from_slice(&proto.to_ne_bytes());
        }
    }
    Some(Built { len, csum_offset })
}

/// C's `struct tnl_ptk_info` plus what the caller needs of the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GreInfo {
    /// `tpi->flags` (`gre_flags_to_tnl_flags` of the wire flags).
    pub flags: TunFlags,
    /// `tpi->proto` (raw; WCCP is replaced by the `proto` argument).
    pub proto: Be16,
    /// `tpi->key` (raw; 0 without KEY; for ERSPAN the session id).
    pub key: Be32,
    /// `tpi->seq` (raw; 0 without SEQ).
    pub seq: Be32,
    /// `tpi->hdr_len` (the return value).
    pub hdr_len: usize,
    /// The header has `GRE_CSUM`: the caller must validate the checksum.
    pub csum_present: bool,
}

/// Why [`parse`] failed; every case is C's `-EINVAL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GreParseErr {
    /// Shorter than the base header, the options, the WCCP byte or the
    /// ERSPAN base header (`pskb_may_pull` / `skb_header_pointer` fail).
    Short,
    /// `GRE_VERSION` or `GRE_ROUTING` set.
    VersionOrRouting,
}

/// `gre_parse_header()` on the bytes from the GRE header on (`nhs = 0`),
/// with `proto` the protocol to use for WCCP (C passes
/// `htons(ETH_P_IP)`). WCCP (wire flags 0, protocol `ETH_P_WCCP`) adds 4
/// to the header length unless the next byte starts an IPv4 header
/// (WCCPv2's redirect header). ERSPAN (type II with options, or type
/// III) takes the key from the ERSPAN session id.
pub fn parse(b: &[u8], proto: Be16) -> Result<GreInfo, GreParseErr> {
    let (f0, f1, p0, p1) = match b {
        [f0, f1, p0, p1, ..] => (*f0, *f1, *p0, *p1),
        _ => return Err(GreParseErr::Short),
    };
    let wire = u16::from_be_bytes([f0, f1]);
    if wire & (GRE_VERSION | GRE_ROUTING) != 0 {
        return Err(GreParseErr::VersionOrRouting);
    }
    let flags = gre_flags_to_tnl_flags(wire);
    let mut hdr_len = gre_calc_hlen(flags);
    if b.len() < hdr_len {
        return Err(GreParseErr::Short);
    }
    let greh_proto = u16::from_ne_bytes([p0, p1]);
    let word = |off: usize| -> Be32 {
        let mut w = [0u8; 4];
        if let Some(s) = b.get(off..off + 4) {
            w.copy_from_slice(s);
        }
        u32::from_ne_bytes(w)
    };
    let mut off = GRE_BASE_LEN;
    let csum_present = wire & GRE_CSUM != 0;
    if csum_present {
        off += 4;
    }
    let mut key = 0;
    if wire & GRE_KEY != 0 {
        key = word(off);
        off += 4;
    }
    let mut seq = 0;
    if wire & GRE_SEQ != 0 {
        seq = word(off);
    }
    let mut tproto = greh_proto;
    if wire == 0 && greh_proto == htons(ETH_P_WCCP) {
        let v = *b.get(hdr_len).ok_or(GreParseErr::Short)?;
        tproto = proto;
        if v & 0xF0 != 0x40 {
            hdr_len += 4;
        }
    }
    if (greh_proto == htons(ETH_P_ERSPAN) && hdr_len != 4) || greh_proto == htons(ETH_P_ERSPAN2) {
        let e = b
            .get(hdr_len..hdr_len + ERSPAN_BASE_LEN)
            .ok_or(GreParseErr::Short)?;
        let (e2, e3) = match e {
            [_, _, e2, e3] => (*e2, *e3),
            _ => return Err(GreParseErr::Short),
        };
        let session = (((e2 & 0x3) as u32) << 8) | e3 as u32;
        key = session.to_be();
    }
    Ok(GreInfo {
        flags,
        proto: tproto,
        key,
        seq,
        hdr_len,
        csum_present,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_header() {
        let mut out = [0u8; 16];
        let f = TunFlags::CSUM.union(TunFlags::KEY).union(TunFlags::SEQ);
        let b = build(f, htons(ETH_P_IP), 0x0403_0201, 0x0807_0605, &mut out).unwrap();
        assert_eq!(
            b,
            Built {
                len: 16,
                csum_offset: Some(4)
            }
        );
        assert_eq!(out, [0xb0, 0, 8, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
        let p = parse(&out, htons(ETH_P_IP)).unwrap();
        assert_eq!(
            (p.flags, p.key, p.seq, p.hdr_len, p.csum_present),
            (f, 0x0403_0201, 0x0807_0605, 16, true)
        );
        assert_eq!(
            parse(&[0x00, 0x01, 8, 0], 0),
            Err(GreParseErr::VersionOrRouting)
        );
        assert_eq!(parse(&[0x20, 0x00, 8, 0], 0), Err(GreParseErr::Short));
        assert_eq!(erspan_hdr_len(1), 8);
        assert_eq!(erspan_hdr_len(2), 12);
    }

    #[test]
    fn wccp_and_erspan() {
        let ip = htons(ETH_P_IP);
        // WCCPv1: next byte is an IPv4 header.
        let p = parse(&[0, 0, 0x88, 0x3e, 0x45], ip).unwrap();
        assert_eq!((p.proto, p.hdr_len), (ip, 4));
        // WCCPv2: a 4-byte redirect header first.
        let p = parse(&[0, 0, 0x88, 0x3e, 0x00], ip).unwrap();
        assert_eq!(p.hdr_len, 8);
        assert_eq!(parse(&[0, 0, 0x88, 0x3e], ip), Err(GreParseErr::Short));
        // ERSPAN type II with a sequence number: session 0x2ab.
        let p = parse(
            &[0x10, 0, 0x88, 0xbe, 0, 0, 0, 1, 0x10, 0x00, 0x02, 0xab],
            ip,
        )
        .unwrap();
        assert_eq!(p.key, 0x2abu32.to_be());
        assert_eq!(p.hdr_len, 8);
    }
}
