#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cost: 600 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
#
# The kernel's own bonding selftests (drivers/net/bonding and net's
# rtnetlink.sh of the test kernel's tools/testing/selftests) against
# rvnet_bond, with C bonding.ko refused for the whole suite (upstream_suite,
# tests/lib/upstream.sh: modprobe finds it by no route), so that no test
# can fall back to it; rvnet_bond is installed with `make install`
# (tests/lib/modinstall.sh) and autoloaded by the selftests' own
# `ip link add ... type bond`. One KTAP test per upstream test: its exit
# status 0 passes; 4 (kselftest "skip") and anything else fail.
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/upstream.sh"

TIME_LIMIT_bond_options_prio=1200
TIME_LIMIT_bond_options_arp_validate=1200

# The suite refuses C bonding and gives rvnet_bond for the link kind.
test_c_bonding_refused() {
	# driver: none (ethtool -i in a namespace checks rvnet_bond serves the autoloaded kind; C bonding.ko is refused for the suite (upstream_suite))
	c_module_refused bonding rvnet_bond b0 'ip link add b0 type bond'
}

# drivers/net/bonding/bond_options.sh over bond_topo_3d1c.sh (a bond of
# three veths to a bridge in a switch namespace, a client behind it), one
# KTAP test per group of cases (its TESTS variable; num_grat_arp is in
# upstream_bond.sh, so that the queue spreads them over the guests):
#   prio          per-slave prio with each primary_reselect, in
#                 active-backup, balance-tlb and balance-alb with miimon,
#                 active-backup with the ARP and the NS monitor
#   arp_validate  arp_validate 0-6 with the ARP monitor and with the NS
#                 monitor (two targets; every slave stays up: the backups
#                 validate the solicitations the active slave sends to
#                 the targets' solicited-node groups, which they join)
test_bond_options_prio() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	upstream_bond_options prio 15
}

test_bond_options_arp_validate() {
	# driver: none (the upstream script makes and deletes its own devices; the C modules are refused for the suite (upstream_suite) and the rvnet module is checked loaded)
	upstream_bond_options arp_validate 21
}

upstream_suite upstream_bond_options bonding
