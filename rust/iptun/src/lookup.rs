// SPDX-License-Identifier: GPL-2.0

//! The IPv4 tunnel hash table logic of net/ipv4/ip_tunnel.c (6.12):
//! `ip_tunnel_hash`, `ip_bucket`, `ip_tunnel_key_match`, the four passes
//! of `ip_tunnel_lookup` and `ip_tunnel_find`, over a caller-owned table.
//!
//! The table is the caller's (an RCU hlist array in the kernel): the
//! functions take a closure that, given a bucket index in
//! `0..IP_TNL_HASH_SIZE`, iterates that bucket's tunnels in list order,
//! and read each tunnel through [`TunnelView`].

use super::addr::{ipv4_is_multicast, Be32};
use super::flags::{TunFlags, IP_TUNNEL_KEY_BIT, IP_TUNNEL_NO_KEY_BIT, IP_TUNNEL_VTI_BIT};
use super::parms::TunnelParms;

/// `IP_TNL_HASH_BITS`.
pub const IP_TNL_HASH_BITS: u32 = 7;
/// `IP_TNL_HASH_SIZE`: the number of buckets.
pub const IP_TNL_HASH_SIZE: u32 = 1 << IP_TNL_HASH_BITS;
/// `GOLDEN_RATIO_32` (include/linux/hash.h).
pub const GOLDEN_RATIO_32: u32 = 0x61C8_8647;

/// `hash_32()` as on x86_64 (no arch hash): `(val * GOLDEN_RATIO_32) >>
/// (32 - bits)`. `bits == 0` gives 0 (C would shift by 32, undefined);
/// `bits > 32` is treated as 32.
pub const fn hash_32(val: u32, bits: u32) -> u32 {
    let h = val.wrapping_mul(GOLDEN_RATIO_32);
    if bits == 0 {
        0
    } else if bits >= 32 {
        h
    } else {
        h >> (32 - bits)
    }
}

/// `ip_tunnel_hash()`: `hash_32(key ^ remote, IP_TNL_HASH_BITS)` on the
/// raw network-order values.
pub const fn ip_tunnel_hash(key: Be32, remote: Be32) -> u32 {
    hash_32(key ^ remote, IP_TNL_HASH_BITS)
}

/// `ip_bucket()`: the bucket a tunnel with these parameters lives in. The
/// remote counts only when non-zero and not multicast; the key is
/// ignored for a keyless VTI tunnel.
pub fn ip_bucket(p: &TunnelParms) -> u32 {
    let remote = if p.iph.daddr != 0 && !ipv4_is_multicast(p.iph.daddr) {
        p.iph.daddr
    } else {
        0
    };
    let i_key = if !p.i_flags.test(IP_TUNNEL_KEY_BIT) && p.i_flags.test(IP_TUNNEL_VTI_BIT) {
        0
    } else {
        p.i_key
    };
    ip_tunnel_hash(i_key, remote)
}

/// `ip_tunnel_key_match()`: a keyless lookup matches only keyless
/// tunnels; a keyed one only keyed tunnels with the same `i_key`.
pub const fn ip_tunnel_key_match(
    t_i_flags: TunFlags,
    t_i_key: Be32,
    flags: TunFlags,
    key: Be32,
) -> bool {
    if !flags.test(IP_TUNNEL_KEY_BIT) {
        return !t_i_flags.test(IP_TUNNEL_KEY_BIT);
    }
    t_i_flags.test(IP_TUNNEL_KEY_BIT) && t_i_key == key
}

/// Read access to a tunnel in the table (C's `struct ip_tunnel` fields
/// the lookups read).
pub trait TunnelView {
    /// `t->parms.iph.saddr`.
    fn saddr(&self) -> Be32;
    /// `t->parms.iph.daddr`.
    fn daddr(&self) -> Be32;
    /// `t->parms.i_key`.
    fn i_key(&self) -> Be32;
    /// `t->parms.i_flags`.
    fn i_flags(&self) -> TunFlags;
    /// `READ_ONCE(t->parms.link)`.
    fn link(&self) -> i32;
    /// `t->dev->flags & IFF_UP`.
    fn is_up(&self) -> bool;
    /// `t->dev->type` (`ARPHRD_*`), used by [`ip_tunnel_find`].
    fn dev_type(&self) -> u16;
}

/// The arguments of `ip_tunnel_lookup()` for a received packet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// `link`: the ifindex the packet arrived on.
    pub link: i32,
    /// `flags`: the packet's tunnel flags (KEY when it has a key, NO_KEY
    /// to ignore keys in the wildcard pass, as ipip does).
    pub flags: TunFlags,
    /// `remote`: the outer source address.
    pub remote: Be32,
    /// `local`: the outer destination address.
    pub local: Be32,
    /// `key`: the packet's key (0 when none).
    pub key: Be32,
}

fn key_ok<T: TunnelView>(t: &T, q: &Query) -> bool {
    ip_tunnel_key_match(t.i_flags(), t.i_key(), q.flags, q.key)
}

