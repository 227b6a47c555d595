// SPDX-License-Identifier: GPL-2.0

//! The Ethernet bridge's pure rules (C: net/bridge), shared by the
//! `rvnet_bridge` kernel module (included with `#[path]`) and host tests.
//!
//! - [`flags`]: per-port `BR_*` flags and port states;
//! - [`deliver`]: which frame goes where (`should_deliver`, `br_flood`,
//!   link-local group addresses and `group_fwd_mask`);
//! - [`port`]: path cost from link speed, port ids, bridge id;
//! - [`fdb`]: the forwarding database's key hash and ageing rule.

#![cfg_attr(not(any(test, CONFIG_RUST)), no_std)]

pub mod deliver;
pub mod fdb;
pub mod flags;
pub mod port;
