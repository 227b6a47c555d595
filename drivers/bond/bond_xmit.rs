// SPDX-License-Identifier: GPL-2.0

//! Transmission (C: `bond_start_xmit` and the per-mode
//! `bond_xmit_roundrobin`, `bond_xmit_activebackup`, `bond_3ad_xor_xmit`,
//! `bond_xmit_broadcast`; balance-tlb in `bond_alb.rs`): the slave is chosen by the txsel policies over
//! the RCU snapshot, without a lock, and the packet goes down with
//! `dev_queue_xmit` on the slave.

use crate::bond_dev::{Bond, BondDriver, Mode};
use crate::bond_slave::Snapshot;
use crate::netdev::{
    lower::random_u32,
    percpu::CpuPinned,
    prelude::*,
    txsel::{
        activebackup, broadcast,
        flow::{FlowKeys, ETH_P_IP},
        hash, roundrobin,
    },
    xdp::XdpContext,
};

/// Round-robin's next slave (C: `bond_rr_gen_slave_id` and
/// `bond_get_slave_by_id`), the counter on this CPU.
fn rr_slave(b: &Bond, s: &Snapshot, pin: &impl CpuPinned) -> Option<usize> {
    let counter = if s.rr.uses_counter() {
        b.rr_counter.inc_return(pin)
    } else {
        0
    };
    let random = if s.rr.packets_per_slave() == 0 {
        random_u32()
    } else {
        0
    };
    roundrobin::select(&s.ports, roundrobin::gen_slave_id(&s.rr, counter, random))
}

/// `bond_dev_queue_xmit`: the slave gets the skb with the queue mapping it
/// had before the bond's queue was chosen.
pub(crate) fn send(dev: &Device<BondDriver>, mut skb: SkBuff, slave: &NetDevice, tx: &XmitContext) {
    skb.restore_lower_queue_mapping();
    let len = skb.len();
    skb.queue_xmit(slave);
    dev.count_tx(1, len, tx);
}

/// Transmits `skb` on the bond.
pub(crate) fn xmit(dev: &Device<BondDriver>, mut skb: SkBuff, tx: &XmitContext) {
    let rcu: &RcuGuard = tx;
    let b = dev.data();
    let Some(s) = b.snap.get(rcu) else {
        dev.count_tx_dropped();
        skb.drop_reason(DropReason::NoLower);
        return;
    };
    if let Some(p) = crate::bond_queue::slave_override(s, &skb).and_then(|i| s.slaves.get(i)) {
        send(dev, skb, &p.dev, tx);
        return;
    }
    let idx = match s.cfg.mode {
        // IGMP on `curr_active_slave`, so that one slave keeps the
        // group memberships.
        Mode::RoundRobin if is_igmp(&mut skb) => roundrobin::select_igmp(&s.ports, s.curr),
        Mode::RoundRobin => rr_slave(b, s, tx),
        Mode::ActiveBackup => activebackup::tx(&s.ports, s.active),
        // 802.3ad: the snapshot's ports outside the active aggregator are
        // marked unusable (C: `bond_3ad_xor_xmit` over `usable_slaves`).
        Mode::Xor | Mode::Lacp => {
            let keys = skb.flow_keys(s.cfg.policy, &b.flow);
            hash::select(s.cfg.policy, &keys, &s.ports)
        }
        Mode::Broadcast => {
            let Some(last) = broadcast::last(&s.ports) else {
                dev.count_tx_dropped();
                skb.drop_reason(DropReason::NoLower);
                return;
            };
            for i in broadcast::ports(&s.ports).filter(|&i| i != last) {
                match (skb.clone_atomic(), s.slaves.get(i)) {
                    (Some(c), Some(p)) => send(dev, c, &p.dev, tx),
                    _ => dev.count_tx_dropped(),
                }
            }
            Some(last)
        }
        Mode::Tlb | Mode::Alb => return crate::bond_alb::xmit(dev, skb, s, tx),
    };
    match idx.and_then(|i| s.slaves.get(i)) {
        Some(p) => send(dev, skb, &p.dev, tx),
        None => {
            dev.count_tx_dropped();
            skb.drop_reason(DropReason::NoLower);
        }
    }
}

/// Whether `skb` is IPv4 IGMP, its header pulled first as C's
/// `bond_xmit_roundrobin_slave_get` does.
#[inline]
fn is_igmp(skb: &mut SkBuff) -> bool {
    let protocol = skb.protocol();
    if protocol != ETH_P_IP {
        return false;
    }
    let Ok(noff) = u32::try_from(skb.network_offset()) else {
        return false;
    };
    skb.may_pull(noff + roundrobin::IGMP_HEADER_LEN)
        && skb
            .head_data()
            .get(noff as usize..)
            .is_some_and(|l3| roundrobin::is_igmp(protocol, l3))
}

/// The slave an `XDP_TX` frame of a slave goes out on (C:
/// `bond_xdp_get_xmit_slave`): round-robin (IGMP on the active slave or
/// the first), the active slave, or balance-xor/802.3ad's hash over the
/// usable slaves; none in broadcast, balance-tlb and balance-alb (C
/// logs "Unknown bonding mode" and gives none).
pub(crate) fn xdp_slave<'r>(
    dev: &'r Device<BondDriver>,
    frame: &[u8],
    ctx: &'r XdpContext,
) -> Option<&'r NetDevice> {
    let b = dev.data();
    let s = b.snap.get(ctx)?;
    let idx = match s.cfg.mode {
        Mode::RoundRobin => {
            if roundrobin::is_igmp_frame(frame) {
                roundrobin::select_igmp(&s.ports, s.curr)
            } else {
                rr_slave(b, s, ctx)
            }
        }
        Mode::ActiveBackup => activebackup::tx(&s.ports, s.active),
        // C: `__bond_xmit_hash` over the frame (`bond_xmit_hash_xdp`).
        Mode::Xor | Mode::Lacp => {
            let proto = match frame.get(12..14) {
                Some(p) => u16::from_be_bytes([p[0], p[1]]),
                None => 0,
            };
            let keys = FlowKeys::parse(
                frame,
                proto,
                14,
                s.cfg.policy.reads_l3(),
                s.cfg.policy.reads_l4(),
            );
            hash::select(s.cfg.policy, &keys, &s.ports)
        }
        Mode::Broadcast | Mode::Tlb | Mode::Alb => {
            if crate::netdev::log::net_ratelimit() {
                crate::netdev_err!(
                    dev,
                    "Unknown bonding mode {} for xdp xmit\n",
                    s.cfg.mode.raw()
                );
            }
            None
        }
    };
    idx.and_then(|i| s.slaves.get(i)).map(|p| &*p.dev)
}
