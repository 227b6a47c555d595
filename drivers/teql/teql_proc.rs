// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/teql` (C has none): one line per master of the namespace with
//! its slaves, their state and the packets the master sent through each.

use crate::netdev::prelude::*;
use crate::seq_print;
use crate::teql_master::TeqlMaster;
use kernel::{c_str, prelude::*};

/// The `/proc/net/teql` file.
pub(crate) struct TeqlProc;

fn state(dev: &NetDevice) -> &'static str {
    match (dev.is_up(), dev.carrier_ok()) {
        (true, true) => "UP,LOWER_UP",
        (true, false) => "UP",
        (false, _) => "DOWN",
    }
}

impl ProcNetFile for TeqlProc {
    const NAME: &'static CStr = c_str!("teql");

    fn show(m: &mut SeqFile, net: &Net) -> Result {
        seq_print!(
            m,
            "master           state        mtu    slaves (name:state:tx_packets)\n"
        );
        let rcu = RcuGuard::new();
        for dev in NetDevice::for_each_rcu(net, &rcu) {
            let Some(master) = dev.downcast::<TeqlMaster>() else {
                continue;
            };
            seq_print!(
                m,
                "{:<16} {:<12} {:<6}",
                master.name(),
                state(master),
                master.mtu()
            );
            if let Some(set) = master.data().slaves.get(&rcu) {
                for s in set.slaves.iter() {
                    seq_print!(m, " {}:{}:{}", s.dev.name(), state(&s.dev), s.tx_packets());
                }
            }
            seq_print!(m, "\n");
        }
        Ok(())
    }
}
