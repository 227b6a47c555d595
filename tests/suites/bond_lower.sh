#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What rvnet_bond does to its slaves against C bonding's in one boot (C:
# bond_main.c bond_enslave, __bond_release_one, bond_set_mac_address;
# C bonding.ko and rvnet_bond loaded in turn by same_as_c, every bond
# checked to be served by the loaded one): the VLAN-challenged slave
# rules (the loopback, NETIF_F_VLAN_CHALLENGED: refused by a bond with a
# VLAN above, else the bond becomes VLAN-challenged until it leaves),
# dev_disable_lro on enslave into a bond without LRO, the bond's
# address change undone on every slave when one refuses, and the slaves'
# RTM_NEWLINK messages (NETDEV_CHANGELOWERSTATE among them) through
# miimon (also a slave taken from its updelay and made active), the ARP
# monitor (active-backup, balance-xor) and 802.3ad against teamd
# (tests/lib/lacp.sh), and the slaves' flags reset when the bond opens.
# cost: 188 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"
source "$RVNET_ROOT/tests/lib/lacp.sh"

# The bond's messages about slaves since kmsg sequence number $1, whole
# lines with their level as logged (C's slave_warn/slave_info).
slave_msgs() { # SEQ
	kmsg_lines "$1" 'bond[0-9]: \(slave [a-z0-9]+\): .*(VLAN challenged|VLAN blocking)'
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

# Command $2... run in namespace $1 ("": the initial one).
in_ns() { # NS CMD...
	local ns=$1
	shift
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

# Whether bond0 in namespace $1 has active slave $2 ("": none).
active_is() { # NS SLAVE
	[ "$(in_ns "$1" cat /sys/class/net/bond0/bonding/active_slave)" = "$2" ]
}

# Whether device $2 in namespace $1 has carrier.
carrier_on() { # NS DEV
	[ "$(in_ns "$1" cat "/sys/class/net/$2/carrier" 2>/dev/null)" = 1 ]
}

# `ip -o monitor link` (options $3..., e.g. -d) in namespace $1 ("": the
# initial one) into file $2, its pid in MON_PID; returns once it listens
# (it reports a dummy m<N> made after it started; mon_stop deletes them).
mon_start() { # NS FILE [OPTION...]
	local ns=$1 f=$2 i
	shift 2
	ip ${ns:+-n "$ns"} "$@" -o monitor link >"$f" 2>&1 &
	MON_PID=$!
	for i in 0 1 2 3 4 5 6 7 8 9; do
		ip ${ns:+-n "$ns"} link add m$i type dummy
		if wait_for 1 mon_has "$f" "m$i"; then
			break
		fi
	done
	mon_has "$f" "m$i" || fail "ip monitor reports nothing"
}

# Ends mon_start's monitor once it reported everything before: a dummy
# end0 made now.
mon_stop() { # NS FILE
	local ns=$1 f=$2 i
	ip ${ns:+-n "$ns"} link add end0 type dummy
	wait_for 10 mon_has "$f" end0 || fail "end0 not seen by ip monitor"
	kill "$MON_PID"
	wait "$MON_PID" || true
	for i in end0 m0 m1 m2 m3 m4 m5 m6 m7 m8 m9; do
		echo "link del $i"
	done | ip ${ns:+-n "$ns"} -force -batch - >/dev/null 2>&1 || true
}

# The monitor's messages of device $2, without the sequence number.
mon_lines() { # FILE DEV
	grep "^[0-9]*: $2[:@]" "$1" | sed -E 's/^[0-9]+: //' || true
}

# What each message of slave $2 says of it as a bond slave (`ip -d`:
# IFLA_BOND_SLAVE's state, mii_status and link_failure_count; "-" for a
# message without), one line per message.
slave_states() { # FILE DEV
	mon_lines "$1" "$2" | sed -E 's/.* bond_slave (state [A-Z]+ mii_status [A-Z_]+ link_failure_count [0-9]+).*/\1/; t; s/.*/-/'
}

# Whether the last message of slave $2 says state $3 and MII status $4
# (the notifications of a change reached the monitor).
mon_last_is() { # FILE DEV STATE MII
	[[ "$(slave_states "$1" "$2" | tail -n 1)" == "state $3 mii_status $4 "* ]]
}

# The sequence of what slaves $2... were through (slave_states), each
# slave's run of equal messages once: the number of messages a change
# makes is the drivers' (C's toggled BOND_SLAVE_NOTIFY_LATER bits, one
# per NOTIFY_NOW change), but monitor timing adds to it in both drivers
# alike (linkwatch and flag messages carry the state of their time; the
# ARP monitor's probe sets its slave BACK again every interval until the
# target answers, each time notified), so counts are printed to the log
# only and the collapsed sequences compared.
# STATE_RUNS_DROP, an extended regex, leaves the messages it matches out of
# the compared sequences (their counts stay in the log).
state_runs() { # FILE SLAVE...
	local f=$1 d
	shift
	for d in "$@"; do
		echo "== $d"
		if [ -n "${STATE_RUNS_DROP:-}" ]; then
			slave_states "$f" "$d" | grep -Ev "$STATE_RUNS_DROP" | uniq
		else
			slave_states "$f" "$d" | uniq
		fi
		echo "$d: $(slave_states "$f" "$d" | wc -l) messages" >&2
	done
}

# Namespace bs with dummies d1 d2 and an active-backup bond0 (miimon 50)
# of driver $1.
dummy_ab_setup() {
	load_bonding "$1"
	netns_add bs
	no_ipv6 bs
	ip -n bs -batch - <<-EOF || fail "$1: dummy active-backup set-up"
		link add d1 address 02:00:00:00:10:01 type dummy
		link add d2 address 02:00:00:00:10:02 type dummy
		link add bond0 address 02:00:00:00:10:0b type bond mode active-backup miimon 50
	EOF
	expect_driver bond0 "$BOND_DRV" bs
}

# dummy_ab_setup's d1 and d2 enslaved, the bond up, d1 active. $1 =
# driver.
dummy_ab_up() {
	ip -n bs link set d1 master bond0
	ip -n bs link set d2 master bond0
	ip -n bs link set bond0 up
	wait_for 10 active_is bs d1 || fail "$1: d1 not active"
}

# Ends dummy_ab_setup: d2 and d1 released, the namespace and the module
# gone.
dummy_ab_teardown() {
	ip -n bs link set d2 nomaster
	ip -n bs link set d1 nomaster
	ip netns del bs
	unload_bonding
}

# dummy_ab_setup's bond through enslave, a failover by miimon (d1 down),
# d1 back up, active_slave d1, and both released. $1 = driver.
dummy_ab_steps() {
	dummy_ab_up "$1"
	ip -n bs link set d1 down
	wait_for 10 active_is bs d2 || fail "$1: no failover to d2"
	ip -n bs link set d1 up
	wait_for 10 slaves_mii_are bs up d1 || fail "$1: d1 not up again"
	ip -n bs link set bond0 type bond active_slave d1
	ip -n bs link set d1 nomaster
	ip -n bs link set d2 nomaster
}

# The RTM_NEWLINK messages of two dummy slaves of an active-backup bond
# (`ip monitor link`; NETDEV_CHANGELOWERSTATE is one of them, as are the
# flag, address and master changes) through enslave, a failover by miimon
# (d1 down), d1 back up, active_slave d1, and both released, in order per
# slave (dummies: no carrier changes, so no linkwatch messages in between).
# $1 = driver; prints each slave's messages.
lower_state_case() {
	dummy_ab_setup "$1"
	local mon=$RVNET_RESULTS/bond_lower.monitor.$1 d
	mon_start bs "$mon"
	dummy_ab_steps "$1"
	mon_stop bs "$mon"
	for d in d1 d2; do
		echo "== $d"
		mon_lines "$mon" "$d"
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

# dummy_ab_setup's bond with an updelay that outlasts the test (12000
# miimon intervals): a slave coming up stays BACK (GOING_BACK), and when
# the active slave goes down with no slave up, C's bond_find_best_slave
# takes the slave BACK and bond_change_active_slave brings it up at once
# (bond_set_slave_link_state(BOND_LINK_UP, BOND_SLAVE_NOTIFY_NOW): up but
# still backup), then makes it active (bond_set_slave_active_flags,
# NOTIFY_NOW). Enslaved while the bond is down, d1 and d2 are BACK; the
# first miimon run brings d1 up without its updelay (no active slave)
# and makes it active, d2 stays BACK. Then, watched: d1 down, so d2 is
# taken BACK; d1 up (BACK), then d2 down, so d1 is taken BACK. $1 =
# driver; prints what every message of each slave says of it
# (slave_states, each message: dummies have no carrier changes, every
# link change is committed under RTNL, so after the command's own
# message, and miimon's BOND_SLAVE_NOTIFY_LATER bits are never flushed:
# every message is a step's, in C and rvnet_bond alike).
updelay_back_case() {
	dummy_ab_setup "$1"
	ip -n bs link set bond0 type bond updelay 600000 || fail "$1: updelay"
	local mon=$RVNET_RESULTS/bond_lower.updelay.$1 d
	dummy_ab_up "$1"
	slaves_mii_are bs "going back" d2 || fail "$1: d2 not going back"
	mon_start bs "$mon" -d
	ip -n bs link set d1 down
	wait_for 10 active_is bs d2 || fail "$1: no failover to d2, going back"
	ip -n bs link set d1 up
	wait_for 10 slaves_mii_are bs "going back" d1 || fail "$1: d1 not going back"
	ip -n bs link set d2 down
	wait_for 10 active_is bs d1 || fail "$1: no failover to d1, going back"
	mon_stop bs "$mon"
	for d in d1 d2; do
		echo "== $d"
		slave_states "$mon" "$d"
	done
	dummy_ab_teardown
}

test_updelay_back_lower_state_events_match_c() {
	same_as_c updelay_back_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	# d2 taken from BACK: up but still backup first, then active.
	assert_contains "$r" $'== d2\nstate BACKUP mii_status UP link_failure_count 0\nstate ACTIVE mii_status UP link_failure_count 0\n'
	# d1 so too, after its failure.
	assert_contains "$r" $'state BACKUP mii_status DOWN link_failure_count 1\nstate BACKUP mii_status UP link_failure_count 1\nstate ACTIVE mii_status UP link_failure_count 1\n== d2'
}

# Slave $2's bonding_slave/state in namespace $1.
slave_flag() { # NS SLAVE
	in_ns "$1" cat "/sys/class/net/$2/bonding_slave/state"
}

# active_slave cleared (sysfs, an empty name: C's
# bond_option_active_slave_set calls bond_change_active_slave(bond, NULL),
# which sets the active slave d2 inactive, then reselects d1), then the
# bond down and up (C's bond_open resets the slaves' flags: nothing to
# change here). $1 = driver; prints both slaves' state after each step
# and what every message of d2 says of it from active_slave d2 on.
active_cleared_case() {
	dummy_ab_setup "$1"
	local mon=$RVNET_RESULTS/bond_lower.active_cleared.$1 step
	dummy_ab_up "$1"
	mon_start bs "$mon" -d
	ip -n bs link set bond0 type bond active_slave d2 || fail "$1: active_slave d2"
	for step in cleared down up; do
		case $step in
		cleared)
			ip netns exec bs sh -c 'echo >/sys/class/net/bond0/bonding/active_slave' ||
				fail "$1: active_slave cleared"
			;;
		*) ip -n bs link set bond0 "$step" ;;
		esac
		echo "$step: active $(in_ns bs cat /sys/class/net/bond0/bonding/active_slave)" \
			"d1 $(slave_flag bs d1) d2 $(slave_flag bs d2)"
	done
	mon_stop bs "$mon"
	echo "== d2"
	slave_states "$mon" d2
	dummy_ab_teardown
}

test_active_slave_cleared_match_c() {
	same_as_c active_cleared_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "cleared: active d1 d1 active d2 backup"
	assert_contains "$r" "up: active d1 d1 active d2 backup"
	assert_contains "$r" $'== d2\nstate ACTIVE mii_status UP link_failure_count 0\nstate BACKUP mii_status UP link_failure_count 0'
}

# arp_topology set up in balance-xor (monitor file $2), both slaves up: b1
# down takes a1 down, made backup and notified. $1 = driver.
xor_a1_down() { # DRIVER MONFILE
	arp_topology "$1" balance-xor "$2"
	wait_for 20 slaves_mii_are bs up a1 || fail "$1: a1 not up"
	wait_for 20 slaves_mii_are bs up a2 || fail "$1: a2 not up"
	ip -n bp link set b1 down
	wait_for 20 slaves_mii_are bs down a1 || fail "$1: a1 not down"
	wait_for 10 mon_last_is "$2" a1 BACKUP DOWN || fail "$1: a1's failure not notified"
}

# Ends xor_a1_down: a1 made active with link $3 (UP or DOWN) and
# notified ($4 names the change), then arp_release. $1 = driver.
xor_a1_active_release() { # DRIVER MONFILE LINK CHANGE
	wait_for 10 mon_last_is "$2" a1 ACTIVE "$3" || fail "$1: a1's $4 not notified"
	arp_release "$2" a1 a2
}

# C's bond_open resets every slave's flags (NOTIFY_NOW): in balance-xor
# every slave is made active (bond_set_slave_active_flags), also one the
# load-balancing ARP monitor made backup when its link went down
# (bond_slave_state_change), which then stays active and down until a
# link changes again. Over arp_topology: b1 down takes a1 down (backup);
# arp_missed_max 255 keeps a2 up across the bond's down time (its ARP
# clocks stand still meanwhile); the bond down, then up. $1 = driver;
# prints both slaves' state after each step and their collapsed state
# sequences.
xor_open_case() {
	local mon=$RVNET_RESULTS/bond_lower.xor_open.$1 step
	xor_a1_down "$1" "$mon"
	ip -n bs link set bond0 type bond arp_missed_max 255 || fail "$1: arp_missed_max 255"
	for step in down up; do
		ip -n bs link set bond0 "$step"
		echo "$step: a1 $(slave_flag bs a1) $(in_ns bs cat /sys/class/net/a1/bonding_slave/mii_status)" \
			"a2 $(slave_flag bs a2) $(in_ns bs cat /sys/class/net/a2/bonding_slave/mii_status)"
	done
	xor_a1_active_release "$1" "$mon" DOWN reset
}

test_xor_open_resets_slave_flags_match_c() {
	same_as_c xor_open_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "down: a1 backup down a2 active up"
	assert_contains "$r" "up: a1 active down a2 active up"
	assert_contains "$r" $'state BACKUP mii_status DOWN link_failure_count 1\nstate ACTIVE mii_status DOWN link_failure_count 1'
}

# NETDEV_BONDING_INFO, which no userspace interface reports (rtnetlink
# does not announce it; mlx4/mlx5 read it), seen by a kprobe on
# netdev_bonding_info_change (tracefs kprobe_events: the lite kernel's
# CONFIG_KPROBE_EVENTS). Each event as its struct netdev_bonding_info says
# (ifslave: slave_id, slave_name[16] at 4, link at 20, state at 21,
# link_failure_count at 24; ifbond: bond_mode at 28, num_slaves at 32,
# miimon at 36).
TRACEFS=/sys/kernel/tracing
binfo_start() {
	[ -d $TRACEFS/events ] || mount -t tracefs nodev $TRACEFS || fail "no tracefs"
	echo 'p:rvnet/binfo netdev_bonding_info_change name=+4(%si):string link=+20(%si):s8 state=+21(%si):s8 failures=+24(%si):u32 mode=+28(%si):s32 slaves=+32(%si):s32 miimon=+36(%si):s32' \
		>>$TRACEFS/kprobe_events || fail "kprobe on netdev_bonding_info_change"
	echo >$TRACEFS/trace
	echo 1 >$TRACEFS/events/rvnet/binfo/enable || fail "kprobe event not enabled"
	echo 1 >$TRACEFS/tracing_on
}

# Ends binfo_start's probe; prints its events, one line each.
binfo_stop() {
	echo 0 >$TRACEFS/events/rvnet/binfo/enable
	sed -n 's/.* binfo: ([^)]*) //p' $TRACEFS/trace
	echo '-:rvnet/binfo' >>$TRACEFS/kprobe_events
	echo >$TRACEFS/trace
}

# Whether every NETDEV_BONDING_INFO due was sent: nothing is in C's
# per-slave notify works or rvnet_bond's info work once a second event
# queued after everything (an enslave of d3, then its release) is seen.
binfo_settled() {
	grep -q 'name="d3"' $TRACEFS/trace
}

# dummy_ab_steps with the NETDEV_BONDING_INFO events of each slave, runs
# of equal events once (a work that runs later reads a later state, and
# events queued while one is due collapse, in both drivers: counts go to
# the log). $1 = driver.
bonding_info_case() {
	local d ev=$RVNET_RESULTS/bond_lower.binfo.$1
	dummy_ab_setup "$1"
	ip -n bs link add d3 type dummy
	binfo_start
	dummy_ab_steps "$1"
	ip -n bs link set d3 master bond0
	wait_for 10 binfo_settled || fail "$1: no bonding info event of d3"
	binfo_stop >"$ev"
	for d in d1 d2 d3; do
		echo "== $d"
		grep "name=\"$d\"" "$ev" | uniq
		echo "$d: $(grep -c "name=\"$d\"" "$ev") events" >&2
	done
	ip netns del bs
	unload_bonding
}

