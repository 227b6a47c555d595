# SPDX-License-Identifier: GPL-2.0
#
# The kernel-splat patterns shared by the QEMU harness (tests/lib/ktap.sh,
# tests/run-guest.sh), the host-side console check (scripts/check.sh) and
# the benchmark guest. BUG:/WARNING:/INFO: count only as the kernel prints
# them, at the start of a line or right after the printk timestamp, so that
# a user-space program logging "WARNING:" through kmsg (virtme-ng-init does)
# is not a splat.
#
#   BUG:/WARNING:/Oops     oopses, WARN_ON, lockdep's reports, sleeping in
#                          atomic context, KASAN ("BUG: KASAN:"), soft lockups
#                          ("BUG: soft lockup")
#   INFO:                  hung tasks ("INFO: task x blocked for more than"),
#                          lockdep's "INFO: lockdep is turned off"
#   rcu: INFO:             RCU stalls ("rcu: INFO: rcu_preempt detected stalls")
#   unregister_netdevice:  a device whose references are never dropped
#   refcount_t:, ref_tracker:, KASAN:, UBSAN:
#   kmemleak: .*disabled, turning off the locking correctness validator:
#                          the checker switched itself off, so no leak or
#                          lock checking happened from there on
RVNET_SPLAT_RE='(^|\] )(BUG|WARNING|INFO):|Oops|circular locking|suspicious RCU|rcu: INFO:|detected stalls on CPUs|soft lockup|unregister_netdevice: waiting for|refcount_t:|ref_tracker:|KASAN:|UBSAN:|kmemleak: .*disabled|kmemleak: Cannot allocate|turning off the locking correctness validator'
# dmesg of a test window: also lockdep, kmemleak and trace reports.
RVNET_SPLAT_RE_FULL="$RVNET_SPLAT_RE|general protection|possible recursive locking|inconsistent lock|unreferenced object|new suspected memory leaks|Call Trace"
