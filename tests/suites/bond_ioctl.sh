#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rvnet_bond's device-level interfaces against C bonding's in one boot:
# the ifenslave ioctls (SIOCBOND* and their legacy SIOCDEVPRIVATE numbers,
# issued by tests/lib/bondioctl.py as the old ifenslave binary did) and the
# MII ioctls (C: bond_do_ioctl, bond_siocdevprivate, bond_eth_ioctl),
# ethtool's link settings and driver information (bond_ethtool_*), the
# max_bonds and tx_queues module parameters, the slaves' queue_id with
# traffic steered by tc skbedit (bond_select_queue, bond_slave_override).
# cost: 80 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"

BIOCTL="python3 $RVNET_ROOT/tests/lib/bondioctl.py"

unload_all() {
	unload_modules rvnet_bond bonding
}

# Loads driver $1 (c|rust) with parameters $2...; BOND_DRV is the module
# behind every bond.
load() {
	local drv=$1
	shift
	use_driver bond "$drv" "$@"
	BOND_DRV=$(driver_module bond "$drv")
}

# The ioctl and ethtool tests run in namespace io (the runner deletes it
# after the test, whatever happened).
IO="ip netns exec io"

# Namespace io with two veth pairs, the iv ends with fixed addresses,
# their peers up.
veths() {
	[ -e /run/netns/io ] || netns_add io
	ip -n io -batch - <<-EOF
		link add iv0 address 02:00:00:00:08:01 type veth peer name iw0 address 02:00:00:00:08:11
		link add iv1 address 02:00:00:00:08:02 type veth peer name iw1 address 02:00:00:00:08:12
		link set iw0 up
		link set iw1 up
	EOF
}

del_veths() {
	ip -n io link del iv0 2>/dev/null || true
	ip -n io link del iv1 2>/dev/null || true
}

# Each device's address (a random one of the bond's as "random": a bond
# left without slaves takes a new one).
addrs() {
	local random
	random=$($IO cat /sys/class/net/ib0/addr_assign_type)
	ip -n io -j link show | jq -r --arg r "$random" '.[] | select(.ifname | test("^(ib0|iv|iw)")) |
		"\(.ifname) \(if .ifname == "ib0" and $r == "1" then "random" else .address end)"'
}

proc_state() {
	$IO grep -E '^(Currently Active Slave|Slave Interface|MII Status)' /proc/net/bonding/ib0 | tr '\n' ' '
	echo
}

# The bond's MII status and both slaves' are up.
all_up() {
	[ "$($IO grep -c 'MII Status: up' /proc/net/bonding/ib0)" = 3 ]
}

active_is() { # SLAVE
	$IO grep -q "Currently Active Slave: $1" /proc/net/bonding/ib0
}

# The ifenslave commands and queries, new and legacy numbers, with their
# errors, in active-backup then balance-rr: $1 = driver.
ioctl_steps() {
	load "$1"
	veths
	ip -n io link add ib0 address 02:00:00:00:08:20 type bond mode active-backup miimon 50
	expect_driver ib0 "$BOND_DRV" io
	$IO $BIOCTL info ib0 -- info ib0 old -- miiphy ib0 -- miireg ib0 1 -- slave ib0 0 -- \
		enslave ib0 iv0 -- enslave ib0 iv1 old -- enslave ib0 iv0 -- enslave ib0 nosuch -- \
		enslave ib0 iw0 -- info ib0 -- info ib0 old -- slave ib0 0 -- slave ib0 1 old -- \
		slave ib0 2 -- slave ib0 -1
	ip -n io link set ib0 up
	wait_for 10 all_up || fail "$1: slaves not up: $(proc_state)"
	active_is iv0 || fail "$1: iv0 not active"
	proc_state
	$IO $BIOCTL miiphy ib0 -- miireg ib0 1 -- miireg ib0 2 -- miiset ib0 1 0 -- \
		change ib0 iv1 -- slave ib0 0 -- slave ib0 1
	active_is iv1 || fail "$1: change to iv1 not done"
	proc_state
	$IO $BIOCTL change ib0 iv0 old -- change ib0 iw0 -- change ib0 nosuch -- sethwaddr ib0 iw1 -- \
		sethwaddr ib0 nosuch
	proc_state
	addrs
	# Without CAP_NET_ADMIN: the queries answer, the commands do not.
	$IO setpriv --reuid=65534 --regid=65534 --clear-groups $BIOCTL info ib0 -- slave ib0 1 -- \
		miiphy ib0 -- release ib0 iv0 -- release ib0 iv0 old -- change ib0 iv0
	$IO $BIOCTL release ib0 iv0 -- release ib0 iv0 -- release ib0 iv1 old -- info ib0 -- miireg ib0 1
	addrs
	ip -n io link set ib0 down
	ip -n io link set ib0 type bond mode balance-rr
	$IO $BIOCTL enslave ib0 iv0 -- change ib0 iv0 -- sethwaddr ib0 iw0 -- info ib0 -- release ib0 iv0
	addrs
	ip -n io link del ib0
	del_veths
	unload_all
}

