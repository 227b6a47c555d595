#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP helpers for rvnet's QEMU test suites (sourced inside the guest).
#
# A suite file defines functions named test_* and calls `ktap_run_suite`.
# Each test runs in a subshell with `set -e` and `inherit_errexit`, in its
# own process group, with stdin from /dev/null. A test passes if it returns
# 0 and recorded no failure or skip in its marker file ($RVNET_TEST_MARK:
# `fail`, `skip` and every helper below write it, so an assertion counts in
# any shell context). A test that runs longer than its time limit (300 s, or
# TIME_LIMIT_<test>=SECONDS set in the suite) is killed with its whole
# process group and fails with "timed out after N s".
# On failure, its output and the kernel log of the suite's window are kept
# in $RVNET_RESULTS/<suite>.<test>.{log,dmesg}.
#
# The kernel log is never cleared: the window of a suite starts at the
# /dev/kmsg sequence number $RVNET_DMESG_CURSOR (tests/run-guest.sh passes
# where the previous window ended) and the suite writes where its own ended
# to $RVNET_RESULTS/<suite>.cursor.

RVNET_ROOT=${RVNET_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
RVNET_RESULTS=${RVNET_RESULTS:-/tmp/rvnet-results}
RTNL="python3 $RVNET_ROOT/tests/lib/rtnl.py"
. "$RVNET_ROOT/tests/lib/splat.sh"

# Every program a test starts costs the guest a fork and an exec under
# TCG and a debug kernel (~0.3 s; `ip` ~0.5 s, python ~1.8 s): the helpers
# below use shell builtins and sysfs where a command is not needed, and
# `sleep` is a builtin here and in every bash a test starts (bash-env.sh).
. "$RVNET_ROOT/tests/lib/bash-env.sh"
export BASH_ENV=$RVNET_ROOT/tests/lib/bash-env.sh

# Fail the current test with a message. The failure is recorded in the
# test's marker file as well as returned, so a check fails its test in any
# shell context: inside `$(...)`, a pipeline, an `if`, a `&&` list or a
# function called from one, where bash ignores `set -e`. The runner reads
# the marker after the test, whatever the test's exit status.
fail() {
	echo "FAIL: $*" >&2
	[ -z "${RVNET_TEST_MARK:-}" ] || echo "FAIL: $*" >>"$RVNET_TEST_MARK"
	return 1
}

# Assert: run a command; if it fails, fail the test with the message.
#   check "bond0 is up" ip link show bond0 up
check() {
	local what=$1
	shift
	"$@" || fail "$what (failed: $*)"
}

# A listed test that cannot run fails: skipping is recorded and reported as
# a failure by the runner (the manifest says what must run).
skip() {
	echo "SKIP: $*" >&2
	[ -z "${RVNET_TEST_MARK:-}" ] || echo "SKIP: $*" >>"$RVNET_TEST_MARK"
	return 1
}

# State which driver serves the device under test, and check it:
#   expect_driver DEV DRIVER [NETNS]
# DRIVER is the module name: rdummy, rvnet_vlan, rvnet_bond, rvnet_teql, or
# the C one: 8021q, bonding, sch_teql. When our module failed to register,
# `ip link add ... type vlan|bond` autoloads the C driver; a test that does
# not say which driver it tested could compare C with C.
# A test without a device under test says so in a comment instead,
# `# driver: none (why)`, which scripts/lint-tests.sh accepts.
expect_driver() {
	local dev=$1 want=$2 ns=${3:-} got
	got=$(driver_of "$dev" "$ns")
	[ "$got" = "$want" ] || fail "$dev${ns:+ (netns $ns)} is served by '$got', expected '$want'"
}

# Assert that "$1" contains "$2".
assert_contains() {
	case "$1" in
	*"$2"*) return 0 ;;
	*) fail "expected '$2' in: $1" ;;
	esac
}

# Assert that two strings are equal (typically "ours" and "C's" output).
assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-values differ}: '$1' != '$2'"
}

# Assert that a command fails.
assert_fails() {
	if "$@"; then
		fail "expected failure: $*"
	fi
}

