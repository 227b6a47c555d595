// SPDX-License-Identifier: GPL-2.0

//! rvnet_ipip: IPv4-in-IPv4 (and MPLS-in-IPv4) tunnels, a drop-in for
//! Linux's `ipip`.
//!
//! Link kind `ipip` (`ip link add t1 type ipip local A remote B`), the
//! per-namespace fallback device `tunl0`, packets taken from the kernel's
//! `tunnel4` demultiplexer for `IPPROTO_IPIP` and `IPPROTO_MPLS` (priority
//! 1, as C's). The tunnel core is ours (`drivers/ip_tunnel/`, pure parts
//! in `rust/iptun`), not `ip_tunnel.ko`'s.
//!
//! Files, as C's `ipip.c` split by concern: `ipip_dev.rs` (the device,
//! transmit and receive), `ipip_netlink.rs` (the link kind).

#[allow(dead_code)]
#[path = "../../rust/iptun/src/lib.rs"]
pub mod iptun;
#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

// The shared tunnel core: each tunnel module uses the parts its kinds need.
#[allow(dead_code)]
#[deny(unsafe_code)]
#[path = "../ip_tunnel/mod.rs"]
mod ip_tunnel;
#[deny(unsafe_code)]
mod ipip_dev;
#[deny(unsafe_code)]
mod ipip_netlink;

use ip_tunnel::{net::TunnelNet, proc::TunnelsProc};
use kernel::prelude::*;
use netdev::{
    iptunnel::{Tunnel4Family, Tunnel4Registration},
    pernet::PernetRegistration,
    prelude::*,
    shared_proc::ProviderRegistration,
};

module! {
    type: IpipModule,
    name: "rvnet_ipip",
    author: "rvnet developers",
    description: "IPv4 over IPv4 tunnels in Rust",
    license: "GPL",
    alias: ["rtnl-link-ipip", "netdev-tunl0"],
}

/// Module state, dropped in declaration order: the lines of
/// `/proc/net/tunnels` (rvnet_tunnels's file), the protocol handlers (no
/// more packets), then every namespace's tunnels (the fallback devices
/// included), then the link kind.
struct IpipModule {
    _proc: ProviderRegistration<TunnelsProc<ipip_dev::Ipip>>,
    _ipip: Tunnel4Registration<ipip_dev::IpipRx>,
    _mplsip: Tunnel4Registration<ipip_dev::IpipRx>,
    _net: PernetRegistration<TunnelNet<ipip_dev::Ipip>>,
    _link: LinkRegistration<ipip_dev::Ipip>,
}

impl kernel::Module for IpipModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let link = LinkRegistration::new_with_handle(&ipip_dev::IPIP_LINK)?;
        let net = PernetRegistration::new()?;
        let mplsip = Tunnel4Registration::new(Tunnel4Family::Mpls, 1)?;
        let ipip = Tunnel4Registration::new(Tunnel4Family::Ipv4, 1)?;
        Ok(IpipModule {
            _proc: ProviderRegistration::new()?,
            _ipip: ipip,
            _mplsip: mplsip,
            _net: net,
            _link: link,
        })
    }
}
