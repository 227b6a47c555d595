// SPDX-License-Identifier: GPL-2.0

//! Borrowed and reference-counted `struct net_device` and `struct net`.
//!
//! Kernel rule: a `net_device` stays allocated while a reference
//! (`dev_hold`) is held or while the caller is inside a context that pins it
//! (RTNL for registered devices, RCU for devices found by RCU list walks, a
//! callback on the device itself). [`NetDevice`] is only ever seen behind a
//! reference whose lifetime is such a context, or inside an [`ARef`] that
//! holds a `dev_hold` reference.

use super::{bindings, rcu::RcuGuard, rtnl::Rtnl};
use core::ptr::NonNull;
use kernel::{
    error::{to_result, Result},
    types::{ARef, AlwaysRefCounted, Opaque},
};

/// A network device (`struct net_device`) of any kind.
///
/// # Invariants
///
/// A `&NetDevice` always points to a live, initialised `net_device`.
#[repr(transparent)]
pub struct NetDevice(Opaque<bindings::net_device>);

// SAFETY: `net_device` is designed to be shared between CPUs; the methods
// below only perform accesses the kernel allows concurrently, and the ones
// that need RTNL take a `&Rtnl`.
unsafe impl Sync for NetDevice {}
// SAFETY: an `ARef<NetDevice>` may be released on any CPU (`dev_put`).
unsafe impl Send for NetDevice {}

/// A device name: at most `IFNAMSIZ - 1` bytes, copied out of the device so
/// that a concurrent rename cannot tear it.
#[derive(Clone, Copy)]
pub struct IfName {
    buf: [u8; 16],
    len: usize,
}

impl IfName {
    /// A name from bytes (a name read from a sysfs file): `None` if it is
    /// longer than `IFNAMSIZ - 1` or holds a NUL.
    pub fn new(name: &[u8]) -> Option<IfName> {
        if name.len() > 15 || name.contains(&0) {
            return None;
        }
        let mut buf = [0u8; 16];
        buf[..name.len()].copy_from_slice(name);
        Some(IfName {
            buf,
            len: name.len(),
        })
    }

    /// The name as bytes (no terminating NUL).
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// The name as a C string (for sysfs link names).
    pub fn as_cstr(&self) -> &kernel::str::CStr {
        // `len` < 16 and the rest of `buf` is zero: `buf[..=len]` is the
        // name and its NUL.
        kernel::str::CStr::from_bytes_with_nul(self.buf.get(..=self.len).unwrap_or(b"\0"))
            .unwrap_or(kernel::c_str!(""))
    }
}

impl core::fmt::Display for IfName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.pad(core::str::from_utf8(self.as_bytes()).unwrap_or("?"))
    }
}

/// A MAC address as C's `%pM` prints it (`02:00:00:00:00:01`), for log
/// lines, sysfs and `/proc`.
pub struct MacFmt<'a>(pub &'a [u8; 6]);

impl core::fmt::Display for MacFmt<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let m = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            m[0], m[1], m[2], m[3], m[4], m[5]
        )
    }
}

