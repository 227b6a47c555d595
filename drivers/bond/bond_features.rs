// SPDX-License-Identifier: GPL-2.0

//! The bond's features from its slaves (C: `bond_fix_features`, and
//! `netdev_compute_master_upper_features` on enslave, release and a
//! slave's `NETDEV_FEAT_CHANGE`): the bond offers what `bond_setup` does
//! (`Setup::master_upper_features`, `vlan_filter`) narrowed to what its
//! slaves have; its `vlan_features`, `hw_enc_features`, `mpls_features`,
//! GSO limits and header room follow the slaves.

use crate::bond_dev::BondDriver;
use crate::netdev::{features::Features, prelude::*};
use core::sync::atomic::Ordering;

/// `ndo_fix_features` (C: `bond_fix_features`): the proposed features
/// reduced to the base a master starts from, each slave's added within
/// them, and TSO.
pub(crate) fn fix(dev: &Device<BondDriver>, features: Features, rtnl: &Rtnl) -> Features {
    let Ok(ctl) = dev.data().ctl.borrow(rtnl) else {
        return features;
    };
    let mut f = features.base();
    for s in ctl.slaves.iter() {
        f = f.increment(s.port.dev.features(), features);
    }
    f.add_tso(features)
}

/// Recomputes the bond's features from its slaves (C: `bond->notifier_ctx`
/// keeps the `NETDEV_FEAT_CHANGE` this sends to the slaves' stack from
/// recomputing again).
pub(crate) fn recompute(dev: &Device<BondDriver>, rtnl: &mut Rtnl) {
    let b = dev.data();
    if b.feat_busy.swap(true, Ordering::Relaxed) {
        return;
    }
    dev.compute_master_upper_features(true, rtnl);
    b.feat_busy.store(false, Ordering::Relaxed);
}
