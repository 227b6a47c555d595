// SPDX-License-Identifier: GPL-2.0

//! Link monitoring (miimon), active slave selection and the bond's
//! carrier (C: `bond_mii_monitor`, `bond_miimon_inspect`,
//! `bond_miimon_commit`, `bond_select_active_slave`,
//! `bond_change_active_slave`, `bond_set_carrier`).
//!
//! The monitor runs as delayed work without RTNL: it looks at the slaves'
//! carriers under RCU and only when some slave's state must move does it
//! take RTNL, with a trylock (the bond's `ndo_stop` cancels the work
//! synchronously under RTNL), retrying a millisecond later if it is busy.

use crate::bond_dev::{Bond, BondDriver, Ctl, Mode};
use crate::bond_failover::{self, mii_link_ok};
use crate::bond_lowerstate::{self, Notify, What};
use crate::bond_slave::{self, SlavePort};
use crate::netdev::{
    log::net_ratelimit,
    prelude::*,
    txsel::{
        activebackup::{select_active as ab_select, AbState},
        miimon::{self, Delays, Said, SlaveLink},
        LinkState,
    },
};
use core::sync::atomic::Ordering;
use kernel::{alloc::KVec, prelude::*};

/// Whether `p`'s state machine has something to do this tick.
fn needs_commit(p: &SlavePort, use_carrier: bool) -> bool {
    miimon::pending(p.link(), mii_link_ok(p, use_carrier))
}

/// Whether the bond has slaves, and whether some slave's link state
/// machine has work (C's `bond_miimon_inspect` without its moves, which
/// [`commit`] makes under RTNL).
fn inspect(b: &Bond) -> (bool, bool) {
    let ports = {
        let rcu = RcuGuard::new();
        let Some(s) = b.snap.get(&rcu) else {
            return (false, false);
        };
        if s.cfg.fo.use_carrier {
            // Carriers are read without sleeping, under RCU.
            let pending = s.slaves.iter().any(|p| needs_commit(p, true));
            return (!s.slaves.is_empty(), pending);
        }
        // With `use_carrier 0` the slaves' drivers are asked (ethtool's
        // `get_link`), which may sleep (`ethtool_op_get_link` runs a
        // pending link-watch event, whose `dev_deactivate` waits for a
        // grace period): outside the RCU section, on references taken in
        // it. Without memory for them, the commit looks at every slave.
        let mut v = KVec::new();
        for p in s.slaves.iter() {
            if v.push(p.clone(), GFP_ATOMIC).is_err() {
                return (true, true);
            }
        }
        v
    };
    let pending = ports.iter().any(|p| needs_commit(p, false));
    (!ports.is_empty(), pending)
}

/// One miimon tick (the work callback).
pub(crate) fn miimon_tick(dev: &Device<BondDriver>) {
    let b = dev.data();
    let miimon = b.miimon.load(Ordering::Relaxed);
    if miimon == 0 {
        return;
    }
    let (slaves, pending) = inspect(b);
    // C: peer notifications are counted down while the bond has slaves.
    let notify = slaves && bond_failover::should_notify(dev);
    if pending || (slaves && bond_failover::notif_left(b)) {
        let Some(mut rtnl) = RtnlGuard::try_lock() else {
            b.monitor.rearm(1);
            return;
        };
        if pending {
            commit(dev, &mut rtnl);
        }
        bond_failover::mii_tick(dev, notify, &mut rtnl);
    }
    b.monitor.rearm(miimon);
}

