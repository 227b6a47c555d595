// SPDX-License-Identifier: GPL-2.0

//! Hole 2 (issue 12): a value read with `RcuPtr::get_rtnl` used after
//! `replace` retired (and freed) it under the same RTNL section.
//! expect: cannot borrow `*rtnl` as mutable because it is also borrowed as immutable

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

include!("../../tests/compile-fail/common/case_module.rs");

#[deny(unsafe_code)]
pub mod driver {
    use crate::netdev::{notifier::NotifyResult, prelude::*, rcu::RcuBox};
    use kernel::prelude::*;

    pub struct Watch {
        last: RcuPtr<u32>,
    }

    impl NetdevNotifier for Watch {
        fn event(&self, _event: NetdevEvent, _dev: &NetDevice, rtnl: &mut Rtnl) -> NotifyResult {
            let old = self.last.get_rtnl(rtnl);
            if let Ok(b) = RcuBox::new(1, GFP_KERNEL) {
                self.last.replace(Some(b), rtnl).defer();
            }
            pr_info!("{}\n", old.copied().unwrap_or(0));
            NotifyResult::Done
        }
    }
}
