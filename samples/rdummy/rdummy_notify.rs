// SPDX-License-Identifier: GPL-2.0

//! Follows the netdevice notifier chain: counts the events of each rdummy
//! device (shown in `/proc/net/rdummy`).

use crate::netdev::{notifier::NotifyResult, prelude::*};
use crate::rdummy_dev::Rdummy;
use core::sync::atomic::Ordering;

/// The notifier handler.
pub(crate) struct Events;

impl NetdevNotifier for Events {
    fn event(&self, event: NetdevEvent, dev: &NetDevice, _rtnl: &mut Rtnl) -> NotifyResult {
        let Some(dev) = dev.downcast::<Rdummy>() else {
            return NotifyResult::Done;
        };
        match event {
            NetdevEvent::Up
            | NetdevEvent::Down
            | NetdevEvent::Change
            | NetdevEvent::ChangeMtu
            | NetdevEvent::ChangeAddr
            | NetdevEvent::ChangeName => {
                dev.data().events.fetch_add(1, Ordering::Relaxed);
                NotifyResult::Ok
            }
            _ => NotifyResult::Done,
        }
    }
}
