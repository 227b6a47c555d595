// SPDX-License-Identifier: GPL-2.0

//! The pure address rules of sit (net/ipv6/sit.c, 6.12): the hash and
//! four-table lookup (`HASH`, `__ipip6_bucket`, `ipip6_tunnel_lookup`),
//! ISATAP (`ipv6_addr_is_isatap` from include/net/addrconf.h,
//! `__ipip6_tunnel_locate_prl`, `isatap_chksrc`), 6rd / 6to4
//! (`check_6rd`, `try_6rd`, `is_spoofed_6rd`, the prefix length of
//! `only_dnatted`, `ipip6_tunnel_clone_6rd`'s default,
//! `ipip6_tunnel_update_6rd`, `ipip6_netlink_6rd_parms`), with
//! `ipv6_addr_prefix` / `ipv6_prefix_equal` (include/net/ipv6.h).
//! Protocol validation (`ipip6_valid_ip_proto`) is in `parms`.
//!
//! IPv6 addresses are their 16 wire bytes; IPv4 ones raw [`Be32`].

use super::addr::{htonl, ntohl, Be32};
use super::err::TunErr;
use super::parms::TunnelParms;

/// `IP6_SIT_HASH_SIZE`.
pub const IP6_SIT_HASH_SIZE: u32 = 16;
/// `PRL_DEFAULT`: the PRL entry is a default router.
pub const PRL_DEFAULT: u16 = 0x0001;

/// sit's `HASH(addr)`: `(addr ^ (addr >> 4)) & 0xF` on the raw value.
pub const fn sit_hash(addr: Be32) -> u32 {
    (addr ^ (addr >> 4)) & 0xF
}

/// `__ipip6_bucket()`: the table (`prio`: bit 1 remote set, bit 0 local
/// set; 3 is `tunnels_r_l`, 2 `tunnels_r`, 1 `tunnels_l`, 0
/// `tunnels_wc`) and the bucket in it.
pub const fn ipip6_bucket(p: &TunnelParms) -> (u32, u32) {
    let mut prio = 0;
    let mut h = 0;
    if p.iph.daddr != 0 {
        prio |= 2;
        h ^= sit_hash(p.iph.daddr);
    }
    if p.iph.saddr != 0 {
        prio |= 1;
        h ^= sit_hash(p.iph.saddr);
    }
    (prio, h)
}

/// What [`ipip6_tunnel_lookup`] reads of a sit tunnel.
pub trait SitView {
    /// `t->parms.iph.saddr`.
    fn saddr(&self) -> Be32;
    /// `t->parms.iph.daddr`.
    fn daddr(&self) -> Be32;
    /// `t->parms.link`.
    fn link(&self) -> i32;
    /// `t->dev->flags & IFF_UP`.
    fn is_up(&self) -> bool;
}

/// The arguments of `ipip6_tunnel_lookup()`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SitQuery {
    /// `remote` (outer source).
    pub remote: Be32,
    /// `local` (outer destination).
    pub local: Be32,
    /// `dev ? dev->ifindex : 0`, `None` for a NULL `dev` (no link rule).
    pub ifindex: Option<i32>,
    /// `sifindex` (the VRF-slave ifindex, 0 if none).
    pub sifindex: i32,
}

fn sit_link_ok<T: SitView>(t: &T, q: &SitQuery) -> bool {
    match q.ifindex {
        None => true,
        Some(i) => t.link() == 0 || i == t.link() || q.sifindex == t.link(),
    }
}

/// `ipip6_tunnel_lookup()`: the first up tunnel with matching link in
/// `tunnels_r_l[h(remote) ^ h(local)]` matching both addresses, then
/// `tunnels_r[h(remote)]` matching the remote, then
/// `tunnels_l[h(local)]` matching the local, then the wildcard tunnel
/// `tunnels_wc[0]` if up (no link rule for it). `table(prio, h)`
/// iterates one chain (see [`ipip6_bucket`]).
pub fn ipip6_tunnel_lookup<'a, T, I, F>(table: F, q: &SitQuery) -> Option<&'a T>
where
    T: SitView + 'a,
    I: Iterator<Item = &'a T>,
    F: Fn(u32, u32) -> I,
{
    let h0 = sit_hash(q.remote);
    let h1 = sit_hash(q.local);
    let found = table(3, h0 ^ h1)
        .find(|t| q.local == t.saddr() && q.remote == t.daddr() && sit_link_ok(*t, q) && t.is_up());
    if found.is_some() {
        return found;
    }
    let found = table(2, h0).find(|t| q.remote == t.daddr() && sit_link_ok(*t, q) && t.is_up());
    if found.is_some() {
        return found;
    }
    let found = table(1, h1).find(|t| q.local == t.saddr() && sit_link_ok(*t, q) && t.is_up());
    if found.is_some() {
        return found;
    }
    table(0, 0).next().filter(|t| t.is_up())
}

