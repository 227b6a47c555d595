// SPDX-License-Identifier: GPL-2.0

//! `/sys/class/net/bonding_masters` and `/sys/class/net/<bond>/bonding/*`
//! (C: `bond_sysfs.c`). `bonding_masters` is a file of each namespace
//! (the layer's `class_file`) listing its bonds, `+NAME` creating one and
//! `-NAME` deleting one. `bonding/` has every file of C's `bonding`
//! group, in its order, with its mode and format; writes go through the
//! option code netlink uses (`bond_options.rs`), as C's
//! `bonding_sysfs_store_option` goes through `__bond_opt_set`. The
//! layer's stores take RTNL as C's (`rtnl_trylock` or
//! `restart_syscall`).

use crate::bond_dev::{Bond, BondDriver, Config, Mode};
use crate::bond_options::{self, Changed, Input, Opt, OptErr, Report, Target};
use crate::bond_slave;
use crate::netdev::{
    class_file::{ClassFileId, NetClassFile},
    device::{IfName, MacFmt},
    link::LinkHandle,
    lower::capable_net_admin,
    prelude::*,
    sysfs::{AttrList, DevAttr, DevGroup, SysfsBuf},
};
use core::fmt::Write;
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*};

type Bd = Device<BondDriver>;

/// The live configuration (from the RCU snapshot).
fn cfg(dev: &Bd) -> Option<Config> {
    let rcu = RcuGuard::new();
    dev.data().snap.get(&rcu).map(|s| s.cfg.0)
}

/// "NAME VALUE" of an option with named values.
fn named(out: &mut SysfsBuf<'_>, opt: Opt, v: u64) -> Result {
    writeln!(out, "{} {}", opt.value_name(v).unwrap_or(""), v).map_err(|_| EINVAL)
}

fn num(out: &mut SysfsBuf<'_>, v: impl core::fmt::Display) -> Result {
    writeln!(out, "{}", v).map_err(|_| EINVAL)
}

fn mac(out: &mut SysfsBuf<'_>, m: &[u8; 6]) -> Result {
    writeln!(out, "{}", MacFmt(m)).map_err(|_| EINVAL)
}

/// A list of words, space-separated, the last space made a newline
/// (C: `buf[res-1] = '\n'`); nothing at all for an empty list.
fn words<I: Iterator<Item = W>, W: core::fmt::Display>(out: &mut SysfsBuf<'_>, it: I) -> Result {
    let mut first = true;
    for w in it {
        if !first {
            out.push(b" ");
        }
        first = false;
        write!(out, "{}", w).map_err(|_| EINVAL)?;
    }
    if !first {
        out.push(b"\n");
    }
    Ok(())
}

fn slaves_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let rcu = RcuGuard::new();
    let Some(s) = dev.data().snap.get(&rcu) else {
        return Ok(());
    };
    words(out, s.slaves.iter().map(|p| p.dev.name()))
}

fn queue_id_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    struct Q(IfName, u16);
    impl core::fmt::Display for Q {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            write!(f, "{}:{}", self.0, self.1)
        }
    }
    let rcu = RcuGuard::new();
    let Some(s) = dev.data().snap.get(&rcu) else {
        return Ok(());
    };
    words(
        out,
        s.slaves
            .iter()
            .map(|p| Q(p.dev.name(), p.queue_id.load(Ordering::Relaxed))),
    )
}

fn arp_ip_target_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    words(out, c.arp_targets.iter().map(crate::bond_arp::pi4))
}

fn mode_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    named(out, Opt::Mode, c.mode.raw().into())
}

fn xmit_hash_policy_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    named(out, Opt::XmitHash, c.policy.raw().into())
}

fn arp_validate_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    named(out, Opt::ArpValidate, c.arp_validate.raw().into())
}

fn arp_all_targets_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    named(out, Opt::ArpAllTargets, c.arp_all_targets.into())
}

fn lacp_active_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    named(out, Opt::LacpActive, c.ad.lacp_active.into())
}

fn lacp_rate_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    named(out, Opt::LacpRate, c.ad.lacp_fast.into())
}

fn ad_select_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    named(out, Opt::AdSelect, c.ad.ad_select as u64)
}

fn primary_reselect_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    named(out, Opt::PrimaryReselect, c.primary_reselect as u64)
}

fn fail_over_mac_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    named(out, Opt::FailOverMac, c.fo.fail_over_mac.into())
}

fn num_peer_notif_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, c.fo.num_peer_notif)
}

fn use_carrier_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, u8::from(c.fo.use_carrier))
}

