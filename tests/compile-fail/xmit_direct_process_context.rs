// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 10: a lower driver is called directly only from a transmit
//! path (the `XmitContext` only `ndo_start_xmit` receives), never from
//! process context.
//! expect: this method takes 2 arguments but 1 argument was supplied

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::{lower::XmitContext, prelude::*};

    /// Hands `skb` to `lower` from process context.
    pub(crate) fn misuse(skb: SkBuff, lower: &NetDevice, rtnl: &Rtnl) {
        let _: Option<&XmitContext> = None;
        let _ = rtnl;
        // Misuse: BH are on, no RCU-bh section, no transmit path.
        if let Err(skb) = skb.xmit_direct(lower) {
            skb.drop_reason(DropReason::NoLower);
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
