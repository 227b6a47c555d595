// SPDX-License-Identifier: GPL-2.0

//! 802.1Q/802.1ad devices that plug into the kernel's built-in `vlan_core`.
//!
//! Kernel rules encoded here:
//! - code all over the stack recognises a VLAN device by `IFF_802_1Q_VLAN`
//!   and reads `struct vlan_dev_priv` at the start of its private area; a
//!   driver can only set that flag ([`VlanSetup::mark_vlan`]) if its private
//!   data is a [`VlanPriv`], which starts with a correctly initialised
//!   `vlan_dev_priv` (per-CPU counters allocated, lower device held);
//! - the lower device's VLAN group (`real_dev->vlan_info`) is changed only
//!   under RTNL, and a VID is published to the receive path only after its
//!   group array exists;
//! - a VID is a [`VlanId`], checked once to be 0..=4094 (4095,
//!   `VLAN_VID_MASK`, is reserved: C's `vlan_validate` and `ADD_VLAN_CMD`
//!   refuse `>= VLAN_VID_MASK`), so the group arrays (4096 slots) are never
//!   indexed out of bounds;
//! - a VLAN device changes only its own slot of its own lower device's
//!   group ([`VlanSlot`], built from the device: its `real_dev`, protocol
//!   and VID), as C's `register_vlan_dev`/`unregister_vlan_dev` do; other
//!   code can only look the group up ([`VlanGroup::find`]).
//! - a device stacked on another links itself as an upper device, under RTNL.

use super::{
    bindings,
    device::{NetDevice, Stats64},
    driver::{Device, Driver, Setup},
    nla::ExtAck,
    percpu::{self, CpuPinned},
    rcu::RcuGuard,
    rtnl::Rtnl,
    skb::SkBuff,
};
use core::{
    marker::PhantomData,
    ptr::NonNull,
    sync::atomic::{self, Ordering},
};
use kernel::{
    error::{to_result, Result},
    types::Opaque,
};

/// `ETH_P_8021Q`.
pub const ETH_P_8021Q: u16 = bindings::ETH_P_8021Q as u16;
/// `ETH_P_8021AD`.
pub const ETH_P_8021AD: u16 = bindings::ETH_P_8021AD as u16;
/// `VLAN_FLAG_REORDER_HDR`.
pub const VLAN_FLAG_REORDER_HDR: u16 = bindings::vlan_flags_VLAN_FLAG_REORDER_HDR as u16;
/// `VLAN_FLAG_GVRP`.
pub const VLAN_FLAG_GVRP: u16 = bindings::vlan_flags_VLAN_FLAG_GVRP as u16;
/// `VLAN_FLAG_LOOSE_BINDING`.
pub const VLAN_FLAG_LOOSE_BINDING: u16 = bindings::vlan_flags_VLAN_FLAG_LOOSE_BINDING as u16;
/// `VLAN_FLAG_MVRP`.
pub const VLAN_FLAG_MVRP: u16 = bindings::vlan_flags_VLAN_FLAG_MVRP as u16;
/// `VLAN_FLAG_BRIDGE_BINDING`.
pub const VLAN_FLAG_BRIDGE_BINDING: u16 = bindings::vlan_flags_VLAN_FLAG_BRIDGE_BINDING as u16;

/// Private data of a VLAN device: the C `vlan_dev_priv` first (read by
/// `vlan_core` through `netdev_priv`), then the driver's own `E`.
///
/// # Invariants
///
/// `c` was initialised by `rvnet_vlan_priv_init`: its per-CPU counters are
/// allocated and it holds a reference on `real_dev`, both released in `drop`.
#[repr(C)]
pub struct VlanPriv<E> {
    c: Opaque<bindings::vlan_dev_priv>,
    /// The driver's own state.
    pub ext: E,
}