test_bonding_info_events_match_c() {
	same_as_c bonding_info_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	# d1 failed (link down, backup, one failure) and came back.
	assert_contains "$r" 'name="d1" link=2 state=1 failures=1 mode=1'
	echo "$r" | grep -q 'name="d3" link=0 .* mode=1 slaves=1 miimon=50' ||
		fail "no event of d3, the bond's only slave, up"
}

# bond0 in namespace bs (mode $2, the ARP monitor every 200 ms on target
# 10.8.0.2, 5 intervals missed before a link is down) over veths a1 a2
# whose peers b1 b2 are in namespace bp: b1 holds the target, b2 answers
# ARP for it too (arp_ignore 0, no rp_filter), and nothing joins them, so
# that a slave hears only the replies to its own probes (an active-backup
# backup hears nothing and goes down). Starts the monitor (-d) on $3,
# enslaves a1 then a2 and opens the bond.
arp_topology() { # DRIVER MODE MONFILE
	load_bonding "$1"
	netns_add bs bp
	no_ipv6 bs bp
	ip -n bs -batch - <<-EOF || fail "$1: arp set-up"
		link add a1 address 02:00:00:00:11:01 type veth peer name b1 address 02:00:00:00:11:0a netns bp
		link add a2 address 02:00:00:00:11:02 type veth peer name b2 address 02:00:00:00:11:0c netns bp
		link add bond0 address 02:00:00:00:11:0b type bond mode $2 arp_interval 200 arp_ip_target 10.8.0.2 arp_missed_max 5
	EOF
	ip netns exec bp sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.b1.rp_filter=0 \
		net.ipv4.conf.b2.rp_filter=0 net.ipv4.conf.all.arp_ignore=0 >/dev/null || fail "$1: bp sysctls"
	ip -n bp -batch - <<-EOF || fail "$1: bp set-up"
		addr add 10.8.0.2/24 dev b1
		link set b1 up
		link set b2 up
	EOF
	expect_driver bond0 "$BOND_DRV" bs
	mon_start bs "$3" -d
	ip -n bs -batch - <<-EOF || fail "$1: enslave"
		link set a1 master bond0
		link set a2 master bond0
		link set bond0 up
		addr add 10.8.0.1/24 dev bond0
	EOF
}

