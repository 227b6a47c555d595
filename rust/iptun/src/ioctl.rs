// SPDX-License-Identifier: GPL-2.0

//! The `SIOC*TUNNEL` ioctl path: the 52-byte uapi `struct ip_tunnel_parm`
//! (include/uapi/linux/if_tunnel.h) and its conversion to and from
//! [`TunnelParms`] (`ip_tunnel_parm_from_user`, `ip_tunnel_parm_to_user`,
//! net/ipv4/ip_tunnel.c), the pure parts of `ip_tunnel_ctl` (the
//! `SIOCADDTUNNEL`/`SIOCCHGTUNNEL` normalisation and the `SIOCCHGTUNNEL`
//! device-flags check), and the per-driver checks made before it:
//! `ipip_tunnel_ctl` (net/ipv4/ipip.c), `ipgre_tunnel_ctl`
//! (net/ipv4/ip_gre.c) and `__ipip6_tunnel_ioctl_validate` (sit,
//! net/ipv6/sit.c).
//!
//! Flags cross the old uapi as `__be16` through
//! `ip_tunnel_flags_from_be16` / `ip_tunnel_flags_to_be16` for every
//! driver; GRE then reinterprets those 16 bits as wire GRE flags
//! (`GRE_CSUM` ...) in `ipgre_tunnel_ctl`, while ipip clears them and sit
//! keeps them (`SIT_ISATAP` is the VTI bit).

use super::addr::{ipv4_is_multicast, Be32};
use super::err::TunErr;
use super::flags::{
    gre_flags_to_tnl_flags_be16, gre_tnl_flags_to_gre_flags_be16, ip_tunnel_flags_from_be16,
    ip_tunnel_flags_to_be16, TunFlags, GRE_ROUTING, GRE_VERSION, IP_TUNNEL_KEY_BIT,
    IP_TUNNEL_VTI_BIT,
};
use super::parms::{
    ipip6_valid_ip_proto, ipip_proto_ok, IpHdr, TunnelParms, IFF_BROADCAST, IFF_POINTOPOINT,
    IPPROTO_GRE, IP_DF_BE,
};

/// `sizeof(struct ip_tunnel_parm)`.
pub const IP_TUNNEL_PARM_LEN: usize = 52;
/// `IFNAMSIZ`.
pub const IFNAMSIZ: usize = 16;
/// `sizeof(struct iphdr)` without options.
pub const IPHDR_BYTES: usize = 20;
/// `SIOCDEVPRIVATE`.
pub const SIOCDEVPRIVATE: u32 = 0x89F0;
/// `SIOCGETTUNNEL`.
pub const SIOCGETTUNNEL: u32 = SIOCDEVPRIVATE;
/// `SIOCADDTUNNEL`.
pub const SIOCADDTUNNEL: u32 = SIOCDEVPRIVATE + 1;
/// `SIOCDELTUNNEL`.
pub const SIOCDELTUNNEL: u32 = SIOCDEVPRIVATE + 2;
/// `SIOCCHGTUNNEL`.
pub const SIOCCHGTUNNEL: u32 = SIOCDEVPRIVATE + 3;
/// `SIOCGETPRL`.
pub const SIOCGETPRL: u32 = SIOCDEVPRIVATE + 4;
/// `SIOCADDPRL`.
pub const SIOCADDPRL: u32 = SIOCDEVPRIVATE + 5;
/// `SIOCDELPRL`.
pub const SIOCDELPRL: u32 = SIOCDEVPRIVATE + 6;
/// `SIOCCHGPRL`.
pub const SIOCCHGPRL: u32 = SIOCDEVPRIVATE + 7;
/// `SIOCGET6RD`.
pub const SIOCGET6RD: u32 = SIOCDEVPRIVATE + 8;
/// `SIOCADD6RD`.
pub const SIOCADD6RD: u32 = SIOCDEVPRIVATE + 9;
/// `SIOCDEL6RD`.
pub const SIOCDEL6RD: u32 = SIOCDEVPRIVATE + 10;
/// `SIOCCHG6RD`.
pub const SIOCCHG6RD: u32 = SIOCDEVPRIVATE + 11;