// `vlan_dev_priv(dev)` is `netdev_priv(dev)`: the C part must start the
// struct (and the layer puts `Driver::Data` at offset 0 of `netdev_priv`).
const _: () = assert!(core::mem::offset_of!(VlanPriv<u64>, c) == 0);

// SAFETY: the C part is shared with vlan_core, which reads it concurrently;
// writers below take `&Rtnl` (as 8021q's writers run under RTNL) and the
// hot-path counters are per-CPU.
unsafe impl<E: Send> Send for VlanPriv<E> {}
// SAFETY: as above.
unsafe impl<E: Sync> Sync for VlanPriv<E> {}

mod sealed {
    pub trait Sealed {}
}

/// Implemented only by [`VlanPriv`]: private data that starts with a
/// `struct vlan_dev_priv`.
pub trait VlanData: sealed::Sealed {}
impl<E> sealed::Sealed for VlanPriv<E> {}
impl<E> VlanData for VlanPriv<E> {}

/// A VLAN id that may name a VLAN device: 0..=4094 (`VLAN_VID_MASK`,
/// 4095, is reserved). VID 0 is allowed for devices, as in C.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct VlanId(u16);

impl VlanId {
    /// `VLAN_VID_MASK`.
    const MASK: u16 = bindings::VLAN_VID_MASK as u16;

    /// `vid` if it is below `VLAN_VID_MASK` (C: `id >= VLAN_VID_MASK` is
    /// `ERANGE`).
    pub const fn new(vid: u16) -> Option<Self> {
        if vid < Self::MASK {
            Some(VlanId(vid))
        } else {
            None
        }
    }

    /// The number.
    pub const fn get(self) -> u16 {
        self.0
    }
}

impl<E> VlanPriv<E> {
    /// A VLAN `vid` of protocol `proto` (host order) on `real_dev`.
    pub fn new(real_dev: &NetDevice, proto: u16, vid: VlanId, flags: u16, ext: E) -> Result<Self> {
        let vid = vid.get();
        let c = Opaque::<bindings::vlan_dev_priv>::uninit();
        // SAFETY: `c` is ours; the helper zeroes and initialises it and
        // takes a reference on the live `real_dev`.
        to_result(unsafe {
            bindings::rvnet_vlan_priv_init(c.get(), real_dev.as_raw(), proto.to_be(), vid, flags)
        })?;
        // INVARIANT: initialised just above.
        Ok(VlanPriv { c, ext })
    }

    fn raw(&self) -> *mut bindings::vlan_dev_priv {
        self.c.get()
    }

    /// The VLAN id.
    pub fn vid(&self) -> u16 {
        // SAFETY: initialised (invariant); constant after creation.
        unsafe { (*self.raw()).vlan_id }
    }

    /// The VLAN id, as the checked type (`new` took a `VlanId`).
    pub fn vlan_id(&self) -> VlanId {
        VlanId(self.vid())
    }

    /// The tag protocol, host order (`ETH_P_8021Q` or `ETH_P_8021AD`).
    pub fn proto(&self) -> u16 {
        // SAFETY: as for `vid`.
        u16::from_be(unsafe { (*self.raw()).vlan_proto })
    }

    /// `VLAN_FLAG_*` bits.
    pub fn flags(&self) -> u16 {
        // SAFETY: a plain read of a field written only under RTNL.
        unsafe { core::ptr::addr_of!((*self.raw()).flags).read_volatile() }
    }

    /// Replaces the flags selected by `mask`, under RTNL.
    pub fn change_flags(&self, flags: u16, mask: u16, _rtnl: &Rtnl) {
        let new = (self.flags() & !mask) | (flags & mask);
        // SAFETY: writers are serialised by RTNL; readers tolerate either value.
        unsafe { core::ptr::addr_of_mut!((*self.raw()).flags).write_volatile(new) }
    }

    /// The lower device (held for the lifetime of `self`).
    pub fn real_dev(&self) -> &NetDevice {
        // SAFETY: set by init and held until drop (invariant).
        unsafe { NetDevice::from_raw((*self.raw()).real_dev) }
    }

