// SPDX-License-Identifier: GPL-2.0

//! `ip link add NAME type bond ...`, `ip link set NAME type bond ...` and
//! `ip -d link show` (C: `bond_netlink.c`, the options of
//! `bond_options.c` that rvnet_bond supports, with their errors and
//! extack messages).

use crate::bond_3ad;
use crate::bond_arp::pi4;
use crate::bond_dev::{monitors_changed, Bond, BondDriver, Config, Mode};
use crate::bond_options::{self, Changed, Input, Opt, OptErr, Report, Target};
use crate::bond_slave;
use crate::iptun::fmt::Ipv6c;
use crate::netdev::{
    errno,
    link::XstatsOf,
    lower::capable_net_admin,
    nla::{check_eth_addr, nla_total_size},
    prelude::*,
    txsel::arpmon::{self, TargetError, Targets},
    uapi::bond,
};
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*};

fn not_in_mode(extack: &mut ExtAck, a: &Nla) -> Error {
    extack.fail_attr(Some(a), c_str!("option not supported in mode"), EACCES)
}

/// What netlink sets after `mode` and `active_slave`, in C's order
/// (`bond_changelink`): table options (with the width of their
/// attribute) and the raw ones.
#[derive(Clone, Copy)]
enum Step {
    Table(u32, Opt, u8),
    /// `IFLA_BOND_ARP_IP_TARGET`, then `IFLA_BOND_NS_IP6_TARGET`.
    Targets,
    /// `IFLA_BOND_PRIMARY`.
    Primary,
    /// `IFLA_BOND_AD_ACTOR_SYSTEM`.
    ActorSystem,
}

const STEPS: [Step; 28] = [
    Step::Table(bond::MIIMON, Opt::Miimon, 4),
    Step::Table(bond::UPDELAY, Opt::Updelay, 4),
    Step::Table(bond::DOWNDELAY, Opt::Downdelay, 4),
    Step::Table(bond::PEER_NOTIF_DELAY, Opt::PeerNotifDelay, 4),
    Step::Table(bond::USE_CARRIER, Opt::UseCarrier, 1),
    Step::Table(bond::ARP_INTERVAL, Opt::ArpInterval, 4),
    Step::Targets,
    Step::Table(bond::ARP_VALIDATE, Opt::ArpValidate, 4),
    Step::Table(bond::ARP_ALL_TARGETS, Opt::ArpAllTargets, 4),
    Step::Primary,
    Step::Table(bond::PRIMARY_RESELECT, Opt::PrimaryReselect, 1),
    Step::Table(bond::FAIL_OVER_MAC, Opt::FailOverMac, 1),
    Step::Table(bond::XMIT_HASH_POLICY, Opt::XmitHash, 1),
    Step::Table(bond::RESEND_IGMP, Opt::ResendIgmp, 4),
    Step::Table(bond::NUM_PEER_NOTIF, Opt::NumPeerNotif, 1),
    Step::Table(bond::ALL_SLAVES_ACTIVE, Opt::AllSlavesActive, 1),
    Step::Table(bond::MIN_LINKS, Opt::MinLinks, 4),
    Step::Table(bond::LP_INTERVAL, Opt::LpInterval, 4),
    Step::Table(bond::PACKETS_PER_SLAVE, Opt::PacketsPerSlave, 4),
    Step::Table(bond::AD_LACP_ACTIVE, Opt::LacpActive, 1),
    Step::Table(bond::AD_LACP_RATE, Opt::LacpRate, 1),
    Step::Table(bond::AD_SELECT, Opt::AdSelect, 1),
    Step::Table(bond::AD_ACTOR_SYS_PRIO, Opt::AdActorSysPrio, 2),
    Step::Table(bond::AD_USER_PORT_KEY, Opt::AdUserPortKey, 2),
    Step::ActorSystem,
    Step::Table(bond::TLB_DYNAMIC_LB, Opt::TlbDynamicLb, 1),
    Step::Table(bond::MISSED_MAX, Opt::MissedMax, 1),
    Step::Table(bond::COUPLED_CONTROL, Opt::CoupledControl, 1),
];

