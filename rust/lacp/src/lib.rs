// SPDX-License-Identifier: GPL-2.0

//! 802.3ad / LACP (IEEE 802.1AX) per-port logic, the pure half.
//!
//! This crate mirrors the per-port part of Linux 6.12's C bonding driver
//! (drivers/net/bonding/bond_3ad.c, include/net/bond_3ad.h): the LACPDU and
//! Marker PDU wire formats and the receive, periodic, mux, transmit and
//! churn state machines. It is plain integer logic over plain data: no
//! kernel bindings, no allocation, no floating point, no `unsafe`, and no
//! panics on any input (timers are `u16` like C's and are only decremented
//! when non-zero; counters wrap like C's `u32`). The same source files are
//! compiled both as a normal `no_std` crate (for host tests) and, in the
//! kernel, as a module of the `rvnet_bond` driver crate:
//!
//! ```text
//! #[allow(dead_code)]
//! #[path = "../../rust/lacp/src/lib.rs"]
//! mod lacp;
//! ```
//!
//! For that reason every intra-crate path is written relative to the module
//! (`super::`), never `crate::`.
//!
//! A port is a plain [`port::PortState`] (C's `struct port` without its
//! pointers). Each machine is a function taking `&mut PortState` plus the
//! inputs the C function reads through its pointers (the received PDU, the
//! bond parameters, a view of the port's aggregator and slave), and returns
//! what the C function would do to the outside world (slave flag changes,
//! a PDU to transmit) as values. [`tick`] strings the machines together in
//! the order of `bond_3ad_state_machine_handler()`.
//!
//! The bond-level part, the aggregators and the selection logic across a
//! bond's ports (`ad_port_selection_logic()`, `ad_agg_selection_logic()`,
//! `bond_3ad_unbind_slave()`), is [`aggregator`]: it works on a
//! caller-owned slice of [`aggregator::AdSlave`], one per slave, with C's
//! pointers as indexes. [`tick`] leaves a gap between the receive/periodic
//! machines and the mux machine where the caller runs
//! [`aggregator::ad_port_selection_logic`], and the mux machine takes the
//! port's aggregator as a [`mux::AggregatorView`]
//! ([`aggregator::mux_aggregator_view`]).
#![cfg_attr(not(any(test, CONFIG_RUST)), no_std)]

pub mod aggregator;
pub mod churn;
pub mod mux;
pub mod pdu;
pub mod periodic;
pub mod port;
pub mod rx;
pub mod state;
pub mod tick;
pub mod tx;
