// SPDX-License-Identifier: GPL-2.0

//! The bond's statistics, folded from its slaves' (C: `bond_get_stats`,
//! `bond_fold_stats`): each counter of the bond grows by how much the
//! slave's grew since the bond last looked (the slave's counters at
//! enslave are the first baseline), so a released slave takes nothing
//! back and the bond's counters never go backwards.
//!
//! C reads every slave's counters under the bond's `stats_lock`, nested by
//! the bond's depth for lockdep. Here a slave's counters are read outside
//! the bond's lock (a stacked rvnet bond takes its own, of the same lock
//! class) and folded under it; so that two readers racing cannot count a
//! growth twice, a counter's baseline only moves forward (C's rule but
//! for a slave whose counters were reset: that counter adds nothing until
//! it passes its old value again).

use crate::bond_dev::BondDriver;
use crate::bond_slave::SlavePort;
use crate::netdev::{
    device::{Stats64, STATS64_LEN},
    prelude::*,
    txsel::stats,
};
use core::sync::atomic::{AtomicU64, Ordering};

/// A slave's baseline (written under the bond's stats lock).
pub(crate) type Baseline = [AtomicU64; STATS64_LEN];

/// A baseline of the slave's counters now (at enslave).
pub(crate) fn baseline(dev: &NetDevice) -> Baseline {
    let now = dev.stats64().to_array();
    core::array::from_fn(|i| AtomicU64::new(now[i]))
}

/// Folds one slave's growth into `total`.
fn fold_slave(total: &mut [u64; STATS64_LEN], p: &SlavePort, new: &[u64; STATS64_LEN]) {
    let old: [u64; STATS64_LEN] = core::array::from_fn(|i| p.stats_base[i].load(Ordering::Relaxed));
    let before = *total;
    stats::fold(total, new, &old);
    for i in 0..STATS64_LEN {
        // Only forward (see the module documentation).
        if total[i] != before[i] {
            p.stats_base[i].store(new[i], Ordering::Relaxed);
        }
    }
}

/// `ndo_get_stats64` (C: `bond_get_stats`).
pub(crate) fn get(dev: &Device<BondDriver>, out: &mut Stats64) {
    let b = dev.data();
    let rcu = RcuGuard::new();
    if let Some(s) = b.snap.get(&rcu) {
        for p in s.slaves.iter() {
            fold_in(dev, p);
        }
    }
    *out = Stats64::from_array(&b.stats.lock());
}

/// Folds `p`'s growth into the bond's counters (also just before the
/// slave leaves: C's `bond_get_stats` in `__bond_release_one`).
pub(crate) fn fold_in(dev: &Device<BondDriver>, p: &SlavePort) {
    let new = p.dev.stats64().to_array();
    let mut total = dev.data().stats.lock();
    fold_slave(&mut total, p, &new);
}