    /// Maps received VLAN priority `vlan_prio` (0-7) to `skb->priority`.
    pub fn set_ingress(&self, vlan_prio: u8, skb_prio: u32, _rtnl: &Rtnl) {
        // SAFETY: RTNL serialises writers; the receive path reads a u32.
        unsafe { bindings::rvnet_vlan_set_ingress(self.raw(), skb_prio, vlan_prio.into()) }
    }

    /// The ingress map entry for VLAN priority `i` (0-7).
    pub fn ingress(&self, i: usize) -> u32 {
        // SAFETY: a u32 read within the array (index masked).
        unsafe { (*self.raw()).ingress_priority_map[i & 7] }
    }

    /// Maps `skb->priority` to transmitted VLAN priority `vlan_prio` (0-7).
    pub fn set_egress(&self, skb_prio: u32, vlan_prio: u8, _rtnl: &Rtnl) -> Result {
        // SAFETY: RTNL serialises writers; the helper publishes new entries
        // with a write barrier for lockless readers.
        to_result(unsafe {
            bindings::rvnet_vlan_set_egress(self.raw(), skb_prio, vlan_prio.into())
        })
    }

    /// The egress mappings with a non-zero priority: (skb priority, VLAN
    /// priority), at most `N`.
    pub fn egress_list<const N: usize>(&self) -> ([(u32, u8); N], usize) {
        self.egress_entries(false)
    }

    /// Every egress mapping, zero ones included, in table order.
    pub fn egress_list_all<const N: usize>(&self) -> ([(u32, u8); N], usize) {
        self.egress_entries(true)
    }

    fn egress_entries<const N: usize>(&self, all: bool) -> ([(u32, u8); N], usize) {
        let mut from = [0u32; N];
        let mut to = [0u8; N];
        // SAFETY: the helper writes at most `N` entries into each array.
        let n = unsafe {
            bindings::rvnet_vlan_egress_list(
                self.raw(),
                from.as_mut_ptr(),
                to.as_mut_ptr(),
                N as u32,
                all,
            )
        } as usize;
        let mut out = [(0u32, 0u8); N];
        for (i, o) in out.iter_mut().enumerate().take(n) {
            *o = (from[i], to[i]);
        }
        (out, n)
    }

    /// Number of ingress and egress mappings in use.
    pub fn nr_mappings(&self) -> (u32, u32) {
        // SAFETY: plain reads of counters written under RTNL.
        unsafe {
            (
                (*self.raw()).nr_ingress_mappings,
                (*self.raw()).nr_egress_mappings,
            )
        }
    }

    /// The TCI to send a packet of `skb` priority with (id | priority bits).
    /// Inline, as C's `vlan_dev_get_egress_qos_mask`.
    #[inline]
    pub fn tci_for(&self, skb: &SkBuff) -> u16 {
        let prio = skb.priority();
        // Coupled with the smp_wmb() in rvnet_vlan_set_egress() (smp_rmb).
        atomic::fence(Ordering::Acquire);
        // SAFETY: lockless walk of the egress map as vlan_core does: entries
        // are published with a write barrier and never freed before the
        // device (the map only grows under RTNL).
        let qos = unsafe {
            let mut mp =
                core::ptr::addr_of!((*self.raw()).egress_priority_map[(prio & 0xf) as usize])
                    .read_volatile();
            loop {
                if mp.is_null() {
                    break 0;
                }
                if (*mp).priority == prio {
                    break core::ptr::addr_of!((*mp).vlan_qos).read_volatile();
                }
                mp = (*mp).next;
            }
        };
        self.vid() | qos
    }

