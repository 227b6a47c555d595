// SPDX-License-Identifier: GPL-2.0

//! `ndo_xdp_get_xmit_slave`: which lower device a bonding master sends an
//! XDP frame out on.
//!
//! Kernel rule: an XDP program on a slave of an `IFF_BONDING` master that
//! answers `XDP_TX` is redirected through the master
//! (`bpf_prog_run_xdp` -> `xdp_master_redirect`, once any bond enabled
//! `bpf_master_redirect_enabled_key`), which calls the master's
//! `ndo_xdp_get_xmit_slave` without a NULL check, under RCU, with the
//! frame in an `xdp_buff`. So a driver whose devices carry `IFF_BONDING`
//! must implement [`Driver::xdp_get_xmit_slave`] (a build error otherwise,
//! `module_veto::assert_keeps_out_bonding`). The hook gets the frame's
//! bytes (`xdp->data` to `xdp->data_end`, live for the call) and an
//! [`XdpContext`]: the layer runs the hook with bottom halves off, so the
//! context pins the CPU (per-CPU counters, as C's
//! `bond_rr_gen_slave_id`) and is an RCU read-side section; the device it
//! answers must stay valid for that section (a slave read from an
//! RCU-published list).
//!
//! [`Driver::xdp_get_xmit_slave`]: super::driver::Driver::xdp_get_xmit_slave

use super::{
    bindings,
    percpu::{self, CpuPinned},
    rcu::RcuGuard,
};
use core::marker::PhantomData;
use kernel::ffi;

/// Proof that the code runs inside `ndo_xdp_get_xmit_slave` as the layer
/// calls it: under RCU, bottom halves off. Only the layer hands it out; it
/// derefs to the [`RcuGuard`] of that section. `!Send`.
pub struct XdpContext {
    _not_send: PhantomData<*mut ()>,
}

impl XdpContext {
    /// # Safety
    ///
    /// The caller must be inside an RCU read-side section with bottom
    /// halves off for the whole lifetime `'a`.
    pub(crate) unsafe fn assume_held<'a>() -> &'a XdpContext {
        // SAFETY: `XdpContext` is zero-sized: any non-null aligned
        // address is a valid reference to one.
        unsafe { core::ptr::NonNull::<XdpContext>::dangling().as_ref() }
    }
}

impl percpu::private::Sealed for XdpContext {}

// SAFETY: the layer disables bottom halves around the hook for as long as
// the context is borrowed (`with_frame`).
unsafe impl CpuPinned for XdpContext {}

impl core::ops::Deref for XdpContext {
    type Target = RcuGuard;

    fn deref(&self) -> &RcuGuard {
        // SAFETY: the caller of the ndo holds `rcu_read_lock` (its
        // contract), and bottom halves are off, for as long as `self` is
        // borrowed.
        unsafe { RcuGuard::assume_held() }
    }
}

/// Runs `f` on the frame of `xdp` with an [`XdpContext`] (bottom halves
/// off around it).
///
/// # Safety
///
/// `xdp` must be the `xdp_buff` the kernel passed to
/// `ndo_xdp_get_xmit_slave`, under `rcu_read_lock`, and its data must stay
/// unchanged for the call.
pub(crate) unsafe fn with_frame<R>(
    xdp: *const bindings::xdp_buff,
    f: impl FnOnce(&[u8], &XdpContext) -> R,
) -> R {
    let mut len: u32 = 0;
    // SAFETY: `xdp` is valid (caller); the helper reads `data` and
    // `data_end`.
    let data = unsafe { bindings::rvnet_xdp_frame(xdp, &mut len) };
    // SAFETY: the frame's bytes, under RCU (caller).
    unsafe { with_bytes(data, len, f) }
}

/// Runs `f` on the bytes of `frame` (an `xdp_frame` of `ndo_xdp_xmit`,
/// C's `xdp_convert_frame_to_buff`) with an [`XdpContext`].
///
/// # Safety
///
/// `frame` must be a frame the kernel passed to `ndo_xdp_xmit`, the
/// caller inside `rcu_read_lock`, the frame unchanged for the call.
pub(crate) unsafe fn with_xdp_frame<R>(
    frame: *const bindings::xdp_frame,
    f: impl FnOnce(&[u8], &XdpContext) -> R,
) -> R {
    let mut len: u32 = 0;
    // SAFETY: `frame` is valid (caller); the helper reads `data` and `len`.
    let data = unsafe { bindings::rvnet_xdp_frame_data(frame, &mut len) };
    // SAFETY: the frame's bytes, under RCU (caller).
    unsafe { with_bytes(data, len, f) }
}

/// # Safety
///
/// `data..data + len` is readable and unchanged for the call (or `data`
/// null), and the caller is inside `rcu_read_lock`.
unsafe fn with_bytes<R>(
    data: *const ffi::c_void,
    len: u32,
    f: impl FnOnce(&[u8], &XdpContext) -> R,
) -> R {
    let frame: &[u8] = if data.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: `data..data + len` is the frame of the buffer, readable
        // and unchanged for the call (caller).
        unsafe { core::slice::from_raw_parts(data.cast::<u8>(), len as usize) }
    };
    // SAFETY: plain calls; paired below.
    unsafe { bindings::rvnet_local_bh_disable() };
    // SAFETY: RCU held by the caller, BH off until after `f`.
    let r = f(frame, unsafe { XdpContext::assume_held() });
    // SAFETY: pairs the disable above.
    unsafe { bindings::rvnet_local_bh_enable() };
    r
}
