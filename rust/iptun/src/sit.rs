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
/// `IP6_MAX_MTU`: the largest IPv6 packet (`0xFFFF` plus its 40-byte
/// header), which bounds a sit device's MTU (less its headers).
pub const IP6_MAX_MTU: u32 = 0xFFFF + 40;
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
pub fn locate_prl<'a>(
    prl: impl IntoIterator<Item = &'a PrlEntry>,
    addr: Be32,
) -> Option<&'a PrlEntry> {
    prl.into_iter().find(|p| p.addr == addr)
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
pub fn isatap_chksrc<'a>(
    prl: impl IntoIterator<Item = &'a PrlEntry>,
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

/// What `ipv6_addr_type()` (net/ipv6/addrconf_core.c) says of an
/// address, as far as sit's transmit path asks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddrType {
    /// `IPV6_ADDR_ANY`: `::`.
    pub any: bool,
    /// `IPV6_ADDR_UNICAST`.
    pub unicast: bool,
    /// `IPV6_ADDR_COMPATv4`: `::a.b.c.d` (not `::` nor `::1`).
    pub compatv4: bool,
}

/// `__ipv6_addr_type()`'s classes that sit reads: unicast (global
/// 001-110 prefixes, link- and site-local, ULA, loopback, v4-compatible
/// and the reserved rest), `::`, v4-compatible; multicast and v4-mapped
/// addresses are neither unicast nor v4-compatible.
pub fn ipv6_addr_type(a: &[u8; 16]) -> AddrType {
    let uni = AddrType {
        unicast: true,
        ..AddrType::default()
    };
    let top3 = a[0] & 0xe0;
    if top3 != 0 && top3 != 0xe0 {
        return uni;
    }
    if a[0] == 0xff {
        return AddrType::default();
    }
    // fe80::/10, fec0::/10, fc00::/7.
    if a[0] == 0xfe && (a[1] & 0xc0 == 0x80 || a[1] & 0xc0 == 0xc0) {
        return uni;
    }
    if a[0] & 0xfe == 0xfc {
        return uni;
    }
    if a[..8].iter().all(|&b| b == 0) {
        let w2 = word(a, 2);
        let w3 = word(a, 3);
        if w2 == 0 {
            if w3 == 0 {
                return AddrType {
                    any: true,
                    ..AddrType::default()
                };
            }
            if w3 == 1 {
                return uni;
            }
            return AddrType {
                unicast: true,
                compatv4: true,
                any: false,
            };
        }
        if w2 == 0x0000_ffff {
            // v4-mapped.
            return AddrType::default();
        }
    }
    uni
}

/// `ipip6_tunnel_xmit()`'s outer destination: the tunnel's remote end
/// `daddr`; on an ISATAP tunnel the ISATAP interface id of the next hop
/// (which must be a unicast ISATAP address) instead; if still none, the
/// IPv4 address embedded in the inner destination by 6rd / 6to4
/// ([`try_6rd`]); if still none, the next hop's v4-compatible address
/// (the inner destination's when the next hop is `::`). `next_hop` is
/// `dst_neigh_lookup(skb_dst(skb), &inner_daddr)`'s key, looked up when
/// needed (at most twice, as C). `None`: the packet is a transmit error.
pub fn ipip6_xmit_dst(
    daddr: Be32,
    isatap: bool,
    p: &Ip6rd,
    inner_daddr: &[u8; 16],
    mut next_hop: impl FnMut() -> Option<[u8; 16]>,
) -> Option<Be32> {
    let mut dst = daddr;
    if isatap {
        let a = next_hop()?;
        if !(ipv6_addr_type(&a).unicast && ipv6_addr_is_isatap(&a)) {
            return None;
        }
        dst = ipv6_low32(&a);
    }
    if dst == 0 {
        dst = try_6rd(p, inner_daddr);
    }
    if dst == 0 {
        let mut a = next_hop()?;
        let mut t = ipv6_addr_type(&a);
        if t.any {
            a = *inner_daddr;
            t = ipv6_addr_type(&a);
        }
        if !t.compatv4 {
            return None;
        }
        dst = ipv6_low32(&a);
    }
    Some(dst)
}

