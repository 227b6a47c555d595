// SPDX-License-Identifier: GPL-2.0

//! The IPv4 address core: a device's `struct in_device`, its addresses
//! (`struct in_ifaddr`) and the inetaddr notifier chain.
//!
//! Kernel rules encoded here:
//!
//! - A device's `in_device` (`dev->ip_ptr`) and its address list
//!   (`in_dev->ifa_list`, `ifa->ifa_next`) are RCU-published and changed
//!   only under RTNL. Readers either hold RTNL (`__in_dev_get_rtnl`,
//!   `rtnl_dereference`) or are inside an RCU read-side critical section
//!   (`__in_dev_get_rcu`, `in_dev_for_each_ifa_rcu`); an address removed
//!   from the list is freed only after a grace period (`inet_free_ifa` uses
//!   `call_rcu`). [`InDevice`] and [`InIfAddr`] references are therefore
//!   bounded by a [`RcuGuard`] or a [`Rtnl`] borrow.
//! - Address fields that change in place (the `IFA_F_SECONDARY` flag on
//!   promotion, the label on device rename) are written under RTNL; RCU
//!   readers may see either value, never a torn label (it is copied).
//! - The inetaddr chain (`register_inetaddr_notifier`) is a blocking chain
//!   called with RTNL held, with `NETDEV_UP` after an address is inserted (or
//!   promoted to primary) and `NETDEV_DOWN` after it is unlinked; it does not
//!   replay existing addresses on registration.

use super::{
    bindings,
    device::NetDevice,
    notifier::{NotifierBlock, NotifierChain},
    rcu::RcuGuard,
    rtnl::Rtnl,
};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{ffi, types::Opaque};

/// `IFA_F_SECONDARY`: the address is a secondary one of its subnet.
pub const IFA_F_SECONDARY: u32 = bindings::IFA_F_SECONDARY;

/// An IPv4 address, in network order (as `__be32` fields hold it).
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct Ipv4Addr(pub [u8; 4]);

impl Ipv4Addr {
    fn from_be(raw: u32) -> Self {
        // `__be32` fields are stored in network order: their in-memory bytes
        // are the dotted quad.
        Ipv4Addr(raw.to_ne_bytes())
    }

    /// True for `0.0.0.0`.
    pub fn is_unspecified(&self) -> bool {
        self.0 == [0; 4]
    }

    /// The address as a host-order integer.
    pub fn to_u32(self) -> u32 {
        u32::from_be_bytes(self.0)
    }
}

impl core::fmt::Display for Ipv4Addr {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let [a, b, c, d] = self.0;
        // Pad as a whole (`{:<15}` must work), so format into a small buffer.
        let mut buf = [0u8; 15];
        let mut w = SliceWriter {
            buf: &mut buf,
            len: 0,
        };
        core::fmt::Write::write_fmt(&mut w, format_args!("{a}.{b}.{c}.{d}"))?;
        let len = w.len;
        f.pad(core::str::from_utf8(&buf[..len]).unwrap_or("?"))
    }
}

