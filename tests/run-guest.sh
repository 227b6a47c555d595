#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside a vng guest: the suites given, in order. Each suite's KTAP goes
# to $RVNET_RESULTS/<suite>.ktap and "SECONDS ok|not ok" to <suite>.verdict;
# the host (scripts/check.sh) assembles the top-level KTAP document.
#
# Several guests may share $RVNET_RESULTS and the same suite list: a guest
# runs a suite only if it is the first to create claim.<suite> there (mkdir
# is atomic on the host directory both guests see), so the guests drain one
# queue and finish at about the same time. RVNET_GUEST names this guest.
#
# The kernel log is never cleared. Each suite checks its window of it, from
# the /dev/kmsg sequence number where the previous suite's window ended
# ($RVNET_DMESG_CURSOR; the suite writes its end to <suite>.cursor), so
# what a suite's namespaces print while they are torn down after it ended
# still fails the next window. After the last suite the guest waits past
# kmemleak's minimum object age, scans, and checks the whole boot's log:
# final.<guest>.verdict ("SECONDS ok|not ok") and final.<guest>.dmesg, which
# check.sh reports as the test guest_<guest>_final_clean.
set -u
RVNET_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export RVNET_ROOT
export RVNET_RESULTS=${RVNET_RESULTS:?}
guest=${RVNET_GUEST:-0}
mkdir -p "$RVNET_RESULTS"
. "$RVNET_ROOT/tests/lib/splat.sh"
kmsg() { python3 "$RVNET_ROOT/tests/lib/kmsg.py" "$@"; }
leaks=/sys/kernel/debug/kmemleak
# A guest booted with kmemleak=off (RVNET_KMEMLEAK=off) keeps the file but
# refuses its commands: no scans, no waits for them.
kml=1
[ "${RVNET_KMEMLEAK:-}" != off ] || kml=""

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug 2>/dev/null
# virtme-ng starts the host's udevd at boot. Every device made in the
# initial namespace then has udevd fork a worker and apply its rules
# (MACAddressPolicy included) beside the test, which cost the 1-vCPU TCG
# guest more than the tests themselves (rdummy's 100 devices: 109 s with
# udevd, a few seconds without): the tests drive the kernel alone, as
# scripts/bench.sh does. A suite whose "# guest:" line says udev=keep
# (stress) keeps it: with udevd stopped, stress's teql_netns_del failed in
# 2 of 2 whole runs (teql1 never back in init_net, no splat), with it the
# suite passed. Found in session 8: rvnet_teql kept what a master had
# queued once its last slave left, and those packets pinned the senders'
# namespace (tests/suites/teql.sh rust_last_slave_gone_frees_queue);
# udevd only changed the timing.
[ -n "${RVNET_KEEP_UDEV:-}" ] || udevadm control --exit 2>/dev/null || true
# The programs the tests start most, with their libraries, from a tmpfs
# instead of the host's root over 9p (scripts/exec-cache.sh made the tar).
if [ -f "$RVNET_RESULTS/exec-cache.tar" ]; then
	ec=/run/rvnet-exec
	[ "$(stat -f -c %T /run 2>/dev/null)" = tmpfs ] || ec=/dev/shm/rvnet-exec
	if mkdir -p "$ec" && tar -C "$ec" -xf "$RVNET_RESULTS/exec-cache.tar"; then
		export PATH="$ec/bin:$PATH"
		export LD_LIBRARY_PATH="$ec/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	fi
fi
# Let boot-time kmemleak candidates age out of the way, then forget them.
if [ -n "$kml" ] && [ -w $leaks ]; then
	echo scan >$leaks
	echo clear >$leaks
fi

# The guest's CPU time so far in jiffies, idle and total (every CPU): how
# much of a suite's time the guest only waited (sleeps, timers), which
# says whether more lanes than host CPUs would shorten a run.
cpu_times() {
	local cpu user nice sys idle iowait irq softirq steal rest
	read -r cpu user nice sys idle iowait irq softirq steal rest </proc/stat
	echo "$((idle + iowait)) $((user + nice + sys + idle + iowait + irq + softirq + steal))"
}

# The boot itself is checked by the final check.
cursor=$(kmsg --next)
for s in "$@"; do
	mkdir "$RVNET_RESULTS/claim.$s" 2>/dev/null || continue
	echo "$guest" >"$RVNET_RESULTS/claim.$s/guest"
	t0=$(date +%s)
	read -r idle0 all0 < <(cpu_times)
	rm -f "$RVNET_RESULTS/$s.cursor"
	# The suite's SUITE:TEST filter of scripts/check.sh, if any.
	f=$(awk -v s="$s" '$1 == s { print $2 }' "$RVNET_RESULTS/filters" 2>/dev/null)
	if RVNET_TEST=$f RVNET_DMESG_CURSOR=$cursor bash "$RVNET_ROOT/tests/suites/$s.sh" \
		>"$RVNET_RESULTS/$s.ktap" 2>&1 </dev/null; then
		v=ok
	else
		v="not ok"
	fi
	echo "$(($(date +%s) - t0)) $v" >"$RVNET_RESULTS/$s.verdict"
	read -r idle1 all1 < <(cpu_times)
	[ "$all1" -le "$all0" ] || echo "$((100 * (idle1 - idle0) / (all1 - all0)))" >"$RVNET_RESULTS/$s.idle"
	kmsg --from "$cursor" >"$RVNET_RESULTS/$s.dmesg"
	# A suite that died before its splat check leaves its window open: the
	# next one covers it too.
	[ ! -s "$RVNET_RESULTS/$s.cursor" ] || cursor=$(cat "$RVNET_RESULTS/$s.cursor")
done

# Final check: every object freed late (RCU, netns cleanup) is older than
# kmemleak's minimum age (5 s) by the second scan.
t0=$(date +%s)
leak=""
if [ -n "$kml" ] && [ -w $leaks ]; then
	sleep 6
	echo scan >$leaks
	sleep 1
	echo scan >$leaks
	leak=$(cat $leaks)
fi
kmsg >"$RVNET_RESULTS/final.$guest.dmesg"
# A guest booted with kmemleak=off (RVNET_KMEMLEAK=off: scripts/check.sh's
# queue guests) checks splats only, less the boot's line saying kmemleak is
# off (kmemleak switching itself off after an error says why first, which
# still fails); every other guest must have it.
want_leaks=$kml
splat=$(grep -E "$RVNET_SPLAT_RE_FULL" "$RVNET_RESULTS/final.$guest.dmesg" |
	{ if [ -n "$want_leaks" ]; then cat; else grep -v '\] kmemleak: Kernel memory leak detector disabled$'; fi })
if { [ -w $leaks ] || [ -z "$want_leaks" ]; } && [ -z "$leak" ] && [ -z "$splat" ]; then
	v=ok
else
	v="not ok"
	[ -w $leaks ] || echo "# kmemleak is not available" >>"$RVNET_RESULTS/final.$guest.dmesg"
	{ echo "--- splats ---"; echo "$splat"; echo "--- kmemleak ---"; echo "$leak"; } \
		>>"$RVNET_RESULTS/final.$guest.dmesg"
fi
echo "$(($(date +%s) - t0)) $v" >"$RVNET_RESULTS/final.$guest.verdict"
echo done >"$RVNET_RESULTS/finished.$guest"