# Ends arp_topology: slaves $2 then $3 released, the monitor stopped,
# the slaves' collapsed state sequences printed.
arp_release() { # MONFILE FIRST SECOND
	ip -n bs link set "$2" nomaster
	ip -n bs link set "$3" nomaster
	mon_stop bs "$1"
	state_runs "$1" a1 a2
	ip netns del bs
	ip netns del bp
	unload_bonding
}

# Active-backup over arp_topology: peer $3 down takes active slave $5's
# path away; the probe brings in slave $4, whose peer answers, and $5
# ends down, each change notified; then peer $3 up again.
ab_path_away() { # DRIVER MONFILE PEER NEW OLD
	ip -n bp link set "$3" down
	wait_for 20 active_is bs "$4" || fail "$1: no failover to $4"
	wait_for 10 mon_last_is "$2" "$4" ACTIVE UP || fail "$1: $4's failover not notified"
	wait_for 10 mon_last_is "$2" "$5" BACKUP DOWN || fail "$1: $5's failure not notified"
	ip -n bp link set "$3" up
	wait_for 10 carrier_on bs "$5" || fail "$1: no carrier on $5"
}

# The ARP monitor in active-backup (C: bond_ab_arp_inspect, commit with
# BOND_SLAVE_NOTIFY_NOW, bond_ab_arp_probe with NOTIFY_LATER flushed at
# the end of bond_activebackup_arp_mon): a1 active, a2 down (it hears
# nothing); b1 down takes a1's path away, no slave is left and the probe
# tries a2 (BACK, active flags), which the target answers: a2 active; b1
# back (a1 stays down, hearing nothing), then b2 down: the probe brings
# a1 back the same way; b2 up again. $1 = driver; prints the slaves'
# collapsed state sequences.
# Without the probed slave's GOING_BACK message: the probe sets its link
# BACK and its active flags with BOND_SLAVE_NOTIFY_LATER, flushed at the
# end of that monitor run under rtnl_trylock; with RTNL busy (the
# monitor, linkwatch, the test's own commands) the bits wait, and if the
# target answers by the next run the commit's NOTIFY_NOW clears the link
# bit: the slave goes from DOWN to UP without GOING_BACK, in C and
# rvnet_bond alike (seen in C's half of one CI run).
ab_arp_lower_case() {
	local mon=$RVNET_RESULTS/bond_lower.ab_arp.$1
	local STATE_RUNS_DROP='mii_status GOING_BACK'
	arp_topology "$1" active-backup "$mon"
	wait_for 20 active_is bs a1 || fail "$1: a1 not active"
	wait_for 20 slaves_mii_are bs down a2 || fail "$1: a2 not down"
	wait_for 10 mon_last_is "$mon" a2 BACKUP DOWN || fail "$1: a2's down not notified"
	ab_path_away "$1" "$mon" b1 a2 a1
	ab_path_away "$1" "$mon" b2 a1 a2
	# a2 first: a2 left alone would be probed and answered (racing its
	# release).
	arp_release "$mon" a2 a1
}

