// SPDX-License-Identifier: GPL-2.0
//! A LAG lower state (`NETDEV_CHANGELOWERSTATE`) sent for a device by a
//! master that is not a bonding master keeping C `bonding.ko` out: the
//! listeners read the state as a LAG port's, so
//! `NetDevice::lag_lower_state_changed` only compiles for a master as
//! `UpperLink::new_bond_slave` does.
//! expect: IFF_BONDING needs KEEP_OUT = Some(KeepOut::BONDING)

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    include!("../../tests/compile-fail/common/fake_driver.rs");
    include!("../../tests/compile-fail/common/fake_master.rs");

    use super::netdev::prelude::*;
    use kernel::{c_str, prelude::*};

    fake_master!(|dev, slave, rtnl| {
        // Misuse: a plain master tells a LAG lower state of its slave.
        slave.lag_lower_state_changed(dev, true, true, rtnl);
    });
}

include!("../../tests/compile-fail/common/case_module.rs");
