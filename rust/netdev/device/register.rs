// SPDX-License-Identifier: GPL-2.0

//! Devices a module creates itself (not through `rtnl_link_ops`), such as
//! TEQL's `teqlN` masters.
//!
//! Kernel rule: `register_netdev`/`unregister_netdev` take RTNL themselves;
//! a device with `needs_free_netdev` is freed by the core after
//! unregistration, so the registration must not touch it afterwards.

use super::{
    bindings,
    driver::{Adapter, Device, Driver},
};
use core::ptr::NonNull;
use kernel::{error::to_result, prelude::*};

/// A registered device of driver `D`, unregistered on drop.
///
/// # Invariants
///
/// `dev` is registered, set up for `D`, with live data, until `drop`.
pub struct DeviceRegistration<D: Driver> {
    dev: NonNull<bindings::net_device>,
    _p: core::marker::PhantomData<D>,
}

// SAFETY: the device is shared with the kernel, which synchronises it; the
// registration itself only unregisters.
unsafe impl<D: Driver> Send for DeviceRegistration<D> {}
// SAFETY: `&self` only hands out `&Device<D>`, which is `Sync`.
unsafe impl<D: Driver> Sync for DeviceRegistration<D> {}

impl<D: Driver> DeviceRegistration<D> {
    /// Allocates a device named by `name` (may contain `%d`), moves `data`
    /// into it and registers it. Must not be called with RTNL held.
    ///
    /// A driver that keeps a C module out (`Driver::KEEP_OUT`) makes its
    /// devices through its link kind, which holds the veto: a build error
    /// here.
    pub fn new(name: &CStr, data: D::Data) -> Result<Self> {
        const {
            assert!(
                D::KEEP_OUT.is_none(),
                "a driver with KEEP_OUT makes its devices through its link kind (which holds the veto)"
            )
        };
        // SAFETY: `setup_callback` prepares the device for `D`; one queue.
        let dev = unsafe {
            bindings::alloc_netdev_mqs(
                Adapter::<D>::priv_size() as i32,
                name.as_char_ptr(),
                bindings::RVNET_NET_NAME_ENUM,
                Some(Adapter::<D>::setup_callback),
                1,
                1,
            )
        };
        let dev = NonNull::new(dev).ok_or(ENOMEM)?;
        // SAFETY: fresh device set up for `D`, not registered, no data yet.
        unsafe { Adapter::<D>::init_data(dev.as_ptr(), data) };
        // SAFETY: takes RTNL itself; on failure the device stays ours.
        if let Err(e) = to_result(unsafe { bindings::register_netdev(dev.as_ptr()) }) {
            // SAFETY: never registered: drop the data and free the device.
            unsafe {
                Adapter::<D>::drop_data(dev.as_ptr());
                bindings::free_netdev(dev.as_ptr());
            }
            return Err(e);
        }
        // INVARIANT: registered with live data.
        Ok(DeviceRegistration {
            dev,
            _p: core::marker::PhantomData,
        })
    }

    /// The device.
    pub fn device(&self) -> &Device<D> {
        // SAFETY: registered with live data until `drop` (type invariant).
        unsafe { Device::from_raw(self.dev.as_ptr()) }
    }
}

impl<D: Driver> Drop for DeviceRegistration<D> {
    fn drop(&mut self) {
        // SAFETY: registered (invariant); the core frees it afterwards
        // (`needs_free_netdev`), running `priv_destructor`.
        unsafe { bindings::unregister_netdev(self.dev.as_ptr()) };
        // Module exit drops its registrations: no deferred RCU callback of
        // this module may outlive it.
        super::rcu::barrier_deferred();
    }
}
