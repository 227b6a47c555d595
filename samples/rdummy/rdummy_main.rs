// SPDX-License-Identifier: GPL-2.0

//! rdummy: a minimal virtual network device written against the rvnet safe
//! API only. It is the example a newcomer copies.
//!
//! - `ip link add rd0 type rdummy` creates a device (kind `rdummy`; the
//!   module alias `rtnl-link-rdummy` makes the kernel load us on demand);
//! - what it transmits is counted in per-CPU statistics and freed;
//! - `/proc/net/rdummy` lists the namespace's devices with their counters;
//! - a netdevice notifier counts the events each device goes through;
//! - `rmmod rdummy` with devices present deletes them.
//!
//! One concern per file: `rdummy_dev.rs` (the device), `rdummy_netlink.rs`
//! (the link kind and its attributes), `rdummy_proc.rs` (`/proc/net/rdummy`),
//! `rdummy_notify.rs` (the notifier).

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod rdummy_dev;
#[deny(unsafe_code)]
mod rdummy_netlink;
#[deny(unsafe_code)]
mod rdummy_notify;
#[deny(unsafe_code)]
mod rdummy_proc;

use kernel::prelude::*;
use netdev::prelude::*;

module! {
    type: RdummyModule,
    name: "rdummy",
    author: "rvnet developers",
    description: "rvnet sample: a dummy-like virtual network device in Rust",
    license: "GPL",
    alias: ["rtnl-link-rdummy"],
}

/// Module state: dropping it (on `rmmod`) undoes every registration, the
/// link kind first so that the devices go before the notifier and `/proc`.
struct RdummyModule {
    _link: LinkRegistration<rdummy_dev::Rdummy>,
    _notifier: NotifierRegistration<rdummy_notify::Events>,
    _proc: ProcNetRegistration<rdummy_proc::RdummyProc>,
}

impl kernel::Module for RdummyModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let proc_file = ProcNetRegistration::new()?;
        let notifier = NotifierRegistration::new(rdummy_notify::Events)?;
        let link = LinkRegistration::new()?;
        pr_info!("rdummy: loaded (link kind \"rdummy\")\n");
        Ok(RdummyModule {
            _link: link,
            _notifier: notifier,
            _proc: proc_file,
        })
    }
}
