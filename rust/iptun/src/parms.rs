// SPDX-License-Identifier: GPL-2.0

//! Tunnel parameters: `struct ip_tunnel_parm_kern` (include/net/ip_tunnels.h)
//! without its name, and how netlink fills them: `ip_tunnel_netlink_parms`
//! (net/ipv4/ip_tunnel_core.c), `ipip_netlink_parms`,
//! `ipip_tunnel_validate` and the checks of `ipip_changelink`
//! (net/ipv4/ipip.c), `ipip6_netlink_parms` / `ipip6_validate`
//! (net/ipv6/sit.c) and `ipgre_netlink_parms` / `ipgre_tunnel_validate`
//! (net/ipv4/ip_gre.c).
//!
//! Where pmtudisc / `ttl` force DF: `ip_tunnel_netlink_parms` sets
//! `frag_off = htons(IP_DF)` when a non-zero `IFLA_IPTUN_TTL` is given
//! *and* when `IFLA_IPTUN_PMTUDISC` is absent or non-zero; a zero
//! pmtudisc never clears DF, so `ttl != 0` wins. The ioctl path does the
//! same in `ip_tunnel_ctl` (and sit's `__ipip6_tunnel_ioctl_validate`):
//! `if (p->iph.ttl) p->iph.frag_off |= htons(IP_DF)`. GRE's netlink path
//! does *not* tie DF to the TTL.

use super::addr::{htons, Be16, Be32};
use super::err::TunErr;
use super::flags::{gre_flags_to_tnl_flags_be16, ip_tunnel_flags_from_be16, TunFlags};
use super::flags::{GRE_ROUTING, GRE_VERSION};

/// `IPPROTO_IPIP`.
pub const IPPROTO_IPIP: u8 = 4;
/// `IPPROTO_IPV6`.
pub const IPPROTO_IPV6: u8 = 41;
/// `IPPROTO_GRE`.
pub const IPPROTO_GRE: u8 = 47;
/// `IPPROTO_MPLS`.
pub const IPPROTO_MPLS: u8 = 137;
/// `IP_DF` in host order.
pub const IP_DF: u16 = 0x4000;
/// `htons(IP_DF)`: the DF bit of a raw `frag_off`.
pub const IP_DF_BE: Be16 = htons(IP_DF);
/// `IFF_BROADCAST`.
pub const IFF_BROADCAST: u32 = 0x2;
/// `IFF_POINTOPOINT`.
pub const IFF_POINTOPOINT: u32 = 0x10;

/// The outer IPv4 header template (C's `struct iphdr` in the parameters).
/// Multi-byte fields are raw network-order values ([`Be16`], [`Be32`]) so
/// the 20 bytes round-trip exactly; `version` and `ihl` are the two
/// nibbles of the first byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct IpHdr {
    /// `version` (high nibble of byte 0; only the low 4 bits are kept).
    pub version: u8,
    /// `ihl` (low nibble of byte 0; only the low 4 bits are kept).
    pub ihl: u8,
    /// `tos`. Bit 0 set means "inherit the inner TOS" (`ip_tunnel_xmit`).
    pub tos: u8,
    /// `tot_len` (raw; unused by tunnels).
    pub tot_len: Be16,
    /// `id` (raw; unused by tunnels).
    pub id: Be16,
    /// `frag_off` (raw). Only `IP_DF` is allowed by the ioctl checks;
    /// test it with [`IpHdr::df`].
    pub frag_off: Be16,
    /// `ttl`; 0 means "inherit the inner TTL / hop limit".
    pub ttl: u8,
    /// `protocol` (e.g. [`IPPROTO_IPIP`], 0 for "any" on ipip).
    pub protocol: u8,
    /// `check` (raw; unused by tunnels).
    pub check: Be16,
    /// `saddr`: the local address, 0 for any.
    pub saddr: Be32,
    /// `daddr`: the remote address, 0 for NBMA.
    pub daddr: Be32,
}

impl IpHdr {
    /// `frag_off & htons(IP_DF)`: path MTU discovery is on.
    pub const fn df(&self) -> bool {
        self.frag_off & IP_DF_BE != 0
    }

    /// Sets or clears DF in `frag_off`, keeping the other bits.
    pub fn set_df(&mut self, on: bool) {
        if on {
            self.frag_off |= IP_DF_BE;
        } else {
            self.frag_off &= !IP_DF_BE;
        }
    }
}

/// C's `struct ip_tunnel_parm_kern` without `name`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TunnelParms {
    /// `link`: the underlying device's ifindex, 0 for none.
    pub link: i32,
    /// `i_flags` (receive side; KEY means `i_key` is matched).
    pub i_flags: TunFlags,
    /// `o_flags` (transmit side).
    pub o_flags: TunFlags,
    /// `i_key` (raw network order).
    pub i_key: Be32,
    /// `o_key` (raw network order).
    pub o_key: Be32,
    /// `iph`: the outer header template.
    pub iph: IpHdr,
}

