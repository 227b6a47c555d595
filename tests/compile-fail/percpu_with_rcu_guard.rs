// SPDX-License-Identifier: GPL-2.0
//! Per-CPU data is only touched where the code cannot migrate: bonding's
//! round-robin counter (and every per-CPU counter of the layer) takes a
//! `CpuPinned` proof, which the transmit and receive contexts are and an
//! RCU read-side section is not (a preemptible RCU reader can move to
//! another CPU between computing `this_cpu_ptr` and writing through it).
//! expect: the trait bound `rcu::RcuGuard: CpuPinned` is not satisfied

#[path = "../../rust/netdev/mod.rs"]
pub mod netdev;

#[deny(unsafe_code)]
mod case {
    use super::netdev::{percpu::PerCpuU32, prelude::*};

    /// Bumps this CPU's counter from a plain RCU section.
    pub(crate) fn misuse(counter: &PerCpuU32) -> u32 {
        let rcu = RcuGuard::new();
        // Misuse: preemptible; `this_cpu_ptr` may name another CPU's slot.
        counter.inc_return(&rcu)
    }
}

include!("../../tests/compile-fail/common/case_module.rs");
