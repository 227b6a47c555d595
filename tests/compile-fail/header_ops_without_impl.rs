// SPDX-License-Identifier: GPL-2.0
//! Header operations on a device whose driver has none: the table's
//! callbacks would read the device's private data as another driver's.
//! `Device::<D>::set_header_ops` exists only for a `D: HeaderOps`.
//! expect: but its trait bounds were not satisfied

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

        fn init(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
            // Misuse: `Fake` implements no `HeaderOps`.
            dev.set_header_ops(rtnl)
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
