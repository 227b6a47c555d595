// SPDX-License-Identifier: GPL-2.0

//! The module parameters (C: `bond_check_params`, `bonding_init`):
//! `max_bonds`, the bonds made in the initial namespace at load
//! (`bond0`..), and `tx_queues`, the transmit queues of every bond.

use crate::bond_dev::{Bond, Config};
use crate::netdev::{
    bindings::{BOND_DEFAULT_MAX_BONDS, BOND_DEFAULT_TX_QUEUES},
    lower::{module_int_param, module_int_param2},
    prelude::*,
};
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::{c_str, prelude::*};

/// `tx_queues` as checked at load.
static TX_QUEUES: AtomicU32 = AtomicU32::new(BOND_DEFAULT_TX_QUEUES);

/// The number of transmit (and receive) queues of a new bond.
pub(crate) fn tx_queues() -> u32 {
    TX_QUEUES.load(Ordering::Relaxed)
}

/// `bond_check_params` for the two parameters: out-of-range values are
/// reset with C's warnings. Returns `max_bonds`.
pub(crate) fn check() -> u32 {
    let mut max_bonds = module_int_param();
    if max_bonds < 0 {
        // bond_main.c's `pr_warn` (no `pr_fmt`): no module prefix.
        crate::printk_warn!(
            "Warning: max_bonds ({}) not in range {}-{}, so it was reset to BOND_DEFAULT_MAX_BONDS ({})\n",
            max_bonds,
            0,
            i32::MAX,
            BOND_DEFAULT_MAX_BONDS
        );
        max_bonds = BOND_DEFAULT_MAX_BONDS as i32;
    }
    let tx = module_int_param2();
    if !(1..=255).contains(&tx) {
        crate::printk_warn!(
            "Warning: tx_queues ({}) should be between 1 and 255, resetting to {}\n",
            tx,
            BOND_DEFAULT_TX_QUEUES
        );
    } else {
        TX_QUEUES.store(tx as u32, Ordering::Relaxed);
    }
    max_bonds as u32
}

/// `bond_create(&init_net, NULL)` `n` times: `bond%d` with the defaults.
pub(crate) fn create_bonds(n: u32) -> Result {
    for _ in 0..n {
        let mut g = RtnlGuard::lock();
        let rtnl = g.token();
        let b = Bond::new(Config::default())?;
        crate::bond_sysfs::LINK.create(Net::init_net(), c_str!("bond%d").as_bytes(), b, rtnl)?;
    }
    Ok(())
}
