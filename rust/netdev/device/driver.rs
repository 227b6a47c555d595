// SPDX-License-Identifier: GPL-2.0

//! A network device driver: `net_device_ops` and `ethtool_ops` as a trait,
//! typed private data, and the device set-up callback.
//!
//! Kernel rules encoded here:
//! - the private area (`netdev_priv`) holds the driver's [`Driver::Data`],
//!   which is initialised before the device is registered and dropped on
//!   every path that frees the device: by `priv_destructor` after
//!   unregistration or a failed `register_netdevice`, and by this layer when
//!   a `newlink` fails before the device was registered;
//! - `ndo_open`/`ndo_stop`/`ndo_change_mtu`/`ndo_uninit` run under RTNL (the
//!   callbacks receive a `&mut Rtnl`: they may write, see `rtnl.rs`);
//! - `ndo_start_xmit` owns the skb: it must consume it or give it back with
//!   [`TxResult::Busy`], which the type system enforces;
//! - no rvnet device supports netpoll (`IFF_DISABLE_NETPOLL` is always
//!   set), so `ndo_start_xmit` only runs from the stack's transmit paths;
//! - private flags that promise C code a private layout (`IFF_BONDING`,
//!   `IFF_EBRIDGE`, `IFF_802_1Q_VLAN`) cannot be set by drivers as raw
//!   bits: only typed setters exist, and those for layout flags require
//!   what makes them safe (`bonding_master`: C bonding kept out by the
//!   driver's `KEEP_OUT` veto, `bridge_master`: the FDB hooks and the
//!   veto on C bridge);
//! - per-CPU software statistics exist only if the driver asks for them in
//!   [`Driver::PCPU_STATS`], and counting into them without asking is a
//!   compile error.

use super::{
    bindings,
    bond_ioctl::BondIoctlAdapter,
    bridge_ioctl::UserPtr,
    bridge_link::{BridgeLinkMsg, ProtInfo},
    device::{NetDevice, Stats64},
    fdb::{FdbDump, FdbReply, FdbReq},
    features::Features,
    lower::XmitContext,
    module_veto::KeepOut,
    nla::ExtAck,
    percpu::{self, CpuPinned},
    rcu::RcuGuard,
    rtnl::Rtnl,
    skb::SkBuff,
    vlan::AddrListsLocked,
    xdp::XdpContext,
    xdp_prog::BpfProg,
};
use core::{marker::PhantomData, mem::MaybeUninit, ops::Deref};
use kernel::{build_error, error::VTABLE_DEFAULT_ERROR, ffi, prelude::*};

/// Fixed facts about a driver, reported by `ethtool -i`.
pub struct DriverInfo {
    /// Driver name (`ethtool -i`: `driver:`), e.g. the module name.
    pub name: &'static CStr,
    /// Driver version string (empty: the kernel's release, which ethtool
    /// puts there first).
    pub version: &'static CStr,
}

/// `PORT_OTHER`, the connector type of a virtual device's link settings.
pub const PORT_OTHER: u8 = bindings::PORT_OTHER as u8;

/// The link settings `ethtool DEV` shows (`get_link_ksettings`: the base
/// part; no link modes).
#[derive(Clone, Copy, Debug)]
pub struct LinkSettings {
    /// Mb/s, `None` for unknown (`SPEED_UNKNOWN`).
    pub speed: Option<u32>,
    /// Full duplex (`Some(true)`), half (`Some(false)`) or unknown.
    pub duplex: Option<bool>,
    /// The connector (`PORT_*`).
    pub port: u8,
}

/// The packet one `ndo_start_xmit` call was given, branded with that call.
///
/// Kernel rule enforced: on `NETDEV_TX_BUSY` the core requeues the skb it
/// passed to `ndo_start_xmit` (its own pointer, not one we return), so only
/// that skb, still unfreed, may be answered with "busy". The brand `'x` is a
/// fresh, invariant lifetime per call ([`Driver::start_xmit`] is generic over
/// it) and a `TxSkb` cannot be built outside this layer, so
/// [`TxResult::Busy`] can only carry the packet of this very call: another
/// skb (a clone, one from a queue, one of an earlier call) does not
/// type-check. [`TxSkb::into_skb`] gives up that right for an ordinary
/// [`SkBuff`] (to consume, drop or forward it).
///
/// There is no `DerefMut` (it would let `mem::swap` put another skb inside);
/// in-place changes that keep the skb are forwarded methods.
pub struct TxSkb<'x> {
    skb: SkBuff,
    _brand: PhantomData<fn(&'x ()) -> &'x ()>,
}

impl<'x> TxSkb<'x> {
    /// The owned packet, no longer returnable as [`TxResult::Busy`].
    pub fn into_skb(self) -> SkBuff {
        self.skb
    }

    /// Splits off the brand, for the layer's transmit helpers that may give
    /// the same skb back (`lower.rs`). `pub(super)`: drivers are modules of
    /// the same crate and must not re-brand.
    pub(super) fn unbrand(self) -> (SkBuff, TxBrand<'x>) {
        (self.skb, TxBrand(PhantomData))
    }

    /// In-place access for the layer's forwarded methods (`pub(super)`, see
    /// the type's documentation).
    pub(super) fn skb_mut(&mut self) -> &mut SkBuff {
        &mut self.skb
    }
}

/// The brand of a [`TxSkb`] while the layer holds its skb.
pub(super) struct TxBrand<'x>(PhantomData<fn(&'x ()) -> &'x ()>);

impl<'x> TxBrand<'x> {
    /// Re-brands `skb`: the layer passes the very skb `unbrand` split off
    /// (given back by a helper that did not take it).
    pub(super) fn rebrand(self, skb: SkBuff) -> TxSkb<'x> {
        TxSkb {
            skb,
            _brand: PhantomData,
        }
    }
}

impl Deref for TxSkb<'_> {
    type Target = SkBuff;

    fn deref(&self) -> &SkBuff {
        &self.skb
    }
}

/// What `ndo_start_xmit` did with the packet.
pub enum TxResult<'x> {
    /// The packet was consumed (sent, queued elsewhere or dropped).
    Ok,
    /// The device cannot take it now: the skb goes back to the core, which
    /// requeues it. The queue should be stopped before returning this. Only
    /// the packet of this call can be given back (see [`TxSkb`]).
    Busy(TxSkb<'x>),
}

/// What a successful [`Driver::set_mac_address`] does with the address.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MacAddrSet {
    /// The device takes the address.
    Store,
    /// The device keeps the address it has (the request still succeeds).
    Keep,
}

