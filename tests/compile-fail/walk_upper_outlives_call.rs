// SPDX-License-Identifier: GPL-2.0
//! `walk_all_uppers_rcu` (`netdev_walk_all_upper_dev_rcu`) hands each
//! upper device to the callback for that call only: the walk's RCU
//! section keeps it alive, nothing keeps it once the walk has moved on
//! (an upper unlinked meanwhile is freed after the grace period), so the
//! reference cannot be kept out of the callback (bonding's learning
//! packets walk the macvlans above the bond).
//! expect: borrowed data escapes outside of closure

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::prelude::*;

    /// The MTU of the last device above `dev`.
    pub(crate) fn misuse(dev: &NetDevice) -> Option<u32> {
        let rcu = RcuGuard::new();
        let mut last = None;
        dev.walk_all_uppers_rcu(&rcu, |upper| {
            // Misuse: the reference escapes the callback.
            last = Some(upper);
            false
        });
        last.map(|d| d.mtu())
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