fn be32_at(b: &[u8], off: usize) -> Be32 {
    let mut w = [0u8; 4];
    if let Some(s) = b.get(off..off + 4) {
        w.copy_from_slice(s);
    }
    u32::from_ne_bytes(w)
}

fn be16_at(b: &[u8], off: usize) -> u16 {
    let mut w = [0u8; 2];
    if let Some(s) = b.get(off..off + 2) {
        w.copy_from_slice(s);
    }
    u16::from_ne_bytes(w)
}

fn put(out: &mut [u8], off: usize, bytes: &[u8]) {
    if let Some(d) = out.get_mut(off..off + bytes.len()) {
        d.copy_from_slice(bytes);
    }
}

/// Decodes a 20-byte `struct iphdr` (version/ihl nibbles, raw
/// multi-byte fields).
pub fn iphdr_from_bytes(b: &[u8; IPHDR_BYTES]) -> IpHdr {
    IpHdr {
        version: b[0] >> 4,
        ihl: b[0] & 0xf,
        tos: b[1],
        tot_len: be16_at(b, 2),
        id: be16_at(b, 4),
        frag_off: be16_at(b, 6),
        ttl: b[8],
        protocol: b[9],
        check: be16_at(b, 10),
        saddr: be32_at(b, 12),
        daddr: be32_at(b, 16),
    }
}

/// Encodes a `struct iphdr` (only the low nibbles of version/ihl).
pub fn iphdr_to_bytes(h: &IpHdr) -> [u8; IPHDR_BYTES] {
    let mut b = [0u8; IPHDR_BYTES];
    b[0] = ((h.version & 0xf) << 4) | (h.ihl & 0xf);
    b[1] = h.tos;
    put(&mut b, 2, &h.tot_len.to_ne_bytes());
    put(&mut b, 4, &h.id.to_ne_bytes());
    put(&mut b, 6, &h.frag_off.to_ne_bytes());
    b[8] = h.ttl;
    b[9] = h.protocol;
    put(&mut b, 10, &h.check.to_ne_bytes());
    put(&mut b, 12, &h.saddr.to_ne_bytes());
    put(&mut b, 16, &h.daddr.to_ne_bytes());
    b
}

/// `strscpy(dst, src)` into an `IFNAMSIZ` buffer: up to 15 bytes before
/// the first NUL, NUL-terminated. Bytes after the terminator are zeroed
/// here (C leaves the stack copy's tail as it was; it is never read).
pub fn name_strscpy(src: &[u8]) -> [u8; IFNAMSIZ] {
    let mut n = [0u8; IFNAMSIZ];
    for (d, s) in n
        .iter_mut()
        .take(IFNAMSIZ - 1)
        .zip(src.iter().take_while(|&&c| c != 0))
    {
        *d = *s;
    }
    n
}

/// `ip_tunnel_parm_from_user()`: decodes the uapi struct (`None` when
/// `buf` is shorter than 52 bytes, C's failed copy, i.e. `EFAULT`).
/// Returns the name (via [`name_strscpy`]) and the parameters, with the
/// flags through `ip_tunnel_flags_from_be16` and `iph` copied whole.
pub fn parse(buf: &[u8]) -> Option<([u8; IFNAMSIZ], TunnelParms)> {
    let b = buf.get(..IP_TUNNEL_PARM_LEN)?;
    let name = name_strscpy(b.get(..IFNAMSIZ)?);
    let mut ih = [0u8; IPHDR_BYTES];
    ih.copy_from_slice(b.get(32..52)?);
    let p = TunnelParms {
        link: be32_at(b, 16) as i32,
        i_flags: ip_tunnel_flags_from_be16(be16_at(b, 20)),
        o_flags: ip_tunnel_flags_from_be16(be16_at(b, 22)),
        i_key: be32_at(b, 24),
        o_key: be32_at(b, 28),
        iph: iphdr_from_bytes(&ih),
    };
    Some((name, p))
}

