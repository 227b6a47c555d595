// SPDX-License-Identifier: GPL-2.0

//! The bridge ioctls: `brctl addbr/delbr` (`SIOCBRADDBR`/`SIOCBRDELBR`,
//! and the older `SIOCSIFBR` `BRCTL_ADD_BRIDGE`/`BRCTL_DEL_BRIDGE`,
//! `BRCTL_GET_VERSION`, `BRCTL_GET_BRIDGES`) and `brctl addif/delif`
//! (`SIOCBRADDIF`/`SIOCBRDELIF`), answered as C's `br_ioctl_stub`.
//!
//! Kernel rules: the kernel has one bridge ioctl hook (`brioctl_set`),
//! called under its mutex; clearing it waits for running calls, so the
//! registration it points to lives until then. Every command runs under
//! RTNL, the capability checks come where C has them, user memory is only
//! copied. The bridges are devices of the kind `D` (C `bridge.ko`, the
//! only other user of the hook, cannot be loaded beside it: see
//! `module_veto`).

use super::{
    bindings,
    device::{Net, NetDevice},
    errno,
    hook_owner::HookOwner,
    link::{Link, LinkRegistration},
    nla::ExtAck,
    rcu::RcuGuard,
    rtnl::{Rtnl, RtnlGuard},
};
use crate::netdev::driver::Device;
use kernel::{alloc::KBox, alloc::KVec, error::code::*, ffi, prelude::*};

/// A user buffer an ioctl's arguments point to (`args[1]` of the legacy
/// bridge commands): only ever copied to, with `copy_to_user`'s checks
/// (`EFAULT` for a bad address).
pub struct UserPtr(u64);

impl UserPtr {
    pub(crate) fn new(addr: u64) -> Self {
        UserPtr(addr)
    }

    /// Copies `bytes` to the buffer at byte `offset`.
    pub fn write(&self, offset: usize, bytes: &[u8]) -> Result {
        let to = (self.0 as usize).wrapping_add(offset) as *mut ffi::c_void;
        // SAFETY: `copy_to_user` checks the user range itself and copies
        // from our slice.
        if unsafe { bindings::rvnet_copy_to_user(to, bytes.as_ptr().cast(), bytes.len() as _) } != 0
        {
            return Err(EFAULT);
        }
        Ok(())
    }
}

/// A bridge link kind that also answers the bridge ioctls.
pub trait BridgeIoctl: Link {
    /// The private data of a bridge made by `brctl addbr` (C's defaults,
    /// as `ip link add NAME type bridge`).
    fn ioctl_data() -> Result<Self::Data>;

    /// `brctl addif` (`add`) or `delif`: `port` joins or leaves `dev` (C:
    /// `br_add_if`, `br_del_if`). An ioctl has no extended ack: `extack`
    /// takes messages and drops them.
    fn add_del_if(
        dev: &Device<Self>,
        port: &NetDevice,
        add: bool,
        extack: &mut ExtAck,
        rtnl: &mut Rtnl,
    ) -> Result;
}

/// `BRCTL_ADD_IF`, the legacy `SIOCDEVPRIVATE` command of `brctl addif`.
pub const BRCTL_ADD_IF: u64 = bindings::BRCTL_ADD_IF as u64;
/// `BRCTL_DEL_IF`.
pub const BRCTL_DEL_IF: u64 = bindings::BRCTL_DEL_IF as u64;

/// The one registration allowed (the kernel has one hook).
static HOOK_OWNER: HookOwner = HookOwner::new();

const IFNAMSIZ: usize = 16;

/// Owns the link kind and installs the bridge ioctl hook for it; dropping
/// it removes the hook first, then unregisters the kind.
pub struct BridgeIoctlRegistration<D: BridgeIoctl> {
    // Kept alive for the hook, which points into it; dropped last.
    _link: KBox<LinkRegistration<D>>,
}

/// A NUL-terminated name buffer's name.
fn name_of(buf: &[u8; IFNAMSIZ]) -> &[u8] {
    let n = buf.iter().position(|&c| c == 0).unwrap_or(IFNAMSIZ);
    &buf[..n]
}

