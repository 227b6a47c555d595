// SPDX-License-Identifier: GPL-2.0

//! Includes the library the way a kernel module does
//! (`#[path = ".../rust/lacp/src/lib.rs"] mod lacp;`), proving the
//! sources build as a plain submodule of another crate (no `crate::`
//! paths, no external crates).

#![allow(dead_code, unused_attributes)]

#[path = "../src/lib.rs"]
mod lacp;

#[test]
fn builds_as_a_submodule() {
    let sys = lacp::state::AdSystem {
        sys_priority: 1,
        sys_mac_addr: [2, 0, 0, 0, 0, 1],
    };
    let link = lacp::port::LinkInfo::full(1000);
    let mut p = lacp::port::PortState::bind(&lacp::port::BondParams::default(), 1, 0, &link, &sys);
    lacp::tick::before_selection(&mut p);
    let out = lacp::tick::after_selection(&mut p, &Default::default());
    assert_eq!(p.sm_mux_state, lacp::mux::MuxState::Detached);
    assert!(out.lacpdu.is_none() && p.ntt);
    let f = lacp::pdu::Lacpdu::from_port(&p).encode_frame(&[2, 0, 0, 0, 1, 1]);
    assert!(matches!(
        lacp::pdu::decode_frame(&f),
        Ok(lacp::pdu::SlowPdu::Lacpdu(_))
    ));
}
