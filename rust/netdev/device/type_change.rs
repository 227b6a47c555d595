// SPDX-License-Identifier: GPL-2.0

//! A master device taking the link-layer type of its lower device, and
//! returning to Ethernet (C: `bond_enslave`'s type change,
//! `bond_setup_by_slave`, `bond_ether_setup`, `bond_header_ops`).
//!
//! Kernel rules encoded here:
//!
//! - a device's type changes between `NETDEV_PRE_TYPE_CHANGE`, which any
//!   listener may refuse (a VLAN, macvlan, bridge port... above the
//!   device), and `NETDEV_POST_TYPE_CHANGE`, under RTNL throughout: the
//!   change is a [`TypeChange`], obtained only from an accepted
//!   `PRE_TYPE_CHANGE`, holding the RTNL borrow until it is dropped,
//!   which sends `POST_TYPE_CHANGE`; the type, lengths, broadcast address
//!   and header operations can only be changed through it;
//! - the master never copies the lower device's `header_ops` (the lower
//!   device, and the module owning its table, may go away while the
//!   master keeps its type): when the lower device has header
//!   operations, the master gets a table of the layer's that calls, on
//!   each use, the header operations of the lower device the driver names
//!   at that moment ([`LowerHeaders::header_lower`]), borrowed under the
//!   caller's RCU read-side section and read once (C: `bond_header_create`,
//!   `bond_header_parse` on the active slave).

use super::{
    bindings,
    device::NetDevice,
    driver::{Device, Driver},
    rcu::RcuGuard,
    rtnl::Rtnl,
};
use core::marker::PhantomData;
use kernel::{error::to_result, ffi, prelude::*};

/// A driver whose devices build and parse link-layer headers with the
/// header operations of one of their lower devices.
pub trait LowerHeaders: Driver {
    /// The lower device whose header operations serve `dev` now (C: the
    /// bond's `curr_active_slave`), borrowed for the RCU read-side
    /// section `rcu`; `None`: no header is built (C answers 0).
    fn header_lower<'a>(dev: &'a Device<Self>, rcu: &'a RcuGuard) -> Option<&'a NetDevice>;
}

struct LowerHeaderAdapter<D: LowerHeaders>(PhantomData<D>);

impl<D: LowerHeaders> LowerHeaderAdapter<D> {
    const HEADER_OPS: bindings::header_ops =
        super::header_ops::table(Self::create_callback, Self::parse_callback);

    /// # Safety
    ///
    /// Called by the core through `D`'s delegating `header_ops`, set only
    /// on `D`'s devices ([`TypeChange::take_type_of`]): `dev` is such a
    /// device, alive for the call; the other arguments are the caller's,
    /// passed on unchanged to the lower device's `create` with the same
    /// contract.
    unsafe extern "C" fn create_callback(
        skb: *mut bindings::sk_buff,
        dev: *mut bindings::net_device,
        ty: ffi::c_ushort,
        daddr: *const ffi::c_void,
        saddr: *const ffi::c_void,
        len: ffi::c_uint,
    ) -> ffi::c_int {
        // SAFETY: a device of `D` (only `D`'s devices get this table).
        let d = unsafe { Device::<D>::from_raw(dev) };
        let rcu = RcuGuard::new();
        match D::header_lower(d, &rcu) {
            Some(l) => {
                // The master took the lower device's `addr_len`: the
                // addresses have the length the lower device expects.
                // SAFETY: the lower device lives for the RCU section (the
                // driver's borrow); the helper calls its `create` once.
                unsafe {
                    bindings::rvnet_dev_lower_header_create(skb, l.as_raw(), ty, daddr, saddr, len)
                }
            }
            None => 0,
        }
    }

    /// # Safety
    ///
    /// Called by the core through `D`'s delegating `header_ops` with a
    /// skb of `dev` (a device of `D`) borrowed for the call and `haddr`
    /// writable for `MAX_ADDR_LEN` bytes.
    unsafe extern "C" fn parse_callback(
        skb: *const bindings::sk_buff,
        dev: *const bindings::net_device,
        haddr: *mut u8,
    ) -> ffi::c_int {
        // SAFETY: a device of `D`, alive for the call.
        let d = unsafe { Device::<D>::from_raw(dev.cast_mut()) };
        let rcu = RcuGuard::new();
        match D::header_lower(d, &rcu) {
            Some(l) => {
                // SAFETY: as in `create_callback`; the caller's buffer is
                // passed on.
                unsafe { bindings::rvnet_dev_lower_header_parse(skb, l.as_raw(), haddr) }
            }
            None => 0,
        }
    }
}

/// A type change of a device, between an accepted
/// `NETDEV_PRE_TYPE_CHANGE` and the `NETDEV_POST_TYPE_CHANGE` its drop
/// sends; holds RTNL (borrowed) for that whole time.
pub struct TypeChange<'a, D: Driver> {
    dev: &'a Device<D>,
    _rtnl: &'a mut Rtnl,
}

