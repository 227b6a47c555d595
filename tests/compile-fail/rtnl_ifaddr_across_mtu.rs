// SPDX-License-Identifier: GPL-2.0

//! Hole 2 (issue 12): an `in_ifaddr` read under RTNL used after an MTU
//! change, which destroys the device's `in_device` and its addresses
//! below 68 bytes (`inetdev_destroy`).
//! expect: cannot borrow `*rtnl` as mutable because it is also borrowed as immutable

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

include!("../../tests/compile-fail/common/case_module.rs");

#[deny(unsafe_code)]
pub mod driver {
    use crate::netdev::{notifier::NotifyResult, prelude::*};
    use kernel::prelude::*;

    pub struct Watch;

    impl NetdevNotifier for Watch {
        fn event(&self, _event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl) -> NotifyResult {
            let first = dev
                .in_device_rtnl(rtnl)
                .and_then(|d| d.addrs_rtnl(rtnl).next());
            if let Some(ifa) = first {
                let _ = dev.set_mtu(60, rtnl);
                pr_info!("{}\n", ifa.local());
            }
            NotifyResult::Done
        }
    }
}