fn all_slaves_active_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, u8::from(c.fo.all_slaves_active))
}

fn resend_igmp_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, c.fo.resend_igmp)
}

fn peer_notif_delay_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, c.fo.peer_notif_delay * c.miimon)
}

fn lp_interval_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, c.lp_interval)
}

fn tlb_dynamic_lb_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, u8::from(c.tlb_dynamic_lb))
}

fn arp_interval_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, c.arp_interval)
}

fn arp_missed_max_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, c.missed_max)
}

fn downdelay_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, c.downdelay * c.miimon)
}

fn updelay_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, c.updelay * c.miimon)
}

fn min_links_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, c.ad.min_links)
}

fn miimon_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, c.miimon)
}

fn packets_per_slave_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let Some(c) = cfg(dev) else { return Ok(()) };
    num(out, c.packets_per_slave)
}

fn primary_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let rcu = RcuGuard::new();
    let Some(s) = dev.data().snap.get(&rcu) else {
        return Ok(());
    };
    match s.primary.and_then(|i| s.slaves.get(i)) {
        Some(p) => num(out, p.dev.name()),
        None => Ok(()),
    }
}

fn active_slave_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    let rcu = RcuGuard::new();
    let Some(s) = dev.data().snap.get(&rcu) else {
        return Ok(());
    };
    match s.active.and_then(|i| s.slaves.get(i)) {
        Some(p) => num(out, p.dev.name()),
        None => Ok(()),
    }
}

fn mii_status_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    num(out, if dev.carrier_ok() { "up" } else { "down" })
}

/// An 802.3ad file: only in that mode, some only for `CAP_NET_ADMIN`.
fn lacp_only(dev: &Bd, admin: bool) -> Option<Config> {
    cfg(dev).filter(|c| c.mode == Mode::Lacp && (!admin || capable_net_admin()))
}

fn ad_aggregator_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    if lacp_only(dev, false).is_none() {
        return Ok(());
    }
    let info = dev.data().ad.lock().active_info();
    num(out, info.map_or(0, |i| i.aggregator_id))
}

fn ad_num_ports_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    if lacp_only(dev, false).is_none() {
        return Ok(());
    }
    let info = dev.data().ad.lock().active_info();
    num(out, info.map_or(0, |i| i.ports))
}

fn ad_actor_key_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    if lacp_only(dev, true).is_none() {
        return Ok(());
    }
    let info = dev.data().ad.lock().active_info();
    num(out, info.map_or(0, |i| i.actor_key))
}

fn ad_partner_key_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    if lacp_only(dev, true).is_none() {
        return Ok(());
    }
    let info = dev.data().ad.lock().active_info();
    num(out, info.map_or(0, |i| i.partner_key))
}

fn ad_partner_mac_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    if lacp_only(dev, true).is_none() {
        return Ok(());
    }
    let info = dev.data().ad.lock().active_info();
    match info {
        Some(i) => mac(out, &i.partner_system),
        None => Ok(()),
    }
}

fn ad_actor_sys_prio_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    match lacp_only(dev, true) {
        Some(c) => num(out, c.ad.sys_prio),
        None => Ok(()),
    }
}

fn ad_actor_system_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    match lacp_only(dev, true) {
        Some(c) => mac(out, &c.ad.actor_system),
        None => Ok(()),
    }
}

fn ad_user_port_key_show(dev: &Bd, out: &mut SysfsBuf<'_>) -> Result {
    match lacp_only(dev, true) {
        Some(c) => num(out, c.ad.user_port_key),
        None => Ok(()),
    }
}

/// `dev_valid_name`.
fn valid_name(n: &[u8]) -> bool {
    !n.is_empty()
        && n.len() < 16
        && n != b"."
        && n != b".."
        && !n
            .iter()
            .any(|&c| c == b'/' || c == b':' || c.is_ascii_whitespace())
}

/// `sscanf(s, "%Ns")`: the first word, at most `n` bytes.
fn first_word(s: &str, n: usize) -> &[u8] {
    let w = s.split_ascii_whitespace().next().unwrap_or("").as_bytes();
    w.get(..w.len().min(n)).unwrap_or(w)
}

/// `mac_pton`: six hex pairs separated by `:` or `-` (what follows is
/// not looked at).
fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let b = s.as_bytes();
    if b.len() < 17 {
        return None;
    }
    let mut m = [0u8; 6];
    for (i, o) in m.iter_mut().enumerate() {
        let hi = (*b.get(3 * i)? as char).to_digit(16)?;
        let lo = (*b.get(3 * i + 1)? as char).to_digit(16)?;
        if i < 5 && !matches!(b.get(3 * i + 2)?, b':' | b'-') {
            return None;
        }
        *o = (hi * 16 + lo) as u8;
    }
    Some(m)
}

