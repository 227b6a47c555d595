// SPDX-License-Identifier: GPL-2.0

//! Transmit load balancing (balance-tlb, and the transmit half of
//! balance-alb): the table of 256 flow buckets, each given to the least
//! loaded port when first used, and the periodic rebalance.
//!
//! Mirrors drivers/net/bonding/bond_alb.c of Linux 6.12:
//!
//! * [`Tlb::choose`] is `__tlb_choose_channel()`: a bucket keeps the port
//!   it was given; an unassigned one goes to the port with the largest gap
//!   between its speed and its load (`tlb_get_least_loaded_slave()`,
//!   `compute_gap()`: `speed << 20` minus `load << 3`, first port on ties),
//!   joins that port's list and adds its load history to the port's load;
//!   the packet's length is added to the bucket's bytes.
//! * [`Tlb::clear_port`] is `__tlb_clear_slave()`: every bucket of the
//!   port is unassigned (with `save_load`, its bytes of the last interval
//!   become its load history: `1 + tx_bytes / BOND_TLB_REBALANCE_INTERVAL`)
//!   and the port's load is reset.
//! * [`Tlb::rebalance`] is the rebalance step of `bond_alb_monitor()`: all
//!   ports cleared with `save_load`, the current active port's load set to
//!   the unbalanced bytes of the interval per second.
//! * [`Tlb::count_unbalanced`] is `bond_do_alb_xmit()`'s accounting of a
//!   packet sent on the active port because no bucket took it.
//! * [`bucket`] is `hash_index & 0xFF` of `bond_xmit_tlb_slave_get()`, and
//!   [`simple_hash`] is `_simple_hash()` (XOR of bytes, the receive half's
//!   client hash).
//!
//! Ports are named by their [`Port::index`] (stable while the port is
//! enslaved), not by their position in the slice, since the table outlives
//! any one slice of ports. Each port's own TLB state ([`TlbPort`], C's
//! `struct tlb_slave_info`) is kept by the caller beside the port and
//! passed in; the table never holds more than [`TLB_HASH_TABLE_SIZE`]
//! entries and allocates nothing.

use super::fixed_table::FixedTable;
use super::{Port, PortIndex};
use core::ops::DerefMut;

/// `TLB_HASH_TABLE_SIZE`: the number of transmit buckets.
pub const TLB_HASH_TABLE_SIZE: usize = 256;

/// `TLB_NULL_INDEX`: the end of a port's bucket list.
pub const TLB_NULL_INDEX: u32 = 0xffff_ffff;

/// `BOND_TLB_REBALANCE_INTERVAL`: seconds between rebalances.
pub const BOND_TLB_REBALANCE_INTERVAL: u32 = 10;

/// `ALB_TIMER_TICKS_PER_SEC`: the ALB monitor's rate.
pub const ALB_TIMER_TICKS_PER_SEC: u32 = 10;

/// `BOND_TLB_REBALANCE_TICKS`: monitor ticks between rebalances.
pub const BOND_TLB_REBALANCE_TICKS: u32 = BOND_TLB_REBALANCE_INTERVAL * ALB_TIMER_TICKS_PER_SEC;

/// One transmit bucket (`struct tlb_client_info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TlbEntry {
    /// The port the bucket is assigned to (its [`Port::index`]).
    pub tx_slave: Option<u32>,
    /// Bytes sent through the bucket since the last rebalance.
    pub tx_bytes: u32,
    /// The bucket's load in the previous interval (bytes per second).
    pub load_history: u32,
    /// The next bucket of the same port, or [`TLB_NULL_INDEX`].
    pub next: u32,
    /// The previous bucket of the same port, or [`TLB_NULL_INDEX`].
    pub prev: u32,
}

impl TlbEntry {
    /// A bucket after `tlb_initialize()`.
    pub const EMPTY: TlbEntry = TlbEntry {
        tx_slave: None,
        tx_bytes: 0,
        load_history: 0,
        next: TLB_NULL_INDEX,
        prev: TLB_NULL_INDEX,
    };

