// SPDX-License-Identifier: GPL-2.0

//! Round-robin (`balance-rr`) slave selection.
//!
//! Mirrors drivers/net/bonding/bond_main.c of Linux 6.12:
//!
//! * [`gen_slave_id`] is `bond_rr_gen_slave_id()`: `packets_per_slave == 0`
//!   uses a random `u32` supplied by the caller (`get_random_u32()`),
//!   `1` uses the per-CPU counter value, `N > 1` uses
//!   `reciprocal_divide(counter, reciprocal_value(N))`.
//! * [`Reciprocal`] is `reciprocal_value()` / `reciprocal_divide()` from
//!   lib/math/reciprocal_div.c and include/linux/reciprocal_div.h, step
//!   for step, so the result is bit-identical to the kernel's.
//! * [`select`] is `bond_xmit_roundrobin_slave_get()` +
//!   `bond_get_slave_by_id()`: `slave_id % slave_cnt` over *all* slaves,
//!   then the first slave that can transmit from there on, wrapping.
//!
//! IGMP: for IPv4 IGMP packets the kernel does not round-robin but sends
//! on the current active slave, or the one [`select`] gives for id 0 when
//! there is none. Recognising IGMP is the kernel side's job;
//! [`select_igmp`] implements the choice.
//!
//! The counter (`bond->rr_tx_counter`, per-CPU in C) is owned by the
//! caller; the kernel keeps it in an atomic and passes the value *after*
//! the increment (`this_cpu_inc_return()`). [`RoundRobin`] is a small
//! single-threaded wrapper doing that for tests and user space.

use super::{
    first_usable_from,
    flow::{ETH_P_IP, IPPROTO_IGMP},
    Port, PortIndex,
};

/// Precomputed reciprocal of a `u32` divisor (`struct reciprocal_value`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reciprocal {
    m: u32,
    sh1: u8,
    sh2: u8,
}

/// `fls()`: 1-based position of the most significant set bit, 0 for 0.
const fn fls(x: u32) -> u32 {
    32 - x.leading_zeros()
}

impl Reciprocal {
    /// `reciprocal_value(d)`.
    ///
    /// The kernel never calls it with 0 (that would divide by zero); here
    /// `d == 0` is treated as `d == 1`, giving the identity divisor.
    pub const fn new(d: u32) -> Self {
        let d = if d == 0 { 1 } else { d };
        let l = fls(d - 1);
        // (1ULL << 32) * ((1ULL << l) - d): (1 << l) >= d, and the
        // product stays below 2^64; wrapping ops mirror C unsigned
        // arithmetic anyway.
        let mut m: u64 = (1u64 << 32).wrapping_mul((1u64 << l).wrapping_sub(d as u64));
        m /= d as u64;
        m = m.wrapping_add(1);
        Reciprocal {
            m: m as u32,
            sh1: if l < 1 { l as u8 } else { 1 },
            sh2: if l > 1 { (l - 1) as u8 } else { 0 },
        }
    }

    /// `reciprocal_divide(a, R)`.
    pub const fn divide(self, a: u32) -> u32 {
        let t = ((a as u64 * self.m as u64) >> 32) as u32;
        // sh1 <= 1 and sh2 <= 31 by construction, so these shifts are
        // the plain C shifts.
        t.wrapping_add(a.wrapping_sub(t).wrapping_shr(self.sh1 as u32))
            .wrapping_shr(self.sh2 as u32)
    }

    /// The multiplier `m`.
    pub const fn m(self) -> u32 {
        self.m
    }

    /// The first shift `sh1`.
    pub const fn sh1(self) -> u8 {
        self.sh1
    }

    /// The second shift `sh2`.
    pub const fn sh2(self) -> u8 {
        self.sh2
    }
}

/// Round-robin configuration: `packets_per_slave` and its precomputed
/// reciprocal (`bond->params.reciprocal_packets_per_slave`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RrConfig {
    packets_per_slave: u32,
    reciprocal: Reciprocal,
}

impl RrConfig {
    /// Configuration for `packets_per_slave` (0..=65535 in the kernel; any
    /// value is accepted here), computing the reciprocal as
    /// `bond_option_pps_set()` does.
    pub const fn new(packets_per_slave: u32) -> Self {
        RrConfig {
            packets_per_slave,
            reciprocal: Reciprocal::new(packets_per_slave),
        }
    }

    /// The configured `packets_per_slave`.
    pub const fn packets_per_slave(&self) -> u32 {
        self.packets_per_slave
    }

    /// Whether [`gen_slave_id`] uses the counter (i.e. the caller must
    /// increment it); false for `packets_per_slave == 0` (random).
    pub const fn uses_counter(&self) -> bool {
        self.packets_per_slave != 0
    }
}

