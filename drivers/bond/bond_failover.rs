// SPDX-License-Identifier: GPL-2.0

//! What a change of active slave sets in motion besides the data path
//! (C: `bond_change_active_slave`, `bond_do_fail_over_mac`,
//! `bond_should_notify_peers`, the peer notifications of the monitors,
//! `bond_resend_igmp_join_requests_delayed`), and the options that shape
//! it: `fail_over_mac`, `num_grat_arp`/`num_unsol_na`,
//! `peer_notif_delay`, `resend_igmp`, `all_slaves_active`, `use_carrier`.
//!
//! `bond_monitor::change_active` records the change in the bond's
//! [`PendingCell`]; the next publication of the slave snapshot
//! (`bond_slave::publish`, under RTNL) applies `fail_over_mac` before it
//! and tells the notifiers after it, so that the gratuitous ARPs and
//! unsolicited neighbour advertisements the stack sends for
//! `NETDEV_NOTIFY_PEERS` leave through the new active slave, as C's do
//! (C assigns `curr_active_slave` before it notifies). The counters and
//! their rules are the pure `txsel::failover`.

use crate::bond_dev::{Bond, BondDriver, Ctl, Mode};
use crate::bond_slave::SlavePort;
use crate::netdev::{
    prelude::*,
    txsel::failover::{self as rules, FOM_ACTIVE, FOM_FOLLOW, FOM_NONE},
    upper::{random_ether_addr, Announce},
    work::{DevWork, DevWorkHandler},
};
use core::cell::Cell;
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU8, Ordering};
use kernel::{sync::Arc, types::ARef};

/// The failover options (C: the matching fields of `struct bond_params`).
#[derive(Clone, Copy)]
pub(crate) struct FoConfig {
    /// `fail_over_mac` (`FOM_*`).
    pub(crate) fail_over_mac: u8,
    /// `num_grat_arp` / `num_unsol_na`.
    pub(crate) num_peer_notif: u8,
    /// `peer_notif_delay`, in miimon ticks.
    pub(crate) peer_notif_delay: u32,
    /// `use_carrier`: the MII monitor reads the carrier (else ethtool's
    /// `get_link`).
    pub(crate) use_carrier: bool,
    /// `all_slaves_active`: frames received on backup slaves are delivered.
    pub(crate) all_slaves_active: bool,
    /// `resend_igmp`.
    pub(crate) resend_igmp: u8,
}

impl Default for FoConfig {
    fn default() -> Self {
        FoConfig {
            fail_over_mac: FOM_NONE,
            num_peer_notif: 1,
            peer_notif_delay: 0,
            use_carrier: true,
            all_slaves_active: false,
            resend_igmp: 1,
        }
    }
}

/// The bond's notification state.
pub(crate) struct FoState {
    /// `send_peer_notif`: monitor ticks of peer notification left.
    send_peer_notif: AtomicU32,
    /// `igmp_retrans`: IGMP resends left.
    igmp_retrans: AtomicU8,
    /// Mirrors `cfg.fo.all_slaves_active` for the slave flags.
    all_slaves_active: AtomicBool,
    /// The IGMP resends (C: `mcast_work`).
    pub(crate) mcast: DevWork<BondDriver, McastWork>,
}

impl FoState {
    pub(crate) fn new(cfg: &FoConfig) -> Self {
        FoState {
            send_peer_notif: AtomicU32::new(0),
            igmp_retrans: AtomicU8::new(0),
            all_slaves_active: AtomicBool::new(cfg.all_slaves_active),
            mcast: DevWork::new(),
        }
    }
}

/// A change of active slave not yet published.
pub(crate) struct Pending {
    old: Option<Arc<SlavePort>>,
    new: Arc<SlavePort>,
    /// The bond's carrier when the change was made (C tests it in
    /// `bond_change_active_slave`, before `bond_set_carrier`).
    carrier: bool,
}

/// Where `change_active` leaves a [`Pending`] (read under RTNL only).
pub(crate) type PendingCell = Cell<Option<Pending>>;

/// The IGMP resend work kind (C: `mcast_work`).
pub(crate) struct McastWork;

impl DevWorkHandler<McastWork> for BondDriver {
    fn work(b: &Bond) -> &DevWork<Self, McastWork> {
        &b.fo.mcast
    }

    fn run(dev: &Device<Self>) {
        // `bond_resend_igmp_join_requests_delayed`.
        let b = dev.data();
        let Some(mut rtnl) = RtnlGuard::try_lock() else {
            b.fo.mcast.rearm(1);
            return;
        };
        dev.announce(Announce::ResendIgmp, &mut rtnl);
        let (more, left) = rules::igmp_next(b.fo.igmp_retrans.load(Ordering::Relaxed));
        b.fo.igmp_retrans.store(left, Ordering::Relaxed);
        if more {
            b.fo.mcast.rearm(200);
        }
    }
}

