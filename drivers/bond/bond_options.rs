// SPDX-License-Identifier: GPL-2.0

//! Setting the bond's options, shared by netlink (`bond_netlink.rs`) and
//! sysfs (`bond_sysfs.rs`) (C: `bond_options.c`: `__bond_opt_set`, the
//! `bond_option_*_set` functions, `bond_opt_error_interpret`).
//!
//! The table (names, value names, ranges, mode dependencies, flags) and
//! its parsing are the pure `txsel::bondopt`; here each parsed value is
//! applied to a copy of the bond's [`Config`] ([`set`]), then the copy is
//! committed to the live bond with what the change sets in motion
//! ([`commit`]: monitors, 802.3ad, carrier, reselection). Errors are
//! reported as C reports them: the bond's kernel log line, and an extack
//! for netlink ([`Report`]).
//!
//! Every option of C's table is implemented.

use crate::bond_dev::{monitors_changed, BondDriver, Config, Mode};
use crate::bond_slave;
use crate::lacp::aggregator::AdSelect;
use crate::netdev::{
    device::IfName,
    errno,
    prelude::*,
    txsel::{
        activebackup::PrimaryReselect,
        arpmon::{ArpValidate, TargetError},
        bondopt::{self, Dep},
        hash::XmitPolicy,
    },
};
use kernel::{c_str, prelude::*};

pub(crate) use crate::netdev::txsel::bondopt::{Input, Opt};

/// What the bond looks like while options are applied.
pub(crate) struct Target<'a> {
    /// The bond, for C's log lines (`netdev_err(bond->dev, ...)`).
    pub(crate) bond: &'a NetDevice,
    pub(crate) has_slaves: bool,
    pub(crate) up: bool,
    /// A native XDP program is attached (C: `bond->xdp_prog`).
    pub(crate) xdp: bool,
}

/// Why an option was refused (C's error codes, interpreted by
/// [`Report::error`]).
pub(crate) enum OptErr {
    /// `EINVAL`: a value the option does not take.
    Inval,
    /// `EACCES`: not in this mode.
    Access,
    /// `ENOTEMPTY`: the bond has slaves.
    NotEmpty,
    /// `EBUSY`: the bond is up.
    Busy,
    /// `ENODEV`: no interface of that name.
    NoDev,
    /// An error already logged, without an extack message.
    Plain(Error),
}

impl From<Dep> for OptErr {
    fn from(d: Dep) -> Self {
        match d {
            Dep::Mode => OptErr::Access,
            Dep::Slaves => OptErr::NotEmpty,
            Dep::Up => OptErr::Busy,
        }
    }
}

impl From<Error> for OptErr {
    fn from(e: Error) -> Self {
        OptErr::Plain(e)
    }
}

impl OptErr {
    /// An error code as C's `bond_opt_error_interpret` reads the code an
    /// option's set function returned (e.g. `bond_enslave`'s EBUSY for a
    /// device in use is "unable to set because the bond device is up").
    pub(crate) fn interpreted(e: Error) -> Self {
        if e == EINVAL {
            OptErr::Inval
        } else if e == EACCES {
            OptErr::Access
        } else if e == errno::err(errno::ENOTEMPTY) {
            OptErr::NotEmpty
        } else if e == EBUSY {
            OptErr::Busy
        } else if e == ENODEV {
            OptErr::NoDev
        } else {
            OptErr::Plain(e)
        }
    }
}

/// Where an option's error goes besides the bond's log line (C's
/// `bond_opt_error_interpret` logs for every caller): a netlink request's
/// extack (with the attribute at fault), or nowhere else, as C's sysfs
/// stores.
pub(crate) enum Report<'a> {
    Netlink(&'a mut ExtAck, Option<&'a Nla>, &'a NetDevice),
    Log(&'a NetDevice),
}

/// The mode's name in C's messages (`bond_mode_tbl`).
fn mode_name(mode: Mode) -> &'static str {
    Opt::Mode.value_name(mode.raw().into()).unwrap_or("?")
}

