// SPDX-License-Identifier: GPL-2.0

//! Receive handlers on lower devices (`netdev_rx_handler_register`), the
//! hook through which a master (bond, bridge) takes its ports' frames.
//!
//! Kernel rules encoded here:
//! - a device has at most one rx_handler: registering a second one fails
//!   with `EBUSY` (the device is a bridge port, another bond's slave, a
//!   macvlan lower, ...); [`RxHandlerRegistration::new`] checks it first
//!   and reports it in the extack;
//! - registration and unregistration happen under RTNL (`&Rtnl`); a
//!   registration dropped without `unregister` is unregistered later under
//!   RTNL by the layer (`rtnl_defer`), never inline without the lock;
//! - the handler runs in softirq context under RCU (it gets an
//!   [`RxContext`], which derefs to the `RcuGuard` and pins the CPU for
//!   per-CPU counters) and must not sleep; its port data (`rx_handler_data`)
//!   is reachable until `netdev_rx_handler_unregister` returns, which waits
//!   for a grace period (`synchronize_net`), so the registration owns the
//!   data (an `Arc`) and drops its reference only after that;
//! - the frame may be shared with taps (`skb->users > 1`): the layer
//!   unshares it (`skb_share_check`) before the handler sees it, so the
//!   handler gets an owned [`SkBuff`] it may modify;
//! - the handler's verdict owns the skb: `Consumed` (the handler gave it
//!   away), `Another` (delivered again as if received on the given device,
//!   which must outlive the RCU section: the master), `Exact` (only
//!   sockets bound to this very device see it) or `Pass` (normal
//!   processing on the lower device).

use super::{
    bindings,
    device::NetDevice,
    nla::ExtAck,
    percpu::{self, CpuPinned},
    rcu::RcuGuard,
    rtnl::Rtnl,
    rtnl_defer::{Deferrable, RtnlTeardown},
    skb::SkBuff,
};
use core::marker::PhantomData;
use kernel::{
    c_str,
    error::to_result,
    prelude::*,
    sync::{Arc, ArcBorrow},
    types::ARef,
};

/// What an rx_handler did with a frame (`rx_handler_result_t`).
pub enum RxResult<'a> {
    /// `RX_HANDLER_CONSUMED`: the handler freed or passed on the frame.
    Consumed,
    /// `RX_HANDLER_ANOTHER`: deliver the frame again, now received on `dev`.
    Another(SkBuff, &'a NetDevice),
    /// `RX_HANDLER_EXACT`: deliver only to exact matches of the lower device.
    Exact(SkBuff),
    /// `RX_HANDLER_PASS`: process normally on the lower device.
    Pass(SkBuff),
}

/// Proof that the code runs in an rx_handler: softirq context (bottom
/// halves off, so on one CPU) under RCU. Only the layer hands it out; it
/// derefs to the [`RcuGuard`] of that section. `!Send`.
pub struct RxContext {
    _not_send: PhantomData<*mut ()>,
}

impl RxContext {
    /// # Safety
    ///
    /// The caller must be in a receive handler (softirq, under RCU) for the
    /// whole lifetime `'a`.
    pub(crate) unsafe fn assume_held<'a>() -> &'a RxContext {
        // A zero-sized value: any non-null aligned address is a valid
        // reference to one.
        // SAFETY: as documented; `RxContext` is zero-sized.
        unsafe { core::ptr::NonNull::<RxContext>::dangling().as_ref() }
    }
}

impl percpu::private::Sealed for RxContext {}

// SAFETY: rx handlers run in softirq context (`netif_receive_skb` may
// only be called there), bottom halves off, for as long as it is borrowed.
unsafe impl CpuPinned for RxContext {}

impl core::ops::Deref for RxContext {
    type Target = RcuGuard;

    fn deref(&self) -> &RcuGuard {
        // SAFETY: a receive handler is an RCU read-side section for as long
        // as `self` is borrowed.
        unsafe { RcuGuard::assume_held() }
    }
}

