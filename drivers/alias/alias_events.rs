// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/ip_aliases_events`: what the notifiers tracked for the
//! namespace. `key value` lines (generation, number of aliases tracked,
//! counters), then `log` and the last events, oldest first:
//! `<generation> <event> <label> <address> <device>`. Read under RTNL, so
//! the numbers are one consistent snapshot.

use crate::alias_state::ALIAS_NET;
use crate::netdev::prelude::*;
use crate::seq_print;
use kernel::{c_str, prelude::*};

/// The `/proc/net/ip_aliases_events` file.
pub(crate) struct AliasEvents;

impl ProcNetFile for AliasEvents {
    const NAME: &'static CStr = c_str!("ip_aliases_events");

    fn show(m: &mut SeqFile, net: &Net) -> Result {
        let rtnl = RtnlGuard::lock();
        let Some(data) = ALIAS_NET.get(net, &rtnl) else {
            return Ok(());
        };
        let st = data.state.borrow(&rtnl)?;
        let c = st.counters;
        seq_print!(m, "generation {}\n", c.generation);
        seq_print!(m, "tracked {}\n", st.tracked());
        seq_print!(m, "at_load {}\n", c.at_load);
        seq_print!(m, "added {}\n", c.added);
        seq_print!(m, "removed {}\n", c.removed);
        seq_print!(m, "promoted {}\n", c.promoted);
        seq_print!(m, "relabelled {}\n", c.relabelled);
        seq_print!(m, "mismatches {}\n", c.mismatches);
        seq_print!(m, "log\n");
        for e in st.log() {
            seq_print!(
                m,
                "{} {} {} {} {}\n",
                e.generation,
                e.what.name(),
                if e.label.as_bytes().is_empty() {
                    "-"
                } else {
                    core::str::from_utf8(e.label.as_bytes()).unwrap_or("?")
                },
                e.local,
                e.dev
            );
        }
        Ok(())
    }
}
