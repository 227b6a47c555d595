// SPDX-License-Identifier: GPL-2.0

//! Addresses as the kernel's `printk` formats them (lib/vsprintf.c), for
//! the tunnel drivers' log lines: `%pI4` ([`Ipv4`]) and `%pI6c`
//! ([`Ipv6c`]: RFC 5952 compression, and the last 32 bits as a dotted
//! quad for IPv4-mapped and ISATAP addresses, `ip6_compressed_string`).
//! Plain `core::fmt`: no allocation.

use super::addr::{be32_to_bytes, Be32};
use super::sit::ipv6_addr_is_isatap;
use core::fmt;

/// `%pI4`: an IPv4 address (network order, as it sits in memory).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4(pub Be32);

impl fmt::Display for Ipv4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = be32_to_bytes(self.0);
        write!(f, "{}.{}.{}.{}", b[0], b[1], b[2], b[3])
    }
}

/// `%pI6c`: an IPv6 address, compressed as `ip6_compressed_string`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv6c(pub [u8; 16]);

impl Ipv6c {
    fn word(&self, i: usize) -> u16 {
        u16::from_be_bytes([self.0[2 * i], self.0[2 * i + 1]])
    }

    /// `ipv6_addr_v4mapped`: `::ffff:a.b.c.d`.
    fn v4mapped(&self) -> bool {
        self.0[..10].iter().all(|&b| b == 0) && self.0[10] == 0xff && self.0[11] == 0xff
    }
}

impl fmt::Display for Ipv6c {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let use_ipv4 = self.v4mapped() || ipv6_addr_is_isatap(&self.0);
        let range = if use_ipv4 { 6 } else { 8 };
        // The longest run of zero words, the first of equal ones; a
        // single zero word is not compressed.
        let mut longest = 1;
        let mut colonpos = None;
        for i in 0..range {
            let run = (i..range).take_while(|&j| self.word(j) == 0).count();
            if run > longest {
                longest = run;
                colonpos = Some(i);
            }
        }
        let mut needcolon = false;
        let mut i = 0;
        while i < range {
            if colonpos == Some(i) {
                if needcolon || i == 0 {
                    f.write_str(":")?;
                }
                f.write_str(":")?;
                needcolon = false;
                i += longest;
                continue;
            }
            if needcolon {
                f.write_str(":")?;
            }
            write!(f, "{:x}", self.word(i))?;
            needcolon = true;
            i += 1;
        }
        if use_ipv4 {
            if needcolon {
                f.write_str(":")?;
            }
            let b = &self.0[12..16];
            write!(f, "{}.{}.{}.{}", b[0], b[1], b[2], b[3])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::addr::be32_from_bytes;
    use super::*;

    fn v6(s: &str) -> [u8; 16] {
        s.parse::<std::net::Ipv6Addr>().unwrap().octets()
    }

    #[test]
    fn ipv4_dotted_quad() {
        assert_eq!(
            Ipv4(be32_from_bytes([10, 0, 255, 1])).to_string(),
            "10.0.255.1"
        );
        assert_eq!(Ipv4(0).to_string(), "0.0.0.0");
    }

    #[test]
    fn ipv6_compressed_as_the_kernel() {
        for (a, want) in [
            ("::", "::"),
            ("::1", "::1"),
            ("1::", "1::"),
            ("2001:db8::1", "2001:db8::1"),
            ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
            ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:6"),
            ("2001:db8:0:2:3:4:5:6", "2001:db8:0:2:3:4:5:6"),
            ("::ffff:10.1.2.3", "::ffff:10.1.2.3"),
            ("fe80::5efe:10.1.2.3", "fe80::5efe:10.1.2.3"),
            ("fe80::200:5efe:10.1.2.3", "fe80::200:5efe:10.1.2.3"),
            (
                "2001:db8:1:2:0:5efe:c0a8:1",
                "2001:db8:1:2:0:5efe:192.168.0.1",
            ),
        ] {
            assert_eq!(Ipv6c(v6(a)).to_string(), want, "{a}");
        }
    }
}
