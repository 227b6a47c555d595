#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole rvnet test run: set-up, kernel, modules, host tests, QEMU tests.
# Ends with "N passed, N failed"; exits non-zero on any failure or kernel
# splat.
#
# Usage: scripts/check.sh [SUITE[:TEST]]...   (make check T="rdummy:rename_follows";
# TEST may be an extended regex: T="vlan:c_show|rust_show_matches_c")
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
results=$root/results
rm -rf "$results"
mkdir -p "$results"
start=$(date +%s)
passed=0
failed=0

step() { echo "== $* ($(($(date +%s) - start)) s)"; }

if [ -z "${RVNET_SKIP_SETUP:-}" ]; then
	step setup
	scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
fi
step kernel
scripts/kernel.sh >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
step modules
if make -s modules >"$results/build.log" 2>&1; then
	passed=$((passed + 1))
	echo "ok build_modules"
else
	cat "$results/build.log"
	echo "not ok build_modules"
	echo "$passed passed, $((failed + 1)) failed"
	exit 1
fi

step lint
if scripts/lint.sh >"$results/lint.log" 2>&1; then
	passed=$((passed + 1))
	echo "ok lint"
else
	cat "$results/lint.log"
	failed=$((failed + 1))
	echo "not ok lint"
fi

suites=()
filter=""
for a in "$@"; do
	suites+=("${a%%:*}")
	[ "$a" != "${a#*:}" ] && filter=${a#*:}
done

if [ ${#suites[@]} -eq 0 ]; then
	step host tests
	scripts/host-test.sh >"$results/host-test.log" 2>&1
	hrc=$?
	cat "$results/host-test.log"
	while read -r p f; do
		passed=$((passed + p))
		failed=$((failed + f))
	done < <(sed -n 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' \
		"$results/host-test.log")
	[ "$hrc" = 0 ] || { echo "not ok host tests exited $hrc"; failed=$((failed + 1)); }
fi

step "QEMU tests ${suites[*]:-all}"
guest_env="RVNET_RESULTS=$results"
[ -n "$filter" ] && guest_env="$guest_env RVNET_TEST='$filter'"
scripts/vm.sh "$results" "$guest_env $root/tests/run-guest.sh ${suites[*]:-}"
if [ -f "$results/finished" ]; then
	cat "$results/ktap.txt"
	p=$(grep -cE '^    ok ' "$results/ktap.txt")
	# Failed subtests, plus one per suite that failed without a failing
	# subtest (it did not parse, or died) and one per planned subtest that
	# never reported.
	f=$(awk '
		/^    1\.\.[0-9]+$/ { plan = substr($1, 4); seen = 0; bad = 0; next }
		/^    (not )?ok / { seen++; if ($1 == "not") bad++; next }
		/^(not )?ok [0-9]+ / {
			miss = plan - seen; if (miss < 0) miss = 0
			if ($1 == "not" && bad == 0 && miss == 0) miss = 1
			total += bad + miss; plan = 0; seen = 0; bad = 0
		}
		END { print total + 0 }' "$results/ktap.txt")
	passed=$((passed + p))
	failed=$((failed + f))
else
	echo "not ok guest did not finish; console tail:"
	tail -40 "$results/console.log"
	failed=$((failed + 1))
fi
# A splat outside any suite's window still fails the run.
. "$root/tests/lib/splat.sh"
if grep -qE "$RVNET_SPLAT_RE" "$results/console.log"; then
	echo "not ok kernel splat on the guest console (see $results/console.log)"
	failed=$((failed + 1))
fi

step done
echo "failed tests keep their logs and dmesg in $results/"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
