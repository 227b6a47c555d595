// SPDX-License-Identifier: GPL-2.0

//! `ip link add NAME type bond ...`, `ip link set NAME type bond ...` and
//! `ip -d link show` (C: `bond_netlink.c`, the options of
//! `bond_options.c` that rvnet_bond supports, with their errors and
//! extack messages).

use crate::bond_3ad;
use crate::bond_arp::pi4;
use crate::bond_dev::{monitors_changed, Bond, BondDriver, Config, Mode};
use crate::bond_slave;
use crate::iptun::fmt::Ipv6c;
use crate::lacp::aggregator::AdSelect;
use crate::netdev::{
    errno,
    link::XstatsOf,
    lower::capable_net_admin,
    nla::{check_eth_addr, nla_total_size},
    prelude::*,
    txsel::{
        activebackup::PrimaryReselect,
        arpmon::{self, ArpValidate, TargetError, Targets},
        hash::XmitPolicy,
    },
    uapi::bond,
};
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*};

/// The attributes this driver acts on; any other one is refused.
const SUPPORTED: [u32; 23] = [
    bond::MODE,
    bond::ARP_INTERVAL,
    bond::ARP_IP_TARGET,
    bond::NS_IP6_TARGET,
    bond::ARP_VALIDATE,
    bond::ARP_ALL_TARGETS,
    bond::MISSED_MAX,
    bond::PRIMARY_RESELECT,
    bond::ACTIVE_SLAVE,
    bond::MIIMON,
    bond::UPDELAY,
    bond::DOWNDELAY,
    bond::PRIMARY,
    bond::XMIT_HASH_POLICY,
    bond::PACKETS_PER_SLAVE,
    bond::MIN_LINKS,
    bond::AD_LACP_ACTIVE,
    bond::AD_LACP_RATE,
    bond::AD_SELECT,
    bond::AD_ACTOR_SYS_PRIO,
    bond::AD_USER_PORT_KEY,
    bond::AD_ACTOR_SYSTEM,
    bond::COUPLED_CONTROL,
];

fn eacces() -> Error {
    EACCES
}

fn einval_attr(extack: &mut ExtAck, a: &Nla) -> Error {
    extack.fail_attr(Some(a), c_str!("invalid option value"), EINVAL)
}

fn not_in_mode(extack: &mut ExtAck, a: &Nla) -> Error {
    extack.fail_attr(Some(a), c_str!("option not supported in mode"), eacces())
}

/// C's `bond_opt_check_deps` for an option of mode 802.3ad only
/// (`unsuppmodes`) and/or one that needs the bond down
/// (`BOND_OPTFLAG_IFDOWN`).
fn check_deps(
    extack: &mut ExtAck,
    a: &Nla,
    cfg: &Config,
    t: &Target<'_>,
    lacp_only: bool,
    ifdown: bool,
) -> Result {
    if lacp_only && cfg.mode != Mode::Lacp {
        return Err(not_in_mode(extack, a));
    }
    if ifdown && t.up {
        return Err(extack.fail_attr(
            Some(a),
            c_str!("unable to set option because the bond is up"),
            EBUSY,
        ));
    }
    Ok(())
}

/// An on/off option (`u8` 0 or 1).
fn on_off(extack: &mut ExtAck, a: &Nla) -> Result<bool> {
    match a.u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(einval_attr(extack, a)),
    }
}