impl<D: BridgeIoctl> BridgeIoctlRegistration<D> {
    /// Installs the hook; `EBUSY` if this module already has one.
    pub fn new(link: LinkRegistration<D>) -> Result<Self> {
        let link = HOOK_OWNER.claim(link)?;
        // SAFETY: the hook reads `HOOK_OWNER`, which points to `link`, alive
        // until `drop` clears the hook (under the hook mutex) first.
        unsafe { bindings::rvnet_brioctl_set(Some(Self::hook)) };
        Ok(BridgeIoctlRegistration { _link: link })
    }

    /// Copies a name (`IFNAMSIZ` bytes) from user memory.
    fn user_name(uarg: *mut ffi::c_void) -> Result<[u8; IFNAMSIZ]> {
        let mut buf = [0u8; IFNAMSIZ];
        // SAFETY: copies from the user pointer into our buffer.
        if unsafe { bindings::rvnet_copy_from_user(buf.as_mut_ptr().cast(), uarg, IFNAMSIZ as _) }
            != 0
        {
            return Err(EFAULT);
        }
        buf[IFNAMSIZ - 1] = 0;
        Ok(buf)
    }

    /// `br_add_bridge`: a bridge named `name` (which may hold `%d`).
    fn add_bridge(net: &Net, link: &LinkRegistration<D>, name: &[u8], rtnl: &mut Rtnl) -> Result {
        link.create(net, name, D::ioctl_data()?, rtnl).map(|_| ())
    }

    /// `br_del_bridge`: `ENXIO` if there is no such device, `EPERM` if it
    /// is no bridge, `EBUSY` while it is up.
    fn del_bridge(net: &Net, name: &[u8], rtnl: &mut Rtnl) -> Result {
        let dev = NetDevice::get_by_name(net, name, rtnl).map(|d| d.hold());
        let dev = dev.ok_or(ENXIO)?;
        let br = dev.downcast::<D>().ok_or(EPERM)?;
        if br.is_up() {
            return Err(EBUSY);
        }
        br.delete(rtnl);
        Ok(())
    }

    /// `old_deviceless` (`SIOCGIFBR`/`SIOCSIFBR`): `args` is
    /// `unsigned long[3]` in user memory.
    fn deviceless(
        net: &Net,
        link: &LinkRegistration<D>,
        uarg: *mut ffi::c_void,
        rtnl: &mut Rtnl,
    ) -> Result<i32> {
        let mut args = [0u64; 4];
        // SAFETY: the helper copies `unsigned long[3]` from the user
        // pointer (a 32-bit caller's too) into `args`.
        let r = unsafe { bindings::rvnet_read_uargs(uarg, args.as_mut_ptr(), 3) };
        if r != 0 {
            return Err(Error::from_errno(r));
        }
        let argp = UserPtr::new(args[1]);
        match args[0] as u32 {
            bindings::BRCTL_GET_VERSION => Ok(bindings::BRCTL_VERSION as i32),
            bindings::BRCTL_GET_BRIDGES => {
                if args[2] >= 2048 {
                    return Err(ENOMEM);
                }
                let num = args[2] as usize;
                let mut idx = KVec::<i32>::with_capacity(num, GFP_KERNEL)?;
                let rcu = RcuGuard::new();
                for d in NetDevice::for_each_rcu(net, &rcu) {
                    if idx.len() >= num {
                        break;
                    }
                    if d.downcast::<D>().is_some() {
                        idx.push(d.ifindex(), GFP_ATOMIC)?;
                    }
                }
                drop(rcu);
                let mut bytes = KVec::with_capacity(idx.len() * 4, GFP_KERNEL)?;
                for i in idx.iter() {
                    bytes.extend_from_slice(&i.to_ne_bytes(), GFP_KERNEL)?;
                }
                argp.write(0, &bytes)?;
                Ok(idx.len() as i32)
            }
            c @ (bindings::BRCTL_ADD_BRIDGE | bindings::BRCTL_DEL_BRIDGE) => {
                if !net.admin_capable() {
                    return Err(EPERM);
                }
                let buf = Self::user_name(args[1] as usize as *mut ffi::c_void)?;
                if c == bindings::BRCTL_ADD_BRIDGE {
                    Self::add_bridge(net, link, name_of(&buf), rtnl)?;
                } else {
                    Self::del_bridge(net, name_of(&buf), rtnl)?;
                }
                Ok(0)
            }
            _ => Err(errno::err(errno::EOPNOTSUPP)),
        }
    }

