// SPDX-License-Identifier: GPL-2.0

//! ERSPAN metadata of an external-mode (`collect_metadata`) erspan
//! tunnel: C's `struct erspan_metadata` (include/uapi/linux/erspan.h) as
//! the tunnel options of a metadata dst, read on transmit
//! (`erspan_fb_xmit`: the version, version 1's index, version 2's
//! direction and hardware id, `get_hwid`) and written on receive
//! (`erspan_rcv`: the version and the metadata bytes of the packet's
//! ERSPAN header, copied as they are on the wire), with the truncation
//! rule of `erspan_fb_xmit` for a mirrored IPv4 or IPv6 packet.
//!
//! The layout: `int version` (host order), then a union of version 1's
//! `__be32 index` and version 2's `struct erspan_md2` (timestamp, SGT,
//! then the 16 bits P, FT, HWID, D, GRA, O in network order), 12 bytes.

use super::erspan::{DIR_MASK, DIR_OFFSET, HWID_MASK, HWID_OFFSET};
use super::gre::{ERSPAN_BASE_LEN, ERSPAN_V1_MDSIZE, ERSPAN_V2_MDSIZE};

/// `sizeof(struct erspan_metadata)`.
pub const ERSPAN_MD_SIZE: usize = 12;

/// The raw options of a metadata dst carrying ERSPAN metadata.
pub type ErspanOpts = [u8; ERSPAN_MD_SIZE];

/// What `erspan_fb_xmit` reads of the metadata.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ErspanMd {
    /// `md->version` (1: type II, 2: type III; others are dropped).
    pub version: i32,
    /// `ntohl(md->u.index)` (the header builder keeps its low 20 bits,
    /// `INDEX_MASK`).
    pub index: u32,
    /// `md->u.md2.dir` (1 bit).
    pub dir: u8,
    /// `get_hwid(&md->u.md2)` (6 bits).
    pub hwid: u16,
}

impl ErspanMd {
    /// Reads the metadata options `opts`.
    pub fn parse(opts: &ErspanOpts) -> Self {
        let version = i32::from_ne_bytes([opts[0], opts[1], opts[2], opts[3]]);
        let index = u32::from_be_bytes([opts[4], opts[5], opts[6], opts[7]]);
        // `struct erspan_md2` after its timestamp and SGT: P, FT, HWID,
        // D, GRA, O, a big-endian 16-bit word.
        let w = u16::from_be_bytes([opts[10], opts[11]]);
        ErspanMd {
            version,
            index,
            dir: ((w & DIR_MASK) >> DIR_OFFSET) as u8,
            hwid: (w & HWID_MASK) >> HWID_OFFSET,
        }
    }

    /// The options `act_tunnel_key`'s `erspan_opts VER:INDEX:DIR:HWID`
    /// makes (`tunnel_key_copy_erspan_opt`: version 1 keeps the index,
    /// version 2 the direction and hardware id).
    pub fn to_opts(&self) -> ErspanOpts {
        let mut o = [0u8; ERSPAN_MD_SIZE];
        o[..4].copy_from_slice(&self.version.to_ne_bytes());
        match self.version {
            1 => o[4..8].copy_from_slice(&self.index.to_be_bytes()),
            _ => {
                let w = ((u16::from(self.dir) << DIR_OFFSET) & DIR_MASK)
                    | ((self.hwid << HWID_OFFSET) & HWID_MASK);
                o[10..12].copy_from_slice(&w.to_be_bytes());
            }
        }
        o
    }

    /// `erspan_fb_xmit`'s version check: the ERSPAN version of the
    /// header to build, `None` (drop) for any but 1 and 2.
    pub fn xmit_version(&self) -> Option<u8> {
        match self.version {
            1 => Some(1),
            2 => Some(2),
            _ => None,
        }
    }
}

/// `erspan_fb_xmit`'s header length: an 8-byte GRE header (sequence
/// number, no key) and the ERSPAN header of `version`.
pub const fn fb_tunnel_hlen(version: u8) -> u32 {
    8 + super::gre::erspan_hdr_len(version) as u32
}

/// Where `erspan_rcv` reads the packet's metadata: past the GRE header
/// (`gre_hdr_len` bytes) and the ERSPAN base header, `md_len` bytes
/// (version 1's 4, any other version's 8, as C's `memcpy`).
pub const fn rx_md_range(gre_hdr_len: u32, ver: u8) -> (usize, usize) {
    let start = gre_hdr_len as usize + ERSPAN_BASE_LEN;
    let len = if ver == 1 {
        ERSPAN_V1_MDSIZE
    } else {
        ERSPAN_V2_MDSIZE
    };
    (start, len)
}