/// The `IFLA_IPTUN_*` attributes `ip_tunnel_netlink_parms` reads, each
/// `None` when absent. Addresses are raw [`Be32`] (`nla_get_be32`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NlIptun {
    /// `IFLA_IPTUN_LINK` (u32, stored into the `int` link).
    pub link: Option<u32>,
    /// `IFLA_IPTUN_LOCAL`.
    pub local: Option<Be32>,
    /// `IFLA_IPTUN_REMOTE`.
    pub remote: Option<Be32>,
    /// `IFLA_IPTUN_TTL`.
    pub ttl: Option<u8>,
    /// `IFLA_IPTUN_TOS`.
    pub tos: Option<u8>,
    /// `IFLA_IPTUN_PMTUDISC`.
    pub pmtudisc: Option<u8>,
    /// `IFLA_IPTUN_FLAGS` (raw `__be16`).
    pub flags: Option<Be16>,
    /// `IFLA_IPTUN_PROTO`.
    pub proto: Option<u8>,
    /// `IFLA_IPTUN_COLLECT_METADATA` is present.
    pub collect_metadata: bool,
    /// `IFLA_IPTUN_FWMARK`.
    pub fwmark: Option<u32>,
}

/// `ip_tunnel_netlink_parms()`: applies the attributes present in `nl`
/// to `p`, in C's order (so `ttl != 0` sets DF, and an absent or non-zero
/// pmtudisc sets DF; nothing clears it).
pub fn ip_tunnel_netlink_parms(nl: &NlIptun, p: &mut TunnelParms) {
    if let Some(l) = nl.link {
        p.link = l as i32;
    }
    if let Some(a) = nl.local {
        p.iph.saddr = a;
    }
    if let Some(a) = nl.remote {
        p.iph.daddr = a;
    }
    if let Some(ttl) = nl.ttl {
        p.iph.ttl = ttl;
        if ttl != 0 {
            p.iph.frag_off = IP_DF_BE;
        }
    }
    if let Some(tos) = nl.tos {
        p.iph.tos = tos;
    }
    if !matches!(nl.pmtudisc, Some(0)) {
        p.iph.frag_off = IP_DF_BE;
    }
    if let Some(f) = nl.flags {
        p.i_flags = ip_tunnel_flags_from_be16(f);
    }
    if let Some(proto) = nl.proto {
        p.iph.protocol = proto;
    }
}

/// The result of a driver's `*_netlink_parms`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NlParms {
    /// The parameters built.
    pub parms: TunnelParms,
    /// `collect_md` (`IFLA_IPTUN_COLLECT_METADATA` present).
    pub collect_md: bool,
    /// The fwmark: the attribute's value, else the `fwmark` passed in
    /// (C only writes `*fwmark` when the attribute is present; newlink
    /// passes 0, changelink the tunnel's current fwmark).
    pub fwmark: u32,
}

/// `ipip_netlink_parms()`: zeroed parameters with version 4, ihl 5,
/// protocol `IPPROTO_IPIP`, then [`ip_tunnel_netlink_parms`] when there
/// are attributes (`data` non-NULL). With `data == NULL` DF stays clear;
/// with any attribute set and no pmtudisc, DF is set.
pub fn ipip_netlink_parms(data: Option<&NlIptun>, fwmark: u32) -> NlParms {
    let mut p = TunnelParms::default();
    p.iph.version = 4;
    p.iph.protocol = IPPROTO_IPIP;
    p.iph.ihl = 5;
    let mut out = NlParms {
        parms: p,
        collect_md: false,
        fwmark,
    };
    if let Some(nl) = data {
        ip_tunnel_netlink_parms(nl, &mut out.parms);
        out.collect_md = nl.collect_metadata;
        if let Some(m) = nl.fwmark {
            out.fwmark = m;
        }
    }
    out
}

/// `ipip6_netlink_parms()` (sit): like [`ipip_netlink_parms`] but protocol
/// `IPPROTO_IPV6` and a default TTL of 64 (DF only via the attributes).
/// sit has no collect_md; [`NlParms::collect_md`] is always false.
pub fn ipip6_netlink_parms(data: Option<&NlIptun>, fwmark: u32) -> NlParms {
    let mut p = TunnelParms::default();
    p.iph.version = 4;
    p.iph.protocol = IPPROTO_IPV6;
    p.iph.ihl = 5;
    p.iph.ttl = 64;
    let mut out = NlParms {
        parms: p,
        collect_md: false,
        fwmark,
    };
    if let Some(nl) = data {
        ip_tunnel_netlink_parms(nl, &mut out.parms);
        if let Some(m) = nl.fwmark {
            out.fwmark = m;
        }
    }
    out
}