impl<D: Driver> Device<D> {
    /// Asks the listeners whether the device may change its type
    /// (`NETDEV_PRE_TYPE_CHANGE`); their refusal is the error.
    pub fn begin_type_change<'a>(&'a self, rtnl: &'a mut Rtnl) -> Result<TypeChange<'a, D>> {
        // SAFETY: RTNL held; a live device of ours.
        to_result(unsafe { bindings::rvnet_dev_pre_type_change(self.net_device().as_raw()) })?;
        Ok(TypeChange {
            dev: self,
            _rtnl: rtnl,
        })
    }

    /// Back to Ethernet without telling the listeners, the device closed
    /// first (C's failed first enslave: `dev_close`, `bond_ether_setup`,
    /// no type-change notification); `IFF_MASTER` set, `IFF_SLAVE` kept.
    /// Nothing for an Ethernet device.
    pub fn revert_to_ether(&self, _rtnl: &mut Rtnl) {
        if self.net_device().dev_type() == super::upper::ARPHRD_ETHER {
            return;
        }
        // SAFETY: RTNL held; a live device of ours; `ether_setup` resets
        // what `take_type_of` changed (type, lengths, header operations).
        unsafe { bindings::rvnet_dev_master_ether_setup(self.net_device().as_raw(), true) }
    }

    /// The first 6 bytes of both addresses are equal, whatever their
    /// `addr_len` (C's `ether_addr_equal_64bits` on `dev_addr`).
    pub fn addr6_equal(&self, other: &NetDevice) -> bool {
        // SAFETY: both live; `dev_addr` buffers hold at least
        // `MAX_ADDR_LEN` bytes.
        unsafe { bindings::rvnet_dev_addr6_equal(self.net_device().as_raw(), other.as_raw()) }
    }
}

impl<D: Driver> TypeChange<'_, D> {
    /// Flushes the device's unicast and multicast address lists
    /// (`dev_uc_flush`, `dev_mc_flush`).
    pub fn flush_addr_lists(&mut self) {
        // SAFETY: RTNL held (`_rtnl`); a live device of ours.
        unsafe { bindings::rvnet_dev_addr_lists_flush(self.dev.net_device().as_raw()) }
    }

    /// Ethernet again (`bond_ether_setup`): `ether_setup`, `IFF_MASTER`
    /// set, `IFF_SLAVE` and `IFF_UP` kept, `IFF_TX_SKB_SHARING` off.
    pub fn ether_setup(&mut self) {
        // SAFETY: RTNL held; a live device of ours, not closed (as C).
        unsafe { bindings::rvnet_dev_master_ether_setup(self.dev.net_device().as_raw(), false) }
    }
}

impl<D: LowerHeaders> TypeChange<'_, D> {
    /// Takes `lower`'s type, header length, headroom, address length,
    /// broadcast address and point-to-point flags, the device closed
    /// around the change (`bond_setup_by_slave`); header operations that
    /// go to [`LowerHeaders::header_lower`] if `lower` has any.
    pub fn take_type_of(&mut self, lower: &NetDevice) {
        // SAFETY: RTNL held; both live; the table is a `'static` constant
        // whose callbacks expect `D`'s devices, set on a device of `D`;
        // nothing of `lower` is kept.
        unsafe {
            bindings::rvnet_dev_setup_by_lower(
                self.dev.net_device().as_raw(),
                lower.as_raw(),
                &LowerHeaderAdapter::<D>::HEADER_OPS,
            )
        }
    }
}

impl<D: Driver> Drop for TypeChange<'_, D> {
    fn drop(&mut self) {
        // SAFETY: RTNL still held (borrowed for `'_`); a live device.
        unsafe { bindings::rvnet_dev_post_type_change(self.dev.net_device().as_raw()) }
    }
}

/// `MAX_ADDR_LEN`.
const MAX_ADDR_LEN: usize = bindings::MAX_ADDR_LEN as usize;

/// A hardware address of any link-layer type (`dev_addr`, `addr_len`
/// bytes: 6 for Ethernet, 4 for an IPv4 tunnel, none for nlmon).
#[derive(Clone, Copy)]
pub struct HwAddr {
    bytes: [u8; MAX_ADDR_LEN],
    len: u8,
}

impl HwAddr {
    /// The address's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

impl NetDevice {
    /// The hardware address, whatever its length. Read racily as C's
    /// readers do (written under RTNL).
    pub fn hw_addr(&self) -> HwAddr {
        let d = self.as_raw();
        let mut a = HwAddr {
            bytes: [0; MAX_ADDR_LEN],
            len: 0,
        };
        // SAFETY: the device is live; `dev_addr` points to a buffer of at
        // least `MAX_ADDR_LEN` bytes (`dev_addr_init`), of which the first
        // `addr_len` (at most `MAX_ADDR_LEN`) are the address.
        unsafe {
            let len = core::ptr::addr_of!((*d).addr_len)
                .read_volatile()
                .min(MAX_ADDR_LEN as u8);
            let p = core::ptr::addr_of!((*d).dev_addr).read_volatile();
            if !p.is_null() {
                core::ptr::copy_nonoverlapping(p, a.bytes.as_mut_ptr(), usize::from(len));
                a.len = len;
            }
        }
        a
    }
}
