// SPDX-License-Identifier: GPL-2.0

//! The legacy VLAN ioctl hook (`SIOCSIFVLAN`/`SIOCGIFVLAN`, `vconfig`).
//!
//! Kernel rules encoded here: there is one global hook (`vlan_ioctl_set`),
//! called under the socket layer's `vlan_ioctl_mutex`, which clearing the
//! hook also takes, so no call runs once [`VlanIoctlRegistration`] is
//! dropped; the argument block is copied from and to user space, never
//! dereferenced; the handler runs under RTNL, as 8021q's does; devices it
//! creates belong to the link kind (so `ip link del` works on them).

use super::{
    bindings,
    device::{Net, NetDevice},
    hook_owner::HookOwner,
    link::{Link, LinkRegistration},
    rtnl::{Rtnl, RtnlGuard},
};
use core::ptr::NonNull;
use kernel::{alloc::KBox, error::code::*, ffi, prelude::*};

/// Size of `struct vlan_ioctl_args`.
pub const ARGS_SIZE: usize = 56;

/// A link kind that also answers the VLAN ioctl.
pub trait VlanIoctl: Link {
    /// Handles one request under RTNL. `args` holds the user's block;
    /// return `Ok(true)` to copy it back (for `GET_*` commands).
    fn ioctl(
        net: &Net,
        args: &mut [u8; ARGS_SIZE],
        link: &LinkRegistration<Self>,
        rtnl: &mut Rtnl,
    ) -> Result<bool>;
}

/// The one registration allowed (the kernel has one hook).
static HOOK_OWNER: HookOwner = HookOwner::new();

/// Owns the link kind and installs the ioctl hook for it; dropping it
/// removes the hook first, then unregisters the kind.
pub struct VlanIoctlRegistration<D: VlanIoctl> {
    link: KBox<LinkRegistration<D>>,
}

impl<D: VlanIoctl> VlanIoctlRegistration<D> {
    /// Installs the hook; `EBUSY` if this module already has one.
    pub fn new(link: LinkRegistration<D>) -> Result<Self> {
        let link = HOOK_OWNER.claim(link)?;
        // SAFETY: the hook reads `HOOK_OWNER`, which points to `link`, alive
        // until `drop` clears the hook (under the hook mutex) first.
        unsafe { bindings::rvnet_vlan_ioctl_set(Some(Self::hook)) };
        Ok(VlanIoctlRegistration { link })
    }

    /// The link kind.
    pub fn link(&self) -> &LinkRegistration<D> {
        &self.link
    }

    /// # Safety
    ///
    /// Only called by the socket layer with a live namespace and a user
    /// pointer, under `vlan_ioctl_mutex`.
    unsafe extern "C" fn hook(net: *mut bindings::net, arg: *mut ffi::c_void) -> ffi::c_int {
        // SAFETY: this is the hook the slot was claimed for.
        let Some(link) = (unsafe { HOOK_OWNER.get::<D>() }) else {
            return ENODEV.to_errno();
        };
        let mut args = [0u8; ARGS_SIZE];
        // SAFETY: copies from the user pointer into our buffer.
        if unsafe { bindings::rvnet_copy_from_user(args.as_mut_ptr().cast(), arg, ARGS_SIZE as _) }
            != 0
        {
            return EFAULT.to_errno();
        }
        // SAFETY: the socket layer passes a live namespace.
        let net = unsafe { Net::from_raw(net) };
        let mut rtnl = RtnlGuard::lock();
        match D::ioctl(net, &mut args, link, &mut rtnl) {
            Ok(true) => {
                // SAFETY: copies our buffer back to the user pointer.
                if unsafe {
                    bindings::rvnet_copy_to_user(arg, args.as_ptr().cast(), ARGS_SIZE as _)
                } != 0
                {
                    EFAULT.to_errno()
                } else {
                    0
                }
            }
            Ok(false) => 0,
            Err(e) => e.to_errno(),
        }
    }
}

impl<D: VlanIoctl> Drop for VlanIoctlRegistration<D> {
    fn drop(&mut self) {
        // SAFETY: clearing takes the hook mutex, so no call is in flight
        // afterwards.
        unsafe { bindings::rvnet_vlan_ioctl_set(None) };
        HOOK_OWNER.release();
        // Module exit drops its registrations: no deferred RCU callback of
        // this module may outlive it.
        super::rcu::barrier_deferred();
    }
}

impl Net {
    /// The caller may administer this namespace's networking
    /// (`ns_capable(net->user_ns, CAP_NET_ADMIN)`).
    pub fn admin_capable(&self) -> bool {
        // SAFETY: the namespace is live.
        unsafe { bindings::rvnet_net_admin_capable(self.as_raw()) }
    }
}

impl NetDevice {
    /// Looks up a device by name in `net`, under RTNL.
    pub fn get_by_name<'a>(net: &'a Net, name: &[u8], _rtnl: &'a Rtnl) -> Option<&'a NetDevice> {
        let mut buf = [0u8; 16];
        if name.len() > 15 {
            return None;
        }
        buf[..name.len()].copy_from_slice(name);
        // SAFETY: RTNL held; `buf` is NUL-terminated.
        let p = unsafe { bindings::__dev_get_by_name(net.as_raw(), buf.as_ptr().cast()) };
        // SAFETY: a found device is registered and pinned by RTNL for `'a`.
        NonNull::new(p).map(|p| unsafe { NetDevice::from_raw(p.as_ptr()) })
    }
}
