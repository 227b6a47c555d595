// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 10: an rx_handler is unregistered only under RTNL
//! (`unregister(self, &Rtnl)`); merely dropping the registration defers the
//! unregistration to a work item of the layer that takes RTNL.
//! expect: this method takes 1 argument but 0 arguments were supplied

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

use netdev::{
    rcu::RcuGuard,
    rx_handler::{RxHandler, RxResult},
    skb::SkBuff,
};

#[deny(unsafe_code)]
mod case {
    use super::netdev::rx_handler::RxHandlerRegistration;

    /// Unregisters `reg` from a context without RTNL.
    pub(crate) fn misuse(reg: RxHandlerRegistration<crate::Port>) {
        // Misuse: no RTNL.
        reg.unregister();
    }
}

/// A port that passes every frame.
pub(crate) struct Port;

impl RxHandler for Port {
    fn handle<'a>(&'a self, skb: SkBuff, _rcu: &'a RcuGuard) -> RxResult<'a> {
        RxResult::Pass(skb)
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
