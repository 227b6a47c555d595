// SPDX-License-Identifier: GPL-2.0

//! The bond device: its configuration, its state and its
//! `net_device_ops` (C: `bond_setup`, `bond_open`, `bond_close`,
//! `bond_uninit`, `bond_change_mtu`, `bond_start_xmit`).

use crate::bond_3ad::{self, AdConfig, AdState};
use crate::bond_slave::{self, Slave, Snapshot};
use crate::netdev::{
    bh_lock::BhLock,
    bond_ioctl::{BondIoctl, MiiCmd, MiiData},
    device::{flags, IfName, Stats64},
    driver::LinkSettings,
    features::Features,
    flow::FlowDissector,
    module_veto::KeepOut,
    percpu::PerCpuU32,
    prelude::*,
    proc::ProcDevSlot,
    rcu::synchronize_net,
    txqueue::QueueSkb,
    txsel::{
        activebackup::PrimaryReselect,
        arpmon::{ArpValidate, Targets},
        hash::XmitPolicy,
    },
    uapi::bond,
    vlan::AddrListsLocked,
    work::{DevWork, DevWorkHandler},
    xdp::XdpContext,
    xdp_prog::{BpfProg, MasterProg},
    xfrm::XfrmOffloads,
};
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use kernel::{alloc::KVec, c_str, prelude::*, types::ARef};

/// Bonding modes (`BOND_MODE_*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    /// `balance-rr` (0).
    RoundRobin,
    /// `active-backup` (1).
    ActiveBackup,
    /// `balance-xor` (2).
    Xor,
    /// `broadcast` (3).
    Broadcast,
    /// `802.3ad` (4).
    Lacp,
    /// `balance-tlb` (5).
    Tlb,
    /// `balance-alb` (6).
    Alb,
}

impl Mode {
    /// The C value.
    pub(crate) fn raw(self) -> u8 {
        match self {
            Mode::RoundRobin => bond::MODE_ROUNDROBIN,
            Mode::ActiveBackup => bond::MODE_ACTIVEBACKUP,
            Mode::Xor => bond::MODE_XOR,
            Mode::Broadcast => bond::MODE_BROADCAST,
            Mode::Lacp => bond::MODE_8023AD,
            Mode::Tlb => bond::MODE_TLB,
            Mode::Alb => bond::MODE_ALB,
        }
    }

    /// `bond_mode_name()`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Mode::RoundRobin => "load balancing (round-robin)",
            Mode::ActiveBackup => "fault-tolerance (active-backup)",
            Mode::Xor => "load balancing (xor)",
            Mode::Broadcast => "fault-tolerance (broadcast)",
            Mode::Lacp => "IEEE 802.3ad Dynamic link aggregation",
            Mode::Tlb => "transmit load balancing",
            Mode::Alb => "adaptive load balancing",
        }
    }

    /// `bond_mode_uses_xmit_hash()`.
    pub(crate) fn uses_xmit_hash(self) -> bool {
        matches!(self, Mode::Xor | Mode::Lacp)
    }

    /// `bond_mode_uses_arp()`: the ARP monitor can watch this mode.
    pub(crate) fn uses_arp(self) -> bool {
        !matches!(self, Mode::Lacp | Mode::Tlb | Mode::Alb)
    }

    /// `bond_is_lb()`: balance-tlb or balance-alb.
    pub(crate) fn is_lb(self) -> bool {
        matches!(self, Mode::Tlb | Mode::Alb)
    }

    /// `bond_uses_primary()`: the mode has one active slave.
    pub(crate) fn uses_primary(self) -> bool {
        matches!(self, Mode::ActiveBackup | Mode::Tlb | Mode::Alb)
    }
}

