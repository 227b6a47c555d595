// SPDX-License-Identifier: GPL-2.0

//! The ARP link monitor's decisions, the pure half (C:
//! drivers/net/bonding/bond_main.c `bond_time_in_interval`,
//! `bond_loadbalance_arp_mon`, `bond_ab_arp_inspect`, `bond_ab_arp_probe`,
//! `bond_rcv_validate`, `bond_arp_rcv`; include/net/bonding.h
//! `slave_do_arp_validate`, `slave_last_rx`, `bond_get_targets_ip`;
//! bond_options.c `_bond_option_arp_ip_target_add`).
//!
//! Times are jiffies (`unsigned long`, wrapping) and every comparison is
//! the kernel's `time_in_range`/`time_after`, signed on the difference.

use super::LinkState;

/// `BOND_MAX_ARP_TARGETS`.
pub const MAX_TARGETS: usize = 16;

/// `ARPOP_REPLY`.
pub const ARPOP_REPLY: u16 = 2;

/// `arp_validate` (`BOND_ARP_VALIDATE_*`, `BOND_ARP_FILTER*`): bit 0
/// validates active slaves, bit 1 backup slaves, bit 2 "filter" (only ARP
/// traffic counts as received on a slave that is not validated).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ArpValidate(u8);

impl ArpValidate {
    /// `none` (0).
    pub const NONE: ArpValidate = ArpValidate(0);
    /// `active` (1).
    pub const ACTIVE: ArpValidate = ArpValidate(1);
    /// `backup` (2).
    pub const BACKUP: ArpValidate = ArpValidate(2);
    /// `all` (3).
    pub const ALL: ArpValidate = ArpValidate(3);
    /// `filter` (4).
    pub const FILTER: ArpValidate = ArpValidate(4);

    /// The option value (0-6) as given by netlink; `None` outside C's table.
    pub const fn from_raw(v: u32) -> Option<Self> {
        if v <= 6 {
            Some(ArpValidate(v as u8))
        } else {
            None
        }
    }

    /// The C value.
    pub const fn raw(self) -> u8 {
        self.0
    }

    /// The option's name (`bond_arp_validate_tbl`).
    pub const fn name(self) -> &'static str {
        match self.0 {
            1 => "active",
            2 => "backup",
            3 => "all",
            4 => "filter",
            5 => "filter_active",
            6 => "filter_backup",
            _ => "none",
        }
    }

    /// `slave_do_arp_validate`: probes received on a slave in this state
    /// (`backup` is `slave->backup`) are validated.
    pub const fn validates(self, backup: bool) -> bool {
        let state = if backup { 1 } else { 0 };
        self.0 & (1 << state) != 0
    }

    /// `slave_do_arp_validate_only`.
    pub const fn filter(self) -> bool {
        self.0 & 4 != 0
    }
}

/// What `bond_rcv_validate` does with a frame received on a slave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RxProbe {
    /// Any traffic counts: `last_rx` is now.
    Touch,
    /// Validate it as an ARP probe or reply (`bond_arp_rcv`).
    Arp,
    /// Validate it as an IPv6 neighbour advertisement (`bond_na_rcv`).
    Na,
    /// Nothing.
    Ignore,
}

/// `bond_rcv_validate` for a frame of this kind on a slave whose `backup`
/// flag is `backup`.
pub const fn rcv_validate(v: ArpValidate, backup: bool, is_arp: bool, is_ipv6: bool) -> RxProbe {
    if !v.validates(backup) {
        if (v.filter() && (is_arp || is_ipv6)) || !v.filter() {
            RxProbe::Touch
        } else {
            RxProbe::Ignore
        }
    } else if is_arp {
        RxProbe::Arp
    } else if is_ipv6 {
        RxProbe::Na
    } else {
        RxProbe::Ignore
    }
}

/// Why a target was refused (C logs each and answers `EINVAL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetError {
    /// The limited broadcast or 0.0.0.0 (`bond_is_ip_target_ok`).
    Invalid,
    /// Already in the list.
    Duplicate,
    /// The list holds `MAX_TARGETS` already.
    Full,
}

