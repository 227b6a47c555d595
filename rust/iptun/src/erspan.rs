// SPDX-License-Identifier: GPL-2.0

//! ERSPAN's configuration rules (C's `erspan_validate`,
//! `erspan_netlink_parms`, `erspan_fill_info`'s view of the output flags)
//! and the field masks of include/net/erspan.h. The headers themselves
//! are built by the kernel's own inlines (`erspan_build_header*`): they
//! read the mirrored frame.

use super::addr::{htons, ntohl, Be16, Be32};
use super::err::TunErr;
use super::flags::{GRE_KEY, GRE_SEQ};

/// `ID_MASK`: the 10-bit session id carried in the GRE key.
pub const ID_MASK: u32 = 0x03ff;
/// `INDEX_MASK`: version 1's 20-bit port index.
pub const INDEX_MASK: u32 = 0xfffff;
/// `DIR_MASK` / `DIR_OFFSET`: version 2's direction bit.
pub const DIR_MASK: u16 = 0x0008;
/// `DIR_OFFSET`.
pub const DIR_OFFSET: u16 = 3;
/// `HWID_MASK` / `HWID_OFFSET`: version 2's 6-bit hardware id.
pub const HWID_MASK: u16 = 0x03f0;
/// `HWID_OFFSET`.
pub const HWID_OFFSET: u16 = 4;

/// The `IFLA_GRE_ERSPAN_*` attributes, each `None` when absent, with
/// the GRE attributes `erspan_validate` also reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NlErspan {
    /// `IFLA_GRE_ERSPAN_VER`.
    pub ver: Option<u8>,
    /// `IFLA_GRE_ERSPAN_INDEX`.
    pub index: Option<u32>,
    /// `IFLA_GRE_ERSPAN_DIR`.
    pub dir: Option<u8>,
    /// `IFLA_GRE_ERSPAN_HWID`.
    pub hwid: Option<u16>,
    /// `IFLA_GRE_IFLAGS` (raw `__be16`).
    pub iflags: Option<Be16>,
    /// `IFLA_GRE_OFLAGS` (raw `__be16`).
    pub oflags: Option<Be16>,
    /// `IFLA_GRE_IKEY` (raw `__be32`).
    pub ikey: Option<Be32>,
    /// `IFLA_GRE_OKEY` (raw `__be32`).
    pub okey: Option<Be32>,
    /// `IFLA_GRE_COLLECT_METADATA` is present.
    pub collect_metadata: bool,
}

/// An erspan tunnel's own settings (`t->erspan_ver`, `index`, `dir`,
/// `hwid`): all 0 for the other GRE kinds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ErspanParms {
    /// 0 (type I), 1 (type II) or 2 (type III).
    pub ver: u8,
    /// Version 1's port index.
    pub index: u32,
    /// Version 2's direction (0 ingress, 1 egress).
    pub dir: u8,
    /// Version 2's hardware id.
    pub hwid: u16,
}

impl ErspanParms {
    /// `erspan_setup`: a new erspan device is version 1.
    pub const SETUP: ErspanParms = ErspanParms {
        ver: 1,
        index: 0,
        dir: 0,
        hwid: 0,
    };

    /// `erspan_tunnel_init`'s GRE header: 4 bytes for type I, else 8
    /// (the sequence number; the key is not sent).
    pub const fn tun_hlen(&self) -> u32 {
        if self.ver == 0 {
            4
        } else {
            8
        }
    }
}

/// `erspan_validate` after `ipgre_tap_validate`: version 0 takes any
/// flags; otherwise, outside external mode, the GRE flags must be exactly
/// key and sequence, and a key is a 10-bit session id (`EINVAL`).
pub fn erspan_validate(nl: &NlErspan) -> Result<(), TunErr> {
    if nl.ver == Some(0) {
        return Ok(());
    }
    let flags = nl.oflags.unwrap_or(0) | nl.iflags.unwrap_or(0);
    if !nl.collect_metadata && flags != htons(GRE_SEQ | GRE_KEY) {
        return Err(TunErr::Inval);
    }
    for key in [nl.ikey, nl.okey].into_iter().flatten() {
        if ntohl(key) & !ID_MASK != 0 {
            return Err(TunErr::Inval);
        }
    }
    Ok(())
}