/// The bond's parameters (C: `struct bond_params`, the supported part).
#[derive(Clone, Copy)]
pub(crate) struct Config {
    pub(crate) mode: Mode,
    /// MII polling interval in ms (0: off).
    pub(crate) miimon: u32,
    /// Up/down delays in miimon ticks.
    pub(crate) updelay: u32,
    pub(crate) downdelay: u32,
    pub(crate) policy: XmitPolicy,
    pub(crate) packets_per_slave: u32,
    /// `params.primary`: the name of the preferred slave (may not be
    /// enslaved yet).
    pub(crate) primary: Option<IfName>,
    /// `primary_reselect`.
    pub(crate) primary_reselect: PrimaryReselect,
    /// The 802.3ad options.
    pub(crate) ad: AdConfig,
    /// ARP monitoring interval in ms (0: off).
    pub(crate) arp_interval: u32,
    /// `arp_ip_target`.
    pub(crate) arp_targets: Targets,
    /// `ns_ip6_target`.
    pub(crate) ns_targets: Targets<[u8; 16]>,
    /// `arp_validate`.
    pub(crate) arp_validate: ArpValidate,
    /// `arp_all_targets all` (else `any`).
    pub(crate) arp_all_targets: bool,
    /// `arp_missed_max` (1-255, default 2).
    pub(crate) missed_max: u8,
    /// The failover options (`bond_failover`).
    pub(crate) fo: crate::bond_failover::FoConfig,
    /// `tlb_dynamic_lb` (default on).
    pub(crate) tlb_dynamic_lb: bool,
    /// `lp_interval` in seconds (default 1).
    pub(crate) lp_interval: u32,
}

impl Config {
    /// `bond_mode_uses_xmit_hash()`: balance-tlb/alb hash without
    /// `tlb_dynamic_lb`.
    pub(crate) fn uses_xmit_hash(&self) -> bool {
        self.mode.uses_xmit_hash() || (self.mode.is_lb() && !self.tlb_dynamic_lb)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::RoundRobin,
            miimon: 0,
            updelay: 0,
            downdelay: 0,
            policy: XmitPolicy::Layer2,
            packets_per_slave: 1,
            primary: None,
            primary_reselect: PrimaryReselect::Always,
            ad: AdConfig::default(),
            arp_interval: 0,
            arp_targets: Targets::default(),
            ns_targets: Targets::default(),
            arp_validate: ArpValidate::NONE,
            arp_all_targets: false,
            missed_max: 2,
            tlb_dynamic_lb: true,
            lp_interval: 1,
            fo: crate::bond_failover::FoConfig::default(),
        }
    }
}

/// Control-path state, under RTNL.
pub(crate) struct Ctl {
    pub(crate) cfg: Config,
    /// Slaves, in enslave order.
    pub(crate) slaves: KVec<Slave>,
    /// `curr_active_slave`: index into `slaves`.
    pub(crate) active: Option<usize>,
    /// `force_primary`.
    pub(crate) force_primary: bool,
    /// A change of active slave whose consequences wait for the next
    /// publication (`bond_failover`).
    pub(crate) fo_pending: crate::bond_failover::PendingCell,
    /// The native XDP program, installed on every slave (C: `xdp_prog`,
    /// `bond_xdp`).
    pub(crate) xdp: Option<MasterProg>,
}

impl Ctl {
    /// The slave whose device is `dev`, if `dev` is one of this bond's.
    pub(crate) fn slave_of(&self, dev: &NetDevice) -> Option<&Slave> {
        self.slaves
            .iter()
            .find(|s| core::ptr::eq(&*s.port.dev, dev))
    }
}