    /// `tlb_init_table_entry()`.
    fn reset(&mut self, save_load: bool) {
        if save_load {
            self.load_history = 1 + self.tx_bytes / BOND_TLB_REBALANCE_INTERVAL;
            self.tx_bytes = 0;
        }
        self.tx_slave = None;
        self.next = TLB_NULL_INDEX;
        self.prev = TLB_NULL_INDEX;
    }
}

/// A port's TLB state (`struct tlb_slave_info`), kept with the port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TlbPort {
    /// The first bucket of the port's list, or [`TLB_NULL_INDEX`].
    pub head: u32,
    /// The sum of the load histories of the port's buckets.
    pub load: u32,
}

impl TlbPort {
    /// `tlb_init_slave()`: no buckets, no load.
    pub const NEW: TlbPort = TlbPort {
        head: TLB_NULL_INDEX,
        load: 0,
    };
}

impl Default for TlbPort {
    fn default() -> Self {
        TlbPort::NEW
    }
}

/// `_simple_hash()`: the XOR of `bytes`.
pub fn simple_hash(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |h, b| h ^ b)
}

/// The bucket of a packet whose transmit hash is `hash`
/// (`bond_xmit_hash() & 0xFF`).
pub const fn bucket(hash: u32) -> u8 {
    (hash & 0xff) as u8
}

/// `compute_gap()`: the port's speed in bits per second (`speed << 20`,
/// C's "Megabit" shift on a `u32` speed, `SPEED_UNKNOWN` included) minus
/// its load in bits (`load << 3`), as C's signed 64-bit arithmetic.
pub const fn compute_gap(speed: u32, load: u32) -> i64 {
    ((speed as u64) << 20) as i64 - ((load as u64) << 3) as i64
}

/// The bucket table as a fixed array (the default storage of [`Tlb`]).
pub type Table = FixedTable<TlbEntry, TLB_HASH_TABLE_SIZE>;

/// The transmit bucket table of one bond (`alb_bond_info.tx_hashtbl` and
/// `unbalanced_load`). The table is `T`, a fixed array by default; a
/// kernel user gives it one allocated apart ([`Tlb::with_table`]), as C
/// allocates `tx_hashtbl` only when a bond opens in a load-balancing mode.
#[derive(Clone, Debug)]
pub struct Tlb<T = Table> {
    entries: T,
    /// Bytes sent on the active port for want of a bucket since the last
    /// rebalance (`unbalanced_load`).
    pub unbalanced_load: u64,
}

impl Default for Tlb {
    fn default() -> Self {
        Tlb::new()
    }
}

impl Tlb {
    /// `tlb_initialize()`: every bucket unassigned, no history.
    pub const fn new() -> Self {
        Tlb {
            entries: Table::filled(TlbEntry::EMPTY),
            unbalanced_load: 0,
        }
    }
}

impl<T: DerefMut<Target = [TlbEntry]>> Tlb<T> {
    /// The state over `table` ([`TLB_HASH_TABLE_SIZE`] entries, else
    /// `None`), reset as by [`Tlb::reset`].
    pub fn with_table(table: T) -> Option<Self> {
        if table.len() != TLB_HASH_TABLE_SIZE {
            return None;
        }
        let mut t = Tlb {
            entries: table,
            unbalanced_load: 0,
        };
        t.reset();
        Some(t)
    }

    /// Bucket `i`.
    pub fn entry(&self, i: u8) -> &TlbEntry {
        &self.entries[usize::from(i)]
    }

