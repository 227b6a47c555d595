// SPDX-License-Identifier: GPL-2.0

//! rvnet_tunnels: `/proc/net/tunnels` in every namespace, one line per IP
//! tunnel of the namespace, whichever rvnet module serves it (C has no such
//! file). rvnet_ipip, rvnet_gre and rvnet_sit write the lines
//! (drivers/ip_tunnel/ip_tunnel_proc.rs) and depend on this module; it
//! writes the header and keeps the list of those loaded
//! (tunnels_registry.c, `netdev::shared_proc`).

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

use kernel::{c_str, prelude::*};
use netdev::{
    prelude::*,
    shared_proc::{SharedProc, SharedProcFile},
};

module! {
    type: TunnelsModule,
    name: "rvnet_tunnels",
    author: "rvnet developers",
    description: "/proc/net/tunnels for the rvnet tunnel modules",
    license: "GPL",
}

/// The file's columns; drivers/ip_tunnel/ip_tunnel_proc.rs writes the
/// lines under them.
struct Tunnels;

impl SharedProcFile for Tunnels {
    const NAME: &'static CStr = c_str!("tunnels");

    fn header(m: &mut SeqFile) {
        crate::seq_print!(
            m,
            "{:<16} {:<6} {:<15} {:<15} {:>10} {:>10} {:<16} {:>7} {:>7} {:>8} {:>10} {:>12} {:>10} {:>12} {:>8} {:>8} {:>5}\n",
            "Iface", "Kind", "Local", "Remote", "Ikey", "Okey", "Link", "TTL", "TOS", "PMTUDisc",
            "RxPackets", "RxBytes", "TxPackets", "TxBytes", "RxErrors", "TxErrors", "PMTU"
        );
    }
}

struct TunnelsModule {
    _proc: ProcNetRegistration<SharedProc<Tunnels>>,
}

impl kernel::Module for TunnelsModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(TunnelsModule {
            _proc: ProcNetRegistration::new()?,
        })
    }
}
