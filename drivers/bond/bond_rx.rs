// SPDX-License-Identifier: GPL-2.0

//! The slaves' rx_handler (C: `bond_handle_frame`): frames received on a
//! slave are delivered as received on the bond, except on a standby slave
//! of active-backup, where only sockets bound to the slave itself see them
//! (`bond_should_deliver_exact_match`) and link-local frames (LLDP, STP)
//! pass normally.

use crate::bond_dev::BondDriver;
use crate::bond_slave::SlavePort;
use crate::netdev::{
    prelude::*,
    rx_handler::{RxHandler, RxResult},
};
use core::sync::atomic::Ordering;

impl RxHandler for SlavePort {
    fn handle<'a>(&'a self, skb: SkBuff, _rcu: &'a RcuGuard) -> RxResult<'a> {
        if self.backup.load(Ordering::Relaxed) {
            if skb.is_link_local_dest() {
                return RxResult::Pass(skb);
            }
            return RxResult::Exact(skb);
        }
        if let Some(bond) = self.master.downcast::<BondDriver>() {
            bond.count_rx(skb.len());
        }
        RxResult::Another(skb, &self.master)
    }
}
