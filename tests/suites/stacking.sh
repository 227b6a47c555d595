#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cost: 99 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
#
# Stacked devices: every stacking of rvnet kinds (a VLAN on a bond, a bond
# on a VLAN, a bond in a bond, a VLAN on a VLAN), deleted in each order,
# with each module unloaded while the stack exists, with their namespace
# deleted; rvnet devices under and over C masters (bridge, team); bonds and
# VLANs and namespaces (moves, creation in another namespace); netconsole
# over rvnet devices. Every test also checks that the kernel printed no
# splat while it ran and that no command hung.
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"

BOND_KO=$RVNET_ROOT/drivers/bond/rvnet_bond.ko
VLAN_KO=$RVNET_ROOT/drivers/vlan/rvnet_vlan.ko


# Our two modules loaded, the C ones they replace not.
load_rust() {
	if module_loaded bonding; then rmmod bonding; fi
	if module_loaded 8021q; then rmmod 8021q; fi
	module_loaded rvnet_bond || insmod "$BOND_KO" max_bonds=0
	module_loaded rvnet_vlan || insmod "$VLAN_KO"
}

# The devices of the initial namespace the tests make.
DEVICES="s0 s1 b0 b1 b2 d0 d1 br0 t0 v0 v1"

# Everything a test made goes, then our modules are loaded again.
cleanup() {
	del_all $DEVICES
	sleep 0.3
	load_rust
	trap leave_clean EXIT
}

# And when the test ends (its EXIT trap): the next suite of this guest
# finds no device or namespace of ours (teql's tests make an s1 too).
leave_clean() {
	del_all $DEVICES
}

# Runs a command that must return within $1 seconds; a command stuck in the
# kernel (waiting for a device to become free) fails the test.
bounded() {
	local secs=$1 i
	shift
	"$@" &
	local pid=$!
	for ((i = 0; i < secs * 10; i++)); do
		if ! kill -0 $pid 2>/dev/null; then
			wait $pid
			return
		fi
		sleep 0.1
	done
	fail "hung for ${secs}s: $*"
}

# The kernel log since the start of the test (splat_mark) must hold no
# splat; checked at the end of every test.
no_splat() {
	local s
	s=$(splats_since_mark "unregister_netdevice: waiting for")
	[ -z "$s" ] || fail "kernel splat: $(echo "$s" | head -5)"
}

# Two lower devices (veth pairs, the far ends s0p/s1p stay in this
# namespace).
lowers() {
	ip link add s0 type veth peer name s0p
	ip link add s1 type veth peer name s1p
}

gone() {
	! dev_exists "$1" || fail "$1 still exists"
}

# ---- a bond in a bond ----------------------------------------------------

bond_in_bond() {
	cleanup
	splat_mark
	lowers
	ip link add b0 type bond
	ip link add b1 type bond
	expect_driver b0 rvnet_bond
	expect_driver b1 rvnet_bond
	check "enslave s0 to b0" ip link set s0 master b0
	check "enslave b0 to b1" ip link set b0 master b1
	ip -d link show b0 | grep -q "master b1" || fail "b0 is not b1's slave"
	check "b1 lists b0" grep -q "Slave Interface: b0" /proc/net/bonding/b1
}

test_bond_in_bond_delete_lower_bond_first() {
	bond_in_bond
	bounded 20 ip link del b0
	gone b0
	check "b1 has no slave left" bash -c '! grep -q "Slave Interface" /proc/net/bonding/b1'
	check "s0 is free" bash -c '! ip link show s0 | grep -q master'
	bounded 20 ip link del b1
	no_splat
}

test_bond_in_bond_delete_upper_bond_first() {
	bond_in_bond
	bounded 20 ip link del b1
	gone b1
	check "b0 is no slave" bash -c '! ip link show b0 | grep -q master'
	bounded 20 ip link del b0
	no_splat
}

test_bond_in_bond_nomaster_then_delete() {
	bond_in_bond
	check "release b0" ip link set b0 nomaster
	bounded 20 ip link del b0
	bounded 20 ip link del b1
	no_splat
}

test_bond_in_bond_rmmod() {
	bond_in_bond
	bounded 30 rmmod rvnet_bond
	gone b0
	gone b1
	no_splat
}

