#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the vng guest: every suite given (default: all), KTAP on
# stdout and in $RVNET_RESULTS/ktap.txt.
set -u
RVNET_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export RVNET_ROOT
export RVNET_RESULTS=${RVNET_RESULTS:?}
mkdir -p "$RVNET_RESULTS"

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug 2>/dev/null
# Let boot-time kmemleak candidates age out of the way, then forget them.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
fi
dmesg -C

suites=("$@")
if [ ${#suites[@]} -eq 0 ]; then
	for f in "$RVNET_ROOT"/tests/suites/*.sh; do
		suites+=("$(basename "$f" .sh)")
	done
fi

{
	echo "KTAP version 1"
	echo "1..${#suites[@]}"
	i=0
	for s in "${suites[@]}"; do
		i=$((i + 1))
		dmesg -C
		if bash "$RVNET_ROOT/tests/suites/$s.sh" 2>&1 | sed 's/^/    /'; [ "${PIPESTATUS[0]}" = 0 ]; then
			echo "ok $i $s"
		else
			echo "not ok $i $s"
		fi
		dmesg >"$RVNET_RESULTS/$s.dmesg"
	done
} | tee "$RVNET_RESULTS/ktap.txt"
echo done >"$RVNET_RESULTS/finished"
