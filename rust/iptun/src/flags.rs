// SPDX-License-Identifier: GPL-2.0

//! Tunnel flags: the `IP_TUNNEL_*_BIT` bitmap of Linux 6.12
//! (include/uapi/linux/if_tunnel.h) and its conversions to and from the
//! GRE wire flags (`gre_flags_to_tnl_flags`, `gre_tnl_flags_to_gre_flags`,
//! include/net/gre.h) and the old `__be16` uapi form
//! (`ip_tunnel_flags_from_be16`, `ip_tunnel_flags_to_be16`,
//! `ip_tunnel_flags_is_be16_compat`, include/net/ip_tunnels.h).
//!
//! In 6.12 there are 18 bits (`__IP_TUNNEL_FLAG_NUM`), so a `u32` holds
//! them. `IP_TUNNEL_SIT_ISATAP_BIT` is the same bit as
//! `IP_TUNNEL_VTI_BIT` (16).

use super::addr::{htons, ntohs, Be16};

/// A set of `IP_TUNNEL_*_BIT` flags (C's `IP_TUNNEL_DECLARE_FLAGS`
/// bitmap); bit `n` of the `u32` is C's bit `n`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TunFlags(pub u32);

/// `IP_TUNNEL_CSUM_BIT`.
pub const IP_TUNNEL_CSUM_BIT: u32 = 0;
/// `IP_TUNNEL_ROUTING_BIT`.
pub const IP_TUNNEL_ROUTING_BIT: u32 = 1;
/// `IP_TUNNEL_KEY_BIT`.
pub const IP_TUNNEL_KEY_BIT: u32 = 2;
/// `IP_TUNNEL_SEQ_BIT`.
pub const IP_TUNNEL_SEQ_BIT: u32 = 3;
/// `IP_TUNNEL_STRICT_BIT`.
pub const IP_TUNNEL_STRICT_BIT: u32 = 4;
/// `IP_TUNNEL_REC_BIT`.
pub const IP_TUNNEL_REC_BIT: u32 = 5;
/// `IP_TUNNEL_VERSION_BIT`.
pub const IP_TUNNEL_VERSION_BIT: u32 = 6;
/// `IP_TUNNEL_NO_KEY_BIT`.
pub const IP_TUNNEL_NO_KEY_BIT: u32 = 7;
/// `IP_TUNNEL_DONT_FRAGMENT_BIT`.
pub const IP_TUNNEL_DONT_FRAGMENT_BIT: u32 = 8;
/// `IP_TUNNEL_OAM_BIT`.
pub const IP_TUNNEL_OAM_BIT: u32 = 9;
/// `IP_TUNNEL_CRIT_OPT_BIT`.
pub const IP_TUNNEL_CRIT_OPT_BIT: u32 = 10;
/// `IP_TUNNEL_GENEVE_OPT_BIT` (an options-present bit).
pub const IP_TUNNEL_GENEVE_OPT_BIT: u32 = 11;
/// `IP_TUNNEL_VXLAN_OPT_BIT` (an options-present bit).
pub const IP_TUNNEL_VXLAN_OPT_BIT: u32 = 12;
/// `IP_TUNNEL_NOCACHE_BIT`.
pub const IP_TUNNEL_NOCACHE_BIT: u32 = 13;
/// `IP_TUNNEL_ERSPAN_OPT_BIT` (an options-present bit).
pub const IP_TUNNEL_ERSPAN_OPT_BIT: u32 = 14;
/// `IP_TUNNEL_GTP_OPT_BIT` (an options-present bit).
pub const IP_TUNNEL_GTP_OPT_BIT: u32 = 15;
/// `IP_TUNNEL_VTI_BIT`.
pub const IP_TUNNEL_VTI_BIT: u32 = 16;
/// `IP_TUNNEL_SIT_ISATAP_BIT`: the same bit as [`IP_TUNNEL_VTI_BIT`].
pub const IP_TUNNEL_SIT_ISATAP_BIT: u32 = IP_TUNNEL_VTI_BIT;
/// `IP_TUNNEL_PFCP_OPT_BIT` (an options-present bit; not in the old uapi).
pub const IP_TUNNEL_PFCP_OPT_BIT: u32 = 17;
/// `__IP_TUNNEL_FLAG_NUM`: the number of flag bits in 6.12.
pub const IP_TUNNEL_FLAG_NUM: u32 = 18;