/// The bond's private data.
pub(crate) struct Bond {
    pub(crate) ctl: RtnlLocked<Ctl>,
    /// What the data path, the monitor and /proc read, republished by
    /// every change under RTNL.
    pub(crate) snap: RcuPtr<Snapshot>,
    /// `rr_tx_counter`: per CPU, as C's.
    pub(crate) rr_counter: PerCpuU32,
    /// miimon interval for the monitor (ms, 0: off), mirrors `cfg.miimon`.
    pub(crate) miimon: AtomicU32,
    pub(crate) monitor: DevWork<BondDriver, MiiWork>,
    /// ARP interval for the ARP monitor (ms, 0: off), mirrors
    /// `cfg.arp_interval`.
    pub(crate) arp_interval: AtomicU32,
    /// The ARP monitor (C: `arp_work`).
    pub(crate) arp_work: DevWork<BondDriver, ArpWork>,
    /// Received frames go through `bond_rcv_validate` (C: `recv_probe`
    /// set by the ARP monitor).
    pub(crate) arp_rx: AtomicBool,
    /// LACPDUs go to the 802.3ad machines (C: `recv_probe`), from
    /// `ndo_open` to `ndo_stop` in mode 802.3ad.
    pub(crate) lacp_rx: AtomicBool,
    /// The 802.3ad state (C: `mode_lock` and what it protects).
    pub(crate) ad: BhLock<AdState>,
    /// The 802.3ad state machines, every 100 ms while up (C: `ad_work`).
    pub(crate) ad_work: DevWork<BondDriver, AdWork>,
    /// Republishes the snapshot for the 802.3ad machines (C:
    /// `slave_arr_work`).
    pub(crate) arr_work: DevWork<BondDriver, ArrWork>,
    /// Sends the slaves' due `NETDEV_BONDING_INFO` (C: each slave's
    /// `notify_work`; `bond_lowerstate::queue_info`).
    pub(crate) info_work: DevWork<BondDriver, crate::bond_lowerstate::InfoWork>,
    /// The order in which slaves' `NETDEV_BONDING_INFO` became due.
    pub(crate) info_seq: AtomicU64,
    /// The bond's 802.3ad PDU counters (all slaves, kept across their
    /// release as C's `BOND_AD_INFO(bond).stats`).
    pub(crate) ad_stats: crate::bond_3ad::AdStats,
    pub(crate) flow: FlowDissector,
    /// The counters folded from the slaves (C: `bond_stats` under
    /// `stats_lock`).
    pub(crate) stats: BhLock<[u64; crate::netdev::device::STATS64_LEN]>,
    /// The features are being recomputed (C: `notifier_ctx`).
    pub(crate) feat_busy: AtomicBool,
    /// `/proc/net/bonding/<name>`, kept by the layer.
    pub(crate) proc: ProcDevSlot,
    /// balance-tlb (C: `alb_info`, `alb_work`).
    pub(crate) alb: crate::bond_alb::Alb,
    /// Peer notification and IGMP resend state (`bond_failover`).
    pub(crate) fo: crate::bond_failover::FoState,
    /// The IPsec states offloaded through the bond (C: `ipsec_list`,
    /// `ipsec_lock`), kept by the layer.
    pub(crate) ipsec: XfrmOffloads,
    /// The slave the offloaded states were last moved to (`bond_ipsec`).
    pub(crate) ipsec_on: RtnlLocked<Option<ARef<NetDevice>>>,
}

impl Bond {
    pub(crate) fn new(cfg: Config) -> Result<Self> {
        Ok(Bond {
            ctl: RtnlLocked::new(Ctl {
                cfg,
                slaves: KVec::new(),
                active: None,
                force_primary: false,
                fo_pending: Default::default(),
                xdp: None,
            }),
            snap: RcuPtr::null(),
            rr_counter: PerCpuU32::new()?,
            miimon: AtomicU32::new(cfg.miimon),
            monitor: DevWork::new(),
            arp_interval: AtomicU32::new(cfg.arp_interval),
            arp_work: DevWork::new(),
            arp_rx: AtomicBool::new(false),
            lacp_rx: AtomicBool::new(false),
            ad: crate::new_bh_lock!(AdState::new(), "rvnet_bond_mode_lock")?,
            ad_work: DevWork::new(),
            ad_stats: crate::bond_3ad::AdStats::new(),
            arr_work: DevWork::new(),
            info_work: DevWork::new(),
            info_seq: AtomicU64::new(0),
            flow: FlowDissector::new(),
            feat_busy: AtomicBool::new(false),
            stats: crate::new_bh_lock!(
                [0u64; crate::netdev::device::STATS64_LEN],
                "rvnet_bond_stats_lock"
            )?,
            proc: ProcDevSlot::new(),
            alb: crate::bond_alb::Alb::new()?,
            fo: crate::bond_failover::FoState::new(&cfg.fo),
            ipsec: XfrmOffloads::new()?,
            ipsec_on: RtnlLocked::new(None),
        })
    }
}

