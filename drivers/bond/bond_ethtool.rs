// SPDX-License-Identifier: GPL-2.0

//! The bond's ethtool link settings (C: `bond_ethtool_get_link_ksettings`):
//! the speeds of the slaves that can transmit, summed (broadcast: the
//! slowest), the first known duplex, port "other".

use crate::bond_dev::{BondDriver, Mode};
use crate::netdev::{
    driver::{LinkSettings, PORT_OTHER},
    prelude::*,
    txsel::{Duplex, LinkState},
};
use core::sync::atomic::Ordering;

/// `bond_ethtool_get_link_ksettings`.
pub(crate) fn link_settings(dev: &Device<BondDriver>, rtnl: &mut Rtnl) -> LinkSettings {
    let mut ls = LinkSettings {
        speed: None,
        duplex: None,
        port: PORT_OTHER,
    };
    let Ok(ctl) = dev.data().ctl.borrow(rtnl) else {
        return ls;
    };
    let mut speed: u32 = 0;
    for s in ctl.slaves.iter() {
        let p = &s.port;
        // `bond_slave_can_tx`.
        if !(p.is_up() && p.link() == LinkState::Up && !p.backup.load(Ordering::Relaxed)) {
            continue;
        }
        p.update_speed_duplex(rtnl);
        let sp = p.speed.load(Ordering::Relaxed);
        if sp != u32::MAX {
            speed = if ctl.cfg.mode == Mode::Broadcast {
                // `bond_mode_bcast_speed`.
                if speed == 0 || speed == u32::MAX {
                    sp
                } else {
                    speed.min(sp)
                }
            } else {
                speed.wrapping_add(sp)
            };
        }
        if ls.duplex.is_none() {
            match p.duplex_state() {
                Duplex::Full => ls.duplex = Some(true),
                Duplex::Half => ls.duplex = Some(false),
                Duplex::Unknown => {}
            }
        }
    }
    ls.speed = if speed == 0 { None } else { Some(speed) };
    ls
}
