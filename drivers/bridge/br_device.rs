// SPDX-License-Identifier: GPL-2.0

//! The bridge device: its ports, its state and its `net_device_ops` (C:
//! br_device.c: `br_dev_setup`, `br_dev_open`, `br_dev_stop`,
//! `br_change_mtu`, `br_set_mac_address`, `br_dev_xmit`).

use crate::br_fdb::Fdb;
use crate::br_if::PortSlot;
use crate::brlogic::{
    flags::{self as pflags, PortState},
    port::{self, BridgeId},
};
use crate::netdev::{
    bridge_ioctl::UserPtr,
    bridge_link::{BridgeLinkMsg, ProtInfo},
    device::flags,
    fdb::{FdbDump, FdbReply, FdbReq},
    features::Features,
    lower::random_u32,
    module_veto::KeepOut,
    prelude::*,
    proc::ProcDevSlot,
    rcu_hash::RcuHash,
    sysfs::{DevBinFile, SysfsDir},
    work::{DevWork, DevWorkHandler},
};
use core::sync::atomic::{AtomicBool, AtomicU16, AtomicU32, AtomicU64, AtomicU8, Ordering};
use kernel::{alloc::KVec, c_str, prelude::*, sync::Arc, types::ARef};

crate::atomic_drop! {
    /// A port (C: `struct net_bridge_port`): the lock-free part, shared by
    /// the rx_handler, the FDB entries that point to it and the published
    /// port list.
    pub(crate) struct Port {
        pub(crate) dev: ARef<NetDevice>,
        pub(crate) br: ARef<NetDevice>,
        pub(crate) port_no: u16,
        state: AtomicU8,
        /// `BR_*` flags (`brlogic::flags`).
        pub(crate) flags: AtomicU32,
        pub(crate) priority: AtomicU16,
        pub(crate) path_cost: AtomicU32,
        pub(crate) group_fwd_mask: AtomicU16,
        /// When the forward-delay timer fires (jiffies, 0: not armed).
        pub(crate) fd_deadline: AtomicU64,
        /// `designated_root` and `designated_bridge` (equal without STP),
        /// as [`Bridge::id`]: set when the port is enabled, following the
        /// bridge's priority while enabled and its address always (C).
        pub(crate) designated: AtomicU64,
    }
}

impl Port {
    pub(crate) fn new(
        dev: &NetDevice,
        br: &NetDevice,
        port_no: u16,
        cost: u32,
        designated: BridgeId,
    ) -> Self {
        Port {
            dev: dev.hold(),
            br: br.hold(),
            port_no,
            state: AtomicU8::new(PortState::Disabled as u8),
            flags: AtomicU32::new(pflags::NEW_PORT),
            priority: AtomicU16::new(port::DEFAULT_PORT_PRIORITY),
            path_cost: AtomicU32::new(cost),
            group_fwd_mask: AtomicU16::new(0),
            fd_deadline: AtomicU64::new(0),
            designated: AtomicU64::new(designated.0),
        }
    }

    pub(crate) fn state(&self) -> PortState {
        PortState::from_raw(self.state.load(Ordering::Relaxed)).unwrap_or(PortState::Disabled)
    }

    pub(crate) fn set_state(&self, s: PortState) {
        self.state.store(s as u8, Ordering::Relaxed);
    }

    pub(crate) fn flags(&self) -> u32 {
        self.flags.load(Ordering::Relaxed)
    }

    /// The designated bridge id.
    pub(crate) fn designated_id(&self) -> BridgeId {
        BridgeId(self.designated.load(Ordering::Relaxed))
    }

    /// `port_id` (`br_make_port_id`).
    pub(crate) fn port_id(&self) -> u16 {
        port::port_id(self.priority.load(Ordering::Relaxed), self.port_no)
    }
}

/// What the data path iterates (flooding), RCU-published: newest port
/// first, as C's `port_list`.
pub(crate) type PortList = KVec<Arc<Port>>;

/// The bridge's options that only the control path and dumps read (C:
/// fields of `struct net_bridge`), in C's units (jiffies for times).
/// Atomics: dumps (`fill_info`) read them without RTNL; written under
/// RTNL.
pub(crate) struct Opts {
    pub(crate) forward_delay: AtomicU64,
    pub(crate) hello_time: AtomicU64,
    pub(crate) max_age: AtomicU64,
    pub(crate) priority: AtomicU16,
    /// The STP group address, as a `u64` (low 48 bits).
    pub(crate) group_addr: AtomicU64,
}