test_bond_in_bond_netns_del() {
	cleanup
	splat_mark
	ip netns add sa
	ip -n sa link add s0 type veth peer name s0p
	ip -n sa link add b0 type bond
	ip -n sa link add b1 type bond
	ip -n sa link set s0 master b0
	ip -n sa link set b0 master b1
	expect_driver b1 rvnet_bond sa
	bounded 30 ip netns del sa
	sleep 1
	no_splat
}

# ---- a VLAN on a bond ----------------------------------------------------

# An rvnet bond b0 over s0, up.
bond_up() {
	lowers
	ip link add b0 type bond
	ip link set s0 master b0
	ip link set b0 up
}

vlan_on_bond() {
	cleanup
	splat_mark
	bond_up
	ip link add link b0 name v0 type vlan id 10
	expect_driver b0 rvnet_bond
	expect_driver v0 rvnet_vlan
	check "v0 in /proc/net/vlan/config" grep -q "^v0 .*| b0" /proc/net/vlan/config
}

test_vlan_on_bond_delete_bond() {
	vlan_on_bond
	bounded 20 ip link del b0
	gone b0
	gone v0
	no_splat
}

test_vlan_on_bond_delete_vlan() {
	vlan_on_bond
	bounded 20 ip link del v0
	bounded 20 ip link del b0
	no_splat
}

test_vlan_on_bond_rmmod_bond() {
	vlan_on_bond
	bounded 30 rmmod rvnet_bond
	gone b0
	gone v0
	no_splat
}

test_vlan_on_bond_rmmod_vlan() {
	vlan_on_bond
	bounded 30 rmmod rvnet_vlan
	gone v0
	check "b0 stays" dev_exists b0
	bounded 20 ip link del b0
	no_splat
}

# ---- a bond on VLANs -----------------------------------------------------

bond_on_vlan() {
	cleanup
	splat_mark
	ip link add d0 type veth peer name d0p
	ip link set d0 up
	ip link add link d0 name v0 type vlan id 10
	ip link add link d0 name v1 type vlan id 11
	ip link add b0 type bond
	check "enslave v0" ip link set v0 master b0
	check "enslave v1" ip link set v1 master b0
	ip link set b0 up
	expect_driver b0 rvnet_bond
	expect_driver v0 rvnet_vlan
	check "b0 lists v0" grep -q "Slave Interface: v0" /proc/net/bonding/b0
}

test_bond_on_vlan_delete_real() {
	bond_on_vlan
	bounded 20 ip link del d0
	gone v0
	gone v1
	check "b0 has no slave left" bash -c '! grep -q "Slave Interface" /proc/net/bonding/b0'
	bounded 20 ip link del b0
	no_splat
}

test_bond_on_vlan_delete_vlan() {
	bond_on_vlan
	bounded 20 ip link del v0
	check "v1 stays enslaved" grep -q "Slave Interface: v1" /proc/net/bonding/b0
	check "v0 released" bash -c '! grep -q "Slave Interface: v0" /proc/net/bonding/b0'
	bounded 20 ip link del b0
	bounded 20 ip link del d0
	no_splat
}

test_bond_on_vlan_delete_bond() {
	bond_on_vlan
	bounded 20 ip link del b0
	check "v0 stays" dev_exists v0
	check "v0 is free" bash -c '! ip link show v0 | grep -q master'
	bounded 20 ip link del d0
	no_splat
}

test_bond_on_vlan_rmmod_vlan() {
	bond_on_vlan
	bounded 30 rmmod rvnet_vlan
	gone v0
	check "b0 has no slave left" bash -c '! grep -q "Slave Interface" /proc/net/bonding/b0'
	bounded 20 ip link del b0
	no_splat
}

test_bond_on_vlan_rmmod_bond() {
	bond_on_vlan
	bounded 30 rmmod rvnet_bond
	gone b0
	check "v0 stays" dev_exists v0
	bounded 20 ip link del d0
	no_splat
}

# ---- a VLAN on a VLAN (QinQ) ---------------------------------------------

