// SPDX-License-Identifier: GPL-2.0
//! A device marked `IFF_BONDING` by a driver that does not keep C
//! `bonding.ko` out: bonding's netdevice notifier casts the private data
//! of every `IFF_BONDING` device to `struct bonding`, so
//! `Setup::bonding_master` (and `UpperLink::new_bond_slave`) only compile
//! for a driver whose `KEEP_OUT` is `KeepOut::BONDING` (the veto its link
//! kind registers).
//! expect: IFF_BONDING needs KEEP_OUT = Some(KeepOut::BONDING)

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    include!("../../tests/compile-fail/common/fake_driver.rs");

    use super::netdev::{prelude::*, xdp::XdpContext};
    use kernel::{c_str, prelude::*};

    fake_driver! {
        Fake, ();

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.ether_setup();
            // Misuse: IFF_BONDING without the veto on C bonding.
            dev.bonding_master();
        }

        fn xdp_get_xmit_slave<'r>(
            _dev: &'r Device<Self>,
            _frame: &[u8],
            _ctx: &'r XdpContext,
        ) -> Option<&'r NetDevice> {
            None
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
