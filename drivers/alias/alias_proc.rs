// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/ip_aliases`: the namespace's aliases, generated from the
//! kernel's live state under RCU (devices, then each device's address
//! list), so the view is exact whatever happened since the module loaded.
//! Ordered by interface index, then by position in the address list.

use crate::aliaslabel::{device_state, is_alias, is_well_formed, order_key, scope_name};
use crate::netdev::prelude::*;
use crate::seq_print;
use kernel::{
    alloc::{flags::GFP_ATOMIC, KVec},
    c_str,
    prelude::*,
};

/// The `/proc/net/ip_aliases` file.
pub(crate) struct AliasView;

/// The header line; the columns of every line below it.
pub(crate) const HEADER: &str =
    "label            device           address/prefix     broadcast        scope   kind       state\n";

fn has_alias(dev: &NetDevice, rcu: &RcuGuard) -> bool {
    let name = dev.name();
    dev.in_device_rcu(rcu).is_some_and(|i| {
        i.addrs_rcu(rcu)
            .any(|a| is_alias(a.label().as_bytes(), name.as_bytes()))
    })
}

impl ProcNetFile for AliasView {
    const NAME: &'static CStr = c_str!("ip_aliases");

    fn show(m: &mut SeqFile, net: &Net) -> Result {
        seq_print!(m, "{}", HEADER);
        let rcu = RcuGuard::new();
        // The device list is in registration order, not ifindex order:
        // collect the (few) devices with aliases, sort, then print each.
        let mut devs = KVec::<i32>::new();
        for dev in NetDevice::for_each_rcu(net, &rcu) {
            if has_alias(dev, &rcu) {
                devs.push(dev.ifindex(), GFP_ATOMIC)?;
            }
        }
        devs.sort_unstable_by_key(|&i| order_key(i, 0));
        for &ifindex in devs.iter() {
            let Some(dev) = NetDevice::get_by_index_rcu(net, ifindex, &rcu) else {
                continue;
            };
            let Some(in_dev) = dev.in_device_rcu(&rcu) else {
                continue;
            };
            let name = dev.name();
            let state = device_state(dev.is_up(), dev.is_running() && dev.carrier_ok());
            for ifa in in_dev.addrs_rcu(&rcu) {
                let label = ifa.label();
                if !is_alias(label.as_bytes(), name.as_bytes()) {
                    continue;
                }
                let mut addr = [0u8; 18];
                let addr = fmt_prefix(&mut addr, ifa.local(), ifa.prefixlen());
                let bcast = ifa.broadcast();
                // A label not of the form "<device>:<suffix>" (possible with
                // raw netlink) is shown, marked with '!'.
                let mark = if is_well_formed(label.as_bytes(), name.as_bytes()) {
                    ""
                } else {
                    "!"
                };
                seq_print!(m, "{:<16} {:<16} {:<18} ", label, name, addr);
                if bcast.is_unspecified() {
                    seq_print!(m, "{:<16} ", "-");
                } else {
                    seq_print!(m, "{:<16} ", bcast);
                }
                seq_print!(
                    m,
                    "{:<7} {:<10} {}{}\n",
                    scope_name(ifa.scope()),
                    if ifa.is_secondary() {
                        "secondary"
                    } else {
                        "primary"
                    },
                    state,
                    mark
                );
            }
        }
        Ok(())
    }
}

/// "a.b.c.d/n" into `buf`.
fn fmt_prefix(buf: &mut [u8; 18], addr: crate::netdev::inet::Ipv4Addr, prefix: u8) -> &str {
    let [a, b, c, d] = addr.0;
    let mut len = 0;
    for (i, part) in [a, b, c, d, prefix].into_iter().enumerate() {
        if i > 0 {
            buf[len] = if i == 4 { b'/' } else { b'.' };
            len += 1;
        }
        let mut digits = [0u8; 3];
        let mut n = part;
        let mut nd = 0;
        loop {
            digits[nd] = b'0' + n % 10;
            nd += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for k in (0..nd).rev() {
            buf[len] = digits[k];
            len += 1;
        }
    }
    core::str::from_utf8(&buf[..len]).unwrap_or("?")
}
