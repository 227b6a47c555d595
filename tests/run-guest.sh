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
set -u
RVNET_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export RVNET_ROOT
export RVNET_RESULTS=${RVNET_RESULTS:?}
guest=${RVNET_GUEST:-0}
mkdir -p "$RVNET_RESULTS"

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug 2>/dev/null
# Let boot-time kmemleak candidates age out of the way, then forget them.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
fi

for s in "$@"; do
	mkdir "$RVNET_RESULTS/claim.$s" 2>/dev/null || continue
	echo "$guest" >"$RVNET_RESULTS/claim.$s/guest"
	dmesg -C
	t0=$(date +%s)
	if bash "$RVNET_ROOT/tests/suites/$s.sh" >"$RVNET_RESULTS/$s.ktap" 2>&1; then
		v=ok
	else
		v="not ok"
	fi
	echo "$(($(date +%s) - t0)) $v" >"$RVNET_RESULTS/$s.verdict"
	dmesg >"$RVNET_RESULTS/$s.dmesg"
done
echo done >"$RVNET_RESULTS/finished.$guest"
