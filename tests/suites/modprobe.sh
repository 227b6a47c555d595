#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cost: 18 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
#
# Modules as users load them: `make install` (modules in
# /lib/modules/<kernel>/updates, depmod, scripts/modprobe/rvnet.conf), then
# `modprobe` by name and the kernel's on-demand loads from `ip link add`
# and `tc qdisc add` pick the rvnet modules, while the C ones stay loadable
# by name.
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/modinstall.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"


unload_all() {
	unload_modules rvnet_vlan rvnet_bond rvnet_teql rvnet_alias rdummy rvnet_bridge \
		rvnet_ipip rvnet_gre rvnet_sit rvnet_tunnels 8021q bonding sch_teql bridge ipip ip_gre sit
}

# Each test: nothing of ours or C's loaded before, nothing left after.
setup_clean() {
	unload_all
	trap 'ip netns del mp 2>/dev/null || true; unload_all' EXIT
	ip netns add mp
	ip -n mp link add d0 type veth peer name d1
}

test_installed_by_make_install() {
	# driver: none (no device: where the installed modules are and what the aliases resolve to)
	local kver m
	kver=$(uname -r)
	for m in rvnet_vlan rvnet_bond rvnet_teql rvnet_alias rdummy rvnet_bridge rvnet_ipip rvnet_gre rvnet_sit \
		rvnet_tunnels; do
		assert_contains "$(modinfo -n $m)" "/lib/modules/$kver/updates/"
	done
	check "snippet in place" test -f /run/modprobe.d/rvnet.conf
	assert_eq "$(modprobe -R rtnl-link-vlan)" rvnet_vlan "rtnl-link-vlan resolves to"
	assert_eq "$(modprobe -R rtnl-link-bond)" rvnet_bond "rtnl-link-bond resolves to"
	assert_eq "$(modprobe -R net-sch-teql0)" rvnet_teql "net-sch-teql0 resolves to"
	assert_eq "$(modprobe -R net-sch-teql1)" rvnet_teql "net-sch-teql1 resolves to"
	assert_eq "$(modprobe -R rtnl-link-rdummy)" rdummy "rtnl-link-rdummy resolves to"
	assert_eq "$(modprobe -R rtnl-link-bridge)" rvnet_bridge "rtnl-link-bridge resolves to"
	assert_eq "$(modprobe -R rtnl-link-ipip)" rvnet_ipip "rtnl-link-ipip resolves to"
	assert_eq "$(modprobe -R netdev-tunl0)" rvnet_ipip "netdev-tunl0 resolves to"
	local k
	for k in rtnl-link-gre rtnl-link-gretap rtnl-link-erspan netdev-gre0 netdev-gretap0 netdev-erspan0; do
		assert_eq "$(modprobe -R $k)" rvnet_gre "$k resolves to"
	done
	assert_eq "$(modprobe -R rtnl-link-sit)" rvnet_sit "rtnl-link-sit resolves to"
	assert_eq "$(modprobe -R netdev-sit0)" rvnet_sit "netdev-sit0 resolves to"
	# The C modules keep their names.
	assert_eq "$(modprobe -R 8021q)" 8021q "8021q resolves to"
	assert_eq "$(modprobe -R bonding)" bonding "bonding resolves to"
	assert_eq "$(modprobe -R bridge)" bridge "bridge resolves to"
	assert_eq "$(modprobe -R ip_gre)" ip_gre "ip_gre resolves to"
	assert_eq "$(modprobe -R sit)" sit "sit resolves to"
}

test_modprobe_by_name() {
	setup_clean
	local m
	for m in rvnet_vlan rvnet_bond rvnet_teql rvnet_alias rdummy rvnet_bridge rvnet_ipip rvnet_gre rvnet_sit; do
		check "modprobe $m" modprobe $m
		check "$m loaded" module_loaded $m
	done
	expect_driver teql0 rvnet_teql
	# (rvnet_ipip, rvnet_gre and rvnet_sit load only with their
	# dependencies, tunnel4 and gre, and rvnet_tunnels, whose
	# /proc/net/tunnels they write to: modprobe brings them, insmod would
	# not.)
	expect_driver gre0 rvnet_gre
	expect_driver tunl0 rvnet_ipip
	expect_driver sit0 rvnet_sit
	check "rvnet_tunnels loaded with them" module_loaded rvnet_tunnels
	assert_eq "$(awk '$1 == "tunl0" || $1 == "gre0" || $1 == "sit0" { print $1, $2 }' /proc/net/tunnels | sort | xargs)" \
		"gre0 gre sit0 sit tunl0 ipip" "/proc/net/tunnels of the three modules"
	check "alias view" test -r /proc/net/ip_aliases
	for m in rvnet_vlan rvnet_bond rvnet_teql rvnet_alias rdummy rvnet_bridge rvnet_ipip rvnet_gre rvnet_sit; do
		check "modprobe -r $m" modprobe -r $m
		if module_loaded $m; then fail "$m still loaded after modprobe -r"; fi
	done
}

