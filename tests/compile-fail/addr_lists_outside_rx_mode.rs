// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 10: a device's address lists are synced to a lower device
//! only with the proof that they are locked (`AddrListsLocked`, handed to
//! `Driver::set_rx_mode` only), not from any context.
//! expect: no method named `sync_addr_lists_to` found

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::{prelude::*, vlan::AddrListsLocked};

    /// Syncs `dev`'s address lists to `lower` from anywhere.
    pub(crate) fn misuse(dev: &NetDevice, lower: &NetDevice, rtnl: &Rtnl) {
        let _: Option<&AddrListsLocked<'_>> = None;
        // Misuse: the lists are not locked here.
        dev.sync_addr_lists_to(lower);
        let _ = rtnl;
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
