#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole rvnet test run: set-up, kernel, modules, host tests, QEMU tests.
# Ends with "N passed, N failed"; exits non-zero on any failure or kernel
# splat.
#
# Usage: scripts/check.sh [SUITE[:TEST]]...   (make check T="rdummy:rename_follows";
# TEST may be an extended regex: T="vlan:c_ping|rust_ping bond:rust_.*", a
# filter per suite)
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
results=$root/results
# The suites' times of earlier runs outlive the results (queue order below).
times=$results/suite-times
old_times=$(cat "$times" 2>/dev/null || true)
rm -rf "$results"
mkdir -p "$results"
[ -z "$old_times" ] || echo "$old_times" >"$times"
start=$(date +%s)
passed=0
failed=0

step() { echo "== $* ($(($(date +%s) - start)) s)"; }

if [ -z "${RVNET_SKIP_SETUP:-}" ]; then
	step setup
	scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
fi
# Two kernels (scripts/kernel.sh variants). The queue guests (the
# C-vs-Rust and upstream suites) and the host's build, lint and
# compile-fail cases use the lite one (DEBUG=lite: preemptible,
# atomic-sleep, which catches sleeping in an RCU reader too, preempt,
# list and networking-core checks; scripts/kconfig/lite.config): the
# suites ran 1.8 times faster on a kernel without debug.config's
# checkers (ipip 156 -> 94 s, vlan 70 -> 38 s, bond 197 -> 106 s, two
# guests on 2 CPUs, 2026-12-03); booting the full one with
# lockdep.prove_locking=0 no_debug_objects gained nothing (ipip 172 vs
# 174 s), and a lite kernel with lockdep was as slow as the full one
# (vlan 108 s): the cost is what lockdep compiles in. The own guests
# (stress: 2 vCPUs, the churn of every driver under load) boot the full
# test kernel (debug.config: kmemleak, debug objects, refcount trackers
# too), with modules built for it in a copy of the checkout. A DEBUG given
# picks the queue's variant instead (DEBUG= the full kernel, DEBUG=kasan
# KASAN, for the own guests too).
export DEBUG=${DEBUG-lite}
own_debug=""
[ "$DEBUG" != kasan ] || own_debug=kasan
step kernel
scripts/kernel.sh >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
step modules
# Compiled by clippy-driver: the lint step reads clippy's warnings from
# this build's log instead of building every module a second time. From
# clean, so that every file's warnings are in the log (an object left
# from an earlier build would not be compiled again).
make -s clean >/dev/null 2>&1
if make -s modules CLIPPY=1 >"$results/build.log" 2>&1; then
	passed=$((passed + 1))
	echo "ok build_modules"
else
	cat "$results/build.log"
	echo "not ok build_modules"
	echo "$passed passed, $((failed + 1)) failed"
	exit 1
fi

# Each module depends on the kernel modules scripts/module-deps.txt allows
# it, no others.
deps_bad=""
while read -r ko want; do
	[ -n "$ko" ] && [ "${ko#\#}" = "$ko" ] || continue
	got=$(modinfo -F depends "$ko" 2>/dev/null | tr ',' ' ' | xargs -n1 | sort | xargs)
	want=$(echo "$want" | xargs -n1 | sort | xargs)
	[ "$got" = "$want" ] || deps_bad="$deps_bad $ko (depends: '$got', allowed: '$want')"
done <scripts/module-deps.txt
if [ -z "$deps_bad" ]; then
	passed=$((passed + 1))
	echo "ok module_dependencies"
else
	echo "not ok module_dependencies:$deps_bad"
	failed=$((failed + 1))
fi

# The modules installed as a user would (make install: modules_install,
# depmod, modprobe.d snippet), for the suites that load them with modprobe
# (tests/lib/modinstall.sh).
make -s install INSTALL_MOD_PATH="$results/modroot" >>"$results/build.log" 2>&1 ||
	{ echo "not ok make install"; failed=$((failed + 1)); }