/// `erspan_rcv`'s metadata for a packet of ERSPAN version `ver` whose
/// header metadata bytes are `pkt_md` (at most 8 used; missing bytes
/// read as 0): the version, then the bytes as they are.
pub fn rx_opts(ver: u8, pkt_md: &[u8]) -> ErspanOpts {
    let mut o = [0u8; ERSPAN_MD_SIZE];
    o[..4].copy_from_slice(&i32::from(ver).to_ne_bytes());
    let n = rx_md_range(0, ver).1.min(pkt_md.len());
    o[4..4 + n].copy_from_slice(&pkt_md[..n]);
    o
}

/// `erspan_fb_xmit`'s check of a mirrored IP packet: its own length
/// field (IPv4 `tot_len`, IPv6 `payload_len`, host order) says more than
/// the `len` bytes of the frame hold past `off` (the network header's
/// offset for IPv4, the transport header's for IPv6). C subtracts the
/// `int` offset from the unsigned length: it wraps as C's does.
pub const fn ip_truncated(declared: u16, len: u32, off: i32) -> bool {
    declared as u32 > len.wrapping_sub(off as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_v1_and_v2() {
        // Version 1, index 5 (act_tunnel_key's `erspan_opts 1:5:0:0`).
        let mut o = [0u8; 12];
        o[..4].copy_from_slice(&1i32.to_ne_bytes());
        o[4..8].copy_from_slice(&5u32.to_be_bytes());
        let m = ErspanMd::parse(&o);
        assert_eq!((m.version, m.index, m.xmit_version()), (1, 5, Some(1)));
        // Version 2, egress, hardware id 9: D is bit 3, HWID bits 4-9.
        let mut o = [0u8; 12];
        o[..4].copy_from_slice(&2i32.to_ne_bytes());
        o[10..12].copy_from_slice(&((9u16 << 4) | 8).to_be_bytes());
        let m = ErspanMd::parse(&o);
        assert_eq!((m.version, m.dir, m.hwid), (2, 1, 9));
        // The 2 upper bits of the hardware id sit in the first byte.
        o[10..12].copy_from_slice(&0x0300u16.to_be_bytes());
        assert_eq!(ErspanMd::parse(&o).hwid, 0x30);
        o[..4].copy_from_slice(&3i32.to_ne_bytes());
        assert_eq!(ErspanMd::parse(&o).xmit_version(), None);
    }

    #[test]
    fn rx_copies_by_version() {
        let hdr = [1, 2, 3, 4, 5, 6, 7, 8];
        let o = rx_opts(1, &hdr);
        assert_eq!(&o[4..], &[1, 2, 3, 4, 0, 0, 0, 0]);
        assert_eq!(i32::from_ne_bytes([o[0], o[1], o[2], o[3]]), 1);
        let o = rx_opts(2, &hdr);
        assert_eq!(&o[4..], &hdr);
        // Type I (version 0) copies 8 bytes too, as C's memcpy.
        assert_eq!(&rx_opts(0, &hdr)[4..], &hdr);
        assert_eq!(&rx_opts(2, &hdr[..3])[4..], &[1, 2, 3, 0, 0, 0, 0, 0]);
        assert_eq!(rx_md_range(8, 1), (12, 4));
        assert_eq!(rx_md_range(8, 2), (12, 8));
        assert_eq!(fb_tunnel_hlen(1), 16);
        assert_eq!(fb_tunnel_hlen(2), 20);
    }

    proptest::proptest! {
        #[test]
        fn opts_round_trip(v in 1i32..=2, index: u32, dir in 0u8..2, hwid in 0u16..64) {
            let m = ErspanMd { version: v, index, dir, hwid };
            let back = ErspanMd::parse(&m.to_opts());
            proptest::prop_assert_eq!(back.version, v);
            if v == 1 {
                proptest::prop_assert_eq!(back.index, index);
            } else {
                proptest::prop_assert_eq!((back.dir, back.hwid), (dir, hwid));
            }
        }

        #[test]
        fn any_bytes_parse_in_range(o: [u8; 12], ver: u8, md in proptest::collection::vec(0u8.., 0..16)) {
            let m = ErspanMd::parse(&o);
            proptest::prop_assert!(m.dir <= 1 && m.hwid < 64);
            let r = rx_opts(ver, &md);
            proptest::prop_assert_eq!(i32::from_ne_bytes([r[0], r[1], r[2], r[3]]), i32::from(ver));
        }
    }

    #[test]
    fn truncation() {
        assert!(!ip_truncated(100, 114, 14));
        assert!(ip_truncated(101, 114, 14));
        // An offset past the end wraps: never truncated.
        assert!(!ip_truncated(0xffff, 10, 14));
        // A network header before the data counts the bytes before it.
        assert!(!ip_truncated(20, 10, -10));
    }
}
