// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/rdummy`: one line per rdummy device of the namespace.

use crate::netdev::prelude::*;
use crate::rdummy_dev::Rdummy;
use crate::seq_print;
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*};

/// The `/proc/net/rdummy` file.
pub(crate) struct RdummyProc;

impl ProcNetFile for RdummyProc {
    const NAME: &'static CStr = c_str!("rdummy");

    fn show(m: &mut SeqFile, net: &Net) -> Result {
        seq_print!(
            m,
            "{:<16} {:>7} {:>5} {:>6} {:>12} {:>14} {:>10}\n",
            "name",
            "ifindex",
            "tag",
            "events",
            "tx_packets",
            "tx_bytes",
            "heartbeats"
        );
        let rcu = RcuGuard::new();
        for dev in NetDevice::for_each_rcu(net, &rcu) {
            let Some(dev) = dev.downcast::<Rdummy>() else {
                continue;
            };
            let stats = dev.stats64();
            seq_print!(
                m,
                "{:<16} {:>7} {:>5} {:>6} {:>12} {:>14} {:>10}\n",
                dev.name(),
                dev.ifindex(),
                dev.data().tag(),
                dev.data().events.load(Ordering::Relaxed),
                stats.tx_packets,
                stats.tx_bytes,
                dev.data().heartbeats.load(Ordering::Relaxed)
            );
        }
        Ok(())
    }
}
