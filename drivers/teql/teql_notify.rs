// SPDX-License-Identifier: GPL-2.0

//! Follows slave devices: when a slave comes back (up, carrier), restart a
//! master that stopped its queue because every slave was busy. Detaching a
//! slave that goes away needs no notifier: its qdisc is destroyed when the
//! device unregisters, which removes it from the set.

use crate::netdev::{notifier::NotifyResult, prelude::*};
use crate::teql_master::TeqlMaster;
use kernel::{prelude::*, types::ARef};

/// The notifier handler, with the module's masters: a slave may live in
/// another namespace than its master (as in C), so the masters are not
/// looked up in the slave's namespace. It holds references on them, so the
/// module drops it before the masters are unregistered.
pub(crate) struct SlaveEvents {
    pub(crate) masters: KVec<ARef<NetDevice>>,
}

impl NetdevNotifier for SlaveEvents {
    fn event(&self, event: NetdevEvent, dev: &NetDevice, _rtnl: &mut Rtnl) -> NotifyResult {
        if !matches!(event, NetdevEvent::Up | NetdevEvent::Change) {
            return NotifyResult::Done;
        }
        let rcu = RcuGuard::new();
        for m in self.masters.iter() {
            let Some(m) = m.downcast::<TeqlMaster>() else {
                continue;
            };
            let Some(set) = m.data().slaves.get(&rcu) else {
                continue;
            };
            if m.is_running() && set.slaves.iter().any(|s| core::ptr::eq(&*s.dev, dev)) {
                m.wake_queue();
            }
        }
        NotifyResult::Done
    }
}