# A command's outcome as one record to compare between the drivers:
# "CMD: rc STATUS: OUTPUT" (stdout and stderr), ping's times dropped (they
# differ between any two runs). The check stays the caller's (same_as_c,
# assert_contains).
outcome() {
	local o rc=0
	o=$("$@" 2>&1) || rc=$?
	o=$(sed -E -e 's/, time [0-9.]+ ?ms//' -e 's/ time=[0-9.]+ ms//' -e '/^rtt /d' <<<"$o")
	echo "$*: rc $rc: $o"
}

# The module serving a device: `ethtool -i`'s driver, with 8021q's
# descriptive name mapped to the module's. A teql device of C sch_teql has
# no ethtool information (nor a parent device): it belongs to whichever
# teql qdisc module is loaded (rvnet_teql reports its own name).
#   driver_of DEV [NETNS]
driver_of() {
	local dev=$1 ns=${2:-} d
	if [ -n "$ns" ]; then
		d=$(ip netns exec "$ns" ethtool -i "$dev" 2>/dev/null || true)
	else
		d=$(ethtool -i "$dev" 2>/dev/null || true)
	fi
	if [[ $d =~ (^|$'\n')driver:\ ([^$'\n']*) ]]; then
		d=${BASH_REMATCH[2]}
	else
		d=""
	fi
	case "$d" in
	"802.1Q VLAN Support") d=8021q ;;
	"")
		case "$dev" in
		teql[0-9]*)
			if [ -d /sys/module/sch_teql ] && [ ! -d /sys/module/rvnet_teql ] &&
				ip ${ns:+-n "$ns"} link show "$dev" >/dev/null 2>&1; then
				d=sch_teql
			fi
			;;
		esac
		;;
	esac
	echo "$d"
}

# Whether a device exists in this shell's namespace (sysfs, no command).
dev_exists() {
	[ -e "/sys/class/net/$1" ]
}

# Poll until a command succeeds, for at most SECS seconds of sleep
# between the tries (a bound, not a timing; the last try at its end),
# with the builtin sleep. The tries' own time comes on top, as it did when
# the bound was a number of polls: a starved guest, whose tries are slow,
# gets the longer wait it needs. The polls start 0.1 s apart and back off
# to 1 s: most waits end within the first few, and a long one is no busy
# loop (a predicate that starts a program, `ip -j ... | jq` say, costs the
# TCG guest ~0.3 s of CPU, which a poll every 0.1 s spent back to back).
#   wait_for SECS CMD...
wait_for() {
	local left=$(($1 * 1000)) ms=100 rc
	shift
	while :; do
		"$@" && return 0
		rc=$?
		[ "$left" -gt 0 ] || return $rc
		[ "$ms" -le "$left" ] || ms=$left
		sleep "$((ms / 1000)).$((ms % 1000 / 100))$((ms % 100 / 10))$((ms % 10))"
		left=$((left - ms))
		ms=$((ms * 3 / 2))
		[ "$ms" -le 1000 ] || ms=1000
	done
}

# The first line of each FILE (sysfs, /proc) as namespace NS shows it, a
# line each (empty if unreadable), read by one shell there: an `ip netns
# exec NS cat` per file costs the TCG guest ~60 ms of CPU each.
#   ns_read NS FILE...
ns_read() {
	local ns=$1
	shift
	# shellcheck disable=SC2016 # expanded by the shell in NS
	ip netns exec "$ns" bash -c 'for f; do
		v=""; IFS= read -r v <"$f"; printf "%s\n" "$v"; done' ns_read "$@"
}

# The network namespaces `ip netns` knows (their files, no command).
netns_names() {
	local f
	for f in /run/netns/*; do
		[ -e "$f" ] && echo "${f##*/}"
	done
	return 0
}

# Delete every `ip netns` namespace and each device named that exists in
# this namespace (a test's clean slate):  del_all DEV...
del_all() {
	local n
	for n in $(netns_names); do
		ip netns del "$n" 2>/dev/null || true
	done
	for n in "$@"; do
		! dev_exists "$n" || ip link del "$n" 2>/dev/null || true
	done
	return 0
}

