// SPDX-License-Identifier: GPL-2.0

//! The IP tunnel core shared by the rvnet tunnel drivers (C's
//! net/ipv4/ip_tunnel.c), safe code over the layer's `iptunnel` module and
//! the pure logic of `rust/iptun`. Each tunnel module includes it with
//! `#[path]` and gives it its kind through [`tunnel::TunnelKind`].
//!
//! C's `ip_tunnel.ko` is not used: its exports assume `netdev_priv` is a C
//! `struct ip_tunnel`, overwrite `priv_destructor` and register devices
//! that never pass through our link ops.
//!
//! One concern per file: `ip_tunnel.rs` (the private data, the kind trait,
//! device set-up, MTU and binding to the underlay), `ip_tunnel_net.rs`
//! (the per-namespace table, the fallback device and the lookups),
//! `ip_tunnel_xmit.rs` (encapsulation), `ip_tunnel_rcv.rs`
//! (decapsulation), `ip_tunnel_netlink.rs` (`IFLA_IPTUN_*`),
//! `ip_tunnel_ioctl.rs` (`ip tunnel`: the `SIOC*TUNNEL` ioctls),
//! `ip_tunnel_proc.rs` (`/proc/net/tunnels`).

#[path = "ip_tunnel_ioctl.rs"]
pub(crate) mod ioctl;
#[path = "ip_tunnel_net.rs"]
pub(crate) mod net;
#[path = "ip_tunnel_netlink.rs"]
pub(crate) mod netlink;
#[path = "ip_tunnel_proc.rs"]
pub(crate) mod proc;
#[path = "ip_tunnel_rcv.rs"]
pub(crate) mod rcv;
#[path = "ip_tunnel.rs"]
pub(crate) mod tunnel;
#[path = "ip_tunnel_xmit.rs"]
pub(crate) mod xmit;