/// Work kinds of a bond: the MII monitor (C: `mii_work`).
pub(crate) struct MiiWork;
/// The 802.3ad state machines (C: `ad_work`).
pub(crate) struct AdWork;
/// The ARP monitor (C: `arp_work`).
pub(crate) struct ArpWork;
/// Republishing the snapshot when RTNL was busy (C: `slave_arr_work`).
pub(crate) struct ArrWork;

/// The bond driver.
pub(crate) struct BondDriver;

#[vtable]
impl Driver for BondDriver {
    type Data = Bond;

    const INFO: DriverInfo = DriverInfo {
        name: c_str!("rvnet_bond"),
        // As C: the kernel's release, and the ABI version as firmware.
        version: c_str!(""),
    };
    const FW_VERSION: Option<&'static CStr> = Some(c_str!("2"));
    const PCPU_STATS: bool = true;
    /// C bonding has no `ndo_validate_addr`: a bond that took the
    /// loopback's zero address opens.
    const VALIDATE_ADDR: bool = false;
    /// C `bond_init`'s `alloc_ordered_workqueue(bond name,
    /// WQ_MEM_RECLAIM)`: the monitors, 802.3ad and alb state machines,
    /// slave array and IGMP works of a bond never run beside each other,
    /// and its rescuer thread is `kworker/R-<bond>`.
    const OWN_WORKQUEUE: bool = true;
    /// Bonds and their slaves carry `IFF_BONDING`, whose devices C
    /// `bonding.ko` takes for its own: it cannot load while this driver's
    /// link kind is registered.
    const KEEP_OUT: Option<KeepOut> = Some(KeepOut::BONDING);
    /// `bond_xdp_xmit`: frames redirected to the bond go out of the slave
    /// `xdp_get_xmit_slave` chooses.
    const XDP_XMIT_VIA_LOWER: bool = true;

    fn setup(dev: &mut Setup<'_, Self>) {
        dev.ether_setup();
        // As C `bond_setup`: IFF_MASTER and IFF_BONDING
        // (`netif_is_bond_master`).
        dev.add_flags(flags::IFF_MASTER);
        dev.bonding_master();
        dev.no_queue();
        dev.unicast_filter();
        dev.no_tx_skb_sharing();
        // As C `bond_setup`: a bond stays in its namespace (its slaves,
        // /proc file and sysfs are tied to it).
        dev.netns_immutable();
        dev.set_lltx();
        // As C `bond_setup`: a master's offloads (narrowed to the slaves'
        // by `fix_features`), VLAN tag insertion (VLANs above pass their
        // tag out of band: same hash input), VLAN filtering (the VIDs
        // passed on to the slaves).
        dev.master_upper_features();
        dev.vlan_filter();
        // As C `bond_setup` with `CONFIG_XFRM_OFFLOAD`: the xfrmdev_ops,
        // and the ESP offloads to toggle (on from the start only in a
        // module-wide active-backup default, which this driver has not:
        // `bond_ipsec` wants them when the mode becomes active-backup).
        dev.xfrm_offload();
        dev.add_hw_features(Features::ESP_OFFLOAD);
        dev.random_mac();
        dev.set_mtu(1500, 68, 65535);
        dev.sysfs_group(&crate::bond_sysfs::GROUP);
    }

    fn open(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        let b = dev.data();
        let (ctl, rtnl) = b.ctl.borrow_and_rtnl(rtnl)?;
        // C resets the slaves' flags first (a slave may have kept those of
        // a state the bond left while down), and the data path follows.
        if crate::bond_monitor::open_flags(&ctl, rtnl) {
            bond_slave::publish(b, &ctl, rtnl);
        }
        // Then, as C's `bond_alb_initialize` (its failure fails the open).
        crate::bond_alb::open(dev, &ctl, rtnl)?;
        if ctl.cfg.miimon > 0 {
            dev.start_work::<MiiWork>(0, rtnl);
        }
        if ctl.cfg.arp_interval > 0 {
            dev.start_work::<ArpWork>(0, rtnl);
            b.arp_rx.store(true, Ordering::Relaxed);
        }
        if bond_3ad::is_8023ad(&ctl.cfg) {
            bond_3ad::opened(b);
            b.lacp_rx.store(true, Ordering::Relaxed);
            dev.start_work::<ArrWork>(0, rtnl);
            dev.start_work::<AdWork>(0, rtnl);
            for s in ctl.slaves.iter() {
                bond_3ad::mc_join(&s.port.dev, true, rtnl);
            }
        }
        // IFF_UP is set after this returns; the lists go to the slaves
        // holding them now, and with every `set_rx_mode` from then on.
        crate::bond_rxmode::sync(dev, &ctl, true, rtnl);
        Ok(())
    }

