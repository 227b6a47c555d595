// SPDX-License-Identifier: GPL-2.0

//! Hole 2 (issue 12): unlinking upper devices while iterating over the
//! adjacency list with `for_each_upper` (the unlink frees the entry the
//! iterator stands on).
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
            for up in dev.for_each_upper(rtnl) {
                up.unlink_upper_of(dev, rtnl);
            }
            NotifyResult::Done
        }
    }
}