/// Whether this driver acts on attribute `ty`; any other one is refused.
fn known(ty: u32) -> bool {
    matches!(
        ty,
        bond::MODE
            | bond::ACTIVE_SLAVE
            | bond::ARP_IP_TARGET
            | bond::NS_IP6_TARGET
            | bond::PRIMARY
            | bond::AD_ACTOR_SYSTEM
    ) || STEPS
        .iter()
        .any(|s| matches!(s, Step::Table(x, _, _) if *x == ty))
}

/// The value of a table option's attribute.
fn value(a: &Nla, width: u8) -> Result<u64> {
    Ok(match width {
        1 => a.u8()?.into(),
        2 => a.u16()?.into(),
        _ => a.u32()?.into(),
    })
}

/// `__bond_opt_set` with a netlink attribute: errors go to the extack.
fn set_attr(
    cfg: &mut Config,
    t: &Target<'_>,
    opt: Opt,
    a: &Nla,
    v: u64,
    extack: &mut ExtAck,
) -> Result {
    let mode = cfg.mode;
    bond_options::set(cfg, t, opt, Input::Num(v))
        .map_err(|e| Report::Netlink(extack, Some(a), t.bond).error(opt, e, Input::Num(v), mode))
}

/// The target list of a nest (`IFLA_BOND_ARP_IP_TARGET`,
/// `IFLA_BOND_NS_IP6_TARGET`): cleared, then each address added
/// (`bond_option_arp_ip_targets_set`, `bond_option_ns_ip6_targets_set`);
/// the first one refused (`refused`: C's log lines and extack) fails the
/// whole nest. Returns how many were added, and the outcome.
fn set_targets<T: arpmon::Target>(
    list: &mut Targets<T>,
    a: &Nla,
    extack: &mut ExtAck,
    parse: impl Fn(&[u8]) -> Option<T>,
    short: impl Fn(&mut ExtAck) -> Error,
    refused: impl Fn(&mut ExtAck, TargetError, T) -> Error,
) -> (usize, Result) {
    list.clear();
    let mut added = 0;
    for (_, t) in a.nested() {
        let Some(ip) = parse(t) else {
            return (added, Err(short(extack)));
        };
        if let Err(e) = list.add(ip) {
            return (added, Err(refused(extack, e, ip)));
        }
        added += 1;
    }
    (added, Ok(()))
}

/// The ARP/NS target lists, with C's check of the MII interval of the
/// same request (`bond_changelink`). As C, a list left empty (or refused
/// at its first address) with the ARP monitor on warns.
fn apply_targets(
    master: &NetDevice,
    cfg: &mut Config,
    data: &Attrs<'_>,
    extack: &mut ExtAck,
) -> Result {
    let mode = cfg.mode;
    // C's option error for a refused address, after the target's line.
    let opt_error = |x: &mut ExtAck, a: &Nla, opt: Opt, v: u64| {
        Report::Netlink(x, Some(a), master).error(opt, OptErr::Inval, Input::Num(v), mode)
    };
    if let Some(a) = data.get(bond::ARP_IP_TARGET) {
        // A short address: EINVAL without a message.
        let parse = |t: &[u8]| {
            t.get(..4)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        };
        let refused = |x: &mut ExtAck, e, ip: u32| {
            bond_options::target_error(master, e, "ARP", pi4(ip), "addition");
            // C's value: the `__be32` as stored.
            opt_error(
                x,
                a,
                Opt::ArpTargets,
                u32::from_ne_bytes(ip.to_be_bytes()).into(),
            )
        };
        let (n, r) = set_targets(&mut cfg.arp_targets, a, extack, parse, |_| EINVAL, refused);
        if n == 0 && cfg.arp_interval != 0 {
            bond_options::bond_warn(
                master,
                format_args!("Removing last arp target with arp_interval on\n"),
            );
        }
        r?;
    }
    if let Some(a) = data.get(bond::NS_IP6_TARGET) {
        let parse = |t: &[u8]| t.get(..16).and_then(|b| <[u8; 16]>::try_from(b).ok());
        let short = |e: &mut ExtAck| e.fail(c_str!("Invalid IPv6 address"), EINVAL);
        let refused = |x: &mut ExtAck, e, ip: [u8; 16]| {
            bond_options::target_error(master, e, "NS", Ipv6c(ip), "addition");
            // C's value: none, `ULLONG_MAX` (`bond_opt_initextra`: the
            // address is the option's extra data).
            opt_error(x, a, Opt::NsTargets, u64::MAX)
        };
        let (n, r) = set_targets(&mut cfg.ns_targets, a, extack, parse, short, refused);
        if n == 0 && cfg.arp_interval != 0 {
            bond_options::bond_warn(
                master,
                format_args!("Removing last ns target with arp_interval on\n"),
            );
        }
        r?;
    }
    Ok(())
}

