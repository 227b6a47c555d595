// SPDX-License-Identifier: GPL-2.0

//! Error numbers that the 6.12 `kernel` crate does not name.

use super::bindings;
use kernel::error::Error;

/// `EMSGSIZE`: message too long (netlink message full).
pub const EMSGSIZE: u32 = bindings::EMSGSIZE;
/// `EADDRNOTAVAIL`: cannot assign the requested address.
pub const EADDRNOTAVAIL: u32 = bindings::EADDRNOTAVAIL;
/// `EOPNOTSUPP`: operation not supported.
pub const EOPNOTSUPP: u32 = bindings::EOPNOTSUPP;
/// `ELOOP`: too many levels of nesting (device loops).
pub const ELOOP: u32 = bindings::ELOOP;
/// `ENOTEMPTY`: e.g. a bond option that needs a bond without slaves.
pub const ENOTEMPTY: u32 = bindings::ENOTEMPTY;
/// `EUNATCH`: no slave attached (TEQL's open).
pub const EUNATCH: u32 = bindings::EUNATCH;
/// `ENETDOWN`: the lower device is down.
pub const ENETDOWN: u32 = bindings::ENETDOWN;
/// `EPROTONOSUPPORT`: e.g. a VLAN protocol other than 802.1Q/802.1ad.
pub const EPROTONOSUPPORT: u32 = bindings::EPROTONOSUPPORT;

/// `EXFULL`: exchange full (a bridge out of port numbers).
pub const EXFULL: u32 = bindings::EXFULL;

/// `ERANGE`: a bridge time out of its range.
pub const ERANGE: u32 = bindings::ERANGE;

/// The `Error` for a positive errno value.
pub fn err(errno: u32) -> Error {
    Error::from_errno(-(errno as i32))
}

/// `to_result` inline, for per-packet calls: the `kernel` crate's is an
/// out-of-line call from another crate. `Err` for a negative `ret`.
#[inline(always)]
pub(crate) fn check(ret: kernel::ffi::c_int) -> kernel::error::Result {
    if ret < 0 {
        Err(Error::from_errno(ret))
    } else {
        Ok(())
    }
}
