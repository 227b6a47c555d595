// SPDX-License-Identifier: GPL-2.0

//! rvnet_bond: Ethernet channel bonding, a drop-in for Linux's `bonding`
//! (link kind `bond`) for the modes balance-rr, active-backup,
//! balance-xor, broadcast, 802.3ad and balance-tlb.
//!
//! Files: `bond_dev.rs` (the master device and its state), `bond_netlink.rs`
//! (`ip link add/set ... type bond`, `ip -d link show`), `bond_slave.rs`
//! (enslave/release, the RCU-published slave snapshot), `bond_xmit.rs`
//! (transmit per mode), `bond_rx.rs` (the slaves' rx_handler),
//! `bond_monitor.rs` (miimon, active slave selection, carrier),
//! `bond_arp.rs` (the ARP monitor: probes, receive validation),
//! `bond_rxmode.rs` (the bond's receive filters on its slaves),
//! `bond_features.rs` (the bond's features from its slaves),
//! `bond_stats.rs` (the bond's statistics folded from its slaves'),
//! `bond_vlan.rs` (the VLANs above the bond, on its slaves),
//! `bond_notify.rs` (slave and master events), `bond_proc.rs`
//! (`/proc/net/bonding/<bond>`), `bond_options.rs` (the options, set by
//! netlink and sysfs), `bond_sysfs.rs` (`<bond>/bonding/*`),
//! `bond_sysfs_slave.rs` (`<slave>/bonding_slave/*`), `bond_3ad.rs` (802.3ad around the LACP
//! machines of `rust/lacp`), `bond_alb.rs` (balance-tlb), `bond_ioctl.rs`
//! (the `SIOCBOND*` and MII ioctls), `bond_ethtool.rs` (ethtool link
//! settings), `bond_params.rs` (the module parameters `max_bonds`,
//! `tx_queues`), `bond_queue.rs` (the transmit queues and the slaves'
//! `queue_id`), `bond_type.rs` (the bond's link-layer type from its first
//! slave).

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[allow(dead_code)]
#[deny(unsafe_code)]
#[path = "../../rust/lacp/src/lib.rs"]
pub mod lacp;

/// For `%pI4`/`%pI6c` (`iptun::fmt`) in the ARP/NS monitor's lines.
#[allow(dead_code)]
#[deny(unsafe_code)]
#[path = "../../rust/iptun/src/lib.rs"]
pub mod iptun;

#[deny(unsafe_code)]
mod bond_3ad;
#[deny(unsafe_code)]
mod bond_alb;
#[deny(unsafe_code)]
mod bond_arp;
#[deny(unsafe_code)]
mod bond_dev;
#[deny(unsafe_code)]
mod bond_ethtool;
#[deny(unsafe_code)]
mod bond_failover;
#[deny(unsafe_code)]
mod bond_features;
#[deny(unsafe_code)]
mod bond_ioctl;
#[deny(unsafe_code)]
mod bond_ipsec;
#[deny(unsafe_code)]
mod bond_lowerstate;
#[deny(unsafe_code)]
mod bond_monitor;
#[deny(unsafe_code)]
mod bond_netlink;
#[deny(unsafe_code)]
mod bond_notify;
#[deny(unsafe_code)]
mod bond_options;
#[deny(unsafe_code)]
mod bond_params;
#[deny(unsafe_code)]
mod bond_proc;
#[deny(unsafe_code)]
mod bond_queue;
#[deny(unsafe_code)]
mod bond_rx;
#[deny(unsafe_code)]
mod bond_rxmode;
#[deny(unsafe_code)]
mod bond_slave;
#[deny(unsafe_code)]
mod bond_stats;
#[deny(unsafe_code)]
mod bond_sysfs;
#[deny(unsafe_code)]
mod bond_sysfs_slave;
#[deny(unsafe_code)]
mod bond_type;
#[deny(unsafe_code)]
mod bond_vlan;
#[deny(unsafe_code)]
mod bond_xdp;
#[deny(unsafe_code)]
mod bond_xmit;

use kernel::prelude::*;
use netdev::{
    class_file::ClassFileRegistration,
    prelude::*,
    proc::{ProcDevFiles, ProcNetDirRegistration},
};

module! {
    type: BondModule,
    name: "rvnet_bond",
    author: "rvnet developers",
    description: "Ethernet channel bonding driver, in Rust",
    license: "GPL",
    alias: ["rtnl-link-bond"],
}

/// Field order is drop order: `bonding_masters` goes first (no bond is
/// created through it from then on), then the link kind (deleting every
/// bond, which releases its slaves and removes its /proc file), then the
/// notifier, then the /proc files and directories.
struct BondModule {
    _masters: ClassFileRegistration<bond_sysfs::BondingMasters>,
    _link: LinkRegistration<bond_dev::BondDriver>,
    _notifier: NotifierRegistration<bond_notify::BondEvents>,
    _proc: ProcDevFiles<bond_dev::BondDriver, ProcNetDirRegistration<bond_proc::BondingDir>>,
}

impl kernel::Module for BondModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let max_bonds = bond_params::check();
        let proc_dir = ProcDevFiles::new(ProcNetDirRegistration::new()?)?;
        let notifier = NotifierRegistration::new(bond_notify::BondEvents)?;
        let link = LinkRegistration::new_with_handle(&bond_sysfs::LINK)?;
        let masters = ClassFileRegistration::new()?;
        // As C: the bonds of `max_bonds` (a failure unloads the module,
        // deleting those made).
        bond_params::create_bonds(max_bonds)?;
        Ok(BondModule {
            _masters: masters,
            _link: link,
            _notifier: notifier,
            _proc: proc_dir,
        })
    }
}
