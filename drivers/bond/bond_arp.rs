// SPDX-License-Identifier: GPL-2.0

//! The ARP link monitor (C: `bond_arp_monitor`,
//! `bond_loadbalance_arp_mon`, `bond_activebackup_arp_mon` with
//! `bond_ab_arp_inspect`, `bond_ab_arp_commit`, `bond_ab_arp_probe`; the
//! probes of `bond_arp_send_all`; the receive side `bond_rcv_validate`
//! and `bond_arp_rcv`), with its IPv6 half, the NS monitor
//! (`bond_ns_send_all`, `bond_na_rcv`, and the solicited-node groups a
//! backup slave joins, `slave_set_ns_maddrs`).
//!
//! The decisions are txsel's `arpmon` (host-tested); this file reads the
//! slaves' clocks, sends the probes and commits link changes. As miimon,
//! the monitor runs as delayed work without RTNL: it inspects the slaves
//! under RCU, records proposals in each slave (`link_new`, C's
//! `link_new_state`) and takes RTNL with a trylock only to commit them.
//! The active-backup probe (`current_arp_slave`, a per-slave flag here)
//! changes only atomics, as C does without RTNL.
//!
//! In the load-balancing modes the monitor's reference is the bond's
//! `curr_active_slave` (the snapshot's `curr`), reselected as C does when
//! it fails or when a slave comes up without one.

use crate::bond_dev::{BondDriver, Config, Ctl, Mode};
use crate::bond_lowerstate::{self, Notify, What};
use crate::bond_slave::{self, SlavePort, Snapshot};
use crate::iptun::fmt::{Ipv4, Ipv6c};
use crate::netdev::{
    arp::{self, route6_output_dev, route_output_dev, VlanTag},
    device::flags,
    inet::Ipv4Addr,
    prelude::*,
    rx_handler::PktType,
    txsel::{
        arpmon::{self, AbSlave, ArpValidate, Clock, RcvCtx, RxProbe, Trust, MAX_TARGETS},
        LinkState,
    },
};
use core::sync::atomic::{AtomicBool, Ordering};

/// `ETH_P_ARP`, `ETH_P_IPV6`.
const ETH_P_ARP: u16 = 0x0806;
const ETH_P_IPV6: u16 = 0x86dd;

/// C's `pr_warn_once` for a target without a route (ARP, NS).
static NO_ROUTE_WARNED: AtomicBool = AtomicBool::new(false);
static NO_ROUTE6_WARNED: AtomicBool = AtomicBool::new(false);

