// SPDX-License-Identifier: GPL-2.0
//! A bridge (`IFF_EBRIDGE`) whose driver has no `ndo_fdb_add`: built-in
//! rtnetlink calls the master's `ndo_fdb_add` for a bridge port without
//! checking it, so `Setup::bridge_master` (and
//! `UpperLink::new_bridge_port`) refuse to compile for such a driver.
//! expect: a bridge master must implement fdb_add, fdb_del, fdb_dump and fdb_get

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    include!("../../tests/compile-fail/common/fake_driver.rs");

    use super::netdev::prelude::*;
    use kernel::{c_str, prelude::*};

    fake_driver! {
        Fake, ();

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.ether_setup();
            // Misuse: a bridge without the FDB hooks.
            dev.bridge_master();
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
