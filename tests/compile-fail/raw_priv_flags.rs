// SPDX-License-Identifier: GPL-2.0
//! Issue 12, hole 6: private flags that promise C code a private layout
//! (`IFF_BONDING`: `struct bonding`, read by C bonding's notifier;
//! `IFF_802_1Q_VLAN`: `vlan_dev_priv`, only through `VlanSetup::mark_vlan`)
//! cannot be set by a driver, nor `IFF_DISABLE_NETPOLL` cleared: raw
//! private-flag bits are the layer's only (both calls below fail).
//! expect: method `add_priv_flags` is private

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    include!("../../tests/compile-fail/common/fake_driver.rs");

    use super::netdev::{bindings, prelude::*};
    use kernel::{c_str, prelude::*};

    fake_driver! {
        Fake, ();

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.ether_setup();
            // Misuse: claims to be a C bond without a `struct bonding`.
            dev.add_priv_flags(bindings::netdev_priv_flags_IFF_BONDING as u64);
            // Misuse: a VLAN without `vlan_dev_priv`, and netpoll back on.
            dev.update_priv_flags(
                bindings::netdev_priv_flags_IFF_802_1Q_VLAN as u64,
                bindings::netdev_priv_flags_IFF_DISABLE_NETPOLL as u64,
            );
        }
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
