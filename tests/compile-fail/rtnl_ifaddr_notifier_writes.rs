// SPDX-License-Identifier: GPL-2.0

//! Hole 2 (issue 12): an inetaddr notifier that changes the MTU (below 68
//! the IPv4 core destroys the `in_device` and frees the addresses) and then
//! uses the address it was called for. The chain hands out `&Rtnl` only.
//! expect: types differ in mutability

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

include!("../../tests/compile-fail/common/case_module.rs");

#[deny(unsafe_code)]
pub mod driver {
    use crate::netdev::{
        inet::{InIfAddr, InetAddrEvent, InetAddrNotifier},
        prelude::*,
    };
    use kernel::prelude::*;

    pub struct Addrs;

    impl InetAddrNotifier for Addrs {
        fn event(&self, _event: InetAddrEvent, ifa: &InIfAddr, rtnl: &Rtnl) {
            let _ = ifa.dev().set_mtu(60, rtnl);
            pr_info!("{}\n", ifa.local());
        }
    }
}