impl Report<'_> {
    /// The bond whose line C logs.
    fn bond(&self) -> &NetDevice {
        match self {
            Report::Netlink(_, _, b) => b,
            Report::Log(d) => d,
        }
    }

    /// `bond_opt_error_interpret`: the message for `err` and its errno.
    pub(crate) fn error(&mut self, opt: Opt, err: OptErr, input: Input<'_>, mode: Mode) -> Error {
        let name = opt.spec().name;
        let bond = self.bond();
        let (e, msg): (Error, Option<&'static CStr>) = match err {
            OptErr::Inval => {
                match input {
                    Input::Str(s) => bond_err(
                        bond,
                        format_args!(
                            "option {}: invalid value ({})\n",
                            name,
                            s.split('\n').next().unwrap_or("")
                        ),
                    ),
                    Input::Num(n) => bond_err(
                        bond,
                        format_args!("option {}: invalid value ({})\n", name, n),
                    ),
                }
                if let Some((lo, hi)) = opt.range() {
                    bond_err(
                        bond,
                        format_args!("option {}: allowed values {} - {}\n", name, lo, hi),
                    );
                }
                (EINVAL, Some(c_str!("invalid option value")))
            }
            OptErr::Access => {
                bond_err(
                    bond,
                    format_args!(
                        "option {}: mode dependency failed, not supported in mode {}({})\n",
                        name,
                        mode_name(mode),
                        mode.raw()
                    ),
                );
                (EACCES, Some(c_str!("option not supported in mode")))
            }
            OptErr::NotEmpty => {
                bond_err(
                    bond,
                    format_args!(
                        "option {}: unable to set because the bond device has slaves\n",
                        name
                    ),
                );
                (
                    errno::err(errno::ENOTEMPTY),
                    Some(c_str!(
                        "unable to set option because the bond device has slaves"
                    )),
                )
            }
            OptErr::Busy => {
                bond_err(
                    bond,
                    format_args!(
                        "option {}: unable to set because the bond device is up\n",
                        name
                    ),
                );
                (
                    EBUSY,
                    Some(c_str!("unable to set option because the bond is up")),
                )
            }
            OptErr::NoDev => {
                if let Input::Str(s) = input {
                    bond_err(
                        bond,
                        format_args!(
                            "option {}: interface {} does not exist!\n",
                            name,
                            s.split('\n').next().unwrap_or("")
                        ),
                    );
                }
                (ENODEV, Some(c_str!("interface does not exist")))
            }
            OptErr::Plain(e) => (e, None),
        };
        if let (Report::Netlink(extack, attr, _), Some(m)) = (self, msg) {
            return extack.fail_attr(*attr, m, e);
        }
        e
    }
}

/// C's `netdev_err(bond->dev, ...)` in the option code.
pub(crate) fn bond_err(bond: &NetDevice, args: core::fmt::Arguments<'_>) {
    crate::netdev_err!(bond, "{}", args);
}

/// C's line for an `active_slave` that is not one of the bond's slaves
/// (`bond_option_active_slave_set`): a slave of another bond, or no bond's
/// slave.
pub(crate) fn not_our_slave(bond: &NetDevice, sd: &NetDevice) {
    let what = if sd.is_bond_slave() { "our" } else { "bonding" };
    bond_err(
        bond,
        format_args!("(slave {}): Device is not {} slave\n", sd.name(), what),
    );
}

/// C's `netdev_warn(bond->dev, ...)` in the option code.
pub(crate) fn bond_warn(bond: &NetDevice, args: core::fmt::Arguments<'_>) {
    crate::netdev_warn!(bond, "{}", args);
}

/// `_bond_option_delay_set`: `v` ms in miimon ticks.
fn delay(cfg: &Config, t: &Target<'_>, v: u64, what: &str) -> Result<u32, OptErr> {
    if cfg.miimon == 0 {
        bond_err(
            t.bond,
            format_args!("Unable to set {} as MII monitoring is disabled\n", what),
        );
        return Err(OptErr::Plain(EPERM));
    }
    let v = v as u32;
    if v % cfg.miimon != 0 {
        bond_warn(
            t.bond,
            format_args!(
                "{} ({}) is not a multiple of miimon ({}), value rounded to {} ms\n",
                what,
                v,
                cfg.miimon,
                v / cfg.miimon * cfg.miimon
            ),
        );
    }
    Ok(v / cfg.miimon)
}

