// SPDX-License-Identifier: GPL-2.0

//! A device's link-layer header operations (`struct header_ops`): the
//! header a packet gets before the device sends it (`dev_hard_header`:
//! neighbour output with the neighbour's hardware address, ARP, packet
//! sockets) and the source hardware address of a received packet
//! (`dev_parse_header`: packet sockets' `sll_addr`).
//!
//! Kernel rules encoded here:
//!
//! - `create` may run in any context (process, softirq, under RCU or
//!   not) with an skb its caller owns and keeps: the driver only pushes
//!   bytes in front of the data through a [`HardHeader`] that borrows the
//!   skb for the call; the headroom is made as C's `ipgre_header` makes
//!   it (`pskb_expand_head`, `GFP_ATOMIC`); the layer answers the
//!   header's length, positive when the driver says the header is
//!   complete, negative when the destination is unresolved or memory was
//!   short, so the answer always matches the bytes pushed;
//! - the addresses handed to `create` are `dev->addr_len` bytes (or
//!   absent), as every caller guarantees; `parse` fills at most
//!   `MAX_ADDR_LEN` bytes;
//! - a device's `header_ops` decide how its neighbours are built
//!   (`arp_constructor`): they are set in `ndo_init`, before the device
//!   is registered ([`Device::set_header_ops`] refuses later), and only
//!   for a driver that implements [`HeaderOps`] (the table is that
//!   driver's).

use super::{
    bindings,
    driver::{Device, Driver, Setup},
    rtnl::Rtnl,
    skb::SkBuff,
};
use core::{marker::PhantomData, mem::MaybeUninit};
use kernel::{error::to_result, ffi, prelude::*};

/// `MAX_ADDR_LEN`: the room `parse` writes into.
pub const MAX_ADDR_LEN: usize = bindings::MAX_ADDR_LEN as usize;

/// A driver's `header_ops`.
pub trait HeaderOps: Driver {
    /// `header_ops->create`: builds the header of a packet of protocol
    /// `ty` (host order) to `daddr` from `saddr` (each `dev->addr_len`
    /// bytes; `None`: not given) with `len` bytes of payload, pushing it
    /// with [`HardHeader::push`]. `true`: the header is complete (C's
    /// positive answer); `false`: the destination is not known yet, or a
    /// push failed (negative).
    fn create(
        dev: &Device<Self>,
        hdr: &mut HardHeader<'_>,
        ty: u16,
        daddr: Option<&[u8]>,
        saddr: Option<&[u8]>,
        len: u32,
    ) -> bool;

    /// `header_ops->parse`: the source hardware address of the received
    /// `skb` into `haddr`; answers its length.
    fn parse(dev: &Device<Self>, skb: &SkBuff, haddr: &mut [u8; MAX_ADDR_LEN]) -> usize;
}

/// The packet `create` builds a header for, borrowed for the call.
pub struct HardHeader<'a> {
    skb: *mut bindings::sk_buff,
    pushed: u32,
    failed: Option<u32>,
    _p: PhantomData<&'a mut bindings::sk_buff>,
}

impl HardHeader<'_> {
    /// Pushes `len` bytes (zeroed) in front of the data, making headroom
    /// if there is too little, and hands them out to be written; `None`
    /// when memory is short (the call then answers `-len`).
    pub fn push(&mut self, len: u32) -> Option<&mut [u8]> {
        // SAFETY: the skb is the caller's for the call and not shared
        // (`create`'s contract); the helper expands the head if needed
        // and pushes.
        let p = unsafe { bindings::rvnet_skb_push_hard_header(self.skb, len) };
        if p.is_null() {
            self.failed = Some(len);
            return None;
        }
        self.pushed += len;
        // SAFETY: the helper pushed `len` zeroed bytes at `p`, inside the
        // skb's linear data; borrowed mutably with `self`, so no other
        // push moves the head meanwhile.
        Some(unsafe { core::slice::from_raw_parts_mut(p.cast::<u8>(), len as usize) })
    }

    /// The answer of `create`: the bytes pushed, negative unless
    /// `complete`; `-len` of a failed push.
    fn answer(&self, complete: bool) -> ffi::c_int {
        let n = match self.failed {
            Some(len) => return -(len.min(i32::MAX as u32) as i32),
            None => self.pushed.min(i32::MAX as u32) as i32,
        };
        if complete {
            n
        } else {
            -n
        }
    }
}

impl SkBuff {
    /// Up to `len` bytes at the MAC header (`skb_mac_header`), as far as
    /// they are in the linear data; `None` when the MAC header is unset.
    pub fn mac_header_bytes(&self, len: usize) -> Option<&[u8]> {
        let mut avail = 0u32;
        // SAFETY: we own or borrow the skb; the helper reads its offsets.
        let p = unsafe { bindings::rvnet_skb_mac_header_avail(self.as_raw(), &mut avail) };
        if p.is_null() {
            return None;
        }
        // SAFETY: the helper checked that `avail` bytes from `p` lie in the
        // linear data, alive while `self` is borrowed.
        Some(unsafe { core::slice::from_raw_parts(p, len.min(avail as usize)) })
    }

    /// `skb_pop_mac_header`: the MAC header at the network header (a
    /// received tunnel packet whose outer IP header is its link-layer
    /// header, as `header_ops->parse` reads it).
    #[inline(always)]
    pub fn pop_mac_header(&mut self) {
        // SAFETY: we own the skb; both are `u16` header offsets at their
        // checked offsets (C: `skb->mac_header = skb->network_header`).
        unsafe {
            let nh = self
                .field::<u16>(bindings::RVNET_SKB_NETWORK_HEADER_OFF)
                .read();
            self.field::<u16>(bindings::RVNET_SKB_MAC_HEADER_OFF)
                .write(nh)
        }
    }
}

