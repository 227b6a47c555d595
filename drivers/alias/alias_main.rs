// SPDX-License-Identifier: GPL-2.0

//! rvnet_alias: a view of IPv4 aliases (`eth0:1`) that follows the real
//! devices.
//!
//! In Linux an alias interface is not a device: it is an IPv4 address whose
//! label is `<device>:<suffix>` (`ip addr add 192.0.2.10/24 dev eth0 label
//! eth0:1`, `ifconfig eth0:1 192.0.2.10`), owned by the IPv4 core. This
//! module keeps that model: it allocates no device and changes nothing in
//! the IPv4 core. It adds, per network namespace:
//!
//! - `/proc/net/ip_aliases`: every alias with its real device, address,
//!   broadcast, scope, primary/secondary and the real device's state,
//!   generated from the kernel's live state under RCU (so it is exact by
//!   construction), ordered by interface index then address-list position;
//! - `/proc/net/ip_aliases_events`: what the notifiers tracked: a mirror of
//!   the namespace's aliases (seeded from the aliases that exist when the
//!   module loads or the namespace appears), a generation number that moves
//!   whenever the view changes, counters, the check of every rename against
//!   the kernel's relabelling rule (`inetdev_changename`), and a log of the
//!   last events.
//!
//! Files: `alias_state.rs` (per-namespace tracked state), `alias_track.rs`
//! (inetaddr and netdevice notifiers), `alias_proc.rs` (the view),
//! `alias_events.rs` (the tracking file); the pure label rules are in
//! `rust/aliaslabel` (host-tested).

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[path = "../../rust/aliaslabel/src/lib.rs"]
pub mod aliaslabel;

#[deny(unsafe_code)]
mod alias_events;
#[deny(unsafe_code)]
mod alias_proc;
#[deny(unsafe_code)]
mod alias_state;
#[deny(unsafe_code)]
mod alias_track;

use kernel::prelude::*;
use netdev::{inet::InetAddrNotifierRegistration, pernet::PernetRegistration, prelude::*};

module! {
    type: AliasModule,
    name: "rvnet_alias",
    author: "rvnet developers",
    description: "IPv4 alias (eth0:N) view following the real devices, in Rust",
    license: "GPL",
}

/// Module state. Fields drop in order: the `/proc` files first (no reader
/// left), then the per-namespace state (readers under RTNL then see none),
/// then the notifiers.
struct AliasModule {
    _view: ProcNetRegistration<alias_proc::AliasView>,
    _events: ProcNetRegistration<alias_events::AliasEvents>,
    _state: PernetRegistration<alias_state::AliasNet>,
    _inet: InetAddrNotifierRegistration<alias_track::AddrEvents>,
    _netdev: NotifierRegistration<alias_track::DevEvents>,
}

impl kernel::Module for AliasModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // Notifiers first: until a namespace's state exists they ignore its
        // events; the state is then seeded under RTNL, so no event falls
        // between the snapshot and the tracking.
        let netdev = NotifierRegistration::new(alias_track::DevEvents)?;
        let inet = InetAddrNotifierRegistration::new(alias_track::AddrEvents)?;
        let state = PernetRegistration::new()?;
        let events = ProcNetRegistration::new()?;
        let view = ProcNetRegistration::new()?;
        pr_info!("loaded (/proc/net/ip_aliases)\n");
        Ok(AliasModule {
            _view: view,
            _events: events,
            _state: state,
            _inet: inet,
            _netdev: netdev,
        })
    }
}
