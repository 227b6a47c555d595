// SPDX-License-Identifier: GPL-2.0

//! rvnet_gre: GRE tunnels over IPv4, a drop-in for Linux's `ip_gre`.
//!
//! Link kinds `gre` (layer 3), `gretap` (Ethernet over GRE) and `erspan`
//! (mirrored frames, ERSPAN types I-III), the per-namespace fallback
//! devices `gre0`, `gretap0` and `erspan0`, packets taken
//! from the kernel's GRE demultiplexer (`gre.ko`) for GRE version 0, the
//! slot C's `ip_gre` takes: one module serves every kind of that slot.
//! The tunnel core is ours (`drivers/ip_tunnel/`, pure parts in
//! `rust/iptun`), not `ip_tunnel.ko`'s.
//!
//! Files, as C's `ip_gre.c` split by concern: `gre_dev.rs` (the devices
//! and their transmit), `gre_header.rs` (NBMA and multicast gre: the
//! header operations and the group joined while up), `gre_rcv.rs`
//! (receive and ICMP errors), `gre_netlink.rs` (the link kinds).

#[allow(dead_code)]
#[path = "../../rust/iptun/src/lib.rs"]
pub mod iptun;
#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod gre_dev;
#[deny(unsafe_code)]
mod gre_header;
#[deny(unsafe_code)]
mod gre_netlink;
#[deny(unsafe_code)]
mod gre_rcv;
// The shared tunnel core: each tunnel module uses the parts its kinds need.
#[allow(dead_code)]
#[deny(unsafe_code)]
#[path = "../ip_tunnel/mod.rs"]
mod ip_tunnel;

use ip_tunnel::{net::TunnelNet, proc::TunnelsProc};
use kernel::prelude::*;
use netdev::{
    gre::GreRegistration, pernet::PernetRegistration, prelude::*, shared_proc::ProviderRegistration,
};

module! {
    type: GreModule,
    name: "rvnet_gre",
    author: "rvnet developers",
    description: "GRE over IPv4 tunnels in Rust",
    license: "GPL",
    alias: [
        "rtnl-link-gre",
        "rtnl-link-gretap",
        "rtnl-link-erspan",
        "netdev-gre0",
        "netdev-gretap0",
        "netdev-erspan0"
    ],
}

/// Module state, dropped in declaration order: the lines of
/// `/proc/net/tunnels` (rvnet_tunnels's file), the GRE handler (no more
/// packets), then every namespace's tunnels (the fallback devices
/// included), then the link kinds.
struct GreModule {
    _gre_proc: ProviderRegistration<TunnelsProc<gre_dev::Gre>>,
    _tap_proc: ProviderRegistration<TunnelsProc<gre_dev::GreTap>>,
    _erspan_proc: ProviderRegistration<TunnelsProc<gre_dev::Erspan>>,
    _rx: GreRegistration<gre_rcv::GreRx>,
    _gre_net: PernetRegistration<TunnelNet<gre_dev::Gre>>,
    _tap_net: PernetRegistration<TunnelNet<gre_dev::GreTap>>,
    _erspan_net: PernetRegistration<TunnelNet<gre_dev::Erspan>>,
    _gre_link: LinkRegistration<gre_dev::Gre>,
    _tap_link: LinkRegistration<gre_dev::GreTap>,
    _erspan_link: LinkRegistration<gre_dev::Erspan>,
}

impl kernel::Module for GreModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let gre_link = LinkRegistration::new_with_handle(&gre_dev::GRE_LINK)?;
        let tap_link = LinkRegistration::new_with_handle(&gre_dev::GRETAP_LINK)?;
        let erspan_link = LinkRegistration::new_with_handle(&gre_dev::ERSPAN_LINK)?;
        let gre_net = PernetRegistration::new()?;
        let tap_net = PernetRegistration::new()?;
        let erspan_net = PernetRegistration::new()?;
        let rx = GreRegistration::new()?;
        Ok(GreModule {
            _gre_proc: ProviderRegistration::new()?,
            _tap_proc: ProviderRegistration::new()?,
            _erspan_proc: ProviderRegistration::new()?,
            _rx: rx,
            _gre_net: gre_net,
            _tap_net: tap_net,
            _erspan_net: erspan_net,
            _gre_link: gre_link,
            _tap_link: tap_link,
            _erspan_link: erspan_link,
        })
    }
}