struct SliceWriter<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl core::fmt::Write for SliceWriter<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(core::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// An address label (`ifa_label`), copied so that a concurrent rename
/// cannot tear it: at most `IFNAMSIZ - 1` bytes.
#[derive(Clone, Copy)]
pub struct IfaLabel {
    buf: [u8; 16],
    len: usize,
}

impl IfaLabel {
    /// The label as bytes (no terminating NUL).
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl core::fmt::Display for IfaLabel {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.pad(core::str::from_utf8(self.as_bytes()).unwrap_or("?"))
    }
}

/// The IPv4 state of a device (`struct in_device`).
///
/// # Invariants
///
/// A `&InDevice` points to a live `in_device`, for as long as the RCU
/// critical section or RTNL borrow it was obtained under.
#[repr(transparent)]
pub struct InDevice(Opaque<bindings::in_device>);

impl InDevice {
    fn as_raw(&self) -> *mut bindings::in_device {
        self.0.get()
    }

    /// # Safety
    ///
    /// `p` is null or a live `in_device` for `'a`.
    unsafe fn from_raw_opt<'a>(p: *mut bindings::in_device) -> Option<&'a InDevice> {
        // SAFETY: transparent wrapper; liveness is the caller's contract.
        NonNull::new(p).map(|p| unsafe { &*p.as_ptr().cast::<InDevice>() })
    }

    /// `ip_mc_inc_group`: one more member of the IPv4 multicast group
    /// `group` (raw `__be32`) on this device, joined (IGMP) at the first;
    /// under RTNL.
    pub fn mc_inc_group(&self, group: u32, _rtnl: &Rtnl) {
        // SAFETY: `self` is live (type invariant); RTNL held.
        unsafe { bindings::rvnet_ip_mc_inc_group(self.as_raw(), group) }
    }

    /// `ip_mc_dec_group`: one member less, the group left at the last;
    /// under RTNL.
    pub fn mc_dec_group(&self, group: u32, _rtnl: &Rtnl) {
        // SAFETY: `self` is live (type invariant); RTNL held.
        unsafe { bindings::rvnet_ip_mc_dec_group(self.as_raw(), group) }
    }

    /// True while the device's IPv4 state is being destroyed
    /// (`in_dev->dead`, set by `inetdev_destroy` on unregister, before the
    /// addresses are deleted).
    pub fn is_dead(&self) -> bool {
        // SAFETY: `self` is live (type invariant).
        unsafe { bindings::rvnet_in_dev_dead(self.as_raw()) }
    }

    /// The addresses, in list order, under RCU (`in_dev_for_each_ifa_rcu`).
    pub fn addrs_rcu<'a>(&'a self, _rcu: &'a RcuGuard) -> InIfAddrIter<'a> {
        InIfAddrIter {
            // SAFETY: `self` is live and we are inside the guard's section.
            next: unsafe { bindings::rvnet_in_dev_ifa_first_rcu(self.as_raw()) },
            rtnl: false,
            _p: PhantomData,
        }
    }

    /// The addresses, in list order, under RTNL (`in_dev_for_each_ifa_rtnl`).
    pub fn addrs_rtnl<'a>(&'a self, _rtnl: &'a Rtnl) -> InIfAddrIter<'a> {
        InIfAddrIter {
            // SAFETY: `self` is live and RTNL is held.
            next: unsafe { bindings::rvnet_in_dev_ifa_first_rtnl(self.as_raw()) },
            rtnl: true,
            _p: PhantomData,
        }
    }
}

/// Iterator over an [`InDevice`]'s addresses.
pub struct InIfAddrIter<'a> {
    next: *mut bindings::in_ifaddr,
    rtnl: bool,
    _p: PhantomData<&'a InDevice>,
}

impl<'a> Iterator for InIfAddrIter<'a> {
    type Item = &'a InIfAddr;

    fn next(&mut self) -> Option<&'a InIfAddr> {
        let cur = NonNull::new(self.next)?;
        // SAFETY: `cur` was reached from the list inside the RCU section or
        // under the RTNL borrow `'a` stands for, so it is live for `'a`.
        self.next = unsafe {
            if self.rtnl {
                bindings::rvnet_ifa_next_rtnl(cur.as_ptr())
            } else {
                bindings::rvnet_ifa_next_rcu(cur.as_ptr())
            }
        };
        // SAFETY: as above.
        Some(unsafe { InIfAddr::from_raw(cur.as_ptr()) })
    }
}

/// An IPv4 address of a device (`struct in_ifaddr`).
///
/// # Invariants
///
/// A `&InIfAddr` points to a live `in_ifaddr` attached to a live
/// `in_device`, for the RCU section, RTNL borrow or notifier call it was
/// obtained in.
#[repr(transparent)]
pub struct InIfAddr(Opaque<bindings::in_ifaddr>);

impl InIfAddr {
    /// # Safety
    ///
    /// `p` must be a live `in_ifaddr` with a live `ifa_dev` for `'a`.
    unsafe fn from_raw<'a>(p: *mut bindings::in_ifaddr) -> &'a InIfAddr {
        // SAFETY: transparent wrapper; liveness is the caller's contract.
        unsafe { &*p.cast::<InIfAddr>() }
    }

