#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What rvnet_bond does to its slaves against C bonding's in one boot (C:
# bond_main.c bond_enslave, __bond_release_one, bond_set_mac_address;
# C bonding.ko and rvnet_bond loaded in turn by same_as_c, every bond
# checked to be served by the loaded one): the VLAN-challenged slave
# rules (the loopback, NETIF_F_VLAN_CHALLENGED: refused by a bond with a
# VLAN above, else the bond becomes VLAN-challenged until it leaves),
# dev_disable_lro on enslave into a bond without LRO, and the bond's
# address change undone on every slave when one refuses.
# cost: 180 (seconds in a 1-vCPU guest, one guest on 2 shared CPUs, 2026-12-04)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"

# The bond's messages about slaves since kmsg sequence number $1, without
# the prefix (C's netdev_warn has none, rvnet_bond's pr_warn the module's).
slave_msgs() { # SEQ
	kmsg --from "$1" | grep -oE 'bond[0-9]: \(slave [a-z0-9]+\): .*(VLAN challenged|VLAN blocking).*' || true
}

# One device as `ip -d -j link` shows it, the fields the VLAN rules touch
# (hex digits of the address masked: a bond without slaves has a random
# one).
link_show() { # NS DEV
	ip -n "$1" -d -j link show "$2" | jq -c '.[0] | {ifname, link_type, flags, mtu, master,
		address: (.address | gsub("[0-9a-f]"; "x")), mode: .linkinfo.info_data.mode, fail_over_mac: .linkinfo.info_data.fail_over_mac,
		active_slave: .linkinfo.info_data.active_slave, slave_kind: .linkinfo.info_slave_kind}'
}

# ethtool -k's VLAN lines of a device, on one line.
vlan_features() { # NS DEV
	ip netns exec "$1" ethtool -k "$2" | grep -E '^(rx|tx)-vlan|vlan-challenged' | tr -d '\t' | tr '\n' ' '
	echo
}

# The namespace's loopback (NETIF_F_VLAN_CHALLENGED; an ipvlan is too, but
# IFF_NO_RX_HANDLER keeps it out of any bond; ARPHRD_LOOPBACK: the bond
# takes its type; no ndo_set_mac_address: active-backup sets
# fail_over_mac active) refused by bond1, which has a VLAN above; taken by
# bond0, which then is VLAN-challenged until lo is released (and opens
# with lo's zero address); an Ethernet slave makes bond0 Ethernet again
# and a VLAN on it then refuses lo. An ipvlan refused as bond2's first
# slave leaves fail_over_mac active.
# $1 = driver; prints errors, the bond's and slave's links, ethtool -k's
# VLAN lines and the bond's messages.
vlan_challenged_case() {
	load_bonding "$1"
	netns_add bv
	local seq
	seq=$(kmsg --next)
	ip -n bv -batch - <<-EOF || fail "$1: vlan_challenged set-up"
		link set lo down
		link add d0 address 02:00:00:00:0e:00 type dummy
		link add bond0 type bond mode active-backup miimon 50
		link add bond1 type bond mode active-backup miimon 50
		link set bond1 up
		link add link bond1 name bond1.10 type vlan id 10
		link add d9 type dummy
		link add link d9 name iv0 type ipvlan mode l2
		link add bond2 type bond mode active-backup miimon 50
	EOF
	expect_driver bond0 "$BOND_DRV" bv
	expect_driver bond1 "$BOND_DRV" bv
	expect_driver bond2 "$BOND_DRV" bv
	echo "== before"
	vlan_features bv lo
	vlan_features bv bond0
	echo "bond1 with a VLAN: $(outcome ip -n bv link set lo master bond1)"
	link_show bv bond1
	echo "bond0: $(outcome ip -n bv link set lo master bond0)"
	# With lo's all-zero address (C's bond has no ndo_validate_addr).
	echo "bond0 up: $(outcome ip -n bv link set bond0 up)"
	echo "== enslaved"
	echo "bond0 address: $(ip -n bv -j link show bond0 | jq -r '.[0].address')"
	link_show bv bond0
	link_show bv lo
	vlan_features bv bond0
	echo "VLAN on bond0: $(outcome ip -n bv link add link bond0 name bond0.10 type vlan id 10)"
	ip -n bv link set lo nomaster
	echo "== released"
	link_show bv bond0
	vlan_features bv bond0
	echo "Ethernet slave: $(outcome ip -n bv link set d0 master bond0)"
	echo "VLAN on bond0: $(outcome ip -n bv link add link bond0 name bond0.10 type vlan id 10)"
	link_show bv bond0
	echo "lo into bond0 with its VLAN: $(outcome ip -n bv link set lo master bond0)"
	# A first slave without ndo_set_mac_address sets fail_over_mac active,
	# kept when the enslave then fails (the ipvlan has IFF_NO_RX_HANDLER).
	echo "ipvlan into bond2: $(outcome ip -n bv link set iv0 master bond2)"
	link_show bv bond2
	echo "== messages"
	slave_msgs "$seq"
	ip netns del bv
	unload_bonding
}

