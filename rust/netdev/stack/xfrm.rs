// SPDX-License-Identifier: GPL-2.0

//! IPsec state offload through a master device (`struct xfrmdev_ops`,
//! `CONFIG_XFRM_OFFLOAD`): `ip xfrm state add ... offload dev bond0` hands
//! the state to the master, which offloads it to one of its lower devices
//! (C bonding's `bond_xfrmdev_ops`, active-backup's active slave) and moves
//! it when that device changes.
//!
//! Kernel rules encoded here:
//!
//! - an `xfrm_state` is the xfrm core's, alive for the callback it is
//!   passed to: the driver sees it as `&XfrmState` bounded by the call
//!   (keeping it is a compile error, compile-fail
//!   `xfrm_state_outlives_call`). The states a master has offloaded are
//!   kept by the layer in an [`XfrmOffloads`] list (C's `ipsec_list`),
//!   entered when the driver offloads a state in its `add` and left in the
//!   state's `free` (`xdo_dev_state_free`, the last call the core makes
//!   for the state, from process context), so an entry never names a freed
//!   state;
//! - a lower device's `xfrmdev_ops` take the device from
//!   `xs->xso.real_dev`: the layer sets it before the lower device's
//!   `xdo_dev_state_add` and clears it after its delete, both under the
//!   state's lock (`x->lock`, which the core holds around
//!   `xdo_dev_state_delete`: C bonding of this kernel clears it before,
//!   and the slave's delete dereferences NULL); the entry holds a counted
//!   reference to that device for as
//!   long as `real_dev` names it, so the master's delete, which reads
//!   `real_dev` under the same lock ([`XfrmDelete::lower`]), never finds a
//!   freed device;
//! - the lower device's add and its delete/free when the state moves are
//!   only reachable through the list's lock ([`XfrmOffloadsGuard`], a
//!   mutex: the lower device's add may sleep), so a state is offloaded and
//!   moved by one writer at a time and an entry cannot be used once the
//!   lock is dropped (compile-fail `xfrm_entry_outlives_lock`); the
//!   master's delete runs in atomic context and does not take it (C took
//!   its mutex there, under `x->lock`);
//! - the transmit path (`xdo_dev_offload_ok`) runs under RCU and takes no
//!   lock: the driver finds the lower device in its RCU-published state
//!   and the layer asks that device only if it is the one holding the
//!   state (`real_dev`).

use super::{
    bindings,
    device::{IfName, NetDevice},
    driver::{Device, Driver, Setup},
    features::Features,
    nla::ExtAck,
    rcu::RcuGuard,
    rtnl::Rtnl,
    skb::SkBuff,
};
use core::{marker::PhantomData, mem::MaybeUninit, pin::Pin, ptr::NonNull};
use kernel::{
    alloc::{flags::GFP_KERNEL, KBox, KVec},
    error::to_result,
    ffi,
    prelude::*,
    sync::{lock::mutex::MutexBackend, lock::Guard, Mutex},
    types::{ARef, Opaque},
};

/// An IPsec security association (`struct xfrm_state`), borrowed from the
/// xfrm core for one callback.
#[repr(transparent)]
pub struct XfrmState(Opaque<bindings::xfrm_state>);

impl XfrmState {
    /// # Safety
    ///
    /// `ptr` is a live `xfrm_state` for `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::xfrm_state) -> &'a XfrmState {
        // SAFETY: transparent wrapper; liveness is the caller's.
        unsafe { &*ptr.cast::<XfrmState>() }
    }

    fn as_raw(&self) -> *mut bindings::xfrm_state {
        self.0.get()
    }

    /// Where the state is offloaded (`xso.real_dev`) seen from `lower`,
    /// for the transmit path (C bonding's `bond_ipsec_dev` compares it
    /// with the active slave and names the other device in a warning).
    pub fn held_by<'r>(&self, lower: &NetDevice, _rcu: &'r RcuGuard) -> XfrmHolder {
        // `real_dev` is read once, inline, as C's `bond_ipsec_dev` reads it
        // on every packet (its writers use `WRITE_ONCE`, under the state's
        // lock). A device named there is a lower device of the state's
        // master, which moves the state off it at the latest in its
        // NETDEV_UNREGISTER, before the `synchronize_net` after which the
        // device can be freed: it lives to the end of the caller's RCU
        // section (`_rcu`).
        // SAFETY: `self` is a live state, whose `xso.real_dev` is an aligned
        // pointer field: its volatile read is C's `READ_ONCE`.
        let real = unsafe { core::ptr::addr_of!((*self.as_raw()).xso.real_dev).read_volatile() };
        if real.is_null() {
            XfrmHolder::Nowhere
        } else if real == lower.as_raw() {
            XfrmHolder::This
        } else {
            // SAFETY: a non-null `real_dev` is a live device for `'r`, the
            // caller's RCU section (above).
            let real = unsafe { NetDevice::from_raw::<'r>(real) };
            XfrmHolder::Other(real.name())
        }
    }
}

