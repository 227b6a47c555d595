// SPDX-License-Identifier: GPL-2.0

//! Kernel log lines of network drivers: `net_ratelimit()` and the
//! `net_*_ratelimited` printers built on it (include/linux/net.h), so that
//! a packet stream cannot flood the log.

use crate::netdev::{bindings, device::NetDevice};

/// `net_ratelimit()`: whether a networking message may be printed now
/// (the budget every `net_*_ratelimited` line shares, the
/// `net.core.message_cost` and `message_burst` sysctls).
#[inline]
pub fn net_ratelimit() -> bool {
    // SAFETY: `net_ratelimit` takes no arguments and may be called from any
    // context (it takes a raw spinlock with interrupts off, or gives up).
    unsafe { bindings::net_ratelimit() != 0 }
}

/// `net_info_ratelimited()`: `pr_info!` if [`net_ratelimit`] allows.
#[macro_export]
macro_rules! net_info_ratelimited {
    ($($arg:tt)*) => {
        if $crate::netdev::log::net_ratelimit() {
            ::kernel::pr_info!($($arg)*);
        }
    };
}

/// `net_warn_ratelimited()`: `pr_warn!` if [`net_ratelimit`] allows.
#[macro_export]
macro_rules! net_warn_ratelimited {
    ($($arg:tt)*) => {
        if $crate::netdev::log::net_ratelimit() {
            ::kernel::pr_warn!($($arg)*);
        }
    };
}

/// The level of [`netdev_err!`] (`KERN_ERR`).
#[doc(hidden)]
pub const KERN_ERR: &core::ffi::CStr = c"\x013";

/// The level of [`netdev_warn!`] (`KERN_WARNING`).
#[doc(hidden)]
pub const KERN_WARNING: &core::ffi::CStr = c"\x014";

/// `netdev_printk()`: a line prefixed as C's `netdev_err()` and friends
/// prefix it (the device's name, or driver and bus name of a device with a
/// parent), formatted by Rust without allocation (`%pA`). Use
/// [`netdev_err!`].
#[doc(hidden)]
pub fn netdev_print(
    level: &'static core::ffi::CStr,
    dev: &NetDevice,
    args: core::fmt::Arguments<'_>,
) {
    // SAFETY: a live device; `level` and the format are NUL-terminated
    // static strings; `%pA` reads the `fmt::Arguments` passed by address,
    // live for the call.
    unsafe {
        bindings::netdev_printk(
            level.as_ptr().cast(),
            dev.as_raw(),
            c"%pA".as_ptr().cast(),
            &args as *const core::fmt::Arguments<'_> as *const kernel::ffi::c_void,
        )
    }
}

/// `netdev_err()`: `netdev_err!(dev, "fmt\n", args...)` for a
/// [`NetDevice`] (`bond0: ...`).
#[macro_export]
macro_rules! netdev_err {
    ($dev:expr, $($arg:tt)*) => {
        $crate::netdev::log::netdev_print(
            $crate::netdev::log::KERN_ERR,
            $dev,
            ::core::format_args!($($arg)*),
        )
    };
}

/// `netdev_warn()`: as [`netdev_err!`] at warning level.
#[macro_export]
macro_rules! netdev_warn {
    ($dev:expr, $($arg:tt)*) => {
        $crate::netdev::log::netdev_print(
            $crate::netdev::log::KERN_WARNING,
            $dev,
            ::core::format_args!($($arg)*),
        )
    };
}