/// `bond_rr_gen_slave_id()`.
///
/// `counter` is the counter value *after* incrementing it (only read when
/// [`RrConfig::uses_counter`]); `random` is a fresh random number (only
/// read when `packets_per_slave == 0`).
pub const fn gen_slave_id(cfg: &RrConfig, counter: u32, random: u32) -> u32 {
    match cfg.packets_per_slave {
        0 => random,
        1 => counter,
        _ => cfg.reciprocal.divide(counter),
    }
}

/// `bond_get_slave_by_id(bond, slave_id % slave_cnt)`: the first port that
/// can transmit ([`Port::can_tx`]), starting at `slave_id % ports.len()`
/// and wrapping around.
pub fn select(ports: &[Port], slave_id: u32) -> Option<PortIndex> {
    if ports.is_empty() {
        return None;
    }
    // u32 % slave_cnt in C; the result fits any usize.
    let start = (slave_id as usize) % ports.len();
    first_usable_from(ports, start, Port::can_tx)
}

/// IGMP special case of `bond_xmit_roundrobin_slave_get()`: the current
/// active slave if there is one (it is used whatever its state, as in C),
/// else `bond_get_slave_by_id(bond, 0)`.
///
/// An out-of-range `current` is treated as no current slave.
pub fn select_igmp(ports: &[Port], current: Option<PortIndex>) -> Option<PortIndex> {
    match current {
        Some(c) if c < ports.len() => Some(c),
        _ => select(ports, 0),
    }
}

/// The bytes of the network header [`is_igmp`] reads (`sizeof(struct
/// iphdr)`, what C pulls before looking).
pub const IGMP_HEADER_LEN: u32 = 20;

/// Whether a packet of `protocol` (`skb->protocol`, host order) whose
/// network header starts `l3` is IPv4 IGMP (C: the test of
/// `bond_xmit_roundrobin_slave_get`). A header shorter than
/// [`IGMP_HEADER_LEN`] is not.
#[inline]
pub fn is_igmp(protocol: u16, l3: &[u8]) -> bool {
    protocol == ETH_P_IP && l3.len() >= IGMP_HEADER_LEN as usize && l3[9] == IPPROTO_IGMP
}

/// [`is_igmp`] for an Ethernet frame (C:
/// `bond_xdp_xmit_roundrobin_slave_get`).
#[inline]
pub fn is_igmp_frame(frame: &[u8]) -> bool {
    frame.len() >= 14 && is_igmp(u16::from_be_bytes([frame[12], frame[13]]), &frame[14..])
}

/// Single-threaded round-robin state: configuration plus counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoundRobin {
    /// Configuration.
    pub cfg: RrConfig,
    /// `rr_tx_counter` (value of the last increment).
    pub counter: u32,
}

impl RoundRobin {
    /// New state with the counter at 0.
    pub const fn new(packets_per_slave: u32) -> Self {
        RoundRobin {
            cfg: RrConfig::new(packets_per_slave),
            counter: 0,
        }
    }

    /// Next slave id: increments the counter (wrapping, as the C `u32`)
    /// when it is used, then calls [`gen_slave_id`].
    pub fn next_slave_id(&mut self, random: u32) -> u32 {
        if self.cfg.uses_counter() {
            self.counter = self.counter.wrapping_add(1);
        }
        gen_slave_id(&self.cfg, self.counter, random)
    }