    fn raw(&self) -> &bindings::in_ifaddr {
        // The fields read through this (address, mask, scope, prefix
        // length, broadcast) are set before the address is published; only
        // `devinet_ioctl` rewrites them, on an address it has unlinked first
        // (RCU readers that still see it read whole aligned words, as C does).
        // SAFETY: live by the type invariant; see above for the fields.
        unsafe { &*self.0.get() }
    }

    /// An identity for the address while it exists (its location); never
    /// dereferenced. Two live addresses never share one; after the address
    /// is deleted (`NETDEV_DOWN`) the value may be reused.
    pub fn id(&self) -> usize {
        self.0.get() as usize
    }

    /// The local address (`ifa_local`).
    pub fn local(&self) -> Ipv4Addr {
        Ipv4Addr::from_be(self.raw().ifa_local)
    }

    /// The peer or prefix address (`ifa_address`).
    pub fn address(&self) -> Ipv4Addr {
        Ipv4Addr::from_be(self.raw().ifa_address)
    }

    /// The netmask (`ifa_mask`).
    pub fn mask(&self) -> Ipv4Addr {
        Ipv4Addr::from_be(self.raw().ifa_mask)
    }

    /// The broadcast address (`ifa_broadcast`, `0.0.0.0` if none).
    pub fn broadcast(&self) -> Ipv4Addr {
        Ipv4Addr::from_be(self.raw().ifa_broadcast)
    }

    /// The prefix length (`ifa_prefixlen`).
    pub fn prefixlen(&self) -> u8 {
        self.raw().ifa_prefixlen
    }

    /// The scope (`ifa_scope`, `rt_scope_t`).
    pub fn scope(&self) -> u8 {
        self.raw().ifa_scope
    }

    /// The flags (`ifa_flags`, `IFA_F_*`), read once: promotion clears
    /// `IFA_F_SECONDARY` in place under RTNL.
    pub fn flags(&self) -> u32 {
        // SAFETY: live by the type invariant.
        unsafe { bindings::rvnet_ifa_flags(self.0.get()) }
    }

    /// True for a secondary address (`IFA_F_SECONDARY`).
    pub fn is_secondary(&self) -> bool {
        self.flags() & IFA_F_SECONDARY != 0
    }

    /// The label (`ifa_label`), copied; the kernel rewrites it in place on
    /// device rename (`inetdev_changename`, under RTNL).
    pub fn label(&self) -> IfaLabel {
        let mut out = IfaLabel {
            buf: [0; 16],
            len: 0,
        };
        let base = core::ptr::addr_of!(self.raw().ifa_label).cast::<u8>();
        for i in 0..15 {
            // SAFETY: `i` is inside the 16-byte array of a live address; a
            // volatile byte read mirrors the C readers' unlocked reads.
            let c = unsafe { base.add(i).read_volatile() };
            if c == 0 {
                break;
            }
            out.buf[i] = c;
            out.len = i + 1;
        }
        out
    }

    /// The device the address belongs to (`ifa->ifa_dev->dev`).
    pub fn dev(&self) -> &NetDevice {
        // SAFETY: an address is attached to a live `in_device`, which holds
        // a reference on its device; both outlive the borrow of `self`.
        unsafe { NetDevice::from_raw(bindings::rvnet_ifa_dev(self.0.get())) }
    }
}

impl NetDevice {
    /// The device's IPv4 state under RCU (`__in_dev_get_rcu`); `None` if
    /// IPv4 is not enabled on it (MTU too small, or being unregistered).
    pub fn in_device_rcu<'a>(&'a self, _rcu: &'a RcuGuard) -> Option<&'a InDevice> {
        // SAFETY: the device is live; the result is RCU-protected and the
        // guard bounds `'a`.
        unsafe { InDevice::from_raw_opt(bindings::rvnet_in_dev_get_rcu(self.as_raw())) }
    }

    /// The device's IPv4 state under RTNL (`__in_dev_get_rtnl`).
    pub fn in_device_rtnl<'a>(&'a self, _rtnl: &'a Rtnl) -> Option<&'a InDevice> {
        // SAFETY: the device is live; `ip_ptr` only changes under RTNL,
        // which the borrow `'a` holds.
        unsafe { InDevice::from_raw_opt(bindings::rvnet_in_dev_get_rtnl(self.as_raw())) }
    }

