// SPDX-License-Identifier: GPL-2.0

//! `brctl`'s ioctls (C: br_ioctl.c): the bridge ioctl hook's part of the
//! driver (`brctl addbr` data, `addif`/`delif`) and the legacy
//! `SIOCDEVPRIVATE` commands on a bridge (`br_dev_siocdevprivate`), which
//! `brctl` falls back to when a sysfs write fails and whose errno it then
//! prints.

use crate::br_device::{Bridge, BridgeDriver, Port};
use crate::br_netlink::{default_config, secs};
use crate::br_sysfs_br::{self as sysfs_br, fdb_fillbuf, FDB_RECORD};
use crate::br_sysfs_if::{forward_delay_timer, set_path_cost, set_port_priority};
use crate::netdev::{
    bindings::{
        BRCTL_ADD_IF, BRCTL_DEL_IF, BRCTL_GET_BRIDGE_INFO, BRCTL_GET_FDB_ENTRIES,
        BRCTL_GET_PORT_INFO, BRCTL_GET_PORT_LIST, BRCTL_SET_AGEING_TIME,
        BRCTL_SET_BRIDGE_FORWARD_DELAY, BRCTL_SET_BRIDGE_HELLO_TIME, BRCTL_SET_BRIDGE_MAX_AGE,
        BRCTL_SET_BRIDGE_PRIORITY, BRCTL_SET_BRIDGE_STP_STATE, BRCTL_SET_PATH_COST,
        BRCTL_SET_PORT_PRIORITY,
    },
    bridge::jiffies_to_clock_t,
    bridge_ioctl::{add_del_if, BridgeIoctl, UserPtr},
    bridge_link, errno,
    prelude::*,
};
use core::sync::atomic::Ordering;
use kernel::{alloc::KVec, prelude::*, sync::Arc};

type Br = Device<BridgeDriver>;

/// `BR_MAX_PORTS`.
const MAX_PORTS: i64 = 1024;

impl BridgeIoctl for BridgeDriver {
    fn ioctl_data() -> Result<Bridge> {
        Bridge::new(default_config(), secs(crate::br_device::DEFAULT_AGEING_S))
    }

    fn add_del_if(
        dev: &Device<Self>,
        port: &NetDevice,
        add: bool,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        if add {
            crate::br_if::add_if(dev, port, extack, rtnl)
        } else {
            crate::br_if::del_if(dev, port, rtnl)
        }
    }
}

/// `br_get_port`: the port numbered `no`.
fn port_no(dev: &Br, no: u64, rtnl: &Rtnl) -> Option<Arc<Port>> {
    let ctl = dev.data().ctl.borrow(rtnl).ok()?;
    let p = ctl.ports.iter().find(|s| u64::from(s.port.port_no) == no)?;
    Some(p.port.clone())
}

/// `struct __bridge_info` (72 bytes), with C's quirks: `forward_delay`,
/// `bridge_max_age` and `bridge_hello_time` in jiffies, the rest of the
/// times in clock_t.
fn bridge_info(dev: &Br) -> [u8; 72] {
    let b = dev.data();
    let c = b.opts.load();
    let id = b.id().bytes();
    let mut o = [0u8; 72];
    o[0..8].copy_from_slice(&id);
    o[8..16].copy_from_slice(&id);
    let u32s: [(usize, u64); 10] = [
        (16, 0),
        (20, jiffies_to_clock_t(c.max_age)),
        (24, jiffies_to_clock_t(c.hello_time)),
        (28, c.forward_delay),
        (32, c.max_age),
        (36, c.hello_time),
        (40, jiffies_to_clock_t(c.forward_delay)),
        (
            48,
            jiffies_to_clock_t(b.ageing_time.load(Ordering::Relaxed)),
        ),
        (52, 0),
        (68, jiffies_to_clock_t(b.gc.remaining_jiffies())),
    ];
    for (off, v) in u32s {
        o[off..off + 4].copy_from_slice(&(v as u32).to_ne_bytes());
    }
    // topology_change, topology_change_detected, root_port, stp_enabled
    // (44..48) and the STP timers (56..68) stay zero without STP.
    o
}