/// An address a monitor probes: IPv4 (`u32`, the network-order bytes as a
/// big-endian value) for ARP, IPv6 (`[u8; 16]`) for NS; the default value
/// (all zeros) marks a free slot.
pub trait Target: Copy + Eq + Default {
    /// `bond_is_ip_target_ok`, `bond_is_ip6_target_ok`.
    fn ok(&self) -> bool;

    /// Whether `ip` names this target in a lookup: the address itself
    /// (and, for IPv6, its solicited-node group).
    fn named_by(&self, ip: &Self) -> bool {
        self == ip
    }
}

impl Target for u32 {
    fn ok(&self) -> bool {
        target_ok(*self)
    }
}

impl Target for [u8; 16] {
    /// Not `::`, not `::1`, not multicast.
    fn ok(&self) -> bool {
        let mut loopback = [0u8; 16];
        loopback[15] = 1;
        *self != [0; 16] && *self != loopback && self[0] != 0xff
    }

    /// `bond_get_targets_ip6`: the target or its solicited-node group
    /// (`addrconf_addr_solict_mult`), so that a backup slave counts the
    /// solicitations the active slave sends to the group. As C, a free
    /// slot (`::`) is named by ff02::1:ff00:0.
    fn named_by(&self, ip: &Self) -> bool {
        self == ip || solicited_node(self) == *ip
    }
}

/// `addrconf_addr_solict_mult`: ff02::1:ffXX:XXXX from the low 24 bits.
pub fn solicited_node(a: &[u8; 16]) -> [u8; 16] {
    let mut m = [0u8; 16];
    m[0] = 0xff;
    m[1] = 0x02;
    m[11] = 0x01;
    m[12] = 0xff;
    m[13..].copy_from_slice(&a[13..]);
    m
}

/// `params.arp_targets` (`u32`) or `params.ns_targets` (`[u8; 16]`):
/// packed at the front, zero after the last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Targets<T: Target = u32>([T; MAX_TARGETS]);

/// `bond_is_ip_target_ok`: not the limited broadcast, not 0.0.0.0
/// (`ipv4_is_zeronet` is the one address since Linux 5.3).
pub const fn target_ok(ip: u32) -> bool {
    ip != 0xffff_ffff && ip != 0
}

impl<T: Target> Targets<T> {
    /// `bond_get_targets_ip`, `bond_get_targets_ip6`: the slot of `ip`
    /// (the free value finds the first free slot), stopping at the first
    /// free one.
    pub fn index_of(&self, ip: T) -> Option<usize> {
        for (i, t) in self.0.iter().enumerate() {
            if t.named_by(&ip) {
                return Some(i);
            }
            if *t == T::default() {
                break;
            }
        }
        None
    }

    /// `_bond_option_arp_ip_target_add`, `bond_option_ns_ip6_targets_set`:
    /// the slot the target went to.
    pub fn add(&mut self, ip: T) -> Result<usize, TargetError> {
        if !ip.ok() {
            return Err(TargetError::Invalid);
        }
        if self.index_of(ip).is_some() {
            return Err(TargetError::Duplicate);
        }
        let i = self.index_of(T::default()).ok_or(TargetError::Full)?;
        self.0[i] = ip;
        Ok(i)
    }

    /// `bond_option_arp_ip_target_rem`: the slot `ip` was in; the
    /// targets after it move up one slot. `Invalid` for an address that
    /// cannot be a target, `None` if it is not in the list.
    pub fn remove(&mut self, ip: T) -> Result<Option<usize>, TargetError> {
        if !ip.ok() {
            return Err(TargetError::Invalid);
        }
        let Some(i) = self.index_of(ip) else {
            return Ok(None);
        };
        self.0.copy_within(i + 1.., i);
        self.0[MAX_TARGETS - 1] = T::default();
        Ok(Some(i))
    }

    /// `bond_option_arp_ip_targets_clear`.
    pub fn clear(&mut self) {
        self.0 = [T::default(); MAX_TARGETS];
    }

