// SPDX-License-Identifier: GPL-2.0

//! Enslaving and releasing lower devices (C: `bond_enslave`,
//! `__bond_release_one`), and the slave snapshot the data path reads.
//!
//! A slave is two objects: the [`SlavePort`] (an `Arc`, the rx_handler's
//! port data and what the snapshot lists; atomics only, read without
//! locks) and the [`Slave`] (RTNL-side: the rx_handler registration, the
//! upper link and what must be restored on release).

use crate::bond_3ad;
use crate::bond_dev::{Bond, BondDriver, Config, Ctl, Mode};
use crate::netdev::{
    arp,
    device::MacFmt,
    errno,
    features::Features,
    kvec,
    prelude::*,
    rcu::{Plain, RcuBox},
    rx_handler::RxHandlerRegistration,
    sysfs::SysfsDir,
    txsel::{
        arpmon::MAX_TARGETS,
        failover::{FOM_ACTIVE, FOM_NONE},
        hash::XmitPolicy,
        roundrobin::RrConfig,
        Duplex, LinkState, Port,
    },
    type_change::HwAddr,
    upper::{AddrAssign, LagHash, LagInfo, UpperLink, ARPHRD_INFINIBAND},
};
use core::sync::atomic::{
    AtomicBool, AtomicI32, AtomicU16, AtomicU32, AtomicU64, AtomicU8, Ordering,
};
use kernel::{alloc::KVec, c_str, prelude::*, sync::Arc, types::ARef};

crate::atomic_drop! {
    /// The lock-free part of a slave.
    pub(crate) struct SlavePort {
        pub(crate) dev: ARef<NetDevice>,
        pub(crate) master: ARef<NetDevice>,
        /// `slave->link` (`BOND_LINK_*`).
        link: AtomicU8,
        /// `slave->backup`: not to transmit on (a standby slave of
        /// active-backup; a slave 802.3ad does not distribute on).
        pub(crate) backup: AtomicBool,
        /// `slave->inactive`: frames received are only for sockets bound
        /// to the slave itself.
        pub(crate) inactive: AtomicBool,
        /// Remaining updelay/downdelay ticks.
        pub(crate) delay: AtomicI32,
        pub(crate) link_failure_count: AtomicU32,
        /// The address the slave had when enslaved (restored on release).
        pub(crate) perm_addr: [u8; 6],
        /// The same, whatever the slave's link-layer type (C's
        /// `perm_hwaddr` of `addr_len` bytes, shown in `/proc`).
        pub(crate) perm_hw: Plain<HwAddr>,
        /// Mb/s, `u32::MAX` if unknown.
        pub(crate) speed: AtomicU32,
        /// 0 half, 1 full, 0xff unknown.
        pub(crate) duplex: AtomicU8,
        /// The link was up once (C: `slave->last_link_up` non-zero).
        pub(crate) was_up: AtomicBool,
        /// The slave's 802.3ad PDU counters.
        pub(crate) ad_stats: bond_3ad::AdStats,
        /// `slave->queue_id` (`bond_queue`): skbs of this queue mapping go
        /// out on this slave.
        pub(crate) queue_id: AtomicU16,
        /// `slave->prio`: failover priority (`ip link set SLAVE type
        /// bond_slave prio N`), higher preferred.
        pub(crate) prio: AtomicI32,
        /// ARP monitor clocks (jiffies): `slave->last_rx`, `last_tx`,
        /// `target_last_arp_rx[]`, `last_link_up`.
        pub(crate) last_rx: AtomicU64,
        pub(crate) last_tx: AtomicU64,
        pub(crate) target_rx: [AtomicU64; MAX_TARGETS],
        pub(crate) last_link_up: AtomicU64,
        /// The ARP monitor probes on this slave (C: the bond's
        /// `current_arp_slave`).
        pub(crate) arp_current: AtomicBool,
        /// C's `should_notify` and `should_notify_link` bits
        /// (`bond_lowerstate::What`).
        pub(crate) lower_later: AtomicU8,
        /// `NETDEV_BONDING_INFO` is due for this slave: the bond's
        /// `info_seq` when it became due, 0 if not
        /// (`bond_lowerstate::queue_info`).
        pub(crate) info_due: AtomicU64,
        /// A monitor's proposed link state (`slave->link_new_state`),
        /// `NO_CHANGE` if none.
        link_new: AtomicU8,
        /// The solicited-node groups of the NS targets this slave joined,
        /// per target slot (`bond_arp::ns_mc_encode`, 0: none).
        pub(crate) ns_mc: [AtomicU64; MAX_TARGETS],
        /// What the slave holds of the bond's receive filters
        /// (`bond_rxmode`): a promiscuity and an all-multicast reference,
        /// the bond's address lists.
        pub(crate) rx_promisc: AtomicBool,
        pub(crate) rx_allmulti: AtomicBool,
        pub(crate) rx_lists: AtomicBool,
        /// The slave's counters when the bond last folded them
        /// (`bond_stats`).
        pub(crate) stats_base: crate::bond_stats::Baseline,
    }
}

/// `BOND_LINK_NOCHANGE` in `link_new`.
const NO_CHANGE: u8 = 0xff;

impl SlavePort {
    pub(crate) fn link(&self) -> LinkState {
        LinkState::from_raw(self.link.load(Ordering::Relaxed) as i8).unwrap_or(LinkState::Down)
    }