    /// # Safety
    ///
    /// Only called by the socket layer (`br_ioctl_call`) with a live
    /// namespace and a user pointer, under the hook mutex.
    unsafe extern "C" fn hook(
        net: *mut bindings::net,
        cmd: ffi::c_uint,
        uarg: *mut ffi::c_void,
    ) -> ffi::c_int {
        // SAFETY: this is the hook the slot was claimed for.
        let Some(link) = (unsafe { HOOK_OWNER.get::<D>() }) else {
            return ENODEV.to_errno();
        };
        // SAFETY: the socket layer passes a live namespace.
        let net = unsafe { Net::from_raw(net) };
        let mut port_req = None;
        if cmd == bindings::SIOCBRADDIF || cmd == bindings::SIOCBRDELIF {
            if !net.admin_capable() {
                return EPERM.to_errno();
            }
            let mut name = [0u8; IFNAMSIZ];
            let mut ifindex = 0;
            // SAFETY: the helper copies the user's `ifreq` into its own.
            let r = unsafe {
                bindings::rvnet_bridge_ifreq(uarg, name.as_mut_ptr().cast(), &mut ifindex)
            };
            if r != 0 {
                return r;
            }
            port_req = Some((name, ifindex));
        }
        let mut g = RtnlGuard::lock();
        let rtnl = g.token();
        let r = match cmd {
            bindings::SIOCGIFBR | bindings::SIOCSIFBR => Self::deviceless(net, link, uarg, rtnl),
            bindings::SIOCBRADDBR | bindings::SIOCBRDELBR => (|| {
                if !net.admin_capable() {
                    return Err(EPERM);
                }
                let buf = Self::user_name(uarg)?;
                if cmd == bindings::SIOCBRADDBR {
                    Self::add_bridge(net, link, name_of(&buf), rtnl)?;
                } else {
                    Self::del_bridge(net, name_of(&buf), rtnl)?;
                }
                Ok(0)
            })(),
            bindings::SIOCBRADDIF | bindings::SIOCBRDELIF => (|| {
                let (name, ifindex) = port_req.ok_or(EINVAL)?;
                let br = NetDevice::get_by_name(net, name_of(&name), rtnl).map(|d| d.hold());
                // SAFETY: a live device (held).
                let br = br
                    .filter(|d| unsafe { bindings::rvnet_netif_device_present(d.as_raw()) })
                    .ok_or(ENODEV)?;
                let br = br.downcast::<D>().ok_or(errno::err(errno::EOPNOTSUPP))?;
                add_del_if(br, ifindex, cmd == bindings::SIOCBRADDIF, rtnl)?;
                Ok(0)
            })(),
            _ => Err(errno::err(errno::EOPNOTSUPP)),
        };
        match r {
            Ok(v) => v,
            Err(e) => e.to_errno(),
        }
    }
}

/// C's `add_del_if` (`SIOCBRADDIF`/`SIOCBRDELIF`, and the legacy
/// `BRCTL_ADD_IF`/`BRCTL_DEL_IF` of `ndo_siocdevprivate`): `EPERM` without
/// `CAP_NET_ADMIN` in the bridge's namespace, `EINVAL` if no device has
/// `ifindex`, else the driver's add or del.
pub fn add_del_if<D: BridgeIoctl>(
    br: &Device<D>,
    ifindex: i32,
    add: bool,
    rtnl: &mut Rtnl,
) -> Result {
    if !br.net().admin_capable() {
        return Err(EPERM);
    }
    let port = NetDevice::get_by_index(br.net(), ifindex, rtnl).map(|d| d.hold());
    let port = port.ok_or(EINVAL)?;
    D::add_del_if(br, &port, add, &mut ExtAck::discard(), rtnl)
}

impl<D: BridgeIoctl> Drop for BridgeIoctlRegistration<D> {
    fn drop(&mut self) {
        // SAFETY: clearing takes the hook mutex, so no call is in flight
        // afterwards.
        unsafe { bindings::rvnet_brioctl_set(None) };
        HOOK_OWNER.release();
        // Then the kind goes (the `_link` field), deleting every bridge.
        super::rcu::barrier_deferred();
    }
}
