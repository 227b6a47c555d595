// SPDX-License-Identifier: GPL-2.0

//! Transmission through lower (slave) devices, for masters that pick a
//! lower device per packet (TEQL, bonding).
//!
//! Kernel rules encoded here: a master may bypass a lower device's qdisc
//! and call its driver directly only from its own transmit path (bottom
//! halves off, under `rcu_read_lock_bh`: [`SkBuff::xmit_direct`] needs the
//! [`XmitContext`] that only `ndo_start_xmit` receives, never process
//! context), only while the lower device is running (`netif_running`,
//! checked), under that queue's xmit lock (`__netif_tx_trylock`), and only
//! while the queue is not stopped; a
//! driver that did not complete the packet leaves it with the caller; a
//! link-layer header for another device comes from the neighbour table of
//! the packet's route, and an unresolved neighbour may take the packet into
//! its queue (ownership passes to it).

use super::{
    bindings,
    device::NetDevice,
    driver::{Device, Driver, TxSkb},
    errno,
    percpu::{self, CpuPinned},
    rcu::RcuGuard,
    rtnl::Rtnl,
    skb::SkBuff,
};
use core::marker::PhantomData;
use kernel::prelude::*;

/// Proof that the code runs in a device's transmit path (`ndo_start_xmit`):
/// softirq-like context with bottom halves off, under `rcu_read_lock_bh`.
///
/// Only the layer hands it out (to [`Driver::start_xmit`]); it derefs to
/// the [`RcuGuard`] of that section. `!Send`.
///
/// [`Driver::start_xmit`]: super::driver::Driver::start_xmit
pub struct XmitContext {
    _not_send: PhantomData<*mut ()>,
}

/// Holder of the static token (never dropped).
struct XmitContextToken(XmitContext);

// SAFETY: zero-sized and stateless; the proof is in how `assume_held`
// lends it out.
unsafe impl Sync for XmitContextToken {}

impl XmitContext {
    /// # Safety
    ///
    /// The caller must be in a transmit path (BH off, `rcu_read_lock_bh`
    /// held) for the whole lifetime `'a`.
    pub(crate) unsafe fn assume_held<'a>() -> &'a XmitContext {
        static HELD: XmitContextToken = XmitContextToken(XmitContext {
            _not_send: PhantomData,
        });
        &HELD.0
    }
}

impl percpu::private::Sealed for XmitContext {}

// SAFETY: a transmit path runs with bottom halves off (`rcu_read_lock_bh`
// in `__dev_queue_xmit`) for as long as the token is borrowed.
unsafe impl CpuPinned for XmitContext {}

impl core::ops::Deref for XmitContext {
    type Target = RcuGuard;

    fn deref(&self) -> &RcuGuard {
        // SAFETY: a transmit path is an RCU(-bh) read-side section for as
        // long as `self` is borrowed.
        unsafe { RcuGuard::assume_held() }
    }
}

/// Outcome of [`SkBuff::resolve_l2`] (`S`: the packet's owned form, also
/// [`TxSkb`] so that a packet given back keeps its `start_xmit` brand).
pub enum Resolve<S = SkBuff> {
    /// The lower device's header is in place (or it needs none).
    Ready(S),
    /// The packet waits in the neighbour's queue for resolution.
    Queued,
    /// Resolution failed; the packet is given back. `EAGAIN`: unresolved.
    Failed(S, Error),
}

