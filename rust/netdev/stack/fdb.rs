// SPDX-License-Identifier: GPL-2.0

//! A master's forwarding database as rtnetlink sees it (`bridge fdb
//! add/del/show/get`, `bridge monitor fdb`): the `ndo_fdb_*` hooks of a
//! bridge and its neighbour messages (`RTM_NEWNEIGH`/`RTM_DELNEIGH` of
//! family `AF_BRIDGE`).
//!
//! Kernel rules encoded here:
//! - built-in rtnetlink dispatches `bridge fdb add/del ... master` for a
//!   device with `IFF_BRIDGE_PORT` to its master's `ndo_fdb_add`/`del`
//!   **without checking that the hook exists**, dumps through the master's
//!   `ndo_fdb_dump` (filtering on the port) after dereferencing the master,
//!   and `fdb get` through the master: so a device is made a bridge port
//!   (`UpperLink::new_bridge_port`) and a bridge master
//!   (`Setup::bridge_master`) only for a driver that implements all four
//!   hooks, which is checked at compile time (an inline `const` assertion on
//!   the vtable's `HAS_FDB_*`), and the port flag exists only while the master
//!   link does;
//! - requests run under RTNL; a dump is resumed through the callback's
//!   index (`cb->args[2]`): [`FdbDump::entry`] skips what an earlier part
//!   sent and stops at a full message;
//! - notifications may be sent from any context (learning runs in
//!   softirq): they allocate with `GFP_ATOMIC` and report failures to the
//!   listeners (`rtnl_set_sk_err`).

use super::{
    bindings,
    device::{Net, NetDevice},
    driver::{Adapter, Device, Driver},
    nla::ExtAck,
    rcu::RcuGuard,
    rtnl::Rtnl,
};
use kernel::{error::to_result, ffi, prelude::*, types::ARef};

/// `NUD_*` states of a neighbour message.
pub mod nud {
    use super::bindings as b;
    /// `NUD_PERMANENT`: a local address (delivered up).
    pub const PERMANENT: u16 = b::NUD_PERMANENT as u16;
    /// `NUD_NOARP`: static (forwarded, never ages).
    pub const NOARP: u16 = b::NUD_NOARP as u16;
    /// `NUD_REACHABLE`: dynamic, fresh.
    pub const REACHABLE: u16 = b::NUD_REACHABLE as u16;
    /// `NUD_STALE`: dynamic, older than the ageing time.
    pub const STALE: u16 = b::NUD_STALE as u16;
}

/// `NTF_*` flags (`ndm_flags`) and `NTF_EXT_*` (`NDA_FLAGS_EXT`).
pub mod ntf {
    use super::bindings as b;
    /// `NTF_USE`.
    pub const USE: u8 = b::NTF_USE as u8;
    /// `NTF_SELF`.
    pub const SELF: u8 = b::NTF_SELF as u8;
    /// `NTF_MASTER`.
    pub const MASTER: u8 = b::NTF_MASTER as u8;
    /// `NTF_EXT_LEARNED`.
    pub const EXT_LEARNED: u8 = b::NTF_EXT_LEARNED as u8;
    /// `NTF_OFFLOADED`.
    pub const OFFLOADED: u8 = b::NTF_OFFLOADED as u8;
    /// `NTF_STICKY`.
    pub const STICKY: u8 = b::NTF_STICKY as u8;
    /// `NTF_EXT_LOCKED` (in `NDA_FLAGS_EXT`).
    pub const EXT_LOCKED: u32 = b::NTF_EXT_LOCKED;
}

/// `NLM_F_CREATE`.
pub const NLM_F_CREATE: u16 = bindings::NLM_F_CREATE as u16;
/// `NLM_F_EXCL`.
pub const NLM_F_EXCL: u16 = bindings::NLM_F_EXCL as u16;