qinq() {
	cleanup
	splat_mark
	ip link add d0 type veth peer name d0p
	ip link set d0 up
	ip link add link d0 name v0 type vlan proto 802.1ad id 100
	ip link set v0 up
	ip link add link v0 name v1 type vlan id 10
	expect_driver v0 rvnet_vlan
	expect_driver v1 rvnet_vlan
}

test_qinq_delete_real() {
	qinq
	bounded 20 ip link del d0
	gone v0
	gone v1
	no_splat
}

test_qinq_delete_outer() {
	qinq
	bounded 20 ip link del v0
	gone v1
	bounded 20 ip link del d0
	no_splat
}

test_qinq_delete_inner() {
	qinq
	bounded 20 ip link del v1
	check "v0 stays" dev_exists v0
	bounded 20 ip link del d0
	no_splat
}

# rtnl_link_unregister deletes both VLANs in one batch: the outer one's
# NETDEV_UNREGISTER must not delete the inner one a second time (BUG_ON in
# unregister_netdevice_many, Device::delete).
test_qinq_rmmod() {
	qinq
	bounded 30 rmmod rvnet_vlan
	gone v0
	gone v1
	bounded 20 ip link del d0
	no_splat
}

# The same through a namespace's batch deletion, with a bond on top.
test_qinq_bond_netns_del() {
	cleanup
	splat_mark
	ip netns add sq
	ip -n sq link add d0 type veth peer name d0p
	ip -n sq link set d0 up
	ip -n sq link add link d0 name v0 type vlan proto 802.1ad id 100
	# Up: enslaving opens v1, which needs its lower device up (ENETDOWN
	# otherwise, with C 8021q and C bonding too).
	ip -n sq link set v0 up
	ip -n sq link add link v0 name v1 type vlan id 10
	ip -n sq link add b0 type bond
	ip -n sq link set v1 master b0
	ip -n sq link add link b0 name v2 type vlan id 20
	expect_driver v2 rvnet_vlan sq
	bounded 30 ip netns del sq
	sleep 1
	no_splat
}

# ---- rvnet devices and C masters -----------------------------------------

test_bond_in_c_bridge() {
	cleanup
	splat_mark
	# C bridge.ko is refused while rvnet_bridge is loaded (an earlier
	# suite of this guest may have left it): use_driver unloads it.
	use_driver bridge c
	lowers
	ip link add b0 type bond
	ip link set s0 master b0
	ip link add br0 type bridge
	expect_driver b0 rvnet_bond
	expect_driver br0 bridge
	check "b0 as a bridge port" ip link set b0 master br0
	ip link add link br0 name v0 type vlan id 5
	expect_driver v0 rvnet_vlan
	bounded 20 ip link del b0
	check "br0 has no port" bash -c '[ -z "$(ls /sys/class/net/br0/brif)" ]'
	ip link add b0 type bond
	ip link set b0 master br0
	bounded 20 ip link del br0
	gone v0
	check "b0 is free" bash -c '! ip link show b0 | grep -q master'
	ip link add br0 type bridge
	ip link set b0 master br0
	bounded 30 rmmod rvnet_bond
	gone b0
	# The C module unloaded with rvnet ports and an rvnet VLAN on top.
	load_rust
	ip link add b0 type bond
	ip link set b0 master br0
	ip link add link br0 name v0 type vlan id 5
	bounded 30 rmmod bridge
	gone br0
	gone v0
	check "b0 is free" bash -c '! ip link show b0 | grep -q master'
	no_splat
}

test_c_bridge_on_vlan() {
	cleanup
	splat_mark
	# C bridge.ko is refused while rvnet_bridge is loaded (an earlier
	# suite of this guest may have left it): use_driver unloads it.
	use_driver bridge c
	ip link add d0 type veth peer name d0p
	ip link add link d0 name v0 type vlan id 7
	ip link add br0 type bridge
	check "v0 as a bridge port" ip link set v0 master br0
	expect_driver v0 rvnet_vlan
	bounded 20 ip link del d0
	gone v0
	ip link add d0 type veth peer name d0p
	ip link add link d0 name v0 type vlan id 7
	ip link set v0 master br0
	bounded 30 rmmod rvnet_vlan
	gone v0
	bounded 20 ip link del br0
	bounded 20 ip link del d0
	no_splat
}