/// `in4_pton(s, -1, .., -1, NULL)`: a dotted quad, ended by the end or
/// by a character that is neither a hex digit, `.` nor `:`.
fn parse_ipv4(s: &str) -> Option<u32> {
    let end = s
        .find(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'))
        .unwrap_or(s.len());
    let mut parts = s.get(..end)?.split('.');
    let mut v: u32 = 0;
    for _ in 0..4 {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let n: u32 = p.parse().ok()?;
        if n > 255 {
            return None;
        }
        v = v << 8 | n;
    }
    parts.next().is_none().then_some(v)
}

/// `bond_option_arp_ip_targets_set` with text: `+ADDR` adds, `-ADDR`
/// removes; the slot that changed is returned with whether it was added.
fn arp_target_cmd(bond: &NetDevice, cfg: &mut Config, s: &str) -> Result<(usize, bool), OptErr> {
    let Some(ip) = s.get(1..).and_then(parse_ipv4) else {
        crate::netdev_err!(bond, "invalid ARP target specified\n");
        return Err(OptErr::Plain(EPERM));
    };
    let show = crate::bond_arp::pi4(ip);
    match s.as_bytes().first() {
        Some(b'+') => match cfg.arp_targets.add(ip) {
            Ok(i) => Ok((i, true)),
            Err(e) => {
                bond_options::target_error(bond, e, "ARP", show, "addition");
                Err(OptErr::Inval)
            }
        },
        Some(b'-') => match cfg.arp_targets.remove(ip) {
            Ok(Some(i)) => {
                if i == 0 && cfg.arp_targets.is_empty() && cfg.arp_interval != 0 {
                    crate::netdev_warn!(bond, "Removing last arp target with arp_interval on\n");
                }
                Ok((i, false))
            }
            Ok(None) => {
                crate::netdev_err!(bond, "unable to remove nonexistent ARP target {}\n", show);
                Err(OptErr::Inval)
            }
            Err(e) => {
                bond_options::target_error(bond, e, "ARP", show, "removal");
                Err(OptErr::Inval)
            }
        },
        _ => {
            crate::netdev_err!(
                bond,
                "no command found in arp_ip_targets file - use +<addr> or -<addr>\n"
            );
            Err(OptErr::Plain(EPERM))
        }
    }
}

/// `bonding_sysfs_store_option` for the options that set the
/// configuration: applied to a copy, committed if accepted.
fn store(dev: &Bd, opt: Opt, s: &str, rtnl: &mut Rtnl) -> Result {
    let b = dev.data();
    let (mut cfg, has_slaves, xdp) = {
        let ctl = b.ctl.borrow(rtnl)?;
        (ctl.cfg, !ctl.slaves.is_empty(), ctl.xdp.is_some())
    };
    let old = cfg;
    let mode = cfg.mode;
    let t = Target {
        bond: dev.net_device(),
        has_slaves,
        up: dev.is_up(),
        xdp,
    };
    let mut ch = Changed::default();
    let mut arp_slot = None;
    let r = match opt {
        Opt::ArpTargets => {
            arp_target_cmd(dev.net_device(), &mut cfg, s).map(|x| arp_slot = Some(x))
        }
        Opt::Primary => {
            ch.primary = true;
            bond_options::set_primary(&mut cfg, &t, IfName::new(first_word(s, 15)))
        }
        Opt::AdActorSystem => {
            ch.actor = true;
            bond_options::set_actor_system(&mut cfg, &t, parse_mac(s))
        }
        _ => {
            ch.actor = opt == Opt::AdActorSysPrio;
            ch.reselect = opt == Opt::PrimaryReselect;
            ch.mode = opt == Opt::Mode;
            bond_options::set(&mut cfg, &t, opt, Input::Str(s))
        }
    };
    r.map_err(|e| Report::Log(dev.net_device()).error(opt, e, Input::Str(s), mode))?;
    bond_options::commit(dev, &old, &cfg, ch, rtnl)?;
    if let Some((slot, added)) = arp_slot {
        // `_bond_options_arp_ip_target_set` / `bond_option_arp_ip_target_rem`:
        // each slave's clock of the new slot starts now; on removal the
        // later ones move up.
        let ctl = b.ctl.borrow(rtnl)?;
        let now = crate::netdev::arp::jiffies();
        for sl in ctl.slaves.iter() {
            let rx = &sl.port.target_rx;
            if added {
                rx[slot].store(now, Ordering::Relaxed);
            } else {
                for i in slot..rx.len() - 1 {
                    rx[i].store(rx[i + 1].load(Ordering::Relaxed), Ordering::Relaxed);
                }
                rx[rx.len() - 1].store(0, Ordering::Relaxed);
            }
        }
    }
    bond_options::publish(dev, rtnl)?;
    // `__bond_opt_set_notify`.
    dev.info_change(rtnl);
    Ok(())
}

/// The bond kind, for `bonding_masters` to create bonds (registered by
/// the module with `new_with_handle`).
pub(crate) static LINK: LinkHandle<BondDriver> = LinkHandle::new();

/// `/sys/class/net/bonding_masters` (C: `class_attr_bonding_masters`).
pub(crate) struct BondingMasters;

static MASTERS: ClassFileId<BondingMasters> = ClassFileId::new();

impl NetClassFile for BondingMasters {
    const NAME: &'static CStr = c_str!("bonding_masters");

    fn id() -> &'static ClassFileId<Self> {
        &MASTERS
    }

    /// `bonding_show_bonds`: the namespace's bonds, in creation order.
    fn show(net: &Net, out: &mut SysfsBuf<'_>, rcu: &RcuGuard) -> Result {
        words(
            out,
            NetDevice::for_each_rcu(net, rcu)
                .filter(|d| d.downcast::<BondDriver>().is_some())
                .map(|d| d.name()),
        )
    }

    /// `bonding_store_bonds`.
    fn store(net: &Net, text: &str, rtnl: &mut Rtnl) -> Result {
        let cmd = first_word(text, 16);
        let name = cmd.get(1..).unwrap_or(b"");
        let shown = core::str::from_utf8(name).unwrap_or("?");
        match cmd.first() {
            Some(b'+') if valid_name(name) => {
                // bond_sysfs.c's `pr_fmt`: C's module name first, as the
                // lines of `bonding_masters` read in C.
                crate::printk_info!("bonding: {} is being created...\n", shown);
                let r = Bond::new(Config::default()).and_then(|b| LINK.create(net, name, b, rtnl));
                match r {
                    Ok(_) => Ok(()),
                    Err(e) => {
                        if e == EEXIST {
                            crate::printk_info!("bonding: {} already exists\n", shown);
                        } else {
                            crate::printk_info!("bonding: {} creation failed\n", shown);
                        }
                        Err(e)
                    }
                }
            }
            Some(b'-') if valid_name(name) => {
                let bond = NetDevice::get_by_name(net, name, rtnl)
                    .and_then(|d| d.downcast::<BondDriver>())
                    .map(|d| d.net_device().hold());
                match bond.as_deref().and_then(|d| d.downcast::<BondDriver>()) {
                    Some(b) => {
                        crate::printk_info!("bonding: {} is being deleted...\n", shown);
                        b.delete(rtnl);
                        Ok(())
                    }
                    None => {
                        crate::printk_err!("bonding: unable to delete non-existent {}\n", shown);
                        Err(ENODEV)
                    }
                }
            }
            _ => {
                crate::printk_err!(
                    "bonding: no command found in bonding_masters - use +ifname or -ifname\n"
                );
                Err(EPERM)
            }
        }
    }
}