/// Whether frames received on the slaves of `master` are all delivered
/// (`all_slaves_active`).
pub(crate) fn all_slaves_active(master: &NetDevice) -> bool {
    master
        .downcast::<BondDriver>()
        .is_some_and(|b| b.data().fo.all_slaves_active.load(Ordering::Relaxed))
}

/// `bond_check_dev_link` as the MII monitor asks it: with `use_carrier`
/// the carrier, else what the driver reports (ethtool's `get_link`, else
/// the MII ioctls); a device reporting neither is taken as up (C's
/// answer when not reporting).
pub(crate) fn mii_link_ok(p: &SlavePort, use_carrier: bool) -> bool {
    if !p.dev.is_running() {
        return false;
    }
    if use_carrier {
        return p.dev.carrier_ok();
    }
    p.dev.reported_link().unwrap_or(true)
}

/// Records a change of active slave (from `bond_monitor::change_active`).
pub(crate) fn record(ctl: &Ctl, old: Option<usize>, new: Option<usize>) {
    // C does nothing of this when the bond is left without active slave.
    let Some(n) = new.and_then(|i| ctl.slaves.get(i)) else {
        return;
    };
    let old = old.and_then(|i| ctl.slaves.get(i)).map(|s| s.port.clone());
    ctl.fo_pending.set(Some(Pending {
        old,
        new: n.port.clone(),
        carrier: n.port.master.carrier_ok(),
    }));
}

/// What [`before_publish`] leaves for [`after_publish`].
pub(crate) struct Announcement {
    bond: ARef<NetDevice>,
    failover: bool,
    peers: bool,
}

/// The part of `bond_change_active_slave` that comes before the new
/// active slave is visible: `fail_over_mac`, the peer notification
/// count, the IGMP resends.
pub(crate) fn before_publish(b: &Bond, ctl: &Ctl, rtnl: &mut Rtnl) -> Option<Announcement> {
    let p = ctl.fo_pending.take()?;
    let bond = p.new.master.clone();
    let fo = ctl.cfg.fo;
    let mut a = Announcement {
        bond: bond.clone(),
        failover: false,
        peers: false,
    };
    if ctl.cfg.mode == Mode::ActiveBackup {
        if fo.fail_over_mac != FOM_NONE {
            fail_over_mac(&bond, ctl, fo.fail_over_mac, &p.new, p.old.as_deref(), rtnl);
        }
        if bond.is_running() {
            let n = rules::peer_notif_count(fo.num_peer_notif, fo.peer_notif_delay);
            b.fo.send_peer_notif.store(n, Ordering::Relaxed);
            a.peers = p.carrier
                && rules::peer_notif_due(n, fo.peer_notif_delay)
                && !p.new.dev.linkwatch_pending();
            if a.peers {
                b.fo.send_peer_notif.store(n - 1, Ordering::Relaxed);
            }
        }
        a.failover = true;
    }
    // Resend IGMP joins through the new active slave; balance-rr sends
    // them on its `curr_active_slave` too (C resends there also when the
    // bond is left without one, which `record` skips: the reports would
    // have no slave to leave on).
    if bond.is_running()
        && fo.resend_igmp > 0
        && (ctl.cfg.mode.uses_primary() || ctl.cfg.mode == Mode::RoundRobin)
    {
        b.fo.igmp_retrans.store(fo.resend_igmp, Ordering::Relaxed);
        if let Some(d) = bond.downcast::<BondDriver>() {
            d.start_work::<McastWork>(1, rtnl);
        }
    }
    Some(a)
}

/// The notifiers, once the new active slave transmits.
pub(crate) fn after_publish(a: Option<Announcement>, rtnl: &mut Rtnl) {
    let Some(a) = a else { return };
    if a.failover {
        a.bond.announce(Announce::BondingFailover, rtnl);
    }
    if a.peers {
        a.bond.announce(Announce::NotifyPeers, rtnl);
    }
}

/// `bond_do_fail_over_mac`.
fn fail_over_mac(
    bond: &NetDevice,
    ctl: &Ctl,
    fom: u8,
    new: &SlavePort,
    old: Option<&SlavePort>,
    rtnl: &mut Rtnl,
) {
    match fom {
        FOM_ACTIVE => {
            if let Err(e) = bond.take_addr_from(&new.dev, rtnl) {
                crate::slave_err!(
                    bond,
                    &new.dev,
                    "Error {} setting bond MAC from slave\n",
                    -e.to_errno()
                );
            }
        }
        FOM_FOLLOW => {
            // `bond_get_old_active`: without an old active slave, the one
            // that has the bond's address.
            let old = old.or_else(|| {
                ctl.slaves
                    .iter()
                    .map(|s| &*s.port)
                    .find(|s| !core::ptr::eq(*s, new) && s.dev.mac() == bond.mac())
            });
            let (Some(bond_mac), Some(new_mac)) = (bond.mac(), new.dev.mac()) else {
                return;
            };
            let target = match old {
                Some(o) => o.dev.mac().unwrap_or(bond_mac),
                None => bond_mac,
            };
            if let Err(e) = new.dev.set_mac(&target, None, rtnl) {
                crate::slave_err!(
                    bond,
                    &new.dev,
                    "Error {} setting MAC of new active slave\n",
                    -e.to_errno()
                );
                return;
            }
            if let Some(o) = old {
                if let Err(e) = o.dev.set_mac(&new_mac, None, rtnl) {
                    crate::slave_err!(
                        bond,
                        &o.dev,
                        "Error {} setting MAC of old active slave\n",
                        -e.to_errno()
                    );
                }
            }
        }
        _ => {}
    }
}

