// SPDX-License-Identifier: GPL-2.0

//! The slaves' state for the LAG listeners (C: `bond_lower_state_changed`,
//! `netdev_lower_state_changed`: `NETDEV_CHANGELOWERSTATE` with the
//! slave's `link_up` and `tx_enabled`, which rtnetlink announces as an
//! `RTM_NEWLINK` of the slave).
//!
//! C sends one notification for every change it makes with
//! `BOND_SLAVE_NOTIFY_NOW`: each link state set on enslave, each link
//! committed up or down by miimon, each `backup` flip of
//! `bond_set_slave_state`, and one more once the slave is linked below
//! the bond. Where rvnet_bond changes the flags without RTNL at hand
//! (`bond_monitor::change_active`) the notification is owed
//! ([`note`]) and sent, with the state of that time, when the change is
//! published under RTNL ([`flush`]); enslave and release send theirs at
//! once, in C's order around the upper link. The ARP monitor's and
//! 802.3ad's deferred notifications (`BOND_SLAVE_NOTIFY_LATER`) are not
//! sent.

use crate::bond_dev::{BondDriver, Ctl};
use crate::bond_slave::SlavePort;
use crate::netdev::{prelude::*, txsel::LinkState};
use core::sync::atomic::Ordering;

/// `bond_lower_state_changed` for `p` now.
pub(crate) fn send(p: &SlavePort, rtnl: &mut Rtnl) {
    let Some(master) = p.master.downcast::<BondDriver>() else {
        return;
    };
    let link_up = matches!(p.link(), LinkState::Up | LinkState::Fail);
    let tx_enabled = !p.backup.load(Ordering::Relaxed);
    p.dev
        .lag_lower_state_changed(master, link_up, tx_enabled, rtnl);
}

/// One more notification owed for `p` (sent by the next [`flush`]).
pub(crate) fn note(p: &SlavePort) {
    let _ = p
        .lower_owed
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_add(1));
}

/// Sends the notifications owed for every slave (under RTNL, when the
/// bond publishes a change).
pub(crate) fn flush(ctl: &Ctl, rtnl: &mut Rtnl) {
    for s in ctl.slaves.iter() {
        for _ in 0..s.port.lower_owed.swap(0, Ordering::Relaxed) {
            send(&s.port, rtnl);
        }
    }
}
