// SPDX-License-Identifier: GPL-2.0

//! rvnet_sit: IPv6 (and IPv4, MPLS) in IPv4 tunnels, a drop-in for
//! Linux's `sit`.
//!
//! Link kind `sit` (`ip link add s1 type sit local A remote B`, modes
//! `ip6ip`, `ipip`, `mplsip`, `any`; ISATAP, 6rd / 6to4), the
//! per-namespace fallback device `sit0`, packets taken from the kernel's
//! `tunnel4` demultiplexer for `IPPROTO_IPV6` (priority 1),
//! `IPPROTO_IPIP` and `IPPROTO_MPLS` (priority 2, after ipip's 1, as C's
//! sit). Encapsulation, decapsulation and the device are the tunnel
//! core's (`drivers/ip_tunnel/`, pure parts in `rust/iptun`) where C's
//! sit uses `ip_tunnel.ko`; the table and the IPv6 paths are sit's own.
//!
//! Files, as C's `sit.c` split by concern: `sit_dev.rs` (the device and
//! its transmit), `sit_rcv.rs` (receive and ICMP errors), `sit_net.rs`
//! (the per-namespace table and `sit0`), `sit_netlink.rs` (the link
//! kind), `sit_ioctl.rs` (the tunnel, PRL and 6rd ioctls).
//!
//! `/proc/net/tunnels` is not sit's: rvnet_ipip owns that file for now
//! (one owner per namespace); sit's tunnels join it once the file has a
//! shared owner (the lines are `ip_tunnel_proc.rs`'s, over
//! [`sit_net::SitNet`]'s table).

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
mod sit_dev;
#[deny(unsafe_code)]
mod sit_ioctl;
#[deny(unsafe_code)]
mod sit_net;
#[deny(unsafe_code)]
mod sit_netlink;
#[deny(unsafe_code)]
mod sit_rcv;

use ip_tunnel::proc::TunnelsProc;
use kernel::prelude::*;
use netdev::{
    iptunnel::{Tunnel4Family, Tunnel4Registration},
    pernet::PernetRegistration,
    prelude::*,
    shared_proc::ProviderRegistration,
};

module! {
    type: SitModule,
    name: "rvnet_sit",
    author: "rvnet developers",
    description: "IPv6 over IPv4 tunnels (sit) in Rust",
    license: "GPL",
    alias: ["rtnl-link-sit", "netdev-sit0"],
}

/// Module state, dropped in declaration order: the lines of
/// `/proc/net/tunnels` (rvnet_tunnels's file), the protocol handlers (no
/// more packets), then every namespace's tunnels (`sit0` included), then
/// the link kind.
struct SitModule {
    _proc: ProviderRegistration<TunnelsProc<sit_dev::Sit>>,
    _ip6ip: Tunnel4Registration<sit_rcv::SitRx>,
    _ipip: Tunnel4Registration<sit_rcv::SitRx>,
    _mplsip: Tunnel4Registration<sit_rcv::SitRx>,
    _net: PernetRegistration<sit_net::SitNet>,
    _link: LinkRegistration<sit_dev::Sit>,
}

impl kernel::Module for SitModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let link = LinkRegistration::new_with_handle(&sit_dev::SIT_LINK)?;
        let net = PernetRegistration::new()?;
        let mplsip = Tunnel4Registration::new(Tunnel4Family::Mpls, 2)?;
        let ipip = Tunnel4Registration::new(Tunnel4Family::Ipv4, 2)?;
        let ip6ip = Tunnel4Registration::new(Tunnel4Family::Ipv6, 1)?;
        Ok(SitModule {
            _proc: ProviderRegistration::new()?,
            _ip6ip: ip6ip,
            _ipip: ipip,
            _mplsip: mplsip,
            _net: net,
            _link: link,
        })
    }
}