# The kernel log since a mark, for tests that check their own stretch of
# it (the suite's window is checked anyway):
#   splat_mark; ...; splats_since_mark [EXTRA_ERE]
# prints the splat lines logged after the mark: the mark is the time stamp
# of the last record (a line count would shift once the ring buffer wraps).
SPLAT_MARK=0
splat_mark() {
	SPLAT_MARK=$(dmesg_now)
}

# The timestamp of the kernel log's last line (0 if none).
dmesg_now() {
	local lines
	mapfile -t lines < <(dmesg)
	if [ ${#lines[@]} -gt 0 ] && [[ ${lines[-1]} =~ ^\[\ *([0-9]+\.[0-9]+)\] ]]; then
		echo "${BASH_REMATCH[1]}"
	else
		echo 0
	fi
}

splats_since_mark() {
	local re=$RVNET_SPLAT_RE_FULL
	[ -z "${1:-}" ] || re="$re|$1"
	dmesg_since "$SPLAT_MARK" "$re"
}

# The kernel log's lines after timestamp MARK (dmesg_now) matching RE.
#   dmesg_since MARK RE
dmesg_since() {
	dmesg | RE=$2 awk -v from="$1" '
		{ t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t) }
		t + 0 > from + 0 && $0 ~ ENVIRON["RE"]'
}

# Run a command in a fresh network namespace, deleted afterwards.
in_netns() {
	local ns="rvt$$_$RANDOM"
	ip netns add "$ns"
	local rc=0
	ip netns exec "$ns" "$@" || rc=$?
	ip netns del "$ns"
	return $rc
}

# No IPv6 in namespaces $@ (devices made later included): no router
# solicitations, MLD reports or DAD in captures and counters.
no_ipv6() { # NS...
	local ns
	for ns in "$@"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 >/dev/null ||
			fail "no_ipv6 $ns"
	done
}

# Namespaces with lo up, deleted after the test by the runner (whatever
# the test's end):
#   netns_add NS...
netns_add() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || fail "ip netns add $ns"
		ip -n "$ns" link set lo up || fail "lo up in $ns"
		[ -z "${RVNET_TEST_NETNS:-}" ] || echo "$ns" >>"$RVNET_TEST_NETNS"
	done
}

# Delete the namespaces this test made so far (those netns_add recorded
# for the runner's end-of-test cleanup), e.g. between the halves of a
# same_as_c.
netns_del_test() {
	[ -n "${RVNET_TEST_NETNS:-}" ] && [ -s "$RVNET_TEST_NETNS" ] || return 0
	local ns
	while read -r ns; do
		ip netns del "$ns" 2>/dev/null || true
	done <"$RVNET_TEST_NETNS"
	: >"$RVNET_TEST_NETNS"
	sleep 0.3
}