    /// This CPU's counters (`this_cpu_ptr(vlan->vlan_pcpu_stats)`).
    #[inline(always)]
    fn pcpu_stats(&self, pin: &impl CpuPinned) -> *mut bindings::vlan_pcpu_stats {
        // SAFETY: the per-CPU counters are allocated by init and freed with
        // the device (invariant); `pin` keeps us on this CPU.
        unsafe { percpu::this_cpu_ptr((*self.raw()).vlan_pcpu_stats, pin) }
    }

    /// Counts a transmitted packet (per-CPU, shared with vlan_core's
    /// receive counters), inline as C's `u64_stats_inc/add`.
    #[inline]
    pub fn count_tx(&self, len: u32, pin: &impl CpuPinned) {
        let s = self.pcpu_stats(pin);
        // SAFETY: this CPU's counters, written only by this CPU with BH off;
        // `u64_stats_t` is a `u64` on 64-bit (no seqcount).
        unsafe {
            percpu::local_add(core::ptr::addr_of_mut!((*s).tx_packets).cast::<u64>(), 1);
            percpu::local_add(
                core::ptr::addr_of_mut!((*s).tx_bytes).cast::<u64>(),
                len.into(),
            );
        }
    }

    /// Counts a dropped transmit (`this_cpu_inc(...->tx_dropped)`).
    #[inline]
    pub fn count_tx_dropped(&self, pin: &impl CpuPinned) {
        let s = self.pcpu_stats(pin);
        // SAFETY: as for `count_tx`; `tx_dropped` is a `u32`.
        unsafe { percpu::local_add(core::ptr::addr_of_mut!((*s).tx_dropped), 1) }
    }

    /// Adds the per-CPU counters into `s` (`ndo_get_stats64`).
    pub fn fold_stats(&self, s: &mut Stats64) {
        let mut raw = bindings::rtnl_link_stats64::default();
        // SAFETY: counters allocated (invariant); `raw` is ours.
        unsafe { bindings::rvnet_vlan_fold_stats(self.raw(), &mut raw) };
        s.rx_packets = raw.rx_packets;
        s.rx_bytes = raw.rx_bytes;
        s.tx_packets = raw.tx_packets;
        s.tx_bytes = raw.tx_bytes;
        s.rx_errors = raw.rx_errors;
        s.tx_dropped = raw.tx_dropped;
        s.multicast = raw.multicast;
    }
}

impl<E> VlanPriv<E> {
    /// Follows the lower device's new hardware address (C:
    /// `vlan_sync_address`): an inherited address changes with it, unicast
    /// filters are adjusted otherwise. Under RTNL, for an up device.
    pub fn sync_address(&self, vlandev: &NetDevice, _rtnl: &Rtnl) {
        // SAFETY: RTNL held; both devices live; `real_dev_addr` is ours.
        unsafe {
            bindings::rvnet_vlan_sync_address(
                vlandev.as_raw(),
                self.raw(),
                self.real_dev().as_raw(),
            )
        }
    }

    /// Records the lower device's current address (on open).
    pub fn note_real_addr(&self, _rtnl: &Rtnl) {
        // SAFETY: RTNL held; copies 6 bytes between live structures.
        unsafe { bindings::rvnet_vlan_note_real_addr(self.raw(), self.real_dev().as_raw()) }
    }

    /// Takes over the lower device's offload limits and header length and
    /// recomputes features (C: `vlan_transfer_features`), under RTNL; a
    /// writer (`netdev_update_features` runs the `FEAT_CHANGE` notifiers).
    pub fn transfer_features(&self, vlandev: &NetDevice, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held; both live; `vlandev` is a VLAN device of ours.
        unsafe {
            bindings::rvnet_vlan_transfer_features(vlandev.as_raw(), self.real_dev().as_raw())
        }
    }
}

impl NetDevice {
    /// `dev->priv_flags` (the low 32 bits, as `/proc/net/vlan` prints them).
    pub fn priv_flags(&self) -> u32 {
        // SAFETY: reads a field of a live device.
        unsafe { bindings::rvnet_netdev_priv_flags(self.as_raw()) }
    }
}