/// Which device holds an offloaded state, as [`XfrmState::held_by`] sees
/// it.
pub enum XfrmHolder {
    /// No device (`xso.real_dev` is NULL).
    Nowhere,
    /// The device asked about.
    This,
    /// Another device, by name.
    Other(IfName),
}

impl NetDevice {
    /// The device can take an IPsec state (`xfrmdev_ops` with
    /// `xdo_dev_state_add`) and is not a bonding master (C's test before
    /// offloading to a slave).
    pub fn xfrm_can_add(&self) -> bool {
        // SAFETY: a live device; the helper reads its ops.
        unsafe { bindings::rvnet_xfrm_lower_can_add(self.as_raw()) }
    }

    /// The device can delete an IPsec state it holds
    /// (`xdo_dev_state_delete`), and is not a bonding master.
    pub fn xfrm_can_delete(&self) -> bool {
        // SAFETY: as above.
        unsafe { bindings::rvnet_xfrm_lower_can_delete(self.as_raw()) }
    }

    /// `xdo_dev_offload_ok` of this device for `skb` under `xs`: `false`
    /// unless this device holds the state (`real_dev`) and answers yes.
    /// The device must be pinned by the caller's RCU section (a lower
    /// device read from an RCU-published list).
    #[inline]
    pub fn xfrm_offload_ok(&self, skb: &SkBuff, xs: &XfrmState, _rcu: &RcuGuard) -> bool {
        // SAFETY: the device is live for the RCU section; `skb` and `xs`
        // are the core's for the call (`xdo_dev_offload_ok` reads them).
        unsafe { bindings::rvnet_xfrm_lower_offload_ok(self.as_raw(), skb.as_raw(), xs.as_raw()) }
    }

    /// `xdo_dev_state_advance_esn` of this device (only if it holds the
    /// state); `false` if the device has none.
    pub fn xfrm_advance_esn(&self, xs: &XfrmState, _rcu: &RcuGuard) -> bool {
        // SAFETY: as for `xfrm_offload_ok`.
        unsafe { bindings::rvnet_xfrm_lower_advance_esn(self.as_raw(), xs.as_raw()) }
    }

    /// `xdo_dev_state_update_stats` of this device (only if it holds the
    /// state); `false` if the device has none.
    pub fn xfrm_update_stats(&self, xs: &XfrmState, _rcu: &RcuGuard) -> bool {
        // SAFETY: as for `xfrm_offload_ok`.
        unsafe { bindings::rvnet_xfrm_lower_update_stats(self.as_raw(), xs.as_raw()) }
    }
}

/// One offloaded state of the master.
///
/// # Invariants
///
/// `xs` is live while the entry is in its list (the entry leaves in the
/// state's `xdo_dev_state_free`); when `lower` is `Some`, the state's
/// `xso.real_dev` is that device (the reference keeps it allocated), else
/// NULL.
struct Sa {
    xs: NonNull<bindings::xfrm_state>,
    lower: Option<ARef<NetDevice>>,
}

// SAFETY: the state pointer is only used under the list's mutex, from any
// task; `ARef<NetDevice>` may be dropped anywhere in process context.
unsafe impl Send for Sa {}