/// `erspan_netlink_parms` after `ipgre_netlink_parms`: the version (at
/// most 2), then the index for version 1 (20 bits) or direction (1 bit)
/// and hardware id (6 bits) for version 2, each `EINVAL` out of range;
/// absent attributes keep `cur`'s values.
pub fn erspan_netlink_parms(nl: &NlErspan, cur: ErspanParms) -> Result<ErspanParms, TunErr> {
    let mut p = cur;
    if let Some(v) = nl.ver {
        if v > 2 {
            return Err(TunErr::Inval);
        }
        p.ver = v;
    }
    match p.ver {
        1 => {
            if let Some(i) = nl.index {
                if i & !INDEX_MASK != 0 {
                    return Err(TunErr::Inval);
                }
                p.index = i;
            }
        }
        2 => {
            if let Some(d) = nl.dir {
                if u16::from(d) & !(DIR_MASK >> DIR_OFFSET) != 0 {
                    return Err(TunErr::Inval);
                }
                p.dir = d;
            }
            if let Some(h) = nl.hwid {
                if h & !(HWID_MASK >> HWID_OFFSET) != 0 {
                    return Err(TunErr::Inval);
                }
                p.hwid = h;
            }
        }
        _ => {}
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyed_seq() -> NlErspan {
        NlErspan {
            oflags: Some(htons(GRE_SEQ | GRE_KEY)),
            ..NlErspan::default()
        }
    }

    #[test]
    fn validate_flags_and_session_id() {
        assert_eq!(erspan_validate(&NlErspan::default()), Err(TunErr::Inval));
        let v0 = NlErspan {
            ver: Some(0),
            ..NlErspan::default()
        };
        assert_eq!(erspan_validate(&v0), Ok(()));
        assert_eq!(erspan_validate(&keyed_seq()), Ok(()));
        let md = NlErspan {
            collect_metadata: true,
            ..NlErspan::default()
        };
        assert_eq!(erspan_validate(&md), Ok(()));
        let mut k = keyed_seq();
        k.okey = Some(u32::from_ne_bytes(1023u32.to_be_bytes()));
        assert_eq!(erspan_validate(&k), Ok(()));
        k.ikey = Some(u32::from_ne_bytes(1024u32.to_be_bytes()));
        assert_eq!(erspan_validate(&k), Err(TunErr::Inval));
        let mut c = keyed_seq();
        c.iflags = Some(htons(0x8000));
        assert_eq!(erspan_validate(&c), Err(TunErr::Inval));
    }

    #[test]
    fn parms_by_version() {
        let cur = ErspanParms::SETUP;
        assert_eq!(cur.ver, 1);
        assert_eq!(cur.tun_hlen(), 8);
        assert_eq!(ErspanParms::default().tun_hlen(), 4);
        let nl = NlErspan {
            index: Some(0xfffff),
            dir: Some(1),
            ..NlErspan::default()
        };
        let p = erspan_netlink_parms(&nl, cur).unwrap();
        assert_eq!((p.ver, p.index, p.dir), (1, 0xfffff, 0));
        let bad = NlErspan {
            index: Some(0x100000),
            ..NlErspan::default()
        };
        assert_eq!(erspan_netlink_parms(&bad, cur), Err(TunErr::Inval));
        let v2 = NlErspan {
            ver: Some(2),
            dir: Some(1),
            hwid: Some(63),
            index: Some(0x100000),
            ..NlErspan::default()
        };
        let p = erspan_netlink_parms(&v2, cur).unwrap();
        assert_eq!((p.ver, p.index, p.dir, p.hwid), (2, 0, 1, 63));
        let v2bad = NlErspan {
            ver: Some(2),
            hwid: Some(64),
            ..NlErspan::default()
        };
        assert_eq!(erspan_netlink_parms(&v2bad, cur), Err(TunErr::Inval));
        let v2dir = NlErspan {
            ver: Some(2),
            dir: Some(2),
            ..NlErspan::default()
        };
        assert_eq!(erspan_netlink_parms(&v2dir, cur), Err(TunErr::Inval));
        let v3 = NlErspan {
            ver: Some(3),
            ..NlErspan::default()
        };
        assert_eq!(erspan_netlink_parms(&v3, cur), Err(TunErr::Inval));
    }
}