    /// The targets, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.0.iter().copied().take_while(|&t| t != T::default())
    }

    /// Number of targets.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// True without targets.
    pub fn is_empty(&self) -> bool {
        self.0[0] == T::default()
    }

    /// The raw slots (`fill_info` puts every non-zero one at its index).
    pub fn slots(&self) -> &[T; MAX_TARGETS] {
        &self.0
    }
}

/// `time_after(a, b)`.
pub const fn time_after(a: u64, b: u64) -> bool {
    (b.wrapping_sub(a) as i64) < 0
}

/// `time_in_range(a, b, c)`: `b <= a <= c` in jiffies.
pub const fn time_in_range(a: u64, b: u64, c: u64) -> bool {
    (a.wrapping_sub(b) as i64) >= 0 && (c.wrapping_sub(a) as i64) >= 0
}

/// `bond_time_in_interval`: `now` lies in
/// `[last - delta, last + m * delta + delta / 2]`.
pub const fn in_interval(now: u64, last: u64, delta: u64, m: u64) -> bool {
    time_in_range(
        now,
        last.wrapping_sub(delta),
        last.wrapping_add(m.wrapping_mul(delta))
            .wrapping_add(delta / 2),
    )
}

/// `slave_oldest_target_arp_rx`: the oldest of the per-target receive
/// times of the targets in use (slot 0 always counts).
pub fn oldest_target_rx(rx: &[u64; MAX_TARGETS], targets: &Targets) -> u64 {
    let mut ret = rx[0];
    for (&t, &r) in targets.0.iter().zip(rx.iter()).skip(1) {
        if t == 0 {
            break;
        }
        if time_after(ret, r) {
            ret = r;
        }
    }
    ret
}

/// The clock of one check: `now` and the interval in jiffies.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    /// `jiffies`.
    pub now: u64,
    /// `msecs_to_jiffies(arp_interval)`.
    pub delta: u64,
    /// `missed_max`.
    pub missed_max: u64,
}

impl Clock {
    fn within(&self, last: u64, m: u64) -> bool {
        in_interval(self.now, last, self.delta, m)
    }
}

/// `bond_loadbalance_arp_mon`'s look at one slave: its new link state, if
/// it changes (a slave not up comes up once it sent and received within an
/// interval; an up one goes down once either is `missed_max` intervals
/// old).
pub fn lb_inspect(c: &Clock, link: LinkState, last_tx: u64, last_rx: u64) -> Option<LinkState> {
    if link != LinkState::Up {
        (c.within(last_tx, 1) && c.within(last_rx, 1)).then_some(LinkState::Up)
    } else {
        (!c.within(last_tx, c.missed_max) || !c.within(last_rx, c.missed_max))
            .then_some(LinkState::Down)
    }
}

/// What `bond_ab_arp_inspect` reads of one slave.
#[derive(Clone, Copy, Debug)]
pub struct AbSlave {
    /// `slave->link`.
    pub link: LinkState,
    /// `bond_is_active_slave` (`!slave->backup`).
    pub active: bool,
    /// `slave_last_rx` (per `arp_all_targets`).
    pub last_rx: u64,
    /// `slave->last_tx`.
    pub last_tx: u64,
    /// `slave->last_link_up`.
    pub last_link_up: u64,
}

/// `bond_ab_arp_inspect` for one slave: the proposed new link state.
/// `probing` is true while there is a `current_arp_slave`.
pub fn ab_inspect(c: &Clock, s: &AbSlave, probing: bool) -> Option<LinkState> {
    if s.link != LinkState::Up {
        if c.within(s.last_rx, 1) {
            return Some(LinkState::Up);
        }
        if s.link == LinkState::Back {
            return Some(LinkState::Fail);
        }
        return None;
    }
    // Two intervals of grace after being enslaved or made active.
    if c.within(s.last_link_up, 2) {
        return None;
    }
    let mut down = false;
    if !s.active && !probing && !c.within(s.last_rx, c.missed_max + 1) {
        down = true;
    }
    if s.active && (!c.within(s.last_tx, c.missed_max) || !c.within(s.last_rx, c.missed_max)) {
        down = true;
    }
    down.then_some(LinkState::Down)
}