/// `__bond_opt_set` for an option of the table: the mode dependencies,
/// the value parsed against the table, then the option's own rules, on
/// `cfg` (a copy, committed by [`commit`]).
pub(crate) fn set(
    cfg: &mut Config,
    t: &Target<'_>,
    opt: Opt,
    input: Input<'_>,
) -> Result<(), OptErr> {
    bondopt::check_deps(opt, cfg.mode.raw(), t.has_slaves, t.up)?;
    let v = bondopt::parse(opt, input).ok_or(OptErr::Inval)?;
    match opt {
        Opt::Mode => {
            // C: a program stays only in a mode that supports it.
            if t.xdp && !bondopt::xdp_native(v as u8, cfg.policy) {
                return Err(OptErr::Plain(errno::err(errno::EOPNOTSUPP)));
            }
            set_mode(cfg, v)?
        }
        Opt::PacketsPerSlave => cfg.packets_per_slave = v as u32,
        Opt::XmitHash => {
            let policy = XmitPolicy::from_raw(v as u8).ok_or(OptErr::Inval)?;
            if t.xdp && !bondopt::xdp_native(cfg.mode.raw(), policy) {
                return Err(OptErr::Plain(errno::err(errno::EOPNOTSUPP)));
            }
            cfg.policy = policy
        }
        Opt::ArpValidate => {
            cfg.arp_validate = ArpValidate::from_raw(v as u32).ok_or(OptErr::Inval)?
        }
        Opt::ArpAllTargets => cfg.arp_all_targets = v != 0,
        Opt::ArpInterval => {
            // `bond_option_arp_interval_set`: the ARP monitor replaces
            // the MII one.
            cfg.arp_interval = v as u32;
            if v != 0 {
                cfg.miimon = 0;
            }
        }
        Opt::Miimon => {
            // `bond_option_miimon_set`: the MII monitor replaces the ARP
            // one.
            cfg.miimon = v as u32;
            if v != 0 && cfg.arp_interval != 0 {
                cfg.arp_interval = 0;
                cfg.arp_validate = ArpValidate::NONE;
            }
        }
        Opt::Updelay => cfg.updelay = delay(cfg, t, v, "up delay")?,
        Opt::Downdelay => cfg.downdelay = delay(cfg, t, v, "down delay")?,
        Opt::PeerNotifDelay => {
            cfg.fo.peer_notif_delay = delay(cfg, t, v, "peer notification delay")?
        }
        Opt::FailOverMac => cfg.fo.fail_over_mac = v as u8,
        Opt::UseCarrier => cfg.fo.use_carrier = v != 0,
        Opt::NumPeerNotif | Opt::NumGratArp => cfg.fo.num_peer_notif = v as u8,
        Opt::AllSlavesActive => cfg.fo.all_slaves_active = v != 0,
        Opt::ResendIgmp => cfg.fo.resend_igmp = v as u8,
        Opt::LacpRate => cfg.ad.lacp_fast = v != 0,
        Opt::LacpActive => cfg.ad.lacp_active = v != 0,
        Opt::MinLinks => cfg.ad.min_links = v as u32,
        Opt::AdSelect => cfg.ad.ad_select = AdSelect::from_raw(v as u8).ok_or(OptErr::Inval)?,
        Opt::AdActorSysPrio => cfg.ad.sys_prio = v as u16,
        Opt::AdUserPortKey => cfg.ad.user_port_key = v as u16,
        Opt::MissedMax => cfg.missed_max = v as u8,
        Opt::CoupledControl => cfg.ad.coupled_control = v != 0,
        Opt::PrimaryReselect => {
            cfg.primary_reselect = PrimaryReselect::from_raw(v as u8).ok_or(OptErr::Inval)?
        }
        Opt::LpInterval => cfg.lp_interval = v as u32,
        Opt::TlbDynamicLb => cfg.tlb_dynamic_lb = v != 0,
        // Raw options have their own entry points.
        Opt::ArpTargets
        | Opt::NsTargets
        | Opt::Primary
        | Opt::ActiveSlave
        | Opt::QueueId
        | Opt::Slaves
        | Opt::AdActorSystem => return Err(OptErr::Inval),
    }
    Ok(())
}

