#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cost: 247 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
#
# The kernel's own selftests (tools/testing/selftests of the test kernel
# tree) against the rvnet tunnel drivers, with the C tunnel modules
# refused for the whole suite (upstream_suite, tests/lib/upstream.sh:
# modprobe finds them by no route), so nothing can fall back to them. The rvnet
# modules are installed with `make install` (tests/lib/modinstall.sh) and
# autoloaded by the selftests' own `ip link add ... type ipip` (the
# "rtnl-link-ipip" alias of scripts/modprobe/rvnet.conf; tunnel4.ko comes
# in as rvnet_ipip's dependency).
#
# One KTAP test per upstream test (tests/lib/upstream.sh): exit status 0
# passes, 4 (kselftest "skip") and anything else fail, and every case it
# reports must say OK. rvnet_gre comes in the same way ("rtnl-link-gre",
# "rtnl-link-gretap", "netdev-gre0"; gre.ko, the GRE demultiplexer, as its
# dependency). rvnet_sit comes in by "rtnl-link-sit" (tunnel4.ko again as
# its dependency) for pmtu.sh's IPv6-over-IPv4 case (rtnetlink.sh has no
# sit case).
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/upstream.sh"

# The suite refuses C ipip.ko and gives ours for `type ipip`.
test_c_ipip_refused() {
	# driver: none (ethtool -i in a namespace checks rvnet_ipip serves the autoloaded kind; C ipip.ko is refused for the suite (upstream_suite))
	c_module_refused ipip rvnet_ipip t0 'ip link add t0 type ipip remote 10.9.9.9'
}

# IPv4 over ipip: an ICMP "fragmentation needed" about the outer packets
# (ipip_err, ipv4_update_pmtu) becomes a route exception for the inner
# destination on the next packet (tnl_update_pmtu): 4000 - 20.
test_pmtu_ipv4_ipv4_exception() {
	# driver: none (the upstream script makes and deletes its own tunnels; C ipip.ko is refused for the suite (upstream_suite) and rvnet_ipip is checked loaded)
	upstream rvnet_ipip net pmtu.sh pmtu_ipv4_ipv4_exception
	# Once with plain routes, once with nexthop objects.
	upstream_cases_passed 2
	unload_modules rvnet_ipip
}

# The same over FOU and GUE (ipip with `encap fou|gue`, the built-in
# fou.ko's UDP sockets on both ends): the encapsulation's 8 or 12 bytes
# come off the inner PMTU.
test_pmtu_ipv4_fou4_exception() {
	# driver: none (the upstream script makes and deletes its own tunnels; C ipip.ko is refused for the suite (upstream_suite) and rvnet_ipip is checked loaded)
	upstream rvnet_ipip net pmtu.sh pmtu_ipv4_fou4_exception
	upstream_cases_passed 2
	unload_modules rvnet_ipip
}

test_pmtu_ipv4_gue4_exception() {
	# driver: none (the upstream script makes and deletes its own tunnels; C ipip.ko is refused for the suite (upstream_suite) and rvnet_ipip is checked loaded)
	upstream rvnet_ipip net pmtu.sh pmtu_ipv4_gue4_exception
	upstream_cases_passed 2
	unload_modules rvnet_ipip
}

# The suite refuses C sit.ko and gives ours for `type sit`.
test_c_sit_refused() {
	# driver: none (ethtool -i in a namespace checks rvnet_sit serves the autoloaded kind; C sit.ko is refused for the suite (upstream_suite))
	c_module_refused sit rvnet_sit s0 'ip link add s0 type sit remote 10.9.9.9'
}

# IPv6 over sit (mode ip6ip): an ICMP "fragmentation needed" about the
# outer packets (ipip6_err, ipv4_update_pmtu) lowers the route's MTU, and
# the next IPv6 packet too big for it gets "packet too big" from the
# tunnel (ipip6_tunnel_xmit): an IPv6 route exception of 4000 - 20.
# (Two cases of a few route exceptions each, slow in a loaded 1-vCPU guest:
# its first case alone took 300 s beside a kernel build.)
TIME_LIMIT_pmtu_ipv6_ipv4_exception=600
test_pmtu_ipv6_ipv4_exception() {
	# driver: none (the upstream script makes and deletes its own tunnels; C sit.ko is refused for the suite (upstream_suite) and rvnet_sit is checked loaded)
	upstream rvnet_sit net pmtu.sh pmtu_ipv6_ipv4_exception
	# Once with plain routes, once with nexthop objects.
	upstream_cases_passed 2
	unload_modules rvnet_sit
}

# The suite refuses C ip_gre.ko and gives ours for `type gre`.
test_c_ip_gre_refused() {
	# driver: none (ethtool -i in a namespace checks rvnet_gre serves the autoloaded kind; C ip_gre.ko is refused for the suite (upstream_suite))
	c_module_refused ip_gre rvnet_gre g0 'ip link add g0 type gre remote 10.9.9.9'
}

# rtnetlink.sh's GRE cases: a gre tunnel made with `ip tunnel add` (the
# ioctl on gre0), addresses, a route and netconf on it; gretap with
# sequence numbers and a key, then in external mode.
test_rtnetlink_gre() {
	# driver: none (the upstream script makes and deletes its own tunnels; C ip_gre.ko is refused for the suite (upstream_suite) and rvnet_gre is checked loaded)
	upstream rvnet_gre net rtnetlink.sh -t "kci_test_gre kci_test_gretap"
	check "the gre case ran and passed" grep -q "PASS: gre tunnel endpoint" "$UPSTREAM_OUT"
	check "the gretap case ran and passed" grep -q "PASS: gretap" "$UPSTREAM_OUT"
	unload_modules rvnet_gre
}

# Two hosts routed over a GRE tunnel between two switches (VRFs), the
# tunnel in the default VRF on one side and bound to a device of another
# VRF on the other (flat) or the underlay in a VRF of its own (hier), with
# and without keys; then the underlay's MTU changes under the tunnel.
test_ipip_flat_gre() {
	# driver: none (the upstream script makes and deletes its own tunnels; C ip_gre.ko is refused for the suite (upstream_suite) and rvnet_gre is checked loaded)
	upstream rvnet_gre net/forwarding ipip_flat_gre.sh
	# The ping across, then with 1800 bytes after the MTU change.
	upstream_cases_passed 2
	unload_modules rvnet_gre
}

test_ipip_flat_gre_key() {
	# driver: none (the upstream script makes and deletes its own tunnels; C ip_gre.ko is refused for the suite (upstream_suite) and rvnet_gre is checked loaded)
	upstream rvnet_gre net/forwarding ipip_flat_gre_key.sh
	# The ping across, then with 1800 bytes after the MTU change.
	upstream_cases_passed 2
	unload_modules rvnet_gre
}

test_ipip_hier_gre() {
	# driver: none (the upstream script makes and deletes its own tunnels; C ip_gre.ko is refused for the suite (upstream_suite) and rvnet_gre is checked loaded)
	upstream rvnet_gre net/forwarding ipip_hier_gre.sh
	# The ping across, then with 1800 bytes after the MTU change.
	upstream_cases_passed 2
	unload_modules rvnet_gre
}

upstream_suite upstream_tunnel ipip ip_gre sit 8021q bonding sch_teql bridge