/// `GRE_CSUM` in host order (the wire `__be16` is `htons` of this).
pub const GRE_CSUM: u16 = 0x8000;
/// `GRE_ROUTING` in host order.
pub const GRE_ROUTING: u16 = 0x4000;
/// `GRE_KEY` in host order.
pub const GRE_KEY: u16 = 0x2000;
/// `GRE_SEQ` in host order.
pub const GRE_SEQ: u16 = 0x1000;
/// `GRE_STRICT` in host order.
pub const GRE_STRICT: u16 = 0x0800;
/// `GRE_REC` in host order (a 3-bit field; any bit maps to the REC flag).
pub const GRE_REC: u16 = 0x0700;
/// `GRE_ACK` in host order.
pub const GRE_ACK: u16 = 0x0080;
/// `GRE_FLAGS` in host order (the unused flag bits).
pub const GRE_FLAGS: u16 = 0x0078;
/// `GRE_VERSION` in host order (a 3-bit field).
pub const GRE_VERSION: u16 = 0x0007;

/// `VTI_ISVTI`: the raw `__be16` value `0x0001` (C uses `__force`, so it
/// is the in-memory value, not `htons(1)`).
pub const VTI_ISVTI_RAW: Be16 = 0x0001;
/// `SIT_ISATAP` as carried in the old uapi `i_flags`; like `VTI_ISVTI` it
/// is tested against the raw `__be16` value.
pub const SIT_ISATAP_RAW: Be16 = 0x0001;

impl TunFlags {
    /// No flags.
    pub const EMPTY: TunFlags = TunFlags(0);
    /// `IP_TUNNEL_CSUM_BIT` alone.
    pub const CSUM: TunFlags = TunFlags::bit(IP_TUNNEL_CSUM_BIT);
    /// `IP_TUNNEL_ROUTING_BIT` alone.
    pub const ROUTING: TunFlags = TunFlags::bit(IP_TUNNEL_ROUTING_BIT);
    /// `IP_TUNNEL_KEY_BIT` alone.
    pub const KEY: TunFlags = TunFlags::bit(IP_TUNNEL_KEY_BIT);
    /// `IP_TUNNEL_SEQ_BIT` alone.
    pub const SEQ: TunFlags = TunFlags::bit(IP_TUNNEL_SEQ_BIT);
    /// `IP_TUNNEL_STRICT_BIT` alone.
    pub const STRICT: TunFlags = TunFlags::bit(IP_TUNNEL_STRICT_BIT);
    /// `IP_TUNNEL_REC_BIT` alone.
    pub const REC: TunFlags = TunFlags::bit(IP_TUNNEL_REC_BIT);
    /// `IP_TUNNEL_VERSION_BIT` alone.
    pub const VERSION: TunFlags = TunFlags::bit(IP_TUNNEL_VERSION_BIT);
    /// `IP_TUNNEL_NO_KEY_BIT` alone.
    pub const NO_KEY: TunFlags = TunFlags::bit(IP_TUNNEL_NO_KEY_BIT);
    /// `IP_TUNNEL_DONT_FRAGMENT_BIT` alone.
    pub const DONT_FRAGMENT: TunFlags = TunFlags::bit(IP_TUNNEL_DONT_FRAGMENT_BIT);
    /// `IP_TUNNEL_OAM_BIT` alone.
    pub const OAM: TunFlags = TunFlags::bit(IP_TUNNEL_OAM_BIT);
    /// `IP_TUNNEL_CRIT_OPT_BIT` alone.
    pub const CRIT_OPT: TunFlags = TunFlags::bit(IP_TUNNEL_CRIT_OPT_BIT);
    /// `IP_TUNNEL_GENEVE_OPT_BIT` alone.
    pub const GENEVE_OPT: TunFlags = TunFlags::bit(IP_TUNNEL_GENEVE_OPT_BIT);
    /// `IP_TUNNEL_VXLAN_OPT_BIT` alone.
    pub const VXLAN_OPT: TunFlags = TunFlags::bit(IP_TUNNEL_VXLAN_OPT_BIT);
    /// `IP_TUNNEL_NOCACHE_BIT` alone.
    pub const NOCACHE: TunFlags = TunFlags::bit(IP_TUNNEL_NOCACHE_BIT);
    /// `IP_TUNNEL_ERSPAN_OPT_BIT` alone.
    pub const ERSPAN_OPT: TunFlags = TunFlags::bit(IP_TUNNEL_ERSPAN_OPT_BIT);
    /// `IP_TUNNEL_GTP_OPT_BIT` alone.
    pub const GTP_OPT: TunFlags = TunFlags::bit(IP_TUNNEL_GTP_OPT_BIT);
    /// `IP_TUNNEL_VTI_BIT` alone.
    pub const VTI: TunFlags = TunFlags::bit(IP_TUNNEL_VTI_BIT);
    /// `IP_TUNNEL_SIT_ISATAP_BIT` alone (same as [`TunFlags::VTI`]).
    pub const SIT_ISATAP: TunFlags = TunFlags::bit(IP_TUNNEL_SIT_ISATAP_BIT);
    /// `IP_TUNNEL_PFCP_OPT_BIT` alone.
    pub const PFCP_OPT: TunFlags = TunFlags::bit(IP_TUNNEL_PFCP_OPT_BIT);
    /// The options-present bits (`ip_tunnel_is_options_present`): GENEVE,
    /// VXLAN, ERSPAN, GTP and PFCP.
    pub const OPTIONS_PRESENT: TunFlags = TunFlags(
        TunFlags::GENEVE_OPT.0
            | TunFlags::VXLAN_OPT.0
            | TunFlags::ERSPAN_OPT.0
            | TunFlags::GTP_OPT.0
            | TunFlags::PFCP_OPT.0,
    );
    /// Every defined bit (`__IP_TUNNEL_FLAG_NUM` bits).
    pub const ALL: TunFlags = TunFlags((1 << IP_TUNNEL_FLAG_NUM) - 1);

