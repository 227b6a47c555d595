// SPDX-License-Identifier: GPL-2.0

//! Transmit queues of a multi-queue master: `ndo_select_queue` (the queue
//! an skb is queued on before the qdisc), the queue mapping a master keeps
//! for its lower device (C bonding's `qdisc_skb_cb(skb)->
//! slave_dev_queue_mapping`), the recorded receive queue.
//!
//! Kernel rules encoded here: `ndo_select_queue` runs in
//! `netdev_core_pick_tx`, under `rcu_read_lock_bh`, on an skb the core
//! keeps owning: the driver gets a [`QueueSkb`], a view that reads the
//! mapping fields and writes only the master's saved mapping in the
//! control block (the qdisc layer's, free at this point), never the skb
//! itself; the answer is folded into the device's real queue count by the
//! core (`netdev_cap_txqueue`).

use super::{bindings, device::NetDevice, skb::SkBuff};
use core::marker::PhantomData;

/// The skb `ndo_select_queue` is asked about, borrowed for the call.
pub struct QueueSkb<'a> {
    skb: *mut bindings::sk_buff,
    _p: PhantomData<&'a mut bindings::sk_buff>,
}

impl QueueSkb<'_> {
    /// # Safety
    ///
    /// `skb` is a valid skb, not touched by anyone else during `'a`.
    pub(crate) unsafe fn new(skb: *mut bindings::sk_buff) -> Self {
        QueueSkb {
            skb,
            _p: PhantomData,
        }
    }

    /// `skb_get_queue_mapping`.
    pub fn queue_mapping(&self) -> u16 {
        // SAFETY: the skb is valid (constructor); a plain field.
        unsafe { core::ptr::addr_of!((*self.skb).queue_mapping).read() }
    }

    /// `skb_get_rx_queue` if `skb_rx_queue_recorded`.
    pub fn rx_queue(&self) -> Option<u16> {
        self.queue_mapping().checked_sub(1)
    }

    /// Saves the current mapping for the lower device (C:
    /// `qdisc_skb_cb(skb)->slave_dev_queue_mapping = skb->queue_mapping`),
    /// which [`SkBuff::restore_lower_queue_mapping`] puts back.
    pub fn save_lower_queue_mapping(&mut self) {
        let q = self.queue_mapping();
        // SAFETY: the offset lies in `skb->cb` (checked in the bindings
        // header), a `u16`, free for the qdisc layer (the caller) now.
        unsafe {
            (self.skb.cast::<u8>())
                .add(bindings::RVNET_SKB_SLAVE_QMAP_OFF)
                .cast::<u16>()
                .write(q)
        }
    }
}

impl SkBuff {
    /// `skb_rx_queue_recorded` and the queue mapping it holds (C bonding
    /// compares it with its slaves' `queue_id`).
    #[inline]
    pub fn queue_mapping_recorded(&self) -> Option<u16> {
        let q = self.queue_mapping() as u16;
        (q != 0).then_some(q)
    }

    /// Sets the queue mapping saved by
    /// [`QueueSkb::save_lower_queue_mapping`] back (C:
    /// `skb_set_queue_mapping(skb, qdisc_skb_cb(skb)->slave_dev_queue_mapping)`
    /// in `bond_dev_queue_xmit`), before the skb goes to the lower device.
    #[inline]
    pub fn restore_lower_queue_mapping(&mut self) {
        // SAFETY: we own the skb; the offset lies in `skb->cb` (a `u16`);
        // `queue_mapping` is a plain field.
        unsafe {
            let q = self.field::<u16>(bindings::RVNET_SKB_SLAVE_QMAP_OFF).read();
            core::ptr::addr_of_mut!((*self.as_raw()).queue_mapping).write(q);
        }
    }
}

impl NetDevice {
    /// `dev->real_num_tx_queues`.
    pub fn real_num_tx_queues(&self) -> u32 {
        // SAFETY: the device is live; a plain field written under RTNL.
        unsafe { core::ptr::addr_of!((*self.as_raw()).real_num_tx_queues).read_volatile() }
    }
}