    /// Selects the port for the next packet ([`select`] of
    /// [`Self::next_slave_id`]).
    pub fn next(&mut self, ports: &[Port], random: u32) -> Option<PortIndex> {
        let id = self.next_slave_id(random);
        select(ports, id)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn igmp_recognised() {
        let mut ip = [0u8; 20];
        ip[0] = 0x45;
        ip[9] = 2;
        assert!(super::is_igmp(0x0800, &ip));
        assert!(!super::is_igmp(0x86dd, &ip));
        assert!(!super::is_igmp(0x0800, &ip[..19]));
        ip[9] = 17;
        assert!(!super::is_igmp(0x0800, &ip));
        let mut frame = [0u8; 34];
        frame[12] = 0x08;
        frame[14 + 9] = 2;
        assert!(super::is_igmp_frame(&frame));
        assert!(!super::is_igmp_frame(&frame[..33]));
        frame[13] = 0x06;
        assert!(!super::is_igmp_frame(&frame));
        assert!(!super::is_igmp_frame(&[]));
    }

    use super::super::LinkState;
    use super::*;

    #[test]
    fn reciprocal_known_values() {
        // Hand-computed from reciprocal_value():
        // d=1: l=fls(0)=0, m=0/1+1=1, sh1=0, sh2=0.
        let r = Reciprocal::new(1);
        assert_eq!((r.m(), r.sh1(), r.sh2()), (1, 0, 0));
        // d=2: l=1, m=(2^32*(2-2))/2+1=1, sh1=1, sh2=0.
        let r = Reciprocal::new(2);
        assert_eq!((r.m(), r.sh1(), r.sh2()), (1, 1, 0));
        // d=3: l=2, m=2^32*1/3+1=1431655766, sh1=1, sh2=1.
        let r = Reciprocal::new(3);
        assert_eq!((r.m(), r.sh1(), r.sh2()), (1_431_655_766, 1, 1));
        // d=7: l=3, m=2^32*1/7+1=613566757, sh1=1, sh2=2.
        let r = Reciprocal::new(7);
        assert_eq!((r.m(), r.sh1(), r.sh2()), (613_566_757, 1, 2));
        // d=10: l=4, m=2^32*6/10+1=2576980378, sh1=1, sh2=3.
        let r = Reciprocal::new(10);
        assert_eq!((r.m(), r.sh1(), r.sh2()), (2_576_980_378, 1, 3));
        // d=0 does not trap: identity.
        assert_eq!(Reciprocal::new(0), Reciprocal::new(1));
    }

    #[test]
    fn reciprocal_divides_small_dividends_exactly() {
        for d in [1u32, 2, 3, 5, 7, 10, 64, 100, 1000, 65535] {
            let r = Reciprocal::new(d);
            for a in (0u32..5000).chain([u32::MAX, u32::MAX - 1, 1 << 31]) {
                assert_eq!(r.divide(a), a / d, "a={a} d={d}");
            }
        }
    }

    #[test]
    fn reciprocal_huge_divisor_does_not_panic() {
        for d in [u32::MAX, (1 << 31) + 1, 1 << 31] {
            let r = Reciprocal::new(d);
            let _ = r.divide(u32::MAX);
        }
    }

    #[test]
    fn gen_slave_id_modes() {
        assert_eq!(gen_slave_id(&RrConfig::new(0), 5, 0xdead_beef), 0xdead_beef);
        assert_eq!(gen_slave_id(&RrConfig::new(1), 5, 0xdead_beef), 5);
        assert_eq!(gen_slave_id(&RrConfig::new(3), 7, 0xdead_beef), 2);
        assert!(!RrConfig::new(0).uses_counter());
        assert!(RrConfig::new(4).uses_counter());
    }

    #[test]
    fn select_skips_unusable_and_wraps() {
        let up = Port::new(0);
        let down = Port {
            link: LinkState::Down,
            ..up
        };
        let ports = [up, down, down, up];
        assert_eq!(select(&ports, 0), Some(0));
        assert_eq!(select(&ports, 1), Some(3));
        assert_eq!(select(&ports, 2), Some(3));
        assert_eq!(select(&ports, 3), Some(3));
        assert_eq!(select(&ports, 4), Some(0));
        assert_eq!(select(&[down, down], 7), None);
        assert_eq!(select(&[], 7), None);
    }

    #[test]
    fn wrapper_round_robins_with_packets_per_slave() {
        let ports = [Port::new(0), Port::new(1), Port::new(2)];
        let mut rr = RoundRobin::new(2);
        let got: [Option<usize>; 8] = core::array::from_fn(|_| rr.next(&ports, 0));
        // counter 1..=8, /2 = 0,1,1,2,2,3,3,4, %3 = 0,1,1,2,2,0,0,1
        let want = [0, 1, 1, 2, 2, 0, 0, 1].map(Some);
        assert_eq!(got, want);
        let mut rr = RoundRobin::new(1);
        assert_eq!(rr.next(&ports, 0), Some(1));
        assert_eq!(rr.next(&ports, 0), Some(2));
        assert_eq!(rr.next(&ports, 0), Some(0));
        let mut rr = RoundRobin::new(0);
        assert_eq!(rr.next(&ports, 5), Some(2));
        assert_eq!(rr.counter, 0);
    }

    #[test]
    fn counter_wraps() {
        let ports = [Port::new(0), Port::new(1), Port::new(2)];
        let mut rr = RoundRobin::new(1);
        rr.counter = u32::MAX;
        // u32 wraps to 0.
        assert_eq!(rr.next(&ports, 0), Some(0));
        assert_eq!(rr.counter, 0);
    }

    #[test]
    fn igmp() {
        let up = Port::new(0);
        let down = Port {
            dev_up: false,
            ..up
        };
        let ports = [down, up, up];
        assert_eq!(select_igmp(&ports, Some(0)), Some(0));
        assert_eq!(select_igmp(&ports, None), Some(1));
        assert_eq!(select_igmp(&ports, Some(9)), Some(1));
    }
}