/// `struct __port_info` (48 bytes: 44 and the padding).
fn port_info(p: &Port) -> [u8; 48] {
    let mut o = [0u8; 48];
    let d = p.designated_id().bytes();
    o[0..8].copy_from_slice(&d);
    o[8..16].copy_from_slice(&d);
    o[16..18].copy_from_slice(&p.port_id().to_ne_bytes());
    o[18..20].copy_from_slice(&p.port_id().to_ne_bytes());
    o[20..24].copy_from_slice(&p.path_cost.load(Ordering::Relaxed).to_ne_bytes());
    o[28] = p.state() as u8;
    o[36..40].copy_from_slice(&(forward_delay_timer(p) as u32).to_ne_bytes());
    o
}

/// `br_dev_siocdevprivate`.
pub(crate) fn devprivate(
    dev: &Br,
    args: &[u64; 4],
    argp: &UserPtr,
    rtnl: &mut Rtnl,
) -> Result<i32> {
    let admin = || {
        if dev.net().admin_capable() {
            Ok(())
        } else {
            Err(EPERM)
        }
    };
    let bridge_set =
        |f: fn(&Br, &Bridge, u64, &mut Rtnl) -> Result, rtnl: &mut Rtnl| -> Result<i32> {
            admin()?;
            f(dev, dev.data(), args[1], rtnl)?;
            dev.state_change(rtnl);
            Ok(0)
        };
    let port_set = |f: fn(&Port, u64) -> Result, rtnl: &mut Rtnl| -> Result<i32> {
        admin()?;
        let p = port_no(dev, args[1], rtnl).ok_or(EINVAL)?;
        f(&p, args[2])?;
        bridge_link::notify(dev, &p.dev, true);
        Ok(0)
    };
    match args[0] as u32 {
        c @ (BRCTL_ADD_IF | BRCTL_DEL_IF) => {
            add_del_if(dev, args[1] as i32, c == BRCTL_ADD_IF, rtnl)?;
            Ok(0)
        }
        BRCTL_GET_BRIDGE_INFO => {
            argp.write(0, &bridge_info(dev))?;
            Ok(0)
        }
        BRCTL_GET_PORT_LIST => {
            let num = match args[2] as i32 as i64 {
                n if n < 0 => return Err(EINVAL),
                0 => 256,
                n => n.min(MAX_PORTS),
            } as usize;
            let mut idx = KVec::from_elem(0u8, num * 4, GFP_KERNEL)?;
            for s in dev.data().ctl.borrow(rtnl)?.ports.iter() {
                let no = usize::from(s.port.port_no);
                if let Some(slot) = idx.get_mut(no * 4..no * 4 + 4) {
                    slot.copy_from_slice(&s.port.dev.ifindex().to_ne_bytes());
                }
            }
            argp.write(0, &idx)?;
            Ok(num as i32)
        }
        BRCTL_SET_BRIDGE_FORWARD_DELAY => bridge_set(sysfs_br::set_forward_delay, rtnl),
        BRCTL_SET_BRIDGE_HELLO_TIME => bridge_set(sysfs_br::set_hello_time, rtnl),
        BRCTL_SET_BRIDGE_MAX_AGE => bridge_set(sysfs_br::set_max_age, rtnl),
        BRCTL_SET_AGEING_TIME => bridge_set(sysfs_br::set_ageing_time, rtnl),
        BRCTL_SET_BRIDGE_STP_STATE => bridge_set(sysfs_br::set_stp_state, rtnl),
        BRCTL_SET_BRIDGE_PRIORITY => bridge_set(sysfs_br::set_priority, rtnl),
        BRCTL_GET_PORT_INFO => {
            let p = port_no(dev, args[2], rtnl).ok_or(EINVAL)?;
            argp.write(0, &port_info(&p))?;
            Ok(0)
        }
        BRCTL_SET_PORT_PRIORITY => port_set(set_port_priority, rtnl),
        BRCTL_SET_PATH_COST => port_set(set_path_cost, rtnl),
        BRCTL_GET_FDB_ENTRIES => {
            // At most a page of records.
            let max = (args[2] as usize).min(4096 / FDB_RECORD);
            let mut buf = KVec::from_elem(0u8, max * FDB_RECORD, GFP_KERNEL)?;
            let n = fdb_fillbuf(dev, &mut buf, args[3]);
            if n > 0 {
                argp.write(0, buf.get(..n * FDB_RECORD).unwrap_or(&[]))?;
            }
            Ok(n as i32)
        }
        _ => Err(errno::err(errno::EOPNOTSUPP)),
    }
}