impl<E> Drop for VlanPriv<E> {
    fn drop(&mut self) {
        // SAFETY: initialised (invariant); no user remains (`&mut self`).
        unsafe { bindings::rvnet_vlan_priv_release(self.raw()) }
    }
}

/// Setting a device up as a VLAN device.
pub trait VlanSetup {
    /// Marks the device `IFF_802_1Q_VLAN` so the stack treats it as one.
    fn mark_vlan(&mut self);
}

impl<D: Driver> VlanSetup for Setup<'_, D>
where
    D::Data: VlanData,
{
    fn mark_vlan(&mut self) {
        self.add_priv_flags(bindings::netdev_priv_flags_IFF_802_1Q_VLAN as u64);
    }
}

/// The lower device's VLAN group (`real_dev->vlan_info`), under RTNL, for
/// look-ups.
pub struct VlanGroup<'a> {
    real: &'a NetDevice,
    _rtnl: PhantomData<&'a Rtnl>,
}

impl<'a> VlanGroup<'a> {
    /// The group of `real`.
    pub fn of(real: &'a NetDevice, _rtnl: &'a Rtnl) -> Self {
        VlanGroup {
            real,
            _rtnl: PhantomData,
        }
    }

    /// The VLAN device for (`proto`, `vid`), if any (`vlan_find_dev`).
    pub fn find(&self, proto: u16, vid: VlanId) -> Option<&'a NetDevice> {
        // SAFETY: RTNL held (type invariant via the token's lifetime);
        // `vid` < 4095 indexes inside the group arrays.
        let p = unsafe {
            bindings::rvnet_vlan_group_find(self.real.as_raw(), proto.to_be(), vid.get())
        };
        // SAFETY: a device in the group is registered and pinned by RTNL.
        NonNull::new(p).map(|p| unsafe { NetDevice::from_raw(p.as_ptr()) })
    }
}

/// A VLAN device's own slot in its lower device's VLAN group, under RTNL:
/// (`real_dev`, protocol, VID) all come from the device's [`VlanPriv`], so
/// a driver can only add, publish, withdraw and remove the VID of the device
/// it owns, on the device it is stacked on.
pub struct VlanSlot<'a> {
    real: &'a NetDevice,
    dev: &'a NetDevice,
    proto: u16,
    vid: VlanId,
    _rtnl: PhantomData<&'a Rtnl>,
}

impl<'a> VlanSlot<'a> {
    /// The slot of `dev` (a registered VLAN device of ours).
    pub fn of<D, E: 'a>(dev: &'a Device<D>, _rtnl: &'a Rtnl) -> Self
    where
        D: Driver<Data = VlanPriv<E>>,
    {
        let v = dev.data();
        VlanSlot {
            real: v.real_dev(),
            dev: dev.net_device(),
            proto: v.proto(),
            vid: v.vlan_id(),
            _rtnl: PhantomData,
        }
    }

    /// Adds the VID filter (`vlan_vid_add`, creating the group if needed)
    /// and preallocates the group slot.
    pub fn add_vid(&self) -> Result {
        let (real, proto, vid) = (self.real.as_raw(), self.proto.to_be(), self.vid.get());
        // SAFETY: RTNL held; the device is live; `vid` < 4095.
        to_result(unsafe { bindings::vlan_vid_add(real, proto, vid) })?;
        // SAFETY: RTNL held; the group exists after `vlan_vid_add`.
        let r = to_result(unsafe { bindings::rvnet_vlan_group_prealloc(real, proto, vid) });
        if r.is_err() {
            self.del_vid();
        }
        r
    }

    /// Removes the VID filter (`vlan_vid_del`); the group goes with the
    /// last VID.
    pub fn del_vid(&self) {
        // SAFETY: RTNL held; balanced with `add_vid`.
        unsafe { bindings::vlan_vid_del(self.real.as_raw(), self.proto.to_be(), self.vid.get()) }
    }