    pub(crate) fn set_link(&self, l: LinkState) {
        self.link.store(l.raw() as u8, Ordering::Relaxed);
    }

    /// Records a monitor's proposal (`bond_propose_link_state`).
    pub(crate) fn propose(&self, l: Option<LinkState>) {
        let v = l.map_or(NO_CHANGE, |l| l.raw() as u8);
        self.link_new.store(v, Ordering::Relaxed);
    }

    /// Takes the proposal back, leaving none.
    pub(crate) fn take_proposal(&self) -> Option<LinkState> {
        LinkState::from_raw(self.link_new.swap(NO_CHANGE, Ordering::Relaxed) as i8)
    }

    /// One more link failure (saturating, as C's).
    pub(crate) fn count_failure(&self) {
        let _ = self
            .link_failure_count
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |c| c.checked_add(1));
    }

    /// `target_last_arp_rx[]`.
    pub(crate) fn target_rx(&self) -> [u64; MAX_TARGETS] {
        core::array::from_fn(|i| self.target_rx[i].load(Ordering::Relaxed))
    }

    /// Sets every per-target receive time of the slots in use to `now`,
    /// the others to 0 (the target list was replaced:
    /// `_bond_options_arp_ip_target_set`).
    pub(crate) fn reset_target_rx(&self, used: usize, now: u64) {
        for (i, t) in self.target_rx.iter().enumerate() {
            t.store(if i < used { now } else { 0 }, Ordering::Relaxed);
        }
    }

    /// Sets `backup` and `inactive` (C: `bond_set_slave_state` plus
    /// `inactive`, never set while `all_slaves_active` is on).
    pub(crate) fn set_flags(&self, backup: bool, inactive: bool) {
        self.backup.store(backup, Ordering::Relaxed);
        let inactive = inactive && !crate::bond_failover::all_slaves_active(&self.master);
        self.inactive.store(inactive, Ordering::Relaxed);
    }

    /// `slave->duplex`.
    pub(crate) fn duplex_state(&self) -> Duplex {
        match self.duplex.load(Ordering::Relaxed) {
            0 => Duplex::Half,
            1 => Duplex::Full,
            _ => Duplex::Unknown,
        }
    }

    /// `bond_slave_is_up()`.
    pub(crate) fn is_up(&self) -> bool {
        self.dev.is_running() && self.dev.carrier_ok()
    }

    /// Refreshes speed and duplex from ethtool (`bond_update_speed_duplex`);
    /// false when either is unknown.
    pub(crate) fn update_speed_duplex(&self, rtnl: &Rtnl) -> bool {
        let (s, d) = match self.dev.speed_duplex(rtnl) {
            Some((s, full)) => (s, u8::from(full)),
            None => (u32::MAX, 0xff),
        };
        self.speed.store(s, Ordering::Relaxed);
        self.duplex.store(d, Ordering::Relaxed);
        s != u32::MAX
    }

    /// The state the txsel policies read.
    pub(crate) fn port(&self, index: u32) -> Port {
        Port {
            index,
            dev_up: self.is_up(),
            link: self.link(),
            backup: self.backup.load(Ordering::Relaxed),
            speed: self.speed.load(Ordering::Relaxed),
            duplex: self.duplex_state(),
            delay: self.delay.load(Ordering::Relaxed),
            prio: self.prio.load(Ordering::Relaxed),
            ..Port::new(index)
        }
    }
}

/// The RTNL-side part of a slave.
pub(crate) struct Slave {
    pub(crate) port: Arc<SlavePort>,
    rx: Option<RxHandlerRegistration<SlavePort>>,
    upper: Option<UpperLink>,
    /// `bonding_slave/` (removed before the rx_handler on release).
    sysfs: Option<SysfsDir>,
    orig_mtu: u32,
}

crate::atomic_drop! {
    /// What the data path, the monitor and /proc read (RCU-published).
    pub(crate) struct Snapshot {
        pub(crate) cfg: Plain<Config>,
        pub(crate) rr: RrConfig,
        pub(crate) slaves: KVec<Arc<SlavePort>>,
        pub(crate) ports: KVec<Port>,
        /// Index of the active slave (modes with one).
        pub(crate) active: Option<usize>,
        /// C's `curr_active_slave` in every mode but 802.3ad: the active
        /// slave, or in the trunk modes the slave IGMP goes out on
        /// (balance-rr) and the ARP monitor's reference (`rcv_ctx`).
        pub(crate) curr: Option<usize>,
        /// Index of the primary slave, if enslaved.
        pub(crate) primary: Option<usize>,
        /// The balance-tlb table's generation this snapshot matches
        /// (`bond_alb`).
        pub(crate) tlb_gen: u32,
    }
}

/// Index of the slave named by `cfg.primary` (modes with one).
pub(crate) fn primary_index(ctl: &Ctl) -> Option<usize> {
    let name = ctl.cfg.primary?;
    if !ctl.cfg.mode.uses_primary() {
        return None;
    }
    ctl.slaves
        .iter()
        .position(|s| s.port.dev.name().as_bytes() == name.as_bytes())
}

/// The txsel view of every slave, in order.
pub(crate) fn ports(ctl: &Ctl) -> Result<KVec<Port>> {
    let mut v = KVec::with_capacity(ctl.slaves.len(), GFP_KERNEL)?;
    for (i, s) in ctl.slaves.iter().enumerate() {
        v.push(s.port.port(i as u32), GFP_KERNEL)?;
    }
    Ok(v)
}