/// The four hashed passes of `ip_tunnel_lookup()`: (1) exact local and
/// remote in bucket `hash(key, remote)`; (2) same bucket, remote with a
/// wildcard local; (3) bucket `hash(key, 0)`, local with no remote, or a
/// multicast local equal to the tunnel's remote; (4) same bucket, fully
/// wildcard tunnels whose `i_key` equals the key (any key with NO_KEY).
/// Only tunnels that are up count. The first tunnel in pass order whose
/// link equals `q.link` wins outright; otherwise the candidate is the
/// last match of pass 1, else the first match of passes 2-4.
///
/// `None` is where C goes on to `itn->collect_md_tun` and then the
/// fallback device ([`ip_tunnel_lookup`] does both).
pub fn lookup_hashed<'a, T, I, F>(bucket: F, q: &Query) -> Option<&'a T>
where
    T: TunnelView + 'a,
    I: Iterator<Item = &'a T>,
    F: Fn(u32) -> I,
{
    let mut cand: Option<&'a T> = None;
    let h = ip_tunnel_hash(q.key, q.remote);

    for t in bucket(h) {
        if q.local != t.saddr() || q.remote != t.daddr() || !t.is_up() {
            continue;
        }
        if !key_ok(t, q) {
            continue;
        }
        if t.link() == q.link {
            return Some(t);
        }
        cand = Some(t);
    }

    for t in bucket(h) {
        if q.remote != t.daddr() || t.saddr() != 0 || !t.is_up() {
            continue;
        }
        if !key_ok(t, q) {
            continue;
        }
        if t.link() == q.link {
            return Some(t);
        }
        if cand.is_none() {
            cand = Some(t);
        }
    }

    let h = ip_tunnel_hash(q.key, 0);

    for t in bucket(h) {
        if (q.local != t.saddr() || t.daddr() != 0)
            && (q.local != t.daddr() || !ipv4_is_multicast(q.local))
        {
            continue;
        }
        if !t.is_up() {
            continue;
        }
        if !key_ok(t, q) {
            continue;
        }
        if t.link() == q.link {
            return Some(t);
        }
        if cand.is_none() {
            cand = Some(t);
        }
    }

    for t in bucket(h) {
        if (!q.flags.test(IP_TUNNEL_NO_KEY_BIT) && t.i_key() != q.key)
            || t.saddr() != 0
            || t.daddr() != 0
            || !t.is_up()
        {
            continue;
        }
        if t.link() == q.link {
            return Some(t);
        }
        if cand.is_none() {
            cand = Some(t);
        }
    }

    cand
}

/// `ip_tunnel_lookup()`: [`lookup_hashed`], then `collect_md` (C's
/// `itn->collect_md_tun`) if it is up, then `fallback` (the tunnel of
/// `itn->fb_tunnel_dev`) if it is up.
pub fn ip_tunnel_lookup<'a, T, I, F>(
    bucket: F,
    q: &Query,
    collect_md: Option<&'a T>,
    fallback: Option<&'a T>,
) -> Option<&'a T>
where
    T: TunnelView + 'a,
    I: Iterator<Item = &'a T>,
    F: Fn(u32) -> I,
{
    if let Some(t) = lookup_hashed(bucket, q) {
        return Some(t);
    }
    if let Some(t) = collect_md {
        if t.is_up() {
            return Some(t);
        }
    }
    match fallback {
        Some(t) if t.is_up() => Some(t),
        _ => None,
    }
}

/// `ip_tunnel_find()`: the tunnel in `p`'s bucket ([`ip_bucket`]) with
/// the same local, remote, link and device type whose key matches `p`'s
/// `i_flags`/`i_key` ([`ip_tunnel_key_match`]); up or not. Used by
/// newlink (`EEXIST`), changelink and the ioctls.
pub fn ip_tunnel_find<'a, T, I, F>(bucket: F, p: &TunnelParms, dev_type: u16) -> Option<&'a T>
where
    T: TunnelView + 'a,
    I: Iterator<Item = &'a T>,
    F: FnOnce(u32) -> I,
{
    bucket(ip_bucket(p)).find(|t| {
        p.iph.saddr == t.saddr()
            && p.iph.daddr == t.daddr()
            && p.link == t.link()
            && dev_type == t.dev_type()
            && ip_tunnel_key_match(t.i_flags(), t.i_key(), p.i_flags, p.i_key)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_values() {
        assert_eq!(hash_32(0, 7), 0);
        assert_eq!(hash_32(1, 7), 0x61C8_8647 >> 25);
        assert_eq!(hash_32(0xffff_ffff, 32), 0x61C8_8647u32.wrapping_neg());
        assert_eq!(hash_32(5, 0), 0);
        assert!(ip_tunnel_hash(0x1234_5678, 0x9abc_def0) < IP_TNL_HASH_SIZE);
    }
}