/// The same operations on the packet of a `start_xmit` call: what they give
/// back is the same skb, so it keeps its brand (and may still be answered
/// with `TxResult::Busy`).
impl<'x> TxSkb<'x> {
    /// [`SkBuff::resolve_l2`].
    pub fn resolve_l2(self, dev: &NetDevice, queue: bool) -> Resolve<TxSkb<'x>> {
        let (skb, brand) = self.unbrand();
        match skb.resolve_l2(dev, queue) {
            Resolve::Ready(s) => Resolve::Ready(brand.rebrand(s)),
            Resolve::Queued => Resolve::Queued,
            Resolve::Failed(s, e) => Resolve::Failed(brand.rebrand(s), e),
        }
    }

    /// [`SkBuff::back_to_network`].
    pub fn back_to_network(&mut self, dev: &NetDevice) {
        self.skb_mut().back_to_network(dev)
    }

    /// [`SkBuff::xmit_direct`].
    pub fn xmit_direct(
        self,
        dev: &NetDevice,
        tx: &XmitContext,
    ) -> core::result::Result<i32, TxSkb<'x>> {
        let (skb, brand) = self.unbrand();
        skb.xmit_direct(dev, tx).map_err(|s| brand.rebrand(s))
    }
}

impl SkBuff {
    /// Builds `dev`'s link-layer header from the neighbour of the packet's
    /// route. With `queue`, an unresolved neighbour keeps the packet.
    pub fn resolve_l2(self, dev: &NetDevice, queue: bool) -> Resolve {
        // SAFETY: we own the skb; `dev` is live; the helper takes the skb
        // only when it returns 1.
        let r = unsafe { bindings::rvnet_neigh_resolve(self.as_raw(), queue, dev.as_raw()) };
        match r {
            0 => Resolve::Ready(self),
            1 => {
                let _ = self.into_raw();
                Resolve::Queued
            }
            e => Resolve::Failed(self, Error::from_errno(e)),
        }
    }

    /// Undoes a header built for a lower device and puts the packet back on
    /// `dev` (the master), so that another lower device can be tried.
    pub fn back_to_network(&mut self, dev: &NetDevice) {
        // SAFETY: we own the skb; pulling back to the network header is
        // always within the buffer.
        unsafe { bindings::rvnet_skb_back_to_network(self.as_raw(), dev.as_raw()) }
    }

    /// Hands the packet to `dev`'s driver on its transmit queue 0, under
    /// the queue's xmit trylock, bypassing its qdisc; only from a transmit
    /// path (`_tx`). `Ok(code)` when the driver completed the packet
    /// (`NETDEV_TX_OK`, `NET_XMIT_CN`, or a drop code); `Err(skb)` when it
    /// did not take it (device not running, lock contended, queue stopped,
    /// driver busy).
    pub fn xmit_direct(
        self,
        dev: &NetDevice,
        _tx: &XmitContext,
    ) -> core::result::Result<i32, SkBuff> {
        // SAFETY: we own the skb; BH are off and RCU-bh is held (`_tx`);
        // the helper checks `netif_running`; on a busy result it did not
        // take the skb.
        let rc = unsafe { bindings::rvnet_xmit_direct(self.as_raw(), dev.as_raw()) };
        if rc == bindings::netdev_tx_NETDEV_TX_BUSY {
            Err(self)
        } else {
            let _ = self.into_raw();
            Ok(rc)
        }
    }
}

/// `NET_XMIT_CN`: the packet was sent, but congestion was signalled.
pub const NET_XMIT_CN: i32 = bindings::NET_XMIT_CN as i32;
/// `NETDEV_TX_OK`.
pub const NETDEV_TX_OK: i32 = bindings::netdev_tx_NETDEV_TX_OK;

impl NetDevice {
    /// `netif_xmit_stopped()` on transmit queue `subq` (queue 0 if out of
    /// range).
    /// Inline, as C's `netif_xmit_stopped(netdev_get_tx_queue(dev, i))`.
    #[inline]
    pub fn xmit_stopped(&self, subq: u32) -> bool {
        // SAFETY: the device is live; `_tx` has `num_tx_queues` entries
        // (the index is checked); only the queue's state word is read.
        unsafe {
            let d = self.as_raw();
            let n = core::ptr::addr_of!((*d).num_tx_queues).read();
            let i = if subq < n { subq } else { 0 };
            let q = self.txq0().add(i as usize);
            core::ptr::addr_of!((*q).state).read_volatile() & bindings::RVNET_QUEUE_STATE_ANY_XOFF
                != 0
        }
    }

