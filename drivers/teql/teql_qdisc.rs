// SPDX-License-Identifier: GPL-2.0

//! The `teqlN` queueing discipline that makes a device a slave
//! (C: `teql_enqueue`, `teql_dequeue`, `teql_qdisc_init`, `teql_destroy`).

use crate::netdev::{
    device::flags,
    percpu::PerCpu,
    prelude::*,
    qdisc::{Qdisc, QdiscCore, QdiscKind, QdiscLocked},
};
use crate::teql_master::{TeqlMaster, FMASK};
use crate::teql_slaves::{self, Slave, SlaveStats};
use kernel::{c_str, prelude::*, sync::Arc, types::ARef};

/// The slave qdisc kind.
pub(crate) struct TeqlQdisc;

/// Per-slave qdisc state (the slave's own traffic waits in the
/// instance's queue, `QdiscLocked::queue`).
pub(crate) struct SlaveQ {
    _stats: Arc<SlaveStats>,
}

fn master_of(q: &QdiscCore<TeqlQdisc>) -> Option<&Device<TeqlMaster>> {
    q.context().downcast::<TeqlMaster>()
}

#[vtable]
impl QdiscKind for TeqlQdisc {
    type Data = SlaveQ;
    /// The master device this kind feeds.
    type Context = ARef<NetDevice>;

    fn init(q: &QdiscCore<Self>, extack: &mut ExtAck, rtnl: &mut Rtnl) -> Result<SlaveQ> {
        let dev = q.dev();
        let Some(m) = master_of(q) else {
            return Err(ENODEV);
        };
        if dev.hard_header_len() > m.hard_header_len() {
            return Err(extack.fail(c_str!("teql: slave link-layer header too long"), EINVAL));
        }
        if core::ptr::eq(dev, m.net_device()) {
            return Err(extack.fail(
                c_str!("teql: a master cannot be its own slave"),
                crate::netdev::errno::err(crate::netdev::errno::ELOOP),
            ));
        }
        if !q.is_root() {
            return Err(extack.fail(
                c_str!("rvnet_teql: teql can only be used as root"),
                crate::netdev::errno::err(crate::netdev::errno::EOPNOTSUPP),
            ));
        }
        // A slave in another namespace than its master is accepted, as by
        // C's sch_teql (its masters live in the initial namespace, and
        // tc-testing attaches them from a test namespace).
        let has_slaves = m.data().slaves.get_rtnl(rtnl).is_some();
        if has_slaves {
            let mf = m.flags();
            if m.is_up() {
                let lacks = |f: u32| mf & f != 0 && dev.flags() & f == 0;
                if lacks(flags::IFF_POINTOPOINT)
                    || lacks(flags::IFF_BROADCAST)
                    || lacks(flags::IFF_MULTICAST)
                    || dev.mtu() < m.mtu()
                {
                    return Err(extack.fail(
                        c_str!("teql: slave cannot carry the running master's MTU or flags"),
                        EINVAL,
                    ));
                }
            } else {
                let clear = (flags::IFF_POINTOPOINT | flags::IFF_BROADCAST | flags::IFF_MULTICAST)
                    & !dev.flags();
                m.set_flags_raw(0, clear, rtnl);
                if dev.mtu() < m.mtu() {
                    m.set_mtu_raw(dev.mtu(), rtnl);
                }
            }
        } else {
            m.set_mtu_raw(dev.mtu(), rtnl);
            m.set_flags_raw(dev.flags() & FMASK, FMASK, rtnl);
        }
        let stats = Arc::new(
            SlaveStats {
                tx_packets: PerCpu::new()?,
            },
            GFP_KERNEL,
        )?;
        let slave = Slave {
            dev: dev.hold(),
            qdisc: q.id(),
            stats: stats.clone(),
        };
        teql_slaves::add(&m.data().slaves, slave, rtnl)?;
        Ok(SlaveQ { _stats: stats })
    }

    fn enqueue(q: &QdiscLocked<'_, Self>, skb: SkBuff) -> core::result::Result<(), SkBuff> {
        if q.queue().len() < q.dev().tx_queue_len() {
            q.queue().push(skb);
            Ok(())
        } else {
            Err(skb)
        }
    }

    fn dequeue(q: &QdiscLocked<'_, Self>) -> Option<SkBuff> {
        let skb = q.queue().pop();
        let master = master_of(q);
        match &skb {
            None => {
                // Our own queue is empty: let the master try us first, and
                // wake it up.
                if let Some(m) = master {
                    let rcu = RcuGuard::new();
                    if let Some(set) = m.data().slaves.get(&rcu) {
                        if let Some(i) = set.slaves.iter().position(|s| s.qdisc == q.id()) {
                            m.data().set_start(i);
                        }
                    }
                    m.wake_queue();
                }
            }
            Some(skb) => q.count_dequeued(skb),
        }
        let master_backlog = master.map_or(0, |m| m.txq0_qlen());
        q.set_qlen(q.queue().len() + master_backlog);
        skb
    }

    fn reset(_q: &QdiscLocked<'_, Self>) {}

    fn destroy(q: &Qdisc<Self>, rtnl: &mut Rtnl) {
        if let Some(m) = master_of(q) {
            // The last slave gone: what the master queued (its queue
            // stopped while every slave was busy) is dropped, as C's
            // `teql_destroy` does, and, unlike C, the queue runs again, so
            // that later packets are dropped by the transmit path (no
            // slave) rather than wait in a stopped queue for a slave that
            // may never come. Kept, they hold their sockets, and those
            // their namespace, forever (seen in stress: a namespace whose
            // senders used the master never torn down, its master never
            // back in the initial namespace).
            if teql_slaves::remove(&m.data().slaves, q.id(), rtnl) == Some(0) {
                m.txq0_reset(rtnl);
                if m.is_running() {
                    m.wake_queue();
                }
            }
        }
    }
}
