// SPDX-License-Identifier: GPL-2.0
//! A device's type change (between `NETDEV_PRE_TYPE_CHANGE` and the
//! `NETDEV_POST_TYPE_CHANGE` its end sends) kept open after RTNL is
//! released: other RTNL holders would see the device half changed, and
//! the POST notification would run without RTNL. The `TypeChange`
//! borrows the RTNL for its whole life.
//! expect: cannot move out of `g` because it is borrowed

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
        }
    }

    pub(crate) fn change(dev: &Device<Fake>) {
        let mut g = RtnlGuard::lock();
        let Ok(mut tc) = dev.begin_type_change(&mut g) else {
            return;
        };
        // Misuse: RTNL released while the change is open.
        drop(g);
        tc.flush_addr_lists();
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
