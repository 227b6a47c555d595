// SPDX-License-Identifier: GPL-2.0

//! Hole 11 (issue 12): the same promise spelled `unsafe impl` in driver
//! code, which `#[deny(unsafe_code)]` refuses: drivers get `AtomicDrop`
//! only from `atomic_drop!`.
//! expect: implementation of an `unsafe` trait

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

include!("../../tests/compile-fail/common/case_module.rs");

#[deny(unsafe_code)]
pub mod driver {
    use crate::netdev::{
        prelude::*,
        rcu::{AtomicDrop, RcuBox},
    };
    use kernel::prelude::*;

    /// Claims to be freeable in softirq context but holds an skb.
    pub struct Held {
        pub skb: Option<SkBuff>,
    }

    unsafe impl AtomicDrop for Held {}

    pub fn retire(p: &RcuPtr<Held>, rtnl: &mut Rtnl) {
        if let Ok(b) = RcuBox::new(Held { skb: None }, GFP_KERNEL) {
            p.replace(Some(b), rtnl).defer();
        }
    }
}