/// `bond_option_mode_set`.
fn set_mode(cfg: &mut Config, v: u64) -> Result<(), OptErr> {
    let mode = match v as u8 {
        bondopt::MODE_ROUNDROBIN => Mode::RoundRobin,
        bondopt::MODE_ACTIVEBACKUP => Mode::ActiveBackup,
        bondopt::MODE_XOR => Mode::Xor,
        bondopt::MODE_BROADCAST => Mode::Broadcast,
        bondopt::MODE_8023AD => Mode::Lacp,
        bondopt::MODE_TLB => Mode::Tlb,
        bondopt::MODE_ALB => Mode::Alb,
        _ => return Err(OptErr::Inval),
    };
    // The modes that cannot use the ARP monitor lose it and get the MII
    // monitor (100 ms) if it is off; arp_validate is not kept across a
    // mode set.
    if !mode.uses_arp() {
        cfg.arp_interval = 0;
        if cfg.miimon == 0 {
            cfg.miimon = 100;
        }
    }
    if mode == Mode::Alb {
        cfg.tlb_dynamic_lb = true;
    }
    cfg.arp_validate = ArpValidate::NONE;
    cfg.mode = mode;
    Ok(())
}

/// `bond_option_ad_actor_system_set`: `None` for text that is no MAC
/// address.
pub(crate) fn set_actor_system(
    cfg: &mut Config,
    t: &Target<'_>,
    mac: Option<[u8; 6]>,
) -> Result<(), OptErr> {
    bondopt::check_deps(Opt::AdActorSystem, cfg.mode.raw(), t.has_slaves, t.up)?;
    match mac {
        Some(m) if m[0] & 1 == 0 => {
            cfg.ad.actor_system = m;
            Ok(())
        }
        _ => {
            bond_err(
                t.bond,
                format_args!("Invalid ad_actor_system MAC address.\n"),
            );
            Err(OptErr::Inval)
        }
    }
}

/// `bond_option_primary_set` on the configuration: the name of the
/// preferred slave, `None` to clear.
pub(crate) fn set_primary(
    cfg: &mut Config,
    t: &Target<'_>,
    name: Option<IfName>,
) -> Result<(), OptErr> {
    bondopt::check_deps(Opt::Primary, cfg.mode.raw(), t.has_slaves, t.up)?;
    cfg.primary = name.filter(|n| !n.as_bytes().is_empty());
    Ok(())
}

/// C's log line for a refused target.
pub(crate) fn target_error<D: core::fmt::Display>(
    bond: &NetDevice,
    e: TargetError,
    kind: &str,
    ip: D,
    what: &str,
) {
    match e {
        TargetError::Invalid => bond_err(
            bond,
            format_args!("invalid {} target {} specified for {}\n", kind, ip, what),
        ),
        TargetError::Duplicate => bond_err(
            bond,
            format_args!("{} target {} is already present\n", kind, ip),
        ),
        TargetError::Full => bond_err(bond, format_args!("{} target table is full!\n", kind)),
    }
}

/// What a request changed besides the configuration's values, for
/// [`commit`].
#[derive(Default, Clone, Copy)]
pub(crate) struct Changed {
    /// `ad_actor_sys_prio` or `ad_actor_system` was set (even to the same
    /// value: C re-reads them and sends a LACPDU on every port).
    pub(crate) actor: bool,
    /// The number of ARP/NS target slots in use when a list was set
    /// (every slave's clock of each starts now).
    pub(crate) targets: Option<usize>,
    /// `primary` was set.
    pub(crate) primary: bool,
    /// `primary_reselect` was set.
    pub(crate) reselect: bool,
    /// `mode` was set (even to the same mode: C's `bond_option_mode_set`
    /// wants the ESP offloads of the mode again).
    pub(crate) mode: bool,
}