# Two namespaces with loopback up, joined by veth pairs:
#   netns_pair [-d] NS_A NS_B [DEV_A DEV_B]...
# one veth pair per DEV_A DEV_B (DEV_A in NS_A), brought up unless -d
# (a bond enslaves only devices that are down). `netns_unpair NS_A NS_B`
# deletes both; ktap_run_suite also deletes, after each test, the
# namespaces its netns_pair calls left behind.
netns_pair() {
	local up=1
	if [ "$1" = -d ]; then
		up=0
		shift
	fi
	local a=$1 b=$2
	shift 2
	netns_add "$a" "$b"
	while [ $# -ge 2 ]; do
		ip link add "$1" netns "$a" type veth peer name "$2" netns "$b" ||
			fail "veth $a/$1 <-> $b/$2"
		if [ $up = 1 ]; then
			ip -n "$a" link set "$1" up || fail "$a/$1 up"
			ip -n "$b" link set "$2" up || fail "$b/$2 up"
		fi
		shift 2
	done
}

# Delete namespaces (those of a netns_pair), and let their devices go.
netns_unpair() {
	local ns
	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	sleep 0.3
}

# Run a set-up once with each driver and compare what it printed:
#   same_as_c FUNC [ARGS...]
# runs `FUNC c ARGS...` then `FUNC rust ARGS...` (FUNC loads the driver
# its first argument names), each as a plain command (set -e applies, not
# inside $(...)), keeps both outputs in $RVNET_RESULTS/<suite>.<test>.{c,rust}
# and fails the test if they differ (the diff goes to the test's log). The
# Rust output is printed, for further checks: `out=$(cat "$SAME_AS_C_RUST")`.
same_as_c() {
	local f=$1
	shift
	local base=${RVNET_TEST_MARK%.mark}
	[ -n "${RVNET_TEST_MARK:-}" ] || base=/tmp/same_as_c.$$
	"$f" c "$@" >"$base.c"
	# The Rust half starts from what the C half started from: the
	# namespaces the C half made (netns_add, netns_pair) go first.
	netns_del_test
	"$f" rust "$@" >"$base.rust"
	SAME_AS_C_RUST=$base.rust
	cat "$base.rust"
	[ -s "$base.c" ] || fail "$f: no output from C"
	diff -u "$base.c" "$base.rust" >&2 || fail "$f${*:+ $*}: Rust differs from C (diff above)"
}

# Lets every net_ratelimit() line through until the test ends (sysctl
# net.core.message_cost 0): that limit is one burst for the whole kernel,
# so which of a test's ratelimited lines it keeps depends on what else was
# logged in the last five seconds (the other driver's half included).
# The runner puts the cost back after the test, failed or not.
net_ratelimit_off() {
	[ -e "${RVNET_TEST_MARK:-/nonexistent}.msgcost" ] ||
		sysctl -n net.core.message_cost >"${RVNET_TEST_MARK:-/tmp/rvnet}.msgcost"
	sysctl -qw net.core.message_cost=0
}

# The runner's half of net_ratelimit_off: the cost a test found.
net_ratelimit_restore() { # MARK
	[ -s "$1.msgcost" ] || return 0
	sysctl -qw net.core.message_cost="$(cat "$1.msgcost")"
	rm -f "$1.msgcost"
}

kmsg() {
	python3 "$RVNET_ROOT/tests/lib/kmsg.py" "$@"
}

# The lines logged since kmsg sequence number SEQ that match the extended
# regex ERE, each as its level and the line as the kernel logged it
# ("<3>bond0: ...", no time): two drivers' lines compare as they are.
kmsg_lines() { # SEQ ERE
	kmsg --bare --from "$1" | grep -E "$2" || true
}

# The kernel log of this suite's window (see the header).
window_dmesg() {
	kmsg --from "${RVNET_DMESG_CURSOR:-0}" "$@"
}

# Kernel problems in this suite's window.
splats() {
	window_dmesg | grep -E "$RVNET_SPLAT_RE_FULL" || true
}

# Whether the guest's kmemleak runs (a guest booted with kmemleak=off,
# RVNET_KMEMLEAK=off, keeps the file but refuses its commands).
kmemleak_on() {
	[ "${RVNET_KMEMLEAK:-}" != off ] && [ -w /sys/kernel/debug/kmemleak ]
}

# kmemleak's report after two scans (objects younger than its minimum age,
# 5 s, are not reported yet: the next window or the guest's final check
# sees them).
kmemleak_report() {
	local f=/sys/kernel/debug/kmemleak
	kmemleak_on || return 0
	echo scan >$f
	sleep 1
	echo scan >$f
	cat $f
}

# The time limit of test $1 (without test_): TIME_LIMIT_<name> or 300 s.
time_limit_of() {
	local v="TIME_LIMIT_$1"
	echo "${!v:-${RVNET_TEST_TIME_LIMIT:-300}}"
}

# The processes of the test whose shell is $1: its process group and every
# descendant of the shell in another group (GNU timeout, for one, moves
# itself and its command to a group of their own).
procs_of_test() { # PID
	ps -eo pid=,ppid=,pgid= | awk -v g="$1" '
		{ par[$1] = $2; grp[$1] = $3 }
		END {
			for (p in par) {
				q = p
				while (q > 1 && q != g && grp[q] != g) q = par[q]
				if (q == g || grp[q] == g) print p
			}
		}'
}

# Run test function $1 with its output in $2 and its marker in $3, in its
# own process group, killed after $4 seconds; return its status.
run_one_test() {
	local t=$1 log=$2 mark=$3 lim=$4 pid wd rc
	# Job control only to give the test and the watchdog their own process
	# groups, so a kill reaches every process the test started.
	set -m
	(
		set -e
		shopt -s inherit_errexit
		export RVNET_TEST_MARK=$mark RVNET_TEST_NETNS=$mark.netns
		cd /tmp
		if [ -n "${RVNET_TRACE:-}" ]; then
			# Where a test spends its time: each command with its
			# wall-clock time, in a file of its own beside the log
			# (not on stderr, which outputs compared with C capture).
			exec 19>"${log%.log}.trace"
			BASH_XTRACEFD=19
			PS4='+ ${EPOCHREALTIME} '
			set -x
		fi
		$t
	) >"$log" 2>&1 </dev/null &
	pid=$!
	(
		sleep "$lim"
		{
			echo "FAIL: timed out after $lim s; it was running (pid, state, time, kernel wait, command):"
			local p procs
			procs=$(procs_of_test "$pid")
			for p in $procs; do
				ps -o pid=,ppid=,stat=,etime=,wchan:24=,args= -p "$p" | sed 's/^/    /'
			done
			# Signals pending, blocked, ignored and caught.
			for p in $procs; do
				echo "    $p: $(grep '^Sig\|^ShdPnd' "/proc/$p/status" 2>/dev/null | tr '\t\n' '  ')"
			done
			# Where the test's processes wait in the kernel.
			for p in $procs; do
				[ -r "/proc/$p/stack" ] || continue
				echo "    --- $p"
				sed 's/^/    /' "/proc/$p/stack"
			done
		} >>"$mark" 2>/dev/null
		kill -KILL -- "-$pid" $procs
	) >/dev/null 2>&1 </dev/null &
	wd=$!
	set +m
	{ wait "$pid"; rc=$?; } 2>/dev/null
	kill -KILL -- "-$wd" 2>/dev/null
	{ wait "$wd"; } 2>/dev/null
	# Background processes the test left behind.
	kill -KILL -- "-$pid" 2>/dev/null
	return $rc
}

ktap_run_suite() {
	local suite=$1
	local tests
	tests=$(declare -F | awk '{print $3}' | grep '^test_' || true)
	if [ -n "${RVNET_TEST:-}" ]; then
		# One test, or several as an extended regex: "a|b".
		tests=$(echo "$tests" | grep -xE "test_(${RVNET_TEST#test_})" || true)
	fi
	local n
	n=$(echo "$tests" | grep -c . || true)
	echo "KTAP version 1"
	echo "# Subtest: $suite"
	echo "1..$((n + 2))"
	local i=0 failed=0 t name before_devs before_mods
	before_devs=$(guest_state)
	before_mods=$(suite_modules)
	mkdir -p "$RVNET_RESULTS"
	rm -f "$RVNET_RESULTS/$suite.times"
	! kmemleak_on || echo clear >/sys/kernel/debug/kmemleak
	for t in $tests; do
		i=$((i + 1))
		name=${t#test_}
		local log="$RVNET_RESULTS/$suite.$name.log"
		local mark="$RVNET_RESULTS/$suite.$name.mark"
		local rc errexit=0 t0=$SECONDS lim
		lim=$(time_limit_of "$name")
		rm -f "$mark" "$mark.netns" "$mark.msgcost"
		[[ $- == *e* ]] && errexit=1
		set +e
		run_one_test "$t" "$log" "$mark" "$lim"
		rc=$?
		[ $errexit = 0 ] || set -e
		# A check that failed where set -e could not see it still fails;
		# a skip fails too (tests/manifest says what must run).
		local directive=""
		if [ -s "$mark" ]; then
			[ $rc != 0 ] || rc=1
			# What the helpers also printed to stderr is in the log already.
			grep -vxF -f "$log" "$mark" >>"$log" || true
			if ! grep -q '^FAIL:' "$mark"; then
				directive=" # SKIP $(sed -n 's/^SKIP: //p' "$mark" | head -1)"
			fi
		fi
		if [ -s "$mark.netns" ]; then
			sort -u "$mark.netns" | while read -r ns; do ip netns del "$ns" 2>/dev/null; done
		fi
		net_ratelimit_restore "$mark"
		rm -f "$mark" "$mark.netns"
		echo "$((SECONDS - t0)) $suite.$name" >>"$RVNET_RESULTS/$suite.times"
		if [ $rc = 0 ]; then
			echo "ok $i $name"
		else
			failed=1
			echo "not ok $i $name$directive"
			sed 's/^/    # /' "$log" | tail -20
			window_dmesg >"$RVNET_RESULTS/$suite.$name.dmesg"
		fi
	done
	# Last test of every suite: the kernel stayed clean in the suite's
	# window; the window's end is the next suite's cursor.
	i=$((i + 1))
	local s leak t0=$SECONDS
	leak=$(kmemleak_report)
	s=$(window_dmesg --end "$RVNET_RESULTS/$suite.cursor" | grep -E "$RVNET_SPLAT_RE_FULL" || true)
	echo "$((SECONDS - t0)) $suite.no_kernel_splat" >>"$RVNET_RESULTS/$suite.times"
	if [ -z "$s" ] && [ -z "$leak" ]; then
		echo "ok $i no_kernel_splat"
	else
		failed=1
		echo "not ok $i no_kernel_splat"
		{ echo "$s"; echo "$leak"; } | head -40 | sed 's/^/    # /'
		{ window_dmesg; echo "--- kmemleak ---"; echo "$leak"; } >"$RVNET_RESULTS/$suite.no_kernel_splat.dmesg"
	fi
	# And the suite left the guest as it found it: no namespace, no device
	# of the initial namespace it did not find (the next suite of this
	# guest would trip over them). Devices of a deleted namespace's veth
	# pairs go asynchronously (cleanup_net): a bound of 60 s.
	i=$((i + 1))
	local after m
	# The driver modules the suite loaded go (a later suite of this guest
	# picks its own: one left loaded would serve, or refuse, its devices).
	for m in $(suite_modules); do
		grep -qx "$m" <<<"$before_mods" || rmmod "$m" 2>/dev/null || true
	done
	GUEST_STATE_BEFORE=$before_devs wait_for 60 guest_state_unchanged || true
	after=$(guest_state)
	if [ "$after" = "$before_devs" ]; then
		echo "ok $i left_guest_clean"
	else
		failed=1
		echo "not ok $i left_guest_clean"
		diff <(echo "$before_devs") <(echo "$after") | sed -n 's/^[<>]/    # &/p'
	fi
	return $failed
}

guest_state_unchanged() {
	[ "$(guest_state)" = "$GUEST_STATE_BEFORE" ]
}

# The driver modules, ours and C's, and the C team driver the suites use
# as an independent peer (in unloading order).
DRIVER_MODULES="rvnet_bridge rvnet_bond rvnet_vlan rvnet_teql rvnet_alias rvnet_ipip rvnet_gre rvnet_sit rvnet_tunnels rdummy bridge bonding 8021q sch_teql ipip ip_gre sit
team_mode_loadbalance team_mode_activebackup team_mode_roundrobin team_mode_broadcast team_mode_random team"

# Those loaded now.
suite_modules() {
	local m
	for m in $DRIVER_MODULES; do
		[ ! -e "/sys/module/$m/refcnt" ] || echo "$m"
	done
}

# The state a suite must leave as it found it: the initial namespace's
# devices, the `ip netns` namespaces and the loaded driver modules
# (builtins only).
guest_state() {
	local f
	for f in /sys/class/net/*; do
		echo "device ${f##*/}"
	done
	for f in /run/netns/*; do
		[ ! -e "$f" ] || echo "netns ${f##*/}"
	done
	for f in $DRIVER_MODULES; do
		[ ! -e "/sys/module/$f/refcnt" ] || echo "module $f"
	done
}
