// SPDX-License-Identifier: GPL-2.0

//! IPv4 alias labels, the pure half of the rvnet alias driver.
//!
//! In Linux an alias interface (`eth0:1`) is not a device: it is an IPv4
//! address whose label (`ifa_label`, at most `IFNAMSIZ - 1` bytes) is
//! `<device>:<suffix>`. This crate holds the decisions the driver makes about
//! labels, as plain functions over bytes: no kernel bindings, no allocation,
//! no `unsafe`, no panics on any input. It is compiled both as a normal
//! `no_std` crate (host tests: `cargo test`) and, in the kernel, as a module
//! of the driver crate:
//!
//! ```text
//! #[path = "../../rust/aliaslabel/src/lib.rs"]
//! pub mod aliaslabel;
//! ```
//!
//! Every intra-crate path is therefore written relative to the module.
#![cfg_attr(not(any(test, CONFIG_RUST)), no_std)]

use core::fmt;

/// `IFNAMSIZ`: a label, like a device name, fits in 16 bytes with its NUL.
pub const IFNAMSIZ: usize = 16;

/// An address label (or device name): at most `IFNAMSIZ - 1` bytes, copied.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Label {
    buf: [u8; IFNAMSIZ],
    len: u8,
}

impl Label {
    /// The empty label.
    pub const EMPTY: Label = Label {
        buf: [0; IFNAMSIZ],
        len: 0,
    };

    /// Copies `bytes` up to the first NUL, keeping at most `IFNAMSIZ - 1`
    /// bytes (as the kernel's fixed arrays do).
    pub fn new(bytes: &[u8]) -> Label {
        let mut out = Label::EMPTY;
        for &c in bytes.iter().take(IFNAMSIZ - 1) {
            if c == 0 {
                break;
            }
            out.buf[out.len as usize] = c;
            out.len += 1;
        }
        out
    }

    /// The label's bytes (no NUL).
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }

    /// Appends `bytes`, silently stopping at `IFNAMSIZ - 1` bytes.
    fn push(&mut self, bytes: &[u8]) {
        for &c in bytes {
            if self.len as usize >= IFNAMSIZ - 1 {
                break;
            }
            self.buf[self.len as usize] = c;
            self.len += 1;
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(core::str::from_utf8(self.as_bytes()).unwrap_or("?"))
    }
}

impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Label({self})")
    }
}

/// Splits `label` at its first `':'` into (device part, suffix).
///
/// `b"eth0:1"` gives `(b"eth0", b"1")`; a label without `':'` gives `None`.
pub fn split(label: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = label.iter().position(|&c| c == b':')?;
    Some((&label[..colon], &label[colon + 1..]))
}

/// True if an address labelled `label` on device `dev` is an alias, i.e.
/// the label is not the device name and has a `':'` (the rule `ifconfig`
/// and `ip addr show` use to print `eth0:1` as its own line).
///
/// Addresses whose label is the device name are never aliases, whatever
/// the device is called.
pub fn is_alias(label: &[u8], dev: &[u8]) -> bool {
    label != dev && split(label).is_some()
}

/// True if `label` is `<dev>:<suffix>` with a non-empty suffix, fits in a
/// label, and has no byte `ip`/`ifconfig` refuse in names (NUL, `'/'`,
/// white space) — the shape `ip addr add ... label` (iproute2 checks the
/// prefix) and `ifconfig dev:suffix` create. The kernel itself stores any
/// label it is given, so the view shows non-conforming aliases too, marked.
pub fn is_well_formed(label: &[u8], dev: &[u8]) -> bool {
    let Some((d, suffix)) = split(label) else {
        return false;
    };
    label.len() < IFNAMSIZ
        && d == dev
        && !suffix.is_empty()
        && !label
            .iter()
            .any(|&c| c == 0 || c == b'/' || c.is_ascii_whitespace())
}

