// SPDX-License-Identifier: GPL-2.0
//! Issue 15 (sit): a decapsulated packet goes up (`netif_rx`) only from a
//! receive path (the `RxContext` a protocol handler gets: softirq, RCU
//! held), never from process context.
//! expect: this method takes 1 argument but 0 arguments were supplied

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::prelude::*;

    /// Delivers `skb` from process context.
    pub(crate) fn misuse(skb: SkBuff, rtnl: &Rtnl) {
        let _ = rtnl;
        // Misuse: no receive path, no RCU section.
        skb.netif_rx();
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
