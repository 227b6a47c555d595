// SPDX-License-Identifier: GPL-2.0

//! Native XDP of a master (C bonding's `bond_xdp_set`): the program
//! `ndo_bpf` installs, counted; the same program installed on lower
//! devices through their `ndo_bpf`; `xdp_features`; and
//! `bpf_master_redirect_enabled_key`.
//!
//! Kernel rules encoded here:
//! - a `struct bpf_prog` is reference-counted (`bpf_prog_inc`,
//!   `bpf_prog_put`): drivers only see [`BpfProg`], one counted
//!   reference (clone increments, drop puts), never the pointer, so a
//!   program cannot be used after its last reference is gone;
//! - `ndo_bpf(XDP_SETUP_PROG)` moves one reference into the driver on
//!   success (`dev_xdp_install`: "drivers assume refcnt is already
//!   incremented"), and the driver puts the program it replaces or
//!   removes: [`NetDevice::xdp_propagate`] takes the [`BpfProg`] by value
//!   and moves its reference into the lower device on success (drops it on
//!   failure), and a driver's `Driver::xdp_setup_prog` gets its own
//!   reference (the layer gives the kernel's back on success);
//! - a lower device's `ndo_bpf`, `dev_xdp_prog_count` and
//!   `xdp_set_features_flag` run under RTNL (`&mut Rtnl`/`&Rtnl`);
//! - `bpf_master_redirect_enabled_key` makes `XDP_TX` of a slave of an
//!   `IFF_BONDING` master go through the master's
//!   `ndo_xdp_get_xmit_slave`, which such a master must have
//!   (`module_veto::assert_keeps_out_bonding`): [`MasterProg`] holds the
//!   key on for as long as a master holds a program.

use super::{bindings, device::NetDevice, driver::Device, driver::Driver, nla::ExtAck, rtnl::Rtnl};
use core::ptr::NonNull;
use kernel::prelude::*;

/// All XDP features (`NETDEV_XDP_ACT_MASK`).
pub const XDP_ACT_MASK: u32 = bindings::RVNET_XDP_ACT_MASK;
/// AF_XDP zero-copy (`NETDEV_XDP_ACT_XSK_ZEROCOPY`).
pub const XDP_ACT_XSK_ZEROCOPY: u32 = bindings::RVNET_XDP_ACT_XSK_ZEROCOPY;

/// One counted reference to an XDP program.
///
/// INVARIANT: `ptr` is a live `bpf_prog` on which this value holds one
/// reference, put by `drop`.
pub struct BpfProg {
    ptr: NonNull<bindings::bpf_prog>,
}

// SAFETY: the reference count of a `bpf_prog` is atomic and a program may
// be put from any task.
unsafe impl Send for BpfProg {}
// SAFETY: `&BpfProg` only reads the program's id or takes a reference.
unsafe impl Sync for BpfProg {}

impl BpfProg {
    /// Takes a new reference on `ptr` (none for null).
    ///
    /// # Safety
    ///
    /// `ptr` is null or a program on which the caller holds a reference
    /// for the call.
    pub(crate) unsafe fn inc(ptr: *mut bindings::bpf_prog) -> Option<Self> {
        let ptr = NonNull::new(ptr)?;
        // SAFETY: a live program (caller).
        unsafe { bindings::rvnet_bpf_prog_inc(ptr.as_ptr()) };
        // INVARIANT: the reference just taken.
        Some(BpfProg { ptr })
    }

    /// Gives the reference up to C (which will put it).
    fn into_raw(self) -> *mut bindings::bpf_prog {
        let p = self.ptr.as_ptr();
        core::mem::forget(self);
        p
    }

    /// The program's id (`bpftool prog`, `ip link` `prog/xdp id`).
    pub fn id(&self) -> u32 {
        // SAFETY: live while `self` holds its reference.
        unsafe { bindings::rvnet_bpf_prog_id(self.ptr.as_ptr()) }
    }

    /// Whether `self` and `other` are the same program.
    pub fn same(&self, other: &BpfProg) -> bool {
        self.ptr == other.ptr
    }
}

