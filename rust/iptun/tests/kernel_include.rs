// SPDX-License-Identifier: GPL-2.0

//! Includes the library the way a kernel module does
//! (`#[path = ".../rust/iptun/src/lib.rs"] mod iptun;`), proving the
//! sources build as a plain submodule of another crate (no `crate::`
//! paths, no external crates).

#![allow(dead_code, unused_attributes)]

#[path = "../src/lib.rs"]
mod iptun;

#[test]
fn builds_as_a_submodule() {
    let nl = iptun::parms::ipip_netlink_parms(None, 0);
    let mut buf = [0u8; iptun::ioctl::IP_TUNNEL_PARM_LEN];
    let name = *b"tunl0\0\0\0\0\0\0\0\0\0\0\0";
    assert_eq!(iptun::ioctl::write(&nl.parms, &name, &mut buf), Ok(()));
    let (n, p) = iptun::ioctl::parse(&buf).unwrap();
    assert_eq!((n, p), (name, nl.parms));
    assert_eq!(iptun::lookup::ip_bucket(&p), 0);
    assert!(iptun::ecn::inet_ecn_decapsulate(3, 0).drops());
}