/// Applies the 802.3ad attributes (and `min_links`), in C's order.
fn apply_ad(cfg: &mut Config, data: &Attrs<'_>, t: &Target<'_>, extack: &mut ExtAck) -> Result {
    if let Some(a) = data.get(bond::MIN_LINKS) {
        let v = a.u32()?;
        if v > i32::MAX as u32 {
            return Err(einval_attr(extack, a));
        }
        cfg.ad.min_links = v;
    }
    if let Some(a) = data.get(bond::AD_LACP_ACTIVE) {
        check_deps(extack, a, cfg, t, true, true)?;
        cfg.ad.lacp_active = on_off(extack, a)?;
    }
    if let Some(a) = data.get(bond::AD_LACP_RATE) {
        check_deps(extack, a, cfg, t, true, true)?;
        cfg.ad.lacp_fast = on_off(extack, a)?;
    }
    if let Some(a) = data.get(bond::AD_SELECT) {
        check_deps(extack, a, cfg, t, false, true)?;
        cfg.ad.ad_select = AdSelect::from_raw(a.u8()?).ok_or_else(|| einval_attr(extack, a))?;
    }
    if let Some(a) = data.get(bond::AD_ACTOR_SYS_PRIO) {
        check_deps(extack, a, cfg, t, true, false)?;
        let v = a.u16()?;
        if v == 0 {
            return Err(einval_attr(extack, a));
        }
        cfg.ad.sys_prio = v;
    }
    if let Some(a) = data.get(bond::AD_USER_PORT_KEY) {
        check_deps(extack, a, cfg, t, true, true)?;
        let v = a.u16()?;
        if v > 1023 {
            return Err(einval_attr(extack, a));
        }
        cfg.ad.user_port_key = v;
    }
    if let Some(a) = data.get(bond::AD_ACTOR_SYSTEM) {
        let mac: [u8; 6] = a.payload().try_into().map_err(|_| EINVAL)?;
        check_deps(extack, a, cfg, t, true, false)?;
        // `bond_option_ad_actor_system_set`: no multicast address.
        if mac[0] & 1 != 0 {
            return Err(einval_attr(extack, a));
        }
        cfg.ad.actor_system = mac;
    }
    if let Some(a) = data.get(bond::MISSED_MAX) {
        if !cfg.mode.uses_arp() {
            return Err(not_in_mode(extack, a));
        }
        let v = a.u8()?;
        if v == 0 {
            return Err(einval_attr(extack, a));
        }
        cfg.missed_max = v;
    }
    if let Some(a) = data.get(bond::COUPLED_CONTROL) {
        check_deps(extack, a, cfg, t, true, true)?;
        cfg.ad.coupled_control = on_off(extack, a)?;
    }
    Ok(())
}

/// The ARP monitor's options, in C's order (`bond_changelink`): the MII
/// interval of the same request excludes them.
fn apply_arp(cfg: &mut Config, data: &Attrs<'_>, extack: &mut ExtAck) -> Result {
    let miimon = match data.get(bond::MIIMON) {
        Some(a) => a.u32()?,
        None => 0,
    };
    if let Some(a) = data.get(bond::ARP_INTERVAL) {
        let v = a.u32()?;
        if v != 0 && miimon != 0 {
            return Err(extack.fail_attr(
                Some(a),
                c_str!("ARP monitoring cannot be used with MII monitoring"),
                EINVAL,
            ));
        }
        if !cfg.mode.uses_arp() {
            return Err(not_in_mode(extack, a));
        }
        if v > i32::MAX as u32 {
            return Err(einval_attr(extack, a));
        }
        // `bond_option_arp_interval_set`: the ARP monitor replaces the
        // MII one.
        cfg.arp_interval = v;
        if v != 0 {
            cfg.miimon = 0;
        }
    }
    if let Some(a) = data.get(bond::ARP_IP_TARGET) {
        // A short address: EINVAL without a message.
        let parse = |t: &[u8]| {
            t.get(..4)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        };
        set_targets(
            &mut cfg.arp_targets,
            a,
            extack,
            parse,
            |_| EINVAL,
            pi4,
            "ARP",
        )?;
    }
    if let Some(a) = data.get(bond::NS_IP6_TARGET) {
        let parse = |t: &[u8]| t.get(..16).and_then(|b| <[u8; 16]>::try_from(b).ok());
        let short = |e: &mut ExtAck| e.fail(c_str!("Invalid IPv6 address"), EINVAL);
        set_targets(&mut cfg.ns_targets, a, extack, parse, short, Ipv6c, "NS")?;
    }
    if let Some(a) = data.get(bond::ARP_VALIDATE) {
        let v = a.u32()?;
        if v != 0 && miimon != 0 {
            return Err(extack.fail_attr(
                data.get(bond::ARP_INTERVAL),
                c_str!("ARP validating cannot be used with MII monitoring"),
                EINVAL,
            ));
        }
        if !cfg.mode.uses_arp() {
            return Err(not_in_mode(extack, a));
        }
        cfg.arp_validate = ArpValidate::from_raw(v).ok_or_else(|| einval_attr(extack, a))?;
    }
    if let Some(a) = data.get(bond::ARP_ALL_TARGETS) {
        cfg.arp_all_targets = match a.u32()? {
            0 => false,
            1 => true,
            _ => return Err(einval_attr(extack, a)),
        };
    }
    Ok(())
}