impl Clone for BpfProg {
    fn clone(&self) -> Self {
        // SAFETY: live while `self` holds its reference.
        unsafe { bindings::rvnet_bpf_prog_inc(self.ptr.as_ptr()) };
        // INVARIANT: the reference just taken.
        BpfProg { ptr: self.ptr }
    }
}

impl Drop for BpfProg {
    fn drop(&mut self) {
        // SAFETY: puts the reference this value holds (invariant).
        unsafe { bindings::rvnet_bpf_prog_put(self.ptr.as_ptr()) };
    }
}

/// The program of a master, with `bpf_master_redirect_enabled_key` on
/// for as long as it lives (C: `static_branch_inc` in `bond_xdp_set`, the
/// `dec` when the program goes).
pub struct MasterProg {
    prog: BpfProg,
}

impl MasterProg {
    /// Holds `prog`, the key on.
    pub fn new(prog: BpfProg, _rtnl: &mut Rtnl) -> Self {
        // SAFETY: a plain counter increment (sleeps: process context,
        // which `&mut Rtnl` proves).
        unsafe { bindings::rvnet_bpf_master_redirect_inc() };
        MasterProg { prog }
    }

    /// The program.
    pub fn prog(&self) -> &BpfProg {
        &self.prog
    }
}

impl Drop for MasterProg {
    fn drop(&mut self) {
        // SAFETY: pairs the increment of `new`.
        unsafe { bindings::rvnet_bpf_master_redirect_dec() };
    }
}

impl NetDevice {
    /// Whether the device has native XDP: `ndo_bpf` and `ndo_xdp_xmit`.
    pub fn has_native_xdp(&self) -> bool {
        // SAFETY: a live device; reads its ops table.
        unsafe { bindings::rvnet_dev_has_xdp_ops(self.as_raw()) }
    }

    /// `dev_xdp_prog_count`: programs attached to the device by the core
    /// (generic, native, offloaded), under RTNL.
    pub fn xdp_prog_count(&self, _rtnl: &Rtnl) -> u8 {
        // SAFETY: a live device, RTNL held.
        unsafe { bindings::rvnet_dev_xdp_prog_count(self.as_raw()) }
    }

    /// The device's `xdp_features` (`NETDEV_XDP_ACT_*`).
    pub fn xdp_features(&self) -> u32 {
        // SAFETY: a live device; a plain read.
        unsafe { bindings::rvnet_dev_xdp_features(self.as_raw()) }
    }

    /// `dev_xdp_propagate` with `XDP_SETUP_PROG`: installs `prog` on the
    /// device through its `ndo_bpf` (none: removes the one installed), under
    /// RTNL. On success the reference of `prog` moves into the device
    /// (which puts the program it replaced); on failure it is put here.
    pub fn xdp_propagate(
        &self,
        prog: Option<BpfProg>,
        extack: Option<&mut ExtAck>,
        _rtnl: &mut Rtnl,
    ) -> Result {
        let raw = prog
            .as_ref()
            .map_or(core::ptr::null_mut(), |p| p.ptr.as_ptr());
        let ack = extack.map_or(core::ptr::null_mut(), |a| a.as_raw());
        // SAFETY: a live device, RTNL held; `raw` is null or a program
        // `prog` holds a reference on; the ack is null or valid.
        let ret = unsafe { bindings::rvnet_dev_xdp_propagate(self.as_raw(), raw, ack) };
        super::errno::check(ret)?;
        // The reference now belongs to the device.
        if let Some(p) = prog {
            p.into_raw();
        }
        Ok(())
    }
}

impl<D: Driver> Device<D> {
    /// `xdp_set_features_flag`: the device's `xdp_features` (`0` clears
    /// them, C's `xdp_clear_features_flag`); notifies
    /// `NETDEV_XDP_FEAT_CHANGE` if they changed.
    pub fn set_xdp_features(&self, val: u32, _rtnl: &mut Rtnl) {
        // SAFETY: our live device, RTNL held.
        unsafe { bindings::rvnet_xdp_set_features(self.net_device().as_raw(), val) }
    }
}
