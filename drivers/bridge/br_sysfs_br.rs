// SPDX-License-Identifier: GPL-2.0

//! The bridge's sysfs files (C: br_sysfs_br.c): `/sys/class/net/<br>/bridge/*`
//! in C's order for a kernel without multicast snooping and bridge
//! netfilter (as the test kernel's C bridge), and the `brif/` directory
//! of links to the ports' `brport/`.
//!
//! Writes parse as C's `store_bridge_parm` (`kstrtoul`, base 0), take RTNL
//! the way it does (the layer: `rtnl_trylock` or restart), and announce a
//! change with `netdev_state_change`. Options whose feature this bridge
//! does not have take their default value only; anything else is refused
//! with `EOPNOTSUPP` and a kernel message naming the option.

use crate::br_device::{Bridge, BridgeDriver, GcWork};
use crate::br_fdb;
use crate::brlogic::{deliver, port::BridgeId};
use crate::netdev::{
    bridge::{clock_t_to_jiffies, jiffies_to_clock_t},
    device::MacFmt,
    errno,
    prelude::*,
    sysfs::{parse_ulong, AttrList, DevAttr, DevBinAttr, DevBinFile, DevGroup, SysfsBuf, SysfsDir},
};
use core::fmt::Write;
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*};

type Br = Device<BridgeDriver>;

/// `%#x` as the kernel's vsprintf prints it: `0x0` for zero too.
pub(crate) fn write_hex(out: &mut SysfsBuf<'_>, v: u32) -> Result {
    writeln!(out, "{v:#x}").map_err(|_| EINVAL)
}

fn num(out: &mut SysfsBuf<'_>, v: u64) -> Result {
    writeln!(out, "{v}").map_err(|_| EINVAL)
}

/// `br_show_bridge_id`: `pppp.aaaaaaaaaaaa`.
pub(crate) fn write_id(out: &mut SysfsBuf<'_>, id: BridgeId) -> Result {
    writeln!(out, "{id}").map_err(|_| EINVAL)
}

/// Refuses a value of an option this bridge does not implement.
fn unsupported(dev: &Br, what: &str) -> Error {
    pr_err!("{}: rvnet_bridge: {} is not supported\n", dev.name(), what);
    errno::err(errno::EOPNOTSUPP)
}

/// Stores `f`'s change and announces it (C: `store_bridge_parm`).
fn parm(
    dev: &Br,
    s: &str,
    rtnl: &mut Rtnl,
    f: fn(&Br, &Bridge, u64, &mut Rtnl) -> Result,
) -> Result {
    let v = parse_ulong(s)?;
    f(dev, dev.data(), v, rtnl)?;
    dev.state_change(rtnl);
    Ok(())
}

fn clock(j: u64) -> u64 {
    jiffies_to_clock_t(j)
}

/// `clock_t` to jiffies within `[lo, hi]` seconds, else `ERANGE`.
fn in_range(v: u64, lo: u64, hi: u64) -> Result<u64> {
    let t = clock_t_to_jiffies(v);
    if t < crate::br_netlink::secs(lo) || t > crate::br_netlink::secs(hi) {
        return Err(errno::err(errno::ERANGE));
    }
    Ok(t)
}

fn forward_delay_show(dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    num(
        out,
        clock(dev.data().opts.forward_delay.load(Ordering::Relaxed)),
    )
}

/// `br_set_forward_delay` (range-checked only with STP on).
pub(crate) fn set_forward_delay(_: &Br, b: &Bridge, v: u64, _: &mut Rtnl) -> Result {
    b.opts
        .forward_delay
        .store(clock_t_to_jiffies(v), Ordering::Relaxed);
    Ok(())
}

fn forward_delay_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, set_forward_delay)
}

fn hello_time_show(dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    num(
        out,
        clock(dev.data().opts.hello_time.load(Ordering::Relaxed)),
    )
}

/// `br_set_hello_time`.
pub(crate) fn set_hello_time(_: &Br, b: &Bridge, v: u64, _: &mut Rtnl) -> Result {
    b.opts
        .hello_time
        .store(in_range(v, 1, 10)?, Ordering::Relaxed);
    Ok(())
}

fn hello_time_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, set_hello_time)
}

fn max_age_show(dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    num(out, clock(dev.data().opts.max_age.load(Ordering::Relaxed)))
}

