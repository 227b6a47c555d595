// SPDX-License-Identifier: GPL-2.0

//! The link net of a movable link kind: the namespace a device was created
//! in, where its work stays when the device itself moves to another one
//! (C's `tunnel->net`, `rtnl_link_ops.get_link_net`). An IP tunnel moved
//! with `ip link set t netns X` keeps looking up routes, taking packets
//! and keeping its table entry in the namespace it was created in, while
//! its device, addresses and traffic live in `X`.
//!
//! Kernel rules encoded here:
//!
//! - C keeps that namespace as a bare pointer (no reference: a tunnel must
//!   not keep its home namespace alive) and makes it sound by deleting, when
//!   a namespace dies, every tunnel created in it wherever it lives
//!   (`ip_tunnel_delete_nets`). Here the layer does that itself for a kind
//!   that says [`Link::MOVABLE`]: each registered device is on the
//!   module's list with its link net, and the kind's `exit_batch_rtnl`
//!   (run with RTNL before the dying namespace's other exits) queues every
//!   one created in a dying namespace, so [`Device::link_net`] is live
//!   whenever the device is: unregistration waits for every user of the
//!   device before the namespace can be freed.
//! - `get_link_net` makes `ip -d link` show `link-netnsid` for a moved
//!   device, as C's.
//! - A kind that is not movable has its current namespace as link net
//!   (its devices stay where they were created unless the kind allows a
//!   move, and then they carry no work of the old one).

use super::{
    bindings,
    device::Net,
    driver::Device,
    link::{Link, LinkAdapter},
};
use core::{marker::PhantomData, mem::MaybeUninit, pin::Pin};
use kernel::{alloc::KBox, error::to_result, prelude::*, types::Opaque};

impl<D: Link> Device<D> {
    /// The namespace whose routes, addresses and per-namespace tables the
    /// device works with: the one it was created in for a
    /// [`Link::MOVABLE`] kind (which may differ from [`NetDevice::net`]
    /// after `ip link set ... netns`), its current one otherwise.
    ///
    /// [`NetDevice::net`]: super::device::NetDevice::net
    pub fn link_net(&self) -> &Net {
        if !D::MOVABLE {
            return self.net();
        }
        // `home` was set with the data, before any `&Device` existed, and
        // never changes; the kind's sweep below unregisters the device when
        // that namespace dies, before it is freed (which waits for every
        // user of the device).
        let entry = self.link_net_entry();
        // SAFETY: the entry's `home` is live for `&self` (above).
        unsafe { Net::from_raw((*entry).home) }
    }

    /// Whether the device lives outside its link net (`!net_eq(tunnel->net,
    /// dev_net(dev))`): what crosses between them is scrubbed (`xnet`).
    pub fn crosses_netns(&self) -> bool {
        !self.net().same(self.link_net())
    }
}

impl<D: Link> LinkAdapter<D> {
    /// `get_link_net` of a movable kind.
    ///
    /// # Safety
    ///
    /// Only called by the kernel through the ops table this layer
    /// registered, on a registered device of ours.
    pub(crate) unsafe extern "C" fn get_link_net_callback(
        dev: *const bindings::net_device,
    ) -> *mut bindings::net {
        // SAFETY: a registered device of ours, set up for `D`.
        unsafe { Device::<D>::from_raw(dev.cast_mut()) }
            .link_net()
            .as_raw()
    }

    /// Lists a newly registered device of a movable kind.
    ///
    /// # Safety
    ///
    /// Under RTNL, `dev` registered just now with data set for `D`.
    pub(crate) unsafe fn link_net_registered(dev: *mut bindings::net_device) {
        if D::MOVABLE {
            // SAFETY: the caller's contract; the destructor takes it off.
            unsafe { bindings::rvnet_link_net_add(Device::<D>::from_raw(dev).link_net_entry()) };
        }
    }

    /// Deletes a device whose link net is dying (C's
    /// `ip_tunnel_delete_nets`), unless it is already going.
    ///
    /// # Safety
    ///
    /// Under RTNL (the netns core's `exit_batch_rtnl`), on a listed device
    /// of ours; `head` is the core's kill list.
    unsafe extern "C" fn kill_callback(
        dev: *mut bindings::net_device,
        head: *mut bindings::list_head,
    ) {
        // SAFETY: RTNL held; a live (listed) device.
        if unsafe { bindings::rvnet_netdev_can_unregister(dev) } {
            // SAFETY: as this function's; a registered device not queued.
            unsafe { Self::delete_device(dev, head) };
        }
    }

    /// # Safety
    ///
    /// Called by the netns core with RTNL held, for the dying namespaces.
    unsafe extern "C" fn exit_batch_rtnl_callback(
        net_exit_list: *mut bindings::list_head,
        dev_kill_list: *mut bindings::list_head,
    ) {
        // SAFETY: RTNL held by the caller; the lists are the core's; `D`'s
        // one `net_device_ops` tell its devices apart.
        unsafe {
            bindings::rvnet_link_net_exit_batch(
                net_exit_list,
                super::driver::Adapter::<D>::netdev_ops(),
                Some(Self::kill_callback),
                dev_kill_list,
            )
        }
    }
}

/// The per-kind pernet hook that deletes the devices of a dying link net;
/// part of a movable kind's [`super::link::LinkRegistration`], registered
/// before the kind and unregistered after it (when no device of the kind
/// is left).
pub(crate) struct LinkNetSweep<D: Link> {
    ops: Pin<KBox<Opaque<bindings::pernet_operations>>>,
    _p: PhantomData<D>,
}

impl<D: Link> LinkNetSweep<D> {
    /// Registers the hook (`register_pernet_device`).
    pub(crate) fn new() -> Result<Self> {
        let ops = KBox::pin(
            Opaque::new(bindings::pernet_operations {
                exit_batch_rtnl: Some(LinkAdapter::<D>::exit_batch_rtnl_callback),
                // SAFETY: all-zero is valid for the rest (no id, no other
                // hooks, unlinked list head).
                ..unsafe { MaybeUninit::zeroed().assume_init() }
            }),
            GFP_KERNEL,
        )?;
        // SAFETY: pinned, live until `drop` unregisters it.
        to_result(unsafe { bindings::register_pernet_device(ops.get()) })?;
        Ok(LinkNetSweep {
            ops,
            _p: PhantomData,
        })
    }
}

impl<D: Link> Drop for LinkNetSweep<D> {
    fn drop(&mut self) {
        // SAFETY: registered in `new`; no namespace is dying meanwhile
        // (pernet_ops_rwsem), and no device of the kind is left.
        unsafe { bindings::unregister_pernet_device(self.ops.get()) };
    }
}
