// SPDX-License-Identifier: GPL-2.0

//! The slaves' state for the LAG listeners (C: `bond_lower_state_changed`,
//! `netdev_lower_state_changed`: `NETDEV_CHANGELOWERSTATE` with the
//! slave's `link_up` and `tx_enabled`, which rtnetlink announces as an
//! `RTM_NEWLINK` of the slave).
//!
//! C changes a slave's `backup` flag (`bond_set_slave_state`) and its
//! link (`bond_commit_link_state`) with a `notify` argument:
//!
//! - `BOND_SLAVE_NOTIFY_NOW` ([`now`]): one notification for the change,
//!   sent at once (every such change is made under RTNL: the monitors'
//!   commits, the ARP monitor's load-balancing state change, enslave,
//!   release, the bond's open and `bond_monitor::change_active`), and the
//!   deferred bit of that kind (`should_notify`, `should_notify_link`)
//!   cleared; so each message shows the state of its step as C's does (a
//!   slave that `change_active` brings from `BOND_LINK_BACK` up and makes
//!   active shows itself up but still backup, then active).
//! - `BOND_SLAVE_NOTIFY_LATER` ([`later`]): the deferred bit is toggled,
//!   so that two changes before a flush cancel (a slave made active and
//!   inactive again between two runs says nothing). The bits are flushed
//!   ([`flush_later`]) only by the active-backup ARP monitor (state bits
//!   of every slave, then link bits: `bond_slave_state_notify`,
//!   `bond_slave_link_notify`, after `bond_ab_arp_probe`) and by the
//!   802.3ad work (state bits only), each with a trylock of RTNL: if RTNL
//!   is busy the bits stay for the next run. Miimon toggles the link bit
//!   of every change it commits (`BOND_LINK_FAIL` and `BOND_LINK_BACK`
//!   keep it; up and down clear it again with their notification) and
//!   flushes nothing: a bit left there is sent by the ARP monitor if it
//!   takes over.
//!
//! `NETDEV_BONDING_INFO` (C's `bond_queue_slave_event`, read by the
//! mlx4/mlx5 drivers; rtnetlink does not announce it) is queued next to
//! every notification above except the deferred state bits' flush (C's
//! `bond_slave_state_notify` queues none), and at the end of enslave
//! ([`queue_info`]); C's per-slave `notify_work` on the bond's ordered
//! workqueue is one bond work here ([`InfoWork`]) that sends the due
//! slaves in the order they became due, each with its state at that time,
//! under a trylock of RTNL (retried a jiffy later when busy); a released
//! slave's due event goes with it (C cancels its work).

use crate::bond_dev::{Bond, BondDriver};
use crate::bond_slave::SlavePort;
use crate::netdev::{
    prelude::*,
    txsel::LinkState,
    upper::BondingInfo,
    work::{DevWork, DevWorkHandler},
};
use core::sync::atomic::Ordering;

/// Which of C's deferred bits: the `backup` flag's (`should_notify`) or
/// the link's (`should_notify_link`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum What {
    State,
    Link,
}

impl What {
    fn bit(self) -> u8 {
        match self {
            What::State => 1,
            What::Link => 2,
        }
    }
}

/// C's `notify` argument of a flag or link change.
pub(crate) enum Notify<'a> {
    /// `BOND_SLAVE_NOTIFY_NOW`: sent at once.
    Now(&'a mut Rtnl),
    /// `BOND_SLAVE_NOTIFY_LATER`: the deferred bit toggled.
    Later,
}

/// `bond_lower_state_changed` for `p` now, with its
/// `bond_queue_slave_event`.
pub(crate) fn send(p: &SlavePort, rtnl: &mut Rtnl) {
    send_lower(p, rtnl);
    queue_info(p);
}

/// `bond_lower_state_changed` for `p` now.
fn send_lower(p: &SlavePort, rtnl: &mut Rtnl) {
    let Some(master) = p.master.downcast::<BondDriver>() else {
        return;
    };
    let link_up = matches!(p.link(), LinkState::Up | LinkState::Fail);
    let tx_enabled = !p.backup.load(Ordering::Relaxed);
    p.dev
        .lag_lower_state_changed(master, link_up, tx_enabled, rtnl);
}

/// A change of kind `what` notified as `n` says.
pub(crate) fn notify(p: &SlavePort, what: What, n: Notify<'_>) {
    match n {
        Notify::Now(rtnl) => now(p, what, rtnl),
        Notify::Later => later(p, what),
    }
}

/// A `BOND_SLAVE_NOTIFY_NOW` change of kind `what`.
pub(crate) fn now(p: &SlavePort, what: What, rtnl: &mut Rtnl) {
    p.lower_later.fetch_and(!what.bit(), Ordering::Relaxed);
    send(p, rtnl);
}

/// A `BOND_SLAVE_NOTIFY_LATER` change of kind `what`: toggles its bit.
pub(crate) fn later(p: &SlavePort, what: What) {
    p.lower_later.fetch_xor(what.bit(), Ordering::Relaxed);
}