    /// Publishes the device as the receiver of its VID (after `add_vid`):
    /// `ENOENT` without the slot, `EEXIST` if another device holds it.
    pub fn publish(&self) -> Result {
        // SAFETY: RTNL held; the helper checks that the slot array exists
        // and that `vid` < 4096.
        to_result(unsafe {
            bindings::rvnet_vlan_group_set(
                self.real.as_raw(),
                self.proto.to_be(),
                self.vid.get(),
                self.dev.as_raw(),
                true,
            )
        })
    }

    /// Withdraws the device from its VID's slot (nothing if it does not
    /// hold it).
    pub fn withdraw(&self) {
        // SAFETY: as for `publish`; only clears the slot if it holds `dev`.
        let _ = unsafe {
            bindings::rvnet_vlan_group_set(
                self.real.as_raw(),
                self.proto.to_be(),
                self.vid.get(),
                self.dev.as_raw(),
                false,
            )
        };
    }
}

impl SkBuff {
    /// `skb->priority`.
    #[inline]
    pub fn priority(&self) -> u32 {
        // SAFETY: the skb is valid; a `u32` at its checked offset.
        unsafe { self.field::<u32>(bindings::RVNET_SKB_PRIORITY_OFF).read() }
    }

    /// Attaches a VLAN tag as metadata (`__vlan_hwaccel_put_tag`): the lower
    /// device, or the core in software, inserts it on transmit.
    #[inline]
    pub fn put_vlan_tag(&mut self, proto: u16, tci: u16) {
        // SAFETY: we own the skb; two `u16` fields at their checked offsets.
        unsafe {
            self.field::<u16>(bindings::RVNET_SKB_VLAN_PROTO_OFF)
                .write(proto.to_be());
            self.field::<u16>(bindings::RVNET_SKB_VLAN_TCI_OFF)
                .write(tci);
        }
    }
}

impl NetDevice {
    /// Iterates over the upper devices (`netdev_for_each_upper_dev_rcu`).
    pub fn for_each_upper_rcu<'a>(&'a self, _rcu: &'a RcuGuard) -> UpperIter<'a> {
        // SAFETY: only the address of the list head is taken.
        let iter = unsafe { core::ptr::addr_of_mut!((*self.as_raw()).adj_list.upper) };
        UpperIter {
            dev: self,
            iter,
            _p: PhantomData,
        }
    }

    /// Iterates over the upper devices under RTNL: the shared borrow of the
    /// token excludes writers (linking and unlinking take `&mut Rtnl`) for
    /// as long as the iterator or a device it returned is alive.
    pub fn for_each_upper<'a>(&'a self, _rtnl: &'a Rtnl) -> UpperIter<'a> {
        // SAFETY: only the address of the list head is taken.
        let iter = unsafe { core::ptr::addr_of_mut!((*self.as_raw()).adj_list.upper) };
        UpperIter {
            dev: self,
            iter,
            _p: PhantomData,
        }
    }

    /// The device is being unregistered (`NETREG_UNREGISTERING`), not
    /// merely moved to another namespace.
    pub fn is_unregistering(&self) -> bool {
        // SAFETY: reading `reg_state` of a live device.
        unsafe { bindings::rvnet_netdev_is_unregistering(self.as_raw()) }
    }

    /// `netif_reduces_vlan_mtu()`: a VLAN on it must be `VLAN_HLEN` smaller.
    pub fn reduces_vlan_mtu(&self) -> bool {
        // SAFETY: reads flags of a live device.
        unsafe { bindings::rvnet_netif_reduces_vlan_mtu(self.as_raw()) }
    }

    /// Changes `IFF_UP` etc. through the core (`dev_change_flags`), opening
    /// or closing the device and notifying.
    pub fn change_flags(&self, flags: u32, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: RTNL held.
        to_result(unsafe {
            bindings::dev_change_flags(self.as_raw(), flags, core::ptr::null_mut())
        })
    }