/// What `packet_is_spoofed()` decides for a received IPv6-in-IPv4 packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RxSource {
    /// Accepted; on an ISATAP tunnel with the node type
    /// [`isatap_chksrc`] gave the packet.
    Ok(Option<NodeType>),
    /// An ISATAP source neither in the PRL nor a host on the link.
    IsatapRejected,
    /// A 6rd / 6to4 inner source whose embedded IPv4 address is not the
    /// outer source.
    SrcSpoofed,
    /// The same for the destination, and not one of the device's own
    /// prefixes (`only_dnatted`).
    DstSpoofed,
}

impl RxSource {
    /// Whether the packet goes on.
    pub const fn accepted(&self) -> bool {
        matches!(self, RxSource::Ok(_))
    }
}

/// The outer and inner addresses `packet_is_spoofed()` reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RxAddrs {
    /// The outer source (raw).
    pub saddr: Be32,
    /// The outer destination (raw).
    pub daddr: Be32,
    /// The inner source.
    pub saddr6: [u8; 16],
    /// The inner destination.
    pub daddr6: [u8; 16],
}

/// `packet_is_spoofed()`: an ISATAP tunnel (`isatap`) checks the source
/// with [`isatap_chksrc`] (`chk_prefix`: `ipv6_chk_prefix` on the
/// tunnel); a point-to-point one (`p2p`) takes everything; otherwise a
/// 6rd / 6to4 inner source must embed the outer source, and a 6rd / 6to4
/// inner destination the outer destination unless the device has that
/// prefix (`only_dnatted`: `ipv6_chk_custom_prefix` with
/// [`only_dnatted_prefix_len`]).
pub fn packet_is_spoofed<'a>(
    isatap: bool,
    p2p: bool,
    p: &Ip6rd,
    prl: impl IntoIterator<Item = &'a PrlEntry>,
    a: &RxAddrs,
    chk_prefix: impl FnOnce(&[u8; 16]) -> bool,
    only_dnatted: impl FnOnce(&[u8; 16], i32) -> bool,
) -> RxSource {
    if isatap {
        return match isatap_chksrc(prl, a.saddr, &a.saddr6, chk_prefix) {
            Some(n) => RxSource::Ok(Some(n)),
            None => RxSource::IsatapRejected,
        };
    }
    if p2p {
        return RxSource::Ok(None);
    }
    if is_spoofed_6rd(p, a.saddr, &a.saddr6) {
        return RxSource::SrcSpoofed;
    }
    if !is_spoofed_6rd(p, a.daddr, &a.daddr6) || only_dnatted(&a.daddr6, only_dnatted_prefix_len(p))
    {
        return RxSource::Ok(None);
    }
    RxSource::DstSpoofed
}

/// Where `ipip6_tunnel_add_prl()` puts an entry for `addr`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrlAdd {
    /// A new entry, at the head of the list.
    Insert,
    /// The flags of the entry at this index change (`SIOCCHGPRL`).
    Change(usize),
}

/// `ipip6_tunnel_add_prl()`'s checks (`chg`: `SIOCCHGPRL`): address 0
/// is `EINVAL`; an existing address `EEXIST` (or changed with `chg`); a
/// missing one with `chg` is `ENXIO`.
pub fn prl_add<'a>(
    prl: impl IntoIterator<Item = &'a PrlEntry>,
    addr: Be32,
    chg: bool,
) -> Result<PrlAdd, TunErr> {
    if addr == 0 {
        return Err(TunErr::Inval);
    }
    match (prl.into_iter().position(|p| p.addr == addr), chg) {
        (Some(i), true) => Ok(PrlAdd::Change(i)),
        (Some(_), false) => Err(TunErr::Exist),
        (None, true) => Err(TunErr::NxIo),
        (None, false) => Ok(PrlAdd::Insert),
    }
}