impl NetDevice {
    /// Creates a reference from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a live `net_device` that stays alive for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a NetDevice {
        // SAFETY: `NetDevice` is a transparent wrapper; liveness is the
        // caller's contract.
        unsafe { &*ptr.cast::<NetDevice>() }
    }

    /// The raw pointer, for this layer's calls into C.
    #[inline(always)]
    pub(crate) fn as_raw(&self) -> *mut bindings::net_device {
        self.0.get()
    }

    /// `netdev_priv(dev)`: the start of the private area (`dev->priv`, at
    /// its offset), computed inline as C does. Only an address: what lies
    /// there is the allocating driver's.
    #[inline(always)]
    pub(crate) fn priv_ptr(&self) -> *mut u8 {
        self.as_raw()
            .cast::<u8>()
            .wrapping_add(bindings::RVNET_NETDEV_PRIV_OFF)
    }

    /// The interface name (copied; see [`IfName`]).
    pub fn name(&self) -> IfName {
        let mut out = IfName {
            buf: [0; 16],
            len: 0,
        };
        // SAFETY: `name` is a fixed array inside a live device; readers
        // without RTNL may see a rename in progress, as C's `netdev_name()`
        // users do, but always a NUL-terminated array of this size.
        let name = unsafe { &(*self.as_raw()).name };
        for (i, &c) in name.iter().enumerate().take(15) {
            if c == 0 {
                break;
            }
            out.buf[i] = c;
            out.len = i + 1;
        }
        out
    }

    /// The interface index.
    pub fn ifindex(&self) -> i32 {
        // SAFETY: `ifindex` is set before registration and then constant.
        unsafe { (*self.as_raw()).ifindex }
    }

    /// The current MTU (`READ_ONCE(dev->mtu)`).
    pub fn mtu(&self) -> u32 {
        // SAFETY: the field is live; a volatile read mirrors `READ_ONCE`.
        unsafe { core::ptr::addr_of!((*self.as_raw()).mtu).read_volatile() }
    }

    /// `dev->tx_queue_len` (`READ_ONCE`).
    pub fn tx_queue_len(&self) -> u32 {
        // SAFETY: the field is live; a volatile read mirrors `READ_ONCE`.
        unsafe { core::ptr::addr_of!((*self.as_raw()).tx_queue_len).read_volatile() }
    }

    /// The interface flags (`dev->flags`, `IFF_*`).
    pub fn flags(&self) -> u32 {
        // SAFETY: the field is live; a volatile read mirrors `READ_ONCE`.
        unsafe { core::ptr::addr_of!((*self.as_raw()).flags).read_volatile() }
    }

    /// `netdev_state_change()`: tells `NETDEV_CHANGE` notifiers and
    /// `ip monitor link` that the device's state changed (C's sysfs stores
    /// call it after a change).
    pub fn state_change(&self, _rtnl: &mut Rtnl) {
        // SAFETY: a registered device, under RTNL as the function requires.
        unsafe { bindings::netdev_state_change(self.as_raw()) };
    }

    /// `call_netdevice_notifiers(NETDEV_CHANGEINFODATA)`: tells notifiers
    /// and `ip monitor link` that the link kind's options changed (C's
    /// `__bond_opt_set_notify`, after a sysfs write).
    pub fn info_change(&self, _rtnl: &mut Rtnl) {
        // SAFETY: a registered device, under RTNL as the notifiers require.
        unsafe {
            bindings::call_netdevice_notifiers(
                bindings::netdev_cmd_NETDEV_CHANGEINFODATA as usize,
                self.as_raw(),
            )
        };
    }

    /// `IFF_UP` is set (administratively up).
    pub fn is_up(&self) -> bool {
        self.flags() & bindings::RVNET_IFF_UP != 0
    }

    /// `netif_running()`: the device has been opened.
    /// Inline, as C's `test_bit(__LINK_STATE_START, &dev->state)`.
    #[inline]
    pub fn is_running(&self) -> bool {
        // SAFETY: the device is live; `state` is a plain word that the core
        // changes with atomic bit operations.
        let state = unsafe { core::ptr::addr_of!((*self.as_raw()).state).read_volatile() };
        state & bindings::RVNET_LINK_STATE_START != 0
    }

    /// Transmit queue 0 (`netdev_get_tx_queue(dev, 0)`), allocated with
    /// the device.
    #[inline(always)]
    pub(crate) fn txq0(&self) -> *mut bindings::netdev_queue {
        // SAFETY: the device is live; `_tx` is set by `alloc_netdev_mqs`.
        unsafe { core::ptr::addr_of!((*self.as_raw())._tx).read() }
    }

    /// `netif_carrier_ok()`: the link is up (`LOWER_UP`).
    pub fn carrier_ok(&self) -> bool {
        // SAFETY: the device is live.
        unsafe { bindings::rvnet_netif_carrier_ok(self.as_raw()) }
    }

    /// Turns the carrier on or off (`netif_carrier_on/off`).
    pub fn set_carrier(&self, on: bool) {
        // SAFETY: the device is live; both functions are callable from any
        // context and do their own locking.
        unsafe {
            if on {
                bindings::netif_carrier_on(self.as_raw())
            } else {
                bindings::netif_carrier_off(self.as_raw())
            }
        }
    }

    /// Allows the stack to transmit (`netif_start_queue`).
    pub fn start_queue(&self) {
        // SAFETY: the device is live and registered (queues allocated).
        unsafe { bindings::rvnet_netif_start_queue(self.as_raw()) }
    }

    /// Stops the transmit queue (`netif_stop_queue`).
    pub fn stop_queue(&self) {
        // SAFETY: as for `start_queue`.
        unsafe { bindings::rvnet_netif_stop_queue(self.as_raw()) }
    }

    /// Restarts a stopped transmit queue (`netif_wake_queue`).
    #[inline]
    pub fn wake_queue(&self) {
        // SAFETY: as for `start_queue`; `netif_wake_queue` is this call on
        // queue 0, inline in C.
        unsafe { bindings::netif_tx_wake_queue(self.txq0()) }
    }

    /// `netif_queue_stopped()`.
    pub fn queue_stopped(&self) -> bool {
        // SAFETY: as for `start_queue`.
        unsafe { bindings::rvnet_netif_queue_stopped(self.as_raw()) }
    }

    /// Counts a packet dropped on transmit in the core statistics.
    pub fn count_tx_dropped(&self) {
        // SAFETY: the device is live; the counter is per-CPU and lock-free.
        unsafe { bindings::rvnet_dev_core_stats_tx_dropped_inc(self.as_raw()) }
    }

    /// The network namespace the device lives in (`dev_net`, read inline
    /// as C's: the tunnels' data paths ask per packet).
    #[inline(always)]
    pub fn net(&self) -> &Net {
        // SAFETY: a live device always has a live namespace (`nd_net` is
        // set before registration); a device is moved between namespaces
        // only under RTNL after being closed, and the namespace outlives
        // its devices.
        unsafe { Net::from_raw(core::ptr::addr_of!((*self.as_raw()).nd_net.net).read()) }
    }

    /// Sets the MTU through the core (`dev_set_mtu`), notifying listeners
    /// (a writer: below 68 the IPv4 core destroys the `in_device`).
    pub fn set_mtu(&self, mtu: u32, _rtnl: &mut Rtnl) -> Result {
        let mtu = i32::try_from(mtu).map_err(|_| kernel::error::code::EINVAL)?;
        // SAFETY: RTNL is held, as `dev_set_mtu` requires.
        to_result(unsafe { bindings::dev_set_mtu(self.as_raw(), mtu) })
    }

    /// Looks up a device by index in `net`, under RTNL.
    pub fn get_by_index<'a>(net: &'a Net, ifindex: i32, _rtnl: &'a Rtnl) -> Option<&'a NetDevice> {
        // SAFETY: RTNL is held, so the device cannot be unregistered while
        // `'a` (bounded by the token) lasts.
        let p = unsafe { bindings::__dev_get_by_index(net.as_raw(), ifindex) };
        // SAFETY: non-null results are live devices, pinned by RTNL.
        NonNull::new(p).map(|p| unsafe { NetDevice::from_raw(p.as_ptr()) })
    }

    /// Iterates over every device of `net` under RCU (`for_each_netdev_rcu`).
    pub fn for_each_rcu<'a>(net: &'a Net, guard: &'a RcuGuard) -> NetDeviceIter<'a> {
        // SAFETY: inside an RCU read-side critical section (the guard).
        let first = unsafe { bindings::rvnet_first_net_device_rcu(net.as_raw()) };
        NetDeviceIter {
            next: first,
            _guard: guard,
        }
    }
}