/// `ipv6_addr_is_isatap()`: the interface id is `0[02]00:5efe:a.b.c.d`
/// (`(s6_addr32[2] | htonl(0x02000000)) == htonl(0x02005EFE)`).
pub const fn ipv6_addr_is_isatap(a: &[u8; 16]) -> bool {
    (a[8] | 0x02) == 0x02 && a[9] == 0x00 && a[10] == 0x5e && a[11] == 0xfe
}

/// `s6_addr32[3]` of an IPv6 address, raw.
pub const fn ipv6_low32(a: &[u8; 16]) -> Be32 {
    u32::from_ne_bytes([a[12], a[13], a[14], a[15]])
}

/// A potential router list entry (`struct ip_tunnel_prl_entry`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PrlEntry {
    /// `addr`: the router's IPv4 address.
    pub addr: Be32,
    /// `flags` ([`PRL_DEFAULT`]).
    pub flags: u16,
}

/// `__ipip6_tunnel_locate_prl()`: the first entry with this address.
pub fn locate_prl(prl: &[PrlEntry], addr: Be32) -> Option<&PrlEntry> {
    prl.iter().find(|p| p.addr == addr)
}

/// `skb->ndisc_nodetype` set by `isatap_chksrc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeType {
    /// `NDISC_NODETYPE_DEFAULT`: a PRL entry with `PRL_DEFAULT`.
    Default,
    /// `NDISC_NODETYPE_NODEFAULT`: a PRL entry without it.
    NoDefault,
    /// `NDISC_NODETYPE_HOST`: an ISATAP host address embedding the
    /// outer source, on a prefix of the device.
    Host,
}

/// `isatap_chksrc()`: a source in the PRL is a router; otherwise the
/// inner source must be an ISATAP address embedding the outer source
/// and `ipv6_chk_prefix(addr6, dev)` (`chk_prefix`, only called then)
/// must hold. `None` is C's 0: the packet is dropped.
pub fn isatap_chksrc(
    prl: &[PrlEntry],
    outer_saddr: Be32,
    inner_saddr: &[u8; 16],
    chk_prefix: impl FnOnce(&[u8; 16]) -> bool,
) -> Option<NodeType> {
    if let Some(p) = locate_prl(prl, outer_saddr) {
        return Some(if p.flags & PRL_DEFAULT != 0 {
            NodeType::Default
        } else {
            NodeType::NoDefault
        });
    }
    if ipv6_addr_is_isatap(inner_saddr)
        && ipv6_low32(inner_saddr) == outer_saddr
        && chk_prefix(inner_saddr)
    {
        Some(NodeType::Host)
    } else {
        None
    }
}

/// `struct ip_tunnel_6rd_parm` / uapi `struct ip_tunnel_6rd`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ip6rd {
    /// `prefix`: the 6rd prefix.
    pub prefix: [u8; 16],
    /// `relay_prefix`: the common IPv4 prefix (raw).
    pub relay_prefix: Be32,
    /// `prefixlen`.
    pub prefixlen: u16,
    /// `relay_prefixlen`.
    pub relay_prefixlen: u16,
}

impl Ip6rd {
    /// `ipip6_tunnel_clone_6rd()` for the fallback device (or when there
    /// is none): 6to4, `2002::/16`, no relay prefix. Other devices copy
    /// the fallback device's setting.
    pub const fn default_6to4() -> Ip6rd {
        let mut prefix = [0u8; 16];
        prefix[0] = 0x20;
        prefix[1] = 0x02;
        Ip6rd {
            prefix,
            relay_prefix: 0,
            prefixlen: 16,
            relay_prefixlen: 0,
        }
    }
}

fn word(a: &[u8; 16], i: usize) -> u32 {
    let mut w = [0u8; 4];
    if let Some(s) = a.get(i * 4..i * 4 + 4) {
        w.copy_from_slice(s);
    }
    u32::from_be_bytes(w)
}

/// `ipv6_prefix_equal()`: the first `plen` bits agree (`plen` above 128
/// counts as 128; C does not allow it).
pub fn ipv6_prefix_equal(a: &[u8; 16], b: &[u8; 16], plen: u32) -> bool {
    let plen = if plen > 128 { 128 } else { plen };
    let full = (plen / 8) as usize;
    if a.get(..full) != b.get(..full) {
        return false;
    }
    let rem = plen % 8;
    if rem == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rem);
    match (a.get(full), b.get(full)) {
        (Some(x), Some(y)) => (x ^ y) & mask == 0,
        _ => true,
    }
}

