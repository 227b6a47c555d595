// SPDX-License-Identifier: GPL-2.0

//! Transmit-path lower-device selection policies, the pure half.
//!
//! This crate holds the decision logic shared by the rvnet virtual network
//! drivers (bonding, TEQL, ...) for "which lower device transmits this
//! packet". It is plain integer arithmetic over plain data: no kernel
//! bindings, no allocation, no floating point, no `unsafe`, and no panics on
//! any input. The same source files are compiled both as a normal `no_std`
//! crate (for host tests and benchmarks) and, in the kernel, as a module of
//! a driver crate:
//!
//! ```text
//! #[allow(dead_code)]
//! #[path = "../../rust/txsel/src/lib.rs"]
//! mod txsel;
//! ```
//!
//! For that reason every intra-crate path is written relative to the module
//! (`super::`), never `crate::`.
//!
//! Every policy takes the candidate ports as a slice of [`Port`] and returns
//! an index into that slice (`Option<usize>`, `None` when nothing can
//! transmit, in particular for an empty slice). Each policy mirrors the
//! Linux 6.12 C code it is named after; the module documentation of each
//! file names the C functions.
#![cfg_attr(not(any(test, CONFIG_RUST)), no_std)]

pub mod activebackup;
pub mod alb;
pub mod arpmon;
pub mod bondopt;
pub mod broadcast;
pub mod failover;
pub mod fixed_table;
pub mod flow;
pub mod hash;
pub mod miimon;
pub mod port;
pub mod rlb;
pub mod roundrobin;
pub mod stats;
pub mod teql;
pub mod tlb;

pub use self::port::{Duplex, LinkState, Port};

/// Index of a port in the slice handed to a policy.
pub type PortIndex = usize;

/// Bitmask of port indices: bit `i` set means port `i` is selected.
///
/// Only the first 64 ports of a slice can be represented.
pub type PortMask = u64;

/// The nodes of a list linked by indices (the bonding tables' `next`
/// fields), from `head`, at most `max` of them (a corrupted list ends
/// too): `next(i)` is the node after node `i`, `None` when `i` is no node
/// (the end marker is an index outside the table).
pub fn list_walk<F>(head: u32, max: usize, next: F) -> impl Iterator<Item = u32>
where
    F: Fn(u32) -> Option<u32>,
{
    let mut i = head;
    let mut left = max;
    core::iter::from_fn(move || {
        if left == 0 {
            return None;
        }
        left -= 1;
        let n = next(i)?;
        let here = i;
        i = n;
        Some(here)
    })
}

/// Returns the index of the first port, scanning from `start` and wrapping
/// around once, for which `usable` returns true.
///
/// `start` is reduced modulo `ports.len()`; an empty slice gives `None`.
pub fn first_usable_from<F>(ports: &[Port], start: usize, usable: F) -> Option<PortIndex>
where
    F: Fn(&Port) -> bool,
{
    let n = ports.len();
    if n == 0 {
        return None;
    }
    let start = start % n;
    let (head, tail) = ports.split_at(start);
    if let Some(i) = tail.iter().position(&usable) {
        return Some(start + i);
    }
    head.iter().position(&usable)
}

/// Returns the index of the `nth` (0-based) port for which `usable` returns
/// true, i.e. `arr[nth]` of the compacted array of usable ports.
#[inline]
pub fn nth_usable<F>(ports: &[Port], nth: usize, usable: F) -> Option<PortIndex>
where
    F: Fn(&Port) -> bool,
{
    ports
        .iter()
        .enumerate()
        .filter(|(_, p)| usable(p))
        .nth(nth)
        .map(|(i, _)| i)
}