    /// `tlb_get_least_loaded_slave()`: the port that can transmit with the
    /// largest gap, the first one on ties; `tlb` is each port's state, in
    /// the order of `ports` (missing entries count as unloaded).
    pub fn least_loaded(ports: &[Port], tlb: &[TlbPort]) -> Option<PortIndex> {
        let mut best: Option<(PortIndex, i64)> = None;
        for (i, p) in ports.iter().enumerate() {
            if !p.can_tx() {
                continue;
            }
            let load = tlb.get(i).map_or(0, |t| t.load);
            let gap = compute_gap(p.speed, load);
            let better = match best {
                None => true,
                Some((_, g)) => g < gap,
            };
            if better {
                best = Some((i, gap));
            }
        }
        best.map(|(i, _)| i)
    }

    /// `__tlb_choose_channel()` for a packet of `len` bytes in bucket
    /// `hash`: the position in `ports` of the bucket's port (assigning the
    /// least loaded port to an unassigned bucket), `None` when no port can
    /// take it. `tlb[i]` is the state of `ports[i]`.
    ///
    /// A bucket whose port is no longer in `ports` is treated as C treats
    /// a bucket of a port being released (`bond_do_alb_xmit` then sends
    /// on the active port): `None`, the bucket left as it is until
    /// [`Tlb::clear_port`].
    pub fn choose(
        &mut self,
        hash: u8,
        len: u32,
        ports: &[Port],
        tlb: &mut [TlbPort],
    ) -> Option<PortIndex> {
        let h = usize::from(hash);
        let chosen = match self.entries[h].tx_slave {
            Some(id) => ports.iter().position(|p| p.index == id),
            None => {
                let i = Self::least_loaded(ports, tlb)?;
                let slot = tlb.get_mut(i)?;
                let next = slot.head;
                let e = &mut self.entries[h];
                e.tx_slave = Some(ports[i].index);
                e.next = next;
                e.prev = TLB_NULL_INDEX;
                if let Some(n) = self.entries.get_mut(next as usize) {
                    n.prev = h as u32;
                }
                slot.head = h as u32;
                slot.load = slot.load.wrapping_add(self.entries[h].load_history);
                Some(i)
            }
        };
        if chosen.is_some() {
            let e = &mut self.entries[h];
            e.tx_bytes = e.tx_bytes.wrapping_add(len);
        }
        chosen
    }

    /// `__tlb_clear_slave()`: unassigns every bucket of the port whose
    /// state is `port` (saving each bucket's bytes as its load history with
    /// `save_load`) and resets the port's state.
    pub fn clear_port(&mut self, port: &mut TlbPort, save_load: bool) {
        let mut index = port.head;
        // A list is at most every bucket long; the bound also ends a walk
        // of a corrupted list.
        for _ in 0..TLB_HASH_TABLE_SIZE {
            let Some(e) = self.entries.get_mut(index as usize) else {
                break;
            };
            let next = e.next;
            e.reset(save_load);
            index = next;
        }
        *port = TlbPort::NEW;
    }

    /// `bond_do_alb_xmit()` without a bucket's port: `len` bytes go on
    /// the active port, counted as unbalanced load when `dynamic_lb`.
    pub fn count_unbalanced(&mut self, len: u32, dynamic_lb: bool) {
        if dynamic_lb {
            self.unbalanced_load = self.unbalanced_load.wrapping_add(u64::from(len));
        }
    }

    /// The rebalance of `bond_alb_monitor()`: every port cleared with its
    /// buckets' history saved; the current active port (`curr`, a position
    /// in `tlb`) takes the interval's unbalanced bytes per second as its
    /// load, and the count starts again.
    pub fn rebalance(&mut self, tlb: &mut [TlbPort], curr: Option<PortIndex>) {
        for (i, t) in tlb.iter_mut().enumerate() {
            self.clear_port(t, true);
            if Some(i) == curr {
                // C stores the quotient in the `u32` load.
                t.load = (self.unbalanced_load / u64::from(BOND_TLB_REBALANCE_INTERVAL)) as u32;
                self.unbalanced_load = 0;
            }
        }
    }

