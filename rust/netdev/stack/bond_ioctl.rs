// SPDX-License-Identifier: GPL-2.0

//! The bonding ioctls of a master device: `ndo_siocbond` (`SIOCBONDENSLAVE`,
//! `SIOCBONDRELEASE`, `SIOCBONDSETHWADDR`, `SIOCBONDCHANGEACTIVE`,
//! `SIOCBONDSLAVEINFOQUERY`, `SIOCBONDINFOQUERY`), their legacy
//! `SIOCDEVPRIVATE` numbers (`BOND_*_OLD`, mapped as C's
//! `bond_siocdevprivate`), and the MII ioctls of `ndo_eth_ioctl`
//! (`SIOCGMIIPHY`, `SIOCGMIIREG`, `SIOCSMIIREG`).
//!
//! Kernel rules encoded here: the core calls these hooks under RTNL on a
//! present device of ours (`dev_ifsioc`); the `ifreq` is the kernel's copy
//! (its MII block is copied back to the caller by the core), while
//! `ifr_data` of the two queries is a user pointer, only ever copied from
//! and to (`EFAULT`), in C's order: the whole structure in, the driver's
//! answer, the whole structure out. The commands that name a slave check
//! `CAP_NET_ADMIN` in the bond's namespace (`EPERM`) and look the name up
//! there (`ENODEV`) before the driver sees them, as C's `bond_do_ioctl`;
//! the driver gets the device held for the call. Numbers and layouts come
//! from the bindings.

use super::{bindings, device::NetDevice, errno, rtnl::Rtnl};
use crate::netdev::driver::{Device, Driver};
use kernel::{error::code::*, ffi, prelude::*};

const IFNAMSIZ: usize = 16;

/// `struct ifbond`: the answer to `SIOCBONDINFOQUERY`.
#[derive(Clone, Copy, Debug, Default)]
pub struct IfBond {
    /// `BOND_MODE_*`.
    pub bond_mode: i32,
    /// The number of slaves.
    pub num_slaves: i32,
    /// The MII polling interval (ms).
    pub miimon: i32,
}

/// `struct ifslave`: `SIOCBONDSLAVEINFOQUERY` asks with `slave_id` and gets
/// the rest.
#[derive(Clone, Copy, Debug)]
pub struct IfSlave {
    /// The slave's position in the bond's list (the question).
    pub slave_id: i32,
    name: [u8; IFNAMSIZ],
    /// `BOND_LINK_*`.
    pub link: i8,
    /// `BOND_STATE_ACTIVE` (0) or `BOND_STATE_BACKUP` (1).
    pub state: i8,
    /// The slave's link failures.
    pub link_failure_count: u32,
}

impl IfSlave {
    /// Writes `name` as C's `strcpy` does: the name and its NUL; the bytes
    /// after it keep what the caller passed in.
    pub fn set_name(&mut self, name: &[u8]) {
        let n = name.len().min(IFNAMSIZ - 1);
        self.name[..n].copy_from_slice(&name[..n]);
        self.name[n] = 0;
    }
}