/// The address a new slave takes when enslaved (C: `bond_enslave`):
/// `None` to keep its own.
pub(crate) fn enslave_mac(
    cfg: &crate::bond_dev::Config,
    bond: &NetDevice,
    slave: &NetDevice,
    first: bool,
) -> Option<[u8; 6]> {
    if cfg.fo.fail_over_mac == FOM_NONE || cfg.mode != Mode::ActiveBackup {
        return bond.mac();
    }
    // follow: a slave with the bond's address gets a random one, so that
    // a later failover swaps two different addresses.
    if cfg.fo.fail_over_mac == FOM_FOLLOW && !first && slave.mac() == bond.mac() {
        return Some(random_ether_addr());
    }
    None
}

/// The address a released slave gets back: none with `fail_over_mac
/// active` (C: `__bond_release_one`).
pub(crate) fn restores_mac(cfg: &crate::bond_dev::Config) -> bool {
    cfg.fo.fail_over_mac != FOM_ACTIVE || cfg.mode != Mode::ActiveBackup
}

/// `bond_set_mac_address` with `fail_over_mac` in active-backup: success
/// without change.
pub(crate) fn keeps_bond_mac(cfg: &crate::bond_dev::Config) -> bool {
    cfg.fo.fail_over_mac != FOM_NONE && cfg.mode == Mode::ActiveBackup
}

/// `bond_should_notify_peers` for a monitor, under RCU.
pub(crate) fn should_notify(dev: &Device<BondDriver>) -> bool {
    let b = dev.data();
    let left = b.fo.send_peer_notif.load(Ordering::Relaxed);
    if left == 0 {
        return false;
    }
    let rcu = RcuGuard::new();
    let Some(s) = b.snap.get(&rcu) else {
        return false;
    };
    let Some(p) = s.active.and_then(|i| s.slaves.get(i)) else {
        return false;
    };
    rules::peer_notif_due(left, s.cfg.fo.peer_notif_delay)
        && dev.carrier_ok()
        && !p.dev.linkwatch_pending()
}

/// Peer notifications are left (the MII monitor then takes RTNL).
pub(crate) fn notif_left(b: &Bond) -> bool {
    b.fo.send_peer_notif.load(Ordering::Relaxed) != 0
}

/// The MII monitor's tick of the notifications, under RTNL
/// (`bond_mii_monitor`): the count goes down every tick.
pub(crate) fn mii_tick(dev: &Device<BondDriver>, notify: bool, rtnl: &mut Rtnl) {
    let b = dev.data();
    let left = b.fo.send_peer_notif.load(Ordering::Relaxed);
    if left == 0 {
        return;
    }
    b.fo.send_peer_notif.store(left - 1, Ordering::Relaxed);
    if notify {
        dev.announce(Announce::NotifyPeers, rtnl);
    }
}

/// The ARP monitor's notification (`bond_activebackup_arp_mon`): only a
/// due one counts, and only if RTNL is free.
pub(crate) fn arp_tick(dev: &Device<BondDriver>) {
    let b = dev.data();
    let Some(mut rtnl) = RtnlGuard::try_lock() else {
        return;
    };
    let left = b.fo.send_peer_notif.load(Ordering::Relaxed);
    b.fo.send_peer_notif
        .store(left.saturating_sub(1), Ordering::Relaxed);
    dev.announce(Announce::NotifyPeers, &mut rtnl);
}

/// The bond goes down (`bond_close`): no notification left, no resend.
pub(crate) fn stop(b: &Bond) {
    b.fo.mcast.cancel_sync();
    b.fo.send_peer_notif.store(0, Ordering::Relaxed);
}

/// The options changed (C: `bond_option_all_slaves_active_set` on the
/// slaves that are not active).
pub(crate) fn config_changed(b: &Bond, old: &FoConfig, ctl: &Ctl) {
    let asa = ctl.cfg.fo.all_slaves_active;
    b.fo.all_slaves_active.store(asa, Ordering::Relaxed);
    if asa != old.all_slaves_active {
        for s in ctl.slaves.iter() {
            if s.port.backup.load(Ordering::Relaxed) {
                s.port.inactive.store(!asa, Ordering::Relaxed);
            }
        }
    }
}