/// The txsel view for transmission: in 802.3ad a slave may only transmit
/// if its port is on the active aggregator (C: `bond_update_slave_arr`);
/// without an active aggregator no slave may (`bond_reset_slave_arr`).
fn tx_ports(b: &Bond, ctl: &Ctl) -> Result<KVec<Port>> {
    let mut v = ports(ctl)?;
    if bond_3ad::is_8023ad(&ctl.cfg) {
        let st = b.ad.lock();
        let active = st.active_info().map(|i| i.index);
        for (i, p) in v.iter_mut().enumerate() {
            // The state lists the same slaves in the same order (both
            // change under RTNL); a slave it does not know is not used.
            let same = st
                .ports
                .get(i)
                .zip(ctl.slaves.get(i))
                .is_some_and(|(a, s)| core::ptr::eq(&*a.port, &*s.port));
            if !same || !st.in_active_agg(i, active) {
                p.backup = true;
            }
        }
    }
    Ok(v)
}

fn build(b: &Bond, ctl: &Ctl) -> Result<RcuBox<Snapshot>> {
    let mut slaves = KVec::with_capacity(ctl.slaves.len(), GFP_KERNEL)?;
    for s in ctl.slaves.iter() {
        slaves.push(s.port.clone(), GFP_KERNEL)?;
    }
    let snap = Snapshot {
        cfg: Plain(ctl.cfg),
        rr: RrConfig::new(ctl.cfg.packets_per_slave),
        slaves,
        ports: tx_ports(b, ctl)?,
        active: ctl.active.filter(|_| ctl.cfg.mode.uses_primary()),
        curr: ctl.active,
        primary: primary_index(ctl),
        tlb_gen: b.alb.gen(),
    };
    Ok(RcuBox::new(snap, GFP_KERNEL)?)
}

/// Publishes the current state for the data path (C:
/// `bond_update_slave_arr`); the previous snapshot is freed after a grace
/// period by an RCU callback, as C frees the slave array with `kfree_rcu`
/// (a release still waits: unregistering the rx_handler afterwards ends
/// with `synchronize_net`). If memory is short, nothing is published
/// (every packet is dropped) rather than a stale slave kept. The backup
/// slaves' NS groups follow the new state first.
pub(crate) fn publish(b: &Bond, ctl: &Ctl, rtnl: &mut Rtnl) {
    crate::bond_arp::sync_ns_maddrs(ctl, rtnl);
    // The receive filters follow the active slave (each slave holds its
    // master; without slaves there is nothing to move).
    if let Some(master) = ctl.slaves.first().map(|s| s.port.master.clone()) {
        crate::bond_rxmode::sync(&master, ctl, master.is_up(), rtnl);
    }
    let fo = crate::bond_failover::before_publish(b, ctl, rtnl);
    b.snap.replace(build(b, ctl).ok(), rtnl).defer();
    // The offloaded IPsec states follow the active slave the data path
    // now sees.
    crate::bond_ipsec::follow(b, ctl, rtnl);
    // balance-tlb: a new active slave takes the bond's address.
    crate::bond_alb::sync_active(b, ctl, rtnl);
    crate::bond_failover::after_publish(fo, rtnl);
}

/// C's `SLAVE_NL_ERR` (`slave` given) and `BOND_NL_ERR`: the message to
/// the extack, or, without one (sysfs, ioctl), to the log as the bond's
/// "Error: ..." line.
pub(crate) fn nl_err(
    dev: &Device<BondDriver>,
    slave: Option<&NetDevice>,
    extack: &mut ExtAck,
    msg: &'static CStr,
    e: Error,
) -> Error {
    if extack.is_discarded() {
        let m = msg.to_str().unwrap_or("?");
        match slave {
            Some(s) => crate::slave_err!(dev.net_device(), s, "Error: {}\n", m),
            None => crate::netdev_err!(dev.net_device(), "Error: {}\n", m),
        }
    }
    extack.fail(msg, e)
}

/// How the bond transmits, for the CHANGEUPPER listeners (C:
/// `bond_lag_tx_type`, `bond_lag_hash_type`).
fn lag_info(cfg: &Config) -> LagInfo {
    match cfg.mode {
        Mode::RoundRobin => LagInfo::RoundRobin,
        Mode::ActiveBackup => LagInfo::ActiveBackup,
        Mode::Broadcast => LagInfo::Broadcast,
        Mode::Xor | Mode::Lacp => LagInfo::Hash(match cfg.policy {
            XmitPolicy::Layer2 => LagHash::L2,
            XmitPolicy::Layer34 => LagHash::L34,
            XmitPolicy::Layer23 => LagHash::L23,
            XmitPolicy::Encap23 => LagHash::E23,
            XmitPolicy::Encap34 => LagHash::E34,
            XmitPolicy::VlanSrcMac => LagHash::VlanSrcMac,
        }),
        Mode::Tlb | Mode::Alb => LagInfo::Unknown,
    }
}

/// What `enslave` changed on the slave so far, to undo on failure.
struct Undo<'a> {
    slave: &'a NetDevice,
    orig_mtu: u32,
    perm: [u8; 6],
    mtu_set: bool,
    mac_set: bool,
    no_addrconf: bool,
    opened: bool,
    /// The bond's VIDs were added (`vlan_vids_add_by_dev`).
    vids: Option<&'a NetDevice>,
}

