#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cost: 379 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
#
# The kernel's own bonding selftests (drivers/net/bonding and net's
# rtnetlink.sh of the test kernel's tools/testing/selftests) against
# rvnet_bond, with C bonding.ko refused for the whole suite (upstream_suite,
# tests/lib/upstream.sh: modprobe finds it by no route), so that no test
# can fall back to it; rvnet_bond is installed with `make install`
# (tests/lib/modinstall.sh) and autoloaded by the selftests' own
# `ip link add ... type bond`. One KTAP test per upstream test: its exit
# status 0 passes; 4 (kselftest "skip") and anything else fail.
#
# bond-break-lacpdu-tx.sh is not listed: it counts LACPDUs sent in the
# first seconds after the peer comes up (the fast periodic phase before
# the port defaults); in a TCG guest its own commands take longer, and C
# bonding counts 0 of the 2 there, as rvnet_bond does (measured session 7;
# bond_lacp checks LACPDUs). bond_options.sh's prio and arp_validate cases
# are upstream_bond_options.sh (a suite of their own for the queue).
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/upstream.sh"

# The selftests sleep through updelays of up to 10 s (123 s and 133 s
# seen alone).
TIME_LIMIT_bond_mode_1_recovery_updelay=450
TIME_LIMIT_bond_mode_2_recovery_updelay=450
TIME_LIMIT_bond_options_num_grat_arp=600
TIME_LIMIT_bond_macvlan_ipvlan=600

# The suite refuses C bonding and gives rvnet_bond for the link kind.
test_c_bonding_refused() {
	# driver: none (ethtool -i in a namespace checks rvnet_bond serves the autoloaded kind; C bonding.ko is refused for the suite (upstream_suite))
	c_module_refused bonding rvnet_bond b0 'ip link add b0 type bond'
}

test_bond_mode_1_recovery_updelay() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	upstream rvnet_bond drivers/net/bonding mode-1-recovery-updelay.sh
}

test_bond_mode_2_recovery_updelay() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	upstream rvnet_bond drivers/net/bonding mode-2-recovery-updelay.sh
}

# A bond (itself a slave of another) given nlmon's type and back, after a
# failed (balance-rr) and a successful (active-backup) enslave: IFF_MASTER
# and IFF_SLAVE kept. The script does not check the type changed: the
# link messages of its namespace show test-bond0 as link/netlink.
test_bond_eth_type_change() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	UPSTREAM_MONITOR=1 upstream rvnet_bond drivers/net/bonding bond-eth-type-change.sh
	upstream_cases_passed 2
	grep -q "test-bond0: .*link/netlink" "$UPSTREAM_OUT.mon" ||
		fail "test-bond0 never link/netlink: $(grep test-bond0 "$UPSTREAM_OUT.mon" | tail -5)"
	if grep -q "test-bond1: .*link/netlink" "$UPSTREAM_OUT.mon"; then
		fail "test-bond1 (the upper bond) became link/netlink"
	fi
}

# net/rtnetlink.sh's bonding case: an up dummy enslaved to a balance-rr
# bond and set down in the same command.
test_bond_rtnetlink_enslave() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	upstream rvnet_bond net rtnetlink.sh -t kci_test_enslave_bonding
	check "the bonding case ran and passed" grep -q "PASS: enslave interface in a bond" "$UPSTREAM_OUT"
}

# drivers/net/bonding/bond_macvlan_ipvlan.sh: macvlans (bridge, passthru,
# private, vepa... ) and ipvlans above an active-backup, balance-tlb and
# balance-alb bond reach the client and each other.
test_bond_macvlan_ipvlan() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	upstream rvnet_bond drivers/net/bonding bond_macvlan_ipvlan.sh
	upstream_cases_passed 96
}

# drivers/net/bonding/dev_addr_lists.sh: a macvlan's address on the
# slaves is removed when the bond is cleaned up (active-backup, 802.3ad),
# and the LACPDU multicast address is on a slave while the 802.3ad bond
# is up, from either initial state.
test_bond_dev_addr_lists() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	upstream rvnet_bond drivers/net/bonding dev_addr_lists.sh
	upstream_cases_passed 4
}

# drivers/net/bonding/bond-lladdr-target.sh: an active-backup bond whose
# ns_ip6_target is the link-local address of a bridge behind its slaves
# (arp_validate 3, the NS monitor every second) gets its carrier.
test_bond_lladdr_target() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	upstream rvnet_bond drivers/net/bonding bond-lladdr-target.sh
	check "the bond came up" grep -qx PASS "$UPSTREAM_OUT"
}

# drivers/net/bonding/bond-arp-interval-causes-panic.sh: a bond pinging
# in active-backup (miimon, all_slaves_active), then its slave released
# and the bond turned into balance-rr with the ARP monitor (arp_interval,
# a target added with "+") and the slave enslaved again: pings both
# times, no crash (the C bug it guards against).
test_bond_arp_interval_causes_panic() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	local panic
	panic=$(cat /proc/sys/kernel/panic)
	upstream rvnet_bond drivers/net/bonding bond-arp-interval-causes-panic.sh
	# The script leaves its namespaces and kernel.panic set to 180.
	ip netns del client 2>/dev/null || true
	ip netns del server 2>/dev/null || true
	echo "$panic" >/proc/sys/kernel/panic
}

# bond_options.sh's num_grat_arp cases (bond_topo_3d1c.sh: a bond of
# three veths to a bridge in a switch namespace, a client behind it):
# num_grat_arp 10, 20, 30 after a failover, counted on the switch port
# (tc flower).
test_bond_options_num_grat_arp() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	upstream_bond_options num_grat_arp 3
}

upstream_suite upstream_bond bonding