test_ab_arp_lower_state_events_match_c() {
	same_as_c ab_arp_lower_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	# Each slave probed in turn: down, then active and up again.
	assert_contains "$r" $'state BACKUP mii_status DOWN link_failure_count 1\nstate ACTIVE mii_status UP link_failure_count 1'
	assert_contains "$r" "state BACKUP mii_status DOWN link_failure_count 2"
}

# The ARP monitor in balance-xor (C: bond_loadbalance_arp_mon: links set
# without notification, bond_slave_state_change notifying each backup
# flip at once): both slaves up; b1 down takes a1 down, b1 back brings it
# up. $1 = driver; prints the slaves' collapsed state sequences.
xor_arp_lower_case() {
	local mon=$RVNET_RESULTS/bond_lower.xor_arp.$1
	xor_a1_down "$1" "$mon"
	ip -n bp link set b1 up
	wait_for 20 slaves_mii_are bs up a1 || fail "$1: a1 not up again"
	xor_a1_active_release "$1" "$mon" UP return
}

test_xor_arp_lower_state_events_match_c() {
	same_as_c xor_arp_lower_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" $'state BACKUP mii_status DOWN link_failure_count 1\nstate ACTIVE mii_status UP link_failure_count 1'
}

# 802.3ad against teamd's lacp runner (tests/lib/lacp.sh: bond0 of the
# initial namespace over a1 a2, team0 over their peers in namespace lb):
# the machines enable both ports (C: __enable_port with
# BOND_SLAVE_NOTIFY_LATER, flushed by bond_3ad_state_machine_handler);
# a2 down (miimon: NOTIFY_NOW) leaves a1 alone in the aggregator, a2 up
# joins it again. $1 = driver; prints the slaves' collapsed state
# sequences.
ad_lower_case() {
	local mon=$RVNET_RESULTS/bond_lower.ad.$1
	trap teardown EXIT
	load "$1"
	netns_add $PEER
	ip -batch - <<-EOF || fail "$1: 802.3ad set-up"
		link add a1 address $A1 type veth peer name b1 address $B1 netns $PEER
		link add a2 address $A2 type veth peer name b2 address $B2 netns $PEER
		link add bond0 type bond mode 802.3ad lacp_rate fast miimon 100
	EOF
	expect_driver bond0 "$BOND_DRV"
	mon_start "" "$mon" -d
	ip -batch - <<-EOF || fail "$1: enslave"
		link set a1 master bond0
		link set a2 master bond0
		link set bond0 up
	EOF
	teamd_start
	wait_for $CONVERGE_SECS bond_in_sync $TMAC || fail "$1: not in sync with teamd"
	wait_for 10 mon_last_is "$mon" a1 ACTIVE UP || fail "$1: a1's port enabled, not notified"
	wait_for 10 mon_last_is "$mon" a2 ACTIVE UP || fail "$1: a2's port enabled, not notified"
	ip link set a2 down
	wait_for $CONVERGE_SECS bond_agg 1 $TMAC || fail "$1: a2 down: not 1 port in the aggregator"
	wait_for 10 mon_last_is "$mon" a2 BACKUP DOWN || fail "$1: a2's failure not notified"
	ip link set a2 up
	wait_for $CONVERGE_SECS bond_in_sync $TMAC || fail "$1: a2 up: not in sync with teamd"
	wait_for 10 mon_last_is "$mon" a2 ACTIVE UP || fail "$1: a2's port enabled again, not notified"
	# a2 first: a1's leaving would hand its aggregator over and move
	# a2's flags (deferred, so notified or not depending on the next run
	# of the machines) before a2 leaves too.
	ip link set a2 nomaster
	ip link set a1 nomaster
	mon_stop "" "$mon"
	state_runs "$mon" a1 a2
	teardown
	unload_all
}

test_ad_lower_state_events_match_c() {
	same_as_c ad_lower_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" $'state BACKUP mii_status DOWN link_failure_count 1\nstate BACKUP mii_status UP link_failure_count 1\nstate ACTIVE mii_status UP link_failure_count 1'
}

ktap_run_suite bond_lower