/// Plain copy of [`Opts`] for validation before anything is stored.
#[derive(Clone, Copy)]
pub(crate) struct Config {
    pub(crate) forward_delay: u64,
    pub(crate) hello_time: u64,
    pub(crate) max_age: u64,
    pub(crate) priority: u16,
    pub(crate) group_addr: [u8; 6],
}

impl Opts {
    pub(crate) fn new(c: &Config) -> Self {
        let o = Opts {
            forward_delay: AtomicU64::new(0),
            hello_time: AtomicU64::new(0),
            max_age: AtomicU64::new(0),
            priority: AtomicU16::new(0),
            group_addr: AtomicU64::new(0),
        };
        o.store(c);
        o
    }

    pub(crate) fn load(&self) -> Config {
        let g = self.group_addr.load(Ordering::Relaxed).to_be_bytes();
        Config {
            forward_delay: self.forward_delay.load(Ordering::Relaxed),
            hello_time: self.hello_time.load(Ordering::Relaxed),
            max_age: self.max_age.load(Ordering::Relaxed),
            priority: self.priority.load(Ordering::Relaxed),
            group_addr: [g[2], g[3], g[4], g[5], g[6], g[7]],
        }
    }

    pub(crate) fn store(&self, c: &Config) {
        let a = c.group_addr;
        let g = u64::from_be_bytes([0, 0, a[0], a[1], a[2], a[3], a[4], a[5]]);
        self.forward_delay.store(c.forward_delay, Ordering::Relaxed);
        self.hello_time.store(c.hello_time, Ordering::Relaxed);
        self.max_age.store(c.max_age, Ordering::Relaxed);
        self.priority.store(c.priority, Ordering::Relaxed);
        self.group_addr.store(g, Ordering::Relaxed);
    }
}

/// Control-path state, under RTNL.
pub(crate) struct Ctl {
    /// The MTU was set by the user (`BROPT_MTU_SET_BY_USER`): no more
    /// following the smallest port MTU.
    pub(crate) mtu_set_by_user: bool,
    /// Ports, in the order they were added.
    pub(crate) ports: KVec<PortSlot>,
    /// `/sys/class/net/<br>/brif/` (`br_sysfs_br`), once registered.
    pub(crate) brif: Option<SysfsDir>,
    /// `/sys/class/net/<br>/brforward`, once registered.
    pub(crate) brforward: Option<DevBinFile<BridgeDriver>>,
}

impl Ctl {
    /// The port whose device is `dev`.
    pub(crate) fn port_of(&self, dev: &NetDevice) -> Option<&PortSlot> {
        self.ports.iter().find(|p| core::ptr::eq(&*p.port.dev, dev))
    }
}

/// The bridge's private data (C: `struct net_bridge`).
pub(crate) struct Bridge {
    pub(crate) ctl: RtnlLocked<Ctl>,
    pub(crate) opts: Opts,
    pub(crate) ports: RcuPtr<PortList>,
    pub(crate) fdb: RcuHash<Fdb>,
    /// Salt of the FDB hash.
    pub(crate) salt: u32,
    /// `ageing_time` in jiffies (0: never age, and never learn).
    pub(crate) ageing_time: AtomicU64,
    pub(crate) group_fwd_mask: AtomicU16,
    /// Dynamically learned entries and their limit (0: none).
    pub(crate) n_learned: AtomicU32,
    pub(crate) max_learned: AtomicU32,
    /// The MAC part of the bridge id (`bridge_id.addr`), as a `u64`: zero
    /// until an address is given at creation, a port joins or the address
    /// is set (C).
    pub(crate) bridge_id: AtomicU64,
    /// `BROPT_NO_LL_LEARN`: no learning from link-local frames.
    pub(crate) no_ll_learn: AtomicBool,
    /// FDB ageing (C: `gc_work`).
    pub(crate) gc: DevWork<BridgeDriver, GcWork>,
    /// The ports' forward-delay timers (C: one `forward_delay_timer` per
    /// port; here one work item for the earliest deadline).
    pub(crate) fd_work: DevWork<BridgeDriver, FdWork>,
    /// `/proc/net/bridge/<name>`, kept by the layer.
    pub(crate) proc: ProcDevSlot,
}

/// The default `ageing_time`: 300 s (`BR_DEFAULT_AGEING_TIME`).
pub(crate) const DEFAULT_AGEING_S: u64 = 300;