impl Undo<'_> {
    fn run(&self, rtnl: &mut Rtnl) {
        if let Some(bond) = self.vids {
            self.slave.vlan_vids_del_by_dev(bond, rtnl);
        }
        if self.opened {
            self.slave.close(rtnl);
        }
        if self.no_addrconf {
            self.slave.set_no_addrconf(false, rtnl);
        }
        if self.mac_set {
            let _ = self.slave.set_mac(&self.perm, None, rtnl);
        }
        if self.mtu_set {
            let _ = self.slave.set_mtu(self.orig_mtu, rtnl);
        }
    }
}

/// `ip link set SLAVE master BOND` (C: `bond_enslave`).
pub(crate) fn enslave(
    dev: &Device<BondDriver>,
    slave: &NetDevice,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result {
    let b = dev.data();
    let eperm = EPERM;
    if slave.is_master() && slave.downcast::<BondDriver>().is_none() {
        return Err(nl_err(
            dev,
            None,
            extack,
            c_str!("Device type (master device) cannot be enslaved"),
            eperm,
        ));
    }
    if slave.rx_handler_busy(rtnl) {
        return Err(nl_err(
            dev,
            Some(slave),
            extack,
            c_str!("Device is in use and cannot be enslaved"),
            EBUSY,
        ));
    }
    if core::ptr::eq(slave, dev.net_device()) {
        return Err(nl_err(
            dev,
            None,
            extack,
            c_str!("Cannot enslave bond to itself."),
            eperm,
        ));
    }
    // C: a VLAN-challenged slave makes the bond VLAN-challenged (the
    // feature computation), so it cannot join a bond with VLANs above.
    if slave.vlan_challenged() {
        if dev.vlan_uses_dev(rtnl) {
            return Err(nl_err(
                dev,
                Some(slave),
                extack,
                c_str!("Can not enslave VLAN challenged device to VLAN enabled bond"),
                eperm,
            ));
        }
        crate::slave_warn!(
            dev.net_device(),
            slave,
            "enslaved VLAN challenged slave. Adding VLANs will be blocked as long as it is part of bond.\n"
        );
    }
    if slave.is_up() {
        return Err(nl_err(
            dev,
            Some(slave),
            extack,
            c_str!("Device can not be enslaved while up"),
            eperm,
        ));
    }
    let (cfg, first) = {
        let ctl = b.ctl.borrow(rtnl)?;
        (ctl.cfg, ctl.slaves.is_empty())
    };
    crate::bond_type::enslave_check(dev, slave, cfg.mode, first, extack, rtnl)?;
    crate::bond_lowerstate::start_info(dev, rtnl);
    match enslave_typed(dev, slave, cfg, first, extack, rtnl) {
        Ok(port) => {
            // C: "enslave is successful": the slave's bonding info event.
            crate::bond_lowerstate::queue_info(&port);
            Ok(())
        }
        Err(e) => {
            // C: whatever failed after the type change, a bond still
            // without slaves goes back to Ethernet.
            if b.ctl.borrow(rtnl).is_ok_and(|c| c.slaves.is_empty()) {
                crate::bond_type::enslave_failed(dev, slave, rtnl);
            }
            Err(e)
        }
    }
}

/// `bond_enslave` once the bond has the slave's type: the new slave's
/// port.
fn enslave_typed(
    dev: &Device<BondDriver>,
    slave: &NetDevice,
    mut cfg: Config,
    first: bool,
    extack: &mut ExtAck,
    rtnl: &mut Rtnl,
) -> Result<Arc<SlavePort>> {
    let b = dev.data();
    // A non-Ethernet slave has no 6-byte address to give back (and no
    // `ndo_set_mac_address` either).
    let perm = slave.mac().unwrap_or([0; 6]);
    // C's `perm_hwaddr` is read before the slave takes the bond's address.
    let perm_hw = slave.hw_addr();
    // IPoIB slaves (C: `ARPHRD_INFINIBAND`): only active-backup, and as a
    // slave whose address cannot be set (`fail_over_mac active`). Ported
    // from C but untested: it needs IPoIB hardware, which the test guests
    // have not.
    let ib = slave.dev_type() == ARPHRD_INFINIBAND;
    if ib && cfg.mode != Mode::ActiveBackup {
        return Err(nl_err(
            dev,
            Some(slave),
            extack,
            c_str!("Only active-backup mode is supported for infiniband slaves"),
            errno::err(errno::EOPNOTSUPP),
        ));
    }
    if !slave.can_set_mac() || ib {
        crate::slave_warn!(
            dev.net_device(),
            slave,
            "The slave device specified does not support setting the MAC address\n"
        );
        // C: active-backup works with `fail_over_mac active`, which the
        // first such slave sets; the other modes fail when they set the
        // slave's address below.
        let fom = &mut cfg.fo.fail_over_mac;
        if cfg.mode == Mode::ActiveBackup && *fom != FOM_ACTIVE {
            if !first {
                return Err(nl_err(
                    dev,
                    Some(slave),
                    extack,
                    c_str!("Slave device does not support setting the MAC address, but fail_over_mac is not set to active"),
                    errno::err(errno::EOPNOTSUPP),
                ));
            }
            *fom = FOM_ACTIVE;
            b.ctl.borrow_mut(rtnl)?.cfg.fo.fail_over_mac = FOM_ACTIVE;
            // Kept even if the enslave fails below, as C: published now
            // (`ip -d link`, sysfs and /proc read the published state).
            crate::bond_options::publish(dev, rtnl)?;
            crate::slave_warn!(
                dev.net_device(),
                slave,
                "Setting fail_over_mac to active for active-backup mode\n"
            );
        }
    }
    let lacp = bond_3ad::is_8023ad(&cfg);
    // Standby until chosen: active-backup's backups, and every 802.3ad
    // port until its aggregator distributes (`__disable_port`).
    let standby = cfg.mode == Mode::ActiveBackup || lacp;

    let mut undo = Undo {
        slave,
        orig_mtu: slave.mtu(),
        perm,
        mtu_set: false,
        mac_set: false,
        no_addrconf: false,
        opened: false,
        vids: None,
    };
    // The first slave gives the bond its address (if the bond's is random).
    let took_addr = first && dev.addr_assign() == AddrAssign::Random;
    if took_addr {
        dev.take_addr_from(slave, rtnl)?;
    }
    let res = (|| -> Result<Slave> {
        slave.set_mtu(dev.mtu(), rtnl)?;
        undo.mtu_set = true;
        // C sets the slave's address to the bond's (whatever its length)
        // unless active-backup has `fail_over_mac`: a slave that cannot
        // fails here.
        let set = if (cfg.fo.fail_over_mac == FOM_NONE || cfg.mode != Mode::ActiveBackup)
            && !slave.can_set_mac()
        {
            Err(errno::err(errno::EOPNOTSUPP))
        } else if let Some(mac) = crate::bond_failover::enslave_mac(&cfg, dev, slave, first) {
            slave.set_mac(&mac, Some(&mut *extack), rtnl).map(|()| true)
        } else {
            Ok(false)
        };
        match set {
            Ok(set) => undo.mac_set = set,
            Err(e) => {
                crate::slave_err!(
                    dev.net_device(),
                    slave,
                    "Error {} calling set_mac_address\n",
                    e.to_errno()
                );
                return Err(e);
            }
        }
        // As C: before the slave opens, so IPv6 gives it no address.
        slave.set_no_addrconf(true, rtnl);
        undo.no_addrconf = true;
        slave.open(extack, rtnl)?;
        undo.opened = true;
        // balance-tlb: the slave's own, unique, address (C:
        // `bond_alb_init_slave`).
        if cfg.mode.is_lb() {
            crate::bond_alb::init_slave(dev, slave, &perm, rtnl)?;
        }
        // As C: the bond's VLANs on the slave, or no enslaving.
        if let Err(e) = slave.vlan_vids_add_by_dev(dev, rtnl) {
            crate::slave_err!(dev.net_device(), slave, "Couldn't add bond vlan ids\n");
            return Err(e);
        }
        undo.vids = Some(dev.net_device());

        // C: a slave whose driver reports no link (no ethtool `get_link`,
        // no MII ioctls) cannot be watched by the MII monitor without
        // `use_carrier`.
        if cfg.miimon != 0 && !cfg.fo.use_carrier && slave.reported_link().is_none() {
            if cfg.arp_interval == 0 {
                crate::netdev_warn!(
                    dev.net_device(),
                    "(slave {}): MII and ETHTOOL support not available for slave, and arp_interval/arp_ip_target module parameters not specified, thus bonding will not detect link failures! see bonding.txt for details\n",
                    slave.name()
                );
            } else {
                crate::netdev_warn!(
                    dev.net_device(),
                    "(slave {}): can't get link status from slave; the network driver associated with this interface does not support MII or ETHTOOL link status reporting, thus miimon has no effect on this interface\n",
                    slave.name()
                );
            }
        }

        let up = slave.is_running()
            && if cfg.fo.use_carrier {
                slave.carrier_ok()
            } else {
                slave.reported_link().unwrap_or(true)
            };
        let (link, delay) = if cfg.miimon == 0 && cfg.arp_interval != 0 {
            // The ARP monitor starts from the carrier.
            let l = if slave.carrier_ok() {
                LinkState::Up
            } else {
                LinkState::Down
            };
            (l, 0)
        } else if cfg.miimon == 0 {
            (LinkState::Up, 0)
        } else if !up {
            (LinkState::Down, 0)
        } else if cfg.updelay > 0 {
            (LinkState::Back, cfg.updelay as i32)
        } else {
            (LinkState::Up, 0)
        };
        // C: the ARP clocks start an interval and a jiffy in the past.
        let now = arp::jiffies();
        let clocks = now.wrapping_sub(arp::msecs_to_jiffies(cfg.arp_interval) + 1);
        let port = Arc::new(
            SlavePort {
                dev: slave.hold(),
                master: dev.net_device().hold(),
                link: AtomicU8::new(link.raw() as u8),
                backup: AtomicBool::new(standby),
                // balance-tlb: receive on the active slave only.
                inactive: AtomicBool::new(
                    (standby || cfg.mode.is_lb()) && !cfg.fo.all_slaves_active,
                ),
                delay: AtomicI32::new(delay),
                link_failure_count: AtomicU32::new(0),
                perm_addr: perm,
                perm_hw: Plain(perm_hw),
                speed: AtomicU32::new(u32::MAX),
                duplex: AtomicU8::new(0xff),
                was_up: AtomicBool::new(link != LinkState::Down),
                ad_stats: bond_3ad::AdStats::new(),
                queue_id: AtomicU16::new(0),
                prio: AtomicI32::new(0),
                last_rx: AtomicU64::new(clocks),
                last_tx: AtomicU64::new(clocks),
                target_rx: core::array::from_fn(|_| AtomicU64::new(clocks)),
                last_link_up: AtomicU64::new(if link == LinkState::Down { 0 } else { now }),
                arp_current: AtomicBool::new(false),
                link_new: AtomicU8::new(NO_CHANGE),
                lower_later: AtomicU8::new(0),
                info_due: AtomicU64::new(0),
                ns_mc: core::array::from_fn(|_| AtomicU64::new(0)),
                rx_promisc: AtomicBool::new(false),
                rx_allmulti: AtomicBool::new(false),
                rx_lists: AtomicBool::new(false),
                stats_base: crate::bond_stats::baseline(slave),
            },
            GFP_KERNEL,
        )?;
        // C marks a slave of unknown speed down here in 802.3ad, then
        // sets the initial link state over it: it starts up (or back)
        // like any other; only its next up/change event keeps it down.
        port.update_speed_duplex(rtnl);
        // 802.3ad: the port exists before the rx_handler can see a
        // LACPDU for it (C binds before registering the handler).
        if lacp {
            bond_3ad::bind(dev, &port, &cfg)?;
        }
        // C: a bond without LRO turns it off on the slave (and below).
        if !dev.net_device().features().contains(Features::LRO) {
            slave.disable_lro(rtnl);
        }
        let rx = match RxHandlerRegistration::new(slave, port.clone(), extack, rtnl) {
            Ok(r) => r,
            Err(e) => {
                if lacp {
                    bond_3ad::unbind(dev, &port);
                }
                return Err(e);
            }
        };
        // C: the initial link state, then (active-backup, 802.3ad) the
        // backup flag, each notified; once linked, the state again.
        crate::bond_lowerstate::send(&port, rtnl);
        if standby {
            crate::bond_lowerstate::send(&port, rtnl);
        }
        let upper = match UpperLink::new_bond_slave(slave, dev, lag_info(&cfg), extack, rtnl) {
            Ok(u) => {
                crate::bond_lowerstate::send(&port, rtnl);
                u
            }
            Err(e) => {
                rx.unregister(rtnl);
                if lacp {
                    bond_3ad::unbind(dev, &port);
                }
                return Err(e);
            }
        };
        let sysfs = match crate::bond_sysfs_slave::add(slave, rtnl) {
            Ok(d) => d,
            Err(e) => {
                upper.unlink(rtnl);
                rx.unregister(rtnl);
                if lacp {
                    bond_3ad::unbind(dev, &port);
                }
                return Err(e);
            }
        };
        // C: the bond's XDP program on the slave, last.
        if let Err(e) = crate::bond_xdp::enslave(dev, slave, extack, rtnl) {
            drop(sysfs);
            upper.unlink(rtnl);
            rx.unregister(rtnl);
            if lacp {
                bond_3ad::unbind(dev, &port);
            }
            return Err(e);
        }
        Ok(Slave {
            port,
            rx: Some(rx),
            upper: Some(upper),
            sysfs: Some(sysfs),
            orig_mtu: undo.orig_mtu,
        })
    })();
    let new = match res {
        Ok(s) => s,
        Err(e) => {
            undo.run(rtnl);
            return Err(e);
        }
    };

    let (mut ctl, rtnl) = b.ctl.borrow_mut_and_rtnl(rtnl)?;
    let name = new.port.dev.name();
    let port = new.port.clone();
    let at = ctl.slaves.len();
    if let Err(e) = crate::bond_alb::slave_added(b) {
        if lacp {
            bond_3ad::unbind(dev, &port);
        }
        drop(ctl);
        drop(new);
        undo.run(rtnl);
        return Err(e);
    }
    if let Err(e) = ctl.slaves.push(new, GFP_KERNEL) {
        crate::bond_alb::slave_not_added(b, at);
        if lacp {
            bond_3ad::unbind(dev, &port);
        }
        drop(ctl);
        // `new` was dropped by the failed push: its registrations are
        // undone by their drops (under RTNL).
        undo.run(rtnl);
        return Err(e.into());
    }
    if cfg.mode.uses_primary() && cfg.primary.is_some_and(|p| p.as_bytes() == name.as_bytes()) {
        ctl.force_primary = true;
    }
    // C: the carrier first, then the active slave (whose selection
    // logs a change of carrier only).
    crate::bond_monitor::set_carrier(dev, &ctl);
    if cfg.mode.uses_primary() {
        crate::bond_monitor::select_active(&mut ctl, rtnl);
    } else if cfg.mode != Mode::Lacp && ctl.active.is_none() && port.link() == LinkState::Up {
        // The trunk modes: the first slave up becomes `curr_active_slave`
        // without a change of active slave (C's enslave): the IPsec
        // states do not follow it.
        ctl.active = Some(at);
        crate::bond_ipsec::adopt(b, &port.dev, rtnl);
    }
    crate::bond_monitor::set_carrier(dev, &ctl);
    publish(b, &ctl, rtnl);
    if lacp && dev.is_up() {
        bond_3ad::mc_join(&port.dev, true, rtnl);
    }
    drop(ctl);
    crate::bond_xdp::set_features(dev, rtnl);
    crate::bond_features::recompute(dev, rtnl);
    // Each word read once: its article follows it.
    let (as_role, with_link) = (role(&port), link_word(&port));
    crate::slave_info!(
        dev.net_device(),
        &port.dev,
        "Enslaving as {} {} interface with {} {} link\n",
        article(as_role),
        as_role,
        article(with_link),
        with_link
    );
    Ok(port)
}

/// Releases `slave` (`ip link set SLAVE nomaster`, the slave's
/// unregistration, the bond's deletion) (C: `__bond_release_one`).
pub(crate) fn release(
    dev: &Device<BondDriver>,
    slave: &NetDevice,
    unregistering: bool,
    rtnl: &mut Rtnl,
) -> Result {
    let b = dev.data();
    let old_features = dev.net_device().features();
    let s = {
        let (mut ctl, rtnl) = b.ctl.borrow_mut_and_rtnl(rtnl)?;
        let Some(idx) = ctl
            .slaves
            .iter()
            .position(|s| core::ptr::eq(&*s.port.dev, slave))
        else {
            return Err(EINVAL);
        };
        // C: the counters are folded just before the slave leaves.
        if let Some(s) = ctl.slaves.get(idx) {
            // C: first of all the slave stops transmitting (not in
            // balance-tlb/alb), notified.
            if !ctl.cfg.mode.is_lb() && !s.port.backup.swap(true, Ordering::Relaxed) {
                crate::bond_lowerstate::send(&s.port, rtnl);
            }
            crate::bond_stats::fold_in(dev, &s.port);
        }
        let Some(s) = kvec::remove(&mut ctl.slaves, idx) else {
            return Err(EINVAL);
        };
        log_release(dev, &s.port);
        // C: releasing a slave whose address the bond still has (and
        // keeps: other slaves remain).
        if crate::bond_failover::restores_mac(&ctl.cfg)
            && !ctl.slaves.is_empty()
            && dev.net_device().mac() == Some(s.port.perm_addr)
        {
            crate::slave_warn!(
                dev.net_device(),
                &s.port.dev,
                "the permanent HWaddr of slave - {} - is still in use by bond - set the HWaddr of slave to a different address to avoid conflicts\n",
                MacFmt(&s.port.perm_addr)
            );
        }
        // First the leaving slave gives back the bond's receive filters
        // (C: `bond_change_active_slave(bond, NULL)` for the active one):
        // a single-lower sync to the next active slave skips addresses
        // still synced elsewhere.
        crate::bond_rxmode::release(dev, &s.port, rtnl);
        let lacp = bond_3ad::is_8023ad(&ctl.cfg);
        if lacp {
            // `bond_set_slave_inactive_flags`; the port is unbound once
            // the rx_handler is gone (`finish_release`).
            s.port.set_flags(true, true);
        }
        // C: `current_arp_slave` is cleared on every release.
        for t in ctl.slaves.iter() {
            t.port.arp_current.store(false, Ordering::Relaxed);
        }
        let was_active = ctl.active == Some(idx);
        ctl.active = match ctl.active {
            Some(a) if a == idx => None,
            Some(a) if a > idx => Some(a - 1),
            a => a,
        };
        // balance-tlb: addresses given back, buckets dropped (C:
        // `bond_alb_deinit_slave`, before the reselection).
        crate::bond_alb::deinit_slave(dev, &ctl, &s.port, idx, rtnl);
        if was_active {
            crate::bond_monitor::select_active(&mut ctl, rtnl);
        }
        crate::bond_monitor::set_carrier(dev, &ctl);
        // Stop the data path from using the slave (waits a grace period).
        publish(b, &ctl, rtnl);
        let empty = ctl.slaves.is_empty();
        drop(ctl);
        // C: a bond left without slaves takes a random address, whatever
        // it had.
        if empty {
            dev.random_addr(rtnl);
        }
        (s, lacp)
    };
    let name = s.0.port.dev.name();
    finish_release(dev, s.0, s.1, unregistering, rtnl);
    crate::bond_xdp::set_features(dev, rtnl);
    crate::bond_features::recompute(dev, rtnl);
    if old_features.contains(Features::VLAN_CHALLENGED) && !dev.net_device().vlan_challenged() {
        // C's `slave_info` (the slave released: its name kept).
        crate::netdev_info!(
            dev.net_device(),
            "(slave {}): last VLAN challenged slave left bond - VLAN blocking is removed\n",
            name
        );
    }
    Ok(())
}

/// C's "Releasing active/backup interface", once the slave stopped
/// transmitting (`bond_set_slave_inactive_flags`).
fn log_release(dev: &Device<BondDriver>, p: &SlavePort) {
    crate::slave_info!(
        dev.net_device(),
        &p.dev,
        "Releasing {} interface\n",
        role(p)
    );
}

/// The slave's role as C's "Enslaving as ..." and "Releasing ..." lines
/// word it (`bond_is_active_slave()`).
fn role(p: &SlavePort) -> &'static str {
    if p.backup.load(Ordering::Relaxed) {
        "backup"
    } else {
        "active"
    }
}