/// `bond_option_slaves_set`: `+IF` enslaves, `-IF` releases.
fn slaves_store(dev: &Bd, s: &str, rtnl: &mut Rtnl) -> Result {
    let cmd = first_word(s, 16);
    let (Some(&op), Some(name)) = (cmd.first(), cmd.get(1..)) else {
        return Err(no_cmd(dev));
    };
    if !(op == b'+' || op == b'-') || !valid_name(name) {
        return Err(no_cmd(dev));
    }
    let Some(slave) = NetDevice::get_by_name(dev.net(), name, rtnl).map(|d| d.hold()) else {
        let mode = dev.data().ctl.borrow(rtnl)?.cfg.mode;
        return Err(Report::Log(dev.net_device()).error(
            Opt::Slaves,
            OptErr::NoDev,
            Input::Str(s),
            mode,
        ));
    };
    let r = if op == b'+' {
        bond_slave::enslave(dev, &slave, &mut ExtAck::discard(), rtnl)
    } else {
        bond_slave::release(dev, &slave, false, rtnl)
    };
    if let Err(e) = r {
        // C: the code goes through `bond_opt_error_interpret`.
        let mode = dev.data().ctl.borrow(rtnl)?.cfg.mode;
        let mut report = Report::Log(dev.net_device());
        return Err(report.error(Opt::Slaves, OptErr::interpreted(e), Input::Str(s), mode));
    }
    dev.info_change(rtnl);
    Ok(())
}

