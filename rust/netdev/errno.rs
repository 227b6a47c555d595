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

/// The `Error` for a positive errno value.
pub fn err(errno: u32) -> Error {
    Error::from_errno(-(errno as i32))
}