/// An `ndo_fdb_add`/`ndo_fdb_del` request (the core has checked the
/// address length, the device type and the VLAN id).
pub struct FdbReq<'a> {
    /// The device named in the request: a port of the bridge, or the
    /// bridge itself.
    pub dev: &'a NetDevice,
    /// `NDA_LLADDR`.
    pub addr: [u8; 6],
    /// `NDA_VLAN`, 0 if absent.
    pub vid: u16,
    /// `ndm_state` (`nud::*`).
    pub state: u16,
    /// `ndm_flags` (`ntf::*`).
    pub flags: u8,
    /// The request's `nlmsg_flags` (`NLM_F_CREATE`, `NLM_F_EXCL`, ...).
    pub nlh_flags: u16,
    /// `NDA_FLAGS_EXT`, if present.
    pub ext_flags: Option<u32>,
}

/// One FDB entry as a neighbour message (C: `fdb_fill_info`).
#[derive(Clone, Copy)]
pub struct FdbMsg {
    /// The address.
    pub addr: [u8; 6],
    /// Its VLAN (0: none, no `NDA_VLAN`).
    pub vid: u16,
    /// `ndm_state` (`nud::*`).
    pub state: u16,
    /// `ndm_flags` (`ntf::*`).
    pub flags: u8,
    /// `ndm_ifindex`: the port's (or the bridge's).
    pub ifindex: i32,
    /// `NDA_MASTER`: the bridge's ifindex.
    pub master: i32,
    /// `NDA_FLAGS_EXT`.
    pub ext_flags: u32,
    /// `NDA_CACHEINFO` `ndm_used` (clock_t since last use).
    pub used: u32,
    /// `NDA_CACHEINFO` `ndm_updated`.
    pub updated: u32,
}

impl FdbMsg {
    fn raw(&self) -> bindings::rvnet_fdb_msg {
        bindings::rvnet_fdb_msg {
            addr: self.addr,
            vid: self.vid,
            state: self.state,
            ndm_flags: self.flags,
            ifindex: self.ifindex,
            master: self.master,
            ext_flags: self.ext_flags,
            used: self.used,
            updated: self.updated,
        }
    }

    /// Sends it to `RTNLGRP_NEIGH` listeners (`fdb_notify`): `new` for
    /// `RTM_NEWNEIGH`, else `RTM_DELNEIGH`. Any context.
    pub fn notify(&self, net: &Net, new: bool) {
        let ty = if new {
            bindings::RTM_NEWNEIGH
        } else {
            bindings::RTM_DELNEIGH
        };
        let m = self.raw();
        // SAFETY: `net` is live; the helper copies `m` into a new message
        // allocated with GFP_ATOMIC.
        unsafe { bindings::rvnet_fdb_notify(net.as_raw(), &m, ty as i32) };
    }
}

/// A running `ndo_fdb_dump`: the message being filled and the resume
/// index.
pub struct FdbDump<'a> {
    skb: *mut bindings::sk_buff,
    cb: *mut bindings::netlink_callback,
    idx: &'a mut ffi::c_int,
}

impl FdbDump<'_> {
    /// Adds `m` (or skips it, if an earlier part of the dump sent it);
    /// `Err` when the message is full: stop and return it.
    pub fn entry(&mut self, m: &FdbMsg) -> Result {
        let r = m.raw();
        // SAFETY: `skb` and `cb` are the dump's, valid for the callback;
        // `idx` is its index.
        to_result(unsafe { bindings::rvnet_fdb_dump_entry(self.skb, self.cb, self.idx, &r) })
    }

    /// The device's own unicast and multicast address lists
    /// (`ndo_dflt_fdb_dump`), as C's bridge adds for itself.
    pub fn default_entries(&mut self, dev: &NetDevice) -> Result {
        // SAFETY: as above; `dev` is live.
        to_result(unsafe {
            bindings::rvnet_fdb_dflt_dump(self.skb, self.cb, dev.as_raw(), self.idx)
        })
    }
}