    fn stop(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        let b = dev.data();
        // As C's `bond_close`: no receive handler hands the machines a
        // LACPDU once this returns.
        if b.lacp_rx.swap(false, Ordering::Relaxed) {
            synchronize_net(rtnl);
        }
        b.arp_rx.store(false, Ordering::Relaxed);
        b.monitor.cancel_sync();
        b.arp_work.cancel_sync();
        b.ad_work.cancel_sync();
        b.arr_work.cancel_sync();
        crate::bond_alb::stop(b);
        crate::bond_failover::stop(b);
        let (ctl, rtnl) = b.ctl.borrow_and_rtnl(rtnl)?;
        if bond_3ad::is_8023ad(&ctl.cfg) {
            for s in ctl.slaves.iter() {
                bond_3ad::mc_join(&s.port.dev, false, rtnl);
            }
        }
        // C `bond_close`: the slaves drop the bond's address lists
        // (`bond_hw_addr_flush`); IFF_UP is still set here.
        crate::bond_rxmode::sync(dev, &ctl, false, rtnl);
        Ok(())
    }

    fn set_rx_mode(dev: &Device<Self>, lists: &AddrListsLocked<'_>) {
        crate::bond_rxmode::set_rx_mode(dev, lists);
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut Stats64) {
        crate::bond_stats::get(dev, stats);
    }

    fn fix_features(dev: &Device<Self>, features: Features, rtnl: &mut Rtnl) -> Features {
        crate::bond_features::fix(dev, features, rtnl)
    }

    fn vlan_rx_add_vid(dev: &Device<Self>, proto: u16, vid: u16, rtnl: &mut Rtnl) -> Result {
        crate::bond_vlan::add_vid(dev, proto, vid, rtnl)
    }

    fn vlan_rx_kill_vid(dev: &Device<Self>, proto: u16, vid: u16, rtnl: &mut Rtnl) -> Result {
        crate::bond_vlan::kill_vid(dev, proto, vid, rtnl)
    }

    fn change_rx_flags(dev: &Device<Self>, _changed: u32, rtnl: &mut Rtnl) {
        let (ctl, rtnl) = match dev.data().ctl.borrow_and_rtnl(rtnl) {
            Ok(x) => x,
            Err(_) => return,
        };
        crate::bond_rxmode::sync(dev, &ctl, dev.is_up(), rtnl);
    }

    fn uninit(dev: &Device<Self>, rtnl: &mut Rtnl) {
        bond_slave::release_all(dev, rtnl);
        crate::netdev_info!(dev.net_device(), "Released all slaves\n");
    }

    fn change_mtu(dev: &Device<Self>, new_mtu: u32, rtnl: &mut Rtnl) -> Result {
        bond_slave::set_mtu_all(dev, new_mtu, rtnl)
    }

    fn set_mac_address(dev: &Device<Self>, mac: &[u8; 6], rtnl: &mut Rtnl) -> Result<MacAddrSet> {
        bond_slave::set_mac_all(dev, mac, rtnl)
    }

    fn add_slave(
        dev: &Device<Self>,
        slave: &NetDevice,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        bond_slave::enslave(dev, slave, extack, rtnl)
    }

    fn del_slave(dev: &Device<Self>, slave: &NetDevice, rtnl: &mut Rtnl) -> Result {
        bond_slave::release(dev, slave, false, rtnl)
    }