/// `ipip_tunnel_ioctl_verify_protocol()` and the protocol rule of
/// `ipip_tunnel_validate()`: 0, `IPPROTO_IPIP` or `IPPROTO_MPLS`.
pub const fn ipip_proto_ok(proto: u8) -> bool {
    matches!(proto, 0 | IPPROTO_IPIP | IPPROTO_MPLS)
}

/// `ipip_tunnel_validate()`: `IFLA_IPTUN_PROTO`, when present, must be
/// `IPPROTO_IPIP`, `IPPROTO_MPLS` or 0, else `EINVAL`.
pub fn ipip_validate_proto(proto: Option<u8>) -> Result<(), TunErr> {
    match proto {
        Some(p) if !ipip_proto_ok(p) => Err(TunErr::Inval),
        _ => Ok(()),
    }
}

/// The checks `ipip_changelink()` makes after `ipip_netlink_parms` (the
/// `CAP_NET_ADMIN` check, `EPERM`, is the caller's): collect_md cannot be
/// turned on (`EINVAL`), and a point-to-point device needs a remote and
/// a non-point-to-point one must not get one (`EINVAL`).
pub fn ipip_changelink_check(collect_md: bool, dev_flags: u32, daddr: Be32) -> Result<(), TunErr> {
    if collect_md {
        return Err(TunErr::Inval);
    }
    let p2p = dev_flags & IFF_POINTOPOINT != 0;
    if (p2p && daddr == 0) || (!p2p && daddr != 0) {
        return Err(TunErr::Inval);
    }
    Ok(())
}

/// `ipip6_valid_ip_proto()` (sit): `IPPROTO_IPV6`, `IPPROTO_IPIP`,
/// `IPPROTO_MPLS` or 0.
pub const fn ipip6_valid_ip_proto(proto: u8) -> bool {
    matches!(proto, 0 | IPPROTO_IPV6 | IPPROTO_IPIP | IPPROTO_MPLS)
}

/// `ipip6_validate()` (sit netlink): `EINVAL` when `IFLA_IPTUN_PROTO` is
/// present and not [`ipip6_valid_ip_proto`].
pub fn ipip6_validate_proto(proto: Option<u8>) -> Result<(), TunErr> {
    match proto {
        Some(p) if !ipip6_valid_ip_proto(p) => Err(TunErr::Inval),
        _ => Ok(()),
    }
}

/// The `IFLA_GRE_*` attributes `ipgre_netlink_parms` reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NlGre {
    /// `IFLA_GRE_LINK`.
    pub link: Option<u32>,
    /// `IFLA_GRE_IFLAGS` (raw wire `__be16` GRE flags).
    pub iflags: Option<Be16>,
    /// `IFLA_GRE_OFLAGS` (raw wire `__be16` GRE flags).
    pub oflags: Option<Be16>,
    /// `IFLA_GRE_IKEY`.
    pub ikey: Option<Be32>,
    /// `IFLA_GRE_OKEY`.
    pub okey: Option<Be32>,
    /// `IFLA_GRE_LOCAL`.
    pub local: Option<Be32>,
    /// `IFLA_GRE_REMOTE`.
    pub remote: Option<Be32>,
    /// `IFLA_GRE_TTL`.
    pub ttl: Option<u8>,
    /// `IFLA_GRE_TOS`.
    pub tos: Option<u8>,
    /// `IFLA_GRE_PMTUDISC`.
    pub pmtudisc: Option<u8>,
    /// `IFLA_GRE_COLLECT_METADATA` is present.
    pub collect_metadata: bool,
    /// `IFLA_GRE_IGNORE_DF`.
    pub ignore_df: Option<u8>,
    /// `IFLA_GRE_FWMARK`.
    pub fwmark: Option<u32>,
    /// `IFLA_GRE_ENCAP_TYPE`.
    pub encap_type: Option<u16>,
}

/// `ipgre_tunnel_validate()`: `EINVAL` when the i/o flags have
/// `GRE_VERSION` or `GRE_ROUTING`, or collect_md is asked with an encap
/// type other than `TUNNEL_ENCAP_NONE`.
pub fn ipgre_tunnel_validate(nl: &NlGre) -> Result<(), TunErr> {
    let raw = nl.iflags.unwrap_or(0) | nl.oflags.unwrap_or(0);
    if raw & htons(GRE_VERSION | GRE_ROUTING) != 0 {
        return Err(TunErr::Inval);
    }
    if nl.collect_metadata && nl.encap_type.is_some_and(|t| t != 0) {
        return Err(TunErr::Inval);
    }
    Ok(())
}