/// The label the kernel gives the address at `position` (1-based, in the
/// device's address list) when the device is renamed to `new_dev`; mirrors
/// `inetdev_changename()` in `net/ipv4/devinet.c` (Linux 6.12):
///
/// - the first address takes the bare new name (even if it was an alias);
/// - every other address keeps the `":suffix"` of its old label, or gets
///   `":<position>"` if its old label had none (so a plain secondary
///   address becomes an alias on rename);
/// - if name and suffix do not fit, the suffix overwrites the name's tail.
pub fn renamed(old: &[u8], new_dev: &[u8], position: usize) -> Label {
    let mut out = Label::new(new_dev);
    if position <= 1 {
        return out;
    }
    let mut num = NumBuf::new();
    let dot: &[u8] = match old.iter().position(|&c| c == b':') {
        Some(i) => &old[i..],
        None => num.colon_number(position),
    };
    // The C code works on a 16-byte copy of the old label.
    let dot = &dot[..dot.len().min(IFNAMSIZ - 1)];
    if dot.len() + out.as_bytes().len() < IFNAMSIZ {
        out.push(dot);
    } else {
        // strcpy(label + (IFNAMSIZ - strlen(dot) - 1), dot)
        out.len = (IFNAMSIZ - 1 - dot.len()) as u8;
        out.push(dot);
    }
    out
}

/// A small buffer for `":%d"`.
struct NumBuf {
    buf: [u8; 24],
    len: usize,
}

impl NumBuf {
    fn new() -> Self {
        NumBuf {
            buf: [0; 24],
            len: 0,
        }
    }

    fn colon_number(&mut self, mut n: usize) -> &[u8] {
        let mut digits = [0u8; 20];
        let mut nd = 0;
        loop {
            digits[nd] = b'0' + (n % 10) as u8;
            nd += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.buf[0] = b':';
        for i in 0..nd {
            self.buf[1 + i] = digits[nd - 1 - i];
        }
        self.len = nd + 1;
        &self.buf[..self.len]
    }
}

/// The order of the view: by interface index, then by position in the
/// device's address list (which is the kernel's order: primaries first).
pub fn order_key(ifindex: i32, position: u32) -> u64 {
    ((ifindex as u32 as u64) << 32) | position as u64
}

/// The name `ip addr` prints for an address scope (`rt_scope_t`).
pub fn scope_name(scope: u8) -> &'static str {
    match scope {
        0 => "global",
        200 => "site",
        253 => "link",
        254 => "host",
        255 => "nowhere",
        _ => "other",
    }
}

/// The real device's state as the view prints it: `UP` (administratively
/// up), `LOWER_UP` (running with carrier, as `ip link` prints it), or
/// `DOWN`.
pub fn device_state(up: bool, lower_up: bool) -> &'static str {
    match (up, lower_up) {
        (true, true) => "UP,LOWER_UP",
        (true, false) => "UP",
        (false, true) => "LOWER_UP",
        (false, false) => "DOWN",
    }
}

