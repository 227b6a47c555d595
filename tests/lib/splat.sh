# SPDX-License-Identifier: GPL-2.0
#
# The kernel-splat patterns shared by the QEMU harness (tests/lib/ktap.sh),
# the host-side console check (scripts/check.sh) and the benchmark guest.
# BUG:/WARNING: count only as the kernel prints them, at the start of a
# line or right after the printk timestamp, so that a user-space program
# logging "WARNING:" through kmsg (virtme-ng-init does) is not a splat.
RVNET_SPLAT_RE='(^|\] )(BUG|WARNING):|Oops|circular locking|suspicious RCU'
# dmesg of a test window: also lockdep, kmemleak and trace reports.
RVNET_SPLAT_RE_FULL="$RVNET_SPLAT_RE|general protection|possible recursive locking|lockdep|inconsistent lock|unreferenced object|Call Trace"