/// A network device driver.
///
/// Implemented by every rvnet device type; [`Device<Self>`] is the device
/// as its callbacks see it.
#[vtable]
pub trait Driver: Sized + 'static {
    /// Per-device private data, stored in `netdev_priv()`.
    type Data: Send + Sync;

    /// Driver facts for `ethtool -i`.
    const INFO: DriverInfo;

    /// Ask the core to allocate per-CPU byte/packet counters
    /// (`NETDEV_PCPU_STAT_TSTATS`), reported by `ip -s link` with no
    /// `ndo_get_stats64` of our own.
    const PCPU_STATS: bool = false;

    /// The device has an Ethernet address: `ndo_validate_addr` and
    /// `ndo_set_mac_address` use the Ethernet helpers.
    const ETH_ADDR: bool = true;

    /// `ndo_validate_addr` is `eth_validate_addr` (an Ethernet device
    /// with an all-zero or multicast address does not open). False for a
    /// driver whose C counterpart has none (bonding: a bond that took a
    /// slave's zero address still opens).
    const VALIDATE_ADDR: bool = Self::ETH_ADDR;

    /// The device has a workqueue of its own, as C bonding's `bond->wq`:
    /// ordered (its work items run one at a time, never beside each
    /// other), `WQ_MEM_RECLAIM` (a rescuer thread shown as
    /// `kworker/R-<name>`), named after the device when `ndo_init` runs
    /// and destroyed after the private data (whose [`super::work::DevWork`]
    /// items, cancelled by their `Drop`, queue on it instead of the system
    /// workqueue).
    const OWN_WORKQUEUE: bool = false;

    /// The C module this driver's devices must be kept away from, because
    /// they carry the private flag it trusts (`KeepOut::BONDING` for
    /// `IFF_BONDING`): the driver's link kind registers a module-chain
    /// veto on it for as long as the kind is registered, and only such a
    /// driver may set the flag (`Setup::bonding_master`).
    const KEEP_OUT: Option<KeepOut> = None;

    /// The firmware version `ethtool -i` shows (`firmware-version:`), if
    /// any (C bonding puts its ABI version there).
    const FW_VERSION: Option<&'static CStr> = None;

    /// ethtool's link settings (`get_link_ksettings`), under RTNL.
    fn get_link_ksettings(_dev: &Device<Self>, _rtnl: &mut Rtnl) -> LinkSettings {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Sets up a freshly allocated device (the `setup` callback of
    /// `alloc_netdev`): type, flags, MTU limits, features.
    fn setup(dev: &mut Setup<'_, Self>);

    /// `ndo_init`, under RTNL, inside `register_netdevice` before the
    /// device is visible: take over what comes from lower devices.
    fn init(_dev: &Device<Self>, _rtnl: &mut Rtnl) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_get_stats64`: fill `stats` (may run concurrently with the data
    /// path; use per-CPU or atomic counters).
    fn get_stats64(_dev: &Device<Self>, _stats: &mut Stats64) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_xdp_get_xmit_slave` of a bonding master (`IFF_BONDING`): the
    /// lower device an `XDP_TX` frame of a slave goes out on (`frame` is
    /// the packet from its Ethernet header), `None` to send it back out of
    /// the slave it came from. Under RCU, bottom halves off (`ctx`); the
    /// device answered must stay valid for that section. See `stack/xdp.rs`.
    fn xdp_get_xmit_slave<'r>(
        _dev: &'r Device<Self>,
        _frame: &[u8],
        _ctx: &'r XdpContext,
    ) -> Option<&'r NetDevice> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_bpf` with `XDP_SETUP_PROG`, under RTNL: native XDP, `prog`
    /// to install (none: remove the installed one). `prog` is the driver's
    /// own reference (kept on success, e.g. in the device's data; the
    /// replaced program's reference is the driver's to drop). Other
    /// `ndo_bpf` commands are refused with `EINVAL`. See
    /// `stack/xdp_prog.rs`.
    fn xdp_setup_prog(
        _dev: &Device<Self>,
        _prog: Option<BpfProg>,
        _extack: &mut ExtAck,
        _rtnl: &mut Rtnl,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_xdp_xmit` sends each frame out of the lower device
    /// [`Driver::xdp_get_xmit_slave`] chooses for it, through that
    /// device's `ndo_xdp_xmit` (C: `bond_xdp_xmit`); only with
    /// `xdp_get_xmit_slave`.
    const XDP_XMIT_VIA_LOWER: bool = false;

    /// `ndo_set_rx_mode`, with the device's address lists locked (BH off;
    /// `lists` is the proof): propagate unicast/multicast filters to lower
    /// devices ([`AddrListsLocked::sync_to`]).
    fn set_rx_mode(_dev: &Device<Self>, _lists: &AddrListsLocked<'_>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_change_rx_flags`, under RTNL: the device's `IFF_PROMISC` or
    /// `IFF_ALLMULTI` (the bits of `changed`) has just changed (`dev.flags()`
    /// is the new state); a master passes it on to its lower devices.
    fn change_rx_flags(_dev: &Device<Self>, _changed: u32, _rtnl: &mut Rtnl) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_vlan_rx_add_vid`, under RTNL: a VLAN device for VID `vid` of
    /// protocol `proto` (host order) is stacked on this one, which offers
    /// VLAN filtering ([`Setup::vlan_filter`]); a master adds it to its
    /// lower devices.
    fn vlan_rx_add_vid(_dev: &Device<Self>, _proto: u16, _vid: u16, _rtnl: &mut Rtnl) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_vlan_rx_kill_vid`, under RTNL: the last reference to the VID
    /// went.
    fn vlan_rx_kill_vid(_dev: &Device<Self>, _proto: u16, _vid: u16, _rtnl: &mut Rtnl) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_open`, under RTNL.
    fn open(_dev: &Device<Self>, _rtnl: &mut Rtnl) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_stop`, under RTNL.
    fn stop(_dev: &Device<Self>, _rtnl: &mut Rtnl) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_uninit`, under RTNL: the device is being unregistered. Drop
    /// references to other devices here.
    fn uninit(_dev: &Device<Self>, _rtnl: &mut Rtnl) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_fix_features`, under RTNL: the features the device may have,
    /// from those the core proposes (`features`); a master computes them
    /// from its lower devices (`Features::increment`). Runs when the core
    /// recomputes the device's features (`Device::update_features`).
    fn fix_features(_dev: &Device<Self>, _features: Features, _rtnl: &mut Rtnl) -> Features {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_get_iflink`: the ifindex `ip link` shows after `@` (a tunnel's
    /// underlay `link`, 0 for none: `tunl0@NONE`). Called under RTNL or
    /// RCU; read the value lock-free (an atomic). Without it, the device's
    /// own ifindex.
    fn get_iflink(_dev: &Device<Self>) -> i32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_change_mtu`, under RTNL; the core has already checked
    /// `min_mtu`/`max_mtu`. The default accepts the value.
    fn change_mtu(_dev: &Device<Self>, _new_mtu: u32, _rtnl: &mut Rtnl) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_set_mac_address` (`ip link set DEV address MAC`), under RTNL,
    /// for a device with an Ethernet address ([`Driver::ETH_ADDR`]): on
    /// `Ok(MacAddrSet::Store)` the layer stores `mac` as the device's
    /// address, on `Ok(MacAddrSet::Keep)` the device keeps its own (C's
    /// bonding with `fail_over_mac`); the core then notifies
    /// `NETDEV_CHANGEADDR` either way. Without it, Ethernet's
    /// `eth_mac_addr` (refused while the device is up).
    fn set_mac_address(
        _dev: &Device<Self>,
        _mac: &[u8; 6],
        _rtnl: &mut Rtnl,
    ) -> Result<MacAddrSet> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_add_slave` (`ip link set SLAVE master DEV`), under RTNL: make
    /// `slave` a lower device of this master.
    fn add_slave(
        _dev: &Device<Self>,
        _slave: &NetDevice,
        _extack: &mut ExtAck,
        _rtnl: &mut Rtnl,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_del_slave` (`ip link set SLAVE nomaster`), under RTNL.
    fn del_slave(_dev: &Device<Self>, _slave: &NetDevice, _rtnl: &mut Rtnl) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_fdb_add` of a bridge (`bridge fdb add ADDR dev PORT master`,
    /// or `dev BRIDGE self`), under RTNL; `req.dev` is the device named.
    fn fdb_add(
        _dev: &Device<Self>,
        _req: &FdbReq<'_>,
        _extack: &mut ExtAck,
        _rtnl: &mut Rtnl,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_fdb_del` of a bridge, under RTNL.
    fn fdb_del(
        _dev: &Device<Self>,
        _req: &FdbReq<'_>,
        _extack: &mut ExtAck,
        _rtnl: &mut Rtnl,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_fdb_dump` of a bridge: its entries, only those of port
    /// `filter` if given (`bridge fdb show`).
    fn fdb_dump(
        _dev: &Device<Self>,
        _filter: Option<&NetDevice>,
        _dump: &mut FdbDump<'_>,
        _rcu: &RcuGuard,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_fdb_get` of a bridge (`bridge fdb get`).
    fn fdb_get(
        _dev: &Device<Self>,
        _addr: &[u8; 6],
        _vid: u16,
        _reply: FdbReply,
        _extack: &mut ExtAck,
        _rcu: &RcuGuard,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_bridge_getlink` of a bridge (`bridge link show`): fill `msg`
    /// for `port` (`None`: the bridge itself) with
    /// [`BridgeLinkMsg::protinfo`] and [`BridgeLinkMsg::vlans`]; `Ok(false)`
    /// sends nothing (not one of its ports). Under RTNL.
    fn bridge_getlink(
        _dev: &Device<Self>,
        _port: Option<&NetDevice>,
        _msg: &mut BridgeLinkMsg,
    ) -> Result<bool> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_bridge_setlink` of a bridge (`bridge link set`, a container
    /// runtime's hairpin through `IFLA_PROTINFO`): `info` for `port`
    /// (`None`: the bridge itself), `af_spec` if the request carried
    /// `IFLA_AF_SPEC` (VLANs). Under RTNL.
    fn bridge_setlink(
        _dev: &Device<Self>,
        _port: Option<&NetDevice>,
        _info: Option<&ProtInfo<'_>>,
        _af_spec: bool,
        _extack: &mut ExtAck,
        _rtnl: &mut Rtnl,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The IP tunnel ioctls (`SIOCGETTUNNEL`, `SIOCADDTUNNEL`,
    /// `SIOCCHGTUNNEL`, `SIOCDELTUNNEL`: `ip tunnel`, through
    /// `ndo_siocdevprivate`) and `ndo_tunnel_ctl` (the same commands from
    /// ipmr and addrconf), under RTNL, on `parm`: the uapi `struct
    /// ip_tunnel_parm` (52 bytes), read from the caller before and written
    /// back after an `Ok` (the layer copies it from and to user memory, or
    /// converts the kernel callers' `ip_tunnel_parm_kern`).
    fn tunnel_ctl(
        _dev: &Device<Self>,
        _cmd: u32,
        _parm: &mut [u8; 52],
        _rtnl: &mut Rtnl,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// sit's ioctls beyond the tunnel ones (the potential router list and
    /// the 6rd prefix, `ip tunnel prl` and `ip tunnel 6rd`), under RTNL,
    /// on the device they name; `user` is the caller's block (`ifr_data`),
    /// read and answered through the layer. Only with
    /// [`Driver::tunnel_ctl`]; without this method those commands go to
    /// `tunnel_ctl` like any other.
    fn sit_ctl(
        _dev: &Device<Self>,
        _cmd: crate::netdev::sit::SitCmd,
        _user: &crate::netdev::sit::SitUser,
        _rtnl: &mut Rtnl,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_siocdevprivate` (`SIOCDEVPRIVATE` on the device: the legacy
    /// `brctl` commands), under RTNL. `args` is the user's `unsigned
    /// long[4]` block, read by the layer (a 32-bit caller's too), and
    /// `argp` the user buffer `args[1]` points to; the result is the
    /// ioctl's return value.
    fn siocdevprivate(
        _dev: &Device<Self>,
        _args: &[u64; 4],
        _argp: &UserPtr,
        _rtnl: &mut Rtnl,
    ) -> Result<i32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_select_queue` (called only on a device of several transmit
    /// queues, see [`crate::netdev::link::Link::num_tx_queues`]): the queue
    /// for `skb`, in the transmit path before the qdisc (RCU-bh; must not
    /// sleep); the core folds it into the device's queue count.
    fn select_queue(_dev: &Device<Self>, _skb: &mut crate::netdev::txqueue::QueueSkb<'_>) -> u16 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The bonding ioctls (`ndo_siocbond`, and their legacy
    /// `SIOCDEVPRIVATE` numbers through `ndo_siocdevprivate`), under RTNL:
    /// the layer copies the queries' structures from and to the caller and
    /// resolves the slave named by the others (after the `CAP_NET_ADMIN`
    /// check), see [`crate::netdev::bond_ioctl`].
    fn siocbond(
        _dev: &Device<Self>,
        _req: crate::netdev::bond_ioctl::BondIoctl<'_>,
        _rtnl: &mut Rtnl,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The MII ioctls of `ndo_eth_ioctl` (`SIOCGMIIPHY`, `SIOCGMIIREG`,
    /// `SIOCSMIIREG`), under RTNL, on the request's MII block (copied back
    /// to the caller by the core after an `Ok` of the `GET` commands).
    fn eth_ioctl(
        _dev: &Device<Self>,
        _cmd: crate::netdev::bond_ioctl::MiiCmd,
        _mii: &mut crate::netdev::bond_ioctl::MiiData,
        _rtnl: &mut Rtnl,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ndo_start_xmit`: runs with bottom halves off and under RCU-bh (the
    /// [`XmitContext`] says so and derefs to the `RcuGuard`); it must not
    /// sleep. The context also lets it hand packets to lower drivers
    /// (`SkBuff::xmit_direct`). `skb` is branded with this call (`'x`): only
    /// it can be returned as busy. The layer sets `IFF_DISABLE_NETPOLL` on
    /// every device, so netpoll (netconsole), which would call this with
    /// IRQs off, never does.
    fn start_xmit<'x>(dev: &Device<Self>, skb: TxSkb<'x>, tx: &XmitContext) -> TxResult<'x>;
}

/// The private area: the driver data plus whether it is initialised.
///
/// Kernel rule enforced: stack code reads some private areas by layout, not
/// through the driver (`vlan_dev_priv(dev)` is `netdev_priv(dev)` for any
/// `IFF_802_1Q_VLAN` device). `#[repr(C)]` with `data` first puts the
/// driver's data at offset 0 of `netdev_priv` (asserted at compile time in
/// `priv_size`), so a `#[repr(C)]` data type starting with a C struct (e.g.
/// `VlanPriv`) is that C struct for the stack.
///
/// # Invariants
///
/// `data` is initialised iff `live` is true.
#[repr(C)]
struct PrivSlot<T> {
    data: MaybeUninit<T>,
    live: bool,
    /// The namespace the device was registered in (its link net) and its
    /// place on the module's list of movable devices
    /// ([`super::link_net`]), set with the data.
    link_net: bindings::rvnet_link_net,
    /// The device's own workqueue ([`Driver::OWN_WORKQUEUE`]), null until
    /// `ndo_init` and for other drivers.
    wq: *mut bindings::workqueue_struct,
}

/// A device of driver `D`, as its callbacks and `/proc` code see it.
///
/// # Invariants
///
/// The device was set up by `Adapter::<D>::setup_callback` and its private
/// data is initialised (a `&Device<D>` is only created after that).
#[repr(transparent)]
pub struct Device<D: Driver>(NetDevice, PhantomData<D>);

impl<D: Driver> Device<D> {
    /// # Safety
    ///
    /// `dev` must have been set up for `D` and hold initialised private
    /// data for `'a`.
    pub(crate) unsafe fn from_net_device(dev: &NetDevice) -> &Device<D> {
        // SAFETY: transparent wrapper; the rest is the caller's contract.
        unsafe { &*(dev as *const NetDevice).cast::<Device<D>>() }
    }

    /// # Safety
    ///
    /// As for `from_net_device`, for a raw pointer live for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Device<D> {
        // SAFETY: forwarded contract.
        unsafe { Self::from_net_device(NetDevice::from_raw(ptr)) }
    }

    #[inline(always)]
    fn slot(dev: &NetDevice) -> *mut PrivSlot<D::Data> {
        // The device was allocated with room for a `PrivSlot` there.
        dev.priv_ptr().cast()
    }

    /// The driver's private data.
    pub fn data(&self) -> &D::Data {
        // SAFETY: by the type invariant the data is initialised, and it is
        // only dropped once no callback can run on the device any more.
        unsafe { (*Self::slot(&self.0)).data.assume_init_ref() }
    }

    /// The device as an untyped [`NetDevice`].
    pub fn net_device(&self) -> &NetDevice {
        &self.0
    }

    /// The device's own workqueue ([`Driver::OWN_WORKQUEUE`]), null if it
    /// has none (yet): the system workqueue serves it then.
    pub(crate) fn workqueue(&self) -> *mut bindings::workqueue_struct {
        // SAFETY: the private area is a `PrivSlot` (type invariant); `wq`
        // is written in `ndo_init` (before the device is visible) and
        // cleared after the data, which `&self` borrows, was dropped.
        unsafe { (*Self::slot(&self.0)).wq }
    }

    /// The device's link-net entry (set up with its data, see
    /// [`super::link_net`]).
    pub(crate) fn link_net_entry(&self) -> *mut bindings::rvnet_link_net {
        // SAFETY: the private area is a `PrivSlot` (type invariant); only a
        // field address is taken.
        unsafe { core::ptr::addr_of_mut!((*Self::slot(&self.0)).link_net) }
    }

    /// `netdev_compute_master_upper_features`: a master's
    /// `vlan_features`, `hw_enc_features`, `mpls_features`,
    /// `gso_partial_features`, GSO limits, `IFF_XMIT_DST_RELEASE` and (with
    /// `update_header`) header length, headroom and tailroom from its lower
    /// devices, then `netdev_change_features` (its `fix_features` runs and
    /// `NETDEV_FEAT_CHANGE` is sent). Under RTNL, a writer: notifiers run.
    pub fn compute_master_upper_features(&self, update_header: bool, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held; a registered device.
        unsafe { bindings::netdev_compute_master_upper_features(self.0.as_raw(), update_header) };
    }

    /// `netdev_update_features`: the core recomputes the device's features
    /// (through [`Driver::fix_features`]) and announces a change
    /// (`NETDEV_FEAT_CHANGE`).
    pub fn update_features(&self, _rtnl: &Rtnl) {
        // SAFETY: a registered device of ours; RTNL is held (the token).
        unsafe { bindings::netdev_update_features(self.0.as_raw()) };
    }

    /// This CPU's `dev->tstats`.
    #[inline(always)]
    fn tstats(&self, pin: &impl CpuPinned) -> *mut bindings::pcpu_sw_netstats {
        const { assert!(D::PCPU_STATS, "per-CPU counters need Driver::PCPU_STATS") };
        // SAFETY: `PCPU_STATS` made the core allocate `dev->tstats` (a
        // pointer at its checked offset) at registration, freed with the
        // device; `pin` keeps us on this CPU.
        unsafe {
            let t = self
                .0
                .as_raw()
                .cast::<u8>()
                .add(bindings::RVNET_NETDEV_TSTATS_OFF)
                .cast::<*mut bindings::pcpu_sw_netstats>()
                .read();
            percpu::this_cpu_ptr(t, pin)
        }
    }

    /// Counts transmitted packets in the per-CPU statistics, inline as C's
    /// `dev_sw_netstats_tx_add`. A compile error unless
    /// [`Driver::PCPU_STATS`] is set; `pin`: the transmit or receive
    /// context (BH off).
    #[inline]
    pub fn count_tx(&self, packets: u32, bytes: u32, pin: &impl CpuPinned) {
        let s = self.tstats(pin);
        // SAFETY: this CPU's counters, written only by this CPU with BH
        // off; `u64_stats_t` is a `u64` on 64-bit (no seqcount).
        unsafe {
            percpu::local_add(
                core::ptr::addr_of_mut!((*s).tx_bytes).cast::<u64>(),
                bytes.into(),
            );
            percpu::local_add(
                core::ptr::addr_of_mut!((*s).tx_packets).cast::<u64>(),
                packets.into(),
            );
        }
    }

    /// Counts a received packet in the per-CPU statistics
    /// (`dev_sw_netstats_rx_add`); see `count_tx`.
    #[inline]
    pub fn count_rx(&self, bytes: u32, pin: &impl CpuPinned) {
        let s = self.tstats(pin);
        // SAFETY: as for `count_tx`.
        unsafe {
            percpu::local_add(
                core::ptr::addr_of_mut!((*s).rx_bytes).cast::<u64>(),
                bytes.into(),
            );
            percpu::local_add(core::ptr::addr_of_mut!((*s).rx_packets).cast::<u64>(), 1);
        }
    }
}

impl<D: Driver> Deref for Device<D> {
    type Target = NetDevice;

    fn deref(&self) -> &NetDevice {
        &self.0
    }
}

impl NetDevice {
    /// Returns the device as a `Device<D>` if driver `D` serves it
    /// (`dev->netdev_ops` is `D`'s table, as C drivers test it).
    pub fn downcast<D: Driver>(&self) -> Option<&Device<D>> {
        // SAFETY: reading `netdev_ops` of a live device is always allowed.
        let ops = unsafe { (*self.as_raw()).netdev_ops };
        if core::ptr::eq(ops, Adapter::<D>::netdev_ops()) && Adapter::<D>::is_live(self) {
            // SAFETY: the ops table proves `D` set the device up, and the
            // data is initialised (checked above).
            Some(unsafe { Device::from_net_device(self) })
        } else {
            None
        }
    }
}

/// The device during its `setup` callback, before registration.
pub struct Setup<'a, D: Driver> {
    dev: *mut bindings::net_device,
    _p: PhantomData<(&'a mut bindings::net_device, D)>,
}

impl<D: Driver> Setup<'_, D> {
    pub(crate) fn raw(&mut self) -> &mut bindings::net_device {
        // SAFETY: during setup the device is exclusively ours.
        unsafe { &mut *self.dev }
    }

    /// Ethernet defaults (`ether_setup`).
    pub fn ether_setup(&mut self) {
        // SAFETY: the device is being set up and is exclusively ours.
        unsafe { bindings::ether_setup(self.dev) };
        // `ether_setup` overwrote nothing of ours: ops are set after it.
    }

    /// A random locally administered MAC (`eth_hw_addr_random`).
    pub fn random_mac(&mut self) {
        // SAFETY: as above.
        unsafe { bindings::rvnet_eth_hw_addr_random(self.dev) };
    }

    /// Adds `IFF_*` flags to `dev->flags`.
    pub fn add_flags(&mut self, flags: u32) {
        self.raw().flags |= flags;
    }

    /// Removes `IFF_*` flags from `dev->flags`.
    pub fn clear_flags(&mut self, flags: u32) {
        self.raw().flags &= !flags;
    }

    /// Adds and removes `IFF_*` private flags (`enum netdev_priv_flags`).
    ///
    /// Kernel rule: several private flags promise C code a private-data
    /// layout (`IFF_802_1Q_VLAN`: `struct vlan_dev_priv`, `IFF_BONDING`:
    /// `struct bonding`, `IFF_EBRIDGE`: `struct net_bridge`, ...), which
    /// C drivers' notifiers then cast `netdev_priv()` to. So raw bits are
    /// only for the layer (`pub(super)`): drivers get the typed setters
    /// below, and `IFF_802_1Q_VLAN` comes only with the VLAN layout
    /// (`VlanSetup::mark_vlan`). The layer provides no C-compatible layout
    /// for `IFF_BONDING`/`IFF_EBRIDGE`: their setters (`bonding_master`,
    /// `bridge_master`) require the C module to be kept out.
    pub(super) fn update_priv_flags(&mut self, set: u64, clear: u64) {
        // SAFETY: the device is exclusively ours during setup.
        unsafe { bindings::rvnet_netdev_update_priv_flags(self.dev, set, clear) };
    }

    /// Adds private flags (layer only, see `update_priv_flags`).
    pub(super) fn add_priv_flags(&mut self, flags: u64) {
        self.update_priv_flags(flags, 0);
    }

    /// `IFF_NO_QUEUE`: the device needs no qdisc (virtual devices).
    pub fn no_queue(&mut self) {
        self.add_priv_flags(bindings::netdev_priv_flags_IFF_NO_QUEUE as u64);
    }

    /// `IFF_UNICAST_FLT`: the device filters unicast addresses itself
    /// (`ndo_set_rx_mode` takes the unicast list).
    pub fn unicast_filter(&mut self) {
        self.add_priv_flags(bindings::netdev_priv_flags_IFF_UNICAST_FLT as u64);
    }

    /// `IFF_LIVE_ADDR_CHANGE`: the address may change while the device is
    /// up.
    pub fn live_addr_change(&mut self) {
        self.add_priv_flags(bindings::netdev_priv_flags_IFF_LIVE_ADDR_CHANGE as u64);
    }

    /// Clears `IFF_TX_SKB_SHARING` (set by `ether_setup`): transmit may
    /// modify the skb (push a tag, change `skb->dev`), so pktgen must not
    /// send one skb several times.
    pub fn no_tx_skb_sharing(&mut self) {
        self.update_priv_flags(0, bindings::netdev_priv_flags_IFF_TX_SKB_SHARING as u64);
    }

    /// `IFF_EBRIDGE`: the device is a bridge. Built-in rtnetlink then
    /// dumps its FDB through `ndo_fdb_dump` and its ports' requests reach
    /// its `ndo_fdb_*` hooks, so `D` must implement all four (a build
    /// error otherwise, see `stack/fdb.rs`); C `bridge.ko`, which would
    /// cast its private data, must be kept out (`KEEP_OUT =
    /// Some(KeepOut::BRIDGE)`, the veto its link kind registers; a build
    /// error otherwise).
    pub fn bridge_master(&mut self) {
        super::fdb::assert_fdb_ops::<D>();
        super::module_veto::assert_keeps_out_bridge::<D>();
        self.add_priv_flags(bindings::netdev_priv_flags_IFF_EBRIDGE as u64);
    }

    /// `IFF_BONDING`: the device is a bonding master. The stack then treats
    /// it as one (`netif_is_bond_master`: link-watch urgency, XDP_TX of its
    /// slaves redirected through `ndo_xdp_get_xmit_slave`), and C
    /// `bonding.ko`'s notifier would cast its private data to `struct
    /// bonding`: so only a driver that keeps C bonding out
    /// (`KEEP_OUT = Some(KeepOut::BONDING)`, the veto its link kind
    /// registers) and answers `xdp_get_xmit_slave` may set it (a build
    /// error otherwise). The driver sets `IFF_MASTER` itself.
    pub fn bonding_master(&mut self) {
        super::module_veto::assert_keeps_out_bonding::<D>();
        self.add_priv_flags(bindings::netdev_priv_flags_IFF_BONDING as u64);
    }

    /// `dev->netns_immutable`: the device cannot move to another network
    /// namespace (`ip link set X netns Y` fails with `EINVAL`), as C
    /// bonding, bridge and the tunnels' fallback devices do. Needed by a
    /// device whose state is tied to its namespace.
    pub fn netns_immutable(&mut self) {
        // SAFETY: the device is exclusively ours during setup.
        unsafe { bindings::rvnet_netdev_set_netns_immutable(self.dev) };
    }

    /// Sets `dev->features`, `hw_features` (what the user may toggle) and
    /// `vlan_features` (what a VLAN device above inherits).
    /// The VLAN filter bits are dropped unless the driver has the hooks
    /// (see [`Self::vlan_filter`]).
    pub fn set_features(&mut self, features: Features, hw: Features, vlan: Features) {
        use super::vlan_filter::strip_unfiltered;
        let d = self.raw();
        d.features = strip_unfiltered::<D>(features.bits());
        d.hw_features = strip_unfiltered::<D>(hw.bits());
        d.vlan_features = vlan.bits();
    }

    /// The features of a master of lower devices, as C bonding's
    /// `bond_setup`: `MASTER_UPPER_DEV_VLAN_FEATURES` and
    /// `NETIF_F_GSO_ENCAP_ALL` toggleable and on, VLAN tag insertion and
    /// `NETIF_F_GSO_PARTIAL` on. `fix_features` then narrows them to what
    /// the lower devices have.
    pub fn master_upper_features(&mut self) {
        let hw = Features::MASTER_UPPER_VLAN | Features::GSO_ENCAP_ALL;
        let on = hw | Features::HW_VLAN_CTAG_TX | Features::HW_VLAN_STAG_TX | Features::GSO_PARTIAL;
        let d = self.raw();
        d.hw_features |= hw.bits();
        d.features |= on.bits();
    }

    /// Offers VLAN filtering and receive tag stripping
    /// (`NETIF_F_HW_VLAN_{CTAG,STAG}_{FILTER,RX}` in `features` and
    /// `hw_features`, as C bonding): VLANs stacked on the device then reach
    /// its `vlan_rx_add_vid`/`vlan_rx_kill_vid`, which the core calls
    /// without a NULL check, so `D` must implement both (a build error
    /// otherwise).
    pub fn vlan_filter(&mut self) {
        super::vlan_filter::assert_filter_ops::<D>();
        let f = super::vlan_filter::FILTER_AND_RX.bits();
        let d = self.raw();
        d.features |= f;
        d.hw_features |= f;
    }

    /// Offers VLAN tag insertion on transmit (`NETIF_F_HW_VLAN_CTAG_TX` and
    /// `NETIF_F_HW_VLAN_STAG_TX` in `features` only, as C `bond_setup`): a
    /// VLAN device above hands packets over with the tag in
    /// `skb->vlan_tci` instead of in the frame, and the core inserts it in
    /// software for a lower device without the offload
    /// (`validate_xmit_vlan`). So a master sees the same frame as C's does
    /// (bonding's layer2 hash reads the inner ethertype).
    pub fn vlan_tx_offload(&mut self) {
        let f = (1u64 << bindings::NETIF_F_HW_VLAN_CTAG_TX_BIT)
            | (1u64 << bindings::NETIF_F_HW_VLAN_STAG_TX_BIT);
        self.raw().features |= f;
    }

    /// Declares lockless transmit (`dev->lltx`): the core does not take the
    /// queue lock around `ndo_start_xmit`, as for most virtual devices.
    pub fn set_lltx(&mut self) {
        // SAFETY: the device is exclusively ours during setup.
        unsafe { bindings::rvnet_netdev_set_lltx(self.dev, true) };
    }

    /// A non-Ethernet device of type `ARPHRD_VOID` with room for
    /// `hard_header_len` bytes of lower-device header that keeps the route
    /// on its packets (`netif_keep_dst`), as TEQL masters are.
    pub fn void_setup(&mut self, hard_header_len: u16) {
        // SAFETY: the device is exclusively ours during setup.
        unsafe { bindings::rvnet_netdev_setup_void(self.dev, hard_header_len) };
    }

    /// Keeps the route on transmitted packets (`netif_keep_dst`), for
    /// devices that hand packets to a lower device.
    pub fn keep_dst(&mut self) {
        // SAFETY: the device is exclusively ours during setup.
        unsafe { bindings::rvnet_netif_keep_dst(self.dev) };
    }

    /// Sets `dev->flags` to exactly `flags`.
    pub fn set_flags(&mut self, flags: u32) {
        self.raw().flags = flags;
    }

    /// Sets the MTU and its limits.
    pub fn set_mtu(&mut self, mtu: u32, min: u32, max: u32) {
        let d = self.raw();
        d.mtu = mtu;
        d.min_mtu = min;
        d.max_mtu = max;
    }

    /// Sets `tx_queue_len`.
    pub fn set_tx_queue_len(&mut self, len: u32) {
        self.raw().tx_queue_len = len;
    }
}

/// The C side of a [`Driver`]: the ops tables and the trampolines.
pub(crate) struct Adapter<D: Driver>(PhantomData<D>);

impl<D: Driver> Adapter<D> {
    const NETDEV_OPS: bindings::net_device_ops = bindings::net_device_ops {
        ndo_init: if D::HAS_INIT || D::OWN_WORKQUEUE {
            Some(Self::init_callback)
        } else {
            None
        },
        ndo_get_stats64: if D::HAS_GET_STATS64 {
            Some(Self::get_stats64_callback)
        } else {
            None
        },
        ndo_get_iflink: if D::HAS_GET_IFLINK {
            Some(Self::get_iflink_callback)
        } else {
            None
        },
        ndo_set_rx_mode: if D::HAS_SET_RX_MODE {
            Some(Self::set_rx_mode_callback)
        } else {
            None
        },
        ndo_change_rx_flags: if D::HAS_CHANGE_RX_FLAGS {
            Some(Self::change_rx_flags_callback)
        } else {
            None
        },
        ndo_vlan_rx_add_vid: if D::HAS_VLAN_RX_ADD_VID {
            Some(Self::vlan_rx_add_vid_callback)
        } else {
            None
        },
        ndo_vlan_rx_kill_vid: if D::HAS_VLAN_RX_KILL_VID {
            Some(Self::vlan_rx_kill_vid_callback)
        } else {
            None
        },
        ndo_open: if D::HAS_OPEN {
            Some(Self::open_callback)
        } else {
            None
        },
        ndo_stop: if D::HAS_STOP {
            Some(Self::stop_callback)
        } else {
            None
        },
        ndo_uninit: if D::HAS_UNINIT {
            Some(Self::uninit_callback)
        } else {
            None
        },
        ndo_fix_features: if D::HAS_FIX_FEATURES {
            Some(Self::fix_features_callback)
        } else {
            None
        },
        ndo_change_mtu: if D::HAS_CHANGE_MTU {
            Some(Self::change_mtu_callback)
        } else {
            None
        },
        ndo_add_slave: if D::HAS_ADD_SLAVE {
            Some(Self::add_slave_callback)
        } else {
            None
        },
        ndo_del_slave: if D::HAS_DEL_SLAVE {
            Some(Self::del_slave_callback)
        } else {
            None
        },
        ndo_fdb_add: if D::HAS_FDB_ADD {
            Some(Self::fdb_add_callback)
        } else {
            None
        },
        ndo_fdb_del: if D::HAS_FDB_DEL {
            Some(Self::fdb_del_callback)
        } else {
            None
        },
        ndo_fdb_dump: if D::HAS_FDB_DUMP {
            Some(Self::fdb_dump_callback)
        } else {
            None
        },
        ndo_fdb_get: if D::HAS_FDB_GET {
            Some(Self::fdb_get_callback)
        } else {
            None
        },
        ndo_bridge_getlink: if D::HAS_BRIDGE_GETLINK {
            Some(Self::bridge_getlink_callback)
        } else {
            None
        },
        ndo_bridge_setlink: if D::HAS_BRIDGE_SETLINK {
            Some(Self::bridge_setlink_callback)
        } else {
            None
        },
        ndo_siocdevprivate: if D::HAS_TUNNEL_CTL {
            Some(Self::tunnel_ioctl_callback)
        } else if D::HAS_SIOCDEVPRIVATE {
            Some(Self::siocdevprivate_callback)
        } else if D::HAS_SIOCBOND {
            Some(BondIoctlAdapter::<D>::siocdevprivate_callback)
        } else {
            None
        },
        ndo_select_queue: if D::HAS_SELECT_QUEUE {
            Some(Self::select_queue_callback)
        } else {
            None
        },
        ndo_siocbond: if D::HAS_SIOCBOND {
            Some(BondIoctlAdapter::<D>::siocbond_callback)
        } else {
            None
        },
        ndo_eth_ioctl: if D::HAS_ETH_IOCTL {
            Some(BondIoctlAdapter::<D>::eth_ioctl_callback)
        } else {
            None
        },
        ndo_tunnel_ctl: if D::HAS_TUNNEL_CTL {
            Some(Self::tunnel_ctl_callback)
        } else {
            None
        },
        ndo_xdp_get_xmit_slave: if D::HAS_XDP_GET_XMIT_SLAVE {
            Some(Self::xdp_get_xmit_slave_callback)
        } else {
            None
        },
        ndo_bpf: if D::HAS_XDP_SETUP_PROG {
            Some(Self::bpf_callback)
        } else {
            None
        },
        ndo_xdp_xmit: if D::XDP_XMIT_VIA_LOWER && D::HAS_XDP_GET_XMIT_SLAVE {
            Some(Self::xdp_xmit_callback)
        } else {
            None
        },
        ndo_start_xmit: Some(Self::start_xmit_callback),
        ndo_validate_addr: if D::ETH_ADDR && D::VALIDATE_ADDR {
            Some(bindings::eth_validate_addr)
        } else {
            None
        },
        ndo_set_mac_address: if D::ETH_ADDR && D::HAS_SET_MAC_ADDRESS {
            Some(Self::set_mac_address_callback)
        } else if D::ETH_ADDR {
            Some(bindings::eth_mac_addr)
        } else {
            None
        },
        // SAFETY: all-zero is a valid `net_device_ops` (every hook absent).
        ..unsafe { MaybeUninit::zeroed().assume_init() }
    };

    const ETHTOOL_OPS: bindings::ethtool_ops = bindings::ethtool_ops {
        get_drvinfo: Some(Self::get_drvinfo_callback),
        get_link: Some(bindings::ethtool_op_get_link),
        get_link_ksettings: if D::HAS_GET_LINK_KSETTINGS {
            Some(Self::get_link_ksettings_callback)
        } else {
            None
        },
        // SAFETY: all-zero is a valid `ethtool_ops` (every hook absent).
        ..unsafe { MaybeUninit::zeroed().assume_init() }
    };

    /// The one address of `D`'s `net_device_ops` (compared by `downcast`).
    pub(crate) fn netdev_ops() -> &'static bindings::net_device_ops {
        const {
            assert!(
                !D::XDP_XMIT_VIA_LOWER || D::HAS_XDP_GET_XMIT_SLAVE,
                "XDP_XMIT_VIA_LOWER needs xdp_get_xmit_slave"
            )
        };
        &Self::NETDEV_OPS
    }

    fn ethtool_ops() -> &'static bindings::ethtool_ops {
        &Self::ETHTOOL_OPS
    }

    /// The size of the private area to pass to `alloc_netdev`.
    pub(crate) const fn priv_size() -> usize {
        const {
            assert!(
                core::mem::align_of::<PrivSlot<D::Data>>() <= 32,
                "Driver::Data alignment exceeds NETDEV_ALIGN"
            )
        };
        const {
            assert!(
                core::mem::offset_of!(PrivSlot<D::Data>, data) == 0,
                "Driver::Data must start netdev_priv (vlan_dev_priv is read there)"
            )
        };
        core::mem::size_of::<PrivSlot<D::Data>>()
    }

    fn is_live(dev: &NetDevice) -> bool {
        // SAFETY: the device was set up for `D`, so its private area is a
        // `PrivSlot`; `live` only changes on paths where no other user of
        // the device runs (before registration, in the destructor).
        unsafe { (*Device::<D>::slot(dev)).live }
    }

    /// Moves `data` into the private area of a device set up for `D`.
    ///
    /// # Safety
    ///
    /// `dev` must have been set up for `D`, must not be registered yet, and
    /// must not hold live data.
    pub(crate) unsafe fn init_data(dev: *mut bindings::net_device, data: D::Data) {
        // SAFETY: the caller guarantees exclusive access before registration.
        let slot = unsafe { &mut *Device::<D>::slot(NetDevice::from_raw(dev)) };
        slot.data.write(data);
        // INVARIANT: `data` was just initialised.
        slot.live = true;
        // SAFETY: exclusive access (above); `dev` sits in the namespace it
        // is about to be registered in (the core or `create_device` set it),
        // which is its link net; not on any list yet.
        unsafe { bindings::rvnet_link_net_init(&mut slot.link_net, dev) };
    }

    /// Drops the private data if it is live; safe to call more than once.
    ///
    /// # Safety
    ///
    /// `dev` must have been set up for `D`, and no callback may use the data
    /// any more (the device is unregistered or was never registered).
    pub(crate) unsafe fn drop_data(dev: *mut bindings::net_device) {
        // SAFETY: exclusive access per the caller's contract.
        let slot = unsafe { &mut *Device::<D>::slot(NetDevice::from_raw(dev)) };
        if slot.live {
            // INVARIANT: cleared before dropping, so a re-entry sees it dead.
            slot.live = false;
            // SAFETY: `live` was true, so the data is initialised.
            unsafe { slot.data.assume_init_drop() };
        }
        // After the data: its work items were cancelled by their `Drop`,
        // so nothing can be queued on the workqueue any more.
        let wq = core::mem::replace(&mut slot.wq, core::ptr::null_mut());
        if !wq.is_null() {
            // SAFETY: allocated by `init_callback` and now unreachable (the
            // slot's pointer was cleared); process context, as the callers'
            // (the destructor, a failed registration) is.
            unsafe { bindings::destroy_workqueue(wq) };
        }
    }

    /// The `setup` callback for `alloc_netdev_mqs`.
    ///
    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    pub(crate) unsafe extern "C" fn setup_callback(dev: *mut bindings::net_device) {
        let mut s = Setup::<D> {
            dev,
            _p: PhantomData,
        };
        D::setup(&mut s);
        // SAFETY: `alloc_netdev_mqs` calls us on a fresh, zeroed device that
        // nobody else can see yet.
        let d = unsafe { &mut *dev };
        d.netdev_ops = Self::netdev_ops();
        d.ethtool_ops = Self::ethtool_ops();
        d.priv_destructor = Some(Self::destructor_callback);
        d.needs_free_netdev = true;
        // No rvnet device implements netpoll (`ndo_netpoll_setup`,
        // `netpoll_tx_running` paths): netpoll would call `ndo_start_xmit`
        // with IRQs off, outside the `rcu_read_lock_bh` section the
        // `start_xmit` contract promises. `IFF_DISABLE_NETPOLL` makes
        // `__netpoll_setup` refuse (netconsole: "doesn't support polling"),
        // on the device itself and on C masters/VLANs stacked on it.
        // Set after `D::setup` so no driver can clear it.
        Setup::<D> {
            dev,
            _p: PhantomData,
        }
        .add_priv_flags(bindings::netdev_priv_flags_IFF_DISABLE_NETPOLL as u64);
        if D::PCPU_STATS {
            // SAFETY: the device is exclusively ours during setup.
            unsafe { bindings::rvnet_netdev_set_tstats(dev) };
        }
        // INVARIANT: the private area starts dead (`live == false`): the
        // allocator zeroes it, and we say so explicitly.
        // SAFETY: the area was allocated with `priv_size()` bytes.
        unsafe { (*Device::<D>::slot(NetDevice::from_raw(dev))).live = false };
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn destructor_callback(dev: *mut bindings::net_device) {
        // SAFETY: the core calls `priv_destructor` once the device is
        // unregistered (or failed to register): no callback runs any more.
        unsafe { Self::drop_data(dev) };
        // SAFETY: the entry is the device's own (zeroed, so not listed, if
        // the data never was set); off the module's list before the memory
        // goes.
        unsafe {
            bindings::rvnet_link_net_del(core::ptr::addr_of_mut!(
                (*Device::<D>::slot(NetDevice::from_raw(dev))).link_net
            ))
        };
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn init_callback(dev: *mut bindings::net_device) -> ffi::c_int {
        // SAFETY: `ndo_init` runs under RTNL; the data was initialised
        // before `register_netdevice` was called.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        if D::OWN_WORKQUEUE {
            // SAFETY: the device is ours and not visible yet; its name was
            // resolved ("bond%d" to "bond0") before `ndo_init`.
            let wq = unsafe { bindings::rvnet_alloc_dev_wq((*dev).name.as_ptr()) };
            if wq.is_null() {
                return ENOMEM.to_errno();
            }
            // SAFETY: as above: nobody else reads the slot yet; on a later
            // failure of `register_netdevice` the layer's `drop_data`
            // destroys it.
            unsafe { (*Device::<D>::slot(NetDevice::from_raw(dev))).wq = wq };
        }
        if !D::HAS_INIT {
            return 0;
        }
        match D::init(d, rtnl) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn get_iflink_callback(dev: *const bindings::net_device) -> ffi::c_int {
        // SAFETY: the core asks a registered device of ours, under RTNL or
        // RCU (the private data lives until the device is freed).
        D::get_iflink(unsafe { Device::<D>::from_raw(dev.cast_mut()) })
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn get_stats64_callback(
        dev: *mut bindings::net_device,
        stats: *mut bindings::rtnl_link_stats64,
    ) {
        // SAFETY: a registered device of ours; `stats` is the caller's buffer.
        let d = unsafe { Device::<D>::from_raw(dev) };
        let mut s = Stats64::default();
        D::get_stats64(d, &mut s);
        // SAFETY: `stats` is valid for writes.
        s.write_raw(unsafe { &mut *stats });
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn xdp_get_xmit_slave_callback(
        dev: *mut bindings::net_device,
        xdp: *mut bindings::xdp_buff,
    ) -> *mut bindings::net_device {
        // SAFETY: a registered device of ours (the master of the slave the
        // frame came in on); the caller holds `rcu_read_lock` and passes
        // the frame's buffer for the call.
        unsafe {
            let d = Device::<D>::from_raw(dev);
            super::xdp::with_frame(xdp, |frame, ctx| {
                D::xdp_get_xmit_slave(d, frame, ctx).map_or(core::ptr::null_mut(), |s| s.as_raw())
            })
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn bpf_callback(
        dev: *mut bindings::net_device,
        bpf: *mut bindings::netdev_bpf,
    ) -> ffi::c_int {
        let mut prog = core::ptr::null_mut();
        let mut extack = core::ptr::null_mut();
        // SAFETY: `bpf` is the command the core passed for the call.
        if !unsafe { bindings::rvnet_netdev_bpf_setup_prog(bpf, &mut prog, &mut extack) } {
            return EINVAL.to_errno();
        }
        // `ndo_bpf` runs under RTNL (`dev_xdp_attach`, `dev_xdp_uninstall`,
        // `dev_xdp_propagate` of an upper device); the core holds a
        // reference on `prog` (non-null) for the call, moved to us on success.
        // SAFETY: as said above, on a registered device of ours, RTNL held;
        // the ack is null or valid for the call.
        let (d, mut ack, rtnl, own) = unsafe {
            (
                Device::<D>::from_raw(dev),
                ExtAck::from_raw(extack),
                Rtnl::assume_held(),
                BpfProg::inc(prog),
            )
        };
        match D::xdp_setup_prog(d, own, &mut ack, rtnl) {
            Ok(()) => {
                if !prog.is_null() {
                    // SAFETY: the driver holds its own reference: the one
                    // the core moved in is given back.
                    unsafe { bindings::rvnet_bpf_prog_put(prog) };
                }
                0
            }
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn xdp_xmit_callback(
        dev: *mut bindings::net_device,
        n: ffi::c_int,
        frames: *mut *mut bindings::xdp_frame,
        flags: u32,
    ) -> ffi::c_int {
        // SAFETY: a registered device of ours (a redirect target).
        let d = unsafe { Device::<D>::from_raw(dev) };
        let _rcu = RcuGuard::new();
        let enxio = ENXIO.to_errno();
        let mut err = enxio;
        let mut nxmit: ffi::c_int = 0;
        while nxmit < n {
            // SAFETY: `frames` holds `n` frames (the contract of the hook).
            let frame = unsafe { *frames.add(nxmit as usize) };
            let send = |bytes: &[u8], ctx: &XdpContext| match D::xdp_get_xmit_slave(d, bytes, ctx) {
                // SAFETY: the slave is valid for the RCU section; the
                // frame goes to it as C's `bond_xdp_xmit` sends it.
                Some(s) => unsafe { bindings::rvnet_dev_xdp_xmit_one(s.as_raw(), frame, flags) },
                None => enxio,
            };
            // SAFETY: a frame of the call, under the RCU section above.
            err = unsafe { super::xdp::with_xdp_frame(frame, send) };
            if err < 1 {
                break;
            }
            nxmit += 1;
        }
        // As C: the error of the first frame, else the number sent.
        if err < 0 && nxmit == 0 {
            err
        } else {
            nxmit
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn set_rx_mode_callback(dev: *mut bindings::net_device) {
        // SAFETY: a registered device of ours, address lists locked for
        // the duration of the callback.
        let (d, lists) = unsafe {
            let d = Device::<D>::from_raw(dev);
            (d, AddrListsLocked::assume_held(d.net_device()))
        };
        D::set_rx_mode(d, &lists)
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn change_rx_flags_callback(
        dev: *mut bindings::net_device,
        flags: ffi::c_int,
    ) {
        // SAFETY: `dev_change_rx_flags` runs under RTNL (`__dev_set_promiscuity`
        // and `__dev_set_allmulti` assert it) on a registered device of ours.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        D::change_rx_flags(d, flags as u32, rtnl)
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn vlan_rx_add_vid_callback(
        dev: *mut bindings::net_device,
        proto: bindings::__be16,
        vid: u16,
    ) -> ffi::c_int {
        // SAFETY: `vlan_vid_add` runs under RTNL (it asserts it) on a
        // registered device of ours.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        match D::vlan_rx_add_vid(d, u16::from_be(proto), vid, rtnl) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn vlan_rx_kill_vid_callback(
        dev: *mut bindings::net_device,
        proto: bindings::__be16,
        vid: u16,
    ) -> ffi::c_int {
        // SAFETY: as for `vlan_rx_add_vid_callback` (`vlan_vid_del`).
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        match D::vlan_rx_kill_vid(d, u16::from_be(proto), vid, rtnl) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn open_callback(dev: *mut bindings::net_device) -> ffi::c_int {
        // SAFETY: `ndo_open` runs under RTNL on a registered device of ours.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        match D::open(d, rtnl) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn stop_callback(dev: *mut bindings::net_device) -> ffi::c_int {
        // SAFETY: `ndo_stop` runs under RTNL on a registered device of ours.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        match D::stop(d, rtnl) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn uninit_callback(dev: *mut bindings::net_device) {
        // SAFETY: `ndo_uninit` runs under RTNL; the data is still live
        // (it is dropped later, by `priv_destructor`).
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        D::uninit(d, rtnl)
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn set_mac_address_callback(
        dev: *mut bindings::net_device,
        addr: *mut ffi::c_void,
    ) -> ffi::c_int {
        // SAFETY: `ndo_set_mac_address` runs under RTNL on a registered
        // device with `addr` a `struct sockaddr` whose data holds
        // `addr_len` (6, `ETH_ADDR`) bytes.
        let (d, rtnl, mac) = unsafe {
            let p = bindings::rvnet_sockaddr_hwaddr(addr);
            let mut mac = [0u8; 6];
            core::ptr::copy_nonoverlapping(p, mac.as_mut_ptr(), 6);
            (Device::<D>::from_raw(dev), Rtnl::assume_held(), mac)
        };
        match D::set_mac_address(d, &mac, rtnl) {
            Ok(MacAddrSet::Keep) => 0,
            Ok(MacAddrSet::Store) => {
                // SAFETY: under RTNL; an Ethernet device (`addr_len` 6).
                unsafe { bindings::rvnet_eth_hw_addr_set(dev, mac.as_ptr()) };
                0
            }
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn fix_features_callback(
        dev: *mut bindings::net_device,
        features: bindings::netdev_features_t,
    ) -> bindings::netdev_features_t {
        // SAFETY: `ndo_fix_features` runs under RTNL (from
        // `__netdev_update_features`) on a device of ours.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        // The VLAN filter bits only with the hooks the core then calls
        // (`stack/vlan_filter.rs`).
        super::vlan_filter::strip_unfiltered::<D>(
            D::fix_features(d, Features::from_bits(features), rtnl).bits(),
        )
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn change_mtu_callback(
        dev: *mut bindings::net_device,
        new_mtu: ffi::c_int,
    ) -> ffi::c_int {
        // SAFETY: `ndo_change_mtu` runs under RTNL on a registered device.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        let Ok(mtu) = u32::try_from(new_mtu) else {
            return EINVAL.to_errno();
        };
        match D::change_mtu(d, mtu, rtnl) {
            Ok(()) => {
                // SAFETY: under RTNL the driver may update `dev->mtu`
                // (`WRITE_ONCE` for lockless readers).
                unsafe { core::ptr::addr_of_mut!((*dev).mtu).write_volatile(mtu) };
                0
            }
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn add_slave_callback(
        dev: *mut bindings::net_device,
        slave: *mut bindings::net_device,
        extack: *mut bindings::netlink_ext_ack,
    ) -> ffi::c_int {
        // SAFETY: `ndo_add_slave` runs under RTNL (`do_set_master`) on a
        // registered device of ours; `slave` is a registered device pinned
        // by RTNL; the ack is null or valid for the request.
        let (d, s, mut ack, rtnl) = unsafe {
            (
                Device::<D>::from_raw(dev),
                NetDevice::from_raw(slave),
                ExtAck::from_raw(extack),
                Rtnl::assume_held(),
            )
        };
        match D::add_slave(d, s, &mut ack, rtnl) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn del_slave_callback(
        dev: *mut bindings::net_device,
        slave: *mut bindings::net_device,
    ) -> ffi::c_int {
        // SAFETY: as for `add_slave_callback`.
        let (d, s, rtnl) = unsafe {
            (
                Device::<D>::from_raw(dev),
                NetDevice::from_raw(slave),
                Rtnl::assume_held(),
            )
        };
        match D::del_slave(d, s, rtnl) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by `dev_siocdevprivate` (under RTNL) through the ops
    /// table of a registered device of ours, `data` a user pointer.
    unsafe extern "C" fn tunnel_ioctl_callback(
        dev: *mut bindings::net_device,
        _ifr: *mut bindings::ifreq,
        data: *mut ffi::c_void,
        cmd: ffi::c_int,
    ) -> ffi::c_int {
        if D::HAS_SIT_CTL {
            if let Some(c) = crate::netdev::sit::SitCmd::from_raw(cmd as u32) {
                // SAFETY: `data` is this ioctl's user pointer.
                let user = unsafe { crate::netdev::sit::SitUser::new(data) };
                // SAFETY: as in the contract; RTNL is held.
                let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
                return match D::sit_ctl(d, c, &user, rtnl) {
                    Ok(()) => 0,
                    Err(e) => e.to_errno(),
                };
            }
        }
        let mut parm = [0u8; 52];
        // SAFETY: `copy_from_user` checks the user range itself.
        if unsafe { bindings::rvnet_copy_from_user(parm.as_mut_ptr().cast(), data, 52) } != 0 {
            return EFAULT.to_errno();
        }
        // SAFETY: as in the contract; RTNL is held.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        if let Err(e) = D::tunnel_ctl(d, cmd as u32, &mut parm, rtnl) {
            return e.to_errno();
        }
        // SAFETY: as above.
        if unsafe { bindings::rvnet_copy_to_user(data, parm.as_ptr().cast(), 52) } != 0 {
            return EFAULT.to_errno();
        }
        0
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn tunnel_ctl_callback(
        dev: *mut bindings::net_device,
        p: *mut bindings::ip_tunnel_parm_kern,
        cmd: ffi::c_int,
    ) -> ffi::c_int {
        let mut parm = [0u8; 52];
        // SAFETY: `p` is the caller's valid parameter block; `parm` holds
        // 52 bytes.
        let r = unsafe { bindings::rvnet_ip_tunnel_parm_kern_to_uapi(p, parm.as_mut_ptr().cast()) };
        if r != 0 {
            return r;
        }
        // SAFETY: as in the contract; RTNL is held by ndo_tunnel_ctl's callers.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        if let Err(e) = D::tunnel_ctl(d, cmd as u32, &mut parm, rtnl) {
            return e.to_errno();
        }
        // SAFETY: `p` is valid; `parm` holds 52 bytes.
        unsafe { bindings::rvnet_ip_tunnel_parm_uapi_to_kern(parm.as_ptr().cast(), p) };
        0
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn siocdevprivate_callback(
        dev: *mut bindings::net_device,
        _ifr: *mut bindings::ifreq,
        data: *mut ffi::c_void,
        _cmd: ffi::c_int,
    ) -> ffi::c_int {
        let mut args = [0u64; 4];
        // SAFETY: the helper copies from the user pointer into `args`.
        let r = unsafe { bindings::rvnet_read_uargs(data, args.as_mut_ptr(), 4) };
        if r != 0 {
            return r;
        }
        let argp = UserPtr::new(args[1]);
        // SAFETY: as in the contract; RTNL is held.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        match D::siocdevprivate(d, &args, &argp, rtnl) {
            Ok(v) => v,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn start_xmit_callback(
        skb: *mut bindings::sk_buff,
        dev: *mut bindings::net_device,
    ) -> bindings::netdev_tx_t {
        // SAFETY: the core passes us ownership of `skb` and calls us on a
        // registered, running device of ours, under `rcu_read_lock_bh`.
        let (d, skb, tx) = unsafe {
            (
                Device::<D>::from_raw(dev),
                SkBuff::from_raw(skb),
                XmitContext::assume_held(),
            )
        };
        // The only `TxSkb` of this call, branded with a lifetime local to it.
        let skb = TxSkb {
            skb,
            _brand: PhantomData,
        };
        match D::start_xmit(d, skb, tx) {
            TxResult::Ok => bindings::netdev_tx_NETDEV_TX_OK,
            TxResult::Busy(skb) => {
                // The brand makes this the skb the core passed us: ownership
                // goes back to the core, which requeues its own pointer.
                let _ = skb.skb.into_raw();
                bindings::netdev_tx_NETDEV_TX_BUSY
            }
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn get_drvinfo_callback(
        _dev: *mut bindings::net_device,
        info: *mut bindings::ethtool_drvinfo,
    ) {
        // SAFETY: ethtool passes a valid, writable `ethtool_drvinfo`.
        let info = unsafe { &mut *info };
        copy_cstr(&mut info.driver, D::INFO.name);
        if !D::INFO.version.as_bytes().is_empty() {
            copy_cstr(&mut info.version, D::INFO.version);
        }
        if let Some(fw) = D::FW_VERSION {
            copy_cstr(&mut info.fw_version, fw);
        }
    }

    /// # Safety
    ///
    /// Only called by `netdev_core_pick_tx` on a registered device of ours,
    /// under `rcu_read_lock_bh`, with an skb the core owns for the call.
    unsafe extern "C" fn select_queue_callback(
        dev: *mut bindings::net_device,
        skb: *mut bindings::sk_buff,
        _sb_dev: *mut bindings::net_device,
    ) -> u16 {
        // SAFETY: as in the contract.
        let (d, mut q) = unsafe {
            (
                Device::<D>::from_raw(dev),
                crate::netdev::txqueue::QueueSkb::new(skb),
            )
        };
        D::select_queue(d, &mut q)
    }

    /// # Safety
    ///
    /// Only called by ethtool (`__ethtool_get_link_ksettings`, under RTNL,
    /// on a registered device of ours) with a zeroed, writable structure.
    unsafe extern "C" fn get_link_ksettings_callback(
        dev: *mut bindings::net_device,
        cmd: *mut bindings::ethtool_link_ksettings,
    ) -> ffi::c_int {
        // SAFETY: as in the contract; RTNL is held.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        let ls = D::get_link_ksettings(d, rtnl);
        // SAFETY: ethtool passes a valid, writable structure.
        let base = unsafe { &mut (*cmd).base };
        base.speed = ls.speed.unwrap_or(bindings::SPEED_UNKNOWN as u32);
        base.duplex = match ls.duplex {
            Some(true) => bindings::DUPLEX_FULL as u8,
            Some(false) => bindings::DUPLEX_HALF as u8,
            None => bindings::DUPLEX_UNKNOWN as u8,
        };
        base.port = ls.port;
        0
    }
}

/// Copies `src` into a fixed C string buffer, truncating and terminating.
fn copy_cstr(dst: &mut [ffi::c_char], src: &CStr) {
    let bytes = src.as_bytes();
    let n = bytes.len().min(dst.len().saturating_sub(1));
    for (d, &s) in dst.iter_mut().zip(bytes[..n].iter()) {
        *d = s as ffi::c_char;
    }
    if let Some(t) = dst.get_mut(n) {
        *t = 0;
    }
}
