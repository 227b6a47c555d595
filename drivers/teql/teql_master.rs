// SPDX-License-Identifier: GPL-2.0

//! The master device `teqlN` and its transmit path (C: `teql_master_*`).

use crate::netdev::txsel::teql::{advance, Advance};
use crate::netdev::{
    device::flags,
    lower::{ll_max_header, Resolve, NETDEV_TX_OK, NET_XMIT_CN},
    prelude::*,
};
use crate::teql_slaves::SlaveSet;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use kernel::{c_str, prelude::*};

/// `IFF_BROADCAST | IFF_POINTOPOINT`: the flags a master takes from its slaves.
pub(crate) const FMASK: u32 = flags::IFF_BROADCAST | flags::IFF_POINTOPOINT;

/// The master driver.
pub(crate) struct TeqlMaster;

/// Master state.
pub(crate) struct Master {
    /// The slaves, in striping order.
    pub(crate) slaves: RcuPtr<SlaveSet>,
    /// Index of the slave tried first (C's `master->slaves` head).
    pub(crate) start: AtomicUsize,
    /// Packets that no slave could take.
    pub(crate) tx_errors: AtomicU64,
}

impl Master {
    pub(crate) fn new() -> Self {
        Master {
            slaves: RcuPtr::null(),
            start: AtomicUsize::new(0),
            tx_errors: AtomicU64::new(0),
        }
    }

    /// Makes slave `idx` of an `n`-slave set the first one tried.
    pub(crate) fn set_start(&self, idx: usize) {
        self.start.store(idx, Ordering::Relaxed);
    }

    /// After a packet went out through slave `used`, moves the start on as
    /// Linux does: only if the start itself was used.
    fn advance(&self, start: usize, used: usize, n: usize) {
        let next = advance(Advance::Linux, start, used, n);
        let _ = self
            .start
            .compare_exchange(start, next, Ordering::Relaxed, Ordering::Relaxed);
    }
}

#[vtable]
impl Driver for TeqlMaster {
    type Data = Master;

    const INFO: DriverInfo = DriverInfo {
        name: c_str!("rvnet_teql"),
        version: c_str!("1.0"),
    };
    const PCPU_STATS: bool = true;
    const ETH_ADDR: bool = false;

    fn setup(dev: &mut Setup<'_, Self>) {
        dev.void_setup(ll_max_header());
        dev.set_mtu(1500, 68, 65535);
        dev.set_tx_queue_len(100);
        dev.set_flags(flags::IFF_NOARP);
    }

    fn open(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        let Some(set) = dev.data().slaves.get_rtnl(rtnl) else {
            return Err(crate::netdev::errno::err(crate::netdev::errno::EUNATCH));
        };
        let mut mtu = 0xFFFE;
        let mut fl = FMASK | flags::IFF_MULTICAST;
        for s in set.slaves.iter() {
            mtu = mtu.min(s.dev.mtu());
            if s.dev.hard_header_len() > ll_max_header() {
                return Err(EINVAL);
            }
            // All slaves broadcast: broadcast; all point-to-point: PtP;
            // otherwise NBMA.
            fl &= s.dev.flags() | !(FMASK | flags::IFF_MULTICAST);
        }
        dev.set_mtu_raw(mtu, rtnl);
        dev.set_flags_raw(fl & FMASK, FMASK, rtnl);
        dev.set_flags_raw(fl & flags::IFF_MULTICAST, flags::IFF_MULTICAST, rtnl);
        dev.start_queue();
        Ok(())
    }

    fn stop(dev: &Device<Self>, _rtnl: &mut Rtnl) -> Result {
        dev.stop_queue();
        Ok(())
    }

    fn change_mtu(dev: &Device<Self>, new_mtu: u32, rtnl: &mut Rtnl) -> Result {
        if let Some(set) = dev.data().slaves.get_rtnl(rtnl) {
            if set.slaves.iter().any(|s| new_mtu > s.dev.mtu()) {
                return Err(EINVAL);
            }
        }
        Ok(())
    }

    fn start_xmit<'x>(dev: &Device<Self>, skb: TxSkb<'x>, tx: &XmitContext) -> TxResult<'x> {
        let m = dev.data();
        let mut skb = skb;
        // First pass: only resolved neighbours. Second pass (if some slave
        // had none): let the neighbour queue the packet, as C does.
        let mut queue = false;
        while let Some(set) = m.slaves.get(tx) {
            let n = set.slaves.len();
            if n == 0 {
                break;
            }
            let start = m.start.load(Ordering::Relaxed) % n;
            let subq = skb.queue_mapping();
            let mut busy = false;
            let mut nores = false;
            for i in 0..n {
                let idx = (start + i) % n;
                let Some(s) = set.slaves.get(idx) else {
                    continue;
                };
                let slave: &NetDevice = &s.dev;
                if !slave.txq0_qdisc_is(s.qdisc) {
                    continue;
                }
                if slave.xmit_stopped(subq) || !slave.is_running() {
                    busy = true;
                    continue;
                }
                if slave.txq0_is_noop() {
                    nores = true;
                    continue;
                }
                match skb.resolve_l2(slave, queue) {
                    Resolve::Ready(ready) => {
                        let len = ready.len();
                        match ready.xmit_direct(slave, tx) {
                            Ok(rc) => {
                                if rc != NETDEV_TX_OK && rc != NET_XMIT_CN {
                                    dev.count_tx_dropped();
                                    return TxResult::Ok;
                                }
                                m.advance(start, idx, n);
                                dev.wake_queue();
                                dev.count_tx(1, len, tx);
                                s.stats.tx_packets.add(1, tx);
                                return TxResult::Ok;
                            }
                            Err(back) => {
                                skb = back;
                                if dev.xmit_stopped(0) {
                                    busy = true;
                                }
                            }
                        }
                    }
                    Resolve::Queued => {
                        m.advance(start, idx, n);
                        return TxResult::Ok;
                    }
                    Resolve::Failed(back, _) => {
                        skb = back;
                        nores = true;
                    }
                }
                skb.back_to_network(dev);
            }
            if nores && !queue {
                queue = true;
                continue;
            }
            if busy {
                dev.stop_queue();
                return TxResult::Busy(skb);
            }
            m.tx_errors.fetch_add(1, Ordering::Relaxed);
            break;
        }
        dev.count_tx_dropped();
        skb.into_skb().drop_reason(DropReason::NoLower);
        TxResult::Ok
    }
}