/// Iterator over a namespace's devices; see [`NetDevice::for_each_rcu`].
pub struct NetDeviceIter<'a> {
    next: *mut bindings::net_device,
    _guard: &'a RcuGuard,
}

impl<'a> Iterator for NetDeviceIter<'a> {
    type Item = &'a NetDevice;

    fn next(&mut self) -> Option<&'a NetDevice> {
        let cur = NonNull::new(self.next)?;
        // SAFETY: `cur` was found on the RCU list inside the guard's
        // critical section, so it stays allocated while the guard lives.
        self.next = unsafe { bindings::rvnet_next_net_device_rcu(cur.as_ptr()) };
        // SAFETY: as above.
        Some(unsafe { NetDevice::from_raw(cur.as_ptr()) })
    }
}

// SAFETY: `dev_hold`/`dev_put` implement the device's reference count; a held
// reference keeps the `net_device` allocated.
unsafe impl AlwaysRefCounted for NetDevice {
    fn inc_ref(&self) {
        // SAFETY: the device is live.
        unsafe { bindings::rvnet_dev_hold(self.as_raw()) }
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller owns a reference taken by `inc_ref`.
        unsafe { bindings::rvnet_dev_put(obj.as_ptr().cast()) }
    }
}

impl NetDevice {
    /// Takes a counted reference (`dev_hold`) that outlives the current
    /// context. The device may still be unregistered meanwhile: a holder
    /// must drop it when it sees `NETDEV_UNREGISTER` for the device.
    pub fn hold(&self) -> ARef<NetDevice> {
        ARef::from(self)
    }
}

