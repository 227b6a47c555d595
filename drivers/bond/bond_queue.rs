// SPDX-License-Identifier: GPL-2.0

//! The bond's transmit queues and the slaves' `queue_id` (C:
//! `bond_select_queue`, `bond_slave_override`, `bond_option_queue_id_set`):
//! an skb whose queue mapping (set e.g. by `tc ... action skbedit
//! queue_mapping N` on the bond) equals a slave's `queue_id` goes out on
//! that slave in balance-rr and active-backup, if its link is up; the
//! slave gets the mapping the skb had before the bond's queue was chosen.

use crate::bond_dev::{BondDriver, Ctl, Mode};
use crate::bond_slave::Snapshot;
use crate::netdev::{prelude::*, txqueue::QueueSkb, txsel::LinkState};
use core::sync::atomic::Ordering;
use kernel::prelude::*;

/// `bond_select_queue`: the recorded receive queue (folded into the real
/// queue count), the current mapping saved for the slave.
pub(crate) fn select_queue(dev: &Device<BondDriver>, skb: &mut QueueSkb<'_>) -> u16 {
    let txq = u32::from(skb.rx_queue().unwrap_or(0));
    skb.save_lower_queue_mapping();
    let real = dev.real_num_tx_queues().max(1);
    (txq % real) as u16
}

/// `bond_should_override_tx_queue` and `bond_slave_override`: the slave
/// whose `queue_id` is the skb's queue mapping, if it can take it.
#[inline]
pub(crate) fn slave_override(s: &Snapshot, skb: &SkBuff) -> Option<usize> {
    if !matches!(s.cfg.mode, Mode::RoundRobin | Mode::ActiveBackup) {
        return None;
    }
    let q = skb.queue_mapping_recorded()?;
    let i = s
        .slaves
        .iter()
        .position(|p| p.queue_id.load(Ordering::Relaxed) == q)?;
    let p = s.slaves.get(i)?;
    // A slave that is not up: the mode's own choice.
    (p.is_up() && p.link() == LinkState::Up).then_some(i)
}

/// `bond_option_queue_id_set` for `slave` (`EPERM` for anything wrong: no
/// such slave, a queue beyond the bond's, a queue another slave has).
pub(crate) fn set_queue_id(
    dev: &Device<BondDriver>,
    ctl: &Ctl,
    slave: &NetDevice,
    qid: u16,
) -> Result {
    if u32::from(qid) > dev.real_num_tx_queues() {
        return Err(EPERM);
    }
    let mut target = None;
    for s in ctl.slaves.iter() {
        if core::ptr::eq(&*s.port.dev, slave) {
            target = Some(&s.port);
        } else if qid != 0 && s.port.queue_id.load(Ordering::Relaxed) == qid {
            return Err(EPERM);
        }
    }
    target.ok_or(EPERM)?.queue_id.store(qid, Ordering::Relaxed);
    Ok(())
}
