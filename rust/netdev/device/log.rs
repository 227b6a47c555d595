// SPDX-License-Identifier: GPL-2.0

//! Kernel log lines of network drivers: `net_ratelimit()` and the
//! `net_*_ratelimited` printers built on it (include/linux/net.h), so that
//! a packet stream cannot flood the log; `netdev_printk()`'s lines
//! (`netdev_err!`..., and bonding's `slave_err!`...); `printk()` without a
//! module prefix, for a C file without `pr_fmt` (`printk_err!`...).

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

/// A `KERN_*` level of the printers below: only these, so that a level
/// is always a `KERN_*` string (`netdev_printk()` reads its digit) and the
/// `printk()` format built on it takes one `%pA`.
#[doc(hidden)]
pub struct Level {
    kern: &'static core::ffi::CStr,
    /// The level then `%pA` (C's `KERN_ERR "%pA"`).
    fmt: &'static core::ffi::CStr,
}

impl Level {
    /// `KERN_ERR`.
    pub const ERR: Level = Level {
        kern: c"\x013",
        fmt: c"\x013%pA",
    };
    /// `KERN_WARNING`.
    pub const WARNING: Level = Level {
        kern: c"\x014",
        fmt: c"\x014%pA",
    };
    /// `KERN_INFO`.
    pub const INFO: Level = Level {
        kern: c"\x016",
        fmt: c"\x016%pA",
    };
}

/// `printk()` of a file without `pr_fmt`: the line as formatted, no
/// module prefix (the kernel crate's `pr_*!` always print `module: `).
/// Use [`printk_err!`].
#[doc(hidden)]
pub fn print(level: Level, args: core::fmt::Arguments<'_>) {
    // SAFETY: `level.fmt` is a NUL-terminated static format taking one
    // `%pA` argument: the `fmt::Arguments` passed by address, live for the
    // call.
    unsafe {
        bindings::_printk(
            level.fmt.as_ptr().cast(),
            &args as *const core::fmt::Arguments<'_> as *const kernel::ffi::c_void,
        );
    }
}

/// `netdev_printk()`: a line prefixed as C's `netdev_err()` and friends
/// prefix it (the device's name, or driver and bus name of a device with a
/// parent), formatted by Rust without allocation (`%pA`). Use
/// [`netdev_err!`].
#[doc(hidden)]
pub fn netdev_print(level: Level, dev: &NetDevice, args: core::fmt::Arguments<'_>) {
    // SAFETY: a live device; `level.kern` (a `KERN_*` string) and the
    // format are NUL-terminated static strings; `%pA` reads the
    // `fmt::Arguments` passed by address, live for the call.
    unsafe {
        bindings::netdev_printk(
            level.kern.as_ptr().cast(),
            dev.as_raw(),
            c"%pA".as_ptr().cast(),
            &args as *const core::fmt::Arguments<'_> as *const kernel::ffi::c_void,
        )
    }
}

/// `slave_printk()` (include/net/bonding.h): [`netdev_print`] of the
/// master with `(slave NAME): ` first. Use [`slave_err!`].
#[doc(hidden)]
pub fn slave_print(
    level: Level,
    master: &NetDevice,
    slave: &NetDevice,
    args: core::fmt::Arguments<'_>,
) {
    netdev_print(
        level,
        master,
        format_args!("(slave {}): {}", slave.name(), args),
    );
}

/// The printers' common expansion: `$f(Level::$level, lead...,
/// format_args!(rest))`.
#[doc(hidden)]
#[macro_export]
macro_rules! __log_call {
    ($f:ident, $level:ident, [$($lead:expr),*], $($arg:tt)*) => {
        $crate::netdev::log::$f(
            $crate::netdev::log::Level::$level,
            $($lead,)*
            ::core::format_args!($($arg)*),
        )
    };
}

/// `netdev_err()`: `netdev_err!(dev, "fmt\n", args...)` for a
/// [`NetDevice`] (`bond0: ...`).
#[macro_export]
macro_rules! netdev_err {
    ($dev:expr, $($arg:tt)*) => { $crate::__log_call!(netdev_print, ERR, [$dev], $($arg)*) };
}

/// `netdev_warn()`: as [`netdev_err!`] at warning level.
#[macro_export]
macro_rules! netdev_warn {
    ($dev:expr, $($arg:tt)*) => { $crate::__log_call!(netdev_print, WARNING, [$dev], $($arg)*) };
}

/// `netdev_info()`: as [`netdev_err!`] at info level.
#[macro_export]
macro_rules! netdev_info {
    ($dev:expr, $($arg:tt)*) => { $crate::__log_call!(netdev_print, INFO, [$dev], $($arg)*) };
}

/// `slave_err()` (include/net/bonding.h): `slave_err!(master, slave,
/// "fmt\n", args...)`, [`netdev_err!`] of the master with the slave's
/// name first (`bond0: (slave eth0): ...`).
#[macro_export]
macro_rules! slave_err {
    ($m:expr, $s:expr, $($arg:tt)*) => { $crate::__log_call!(slave_print, ERR, [$m, $s], $($arg)*) };
}

/// `slave_warn()`: as [`slave_err!`] at warning level.
#[macro_export]
macro_rules! slave_warn {
    ($m:expr, $s:expr, $($arg:tt)*) => {
        $crate::__log_call!(slave_print, WARNING, [$m, $s], $($arg)*)
    };
}

/// `slave_info()`: as [`slave_err!`] at info level.
#[macro_export]
macro_rules! slave_info {
    ($m:expr, $s:expr, $($arg:tt)*) => { $crate::__log_call!(slave_print, INFO, [$m, $s], $($arg)*) };
}

/// `pr_err()` in a C file without `pr_fmt`: the line without the
/// module's prefix (`bond0: no route to ...`). A C file whose `pr_fmt` is
/// `KBUILD_MODNAME ": "` prints its module name first: write it in the
/// format (`printk_err!("bonding: ...")`).
#[macro_export]
macro_rules! printk_err {
    ($($arg:tt)*) => { $crate::__log_call!(print, ERR, [], $($arg)*) };
}

/// `pr_warn()` in a C file without `pr_fmt`: as [`printk_err!`].
#[macro_export]
macro_rules! printk_warn {
    ($($arg:tt)*) => { $crate::__log_call!(print, WARNING, [], $($arg)*) };
}

/// `pr_info()` in a C file without `pr_fmt`: as [`printk_err!`].
#[macro_export]
macro_rules! printk_info {
    ($($arg:tt)*) => { $crate::__log_call!(print, INFO, [], $($arg)*) };
}
