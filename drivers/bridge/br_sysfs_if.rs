// SPDX-License-Identifier: GPL-2.0

//! A port's sysfs files (C: br_sysfs_if.c): `/sys/class/net/<port>/brport/*`
//! in C's order for a kernel without multicast snooping, the
//! `brport/bridge` link and the bridge's `brif/<port>` link to it.
//!
//! Writes parse as C's `brport_store` (`simple_strtoul`, base 0: leading
//! digits, the rest ignored; none is `EINVAL`), under RTNL, and announce a
//! change with an `RTM_NEWLINK` of the port (`br_ifinfo_notify`).

use crate::br_device::{BridgeDriver, Port};
use crate::br_fdb;
use crate::br_sysfs_br::{write_hex, write_id};
use crate::brlogic::{deliver::GROUPFWD_MACPAUSE, flags as pflags};
use crate::netdev::{
    bridge::{jiffies, jiffies_to_clock_t},
    bridge_link,
    device::IfName,
    errno,
    prelude::*,
    sysfs::{AttrList, PortAttr, PortGroup, SysfsBuf, SysfsDir},
};
use core::fmt::Write;
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*};

/// `simple_strtoul(buf, &endp, 0)` with `endp == buf` refused.
fn simple_ulong(s: &str) -> Result<u64> {
    let b = s.as_bytes();
    let (digits, radix): (&[u8], u64) = match b {
        [b'0', b'x' | b'X', rest @ ..] if rest.first().is_some_and(u8::is_ascii_hexdigit) => {
            (rest, 16)
        }
        [b'0', ..] => (b, 8),
        _ => (b, 10),
    };
    let mut v: u64 = 0;
    let mut n = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => u64::from(c - b'0'),
            b'a'..=b'f' => u64::from(c - b'a' + 10),
            b'A'..=b'F' => u64::from(c - b'A' + 10),
            _ => break,
        };
        if d >= radix {
            break;
        }
        v = v.wrapping_mul(radix).wrapping_add(d);
        n += 1;
    }
    if n == 0 {
        return Err(EINVAL);
    }
    Ok(v)
}

/// The bridge device of a port.
fn bridge(p: &Port) -> Result<&Device<BridgeDriver>> {
    p.br.downcast::<BridgeDriver>().ok_or(ENODEV)
}

/// A change made: the port's `RTM_NEWLINK` (C's `brport_store`).
fn stored(p: &Port, r: Result) -> Result {
    r?;
    bridge_link::notify(bridge(p)?, &p.dev, true);
    Ok(())
}

fn num(out: &mut SysfsBuf<'_>, v: u64) -> Result {
    writeln!(out, "{v}").map_err(|_| EINVAL)
}

fn path_cost_show(p: &Port, out: &mut SysfsBuf<'_>, _: &RcuGuard) -> Result {
    num(out, u64::from(p.path_cost.load(Ordering::Relaxed)))
}

/// `br_stp_set_path_cost`.
pub(crate) fn set_path_cost(p: &Port, v: u64) -> Result {
    if !(1..=65535).contains(&v) {
        return Err(errno::err(errno::ERANGE));
    }
    p.flags.fetch_or(pflags::ADMIN_COST, Ordering::Relaxed);
    p.path_cost.store(v as u32, Ordering::Relaxed);
    Ok(())
}

fn path_cost_store(p: &Port, s: &str, _: &mut Rtnl) -> Result {
    let v = simple_ulong(s)?;
    stored(p, set_path_cost(p, v))
}

fn priority_show(p: &Port, out: &mut SysfsBuf<'_>, _: &RcuGuard) -> Result {
    num(out, u64::from(p.priority.load(Ordering::Relaxed)))
}

/// `br_stp_set_port_priority`: at most `BR_MAX_PORT_PRIORITY`.
pub(crate) fn set_port_priority(p: &Port, v: u64) -> Result {
    if v > 63 {
        return Err(errno::err(errno::ERANGE));
    }
    p.priority.store(v as u16, Ordering::Relaxed);
    Ok(())
}

fn priority_store(p: &Port, s: &str, _: &mut Rtnl) -> Result {
    let v = simple_ulong(s)?;
    stored(p, set_port_priority(p, v))
}

/// Without STP every port is designated, with the bridge as root.
fn designated_id_show(p: &Port, out: &mut SysfsBuf<'_>, _: &RcuGuard) -> Result {
    write_id(out, p.designated_id())
}

fn designated_port_show(p: &Port, out: &mut SysfsBuf<'_>, _: &RcuGuard) -> Result {
    num(out, u64::from(p.port_id()))
}

fn zero_show(_: &Port, out: &mut SysfsBuf<'_>, _: &RcuGuard) -> Result {
    num(out, 0)
}

