// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/bonding/<bond>`, in the format of C's `bond_procfs.c` for
//! the supported fields. Read under RCU from the published snapshot (no
//! RTNL: the file is removed under RTNL, which waits for readers).

use crate::bond_dev::{Bond, BondDriver, Mode};
use crate::netdev::{
    lower::uts_release,
    prelude::*,
    proc::{ProcDevShow, ProcDevSlot, ProcNetDir},
    txsel::{hash::XmitPolicy, LinkState},
};
use crate::seq_print;
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*};

/// The per-namespace directory `/proc/net/bonding`.
pub(crate) struct BondingDir;

impl ProcNetDir for BondingDir {
    const NAME: &'static CStr = c_str!("bonding");
}

/// `xmit_hash_policy` names (`xmit_hashtype_tbl`).
pub(crate) fn policy_name(p: XmitPolicy) -> &'static str {
    match p {
        XmitPolicy::Layer2 => "layer2",
        XmitPolicy::Layer34 => "layer3+4",
        XmitPolicy::Layer23 => "layer2+3",
        XmitPolicy::Encap23 => "encap2+3",
        XmitPolicy::Encap34 => "encap3+4",
        XmitPolicy::VlanSrcMac => "vlan+srcmac",
    }
}

/// `bond_slave_link_status()`.
fn link_status(l: LinkState) -> &'static str {
    match l {
        LinkState::Up => "up",
        LinkState::Fail => "going down",
        LinkState::Down => "down",
        LinkState::Back => "going back",
    }
}

impl ProcDevShow for BondDriver {
    type Dir = BondingDir;

    fn proc_slot(data: &Bond) -> &ProcDevSlot {
        &data.proc
    }

    fn show_dev(m: &mut SeqFile, dev: &Device<Self>) -> Result {
        let rcu = RcuGuard::new();
        let Some(s) = dev.data().snap.get(&rcu) else {
            return Ok(());
        };
        let c = &s.cfg;
        seq_print!(
            m,
            "Ethernet Channel Bonding Driver: v{}\n\n",
            uts_release().to_str().unwrap_or("?")
        );
        seq_print!(m, "Bonding Mode: {}\n", c.mode.name());
        if c.mode == Mode::Xor {
            seq_print!(
                m,
                "Transmit Hash Policy: {} ({})\n",
                policy_name(c.policy),
                c.policy.raw()
            );
        }
        if c.mode.uses_primary() {
            match s.primary.and_then(|i| s.slaves.get(i)) {
                Some(p) => {
                    seq_print!(
                        m,
                        "Primary Slave: {} (primary_reselect always)",
                        p.dev.name()
                    );
                }
                None => {
                    seq_print!(m, "Primary Slave: None");
                }
            }
            match s.active.and_then(|i| s.slaves.get(i)) {
                Some(p) => {
                    seq_print!(m, "\nCurrently Active Slave: {}\n", p.dev.name());
                }
                None => {
                    seq_print!(m, "\nCurrently Active Slave: None\n");
                }
            }
        }
        let up = if dev.carrier_ok() { "up" } else { "down" };
        seq_print!(m, "MII Status: {}\n", up);
        seq_print!(m, "MII Polling Interval (ms): {}\n", c.miimon);
        seq_print!(m, "Up Delay (ms): {}\n", c.updelay * c.miimon);
        seq_print!(m, "Down Delay (ms): {}\n", c.downdelay * c.miimon);
        seq_print!(m, "Peer Notification Delay (ms): 0\n");
        for p in s.slaves.iter() {
            seq_print!(m, "\nSlave Interface: {}\n", p.dev.name());
            seq_print!(m, "MII Status: {}\n", link_status(p.link()));
            match p.speed.load(Ordering::Relaxed) {
                u32::MAX => {
                    seq_print!(m, "Speed: Unknown\n");
                }
                sp => {
                    seq_print!(m, "Speed: {} Mbps\n", sp);
                }
            }
            match p.duplex.load(Ordering::Relaxed) {
                0 => {
                    seq_print!(m, "Duplex: half\n");
                }
                1 => {
                    seq_print!(m, "Duplex: full\n");
                }
                _ => {
                    seq_print!(m, "Duplex: Unknown\n");
                }
            }
            seq_print!(
                m,
                "Link Failure Count: {}\n",
                p.link_failure_count.load(Ordering::Relaxed)
            );
            let a = p.perm_addr;
            seq_print!(
                m,
                "Permanent HW addr: {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}\n",
                a[0],
                a[1],
                a[2],
                a[3],
                a[4],
                a[5]
            );
            seq_print!(m, "Slave queue ID: 0\n");
        }
        Ok(())
    }
}
