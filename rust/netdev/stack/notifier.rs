// SPDX-License-Identifier: GPL-2.0

//! The netdevice notifier chain.
//!
//! Kernel rule: netdevice events are delivered under RTNL, in process
//! context; registering a notifier replays `REGISTER` and `UP` for every
//! existing device, and unregistering replays `DOWN`/`UNREGISTER`, so a
//! driver following its lower devices sees a consistent history. A handler
//! gets the event as an enum and a `&Rtnl`.
//!
//! [`NotifierBlock`] is the one generic notifier block of the layer; each
//! chain (this one, the inetaddr chain in `inet.rs`) supplies its
//! registration functions and event decoding through [`NotifierChain`].

use super::{bindings, device::NetDevice, rtnl::Rtnl};
use core::{marker::PhantomData, pin::Pin};
use kernel::{alloc::KBox, error::to_result, ffi, prelude::*, types::Opaque};

/// A netdevice event (`enum netdev_cmd`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NetdevEvent {
    /// `NETDEV_UP`: the device was opened.
    Up,
    /// `NETDEV_GOING_DOWN`.
    GoingDown,
    /// `NETDEV_DOWN`: the device was closed.
    Down,
    /// `NETDEV_REBOOT`.
    Reboot,
    /// `NETDEV_CHANGE`: carrier or operstate changed.
    Change,
    /// `NETDEV_REGISTER`.
    Register,
    /// `NETDEV_UNREGISTER`: drop every reference to the device now.
    Unregister,
    /// `NETDEV_CHANGEMTU`.
    ChangeMtu,
    /// `NETDEV_CHANGEADDR`.
    ChangeAddr,
    /// `NETDEV_CHANGENAME`.
    ChangeName,
    /// `NETDEV_FEAT_CHANGE`.
    FeatChange,
    /// `NETDEV_CHANGEUPPER`.
    ChangeUpper,
    /// `NETDEV_CHANGELOWERSTATE`.
    ChangeLowerState,
    /// `NETDEV_XDP_FEAT_CHANGE`: the device's `xdp_features` changed.
    XdpFeatChange,
    /// Any other event, by number.
    Other(u64),
}

impl NetdevEvent {
    #[allow(non_upper_case_globals)]
    fn from_raw(v: u64) -> Self {
        use bindings::*;
        match v as u32 {
            netdev_cmd_NETDEV_UP => Self::Up,
            netdev_cmd_NETDEV_GOING_DOWN => Self::GoingDown,
            netdev_cmd_NETDEV_DOWN => Self::Down,
            netdev_cmd_NETDEV_REBOOT => Self::Reboot,
            netdev_cmd_NETDEV_CHANGE => Self::Change,
            netdev_cmd_NETDEV_REGISTER => Self::Register,
            netdev_cmd_NETDEV_UNREGISTER => Self::Unregister,
            netdev_cmd_NETDEV_CHANGEMTU => Self::ChangeMtu,
            netdev_cmd_NETDEV_CHANGEADDR => Self::ChangeAddr,
            netdev_cmd_NETDEV_CHANGENAME => Self::ChangeName,
            netdev_cmd_NETDEV_FEAT_CHANGE => Self::FeatChange,
            netdev_cmd_NETDEV_CHANGEUPPER => Self::ChangeUpper,
            netdev_cmd_NETDEV_CHANGELOWERSTATE => Self::ChangeLowerState,
            netdev_cmd_NETDEV_XDP_FEAT_CHANGE => Self::XdpFeatChange,
            _ => Self::Other(v),
        }
    }
}

/// What a handler tells the chain.
pub enum NotifyResult {
    /// `NOTIFY_DONE`: not interested / nothing to say.
    Done,
    /// `NOTIFY_OK`.
    Ok,
    /// Veto the change with an error (`notifier_from_errno`); only
    /// meaningful for `PRE*` events.
    Veto(Error),
}

/// A netdevice notifier.
pub trait NetdevNotifier: Sync + Send + 'static {
    /// Called for every event on every device of every namespace.
    fn event(&self, event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl) -> NotifyResult;
}

/// A notifier chain of the kernel: how to join and leave it and how to hand
/// one event to a handler. [`NotifierBlock`] does the rest (the pinned
/// `notifier_block` with the handler behind it, the C callback, register on
/// creation, unregister on drop) for every chain.
///
/// # Safety
///
/// `register` and `unregister` must be the registration functions of one
/// chain, which calls `notifier_call` with the data its contract describes
/// and runs no callback of a block after `unregister` returned; `deliver`
/// may rely only on that contract.
pub unsafe trait NotifierChain: 'static {
    /// The driver's handler.
    type Handler: Send + Sync + 'static;

    /// Registers `nb` on the chain.
    ///
    /// # Safety
    ///
    /// `nb` must be pinned and live until [`NotifierChain::unregister`].
    unsafe fn register(nb: *mut bindings::notifier_block) -> ffi::c_int;

    /// Unregisters `nb`; no callback for it runs after this returns.
    ///
    /// # Safety
    ///
    /// `nb` must have been registered by [`NotifierChain::register`].
    unsafe fn unregister(nb: *mut bindings::notifier_block);

    /// Hands event `event` with chain data `ptr` to `handler`; returns the
    /// `NOTIFY_*` value for the chain.
    ///
    /// # Safety
    ///
    /// Only called from the chain's callback with the arguments it got.
    unsafe fn deliver(
        handler: &Self::Handler,
        event: ffi::c_ulong,
        ptr: *mut ffi::c_void,
    ) -> ffi::c_int;
}

