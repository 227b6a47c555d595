// SPDX-License-Identifier: GPL-2.0
//! The device a route leaves by is pinned only by the RCU read-side
//! section it was looked up in (the route's reference goes when the route
//! is put or its device unregisters, and the device is freed after a grace
//! period): `route_output_dev` borrows it from the guard, so it cannot be
//! used after the guard is dropped (bonding's ARP probes read it under
//! RCU).
//! expect: `rcu` does not live long enough

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::{arp::route_output_dev, inet::Ipv4Addr, prelude::*};

    /// The name of the device the route to 192.0.2.1 leaves by.
    pub(crate) fn misuse(net: &Net) -> Option<u32> {
        let dev = {
            let rcu = RcuGuard::new();
            // Misuse: the reference escapes the RCU section.
            route_output_dev(net, Ipv4Addr([192, 0, 2, 1]), &rcu)
        };
        dev.map(|d| d.mtu())
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
