// SPDX-License-Identifier: GPL-2.0

//! Network-order scalars (C's `__be16` / `__be32`) and the IPv4 address
//! class tests of include/linux/in.h.
//!
//! A [`Be32`] is the 32-bit value exactly as it sits in memory (what C's
//! `__be32` holds): `u32::from_ne_bytes(wire_bytes)`. Kernel code can pass
//! header fields and netlink `be32` attributes straight through without
//! swapping. Comparisons against constants go through [`htonl`], as in C.

/// A network-order 32-bit value as stored in memory (C's `__be32`):
/// `u32::from_ne_bytes(bytes)`. Used for IPv4 addresses and GRE keys.
pub type Be32 = u32;

/// A network-order 16-bit value as stored in memory (C's `__be16`):
/// `u16::from_ne_bytes(bytes)`.
pub type Be16 = u16;

/// `htonl()`: host-order `u32` to [`Be32`].
pub const fn htonl(v: u32) -> Be32 {
    v.to_be()
}

/// `ntohl()`: [`Be32`] to host-order `u32`.
pub const fn ntohl(v: Be32) -> u32 {
    u32::from_be(v)
}

/// `htons()`: host-order `u16` to [`Be16`].
pub const fn htons(v: u16) -> Be16 {
    v.to_be()
}

/// `ntohs()`: [`Be16`] to host-order `u16`.
pub const fn ntohs(v: Be16) -> u16 {
    u16::from_be(v)
}

/// The [`Be32`] for four wire bytes (`a.b.c.d` is `[a, b, c, d]`).
pub const fn be32_from_bytes(b: [u8; 4]) -> Be32 {
    u32::from_ne_bytes(b)
}

/// The four wire bytes of a [`Be32`].
pub const fn be32_to_bytes(v: Be32) -> [u8; 4] {
    v.to_ne_bytes()
}

/// The [`Be16`] for two wire bytes.
pub const fn be16_from_bytes(b: [u8; 2]) -> Be16 {
    u16::from_ne_bytes(b)
}

/// The two wire bytes of a [`Be16`].
pub const fn be16_to_bytes(v: Be16) -> [u8; 2] {
    v.to_ne_bytes()
}

/// `ipv4_is_multicast()`: 224.0.0.0/4.
pub const fn ipv4_is_multicast(addr: Be32) -> bool {
    (addr & htonl(0xf000_0000)) == htonl(0xe000_0000)
}

/// `ipv4_is_zeronet()`: in 6.12 this is exactly `addr == 0`.
pub const fn ipv4_is_zeronet(addr: Be32) -> bool {
    addr == 0
}

/// `ipv4_is_lbcast()`: the limited broadcast 255.255.255.255.
pub const fn ipv4_is_lbcast(addr: Be32) -> bool {
    addr == htonl(0xffff_ffff)
}

/// `ipv4_is_loopback()`: 127.0.0.0/8.
pub const fn ipv4_is_loopback(addr: Be32) -> bool {
    (addr & htonl(0xff00_0000)) == htonl(0x7f00_0000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order() {
        let a = be32_from_bytes([224, 0, 0, 1]);
        assert!(ipv4_is_multicast(a));
        assert_eq!(ntohl(a), 0xe000_0001);
        assert_eq!(be32_to_bytes(htonl(0x0a00_0001)), [10, 0, 0, 1]);
        assert!(!ipv4_is_multicast(be32_from_bytes([10, 0, 0, 224])));
        assert!(ipv4_is_multicast(be32_from_bytes([239, 255, 255, 255])));
        assert!(!ipv4_is_multicast(be32_from_bytes([240, 0, 0, 0])));
        assert!(ipv4_is_lbcast(be32_from_bytes([255; 4])));
        assert!(ipv4_is_loopback(be32_from_bytes([127, 1, 2, 3])));
        assert!(!ipv4_is_loopback(be32_from_bytes([1, 2, 3, 127])));
        assert!(ipv4_is_zeronet(0));
        assert_eq!(be16_to_bytes(htons(0x4000)), [0x40, 0]);
    }
}