/// `br_set_max_age`.
pub(crate) fn set_max_age(_: &Br, b: &Bridge, v: u64, _: &mut Rtnl) -> Result {
    b.opts.max_age.store(in_range(v, 6, 40)?, Ordering::Relaxed);
    Ok(())
}

fn max_age_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, set_max_age)
}

fn ageing_time_show(dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    num(out, clock(dev.data().ageing_time.load(Ordering::Relaxed)))
}

/// `br_set_ageing_time`: the gc runs now.
pub(crate) fn set_ageing_time(dev: &Br, b: &Bridge, v: u64, rtnl: &mut Rtnl) -> Result {
    b.ageing_time
        .store(clock_t_to_jiffies(v), Ordering::Relaxed);
    dev.restart_work::<GcWork>(0, rtnl);
    Ok(())
}

fn ageing_time_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, set_ageing_time)
}

fn stp_state_show(_dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    num(out, 0)
}

/// `br_stp_set_enabled`: only "off" here.
pub(crate) fn set_stp_state(dev: &Br, _: &Bridge, v: u64, _: &mut Rtnl) -> Result {
    match v {
        0 => Ok(()),
        _ => Err(unsupported(dev, "STP (stp_state other than 0)")),
    }
}

fn stp_state_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, set_stp_state)
}

fn group_fwd_mask_show(dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    write_hex(
        out,
        u32::from(dev.data().group_fwd_mask.load(Ordering::Relaxed)),
    )
}

fn group_fwd_mask_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, |_, b, v, _| {
        if v & u64::from(deliver::GROUPFWD_RESTRICTED) != 0 {
            return Err(EINVAL);
        }
        // C stores the `unsigned long` into a `u16`.
        b.group_fwd_mask.store(v as u16, Ordering::Relaxed);
        Ok(())
    })
}

fn priority_show(dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    num(
        out,
        u64::from(dev.data().opts.priority.load(Ordering::Relaxed)),
    )
}

/// `br_stp_set_bridge_priority(br, (u16) val)`.
pub(crate) fn set_priority(_: &Br, b: &Bridge, v: u64, _: &mut Rtnl) -> Result {
    b.set_priority(v as u16);
    Ok(())
}

fn priority_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, set_priority)
}

fn bridge_id_show(dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    write_id(out, dev.data().id())
}

/// Without STP the bridge is its own root (`designated_root` is the
/// bridge id).
fn root_id_show(dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    bridge_id_show(dev, out)
}

/// `root_port`, `root_path_cost`, `topology_change`,
/// `topology_change_detected` and the STP timers: zero without STP.
fn zero_show(_dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    num(out, 0)
}

fn gc_timer_show(dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    num(out, clock(dev.data().gc.remaining_jiffies()))
}

fn group_addr_show(dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    let a = dev.data().opts.load().group_addr;
    writeln!(out, "{}", MacFmt(&a)).map_err(|_| EINVAL)
}

/// `mac_pton`: six two-digit hex bytes separated by `:` or `-`, then
/// nothing but an optional newline.
fn mac_pton(s: &str) -> Option<[u8; 6]> {
    let b = s.as_bytes();
    if b.len() < 17 || (b.len() > 17 && b[17] != b'\n') {
        return None;
    }
    let mut a = [0u8; 6];
    for (i, byte) in a.iter_mut().enumerate() {
        let h = core::str::from_utf8(b.get(3 * i..3 * i + 2)?).ok()?;
        *byte = u8::from_str_radix(h, 16).ok()?;
        if i < 5 && !matches!(b.get(3 * i + 2), Some(b':' | b'-')) {
            return None;
        }
    }
    Some(a)
}

fn group_addr_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    let a = mac_pton(s).ok_or(EINVAL)?;
    if !deliver::is_link_local(&a) || matches!(a[5], 1..=3) {
        return Err(EINVAL);
    }
    let o = &dev.data().opts;
    let mut c = o.load();
    c.group_addr = a;
    o.store(&c);
    dev.state_change(rtnl);
    Ok(())
}

fn flush_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, |dev, _, _, _| {
        br_fdb::flush_dynamic(dev);
        Ok(())
    })
}