/// The prefix length of a netmask in host byte order (contiguous masks,
/// as the kernel keeps them); used to cross-check `ifa_prefixlen`.
pub fn prefix_len(mask: u32) -> u8 {
    mask.leading_ones() as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(old: &str, new: &str, pos: usize) -> String {
        renamed(old.as_bytes(), new.as_bytes(), pos).to_string()
    }

    #[test]
    fn split_labels() {
        assert_eq!(split(b"eth0:1"), Some((&b"eth0"[..], &b"1"[..])));
        assert_eq!(split(b"eth0:a:b"), Some((&b"eth0"[..], &b"a:b"[..])));
        assert_eq!(split(b"eth0:"), Some((&b"eth0"[..], &b""[..])));
        assert_eq!(split(b"eth0"), None);
        assert_eq!(split(b""), None);
    }

    #[test]
    fn aliases_are_colon_labels_other_than_the_name() {
        assert!(is_alias(b"eth0:1", b"eth0"));
        assert!(is_alias(b"eth0:web", b"eth0"));
        assert!(!is_alias(b"eth0", b"eth0"));
        // A plain label different from the name (raw netlink) is no alias.
        assert!(!is_alias(b"foo", b"eth0"));
        // A device whose own name has a colon: its plain addresses are not
        // aliases.
        assert!(!is_alias(b"a:b", b"a:b"));
        assert!(is_alias(b"a:b:1", b"a:b"));
    }

    #[test]
    fn well_formed() {
        assert!(is_well_formed(b"eth0:1", b"eth0"));
        assert!(is_well_formed(b"eth0:web", b"eth0"));
        assert!(!is_well_formed(b"eth0:", b"eth0"));
        assert!(!is_well_formed(b"eth1:1", b"eth0"));
        assert!(!is_well_formed(b"eth0", b"eth0"));
        assert!(!is_well_formed(b"eth0:a b", b"eth0"));
        assert!(!is_well_formed(b"eth0:a/b", b"eth0"));
        assert!(!is_well_formed(b"eth0:0123456789a", b"eth0"));
    }

    #[test]
    fn label_copy_stops_at_nul_and_15_bytes() {
        assert_eq!(Label::new(b"eth0\0junk").as_bytes(), b"eth0");
        assert_eq!(
            Label::new(b"0123456789abcdefgh").as_bytes(),
            b"0123456789abcde"
        );
        assert_eq!(format!("{:<8}|", Label::new(b"ab")), "ab      |");
    }

    #[test]
    fn rename_like_inetdev_changename() {
        // First address: bare new name, alias or not.
        assert_eq!(r("eth0", "lan0", 1), "lan0");
        assert_eq!(r("eth0:7", "lan0", 1), "lan0");
        // Others keep their suffix...
        assert_eq!(r("eth0:1", "lan0", 2), "lan0:1");
        assert_eq!(r("eth0:web", "lan0", 5), "lan0:web");
        // ... or get ":position" when they had none.
        assert_eq!(r("eth0", "lan0", 2), "lan0:2");
        assert_eq!(r("eth0", "lan0", 12), "lan0:12");
        // Too long: the suffix overwrites the tail of the name.
        assert_eq!(r("e:123", "abcdefghijklmn", 2), "abcdefghijk:123");
        assert_eq!(r("e:1", "abcdefghijkl", 2), "abcdefghijkl:1");
        assert_eq!(r("e:12", "abcdefghijkl", 2), "abcdefghijkl:12");
        assert_eq!(r("e:123", "abcdefghijkl", 2), "abcdefghijk:123");
        assert_eq!(r("e", "abcdefghijklmno", 3), "abcdefghijklm:3");
    }

    #[test]
    fn rename_never_overflows() {
        let names = ["", "a", "eth0", "abcdefghijklmno"];
        let olds = ["", "x", "x:", "x:1", ":abcdefghijklmn", "abcdefghijklm:1"];
        for n in names {
            for o in olds {
                for p in [0, 1, 2, 9, 10, 99999, usize::MAX] {
                    let l = renamed(o.as_bytes(), n.as_bytes(), p);
                    assert!(l.as_bytes().len() < IFNAMSIZ, "{n} {o} {p}: {l}");
                    if p <= 1 {
                        assert_eq!(l.as_bytes(), n.as_bytes());
                    }
                }
            }
        }
    }

    #[test]
    fn ordering() {
        let mut v = [(3, 0), (2, 5), (2, 1), (10, 0), (1, 7)];
        v.sort_by_key(|&(i, p)| order_key(i, p));
        assert_eq!(v, [(1, 7), (2, 1), (2, 5), (3, 0), (10, 0)]);
        assert!(order_key(1, u32::MAX) < order_key(2, 0));
    }

    #[test]
    fn names() {
        assert_eq!(scope_name(0), "global");
        assert_eq!(scope_name(253), "link");
        assert_eq!(scope_name(254), "host");
        assert_eq!(scope_name(7), "other");
        assert_eq!(device_state(true, true), "UP,LOWER_UP");
        assert_eq!(device_state(true, false), "UP");
        assert_eq!(device_state(false, false), "DOWN");
        assert_eq!(prefix_len(0xffff_ff00), 24);
        assert_eq!(prefix_len(0), 0);
        assert_eq!(prefix_len(u32::MAX), 32);
    }
}
