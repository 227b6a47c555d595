// SPDX-License-Identifier: GPL-2.0

//! Includes the library the way a kernel module does
//! (`#[path = ".../rust/txsel/src/lib.rs"] mod txsel;`), proving the
//! sources build as a plain submodule of another crate (no `crate::`
//! paths, no external crates).

#![allow(dead_code, unused_attributes)]

#[path = "../src/lib.rs"]
mod txsel;

#[test]
fn builds_as_a_submodule() {
    let p = [txsel::Port::new(0), txsel::Port::new(1)];
    assert_eq!(txsel::roundrobin::select(&p, 3), Some(1));
    let k = txsel::flow::FlowKeys::default();
    let h = txsel::hash::xmit_hash(txsel::hash::XmitPolicy::Layer2, &k);
    assert_eq!(h, 0);
}