/// A receive handler: the per-port object a master registers on a lower
/// device.
pub trait RxHandler: Send + Sync + 'static {
    /// Handles a frame received on the lower device, in softirq context
    /// under RCU.
    fn handle<'a>(&'a self, skb: SkBuff, rx: &'a RxContext) -> RxResult<'a>;
}

/// `skb->pkt_type` values a handler may look at.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PktType {
    /// `PACKET_HOST`.
    Host,
    /// `PACKET_BROADCAST`.
    Broadcast,
    /// `PACKET_MULTICAST`.
    Multicast,
    /// `PACKET_OTHERHOST`.
    OtherHost,
    /// Anything else.
    Other,
}

impl SkBuff {
    /// True if the Ethernet destination is a link-local group address
    /// (01:80:c2:00:00:0X: STP, LACP, LLDP), which masters usually let
    /// through on inactive ports.
    /// Inline, as C's `is_link_local_ether_addr`.
    #[inline]
    pub fn is_link_local_dest(&self) -> bool {
        let d = self.eth_dest();
        d[..5] == [0x01, 0x80, 0xc2, 0, 0] && d[5] & 0xf0 == 0
    }

    /// The Ethernet destination address of a received frame (MAC header
    /// set by `eth_type_trans` before rx handlers run; zeros if unset).
    #[inline]
    pub fn eth_dest(&self) -> [u8; 6] {
        self.mac_bytes::<6>().unwrap_or([0; 6])
    }

    /// Sets the Ethernet destination of a received frame (at its MAC
    /// header, before `skb->data`) to `mac`, as C bonding's
    /// `bond_handle_frame` does for balance-alb under a bridge:
    /// `skb_cow_head(skb, skb->data - skb_mac_header(skb))` first, so a
    /// head shared with a clone is copied. `false` (nothing written) when
    /// memory is short or the MAC header is unset or not before the data.
    pub fn set_rx_eth_dest(&mut self, mac: &[u8; 6]) -> bool {
        // SAFETY: the skb is valid; `mac_header` is a `u16` at its checked
        // offset.
        let mh = unsafe { self.field::<u16>(bindings::RVNET_SKB_MAC_HEADER_OFF).read() };
        if mh == u16::MAX {
            return false;
        }
        let Some(hlen) = self.data_offset().checked_sub(usize::from(mh)) else {
            return false;
        };
        if hlen < 6 || !self.cow_head(hlen as u32) {
            return false;
        }
        // `skb_cow_head` may have moved the head and with it every header
        // offset (`skb_headers_offset_update`): read again.
        // SAFETY: the head is private now and holds at least `hlen >= 6`
        // bytes from the MAC header to the data; a plain field re-read.
        let mh = unsafe { self.field::<u16>(bindings::RVNET_SKB_MAC_HEADER_OFF).read() };
        // SAFETY: as above: 6 bytes at the MAC header, inside the head.
        unsafe {
            core::ptr::copy_nonoverlapping(mac.as_ptr(), self.head().add(usize::from(mh)), 6)
        };
        true
    }

    /// `skb->pkt_type` (a 3-bit field at `PKT_TYPE_OFFSET`, read inline).
    #[inline]
    pub fn pkt_type(&self) -> PktType {
        // SAFETY: the skb is valid; the byte holding the bit-field.
        let b = unsafe { self.field::<u8>(bindings::RVNET_SKB_PKT_TYPE_OFF).read() };
        match u32::from(b & bindings::RVNET_SKB_PKT_TYPE_MASK) {
            bindings::PACKET_HOST => PktType::Host,
            bindings::PACKET_BROADCAST => PktType::Broadcast,
            bindings::PACKET_MULTICAST => PktType::Multicast,
            bindings::PACKET_OTHERHOST => PktType::OtherHost,
            _ => PktType::Other,
        }
    }
}

impl NetDevice {
    /// `netdev_is_rx_handler_busy()`: the device already has an rx_handler.
    pub fn rx_handler_busy(&self, _rtnl: &Rtnl) -> bool {
        // SAFETY: RTNL is held, as the function requires.
        unsafe { bindings::netdev_is_rx_handler_busy(self.as_raw()) }
    }