/// Advances every slave's link state machine under RTNL and fails over
/// when needed.
fn commit(dev: &Device<BondDriver>, rtnl: &mut Rtnl) {
    let b = dev.data();
    let Ok((mut ctl, rtnl)) = b.ctl.borrow_mut_and_rtnl(rtnl) else {
        return;
    };
    let (updelay, downdelay) = (ctl.cfg.updelay as i32, ctl.cfg.downdelay as i32);
    let cur = ctl.active;
    let prim = bond_slave::primary_index(&ctl);
    let mut changed = false;
    let mut failover = false;
    // C's `ignore_updelay`: while the bond has no slave to transmit on (no
    // active slave in active-backup; no usable slave in the hash modes),
    // the first slave coming back skips its updelay.
    let mut ignore_updelay = match ctl.cfg.mode {
        Mode::ActiveBackup => cur.is_none(),
        Mode::Xor | Mode::Tlb | Mode::Alb => !ctl.slaves.iter().any(|s| s.port.port(0).can_tx()),
        // The usable slaves are those of the active aggregator; without
        // one C has no usable-slave array and keeps the updelay.
        Mode::Lacp => {
            b.ad.lock().active_info().is_some()
                && b.snap
                    .get_rtnl(rtnl)
                    .is_some_and(|s| !s.ports.iter().any(|p| p.can_tx()))
        }
        Mode::RoundRobin | Mode::Broadcast => false,
    };
    let lacp = ctl.cfg.mode == Mode::Lacp;
    // C's `bond_needs_speed_duplex`.
    let needs_speed = lacp || ctl.cfg.mode.is_lb();
    let uc = ctl.cfg.fo.use_carrier;
    let delays = Delays { updelay, downdelay };
    // C's inspect: every slave's state machine moves first (with its log
    // line), then the proposals are committed.
    for s in ctl.slaves.iter() {
        let p = &s.port;
        let now = SlaveLink {
            link: p.link(),
            delay: p.delay.load(Ordering::Relaxed),
        };
        let ok = mii_link_ok(p, uc);
        let (next, said) = miimon::advance(now, ok, delays, &mut ignore_updelay);
        p.delay.store(next.delay, Ordering::Relaxed);
        p.propose((next.link != now.link).then_some(next.link));
        if let Some(said) = said {
            say(
                dev,
                p,
                said,
                ctl.cfg.miimon,
                ctl.cfg.mode == Mode::ActiveBackup,
            );
        }
    }
    for (i, s) in ctl.slaves.iter().enumerate() {
        let p = &s.port;
        let Some(new) = p.take_proposal() else {
            continue;
        };
        let old = p.link();
        p.set_link(new);
        if new == old {
            continue;
        }
        changed = true;
        // C commits every proposal with `BOND_SLAVE_NOTIFY_LATER` first
        // (`bond_mii_monitor`); up and down notify again at once below.
        bond_lowerstate::later(p, What::Link);
        if new == LinkState::Up {
            // 802.3ad and the load-balancing modes cannot use a port of
            // unknown speed or duplex: C keeps it down (and its aggregator
            // unchanged) until ethtool answers.
            if !p.update_speed_duplex(rtnl) && needs_speed {
                p.set_link(LinkState::Down);
                if net_ratelimit() {
                    crate::slave_warn!(
                        dev.net_device(),
                        &p.dev,
                        "failed to get link speed/duplex\n"
                    );
                }
                continue;
            }
            p.was_up.store(true, Ordering::Relaxed);
        }
        // C commits up and down with a notification (`BOND_LINK_FAIL` and
        // `BOND_LINK_BACK` without); a slave down stops transmitting in
        // active-backup and 802.3ad, a slave up transmits in the trunk
        // modes (`bond_set_active_slave`) and not yet in 802.3ad
        // (`bond_set_backup_slave`), each change notified too.
        if new == LinkState::Down {
            p.count_failure();
        }
        if new == LinkState::Up || new == LinkState::Down {
            bond_lowerstate::now(p, What::Link, rtnl);
        }
        match (new, ctl.cfg.mode) {
            (LinkState::Down, Mode::ActiveBackup | Mode::Lacp) => {
                bond_lowerstate::set_flags(p, true, true, Notify::Now(rtnl));
            }
            (LinkState::Up, Mode::Lacp) => {
                let inactive = p.inactive.load(Ordering::Relaxed);
                bond_lowerstate::set_flags(p, true, inactive, Notify::Now(rtnl));
            }
            (LinkState::Up, m) if m != Mode::ActiveBackup => {
                let inactive = p.inactive.load(Ordering::Relaxed);
                bond_lowerstate::set_flags(p, false, inactive, Notify::Now(rtnl));
            }
            _ => {}
        }
        match new {
            LinkState::Up => {
                let speed = p.speed.load(Ordering::Relaxed);
                crate::slave_info!(
                    dev.net_device(),
                    &p.dev,
                    "link status definitely up, {} Mbps {} duplex\n",
                    if speed == u32::MAX { 0 } else { speed },
                    if p.duplex.load(Ordering::Relaxed) != 0 {
                        "full"
                    } else {
                        "half"
                    }
                );
            }
            LinkState::Down => {
                crate::slave_info!(
                    dev.net_device(),
                    &p.dev,
                    "link status definitely down, disabling slave\n"
                );
            }
            _ => {}
        }
        if lacp && (new == LinkState::Up || new == LinkState::Down) {
            crate::bond_3ad::link_changed(dev, p, new == LinkState::Up);
        }
        if ctl.cfg.mode.is_lb() && (new == LinkState::Up || new == LinkState::Down) {
            crate::bond_alb::link_changed(b, &ctl, i, new == LinkState::Up, rtnl);
        }
        match new {
            LinkState::Down => {
                if cur == Some(i) {
                    failover = true;
                }
            }
            LinkState::Up => {
                // C: no active slave, the primary, or a higher `prio`
                // than the active slave's.
                let outranks = cur.and_then(|c| ctl.slaves.get(c)).is_some_and(|a| {
                    p.prio.load(Ordering::Relaxed) > a.port.prio.load(Ordering::Relaxed)
                });
                if cur.is_none() || prim == Some(i) || outranks {
                    failover = true;
                }
            }
            _ => {}
        }
    }
    if !changed {
        return;
    }
    if failover {
        select_active(&mut ctl, rtnl);
    }
    set_carrier(dev, &ctl);
    bond_slave::publish(b, &ctl, rtnl);
}