fn no_cmd(dev: &Bd) -> Error {
    crate::netdev_err!(
        dev.net_device(),
        "no command found in slaves file - use +ifname or -ifname\n"
    );
    EPERM
}

/// `bond_option_active_slave_set` with a name (empty: clear).
fn active_slave_store(dev: &Bd, s: &str, rtnl: &mut Rtnl) -> Result {
    let name = first_word(s, 15);
    let mode = dev.data().ctl.borrow(rtnl)?.cfg.mode;
    let r = (|| {
        if !mode.uses_primary() {
            return Err(OptErr::Access);
        }
        let slave = if name.is_empty() || s.starts_with('\n') {
            None
        } else {
            Some(
                NetDevice::get_by_name(dev.net(), name, rtnl)
                    .map(|d| d.hold())
                    .ok_or(OptErr::NoDev)?,
            )
        };
        bond_options::set_active(dev, slave.as_deref(), rtnl)
    })();
    r.map_err(|e| Report::Log(dev.net_device()).error(Opt::ActiveSlave, e, Input::Str(s), mode))?;
    dev.info_change(rtnl);
    Ok(())
}

/// `bond_option_queue_id_set`: `IF:QID`.
fn queue_id_store(dev: &Bd, s: &str, rtnl: &mut Rtnl) -> Result {
    let bad = || EPERM;
    let (name, qid) = s.split_once(':').ok_or_else(bad)?;
    let qid: u16 = qid.trim_end().parse().map_err(|_| bad())?;
    if !valid_name(name.as_bytes()) {
        return Err(bad());
    }
    let slave = NetDevice::get_by_name(dev.net(), name.as_bytes(), rtnl)
        .ok_or_else(bad)?
        .hold();
    crate::bond_queue::set_queue_id(dev, &*dev.data().ctl.borrow(rtnl)?, &slave, qid)?;
    dev.info_change(rtnl);
    Ok(())
}

/// One store function per option file (a store gets no file name).
macro_rules! stores {
    ($($f:ident: $opt:expr),* $(,)?) => {$(
        fn $f(dev: &Bd, s: &str, rtnl: &mut Rtnl) -> Result {
            store(dev, $opt, s, rtnl)
        }
    )*};
}

stores! {
    mode_store: Opt::Mode,
    fail_over_mac_store: Opt::FailOverMac,
    arp_validate_store: Opt::ArpValidate,
    arp_all_targets_store: Opt::ArpAllTargets,
    arp_interval_store: Opt::ArpInterval,
    arp_ip_target_store: Opt::ArpTargets,
    downdelay_store: Opt::Downdelay,
    updelay_store: Opt::Updelay,
    peer_notif_delay_store: Opt::PeerNotifDelay,
    lacp_active_store: Opt::LacpActive,
    lacp_rate_store: Opt::LacpRate,
    ad_select_store: Opt::AdSelect,
    xmit_hash_policy_store: Opt::XmitHash,
    num_grat_arp_store: Opt::NumGratArp,
    num_unsol_na_store: Opt::NumPeerNotif,
    miimon_store: Opt::Miimon,
    primary_store: Opt::Primary,
    primary_reselect_store: Opt::PrimaryReselect,
    use_carrier_store: Opt::UseCarrier,
    all_slaves_active_store: Opt::AllSlavesActive,
    resend_igmp_store: Opt::ResendIgmp,
    min_links_store: Opt::MinLinks,
    lp_interval_store: Opt::LpInterval,
    packets_per_slave_store: Opt::PacketsPerSlave,
    tlb_dynamic_lb_store: Opt::TlbDynamicLb,
    ad_actor_sys_prio_store: Opt::AdActorSysPrio,
    ad_actor_system_store: Opt::AdActorSystem,
    ad_user_port_key_store: Opt::AdUserPortKey,
    arp_missed_max_store: Opt::MissedMax,
}