    /// The port data of `T` on this device, if its rx_handler is the
    /// layer's handler for `T` (C: `rx_handler_data`, as
    /// `bond_slave_get_rcu`), for the RCU section: e.g. for a port that
    /// has its handler but is not yet published by its master.
    pub fn rx_port<'a, T: RxHandler>(&self, rcu: &'a RcuGuard) -> Option<&'a T> {
        data_of::<T>(self, rcu)
    }
}

/// An rx_handler registered on a lower device, with its port data `T`.
///
/// Released under RTNL with [`RxHandlerRegistration::unregister`] (which
/// waits for running handlers). Merely dropping it (possibly without RTNL,
/// e.g. from the owner's `priv_destructor`) does not unregister inline: the
/// layer unregisters it later from a work item that takes RTNL
/// (`rtnl_defer`), keeping the port data and the device reference until
/// then.
///
/// # Invariants
///
/// The state's `dev` has `Adapter::<T>::callback` registered with
/// `rx_handler_data` pointing into the state's `data` until the state is
/// torn down.
pub struct RxHandlerRegistration<T: RxHandler> {
    state: Deferrable<RxState<T>>,
}

struct RxState<T: RxHandler> {
    dev: ARef<NetDevice>,
    data: Arc<T>,
}

impl<T: RxHandler> RtnlTeardown for RxState<T> {
    fn teardown(self, _rtnl: &Rtnl) {
        // SAFETY: registered (invariant of `RxHandlerRegistration`); RTNL
        // is held; the call waits for running handlers (`synchronize_net`),
        // after which `data` may go (dropped when `self` goes).
        unsafe { bindings::netdev_rx_handler_unregister(self.dev.as_raw()) };
    }
}

struct Adapter<T: RxHandler>(PhantomData<T>);

impl<T: RxHandler> Adapter<T> {
    /// # Safety
    ///
    /// Only called by `__netif_receive_skb_core` for a device on which this
    /// layer registered it, under RCU, with `*pskb` a frame we own.
    unsafe extern "C" fn callback(
        pskb: *mut *mut bindings::sk_buff,
    ) -> bindings::rx_handler_result {
        // SAFETY: `pskb` points to the frame being received.
        let mut raw = unsafe { *pskb };
        // `skb_share_check` inline: only a shared frame (`skb->users` > 1,
        // a plain field) needs the C call.
        // SAFETY: `raw` is a valid received skb.
        if unsafe { core::ptr::addr_of!((*raw).users.refs.counter).read_volatile() } != 1 {
            // SAFETY: the helper returns it or an unshared copy, or NULL
            // after freeing it.
            raw = unsafe { bindings::rvnet_skb_share_check(raw) };
            if raw.is_null() {
                return bindings::rx_handler_result_RX_HANDLER_CONSUMED;
            }
        }
        // SAFETY: `raw` is now exclusively ours.
        let skb = unsafe { SkBuff::from_raw(raw) };
        // `skb->dev` is the lower device we registered on (set by the core
        // before rx handlers run).
        let dev = skb.field::<*mut bindings::net_device>(bindings::RVNET_SKB_DEV_OFF);
        // SAFETY: `dev` is that device; its `rx_handler_data` (a plain field,
        // `rcu_dereference`d) is the `T` kept alive by the registration until
        // a grace period after unregistration, and we run under RCU.
        let data = unsafe {
            &*core::ptr::addr_of!((*dev.read()).rx_handler_data)
                .read_volatile()
                .cast::<T>()
        };
        // SAFETY: an rx handler runs in softirq context under RCU.
        let rx = unsafe { RxContext::assume_held() };
        let (res, skb) = match data.handle(skb, rx) {
            RxResult::Consumed => (bindings::rx_handler_result_RX_HANDLER_CONSUMED, None),
            RxResult::Another(mut skb, dev) => {
                skb.set_dev(dev);
                (bindings::rx_handler_result_RX_HANDLER_ANOTHER, Some(skb))
            }
            RxResult::Exact(skb) => (bindings::rx_handler_result_RX_HANDLER_EXACT, Some(skb)),
            RxResult::Pass(skb) => (bindings::rx_handler_result_RX_HANDLER_PASS, Some(skb)),
        };
        if let Some(skb) = skb {
            // SAFETY: the core continues with `*pskb`, which it owns again.
            unsafe { *pskb = skb.into_raw() };
        }
        res
    }
}

