// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/bonding/<bond>`, in the format of C's `bond_procfs.c` for
//! the supported fields. Read under RCU from the published snapshot (no
//! RTNL: the file is removed under RTNL, which waits for readers).

use crate::bond_3ad::AdState;
use crate::bond_dev::{Bond, BondDriver, Mode};
use crate::bond_slave::SlavePort;
use crate::iptun::fmt::Ipv6c;
use crate::lacp::aggregator::AdSelect;
use crate::netdev::{
    device::MacFmt,
    lower::{capable_net_admin, uts_release},
    prelude::*,
    proc::{ProcDevShow, ProcDevSlot, ProcNetDir},
    txsel::{activebackup::PrimaryReselect, hash::XmitPolicy, LinkState},
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

/// `primary_reselect` names (`pri_reselect_tbl`).
fn reselect_name(r: PrimaryReselect) -> &'static str {
    match r {
        PrimaryReselect::Always => "always",
        PrimaryReselect::Better => "better",
        PrimaryReselect::Failure => "failure",
    }
}

/// `bond_slave_link_status()`.
pub(crate) fn link_status(l: LinkState) -> &'static str {
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
        seq_print!(m, "Bonding Mode: {}", c.mode.name());
        if c.mode == Mode::ActiveBackup && c.fo.fail_over_mac != 0 {
            seq_print!(
                m,
                " (fail_over_mac {})",
                crate::bond_options::Opt::FailOverMac
                    .value_name(c.fo.fail_over_mac.into())
                    .unwrap_or("?")
            );
        }
        seq_print!(m, "\n");
        if c.uses_xmit_hash() {
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
                        "Primary Slave: {} (primary_reselect {})",
                        p.dev.name(),
                        reselect_name(c.primary_reselect)
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
        seq_print!(
            m,
            "Peer Notification Delay (ms): {}\n",
            c.fo.peer_notif_delay * c.miimon
        );
        if c.arp_interval > 0 {
            show_arp(m, c);
        }
        let lacp = c.mode == Mode::Lacp;
        let admin = capable_net_admin();
        let ad = lacp.then(|| dev.data().ad.lock());
        if let Some(st) = &ad {
            show_ad_master(m, dev, c, st, admin);
        }
        for (i, p) in s.slaves.iter().enumerate() {
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
            // `%*phC` of the slave's `addr_len` bytes.
            seq_print!(m, "Permanent HW addr: ");
            for (i, b) in p.perm_hw.as_bytes().iter().enumerate() {
                seq_print!(m, "{}{:02x}", if i == 0 { "" } else { ":" }, b);
            }
            seq_print!(m, "\n");
            seq_print!(
                m,
                "Slave queue ID: {}\n",
                p.queue_id.load(Ordering::Relaxed)
            );
            if let Some(st) = &ad {
                show_ad_slave(m, st, p, i, admin);
            }
        }
        Ok(())
    }
}

/// The ARP monitor's lines (C: `bond_info_show_master`): interval,
/// missed max, the targets, and the NS monitor's IPv6 targets.
fn show_arp(m: &mut SeqFile, c: &crate::bond_dev::Config) {
    seq_print!(m, "ARP Polling Interval (ms): {}\n", c.arp_interval);
    seq_print!(m, "ARP Missed Max: {}\n", c.missed_max);
    seq_print!(m, "ARP IP target/s (n.n.n.n form):");
    for (i, t) in c.arp_targets.iter().enumerate() {
        if i > 0 {
            seq_print!(m, ",");
        }
        seq_print!(m, " {}", crate::bond_arp::pi4(t));
    }
    seq_print!(m, "\n");
    // C prints it in every kernel built with IPv6 (as this one).
    seq_print!(m, "NS IPv6 target/s (xx::xx form):");
    for (i, t) in c.ns_targets.iter().enumerate() {
        if i > 0 {
            seq_print!(m, ",");
        }
        seq_print!(m, " {}", Ipv6c(t));
    }
    seq_print!(m, "\n");
}

fn put_mac(m: &mut SeqFile, a: &[u8; 6]) {
    seq_print!(m, "{}\n", MacFmt(a));
}