test_ioctls_match_c() {
	same_as_c ioctl_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "info ib0: 0 mode=1 num_slaves=2 miimon=50"
	assert_contains "$r" "enslave ib0 nosuch: ENODEV"
	assert_contains "$r" "miireg ib0 1: 0 phy_id=7 reg_num=1 val_in=0x0000 val_out=0x0004"
	assert_contains "$r" "release ib0 iv0 old: EPERM"
	assert_contains "$r" "Currently Active Slave: iv1"
}

# `ethtool ib0` and `ethtool -i ib0` (the driver's name masked) in every
# mode with two veth slaves (10000Mb/s full), then with a slave of
# unknown speed (dummy): $1 = driver.
ethtool_steps() {
	local mode
	load "$1"
	for mode in balance-rr active-backup balance-xor broadcast 802.3ad; do
		veths
		ip -n io link add ib0 address 02:00:00:00:08:20 type bond mode $mode miimon 50
		expect_driver ib0 "$BOND_DRV" io
		echo "== $mode, no slave"
		$IO ethtool ib0
		ip -n io link set iv0 master ib0
		ip -n io link set iv1 master ib0
		ip -n io link set ib0 up
		# 802.3ad: both ports distribute once the machines settle.
		wait_for 15 eval '$IO ethtool ib0 | grep -q "Speed: [12]0000Mb/s"' || fail "$1 $mode: no speed"
		[ $mode = 802.3ad ] && sleep 1
		echo "== $mode"
		$IO ethtool ib0
		$IO ethtool -i ib0 | sed "s/^driver: $BOND_DRV\$/driver: DRIVER/"
		ip -n io link del ib0
		del_veths
	done
	ip -n io link add dm0 type dummy
	ip -n io link add ib0 type bond mode balance-xor miimon 50
	ip -n io link set dm0 master ib0
	ip -n io link set ib0 up
	echo "== dummy slave"
	$IO ethtool ib0
	ip -n io link del ib0
	ip -n io link del dm0
	unload_all
}

test_ethtool_matches_c() {
	same_as_c ethtool_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "Speed: 20000Mb/s"
	assert_contains "$r" "firmware-version: 2"
	assert_contains "$r" "driver: DRIVER"
}