/// `bond_ab_arp_probe`'s choice of the next slave to probe on among `n`,
/// given which slaves are up (`up(i)`: `bond_slave_is_up`) and the current
/// ARP slave (the first
/// slave if none): the first up slave after it, else the first up slave
/// up to and including it.
pub fn probe_next(n: usize, current: usize, up: impl Fn(usize) -> bool) -> Option<usize> {
    let mut before = None;
    let mut found = false;
    for i in 0..n {
        let u = up(i);
        if !found && before.is_none() && u {
            before = Some(i);
        }
        if found && u {
            return Some(i);
        }
        if i == current {
            found = true;
        }
    }
    before
}

/// `bond_arp_rcv`'s trust rule: which (sender, target) pair of a received
/// ARP to validate, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Validate the sender as a target answering us (`sip`, `tip`).
    Direct,
    /// Validate a request seen on a backup (`tip`, `sip`: swapped).
    Swapped,
    /// Not trusted.
    No,
}

/// What `bond_arp_rcv` knows about the bond when an ARP arrives.
#[derive(Clone, Copy, Debug)]
pub struct RcvCtx {
    /// The receiving slave is active (`!backup`).
    pub slave_active: bool,
    /// The active slave's `slave_last_rx` and `last_link_up`, if any.
    pub curr_active: Option<(u64, u64)>,
    /// The current ARP slave's `last_tx`, if any.
    pub curr_arp_last_tx: Option<u64>,
    /// The ARP is a reply.
    pub is_reply: bool,
}

/// `bond_arp_rcv`: (a) an active slave, (b) a backup while the active
/// slave has received since it became active, (c) a reply while an ARP
/// slave sent within the last interval.
pub fn arp_trust(c: &Clock, r: &RcvCtx) -> Trust {
    if r.slave_active {
        return Trust::Direct;
    }
    if let Some((rx, up)) = r.curr_active {
        if time_after(rx, up) {
            return Trust::Swapped;
        }
    }
    if let Some(tx) = r.curr_arp_last_tx {
        if r.is_reply && c.within(tx, 1) {
            return Trust::Direct;
        }
    }
    Trust::No
}

/// The fields of an Ethernet/IPv4 ARP packet that `bond_arp_rcv` reads:
/// `(op, sender ip, target ip)`, the addresses as big-endian `u32`;
/// `None` unless hardware type Ethernet, protocol IPv4, 6-byte hardware
/// and 4-byte protocol addresses (`arp_hdr_len` = 28 bytes needed).
pub fn parse_arp(p: &[u8]) -> Option<(u16, u32, u32)> {
    if p.len() < 28 {
        return None;
    }
    let hrd = u16::from_be_bytes([p[0], p[1]]);
    let pro = u16::from_be_bytes([p[2], p[3]]);
    if p[4] != 6 || hrd != 1 || pro != 0x0800 || p[5] != 4 {
        return None;
    }
    let op = u16::from_be_bytes([p[6], p[7]]);
    let sip = u32::from_be_bytes([p[14], p[15], p[16], p[17]]);
    let tip = u32::from_be_bytes([p[24], p[25], p[26], p[27]]);
    Some((op, sip, tip))
}

#[cfg(test)]
mod tests {
    #[test]
    fn remove_moves_the_rest_up() {
        let mut t = Targets::<u32>::default();
        t.add(1).unwrap();
        t.add(2).unwrap();
        t.add(3).unwrap();
        assert_eq!(t.remove(2), Ok(Some(1)));
        assert_eq!(t.iter().collect::<std::vec::Vec<_>>(), [1, 3]);
        assert_eq!(t.remove(9), Ok(None));
        assert_eq!(t.remove(0), Err(TargetError::Invalid));
        assert_eq!(t.remove(3), Ok(Some(1)));
        assert_eq!(t.remove(1), Ok(Some(0)));
        assert!(t.is_empty());
    }

    use super::*;
    use LinkState::*;