/// Device statistics (`struct rtnl_link_stats64`), as `ip -s link` shows.
#[derive(Default, Clone, Copy)]
pub struct Stats64 {
    /// Packets received.
    pub rx_packets: u64,
    /// Packets transmitted.
    pub tx_packets: u64,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Bytes transmitted.
    pub tx_bytes: u64,
    /// Receive errors.
    pub rx_errors: u64,
    /// Transmit errors.
    pub tx_errors: u64,
    /// Received packets dropped.
    pub rx_dropped: u64,
    /// Transmitted packets dropped.
    pub tx_dropped: u64,
    /// Multicast packets received.
    pub multicast: u64,
    /// The other counters of `struct rtnl_link_stats64`, in its order
    /// (`collisions` to `rx_otherhost_dropped`): what a master folds from
    /// its lower devices ([`Stats64::to_array`]).
    pub rest: [u64; 16],
}

/// The number of counters of `struct rtnl_link_stats64`.
pub const STATS64_LEN: usize = 25;

impl Stats64 {
    /// Every counter, in `struct rtnl_link_stats64` order.
    pub fn to_array(&self) -> [u64; STATS64_LEN] {
        let mut a = [0u64; STATS64_LEN];
        a[..9].copy_from_slice(&[
            self.rx_packets,
            self.tx_packets,
            self.rx_bytes,
            self.tx_bytes,
            self.rx_errors,
            self.tx_errors,
            self.rx_dropped,
            self.tx_dropped,
            self.multicast,
        ]);
        a[9..].copy_from_slice(&self.rest);
        a
    }

    /// From every counter, in `struct rtnl_link_stats64` order.
    pub fn from_array(a: &[u64; STATS64_LEN]) -> Self {
        let mut rest = [0u64; 16];
        rest.copy_from_slice(&a[9..]);
        Stats64 {
            rx_packets: a[0],
            tx_packets: a[1],
            rx_bytes: a[2],
            tx_bytes: a[3],
            rx_errors: a[4],
            tx_errors: a[5],
            rx_dropped: a[6],
            tx_dropped: a[7],
            multicast: a[8],
            rest,
        }
    }

    /// From the kernel's structure.
    pub(crate) fn from_raw(r: &bindings::rtnl_link_stats64) -> Self {
        Self::from_array(&[
            r.rx_packets,
            r.tx_packets,
            r.rx_bytes,
            r.tx_bytes,
            r.rx_errors,
            r.tx_errors,
            r.rx_dropped,
            r.tx_dropped,
            r.multicast,
            r.collisions,
            r.rx_length_errors,
            r.rx_over_errors,
            r.rx_crc_errors,
            r.rx_frame_errors,
            r.rx_fifo_errors,
            r.rx_missed_errors,
            r.tx_aborted_errors,
            r.tx_carrier_errors,
            r.tx_fifo_errors,
            r.tx_heartbeat_errors,
            r.tx_window_errors,
            r.rx_compressed,
            r.tx_compressed,
            r.rx_nohandler,
            r.rx_otherhost_dropped,
        ])
    }

    /// Into the kernel's structure.
    pub(crate) fn write_raw(&self, r: &mut bindings::rtnl_link_stats64) {
        let a = self.to_array();
        r.rx_packets = a[0];
        r.tx_packets = a[1];
        r.rx_bytes = a[2];
        r.tx_bytes = a[3];
        r.rx_errors = a[4];
        r.tx_errors = a[5];
        r.rx_dropped = a[6];
        r.tx_dropped = a[7];
        r.multicast = a[8];
        r.collisions = a[9];
        r.rx_length_errors = a[10];
        r.rx_over_errors = a[11];
        r.rx_crc_errors = a[12];
        r.rx_frame_errors = a[13];
        r.rx_fifo_errors = a[14];
        r.rx_missed_errors = a[15];
        r.tx_aborted_errors = a[16];
        r.tx_carrier_errors = a[17];
        r.tx_fifo_errors = a[18];
        r.tx_heartbeat_errors = a[19];
        r.tx_window_errors = a[20];
        r.rx_compressed = a[21];
        r.tx_compressed = a[22];
        r.rx_nohandler = a[23];
        r.rx_otherhost_dropped = a[24];
    }
}

impl NetDevice {
    /// The device's statistics, folded over all CPUs (`dev_get_stats`).
    pub fn stats64(&self) -> Stats64 {
        let mut raw = bindings::rtnl_link_stats64::default();
        // SAFETY: the device is live; `dev_get_stats` fills `raw` and may be
        // called from process context, with or without RCU.
        unsafe { bindings::dev_get_stats(self.as_raw(), &mut raw) };
        Stats64::from_raw(&raw)
    }
}