    /// The set holding only bit `n` (empty when `n >= 32`).
    pub const fn bit(n: u32) -> TunFlags {
        match 1u32.checked_shl(n) {
            Some(v) => TunFlags(v),
            None => TunFlags(0),
        }
    }

    /// `test_bit(n, flags)`.
    pub const fn test(self, n: u32) -> bool {
        (self.0 & TunFlags::bit(n).0) != 0
    }

    /// `__assign_bit(n, flags, on)`.
    pub fn assign(&mut self, n: u32, on: bool) {
        if on {
            self.0 |= TunFlags::bit(n).0;
        } else {
            self.0 &= !TunFlags::bit(n).0;
        }
    }

    /// Every flag of `other` is set in `self`.
    pub const fn contains(self, other: TunFlags) -> bool {
        (self.0 & other.0) == other.0
    }

    /// `ip_tunnel_flags_intersect()`.
    pub const fn intersects(self, other: TunFlags) -> bool {
        (self.0 & other.0) != 0
    }

    /// `ip_tunnel_flags_empty()`.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// `ip_tunnel_flags_or()`.
    pub const fn union(self, other: TunFlags) -> TunFlags {
        TunFlags(self.0 | other.0)
    }

    /// `ip_tunnel_flags_and()`.
    pub const fn and(self, other: TunFlags) -> TunFlags {
        TunFlags(self.0 & other.0)
    }

    /// `bitmap_andnot()`: `self` without the flags of `other`.
    pub const fn without(self, other: TunFlags) -> TunFlags {
        TunFlags(self.0 & !other.0)
    }

    /// `ip_tunnel_is_options_present()`.
    pub const fn options_present(self) -> bool {
        self.intersects(TunFlags::OPTIONS_PRESENT)
    }

    /// `ip_tunnel_flags_is_be16_compat()`: only bits 0..15 and the VTI bit.
    pub const fn is_be16_compat(self) -> bool {
        (self.0 & !(0xffff | TunFlags::VTI.0)) == 0
    }
}

/// `ip_tunnel_flags_from_be16()`: the bitmap gets `be16_to_cpu(flags)` in
/// bits 0..15, and the VTI bit when the raw value has `VTI_ISVTI` (raw
/// `0x0001`; on little-endian that is also host bit 8). `raw` is the
/// in-memory `__be16`. This is what the ioctl path
/// (`ip_tunnel_parm_from_user`) and `IFLA_IPTUN_FLAGS` use.
pub const fn ip_tunnel_flags_from_be16(raw: Be16) -> TunFlags {
    let mut v = ntohs(raw) as u32;
    if raw & VTI_ISVTI_RAW != 0 {
        v |= TunFlags::VTI.0;
    }
    TunFlags(v)
}

/// `ip_tunnel_flags_to_be16()`: `cpu_to_be16(bits 0..15)`, or-ed with the
/// raw `VTI_ISVTI` when the VTI bit is set. Bits above 16 are dropped
/// (callers check [`TunFlags::is_be16_compat`] first).
pub const fn ip_tunnel_flags_to_be16(flags: TunFlags) -> Be16 {
    let mut raw = htons((flags.0 & 0xffff) as u16);
    if flags.test(IP_TUNNEL_VTI_BIT) {
        raw |= VTI_ISVTI_RAW;
    }
    raw
}