/// `ip_tunnel_parm_to_user()`: encodes the uapi struct into `out`
/// (zeroed first, the name through [`name_strscpy`]). `EFAULT` (C
/// returns false and `ip_tunnel_siocdevprivate` `-EFAULT`) when a flag
/// set is not `ip_tunnel_flags_is_be16_compat`; `out` is then untouched.
pub fn write(
    p: &TunnelParms,
    name: &[u8; IFNAMSIZ],
    out: &mut [u8; IP_TUNNEL_PARM_LEN],
) -> Result<(), TunErr> {
    if !p.i_flags.is_be16_compat() || !p.o_flags.is_be16_compat() {
        return Err(TunErr::Fault);
    }
    *out = [0u8; IP_TUNNEL_PARM_LEN];
    put(out, 0, &name_strscpy(name));
    put(out, 16, &p.link.to_ne_bytes());
    put(out, 20, &ip_tunnel_flags_to_be16(p.i_flags).to_ne_bytes());
    put(out, 22, &ip_tunnel_flags_to_be16(p.o_flags).to_ne_bytes());
    put(out, 24, &p.i_key.to_ne_bytes());
    put(out, 28, &p.o_key.to_ne_bytes());
    put(out, 32, &iphdr_to_bytes(&p.iph));
    Ok(())
}

/// The header checks shared by the ipip, GRE and sit ioctls: version 4,
/// ihl 5 and no `frag_off` bit other than `IP_DF`.
pub const fn iph_template_ok(h: &IpHdr) -> bool {
    h.version == 4 && h.ihl == 5 && (h.frag_off & !IP_DF_BE) == 0
}

/// `ip_tunnel_ctl()` for `SIOCADDTUNNEL`/`SIOCCHGTUNNEL`, after the
/// `CAP_NET_ADMIN` check (`EPERM`, the caller's): a non-zero TTL sets
/// DF, and unless the VTI bit is set, keys without their KEY flag are
/// cleared. The caller then runs `ip_tunnel_find` with `itn->type`.
pub fn ip_tunnel_ctl_prepare(p: &mut TunnelParms) {
    if p.iph.ttl != 0 {
        p.iph.frag_off |= IP_DF_BE;
    }
    if !p.i_flags.test(IP_TUNNEL_VTI_BIT) {
        if !p.i_flags.test(IP_TUNNEL_KEY_BIT) {
            p.i_key = 0;
        }
        if !p.o_flags.test(IP_TUNNEL_KEY_BIT) {
            p.o_key = 0;
        }
    }
}

/// The device flags a tunnel with remote `daddr` must have: multicast
/// remote `IFF_BROADCAST`, unicast remote `IFF_POINTOPOINT`, none 0.
pub const fn tunnel_nflags(daddr: Be32) -> u32 {
    if ipv4_is_multicast(daddr) {
        IFF_BROADCAST
    } else if daddr != 0 {
        IFF_POINTOPOINT
    } else {
        0
    }
}

/// `ip_tunnel_ctl()` `SIOCCHGTUNNEL` on a non-fallback device when no
/// other tunnel has the new parameters (and `ip_tunnel_changelink` for
/// non-Ethernet devices): `EINVAL` if the point-to-point/broadcast kind
/// of the device would change.
pub const fn ip_tunnel_chg_flags_check(dev_flags: u32, daddr: Be32) -> Result<(), TunErr> {
    if (dev_flags ^ tunnel_nflags(daddr)) & (IFF_POINTOPOINT | IFF_BROADCAST) != 0 {
        Err(TunErr::Inval)
    } else {
        Ok(())
    }
}

