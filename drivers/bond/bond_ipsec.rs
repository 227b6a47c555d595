// SPDX-License-Identifier: GPL-2.0

//! IPsec ESP offload through the bond (C: `bond_xfrmdev_ops`,
//! `CONFIG_XFRM_OFFLOAD`): a state added with `offload dev bond0` goes to
//! the device of `curr_active_slave` (C's `bond_ipsec_add_sa`), follows it
//! when it changes (`bond_ipsec_del_sa_all`/`bond_ipsec_add_sa_all` in
//! `bond_change_active_slave`; not when a trunk mode's enslave makes the
//! first slave current), and transmits offloaded only in active-backup
//! (`bond_ipsec_offload_ok`). The offload features (`BOND_XFRM_FEATURES`)
//! may be toggled in every mode and are wanted in active-backup
//! (`bond_set_xfrm_features`, on every set of the mode).
//!
//! Unlike the kernel's own bonding of this version, the slave's
//! `xdo_dev_state_add` sees the slave as `xso.real_dev` (the layer sets it
//! first: the slave drivers take their device from there), and the
//! bond's delete, called under the state's lock, takes no mutex.

use crate::bond_dev::{Bond, BondDriver, Ctl, Mode};
use crate::netdev::{
    errno,
    features::Features,
    log::net_ratelimit,
    prelude::*,
    xfrm::{XfrmAdd, XfrmDelete, XfrmHolder, XfrmOffload, XfrmOffloads, XfrmState},
};
use kernel::{c_str, prelude::*};

impl XfrmOffload for BondDriver {
    fn offloads(data: &Bond) -> &XfrmOffloads {
        &data.ipsec
    }

    /// `bond_ipsec_add_sa`: to the current active slave's device.
    fn add(dev: &Device<Self>, req: XfrmAdd<'_>, extack: &mut ExtAck) -> Result {
        let req = req.lock();
        let lower = {
            let rcu = RcuGuard::new();
            dev.data()
                .snap
                .get(&rcu)
                .and_then(|s| s.curr.and_then(|i| s.slaves.get(i)))
                .map(|p| p.dev.clone())
        };
        let Some(lower) = lower else {
            return Err(ENODEV);
        };
        if !lower.xfrm_can_add() {
            return Err(extack.fail(
                c_str!("bonding: Slave does not support ipsec offload"),
                errno::err(errno::EOPNOTSUPP),
            ));
        }
        req.offload(&lower, extack)
    }

    /// `bond_ipsec_del_sa`: deleted on the slave holding the state.
    fn delete(dev: &Device<Self>, del: &XfrmDelete<'_>) {
        let Some(lower) = del.lower() else {
            return;
        };
        if !del.delete_on_lower() {
            crate::netdev_warn!(
                dev.net_device(),
                "(slave {}): bond_ipsec_del_sa: no slave xdo_dev_state_delete\n",
                lower.name()
            );
        }
    }

    /// `bond_ipsec_free_sa`: the layer frees the state on the slave that
    /// still holds it.
    fn free(_dev: &Device<Self>, _xs: &XfrmState, _lower: Option<&NetDevice>) {}

    /// `bond_ipsec_offload_ok`: active-backup only, asked of the active
    /// slave (which must hold the state).
    fn offload_ok(dev: &Device<Self>, skb: &SkBuff, xs: &XfrmState, rcu: &RcuGuard) -> bool {
        match ipsec_dev(dev, xs, rcu) {
            Some(lower) => lower.xfrm_offload_ok(skb, xs, rcu),
            None => false,
        }
    }

    /// `bond_advance_esn_state`.
    fn advance_esn(dev: &Device<Self>, xs: &XfrmState, rcu: &RcuGuard) {
        if let Some(lower) = ipsec_dev(dev, xs, rcu) {
            // C's `pr_warn_ratelimited` in bond_main.c (no `pr_fmt`).
            if !lower.xfrm_advance_esn(xs, rcu) && net_ratelimit() {
                crate::printk_warn!(
                    "bond_advance_esn_state: {} doesn't support xdo_dev_state_advance_esn\n",
                    lower.name()
                );
            }
        }
    }

    /// `bond_xfrm_update_stats`.
    fn update_stats(dev: &Device<Self>, xs: &XfrmState, rcu: &RcuGuard) {
        if let Some(lower) = ipsec_dev(dev, xs, rcu) {
            if !lower.xfrm_update_stats(xs, rcu) && net_ratelimit() {
                crate::printk_warn!(
                    "bond_xfrm_update_stats: {} doesn't support xdo_dev_state_update_stats\n",
                    lower.name()
                );
            }
        }
    }
}