test_vlan_challenged_slave_matches_c() {
	same_as_c vlan_challenged_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "bond1 with a VLAN: ip -n bv link set lo master bond1: rc 2: Error: Can not enslave VLAN challenged device to VLAN enabled bond."
	assert_contains "$r" "bond0: ip -n bv link set lo master bond0: rc 0: "
	assert_contains "$r" "bond0 up: ip -n bv link set bond0 up: rc 0: "
	echo "$r" | grep -q '"ifname":"bond2".*"fail_over_mac":"active"' ||
		fail "bond2's fail_over_mac not active after the failed enslave"
	echo "$r" | sed -n '/== enslaved/,/== released/p' | grep -q "vlan-challenged: on \[fixed\]" ||
		fail "bond0 not VLAN-challenged with lo"
	echo "$r" | sed -n '/== released/,$p' | grep -q "vlan-challenged: off \[fixed\]" ||
		fail "bond0 still VLAN-challenged after the release"
	assert_contains "$r" "lo into bond0 with its VLAN: ip -n bv link set lo master bond0: rc 2: Error: Can not enslave VLAN challenged device to VLAN enabled bond."
	assert_contains "$r" "bond0: (slave lo): enslaved VLAN challenged slave. Adding VLANs will be blocked as long as it is part of bond."
	assert_contains "$r" "bond0: (slave lo): last VLAN challenged slave left bond - VLAN blocking is removed"
}

# LRO of a slave (a bond, which offers LRO as C's bond_setup does) enslaved
# to bond0 without LRO (dev_disable_lro), and to bond2 with LRO; $1 =
# driver; prints the slaves' LRO line before and after.
lro_case() {
	load_bonding "$1"
	netns_add bl
	ip -n bl -batch - <<-EOF || fail "$1: lro set-up"
		link add bond0 type bond mode balance-rr
		link add bond2 type bond mode balance-rr
		link add in1 type bond mode balance-rr
		link add in2 type bond mode balance-rr
	EOF
	local d
	for d in bond0 bond2 in1 in2; do
		expect_driver "$d" "$BOND_DRV" bl
	done
	ip netns exec bl ethtool -K bond0 lro off || fail "$1: ethtool -K bond0 lro off"
	for d in bond0 bond2 in1 in2; do
		echo "$d: $(ip netns exec bl ethtool -k $d | grep large-receive-offload)"
	done
	ip -n bl link set in1 master bond0 || fail "$1: in1 into bond0"
	ip -n bl link set in2 master bond2 || fail "$1: in2 into bond2"
	echo "== enslaved"
	for d in in1 in2; do
		echo "$d: $(ip netns exec bl ethtool -k $d | grep large-receive-offload)"
	done
	ip -n bl link set in1 nomaster
	echo "== released"
	echo "in1: $(ip netns exec bl ethtool -k in1 | grep large-receive-offload)"
	ip netns del bl
	unload_bonding
}

test_enslave_disables_lro_matches_c() {
	same_as_c lro_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" $'== enslaved\nin1: large-receive-offload: off\nin2: large-receive-offload: on'
}

# The addresses of mac_rollback_case's bond and slaves.
bm_addrs() {
	local d
	for d in bond0 a1 m1 a2; do
		echo "$d $(ip -n bm -j link show $d | jq -r '.[0].address')"
	done
}

# The bond's address change goes to every slave; a macvlan refuses the
# address of its own lower device (EADDRINUSE, macvlan_addr_busy) and the
# slaves before it get the bond's old address back. $1 = driver; prints
# the errors and every address.
mac_rollback_case() {
	load_bonding "$1"
	netns_add bm
	ip -n bm -batch - <<-EOF || fail "$1: mac_rollback set-up"
		link add d0 address 02:00:00:00:0f:00 type dummy
		link set d0 up
		link add a1 address 02:00:00:00:0f:01 type veth peer name b1
		link add link d0 name m1 address 02:00:00:00:0f:02 type macvlan mode bridge
		link add a2 address 02:00:00:00:0f:03 type veth peer name b2
		link add bond0 address 02:00:00:00:0f:0b type bond mode balance-rr miimon 50
		link set a1 master bond0
		link set m1 master bond0
		link set a2 master bond0
		link set bond0 up
	EOF
	expect_driver bond0 "$BOND_DRV" bm
	bm_addrs
	echo "lower's address: $(outcome ip -n bm link set bond0 address 02:00:00:00:0f:00)"
	bm_addrs
	echo "another: $(outcome ip -n bm link set bond0 address 02:00:00:00:0f:0c)"
	bm_addrs
	ip netns del bm
	unload_bonding
}