/// The slave's link as C's "Enslaving as ..." line words it
/// (`new_slave->link != BOND_LINK_DOWN`).
fn link_word(p: &SlavePort) -> &'static str {
    if p.link() != LinkState::Down {
        "up"
    } else {
        "down"
    }
}

/// The indefinite article C writes before `word` ("an active", "a down").
fn article(word: &str) -> &'static str {
    if word.starts_with(|c| "aeiou".contains(c)) {
        "an"
    } else {
        "a"
    }
}

/// Undoes what `enslave` did on the slave device; in 802.3ad the port is
/// unbound after the rx_handler is gone (C: `__bond_release_one`), and
/// the slave leaves the LACP group if the bond is up.
fn finish_release(
    dev: &Device<BondDriver>,
    mut s: Slave,
    lacp: bool,
    unregistering: bool,
    rtnl: &mut Rtnl,
) {
    drop(s.sysfs.take());
    crate::bond_xdp::release(dev, &s.port.dev, rtnl);
    if let Some(u) = s.upper.take() {
        u.unlink(rtnl);
    }
    if let Some(rx) = s.rx.take() {
        rx.unregister(rtnl);
    }
    crate::bond_arp::leave_ns_maddrs(&s.port, rtnl);
    crate::bond_rxmode::release(dev, &s.port, rtnl);
    s.port.dev.vlan_vids_del_by_dev(dev, rtnl);
    if lacp {
        bond_3ad::unbind(dev, &s.port);
        if dev.is_up() {
            bond_3ad::mc_join(&s.port.dev, false, rtnl);
        }
    }
    let restore = dev
        .data()
        .ctl
        .borrow(rtnl)
        .map_or(true, |c| crate::bond_failover::restores_mac(&c.cfg));
    let d = &s.port.dev;
    d.close(rtnl);
    d.set_no_addrconf(false, rtnl);
    if restore {
        let _ = d.set_mac(&s.port.perm_addr, None, rtnl);
    }
    let _ = if unregistering {
        d.set_mtu_force(s.orig_mtu, rtnl)
    } else {
        d.set_mtu(s.orig_mtu, rtnl)
    };
}

