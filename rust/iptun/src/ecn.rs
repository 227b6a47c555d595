// SPDX-License-Identifier: GPL-2.0

//! ECN propagation for tunnels (include/net/inet_ecn.h, 6.12):
//! `INET_ECN_encapsulate`, `ip_tunnel_ecn_encap` (include/net/ip_tunnels.h),
//! `__INET_ECN_decapsulate` and what `INET_ECN_decapsulate` /
//! `IP_ECN_decapsulate` / `IP6_ECN_decapsulate` then do to the inner
//! header (`IP_ECN_set_ce`, `IP6_ECN_set_ce`, `IP_ECN_set_ect1`,
//! `IP6_ECN_set_ect1`), plus `ipv6_get_dsfield` (include/net/dsfield.h).
//!
//! `ip_tunnel_rcv` drops when the decapsulation result is greater than 1
//! ([`Decap::Drop`]) and only logs for 1 ([`Decap::Log`]).

/// `INET_ECN_NOT_ECT`.
pub const INET_ECN_NOT_ECT: u8 = 0;
/// `INET_ECN_ECT_1`.
pub const INET_ECN_ECT_1: u8 = 1;
/// `INET_ECN_ECT_0`.
pub const INET_ECN_ECT_0: u8 = 2;
/// `INET_ECN_CE`.
pub const INET_ECN_CE: u8 = 3;
/// `INET_ECN_MASK`.
pub const INET_ECN_MASK: u8 = 3;
/// `INET_DSCP_MASK` (include/net/inet_dscp.h): the DSCP part of a TOS.
pub const INET_DSCP_MASK: u8 = 0xfc;

/// `INET_ECN_is_ce()`.
pub const fn inet_ecn_is_ce(dsfield: u8) -> bool {
    dsfield & INET_ECN_MASK == INET_ECN_CE
}

/// `INET_ECN_is_not_ect()`.
pub const fn inet_ecn_is_not_ect(dsfield: u8) -> bool {
    dsfield & INET_ECN_MASK == INET_ECN_NOT_ECT
}

/// `INET_ECN_is_capable()`: ECT(0) or CE (the `ECT_0` bit).
pub const fn inet_ecn_is_capable(dsfield: u8) -> bool {
    dsfield & INET_ECN_ECT_0 != 0
}

/// `INET_ECN_encapsulate()` (RFC 3168 9.1.1 full functionality): the
/// outer ECN field copies the inner one, except that CE becomes ECT(0).
pub const fn inet_ecn_encapsulate(outer: u8, inner: u8) -> u8 {
    let outer = outer & !INET_ECN_MASK;
    if inet_ecn_is_ce(inner) {
        outer | INET_ECN_ECT_0
    } else {
        outer | (inner & INET_ECN_MASK)
    }
}

/// `ip_tunnel_ecn_encap()`: [`inet_ecn_encapsulate`] with the inner
/// dsfield as `ip_tunnel_get_dsfield` gives it (IPv4 `tos`, IPv6 traffic
/// class, 0 for other payloads).
pub const fn ip_tunnel_ecn_encap(tos: u8, inner_dsfield: u8) -> u8 {
    inet_ecn_encapsulate(tos, inner_dsfield)
}

/// `ipv6_get_dsfield()`: the traffic class from the first two bytes of
/// an IPv6 header (`ntohs(*(__be16 *)ipv6h) >> 4`).
pub const fn ipv6_get_dsfield(first2: [u8; 2]) -> u8 {
    ((u16::from_be_bytes(first2) >> 4) & 0xff) as u8
}

/// The outcome of decapsulating (RFC 6040 figure 4), what
/// `INET_ECN_decapsulate()` returns and does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decap {
    /// Return 0, inner header unchanged.
    Ok,
    /// Return 0 and `INET_ECN_set_ce()` on the inner header (outer CE).
    SetCe,
    /// Return 0 and `INET_ECN_set_ect1()` on the inner header (outer
    /// ECT(1), inner ECN-capable; a no-op unless the inner is ECT(0)).
    SetEct1,
    /// Return 1: inner not-ECT under an ECT outer; log, keep the packet.
    Log,
    /// Return 2: inner not-ECT under a CE outer; `ip_tunnel_rcv` drops.
    Drop,
}