/// `gre_flags_to_tnl_flags()` taking the GRE flags in host order
/// (`GRE_CSUM` is `0x8000`); ACK and the unused bits are dropped, any REC
/// or VERSION bit sets the REC / VERSION flag.
pub const fn gre_flags_to_tnl_flags(gre: u16) -> TunFlags {
    let mut v = 0u32;
    if gre & GRE_CSUM != 0 {
        v |= TunFlags::CSUM.0;
    }
    if gre & GRE_ROUTING != 0 {
        v |= TunFlags::ROUTING.0;
    }
    if gre & GRE_KEY != 0 {
        v |= TunFlags::KEY.0;
    }
    if gre & GRE_SEQ != 0 {
        v |= TunFlags::SEQ.0;
    }
    if gre & GRE_STRICT != 0 {
        v |= TunFlags::STRICT.0;
    }
    if gre & GRE_REC != 0 {
        v |= TunFlags::REC.0;
    }
    if gre & GRE_VERSION != 0 {
        v |= TunFlags::VERSION.0;
    }
    TunFlags(v)
}

/// `gre_flags_to_tnl_flags()` taking the raw wire `__be16` (as read from
/// a GRE header or an `IFLA_GRE_IFLAGS` attribute).
pub const fn gre_flags_to_tnl_flags_be16(raw: Be16) -> TunFlags {
    gre_flags_to_tnl_flags(ntohs(raw))
}

/// `gre_tnl_flags_to_gre_flags()` returning host order: REC maps to the
/// whole `GRE_REC` field (`0x0700`) and VERSION to `GRE_VERSION`
/// (`0x0007`), as in C.
pub const fn gre_tnl_flags_to_gre_flags(flags: TunFlags) -> u16 {
    let mut g = 0u16;
    if flags.test(IP_TUNNEL_CSUM_BIT) {
        g |= GRE_CSUM;
    }
    if flags.test(IP_TUNNEL_ROUTING_BIT) {
        g |= GRE_ROUTING;
    }
    if flags.test(IP_TUNNEL_KEY_BIT) {
        g |= GRE_KEY;
    }
    if flags.test(IP_TUNNEL_SEQ_BIT) {
        g |= GRE_SEQ;
    }
    if flags.test(IP_TUNNEL_STRICT_BIT) {
        g |= GRE_STRICT;
    }
    if flags.test(IP_TUNNEL_REC_BIT) {
        g |= GRE_REC;
    }
    if flags.test(IP_TUNNEL_VERSION_BIT) {
        g |= GRE_VERSION;
    }
    g
}

/// `gre_tnl_flags_to_gre_flags()` returning the raw wire `__be16`.
pub const fn gre_tnl_flags_to_gre_flags_be16(flags: TunFlags) -> Be16 {
    htons(gre_tnl_flags_to_gre_flags(flags))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_numbers() {
        assert_eq!(TunFlags::SIT_ISATAP, TunFlags::VTI);
        assert_eq!(TunFlags::PFCP_OPT.0, 1 << 17);
        assert_eq!(TunFlags::ALL.0, 0x3ffff);
        assert_eq!(TunFlags::bit(40), TunFlags::EMPTY);
    }

    #[test]
    fn be16_conversions() {
        // TUNNEL_KEY was __cpu_to_be16(0x04): the raw value on LE is 0x0400.
        assert_eq!(ip_tunnel_flags_from_be16(htons(0x04)), TunFlags::KEY);
        assert_eq!(ip_tunnel_flags_to_be16(TunFlags::KEY), htons(0x04));
        // raw 0x0001 sets VTI; on LE it is also host bit 8.
        let f = ip_tunnel_flags_from_be16(VTI_ISVTI_RAW);
        assert!(f.test(IP_TUNNEL_VTI_BIT));
        assert_eq!(
            f.test(IP_TUNNEL_DONT_FRAGMENT_BIT),
            cfg!(target_endian = "little")
        );
        assert_eq!(ip_tunnel_flags_to_be16(f), VTI_ISVTI_RAW);
        assert!(!TunFlags::PFCP_OPT.is_be16_compat());
        assert!(TunFlags::VTI.union(TunFlags::GTP_OPT).is_be16_compat());
    }

    #[test]
    fn gre_conversions() {
        assert_eq!(
            gre_flags_to_tnl_flags(GRE_CSUM | GRE_KEY),
            TunFlags::CSUM.union(TunFlags::KEY)
        );
        assert_eq!(gre_flags_to_tnl_flags(0x0100), TunFlags::REC);
        assert_eq!(gre_flags_to_tnl_flags(GRE_ACK | GRE_FLAGS), TunFlags::EMPTY);
        assert_eq!(gre_tnl_flags_to_gre_flags(TunFlags::REC), GRE_REC);
        assert_eq!(
            gre_tnl_flags_to_gre_flags_be16(TunFlags::CSUM),
            htons(0x8000)
        );
        assert_eq!(gre_flags_to_tnl_flags_be16(htons(GRE_SEQ)), TunFlags::SEQ);
    }
}
