// SPDX-License-Identifier: GPL-2.0

//! Follows the aliases through the inetaddr notifier (addresses added,
//! deleted, promoted) and the netdevice notifier (the real device renamed,
//! up/down, unregistered or moved to another namespace). Both run under
//! RTNL, which also guards the per-namespace state.

use crate::alias_state::{tracked_of, What, ALIAS_NET};
use crate::aliaslabel::{is_alias, renamed, Label};
use crate::netdev::{
    inet::{InIfAddr, InetAddrEvent, InetAddrNotifier, Ipv4Addr},
    notifier::NotifyResult,
    prelude::*,
};
use kernel::prelude::*;

/// The inetaddr notifier handler.
pub(crate) struct AddrEvents;

impl InetAddrNotifier for AddrEvents {
    fn event(&self, event: InetAddrEvent, ifa: &InIfAddr, rtnl: &Rtnl) {
        let dev = ifa.dev();
        let Some(net) = ALIAS_NET.get(dev.net(), rtnl) else {
            return;
        };
        let Ok(mut st) = net.state.borrow_mut(rtnl) else {
            return;
        };
        let dev_name = Label::new(dev.name().as_bytes());
        match event {
            InetAddrEvent::Up => {
                if let Some(old) = st.find(ifa.id()) {
                    // Already tracked: `NETDEV_UP` again means promotion.
                    if old.secondary && !ifa.is_secondary() {
                        st.update(crate::alias_state::Tracked {
                            secondary: false,
                            ..old
                        });
                        st.counters.promoted += 1;
                        st.record(What::Promote, old.label, old.local, dev_name);
                    }
                } else if let Some(t) = tracked_of(ifa) {
                    if st.insert(t).is_ok() {
                        st.counters.added += 1;
                        st.record(What::Add, t.label, t.local, dev_name);
                    } else {
                        pr_warn!("out of memory, {} not tracked\n", t.label);
                    }
                }
            }
            InetAddrEvent::Down => {
                if let Some(t) = st.remove(ifa.id()) {
                    st.counters.removed += 1;
                    let gone = dev.in_device_rtnl(rtnl).map_or(true, |i| i.is_dead());
                    let what = if gone { What::DeviceGone } else { What::Remove };
                    st.record(what, t.label, t.local, dev_name);
                }
            }
            InetAddrEvent::Other(_) => {}
        }
    }
}

/// The netdevice notifier handler.
pub(crate) struct DevEvents;

impl NetdevNotifier for DevEvents {
    fn event(&self, event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl) -> NotifyResult {
        let Some(net) = ALIAS_NET.get(dev.net(), rtnl) else {
            return NotifyResult::Done;
        };
        let Ok(mut st) = net.state.borrow_mut(rtnl) else {
            return NotifyResult::Done;
        };
        let dev_name = Label::new(dev.name().as_bytes());
        match event {
            NetdevEvent::ChangeName => {
                // The IPv4 core's own notifier (registered at boot, same
                // priority, so called before us) has relabelled the
                // addresses; check each against the rule and follow.
                let Some(in_dev) = dev.in_device_rtnl(rtnl) else {
                    return NotifyResult::Done;
                };
                for (i, ifa) in in_dev.addrs_rtnl(rtnl).enumerate() {
                    let now = Label::new(ifa.label().as_bytes());
                    let old = st.find(ifa.id());
                    // An untracked address had no ':' in its label (device
                    // names cannot contain one), which is all the rule uses.
                    let old_label = old.map_or(Label::EMPTY, |t| t.label);
                    if renamed(old_label.as_bytes(), dev_name.as_bytes(), i + 1) != now {
                        st.counters.mismatches += 1;
                        pr_warn!(
                            "{} relabelled {} -> {}, expected {}\n",
                            dev_name,
                            old_label,
                            now,
                            renamed(old_label.as_bytes(), dev_name.as_bytes(), i + 1)
                        );
                    }
                    let alias = is_alias(now.as_bytes(), dev_name.as_bytes());
                    match (old, alias) {
                        (Some(t), true) => {
                            st.update(crate::alias_state::Tracked { label: now, ..t });
                            st.counters.relabelled += 1;
                            st.record(What::Relabel, now, t.local, dev_name);
                        }
                        (Some(t), false) => {
                            st.remove(t.id);
                            st.counters.removed += 1;
                            st.record(What::Unlabel, t.label, t.local, dev_name);
                        }
                        (None, true) => {
                            if let Some(t) = tracked_of(ifa) {
                                if st.insert(t).is_ok() {
                                    st.counters.added += 1;
                                    st.counters.relabelled += 1;
                                    st.record(What::Relabel, now, t.local, dev_name);
                                }
                            }
                        }
                        (None, false) => {}
                    }
                }
            }
            NetdevEvent::Up | NetdevEvent::Down | NetdevEvent::Change => {
                if st.has_dev(dev.ifindex()) {
                    st.record(What::DevState, Label::EMPTY, Ipv4Addr::default(), dev_name);
                }
            }
            NetdevEvent::Unregister => {
                // The IPv4 core deleted the addresses (and told us) before
                // this call; anything left would be a tracking bug.
                let n = st.remove_dev(dev.ifindex());
                if n != 0 {
                    st.counters.mismatches += n as u64;
                    st.counters.removed += n as u64;
                    st.record(
                        What::DeviceGone,
                        Label::EMPTY,
                        Ipv4Addr::default(),
                        dev_name,
                    );
                }
            }
            _ => {}
        }
        NotifyResult::Done
    }
}