# Each slave's transmitted packets since the last call (qa's qv0, qv1;
# one exec for both: jq alone costs a second in the TCG guest).
declare -A TXLAST
tx_delta() {
	local d n out="" counts
	counts=$(ip netns exec qa cat /sys/class/net/qv0/statistics/tx_packets \
		/sys/class/net/qv1/statistics/tx_packets)
	for d in qv0 qv1; do
		n=${counts%%$'\n'*}
		counts=${counts#*$'\n'}
		out+="$d +$((n - ${TXLAST[$d]:-0})) "
		TXLAST[$d]=$n
	done
	echo "$out"
}

# How many of qa's qb0 and its slaves have their MII status up.
qa_mii_ups() {
	ip netns exec qa grep -c "MII Status: up" /proc/net/bonding/qb0
}

# Five pings to a static neighbour (no answer: only the frames out count).
pings() {
	tx_delta >/dev/null
	ip netns exec qa ping -c 5 -i 0.1 -W 0.2 10.9.0.2 >/dev/null || true
	echo "$* $(tx_delta)"
}

# queue_id (netlink, sysfs, its errors, where it shows) and traffic with
# tc's skbedit queue_mapping on the bond (C's bonding.rst example) in
# balance-rr and active-backup: $1 = driver.
queue_steps() {
	local mode out
	load "$1"
	for mode in balance-rr active-backup; do
		netns_pair -d qa qb qv0 qw0 qv1 qw1
		no_ipv6 qa
		ip -n qa -batch - <<-EOF || fail "$1: qa set-up"
			link add qb0 type bond mode $mode miimon 50
			link set qv0 master qb0
			link set qv1 master qb0
			link set qb0 up
			addr add 10.9.0.1/24 dev qb0
			neigh add 10.9.0.2 lladdr 02:00:00:00:09:99 dev qb0 nud permanent
		EOF
		ip -n qb link set qw0 up
		ip -n qb link set qw1 up
		expect_driver qb0 "$BOND_DRV" qa
		wait_for 10 eval '[ "$(qa_mii_ups)" = 3 ]' || fail "$1 $mode: slaves not up"
		echo "== $mode"
		ip -n qa -j -d link show qb0 | jq -c '.[0] | {num_tx_queues, num_rx_queues}'
		ip -n qa link set qv1 type bond_slave queue_id 2
		out=$(ip -n qa link set qv0 type bond_slave queue_id 2 2>&1) && fail "$1: a queue_id taken twice"
		echo "dup: $out"
		out=$(ip -n qa link set qv0 type bond_slave queue_id 17 2>&1) && fail "$1: queue_id 17 of 16"
		echo "17: $out"
		ip -n qa link set qv0 type bond_slave queue_id 16
		ip netns exec qa sh -c 'echo qv0:3 >/sys/class/net/qb0/bonding/queue_id'
		out=$(ip netns exec qa sh -c 'echo qv0:2 >/sys/class/net/qb0/bonding/queue_id' 2>&1) &&
			fail "$1: sysfs queue_id taken twice"
		echo "sysfs dup: ${out##*: }"
		ip netns exec qa cat /sys/class/net/qb0/bonding/queue_id /sys/class/net/qv1/bonding_slave/queue_id
		ip netns exec qa grep "Slave queue ID" /proc/net/bonding/qb0
		ip -n qa -j -d link show qv1 | jq -c '.[0].linkinfo.info_slave_data.queue_id'
		pings "no filter:"
		tc -n qa qdisc add dev qb0 handle 1 root multiq
		tc -n qa filter add dev qb0 protocol ip parent 1: prio 1 u32 match ip dst 10.9.0.2 \
			action skbedit queue_mapping 2
		pings "queue 2:"
		ip -n qa link set qv1 down
		wait_for 10 eval '[ "$(qa_mii_ups)" = 2 ]' || fail "$1 $mode: qv1 not down"
		pings "queue 2, qv1 down:"
		ip -n qa link set qv1 up
		wait_for 10 eval '[ "$(qa_mii_ups)" = 3 ]' || fail "$1 $mode: qv1 not back"
		ip -n qa link set qv1 type bond_slave queue_id 0
		pings "queue 2, no slave of it:"
		netns_unpair qa qb
	done
	unload_all
}

test_queue_id_matches_c() {
	same_as_c queue_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" '{"num_tx_queues":16,"num_rx_queues":16}'
	assert_contains "$r" "queue 2: qv0 +0 qv1 +5"
	assert_contains "$r" "qv0:3 qv1:2"
}

# The module parameters: max_bonds=2 makes bond0 and bond1 at load (gone
# with the module), tx_queues the queues of every bond, out-of-range
# values reset to the defaults: $1 = driver.
params_steps() {
	load "$1" max_bonds=2
	ip -j link show | jq -r '.[] | select(.ifname | startswith("bond")) | .ifname'
	expect_driver bond0 "$BOND_DRV"
	expect_driver bond1 "$BOND_DRV"
	cat /sys/class/net/bonding_masters
	ip -j -d link show bond1 | jq -c '.[0] | {operstate, num_tx_queues, kind: .linkinfo.info_kind, mode: .linkinfo.info_data.mode}'
	cat /proc/net/bonding/bond0
	unload_all
	ip link show bond0 >/dev/null 2>&1 && fail "$1: bond0 left after unload"
	load "$1" max_bonds=1 tx_queues=4
	ip -j -d link show bond0 | jq -c '.[0] | {num_tx_queues, num_rx_queues}'
	ip link add pb0 type bond
	ip -j -d link show pb0 | jq -c '.[0] | {num_tx_queues, num_rx_queues}'
	unload_all
	load "$1" max_bonds=-1 tx_queues=300
	ip -j -d link show bond0 | jq -c '.[0] | {ifname, num_tx_queues}'
	unload_all
}

test_module_params_match_c() {
	same_as_c params_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "bond0 bond1"
	assert_contains "$r" '{"num_tx_queues":4,"num_rx_queues":4}'
	assert_contains "$r" '{"ifname":"bond0","num_tx_queues":16}'
}

ktap_run_suite bond_ioctl
