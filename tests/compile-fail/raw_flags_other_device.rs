// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 10: `dev->flags`/`dev->mtu` are written behind the core's
//! back only on a driver's own devices (`Device<D>`), never on any device.
//! expect: no method named `set_flags_raw` found

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::prelude::*;

    /// Clears `IFF_UP` on any device without telling anyone.
    pub(crate) fn misuse(lower: &NetDevice, rtnl: &Rtnl) {
        // Misuse: not our device.
        lower.set_flags_raw(0, 1, rtnl);
        lower.set_mtu_raw(0, rtnl);
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