/// Flag and attribute numbers drivers need (`IFF_*`, private `IFF_*`,
/// `IFLA_*`), re-exported with their C names.
pub mod flags {
    use super::bindings;

    /// `IFF_UP`.
    pub const IFF_UP: u32 = bindings::net_device_flags_IFF_UP;
    /// `IFF_BROADCAST`.
    pub const IFF_BROADCAST: u32 = bindings::net_device_flags_IFF_BROADCAST;
    /// `IFF_NOARP`.
    pub const IFF_NOARP: u32 = bindings::net_device_flags_IFF_NOARP;
    /// `IFF_MULTICAST`.
    pub const IFF_MULTICAST: u32 = bindings::net_device_flags_IFF_MULTICAST;
    /// `IFF_PROMISC`.
    pub const IFF_PROMISC: u32 = bindings::net_device_flags_IFF_PROMISC;
    /// `IFF_ALLMULTI`.
    pub const IFF_ALLMULTI: u32 = bindings::net_device_flags_IFF_ALLMULTI;
    /// `IFF_POINTOPOINT`.
    pub const IFF_POINTOPOINT: u32 = bindings::net_device_flags_IFF_POINTOPOINT;
    /// `IFF_MASTER`: a master of lower devices (bonding).
    pub const IFF_MASTER: u32 = bindings::net_device_flags_IFF_MASTER;
    /// `IFF_SLAVE`: a lower device of a bonding-style master.
    pub const IFF_SLAVE: u32 = bindings::net_device_flags_IFF_SLAVE;
    /// `IFF_LIVE_ADDR_CHANGE` (private flag).
    pub const IFF_LIVE_ADDR_CHANGE: u64 = bindings::netdev_priv_flags_IFF_LIVE_ADDR_CHANGE as u64;
    /// `IFF_NO_QUEUE` (private flag).
    pub const IFF_NO_QUEUE: u64 = bindings::netdev_priv_flags_IFF_NO_QUEUE as u64;
    /// `IFF_UNICAST_FLT` (private flag).
    pub const IFF_UNICAST_FLT: u64 = bindings::netdev_priv_flags_IFF_UNICAST_FLT as u64;
    /// `IFF_DISABLE_NETPOLL` (private flag, low 32 bits): set by the layer
    /// on every rvnet device (no netpoll support); C's counterparts do not
    /// have it, so `/proc` output that prints `priv_flags` masks it to
    /// stay identical to C.
    pub const IFF_DISABLE_NETPOLL: u32 = bindings::netdev_priv_flags_IFF_DISABLE_NETPOLL;
    /// `IFF_TX_SKB_SHARING` (private flag).
    pub const IFF_TX_SKB_SHARING: u64 = bindings::netdev_priv_flags_IFF_TX_SKB_SHARING as u64;
    /// `IFLA_ADDRESS`.
    pub const IFLA_ADDRESS: u32 = bindings::IFLA_ADDRESS;
    /// `IFLA_MTU`.
    pub const IFLA_MTU: u32 = bindings::IFLA_MTU;
    /// `IFLA_LINK`.
    pub const IFLA_LINK: u32 = bindings::IFLA_LINK;
    /// `IFLA_IFNAME`.
    pub const IFLA_IFNAME: u32 = bindings::IFLA_IFNAME;
}

/// A network namespace (`struct net`).
///
/// # Invariants
///
/// A `&Net` points to a live namespace.
#[repr(transparent)]
pub struct Net(Opaque<bindings::net>);

// SAFETY: namespaces are shared between CPUs; this type exposes no unsynchronised access.
unsafe impl Sync for Net {}

impl Net {
    /// # Safety
    ///
    /// `ptr` must point to a live namespace for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net) -> &'a Net {
        // SAFETY: transparent wrapper; liveness is the caller's contract.
        unsafe { &*ptr.cast::<Net>() }
    }

    /// The raw pointer, for this layer.
    pub(crate) fn as_raw(&self) -> *mut bindings::net {
        self.0.get()
    }

    /// The initial namespace (`init_net`), which lives as long as the
    /// kernel (C bonding's `max_bonds` bonds are made there).
    pub fn init_net() -> &'static Net {
        // SAFETY: `init_net` is a static that is never freed.
        unsafe { Net::from_raw(core::ptr::addr_of_mut!(bindings::init_net)) }
    }

    /// True if `self` and `other` are the same namespace.
    pub fn same(&self, other: &Net) -> bool {
        core::ptr::eq(self.as_raw(), other.as_raw())
    }
}