/// Logs what C's `bond_miimon_inspect` says of a slave's move (ratelimited,
/// delays in milliseconds: ticks times `miimon`).
fn say(dev: &Device<BondDriver>, p: &SlavePort, said: Said, miimon: u32, ab: bool) {
    if !net_ratelimit() {
        return;
    }
    let ms = |ticks: i32| ticks.wrapping_mul(miimon as i32);
    let (m, s) = (dev.net_device(), &p.dev);
    match said {
        Said::DownFor(t) => {
            let which = match (ab, p.backup.load(Ordering::Relaxed)) {
                (false, _) => "",
                (true, false) => "active ",
                (true, true) => "backup ",
            };
            crate::slave_info!(
                m,
                s,
                "link status down for {}interface, disabling it in {} ms\n",
                which,
                ms(t)
            );
        }
        Said::UpAgain(t) => crate::slave_info!(m, s, "link status up again after {} ms\n", ms(t)),
        Said::Enabling(t) => {
            crate::slave_info!(m, s, "link status up, enabling it in {} ms\n", ms(t))
        }
        Said::DownAgain(t) => {
            crate::slave_info!(m, s, "link status down again after {} ms\n", ms(t))
        }
    }
}

/// Picks the active slave (C: `bond_select_active_slave` +
/// `bond_change_active_slave`) with the txsel policy, and in the modes
/// with one sets the slaves' backup flags accordingly. The trunk modes
/// keep one too (C's `curr_active_slave`, no primary, every slave
/// active): balance-rr sends IGMP on it. So does 802.3ad, whose slaves'
/// flags are its machines': no attribute, file or /proc line shows it
/// there, but ESP offload follows it, a slave going back that it picks
/// comes up at once, and each change logs the bond's carrier.
pub(crate) fn select_active(ctl: &mut Ctl, rtnl: &mut Rtnl) {
    let Ok(ports) = bond_slave::ports(ctl) else {
        return;
    };
    let st = AbState {
        current: ctl.active,
        primary: bond_slave::primary_index(ctl),
        reselect: ctl.cfg.primary_reselect,
        force_primary: ctl.force_primary,
        updelay: ctl.cfg.updelay as i32,
    };
    let d = ab_select(&ports, &st);
    if d.force_primary_consumed {
        ctl.force_primary = false;
    }
    if d.changed {
        change_active(ctl, d.active, rtnl);
        // C: the carrier follows at once; only its change is logged.
        let master = ctl.slaves.first().map(|s| s.port.master.clone());
        if let Some(dev) = master.as_deref().and_then(|m| m.downcast::<BondDriver>()) {
            let was = dev.carrier_ok();
            set_carrier(dev, ctl);
            // C's `bond_3ad_set_carrier` answers "changed" whenever the
            // bond has slaves: 802.3ad logs the carrier at every change.
            if dev.carrier_ok() != was || ctl.cfg.mode == Mode::Lacp {
                if dev.carrier_ok() {
                    crate::netdev_info!(dev.net_device(), "active interface up!\n");
                } else {
                    crate::netdev_info!(
                        dev.net_device(),
                        "now running without any active interface!\n"
                    );
                }
            }
        }
    }
}

