// SPDX-License-Identifier: GPL-2.0

//! rvnet_vlan: 802.1Q/802.1ad VLAN devices, a drop-in for Linux's `8021q`.
//!
//! Link kind `vlan` (`ip link add link eth0 name eth0.10 type vlan id 10`).
//! Devices carry `IFF_802_1Q_VLAN` and a `struct vlan_dev_priv`, and are
//! published in the lower device's VLAN group, so the kernel's built-in
//! `vlan_core` delivers tagged frames to them exactly as it does for
//! `8021q` (no `rx_handler`).
//!
//! Files, as in the C tree: `vlan_dev.rs` (the device), `vlan_netlink.rs`
//! (the link kind), `vlan_ioctl.rs` (`vconfig`), `vlan_notify.rs` (lower
//! device events), `vlan_net.rs` (per-namespace state), `vlanproc.rs`
//! (`/proc/net/vlan/`).

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;
#[path = "../../rust/vlanioctl/src/lib.rs"]
pub mod vlanioctl;

#[deny(unsafe_code)]
mod vlan_dev;
#[deny(unsafe_code)]
mod vlan_ioctl;
#[deny(unsafe_code)]
mod vlan_net;
#[deny(unsafe_code)]
mod vlan_netlink;
#[deny(unsafe_code)]
mod vlan_notify;
#[deny(unsafe_code)]
mod vlanproc;

use kernel::prelude::*;
use netdev::{
    pernet::PernetRegistration, prelude::*, proc::ProcDevFiles, vlan_ioctl::VlanIoctlRegistration,
};

module! {
    type: VlanModule,
    name: "rvnet_vlan",
    author: "rvnet developers",
    description: "802.1Q/802.1ad VLAN devices in Rust",
    license: "GPL",
    alias: ["rtnl-link-vlan"],
}

struct VlanModule {
    /// The link kind, owned by the ioctl hook (removed first on unload).
    _link: VlanIoctlRegistration<vlan_dev::Vlan>,
    _notifier: NotifierRegistration<vlan_notify::LowerEvents>,
    /// `/proc/net/vlan/config` and the device files.
    _proc: ProcDevFiles<vlan_dev::Vlan, ProcNetRegistration<vlanproc::VlanConfig>>,
    /// Per-namespace state, dropped last.
    _net: PernetRegistration<vlan_net::VlanNet>,
}

impl kernel::Module for VlanModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let net = PernetRegistration::new()?;
        let proc_file = ProcDevFiles::new(ProcNetRegistration::new()?)?;
        let notifier = NotifierRegistration::new(vlan_notify::LowerEvents)?;
        let link = VlanIoctlRegistration::new(LinkRegistration::new()?)?;
        Ok(VlanModule {
            _link: link,
            _notifier: notifier,
            _proc: proc_file,
            _net: net,
        })
    }
}