    fn ip(a: u8, b: u8, c: u8, d: u8) -> u32 {
        u32::from_be_bytes([a, b, c, d])
    }

    #[test]
    fn validate_table_as_c() {
        // (value, validates active, validates backup, filter)
        let t = [
            (0, false, false, false),
            (1, true, false, false),
            (2, false, true, false),
            (3, true, true, false),
            (4, false, false, true),
            (5, true, false, true),
            (6, false, true, true),
        ];
        for (v, a, b, f) in t {
            let x = ArpValidate::from_raw(v).unwrap();
            assert_eq!(x.validates(false), a, "{v}");
            assert_eq!(x.validates(true), b, "{v}");
            assert_eq!(x.filter(), f, "{v}");
            assert_eq!(x.raw() as u32, v);
        }
        assert_eq!(ArpValidate::from_raw(7), None);
        assert_eq!(ArpValidate::from_raw(5).unwrap().name(), "filter_active");
    }

    #[test]
    fn rcv_validate_as_c() {
        let none = ArpValidate::NONE;
        assert_eq!(rcv_validate(none, false, false, false), RxProbe::Touch);
        let filter = ArpValidate::FILTER;
        assert_eq!(rcv_validate(filter, true, false, false), RxProbe::Ignore);
        assert_eq!(rcv_validate(filter, true, true, false), RxProbe::Touch);
        assert_eq!(rcv_validate(filter, true, false, true), RxProbe::Touch);
        let active = ArpValidate::ACTIVE;
        assert_eq!(rcv_validate(active, false, true, false), RxProbe::Arp);
        assert_eq!(rcv_validate(active, false, false, true), RxProbe::Na);
        assert_eq!(rcv_validate(active, false, false, false), RxProbe::Ignore);
        // A backup with `active` validation: any traffic counts.
        assert_eq!(rcv_validate(active, true, false, false), RxProbe::Touch);
        let fa = ArpValidate::from_raw(5).unwrap();
        assert_eq!(rcv_validate(fa, true, false, false), RxProbe::Ignore);
        assert_eq!(rcv_validate(fa, true, true, false), RxProbe::Touch);
    }

    #[test]
    fn targets_add_refuse_and_find() {
        let mut t = Targets::default();
        assert_eq!(t.add(ip(10, 0, 0, 1)), Ok(0));
        assert_eq!(t.add(ip(10, 0, 0, 2)), Ok(1));
        assert_eq!(t.add(ip(10, 0, 0, 1)), Err(TargetError::Duplicate));
        assert_eq!(t.add(ip(255, 255, 255, 255)), Err(TargetError::Invalid));
        assert_eq!(t.add(ip(0, 1, 2, 3)), Ok(2));
        t.clear();
        assert_eq!(t.add(ip(10, 0, 0, 1)), Ok(0));
        assert_eq!(t.add(ip(10, 0, 0, 2)), Ok(1));
        assert_eq!(t.add(0), Err(TargetError::Invalid));
        assert_eq!(t.index_of(ip(10, 0, 0, 2)), Some(1));
        assert_eq!(t.index_of(ip(10, 0, 0, 3)), None);
        for i in 2..MAX_TARGETS {
            assert_eq!(t.add(ip(10, 0, 1, i as u8)), Ok(i));
        }
        assert_eq!(t.add(ip(10, 0, 2, 1)), Err(TargetError::Full));
        assert_eq!(t.len(), MAX_TARGETS);
        t.clear();
        assert!(t.is_empty());
        assert_eq!(t.iter().count(), 0);
    }

    #[test]
    fn intervals_wrap() {
        let d = 25;
        // [last - d, last + m*d + d/2]
        assert!(in_interval(1000, 1000, d, 1));
        assert!(in_interval(975, 1000, d, 1));
        assert!(!in_interval(974, 1000, d, 1));
        assert!(in_interval(1037, 1000, d, 1));
        assert!(!in_interval(1038, 1000, d, 1));
        assert!(in_interval(1062, 1000, d, 2));
        // Across the wrap of jiffies.
        let last = u64::MAX - 5;
        assert!(in_interval(last.wrapping_add(30), last, d, 1));
        assert!(!in_interval(last.wrapping_add(40), last, d, 1));
        assert!(time_after(3, u64::MAX));
    }