    /// True if transmit queue 0 has the `noop` qdisc (device not ready).
    #[inline]
    pub fn txq0_is_noop(&self) -> bool {
        // SAFETY: only the pointer values are compared
        // (`rcu_access_pointer`).
        unsafe {
            core::ptr::addr_of!((*self.txq0()).qdisc).read_volatile()
                == core::ptr::addr_of_mut!(bindings::noop_qdisc)
        }
    }

    /// `dev->hard_header_len`.
    pub fn hard_header_len(&self) -> u16 {
        // SAFETY: the device is live.
        unsafe { bindings::rvnet_netdev_hard_header_len(self.as_raw()) }
    }
}

/// Writing `dev->flags` and `dev->mtu` behind the core's back (no
/// `dev_change_flags`/`dev_set_mtu`, no notifier) is only for a driver's
/// own devices (`&Device<D>`: the device runs this module's ops), under
/// RTNL, as TEQL's master adopts its slaves' capabilities; any other
/// device goes through the core (`NetDevice::set_mtu`, `change_flags`).
impl<D: Driver> Device<D> {
    /// Sets and clears `IFF_*` bits in `dev->flags` directly (no
    /// notification).
    pub fn set_flags_raw(&self, set: u32, clear: u32, _rtnl: &Rtnl) {
        // SAFETY: RTNL serialises writers of `dev->flags`; the device is
        // ours, so no other driver relies on the bits.
        unsafe { bindings::rvnet_netdev_set_flags_raw(self.as_raw(), set, clear) }
    }

    /// Sets `dev->mtu` directly (`WRITE_ONCE`); limits are the caller's
    /// business.
    pub fn set_mtu_raw(&self, mtu: u32, _rtnl: &Rtnl) {
        // SAFETY: RTNL serialises writers; a volatile write mirrors
        // WRITE_ONCE; the device is ours.
        unsafe { core::ptr::addr_of_mut!((*self.as_raw()).mtu).write_volatile(mtu) }
    }
}

/// `LL_MAX_HEADER`: the largest link-layer header of any device.
pub fn ll_max_header() -> u16 {
    // SAFETY: returns a constant.
    unsafe { bindings::rvnet_ll_max_header() }
}

/// The module's int parameter declared with `RVNET_INT_PARAM` in its C
/// helpers file (`-1` if it declares none).
pub fn module_int_param() -> i32 {
    // SAFETY: reads a module parameter (an `int`).
    unsafe { bindings::rvnet_param_int_value() }
}

/// The module's second int parameter, declared with `RVNET_INT_PARAM2` in
/// its C helpers file (`-1` if it declares none).
pub fn module_int_param2() -> i32 {
    // SAFETY: reads a module parameter (an `int`).
    unsafe { bindings::rvnet_param_int_value2() }
}

/// Maps a negative errno from a lower driver to an `Error`.
pub fn xmit_error(code: i32) -> Error {
    if code < 0 {
        Error::from_errno(code)
    } else {
        errno::err(errno::EOPNOTSUPP)
    }
}

/// A random `u32` (`get_random_u32`), e.g. for random slave selection.
pub fn random_u32() -> u32 {
    // SAFETY: callable from any context.
    unsafe { bindings::get_random_u32() }
}

/// The kernel release string (`UTS_RELEASE`), as drivers print it in their
/// version banners.
pub fn uts_release() -> &'static CStr {
    // SAFETY: the helper returns a static NUL-terminated string.
    unsafe { CStr::from_char_ptr(bindings::rvnet_uts_release()) }
}

/// `capable(CAP_NET_ADMIN)` of the current task (in the initial user
/// namespace), as C drivers gate what `/proc` and netlink dumps show.
pub fn capable_net_admin() -> bool {
    // SAFETY: no arguments; reads the current task's credentials.
    unsafe { bindings::rvnet_capable_net_admin() }
}