    /// `dev_get_flags()`: the flags as userspace sees them.
    pub fn user_flags(&self) -> u32 {
        // SAFETY: the device is live.
        unsafe { bindings::dev_get_flags(self.as_raw()) }
    }

    /// Copies operstate/carrier from `lower` (`netif_stacked_transfer_operstate`).
    pub fn transfer_operstate_from(&self, lower: &NetDevice, _rtnl: &Rtnl) {
        // SAFETY: RTNL held; both devices live.
        unsafe { bindings::netif_stacked_transfer_operstate(lower.as_raw(), self.as_raw()) }
    }

    /// Links `self` as an upper device of `lower` (`netdev_upper_dev_link`).
    pub fn link_upper_of(
        &self,
        lower: &NetDevice,
        extack: &mut ExtAck,
        _rtnl: &mut Rtnl,
    ) -> Result {
        // SAFETY: RTNL held; both devices live and registered.
        to_result(unsafe {
            bindings::netdev_upper_dev_link(lower.as_raw(), self.as_raw(), extack.as_raw())
        })
    }

    /// Undoes `link_upper_of`.
    pub fn unlink_upper_of(&self, lower: &NetDevice, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held; the link exists.
        unsafe { bindings::netdev_upper_dev_unlink(lower.as_raw(), self.as_raw()) }
    }

    /// Inherits what a stacked Ethernet device takes from its lower device
    /// (address if unset, headroom, GSO limits; carrier off) in `ndo_init`.
    pub fn inherit_from(&self, lower: &NetDevice, _rtnl: &Rtnl) {
        // SAFETY: RTNL held, the device is not visible yet (ndo_init).
        unsafe { bindings::rvnet_netdev_inherit_from(self.as_raw(), lower.as_raw()) }
    }

    /// Same hardware address as `other`.
    pub fn same_addr(&self, other: &NetDevice) -> bool {
        // SAFETY: both live; reads `dev_addr`.
        unsafe { bindings::rvnet_netdev_addr_equal(self.as_raw(), other.as_raw()) }
    }

    /// Adds `self`'s address to `lower`'s unicast filter (`dev_uc_add`).
    pub fn uc_add_own_addr_to(&self, lower: &NetDevice, _rtnl: &Rtnl) -> Result {
        // SAFETY: RTNL held; `dev_addr` of a live device.
        to_result(unsafe { bindings::dev_uc_add(lower.as_raw(), (*self.as_raw()).dev_addr) })
    }

    /// Removes it again (`dev_uc_del`).
    pub fn uc_del_own_addr_from(&self, lower: &NetDevice, _rtnl: &Rtnl) {
        // SAFETY: as above.
        unsafe { bindings::dev_uc_del(lower.as_raw(), (*self.as_raw()).dev_addr) };
    }

    /// Removes what [`AddrListsLocked::sync_to`] added (on close).
    pub fn unsync_addr_lists_from(&self, lower: &NetDevice, _rtnl: &Rtnl) {
        // SAFETY: RTNL held; lists are locked inside the helpers.
        unsafe {
            bindings::dev_mc_unsync(lower.as_raw(), self.as_raw());
            bindings::dev_uc_unsync(lower.as_raw(), self.as_raw());
        }
    }
}

/// Proof that a device's address lists are locked (`netif_addr_lock_bh`),
/// as they are inside its `ndo_set_rx_mode`: only the layer builds one, for
/// that device, and hands it to [`Driver::set_rx_mode`]. `!Send`.
pub struct AddrListsLocked<'a> {
    dev: &'a NetDevice,
    _not_send: PhantomData<*mut ()>,
}

impl<'a> AddrListsLocked<'a> {
    /// # Safety
    ///
    /// `dev`'s address lists must be locked for `'a`.
    pub(crate) unsafe fn assume_held(dev: &'a NetDevice) -> Self {
        AddrListsLocked {
            dev,
            _not_send: PhantomData,
        }
    }