/// The states a master has offloaded (C bonding's `ipsec_list` under its
/// `ipsec_lock`), kept in the driver's private data.
pub struct XfrmOffloads {
    inner: Pin<KBox<Mutex<KVec<Sa>>>>,
}

impl XfrmOffloads {
    /// An empty list (allocates its mutex).
    pub fn new() -> Result<Self> {
        let inner = KBox::pin_init(
            Mutex::new(
                KVec::new(),
                kernel::c_str!("rvnet_xfrm_offloads"),
                kernel::static_lock_class!(),
            ),
            GFP_KERNEL,
        )?;
        Ok(XfrmOffloads { inner })
    }

    /// Takes the list's lock (may sleep).
    pub fn lock(&self) -> XfrmOffloadsGuard<'_> {
        XfrmOffloadsGuard {
            g: self.inner.lock(),
        }
    }
}

/// The list, locked: the only way to a lower device's add and to moving a
/// state between lower devices.
pub struct XfrmOffloadsGuard<'a> {
    g: Guard<'a, KVec<Sa>, MutexBackend>,
}

impl XfrmOffloadsGuard<'_> {
    /// No state is offloaded through the master.
    pub fn is_empty(&self) -> bool {
        self.g.is_empty()
    }

    /// Each offloaded state, borrowed from the lock.
    pub fn entries(&mut self) -> impl Iterator<Item = XfrmEntry<'_>> {
        self.g.iter_mut().map(|sa| XfrmEntry { sa })
    }
}

/// One offloaded state, usable while the list's lock is held.
pub struct XfrmEntry<'g> {
    sa: &'g mut Sa,
}

impl XfrmEntry<'_> {
    /// The state.
    pub fn state(&self) -> &XfrmState {
        // SAFETY: live while in the list (invariant), and the list's lock
        // is borrowed for as long as the entry.
        unsafe { XfrmState::from_raw(self.sa.xs.as_ptr()) }
    }

    /// The lower device holding the state (`xso.real_dev`), if any.
    pub fn lower(&self) -> Option<&NetDevice> {
        self.sa.lower.as_deref()
    }

    /// Offloads the state to `lower` (its `xdo_dev_state_add` with
    /// `real_dev` set to it), first taking it off the device holding it.
    /// `EOPNOTSUPP` if `lower` cannot take states.
    pub fn offload(&mut self, lower: &NetDevice) -> Result {
        self.remove();
        // SAFETY: a live state (invariant) and device; no extack (C's
        // `bond_ipsec_add_sa_all` passes none); the helper sets and on
        // failure clears `real_dev` under the state's lock.
        to_result(unsafe {
            bindings::rvnet_xfrm_lower_add(
                lower.as_raw(),
                self.sa.xs.as_ptr(),
                core::ptr::null_mut(),
            )
        })?;
        // INVARIANT: `real_dev` is `lower`, now held.
        self.sa.lower = Some(lower.hold());
        Ok(())
    }

    /// Takes the state off the lower device holding it: its delete
    /// (unless the user deleted the state meanwhile) and `real_dev`
    /// cleared under the state's lock, then its free. Answers whether a
    /// device held it.
    pub fn remove(&mut self) -> bool {
        let Some(lower) = self.sa.lower.take() else {
            return false;
        };
        // SAFETY: a live state (invariant) whose `real_dev` is `lower`,
        // held until after the call; the helper clears it under the
        // state's lock after the device's delete.
        unsafe { bindings::rvnet_xfrm_lower_remove(lower.as_raw(), self.sa.xs.as_ptr()) };
        // INVARIANT: `real_dev` is NULL; the reference goes after it.
        drop(lower);
        true
    }
}

/// The state the core asks the master to offload (`xdo_dev_state_add`).
pub struct XfrmAdd<'a> {
    xs: &'a XfrmState,
    list: &'a XfrmOffloads,
}

impl<'a> XfrmAdd<'a> {
    /// The state.
    pub fn state(&self) -> &'a XfrmState {
        self.xs
    }

    /// Takes the list's lock (may sleep): the driver chooses the lower
    /// device under it, so a change of lower device that moves the listed
    /// states either comes before (the driver sees the new device) or
    /// waits for this state to be listed (and moves it too).
    pub fn lock(self) -> XfrmAddLocked<'a> {
        XfrmAddLocked {
            xs: self.xs,
            g: self.list.lock(),
        }
    }
}

