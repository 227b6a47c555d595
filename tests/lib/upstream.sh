# SPDX-License-Identifier: GPL-2.0
#
# Running the kernel's own selftests (tools/testing/selftests of the test
# kernel tree) against the rvnet modules (sourced inside the guest by the
# upstream suites). The rvnet modules are installed with `make install`
# (tests/lib/modinstall.sh) and autoloaded by the selftests' own commands;
# the C modules of the same kinds are refused for the whole suite
# (upstream_suite: modprobe no longer finds them by any route), so no test
# can fall back to them, and each test checks none of them was loaded.

source "$RVNET_ROOT/tests/lib/modinstall.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"

KSFT_SKIP=4
UPSTREAM_OUT=/tmp/upstream.out
SELFTESTS=$(readlink -f "/lib/modules/$(uname -r)/build")/tools/testing/selftests
# Every module an upstream test may autoload: each test starts with none of
# them loaded, so that its own commands must load the one it checks.
UPSTREAM_MODULES="rvnet_vlan rvnet_bond rvnet_teql rvnet_bridge rvnet_ipip rvnet_gre bridge"

# Run one upstream test in a fresh namespace, from its own directory (the
# scripts source their libraries relative to it), with nothing of ours
# loaded before: the test's own commands must autoload MODULE. Exit status
# 0 passes; 4 (kselftest "skip") and anything else fail. The output goes
# to the test's log and to $UPSTREAM_OUT. With UPSTREAM_PRELOAD set, that
# module is loaded by name first (a C module the test needs beside ours);
# UPSTREAM_TIMEOUT (900 s) bounds the script itself. With UPSTREAM_MONITOR
# set, the test's namespace's link messages (`ip -o monitor link`) are kept
# in $UPSTREAM_OUT.mon, for what the script itself does not check.
#   [UPSTREAM_PRELOAD=M] [UPSTREAM_MONITOR=1] upstream MODULE DIR SCRIPT [ARGS...]
upstream() {
	local mod=$1 dir=$2 script=$3 ns=ksft_${3%.*} rc=0
	shift 3
	# shellcheck disable=SC2086 # a list of module names
	unload_modules $UPSTREAM_MODULES
	if [ -n "${UPSTREAM_PRELOAD:-}" ]; then
		modprobe "$UPSTREAM_PRELOAD" || fail "modprobe $UPSTREAM_PRELOAD"
	fi
	# A test killed at its time limit runs no trap: start clean.
	ip netns del $ns 2>/dev/null || true
	ip netns add $ns
	# Deleted by the runner too if the test is killed at its time limit.
	[ -z "${RVNET_TEST_NETNS:-}" ] || echo "$ns" >>"$RVNET_TEST_NETNS"
	trap "ip netns del $ns 2>/dev/null || true" EXIT
	local mon=""
	if [ -n "${UPSTREAM_MONITOR:-}" ]; then
		ip -n $ns -o monitor link >"$UPSTREAM_OUT.mon" 2>&1 &
		mon=$!
		# Listening before the test's first change.
		sleep 1
	fi
	local run=bash
	[ "${script%.py}" = "$script" ] || run=/usr/bin/python3
	# Through tee: a test killed at its time limit still shows how far it
	# got.
	local rcf=$UPSTREAM_OUT.rc
	echo 1 >"$rcf"
	{
		(cd "$SELFTESTS/$dir" && PYTHONDONTWRITEBYTECODE=1 timeout "${UPSTREAM_TIMEOUT:-900}" \
			ip netns exec $ns $run "./$script" "$@") 2>&1 </dev/null &&
			echo 0 >"$rcf" || echo $? >"$rcf"
	} | tee "$UPSTREAM_OUT"
	rc=$(<"$rcf")
	if [ -n "$mon" ]; then
		sleep 0.5
		kill "$mon" 2>/dev/null || true
		wait "$mon" 2>/dev/null || true
	fi
	[ $rc != $KSFT_SKIP ] || fail "$dir/$script skipped (kselftest exit 4)"
	[ $rc = 0 ] || fail "$dir/$script exited $rc"
	check "$mod autoloaded by the test" module_loaded "$mod"
	local m
	for m in $(cat "$RVNET_MODROOT/refused"); do
		if module_loaded "$m"; then fail "refused C module $m was loaded during the test"; fi
	done
}

# Run the upstream suite SUITE (ktap_run_suite) with the rvnet modules
# installed and the C modules CMOD... refused.
#   upstream_suite SUITE CMOD...
upstream_suite() {
	local suite=$1
	shift
	rvnet_install_modules "$@" || {
		echo "make install failed"
		exit 1
	}
	trap rvnet_uninstall_modules EXIT
	ktap_run_suite "$suite"
}

# The suite refuses C module CMOD (upstream_suite: modprobe finds it by no
# route) and the kernel's on-demand load for KIND gives RMOD instead: DEV,
# made in a scratch namespace by CMD, is served by RMOD (ethtool -i).
#   c_module_refused CMOD RMOD DEV CMD
c_module_refused() {
	local cmod=$1 rmod=$2 dev=$3 cmd=$4
	grep -qxF "$cmod" "$RVNET_MODROOT/refused" || fail "$cmod is not among the refused modules"
	if modinfo "$cmod" >/dev/null 2>&1; then fail "modinfo still finds $cmod"; fi
	unload_modules "$rmod"
	assert_fails modprobe "$cmod"
	if module_loaded "$cmod"; then fail "$cmod loaded"; fi
	in_netns bash -c "$cmd; ethtool -i $dev" >/tmp/drivers.txt
	assert_contains "$(cat /tmp/drivers.txt)" "driver: $rmod"
	unload_modules "$rmod"
}

# Every kselftest case the output reports passed, none failed or skipped:
# a script may exit 0 with a case it could not run.
#   upstream_cases_passed N
upstream_cases_passed() {
	local n
	# bond_options.sh's num_grat_arp prints a count with no newline before
	# each of its TEST lines.
	n=$(grep -c "^[0-9]*TEST: .*\[ *OK *\]" "$UPSTREAM_OUT" || true)
	assert_eq "$n" "$1" "cases reported OK"
	if grep -E "^[0-9]*TEST: .*\[ *(FAIL|SKIP|XFAIL) *\]" "$UPSTREAM_OUT"; then
		fail "a case did not pass"
	fi
}

# drivers/net/bonding/bond_options.sh's cases of group GROUP (its TESTS
# variable: prio, arp_validate, num_grat_arp), all N of them passed.
#   upstream_bond_options GROUP N
upstream_bond_options() {
	TESTS=$1 UPSTREAM_TIMEOUT=1150 upstream rvnet_bond drivers/net/bonding bond_options.sh
	upstream_cases_passed "$2"
}
