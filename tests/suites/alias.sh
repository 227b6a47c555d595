#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rvnet_alias: the /proc/net/ip_aliases view of IPv4 aliases (eth0:N labels)
# and the notifier tracking in /proc/net/ip_aliases_events. Most tests run
# in their own namespace; the view is checked field by field and against
# iproute2's own listing (`ip -j addr`), which is the kernel's state.
# rvnet_alias creates no device: every test says `# driver: none`, and
# `load` checks that the module serving the view is rvnet_alias.
# cost: 50 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"

KO=$RVNET_ROOT/drivers/alias/rvnet_alias.ko
VIEW=/proc/net/ip_aliases
EVENTS=/proc/net/ip_aliases_events

load() {
	module_loaded rvnet_alias || insmod "$KO"
	module_loaded rvnet_alias || fail "rvnet_alias not loaded"
	[ -e $VIEW ] || fail "$VIEW missing with rvnet_alias loaded"
}

unload() {
	! module_loaded rvnet_alias || rmmod rvnet_alias
}

# Namespaces made by a test, deleted after it (tests/lib/ktap.sh).
mkns() {
	netns_add "$@"
}

# The view's lines (no header) of namespace $1.
view() {
	ip netns exec "$1" tail -n +2 $VIEW
}

# "label device address/prefix" per alias, from iproute2 (kernel state),
# in ifindex then address-list order.
expected() {
	ip -n "$1" -j -4 addr show | jq -r '.[] as $d | $d.addr_info[]
		| select((.label // $d.ifname) != $d.ifname and ((.label // "") | contains(":")))
		| "\(.label) \($d.ifname) \(.local)/\(.prefixlen)"'
}

# The view of $1 equals iproute2's aliases, line for line, in order.
view_matches_kernel() {
	local v e
	v=$(view "$1" | awk '{ print $1, $2, $3 }')
	e=$(expected "$1")
	[ "$v" = "$e" ] || fail "view of $1:
$v
--- iproute2:
$e"
}

# The line of alias $2 in namespace $1.
line_of() {
	view "$1" | awk -v l="$2" '$1 == l'
}

# Value of key $2 in the events file of $1.
ev() {
	ip netns exec "$1" awk -v k="$2" '$1 == k { print $2 }' $EVENTS
}

# Tracking agrees with the view.
tracked_matches_view() {
	local t n
	t=$(ev "$1" tracked)
	n=$(view "$1" | grep -c . || true)
	[ "$t" = "$n" ] || fail "tracked=$t but $n lines in the view of $1"
	[ "$(ev "$1" mismatches)" = 0 ] || fail "mismatches: $(ip netns exec "$1" cat $EVENTS)"
}

# Expect exactly the fields $3.. on the line of alias $2 in $1.
assert_line() {
	local ns=$1 label=$2
	shift 2
	local got
	got=$(line_of "$ns" "$label" | tr -s ' ')
	[ "$got" = "$label $*" ] || fail "line of $label: '$got', expected '$label $*'"
}

# driver: none (aliases are labels of the IPv4 core)
test_driver_loaded_and_proc_follows_module() {
	unload
	[ ! -e $VIEW ] || fail "$VIEW exists without the module"
	load
	module_loaded rvnet_alias || fail "rvnet_alias not loaded"
	head -1 $VIEW | grep -q '^label  *device  *address/prefix  *broadcast  *scope  *kind  *state$' ||
		fail "header: $(head -1 $VIEW)"
	[ -e $EVENTS ] || fail "$EVENTS missing"
	rmmod rvnet_alias
	[ ! -e $VIEW ] || fail "$VIEW survived rmmod"
	[ ! -e $EVENTS ] || fail "$EVENTS survived rmmod"
	load
}

# driver: none (aliases are labels of the IPv4 core)
test_ip_label_aliases_fields() {
	load
	mkns al1
	ip -n al1 link add d0 type dummy
	ip -n al1 link set d0 up
	ip -n al1 addr add 192.0.2.1/24 brd + dev d0
	ip -n al1 addr add 192.0.2.10/24 brd + dev d0 label d0:1
	ip -n al1 addr add 198.51.100.5/25 dev d0 label d0:web scope link
	assert_line al1 d0:1 d0 192.0.2.10/24 192.0.2.255 global secondary UP,LOWER_UP
	assert_line al1 d0:web d0 198.51.100.5/25 - link primary UP,LOWER_UP
	[ "$(view al1 | wc -l)" = 2 ] || fail "$(view al1)"
	view_matches_kernel al1
	ip -n al1 link set d0 down
	assert_line al1 d0:1 d0 192.0.2.10/24 192.0.2.255 global secondary DOWN
	ip -n al1 addr del 192.0.2.10/24 dev d0
	[ -z "$(line_of al1 d0:1)" ] || fail "deleted alias still shown"
	view_matches_kernel al1
	tracked_matches_view al1
}

# driver: none (aliases are labels of the IPv4 core)
test_ifconfig_aliases_fields() {
	load
	mkns al2
	ip -n al2 link add eth7 type dummy
	ip -n al2 link set eth7 up
	ip netns exec al2 /sbin/ifconfig eth7 203.0.113.1 netmask 255.255.255.0
	ip netns exec al2 /sbin/ifconfig eth7:0 203.0.113.7 netmask 255.255.255.0
	ip netns exec al2 /sbin/ifconfig eth7:5 10.7.0.1 netmask 255.255.0.0
	ip netns exec al2 /sbin/ifconfig eth7:0 | grep -q 'inet 203.0.113.7' ||
		fail "ifconfig does not see eth7:0"
	assert_line al2 eth7:0 eth7 203.0.113.7/24 203.0.113.255 global secondary UP,LOWER_UP
	assert_line al2 eth7:5 eth7 10.7.0.1/16 10.7.255.255 global primary UP,LOWER_UP
	[ -z "$(line_of al2 eth7)" ] || fail "the device's own address is shown"
	view_matches_kernel al2
	# `ifconfig eth7:0 down` deletes the alias address.
	ip netns exec al2 /sbin/ifconfig eth7:0 down
	[ -z "$(line_of al2 eth7:0)" ] || fail "eth7:0 still shown after ifconfig down"
	[ -n "$(line_of al2 eth7:5)" ] || fail "eth7:5 gone with eth7:0: $(view al2)"
	view_matches_kernel al2
	tracked_matches_view al2
}

# driver: none (aliases are labels of the IPv4 core)
test_plain_addresses_never_appear() {
	load
	mkns al3
	ip -n al3 link add d0 type dummy
	ip -n al3 link add d1 type dummy
	ip -n al3 link set d0 up
	ip -n al3 addr add 192.0.2.1/24 dev d0
	ip -n al3 addr add 192.0.2.2/24 dev d0
	ip -n al3 addr add 192.0.2.3/24 dev d0 label d0
	ip -n al3 addr add 198.51.100.1/24 dev d1
	ip -n al3 addr add 127.0.0.2/8 dev lo
	# The header only (read inside al3: a redirect would open the caller's view).
	assert_eq "$(ip netns exec al3 cat $VIEW | wc -l)" 1 "lines of the view in al3"
	assert_eq "$(ev al3 tracked)" 0 "tracked in al3"
	[ "$(ev al3 generation)" = 0 ] || fail "generation moved: $(ip netns exec al3 cat $EVENTS)"
	# Adding an alias then shows exactly that one.
	ip -n al3 addr add 192.0.2.9/24 dev d1 label d1:x
	assert_eq "$(view al3 | awk '{ print $1 }')" d1:x "view after adding d1:x"
}

# driver: none (aliases are labels of the IPv4 core)
test_rename_follows() {
	load
	mkns al4
	ip -n al4 link add d0 type dummy
	ip -n al4 link set d0 up
	ip -n al4 addr add 192.0.2.1/24 dev d0
	ip -n al4 addr add 192.0.2.10/24 dev d0 label d0:1
	ip -n al4 addr add 10.1.0.1/24 dev d0 label d0:7
	ip -n al4 link set d0 down
	ip -n al4 link set d0 name lan0
	ip -n al4 link set lan0 up
	assert_line al4 lan0:1 lan0 192.0.2.10/24 - global secondary UP,LOWER_UP
	assert_line al4 lan0:7 lan0 10.1.0.1/24 - global primary UP,LOWER_UP
	! view al4 | grep -q 'd0' || fail "old name still shown: $(view al4)"
	view_matches_kernel al4
	[ "$(ev al4 relabelled)" = 2 ] || fail "$(ip netns exec al4 cat $EVENTS)"
	tracked_matches_view al4
	check "relabel event" ip netns exec al4 grep -q ' relabel lan0:1 192.0.2.10 lan0$' $EVENTS
}

# inetdev_changename() gives a plain secondary address ":<position>" and
# takes the label of an alias that is first in the list: the view follows
# what the kernel really does, and the tracking predicted it (mismatches 0).
# driver: none (aliases are labels of the IPv4 core)
test_rename_relabels_like_the_kernel() {
	load
	mkns al5
	ip -n al5 link add d0 type dummy
	ip -n al5 addr add 192.0.2.5/24 dev d0 label d0:first
	ip -n al5 addr add 192.0.2.6/24 dev d0
	ip -n al5 link set d0 name d9
	ip -n al5 -4 addr show dev d9 | grep -q 'inet 192.0.2.5/24 .* d9$' ||
		fail "kernel kept the first label: $(ip -n al5 -4 addr show dev d9)"
	assert_line al5 d9:2 d9 192.0.2.6/24 - global secondary DOWN
	[ -z "$(line_of al5 d9:first)" ] || fail "$(view al5)"
	view_matches_kernel al5
	tracked_matches_view al5
	check "unlabel event" ip netns exec al5 grep -q ' unlabel d0:first 192.0.2.5 d9$' $EVENTS
}

# driver: none (aliases are labels of the IPv4 core)
test_delete_device_removes_aliases() {
	load
	mkns al6
	ip -n al6 link add d0 type dummy
	ip -n al6 link add d1 type dummy
	ip -n al6 addr add 192.0.2.10/24 dev d0 label d0:1
	ip -n al6 addr add 192.0.2.11/24 dev d0 label d0:2
	ip -n al6 addr add 198.51.100.1/24 dev d1 label d1:1
	assert_eq "$(view al6 | wc -l)" 3 "lines of the view"
	ip -n al6 link del d0
	[ "$(view al6 | awk '{ print $1 }')" = d1:1 ] || fail "$(view al6)"
	assert_eq "$(ev al6 removed)" 2 "removed"
	assert_eq "$(ip netns exec al6 grep -c ' device-gone d0:' $EVENTS)" 2 "device-gone events"
	tracked_matches_view al6
}

# Moving a device to another namespace unregisters it from the first:
# the IPv4 core destroys its in_device, so its addresses (aliases too) are
# flushed, and it arrives in the other namespace without any.
# driver: none (aliases are labels of the IPv4 core)
test_netns_move_removes_aliases() {
	load
	mkns al7 al8
	ip -n al7 link add d0 type dummy
	ip -n al7 addr add 192.0.2.10/24 dev d0 label d0:1
	ip -n al8 link add d1 type dummy
	ip -n al8 addr add 198.51.100.1/24 dev d1 label d1:1
	ip -n al7 link set d0 netns al8
	[ -z "$(view al7)" ] || fail "still shown in the old namespace: $(view al7)"
	check "d0 moved to al8" ip -n al8 link show d0
	[ -z "$(ip -n al8 -4 addr show dev d0)" ] || fail "kernel kept addresses on move"
	[ "$(view al8 | awk '{ print $1 }')" = d1:1 ] || fail "$(view al8)"
	view_matches_kernel al8
	tracked_matches_view al7
	tracked_matches_view al8
	# Aliases added in the new namespace show there.
	ip -n al8 addr add 192.0.2.20/24 dev d0 label d0:9
	[ -n "$(line_of al8 d0:9)" ] || fail "d0:9 not shown in al8: $(view al8)"
	[ -z "$(view al7)" ] || fail "al7 not empty: $(view al7)"
}

# driver: none (aliases are labels of the IPv4 core)
test_promote_secondaries() {
	load
	mkns al9
	ip -n al9 link add d0 type dummy
	ip -n al9 link set d0 up
	ip netns exec al9 sysctl -qw net.ipv4.conf.d0.promote_secondaries=1
	ip -n al9 addr add 192.0.2.1/24 dev d0
	ip -n al9 addr add 192.0.2.10/24 dev d0 label d0:1
	ip -n al9 addr add 192.0.2.11/24 dev d0 label d0:2
	assert_line al9 d0:1 d0 192.0.2.10/24 - global secondary UP,LOWER_UP
	ip -n al9 addr del 192.0.2.1/24 dev d0
	assert_line al9 d0:1 d0 192.0.2.10/24 - global primary UP,LOWER_UP
	assert_line al9 d0:2 d0 192.0.2.11/24 - global secondary UP,LOWER_UP
	[ "$(ev al9 promoted)" = 1 ] || fail "$(ip netns exec al9 cat $EVENTS)"
	view_matches_kernel al9
	tracked_matches_view al9
	# Without promotion, deleting the primary deletes its secondaries.
	ip netns exec al9 sysctl -qw net.ipv4.conf.d0.promote_secondaries=0
	ip -n al9 addr del 192.0.2.10/24 dev d0
	[ -z "$(view al9)" ] || fail "secondaries survived: $(view al9)"
	tracked_matches_view al9
}

# driver: none (aliases are labels of the IPv4 core)
test_load_with_1000_existing_aliases() {
	unload
	mkns al10
	ip -n al10 link add d0 type dummy
	ip -n al10 link add d1 type dummy
	local f=/tmp/alias1000.batch i
	: >$f
	for i in $(seq 1 1000); do
		echo "addr add 10.$((i / 250)).$((i % 250)).1/16 dev d$((i % 2)) label d$((i % 2)):$i" >>$f
	done
	ip -n al10 -batch $f
	load
	[ "$(view al10 | wc -l)" = 1000 ] || fail "$(view al10 | wc -l) lines"
	[ "$(ev al10 at_load)" = 1000 ] || fail "$(ip netns exec al10 cat $EVENTS)"
	view_matches_kernel al10
	tracked_matches_view al10
	# Ordered by ifindex: every d0 line before every d1 line.
	view al10 | awk '{ print $2 }' | uniq | tr '\n' ' ' | grep -qx 'd0 d1 ' ||
		fail "not grouped by device in ifindex order"
	ip -n al10 link del d0
	assert_eq "$(view al10 | wc -l)" 500 "lines after deleting d0"
	tracked_matches_view al10
}

# driver: none (aliases are labels of the IPv4 core)
test_per_netns_isolation() {
	load
	mkns al11 al12
	ip -n al11 link add d0 type dummy
	ip -n al12 link add d0 type dummy
	ip -n al11 addr add 192.0.2.10/24 dev d0 label d0:a
	ip -n al12 addr add 192.0.2.10/24 dev d0 label d0:b
	[ "$(view al11 | awk '{ print $1 }')" = d0:a ] || fail "al11: $(view al11)"
	[ "$(view al12 | awk '{ print $1 }')" = d0:b ] || fail "al12: $(view al12)"
	! grep -qE '^d0:(a|b) ' $VIEW || fail "leaked into init_net"
	assert_eq "$(ev al11 added)" 1 "added in al11"
	assert_eq "$(ev al12 added)" 1 "added in al12"
	# A namespace created after loading starts empty and tracks on its own.
	assert_eq "$(ev al11 at_load)" 0 "at_load in al11"
}

# driver: none (aliases are labels of the IPv4 core)
test_ping_alias_from_other_netns() {
	load
	mkns al13 al14
	ip -n al13 link add a0 type veth peer name b0 netns al14
	ip -n al13 link set a0 up
	ip -n al14 link set b0 up
	ip -n al13 addr add 10.200.0.1/24 dev a0
	ip -n al13 addr add 10.200.0.100/24 dev a0 label a0:1
	ip -n al14 addr add 10.200.0.2/24 dev b0
	ip netns exec al14 ping -c 2 -i 0.2 -W 2 10.200.0.100 >/dev/null || fail "alias address not reachable"
	check "ping from the peer's address" ip netns exec al14 ping -c 1 -W 2 -I 10.200.0.2 10.200.0.100
	local l
	l=$(line_of al13 a0:1)
	assert_contains "$l" "10.200.0.100/24"
	assert_contains "$l" "UP,LOWER_UP"
	# The peer going down takes the carrier away: state follows.
	ip -n al14 link set b0 down
	assert_line al13 a0:1 a0 10.200.0.100/24 - global secondary UP
	# NETDEV_CHANGE for the carrier comes from linkwatch, a little later.
	local i
	for i in $(seq 1 30); do
		ip netns exec al13 grep -q ' dev-state - 0.0.0.0 a0$' $EVENTS && return 0
		sleep 0.1
	done
	fail "no dev-state event: $(ip netns exec al13 cat $EVENTS)"
}

# driver: none (aliases are labels of the IPv4 core)
test_rmmod_insmod_cycles() {
	load
	mkns al15
	ip -n al15 link add d0 type dummy
	ip -n al15 addr add 192.0.2.10/24 dev d0 label d0:1
	local i
	for i in 1 2 3 4 5; do
		cat $VIEW $EVENTS >/dev/null
		view al15 >/dev/null
		rmmod rvnet_alias
		[ ! -e $VIEW ] || fail "$VIEW survived rmmod (cycle $i)"
		# The module never touches the addresses themselves.
		ip -n al15 -4 addr show dev d0 | grep -q 'inet 192.0.2.10/24 .* d0:1$' ||
			fail "alias gone after rmmod"
		ip -n al15 addr add 192.0.2.$((20 + i))/24 dev d0 label d0:c$i
		insmod "$KO"
		[ "$(view al15 | wc -l)" = $((i + 1)) ] || fail "cycle $i: $(view al15)"
		assert_eq "$(ev al15 at_load)" $((i + 1)) "at_load in cycle $i"
	done
	tracked_matches_view al15
}

# driver: none (aliases are labels of the IPv4 core)
test_events_follow_every_change() {
	load
	mkns al16
	ip -n al16 link add d0 type dummy
	local g0 g1
	g0=$(ev al16 generation)
	ip -n al16 addr add 192.0.2.10/24 dev d0 label d0:1
	ip -n al16 addr add 192.0.2.11/24 dev d0 label d0:2
	ip -n al16 link set d0 up
	ip -n al16 addr del 192.0.2.11/24 dev d0
	g1=$(ev al16 generation)
	# 2 adds, device up (one or more state events), 1 delete.
	[ $((g1 - g0)) -ge 4 ] || fail "generation $g0 -> $g1: $(ip netns exec al16 cat $EVENTS)"
	assert_eq "$(ev al16 added)" 2 "added"
	assert_eq "$(ev al16 removed)" 1 "removed"
	ip netns exec al16 sed -n '/^log$/,$p' $EVENTS | grep -q '^[0-9]* add d0:2 192.0.2.11 d0$' ||
		fail "no add event in the log: $(ip netns exec al16 cat $EVENTS)"
	tracked_matches_view al16
}

ktap_run_suite alias
