// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 5: VLAN group operations take a checked `VlanId`
//! (0..=4094), never a raw number that could index past the group arrays.
//! expect: expected `VlanId`, found integer

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

use netdev::{
    prelude::*,
    vlan::{VlanGroup, VlanId, ETH_P_8021Q},
};

/// Is VLAN 4096 on `real`?
pub fn lookup(real: &NetDevice, rtnl: &Rtnl) -> Result<bool> {
    let _: Option<VlanId> = None;
    // Misuse: an unchecked VID (4096 is past the 4096-slot group arrays).
    Ok(VlanGroup::of(real, rtnl).find(ETH_P_8021Q, 4096).is_some())
}

include!("../../tests/compile-fail/common/case_module.rs");
