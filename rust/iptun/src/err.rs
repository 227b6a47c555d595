// SPDX-License-Identifier: GPL-2.0

//! The errors the tunnel code returns, as C errno values.

/// An error of the tunnel logic; each variant is the errno C returns
/// (negated, as `-EINVAL` etc.) at the mirrored spot. The kernel side maps
/// it with [`TunErr::to_errno`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TunErr {
    /// `EPERM` (1): not permitted (e.g. deleting the fallback device).
    Perm,
    /// `ENOENT` (2): no such tunnel.
    NoEnt,
    /// `ENXIO` (6): no such entry (a PRL address to change or delete).
    NxIo,
    /// `E2BIG` (7): packet too big for the path MTU (`tnl_update_pmtu`).
    TooBig,
    /// `EFAULT` (14): the user copy failed or the parameters cannot be
    /// represented in the old uapi (`ip_tunnel_parm_to_user` false).
    Fault,
    /// `EEXIST` (17): a tunnel with these parameters already exists.
    Exist,
    /// `EINVAL` (22): invalid parameters.
    Inval,
    /// `ERANGE` (34): out of range.
    Range,
    /// `EOVERFLOW` (75): flags not representable as `__be16`
    /// (`ipgre_tunnel_ctl`).
    Overflow,
    /// `ENOBUFS` (105): creating the tunnel failed (`ipip6_tunnel_add`).
    NoBufs,
}

impl TunErr {
    /// The negative errno C returns for this error (`-EINVAL` is `-22`).
    pub const fn to_errno(self) -> i32 {
        match self {
            TunErr::Perm => -1,
            TunErr::NoEnt => -2,
            TunErr::NxIo => -6,
            TunErr::TooBig => -7,
            TunErr::Fault => -14,
            TunErr::Exist => -17,
            TunErr::Inval => -22,
            TunErr::Range => -34,
            TunErr::Overflow => -75,
            TunErr::NoBufs => -105,
        }
    }
}
