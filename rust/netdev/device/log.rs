// SPDX-License-Identifier: GPL-2.0

//! Kernel log lines of network drivers: `net_ratelimit()` and the
//! `net_*_ratelimited` printers built on it (include/linux/net.h), so that
//! a packet stream cannot flood the log.

use crate::netdev::bindings;

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
