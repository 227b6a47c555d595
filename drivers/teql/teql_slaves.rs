// SPDX-License-Identifier: GPL-2.0

//! The slave set of a master: an array published with RCU, so that the
//! transmit path reads it without a lock; slaves join and leave under RTNL
//! (qdisc `init`/`destroy`), which builds a new array and retires the old
//! one. The old array is freed from an RCU callback after a grace period
//! (`Retired::defer`): like C `sch_teql`, `tc qdisc add/del` never waits for
//! one. Nothing needs the old array gone when the command returns: its
//! references on slave devices are dropped by the callback, and a device
//! being unregistered waits for those (`netdev_run_todo` runs
//! `rcu_barrier()` before waiting for references).

use crate::netdev::{
    percpu::PerCpu,
    prelude::*,
    qdisc::QdiscId,
    rcu::{RcuBox, Retired},
};
use kernel::{alloc::KVec, prelude::*, sync::Arc, types::ARef};

crate::atomic_drop! {
    /// Per-slave counters, shared between the slave's qdisc and the set.
    pub(crate) struct SlaveStats {
        /// Packets the master sent through this slave (per CPU: the
        /// transmit path of every CPU adds to it).
        pub(crate) tx_packets: PerCpu<u64>,
    }
}

crate::atomic_drop! {
    /// One slave: its device (held) and the identity of its teql qdisc.
    pub(crate) struct Slave {
        pub(crate) dev: ARef<NetDevice>,
        pub(crate) qdisc: QdiscId,
        pub(crate) stats: Arc<SlaveStats>,
    }
}

impl Slave {
    fn clone_entry(&self) -> Slave {
        Slave {
            dev: self.dev.clone(),
            qdisc: self.qdisc,
            stats: self.stats.clone(),
        }
    }

    /// Packets sent through this slave so far.
    pub(crate) fn tx_packets(&self) -> u64 {
        self.stats.tx_packets.sum()
    }
}

crate::atomic_drop! {
    /// The published array.
    pub(crate) struct SlaveSet {
        pub(crate) slaves: KVec<Slave>,
    }
}

/// Frees a replaced array after a grace period, without waiting.
fn retire(old: Retired<SlaveSet>) {
    old.defer();
}

/// Publishes `old` plus `new` at the end.
pub(crate) fn add(set: &RcuPtr<SlaveSet>, new: Slave, rtnl: &mut Rtnl) -> Result {
    let mut v = KVec::new();
    if let Some(cur) = set.get_rtnl(rtnl) {
        for s in cur.slaves.iter() {
            v.push(s.clone_entry(), GFP_KERNEL)?;
        }
    }
    v.push(new, GFP_KERNEL)?;
    retire(set.replace(Some(RcuBox::new(SlaveSet { slaves: v }, GFP_KERNEL)?), rtnl));
    Ok(())
}

/// Publishes the set without the slave whose qdisc is `id`; returns the
/// number of slaves left, `None` if `id` was not in the set. The old set
/// is freed after a grace period.
pub(crate) fn remove(set: &RcuPtr<SlaveSet>, id: QdiscId, rtnl: &mut Rtnl) -> Option<usize> {
    let cur = set.get_rtnl(rtnl)?;
    if !cur.slaves.iter().any(|s| s.qdisc == id) {
        return None;
    }
    let mut v = KVec::new();
    for s in cur.slaves.iter().filter(|s| s.qdisc != id) {
        // Allocation failure while detaching cannot be reported: fall back
        // to unpublishing the whole set rather than keeping a dead slave.
        if v.push(s.clone_entry(), GFP_KERNEL).is_err() {
            retire(set.replace(None, rtnl));
            return Some(0);
        }
    }
    let left = v.len();
    let new = if left == 0 {
        None
    } else {
        RcuBox::new(SlaveSet { slaves: v }, GFP_KERNEL).ok()
    };
    retire(set.replace(new, rtnl));
    Some(left)
}
