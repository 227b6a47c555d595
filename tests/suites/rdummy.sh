#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The rdummy sample driver: lifecycle, counters, /proc, notifier, netlink
# attributes and validation, namespaces, module unload with live devices.
# Every device under test is an rdummy device (expect_driver ... rdummy).
# cost: 23 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"

KO=$RVNET_ROOT/samples/rdummy/rdummy.ko

load() {
	module_loaded rdummy || insmod "$KO"
}

unload() {
	! module_loaded rdummy || rmmod rdummy
}

test_load_and_kind() {
	load
	ip link add rd0 type rdummy
	expect_driver rd0 rdummy
	ip -d link show rd0 | grep -q 'rdummy' || fail "ip -d link: $(ip -d link show rd0)"
	ip link del rd0
}

test_autoload_by_link_kind() {
	unload
	local dir=/lib/modules/$(uname -r)/extra
	mkdir -p "$dir"
	cp "$KO" "$dir/"
	depmod -a
	ip link add rd0 type rdummy
	module_loaded rdummy || fail "rdummy was not autoloaded"
	expect_driver rd0 rdummy
	ip link del rd0
	rm -f "$dir/rdummy.ko"
	depmod -a
}

test_proc_lists_devices() {
	load
	ip link add rdp1 type rdummy
	ip link add rdp2 type rdummy
	expect_driver rdp1 rdummy
	local p
	p=$(cat /proc/net/rdummy)
	assert_contains "$p" "rdp1"
	assert_contains "$p" "rdp2"
	head -1 /proc/net/rdummy | grep -q '^name' || fail "header: $(head -1 /proc/net/rdummy)"
	ip link del rdp1
	ip link del rdp2
	! grep -q rdp1 /proc/net/rdummy || fail "rdp1 still listed after deletion"
}

test_counters_move_on_transmit() {
	load
	ip link add rdc type rdummy
	expect_driver rdc rdummy
	ip link set rdc up
	ip addr add 198.51.100.1/24 dev rdc
	ping -c 5 -i 0.2 -W 1 198.51.100.2 >/dev/null 2>&1 || true
	local pk
	pk=$(awk '$1 == "rdc" { print $5 }' /proc/net/rdummy)
	[ "${pk:-0}" -ge 5 ] || fail "tx_packets=$pk after 5 pings"
	ip -s -j link show rdc | jq -e '.[0].stats64.tx.packets >= 5' >/dev/null ||
		fail "ip -s link: $(ip -s link show rdc)"
	ip link del rdc
}

test_notifier_counts_events() {
	load
	ip link add rdn type rdummy
	expect_driver rdn rdummy
	local before after
	before=$(awk '$1 == "rdn" { print $4 }' /proc/net/rdummy)
	ip link set rdn up
	ip link set rdn down
	ip link set rdn mtu 1400
	after=$(awk '$1 == "rdn" { print $4 }' /proc/net/rdummy)
	[ $((after - before)) -ge 3 ] || fail "events $before -> $after"
	ip link del rdn
}

test_rename_follows() {
	load
	ip link add rdold type rdummy
	expect_driver rdold rdummy
	ip link set rdold name rdnew
	grep -q '^rdnew ' /proc/net/rdummy || fail "$(cat /proc/net/rdummy)"
	! grep -q '^rdold ' /proc/net/rdummy || fail "old name still listed"
	ip link del rdnew
}

test_tag_attribute_roundtrip() {
	load
	$RTNL newlink rdt rdummy 1=u32:4242
	expect_driver rdt rdummy
	grep -E '^rdt +[0-9]+ +4242 ' /proc/net/rdummy || fail "$(cat /proc/net/rdummy)"
	[ "$($RTNL infodata rdt | grep '^1=')" = "1=$(printf '%08x' 4242 | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')" ] ||
		fail "infodata: $($RTNL infodata rdt)"
	$RTNL changelink rdt rdummy 1=u32:7
	grep -E '^rdt +[0-9]+ +7 ' /proc/net/rdummy || fail "changelink: $(cat /proc/net/rdummy)"
	ip link del rdt
}

test_invalid_tag_rejected_with_extack() {
	load
	ip link add rdok type rdummy
	expect_driver rdok rdummy
	ip link del rdok
	local out
	out=$($RTNL newlink rdbad rdummy 1=u32:70000) && fail "accepted tag 70000"
	assert_contains "$out" "error: 34 rdummy: tag must be below 65536"
	out=$($RTNL newlink rdbad rdummy 1=u16:5) && fail "accepted a u16 tag"
	assert_contains "$out" "rdummy: tag must be a u32"
	! ip link show rdbad 2>/dev/null || fail "rdbad created"
}