    fn clock(now: u64) -> Clock {
        Clock {
            now,
            delta: 25,
            missed_max: 2,
        }
    }

    #[test]
    fn lb_comes_up_and_goes_down() {
        // Times older than one and a half intervals do not count.
        let c = clock(1000);
        assert_eq!(lb_inspect(&c, Down, 962, 962), None);
        // Enslaved: last_rx = last_tx = now - delta - 1, still within.
        assert_eq!(lb_inspect(&c, Down, 974, 974), Some(Up));
        assert_eq!(lb_inspect(&c, Down, 1000, 990), Some(Up));
        assert_eq!(lb_inspect(&c, Up, 1000, 990), None);
        // Nothing received for more than missed_max intervals.
        let c = clock(1000 + 2 * 25 + 13);
        assert_eq!(lb_inspect(&c, Up, 1060, 1000), Some(Down));
        // An up slave freshly enslaved is not taken down at once.
        assert_eq!(lb_inspect(&clock(1000), Up, 974, 974), None);
    }

    #[test]
    fn ab_inspect_as_c() {
        let c = clock(2000);
        let up_active = AbSlave {
            link: Up,
            active: true,
            last_rx: 1900,
            last_tx: 1990,
            last_link_up: 1000,
        };
        assert_eq!(ab_inspect(&c, &up_active, false), Some(Down));
        let fresh = AbSlave {
            last_link_up: 1980,
            ..up_active
        };
        assert_eq!(ab_inspect(&c, &fresh, false), None);
        let ok = AbSlave {
            last_rx: 1990,
            ..up_active
        };
        assert_eq!(ab_inspect(&c, &ok, false), None);
        // A backup gets one more interval, and none while probing.
        let backup = AbSlave {
            active: false,
            last_rx: 2000 - 3 * 25 - 12,
            ..up_active
        };
        assert_eq!(ab_inspect(&c, &backup, false), None);
        let old = AbSlave {
            last_rx: 2000 - 3 * 25 - 13,
            ..backup
        };
        assert_eq!(ab_inspect(&c, &old, false), Some(Down));
        assert_eq!(ab_inspect(&c, &old, true), None);
        // Not up: up on a recent receive, BACK fails otherwise.
        let back = AbSlave {
            link: Back,
            last_rx: 1000,
            ..up_active
        };
        assert_eq!(ab_inspect(&c, &back, false), Some(Fail));
        let down = AbSlave { link: Down, ..back };
        assert_eq!(ab_inspect(&c, &down, false), None);
        let answered = AbSlave {
            last_rx: 1995,
            ..down
        };
        assert_eq!(ab_inspect(&c, &answered, false), Some(Up));
    }

    #[test]
    fn probe_walks_the_up_slaves() {
        let p = |up: &[bool], cur| probe_next(up.len(), cur, |i| up[i]);
        assert_eq!(p(&[true, true, true], 0), Some(1));
        assert_eq!(p(&[true, true, true], 2), Some(0));
        assert_eq!(p(&[false, true, false], 1), Some(1));
        assert_eq!(p(&[true, false, false], 1), Some(0));
        assert_eq!(p(&[false, false], 0), None);
        assert_eq!(p(&[], 0), None);
    }

    #[test]
    fn trust_as_c() {
        let c = clock(1000);
        let base = RcvCtx {
            slave_active: false,
            curr_active: None,
            curr_arp_last_tx: None,
            is_reply: true,
        };
        assert_eq!(arp_trust(&c, &base), Trust::No);
        let active = RcvCtx {
            slave_active: true,
            ..base
        };
        assert_eq!(arp_trust(&c, &active), Trust::Direct);
        let seen = RcvCtx {
            curr_active: Some((990, 980)),
            ..base
        };
        assert_eq!(arp_trust(&c, &seen), Trust::Swapped);
        let not_yet = RcvCtx {
            curr_active: Some((980, 980)),
            ..base
        };
        assert_eq!(arp_trust(&c, &not_yet), Trust::No);
        let probing = RcvCtx {
            curr_arp_last_tx: Some(990),
            ..base
        };
        assert_eq!(arp_trust(&c, &probing), Trust::Direct);
        let request = RcvCtx {
            is_reply: false,
            ..probing
        };
        assert_eq!(arp_trust(&c, &request), Trust::No);
    }