/// `ipip6_tunnel_del_prl()`: `addr` 0 empties the list (`None`);
/// otherwise the index of the entry to remove, `ENXIO` if there is none.
pub fn prl_del<'a>(
    prl: impl IntoIterator<Item = &'a PrlEntry>,
    addr: Be32,
) -> Result<Option<usize>, TunErr> {
    if addr == 0 {
        return Ok(None);
    }
    match prl.into_iter().position(|p| p.addr == addr) {
        Some(i) => Ok(Some(i)),
        None => Err(TunErr::NxIo),
    }
}

/// The size of uapi `struct ip_tunnel_prl` (addr, flags, reserved,
/// datalen, reserved).
pub const IP_TUNNEL_PRL_LEN: usize = 16;

/// `ipip6_tunnel_get_prl()`: the entries answered for a request for
/// `addr` (0: all) with room for `datalen` bytes: at most
/// `datalen / 16`, one for a given address.
pub fn prl_get<'a>(
    prl: impl IntoIterator<Item = &'a PrlEntry>,
    addr: Be32,
    datalen: u32,
) -> impl Iterator<Item = &'a PrlEntry> {
    let mut cmax = (datalen as usize) / IP_TUNNEL_PRL_LEN;
    if cmax > 1 && addr != 0 {
        cmax = 1;
    }
    prl.into_iter()
        .filter(move |p| addr == 0 || p.addr == addr)
        .take(cmax)
}

/// uapi `struct ip_tunnel_prl` (`SIOC*PRL`): the entry it names and
/// `datalen` (host order), from its 16 bytes.
pub fn prl_from_bytes(b: &[u8; IP_TUNNEL_PRL_LEN]) -> (PrlEntry, u32) {
    let e = PrlEntry {
        addr: u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
        flags: u16::from_ne_bytes([b[4], b[5]]),
    };
    (e, u32::from_ne_bytes([b[8], b[9], b[10], b[11]]))
}

/// One answered entry of `SIOCGETPRL` (`addr` and `flags`, the rest 0).
pub fn prl_to_bytes(e: &PrlEntry) -> [u8; IP_TUNNEL_PRL_LEN] {
    let mut b = [0u8; IP_TUNNEL_PRL_LEN];
    b[..4].copy_from_slice(&e.addr.to_ne_bytes());
    b[4..6].copy_from_slice(&e.flags.to_ne_bytes());
    b
}

/// The offset of `datalen` in `struct ip_tunnel_prl`.
pub const PRL_DATALEN_OFF: usize = 8;

/// The size of uapi `struct ip_tunnel_6rd`.
pub const IP_TUNNEL_6RD_LEN: usize = 24;

/// uapi `struct ip_tunnel_6rd` from its 24 bytes.
pub fn ip6rd_from_bytes(b: &[u8; IP_TUNNEL_6RD_LEN]) -> Ip6rd {
    let mut prefix = [0u8; 16];
    prefix.copy_from_slice(&b[..16]);
    Ip6rd {
        prefix,
        relay_prefix: u32::from_ne_bytes([b[16], b[17], b[18], b[19]]),
        prefixlen: u16::from_ne_bytes([b[20], b[21]]),
        relay_prefixlen: u16::from_ne_bytes([b[22], b[23]]),
    }
}