/// The target list of a nest (`IFLA_BOND_ARP_IP_TARGET`,
/// `IFLA_BOND_NS_IP6_TARGET`): cleared, then each address added
/// (`bond_option_arp_ip_targets_set`, `bond_option_ns_ip6_targets_set`);
/// the first one refused fails the whole nest with C's log line.
fn set_targets<T: arpmon::Target, D: core::fmt::Display>(
    list: &mut Targets<T>,
    a: &Nla,
    extack: &mut ExtAck,
    parse: impl Fn(&[u8]) -> Option<T>,
    short: impl Fn(&mut ExtAck) -> Error,
    show: impl Fn(T) -> D,
    kind: &str,
) -> Result {
    list.clear();
    for (_, t) in a.nested() {
        let Some(ip) = parse(t) else {
            return Err(short(extack));
        };
        if let Err(e) = list.add(ip) {
            match e {
                TargetError::Invalid => {
                    pr_err!(
                        "rvnet_bond: invalid {} target {} specified for addition\n",
                        kind,
                        show(ip)
                    );
                }
                TargetError::Duplicate => {
                    pr_err!(
                        "rvnet_bond: {} target {} is already present\n",
                        kind,
                        show(ip)
                    );
                }
                TargetError::Full => pr_err!("rvnet_bond: {} target table is full!\n", kind),
            }
            return Err(einval_attr(extack, a));
        }
    }
    Ok(())
}

/// What the bond looks like while options are applied.
struct Target<'a> {
    dev: Option<&'a Device<BondDriver>>,
    has_slaves: bool,
    up: bool,
}

