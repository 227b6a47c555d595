// SPDX-License-Identifier: GPL-2.0

//! `rtnl_link_ops`: devices created with `ip link add ... type KIND`.
//!
//! Kernel rules encoded here: every callback runs under RTNL; `newlink` must
//! register the device with `register_netdevice` (not `register_netdev`, the
//! lock is already held) and, if it fails, leave the device unregistered
//! for the core to free with `free_netdev`; the link kind's module alias
//! `rtnl-link-KIND` lets the core load the module on demand (declare it in
//! `module!`); unregistering the ops deletes every device of the kind in
//! every namespace, which is how `rmmod` with live devices cleans up.

use super::{
    bindings,
    device::{Net, NetDevice},
    driver::{Adapter, Device, Driver},
    link_net::LinkNetSweep,
    module_veto::ModuleVetoRegistration,
    nla::{Attrs, ExtAck, NlMsg},
    rtnl::{Rtnl, RtnlGuard},
};
use core::{
    marker::PhantomData,
    mem::MaybeUninit,
    pin::Pin,
    sync::atomic::{AtomicPtr, Ordering},
};
use kernel::{
    alloc::KBox,
    build_error,
    error::{to_result, VTABLE_DEFAULT_ERROR},
    ffi,
    prelude::*,
    types::{ARef, Opaque},
};

/// What a `newlink` request carries.
pub struct NewLink<'a> {
    /// The namespace the request came from (`src_net`).
    pub src_net: &'a Net,
    /// The `IFLA_*` attributes of the request.
    pub tb: Attrs<'a>,
    /// The kind's own `IFLA_INFO_DATA` attributes (may be absent).
    pub data: Attrs<'a>,
    /// RTNL is held for the whole request (`&mut`: the request may write).
    pub rtnl: &'a mut Rtnl,
}

/// A link kind: a [`Driver`] whose devices userspace creates over netlink.
#[vtable]
pub trait Link: Driver {
    /// The kind name (`ip link add ... type KIND`).
    const KIND: &'static CStr;

    /// Highest `IFLA_INFO_DATA` attribute type of the kind.
    const MAX_DATA_ATTR: u16 = 0;

    /// The kind's devices may move to another namespace while their work
    /// stays in the one they were created in ([`Device::link_net`]; C's
    /// IP tunnels): the layer then reports that namespace
    /// (`get_link_net`) and deletes every device created in a namespace
    /// when it dies, wherever the device lives (see
    /// [`super::link_net`]). The kind must not set `netns_immutable` on
    /// the devices that may move.
    const MOVABLE: bool = false;