/// `ipv6_addr_prefix()`: `addr` with all bits after `plen` cleared
/// (`plen` above 128 counts as 128).
pub fn ipv6_addr_prefix(addr: &[u8; 16], plen: u32) -> [u8; 16] {
    let plen = if plen > 128 { 128 } else { plen };
    let mut out = [0u8; 16];
    let full = (plen / 8) as usize;
    for (o, a) in out.iter_mut().zip(addr.iter()).take(full) {
        *o = *a;
    }
    let rem = plen % 8;
    if rem != 0 {
        if let (Some(o), Some(a)) = (out.get_mut(full), addr.get(full)) {
            *o = *a & (0xff00u16 >> rem) as u8;
        }
    }
    out
}

/// `check_6rd()` (with `CONFIG_IPV6_SIT_6RD`, as Debian builds it): when
/// `v6dst` is in the 6rd prefix, the embedded IPv4 address: the
/// `32 - relay_prefixlen` bits after the prefix, or-ed under the relay
/// prefix. Words past the address read as 0 and shifts are C's (only
/// reachable with parameters [`ipip6_tunnel_update_6rd`] rejects).
pub fn check_6rd(p: &Ip6rd, v6dst: &[u8; 16]) -> Option<Be32> {
    if !ipv6_prefix_equal(v6dst, &p.prefix, p.prefixlen as u32) {
        return None;
    }
    let pbw0 = (p.prefixlen >> 5) as usize;
    let pbi0 = (p.prefixlen & 0x1f) as u32;
    let rpl = p.relay_prefixlen as u32;
    let mut d: u32 = if rpl < 32 {
        word(v6dst, pbw0).wrapping_shl(pbi0) >> rpl
    } else {
        0
    };
    let pbi1 = pbi0 as i32 - rpl as i32;
    if pbi1 > 0 {
        d |= word(v6dst, pbw0 + 1) >> (32 - pbi1 as u32);
    }
    Some(p.relay_prefix | htonl(d))
}

/// `try_6rd()`: [`check_6rd`] or 0.
pub fn try_6rd(p: &Ip6rd, v6dst: &[u8; 16]) -> Be32 {
    check_6rd(p, v6dst).unwrap_or(0)
}

/// `is_spoofed_6rd()`: the IPv6 address is a 6rd address whose embedded
/// IPv4 address differs from `v4addr`.
pub fn is_spoofed_6rd(p: &Ip6rd, v4addr: Be32, v6addr: &[u8; 16]) -> bool {
    matches!(check_6rd(p, v6addr), Some(v4) if v4 != v4addr)
}

/// The prefix length `only_dnatted()` checks the device's addresses
/// with: `prefixlen + 32 - relay_prefixlen`.
pub const fn only_dnatted_prefix_len(p: &Ip6rd) -> i32 {
    p.prefixlen as i32 + 32 - p.relay_prefixlen as i32
}

/// `ipip6_tunnel_update_6rd()` validation: `relay_prefixlen <= 32`,
/// `prefixlen + (32 - relay_prefixlen) <= 64`, the prefix and the relay
/// prefix have no bits past their lengths (`EINVAL` otherwise). Returns
/// the parameters to store (equal to the input when valid).
pub fn ipip6_tunnel_update_6rd(p: &Ip6rd) -> Result<Ip6rd, TunErr> {
    if p.relay_prefixlen > 32 || p.prefixlen as i32 + (32 - p.relay_prefixlen as i32) > 64 {
        return Err(TunErr::Inval);
    }
    let prefix = ipv6_addr_prefix(&p.prefix, p.prefixlen as u32);
    if prefix != p.prefix {
        return Err(TunErr::Inval);
    }
    let relay_prefix = if p.relay_prefixlen != 0 {
        p.relay_prefix & htonl(0xffff_ffffu32 << (32 - p.relay_prefixlen as u32))
    } else {
        0
    };
    if relay_prefix != p.relay_prefix {
        return Err(TunErr::Inval);
    }
    Ok(Ip6rd {
        prefix,
        relay_prefix,
        prefixlen: p.prefixlen,
        relay_prefixlen: p.relay_prefixlen,
    })
}

/// The `IFLA_IPTUN_6RD_*` attributes, each `None` when absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Nl6rd {
    /// `IFLA_IPTUN_6RD_PREFIX`.
    pub prefix: Option<[u8; 16]>,
    /// `IFLA_IPTUN_6RD_RELAY_PREFIX` (raw).
    pub relay_prefix: Option<Be32>,
    /// `IFLA_IPTUN_6RD_PREFIXLEN`.
    pub prefixlen: Option<u16>,
    /// `IFLA_IPTUN_6RD_RELAY_PREFIXLEN`.
    pub relay_prefixlen: Option<u16>,
}