# C team over an rvnet bond, and an rvnet bond over a C team.
test_bond_and_c_team() {
	cleanup
	splat_mark
	# A mode module another suite's teamd loaded would pin team.
	unload_modules team_mode_loadbalance team_mode_activebackup team_mode_roundrobin \
		team_mode_broadcast team_mode_random
	modprobe team
	lowers
	ip link add b0 type bond
	ip link set s0 master b0
	ip link add t0 type team
	expect_driver t0 team
	check "b0 as a team port" ip link set b0 master t0
	bounded 20 ip link del b0
	ip link add b0 type bond
	ip link set b0 master t0
	bounded 20 ip link del t0
	bounded 20 ip link del b0
	ip link add t0 type team
	ip link set s1 master t0
	ip link add b1 type bond
	check "t0 as a bond slave" ip link set t0 master b1
	check "b1 lists t0" grep -q "Slave Interface: t0" /proc/net/bonding/b1
	bounded 20 ip link del t0
	check "b1 has no slave left" bash -c '! grep -q "Slave Interface" /proc/net/bonding/b1'
	ip link add t0 type team
	ip link set t0 master b1
	bounded 30 rmmod rvnet_bond
	check "t0 is free" bash -c '! ip link show t0 | grep -q master'
	bounded 20 ip link del t0
	# The C module unloaded with an rvnet bond as its port.
	load_rust
	ip link add b0 type bond
	ip link add t0 type team
	ip link set b0 master t0
	bounded 30 rmmod team
	gone t0
	check "b0 is free" bash -c '! ip link show b0 | grep -q master'
	no_splat
}

# ---- namespaces ----------------------------------------------------------

# C bonding refuses to move a bond (netns_immutable); so does ours, and its
# /proc file cannot be left in a namespace it no longer belongs to.
# A bond in a new namespace na cannot move out. $1: its driver.
bond_move_refused() {
	ip netns add na
	ip -n na link add bond0 type bond
	expect_driver bond0 "$1" na
	local err
	if err=$(ip -n na link set bond0 netns 1 2>&1); then
		fail "$1 bond0 moved to another namespace"
	fi
	assert_contains "$err" "netns is immutable"
}

test_bond_netns_move_refused() {
	cleanup
	splat_mark
	bond_move_refused rvnet_bond
	check "bond0 stays in na" ip -n na link show bond0
	check "its /proc file stays" ip netns exec na test -e /proc/net/bonding/bond0
	bounded 30 ip netns del na
	sleep 2
	gone bond0
	check "no bond0 file here" test ! -e /proc/net/bonding/bond0
	bounded 30 rmmod rvnet_bond
	no_splat
}

# The same refusal from the C driver (the behaviour we copy).
test_c_bond_netns_move_refused() {
	cleanup
	splat_mark
	rmmod rvnet_bond
	modprobe bonding max_bonds=0
	bond_move_refused bonding
	ip netns del na
	rmmod bonding
	no_splat
}

# A bond created in another namespace (`ip link add ... netns X`) and one
# asked for with link-netnsid (created in the link namespace, then moved:
# refused and rolled back).
test_bond_created_in_other_netns() {
	cleanup
	splat_mark
	ip netns add na
	ip netns add nb
	check "create in na from here" ip link add bond1 netns na type bond
	check "bond1 in na" ip -n na link show bond1
	expect_driver bond1 rvnet_bond na
	check "its /proc file in na" ip netns exec na test -e /proc/net/bonding/bond1
	check "none here" test ! -e /proc/net/bonding/bond1
	ip -n na netns set nb 7
	# Created in nb (the link namespace), then moved to na: refused (as C)
	# and rolled back.
	assert_fails ip -n na link add bond2 link-netnsid 7 type bond
	check "no bond2 in nb" bash -c '! ip -n nb link show bond2 2>/dev/null'
	check "no bond2 file in nb" ip netns exec nb test ! -e /proc/net/bonding/bond2
	bounded 30 ip netns del nb
	sleep 2
	bounded 30 ip netns del na
	sleep 2
	bounded 30 rmmod rvnet_bond
	no_splat
}