/// Applies the `IFLA_BOND_*` attributes to `cfg` in C's order; options
/// that need the device (active_slave) are returned for the caller.
fn apply(
    cfg: &mut Config,
    data: &Attrs<'_>,
    t: &Target<'_>,
    net: &Net,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result<Option<i32>> {
    for ty in 1..=u32::from(bond::MAX) {
        if let Some(a) = data.get(ty) {
            if !SUPPORTED.contains(&ty) {
                return Err(extack.fail_attr(
                    Some(a),
                    c_str!("rvnet_bond: this bonding option is not supported"),
                    errno::err(errno::EOPNOTSUPP),
                ));
            }
        }
    }
    if let Some(a) = data.get(bond::MODE) {
        let v = a.u8()?;
        let mode = match v {
            bond::MODE_ROUNDROBIN => Mode::RoundRobin,
            bond::MODE_ACTIVEBACKUP => Mode::ActiveBackup,
            bond::MODE_XOR => Mode::Xor,
            bond::MODE_BROADCAST => Mode::Broadcast,
            bond::MODE_8023AD => Mode::Lacp,
            bond::MODE_TLB | bond::MODE_ALB => {
                return Err(extack.fail_attr(
                    Some(a),
                    c_str!("rvnet_bond: modes balance-tlb and balance-alb are not supported"),
                    errno::err(errno::EOPNOTSUPP),
                ))
            }
            _ => return Err(einval_attr(extack, a)),
        };
        if mode != cfg.mode {
            if t.has_slaves {
                return Err(extack.fail_attr(
                    Some(a),
                    c_str!("unable to set option because the bond device has slaves"),
                    errno::err(errno::ENOTEMPTY),
                ));
            }
            if t.up {
                return Err(extack.fail_attr(
                    Some(a),
                    c_str!("unable to set option because the bond is up"),
                    EBUSY,
                ));
            }
        }
        // `bond_option_mode_set`: the modes that cannot use the ARP
        // monitor lose it and get the MII monitor (100 ms) if it is off;
        // arp_validate is not kept across a mode set.
        if !mode.uses_arp() {
            cfg.arp_interval = 0;
            if cfg.miimon == 0 {
                cfg.miimon = 100;
            }
        }
        cfg.arp_validate = ArpValidate::NONE;
        cfg.mode = mode;
    }
    let mut active = None;
    if let Some(a) = data.get(bond::ACTIVE_SLAVE) {
        if !cfg.mode.uses_primary() {
            return Err(not_in_mode(extack, a));
        }
        active = Some(a.u32()? as i32);
    }
    if let Some(a) = data.get(bond::MIIMON) {
        let v = a.u32()?;
        if v > i32::MAX as u32 {
            return Err(einval_attr(extack, a));
        }
        cfg.miimon = v;
        // `bond_option_miimon_set`: the MII monitor replaces the ARP one.
        if v != 0 && cfg.arp_interval != 0 {
            cfg.arp_interval = 0;
            cfg.arp_validate = ArpValidate::NONE;
        }
    }
    for (ty, up) in [(bond::UPDELAY, true), (bond::DOWNDELAY, false)] {
        if let Some(a) = data.get(ty) {
            let v = a.u32()?;
            if v > i32::MAX as u32 {
                return Err(einval_attr(extack, a));
            }
            if cfg.miimon == 0 {
                return Err(extack.fail_attr(
                    Some(a),
                    c_str!("rvnet_bond: up/down delay needs MII monitoring (miimon)"),
                    EPERM,
                ));
            }
            let ticks = v / cfg.miimon;
            if up {
                cfg.updelay = ticks;
            } else {
                cfg.downdelay = ticks;
            }
        }
    }
    apply_arp(cfg, data, extack)?;
    if let Some(a) = data.get(bond::PRIMARY) {
        if !cfg.mode.uses_primary() {
            return Err(not_in_mode(extack, a));
        }
        let ifindex = a.u32()? as i32;
        cfg.primary = NetDevice::get_by_index(net, ifindex, rtnl).map(|d| d.name());
    }
    if let Some(a) = data.get(bond::PRIMARY_RESELECT) {
        cfg.primary_reselect =
            PrimaryReselect::from_raw(a.u8()?).ok_or_else(|| einval_attr(extack, a))?;
    }
    if let Some(a) = data.get(bond::XMIT_HASH_POLICY) {
        cfg.policy = XmitPolicy::from_raw(a.u8()?).ok_or_else(|| einval_attr(extack, a))?;
    }
    if let Some(a) = data.get(bond::PACKETS_PER_SLAVE) {
        if cfg.mode != Mode::RoundRobin {
            return Err(not_in_mode(extack, a));
        }
        let v = a.u32()?;
        if v > 65535 {
            return Err(einval_attr(extack, a));
        }
        cfg.packets_per_slave = v;
    }
    apply_ad(cfg, data, t, extack)?;
    let _ = t.dev;
    Ok(active)
}

/// `active_slave`: make slave `ifindex` the active one (C:
/// `bond_option_active_slave_set`); 0 clears and reselects.
fn set_active(
    dev: &Device<BondDriver>,
    ifindex: i32,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    let b = dev.data();
    let (mut ctl, rtnl) = b.ctl.borrow_mut_and_rtnl(rtnl)?;
    if ifindex == 0 {
        ctl.active = None;
        crate::bond_monitor::select_active(&mut ctl);
    } else {
        let Some(i) = ctl
            .slaves
            .iter()
            .position(|s| s.port.dev.ifindex() == ifindex)
        else {
            return Err(extack.fail(c_str!("Device is not bonding slave"), EINVAL));
        };
        let p = &ctl.slaves[i].port;
        if !p.is_up() || p.link() != crate::netdev::txsel::LinkState::Up {
            return Err(extack.fail(c_str!("Can not set active slave: link is down"), EINVAL));
        }
        if ctl.active != Some(i) {
            crate::bond_monitor::change_active(&mut ctl, Some(i));
        }
    }
    bond_slave::publish(b, &ctl, rtnl);
    Ok(())
}

/// Primary changed on a live bond (C: `bond_option_primary_set`).
fn primary_changed(b: &Bond, rtnl: &mut Rtnl) -> Result {
    let mut ctl = b.ctl.borrow_mut(rtnl)?;
    ctl.force_primary = bond_slave::primary_index(&ctl).is_some();
    crate::bond_monitor::select_active(&mut ctl);
    Ok(())
}

/// The per-slave options of `slave_changelink`, in C's order
/// (`bond_slave_changelink`).
fn slave_options(
    dev: &Device<BondDriver>,
    slave: &NetDevice,
    port: &bond_slave::SlavePort,
    mode: Mode,
    data: &Attrs<'_>,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    let b = dev.data();
    if let Some(a) = data.get(bond::SLAVE_QUEUE_ID) {
        // The bond has one transmit queue (C: 16, `tx_queues`); the
        // queue override is not built yet.
        if a.u16()? != 0 {
            return Err(extack.fail_attr(
                Some(a),
                c_str!("rvnet_bond: a queue_id other than 0 is not supported yet"),
                errno::err(errno::EOPNOTSUPP),
            ));
        }
    }
    if let Some(a) = data.get(bond::SLAVE_PRIO) {
        // `bond_option_prio_set`: active-backup (and tlb/alb) only.
        if mode != Mode::ActiveBackup {
            return Err(not_in_mode(extack, a));
        }
        let v = i32::from_ne_bytes(a.payload().try_into().map_err(|_| EINVAL)?);
        port.prio.store(v, Ordering::Relaxed);
        let mut ctl = b.ctl.borrow_mut(rtnl)?;
        // With a primary slave, C only warns: the priority does not
        // take part in the reselection.
        if bond_slave::primary_index(&ctl).is_some() {
            pr_warn!(
                "{}: (slave {}): prio updated, but will not affect failover re-selection as primary slave have been set\n",
                dev.name(),
                slave.name()
            );
        } else {
            crate::bond_monitor::select_active(&mut ctl);
            crate::bond_monitor::set_carrier(dev, &ctl);
        }
    }
    if let Some(a) = data.get(bond::SLAVE_ACTOR_PORT_PRIO) {
        if mode != Mode::Lacp {
            return Err(not_in_mode(extack, a));
        }
        bond_3ad::set_port_priority(dev, port, a.u16()?)?;
    }
    Ok(())
}

#[vtable]
impl Link for BondDriver {
    const KIND: &'static CStr = c_str!("bond");
    const MAX_DATA_ATTR: u16 = bond::MAX;

    fn validate(tb: &Attrs<'_>, _data: &Attrs<'_>, extack: &mut ExtAck) -> Result {
        check_eth_addr(
            tb,
            extack,
            c_str!("Invalid MAC address length"),
            c_str!("Invalid MAC address"),
        )
    }

    fn newlink(req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result<Bond> {
        let mut cfg = Config::default();
        let t = Target {
            dev: None,
            has_slaves: false,
            up: false,
        };
        if let Some(a) = apply(&mut cfg, &req.data, &t, req.src_net, extack, req.rtnl)? {
            if a != 0 {
                return Err(extack.fail(c_str!("Device is not bonding slave"), EINVAL));
            }
        }
        Bond::new(cfg)
    }

    fn registered(dev: &Device<Self>, req: &mut NewLink<'_>, _extack: &mut ExtAck) -> Result {
        let rtnl = &mut *req.rtnl;
        dev.set_carrier(false);
        let b = dev.data();
        let (ctl, rtnl) = b.ctl.borrow_and_rtnl(rtnl)?;
        bond_slave::publish(b, &ctl, rtnl);
        Ok(())
    }

    fn changelink(
        dev: &Device<Self>,
        _tb: &Attrs<'_>,
        data: &Attrs<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        let b = dev.data();
        let (mut cfg, has_slaves) = {
            let ctl = b.ctl.borrow(rtnl)?;
            (ctl.cfg, !ctl.slaves.is_empty())
        };
        let old = cfg;
        let t = Target {
            dev: Some(dev),
            has_slaves,
            up: dev.is_up(),
        };
        let active = apply(&mut cfg, data, &t, dev.net(), extack, rtnl)?;
        b.ctl.borrow_mut(rtnl)?.cfg = cfg;
        // Setting the actor's priority or system, even to the same value,
        // re-reads them and sends a LACPDU on every port (C).
        let actor = data.get(bond::AD_ACTOR_SYS_PRIO).is_some()
            || data.get(bond::AD_ACTOR_SYSTEM).is_some();
        bond_3ad::config_changed(dev, &old, &cfg, actor);
        if cfg.ad.min_links != old.ad.min_links {
            let ctl = b.ctl.borrow(rtnl)?;
            crate::bond_monitor::set_carrier(dev, &ctl);
        }
        monitors_changed(dev, &old, &cfg, rtnl);
        // `_bond_options_arp_ip_target_set`, then
        // `_bond_options_ns_ip6_target_set`: every slave's clock of each
        // new target starts now, the other slots are cleared (both lists
        // share the clocks, the IPv6 one is set last).
        let used = if data.get(bond::NS_IP6_TARGET).is_some() {
            Some(cfg.ns_targets.len())
        } else if data.get(bond::ARP_IP_TARGET).is_some() {
            Some(cfg.arp_targets.len())
        } else {
            None
        };
        if let Some(n) = used {
            let ctl = b.ctl.borrow(rtnl)?;
            let now = crate::netdev::arp::jiffies();
            for s in ctl.slaves.iter() {
                s.port.reset_target_rx(n, now);
            }
        }
        if data.get(bond::PRIMARY).is_some() {
            primary_changed(b, rtnl)?;
        } else if data.get(bond::PRIMARY_RESELECT).is_some() {
            // `bond_option_primary_reselect_set`: reselect now.
            crate::bond_monitor::select_active(&mut *b.ctl.borrow_mut(rtnl)?);
        }
        if let Some(ifindex) = active {
            if let Err(e) = set_active(dev, ifindex, extack, rtnl) {
                b.ctl.borrow_mut(rtnl)?.cfg = old;
                monitors_changed(dev, &cfg, &old, rtnl);
                return Err(e);
            }
        }
        let (ctl, rtnl) = b.ctl.borrow_and_rtnl(rtnl)?;
        bond_slave::publish(b, &ctl, rtnl);
        Ok(())
    }

    fn info_size(_dev: &Device<Self>) -> usize {
        // 13 u32 and 13 u8 attributes at most, plus the two empty nests;
        // in 802.3ad three u16, the actor system and the AD_INFO nest
        // (four u16 and an address).
        13 * nla_total_size(4)
            + 13 * nla_total_size(1)
            + 2 * nla_total_size(0)
            + 3 * nla_total_size(2)
            + nla_total_size(6)
            + nla_total_size(0)
            + 4 * nla_total_size(2)
            + nla_total_size(6)
            + nla_total_size(0)
            + crate::netdev::txsel::arpmon::MAX_TARGETS * nla_total_size(4)
            + nla_total_size(0)
            + crate::netdev::txsel::arpmon::MAX_TARGETS * nla_total_size(16)
    }

    fn fill_info(dev: &Device<Self>, msg: &mut NlMsg) -> Result {
        let rcu = RcuGuard::new();
        let Some(s) = dev.data().snap.get(&rcu) else {
            return Ok(());
        };
        let c = &s.cfg;
        msg.put_u8(bond::MODE, c.mode.raw())?;
        if let Some(p) = s.active.and_then(|i| s.slaves.get(i)) {
            msg.put_u32(bond::ACTIVE_SLAVE, p.dev.ifindex() as u32)?;
        }
        msg.put_u32(bond::MIIMON, c.miimon)?;
        msg.put_u32(bond::UPDELAY, c.updelay * c.miimon)?;
        msg.put_u32(bond::DOWNDELAY, c.downdelay * c.miimon)?;
        msg.put_u32(bond::PEER_NOTIF_DELAY, 0)?;
        msg.put_u8(bond::USE_CARRIER, 1)?;
        msg.put_u32(bond::ARP_INTERVAL, c.arp_interval)?;
        if !c.arp_targets.is_empty() {
            msg.nest(bond::ARP_IP_TARGET, |m| {
                for (i, &t) in c.arp_targets.slots().iter().enumerate() {
                    if t != 0 {
                        m.put_bytes(i as u32, &t.to_be_bytes())?;
                    }
                }
                Ok(())
            })?;
        }
        msg.put_u32(bond::ARP_VALIDATE, u32::from(c.arp_validate.raw()))?;
        msg.put_u32(bond::ARP_ALL_TARGETS, u32::from(c.arp_all_targets))?;
        if !c.ns_targets.is_empty() {
            msg.nest_flagged(bond::NS_IP6_TARGET, |m| {
                for (i, t) in c.ns_targets.slots().iter().enumerate() {
                    if *t != [0; 16] {
                        m.put_bytes(i as u32, t)?;
                    }
                }
                Ok(())
            })?;
        }
        if let Some(p) = s.primary.and_then(|i| s.slaves.get(i)) {
            msg.put_u32(bond::PRIMARY, p.dev.ifindex() as u32)?;
        }
        msg.put_u8(bond::PRIMARY_RESELECT, c.primary_reselect as u8)?;
        msg.put_u8(bond::FAIL_OVER_MAC, 0)?;
        msg.put_u8(bond::XMIT_HASH_POLICY, c.policy.raw())?;
        msg.put_u32(bond::RESEND_IGMP, 1)?;
        msg.put_u8(bond::NUM_PEER_NOTIF, 1)?;
        msg.put_u8(bond::ALL_SLAVES_ACTIVE, 0)?;
        msg.put_u32(bond::MIN_LINKS, c.ad.min_links)?;
        msg.put_u32(bond::LP_INTERVAL, 1)?;
        msg.put_u32(bond::PACKETS_PER_SLAVE, c.packets_per_slave)?;
        msg.put_u8(bond::AD_LACP_ACTIVE, u8::from(c.ad.lacp_active))?;
        msg.put_u8(bond::AD_LACP_RATE, u8::from(c.ad.lacp_fast))?;
        msg.put_u8(bond::AD_SELECT, c.ad.ad_select as u8)?;
        msg.put_u8(bond::TLB_DYNAMIC_LB, 1)?;
        msg.put_u8(bond::MISSED_MAX, c.missed_max)?;
        msg.put_u8(bond::COUPLED_CONTROL, u8::from(c.ad.coupled_control))?;
        if c.mode == Mode::Lacp {
            if capable_net_admin() {
                msg.put_u16(bond::AD_ACTOR_SYS_PRIO, c.ad.sys_prio)?;
                msg.put_u16(bond::AD_USER_PORT_KEY, c.ad.user_port_key)?;
                msg.put_bytes(bond::AD_ACTOR_SYSTEM, &c.ad.actor_system)?;
            }
            let info = dev.data().ad.lock().active_info();
            if let Some(i) = info {
                msg.nest(bond::AD_INFO, |m| {
                    m.put_u16(bond::AD_INFO_AGGREGATOR, i.aggregator_id)?;
                    m.put_u16(bond::AD_INFO_NUM_PORTS, i.ports)?;
                    m.put_u16(bond::AD_INFO_ACTOR_KEY, i.actor_key)?;
                    m.put_u16(bond::AD_INFO_PARTNER_KEY, i.partner_key)?;
                    m.put_bytes(bond::AD_INFO_PARTNER_MAC, &i.partner_system)
                })?;
            }
        }
        Ok(())
    }

    const SLAVE_MAX_ATTR: u16 = bond::SLAVE_MAX;

    fn slave_info_size(_dev: &Device<Self>, _slave: &NetDevice) -> usize {
        // As C's `bond_get_slave_size`.
        3 * nla_total_size(1)
            + nla_total_size(4)
            + nla_total_size(32)
            + nla_total_size(2)
            + nla_total_size(2)
            + 2 * nla_total_size(1)
            + nla_total_size(2)
            + nla_total_size(4)
            + nla_total_size(2)
    }

    fn slave_changelink(
        dev: &Device<Self>,
        slave: &NetDevice,
        data: &Attrs<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        // C: `bond_slave_changelink`, its options in this order.
        let b = dev.data();
        let (mode, port) = {
            let ctl = b.ctl.borrow(rtnl)?;
            let port = ctl.slave_of(slave).map(|s| s.port.clone()).ok_or(ENODEV)?;
            (ctl.cfg.mode, port)
        };
        // Each option takes effect as it is applied (C has no data-path
        // snapshot): publish whatever was applied, even if a later one
        // fails.
        let res = slave_options(dev, slave, &port, mode, data, extack, rtnl);
        let (ctl, rtnl) = b.ctl.borrow_and_rtnl(rtnl)?;
        bond_slave::publish(b, &ctl, rtnl);
        res
    }

    fn linkxstats_size(_dev: &Device<Self>, _of: XstatsOf<'_>) -> usize {
        // As C's `bond_get_linkxstats_size`, plus the 802.3ad nest.
        bond_3ad::AdStats::size() + 2 * nla_total_size(0)
    }

    fn fill_linkxstats(
        dev: &Device<Self>,
        of: XstatsOf<'_>,
        msg: &mut NlMsg,
        rtnl: &Rtnl,
    ) -> Result {
        // C: `bond_fill_linkxstats`: the bond's nest always, its 802.3ad
        // counters in mode 802.3ad; nothing for a device that is not (or
        // no longer) a slave.
        let b = dev.data();
        let ctl = b.ctl.borrow(rtnl)?;
        let stats = match of {
            XstatsOf::Master => &b.ad_stats,
            XstatsOf::Slave(slave) => match ctl.slave_of(slave) {
                Some(s) => &s.port.ad_stats,
                None => return Ok(()),
            },
        };
        let lacp = ctl.cfg.mode == Mode::Lacp;
        msg.nest(bond::XSTATS_TYPE, |msg| {
            if lacp {
                msg.nest(bond::XSTATS_3AD, |msg| stats.fill(msg))?;
            }
            Ok(())
        })
    }

    fn fill_slave_info(dev: &Device<Self>, slave: &NetDevice, msg: &mut NlMsg) -> Result {
        let rcu = RcuGuard::new();
        let Some(s) = dev.data().snap.get(&rcu) else {
            return Ok(());
        };
        let Some(p) = s.slaves.iter().find(|p| core::ptr::eq(&*p.dev, slave)) else {
            return Ok(());
        };
        // C: `bond_fill_slave_info`.
        msg.put_u8(
            bond::SLAVE_STATE,
            u8::from(p.backup.load(Ordering::Relaxed)),
        )?;
        msg.put_u8(bond::SLAVE_MII_STATUS, p.link().raw() as u8)?;
        msg.put_u32(
            bond::SLAVE_LINK_FAILURE_COUNT,
            p.link_failure_count.load(Ordering::Relaxed),
        )?;
        msg.put_bytes(bond::SLAVE_PERM_HWADDR, &p.perm_addr)?;
        msg.put_u16(bond::SLAVE_QUEUE_ID, 0)?;
        msg.put_s32(bond::SLAVE_PRIO, p.prio.load(Ordering::Relaxed))?;
        if s.cfg.mode == Mode::Lacp {
            bond_3ad::fill_slave_info(dev, p, msg)?;
        }
        Ok(())
    }
}