    /// Syncs the locked device's unicast and multicast lists to `lower`
    /// (`dev_uc_sync`/`dev_mc_sync`, the `ndo_set_rx_mode` of a stacked
    /// device).
    pub fn sync_to(&self, lower: &NetDevice) {
        // SAFETY: `self.dev`'s address lists are locked (type invariant),
        // as the helpers require; they lock `lower`'s themselves.
        unsafe {
            bindings::dev_mc_sync(lower.as_raw(), self.dev.as_raw());
            bindings::dev_uc_sync(lower.as_raw(), self.dev.as_raw());
        }
    }

    /// Syncs them to one of several lower devices
    /// (`dev_uc_sync_multiple`/`dev_mc_sync_multiple`: an address stays
    /// in the lists of every lower device it was synced to, as a bond
    /// without an active slave gives its lists to all its slaves).
    pub fn sync_to_multiple(&self, lower: &NetDevice) {
        // SAFETY: as in `sync_to`.
        unsafe {
            bindings::dev_uc_sync_multiple(lower.as_raw(), self.dev.as_raw());
            bindings::dev_mc_sync_multiple(lower.as_raw(), self.dev.as_raw());
        }
    }
}

/// A device's address lists locked by the caller
/// (`netif_addr_lock_bh`), from a control path: [`NetDevice::lock_addr_lists`].
/// Derefs to the [`AddrListsLocked`] proof; unlocks on drop. `!Send`.
pub struct AddrListsGuard<'a> {
    lists: AddrListsLocked<'a>,
}

impl<'a> core::ops::Deref for AddrListsGuard<'a> {
    type Target = AddrListsLocked<'a>;

    fn deref(&self) -> &AddrListsLocked<'a> {
        &self.lists
    }
}

impl Drop for AddrListsGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: locked in `lock_addr_lists` (type invariant).
        unsafe { bindings::rvnet_netif_addr_unlock_bh(self.lists.dev.as_raw()) };
    }
}

impl NetDevice {
    /// Locks the device's address lists (`netif_addr_lock_bh`), to sync
    /// them to a lower device from a control path (C: bonding's enslave
    /// and failover). Bottom halves are off while the guard lives. It
    /// borrows the RTNL proof: `set_rx_mode`, where the lists are already
    /// locked, has none (no self-deadlock), and no RTNL writer (which may
    /// sleep) can run while the lock is held.
    pub fn lock_addr_lists<'a>(&'a self, _rtnl: &'a Rtnl) -> AddrListsGuard<'a> {
        // SAFETY: a live device; the guard unlocks.
        unsafe { bindings::rvnet_netif_addr_lock_bh(self.as_raw()) };
        AddrListsGuard {
            // SAFETY: locked just above, until the guard drops.
            lists: unsafe { AddrListsLocked::assume_held(self) },
        }
    }
}

/// Iterator over upper devices; see [`NetDevice::for_each_upper_rcu`].
pub struct UpperIter<'a> {
    dev: &'a NetDevice,
    iter: *mut bindings::list_head,
    /// Bounded by an RCU section or an RTNL section.
    _p: PhantomData<&'a ()>,
}

impl<'a> Iterator for UpperIter<'a> {
    type Item = &'a NetDevice;

    fn next(&mut self) -> Option<&'a NetDevice> {
        // SAFETY: under RCU or RTNL (the iterator's lifetime); the helper
        // advances the cursor through the adjacency list.
        let p = unsafe { bindings::rvnet_netdev_upper_next_rcu(self.dev.as_raw(), &mut self.iter) };
        // SAFETY: devices on the list stay allocated during the RCU section.
        NonNull::new(p).map(|p| unsafe { NetDevice::from_raw(p.as_ptr()) })
    }
}