/// C's `per_bond_attrs`, in its order.
static ATTRS: [DevAttr<BondDriver>; 38] = [
    DevAttr::rw(c_str!("slaves"), slaves_show, slaves_store),
    DevAttr::rw(c_str!("mode"), mode_show, mode_store),
    DevAttr::rw(
        c_str!("fail_over_mac"),
        fail_over_mac_show,
        fail_over_mac_store,
    ),
    DevAttr::rw(
        c_str!("arp_validate"),
        arp_validate_show,
        arp_validate_store,
    ),
    DevAttr::rw(
        c_str!("arp_all_targets"),
        arp_all_targets_show,
        arp_all_targets_store,
    ),
    DevAttr::rw(
        c_str!("arp_interval"),
        arp_interval_show,
        arp_interval_store,
    ),
    DevAttr::rw(
        c_str!("arp_ip_target"),
        arp_ip_target_show,
        arp_ip_target_store,
    ),
    DevAttr::rw(c_str!("downdelay"), downdelay_show, downdelay_store),
    DevAttr::rw(c_str!("updelay"), updelay_show, updelay_store),
    DevAttr::rw(
        c_str!("peer_notif_delay"),
        peer_notif_delay_show,
        peer_notif_delay_store,
    ),
    DevAttr::rw(c_str!("lacp_active"), lacp_active_show, lacp_active_store),
    DevAttr::rw(c_str!("lacp_rate"), lacp_rate_show, lacp_rate_store),
    DevAttr::rw(c_str!("ad_select"), ad_select_show, ad_select_store),
    DevAttr::rw(
        c_str!("xmit_hash_policy"),
        xmit_hash_policy_show,
        xmit_hash_policy_store,
    ),
    DevAttr::rw(
        c_str!("num_grat_arp"),
        num_peer_notif_show,
        num_grat_arp_store,
    ),
    DevAttr::rw(
        c_str!("num_unsol_na"),
        num_peer_notif_show,
        num_unsol_na_store,
    ),
    DevAttr::rw(c_str!("miimon"), miimon_show, miimon_store),
    DevAttr::rw(c_str!("primary"), primary_show, primary_store),
    DevAttr::rw(
        c_str!("primary_reselect"),
        primary_reselect_show,
        primary_reselect_store,
    ),
    DevAttr::rw(c_str!("use_carrier"), use_carrier_show, use_carrier_store),
    DevAttr::rw(
        c_str!("active_slave"),
        active_slave_show,
        active_slave_store,
    ),
    DevAttr::ro(c_str!("mii_status"), mii_status_show),
    DevAttr::ro(c_str!("ad_aggregator"), ad_aggregator_show),
    DevAttr::ro(c_str!("ad_num_ports"), ad_num_ports_show),
    DevAttr::ro(c_str!("ad_actor_key"), ad_actor_key_show),
    DevAttr::ro(c_str!("ad_partner_key"), ad_partner_key_show),
    DevAttr::ro(c_str!("ad_partner_mac"), ad_partner_mac_show),
    DevAttr::rw(c_str!("queue_id"), queue_id_show, queue_id_store),
    DevAttr::rw(
        c_str!("all_slaves_active"),
        all_slaves_active_show,
        all_slaves_active_store,
    ),
    DevAttr::rw(c_str!("resend_igmp"), resend_igmp_show, resend_igmp_store),
    DevAttr::rw(c_str!("min_links"), min_links_show, min_links_store),
    DevAttr::rw(c_str!("lp_interval"), lp_interval_show, lp_interval_store),
    DevAttr::rw(
        c_str!("packets_per_slave"),
        packets_per_slave_show,
        packets_per_slave_store,
    ),
    DevAttr::rw(
        c_str!("tlb_dynamic_lb"),
        tlb_dynamic_lb_show,
        tlb_dynamic_lb_store,
    ),
    DevAttr::rw(
        c_str!("ad_actor_sys_prio"),
        ad_actor_sys_prio_show,
        ad_actor_sys_prio_store,
    ),
    DevAttr::rw(
        c_str!("ad_actor_system"),
        ad_actor_system_show,
        ad_actor_system_store,
    ),
    DevAttr::rw(
        c_str!("ad_user_port_key"),
        ad_user_port_key_show,
        ad_user_port_key_store,
    ),
    DevAttr::rw(
        c_str!("arp_missed_max"),
        arp_missed_max_show,
        arp_missed_max_store,
    ),
];

static LIST: AttrList<DevAttr<BondDriver>, 38> = AttrList::<DevAttr<BondDriver>, 38>::new(&ATTRS);

/// The `bonding` group (C: `bonding_group`), every bond's from setup.
pub(crate) static GROUP: DevGroup<BondDriver> = DevGroup::new(c_str!("bonding"), &LIST);