    /// The port named `index` left (after [`Tlb::clear_port`] of its
    /// state): the buckets of the ports named after it are renamed one
    /// down, as the caller's per-port states move one position down
    /// (rvnet names ports by their position among the slaves).
    pub fn remove_port(&mut self, index: u32) {
        for e in self.entries.iter_mut() {
            match e.tx_slave {
                Some(id) if id == index => e.reset(false),
                Some(id) if id > index => e.tx_slave = Some(id - 1),
                _ => {}
            }
        }
    }

    /// Every bucket unassigned and without history, no unbalanced load
    /// (`tlb_initialize()` when the bond opens); the ports' states are the
    /// caller's to reset.
    pub fn reset(&mut self) {
        for e in self.entries.iter_mut() {
            *e = TlbEntry::EMPTY;
        }
        self.unbalanced_load = 0;
    }

    /// The buckets on the list of the port whose state is `port`, from
    /// `port.head` (for checks and dumps).
    pub fn buckets_of(&self, port: &TlbPort) -> impl Iterator<Item = u8> + '_ {
        super::list_walk(port.head, TLB_HASH_TABLE_SIZE, |i| {
            self.entries.get(i as usize).map(|e| e.next)
        })
        .map(|i| i as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ports(speeds: &[u32]) -> [Port; 3] {
        let mut p = [Port::new(10), Port::new(11), Port::new(12)];
        for (x, s) in p.iter_mut().zip(speeds) {
            x.speed = *s;
        }
        p
    }

    #[test]
    fn hashes() {
        assert_eq!(simple_hash(&[0x0a, 0x00, 0x00, 0x02]), 0x08);
        assert_eq!(simple_hash(&[]), 0);
        assert_eq!(bucket(0x1234_56ab), 0xab);
    }

    #[test]
    fn gap_as_c() {
        assert_eq!(compute_gap(1000, 0), 1000 << 20);
        assert_eq!(compute_gap(0, 1), -8);
        // SPEED_UNKNOWN is the largest speed to C's shift.
        assert!(compute_gap(u32::MAX, u32::MAX) > compute_gap(100_000, 0));
    }

    #[test]
    fn buckets_spread_by_load_history() {
        let p = ports(&[1000, 1000, 1000]);
        let mut t = [TlbPort::NEW; 3];
        let mut tlb = Tlb::new();
        // No history: every bucket adds 0 load, so the first port takes all.
        assert_eq!(tlb.choose(1, 100, &p, &mut t), Some(0));
        assert_eq!(tlb.choose(2, 100, &p, &mut t), Some(0));
        // After a rebalance each used bucket has history 1 + bytes/10.
        tlb.rebalance(&mut t, None);
        assert_eq!(tlb.entry(1).load_history, 11);
        assert_eq!(tlb.choose(1, 1, &p, &mut t), Some(0));
        assert_eq!(tlb.choose(2, 1, &p, &mut t), Some(1));
        assert_eq!(tlb.choose(3, 1, &p, &mut t), Some(2));
        // Assigned buckets stay.
        assert_eq!(tlb.choose(2, 1, &p, &mut t), Some(1));
        assert_eq!(tlb.buckets_of(&t[0]).collect::<Vec<_>>(), [1]);
        assert_eq!(t[0].load, 11);
    }

    #[test]
    fn faster_port_first_and_unusable_skipped() {
        let mut p = ports(&[100, 1000, 10]);
        let mut t = [TlbPort::NEW; 3];
        let mut tlb = Tlb::new();
        assert_eq!(tlb.choose(7, 60, &p, &mut t), Some(1));
        p[1].backup = true;
        // Bucket 7 keeps its port even if it cannot send now (C returns it
        // and bond_do_alb_xmit decides).
        assert_eq!(tlb.choose(7, 60, &p, &mut t), Some(1));
        assert_eq!(tlb.choose(8, 60, &p, &mut t), Some(0));
        p[0].dev_up = false;
        p[2].dev_up = false;
        assert_eq!(tlb.choose(9, 60, &p, &mut t), None);
        assert_eq!(tlb.entry(9).tx_bytes, 0);
    }

    /// Six buckets spread over three equal ports (after one rebalance
    /// each has a load history).
    fn spread() -> (Tlb, [TlbPort; 3]) {
        let p = ports(&[1000, 1000, 1000]);
        let mut t = [TlbPort::NEW; 3];
        let mut tlb = Tlb::new();
        for h in 0..6u8 {
            tlb.choose(h, 10, &p, &mut t);
        }
        tlb.rebalance(&mut t, None);
        for h in 0..6u8 {
            tlb.choose(h, 10, &p, &mut t);
        }
        (tlb, t)
    }

    #[test]
    fn clear_port_unlinks_its_buckets_only() {
        let (mut tlb, mut t) = spread();
        let of0: Vec<u8> = tlb.buckets_of(&t[0]).collect();
        let of1: Vec<u8> = tlb.buckets_of(&t[1]).collect();
        assert!(!of0.is_empty() && !of1.is_empty());
        let mut t1 = t[1];
        tlb.clear_port(&mut t1, false);
        t[1] = t1;
        assert_eq!(t[1], TlbPort::NEW);
        for h in &of1 {
            assert_eq!(tlb.entry(*h).tx_slave, None);
        }
        assert_eq!(tlb.buckets_of(&t[0]).collect::<Vec<u8>>(), of0);
    }

    #[test]
    fn remove_port_renames_later_ports() {
        let (mut tlb, t) = spread();
        let of2: Vec<u8> = tlb.buckets_of(&t[2]).collect();
        assert!(!of2.is_empty());
        let mut t1 = t[1];
        tlb.clear_port(&mut t1, false);
        tlb.remove_port(11);
        for h in &of2 {
            assert_eq!(tlb.entry(*h).tx_slave, Some(11));
        }
        let q = [Port::new(10), Port::new(11)];
        let mut tq = [t[0], t[2]];
        assert_eq!(tlb.choose(of2[0], 1, &q, &mut tq), Some(1));
        tlb.reset();
        assert_eq!(tlb.entry(of2[0]).tx_slave, None);
    }

    #[test]
    fn unbalanced_load_goes_to_active() {
        let mut tlb = Tlb::new();
        let mut t = [TlbPort::NEW; 2];
        tlb.count_unbalanced(500, true);
        tlb.count_unbalanced(500, false);
        assert_eq!(tlb.unbalanced_load, 500);
        tlb.rebalance(&mut t, Some(1));
        assert_eq!((t[0].load, t[1].load, tlb.unbalanced_load), (0, 50, 0));
    }

    #[test]
    fn table_apart_behaves_as_the_array() {
        assert!(Tlb::with_table(vec![TlbEntry::EMPTY; 3]).is_none());
        let mut dirty = vec![TlbEntry::EMPTY; TLB_HASH_TABLE_SIZE];
        dirty[7].tx_slave = Some(1);
        let mut apart = Tlb::with_table(dirty).unwrap();
        assert_eq!(apart.entry(7).tx_slave, None);
        let mut fixed = Tlb::new();
        let p = ports(&[100, 1000, 10]);
        let (mut ta, mut tf) = ([TlbPort::NEW; 3], [TlbPort::NEW; 3]);
        for h in 0..=255u8 {
            let len = u32::from(h) * 3;
            assert_eq!(
                apart.choose(h, len, &p, &mut ta),
                fixed.choose(h, len, &p, &mut tf)
            );
        }
        apart.rebalance(&mut ta, Some(0));
        fixed.rebalance(&mut tf, Some(0));
        assert_eq!(ta, tf);
        for h in 0..=255u8 {
            assert_eq!(apart.entry(h), fixed.entry(h));
        }
    }
}