/// The reply to `ndo_fdb_get`: one entry.
pub struct FdbReply {
    skb: *mut bindings::sk_buff,
    portid: u32,
    seq: u32,
}

impl FdbReply {
    /// Fills the reply with `m` (`RTM_NEWNEIGH`).
    pub fn entry(self, m: &FdbMsg) -> Result {
        let r = m.raw();
        // SAFETY: the reply skb is ours for the callback.
        to_result(unsafe {
            bindings::rvnet_fdb_fill(
                self.skb,
                &r,
                self.portid,
                self.seq,
                bindings::RTM_NEWNEIGH as i32,
                0,
            )
        })
    }
}

/// The `ndo_fdb_*` hooks of a driver, in [`Driver`]: see there.
impl<D: Driver> Adapter<D> {
    /// Whether `D` has every hook the stack calls unchecked for a bridge
    /// and its ports.
    pub(crate) const HAS_FDB_OPS: bool =
        D::HAS_FDB_ADD && D::HAS_FDB_DEL && D::HAS_FDB_DUMP && D::HAS_FDB_GET;

    fn req<'a>(
        ndm: *mut bindings::ndmsg,
        tb: *mut *mut bindings::nlattr,
        dev: &'a NetDevice,
        addr: *const u8,
        vid: u16,
        nlh_flags: u16,
    ) -> FdbReq<'a> {
        let mut a = [0u8; 6];
        let mut ext = 0u32;
        // SAFETY: the core passes its `ndmsg`, the parsed `NDA_*` table and
        // a 6-byte address (checked for Ethernet devices).
        let (state, flags, has_ext) = unsafe {
            core::ptr::copy_nonoverlapping(addr, a.as_mut_ptr(), 6);
            (
                (*ndm).ndm_state,
                (*ndm).ndm_flags,
                bindings::rvnet_nda_flags_ext(tb, &mut ext),
            )
        };
        FdbReq {
            dev,
            addr: a,
            vid,
            state,
            flags,
            nlh_flags,
            ext_flags: has_ext.then_some(ext),
        }
    }

    /// The common part of `ndo_fdb_add`/`ndo_fdb_del`: finds the bridge
    /// of the named device and hands it the request.
    ///
    /// # Safety
    ///
    /// Called from those hooks with their arguments, under RTNL.
    unsafe fn fdb_request(
        dev: *mut bindings::net_device,
        extack: *mut bindings::netlink_ext_ack,
        req: impl for<'a> FnOnce(&'a NetDevice) -> FdbReq<'a>,
        op: fn(&Device<D>, &FdbReq<'_>, &mut ExtAck, &mut Rtnl) -> Result,
    ) -> ffi::c_int {
        // SAFETY: `dev` is the port or the bridge named by the request;
        // for a port the bridge is its master (`IFF_BRIDGE_PORT`): the ops
        // table is the master's. RTNL is held.
        let (d, mut ack, rtnl) = unsafe {
            (
                NetDevice::from_raw(dev),
                ExtAck::from_raw(extack),
                Rtnl::assume_held(),
            )
        };
        let Some(held) = bridge_of::<D>(d, rtnl) else {
            return EINVAL.to_errno();
        };
        let Some(br) = held.downcast::<D>() else {
            return EINVAL.to_errno();
        };
        let req = req(d);
        match op(br, &req, &mut ack, rtnl) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by rtnetlink (`rtnl_fdb_add`, under RTNL) through the
    /// ops table of a device of `D`, with its C contract's arguments.
    pub(crate) unsafe extern "C" fn fdb_add_callback(
        ndm: *mut bindings::ndmsg,
        tb: *mut *mut bindings::nlattr,
        dev: *mut bindings::net_device,
        addr: *const u8,
        vid: u16,
        flags: u16,
        extack: *mut bindings::netlink_ext_ack,
    ) -> ffi::c_int {
        // SAFETY: the hook's own arguments, under RTNL.
        unsafe {
            Self::fdb_request(
                dev,
                extack,
                |d| Self::req(ndm, tb, d, addr, vid, flags),
                D::fdb_add,
            )
        }
    }

    /// # Safety
    ///
    /// As for `fdb_add_callback` (`rtnl_fdb_del`).
    pub(crate) unsafe extern "C" fn fdb_del_callback(
        ndm: *mut bindings::ndmsg,
        tb: *mut *mut bindings::nlattr,
        dev: *mut bindings::net_device,
        addr: *const u8,
        vid: u16,
        extack: *mut bindings::netlink_ext_ack,
    ) -> ffi::c_int {
        // SAFETY: the hook's own arguments, under RTNL.
        unsafe {
            Self::fdb_request(
                dev,
                extack,
                |d| Self::req(ndm, tb, d, addr, vid, 0),
                D::fdb_del,
            )
        }
    }

    /// # Safety
    ///
    /// Only called by rtnetlink's `rtnl_fdb_dump` with a device of `D`
    /// (the bridge), its dump state and an optional filter device.
    pub(crate) unsafe extern "C" fn fdb_dump_callback(
        skb: *mut bindings::sk_buff,
        cb: *mut bindings::netlink_callback,
        dev: *mut bindings::net_device,
        filter_dev: *mut bindings::net_device,
        idx: *mut ffi::c_int,
    ) -> ffi::c_int {
        // SAFETY: `dev` is ours (these are its ops); `filter_dev` is null
        // or a live device; `idx` is the dump's index.
        let (d, filter, idx) = unsafe {
            (
                Device::<D>::from_raw(dev),
                (!filter_dev.is_null()).then(|| NetDevice::from_raw(filter_dev)),
                &mut *idx,
            )
        };
        let mut dump = FdbDump { skb, cb, idx };
        let rcu = RcuGuard::new();
        match D::fdb_dump(d, filter, &mut dump, &rcu) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only called by rtnetlink's `rtnl_fdb_get` (under RTNL) with a device
    /// of `D` (the bridge, also when a port was named).
    pub(crate) unsafe extern "C" fn fdb_get_callback(
        skb: *mut bindings::sk_buff,
        _tb: *mut *mut bindings::nlattr,
        dev: *mut bindings::net_device,
        addr: *const u8,
        vid: u16,
        portid: u32,
        seq: u32,
        extack: *mut bindings::netlink_ext_ack,
    ) -> ffi::c_int {
        let mut a = [0u8; 6];
        // SAFETY: `dev` is ours; `addr` has 6 bytes (checked by the core);
        // the reply skb is ours to fill.
        let (d, mut ack) = unsafe {
            core::ptr::copy_nonoverlapping(addr, a.as_mut_ptr(), 6);
            (Device::<D>::from_raw(dev), ExtAck::from_raw(extack))
        };
        let reply = FdbReply { skb, portid, seq };
        let rcu = RcuGuard::new();
        match D::fdb_get(d, &a, vid, reply, &mut ack, &rcu) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }
}

/// The bridge a request is for, held (the request may change what RTNL
/// protects): the device itself if it is one of `D`'s, else its master if
/// that is one of `D`'s (the FDB and the `AF_BRIDGE` link hooks).
pub(super) fn bridge_of<D: Driver>(dev: &NetDevice, rtnl: &Rtnl) -> Option<ARef<NetDevice>> {
    if dev.downcast::<D>().is_some() {
        return Some(dev.hold());
    }
    let m = dev.master_upper(rtnl)?;
    m.downcast::<D>().map(|_| m.hold())
}

/// Checks at build time that `D` implements every `ndo_fdb_*` hook the
/// stack calls for a bridge or a bridge port (`Setup::bridge_master`,
/// `UpperLink::new_bridge_port`).
pub(crate) fn assert_fdb_ops<D: Driver>() {
    const {
        assert!(
            Adapter::<D>::HAS_FDB_OPS,
            "a bridge master must implement fdb_add, fdb_del, fdb_dump and fdb_get"
        )
    };
}