/// Releases every slave (the bond goes away: `ndo_uninit`).
pub(crate) fn release_all(dev: &Device<BondDriver>, rtnl: &mut Rtnl) {
    let b = dev.data();
    let slaves = match b.ctl.borrow_mut_and_rtnl(rtnl) {
        Ok((mut ctl, rtnl)) => {
            ctl.active = None;
            let v = core::mem::take(&mut ctl.slaves);
            let lacp = bond_3ad::is_8023ad(&ctl.cfg);
            publish(b, &ctl, rtnl);
            (v, lacp)
        }
        Err(_) => return,
    };
    dev.set_carrier(false);
    let lb = b.ctl.borrow(rtnl).is_ok_and(|c| c.cfg.mode.is_lb());
    for s in slaves.0.into_iter() {
        // C: each slave stops transmitting as it is released, notified.
        if !lb && !s.port.backup.swap(true, Ordering::Relaxed) {
            crate::bond_lowerstate::send(&s.port, rtnl);
        }
        log_release(dev, &s.port);
        finish_release(dev, s, slaves.1, false, rtnl);
    }
}

/// `ip link set BOND address MAC` (C: `bond_set_mac_address`, without
/// alb, which rvnet_bond lacks): every slave takes the address, or, if
/// one refuses, those before it get the bond's back. The layer then gives
/// it to the bond. Live, as C (no `eth_mac_addr` "busy"). With
/// `fail_over_mac` in active-backup, C succeeds without changing anything.
pub(crate) fn set_mac_all(
    dev: &Device<BondDriver>,
    mac: &[u8; 6],
    rtnl: &mut Rtnl,
) -> Result<MacAddrSet> {
    let (ctl, rtnl) = dev.data().ctl.borrow_and_rtnl(rtnl)?;
    // balance-alb: the slaves keep their own addresses
    // (`bond_alb_set_mac_address`).
    if ctl.cfg.mode == Mode::Alb {
        crate::bond_alb::set_mac_address(dev, &ctl, mac, rtnl)?;
        return Ok(MacAddrSet::Store);
    }
    if crate::bond_failover::keeps_bond_mac(&ctl.cfg) {
        return Ok(MacAddrSet::Keep);
    }
    if mac[0] & 1 != 0 || mac.iter().all(|&b| b == 0) {
        return Err(errno::err(errno::EADDRNOTAVAIL));
    }
    let old = dev.mac().ok_or(EINVAL)?;
    for (i, s) in ctl.slaves.iter().enumerate() {
        if let Err(e) = s.port.dev.set_mac(mac, None, rtnl) {
            for t in ctl.slaves.iter().take(i) {
                let _ = t.port.dev.set_mac(&old, None, rtnl);
            }
            return Err(e);
        }
    }
    Ok(MacAddrSet::Store)
}

/// `ndo_change_mtu` of the bond: every slave follows (C: `bond_change_mtu`).
pub(crate) fn set_mtu_all(dev: &Device<BondDriver>, mtu: u32, rtnl: &mut Rtnl) -> Result {
    let (ctl, rtnl) = dev.data().ctl.borrow_and_rtnl(rtnl)?;
    let old = dev.mtu();
    for (i, s) in ctl.slaves.iter().enumerate() {
        if let Err(e) = s.port.dev.set_mtu(mtu, rtnl) {
            for t in ctl.slaves.iter().take(i) {
                let _ = t.port.dev.set_mtu(old, rtnl);
            }
            return Err(e);
        }
    }
    Ok(())
}