fn no_linklocal_learn_show(dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    num(
        out,
        u64::from(dev.data().no_ll_learn.load(Ordering::Relaxed)),
    )
}

fn no_linklocal_learn_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, |_, b, v, _| {
        b.no_ll_learn.store(v != 0, Ordering::Relaxed);
        Ok(())
    })
}

fn vlan_filtering_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, |dev, _, v, _| match v {
        0 => Ok(()),
        _ => Err(unsupported(dev, "vlan_filtering")),
    })
}

fn vlan_protocol_show(_dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    // `%#06x` of the protocol.
    writeln!(out, "{:#06x}", 0x8100).map_err(|_| EINVAL)
}

fn vlan_protocol_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    // C: `htons(val)` of the `unsigned long`: its low 16 bits.
    parm(dev, s, rtnl, |dev, _, v, _| match v as u16 {
        0x8100 => Ok(()),
        // `br_vlan_set_proto`.
        0x88a8 => Err(unsupported(dev, "vlan_protocol 802.1ad")),
        _ => Err(errno::err(errno::EPROTONOSUPPORT)),
    })
}

fn default_pvid_show(_dev: &Br, out: &mut SysfsBuf<'_>) -> Result {
    num(out, u64::from(br_fdb::DEFAULT_PVID))
}

fn default_pvid_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, |dev, _, v, _| match v {
        1 => Ok(()),
        // `br_vlan_set_default_pvid`: VLAN 4095 and up are invalid.
        v if v >= 4095 => Err(EINVAL),
        _ => Err(unsupported(dev, "default_pvid other than 1")),
    })
}

fn vlan_stats_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, |dev, _, v, _| match v {
        0 => Ok(()),
        1 => Err(unsupported(dev, "vlan_stats_enabled")),
        _ => Err(EINVAL),
    })
}

fn vlan_stats_per_port_store(dev: &Br, s: &str, rtnl: &mut Rtnl) -> Result {
    parm(dev, s, rtnl, |dev, b, v, rtnl| {
        // C: every port has VLAN 1, so never while a port exists.
        if !b.ctl.borrow(rtnl)?.ports.is_empty() {
            return Err(EBUSY);
        }
        match v {
            0 => Ok(()),
            1 => Err(unsupported(dev, "vlan_stats_per_port")),
            _ => Err(EINVAL),
        }
    })
}

static ATTRS: [DevAttr<BridgeDriver>; 25] = [
    DevAttr::rw(
        c_str!("forward_delay"),
        forward_delay_show,
        forward_delay_store,
    ),
    DevAttr::rw(c_str!("hello_time"), hello_time_show, hello_time_store),
    DevAttr::rw(c_str!("max_age"), max_age_show, max_age_store),
    DevAttr::rw(c_str!("ageing_time"), ageing_time_show, ageing_time_store),
    DevAttr::rw(c_str!("stp_state"), stp_state_show, stp_state_store),
    DevAttr::rw(
        c_str!("group_fwd_mask"),
        group_fwd_mask_show,
        group_fwd_mask_store,
    ),
    DevAttr::rw(c_str!("priority"), priority_show, priority_store),
    DevAttr::ro(c_str!("bridge_id"), bridge_id_show),
    DevAttr::ro(c_str!("root_id"), root_id_show),
    DevAttr::ro(c_str!("root_path_cost"), zero_show),
    DevAttr::ro(c_str!("root_port"), zero_show),
    DevAttr::ro(c_str!("topology_change"), zero_show),
    DevAttr::ro(c_str!("topology_change_detected"), zero_show),
    DevAttr::ro(c_str!("hello_timer"), zero_show),
    DevAttr::ro(c_str!("tcn_timer"), zero_show),
    DevAttr::ro(c_str!("topology_change_timer"), zero_show),
    DevAttr::ro(c_str!("gc_timer"), gc_timer_show),
    DevAttr::rw(c_str!("group_addr"), group_addr_show, group_addr_store),
    DevAttr::wo(c_str!("flush"), flush_store),
    DevAttr::rw(
        c_str!("no_linklocal_learn"),
        no_linklocal_learn_show,
        no_linklocal_learn_store,
    ),
    DevAttr::rw(c_str!("vlan_filtering"), zero_show, vlan_filtering_store),
    DevAttr::rw(
        c_str!("vlan_protocol"),
        vlan_protocol_show,
        vlan_protocol_store,
    ),
    DevAttr::rw(
        c_str!("default_pvid"),
        default_pvid_show,
        default_pvid_store,
    ),
    DevAttr::rw(c_str!("vlan_stats_enabled"), zero_show, vlan_stats_store),
    DevAttr::rw(
        c_str!("vlan_stats_per_port"),
        zero_show,
        vlan_stats_per_port_store,
    ),
];