/// The port data of `T` registered on `dev`, if `dev`'s rx_handler is
/// the layer's handler for `T`: for callbacks that only know the port
/// device (its sysfs files). Valid for the RCU section: the data lives
/// until a grace period after unregistration, and `rx_handler` is set
/// after `rx_handler_data` on registration and cleared before it on
/// unregistration.
pub(crate) fn data_of<'a, T: RxHandler>(dev: &NetDevice, _rcu: &'a RcuGuard) -> Option<&'a T> {
    // SAFETY: under RCU, as both accessors require.
    unsafe {
        // The address registered is this same expression's: the kernel
        // builds each module crate as one codegen unit
        // (`-Ccodegen-units=1`), so `T`'s handler has one address.
        let ours: unsafe extern "C" fn(_) -> _ = Adapter::<T>::callback;
        match bindings::rvnet_rx_handler_rcu(dev.as_raw()) {
            Some(h) if h as usize == ours as usize => {}
            _ => return None,
        }
        bindings::rvnet_rx_handler_data_rcu(dev.as_raw())
            .cast::<T>()
            .as_ref()
    }
}

/// As [`data_of`], as a reference of its own to the port data (the
/// registration keeps an `Arc<T>` until a grace period after
/// unregistration, so the count is not zero here): for callbacks that
/// leave the RCU section, e.g. to sleep under RTNL.
pub(crate) fn arc_of<T: RxHandler>(dev: &NetDevice, rcu: &RcuGuard) -> Option<Arc<T>> {
    let p: *const T = data_of::<T>(dev, rcu)?;
    // SAFETY: `p` points to the `T` of the registration's `Arc<T>`, which
    // holds a reference for at least the RCU section we are in.
    Some(unsafe { ArcBorrow::from_raw(p) }.into())
}

impl<T: RxHandler> RxHandlerRegistration<T> {
    /// Registers `data`'s handler on `dev`. `EBUSY` with "Device is in use
    /// and cannot be enslaved" in the extack if `dev` has a handler already.
    pub fn new(dev: &NetDevice, data: Arc<T>, extack: &mut ExtAck, rtnl: &Rtnl) -> Result<Self> {
        if dev.rx_handler_busy(rtnl) {
            return Err(extack.fail(c_str!("Device is in use and cannot be enslaved"), EBUSY));
        }
        // Allocated first: once registered, nothing may fail.
        let state = Deferrable::new(RxState {
            dev: dev.hold(),
            data,
        })?;
        let (raw, data) = match state.get() {
            Some(st) => (st.dev.as_raw(), (&*st.data as *const T).cast_mut()),
            None => return Err(EINVAL),
        };
        // SAFETY: RTNL is held; the data stays allocated (the state keeps
        // an `Arc`) until a grace period after unregistration.
        let r = to_result(unsafe {
            bindings::netdev_rx_handler_register(raw, Some(Adapter::<T>::callback), data.cast())
        });
        if let Err(e) = r {
            // Never registered: nothing to tear down.
            state.discard();
            return Err(e);
        }
        // INVARIANT: registered just above with a pointer into the data.
        Ok(RxHandlerRegistration { state })
    }

    /// The port data.
    pub fn data(&self) -> Option<&Arc<T>> {
        self.state.get().map(|s| &s.data)
    }

    /// Unregisters the handler under RTNL; no handler runs on the port data
    /// once this returns.
    pub fn unregister(self, rtnl: &Rtnl) {
        self.state.teardown(rtnl);
    }
}