    /// Looks up a device by index under RCU (`dev_get_by_index_rcu`).
    pub fn get_by_index_rcu<'a>(
        net: &'a super::device::Net,
        ifindex: i32,
        _rcu: &'a RcuGuard,
    ) -> Option<&'a NetDevice> {
        // SAFETY: inside an RCU read-side critical section (the guard).
        let p = unsafe { bindings::dev_get_by_index_rcu(net.as_raw(), ifindex) };
        // SAFETY: a device found under RCU stays allocated while the guard
        // lives.
        NonNull::new(p).map(|p| unsafe { NetDevice::from_raw(p.as_ptr()) })
    }
}

/// An inetaddr event.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InetAddrEvent {
    /// `NETDEV_UP`: the address was added, or promoted from secondary to
    /// primary (it was already in the list then).
    Up,
    /// `NETDEV_DOWN`: the address was removed from its device's list (it is
    /// freed after the call and a grace period).
    Down,
    /// Any other event, by number.
    Other(u64),
}

impl InetAddrEvent {
    #[allow(non_upper_case_globals)]
    fn from_raw(v: u64) -> Self {
        use bindings::*;
        match v as u32 {
            netdev_cmd_NETDEV_UP => Self::Up,
            netdev_cmd_NETDEV_DOWN => Self::Down,
            _ => Self::Other(v),
        }
    }
}

/// An inetaddr notifier: sees every IPv4 address change of every
/// namespace, under RTNL. It cannot veto.
///
/// It gets a shared `&Rtnl`, so it can read but not write (writers take
/// `&mut Rtnl`): `ifa` is only pinned by the caller, and a write such as an
/// MTU below 68 would destroy the `in_device` and free `ifa` while the
/// handler still holds it.
pub trait InetAddrNotifier: Sync + Send + 'static {
    /// Called after `ifa` was added (`Up`) or removed (`Down`).
    fn event(&self, event: InetAddrEvent, ifa: &InIfAddr, rtnl: &Rtnl);
}

/// The inetaddr chain (`register_inetaddr_notifier`): a blocking chain,
/// called under RTNL; registration does not replay existing addresses. May
/// sleep; must not be registered with RTNL held by a caller that the chain's
/// rwsem could wait on.
pub struct InetAddrChain<T>(PhantomData<T>);

/// A registered inetaddr notifier; dropping it unregisters it
/// (`unregister_inetaddr_notifier`, which waits for running callbacks).
pub type InetAddrNotifierRegistration<T> = NotifierBlock<InetAddrChain<T>>;

// SAFETY: the inetaddr chain's functions; it calls back with an `in_ifaddr`
// and stops calling a block once it is unregistered.
unsafe impl<T: InetAddrNotifier> NotifierChain for InetAddrChain<T> {
    type Handler = T;

    unsafe fn register(nb: *mut bindings::notifier_block) -> ffi::c_int {
        // SAFETY: the caller's contract.
        unsafe { bindings::register_inetaddr_notifier(nb) }
    }

    unsafe fn unregister(nb: *mut bindings::notifier_block) {
        // SAFETY: the caller's contract.
        unsafe { bindings::unregister_inetaddr_notifier(nb) };
    }

    unsafe fn deliver(handler: &T, event: ffi::c_ulong, ptr: *mut ffi::c_void) -> ffi::c_int {
        // SAFETY: the inetaddr chain passes an `in_ifaddr` that is live for
        // the call (on `NETDEV_DOWN` it is unlinked but freed only after the
        // chain returns), attached to its `in_device`; every caller of the
        // chain in net/ipv4/devinet.c holds RTNL (ASSERT_RTNL).
        let (ifa, rtnl) = unsafe { (InIfAddr::from_raw(ptr.cast()), Rtnl::assume_held()) };
        handler.event(InetAddrEvent::from_raw(event as u64), ifa, rtnl);
        bindings::NOTIFY_DONE as ffi::c_int
    }
}