/// `ipip6_netlink_6rd_parms()`: zeroed 6rd parameters with the given
/// attributes, and whether any was present (then newlink/changelink call
/// [`ipip6_tunnel_update_6rd`]).
pub fn ipip6_netlink_6rd_parms(nl: Option<&Nl6rd>) -> (Ip6rd, bool) {
    let mut p = Ip6rd::default();
    let nl = match nl {
        Some(n) => n,
        None => return (p, false),
    };
    let mut any = false;
    if let Some(v) = nl.prefix {
        p.prefix = v;
        any = true;
    }
    if let Some(v) = nl.relay_prefix {
        p.relay_prefix = v;
        any = true;
    }
    if let Some(v) = nl.prefixlen {
        p.prefixlen = v;
        any = true;
    }
    if let Some(v) = nl.relay_prefixlen {
        p.relay_prefixlen = v;
        any = true;
    }
    (p, any)
}

/// The 6to4 address prefix of an IPv4 address (`2002:a.b.c.d::/48`),
/// handy for tests and defaults; `check_6rd` with
/// [`Ip6rd::default_6to4`] inverts it.
pub const fn sixto4_addr(v4: Be32) -> [u8; 16] {
    let b = ntohl(v4).to_be_bytes();
    [
        0x20, 0x02, b[0], b[1], b[2], b[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]
}

#[cfg(test)]
mod tests {
    use super::super::addr::be32_from_bytes;
    use super::*;

    #[test]
    fn rfc5969_examples() {
        // 6rd prefix 2001:db8::/32, whole IPv4 address embedded.
        let mut p = Ip6rd {
            prefix: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            relay_prefix: 0,
            prefixlen: 32,
            relay_prefixlen: 0,
        };
        assert_eq!(ipip6_tunnel_update_6rd(&p), Ok(p));
        let mut a = [0u8; 16];
        a[..8].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 192, 0, 2, 1]);
        assert_eq!(check_6rd(&p, &a), Some(be32_from_bytes([192, 0, 2, 1])));
        // Common IPv4 prefix 192.0.0.0/8: 24 bits embedded.
        p.relay_prefix = be32_from_bytes([192, 0, 0, 0]);
        p.relay_prefixlen = 8;
        assert_eq!(ipip6_tunnel_update_6rd(&p), Ok(p));
        a[4..8].copy_from_slice(&[0, 2, 1, 0x40]);
        assert_eq!(check_6rd(&p, &a), Some(be32_from_bytes([192, 0, 2, 1])));
        // prefix /36 with 8-bit relay: spans two words.
        let q = Ip6rd { prefixlen: 36, ..p };
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x20, 0x10]);
        assert_eq!(check_6rd(&q, &b), Some(be32_from_bytes([192, 0, 2, 1])));
        // Outside the prefix.
        b[0] = 0x30;
        assert_eq!(try_6rd(&q, &b), 0);
        // 6to4.
        let v4 = be32_from_bytes([198, 51, 100, 7]);
        assert_eq!(
            check_6rd(&Ip6rd::default_6to4(), &sixto4_addr(v4)),
            Some(v4)
        );
    }

    #[test]
    fn update_6rd_limits() {
        let ok = Ip6rd {
            prefixlen: 64,
            relay_prefixlen: 32,
            ..Ip6rd::default()
        };
        assert!(ipip6_tunnel_update_6rd(&ok).is_ok());
        let bad = Ip6rd {
            prefixlen: 33,
            ..Ip6rd::default()
        };
        assert_eq!(ipip6_tunnel_update_6rd(&bad), Err(TunErr::Inval));
        let bad = Ip6rd {
            relay_prefixlen: 33,
            ..Ip6rd::default()
        };
        assert_eq!(ipip6_tunnel_update_6rd(&bad), Err(TunErr::Inval));
        let bad = Ip6rd {
            relay_prefix: be32_from_bytes([10, 0, 0, 1]),
            relay_prefixlen: 8,
            ..Ip6rd::default()
        };
        assert_eq!(ipip6_tunnel_update_6rd(&bad), Err(TunErr::Inval));
        let mut pfx = Ip6rd::default_6to4();
        pfx.prefix[2] = 1;
        assert_eq!(ipip6_tunnel_update_6rd(&pfx), Err(TunErr::Inval));
    }

    #[test]
    fn isatap() {
        let v4 = be32_from_bytes([192, 0, 2, 9]);
        let mut a = [
            0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0, 0x5e, 0xfe, 192, 0, 2, 9,
        ];
        assert!(ipv6_addr_is_isatap(&a));
        assert_eq!(isatap_chksrc(&[], v4, &a, |_| true), Some(NodeType::Host));
        assert_eq!(isatap_chksrc(&[], v4, &a, |_| false), None);
        let prl = [PrlEntry {
            addr: v4,
            flags: PRL_DEFAULT,
        }];
        assert_eq!(
            isatap_chksrc(&prl, v4, &a, |_| false),
            Some(NodeType::Default)
        );
        a[8] = 0x01;
        assert!(!ipv6_addr_is_isatap(&a));
    }
}