/// Makes `new` the active slave (`bond_change_active_slave`), each
/// change of the slaves' link and flags notified at once as C's
/// `BOND_SLAVE_NOTIFY_NOW`: a slave brought up from `BOND_LINK_BACK`
/// shows itself up but still backup before it shows itself active.
pub(crate) fn change_active(ctl: &mut Ctl, new: Option<usize>, rtnl: &mut Rtnl) {
    if ctl.active == new {
        return;
    }
    if let Some((i, n)) = new.and_then(|i| Some((i, ctl.slaves.get(i)?))) {
        n.port
            .last_link_up
            .store(crate::netdev::arp::jiffies(), Ordering::Relaxed);
        if n.port.link() == LinkState::Back {
            if ctl.cfg.mode.uses_primary() {
                let left = ctl.cfg.updelay as i32 - n.port.delay.load(Ordering::Relaxed);
                crate::slave_info!(
                    &n.port.master,
                    &n.port.dev,
                    "making interface the new active one {} ms earlier\n",
                    left * ctl.cfg.miimon as i32
                );
            }
            n.port.delay.store(0, Ordering::Relaxed);
            bond_lowerstate::set_link(&n.port, LinkState::Up, Notify::Now(rtnl));
            // C: `bond_3ad_handle_link_change` for the slave now up.
            if ctl.cfg.mode == Mode::Lacp {
                if let Some(master) = n.port.master.downcast::<BondDriver>() {
                    crate::bond_3ad::link_changed(master, &n.port, true);
                }
            }
            // C: `bond_alb_handle_link_change` for the slave now up.
            if ctl.cfg.mode.is_lb() {
                if let Some(master) = n.port.master.downcast::<BondDriver>() {
                    crate::bond_alb::link_changed(master.data(), ctl, i, true, rtnl);
                }
            }
        } else if ctl.cfg.mode.uses_primary() {
            crate::slave_info!(
                &n.port.master,
                &n.port.dev,
                "making interface the new active one\n"
            );
        }
    }
    // As C, only the old active slave and the new one: the old one
    // first (`bond_set_slave_inactive_flags`, which leaves balance-tlb's
    // `backup` alone: its other slaves still transmit). The trunk modes'
    // flags are the monitors'.
    if ctl.cfg.mode.uses_primary() {
        let lb = ctl.cfg.mode.is_lb();
        if let Some(o) = ctl.active.filter(|&o| Some(o) != new) {
            if let Some(o) = ctl.slaves.get(o) {
                bond_lowerstate::set_inactive(&o.port, lb, Notify::Now(rtnl));
            }
        }
        if let Some(n) = new.and_then(|n| ctl.slaves.get(n)) {
            bond_lowerstate::set_active(&n.port, Notify::Now(rtnl));
        }
    }
    bond_failover::record(ctl, ctl.active, new);
    ctl.active = new;
}

/// `bond_open`'s reset of every slave's flags, each change notified at
/// once: in the modes with an active slave the others are inactive, in
/// the others every slave is active; 802.3ad's are its machines'. True
/// if some slave's `backup` flag changed.
pub(crate) fn open_flags(ctl: &Ctl, rtnl: &mut Rtnl) -> bool {
    let mode = ctl.cfg.mode;
    let mut changed = false;
    for (i, s) in ctl.slaves.iter().enumerate() {
        let p = &s.port;
        let was = p.backup.load(Ordering::Relaxed);
        if mode.uses_primary() && ctl.active != Some(i) {
            bond_lowerstate::set_inactive(p, mode.is_lb(), Notify::Now(rtnl));
        } else if mode != Mode::Lacp {
            bond_lowerstate::set_active(p, Notify::Now(rtnl));
        }
        changed |= p.backup.load(Ordering::Relaxed) != was;
    }
    changed
}

/// The bond has carrier iff some slave's link is up (`bond_set_carrier`).
pub(crate) fn set_carrier(dev: &Device<BondDriver>, ctl: &Ctl) {
    if ctl.cfg.mode == Mode::Lacp {
        crate::bond_3ad::set_carrier(dev);
        return;
    }
    let on = ctl.slaves.iter().any(|s| s.port.link() == LinkState::Up);
    if on != dev.carrier_ok() {
        dev.set_carrier(on);
    }
}