impl Bridge {
    pub(crate) fn new(cfg: Config, ageing_time: u64) -> Result<Self> {
        Ok(Bridge {
            ctl: RtnlLocked::new(Ctl {
                mtu_set_by_user: false,
                ports: KVec::new(),
                brif: None,
                brforward: None,
            }),
            opts: Opts::new(&cfg),
            ports: RcuPtr::null(),
            fdb: crate::new_rcu_hash!(10, "rvnet_bridge_hash_lock")?,
            salt: random_u32(),
            ageing_time: AtomicU64::new(ageing_time),
            group_fwd_mask: AtomicU16::new(0),
            n_learned: AtomicU32::new(0),
            max_learned: AtomicU32::new(0),
            bridge_id: AtomicU64::new(0),
            no_ll_learn: AtomicBool::new(false),
            gc: DevWork::new(),
            fd_work: DevWork::new(),
            proc: ProcDevSlot::new(),
        })
    }
}

impl Bridge {
    /// `bridge_id.addr`.
    pub(crate) fn bridge_id(&self) -> [u8; 6] {
        BridgeId(self.bridge_id.load(Ordering::Relaxed)).addr()
    }

    /// `br_stp_change_bridge_id`: ports designated with the old address
    /// get the new one.
    pub(crate) fn set_bridge_id(&self, a: &[u8; 6]) {
        let v = BridgeId::new(0, a).0;
        let old = BridgeId(self.bridge_id.swap(v, Ordering::Relaxed)).addr();
        let rcu = RcuGuard::new();
        for p in self.ports.get(&rcu).map(|l| &l[..]).unwrap_or(&[]) {
            let d = p.designated_id();
            if d.addr() == old {
                p.designated.store(d.with_addr(a).0, Ordering::Relaxed);
            }
        }
    }

    /// The bridge id (`bridge_id`: priority, then address).
    pub(crate) fn id(&self) -> BridgeId {
        BridgeId(self.bridge_id.load(Ordering::Relaxed))
            .with_prio(self.opts.priority.load(Ordering::Relaxed))
    }

    /// `br_stp_set_bridge_priority`: enabled ports' designated bridge
    /// follows.
    pub(crate) fn set_priority(&self, prio: u16) {
        self.opts.priority.store(prio, Ordering::Relaxed);
        let id = self.id();
        let rcu = RcuGuard::new();
        for p in self.ports.get(&rcu).map(|l| &l[..]).unwrap_or(&[]) {
            if p.state() != PortState::Disabled {
                p.designated.store(id.0, Ordering::Relaxed);
            }
        }
    }
}

/// The FDB ageing work.
pub(crate) struct GcWork;
/// The forward-delay timers.
pub(crate) struct FdWork;

/// The bridge driver.
pub(crate) struct BridgeDriver;

#[vtable]
impl Driver for BridgeDriver {
    type Data = Bridge;

    const INFO: DriverInfo = DriverInfo {
        name: c_str!("rvnet_bridge"),
        version: c_str!("2.3"),
    };
    const PCPU_STATS: bool = true;
    // C `bridge.ko` casts the private data of every `IFF_EBRIDGE` device
    // and replays every device's events when it loads: the link kind keeps
    // it out for as long as a bridge of ours can exist.
    const KEEP_OUT: Option<KeepOut> = Some(KeepOut::BRIDGE);

    fn setup(dev: &mut Setup<'_, Self>) {
        // As C `br_dev_setup`.
        dev.ether_setup();
        dev.random_mac();
        dev.bridge_master();
        dev.no_queue();
        dev.no_tx_skb_sharing();
        dev.netns_immutable();
        dev.set_lltx();
        let common = Features::SG
            | Features::FRAGLIST
            | Features::HIGHDMA
            | Features::GSO_MASK
            | Features::HW_CSUM;
        let vlan_tx = Features::HW_VLAN_CTAG_TX | Features::HW_VLAN_STAG_TX;
        dev.set_features(common | vlan_tx, common | vlan_tx, common);
        dev.add_flags(flags::IFF_MULTICAST);
        dev.set_mtu(1500, 68, crate::netdev::uapi::ETH_MAX_MTU);
        dev.sysfs_group(&crate::br_sysfs_br::GROUP);
    }

    fn fix_features(dev: &Device<Self>, features: Features, rtnl: &mut Rtnl) -> Features {
        crate::br_if::features_recompute(dev, features, rtnl)
    }

    fn open(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        dev.update_features(rtnl);
        dev.start_queue();
        let _ = crate::br_if::states_for(dev, true, false, rtnl);
        dev.start_work::<GcWork>(100, rtnl);
        Ok(())
    }

    fn stop(dev: &Device<Self>, rtnl: &mut Rtnl) -> Result {
        let _ = crate::br_if::states_for(dev, false, false, rtnl);
        dev.data().gc.cancel_sync();
        dev.data().fd_work.cancel_sync();
        dev.stop_queue();
        Ok(())
    }

