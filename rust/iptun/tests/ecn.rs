// SPDX-License-Identifier: GPL-2.0

//! ECN encapsulation and decapsulation over all 256 x 256 dsfield pairs
//! against a direct transcription of include/net/inet_ecn.h.

use iptun::ecn::{inet_ecn_decapsulate, inet_ecn_encapsulate, ip_tunnel_ecn_encap, Decap};

fn c_encapsulate(outer: u8, inner: u8) -> u8 {
    let mut outer = outer & !3;
    outer |= if (inner & 3) != 3 { inner & 3 } else { 2 };
    outer
}

/// `__INET_ECN_decapsulate` + `INET_ECN_decapsulate`: (rc, new inner).
fn c_decapsulate(outer: u8, inner: u8) -> (i32, u8) {
    let mut set_ce = false;
    let rc = if inner & 3 == 0 {
        match outer & 3 {
            0 => 0,
            1 | 2 => 1,
            _ => 2,
        }
    } else {
        set_ce = outer & 3 == 3;
        0
    };
    let mut new = inner;
    if rc == 0 {
        if set_ce {
            // IP_ECN_set_ce: ecn = (tos + 1) & 3; if !(ecn & 2) no change.
            let ecn = (inner.wrapping_add(1)) & 3;
            if ecn & 2 != 0 {
                new |= 3;
            }
        } else if outer & 3 == 1 && inner & 3 == 2 {
            new ^= 3;
        }
    }
    (rc, new)
}

#[test]
fn exhaustive_pairs() {
    for outer in 0..=255u8 {
        for inner in 0..=255u8 {
            assert_eq!(
                inet_ecn_encapsulate(outer, inner),
                c_encapsulate(outer, inner)
            );
            assert_eq!(
                ip_tunnel_ecn_encap(outer, inner),
                c_encapsulate(outer, inner)
            );
            let d = inet_ecn_decapsulate(outer, inner);
            let (rc, new) = c_decapsulate(outer, inner);
            assert_eq!(d.rc(), rc, "outer {outer:#x} inner {inner:#x}");
            assert_eq!(d.drops(), rc > 1);
            if rc == 0 {
                assert_eq!(d.apply(inner), new, "outer {outer:#x} inner {inner:#x}");
            } else {
                assert!(matches!(d, Decap::Log | Decap::Drop));
                assert_eq!(d.apply(inner), inner);
            }
            // The DSCP bits are never touched.
            assert_eq!(d.apply(inner) & 0xfc, inner & 0xfc);
        }
    }
}