test_mac_change_rollback_matches_c() {
	same_as_c mac_rollback_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" $'lower\'s address: ip -n bm link set bond0 address 02:00:00:00:0f:00: rc 2: RTNETLINK answers: Address already in use\nbond0 02:00:00:00:0f:0b\na1 02:00:00:00:0f:0b\nm1 02:00:00:00:0f:0b\na2 02:00:00:00:0f:0b'
	assert_contains "$r" $'bond0 02:00:00:00:0f:0c\na1 02:00:00:00:0f:0c\nm1 02:00:00:00:0f:0c\na2 02:00:00:00:0f:0c'
}

# Whether monitor output file $1 has a line of device $2.
mon_has() { # FILE DEV
	grep -q "^[0-9]*: $2[:@]" "$1"
}

# Whether bond0 in namespace $1 has active slave $2.
active_is() { # NS SLAVE
	[ "$(ip netns exec "$1" cat /sys/class/net/bond0/bonding/active_slave)" = "$2" ]
}

# Whether slave $2 in namespace $1 has MII status $3.
mii_is() { # NS SLAVE STATUS
	[ "$(ip netns exec "$1" cat "/sys/class/net/$2/bonding_slave/mii_status")" = "$3" ]
}

# The RTM_NEWLINK messages of two dummy slaves of an active-backup bond
# (`ip monitor link`; NETDEV_CHANGELOWERSTATE is one of them, as are the
# flag, address and master changes) through enslave, a failover by miimon
# (d1 down), d1 back up, active_slave d1, and both released, in order per
# slave (dummies: no carrier changes, so no linkwatch messages in between).
# $1 = driver; prints each slave's messages.
lower_state_case() {
	load_bonding "$1"
	netns_add bs
	no_ipv6 bs
	ip -n bs -batch - <<-EOF || fail "$1: lower_state set-up"
		link add d1 address 02:00:00:00:10:01 type dummy
		link add d2 address 02:00:00:00:10:02 type dummy
		link add bond0 address 02:00:00:00:10:0b type bond mode active-backup miimon 50
	EOF
	expect_driver bond0 "$BOND_DRV" bs
	local mon=$RVNET_RESULTS/bond_lower.monitor.$1 pid d
	ip -n bs -o monitor link >"$mon" 2>&1 &
	pid=$!
	# The monitor listens once it reports a device made after it started.
	local i
	for i in 0 1 2 3 4 5 6 7 8 9; do
		ip -n bs link add m$i type dummy
		if wait_for 1 mon_has "$mon" "m$i"; then
			break
		fi
	done
	mon_has "$mon" "m$i" || fail "$1: ip monitor reports nothing"
	ip -n bs link set d1 master bond0
	ip -n bs link set d2 master bond0
	ip -n bs link set bond0 up
	wait_for 10 active_is bs d1 || fail "$1: d1 not active"
	ip -n bs link set d1 down
	wait_for 10 active_is bs d2 || fail "$1: no failover to d2"
	ip -n bs link set d1 up
	wait_for 10 mii_is bs d1 up || fail "$1: d1 not up again"
	ip -n bs link set bond0 type bond active_slave d1
	ip -n bs link set d1 nomaster
	ip -n bs link set d2 nomaster
	ip -n bs link add end0 type dummy
	wait_for 10 mon_has "$mon" end0 || fail "$1: end0 not seen by ip monitor"
	kill "$pid"
	wait "$pid" || true
	for d in d1 d2; do
		echo "== $d"
		grep "^[0-9]*: $d[:@]" "$mon" | sed -E 's/^[0-9]+: //'
	done
	ip netns del bs
	unload_bonding
}

test_lower_state_events_match_c() {
	same_as_c lower_state_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "== d2"
	# d2's messages: at least those of its enslave, its two changes of
	# active slave and its release.
	[ "$(echo "$r" | sed -n '/== d2/,$p' | grep -c '^d2:')" -ge 6 ] ||
		fail "too few messages of d2"
}

ktap_run_suite bond_lower