# SUITE:TEST filters are per suite (results/filters, read by
# tests/run-guest.sh); any filter makes the run a partial one.
suites=()
# A whole run (no SUITE arguments): compile-fail cases and host tests too.
whole=""
[ $# -gt 0 ] || whole=1
filter=""
: >"$results/filters"
for a in "$@"; do
	# A suite named twice (two filters) runs once, with both.
	[[ " ${suites[*]} " == *" ${a%%:*} "* ]] || suites+=("${a%%:*}")
	if [ "$a" != "${a#*:}" ]; then
		filter=1
		echo "${a%%:*} ${a#*:}" >>"$results/filters"
	fi
done
# One line per suite (tests/run-guest.sh reads it too): a suite's filters
# joined into one extended regex.
awk '{ if ($1 in f) f[$1] = f[$1] "|(" $2 ")"; else f[$1] = "(" $2 ")" } END { for (s in f) print s, f[s] }' \
	"$results/filters" >"$results/filters.joined" && mv "$results/filters.joined" "$results/filters"
# The filter of suite $1, if any.
filter_of() {
	awk -v s="$1" '$1 == s { print $2 }' "$results/filters"
}

# Every suite by default, the slowest first: the guests take suites from
# the front of one queue, so starting the long ones early balances them.
# A suite's cost is its time in the last run that ran it whole
# (results/suite-times, kept across runs), else its `# cost: SECONDS`
# declaration, else 60 s.
cost_of() {
	local c
	c=$(awk -v s="$1" '$1 == s { c = $2 } END { print c }' "$times" 2>/dev/null)
	[ -n "$c" ] || c=$(sed -nE 's/^# cost: ([0-9]+).*/\1/p' "tests/suites/$1.sh" | head -1)
	echo "${c:-60}"
}
if [ ${#suites[@]} -eq 0 ]; then
	for f in tests/suites/*.sh; do
		s=$(basename "$f" .sh)
		echo "$(cost_of "$s") $s"
	done >"$results/queue"
	mapfile -t suites < <(sort -k1,1rn -k2 "$results/queue" | awk '{ print $2 }')
fi

# Suites with a "# guest: cpus=N append=ARGS" line need a guest of their
# own (stress: 2 vCPUs and kmemleak). (The upstream suites had 1-vCPU ones
# for module_blacklist= until they refused the C modules from inside a
# queue guest: tests/lib/upstream.sh.) A 1-vCPU one takes the place of a
# queue guest: its lane
# runs it first, then boots a queue guest for what the other lanes left
# (so no host CPU idles while it runs). Those of more vCPUs run after
# everything, one at a time, with the host to themselves.
own1=()
ownn=()
queue=()
for s in "${suites[@]}"; do
	# (A key=value after the colon: a comment line of prose beginning
	# "# guest:" is not one.)
	if grep -qE '^# guest: [a-z]+=' "tests/suites/$s.sh"; then
		if grep -qE '^# guest: .*cpus=1\b' "tests/suites/$s.sh"; then own1+=("$s"); else ownn+=("$s"); fi
	else
		queue+=("$s")
	fi
done
run_own_guest() {
	local s=$1 opts cpus append
	opts=$(sed -nE 's/^# guest: ([a-z]+=)/\1/p' "tests/suites/$s.sh" | head -1)
	cpus=$(echo "$opts" | sed -n 's/.*cpus=\([0-9]*\).*/\1/p')
	append=$(echo "$opts" | sed -n 's/.*append=\([^ ]*\).*/\1/p')
	# udev=keep: the guest keeps virtme-ng's udevd (tests/run-guest.sh);
	# kmemleak=off: no leak detector, as the queue guests (lane() below).
	local env=""
	[[ $opts != *udev=keep* ]] || env=" RVNET_KEEP_UDEV=1"
	if [[ " $opts " == *" kmemleak=off "* ]]; then
		append="kmemleak=off${append:+ $append}"
		env="$env RVNET_KMEMLEAK=off"
	fi
	step "QEMU tests: $s in its own guest of ${cpus:-1} vCPU(s)${append:+, $append}"
	[ -f "$results/full-built" ] || {
		echo "# $s: no modules for the full test kernel (see $results/build-full.log)"
		return 0
	}
	DEBUG=$own_debug RVNET_VM_NAME=$s RVNET_VM_CPUS=${cpus:-1} RVNET_VM_APPEND=$append scripts/vm.sh "$results" \
		"$guest_env$env RVNET_GUEST=$s $full_src/tests/run-guest.sh $s"
}

# The full test kernel and modules built for it, for the own guests: in a
# copy of the checkout (kbuild does not notice a changed KDIR in a tree
# built before), at the lowest priority beside the queue guests; none
# when the queue's kernel is the own guests' already.
full_src=$results/full-src
build_full() {
	if [ "$DEBUG" = "$own_debug" ]; then
		full_src=$root
		touch "$results/full-built"
		return 0
	fi
	DEBUG=$own_debug scripts/kernel.sh >"$results/build-full.log" 2>&1 || return 1
	mkdir -p "$full_src"
	git ls-files -z -co --exclude-standard | grep -zv '^results/' | xargs -0 cp --parents -t "$full_src"
	DEBUG=$own_debug make -C "$full_src" -s modules >>"$results/build-full.log" 2>&1 || return 1
	touch "$results/full-built"
}
# The queue guests' kernel command line: the full kernel has kmemleak,
# which they do without (lane() below).
queue_append=""
[ -n "$DEBUG" ] && [ "$DEBUG" != kasan ] || queue_append=kmemleak=off

# One lane per host CPU plus one, each a 1-vCPU guest (at most one per
# suite). TCG runs each vCPU as a host thread and a suite is mostly one
# shell at a time that waits ~20 % of its time (sleeps, timers: the
# report's "guest CPUs idle"): on 2 CPUs, three 1-vCPU lanes finished the
# queue and upstream in 1084 s where two took 1379 s (2026-12-02). Guests
# of more vCPUs stay alone (two guests with 2 vCPUs each took longer than
# one: vCPUs preempted while holding guest locks). Four lanes on 2 CPUs
# (2026-12-05, suites idle ~35 %): each suite took 1.22x as long, the lanes
# ended at 1558 s where three ended at 1652 s (that run's compile-fail was
# uncached, 661 s beside them): no clear gain, three kept. RVNET_VM_JOBS=N
# sets the lanes (1 runs the queue in one guest).
jobs=${RVNET_VM_JOBS:-$(($(nproc) + 1))}
scripts/exec-cache.sh "$results/exec-cache.tar" || echo "# no exec cache: the guests exec from 9p"
[ "$jobs" -le $((${#queue[@]} + ${#own1[@]})) ] || jobs=$((${#queue[@]} + ${#own1[@]}))
[ "$jobs" -ge 1 ] || jobs=1
guest_env="RVNET_RESULTS=$results"
# The per-test time limit (tests/lib/ktap.sh: 300 s), e.g. on a loaded host.
[ -n "${RVNET_TEST_TIME_LIMIT:-}" ] && guest_env="$guest_env RVNET_TEST_TIME_LIMIT=$RVNET_TEST_TIME_LIMIT"
[ -n "${RVNET_TRACE:-}" ] && guest_env="$guest_env RVNET_TRACE=1"
# Whether a queue suite is left that no guest claimed (tests/run-guest.sh).
queue_left() {
	local s
	for s in "${queue[@]}"; do
		[ -d "$results/claim.$s" ] || return 0
	done
	return 1
}
# Lane L: its share of the 1-vCPU own-guest suites, then a queue guest
# named L if a queue suite is still unclaimed (results/guests lists the
# queue guests that booted, for the report).
: >"$results/guests"
lane() {
	local l=$1 i
	for ((i = l - 1; i < ${#own1[@]}; i += jobs)); do
		run_own_guest "${own1[$i]}"
	done
	queue_left || return 0
	echo "$l" >>"$results/guests"
	step "QEMU tests: queue guest $l takes suites from: ${queue[*]}"
	# No kmemleak in the queue guests (the C-vs-Rust and upstream
	# suites; the lite kernel has none, the full one boots with
	# kmemleak=off): its per-allocation stack capture made them up to
	# twice as slow under TCG (vlan 87 -> 46 s, ipip 117 -> 94 s,
	# 2026-12-03). Leaks are looked for where
	# every driver is churned: the stress suite (create, configure,
	# delete, namespace deletion and rmmod under load, for each driver),
	# whose guest keeps it (tests/run-guest.sh's final check requires it
	# there).
	RVNET_VM_NAME=$l RVNET_VM_CPUS=1 RVNET_VM_APPEND=$queue_append scripts/vm.sh "$results" \
		"$guest_env RVNET_KMEMLEAK=off RVNET_GUEST=$l $root/tests/run-guest.sh ${queue[*]}"
}
# The host's checks (lint, compile-fail cases, host tests) run while the
# guests boot and test: a TCG guest waits ~20 % of its time (sleeps,
# timers), which these fill. The compilers run at the lowest priority: a
# layer change rebuilds every compile-fail case (~330 s of CPU), which at
# equal priority took that much from the guests, the run's critical path.
host_checks() {
	step lint
	if RVNET_CLIPPY_LOG=$results/build.log scripts/lint.sh >"$results/lint.log" 2>&1; then
		passed=$((passed + 1))
		echo "ok lint"
	else
		cat "$results/lint.log"
		failed=$((failed + 1))
		echo "not ok lint"
	fi

	# The safe layer's compile-fail cases (host side, full runs only, as the host
	# tests; `make compile-fail` alone): each case is one test.
	if [ -n "$whole" ] || [ -n "${RVNET_COMPILE_FAIL:-}" ]; then
		step compile-fail
		nice -n 19 scripts/compile-fail.sh >"$results/compile-fail.log" 2>&1
		grep -E '^(not )?ok |^    # |^# ' "$results/compile-fail.log"
		passed=$((passed + $(grep -c '^ok ' "$results/compile-fail.log")))
		failed=$((failed + $(grep -c '^not ok ' "$results/compile-fail.log")))
		grep -q '^compile-fail: ' "$results/compile-fail.log" || {
			tail -5 "$results/compile-fail.log"
			echo "not ok compile-fail harness"
			failed=$((failed + 1))
		}
	fi

	if [ -n "$whole" ]; then
		step host tests
		nice -n 19 scripts/host-test.sh >"$results/host-test.log" 2>&1
		hrc=$?
		cat "$results/host-test.log"
		while read -r p f; do
			passed=$((passed + p))
			failed=$((failed + f))
		done < <(sed -n 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' \
			"$results/host-test.log")
		[ "$hrc" = 0 ] || { echo "not ok host tests exited $hrc"; failed=$((failed + 1)); }
	fi

}

own=("${own1[@]}" "${ownn[@]}")
if [ ${#own[@]} -gt 0 ]; then
	if [ "$DEBUG" != "$own_debug" ]; then
		# 1-vCPU own guests take the lanes' first turns: theirs first.
		if [ ${#own1[@]} -gt 0 ]; then
			build_full
		else
			(
				renice -n 19 $BASHPID >/dev/null
				build_full
			) &
		fi
	else
		build_full
	fi
fi
for l in $(seq 1 "$jobs"); do
	lane "$l" &
	# Staggered boots: guests booting at once slow each other.
	[ "$l" = "$jobs" ] || sleep "${RVNET_VM_STAGGER:-5}"
done
host_checks
wait
[ ${#own[@]} = 0 ] || [ -f "$results/full-built" ] || {
	tail -20 "$results/build-full.log"
	echo "not ok build_full_kernel_modules"
	failed=$((failed + 1))
}
for s in "${ownn[@]}"; do
	run_own_guest "$s"
done
mapfile -t guests <"$results/guests"
for s in "${own[@]}"; do
	[ -f "$results/finished.$s" ] || {
		echo "not ok guest of $s did not finish; console tail:"
		tail -40 "$results/console-$s.log"
		failed=$((failed + 1))
	}
done

# The top-level KTAP document, suites in queue order, then each guest's
# final check of its whole boot (tests/run-guest.sh).
{
	echo "KTAP version 1"
	echo "1..$((${#suites[@]} + ${#guests[@]} + ${#own[@]}))"
	i=0
	for s in "${suites[@]}"; do
		i=$((i + 1))
		[ -f "$results/$s.ktap" ] && sed 's/^/    /' "$results/$s.ktap"
		if [ -f "$results/$s.verdict" ]; then
			read -r secs verdict <"$results/$s.verdict"
			idle=$(cat "$results/$s.idle" 2>/dev/null || true)
			echo "    # $s took $secs s in guest $(cat "$results/claim.$s/guest")${idle:+ (guest CPUs idle $idle %)}"
			echo "$verdict $i $s"
		else
			echo "    # $s did not finish (see $results/console-*.log)"
			echo "not ok $i $s"
		fi
	done
	for g in "${guests[@]}" "${own[@]}"; do
		i=$((i + 1))
		if [ -f "$results/final.$g.verdict" ]; then
			read -r secs verdict <"$results/final.$g.verdict"
			[ "$verdict" = ok ] || echo "    # see $results/final.$g.dmesg"
			echo "$verdict $i guest_${g}_final_clean"
		else
			echo "    # guest $g did not reach its final check"
			echo "not ok $i guest_${g}_final_clean"
		fi
	done
} >"$results/ktap.txt"
cat "$results/ktap.txt"
p=$(grep -E '^    ok |^ok [0-9]+ guest_' "$results/ktap.txt" | grep -vc '# SKIP')
# Failed subtests (a skip fails: the manifest says what must run), plus one
# per suite that failed without a failing subtest (it did not parse, died,
# or never ran) and one per planned subtest that never reported.
f=$(awk '
	/^    1\.\.[0-9]+$/ { plan = substr($1, 4); seen = 0; bad = 0; next }
	/^    (not )?ok / { seen++; if ($1 == "not" || / # SKIP/) bad++; next }
	/^(not )?ok [0-9]+ / {
		miss = plan - seen; if (miss < 0) miss = 0
		if ($1 == "not" && bad == 0 && miss == 0) miss = 1
		total += bad + miss; plan = 0; seen = 0; bad = 0
	}
	END { print total + 0 }' "$results/ktap.txt")
passed=$((passed + p))
failed=$((failed + f))
for g in "${guests[@]}"; do
	if [ ! -f "$results/finished.$g" ]; then
		echo "not ok guest $g did not finish; console tail:"
		tail -40 "$results/console-$g.log"
		failed=$((failed + 1))
	fi
done

# What ran against tests/manifest (only the T= subset with a filter).
manifest_failures=0
mfail() {
	echo "not ok $*"
	manifest_failures=$((manifest_failures + 1))
}
for s in "${suites[@]}"; do
	want=$(awk -v s="$s" '$1 == s { print $2 }' tests/manifest)
	if [ -z "$want" ]; then
		mfail "suite $s is not in tests/manifest (scripts/manifest.sh --update)"
		continue
	fi
	f=$(filter_of "$s")
	if [ -n "$f" ]; then
		want=$(echo "$want" | grep -xE "(${f#test_})" || true)
		[ -n "$want" ] || mfail "T=$s:$f matches no test of tests/manifest"
	fi
	got=$(sed -nE 's/^(not )?ok [0-9]+ ([^ ]+).*/\2/p' "$results/$s.ktap" 2>/dev/null |
		grep -vxE 'no_kernel_splat|left_guest_clean' || true)
	for t in $(comm -23 <(echo "$want" | LC_ALL=C sort -u) <(echo "$got" | LC_ALL=C sort -u)); do
		mfail "$s:$t did not report (listed in tests/manifest)"
	done
	for t in $(comm -13 <(echo "$want" | LC_ALL=C sort -u) <(echo "$got" | LC_ALL=C sort -u)); do
		mfail "$s:$t reported but is not in tests/manifest (scripts/manifest.sh --update)"
	done
done
failed=$((failed + manifest_failures))

# Suite times for the next run's queue order (whole suites only).
if [ -z "$filter" ]; then
	{
		for s in "${suites[@]}"; do
			[ -f "$results/$s.verdict" ] && echo "$s $(awk '{ print $1 }' "$results/$s.verdict")"
		done
		cat "$times" 2>/dev/null || true
	} | awk '!seen[$1]++' >"$times.new" && mv "$times.new" "$times"
fi
echo "# slowest tests (s):"
cat "$results"/*.times 2>/dev/null | sort -rn | head -8 | sed 's/^/#   /'
# A splat outside any suite's window still fails the run.
. "$root/tests/lib/splat.sh"
# (The queue guests boot with kmemleak=off, which the boot log says: not a
# splat there.)
for c in "$results"/console-*.log; do
	if grep -E "$RVNET_SPLAT_RE" "$c" |
		grep -vqE '^\[ *0\.[0-9]+\] kmemleak: Kernel memory leak detector disabled'; then
		echo "not ok kernel splat on the guest console (see $c)"
		failed=$((failed + 1))
	fi
done

step done
echo "failed tests keep their logs and dmesg in $results/"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