    #[test]
    fn ip6_targets() {
        let mut t = Targets::<[u8; 16]>::default();
        // 2001:db8::2
        let mut a = [0u8; 16];
        a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        a[15] = 2;
        assert_eq!(t.add(a), Ok(0));
        assert_eq!(t.add(a), Err(TargetError::Duplicate));
        assert_eq!(t.add([0; 16]), Err(TargetError::Invalid));
        let mut lo = [0u8; 16];
        lo[15] = 1;
        assert_eq!(t.add(lo), Err(TargetError::Invalid));
        let mut mc = [0u8; 16];
        mc[0] = 0xff;
        mc[15] = 1;
        assert_eq!(t.add(mc), Err(TargetError::Invalid));
    }

    /// C's `bond_get_targets_ip6`: a target is found by its address and
    /// by its solicited-node group (what a backup slave hears of the
    /// active slave's solicitations, `bond_na_rcv` swapped), not by
    /// another target's group.
    #[test]
    fn ip6_targets_by_solicited_node_group() {
        let mut t = Targets::<[u8; 16]>::default();
        // 2001:db8::254, 2001:db8::10
        let mut g = [0u8; 16];
        g[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        g[14] = 0x02;
        g[15] = 0x54;
        let mut c = g;
        c[14] = 0;
        c[15] = 0x10;
        assert_eq!(t.add(g), Ok(0));
        assert_eq!(t.add(c), Ok(1));
        let group = |a: [u8; 16]| {
            let mut m = [0u8; 16];
            m[..2].copy_from_slice(&[0xff, 0x02]);
            m[11] = 1;
            m[12] = 0xff;
            m[13..].copy_from_slice(&a[13..]);
            m
        };
        assert_eq!(solicited_node(&g), group(g));
        assert_eq!(t.index_of(g), Some(0));
        assert_eq!(t.index_of(group(g)), Some(0));
        assert_eq!(t.index_of(c), Some(1));
        assert_eq!(t.index_of(group(c)), Some(1));
        let mut other = g;
        other[15] = 0x55;
        assert_eq!(t.index_of(group(other)), None);
        // The first free slot, as before.
        assert_eq!(t.index_of([0; 16]), Some(2));
        // IPv4 targets: the address only.
        let mut t4 = Targets::<u32>::default();
        assert_eq!(t4.add(0xc000_02fe), Ok(0));
        assert_eq!(t4.index_of(0xc000_02fe), Some(0));
        assert_eq!(t4.index_of(0xc000_02ff), None);
    }

    #[test]
    fn oldest_target() {
        let mut t = Targets::default();
        let mut rx = [0u64; MAX_TARGETS];
        rx[0] = 50;
        assert_eq!(oldest_target_rx(&rx, &t), 50);
        t.add(ip(10, 0, 0, 1)).unwrap();
        t.add(ip(10, 0, 0, 2)).unwrap();
        rx[1] = 40;
        rx[2] = 10; // unused slot
        assert_eq!(oldest_target_rx(&rx, &t), 40);
    }

    #[test]
    fn parse_arp_reply() {
        let mut p = [0u8; 28];
        p[..8].copy_from_slice(&[0, 1, 8, 0, 6, 4, 0, 2]);
        p[14..18].copy_from_slice(&[10, 0, 0, 2]);
        p[24..28].copy_from_slice(&[10, 0, 0, 1]);
        assert_eq!(parse_arp(&p), Some((2, ip(10, 0, 0, 2), ip(10, 0, 0, 1))));
        assert_eq!(parse_arp(&p[..27]), None);
        p[5] = 16;
        assert_eq!(parse_arp(&p), None);
    }
}