/// `bond_ipsec_dev`: the active slave's device, in active-backup, for a
/// state offloaded to some device; a state on another device than the
/// active slave (a change of active slave not yet followed) is warned
/// about as C does (its `pr_warn_ratelimited` line is the bond's
/// `netdev_warn` line). The layer then asks the slave only if it holds
/// the state.
fn ipsec_dev<'r>(
    dev: &'r Device<BondDriver>,
    xs: &XfrmState,
    rcu: &'r RcuGuard,
) -> Option<&'r NetDevice> {
    let s = dev.data().snap.get(rcu)?;
    if s.cfg.mode != Mode::ActiveBackup {
        return None;
    }
    let slave = s.curr.and_then(|i| s.slaves.get(i)).map(|p| &*p.dev)?;
    match xs.held_by(slave, rcu) {
        XfrmHolder::Nowhere => return None,
        XfrmHolder::This => {}
        XfrmHolder::Other(real) => {
            if net_ratelimit() {
                crate::netdev_warn!(
                    dev.net_device(),
                    "(slave {}): not same with IPsec offload real dev {}\n",
                    slave.name(),
                    real
                );
            }
        }
    }
    Some(slave)
}

/// The offloaded states follow `curr_active_slave` (C:
/// `bond_ipsec_del_sa_all` before a change of active slave,
/// `bond_ipsec_add_sa_all` after), called by every publication under RTNL
/// once the data path sees the new active slave. A slave made current
/// without a change of active slave ([`adopt`]) does not move them.
pub(crate) fn follow(b: &Bond, ctl: &Ctl, rtnl: &Rtnl) {
    let new = ctl
        .active
        .and_then(|i| ctl.slaves.get(i))
        .map(|s| &*s.port.dev);
    let Ok(mut on) = b.ipsec_on.borrow_mut(rtnl) else {
        return;
    };
    let same = match (on.as_deref(), new) {
        (Some(a), Some(n)) => core::ptr::eq(a, n),
        (None, None) => true,
        _ => false,
    };
    if same {
        return;
    }
    *on = new.map(|d| d.hold());
    drop(on);
    let master = ctl.slaves.first().map(|s| s.port.master.clone());
    let master = master.as_deref();
    let mut g = b.ipsec.lock();
    for mut e in g.entries() {
        let Some(lower) = e.lower() else {
            continue;
        };
        if !lower.xfrm_can_delete() {
            slave_warn(
                master,
                lower,
                "bond_ipsec_del_sa_all: no slave xdo_dev_state_delete",
            );
            continue;
        }
        e.remove();
    }
    let Some(new) = new else {
        return;
    };
    if !new.xfrm_can_add() {
        if !g.is_empty() {
            slave_warn(
                master,
                new,
                "bond_ipsec_add_sa_all: no slave xdo_dev_state_add",
            );
        }
        return;
    }
    for mut e in g.entries() {
        if e.lower().is_some_and(|l| core::ptr::eq(l, new)) {
            continue;
        }
        if e.offload(new).is_err() {
            slave_warn(master, new, "bond_ipsec_add_sa_all: failed to add SA");
        }
    }
}

/// The trunk modes' enslave makes the first slave up `curr_active_slave`
/// directly, without `bond_change_active_slave` (C's `bond_enslave`): the
/// states stay where they are (on no slave, as there was no active one)
/// until the next change of active slave moves them to its new one.
pub(crate) fn adopt(b: &Bond, slave: &NetDevice, rtnl: &Rtnl) {
    if let Ok(mut on) = b.ipsec_on.borrow_mut(rtnl) {
        *on = Some(slave.hold());
    }
}

/// C's `slave_warn` (`netdev_warn` of the bond, named through its slaves'
/// master: none without slaves).
fn slave_warn(master: Option<&NetDevice>, slave: &NetDevice, what: &str) {
    if let Some(m) = master {
        crate::netdev_warn!(m, "(slave {}): {}\n", slave.name(), what);
    }
}

/// The offload features are wanted in active-backup only (C:
/// `bond_set_xfrm_features` whenever the mode of a registered bond is
/// set, even to the mode it has: wanted again after `ethtool -K`).
pub(crate) fn mode_changed(dev: &Device<BondDriver>, mode: Mode, rtnl: &mut Rtnl) {
    dev.set_wanted_features(Features::ESP_OFFLOAD, mode == Mode::ActiveBackup, rtnl);
    dev.update_features(rtnl);
}