/// One bonding request, with what it carries.
pub enum BondIoctl<'a> {
    /// `SIOCBONDINFOQUERY` (`BOND_INFO_QUERY_OLD`): fill the structure.
    InfoQuery(&'a mut IfBond),
    /// `SIOCBONDSLAVEINFOQUERY` (`BOND_SLAVE_INFO_QUERY_OLD`): fill the
    /// structure for the slave at `slave_id`, `ENODEV` if there is none.
    SlaveInfoQuery(&'a mut IfSlave),
    /// `SIOCBONDENSLAVE` (`BOND_ENSLAVE_OLD`, `ifenslave`).
    Enslave(&'a NetDevice),
    /// `SIOCBONDRELEASE` (`BOND_RELEASE_OLD`, `ifenslave -d`).
    Release(&'a NetDevice),
    /// `SIOCBONDSETHWADDR` (`BOND_SETHWADDR_OLD`): the bond takes the
    /// device's address.
    SetHwAddr(&'a NetDevice),
    /// `SIOCBONDCHANGEACTIVE` (`BOND_CHANGE_ACTIVE_OLD`, `ifenslave -c`).
    ChangeActive(&'a NetDevice),
}

/// `struct mii_ioctl_data`, in the `ifreq` of an MII ioctl.
#[derive(Clone, Copy, Debug, Default)]
pub struct MiiData {
    /// The PHY address.
    pub phy_id: u16,
    /// The register asked for.
    pub reg_num: u16,
    /// The value to write (`SIOCSMIIREG`).
    pub val_in: u16,
    /// The value read.
    pub val_out: u16,
}

/// `BMSR_LSTATUS`: the link-status bit of the basic mode status register
/// (MII register 1).
pub const BMSR_LSTATUS: u16 = bindings::BMSR_LSTATUS as u16;

/// An MII ioctl of `ndo_eth_ioctl`; the others answer `EOPNOTSUPP`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MiiCmd {
    /// `SIOCGMIIPHY`.
    GetPhy,
    /// `SIOCGMIIREG`.
    GetReg,
    /// `SIOCSMIIREG`.
    SetReg,
}

/// Which request a number is, and whether it is a query.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cmd {
    Info,
    SlaveInfo,
    Enslave,
    Release,
    SetHwAddr,
    ChangeActive,
}

impl Cmd {
    fn from_siocbond(cmd: u32) -> Option<Cmd> {
        Some(match cmd {
            bindings::SIOCBONDINFOQUERY => Cmd::Info,
            bindings::SIOCBONDSLAVEINFOQUERY => Cmd::SlaveInfo,
            bindings::SIOCBONDENSLAVE => Cmd::Enslave,
            bindings::SIOCBONDRELEASE => Cmd::Release,
            bindings::SIOCBONDSETHWADDR => Cmd::SetHwAddr,
            bindings::SIOCBONDCHANGEACTIVE => Cmd::ChangeActive,
            _ => return None,
        })
    }

    /// C's `bond_siocdevprivate`.
    fn from_old(cmd: u32) -> Option<Cmd> {
        Some(match cmd {
            bindings::BOND_INFO_QUERY_OLD => Cmd::Info,
            bindings::BOND_SLAVE_INFO_QUERY_OLD => Cmd::SlaveInfo,
            bindings::BOND_ENSLAVE_OLD => Cmd::Enslave,
            bindings::BOND_RELEASE_OLD => Cmd::Release,
            bindings::BOND_SETHWADDR_OLD => Cmd::SetHwAddr,
            bindings::BOND_CHANGE_ACTIVE_OLD => Cmd::ChangeActive,
            _ => return None,
        })
    }
}

/// Copies a `T` from user memory.
///
/// # Safety
///
/// `T` must be plain data for which every bit pattern is valid (a uapi
/// structure of integers).
unsafe fn copy_in<T>(from: *mut ffi::c_void) -> Result<T> {
    let mut v = core::mem::MaybeUninit::<T>::zeroed();
    // SAFETY: `copy_from_user` checks the user range; `v` has room for a `T`.
    let left = unsafe {
        bindings::rvnet_copy_from_user(v.as_mut_ptr().cast(), from, core::mem::size_of::<T>() as _)
    };
    if left != 0 {
        return Err(EFAULT);
    }
    // SAFETY: every byte was written (or zeroed) and any bit pattern is a
    // valid `T` (the caller's contract).
    Ok(unsafe { v.assume_init() })
}

/// Copies `v` to user memory.
fn copy_out<T>(to: *mut ffi::c_void, v: &T) -> Result {
    // SAFETY: `copy_to_user` checks the user range; `v` is a live `T`.
    let left = unsafe {
        bindings::rvnet_copy_to_user(to, (v as *const T).cast(), core::mem::size_of::<T>() as _)
    };
    if left != 0 {
        return Err(EFAULT);
    }
    Ok(())
}

/// The ioctl's result as the core wants it.
fn ret(r: Result) -> ffi::c_int {
    match r {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// The C side of [`Driver::siocbond`] and [`Driver::eth_ioctl`].
pub(crate) struct BondIoctlAdapter<D: Driver>(core::marker::PhantomData<D>);

impl<D: Driver> BondIoctlAdapter<D> {
    /// C's `bond_do_ioctl` around the driver.
    ///
    /// # Safety
    ///
    /// `dev` is a present device of `D`, RTNL is held, `ifr` is the
    /// kernel's `ifreq` of the call and `data` the user pointer of the
    /// queries.
    unsafe fn run(
        dev: *mut bindings::net_device,
        ifr: *mut bindings::ifreq,
        data: *mut ffi::c_void,
        cmd: Cmd,
    ) -> Result {
        // SAFETY: as in the contract.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        match cmd {
            Cmd::Info => {
                // SAFETY: `ifbond` is three integers.
                let mut k: bindings::ifbond = unsafe { copy_in(data)? };
                let mut info = IfBond {
                    bond_mode: k.bond_mode,
                    num_slaves: k.num_slaves,
                    miimon: k.miimon,
                };
                D::siocbond(d, BondIoctl::InfoQuery(&mut info), rtnl)?;
                k.bond_mode = info.bond_mode;
                k.num_slaves = info.num_slaves;
                k.miimon = info.miimon;
                copy_out(data, &k)
            }
            Cmd::SlaveInfo => {
                // SAFETY: `ifslave` is integers and a byte array.
                let mut k: bindings::ifslave = unsafe { copy_in(data)? };
                let mut info = IfSlave {
                    slave_id: k.slave_id,
                    name: k.slave_name,
                    link: k.link,
                    state: k.state,
                    link_failure_count: k.link_failure_count,
                };
                D::siocbond(d, BondIoctl::SlaveInfoQuery(&mut info), rtnl)?;
                k.slave_name = info.name;
                k.link = info.link;
                k.state = info.state;
                k.link_failure_count = info.link_failure_count;
                copy_out(data, &k)
            }
            _ => {
                let net = d.net();
                if !net.admin_capable() {
                    return Err(EPERM);
                }
                // SAFETY: `ifr` is the kernel's copy of the request;
                // `ifru_slave` is a byte array, valid in any state of the
                // union.
                let name: [u8; IFNAMSIZ] = unsafe { *(*ifr).ifr_ifru.ifru_slave.as_ref() };
                let n = name.iter().position(|&c| c == 0).unwrap_or(IFNAMSIZ);
                let slave = NetDevice::get_by_name(net, &name[..n], rtnl).map(|s| s.hold());
                let slave = slave.ok_or(ENODEV)?;
                let req = match cmd {
                    Cmd::Enslave => BondIoctl::Enslave(&slave),
                    Cmd::Release => BondIoctl::Release(&slave),
                    Cmd::SetHwAddr => BondIoctl::SetHwAddr(&slave),
                    _ => BondIoctl::ChangeActive(&slave),
                };
                D::siocbond(d, req, rtnl)
            }
        }
    }

    /// `ndo_siocbond`.
    ///
    /// # Safety
    ///
    /// Only called by `dev_siocbond` (under RTNL, on a present device of
    /// ours) with the kernel's `ifreq`.
    pub(crate) unsafe extern "C" fn siocbond_callback(
        dev: *mut bindings::net_device,
        ifr: *mut bindings::ifreq,
        cmd: ffi::c_int,
    ) -> ffi::c_int {
        let Some(c) = Cmd::from_siocbond(cmd as u32) else {
            return errno::err(errno::EOPNOTSUPP).to_errno();
        };
        // SAFETY: `ifr` is the kernel's copy; `ifru_data` is the user
        // pointer of the queries (a 32-bit caller's was converted by the
        // socket layer), read as a pointer whatever the command.
        let data = unsafe { *(*ifr).ifr_ifru.ifru_data.as_ref() };
        // SAFETY: as in the contract.
        ret(unsafe { Self::run(dev, ifr, data, c) })
    }

    /// `ndo_siocdevprivate`: the legacy numbers (C's `bond_siocdevprivate`:
    /// the queries with `data` as `ifr_data`, the others with the `ifreq`).
    ///
    /// # Safety
    ///
    /// Only called by `dev_siocdevprivate` (under RTNL, on a present device
    /// of ours) with the kernel's `ifreq` and the user pointer `data`.
    pub(crate) unsafe extern "C" fn siocdevprivate_callback(
        dev: *mut bindings::net_device,
        ifr: *mut bindings::ifreq,
        data: *mut ffi::c_void,
        cmd: ffi::c_int,
    ) -> ffi::c_int {
        let Some(c) = Cmd::from_old(cmd as u32) else {
            return errno::err(errno::EOPNOTSUPP).to_errno();
        };
        // SAFETY: as in the contract.
        ret(unsafe { Self::run(dev, ifr, data, c) })
    }

    /// `ndo_eth_ioctl`: the MII block is inside the kernel's `ifreq`
    /// (`if_mii`), which the core copies back for the `SIOCGMII*` commands.
    ///
    /// # Safety
    ///
    /// Only called by `dev_eth_ioctl` (under RTNL, on a present device of
    /// ours) with the kernel's `ifreq`.
    pub(crate) unsafe extern "C" fn eth_ioctl_callback(
        dev: *mut bindings::net_device,
        ifr: *mut bindings::ifreq,
        cmd: ffi::c_int,
    ) -> ffi::c_int {
        let c = match cmd as u32 {
            bindings::SIOCGMIIPHY => MiiCmd::GetPhy,
            bindings::SIOCGMIIREG => MiiCmd::GetReg,
            bindings::SIOCSMIIREG => MiiCmd::SetReg,
            _ => return errno::err(errno::EOPNOTSUPP).to_errno(),
        };
        const {
            assert!(
                core::mem::size_of::<bindings::mii_ioctl_data>()
                    <= core::mem::size_of::<bindings::ifreq__bindgen_ty_2>()
            )
        };
        // SAFETY: `if_mii(ifr)`: the union of the kernel's `ifreq` holds a
        // `mii_ioctl_data` (four `u16`, any bit pattern valid; size checked
        // above, alignment 2 within the 8-aligned union).
        let mii = unsafe {
            &mut *core::ptr::addr_of_mut!((*ifr).ifr_ifru).cast::<bindings::mii_ioctl_data>()
        };
        let mut m = MiiData {
            phy_id: mii.phy_id,
            reg_num: mii.reg_num,
            val_in: mii.val_in,
            val_out: mii.val_out,
        };
        // SAFETY: as in the contract.
        let (d, rtnl) = unsafe { (Device::<D>::from_raw(dev), Rtnl::assume_held()) };
        let r = D::eth_ioctl(d, c, &mut m, rtnl);
        mii.phy_id = m.phy_id;
        mii.reg_num = m.reg_num;
        mii.val_in = m.val_in;
        mii.val_out = m.val_out;
        ret(r)
    }
}