static LIST: AttrList<DevAttr<BridgeDriver>, 25> =
    AttrList::<DevAttr<BridgeDriver>, 25>::new(&ATTRS);

/// `/sys/class/net/<br>/bridge/`, installed by `setup`.
pub(crate) static GROUP: DevGroup<BridgeDriver> = DevGroup::new(c_str!("bridge"), &LIST);

/// `sizeof(struct __fdb_entry)`, a `brforward` record.
pub(crate) const FDB_RECORD: usize = 16;

/// `brforward` (C: `brforward_read`, `br_fdb_fillbuf`): the FDB as
/// `struct __fdb_entry` records (address, port number low byte, is_local,
/// ageing timer in clock_t, port number high byte), skipping expired
/// entries and those of the bridge itself; whole records only.
fn brforward_read(dev: &Br, buf: &mut [u8], off: u64) -> Result<usize> {
    if off % FDB_RECORD as u64 != 0 {
        return Err(EINVAL);
    }
    Ok(fdb_fillbuf(dev, buf, off / FDB_RECORD as u64) * FDB_RECORD)
}

/// `br_fdb_fillbuf`: `struct __fdb_entry` records into `buf` (as many as
/// fit), after skipping `skip`; returns how many.
pub(crate) fn fdb_fillbuf(dev: &Br, buf: &mut [u8], mut skip: u64) -> usize {
    let b = dev.data();
    let max = buf.len() / FDB_RECORD;
    let hold = b.ageing_time.load(Ordering::Relaxed);
    let now = crate::netdev::bridge::jiffies();
    let mut n = 0;
    let rcu = RcuGuard::new();
    b.fdb.for_each(&rcu, |f| {
        let Some(p) = f.port.as_ref() else {
            return;
        };
        let fl = f.flags();
        let upd = f.updated.load(Ordering::Relaxed);
        if n >= max || crate::brlogic::fdb::expired(fl, upd, hold, now) {
            return;
        }
        if skip > 0 {
            skip -= 1;
            return;
        }
        let local = f.is_local();
        let age = if local {
            0
        } else {
            jiffies_to_clock_t(now.wrapping_sub(upd)) as u32
        };
        let mut r = [0u8; FDB_RECORD];
        r[..6].copy_from_slice(&f.addr);
        r[6] = p.port_no as u8;
        r[7] = u8::from(local);
        r[8..12].copy_from_slice(&age.to_ne_bytes());
        r[12] = (p.port_no >> 8) as u8;
        if let Some(out) = buf.get_mut(n * FDB_RECORD..(n + 1) * FDB_RECORD) {
            out.copy_from_slice(&r);
            n += 1;
        }
    });
    n
}

static BRFORWARD: DevBinAttr<BridgeDriver> = DevBinAttr::ro(c_str!("brforward"), brforward_read);

/// `brforward` and `brif/`, made once the bridge is registered (C:
/// `br_sysfs_addbr`).
pub(crate) fn add_bridge(dev: &Br, rtnl: &mut Rtnl) -> Result {
    let fwd = DevBinFile::new(dev, &BRFORWARD, rtnl)?;
    let dir = SysfsDir::new(dev, c_str!("brif"), rtnl)?;
    let mut ctl = dev.data().ctl.borrow_mut(rtnl)?;
    ctl.brif = Some(dir);
    ctl.brforward = Some(fwd);
    Ok(())
}

/// Removes `brif/` and `brforward` (C: `br_sysfs_delbr`), before
/// unregistration (the file holds a reference to the device).
pub(crate) fn del_bridge(dev: &Br, rtnl: &mut Rtnl) {
    let gone = match dev.data().ctl.borrow_mut(rtnl) {
        Ok(mut ctl) => (ctl.brif.take(), ctl.brforward.take()),
        Err(_) => (None, None),
    };
    drop(gone);
}