/// `header_ops->create`'s C signature.
pub(crate) type CreateFn = unsafe extern "C" fn(
    *mut bindings::sk_buff,
    *mut bindings::net_device,
    ffi::c_ushort,
    *const ffi::c_void,
    *const ffi::c_void,
    ffi::c_uint,
) -> ffi::c_int;

/// `header_ops->parse`'s C signature.
pub(crate) type ParseFn = unsafe extern "C" fn(
    *const bindings::sk_buff,
    *const bindings::net_device,
    *mut u8,
) -> ffi::c_int;

/// A `header_ops` table with `create` and `parse` only.
pub(crate) const fn table(create: CreateFn, parse: ParseFn) -> bindings::header_ops {
    bindings::header_ops {
        create: Some(create),
        parse: Some(parse),
        // SAFETY: all-zero is a valid `header_ops` (every hook absent).
        ..unsafe { MaybeUninit::zeroed().assume_init() }
    }
}

struct HeaderAdapter<D: HeaderOps>(PhantomData<D>);

impl<D: HeaderOps> HeaderAdapter<D> {
    const HEADER_OPS: bindings::header_ops = table(Self::create_callback, Self::parse_callback);

    /// # Safety
    ///
    /// Called by the core through `D`'s `header_ops`, set only on `D`'s
    /// devices: `dev` is such a device, alive for the call; `skb` is the
    /// caller's, unshared, for the call; `daddr` and `saddr` are null or
    /// point to `dev->addr_len` readable bytes.
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
        // SAFETY: a live device; `addr_len` is a plain field.
        let alen = usize::from(unsafe { (*dev).addr_len });
        let addr = |p: *const ffi::c_void| {
            (!p.is_null()).then(|| {
                // SAFETY: a non-null address has `addr_len` readable
                // bytes (the callers' contract), alive for the call.
                unsafe { core::slice::from_raw_parts(p.cast::<u8>(), alen) }
            })
        };
        let mut hdr = HardHeader {
            skb,
            pushed: 0,
            failed: None,
            _p: PhantomData,
        };
        let complete = D::create(d, &mut hdr, ty, addr(daddr), addr(saddr), len);
        hdr.answer(complete && hdr.failed.is_none())
    }

    /// # Safety
    ///
    /// Called by the core through `D`'s `header_ops` with a received skb
    /// of `dev` (a device of `D`) borrowed for the call and `haddr`
    /// writable for `MAX_ADDR_LEN` bytes.
    unsafe extern "C" fn parse_callback(
        skb: *const bindings::sk_buff,
        dev: *const bindings::net_device,
        haddr: *mut u8,
    ) -> ffi::c_int {
        // SAFETY: a device of `D`, alive for the call.
        let d = unsafe { Device::<D>::from_raw(dev.cast_mut()) };
        // SAFETY: borrowed for the call and never freed here (nor moved
        // out of: the driver sees it by shared reference only).
        let skb = core::mem::ManuallyDrop::new(unsafe { SkBuff::from_raw(skb.cast_mut()) });
        // SAFETY: `haddr` is writable for `MAX_ADDR_LEN` bytes (the
        // caller's buffer, `sll_addr` storage or `neigh->ha`).
        let out = unsafe { &mut *haddr.cast::<[u8; MAX_ADDR_LEN]>() };
        D::parse(d, &skb, out).min(MAX_ADDR_LEN) as ffi::c_int
    }
}

impl<D: HeaderOps> Device<D> {
    /// Gives the device `D`'s header operations, from `ndo_init` (C sets
    /// them there): `EBUSY` once the device is registered, when its
    /// neighbours may already have been built without them.
    pub fn set_header_ops(&self, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: a device of ours, RTNL held; the table is a `'static`
        // constant of `D`, whose callbacks expect `D`'s devices; the
        // helper refuses a registered device.
        to_result(unsafe {
            bindings::rvnet_netdev_set_header_ops(
                self.net_device().as_raw(),
                &HeaderAdapter::<D>::HEADER_OPS,
            )
        })
    }
}

impl<D: Driver> Setup<'_, D> {
    /// No header operations (a tunnel set up with a template's, e.g.
    /// [`Setup::iptunnel_setup`]'s, that C's driver does not have).
    pub fn clear_header_ops(&mut self) {
        self.raw().header_ops = core::ptr::null();
    }

    /// `dev->hard_header_len`.
    pub fn set_hard_header_len(&mut self, len: u16) {
        self.raw().hard_header_len = len;
    }
}

impl<D: Driver> Device<D> {
    /// `dev->hard_header_len` (a tunnel whose header operations build its
    /// headers: C's `ipgre_tunnel_init`, `ipgre_link_update`), under
    /// RTNL.
    pub fn set_hard_header_len(&self, len: u16, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL serialises the writers of our own device's field.
        unsafe { bindings::rvnet_netdev_set_hard_header_len(self.net_device().as_raw(), len) }
    }

    /// `dev->hard_header_len`.
    pub fn hard_header_len(&self) -> u16 {
        // SAFETY: a live device; a plain read.
        unsafe { bindings::rvnet_netdev_hard_header_len(self.net_device().as_raw()) }
    }
}