    fn uninit(dev: &Device<Self>, rtnl: &mut Rtnl) {
        crate::br_if::del_all(dev, rtnl);
        crate::br_sysfs_br::del_bridge(dev, rtnl);
    }

    fn change_mtu(dev: &Device<Self>, new_mtu: u32, rtnl: &mut Rtnl) -> Result {
        // `br_change_mtu`: the user's choice sticks.
        let b = dev.data();
        b.ctl.borrow_mut(rtnl)?.mtu_set_by_user = true;
        dev.set_mtu_raw(new_mtu, rtnl);
        Ok(())
    }

    fn set_mac_address(dev: &Device<Self>, mac: &[u8; 6], rtnl: &mut Rtnl) -> Result<MacAddrSet> {
        // `br_set_mac_address`: the bridge id and the bridge's local FDB
        // entry follow.
        if !crate::brlogic::deliver::valid_source(mac) {
            return Err(crate::netdev::errno::err(
                crate::netdev::errno::EADDRNOTAVAIL,
            ));
        }
        if dev.data().bridge_id() != *mac {
            if let Some(old) = dev.mac() {
                crate::br_fdb::change_bridge_addr(dev, &old, mac, rtnl);
            }
            crate::br_if::change_bridge_id(dev, mac, rtnl);
        }
        Ok(MacAddrSet::Store)
    }

    fn add_slave(
        dev: &Device<Self>,
        slave: &NetDevice,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        crate::br_if::add_if(dev, slave, extack, rtnl)
    }

    fn del_slave(dev: &Device<Self>, slave: &NetDevice, rtnl: &mut Rtnl) -> Result {
        crate::br_if::del_if(dev, slave, rtnl)
    }

    fn fdb_add(
        dev: &Device<Self>,
        req: &FdbReq<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        crate::br_fdb_netlink::add(dev, req, extack, rtnl)
    }

    fn fdb_del(
        dev: &Device<Self>,
        req: &FdbReq<'_>,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        crate::br_fdb_netlink::del(dev, req, extack, rtnl)
    }

    fn fdb_dump(
        dev: &Device<Self>,
        filter: Option<&NetDevice>,
        dump: &mut FdbDump<'_>,
        rcu: &RcuGuard,
    ) -> Result {
        crate::br_fdb_netlink::dump(dev, filter, dump, rcu)
    }

    fn fdb_get(
        dev: &Device<Self>,
        addr: &[u8; 6],
        vid: u16,
        reply: FdbReply,
        extack: &mut ExtAck,
        rcu: &RcuGuard,
    ) -> Result {
        crate::br_fdb_netlink::get(dev, addr, vid, reply, extack, rcu)
    }

    fn siocdevprivate(
        dev: &Device<Self>,
        args: &[u64; 4],
        argp: &UserPtr,
        rtnl: &mut Rtnl,
    ) -> Result<i32> {
        crate::br_ioctl::devprivate(dev, args, argp, rtnl)
    }

    fn bridge_getlink(
        dev: &Device<Self>,
        port: Option<&NetDevice>,
        msg: &mut BridgeLinkMsg,
    ) -> Result<bool> {
        crate::br_netlink_port::getlink(dev, port, msg)
    }

    fn bridge_setlink(
        dev: &Device<Self>,
        port: Option<&NetDevice>,
        info: Option<&ProtInfo<'_>>,
        af_spec: bool,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result {
        crate::br_netlink_port::setlink(dev, port, info, af_spec, extack, rtnl)
    }

    fn start_xmit<'x>(dev: &Device<Self>, skb: TxSkb<'x>, tx: &XmitContext) -> TxResult<'x> {
        crate::br_forward::dev_xmit(dev, skb.into_skb(), tx);
        TxResult::Ok
    }
}

impl DevWorkHandler<GcWork> for BridgeDriver {
    fn work(b: &Bridge) -> &DevWork<Self, GcWork> {
        &b.gc
    }

    fn run(dev: &Device<Self>) {
        let next = crate::br_fdb::cleanup(dev);
        dev.data().gc.rearm(next);
    }
}

impl DevWorkHandler<FdWork> for BridgeDriver {
    fn work(b: &Bridge) -> &DevWork<Self, FdWork> {
        &b.fd_work
    }

    fn run(dev: &Device<Self>) {
        if let Some(ms) = crate::br_if::forward_delay_expired(dev) {
            dev.data().fd_work.rearm(ms);
        }
    }
}