/// [`XfrmAdd`] with the list locked.
pub struct XfrmAddLocked<'a> {
    xs: &'a XfrmState,
    g: XfrmOffloadsGuard<'a>,
}

impl XfrmAddLocked<'_> {
    /// Offloads the state to `lower` (its `xdo_dev_state_add`, with the
    /// lower device's extack messages) and enters it in the list.
    /// `EOPNOTSUPP` if `lower` cannot take states.
    pub fn offload(mut self, lower: &NetDevice, extack: &mut ExtAck) -> Result {
        self.g.g.reserve(1, GFP_KERNEL)?;
        // SAFETY: the state is the core's for the call, not yet visible to
        // deletes; the helper sets `real_dev` and calls the device's add.
        to_result(unsafe {
            bindings::rvnet_xfrm_lower_add(lower.as_raw(), self.xs.as_raw(), extack.as_raw())
        })?;
        let xs = NonNull::new(self.xs.as_raw()).ok_or(EINVAL)?;
        // INVARIANT: the core calls `xdo_dev_state_free` for every state
        // whose add succeeded (the entry leaves then); `real_dev` is
        // `lower`, held. Room was reserved: the push cannot fail.
        self.g.g.push(
            Sa {
                xs,
                lower: Some(lower.hold()),
            },
            GFP_KERNEL,
        )?;
        Ok(())
    }
}

/// The state being deleted (`xdo_dev_state_delete`), under its lock, in
/// atomic context.
pub struct XfrmDelete<'a> {
    xs: &'a XfrmState,
    _not_send: PhantomData<*mut ()>,
}

impl XfrmDelete<'_> {
    /// The state.
    pub fn state(&self) -> &XfrmState {
        self.xs
    }

    /// The lower device holding the state (`xso.real_dev`), if any: held
    /// by its list entry until `real_dev` is cleared under the state's
    /// lock, which the caller of the delete holds.
    pub fn lower(&self) -> Option<&NetDevice> {
        // SAFETY: a live state.
        let p = unsafe { bindings::rvnet_xso_real_dev(self.xs.as_raw()) };
        // SAFETY: non-null `real_dev` is a device held by the state's list
        // entry, which only drops it after clearing `real_dev` under the
        // lock held for this call.
        (!p.is_null()).then(|| unsafe { NetDevice::from_raw(p) })
    }

    /// Deletes the state on the lower device holding it; `false` if that
    /// device has no delete (the state stays there until its free).
    pub fn delete_on_lower(&self) -> bool {
        // SAFETY: a live state, its lock held by the caller of the delete.
        unsafe { bindings::rvnet_xfrm_lower_delete(self.xs.as_raw()) }
    }
}

/// A master's `xfrmdev_ops` (C: `bond_xfrmdev_ops`). The core calls
/// `add` from the xfrm configuration path (may sleep), `delete` with the
/// state's lock held (atomic), `free` last, in process context;
/// `offload_ok` on transmit under RCU.
pub trait XfrmOffload: Driver {
    /// The master's list of offloaded states, in its private data.
    fn offloads(data: &Self::Data) -> &XfrmOffloads;