fn port_id_show(p: &Port, out: &mut SysfsBuf<'_>, _: &RcuGuard) -> Result {
    // `0x%x`, zero included.
    writeln!(out, "0x{:x}", p.port_id()).map_err(|_| EINVAL)
}

fn port_no_show(p: &Port, out: &mut SysfsBuf<'_>, _: &RcuGuard) -> Result {
    writeln!(out, "0x{:x}", p.port_no).map_err(|_| EINVAL)
}

fn state_show(p: &Port, out: &mut SysfsBuf<'_>, _: &RcuGuard) -> Result {
    num(out, p.state() as u64)
}

/// The port's forward-delay timer, in clock_t (`br_timer_value`).
pub(crate) fn forward_delay_timer(p: &Port) -> u64 {
    match p.fd_deadline.load(Ordering::Relaxed) {
        0 => 0,
        d => jiffies_to_clock_t((d.wrapping_sub(jiffies()) as i64).max(0) as u64),
    }
}

fn forward_delay_timer_show(p: &Port, out: &mut SysfsBuf<'_>, _: &RcuGuard) -> Result {
    num(out, forward_delay_timer(p))
}

fn flush_store(p: &Port, s: &str, _: &mut Rtnl) -> Result {
    simple_ulong(s)?;
    stored(p, bridge(p).map(|br| br_fdb::delete_dynamic_of(br, p)))
}

fn group_fwd_mask_show(p: &Port, out: &mut SysfsBuf<'_>, _: &RcuGuard) -> Result {
    write_hex(out, u32::from(p.group_fwd_mask.load(Ordering::Relaxed)))
}

fn group_fwd_mask_store(p: &Port, s: &str, _: &mut Rtnl) -> Result {
    let v = simple_ulong(s)?;
    stored(
        p,
        if v & u64::from(GROUPFWD_MACPAUSE) != 0 {
            Err(EINVAL)
        } else {
            p.group_fwd_mask.store(v as u16, Ordering::Relaxed);
            Ok(())
        },
    )
}

/// No backup port is ever set (`backup_port` is refused): empty.
fn backup_port_show(_: &Port, _: &mut SysfsBuf<'_>, _: &RcuGuard) -> Result {
    Ok(())
}

fn backup_port_store(p: &Port, s: &str, _: &mut Rtnl) -> Result {
    let name = s.split('\n').next().unwrap_or("");
    if name.is_empty() {
        // Clearing the (absent) backup port.
        return stored(p, Ok(()));
    }
    pr_err!(
        "{}: rvnet_bridge: backup_port is not supported\n",
        p.br.name()
    );
    Err(errno::err(errno::EOPNOTSUPP))
}

/// Flag files: `show` prints 0/1, `store` sets or clears the flag (C's
/// `store_flag`); flags this bridge does not implement are refused when
/// set, by name.
macro_rules! flag_file {
    ($show:ident, $store:ident, $flag:expr, $unsupported:expr) => {
        fn $show(p: &Port, out: &mut SysfsBuf<'_>, _: &RcuGuard) -> Result {
            num(out, u64::from(p.flags() & $flag != 0))
        }

        fn $store(p: &Port, s: &str, _: &mut Rtnl) -> Result {
            let on = simple_ulong(s)? != 0;
            let unsupported: Option<&str> = $unsupported;
            if let (true, Some(what)) = (on, unsupported) {
                pr_err!(
                    "{}: rvnet_bridge: {} is not supported\n",
                    p.dev.name(),
                    what
                );
                return Err(errno::err(errno::EOPNOTSUPP));
            }
            if on {
                p.flags.fetch_or($flag, Ordering::Relaxed);
            } else {
                p.flags.fetch_and(!$flag, Ordering::Relaxed);
            }
            stored(p, Ok(()))
        }
    };
}

flag_file!(hairpin_show, hairpin_store, pflags::HAIRPIN_MODE, None);
flag_file!(bpdu_guard_show, bpdu_guard_store, pflags::BPDU_GUARD, None);
flag_file!(root_block_show, root_block_store, pflags::ROOT_BLOCK, None);
flag_file!(learning_show, learning_store, pflags::LEARNING, None);
flag_file!(uflood_show, uflood_store, pflags::FLOOD, None);
flag_file!(
    proxyarp_show,
    proxyarp_store,
    pflags::PROXYARP,
    Some("proxyarp")
);
flag_file!(
    proxyarp_wifi_show,
    proxyarp_wifi_store,
    pflags::PROXYARP_WIFI,
    Some("proxyarp_wifi")
);
flag_file!(mflood_show, mflood_store, pflags::MCAST_FLOOD, None);
flag_file!(bflood_show, bflood_store, pflags::BCAST_FLOOD, None);
flag_file!(
    neigh_suppress_show,
    neigh_suppress_store,
    pflags::NEIGH_SUPPRESS,
    Some("neigh_suppress")
);
flag_file!(isolated_show, isolated_store, pflags::ISOLATED, None);