/// The registered block: the C `notifier_block` first, then the handler,
/// so that the callback can find the handler from the block pointer.
#[repr(C)]
struct Block<T> {
    nb: Opaque<bindings::notifier_block>,
    handler: T,
}

/// A handler registered on chain `C`; dropping it unregisters it.
pub struct NotifierBlock<C: NotifierChain> {
    block: Pin<KBox<Block<C::Handler>>>,
}

// SAFETY: the block is only touched by the notifier core under the chain's
// own lock; the handler is `Send + Sync`.
unsafe impl<C: NotifierChain> Send for NotifierBlock<C> {}
// SAFETY: as above; `handler()` gives out `&C::Handler`, which is `Sync`.
unsafe impl<C: NotifierChain> Sync for NotifierBlock<C> {}

impl<C: NotifierChain> NotifierBlock<C> {
    /// Registers `handler` on the chain (see the chain's documentation for
    /// the locks registration takes).
    pub fn new(handler: C::Handler) -> Result<Self> {
        let block = KBox::pin(
            Block {
                nb: Opaque::new(bindings::notifier_block {
                    notifier_call: Some(Self::callback),
                    next: core::ptr::null_mut(),
                    priority: 0,
                }),
                handler,
            },
            GFP_KERNEL,
        )?;
        // SAFETY: the block is pinned and lives until `drop` unregisters it.
        to_result(unsafe { C::register(block.nb.get()) })?;
        Ok(NotifierBlock { block })
    }

    /// The handler.
    pub fn handler(&self) -> &C::Handler {
        &self.block.handler
    }

    /// # Safety
    ///
    /// Only called by the chain `C` this block was registered on.
    unsafe extern "C" fn callback(
        nb: *mut bindings::notifier_block,
        event: ffi::c_ulong,
        ptr: *mut ffi::c_void,
    ) -> ffi::c_int {
        // SAFETY: `nb` is the first field of a `#[repr(C)]` `Block` that is
        // alive while registered.
        let block = unsafe { &*nb.cast::<Block<C::Handler>>() };
        // SAFETY: called by chain `C` with its own arguments.
        unsafe { C::deliver(&block.handler, event, ptr) }
    }
}

impl<C: NotifierChain> Drop for NotifierBlock<C> {
    fn drop(&mut self) {
        // SAFETY: registered in `new`; after this no callback runs.
        unsafe { C::unregister(self.block.nb.get()) };
        // Module exit drops its registrations: no deferred RCU callback of
        // this module may outlive it.
        super::rcu::barrier_deferred();
    }
}

/// The netdevice chain (`register_netdevice_notifier`): takes RTNL to
/// register, so it must not be called with RTNL held.
pub struct NetdevChain<T>(PhantomData<T>);

/// A registered netdevice notifier; dropping it unregisters it.
pub type NotifierRegistration<T> = NotifierBlock<NetdevChain<T>>;

// SAFETY: the netdevice chain's functions; it calls back with a
// `netdev_notifier_info` and stops calling a block once it is unregistered.
unsafe impl<T: NetdevNotifier> NotifierChain for NetdevChain<T> {
    type Handler = T;

    unsafe fn register(nb: *mut bindings::notifier_block) -> ffi::c_int {
        // SAFETY: the caller's contract.
        unsafe { bindings::register_netdevice_notifier(nb) }
    }

    unsafe fn unregister(nb: *mut bindings::notifier_block) {
        // SAFETY: the caller's contract.
        unsafe { bindings::unregister_netdevice_notifier(nb) };
    }

    unsafe fn deliver(handler: &T, event: ffi::c_ulong, ptr: *mut ffi::c_void) -> ffi::c_int {
        // SAFETY: netdevice notifiers get a `netdev_notifier_info` whose
        // device is live for the call, and run under RTNL.
        let (dev, rtnl) = unsafe {
            (
                NetDevice::from_raw(bindings::rvnet_netdev_notifier_info_to_dev(ptr.cast())),
                Rtnl::assume_held(),
            )
        };
        match handler.event(NetdevEvent::from_raw(event as u64), dev, rtnl) {
            NotifyResult::Done => bindings::NOTIFY_DONE as ffi::c_int,
            NotifyResult::Ok => bindings::NOTIFY_OK as ffi::c_int,
            NotifyResult::Veto(e) => {
                (bindings::NOTIFY_STOP_MASK as ffi::c_int) | (1 - e.to_errno())
            }
        }
    }
}