/// `in6addr_linklocal_allnodes`.
const ALL_NODES: [u8; 16] = [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
/// `NEXTHDR_ICMP`, `NDISC_NEIGHBOUR_SOLICITATION`/`ADVERTISEMENT`.
const NEXTHDR_ICMP: u8 = 58;
const NDISC_NS: u8 = 135;
const NDISC_NA: u8 = 136;

/// The monitor's clock for `cfg`.
fn clock(cfg: &Config) -> Clock {
    Clock {
        now: arp::jiffies(),
        delta: arp::msecs_to_jiffies(cfg.arp_interval),
        missed_max: u64::from(cfg.missed_max),
    }
}

fn ip(t: u32) -> Ipv4Addr {
    Ipv4Addr(t.to_be_bytes())
}

/// A target as `%pI4` prints it.
pub(crate) fn pi4(t: u32) -> Ipv4 {
    Ipv4(crate::iptun::addr::htonl(t))
}

/// `slave_last_rx`: with `arp_all_targets all`, the oldest reply of any
/// target.
pub(crate) fn slave_last_rx(cfg: &Config, p: &SlavePort) -> u64 {
    if cfg.arp_all_targets {
        arpmon::oldest_target_rx(&p.target_rx(), &cfg.arp_targets)
    } else {
        p.last_rx.load(Ordering::Relaxed)
    }
}

/// `bond_verify_device_path`: the depth of `end` above `start` (0 for
/// `start` itself), filling `tags[level]` with the VLAN of each device on
/// the way (zero for a device that is not a VLAN); `None` if `end` is not
/// stacked on `start`.
pub(crate) fn verify_path(
    start: &NetDevice,
    end: &NetDevice,
    level: usize,
    tags: &mut [VlanTag; MAX_TARGETS],
    rcu: &RcuGuard,
) -> Option<usize> {
    if core::ptr::eq(start, end) {
        return Some(level);
    }
    // The kernel nests at most MAX_NEST_DEV (8) devices.
    if level + 1 >= tags.len() {
        return None;
    }
    for upper in start.for_each_upper_rcu(rcu) {
        if let Some(depth) = verify_path(upper, end, level + 1, tags, rcu) {
            tags[level] = upper.vlan_tag_of().unwrap_or_default();
            return Some(depth);
        }
    }
    None
}

/// Sends one request; the slave's `last_tx` is now if it went out.
fn send(p: &SlavePort, dest: Ipv4Addr, src: Ipv4Addr, tags: &[VlanTag]) {
    if p.dev.send_arp_request(dest, src, tags) {
        p.last_tx.store(arp::jiffies(), Ordering::Relaxed);
    }
}

/// `bond_arp_send_all`: a request for every target on slave `p`, from the
/// address of the device the route to the target leaves by, tagged with
/// the VLANs between the bond and that device; a target routed through
/// another device is skipped, one without a route is probed from 0.0.0.0.
fn send_all(dev: &Device<BondDriver>, cfg: &Config, p: &SlavePort, rcu: &RcuGuard) {
    let bond = dev.net_device();
    for t in cfg.arp_targets.iter() {
        let target = ip(t);
        let Some(rdev) = route_output_dev(dev.net(), target, rcu) else {
            if cfg.arp_validate != ArpValidate::NONE
                && !NO_ROUTE_WARNED.swap(true, Ordering::Relaxed)
            {
                // C's `pr_warn_once` in bond_main.c (no `pr_fmt`).
                crate::printk_warn!(
                    "{}: no route to arp_ip_target {} and arp_validate is set\n",
                    dev.name(),
                    pi4(t)
                );
            }
            send(p, target, Ipv4Addr::default(), &[]);
            continue;
        };
        let mut tags = [VlanTag::default(); MAX_TARGETS];
        let Some(depth) = path_tags(bond, rdev, &mut tags, rcu) else {
            continue;
        };
        let src = rdev.confirm_addr(target, Ipv4Addr::default(), rcu);
        send(p, target, src, &tags[..depth]);
    }
}

/// The VLAN tags from the bond up to `rdev` (none for the bond itself),
/// `None` if `rdev` is not stacked on the bond ("not our device").
fn path_tags(
    bond: &NetDevice,
    rdev: &NetDevice,
    tags: &mut [VlanTag; MAX_TARGETS],
    rcu: &RcuGuard,
) -> Option<usize> {
    if core::ptr::eq(rdev, bond) {
        return Some(0);
    }
    verify_path(bond, rdev, 0, tags, rcu)
}

/// Sends one solicitation; the slave's `last_tx` is now if it went out.
fn send_ns(p: &SlavePort, dst: &[u8; 16], src: &[u8; 16], tags: &[VlanTag]) {
    if p.dev.send_ns(dst, src, tags) {
        p.last_tx.store(arp::jiffies(), Ordering::Relaxed);
    }
}

/// `bond_ns_send_all`: as `send_all` for the IPv6 targets, from the
/// source address of the route's device (`::` if it has none).
fn ns_send_all(dev: &Device<BondDriver>, cfg: &Config, p: &SlavePort, rcu: &RcuGuard) {
    let bond = dev.net_device();
    for t in cfg.ns_targets.iter() {
        let Some(rdev) = route6_output_dev(dev.net(), &t, rcu) else {
            if cfg.arp_validate != ArpValidate::NONE
                && !NO_ROUTE6_WARNED.swap(true, Ordering::Relaxed)
            {
                // C's `pr_warn_once` in bond_main.c (no `pr_fmt`).
                crate::printk_warn!(
                    "{}: no route to ns_ip6_target {} and arp_validate is set\n",
                    dev.name(),
                    Ipv6c(t)
                );
            }
            send_ns(p, &t, &[0; 16], &[]);
            continue;
        };
        let mut tags = [VlanTag::default(); MAX_TARGETS];
        let Some(depth) = path_tags(bond, rdev, &mut tags, rcu) else {
            continue;
        };
        let src = rdev.ipv6_saddr(&t).unwrap_or([0; 16]);
        send_ns(p, &t, &src, &tags[..depth]);
    }
}

/// `bond_send_validate`: the ARP probes, then the NS ones (with IPv6).
fn send_validate(dev: &Device<BondDriver>, cfg: &Config, p: &SlavePort, rcu: &RcuGuard) {
    send_all(dev, cfg, p, rcu);
    if arp::ipv6_enabled() {
        ns_send_all(dev, cfg, p, rcu);
    }
}

/// One run of the monitor (the work callback).
pub(crate) fn monitor(dev: &Device<BondDriver>) {
    let b = dev.data();
    if b.arp_interval.load(Ordering::Relaxed) == 0 {
        return;
    }
    let ab = {
        let rcu = RcuGuard::new();
        b.snap
            .get(&rcu)
            .is_some_and(|s| s.cfg.mode == Mode::ActiveBackup)
    };
    // `bond_activebackup_arp_mon`: a peer notification due before the
    // inspection is sent after it, unless RTNL was busy.
    let notify = ab && crate::bond_failover::should_notify(dev);
    let retry = if ab { ab_mon(dev) } else { lb_mon(dev) };
    let interval = b.arp_interval.load(Ordering::Relaxed);
    if interval != 0 {
        b.arp_work.rearm(if retry { 1 } else { interval });
    }
    if notify && !retry {
        crate::bond_failover::arp_tick(dev);
    }
    // What `bond_ab_arp_probe` changed (`BOND_SLAVE_NOTIFY_LATER`).
    if ab && !retry {
        bond_lowerstate::flush_later(dev, true);
    }
}

fn slave_info(dev: &Device<BondDriver>, p: &SlavePort, what: &str) {
    crate::slave_info!(dev.net_device(), &p.dev, "{}\n", what);
}

/// `bond_loadbalance_arp_mon`; true to retry at once (never: C waits an
/// interval when RTNL is busy).
fn lb_mon(dev: &Device<BondDriver>) -> bool {
    let b = dev.data();
    let (mut changed, mut failover) = (false, false);
    {
        let rcu = RcuGuard::new();
        let Some(s) = b.snap.get(&rcu) else {
            return false;
        };
        let cfg = &s.cfg;
        let c = clock(cfg);
        let old = s.curr;
        for (i, p) in s.slaves.iter().enumerate() {
            p.propose(None);
            let (tx, rx) = (
                p.last_tx.load(Ordering::Relaxed),
                p.last_rx.load(Ordering::Relaxed),
            );
            match arpmon::lb_inspect(&c, p.link(), tx, rx) {
                Some(LinkState::Up) => {
                    p.propose(Some(LinkState::Up));
                    changed = true;
                    if old.is_none() {
                        slave_info(dev, p, "link status definitely up");
                        failover = true;
                    } else {
                        slave_info(dev, p, "interface is now up");
                    }
                }
                Some(_) => {
                    p.propose(Some(LinkState::Down));
                    changed = true;
                    p.count_failure();
                    slave_info(dev, p, "interface is now down");
                    if old == Some(i) {
                        failover = true;
                    }
                }
                None => {}
            }
            if p.is_up() {
                send_validate(dev, cfg, p, &rcu);
            }
        }
    }
    if !changed && !failover {
        return false;
    }
    let Some(mut rtnl) = RtnlGuard::try_lock() else {
        return false;
    };
    let Ok((mut ctl, rtnl)) = b.ctl.borrow_mut_and_rtnl(&mut rtnl) else {
        return false;
    };
    for s in ctl.slaves.iter() {
        if let Some(l) = s.port.take_proposal() {
            s.port.set_link(l);
        }
    }
    if changed {
        // `bond_slave_state_change`: `bond_set_active_slave` and
        // `bond_set_backup_slave` notify each change at once (the links
        // above are set without any notification).
        for s in ctl.slaves.iter() {
            let p = &s.port;
            let backup = match p.link() {
                LinkState::Up => false,
                LinkState::Down => true,
                _ => continue,
            };
            if p.backup.swap(backup, Ordering::Relaxed) != backup {
                bond_lowerstate::now(p, What::State, rtnl);
            }
        }
    }
    if failover {
        crate::bond_monitor::select_active(&mut ctl, rtnl);
        crate::bond_monitor::set_carrier(dev, &ctl);
    }
    bond_slave::publish(b, &ctl, rtnl);
    false
}

/// `bond_activebackup_arp_mon`; true to retry in a jiffy (RTNL busy).
fn ab_mon(dev: &Device<BondDriver>) -> bool {
    let b = dev.data();
    let commit = {
        let rcu = RcuGuard::new();
        let Some(s) = b.snap.get(&rcu) else {
            return false;
        };
        if s.slaves.is_empty() {
            return false;
        }
        let cfg = &s.cfg;
        let c = clock(cfg);
        let probing = s
            .slaves
            .iter()
            .any(|p| p.arp_current.load(Ordering::Relaxed));
        let mut n = 0;
        for p in s.slaves.iter() {
            let st = AbSlave {
                link: p.link(),
                active: !p.backup.load(Ordering::Relaxed),
                last_rx: slave_last_rx(cfg, p),
                last_tx: p.last_tx.load(Ordering::Relaxed),
                last_link_up: p.last_link_up.load(Ordering::Relaxed),
            };
            let prop = arpmon::ab_inspect(&c, &st, probing);
            n += usize::from(prop.is_some());
            p.propose(prop);
        }
        n > 0
    };
    if commit {
        let Some(mut rtnl) = RtnlGuard::try_lock() else {
            return true;
        };
        ab_commit(dev, &mut rtnl);
    }
    let rcu = RcuGuard::new();
    if let Some(s) = b.snap.get(&rcu) {
        ab_probe(dev, s, &rcu);
    }
    false
}

/// Ends probing: with `inactive`, the current ARP slave goes back to
/// standby (`BOND_SLAVE_NOTIFY_NOW`).
fn clear_arp_slave(slaves: &[crate::bond_slave::Slave], inactive: bool, rtnl: &mut Rtnl) {
    for s in slaves.iter() {
        if s.port.arp_current.swap(false, Ordering::Relaxed) && inactive {
            bond_lowerstate::set_flags(&s.port, true, true, Notify::Now(rtnl));
        }
    }
}

/// `bond_ab_arp_commit`.
fn ab_commit(dev: &Device<BondDriver>, rtnl: &mut Rtnl) {
    let b = dev.data();
    let Ok((mut ctl, rtnl)) = b.ctl.borrow_mut_and_rtnl(rtnl) else {
        return;
    };
    let cur = ctl.active;
    let prim = bond_slave::primary_index(&ctl);
    let cur_prio = cur
        .and_then(|c| ctl.slaves.get(c))
        .map(|a| a.port.prio.load(Ordering::Relaxed));
    let mut failover = false;
    for i in 0..ctl.slaves.len() {
        let p = ctl.slaves[i].port.clone();
        match p.take_proposal() {
            None => {}
            Some(LinkState::Up) => {
                if cur != Some(i) {
                    bond_lowerstate::set_link(&p, LinkState::Up, Notify::Now(rtnl));
                    clear_arp_slave(&ctl.slaves, true, rtnl);
                    slave_info(dev, &p, "link status definitely up");
                    let prio = p.prio.load(Ordering::Relaxed);
                    if cur.is_none() || prim == Some(i) || cur_prio.is_some_and(|c| prio > c) {
                        failover = true;
                    }
                }
            }
            Some(LinkState::Down) => {
                p.count_failure();
                bond_lowerstate::set_link(&p, LinkState::Down, Notify::Now(rtnl));
                bond_lowerstate::set_flags(&p, true, true, Notify::Now(rtnl));
                slave_info(dev, &p, "link status definitely down, disabling slave");
                if cur == Some(i) {
                    clear_arp_slave(&ctl.slaves, false, rtnl);
                    failover = true;
                }
            }
            Some(LinkState::Fail) => {
                bond_lowerstate::set_link(&p, LinkState::Fail, Notify::Now(rtnl));
                bond_lowerstate::set_flags(&p, true, true, Notify::Now(rtnl));
                if cur.is_some() {
                    clear_arp_slave(&ctl.slaves, false, rtnl);
                }
            }
            Some(LinkState::Back) => {}
        }
    }
    if failover {
        crate::bond_monitor::select_active(&mut ctl, rtnl);
    }
    crate::bond_monitor::set_carrier(dev, &ctl);
    bond_slave::publish(b, &ctl, rtnl);
}

/// `bond_ab_arp_probe`: probe on the active slave, or, without one, move
/// the probe to the next up slave (link `Back`, active flags) and probe
/// there.
fn ab_probe(dev: &Device<BondDriver>, s: &Snapshot, rcu: &RcuGuard) {
    let cfg = &s.cfg;
    let arp = s
        .slaves
        .iter()
        .position(|p| p.arp_current.load(Ordering::Relaxed));
    let active = s.active.and_then(|i| s.slaves.get(i));
    if let (Some(a), Some(c)) = (arp.and_then(|i| s.slaves.get(i)), active) {
        crate::netdev_info!(
            dev.net_device(),
            "PROBE: c_arp {} && cas {} BAD\n",
            a.dev.name(),
            c.dev.name()
        );
    }
    if let Some(a) = active {
        send_validate(dev, cfg, a, rcu);
        return;
    }
    if s.slaves.is_empty() {
        return;
    }
    let cur = arp.unwrap_or(0);
    for p in s.slaves.iter() {
        if !p.is_up() && p.link() == LinkState::Up {
            bond_lowerstate::set_link(p, LinkState::Down, Notify::Later);
            p.count_failure();
            bond_lowerstate::set_flags(p, true, true, Notify::Later);
            slave_info(dev, p, "backup interface is now down");
        }
    }
    let Some(n) = arpmon::probe_next(s.slaves.len(), cur, |i| s.slaves[i].is_up()) else {
        return;
    };
    let np = &s.slaves[n];
    bond_lowerstate::set_link(np, LinkState::Back, Notify::Later);
    bond_lowerstate::set_flags(np, false, false, Notify::Later);
    send_validate(dev, cfg, np, rcu);
    np.last_link_up.store(arp::jiffies(), Ordering::Relaxed);
    for (i, p) in s.slaves.iter().enumerate() {
        p.arp_current.store(i == n, Ordering::Relaxed);
    }
}

/// `bond_rcv_validate`: a frame received on slave `p` while the monitor
/// runs (C's `recv_probe`), before the frame goes on.
pub(crate) fn rcv_validate(dev: &Device<BondDriver>, p: &SlavePort, skb: &SkBuff, rcu: &RcuGuard) {
    let Some(s) = dev.data().snap.get(rcu) else {
        return;
    };
    let proto = skb.protocol();
    let backup = p.backup.load(Ordering::Relaxed);
    match arpmon::rcv_validate(
        s.cfg.arp_validate,
        backup,
        proto == ETH_P_ARP,
        proto == ETH_P_IPV6,
    ) {
        RxProbe::Touch => p.last_rx.store(arp::jiffies(), Ordering::Relaxed),
        RxProbe::Arp => arp_rcv(dev, s, p, skb, rcu),
        RxProbe::Na if arp::ipv6_enabled() => na_rcv(dev, s, p, skb, rcu),
        RxProbe::Na | RxProbe::Ignore => {}
    }
}

/// What the trust rule of `bond_arp_rcv` and `bond_na_rcv` reads.
fn rcv_ctx(s: &Snapshot, p: &SlavePort, is_reply: bool) -> (Clock, RcvCtx) {
    let cfg = &s.cfg;
    let cur = s.curr;
    let active = cur.and_then(|i| s.slaves.get(i)).map(|a| {
        (
            slave_last_rx(cfg, a),
            a.last_link_up.load(Ordering::Relaxed),
        )
    });
    let arp_tx = s
        .slaves
        .iter()
        .find(|a| a.arp_current.load(Ordering::Relaxed))
        .map(|a| a.last_tx.load(Ordering::Relaxed));
    let r = RcvCtx {
        slave_active: !p.backup.load(Ordering::Relaxed),
        curr_active: active,
        curr_arp_last_tx: arp_tx,
        is_reply,
    };
    (clock(cfg), r)
}

/// `bond_na_rcv`: a solicitation or advertisement received on slave `p`
/// (any, not only a reply, trusted from the probing slave).
fn na_rcv(dev: &Device<BondDriver>, s: &Snapshot, p: &SlavePort, skb: &SkBuff, rcu: &RcuGuard) {
    if matches!(skb.pkt_type(), PktType::OtherHost | PktType::Other) {
        return;
    }
    let mut h = [0u8; 44];
    if !skb.copy_bits(0, &mut h) {
        return;
    }
    if h[6] != NEXTHDR_ICMP || (h[40] != NDISC_NS && h[40] != NDISC_NA) {
        return;
    }
    let mut saddr = [0u8; 16];
    let mut daddr = [0u8; 16];
    saddr.copy_from_slice(&h[8..24]);
    daddr.copy_from_slice(&h[24..40]);
    let (c, r) = rcv_ctx(s, p, true);
    match arpmon::arp_trust(&c, &r) {
        Trust::Direct => validate_na(dev, &s.cfg, p, &saddr, &daddr, rcu),
        Trust::Swapped => validate_na(dev, &s.cfg, p, &daddr, &saddr, rcu),
        Trust::No => {}
    }
}

/// `bond_validate_na`: from target `saddr` to all nodes or one of our
/// addresses `daddr`.
fn validate_na(
    dev: &Device<BondDriver>,
    cfg: &Config,
    p: &SlavePort,
    saddr: &[u8; 16],
    daddr: &[u8; 16],
    rcu: &RcuGuard,
) {
    if *saddr == [0; 16]
        || (*daddr != ALL_NODES && !dev.net_device().has_ip6_here_or_above(daddr, rcu))
    {
        return;
    }
    let Some(i) = cfg.ns_targets.index_of(*saddr) else {
        return;
    };
    let now = arp::jiffies();
    p.last_rx.store(now, Ordering::Relaxed);
    p.target_rx[i].store(now, Ordering::Relaxed);
}

/// A group address as kept in `SlavePort::ns_mc`: valid bit and MAC.
fn ns_mc_encode(mac: [u8; 6]) -> u64 {
    let mut b = [0u8; 8];
    b[2..].copy_from_slice(&mac);
    u64::from_be_bytes(b) | 1 << 63
}

fn ns_mc_decode(v: u64) -> [u8; 6] {
    let b = v.to_be_bytes();
    [b[2], b[3], b[4], b[5], b[6], b[7]]
}

/// Replaces what `p` joined in slot `i` by `want` (0: nothing).
fn set_ns_mc(p: &SlavePort, i: usize, want: u64, rtnl: &Rtnl) {
    let have = p.ns_mc[i].load(Ordering::Relaxed);
    if have == want {
        return;
    }
    if have != 0 {
        p.dev.mc_del(&ns_mc_decode(have), rtnl);
    }
    if want != 0 && p.dev.mc_add(&ns_mc_decode(want), rtnl).is_err() {
        p.ns_mc[i].store(0, Ordering::Relaxed);
        return;
    }
    p.ns_mc[i].store(want, Ordering::Relaxed);
}

/// `slave_set_ns_maddrs` as a state: with `arp_validate` on in
/// active-backup, every backup slave (that does multicast) is in the
/// solicited-node group of each NS target, so that it hears the
/// solicitations the active slave sends; nothing else is. Called under
/// RTNL whenever the state is published.
pub(crate) fn sync_ns_maddrs(ctl: &Ctl, rtnl: &Rtnl) {
    let cfg = &ctl.cfg;
    let on = cfg.mode == Mode::ActiveBackup && cfg.arp_validate != ArpValidate::NONE;
    for s in ctl.slaves.iter() {
        let p = &s.port;
        let join =
            on && p.backup.load(Ordering::Relaxed) && p.dev.flags() & flags::IFF_MULTICAST != 0;
        for (i, t) in cfg.ns_targets.slots().iter().enumerate() {
            let want = if join && *t != [0; 16] {
                p.dev.solicited_node_mac(t).map_or(0, ns_mc_encode)
            } else {
                0
            };
            set_ns_mc(p, i, want, rtnl);
        }
    }
}

/// Leaves every group `p` joined (the slave is released).
pub(crate) fn leave_ns_maddrs(p: &SlavePort, rtnl: &Rtnl) {
    for i in 0..MAX_TARGETS {
        set_ns_mc(p, i, 0, rtnl);
    }
}

/// `bond_arp_rcv`.
fn arp_rcv(dev: &Device<BondDriver>, s: &Snapshot, p: &SlavePort, skb: &SkBuff, rcu: &RcuGuard) {
    let mut hdr = [0u8; 28];
    if !skb.copy_bits(0, &mut hdr) {
        return;
    }
    if matches!(skb.pkt_type(), PktType::OtherHost | PktType::Other) {
        return;
    }
    let Some((op, sip, tip)) = arpmon::parse_arp(&hdr) else {
        return;
    };
    let cfg = &s.cfg;
    let (c, r) = rcv_ctx(s, p, op == arpmon::ARPOP_REPLY);
    match arpmon::arp_trust(&c, &r) {
        Trust::Direct => validate_arp(dev, cfg, p, sip, tip, rcu),
        Trust::Swapped => validate_arp(dev, cfg, p, tip, sip, rcu),
        Trust::No => {}
    }
}

/// `bond_validate_arp`: an ARP from target `sip` to one of our addresses
/// `tip` counts as received.
fn validate_arp(
    dev: &Device<BondDriver>,
    cfg: &Config,
    p: &SlavePort,
    sip: u32,
    tip: u32,
    rcu: &RcuGuard,
) {
    if sip == 0 || !dev.net_device().has_ip_here_or_above(ip(tip), rcu) {
        return;
    }
    let Some(i) = cfg.arp_targets.index_of(sip) else {
        return;
    };
    let now = arp::jiffies();
    p.last_rx.store(now, Ordering::Relaxed);
    p.target_rx[i].store(now, Ordering::Relaxed);
}