test_vlan_autoload() {
	setup_clean
	check "ip link add type vlan" ip -n mp link add link d0 name d0.5 type vlan id 5
	expect_driver d0.5 rvnet_vlan mp
	check "rvnet_vlan autoloaded" module_loaded rvnet_vlan
	if module_loaded 8021q; then fail "8021q loaded too"; fi
}

test_bond_autoload() {
	setup_clean
	check "ip link add type bond" ip -n mp link add b0 type bond mode active-backup
	expect_driver b0 rvnet_bond mp
	check "rvnet_bond autoloaded" module_loaded rvnet_bond
	if module_loaded bonding; then fail "bonding loaded too"; fi
	check "enslave" ip -n mp link set d0 master b0
}

# The module makes its masters in the initial namespace (as C's sch_teql).
test_teql_autoload() {
	setup_clean
	trap 'ip link del tq0 2>/dev/null || true; ip netns del mp 2>/dev/null || true; unload_all' EXIT
	check "dummy slave" ip link add tq0 type dummy
	check "tc qdisc add root teql0" tc qdisc add dev tq0 root teql0
	check "rvnet_teql autoloaded" module_loaded rvnet_teql
	if module_loaded sch_teql; then fail "sch_teql loaded too"; fi
	expect_driver teql0 rvnet_teql
	assert_contains "$(tc qdisc show dev tq0)" "qdisc teql0"
	check "tc qdisc del" tc qdisc del dev tq0 root
	check "slave removed" ip link del tq0
}

test_bridge_autoload() {
	setup_clean
	check "ip link add type bridge" ip -n mp link add br0 type bridge
	expect_driver br0 rvnet_bridge mp
	check "rvnet_bridge autoloaded" module_loaded rvnet_bridge
	if module_loaded bridge; then fail "bridge loaded too"; fi
	check "port" ip -n mp link set d0 master br0
}

test_rdummy_autoload() {
	setup_clean
	check "ip link add type rdummy" ip -n mp link add r0 type rdummy
	expect_driver r0 rdummy mp
}

# `ip link add type sit` loads rvnet_sit (with tunnel4), not C's sit; its
# sit0 comes in every namespace, the new one included.
test_sit_autoload() {
	setup_clean
	check "ip link add type sit" ip -n mp link add s1 type sit local 10.0.0.1 remote 10.0.0.2
	expect_driver s1 rvnet_sit mp
	expect_driver sit0 rvnet_sit mp
	check "rvnet_sit autoloaded" module_loaded rvnet_sit
	if module_loaded sit; then fail "C sit loaded too"; fi
}

# The C drivers stay loadable by name with the snippet installed, and then
# serve the link kind (the side-by-side suites rely on this).
test_c_by_name() {
	setup_clean
	check "modprobe 8021q" modprobe 8021q
	ip -n mp link add link d0 name d0.5 type vlan id 5
	expect_driver d0.5 8021q mp
	if module_loaded rvnet_vlan; then fail "rvnet_vlan loaded"; fi
	check "modprobe bonding" modprobe bonding max_bonds=0
	ip -n mp link add b0 type bond
	expect_driver b0 bonding mp
	if module_loaded rvnet_bond; then fail "rvnet_bond loaded"; fi
	check "modprobe bridge" modprobe bridge
	ip -n mp link add br0 type bridge
	expect_driver br0 bridge mp
	if module_loaded rvnet_bridge; then fail "rvnet_bridge loaded"; fi
}

rvnet_install_modules
trap rvnet_uninstall_modules EXIT
ktap_run_suite modprobe