test_invalid_mac_rejected_with_extack() {
	load
	local out
	out=$(ip link add rdm address 01:00:5e:00:00:01 type rdummy 2>&1) && fail "accepted multicast MAC"
	assert_contains "$out" "MAC address must be unicast and non-zero"
	out=$(ip link add rdm address 00:11 type rdummy 2>&1) && fail "accepted a 2-byte MAC"
	assert_contains "$out" "MAC address must be 6 bytes"
	ip link add rdm address 02:00:00:00:00:01 type rdummy
	expect_driver rdm rdummy
	ip link show rdm | grep -q 02:00:00:00:00:01 || fail "MAC not set: $(ip link show rdm)"
	ip link del rdm
}

test_create_delete_100() {
	load
	local f=/tmp/rd100.batch i
	: >$f
	for i in $(seq 1 100); do echo "link add rdb$i type rdummy" >>$f; done
	ip -batch $f
	expect_driver rdb100 rdummy
	assert_eq "$(grep -c '^rdb' /proc/net/rdummy)" 100 "devices listed after creating 100"
	: >$f
	for i in $(seq 1 100); do echo "link del rdb$i" >>$f; done
	ip -batch $f
	assert_eq "$(grep -c '^rdb' /proc/net/rdummy)" 0 "devices left after deleting 100"
}

test_per_netns_proc() {
	load
	ip link add rdhost type rdummy
	ip netns add rdns
	ip -n rdns link add rdguest type rdummy
	expect_driver rdguest rdummy rdns
	ip netns exec rdns cat /proc/net/rdummy | grep -q '^rdguest ' || fail "rdguest missing in netns"
	! ip netns exec rdns grep -q '^rdhost ' /proc/net/rdummy || fail "rdhost leaked into netns"
	! grep -q '^rdguest ' /proc/net/rdummy || fail "rdguest leaked into init_net"
	ip netns del rdns
	ip link del rdhost
}

test_rmmod_with_live_devices() {
	load
	ip link add rdl1 type rdummy
	ip link add rdl2 type rdummy
	expect_driver rdl1 rdummy
	ip link set rdl1 up
	ip netns add rdns2
	ip -n rdns2 link add rdl3 type rdummy
	rmmod rdummy
	! ip link show rdl1 2>/dev/null || fail "rdl1 survived rmmod"
	! ip -n rdns2 link show rdl3 2>/dev/null || fail "rdl3 survived rmmod"
	[ ! -e /proc/net/rdummy ] || fail "/proc/net/rdummy survived rmmod"
	ip netns del rdns2
}

test_traffic_during_rmmod() {
	load
	ip link add rdf type rdummy
	expect_driver rdf rdummy
	ip link set rdf up
	ip addr add 198.51.100.1/24 dev rdf
	ping -f -W 1 -c 100000 198.51.100.2 >/dev/null 2>&1 &
	local pid=$!
	sleep 1
	rmmod rdummy
	kill $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	! ip link show rdf 2>/dev/null || fail "rdf survived rmmod"
}

hb() { awk -v d="$1" '$1 == d { print $7 }' /proc/net/rdummy; }

# Whether device $1's work ticked at least $2 times.
hb_at_least() { # dev n
	local n
	n=$(hb "$1")
	[ "${n:-0}" -ge "$2" ]
}

test_heartbeat_work_ticks_and_stops() {
	load
	$RTNL newlink rdh rdummy 2=u32:100
	expect_driver rdh rdummy
	ip link set rdh up
	# Five ticks at 100 ms, bounded (a starved guest runs them late).
	wait_for 30 hb_at_least rdh 5 || fail "heartbeats=$(hb rdh) at 100 ms, not 5 yet"
	local a b
	ip link set rdh down
	a=$(hb rdh)
	sleep 0.5
	b=$(hb rdh)
	[ "$a" = "$b" ] || fail "work still ticking while down: $a -> $b"
	local out
	out=$($RTNL newlink rdh2 rdummy 2=u32:70000) && fail "heartbeat 70000 accepted"
	assert_contains "$out" "heartbeat must be"
	# Delete, and unload, while the work is armed: it must be cancelled.
	ip link set rdh up
	sleep 0.3
	ip link del rdh
	$RTNL newlink rdh rdummy 2=u32:50
	ip link set rdh up
	sleep 0.2
	rmmod rdummy
}

ktap_run_suite rdummy