impl Decap {
    /// The C return value (0, 1 or 2).
    pub const fn rc(self) -> i32 {
        match self {
            Decap::Ok | Decap::SetCe | Decap::SetEct1 => 0,
            Decap::Log => 1,
            Decap::Drop => 2,
        }
    }

    /// `err > 1` in `ip_tunnel_rcv`: the packet is dropped.
    pub const fn drops(self) -> bool {
        self.rc() > 1
    }

    /// The inner dsfield after the action (IPv4 or IPv6 alike): `SetCe`
    /// sets CE on ECT(0)/ECT(1) (CE and not-ECT stay as they are),
    /// `SetEct1` turns ECT(0) into ECT(1). The IPv4 checksum update
    /// (`IP_ECN_set_ce`'s `csum16_add`) is the caller's.
    pub const fn apply(self, inner: u8) -> u8 {
        match self {
            Decap::SetCe => {
                if inet_ecn_is_not_ect(inner) {
                    inner
                } else {
                    inner | INET_ECN_CE
                }
            }
            Decap::SetEct1 => {
                if inner & INET_ECN_MASK == INET_ECN_ECT_0 {
                    inner ^ INET_ECN_MASK
                } else {
                    inner
                }
            }
            _ => inner,
        }
    }
}

/// `INET_ECN_decapsulate()` on the outer and inner dsfields (for
/// `IP_ECN_decapsulate` the outer IPv4 `tos`, for `IP6_ECN_decapsulate`
/// the outer traffic class). Payloads that are neither IPv4 nor IPv6 are
/// not passed here: C returns 0 without looking.
pub const fn inet_ecn_decapsulate(outer: u8, inner: u8) -> Decap {
    if inet_ecn_is_not_ect(inner) {
        return match outer & INET_ECN_MASK {
            INET_ECN_NOT_ECT => Decap::Ok,
            INET_ECN_CE => Decap::Drop,
            _ => Decap::Log,
        };
    }
    if inet_ecn_is_ce(outer) {
        Decap::SetCe
    } else if outer & INET_ECN_MASK == INET_ECN_ECT_1 {
        Decap::SetEct1
    } else {
        Decap::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6040_table() {
        use Decap::*;
        // rows: inner Not-ECT, ECT(0), ECT(1), CE; columns: outer ditto.
        let codes = [
            INET_ECN_NOT_ECT,
            INET_ECN_ECT_0,
            INET_ECN_ECT_1,
            INET_ECN_CE,
        ];
        let want_rc = [[0, 1, 1, 2], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
        let want_inner = [
            [0, 0, 0, 0],
            [INET_ECN_ECT_0, INET_ECN_ECT_0, INET_ECN_ECT_1, INET_ECN_CE],
            [INET_ECN_ECT_1, INET_ECN_ECT_1, INET_ECN_ECT_1, INET_ECN_CE],
            [INET_ECN_CE; 4],
        ];
        for (r, &i) in codes.iter().enumerate() {
            for (c, &o) in codes.iter().enumerate() {
                let d = inet_ecn_decapsulate(o, i);
                assert_eq!(d.rc(), want_rc[r][c], "inner {i} outer {o}");
                if d.rc() == 0 {
                    assert_eq!(d.apply(i), want_inner[r][c], "inner {i} outer {o}");
                }
            }
        }
        assert_eq!(inet_ecn_decapsulate(INET_ECN_CE, 0), Drop);
        assert!(Drop.drops() && !Log.drops());
    }

    #[test]
    fn encap() {
        assert_eq!(inet_ecn_encapsulate(0xb8, INET_ECN_CE), 0xba);
        assert_eq!(inet_ecn_encapsulate(0xbb, INET_ECN_ECT_1), 0xb9);
        assert_eq!(ipv6_get_dsfield([0x6b, 0x80]), 0xb8);
    }
}
