// SPDX-License-Identifier: GPL-2.0
//! A bonding slave's info (`NETDEV_BONDING_INFO`) sent for a device by a
//! master that is not a bonding master keeping C `bonding.ko` out: the
//! listeners (mlx4/mlx5) take the device for a bonding slave, so
//! `NetDevice::bonding_info_change` only compiles for a master as
//! `UpperLink::new_bond_slave` does.
//! expect: IFF_BONDING needs KEEP_OUT = Some(KeepOut::BONDING)

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    include!("../../tests/compile-fail/common/fake_driver.rs");
    include!("../../tests/compile-fail/common/fake_master.rs");

    use super::netdev::{prelude::*, upper::BondingInfo};
    use kernel::{c_str, prelude::*};

    fake_master!(|dev, slave, rtnl| {
        // Misuse: a plain master tells a bonding slave's info.
        let info = BondingInfo {
            link: 0,
            state: 0,
            link_failure_count: 0,
            bond_mode: 0,
            num_slaves: 1,
            miimon: 0,
        };
        slave.bonding_info_change(dev, &info, rtnl);
    });
}

include!("../../tests/compile-fail/common/case_module.rs");
