// SPDX-License-Identifier: GPL-2.0

//! A bridge's ports as `AF_BRIDGE` link messages (`bridge link show/set`,
//! `bridge monitor link`; C: br_netlink.c `br_fill_ifinfo`, `br_getlink`,
//! `br_setlink`, `br_ifinfo_notify`).
//!
//! Kernel rules encoded here:
//! - rtnetlink asks a device's **master** (`ndo_bridge_getlink` of the
//!   master's ops, with the port as the device) for every device that has
//!   one, and the device itself for its own hook: the hooks find the
//!   bridge from the port under RTNL;
//! - the message is built in the order C builds it (header, name,
//!   master, MTU, operstate, address, link, then `IFLA_PROTINFO` as a
//!   nested attribute with the port's `IFLA_BRPORT_*`, then `IFLA_AF_SPEC`
//!   with the VLANs when the request's filter asks for them); a driver
//!   only fills the nests;
//! - `ndo_bridge_setlink` gets the request's `IFLA_PROTINFO`: nested
//!   (`IFLA_BRPORT_*`, parsed here) or the old one-byte port state;
//! - notifications (`RTM_NEWLINK`/`RTM_DELLINK` to `RTNLGRP_LINK`) may be
//!   sent from any context (`GFP_ATOMIC`).

use super::{
    bindings,
    device::NetDevice,
    driver::{Adapter, Device, Driver},
    nla::{Attrs, ExtAck, NlMsg, Nla},
    rtnl::Rtnl,
};
use core::ptr;
use kernel::{ffi, prelude::*};

/// `BRIDGE_VLAN_INFO_PVID`.
pub const VLAN_INFO_PVID: u16 = bindings::BRIDGE_VLAN_INFO_PVID as u16;
/// `BRIDGE_VLAN_INFO_UNTAGGED`.
pub const VLAN_INFO_UNTAGGED: u16 = bindings::BRIDGE_VLAN_INFO_UNTAGGED as u16;

/// An `AF_BRIDGE` link message being filled for one device.
pub struct BridgeLinkMsg {
    msg: NlMsg,
    skb: *mut bindings::sk_buff,
    new: bool,
    filter_mask: u32,
}

impl BridgeLinkMsg {
    /// The port's attributes, in `IFLA_PROTINFO` (only in `RTM_NEWLINK`).
    pub fn protinfo(&mut self, f: impl FnOnce(&mut NlMsg) -> Result) -> Result {
        if !self.new {
            return Ok(());
        }
        // SAFETY: the message is ours for the call.
        let start = unsafe {
            bindings::rvnet_nla_nest_start_flag(self.skb, bindings::IFLA_PROTINFO as i32)
        };
        if start.is_null() {
            return Err(super::errno::err(super::errno::EMSGSIZE));
        }
        f(&mut self.msg)?;
        // SAFETY: `start` was returned by `nla_nest_start` on this message.
        unsafe { bindings::rvnet_nla_nest_end(self.skb, start) };
        Ok(())
    }

    /// The VLANs (`(flags, vid)`, `BRIDGE_VLAN_INFO_*`), in `IFLA_AF_SPEC`,
    /// if the request's filter asks for them.
    pub fn vlans(&mut self, list: &[(u16, u16)]) -> Result {
        let want = bindings::RTEXT_FILTER_BRVLAN | bindings::RTEXT_FILTER_BRVLAN_COMPRESSED;
        if self.filter_mask & want == 0 || list.is_empty() {
            return Ok(());
        }
        self.msg.nest(bindings::IFLA_AF_SPEC, |m| {
            for (flags, vid) in list {
                let mut b = [0u8; 4];
                b[..2].copy_from_slice(&flags.to_ne_bytes());
                b[2..].copy_from_slice(&vid.to_ne_bytes());
                m.put_bytes(bindings::IFLA_BRIDGE_VLAN_INFO, &b)?;
            }
            Ok(())
        })
    }
}

