// SPDX-License-Identifier: GPL-2.0

//! rvnet_bridge: the Ethernet learning bridge, a drop-in for Linux's
//! `bridge` (link kind `bridge`) without STP, VLAN filtering or multicast
//! snooping.
//!
//! Files: `br_device.rs` (the bridge device, its state and ops),
//! `br_if.rs` (adding and removing ports), `br_input.rs` (the ports'
//! rx_handler), `br_ioctl.rs` (`brctl`'s ioctls), `br_forward.rs`
//! (forwarding and flooding), `br_fdb.rs`
//! (the forwarding database and its ageing), `br_fdb_netlink.rs` (`bridge
//! fdb`), `br_netlink.rs` (`ip link
//! add/set ... type bridge`, `ip -d link show`), `br_netlink_port.rs` (a
//! port's `bridge_slave` attributes), `br_notify.rs` (port
//! events), `br_proc.rs` (`/proc/net/bridge/<br>`), `br_sysfs_br.rs`
//! (`/sys/class/net/<br>/bridge/`, `brif/`, `brforward`), `br_sysfs_if.rs`
//! (`/sys/class/net/<port>/brport/`). The pure rules are in
//! `rust/brlogic`.
//!
//! C `bridge.ko` never runs beside this module: its load is refused while
//! this module's link kind is registered (the layer's module-chain veto,
//! `BridgeDriver::KEEP_OUT`), and the kind cannot register while it is
//! loaded.

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[allow(dead_code)]
#[deny(unsafe_code)]
#[path = "../../rust/brlogic/src/lib.rs"]
pub mod brlogic;

#[deny(unsafe_code)]
mod br_device;
#[deny(unsafe_code)]
mod br_fdb;
#[deny(unsafe_code)]
mod br_fdb_netlink;
#[deny(unsafe_code)]
mod br_forward;
#[deny(unsafe_code)]
mod br_if;
#[deny(unsafe_code)]
mod br_input;
#[deny(unsafe_code)]
mod br_ioctl;
#[deny(unsafe_code)]
mod br_netlink;
#[deny(unsafe_code)]
mod br_netlink_port;
#[deny(unsafe_code)]
mod br_notify;
#[deny(unsafe_code)]
mod br_proc;
#[deny(unsafe_code)]
mod br_sysfs_br;
#[deny(unsafe_code)]
mod br_sysfs_if;

use kernel::prelude::*;
use netdev::{
    bridge_ioctl::BridgeIoctlRegistration,
    prelude::*,
    proc::{ProcDevFiles, ProcNetDirRegistration},
};

module! {
    type: BridgeModule,
    name: "rvnet_bridge",
    author: "rvnet developers",
    description: "Ethernet bridge driver, in Rust",
    license: "GPL",
    // C `bridge` declares the same alias: scripts/modprobe/rvnet.conf picks
    // this module (the learning bridge: a configuration that needs VLAN
    // filtering, STP or multicast snooping is refused with an extack
    // message; `modprobe bridge` before it keeps C for those).
    alias: ["rtnl-link-bridge"],
}

/// Field order is drop order: the ioctl hook and the link kind go first
/// (deleting every bridge, which removes its ports and its /proc file;
/// the kind holds the veto on C `bridge.ko`, `BridgeDriver::KEEP_OUT`),
/// then the notifier, the /proc files and directories.
struct BridgeModule {
    _link: BridgeIoctlRegistration<br_device::BridgeDriver>,
    _notifier: NotifierRegistration<br_notify::BridgeEvents>,
    _proc: ProcDevFiles<br_device::BridgeDriver, ProcNetDirRegistration<br_proc::BridgeDir>>,
}

impl kernel::Module for BridgeModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let proc_dir = ProcDevFiles::new(ProcNetDirRegistration::new()?)?;
        let notifier = NotifierRegistration::new(br_notify::BridgeEvents)?;
        let link = BridgeIoctlRegistration::new(LinkRegistration::new()?)?;
        Ok(BridgeModule {
            _link: link,
            _notifier: notifier,
            _proc: proc_dir,
        })
    }
}
