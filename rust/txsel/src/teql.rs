// SPDX-License-Identifier: GPL-2.0

//! TEQL ("true link equalizer") striping over its slaves.
//!
//! Mirrors `teql_master_xmit()` in net/sched/sch_teql.c of Linux 6.12. The
//! master keeps a pointer (`master->slaves`) to the slave to try first;
//! the scan goes round the ring from there and uses the first slave whose
//! device is up and whose transmit queue is not stopped
//! ([`Port::teql_ready`]; a slave whose carrier is down has its qdisc
//! replaced by noop, which `teql_resolve()` rejects). If none is, the
//! packet is not sent (`None`).
//!
//! After a successful transmit the C code advances the pointer to the
//! slave after the one used *only if* the one used was the one the pointer
//! designated ([`Advance::Linux`]); so while the designated slave is
//! stopped, the next ready one takes all the traffic. [`Advance::AfterUsed`]
//! instead always resumes after the slave last used, which stripes evenly
//! over whatever is ready (the behaviour the rvnet driver may choose).

use super::{first_usable_from, Port, PortIndex};

/// The first ready slave scanning from `start` (taken modulo the number
/// of slaves), wrapping around; `None` if no slave is ready.
pub fn select(ports: &[Port], start: usize) -> Option<PortIndex> {
    first_usable_from(ports, start, Port::teql_ready)
}

/// How the start pointer moves after a transmit on `used`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Advance {
    /// As `teql_master_xmit()`: `start = used + 1` only if `used ==
    /// start`.
    #[default]
    Linux,
    /// `start = used + 1` always.
    AfterUsed,
}

/// The next start pointer after a transmit on `used` (indices modulo
/// `n`; `n == 0` gives 0).
pub const fn advance(mode: Advance, start: usize, used: PortIndex, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    let start = start % n;
    let used = used % n;
    match mode {
        Advance::Linux if used != start => start,
        _ => (used + 1) % n,
    }
}

/// TEQL master state: the start pointer and how it advances.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Teql {
    /// `master->slaves`: index of the slave to try first.
    pub start: usize,
    /// Pointer update rule.
    pub mode: Advance,
}

impl Teql {
    /// New state starting at slave 0.
    pub const fn new(mode: Advance) -> Self {
        Teql { start: 0, mode }
    }

    /// Selects the slave for the next packet and, assuming the transmit
    /// succeeds, advances the pointer.
    pub fn next(&mut self, ports: &[Port]) -> Option<PortIndex> {
        let used = select(ports, self.start)?;
        self.start = advance(self.mode, self.start, used, ports.len());
        Some(used)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stopped() -> Port {
        Port {
            queue_stopped: true,
            ..Port::new(0)
        }
    }

    #[test]
    fn stripes_when_all_ready() {
        let p = [Port::new(0); 3];
        for mode in [Advance::Linux, Advance::AfterUsed] {
            let mut t = Teql::new(mode);
            let got: [Option<usize>; 6] = core::array::from_fn(|_| t.next(&p));
            assert_eq!(got, [0, 1, 2, 0, 1, 2].map(Some));
        }
    }

    #[test]
    fn linux_pointer_stays_on_stopped_slave() {
        let mut p = [Port::new(0); 3];
        p[0] = stopped();
        let mut t = Teql::new(Advance::Linux);
        let got: [Option<usize>; 4] = core::array::from_fn(|_| t.next(&p));
        assert_eq!(got, [1, 1, 1, 1].map(Some));
        assert_eq!(t.start, 0);
        // Slave 0 wakes up: it is used, then striping resumes.
        p[0] = Port::new(0);
        let got: [Option<usize>; 3] = core::array::from_fn(|_| t.next(&p));
        assert_eq!(got, [0, 1, 2].map(Some));
    }

    #[test]
    fn after_used_skips_stopped() {
        let mut p = [Port::new(0); 3];
        p[0] = stopped();
        let mut t = Teql::new(Advance::AfterUsed);
        let got: [Option<usize>; 4] = core::array::from_fn(|_| t.next(&p));
        assert_eq!(got, [1, 2, 1, 2].map(Some));
    }

    #[test]
    fn none_ready() {
        let down = Port {
            dev_up: false,
            ..Port::new(0)
        };
        let mut t = Teql::new(Advance::Linux);
        assert_eq!(t.next(&[stopped(), down]), None);
        assert_eq!(t.next(&[]), None);
        assert_eq!(select(&[Port::new(0)], 99), Some(0));
        assert_eq!(advance(Advance::Linux, 5, 5, 0), 0);
    }
}