/// What `ndo_bridge_setlink` received for a port.
pub enum ProtInfo<'a> {
    /// The nested `IFLA_BRPORT_*` attributes.
    Attrs(Attrs<'a>),
    /// The old binary form: a port state.
    State(u8),
}

/// Largest `IFLA_BRPORT_*` a request is parsed up to.
const BRPORT_TB: usize = 64;

impl<D: Driver> Adapter<D> {
    /// # Safety
    ///
    /// Only called by rtnetlink's `rtnl_bridge_getlink` (under RTNL)
    /// through the ops table of a device of `D`, for that device or one
    /// of its lower devices.
    pub(crate) unsafe extern "C" fn bridge_getlink_callback(
        skb: *mut bindings::sk_buff,
        pid: u32,
        seq: u32,
        dev: *mut bindings::net_device,
        filter_mask: u32,
        nlflags: ffi::c_int,
    ) -> ffi::c_int {
        // SAFETY: `dev` is live; RTNL is held.
        let (d, rtnl) = unsafe { (NetDevice::from_raw(dev), Rtnl::assume_held()) };
        let Some(held) = super::fdb::bridge_of::<D>(d, rtnl) else {
            return 0;
        };
        let Some(br) = held.downcast::<D>() else {
            return 0;
        };
        let h = Hdr {
            pid,
            seq,
            new: true,
            nlflags: nlflags as u32,
            filter_mask,
        };
        // SAFETY: the message is ours for the callback.
        match unsafe { fill::<D>(skb, h, br, d) } {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by rtnetlink's `rtnl_bridge_setlink` (under RTNL)
    /// through the ops table of a device of `D`, with the request.
    pub(crate) unsafe extern "C" fn bridge_setlink_callback(
        dev: *mut bindings::net_device,
        nlh: *mut bindings::nlmsghdr,
        _flags: u16,
        extack: *mut bindings::netlink_ext_ack,
    ) -> ffi::c_int {
        // SAFETY: `dev` is live; RTNL is held; `nlh` is the request.
        let (d, mut ack, rtnl, protinfo, afspec) = unsafe {
            (
                NetDevice::from_raw(dev),
                ExtAck::from_raw(extack),
                Rtnl::assume_held(),
                bindings::rvnet_ifinfo_attr(nlh, bindings::IFLA_PROTINFO as i32),
                bindings::rvnet_ifinfo_attr(nlh, bindings::IFLA_AF_SPEC as i32),
            )
        };
        if protinfo.is_null() && afspec.is_null() {
            return 0;
        }
        let Some(held) = super::fdb::bridge_of::<D>(d, rtnl) else {
            return EINVAL.to_errno();
        };
        let Some(br) = held.downcast::<D>() else {
            return EINVAL.to_errno();
        };
        let is_port = !core::ptr::eq(d, br.net_device());
        if !is_port && afspec.is_null() {
            return EINVAL.to_errno();
        }
        let mut tb = [ptr::null_mut::<bindings::nlattr>(); BRPORT_TB];
        let info = if protinfo.is_null() || !is_port {
            None
        } else {
            // SAFETY: `protinfo` points into the request.
            if unsafe { bindings::rvnet_nla_is_nested(protinfo) } {
                // SAFETY: `tb` has `BRPORT_TB` entries; `protinfo` is valid.
                let r = unsafe {
                    bindings::rvnet_nla_parse_nested(
                        tb.as_mut_ptr(),
                        (BRPORT_TB - 1) as i32,
                        protinfo,
                    )
                };
                if r < 0 {
                    return r;
                }
                // SAFETY: `tb` was filled by the parser and lives for the
                // call.
                Some(ProtInfo::Attrs(unsafe {
                    Attrs::from_raw(tb.as_mut_ptr(), BRPORT_TB - 1)
                }))
            } else {
                // SAFETY: `protinfo` points into the request.
                let a = unsafe { Nla::from_raw(protinfo) };
                match a.u8() {
                    Ok(s) => Some(ProtInfo::State(s)),
                    Err(e) => return e.to_errno(),
                }
            }
        };
        let port = is_port.then_some(d);
        match D::bridge_setlink(br, port, info.as_ref(), !afspec.is_null(), &mut ack, rtnl) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }
}

/// The message's header values and the request's filter.
#[derive(Clone, Copy)]
struct Hdr {
    pid: u32,
    seq: u32,
    new: bool,
    nlflags: u32,
    filter_mask: u32,
}

/// Builds one message for `dev` (a port of `br`, or `br`).
///
/// # Safety
///
/// `skb` is a netlink message being built, ours for the call.
unsafe fn fill<D: Driver>(
    skb: *mut bindings::sk_buff,
    h: Hdr,
    br: &Device<D>,
    dev: &NetDevice,
) -> Result {
    let Hdr {
        pid,
        seq,
        new,
        nlflags,
        filter_mask,
    } = h;
    let event = if new {
        bindings::RTM_NEWLINK
    } else {
        bindings::RTM_DELLINK
    };
    let port = (!core::ptr::eq(dev, br.net_device())).then_some(dev);
    // C answers for the bridge itself only when VLANs are asked for.
    let want = bindings::RTEXT_FILTER_BRVLAN | bindings::RTEXT_FILTER_BRVLAN_COMPRESSED;
    if port.is_none() && filter_mask & want == 0 {
        return Ok(());
    }
    // SAFETY: the caller's contract; `dev` is live.
    let nlh = unsafe {
        bindings::rvnet_br_ifinfo_begin(
            skb,
            pid,
            seq,
            event as i32,
            nlflags,
            dev.as_raw(),
            br.ifindex(),
        )
    };
    if nlh.is_null() {
        return Err(super::errno::err(super::errno::EMSGSIZE));
    }
    let mut m = BridgeLinkMsg {
        // SAFETY: the same message, ours for the call.
        msg: unsafe { NlMsg::from_raw(skb) },
        skb,
        new,
        filter_mask,
    };
    match D::bridge_getlink(br, port, &mut m) {
        Ok(true) => {
            // SAFETY: `nlh` was started on `skb` above.
            unsafe { bindings::rvnet_nlmsg_end(skb, nlh) };
            Ok(())
        }
        r => {
            // SAFETY: as above.
            unsafe { bindings::rvnet_nlmsg_cancel(skb, nlh) };
            r.map(|_| ())
        }
    }
}

/// `br_ifinfo_notify`: announces `dev` (a port of `br`, or `br`) to
/// `RTNLGRP_LINK` listeners (`bridge monitor link`); `new` for
/// `RTM_NEWLINK`, else `RTM_DELLINK`. Any context.
pub fn notify<D: Driver>(br: &Device<D>, dev: &NetDevice, new: bool) {
    // SAFETY: allocates a message (GFP_ATOMIC).
    let skb = unsafe { bindings::rvnet_br_ifinfo_alloc() };
    let net = br.net();
    if skb.is_null() {
        // SAFETY: `net` is live.
        unsafe { bindings::rvnet_br_ifinfo_error(net.as_raw(), ENOMEM.to_errno()) };
        return;
    }
    let filter = bindings::RTEXT_FILTER_BRVLAN_COMPRESSED;
    let h = Hdr {
        pid: 0,
        seq: 0,
        new,
        nlflags: 0,
        filter_mask: filter,
    };
    // SAFETY: `skb` is a new message, ours.
    let r = unsafe { fill::<D>(skb, h, br, dev) };
    match r {
        Ok(()) => {
            // SAFETY: `skb` is filled and given to the core.
            unsafe { bindings::rvnet_br_ifinfo_send(skb, net.as_raw()) }
        }
        Err(e) => {
            // SAFETY: `skb` is ours, never sent.
            unsafe {
                bindings::rvnet_kfree_skb_reason(skb, super::skb::DropReason::NotSpecified.raw());
                bindings::rvnet_br_ifinfo_error(net.as_raw(), e.to_errno());
            }
        }
    }
}