    /// `xdo_dev_state_add`: offload the state with
    /// [`XfrmAddLocked::offload`] or refuse it (`EOPNOTSUPP`: the core keeps
    /// the state in software).
    fn add(dev: &Device<Self>, req: XfrmAdd<'_>, extack: &mut ExtAck) -> Result;

    /// `xdo_dev_state_delete`: the user deleted the state.
    fn delete(dev: &Device<Self>, del: &XfrmDelete<'_>);

    /// `xdo_dev_state_free`, after the layer took the state out of the
    /// list; `lower` is the device that still held it, whose free the
    /// layer calls once this returns (`real_dev` cleared).
    fn free(dev: &Device<Self>, xs: &XfrmState, lower: Option<&NetDevice>);

    /// `xdo_dev_offload_ok`: can `skb` leave with the state offloaded.
    fn offload_ok(dev: &Device<Self>, skb: &SkBuff, xs: &XfrmState, rcu: &RcuGuard) -> bool;

    /// `xdo_dev_state_advance_esn`.
    fn advance_esn(dev: &Device<Self>, xs: &XfrmState, rcu: &RcuGuard);

    /// `xdo_dev_state_update_stats`.
    fn update_stats(dev: &Device<Self>, xs: &XfrmState, rcu: &RcuGuard);
}

struct XfrmAdapter<D: XfrmOffload>(PhantomData<D>);

impl<D: XfrmOffload> XfrmAdapter<D> {
    const OPS: bindings::xfrmdev_ops = bindings::xfrmdev_ops {
        xdo_dev_state_add: Some(Self::add_callback),
        xdo_dev_state_delete: Some(Self::delete_callback),
        xdo_dev_state_free: Some(Self::free_callback),
        xdo_dev_offload_ok: Some(Self::offload_ok_callback),
        xdo_dev_state_advance_esn: Some(Self::advance_esn_callback),
        xdo_dev_state_update_stats: Some(Self::update_stats_callback),
        // SAFETY: all-zero is a valid `xfrmdev_ops` (no policy offload).
        ..unsafe { MaybeUninit::zeroed().assume_init() }
    };

    /// The master `xs` was handed to (`xso.dev`), a device of `D` (only
    /// `D`'s devices have this table), held by the state.
    ///
    /// # Safety
    ///
    /// `xs` is a live state passed to one of `D`'s callbacks.
    unsafe fn master<'a>(xs: *mut bindings::xfrm_state) -> Option<&'a Device<D>> {
        // SAFETY: a live state.
        let dev = unsafe { bindings::rvnet_xso_dev(xs) };
        // SAFETY: `xso.dev` holds a tracked reference on the master until
        // the state's free returns; a device of `D` (see above).
        (!dev.is_null()).then(|| unsafe { Device::<D>::from_raw(dev) })
    }

    /// # Safety
    ///
    /// Called by the core with a live state and a null or valid extack.
    unsafe extern "C" fn add_callback(
        xs: *mut bindings::xfrm_state,
        extack: *mut bindings::netlink_ext_ack,
    ) -> ffi::c_int {
        // SAFETY: the core's contract.
        let Some(dev) = (unsafe { Self::master(xs) }) else {
            return EINVAL.to_errno();
        };
        // SAFETY: as above; the extack is valid for the call or null.
        let mut ack = unsafe { ExtAck::from_raw(extack) };
        let req = XfrmAdd {
            // SAFETY: live for the call.
            xs: unsafe { XfrmState::from_raw(xs) },
            list: D::offloads(dev.data()),
        };
        match D::add(dev, req, &mut ack) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Called by the core with a live state whose lock it holds.
    unsafe extern "C" fn delete_callback(xs: *mut bindings::xfrm_state) {
        // SAFETY: the core's contract.
        let Some(dev) = (unsafe { Self::master(xs) }) else {
            return;
        };
        let del = XfrmDelete {
            // SAFETY: live for the call.
            xs: unsafe { XfrmState::from_raw(xs) },
            _not_send: PhantomData,
        };
        D::delete(dev, &del);
    }

    /// # Safety
    ///
    /// Called by the core, in process context, with a live state it is
    /// about to free (the last callback for it).
    unsafe extern "C" fn free_callback(xs: *mut bindings::xfrm_state) {
        // SAFETY: the core's contract.
        let Some(dev) = (unsafe { Self::master(xs) }) else {
            return;
        };
        let lower = {
            let mut g = D::offloads(dev.data()).lock();
            match g.g.iter().position(|sa| sa.xs.as_ptr() == xs) {
                Some(i) => super::kvec::remove(&mut g.g, i).and_then(|sa| sa.lower),
                None => None,
            }
        };
        // SAFETY: live for the call.
        let state = unsafe { XfrmState::from_raw(xs) };
        D::free(dev, state, lower.as_deref());
        // SAFETY: a live state; `real_dev` is NULL or `lower`, still held.
        unsafe { bindings::rvnet_xfrm_lower_free(xs) };
        drop(lower);
    }

    /// # Safety
    ///
    /// Called by the core on transmit with a live skb and state.
    unsafe extern "C" fn offload_ok_callback(
        skb: *mut bindings::sk_buff,
        xs: *mut bindings::xfrm_state,
    ) -> bool {
        // SAFETY: the core's contract.
        let Some(dev) = (unsafe { Self::master(xs) }) else {
            return false;
        };
        let rcu = RcuGuard::new();
        // SAFETY: borrowed for the call, never freed here (the driver sees
        // it by shared reference only).
        let skb = core::mem::ManuallyDrop::new(unsafe { SkBuff::from_raw(skb) });
        // SAFETY: live for the call.
        D::offload_ok(dev, &skb, unsafe { XfrmState::from_raw(xs) }, &rcu)
    }

    /// # Safety
    ///
    /// Called by the core with a live state.
    unsafe extern "C" fn advance_esn_callback(xs: *mut bindings::xfrm_state) {
        // SAFETY: the core's contract.
        let Some(dev) = (unsafe { Self::master(xs) }) else {
            return;
        };
        let rcu = RcuGuard::new();
        // SAFETY: live for the call.
        D::advance_esn(dev, unsafe { XfrmState::from_raw(xs) }, &rcu);
    }

    /// # Safety
    ///
    /// Called by the core with a live state.
    unsafe extern "C" fn update_stats_callback(xs: *mut bindings::xfrm_state) {
        // SAFETY: the core's contract.
        let Some(dev) = (unsafe { Self::master(xs) }) else {
            return;
        };
        let rcu = RcuGuard::new();
        // SAFETY: live for the call.
        D::update_stats(dev, unsafe { XfrmState::from_raw(xs) }, &rcu);
    }
}

impl Features {
    /// `NETIF_F_HW_ESP`: ESP crypto offload.
    pub const HW_ESP: Features = Features::from_bits(1u64 << bindings::NETIF_F_HW_ESP_BIT);
    /// `NETIF_F_HW_ESP_TX_CSUM`: checksums of ESP-offloaded packets.
    pub const HW_ESP_TX_CSUM: Features =
        Features::from_bits(1u64 << bindings::NETIF_F_HW_ESP_TX_CSUM_BIT);
    /// `NETIF_F_GSO_ESP`: segmentation of ESP-offloaded packets.
    pub const GSO_ESP: Features = Features::from_bits(1u64 << bindings::NETIF_F_GSO_ESP_BIT);
    /// The three ESP offloads together (C: `BOND_XFRM_FEATURES`).
    pub const ESP_OFFLOAD: Features = Features::from_bits(
        Self::HW_ESP.bits() | Self::HW_ESP_TX_CSUM.bits() | Self::GSO_ESP.bits(),
    );
}

impl<D: XfrmOffload> Setup<'_, D> {
    /// Gives the device `D`'s `xfrmdev_ops` (C `bond_setup`), before
    /// registration (the core checks at `NETDEV_REGISTER` that a device
    /// with `NETIF_F_HW_ESP` has them).
    pub fn xfrm_offload(&mut self) {
        // SAFETY: the device is ours during setup; the table is a
        // `'static` constant of `D`, whose callbacks expect `D`'s devices.
        unsafe { bindings::rvnet_netdev_set_xfrmdev_ops(self.raw(), &XfrmAdapter::<D>::OPS) };
    }
}

impl<D: Driver> Setup<'_, D> {
    /// Adds `f` to the features the user may toggle (`hw_features`).
    pub fn add_hw_features(&mut self, f: Features) {
        self.raw().hw_features |= f.bits();
    }
}

impl<D: Driver> Device<D> {
    /// Adds `f` to, or takes it from, the features wanted
    /// (`wanted_features`, what `ethtool -K` sets), under RTNL; the core
    /// applies them at the next [`Device::update_features`].
    pub fn set_wanted_features(&self, f: Features, on: bool, _rtnl: &mut Rtnl) {
        // SAFETY: a device of ours; RTNL serialises the field's writers.
        unsafe {
            bindings::rvnet_netdev_set_wanted_features(self.net_device().as_raw(), f.bits(), on)
        }
    }
}