/// What `ipgre_netlink_parms` writes besides the parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GreNlParms {
    /// The parameters built.
    pub parms: TunnelParms,
    /// `t->collect_md` after the call (set when the attribute is present,
    /// else unchanged).
    pub collect_md: bool,
    /// `t->ignore_df` after the call.
    pub ignore_df: bool,
    /// The fwmark (the attribute's, else the one passed in).
    pub fwmark: u32,
}

/// `ipgre_netlink_parms()`: zeroed parameters with protocol
/// `IPPROTO_GRE` (version/ihl stay 0: `ip_tunnel_init` sets the device's
/// template), the GRE flags through `gre_flags_to_tnl_flags`, DF when
/// pmtudisc is absent or non-zero (`EINVAL` if `ignore_df` is already on,
/// `cur_ignore_df` is `t->ignore_df`), and `IFLA_GRE_IGNORE_DF` non-zero
/// with DF set is `EINVAL`. The TTL does not force DF here.
pub fn ipgre_netlink_parms(
    data: Option<&NlGre>,
    cur_collect_md: bool,
    cur_ignore_df: bool,
    fwmark: u32,
) -> Result<GreNlParms, TunErr> {
    let mut out = GreNlParms {
        parms: TunnelParms::default(),
        collect_md: cur_collect_md,
        ignore_df: cur_ignore_df,
        fwmark,
    };
    out.parms.iph.protocol = IPPROTO_GRE;
    let nl = match data {
        Some(nl) => nl,
        None => return Ok(out),
    };
    let p = &mut out.parms;
    if let Some(l) = nl.link {
        p.link = l as i32;
    }
    if let Some(f) = nl.iflags {
        p.i_flags = gre_flags_to_tnl_flags_be16(f);
    }
    if let Some(f) = nl.oflags {
        p.o_flags = gre_flags_to_tnl_flags_be16(f);
    }
    if let Some(k) = nl.ikey {
        p.i_key = k;
    }
    if let Some(k) = nl.okey {
        p.o_key = k;
    }
    if let Some(a) = nl.local {
        p.iph.saddr = a;
    }
    if let Some(a) = nl.remote {
        p.iph.daddr = a;
    }
    if let Some(t) = nl.ttl {
        p.iph.ttl = t;
    }
    if let Some(t) = nl.tos {
        p.iph.tos = t;
    }
    if !matches!(nl.pmtudisc, Some(0)) {
        if out.ignore_df {
            return Err(TunErr::Inval);
        }
        p.iph.frag_off = IP_DF_BE;
    }
    if nl.collect_metadata {
        out.collect_md = true;
    }
    if let Some(v) = nl.ignore_df {
        if v != 0 && p.iph.df() {
            return Err(TunErr::Inval);
        }
        out.ignore_df = v != 0;
    }
    if let Some(m) = nl.fwmark {
        out.fwmark = m;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipip_defaults() {
        let d = ipip_netlink_parms(None, 7);
        assert_eq!(d.parms.iph.version, 4);
        assert_eq!(d.parms.iph.ihl, 5);
        assert_eq!(d.parms.iph.protocol, IPPROTO_IPIP);
        assert!(!d.parms.iph.df());
        assert_eq!(d.fwmark, 7);
        let e = ipip_netlink_parms(Some(&NlIptun::default()), 0);
        assert!(e.parms.iph.df());
        let nl = NlIptun {
            ttl: Some(64),
            pmtudisc: Some(0),
            ..NlIptun::default()
        };
        assert!(ipip_netlink_parms(Some(&nl), 0).parms.iph.df());
        let nl = NlIptun {
            pmtudisc: Some(0),
            ..NlIptun::default()
        };
        assert!(!ipip_netlink_parms(Some(&nl), 0).parms.iph.df());
    }

    #[test]
    fn validate() {
        assert_eq!(ipip_validate_proto(None), Ok(()));
        assert_eq!(ipip_validate_proto(Some(IPPROTO_MPLS)), Ok(()));
        assert_eq!(ipip_validate_proto(Some(IPPROTO_IPV6)), Err(TunErr::Inval));
        assert_eq!(ipip6_validate_proto(Some(IPPROTO_IPV6)), Ok(()));
        assert_eq!(ipip6_validate_proto(Some(IPPROTO_GRE)), Err(TunErr::Inval));
        assert_eq!(
            ipip_changelink_check(false, IFF_POINTOPOINT, 0),
            Err(TunErr::Inval)
        );
        assert_eq!(ipip_changelink_check(false, 0, 1), Err(TunErr::Inval));
        assert_eq!(ipip_changelink_check(false, IFF_POINTOPOINT, 1), Ok(()));
        assert_eq!(ipip_changelink_check(true, 0, 0), Err(TunErr::Inval));
    }
}