/// `bond_set_slave_state` (with the `inactive` flag of the
/// `bond_set_slave_*_flags` helpers): `p`'s `backup` becomes `backup`,
/// notified as `n` says if it changed.
pub(crate) fn set_flags(p: &SlavePort, backup: bool, inactive: bool, n: Notify<'_>) {
    let was = p.backup.load(Ordering::Relaxed);
    p.set_flags(backup, inactive);
    if was != backup {
        notify(p, What::State, n);
    }
}

/// `bond_set_slave_inactive_flags`: `p` receives only what is its own
/// and, except in the load-balancing modes (`lb`), stops transmitting.
pub(crate) fn set_inactive(p: &SlavePort, lb: bool, n: Notify<'_>) {
    let backup = !lb || p.backup.load(Ordering::Relaxed);
    set_flags(p, backup, true, n);
}

/// `bond_set_slave_active_flags`: `p` transmits and receives.
pub(crate) fn set_active(p: &SlavePort, n: Notify<'_>) {
    set_flags(p, false, false, n);
}

/// `bond_set_slave_link_state`: `p`'s link becomes `l`, notified as `n`
/// says even if it was `l` already.
pub(crate) fn set_link(p: &SlavePort, l: LinkState, n: Notify<'_>) {
    p.set_link(l);
    notify(p, What::Link, n);
}

/// Sends the deferred notifications of the bond's slaves if any is due
/// (the state bits, then with `link` the link bits: C's
/// `bond_slave_state_notify` and `bond_slave_link_notify` under
/// `rtnl_trylock`); with RTNL busy the bits wait for the next run.
pub(crate) fn flush_later(dev: &Device<BondDriver>, link: bool) {
    let b = dev.data();
    let mask = What::State.bit() | if link { What::Link.bit() } else { 0 };
    let due = {
        let rcu = RcuGuard::new();
        b.snap.get(&rcu).is_some_and(|s| {
            s.slaves
                .iter()
                .any(|p| p.lower_later.load(Ordering::Relaxed) & mask != 0)
        })
    };
    if !due {
        return;
    }
    let Some(mut rtnl) = RtnlGuard::try_lock() else {
        return;
    };
    let Ok((ctl, rtnl)) = b.ctl.borrow_and_rtnl(&mut rtnl) else {
        return;
    };
    for what in [What::State, What::Link] {
        if mask & what.bit() == 0 {
            continue;
        }
        for s in ctl.slaves.iter() {
            if s.port.lower_later.fetch_and(!what.bit(), Ordering::Relaxed) & what.bit() != 0 {
                // C: `bond_slave_link_notify` queues the slave's event,
                // `bond_slave_state_notify` does not.
                match what {
                    What::State => send_lower(&s.port, rtnl),
                    What::Link => send(&s.port, rtnl),
                }
            }
        }
    }
}

/// The bond's work sending its slaves' due `NETDEV_BONDING_INFO`.
pub(crate) struct InfoWork;

/// `bond_queue_slave_event`: `NETDEV_BONDING_INFO` is due for `p` (once:
/// due again before it is sent, nothing more, as C's
/// `queue_delayed_work` of a pending item).
pub(crate) fn queue_info(p: &SlavePort) {
    let Some(master) = p.master.downcast::<BondDriver>() else {
        return;
    };
    let b = master.data();
    if p.info_due.load(Ordering::Relaxed) == 0 {
        let seq = b.info_seq.fetch_add(1, Ordering::Relaxed) + 1;
        let _ = p
            .info_due
            .compare_exchange(0, seq, Ordering::Relaxed, Ordering::Relaxed);
    }
    // Started at enslave (`start_info`), before any slave can be due.
    b.info_work.rearm(0);
}

/// Starts the bond's info work (under RTNL, before its first slave can
/// be due).
pub(crate) fn start_info(dev: &Device<BondDriver>, rtnl: &Rtnl) {
    dev.start_work::<InfoWork>(0, rtnl);
}

impl DevWorkHandler<InfoWork> for BondDriver {
    fn work(b: &Bond) -> &DevWork<Self, InfoWork> {
        &b.info_work
    }

    /// `bond_netdev_notify_work` of every due slave, in the order they
    /// became due: `bond_fill_ifslave`, `bond_fill_ifbond`,
    /// `netdev_bonding_info_change`; RTNL busy, again a jiffy later.
    fn run(dev: &Device<Self>) {
        let b = dev.data();
        let Some(mut rtnl) = RtnlGuard::try_lock() else {
            b.info_work.rearm(1);
            return;
        };
        let Ok((ctl, rtnl)) = b.ctl.borrow_and_rtnl(&mut rtnl) else {
            return;
        };
        while let Some(s) = ctl
            .slaves
            .iter()
            .filter(|s| s.port.info_due.load(Ordering::Relaxed) != 0)
            .min_by_key(|s| s.port.info_due.load(Ordering::Relaxed))
        {
            let p = &s.port;
            p.info_due.store(0, Ordering::Relaxed);
            let info = BondingInfo {
                link: p.link().raw(),
                state: i8::from(p.backup.load(Ordering::Relaxed)),
                link_failure_count: p.link_failure_count.load(Ordering::Relaxed),
                bond_mode: i32::from(ctl.cfg.mode.raw()),
                num_slaves: ctl.slaves.len() as i32,
                miimon: ctl.cfg.miimon as i32,
            };
            p.dev.bonding_info_change(dev, &info, rtnl);
        }
    }
}
