// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 5: only a VLAN device changes a VLAN group, and only its
//! own slot (`VlanSlot::of(dev)`): a lower device's group cannot be given
//! VIDs or receivers for any device.
//! expect: no method named `add_vid` found

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

use netdev::{
    prelude::*,
    vlan::{VlanGroup, VlanId, ETH_P_8021Q},
};

/// Adds VID 5 to `real`'s group on behalf of nobody.
pub fn hijack(real: &NetDevice, rtnl: &Rtnl) -> Result {
    let vid = VlanId::new(5).ok_or(EINVAL)?;
    // Misuse: a VID in any device's group, owned by no VLAN device.
    VlanGroup::of(real, rtnl).add_vid(ETH_P_8021Q, vid)
}

include!("../../tests/compile-fail/common/case_module.rs");