static ATTRS: [PortAttr<Port>; 28] = [
    PortAttr::rw(c_str!("path_cost"), path_cost_show, path_cost_store),
    PortAttr::rw(c_str!("priority"), priority_show, priority_store),
    PortAttr::ro(c_str!("port_id"), port_id_show),
    PortAttr::ro(c_str!("port_no"), port_no_show),
    PortAttr::ro(c_str!("designated_root"), designated_id_show),
    PortAttr::ro(c_str!("designated_bridge"), designated_id_show),
    PortAttr::ro(c_str!("designated_port"), designated_port_show),
    PortAttr::ro(c_str!("designated_cost"), zero_show),
    PortAttr::ro(c_str!("state"), state_show),
    PortAttr::ro(c_str!("change_ack"), zero_show),
    PortAttr::ro(c_str!("config_pending"), zero_show),
    PortAttr::ro(c_str!("message_age_timer"), zero_show),
    PortAttr::ro(c_str!("forward_delay_timer"), forward_delay_timer_show),
    PortAttr::ro(c_str!("hold_timer"), zero_show),
    PortAttr::wo(c_str!("flush"), flush_store),
    PortAttr::rw(c_str!("hairpin_mode"), hairpin_show, hairpin_store),
    PortAttr::rw(c_str!("bpdu_guard"), bpdu_guard_show, bpdu_guard_store),
    PortAttr::rw(c_str!("root_block"), root_block_show, root_block_store),
    PortAttr::rw(c_str!("learning"), learning_show, learning_store),
    PortAttr::rw(c_str!("unicast_flood"), uflood_show, uflood_store),
    PortAttr::rw(c_str!("proxyarp"), proxyarp_show, proxyarp_store),
    PortAttr::rw(
        c_str!("proxyarp_wifi"),
        proxyarp_wifi_show,
        proxyarp_wifi_store,
    ),
    PortAttr::rw(c_str!("multicast_flood"), mflood_show, mflood_store),
    PortAttr::rw(c_str!("broadcast_flood"), bflood_show, bflood_store),
    PortAttr::rw(
        c_str!("group_fwd_mask"),
        group_fwd_mask_show,
        group_fwd_mask_store,
    ),
    PortAttr::rw(
        c_str!("neigh_suppress"),
        neigh_suppress_show,
        neigh_suppress_store,
    ),
    PortAttr::rw(c_str!("isolated"), isolated_show, isolated_store),
    PortAttr::rw(c_str!("backup_port"), backup_port_show, backup_port_store),
];

static LIST: AttrList<PortAttr<Port>, 28> = AttrList::<PortAttr<Port>, 28>::new(&ATTRS);
static GROUP: PortGroup<Port> = PortGroup::new(&LIST);

/// A port's sysfs presence: its `brport/` and the name of its link in
/// the bridge's `brif/`.
pub(crate) struct PortSysfs {
    dir: SysfsDir,
    name: IfName,
}

/// Makes `brport/` (with the `bridge` link) for `slave`, whose rx_handler
/// is registered, and its link in the bridge's `brif/` (C:
/// `br_sysfs_addif`).
pub(crate) fn add_port(
    dev: &Device<BridgeDriver>,
    slave: &NetDevice,
    rtnl: &mut Rtnl,
) -> Result<PortSysfs> {
    let dir = SysfsDir::new_port(slave, c_str!("brport"), &GROUP, rtnl)?;
    dir.link_dev(c_str!("bridge"), dev)?;
    let name = slave.name();
    if let Some(brif) = dev.data().ctl.borrow(rtnl)?.brif.as_ref() {
        brif.link_dir(name.as_cstr(), &dir)?;
    }
    Ok(PortSysfs { dir, name })
}

/// Removes the port's `brif/` link; its `brport/` goes when `s` is
/// dropped (C: `del_nbp`).
pub(crate) fn del_port(dev: &Device<BridgeDriver>, s: PortSysfs, rtnl: &Rtnl) {
    if let Ok(ctl) = dev.data().ctl.borrow(rtnl) {
        if let Some(brif) = ctl.brif.as_ref() {
            brif.unlink(s.name.as_cstr());
        }
    }
    drop(s);
}

/// The port device was renamed: so is its link in `brif` (C:
/// `br_sysfs_renameif`).
pub(crate) fn rename_port(br: &NetDevice, brif: &SysfsDir, slave: &NetDevice, s: &mut PortSysfs) {
    let new = slave.name();
    if new.as_bytes() == s.name.as_bytes() {
        return;
    }
    if brif
        .rename_link(&s.dir, s.name.as_cstr(), new.as_cstr())
        .is_ok()
    {
        s.name = new;
    } else {
        pr_notice!(
            "{}: unable to rename link {} to {}\n",
            br.name(),
            s.name,
            new
        );
    }
}