# A VLAN may move (as in C); its /proc/net/vlan file moves with it.
vlan_move() {
	ip netns add na
	ip netns add nb
	ip -n na link add d0 type veth peer name d0p
	ip -n na link add link d0 name v0 type vlan id 10
	expect_driver v0 "$1" na
	check "v0 file in na" ip netns exec na test -e /proc/net/vlan/v0
	check "move v0 to nb" ip -n na link set v0 netns nb
	check "v0 in nb" ip -n nb link show v0
	check "v0 file in nb" ip netns exec nb test -e /proc/net/vlan/v0
	check "v0 file gone from na" ip netns exec na test ! -e /proc/net/vlan/v0
	check "v0 in nb's config" ip netns exec nb grep -q "^v0 " /proc/net/vlan/config
	ip netns exec nb cat /proc/net/vlan/v0 >/dev/null
	bounded 30 ip netns del na
	sleep 2
	ip netns exec nb cat /proc/net/vlan/v0 >/dev/null || true
	bounded 30 ip netns del nb
	sleep 2
}

test_vlan_netns_move_proc_follows() {
	cleanup
	splat_mark
	vlan_move rvnet_vlan
	no_splat
}

test_c_vlan_netns_move_proc_follows() {
	cleanup
	splat_mark
	rmmod rvnet_vlan
	modprobe 8021q
	vlan_move 8021q
	rmmod 8021q
	no_splat
}

# A VLAN moved out, its real device's namespace deleted, then the module
# unloaded: nothing of it is left behind.
test_vlan_netns_move_then_rmmod() {
	cleanup
	splat_mark
	ip netns add na
	ip netns add nb
	ip -n na link add d0 type veth peer name d0p
	ip -n na link add link d0 name v0 type vlan id 10
	ip -n na link set v0 netns nb
	expect_driver v0 rvnet_vlan nb
	bounded 30 rmmod rvnet_vlan
	check "v0 gone from nb" bash -c '! ip -n nb link show v0 2>/dev/null'
	ip netns del na
	ip netns del nb
	sleep 2
	no_splat
}

# ---- netconsole ----------------------------------------------------------

# netconsole must refuse a device that does not support netpoll, with a
# clear message, and no splat. $1: the device.
netconsole_refused() {
	local dev=$1 t=/sys/kernel/config/netconsole
	mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
	modprobe netconsole
	mkdir -p $t/rv
	echo "$dev" >$t/rv/dev_name
	echo 10.9.0.2 >$t/rv/remote_ip
	echo 10.9.0.1 >$t/rv/local_ip
	if echo 1 >$t/rv/enabled 2>/dev/null; then
		echo 0 >$t/rv/enabled
		rmdir $t/rv
		fail "netconsole enabled on $dev"
	fi
	rmdir $t/rv
	check "netconsole says why" bash -c "dmesg | tail -n 20 | grep -q '$dev doesn.t support polling'"
	rmmod netconsole
	# At load time too (module parameter; with NETCONSOLE_DYNAMIC the
	# module loads and skips the target).
	local n0 n1
	n0=$(dmesg | grep -c "$dev doesn.t support polling" || true)
	modprobe netconsole "netconsole=@10.9.0.1/$dev,@10.9.0.2/"
	n1=$(dmesg | grep -c "$dev doesn.t support polling" || true)
	[ "$n1" -gt "$n0" ] || fail "netconsole=...$dev was not refused"
	rmmod netconsole
}

test_netconsole_on_vlan_refused() {
	cleanup
	splat_mark
	ip link add d0 type veth peer name d0p
	ip link set d0 up
	ip link set d0p up
	ip link add link d0 name v0 type vlan id 10
	ip link set v0 up
	ip addr add 10.9.0.1/24 dev v0
	expect_driver v0 rvnet_vlan
	netconsole_refused v0
	no_splat
}

test_netconsole_on_bond_refused() {
	cleanup
	splat_mark
	bond_up
	ip addr add 10.9.0.1/24 dev b0
	expect_driver b0 rvnet_bond
	netconsole_refused b0
	no_splat
}

ktap_run_suite stacking