/// `ipip_tunnel_ctl()` before `ip_tunnel_ctl`: for `SIOCADDTUNNEL` and
/// `SIOCCHGTUNNEL` the template must be version 4, ihl 5, protocol 0,
/// IPIP or MPLS and `frag_off` at most DF (`EINVAL`); then, for every
/// command, keys and flags are cleared.
pub fn ipip_ctl_check(p: &mut TunnelParms, cmd: u32) -> Result<(), TunErr> {
    if (cmd == SIOCADDTUNNEL || cmd == SIOCCHGTUNNEL)
        && (!iph_template_ok(&p.iph) || !ipip_proto_ok(p.iph.protocol))
    {
        return Err(TunErr::Inval);
    }
    p.i_key = 0;
    p.o_key = 0;
    p.i_flags = TunFlags::EMPTY;
    p.o_flags = TunFlags::EMPTY;
    Ok(())
}

/// `ipgre_tunnel_ctl()` before `ip_tunnel_ctl`: `EOVERFLOW` if a flag set
/// is not be16-compatible; the 16 bits are the user's wire GRE flags;
/// for `SIOCADDTUNNEL`/`SIOCCHGTUNNEL` the template must be version 4,
/// ihl 5, protocol GRE, `frag_off` at most DF, and neither flag set may
/// have `GRE_VERSION` or `GRE_ROUTING` (`EINVAL`); then both flag sets
/// become tunnel flags through `gre_flags_to_tnl_flags`.
pub fn ipgre_ctl_pre(p: &mut TunnelParms, cmd: u32) -> Result<(), TunErr> {
    if !p.i_flags.is_be16_compat() || !p.o_flags.is_be16_compat() {
        return Err(TunErr::Overflow);
    }
    let i = ip_tunnel_flags_to_be16(p.i_flags);
    let o = ip_tunnel_flags_to_be16(p.o_flags);
    if (cmd == SIOCADDTUNNEL || cmd == SIOCCHGTUNNEL)
        && (!iph_template_ok(&p.iph)
            || p.iph.protocol != IPPROTO_GRE
            || (i | o) & (GRE_VERSION | GRE_ROUTING).to_be() != 0)
    {
        return Err(TunErr::Inval);
    }
    p.i_flags = gre_flags_to_tnl_flags_be16(i);
    p.o_flags = gre_flags_to_tnl_flags_be16(o);
    Ok(())
}

/// `ipgre_tunnel_ctl()` after a successful `ip_tunnel_ctl` (and after the
/// caller copied the flags into the tunnel for `SIOCCHGTUNNEL` and ran
/// `ipgre_link_update`): both flag sets go back to the be16 form of the
/// wire GRE flags (`ip_tunnel_flags_from_be16(gre_tnl_flags_to_gre_flags())`)
/// for `ip_tunnel_parm_to_user`.
pub fn ipgre_ctl_post(p: &mut TunnelParms) {
    p.i_flags = ip_tunnel_flags_from_be16(gre_tnl_flags_to_gre_flags_be16(p.i_flags));
    p.o_flags = ip_tunnel_flags_from_be16(gre_tnl_flags_to_gre_flags_be16(p.o_flags));
}

/// `__ipip6_tunnel_ioctl_validate()` (sit, `SIOCADDTUNNEL` and
/// `SIOCCHGTUNNEL`), after the `CAP_NET_ADMIN` check (`EPERM`, the
/// caller's): protocol must be [`ipip6_valid_ip_proto`], the template
/// version 4, ihl 5, `frag_off` at most DF (`EINVAL`); then a non-zero
/// TTL sets DF. Keys and flags are kept (sit does not use
/// `ip_tunnel_ctl`).
pub fn ipip6_ctl_validate(p: &mut TunnelParms) -> Result<(), TunErr> {
    if !ipip6_valid_ip_proto(p.iph.protocol) || !iph_template_ok(&p.iph) {
        return Err(TunErr::Inval);
    }
    if p.iph.ttl != 0 {
        p.iph.frag_off |= IP_DF_BE;
    }
    Ok(())
}
