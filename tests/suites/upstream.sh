#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cost: 118 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
#
# A smoke run of the kernel's own selftests (tools/testing/selftests of the
# test kernel tree) against the rvnet modules. The C modules are refused
# for the whole suite (upstream_suite, tests/lib/upstream.sh: modprobe finds
# them by no route), so no test can fall back to them; the rvnet
# modules are installed with `make install` (tests/lib/modinstall.sh) and
# autoloaded by the selftests' own `ip link add ... type vlan|bond` and
# `tc qdisc add ... teql0`.
#
# One KTAP test per upstream test: its exit status 0 passes; 4 (kselftest
# "skip") and anything else fail. Upstream tests that need a feature rvnet
# lacks are not listed (README, "Upstream selftests"). The bonding
# selftests are in upstream_bond.sh and upstream_bond_options.sh.
# bond-break-lacpdu-tx.sh counts LACPDUs sent in the first seconds after the
# peer comes up (the fast periodic phase before the port defaults): in a
# TCG guest its own commands take longer, and C bonding counts 0 of the 2
# there, as rvnet_bond does (measured session 7; bond_lacp checks LACPDUs).
# net/forwarding mirror_vlan.sh and router_bridge_vlan_upper.sh pass too
# (session 5) but are left out of make check for its time (178 s and 68 s
# of a TCG guest): run them by hand with `T=upstream` after adding them back.
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/upstream.sh"


# The suite refuses the C modules and gives ours for every link kind.
test_c_modules_refused() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	local m
	for m in 8021q bonding sch_teql; do
		grep -qxF $m "$RVNET_MODROOT/refused" || fail "$m is not among the refused modules"
		assert_fails modprobe $m
		if module_loaded $m; then fail "$m loaded"; fi
	done
	in_netns bash -c '
		ip link add d0 type veth peer name d1
		ip link add link d0 name d0.7 type vlan id 7
		ip link add b0 type bond
		tc qdisc add dev d1 root teql0
		ethtool -i d0.7; ethtool -i b0' >/tmp/drivers.txt
	assert_contains "$(cat /tmp/drivers.txt)" "driver: rvnet_vlan"
	assert_contains "$(cat /tmp/drivers.txt)" "driver: rvnet_bond"
	check "rvnet_teql autoloaded" module_loaded rvnet_teql
	# Its teql0 lives in the initial namespace: the guest is left clean
	# whichever test runs next (or none, with a filter).
	unload_modules rvnet_vlan rvnet_bond rvnet_teql
}

# --- VLAN (net/forwarding: four veths, VRFs for the hosts) ---

test_vlan_router_vid_1() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	upstream rvnet_vlan net/forwarding router_vid_1.sh p1 p2 p3 p4
}

test_vlan_router_bridge_vlan() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	# The bridge filters VLANs: C bridge.ko serves it (rvnet_bridge, which
	# the installed aliases would load, refuses vlan_filtering).
	UPSTREAM_PRELOAD=bridge upstream rvnet_vlan net/forwarding router_bridge_vlan.sh p1 p2 p3 p4
}

test_vlan_tc_vlan_modify() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	# Its bridge filters VLANs too: C bridge.ko serves it.
	UPSTREAM_PRELOAD=bridge upstream rvnet_vlan net/forwarding tc_vlan_modify.sh p1 p2 p3 p4
}

# A VLAN on a bond and on its slave, the slave released (VLAN filter sync).
test_vlan_hw_filter() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	upstream rvnet_vlan net vlan_hw_filter.sh
	check "rvnet_bond autoloaded too" module_loaded rvnet_bond
}

# --- TEQL (tc-testing's teql cases through tdc) ---

test_teql_tdc() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	local out=$UPSTREAM_OUT n
	upstream rvnet_teql tc-testing tdc.py -f tc-tests/qdiscs/teql.json
	check "tdc planned the 4 teql cases" grep -q "^1\.\.4$" $out
	n=$(grep -c "^ok [0-9]" $out || true)
	assert_eq "$n" 4 "teql cases passed"
	if grep -qi "skip\|^not ok" $out; then fail "tdc: $(grep -i 'skip\|^not ok' $out)"; fi
}

upstream_suite upstream 8021q bonding sch_teql