/// Makes `cfg` the live configuration of `dev` (it was `old`) and sets in
/// motion what the options changed (C: the live half of each
/// `bond_option_*_set`).
pub(crate) fn commit(
    dev: &Device<BondDriver>,
    old: &Config,
    cfg: &Config,
    ch: Changed,
    rtnl: &mut Rtnl,
) -> Result {
    let b = dev.data();
    b.ctl.borrow_mut(rtnl)?.cfg = *cfg;
    crate::bond_failover::config_changed(b, &old.fo, &*b.ctl.borrow(rtnl)?);
    crate::bond_3ad::config_changed(dev, old, cfg, ch.actor);
    if cfg.ad.min_links != old.ad.min_links {
        let ctl = b.ctl.borrow(rtnl)?;
        crate::bond_monitor::set_carrier(dev, &ctl);
    }
    monitors_changed(dev, old, cfg, rtnl);
    // `bond_option_mode_set`: the XDP features of the new mode, and the
    // ESP offload features wanted in active-backup only, whenever the
    // mode is set.
    if ch.mode || cfg.mode != old.mode {
        crate::bond_xdp::set_features(dev, rtnl);
        crate::bond_ipsec::mode_changed(dev, cfg.mode, rtnl);
    }
    if let Some(n) = ch.targets {
        let ctl = b.ctl.borrow(rtnl)?;
        let now = crate::netdev::arp::jiffies();
        for s in ctl.slaves.iter() {
            s.port.reset_target_rx(n, now);
        }
    }
    if ch.primary {
        // `bond_option_primary_set` on a live bond.
        let (mut ctl, rtnl) = b.ctl.borrow_mut_and_rtnl(rtnl)?;
        ctl.force_primary = bond_slave::primary_index(&ctl).is_some();
        crate::bond_monitor::select_active(&mut ctl, rtnl);
    } else if ch.reselect {
        // `bond_option_primary_reselect_set`: reselect now.
        let (mut ctl, rtnl) = b.ctl.borrow_mut_and_rtnl(rtnl)?;
        crate::bond_monitor::select_active(&mut ctl, rtnl);
    }
    Ok(())
}

/// Publishes the state after a change (the data path's snapshot).
pub(crate) fn publish(dev: &Device<BondDriver>, rtnl: &mut Rtnl) -> Result {
    let b = dev.data();
    let (ctl, rtnl) = b.ctl.borrow_and_rtnl(rtnl)?;
    bond_slave::publish(b, &ctl, rtnl);
    Ok(())
}

/// `bond_option_active_slave_set`: make `slave` the active one; `None`
/// clears and reselects.
pub(crate) fn set_active(
    dev: &Device<BondDriver>,
    slave: Option<&NetDevice>,
    rtnl: &mut Rtnl,
) -> Result<(), OptErr> {
    let b = dev.data();
    {
        let (mut ctl, rtnl) = b.ctl.borrow_mut_and_rtnl(rtnl)?;
        bondopt::check_deps(Opt::ActiveSlave, ctl.cfg.mode.raw(), false, false)?;
        match slave {
            None => {
                // C: `bond_change_active_slave(bond, NULL)` (the active
                // slave set inactive), then the reselection.
                crate::bond_monitor::change_active(&mut ctl, None, rtnl);
                crate::bond_monitor::select_active(&mut ctl, rtnl);
            }
            Some(sd) => {
                let Some(i) = ctl
                    .slaves
                    .iter()
                    .position(|s| core::ptr::eq(&*s.port.dev, sd))
                else {
                    not_our_slave(dev.net_device(), sd);
                    return Err(OptErr::Inval);
                };
                let p = &ctl.slaves[i].port;
                if ctl.active != Some(i) {
                    // C also refuses while no slave is active.
                    if ctl.active.is_none()
                        || !p.is_up()
                        || p.link() != crate::netdev::txsel::LinkState::Up
                    {
                        crate::slave_err!(
                            dev.net_device(),
                            sd,
                            "Could not set as active slave; either {} is down or the link is down\n",
                            sd.name()
                        );
                        return Err(OptErr::Inval);
                    }
                    crate::bond_monitor::change_active(&mut ctl, Some(i), rtnl);
                }
            }
        }
    }
    publish(dev, rtnl)?;
    Ok(())
}