/// Applies the `IFLA_BOND_*` attributes to `cfg` in C's order through
/// the shared option code; `active_slave` (which needs the device) is
/// returned for the caller.
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
            if !known(ty) {
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
        // As C's `bond_changelink`: the attribute is an option set even
        // when it names the current mode (refused with slaves or up).
        set_attr(cfg, t, Opt::Mode, a, v.into(), extack)?;
    }
    let mut active = None;
    if let Some(a) = data.get(bond::ACTIVE_SLAVE) {
        if cfg.mode.uses_primary() {
            active = Some(a.u32()? as i32);
        } else {
            let mode = cfg.mode;
            return Err(Report::Netlink(extack, Some(a), t.bond).error(
                Opt::ActiveSlave,
                OptErr::Access,
                Input::Num(0),
                mode,
            ));
        }
    }
    let miimon = match data.get(bond::MIIMON) {
        Some(a) => a.u32()?,
        None => 0,
    };
    for step in STEPS {
        let (ty, opt, width) = match step {
            Step::Table(ty, opt, width) => (ty, opt, width),
            Step::Targets => {
                apply_targets(t.bond, cfg, data, extack)?;
                continue;
            }
            Step::Primary => {
                if let Some(a) = data.get(bond::PRIMARY) {
                    let ifindex = a.u32()? as i32;
                    let name = NetDevice::get_by_index(net, ifindex, rtnl).map(|d| d.name());
                    let mode = cfg.mode;
                    bond_options::set_primary(cfg, t, name).map_err(|e| {
                        let mut r = Report::Netlink(extack, Some(a), t.bond);
                        r.error(Opt::Primary, e, Input::Num(0), mode)
                    })?;
                }
                continue;
            }
            Step::ActorSystem => {
                if let Some(a) = data.get(bond::AD_ACTOR_SYSTEM) {
                    let mac: [u8; 6] = a.payload().try_into().map_err(|_| EINVAL)?;
                    let mode = cfg.mode;
                    bond_options::set_actor_system(cfg, t, Some(mac)).map_err(|e| {
                        let mut r = Report::Netlink(extack, Some(a), t.bond);
                        // C's value: none (`bond_opt_initextra`).
                        r.error(Opt::AdActorSystem, e, Input::Num(u64::MAX), mode)
                    })?;
                }
                continue;
            }
        };
        let Some(a) = data.get(ty) else {
            continue;
        };
        let v = value(a, width)?;
        if v != 0 && miimon != 0 {
            // `bond_changelink`: the MII interval of the same request
            // excludes the ARP monitor.
            if opt == Opt::ArpInterval {
                return Err(extack.fail_attr(
                    Some(a),
                    c_str!("ARP monitoring cannot be used with MII monitoring"),
                    EINVAL,
                ));
            }
            if opt == Opt::ArpValidate {
                return Err(extack.fail_attr(
                    data.get(bond::ARP_INTERVAL),
                    c_str!("ARP validating cannot be used with MII monitoring"),
                    EINVAL,
                ));
            }
        }
        set_attr(cfg, t, opt, a, v, extack)?;
    }
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
    let slave = if ifindex == 0 {
        None
    } else {
        match NetDevice::get_by_index(dev.net(), ifindex, rtnl) {
            Some(d) => Some(d.hold()),
            // C: ENODEV, no message.
            None => return Err(ENODEV),
        }
    };
    let mode = dev.data().ctl.borrow(rtnl)?.cfg.mode;
    // C's value: the slave's name.
    let name = slave.as_deref().map(|d| d.name());
    let input = Input::Str(
        name.as_ref()
            .map_or("", |n| core::str::from_utf8(n.as_bytes()).unwrap_or("")),
    );
    let bond = dev.net_device();
    bond_options::set_active(dev, slave.as_deref(), rtnl)
        .map_err(|e| Report::Netlink(extack, None, bond).error(Opt::ActiveSlave, e, input, mode))
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
        let ctl = b.ctl.borrow(rtnl)?;
        crate::bond_queue::set_queue_id(dev, &ctl, slave, a.u16()?)?;
    }
    if let Some(a) = data.get(bond::SLAVE_PRIO) {
        // `bond_option_prio_set`: active-backup (and tlb/alb) only.
        if !mode.uses_primary() {
            return Err(not_in_mode(extack, a));
        }
        let v = i32::from_ne_bytes(a.payload().try_into().map_err(|_| EINVAL)?);
        port.prio.store(v, Ordering::Relaxed);
        let (mut ctl, rtnl) = b.ctl.borrow_mut_and_rtnl(rtnl)?;
        // With a primary slave, C only warns: the priority does not
        // take part in the reselection.
        if bond_slave::primary_index(&ctl).is_some() {
            crate::slave_warn!(
                dev.net_device(),
                slave,
                "prio updated, but will not affect failover re-selection as primary slave have been set\n"
            );
        } else {
            crate::bond_monitor::select_active(&mut ctl, rtnl);
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

    fn num_tx_queues() -> u32 {
        crate::bond_params::tx_queues()
    }

    fn validate(tb: &Attrs<'_>, data: &Attrs<'_>, extack: &mut ExtAck) -> Result {
        // C's policy: `peer_notif_delay` is at most 300 s (`delay_range`),
        // checked before anything is applied.
        if let Some(a) = data.get(bond::PEER_NOTIF_DELAY) {
            if a.u32()? > 300_000 {
                return Err(extack.fail_attr(
                    Some(a),
                    c_str!("integer out of range"),
                    errno::err(errno::ERANGE),
                ));
            }
        }
        check_eth_addr(
            tb,
            extack,
            c_str!("Invalid MAC address length"),
            c_str!("Invalid MAC address"),
        )
    }

    /// A bond with the defaults (C's `bond_setup`); the request's options
    /// are applied once it is registered.
    fn newlink(_req: &mut NewLink<'_>, _extack: &mut ExtAck) -> Result<Bond> {
        Bond::new(Config::default())
    }

    /// C's `bond_newlink`: the bond is registered (its name chosen, a
    /// template's too, which the options' log lines show), its carrier
    /// off, then the options applied as `bond_changelink` does on a live
    /// bond (its namespace's devices for `active_slave`); when one fails
    /// the layer unregisters the bond again, whose `ndo_uninit` logs
    /// "Released all slaves".
    fn registered(dev: &Device<Self>, req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result {
        dev.set_carrier(false);
        {
            let b = dev.data();
            let (ctl, rtnl) = b.ctl.borrow_and_rtnl(req.rtnl)?;
            bond_slave::publish(b, &ctl, rtnl);
        }
        Self::changelink(dev, &req.tb, &req.data, extack, req.rtnl)
    }

    fn changelink(
        dev: &Device<Self>,
        _tb: &Attrs<'_>,
        data: &Attrs<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        let b = dev.data();
        let (mut cfg, has_slaves, xdp) = {
            let ctl = b.ctl.borrow(rtnl)?;
            (ctl.cfg, !ctl.slaves.is_empty(), ctl.xdp.is_some())
        };
        let old = cfg;
        let t = Target {
            bond: dev.net_device(),
            has_slaves,
            up: dev.is_up(),
            xdp,
        };
        let active = apply(&mut cfg, data, &t, dev.net(), extack, rtnl)?;
        // `_bond_options_arp_ip_target_set`, then
        // `_bond_options_ns_ip6_target_set`: every slave's clock of each
        // new target starts now, the other slots are cleared (both lists
        // share the clocks, the IPv6 one is set last).
        let targets = if data.get(bond::NS_IP6_TARGET).is_some() {
            Some(cfg.ns_targets.len())
        } else if data.get(bond::ARP_IP_TARGET).is_some() {
            Some(cfg.arp_targets.len())
        } else {
            None
        };
        let ch = Changed {
            actor: data.get(bond::AD_ACTOR_SYS_PRIO).is_some()
                || data.get(bond::AD_ACTOR_SYSTEM).is_some(),
            targets,
            primary: data.get(bond::PRIMARY).is_some(),
            reselect: data.get(bond::PRIMARY_RESELECT).is_some(),
            mode: data.get(bond::MODE).is_some(),
        };
        bond_options::commit(dev, &old, &cfg, ch, rtnl)?;
        if let Some(ifindex) = active {
            if let Err(e) = set_active(dev, ifindex, extack, rtnl) {
                b.ctl.borrow_mut(rtnl)?.cfg = old;
                monitors_changed(dev, &cfg, &old, rtnl);
                return Err(e);
            }
        }
        bond_options::publish(dev, rtnl)
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
        msg.put_u32(bond::PEER_NOTIF_DELAY, c.fo.peer_notif_delay * c.miimon)?;
        msg.put_u8(bond::USE_CARRIER, u8::from(c.fo.use_carrier))?;
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
        msg.put_u8(bond::FAIL_OVER_MAC, c.fo.fail_over_mac)?;
        msg.put_u8(bond::XMIT_HASH_POLICY, c.policy.raw())?;
        msg.put_u32(bond::RESEND_IGMP, c.fo.resend_igmp.into())?;
        msg.put_u8(bond::NUM_PEER_NOTIF, c.fo.num_peer_notif)?;
        msg.put_u8(bond::ALL_SLAVES_ACTIVE, u8::from(c.fo.all_slaves_active))?;
        msg.put_u32(bond::MIN_LINKS, c.ad.min_links)?;
        msg.put_u32(bond::LP_INTERVAL, c.lp_interval)?;
        msg.put_u32(bond::PACKETS_PER_SLAVE, c.packets_per_slave)?;
        msg.put_u8(bond::AD_LACP_ACTIVE, u8::from(c.ad.lacp_active))?;
        msg.put_u8(bond::AD_LACP_RATE, u8::from(c.ad.lacp_fast))?;
        msg.put_u8(bond::AD_SELECT, c.ad.ad_select as u8)?;
        msg.put_u8(bond::TLB_DYNAMIC_LB, u8::from(c.tlb_dynamic_lb))?;
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
        // C reads the slave's rx_handler_data: a slave being enslaved (or
        // released) has its state shown before (after) it is published.
        let Some(p) = slave.rx_port::<crate::bond_slave::SlavePort>(&rcu) else {
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
        msg.put_u16(bond::SLAVE_QUEUE_ID, p.queue_id.load(Ordering::Relaxed))?;
        msg.put_s32(bond::SLAVE_PRIO, p.prio.load(Ordering::Relaxed))?;
        if s.cfg.mode == Mode::Lacp {
            bond_3ad::fill_slave_info(dev, p, msg)?;
        }
        Ok(())
    }
}
