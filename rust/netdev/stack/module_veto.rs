// SPDX-License-Identifier: GPL-2.0

//! Keeping a C module out while ours serves its devices (the module
//! notifier chain, `register_module_notifier`).
//!
//! Kernel rule: a module that is loaded is announced on the module chain
//! (`MODULE_STATE_COMING`) after its relocation and before its init runs;
//! an error returned there (`notifier_from_errno`) aborts the load
//! (`prepare_coming_module`, 6.12). A C driver whose notifiers trust
//! `IFF_*` flags (C `bridge.ko` reads `netdev_priv()` of every
//! `IFF_EBRIDGE` device and `rx_handler_data` of every `IFF_BRIDGE_PORT`
//! one as its own structs, and replays netdevice events when it loads)
//! would misread our devices: [`ModuleVeto`] refuses it for as long as the
//! registration lives. The opposite order (the C module first) is refused
//! by the link kind itself: `rtnl_link_register` fails with `EEXIST` when
//! the kind is taken, so register the veto first and the kind second.

use super::{
    bindings,
    notifier::{NotifierBlock, NotifierChain},
};
use kernel::{c_str, ffi, prelude::*, str::CStr};

/// The C modules to refuse and the name to blame in the log.
pub struct ModuleVeto {
    /// Names of the refused modules (`struct module::name`).
    pub refused: &'static [&'static CStr],
    /// Our module, for the log line.
    pub by: &'static CStr,
}

/// A C module that trusts one of the private flags: it reads the private
/// data of every device carrying the flag as its own structure (C
/// `bonding.ko`'s netdevice notifier casts `netdev_priv()` of every
/// `IFF_BONDING` device to `struct bonding`). Only the layer's constants
/// exist (the fields are private). A driver that needs the flag names the
/// module in [`Driver::KEEP_OUT`]; the layer then
///
/// - registers a [`ModuleVeto`] refusing the module with the driver's link
///   kind, before the kind and dropped after it
///   ([`super::link::LinkRegistration`] holds it), so the module cannot
///   load while a device of the driver can exist (and the kind's
///   registration fails with `EEXIST` if the module came first);
/// - grants the flag only to such a driver (a build error otherwise:
///   [`assert_keeps_out_bonding`], [`assert_keeps_out_bridge`]).
///
/// [`Driver::KEEP_OUT`]: super::driver::Driver::KEEP_OUT
#[derive(Clone, Copy)]
pub struct KeepOut {
    modules: &'static [&'static CStr],
    priv_flag: u64,
}

impl KeepOut {
    /// C `bonding.ko`, which trusts `IFF_BONDING`.
    pub const BONDING: KeepOut = KeepOut {
        modules: &[c_str!("bonding")],
        priv_flag: bindings::netdev_priv_flags_IFF_BONDING as u64,
    };

    /// C `bridge.ko`, which trusts `IFF_EBRIDGE` (and `IFF_BRIDGE_PORT`:
    /// it reads `rx_handler_data` of every port as its `net_bridge_port`).
    pub const BRIDGE: KeepOut = KeepOut {
        modules: &[c_str!("bridge")],
        priv_flag: bindings::netdev_priv_flags_IFF_EBRIDGE as u64,
    };

    /// Whether `keep` keeps out the module that trusts `priv_flag`.
    pub(crate) const fn grants(keep: Option<KeepOut>, priv_flag: u64) -> bool {
        match keep {
            Some(k) => k.priv_flag == priv_flag,
            None => false,
        }
    }

    /// Registers the veto for `by` (the driver's module, for the log).
    pub(crate) fn register(self, by: &'static CStr) -> Result<ModuleVetoRegistration> {
        ModuleVetoRegistration::new(ModuleVeto {
            refused: self.modules,
            by,
        })
    }
}

/// Checks at build time that driver `D` keeps C `bonding.ko` out
/// ([`KeepOut::BONDING`] in `D::KEEP_OUT`), which `IFF_BONDING` on its
/// devices and their slaves requires, and that it answers
/// `ndo_xdp_get_xmit_slave`, which the stack calls on the master of an
/// `IFF_BONDING` slave without a NULL check (`xdp_master_redirect`).
pub(crate) fn assert_keeps_out_bonding<D: super::driver::Driver>() {
    const {
        assert!(
            KeepOut::grants(
                D::KEEP_OUT,
                bindings::netdev_priv_flags_IFF_BONDING as u64
            ),
            "IFF_BONDING needs KEEP_OUT = Some(KeepOut::BONDING): C bonding.ko casts the private data of every IFF_BONDING device"
        );
        assert!(
            D::HAS_XDP_GET_XMIT_SLAVE,
            "a bonding master must implement xdp_get_xmit_slave (called without a NULL check)"
        );
    };
}

/// Checks at build time that driver `D` keeps C `bridge.ko` out
/// ([`KeepOut::BRIDGE`] in `D::KEEP_OUT`), which `IFF_EBRIDGE` on its
/// devices and `IFF_BRIDGE_PORT` on their ports require: C bridge's
/// netdevice notifier casts the private data of every `IFF_EBRIDGE` device
/// to `struct net_bridge`, and replays every device's events when it loads.
pub(crate) fn assert_keeps_out_bridge<D: super::driver::Driver>() {
    const {
        assert!(
            KeepOut::grants(D::KEEP_OUT, bindings::netdev_priv_flags_IFF_EBRIDGE as u64),
            "IFF_EBRIDGE needs KEEP_OUT = Some(KeepOut::BRIDGE): C bridge.ko casts the private data of every IFF_EBRIDGE device"
        );
    };
}

/// The module chain.
pub struct ModuleChain;

/// A registered veto; dropping it lets the modules load again.
pub type ModuleVetoRegistration = NotifierBlock<ModuleChain>;

// SAFETY: the module chain's functions; it calls back with a
// `struct module *` that is live for the call and stops calling a block
// once it is unregistered.
unsafe impl NotifierChain for ModuleChain {
    type Handler = ModuleVeto;

    unsafe fn register(nb: *mut bindings::notifier_block) -> ffi::c_int {
        // SAFETY: the caller's contract.
        unsafe { bindings::register_module_notifier(nb) }
    }

    unsafe fn unregister(nb: *mut bindings::notifier_block) {
        // SAFETY: the caller's contract.
        unsafe { bindings::unregister_module_notifier(nb) };
    }

    unsafe fn deliver(h: &ModuleVeto, event: ffi::c_ulong, ptr: *mut ffi::c_void) -> ffi::c_int {
        if event != bindings::module_state_MODULE_STATE_COMING as ffi::c_ulong {
            return bindings::NOTIFY_DONE as ffi::c_int;
        }
        // SAFETY: the chain passes the module being loaded, live for the
        // call; its name is NUL-terminated.
        let name = unsafe { CStr::from_char_ptr(bindings::rvnet_module_name(ptr.cast_const())) };
        if !h.refused.iter().any(|r| r.as_bytes() == name.as_bytes()) {
            return bindings::NOTIFY_DONE as ffi::c_int;
        }
        // The module's log prefix names `h.by` already.
        let by = h.by.to_str().unwrap_or("rvnet");
        pr_err!(
            "refusing to load {} while {} is loaded (both serve the same devices; rmmod {} first)\n",
            name.to_str().unwrap_or("?"),
            by,
            by,
        );
        // `notifier_from_errno(-EBUSY)`.
        (bindings::NOTIFY_STOP_MASK as ffi::c_int) | (1 - EBUSY.to_errno())
    }
}
