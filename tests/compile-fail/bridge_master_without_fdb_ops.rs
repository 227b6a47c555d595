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
    use super::netdev::prelude::*;
    use kernel::{c_str, prelude::*};

    pub(crate) struct Fake;

    #[vtable]
    impl Driver for Fake {
        type Data = ();

        const INFO: DriverInfo = DriverInfo {
            name: c_str!("fake"),
            version: c_str!("0"),
        };

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.ether_setup();
            // Misuse: a bridge without the FDB hooks.
            dev.bridge_master();
        }

        fn start_xmit<'x>(_dev: &Device<Self>, _skb: TxSkb<'x>, _tx: &XmitContext) -> TxResult<'x> {
            TxResult::Ok
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
