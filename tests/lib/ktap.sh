#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP helpers for rvnet's QEMU test suites (sourced inside the guest).
#
# A suite file defines functions named test_* and calls `ktap_run_suite`.
# Each test runs in a subshell with `set -e`; a test passes if it returns 0.
# On failure, its output and the guest's dmesg are kept in
# $RVNET_RESULTS/<suite>.<test>.{log,dmesg}.

RVNET_ROOT=${RVNET_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
RVNET_RESULTS=${RVNET_RESULTS:-/tmp/rvnet-results}
RTNL="python3 $RVNET_ROOT/tests/lib/rtnl.py"
. "$RVNET_ROOT/tests/lib/splat.sh"

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
# When our module failed to register, `ip link add ... type vlan|bond`
# autoloads the C driver; a test that does not say which driver it tested
# could compare C with C.
expect_driver() {
	local dev=$1 want=$2 ns=${3:-} got
	if [ -n "$ns" ]; then
		got=$(ip netns exec "$ns" ethtool -i "$dev" 2>/dev/null | sed -n 's/^driver: //p')
	else
		got=$(ethtool -i "$dev" 2>/dev/null | sed -n 's/^driver: //p')
	fi
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

# The driver serving a device (`ethtool -i`).
driver_of() {
	ethtool -i "$1" | sed -n 's/^driver: //p'
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

# Kernel problems seen in dmesg since the last clear.
splats() {
	dmesg | grep -E "$RVNET_SPLAT_RE_FULL" || true
}

kmemleak_report() {
	local f=/sys/kernel/debug/kmemleak
	[ -w $f ] || return 0
	echo scan >$f
	sleep 1
	echo scan >$f
	cat $f
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
	echo "1..$((n + 1))"
	local i=0 failed=0 t
	mkdir -p "$RVNET_RESULTS"
	rm -f "$RVNET_RESULTS/$suite.times"
	[ -w /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak
	for t in $tests; do
		i=$((i + 1))
		local log="$RVNET_RESULTS/$suite.${t#test_}.log"
		# Not in an `if` or `||` list: there bash ignores `set -e` inside
		# the subshell too, and only a test's last command would count.
		local rc errexit=0
		[[ $- == *e* ]] && errexit=1
		set +e
		local t0=$SECONDS
		local mark="$RVNET_RESULTS/$suite.${t#test_}.mark"
		rm -f "$mark"
		(set -e; export RVNET_TEST_MARK=$mark; cd /tmp; $t) >"$log" 2>&1
		rc=$?
		# A check that failed where set -e could not see it still fails.
		if [ -s "$mark" ]; then
			[ $rc != 0 ] || rc=1
			cat "$mark" >>"$log"
		fi
		rm -f "$mark"
		echo "$((SECONDS - t0)) $suite.${t#test_}" >>"$RVNET_RESULTS/$suite.times"
		[ $errexit = 0 ] || set -e
		if [ $rc = 0 ]; then
			echo "ok $i ${t#test_}"
		else
			failed=1
			echo "not ok $i ${t#test_}"
			sed 's/^/    # /' "$log" | tail -20
			dmesg >"$RVNET_RESULTS/$suite.${t#test_}.dmesg"
		fi
	done
	# Last test of every suite: the kernel stayed clean.
	i=$((i + 1))
	local s leak t0=$SECONDS
	s=$(splats)
	leak=$(kmemleak_report)
	echo "$((SECONDS - t0)) $suite.no_kernel_splat" >>"$RVNET_RESULTS/$suite.times"
	if [ -z "$s" ] && [ -z "$leak" ]; then
		echo "ok $i no_kernel_splat"
	else
		failed=1
		echo "not ok $i no_kernel_splat"
		{ echo "$s"; echo "$leak"; } | head -40 | sed 's/^/    # /'
		{ dmesg; echo "--- kmemleak ---"; echo "$leak"; } >"$RVNET_RESULTS/$suite.no_kernel_splat.dmesg"
	fi
	return $failed
}