    /// The number of transmit (and receive) queues of a new device when
    /// the request names none (`get_num_tx_queues`, `get_num_rx_queues`;
    /// C bonding's `tx_queues`); one without this method.
    fn num_tx_queues() -> u32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Checks a request before any device is allocated.
    fn validate(_tb: &Attrs<'_>, _data: &Attrs<'_>, _extack: &mut ExtAck) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Builds the private data of a new device. The layer then registers
    /// the device; if that fails, the data is dropped again.
    fn newlink(req: &mut NewLink<'_>, extack: &mut ExtAck) -> Result<Self::Data>;

    /// Runs right after a successful registration, still under the
    /// request's RTNL section (e.g. to link to a lower device). An error
    /// unregisters the device again.
    fn registered(_dev: &Device<Self>, _req: &mut NewLink<'_>, _extack: &mut ExtAck) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes an existing device (`ip link set ... type KIND ...`).
    fn changelink(
        _dev: &Device<Self>,
        _tb: &Attrs<'_>,
        _data: &Attrs<'_>,
        _extack: &mut ExtAck,
        _rtnl: &mut Rtnl,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Whether `ip link del` (and a namespace's or the kind's generic
    /// teardown, which go through the same `dellink`) may delete the
    /// device. `false` keeps it registered and still answers success, as
    /// C's `ip_tunnel_dellink` does for a namespace's fallback tunnel
    /// (`tunl0`), which only its per-namespace exit deletes
    /// ([`Device::unregister_now`]).
    fn may_delete(_dev: &Device<Self>) -> bool {
        true
    }

    /// Runs before a device is deleted (`ip link del`, namespace exit or
    /// module unload); the layer then queues the device for unregistration.
    fn dellink(_dev: &Device<Self>, _rtnl: &mut Rtnl) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Upper bound of the bytes `fill_info` adds (`get_size`).
    fn info_size(_dev: &Device<Self>) -> usize {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Emits the kind's attributes for `ip -d link show` (`fill_info`).
    fn fill_info(_dev: &Device<Self>, _msg: &mut NlMsg) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Highest `IFLA_INFO_SLAVE_DATA` attribute type of the kind (a master
    /// kind: bond, bridge).
    const SLAVE_MAX_ATTR: u16 = 0;

    /// Upper bound of the bytes `fill_slave_info` adds (`get_slave_size`).
    fn slave_info_size(_dev: &Device<Self>, _slave: &NetDevice) -> usize {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Emits the attributes of `slave`, a lower device of `dev`, for `ip -d
    /// link show SLAVE` (`fill_slave_info`; `IFLA_INFO_SLAVE_KIND` is the
    /// master's kind). Called under RTNL for a device whose master is
    /// `dev`.
    fn fill_slave_info(_dev: &Device<Self>, _slave: &NetDevice, _msg: &mut NlMsg) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes what the master keeps about `slave`, one of its lower
    /// devices (`ip link set SLAVE type KIND_slave ...`;
    /// `slave_changelink`): `data` holds the `IFLA_INFO_SLAVE_DATA`
    /// attributes, up to [`Link::SLAVE_MAX_ATTR`], unchecked (no policy:
    /// the typed getters check each payload's size).
    fn slave_changelink(
        _dev: &Device<Self>,
        _slave: &NetDevice,
        _data: &Attrs<'_>,
        _extack: &mut ExtAck,
        _rtnl: &mut Rtnl,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Upper bound of the bytes `fill_linkxstats` adds for `of`
    /// (`get_linkxstats_size`).
    fn linkxstats_size(_dev: &Device<Self>, _of: XstatsOf<'_>) -> usize {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Emits the kind's extended statistics of the device or of one of its
    /// slaves (`ip link xstats type KIND` / `type KIND_slave`;
    /// `fill_linkxstats`), inside the core's `IFLA_STATS_LINK_XSTATS[_SLAVE]`
    /// nest. Called under RTNL (the stats requests and dumps hold it).
    fn fill_linkxstats(
        _dev: &Device<Self>,
        _of: XstatsOf<'_>,
        _msg: &mut NlMsg,
        _rtnl: &Rtnl,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// Whose extended statistics a `RTM_GETSTATS` request asks a master kind
/// for: the device's own (`IFLA_STATS_LINK_XSTATS`) or those of a lower
/// device whose master it is (`IFLA_STATS_LINK_XSTATS_SLAVE`: the core
/// calls the master's ops with the slave).
#[derive(Clone, Copy)]
pub enum XstatsOf<'a> {
    /// The device itself.
    Master,
    /// `slave`, a lower device of the device.
    Slave(&'a NetDevice),
}

pub(crate) struct LinkAdapter<D: Link>(PhantomData<D>);

impl<D: Link> LinkAdapter<D> {
    const OPS: bindings::rtnl_link_ops = bindings::rtnl_link_ops {
        kind: D::KIND.as_char_ptr(),
        priv_size: Adapter::<D>::priv_size(),
        setup: Some(Adapter::<D>::setup_callback),
        maxtype: D::MAX_DATA_ATTR as ffi::c_uint,
        validate: Some(Self::validate_callback),
        newlink: Some(Self::newlink_callback),
        changelink: if D::HAS_CHANGELINK {
            Some(Self::changelink_callback)
        } else {
            None
        },
        dellink: Some(Self::dellink_callback),
        get_size: if D::HAS_INFO_SIZE {
            Some(Self::get_size_callback)
        } else {
            None
        },
        fill_info: if D::HAS_FILL_INFO {
            Some(Self::fill_info_callback)
        } else {
            None
        },
        slave_maxtype: D::SLAVE_MAX_ATTR as ffi::c_uint,
        get_slave_size: if D::HAS_SLAVE_INFO_SIZE {
            Some(Self::get_slave_size_callback)
        } else {
            None
        },
        fill_slave_info: if D::HAS_FILL_SLAVE_INFO {
            Some(Self::fill_slave_info_callback)
        } else {
            None
        },
        slave_changelink: if D::HAS_SLAVE_CHANGELINK {
            Some(Self::slave_changelink_callback)
        } else {
            None
        },
        get_linkxstats_size: if D::HAS_LINKXSTATS_SIZE {
            Some(Self::get_linkxstats_size_callback)
        } else {
            None
        },
        fill_linkxstats: if D::HAS_FILL_LINKXSTATS {
            Some(Self::fill_linkxstats_callback)
        } else {
            None
        },
        get_num_tx_queues: if D::HAS_NUM_TX_QUEUES {
            Some(Self::num_tx_queues_callback)
        } else {
            None
        },
        get_num_rx_queues: if D::HAS_NUM_TX_QUEUES {
            Some(Self::num_tx_queues_callback)
        } else {
            None
        },
        get_link_net: if D::MOVABLE {
            Some(Self::get_link_net_callback)
        } else {
            None
        },
        // SAFETY: all-zero is valid for the remaining fields (absent hooks,
        // an unlinked list head that `rtnl_link_register` initialises).
        ..unsafe { MaybeUninit::zeroed().assume_init() }
    };

    /// `get_num_tx_queues` and `get_num_rx_queues` (any context).
    extern "C" fn num_tx_queues_callback() -> ffi::c_uint {
        D::num_tx_queues()
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn validate_callback(
        tb: *mut *mut bindings::nlattr,
        data: *mut *mut bindings::nlattr,
        extack: *mut bindings::netlink_ext_ack,
    ) -> ffi::c_int {
        // SAFETY: the core passes `IFLA_MAX + 1` and `maxtype + 1` entry
        // tables (or null) and a valid ack, for the call's duration.
        let (tb, data, mut ack) = unsafe {
            (
                Attrs::from_raw(tb, bindings::RVNET_IFLA_MAX as usize),
                Attrs::from_raw(data, D::MAX_DATA_ATTR as usize),
                ExtAck::from_raw(extack),
            )
        };
        if !D::HAS_VALIDATE {
            return 0;
        }
        match D::validate(&tb, &data, &mut ack) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn newlink_callback(
        src_net: *mut bindings::net,
        dev: *mut bindings::net_device,
        tb: *mut *mut bindings::nlattr,
        data: *mut *mut bindings::nlattr,
        extack: *mut bindings::netlink_ext_ack,
    ) -> ffi::c_int {
        // SAFETY: `newlink` runs under RTNL with valid tables, namespace and
        // ack, on a device our `setup` prepared and nobody else sees yet.
        let (mut req, mut ack) = unsafe {
            (
                NewLink {
                    src_net: Net::from_raw(src_net),
                    tb: Attrs::from_raw(tb, bindings::RVNET_IFLA_MAX as usize),
                    data: Attrs::from_raw(data, D::MAX_DATA_ATTR as usize),
                    rtnl: Rtnl::assume_held(),
                },
                ExtAck::from_raw(extack),
            )
        };
        let value = match D::newlink(&mut req, &mut ack) {
            Ok(v) => v,
            Err(e) => return e.to_errno(),
        };
        // SAFETY: set up for `D`, not registered, no live data yet.
        unsafe { Adapter::<D>::init_data(dev, value) };
        // SAFETY: under RTNL; on failure the core calls `priv_destructor` on
        // some paths only, and `drop_data` below is idempotent.
        let ret = unsafe { bindings::register_netdevice(dev) };
        if ret != 0 {
            // SAFETY: the device never became visible; the core will
            // `free_netdev` it. Drop the data if the core did not.
            unsafe { Adapter::<D>::drop_data(dev) };
            return ret;
        }
        // SAFETY: under RTNL, registered just now with `D`'s data.
        unsafe { Self::link_net_registered(dev) };
        if D::HAS_REGISTERED {
            // SAFETY: registered device of ours with live data, under RTNL.
            let d = unsafe { Device::<D>::from_raw(dev) };
            if let Err(e) = D::registered(d, &mut req, &mut ack) {
                // SAFETY: under RTNL; the device is freed by the core later
                // (`needs_free_netdev`), running `priv_destructor`.
                unsafe { bindings::unregister_netdevice_queue(dev, core::ptr::null_mut()) };
                return e.to_errno();
            }
        }
        0
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn changelink_callback(
        dev: *mut bindings::net_device,
        tb: *mut *mut bindings::nlattr,
        data: *mut *mut bindings::nlattr,
        extack: *mut bindings::netlink_ext_ack,
    ) -> ffi::c_int {
        // SAFETY: under RTNL on a registered device of ours, valid tables.
        let (d, tb, data, mut ack, rtnl) = unsafe {
            (
                Device::<D>::from_raw(dev),
                Attrs::from_raw(tb, bindings::RVNET_IFLA_MAX as usize),
                Attrs::from_raw(data, D::MAX_DATA_ATTR as usize),
                ExtAck::from_raw(extack),
                Rtnl::assume_held(),
            )
        };
        match D::changelink(d, &tb, &data, &mut ack, rtnl) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn dellink_callback(
        dev: *mut bindings::net_device,
        head: *mut bindings::list_head,
    ) {
        // SAFETY: under RTNL on a registered device of ours.
        if !D::may_delete(unsafe { Device::<D>::from_raw(dev) }) {
            return;
        }
        // SAFETY: as this function's.
        unsafe { Self::delete_device(dev, head) }
    }

    /// `dellink` without the [`Link::may_delete`] veto.
    ///
    /// # Safety
    ///
    /// Under RTNL, on a registered device of ours; `head` is null or the
    /// core's batch list.
    pub(crate) unsafe fn delete_device(
        dev: *mut bindings::net_device,
        head: *mut bindings::list_head,
    ) {
        if D::HAS_DELLINK {
            // SAFETY: under RTNL on a registered device of ours.
            let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
            D::dellink(d, rtnl);
            // SAFETY: under RTNL; a live device.
            if !unsafe { bindings::rvnet_netdev_can_unregister(dev) } {
                // `dellink` deleted the device itself (`Device::delete`).
                return;
            }
        }
        // SAFETY: under RTNL; `head` is the core's batch list or null.
        unsafe { bindings::unregister_netdevice_queue(dev, head) };
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn get_size_callback(dev: *const bindings::net_device) -> usize {
        // SAFETY: called under RTNL (or RCU) on a registered device of ours.
        D::info_size(unsafe { Device::<D>::from_raw(dev.cast_mut()) })
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn fill_info_callback(
        skb: *mut bindings::sk_buff,
        dev: *const bindings::net_device,
    ) -> ffi::c_int {
        // SAFETY: the message is ours to fill; the device is registered.
        let (d, mut msg) = unsafe { (Device::<D>::from_raw(dev.cast_mut()), NlMsg::from_raw(skb)) };
        match D::fill_info(d, &mut msg) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }
}

impl<D: Link> LinkAdapter<D> {
    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn get_slave_size_callback(
        dev: *const bindings::net_device,
        slave: *const bindings::net_device,
    ) -> usize {
        // SAFETY: called under RTNL for a registered device of ours and a
        // live lower device of it.
        let (d, s) = unsafe {
            (
                Device::<D>::from_raw(dev.cast_mut()),
                NetDevice::from_raw(slave.cast_mut()),
            )
        };
        D::slave_info_size(d, s)
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn fill_slave_info_callback(
        skb: *mut bindings::sk_buff,
        dev: *const bindings::net_device,
        slave: *const bindings::net_device,
    ) -> ffi::c_int {
        // SAFETY: the message is ours to fill; the master is a registered
        // device of ours and the slave a live lower device of it.
        let (d, s, mut msg) = unsafe {
            (
                Device::<D>::from_raw(dev.cast_mut()),
                NetDevice::from_raw(slave.cast_mut()),
                NlMsg::from_raw(skb),
            )
        };
        match D::fill_slave_info(d, s, &mut msg) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }
}

impl<D: Link> LinkAdapter<D> {
    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn slave_changelink_callback(
        dev: *mut bindings::net_device,
        slave: *mut bindings::net_device,
        _tb: *mut *mut bindings::nlattr,
        data: *mut *mut bindings::nlattr,
        extack: *mut bindings::netlink_ext_ack,
    ) -> ffi::c_int {
        // SAFETY: under RTNL (`rtnl_changelink`) on a registered device of
        // ours and a lower device whose master it is; `data` is a table of
        // `slave_maxtype + 1` entries or null; a valid ack.
        let (d, s, data, mut ack, rtnl) = unsafe {
            (
                Device::<D>::from_raw(dev),
                NetDevice::from_raw(slave),
                Attrs::from_raw(data, D::SLAVE_MAX_ATTR as usize),
                ExtAck::from_raw(extack),
                Rtnl::assume_held(),
            )
        };
        match D::slave_changelink(d, s, &data, &mut ack, rtnl) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }
}

impl<D: Link> LinkAdapter<D> {
    /// The master device of ours and whose statistics `attr` asks for: `dev`
    /// itself (`IFLA_STATS_LINK_XSTATS`), or `dev` as a slave of its
    /// master, which the core found to have our ops
    /// (`IFLA_STATS_LINK_XSTATS_SLAVE`).
    ///
    /// # Safety
    ///
    /// `dev` is a registered device, ours for `IFLA_STATS_LINK_XSTATS`
    /// (`rtnl` says RTNL is held).
    unsafe fn xstats_target<'a>(
        dev: *const bindings::net_device,
        attr: ffi::c_int,
        rtnl: &'a Rtnl,
    ) -> Option<(&'a Device<D>, XstatsOf<'a>)> {
        let dev = dev.cast_mut();
        if attr == bindings::IFLA_STATS_LINK_XSTATS as ffi::c_int {
            // SAFETY: per the function's contract, a registered device of
            // ours.
            return Some((unsafe { Device::<D>::from_raw(dev) }, XstatsOf::Master));
        }
        if attr != bindings::IFLA_STATS_LINK_XSTATS_SLAVE as ffi::c_int {
            return None;
        }
        // SAFETY: `dev` is live (RTNL held).
        let slave = unsafe { NetDevice::from_raw(dev) };
        // The downcast checks the master is a device of `D`.
        let master = slave.master_upper(rtnl)?.downcast::<D>()?;
        Some((master, XstatsOf::Slave(slave)))
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn get_linkxstats_size_callback(
        dev: *const bindings::net_device,
        attr: ffi::c_int,
    ) -> usize {
        // SAFETY: called under RTNL (`if_nlmsg_stats_size`) with a
        // registered device, ours for the master attribute; the only RTNL
        // token of this call.
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: as just said.
        match unsafe { Self::xstats_target(dev, attr, rtnl) } {
            Some((d, of)) => D::linkxstats_size(d, of),
            None => 0,
        }
    }

    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer registered,
    /// with the arguments the C contract of the hook guarantees.
    unsafe extern "C" fn fill_linkxstats_callback(
        skb: *mut bindings::sk_buff,
        dev: *const bindings::net_device,
        _prividx: *mut ffi::c_int,
        attr: ffi::c_int,
    ) -> ffi::c_int {
        // SAFETY: called under RTNL (`rtnl_fill_statsmsg`) with a
        // registered device, ours for the master attribute; the message is
        // ours to fill for the call; the only RTNL token of this call.
        let (rtnl, mut msg) = unsafe { (Rtnl::assume_held(), NlMsg::from_raw(skb)) };
        // SAFETY: as just said.
        let target = unsafe { Self::xstats_target(dev, attr, rtnl) };
        let Some((d, of)) = target else {
            return if attr == bindings::IFLA_STATS_LINK_XSTATS_SLAVE as ffi::c_int {
                0
            } else {
                EINVAL.to_errno()
            };
        };
        match D::fill_linkxstats(d, of, &mut msg, rtnl) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }
}

impl<D: Link> Device<D> {
    /// Deletes the device as `ip link del` would (`D::dellink`, then
    /// unregistration), e.g. when its lower device goes away. The device
    /// stays allocated until RTNL is released.
    ///
    /// Kernel rule: a device is unregistered once; `unregister_netdevice_many`
    /// hits a `BUG_ON` for a device that is not `NETREG_REGISTERED`, and
    /// queueing a device that already sits in a batch (`unreg_list`, e.g.
    /// the devices of a dying namespace, or of a kind whose module is
    /// unloading) corrupts that batch. So this checks, under RTNL, that the
    /// device is registered and not queued, and does nothing otherwise
    /// (returns `false`: someone else is already deleting it).
    pub fn delete(&self, _rtnl: &mut Rtnl) -> bool {
        // SAFETY: RTNL held; a live device.
        if !unsafe { bindings::rvnet_netdev_can_unregister(self.as_raw()) } {
            return false;
        }
        // SAFETY: RTNL held; a registered device of ours, not queued; null
        // head means "unregister now" (still deferred freeing until
        // rtnl_unlock).
        unsafe { LinkAdapter::<D>::dellink_callback(self.as_raw(), core::ptr::null_mut()) };
        true
    }

    /// Deletes the device now even if [`Link::may_delete`] refuses `ip link
    /// del` (a fallback tunnel in its namespace's exit), with the same
    /// checks as [`Device::delete`].
    pub fn unregister_now(&self, _rtnl: &mut Rtnl) -> bool {
        // SAFETY: RTNL held; a live device.
        if !unsafe { bindings::rvnet_netdev_can_unregister(self.as_raw()) } {
            return false;
        }
        // SAFETY: as in `delete`.
        unsafe { LinkAdapter::<D>::delete_device(self.as_raw(), core::ptr::null_mut()) };
        true
    }
}

/// A registered link kind; dropping it unregisters the kind and deletes
/// every device of it (`rtnl_link_unregister`).
pub struct LinkRegistration<D: Link> {
    ops: Pin<KBox<Opaque<bindings::rtnl_link_ops>>>,
    handle: Option<&'static LinkHandle<D>>,
    /// A movable kind's sweep of dying link nets: dropped after the kind
    /// (field order).
    _sweep: Option<LinkNetSweep<D>>,
    /// The veto on the C module of `D::KEEP_OUT`: registered before the
    /// kind, dropped after it (last field), so the module cannot load while
    /// a device of the kind exists.
    _veto: Option<ModuleVetoRegistration>,
    _p: PhantomData<D>,
}

// SAFETY: the ops live in a pinned allocation that only the kernel's rtnl
// core touches, under its own locks; this value only registers/unregisters.
unsafe impl<D: Link> Send for LinkRegistration<D> {}
// SAFETY: no `&self` method exists that touches the ops.
unsafe impl<D: Link> Sync for LinkRegistration<D> {}

impl<D: Link> LinkRegistration<D> {
    /// Registers the link kind `D::KIND` (`rtnl_link_register`).
    pub fn new() -> Result<Self> {
        // First: no device of the kind may exist while the C module that
        // trusts its flag could load (`module_veto::KeepOut`).
        let veto = match D::KEEP_OUT {
            Some(k) => Some(k.register(D::INFO.name)?),
            None => None,
        };
        let ops = KBox::pin(Opaque::new(LinkAdapter::<D>::OPS), GFP_KERNEL)?;
        // Before the kind: no device of it may exist without the sweep.
        let sweep = match D::MOVABLE {
            true => Some(LinkNetSweep::new()?),
            false => None,
        };
        // SAFETY: the ops are pinned and live until `drop` unregisters them.
        to_result(unsafe { bindings::rtnl_link_register(ops.get()) })?;
        Ok(LinkRegistration {
            ops,
            handle: None,
            _sweep: sweep,
            _veto: veto,
            _p: PhantomData,
        })
    }

    /// Registers the kind and publishes it in `handle`, through which code
    /// that cannot reach this registration (per-namespace `init` creating a
    /// fallback device) creates devices of the kind while it is registered.
    pub fn new_with_handle(handle: &'static LinkHandle<D>) -> Result<Self> {
        let mut reg = Self::new()?;
        let _rtnl = RtnlGuard::lock();
        handle.ops.store(reg.ops.get(), Ordering::Release);
        reg.handle = Some(handle);
        Ok(reg)
    }

    /// Creates and registers a device of this kind named `name` in `net`
    /// outside a netlink request (e.g. from an ioctl), as `rtnl_newlink`
    /// would: the device belongs to the kind, so `ip link del` works on it.
    /// A `%d` in `name` is replaced by the first free number (as C's
    /// `alloc_netdev` names `tunl%d`). Returns the registered device.
    pub fn create(
        &self,
        net: &Net,
        name: &[u8],
        data: D::Data,
        rtnl: &mut Rtnl,
    ) -> Result<ARef<NetDevice>> {
        // SAFETY: the ops are registered and live while `self` is.
        unsafe { create_device::<D>(self.ops.get(), net, name, data, rtnl) }
    }
}

/// Where a [`LinkRegistration`] made with
/// [`LinkRegistration::new_with_handle`] can be reached from; declare it as
/// a `static` (as [`super::pernet::PernetId`]).
pub struct LinkHandle<D: Link> {
    ops: AtomicPtr<bindings::rtnl_link_ops>,
    _p: PhantomData<D>,
}

// SAFETY: an atomic pointer to ops only the rtnl core writes.
unsafe impl<D: Link> Sync for LinkHandle<D> {}

impl<D: Link> LinkHandle<D> {
    /// A handle with no registration behind it yet.
    pub const fn new() -> Self {
        LinkHandle {
            ops: AtomicPtr::new(core::ptr::null_mut()),
            _p: PhantomData,
        }
    }

    /// [`LinkRegistration::create`] through the handle; `ENODEV` when the
    /// kind is not registered (before module init finished, or while it
    /// unloads).
    pub fn create(
        &self,
        net: &Net,
        name: &[u8],
        data: D::Data,
        rtnl: &mut Rtnl,
    ) -> Result<ARef<NetDevice>> {
        // The pointer is set and cleared under RTNL, which `rtnl` holds.
        let ops = self.ops.load(Ordering::Acquire);
        if ops.is_null() {
            return Err(ENODEV);
        }
        // SAFETY: a non-null pointer is the registered ops of a live
        // registration: it is cleared under RTNL before unregistration.
        unsafe { create_device::<D>(ops, net, name, data, rtnl) }
    }
}

impl<D: Link> Default for LinkHandle<D> {
    fn default() -> Self {
        Self::new()
    }
}

/// Allocates, names and registers a device of kind `D` in `net`.
///
/// # Safety
///
/// `ops` are `D`'s registered link ops, live for the device's lifetime
/// (until the kind is unregistered, which deletes the device first).
unsafe fn create_device<D: Link>(
    ops: *mut bindings::rtnl_link_ops,
    net: &Net,
    name: &[u8],
    data: D::Data,
    rtnl: &mut Rtnl,
) -> Result<ARef<NetDevice>> {
    let mut buf = [0u8; 16];
    if name.is_empty() || name.len() > 15 {
        return Err(EINVAL);
    }
    buf[..name.len()].copy_from_slice(name);
    // As `rtnl_create_link` without `IFLA_NUM_TX_QUEUES`.
    let queues = if D::HAS_NUM_TX_QUEUES {
        D::num_tx_queues()
    } else {
        1
    };
    // SAFETY: `setup_callback` prepares the device for `D`.
    let dev = unsafe {
        bindings::alloc_netdev_mqs(
            Adapter::<D>::priv_size() as i32,
            buf.as_ptr().cast(),
            bindings::RVNET_NET_NAME_USER,
            Some(Adapter::<D>::setup_callback),
            queues,
            queues,
        )
    };
    if dev.is_null() {
        return Err(ENOMEM);
    }
    // SAFETY: a fresh device nobody else sees; the ops are live (caller);
    // RTNL is held for registration.
    unsafe {
        bindings::rvnet_dev_net_set(dev, net.as_raw());
        bindings::rvnet_netdev_set_link_ops(dev, ops);
        Adapter::<D>::init_data(dev, data);
    }
    // SAFETY: under RTNL.
    let ret = unsafe { bindings::register_netdevice(dev) };
    if ret != 0 {
        // SAFETY: never registered: drop the data, free the device.
        unsafe {
            Adapter::<D>::drop_data(dev);
            bindings::free_netdev(dev);
        }
        return Err(Error::from_errno(ret));
    }
    // SAFETY: under RTNL, registered just now with `D`'s data.
    unsafe { LinkAdapter::<D>::link_net_registered(dev) };
    // SAFETY: registered: live until unregistered under RTNL, which `rtnl`
    // holds; the reference takes a hold.
    let held = unsafe { NetDevice::from_raw(dev) }.hold();
    if D::HAS_REGISTERED {
        // SAFETY: registered device of ours with live data, under RTNL;
        // empty attribute tables.
        let (d, empty) = unsafe {
            (
                Device::<D>::from_raw(dev),
                Attrs::from_raw(core::ptr::null_mut(), 0),
            )
        };
        let mut req = NewLink {
            src_net: net,
            tb: empty,
            data: empty,
            rtnl,
        };
        // SAFETY: a null ack is accepted by every ack method.
        let mut ack = unsafe { ExtAck::from_raw(core::ptr::null_mut()) };
        if let Err(e) = D::registered(d, &mut req, &mut ack) {
            drop(held);
            // SAFETY: under RTNL; freed later by the core.
            unsafe { bindings::unregister_netdevice_queue(dev, core::ptr::null_mut()) };
            return Err(e);
        }
    }
    Ok(held)
}

impl<D: Link> Drop for LinkRegistration<D> {
    fn drop(&mut self) {
        if let Some(h) = self.handle {
            let _rtnl = RtnlGuard::lock();
            h.ops.store(core::ptr::null_mut(), Ordering::Release);
        }
        // SAFETY: registered in `new`; takes RTNL itself and deletes all
        // devices of the kind before returning.
        unsafe { bindings::rtnl_link_unregister(self.ops.get()) };
        // Module exit drops its registrations: no deferred RCU callback of
        // this module may outlive it.
        super::rcu::barrier_deferred();
    }
}