    fn xdp_get_xmit_slave<'r>(
        dev: &'r Device<Self>,
        frame: &[u8],
        ctx: &'r XdpContext,
    ) -> Option<&'r NetDevice> {
        crate::bond_xmit::xdp_slave(dev, frame, ctx)
    }

    fn xdp_setup_prog(
        dev: &Device<Self>,
        prog: Option<BpfProg>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        crate::bond_xdp::setup_prog(dev, prog, extack, rtnl)
    }

    fn select_queue(dev: &Device<Self>, skb: &mut QueueSkb<'_>) -> u16 {
        crate::bond_queue::select_queue(dev, skb)
    }

    fn siocbond(dev: &Device<Self>, req: BondIoctl<'_>, rtnl: &mut Rtnl) -> Result {
        crate::bond_ioctl::siocbond(dev, req, rtnl)
    }

    fn eth_ioctl(dev: &Device<Self>, cmd: MiiCmd, mii: &mut MiiData, rtnl: &mut Rtnl) -> Result {
        crate::bond_ioctl::eth_ioctl(dev, cmd, mii, rtnl)
    }

    fn get_link_ksettings(dev: &Device<Self>, rtnl: &mut Rtnl) -> LinkSettings {
        crate::bond_ethtool::link_settings(dev, rtnl)
    }

    fn start_xmit<'x>(dev: &Device<Self>, skb: TxSkb<'x>, tx: &XmitContext) -> TxResult<'x> {
        crate::bond_xmit::xmit(dev, skb.into_skb(), tx);
        TxResult::Ok
    }
}

impl DevWorkHandler<MiiWork> for BondDriver {
    fn work(b: &Bond) -> &DevWork<Self, MiiWork> {
        &b.monitor
    }

    fn run(dev: &Device<Self>) {
        crate::bond_monitor::miimon_tick(dev);
    }
}

impl DevWorkHandler<ArpWork> for BondDriver {
    fn work(b: &Bond) -> &DevWork<Self, ArpWork> {
        &b.arp_work
    }

    fn run(dev: &Device<Self>) {
        crate::bond_arp::monitor(dev);
    }
}

impl DevWorkHandler<AdWork> for BondDriver {
    fn work(b: &Bond) -> &DevWork<Self, AdWork> {
        &b.ad_work
    }

    fn run(dev: &Device<Self>) {
        bond_3ad::state_machine(dev);
    }
}

impl DevWorkHandler<ArrWork> for BondDriver {
    fn work(b: &Bond) -> &DevWork<Self, ArrWork> {
        &b.arr_work
    }

    fn run(dev: &Device<Self>) {
        let b = dev.data();
        let Some(mut rtnl) = RtnlGuard::try_lock() else {
            b.arr_work.rearm(1);
            return;
        };
        if let Ok((ctl, rtnl)) = b.ctl.borrow_and_rtnl(&mut rtnl) {
            bond_slave::publish(b, &ctl, rtnl);
        };
    }
}

/// The monitors follow a configuration change (C:
/// `bond_option_miimon_set`, `bond_option_arp_interval_set` on a bond
/// that is up): the ARP monitor starts with receive validation, stops
/// without it (if `arp_validate` was on), and either monitor replaces the
/// other.
pub(crate) fn monitors_changed(
    dev: &Device<BondDriver>,
    old: &Config,
    new: &Config,
    rtnl: &mut Rtnl,
) {
    let b = dev.data();
    b.miimon.store(new.miimon, Ordering::Relaxed);
    b.arp_interval.store(new.arp_interval, Ordering::Relaxed);
    if !dev.is_running() {
        return;
    }
    if new.arp_interval != old.arp_interval {
        if new.arp_interval == 0 {
            if old.arp_validate != ArpValidate::NONE {
                b.arp_rx.store(false, Ordering::Relaxed);
            }
            b.arp_work.cancel_sync();
        } else {
            b.arp_rx.store(true, Ordering::Relaxed);
            b.monitor.cancel_sync();
            dev.start_work::<ArpWork>(0, rtnl);
        }
    }
    if new.miimon != old.miimon {
        if new.miimon == 0 {
            b.monitor.cancel_sync();
        } else {
            b.arp_work.cancel_sync();
            dev.start_work::<MiiWork>(0, rtnl);
        }
    }
}
