// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/bridge/<br>` (C has no such file; rvnet's drivers each have
//! one): the bridge's ageing time, its FDB size and, per port, its number,
//! id, state, path cost and flags. Read under RCU from the published port
//! list and the FDB.

use crate::br_device::{Bridge, BridgeDriver};
use crate::brlogic::{fdb::flag, flags as pflags};
use crate::netdev::{
    bridge::jiffies_to_clock_t,
    prelude::*,
    proc::{ProcDevShow, ProcDevSlot, ProcNetDir},
};
use crate::seq_print;
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*};

/// The per-namespace directory `/proc/net/bridge`.
pub(crate) struct BridgeDir;

impl ProcNetDir for BridgeDir {
    const NAME: &'static CStr = c_str!("bridge");
}

const FLAG_NAMES: [(u32, &str); 8] = [
    (pflags::LEARNING, "learning"),
    (pflags::FLOOD, "flood"),
    (pflags::MCAST_FLOOD, "mcast_flood"),
    (pflags::BCAST_FLOOD, "bcast_flood"),
    (pflags::HAIRPIN_MODE, "hairpin"),
    (pflags::ISOLATED, "isolated"),
    (pflags::PORT_LOCKED, "locked"),
    (pflags::PROXYARP, "proxy_arp"),
];

impl ProcDevShow for BridgeDriver {
    type Dir = BridgeDir;

    fn proc_slot(data: &Bridge) -> &ProcDevSlot {
        &data.proc
    }

    fn show_dev(m: &mut SeqFile, dev: &Device<Self>) -> Result {
        let b = dev.data();
        let rcu = RcuGuard::new();
        let ageing = jiffies_to_clock_t(b.ageing_time.load(Ordering::Relaxed));
        seq_print!(m, "Bridge: {} (rvnet_bridge)\n", dev.name());
        seq_print!(m, "Ageing time: {}.{:02} s\n", ageing / 100, ageing % 100);
        let (mut local, mut learned, mut other) = (0u32, 0u32, 0u32);
        b.fdb.for_each(&rcu, |f| {
            let fl = f.flags();
            if fl & flag::LOCAL != 0 {
                local += 1;
            } else if fl & flag::DYNAMIC_LEARNED != 0 {
                learned += 1;
            } else {
                other += 1;
            }
        });
        seq_print!(
            m,
            "FDB entries: {} (local {}, learned {}, static {}), max learned {}\n",
            local + learned + other,
            local,
            learned,
            other,
            b.max_learned.load(Ordering::Relaxed)
        );
        seq_print!(
            m,
            "\n{:<16} {:>4} {:>6} {:<11} {:>6} flags\n",
            "port",
            "no",
            "id",
            "state",
            "cost"
        );
        let Some(list) = b.ports.get(&rcu) else {
            return Ok(());
        };
        // Port number order (the list is newest first).
        let mut last = 0u16;
        while let Some(p) = list
            .iter()
            .filter(|p| p.port_no > last)
            .min_by_key(|p| p.port_no)
        {
            last = p.port_no;
            seq_print!(
                m,
                "{:<16} {:>4} 0x{:04x} {:<11} {:>6}",
                p.dev.name(),
                p.port_no,
                p.port_id(),
                p.state().name(),
                p.path_cost.load(Ordering::Relaxed)
            );
            let fl = p.flags();
            for (bit, name) in FLAG_NAMES {
                if fl & bit != 0 {
                    seq_print!(m, " {}", name);
                }
            }
            seq_print!(m, "\n");
        }
        Ok(())
    }
}