/// uapi `struct ip_tunnel_6rd` as 24 bytes.
pub fn ip6rd_to_bytes(p: &Ip6rd) -> [u8; IP_TUNNEL_6RD_LEN] {
    let mut b = [0u8; IP_TUNNEL_6RD_LEN];
    b[..16].copy_from_slice(&p.prefix);
    b[16..20].copy_from_slice(&p.relay_prefix.to_ne_bytes());
    b[20..22].copy_from_slice(&p.prefixlen.to_ne_bytes());
    b[22..24].copy_from_slice(&p.relay_prefixlen.to_ne_bytes());
    b
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
        // The embedded address must be the outer source.
        assert_eq!(
            isatap_chksrc(&[], be32_from_bytes([192, 0, 2, 8]), &a, |_| true),
            None
        );
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

    fn v6(s: [u16; 8]) -> [u8; 16] {
        let mut a = [0u8; 16];
        for (i, w) in s.iter().enumerate() {
            a[2 * i..2 * i + 2].copy_from_slice(&w.to_be_bytes());
        }
        a
    }

    #[test]
    fn addr_types() {
        let t = |s| ipv6_addr_type(&v6(s));
        assert!(t([0; 8]).any && !t([0; 8]).unicast);
        assert!(t([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]).unicast);
        assert!(!t([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]).compatv4);
        assert!(t([0xfe80, 0, 0, 0, 0x200, 0x5efe, 0xc000, 0x209]).unicast);
        assert!(t([0xfd00, 0, 0, 0, 0, 0, 0, 1]).unicast);
        assert!(!t([0xff02, 0, 0, 0, 0, 0, 0, 1]).unicast);
        assert!(t([0, 0, 0, 0, 0, 0, 0, 1]).unicast);
        assert!(!t([0, 0, 0, 0, 0, 0, 0, 1]).compatv4);
        let c = t([0, 0, 0, 0, 0, 0, 0xc000, 0x201]);
        assert!(c.unicast && c.compatv4 && !c.any);
        let m = t([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x201]);
        assert!(!m.unicast && !m.compatv4);
    }

    #[test]
    fn xmit_dst() {
        let p6to4 = Ip6rd::default_6to4();
        let v4 = be32_from_bytes([198, 51, 100, 7]);
        let mut d = sixto4_addr(v4);
        d[15] = 1;
        let none = || -> Option<[u8; 16]> { None };
        // A fixed remote end wins over 6to4.
        assert_eq!(ipip6_xmit_dst(5, false, &p6to4, &d, none), Some(5));
        // NBMA: 6to4.
        assert_eq!(ipip6_xmit_dst(0, false, &p6to4, &d, none), Some(v4));
        // NBMA, not 6to4: a v4-compatible next hop, or none.
        let other = v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
        let compat = v6([0, 0, 0, 0, 0, 0, 0xc000, 0x201]);
        let c4 = be32_from_bytes([192, 0, 2, 1]);
        assert_eq!(
            ipip6_xmit_dst(0, false, &p6to4, &other, || Some(compat)),
            Some(c4)
        );
        assert_eq!(ipip6_xmit_dst(0, false, &p6to4, &other, none), None);
        assert_eq!(
            ipip6_xmit_dst(0, false, &p6to4, &other, || Some(other)),
            None
        );
        // Next hop `::`: the inner destination decides.
        assert_eq!(
            ipip6_xmit_dst(0, false, &p6to4, &compat, || Some([0; 16])),
            Some(c4)
        );
        // ISATAP: the next hop's interface id, even over a remote end.
        let isatap = v6([0xfe80, 0, 0, 0, 0, 0x5efe, 0xc000, 0x201]);
        assert_eq!(
            ipip6_xmit_dst(5, true, &p6to4, &other, || Some(isatap)),
            Some(c4)
        );
        assert_eq!(
            ipip6_xmit_dst(5, true, &p6to4, &other, || Some(other)),
            None
        );
        assert_eq!(ipip6_xmit_dst(5, true, &p6to4, &other, none), None);
    }

    #[test]
    fn spoofing() {
        let p = Ip6rd::default_6to4();
        let a4 = be32_from_bytes([198, 51, 100, 7]);
        let b4 = be32_from_bytes([203, 0, 113, 9]);
        let mut a = RxAddrs {
            saddr: a4,
            daddr: b4,
            saddr6: sixto4_addr(a4),
            daddr6: sixto4_addr(b4),
        };
        let no = |_: &[u8; 16]| false;
        let nod = |_: &[u8; 16], _: i32| false;
        assert_eq!(
            packet_is_spoofed(false, false, &p, &[], &a, no, nod),
            RxSource::Ok(None)
        );
        a.saddr = b4;
        assert_eq!(
            packet_is_spoofed(false, false, &p, &[], &a, no, nod),
            RxSource::SrcSpoofed
        );
        // Point to point: no check.
        assert_eq!(
            packet_is_spoofed(false, true, &p, &[], &a, no, nod),
            RxSource::Ok(None)
        );
        a.saddr = a4;
        a.daddr = a4;
        assert_eq!(
            packet_is_spoofed(false, false, &p, &[], &a, no, nod),
            RxSource::DstSpoofed
        );
        // The device's own prefix (NAT in front of it), of length 48.
        let dn = |_: &[u8; 16], l: i32| l == 48;
        assert_eq!(
            packet_is_spoofed(false, false, &p, &[], &a, no, dn),
            RxSource::Ok(None)
        );
        // Not 6to4 at all: nothing to check.
        a.saddr6 = v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
        a.daddr6 = a.saddr6;
        assert_eq!(
            packet_is_spoofed(false, false, &p, &[], &a, no, nod),
            RxSource::Ok(None)
        );
        // ISATAP: the PRL or a host address.
        assert_eq!(
            packet_is_spoofed(true, false, &p, &[], &a, no, nod),
            RxSource::IsatapRejected
        );
        let prl = [PrlEntry { addr: a4, flags: 0 }];
        assert_eq!(
            packet_is_spoofed(true, true, &p, &prl, &a, no, nod),
            RxSource::Ok(Some(NodeType::NoDefault))
        );
    }

    #[test]
    fn prl_ops() {
        let x = be32_from_bytes([10, 0, 0, 1]);
        let y = be32_from_bytes([10, 0, 0, 2]);
        let prl = [
            PrlEntry { addr: x, flags: 1 },
            PrlEntry { addr: y, flags: 0 },
        ];
        assert_eq!(prl_add(&prl, 0, false), Err(TunErr::Inval));
        assert_eq!(prl_add(&prl, x, false), Err(TunErr::Exist));
        assert_eq!(prl_add(&prl, y, true), Ok(PrlAdd::Change(1)));
        assert_eq!(prl_add(&prl, 7, true), Err(TunErr::NxIo));
        assert_eq!(prl_add(&prl, 7, false), Ok(PrlAdd::Insert));
        assert_eq!(prl_del(&prl, 0), Ok(None));
        assert_eq!(prl_del(&prl, y), Ok(Some(1)));
        assert_eq!(prl_del(&prl, 7), Err(TunErr::NxIo));
        assert_eq!(prl_get(&prl, 0, 64).count(), 2);
        assert_eq!(prl_get(&prl, 0, 16).count(), 1);
        assert_eq!(prl_get(&prl, 0, 15).count(), 0);
        assert_eq!(prl_get(&prl, y, 64).map(|p| p.addr).next(), Some(y));
        assert_eq!(prl_get(&prl, 7, 64).count(), 0);
        let b = prl_to_bytes(&prl[0]);
        assert_eq!(prl_from_bytes(&b), (prl[0], 0));
        let mut b = b;
        b[8..12].copy_from_slice(&48u32.to_ne_bytes());
        assert_eq!(prl_from_bytes(&b).1, 48);
    }

    #[test]
    fn ip6rd_codec() {
        let p = Ip6rd {
            prefix: v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]),
            relay_prefix: be32_from_bytes([192, 0, 0, 0]),
            prefixlen: 32,
            relay_prefixlen: 8,
        };
        let b = ip6rd_to_bytes(&p);
        assert_eq!(&b[..4], &[0x20, 0x01, 0x0d, 0xb8]);
        assert_eq!(&b[16..20], &[192, 0, 0, 0]);
        assert_eq!(ip6rd_from_bytes(&b), p);
    }
}