/// The bond's 802.3ad section (C: `bond_info_show_master`).
fn show_ad_master(
    m: &mut SeqFile,
    dev: &Device<BondDriver>,
    c: &crate::bond_dev::Config,
    st: &AdState,
    admin: bool,
) {
    let on = |b: bool| if b { "on" } else { "off" };
    seq_print!(m, "\n802.3ad info\n");
    seq_print!(m, "LACP active: {}\n", on(c.ad.lacp_active));
    let rate = if c.ad.lacp_fast { "fast" } else { "slow" };
    seq_print!(m, "LACP rate: {}\n", rate);
    seq_print!(m, "Min links: {}\n", c.ad.min_links);
    let sel = match c.ad.ad_select {
        AdSelect::Stable => "stable",
        AdSelect::Bandwidth => "bandwidth",
        AdSelect::Count => "count",
    };
    seq_print!(m, "Aggregator selection policy (ad_select): {}\n", sel);
    if !admin {
        return;
    }
    seq_print!(m, "System priority: {}\n", st.system.sys_priority);
    seq_print!(m, "System MAC address: ");
    put_mac(m, &st.system.sys_mac_addr);
    match st.active_info() {
        None => {
            seq_print!(m, "bond {} has no active aggregator\n", dev.name());
        }
        Some(i) => {
            seq_print!(m, "Active Aggregator Info:\n");
            seq_print!(m, "\tAggregator ID: {}\n", i.aggregator_id);
            seq_print!(m, "\tNumber of ports: {}\n", i.ports);
            seq_print!(m, "\tActor Key: {}\n", i.actor_key);
            seq_print!(m, "\tPartner Key: {}\n", i.partner_key);
            seq_print!(m, "\tPartner Mac Address: ");
            put_mac(m, &i.partner_system);
        }
    }
}

/// A slave's 802.3ad lines (C: `bond_info_show_slave`).
fn show_ad_slave(m: &mut SeqFile, st: &AdState, p: &SlavePort, i: usize, admin: bool) {
    // The state lists the snapshot's slaves in the same order, unless a
    // change is under way: then look the slave up.
    let i = match st.ports.get(i) {
        Some(a) if core::ptr::eq(&*a.port, p) => i,
        _ => match st.ports.iter().position(|a| core::ptr::eq(&*a.port, p)) {
            Some(j) => j,
            None => return,
        },
    };
    let Some(s) = st.slaves.get(i) else {
        return;
    };
    let Some(agg) = s.port_aggregator.and_then(|a| st.slaves.get(a)) else {
        seq_print!(m, "Aggregator ID: N/A\n");
        return;
    };
    let port = &s.port;
    seq_print!(
        m,
        "Aggregator ID: {}\n",
        agg.aggregator.aggregator_identifier
    );
    seq_print!(
        m,
        "Actor Churn State: {}\n",
        port.sm_churn_actor_state.desc()
    );
    seq_print!(
        m,
        "Partner Churn State: {}\n",
        port.sm_churn_partner_state.desc()
    );
    seq_print!(m, "Actor Churned Count: {}\n", port.churn_actor_count);
    seq_print!(m, "Partner Churned Count: {}\n", port.churn_partner_count);
    if !admin {
        return;
    }
    let actor = PduLines {
        prio: port.actor_system_priority,
        mac: port.actor_system,
        key: port.actor_oper_port_key,
        port_prio: port.actor_port_priority,
        port: port.actor_port_number,
        state: u16::from(port.actor_oper_port_state),
    };
    actor.show(m, "actor", "port key");
    let o = &port.partner_oper;
    let partner = PduLines {
        prio: o.system_priority,
        mac: o.system,
        key: o.key,
        port_prio: o.port_priority,
        port: o.port_number,
        state: o.port_state,
    };
    partner.show(m, "partner", "oper key");
}

/// One "details ... lacp pdu" block.
struct PduLines {
    prio: u16,
    mac: [u8; 6],
    key: u16,
    port_prio: u16,
    port: u16,
    state: u16,
}

impl PduLines {
    fn show(&self, m: &mut SeqFile, who: &str, key: &str) {
        seq_print!(m, "details {} lacp pdu:\n", who);
        seq_print!(m, "    system priority: {}\n", self.prio);
        seq_print!(m, "    system mac address: ");
        put_mac(m, &self.mac);
        seq_print!(m, "    {}: {}\n", key, self.key);
        seq_print!(m, "    port priority: {}\n", self.port_prio);
        seq_print!(m, "    port number: {}\n", self.port);
        seq_print!(m, "    port state: {}\n", self.state);
    }
}
