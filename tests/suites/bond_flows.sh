#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cost: 541 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
#
# Bonding seen from independent peers: crafted frames (tests/lib/flows.py)
# are sent on a bond of three veth slaves, and the far ends of the slaves
# (plain veths in another namespace, not bonded) record which slave
# carried each frame. Every scenario runs on Linux's C bonding, then on
# rvnet_bond with the same MACs and options, and the observations must be
# identical: the per-flow slave choice of every xmit_hash_policy, broadcast
# copies, the balance-rr order, receive on a backup slave, and which slave
# carries traffic across carrier changes with up/down delays and a primary.
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"
# A failed command inside $(...) fails the test too.
shopt -s inherit_errexit

FLOWS="python3 $RVNET_ROOT/tests/lib/flows.py run"
# Several runs in one python process, one per line of standard input.
FLOWS_RUNS="python3 $RVNET_ROOT/tests/lib/flows.py runs"
OUT=/tmp/bond-flows
mkdir -p $OUT
RX=fp:p1,fp:p2,fp:p3

unload_all() {
	unload_modules rvnet_bond bonding
}

load() { # c|rust
	use_driver bond "$1"
}

want_driver() {
	driver_module bond "$1"
}

# A VLAN device on the bond gives frames a hardware-accelerated tag; the
# VLAN driver is Linux's 8021q in both runs (not the one under test here).
use_8021q() {
	unload_modules rvnet_vlan
	modprobe 8021q
}

# Bond side fs (bond0 over s1 s2 s3), peer side fp (p1 p2 p3, up, not
# bonded): topology DRIVER MODE [BOND OPTIONS...]
topology() {
	local drv=$1
	shift
	load "$drv"
	ip netns add fs
	ip netns add fp
	no_ipv6 fs
	no_ipv6 fp
	# A batch per namespace: every command a process costs the guest.
	ip -batch - <<-EOF || fail "veth pairs"
		link add s1 netns fs address 02:00:00:00:5a:01 type veth peer name p1 netns fp address 02:00:00:00:5b:01
		link add s2 netns fs address 02:00:00:00:5a:02 type veth peer name p2 netns fp address 02:00:00:00:5b:02
		link add s3 netns fs address 02:00:00:00:5a:03 type veth peer name p3 netns fp address 02:00:00:00:5b:03
	EOF
	ip -n fp -batch - <<-EOF || fail "peers up"
		link set p1 up
		link set p2 up
		link set p3 up
	EOF
	ip -n fs link add bond0 type bond "$@"
	expect_driver bond0 "$(want_driver "$drv")" fs
	ip -n fs -batch - <<-EOF || fail "enslave"
		link set s1 master bond0
		link set s2 master bond0
		link set s3 master bond0
		link set bond0 up
	EOF
	# Every slave has carrier before traffic (bounded poll).
	wait_for 20 slaves_carrier_up || fail "$drv: slaves without carrier: $(ip -n fs link show)"
}

# Whether s1, s2 and s3 in fs are up with operstate UP (one `ip`, no jq:
# this is a poll).
slaves_carrier_up() {
	local n state rest up=0
	while read -r n state rest; do
		if [[ ${n%%@*} =~ ^s[123]$ ]] && [ "$state" = UP ]; then
			up=$((up + 1))
		fi
	done < <(ip -n fs -br link show up)
	[ $up = 3 ]
}

teardown() {
	ip netns del fs 2>/dev/null || true
	ip netns del fp 2>/dev/null || true
	sleep 0.3
	unload_all
}

# Sends the hash flow set on bond0 and on a VLAN over it; prints the
# flow -> slave map.
hash_map() { # driver policy
	use_8021q
	topology "$1" mode balance-xor xmit_hash_policy "$2"
	ip -n fs link add link bond0 name bond0.7 type vlan id 7 egress-qos-map 0:5
	ip -n fs link set bond0.7 up
	$FLOWS_RUNS <<-EOF | grep -Ev '^(vlan7 )?order '
		--tx fs:bond0 --rx $RX --set hash
		--tx fs:bond0.7 --rx $RX --set hash --prefix 'vlan7 '
	EOF
	teardown
}

hash_compare() { # policy
	local c r
	c=$(hash_map c "$1")
	echo "$c" >$OUT/hash.$1.c
	r=$(hash_map rust "$1")
	echo "$r" >$OUT/hash.$1.rust
	# The reference itself: every frame on exactly one slave, and the flows
	# spread over more than one slave.
	echo "$c" | awk '$NF !~ /^p[123]$/ { bad = 1; print "bad:", $0 } END { exit bad }' ||
		fail "C: frames not carried by exactly one slave"
	[ "$(echo "$c" | awk '{print $NF}' | sort -u | wc -l)" -ge 2 ] || fail "C: every flow on one slave"
	[ "$(echo "$c" | wc -l)" -ge 200 ] || fail "C: too few flows: $(echo "$c" | wc -l)"
	diff -u $OUT/hash.$1.c $OUT/hash.$1.rust || fail "$1: per-flow slave choice differs from C"
	echo "$1: $(echo "$r" | awk '{print $NF}' | sort | uniq -c | tr '\n' ' ')"
}

test_hash_layer2_per_flow_matches_c() { hash_compare layer2; }
test_hash_layer23_per_flow_matches_c() { hash_compare layer2+3; }
test_hash_layer34_per_flow_matches_c() { hash_compare layer3+4; }
test_hash_encap23_per_flow_matches_c() { hash_compare encap2+3; }
test_hash_encap34_per_flow_matches_c() { hash_compare encap3+4; }
test_hash_vlan_srcmac_per_flow_matches_c() { hash_compare vlan+srcmac; }

broadcast_map() {
	topology "$1" mode broadcast
	$FLOWS --tx fs:bond0 --rx $RX --set hash | grep -v '^order'
	teardown
}

test_broadcast_every_slave_once() {
	local c r
	c=$(broadcast_map c)
	r=$(broadcast_map rust)
	echo "$r" | awk '$2 != "p1,p2,p3" { bad = 1; print "not one copy per slave:", $0 } END { exit bad }' ||
		fail "rust: broadcast copies"
	echo "$c" | awk '$2 != "p1,p2,p3" { bad = 1 } END { exit bad }' || fail "C: broadcast copies"
	assert_eq "$c" "$r" "broadcast differs from C"
}

rr_order() { # driver packets_per_slave
	topology "$1" mode balance-rr packets_per_slave "$2"
	$FLOWS --tx fs:bond0 --rx $RX --set seq:24 | grep '^order'
	teardown
}

rr_compare() { # packets_per_slave expected-p1-order
	local c r
	c=$(rr_order c "$1")
	r=$(rr_order rust "$1")
	echo "C:"
	echo "$c"
	echo "Rust:"
	echo "$r"
	assert_eq "$c" "$r" "balance-rr packets_per_slave $1: order differs from C"
	assert_contains "$r" "order p1: $2"
}

test_rr_packets_per_slave_1_order() {
	rr_compare 1 "seq0002 seq0005 seq0008 seq0011 seq0014 seq0017 seq0020 seq0023"
}

test_rr_packets_per_slave_3_order() {
	rr_compare 3 "seq0000 seq0001 seq0008 seq0009 seq0010 seq0017 seq0018 seq0019"
}

# Frames from the peers into an active-backup bond: on the active slave's
# far end and on a backup's, unicast to the bond, broadcast and link-local;
# which of bond0 and the receiving slave see them.
standby_rx() {
	topology "$1" mode active-backup miimon 50
	local bmac dst from
	bmac=$(ip -n fs -j link show bond0 | jq -r '.[0].address')
	ip netns exec fs grep 'Currently Active Slave' /proc/net/bonding/bond0
	for from in 1 2; do
		for dst in "$bmac" ff:ff:ff:ff:ff:ff 01:80:c2:00:00:0e; do
			echo "== from p$from to $dst"
			echo "--tx fp:p$from --rx fs:bond0,fs:s$from --set arp:3 --dst $dst"
		done
	done | $FLOWS_RUNS | grep -v '^order'
	teardown
}

test_active_backup_standby_rx_matches_c() {
	local c r
	c=$(standby_rx c)
	r=$(standby_rx rust)
	echo "$r"
	assert_contains "$c" "Currently Active Slave: s1"
	# C: the active slave's frames reach the bond; a backup's do not.
	assert_contains "$c" "$(printf '== from p1 to 02:00:00:00:5a:01\narp0000 bond0,s1')"
	assert_contains "$c" "$(printf '== from p2 to 02:00:00:00:5a:01\narp0000 s2')"
	diff -u <(echo "$c") <(echo "$r") || fail "receive on the slaves differs from C"
}

# A probe every 0.2 s from bond0, logged by flows.py monitor as
# "N p1|p2|p3|-" (the slave whose far end got probe N, or lost).
MON=$OUT/monitor.log
monitor_start() {
	rm -f $MON
	# Not on the caller's stdout: a $(...) would wait for it.
	python3 "$RVNET_ROOT/tests/lib/flows.py" monitor --tx fs:bond0 --rx $RX --out $MON \
		>/dev/null 2>$OUT/monitor.err &
	MONPID=$!
	local i
	for i in $(seq 300); do
		if [ -s $MON ]; then return 0; fi
		sleep 0.1
	done
	fail "monitor did not start"
}

monitor_stop() {
	kill "$MONPID"
	wait "$MONPID" || true
}

# The monitor's complete lines so far into MON_LINES, and their count
# (builtins only: the polls below read it every 0.1 s).
mon_read() {
	mapfile MON_LINES <$MON
	MON_N=${#MON_LINES[@]}
	# A line the monitor is still writing is not one yet.
	[ "$MON_N" = 0 ] || [[ ${MON_LINES[-1]} == *$'\n' ]] || MON_N=$((MON_N - 1))
}

# The carrier of monitor line I (0-based) into MON_C: the second field of
# "N p1|p2|p3|-".
mon_carrier() { # i
	MON_C=${MON_LINES[$1]%$'\n'}
	MON_C=${MON_C#* }
	MON_C=${MON_C%% *}
}

# The carrier of each monitor line from line FROM (1-based) on, one a
# line.
mon_carriers_from() { # from
	local i
	for ((i = $1 - 1; i < MON_N; i++)); do
		mon_carrier "$i"
		echo "$MON_C"
	done
}

# The carriers of the probes sent after this call (the first logged one
# may have left before), once n of them are logged (bounded poll).
probes_after() { # n
	local from i
	mon_read
	from=$((MON_N + 2))
	for ((i = 0; i < 600; i++)); do
		mon_read
		if [ "$MON_N" -ge $((from + $1 - 1)) ]; then
			mon_carriers_from "$from"
			return 0
		fi
		sleep 0.1
	done
	fail "monitor stalled"
}

# Waits (bounded) until the probes are carried by $1; prints the distinct
# carriers seen from this call on, in order.
until_carrier() { # want
	local from i j seen last
	mon_read
	from=$((MON_N + 2))
	for ((i = 0; i < 600; i++)); do
		mon_read
		seen="" last=""
		for ((j = from - 1; j < MON_N; j++)); do
			mon_carrier "$j"
			[ "$MON_C" = "$last" ] || seen+="$MON_C "
			last=$MON_C
		done
		case "$seen" in
		*"$1 ") echo "$seen"; return 0 ;;
		esac
		sleep 0.1
	done
	fail "probes never carried by $1 (seen: $seen)"
}

# Waits (bounded) until fs's bond0 shows slave $1's MII status $2.
wait_slave_mii() { # SLAVE up|down
	wait_for 30 slaves_mii_are fs "$2" "$1" || fail "$1 never $2"
}

# Carrier of the active slave lost and back, with delays (20 s) long
# enough that the probes right after each change land inside them, on a
# starved guest too (a probe every 0.2 s, the first after a change left
# out, a command's start costing seconds).
delays() { # driver [primary]
	topology "$1" mode active-backup miimon 100 updelay 20000 downdelay 20000
	if [ -n "${2:-}" ]; then
		ip -n fs link set bond0 type bond primary "$2"
	fi
	monitor_start
	echo "start: $(until_carrier p1)"
	ip -n fp link set p1 down
	# downdelay: s1 stays active (probes lost), then s2 takes over.
	echo "down: $(until_carrier p2)"
	ip -n fp link set p1 up
	# updelay: s1 is not used before it has been up for 20 s.
	echo "up: $(probes_after 2 | head -2 | tr '\n' ' ')"
	wait_slave_mii s1 up
	if [ -n "${2:-}" ]; then
		echo "recovered: $(until_carrier p1 | awk '{print $NF}')"
	else
		echo "recovered: $(probes_after 2 | tail -1)"
	fi
	monitor_stop
	ip netns exec fs grep 'Currently Active Slave' /proc/net/bonding/bond0
	teardown
}

delays_compare() { # expected-output [primary]
	local c r
	c=$(delays c "${2:-}")
	r=$(delays rust "${2:-}")
	echo "C: $c"
	echo "Rust: $r"
	assert_eq "$c" "$1" "C reference"
	assert_eq "$r" "$c" "carrier changes differ from C"
}

test_updelay_downdelay_no_primary() {
	delays_compare "$(printf 'start: p1 \ndown: - p2 \nup: p2 p2 \nrecovered: p2\nCurrently Active Slave: s2')"
}

test_primary_reselected_on_recovery() {
	delays_compare "$(printf 'start: p1 \ndown: - p2 \nup: p2 p2 \nrecovered: p1\nCurrently Active Slave: s1')" s1
}

# --- balance-tlb ------------------------------------------------------------

# The slaves' and the bond's addresses, one line.
tlb_macs() {
	# `ip -br` (name, state, address) read by the shell: no jq, whose
	# start costs the TCG guest ~0.3 s of CPU, for a line asked often.
	local n state mac rest macs=()
	while read -r n state mac rest; do
		n=${n%%@*}
		[[ ! $n =~ ^(s[123]|bond0)$ ]] || macs+=("$n=$mac")
	done < <(ip -n fs -br link show)
	echo "${macs[*]}"
}

# Whether capture file $2 (tcpdump, a frame a line) holds at least $1
# frames.
lines_at_least() { # n file
	[ "$(grep -c '^[0-9]' "$2")" -ge "$1" ]
}

# Which slave carries each flow of the hash set: right after the bond
# opens (no load history: the first slave takes every bucket), then after
# the rebalance 10 s later (each bucket given to the least loaded slave by
# the bytes it carried); the source address of what each far end got;
# with tlb_dynamic_lb 0 the hash alone decides. $1 = driver, then options.
tlb_flows() {
	local drv=$1 t0 p
	shift
	topology "$drv" mode balance-tlb "$@"
	t0=$(date +%s.%N)
	tlb_macs
	$FLOWS --tx fs:bond0 --rx $RX --set hash --prefix 'first ' | grep -v 'order '
	# The monitor rebalanced when the bond opened (enslaving orders it);
	# the next one is 10 s later: well before the second run, which
	# ends long before the one after.
	sleep "$(awk -v t0="$t0" -v now="$(date +%s.%N)" 'BEGIN { d = t0 + 11 - now; print (d > 0 ? d : 0) }')"
	local pids=() second
	for p in p1 p2 p3; do
		: >$OUT/tlb.$p.err
		ip netns exec fp timeout 120 tcpdump -l -Q in -nn -e -i $p 'not ether proto 0x9000' \
			>$OUT/tlb.$p 2>$OUT/tlb.$p.err &
		pids+=($!)
	done
	tcpdump_listening $OUT/tlb.p1.err $OUT/tlb.p2.err $OUT/tlb.p3.err
	second=$($FLOWS --tx fs:bond0 --rx $RX --set hash --prefix 'second ' | grep -v 'order ')
	echo "$second"
	# The captures end once each holds (bounded) the frames flows.py saw
	# arrive on its port, and half a second more for any other one.
	for p in p1 p2 p3; do
		wait_for 30 lines_at_least "$(grep -c " $p\$" <<<"$second" || true)" $OUT/tlb.$p || true
	done
	sleep 0.5
	kill -TERM "${pids[@]}" 2>/dev/null || true
	wait "${pids[@]}" 2>/dev/null || true
	for p in p1 p2 p3; do
		echo "$p sources: $(awk '{print $2}' $OUT/tlb.$p | sort | uniq -c | awk '{printf "%s %s ", $1, $2}')"
	done
	teardown
}

tlb_flows_check() {
	local r
	r=$(cat "$SAME_AS_C_RUST")
	# Both runs carried every frame once, the second over several slaves.
	echo "$r" | awk '/^(first|second) / && $NF !~ /^p[123]$/ { bad = 1; print "bad:", $0 } END { exit bad }' ||
		fail "frames not carried by exactly one slave"
	[ "$(echo "$r" | awk '/^second / {print $NF}' | sort -u | wc -l)" -ge 2 ] ||
		fail "second run not spread over the slaves"
}

test_tlb_per_flow_matches_c() {
	same_as_c tlb_flows
	tlb_flows_check
	local r
	r=$(cat "$SAME_AS_C_RUST")
	# Nothing balanced before the first rebalance: all on the first slave.
	[ "$(echo "$r" | awk '/^first / {print $NF}' | sort -u)" = p1 ] || fail "first run not all on p1"
	# Frames leaving on s2 carry s2's own address.
	assert_contains "$r" "p2 sources: "
	echo "$r" | grep '^p2 sources:' | grep -q '02:00:00:00:5a:02' || fail "s2 did not use its own address"
}

test_tlb_static_per_flow_matches_c() {
	same_as_c tlb_flows tlb_dynamic_lb 0 xmit_hash_policy layer3+4
	tlb_flows_check
}

# /proc, ip -d link, sysfs and the addresses of a bond just made:
# lb_show DRIVER MODE "OPTIONS" (the bond stays, for more).
lb_show() {
	local f
	# shellcheck disable=SC2086
	topology "$1" mode "$2" $3
	sleep 0.3
	echo "== $3"
	ip netns exec fs cat /proc/net/bonding/bond0
	# bond0's info_data, then s1's info_slave_data: one ip, one jq.
	ip -n fs -j -d link show | jq -c '(.[] | select(.ifname == "bond0") | .linkinfo.info_data),
		(.[] | select(.ifname == "s1") | .linkinfo.info_slave_data)'
	local opts=(mode tlb_dynamic_lb lp_interval xmit_hash_policy active_slave primary) v i=0
	mapfile -t v < <(ns_read fs "${opts[@]/#//sys/class/net/bond0/bonding/}" /sys/class/net/s2/bonding_slave/state)
	for f in "${opts[@]}"; do
		echo "$f: ${v[i++]:-}"
	done
	echo "state: ${v[i]:-}"
	tlb_macs
}

# /proc, ip -d link and sysfs of balance-tlb bonds.
tlb_show() {
	local drv=$1 args
	for args in "" "tlb_dynamic_lb 0 xmit_hash_policy layer2+3 lp_interval 3" "primary s2 miimon 50"; do
		lb_show "$drv" balance-tlb "$args"
		teardown
	done
	# tlb_dynamic_lb only in balance-tlb/alb, only while down.
	topology "$drv" mode balance-tlb
	ip -n fs link set bond0 type bond tlb_dynamic_lb 0 2>&1 || true
	teardown
	topology "$drv" mode balance-xor
	ip -n fs link set bond0 down
	ip -n fs link set bond0 type bond tlb_dynamic_lb 0 2>&1 || true
	teardown
}

test_tlb_show_matches_c() {
	same_as_c tlb_show
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "Bonding Mode: transmit load balancing"
	assert_contains "$r" "Transmit Hash Policy: layer2+3 (2)"
	assert_contains "$r" "Currently Active Slave: s2"
}

# The slaves' addresses: each its own, the active one the bond's, swapped
# on failover, given back on release; and the traffic across the
# failover (a probe every 0.2 s).
tlb_addrs() {
	local drv=$1
	topology "$drv" mode balance-tlb miimon 50
	echo "enslaved: $(tlb_macs)"
	monitor_start
	echo "start: $(until_carrier p1)"
	ip -n fp link set p1 down
	wait_slave_mii s1 down
	echo "down: $(probes_after 3 | sort -u | tr '\n' ' ')"
	ip netns exec fs grep 'Currently Active Slave' /proc/net/bonding/bond0
	echo "failover: $(tlb_macs)"
	ip -n fp link set p1 up
	wait_slave_mii s1 up
	echo "back: $(tlb_macs)"
	echo "after: $(probes_after 3 | sort -u | tr '\n' ' ')"
	monitor_stop
	ip -n fs link set s2 nomaster
	ip netns exec fs grep 'Currently Active Slave' /proc/net/bonding/bond0
	echo "active released: $(tlb_macs)"
	ip -n fs link set s1 nomaster
	echo "released: $(tlb_macs)"
	ip -n fs link set s2 down
	ip -n fs link set s2 master bond0
	echo "re-enslaved: $(tlb_macs)"
	teardown
}

test_tlb_addresses_and_failover_match_c() {
	same_as_c tlb_addrs
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "Currently Active Slave: s2"
	# After the failover s2 has the bond's address, s1 took s2's.
	assert_contains "$r" "failover: s1=02:00:00:00:5a:02 s2=02:00:00:00:5a:01 s3=02:00:00:00:5a:03 bond0=02:00:00:00:5a:01"
	echo "$r" | grep -q '^down: p[23] $' || fail "traffic not on one other slave after the failover"
}

# Learning packets on each slave's far end (every lp_interval seconds,
# each slave announcing its own address, also tagged for the VLANs above
# the bond: 5 with the bond's address, 6 with one of its own), byte for
# byte.
tlb_learning() {
	local drv=$1 p
	use_8021q
	topology "$drv" mode balance-tlb
	ip -n fs -batch - <<-EOF || fail "VLANs on bond0"
		link add link bond0 name bond0.5 type vlan id 5
		link add link bond0 name bond0.6 address 02:00:00:00:06:06 type vlan id 6
	EOF
	for p in p1 p2 p3; do
		ip netns exec fp timeout 60 tcpdump -Q in -nn -xx -c 6 -i $p \
			'(ether proto 0x9000) or (vlan and ether proto 0x9000)' >$OUT/lp.$p 2>/dev/null &
	done
	wait
	for p in p1 p2 p3; do
		echo "$p: $(hex_frames <$OUT/lp.$p | sort | uniq -c | awk '{printf "%s %s ", $1, $2}')"
	done
	teardown
}

test_tlb_learning_packets_match_c() {
	same_as_c tlb_learning
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "2 020000005a02020000005a029000000000000000"
	# Tagged: VLAN 5 announces s2's address, VLAN 6 its own.
	assert_contains "$r" "020000005a02020000005a028100000590000000"
	assert_contains "$r" "020000000606020000000606810000069000"
}

# Learning packets for the macvlans above a balance-tlb bond (mv0 on the
# bond, mv5 on its VLAN 5): the active slave announces them with their
# own addresses, mv5 tagged with VLAN 5 (C: `alb_send_learning_packets`
# without strict match: after an address swap and every lp_interval on
# the active slave); the other slaves only their own address and the
# VLAN, twice a time (C's walk of the uppers comes back to bond0.5 after
# mv5). After s1 fails: what s2 (now with the bond's address) sends, each
# distinct frame once, and what s3 sends, counted over three intervals.
tlb_macvlan() {
	local drv=$1 p
	use_8021q
	topology "$drv" mode balance-tlb miimon 50
	ip -n fs -batch - <<-EOF || fail "macvlans and VLAN on bond0"
		link add link bond0 name mv0 address 02:00:00:00:0e:01 type macvlan mode bridge
		link add link bond0 name bond0.5 type vlan id 5
		link add link bond0.5 name mv5 address 02:00:00:00:0e:05 type macvlan mode bridge
		link set mv0 up
		link set bond0.5 up
		link set mv5 up
	EOF
	expect_driver mv0 macvlan fs
	expect_driver bond0.5 8021q fs
	: >$OUT/mvlp.p2.err
	: >$OUT/mvlp.p3.err
	# s2's frames once it has the bond's address, and the macvlans'.
	ip netns exec fp timeout 60 tcpdump -Q in -nn -xx -c 10 -i p2 \
		'(ether proto 0x9000 or (vlan and ether proto 0x9000)) and
		(ether src 02:00:00:00:5a:01 or ether src 02:00:00:00:0e:01 or ether src 02:00:00:00:0e:05)' \
		>$OUT/mvlp.p2 2>$OUT/mvlp.p2.err &
	ip netns exec fp timeout 60 tcpdump -Q in -nn -xx -c 9 -i p3 \
		'ether proto 0x9000 or (vlan and ether proto 0x9000)' >$OUT/mvlp.p3 2>$OUT/mvlp.p3.err &
	tcpdump_listening $OUT/mvlp.p2.err $OUT/mvlp.p3.err
	ip -n fp link set p1 down
	wait_slave_mii s1 down
	ip netns exec fs grep 'Currently Active Slave' /proc/net/bonding/bond0
	wait
	echo "p2: $(hex_frames <$OUT/mvlp.p2 | sort -u | tr '\n' ' ')"
	echo "p3: $(hex_frames <$OUT/mvlp.p3 | sort | uniq -c | awk '{printf "%s %s ", $1, $2}')"
	teardown
}

test_tlb_macvlan_learning_packets_match_c() {
	same_as_c tlb_macvlan
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "Currently Active Slave: s2"
	# s2 announces mv0 untagged and mv5 tagged with VLAN 5.
	assert_contains "$r" "020000000e01020000000e019000"
	assert_contains "$r" "020000000e05020000000e05810000059000"
	# s3: its own address, and VLAN 5 twice as often.
	assert_contains "$r" "3 020000005a03020000005a039000"
	assert_contains "$r" "6 020000005a03020000005a03810000059000"
}

# --- balance-alb ------------------------------------------------------------

# The far ends of the slaves are ports of a switch (Linux's bridge in both
# runs, not the one under test), with clients c1..c4 (10.0.0.11-14) on
# other ports; the bond is 10.0.0.1 (or, with ALB_HOST=br0, the bond is
# the port of a bridge br0, Linux's too, that is 10.0.0.1). $1 = driver,
# then bond options.
alb_topology() {
	local drv=$1 c
	shift
	unload_modules rvnet_bridge
	modprobe bridge
	topology "$drv" mode balance-alb "$@"
	# A batch per namespace: every command a process costs the guest.
	for c in 1 2 3 4; do
		echo "netns add c$c"
		echo "link add eth0 netns c$c address 02:00:00:00:c0:0$c type veth peer name q$c netns fp"
	done | ip -batch - || fail "clients"
	{
		echo "link add sw type bridge stp_state 0"
		for c in p1 p2 p3 q1 q2 q3 q4; do
			echo "link set $c master sw"
			echo "link set $c up"
		done
		echo "link set sw up"
	} | ip -n fp -batch - || fail "switch"
	if [ "${ALB_HOST:-bond0}" = br0 ]; then
		ip -n fs -batch - <<-EOF || fail "bridge over bond0"
			link add br0 type bridge stp_state 0
			link set bond0 master br0
			link set br0 up
		EOF
		expect_driver br0 bridge fs
	fi
	{
		echo "addr add 10.0.0.1/24 dev ${ALB_HOST:-bond0}"
		# The bond knows its clients: no ARP request of its own (each
		# would have every client told again 2 s later).
		for c in 1 2 3 4; do
			echo "neigh add 10.0.0.1$c lladdr 02:00:00:00:c0:0$c nud permanent dev ${ALB_HOST:-bond0}"
		done
	} | ip -n fs -batch - || fail "bond address"
	for c in 1 2 3 4; do
		printf 'addr add 10.0.0.1%s/24 dev eth0\nlink set eth0 up\n' $c | ip -n c$c -batch - ||
			fail "client c$c"
		# Nor of the clients' after the first: their entry for the bond
		# stays reachable (its random lifetime would decide whether a
		# probe, and the bond's answer, fall inside a capture).
		ip netns exec c$c sysctl -qw net.ipv4.neigh.eth0.base_reachable_time_ms=3600000 \
			net.ipv4.neigh.eth0.delay_first_probe_time=3600 || fail "client c$c neigh"
	done
}

alb_teardown() {
	local c
	for c in 1 2 3 4; do
		ip netns del c$c 2>/dev/null || true
	done
	teardown
}

# The ARP frames each client receives during the command "$@" and after
# it until the captures have been quiet for 3 s (at least 10 s after
# they started; bounded: 120 s), byte for byte, one line per client,
# after a label. Quiet, not a fixed time: a starved guest runs the
# command (and the bond's updates after it) late.
alb_arp_seen() { # label command...
	local label=$1 c pids=() t0=$SECONDS
	shift
	for c in 1 2 3 4; do
		: >$OUT/alb.c$c.err
		ip netns exec c$c timeout 120 tcpdump -l -Q in -nn -xx -i eth0 arp >$OUT/alb.c$c 2>$OUT/alb.c$c.err &
		pids+=($!)
	done
	tcpdump_listening $OUT/alb.c{1,2,3,4}.err
	"$@"
	# (A bound, then the comparison: no fail.)
	captures_quiet 3 $((10 - (SECONDS - t0))) $((115 - (SECONDS - t0))) $OUT/alb.c{1,2,3,4} || true
	kill -TERM "${pids[@]}" 2>/dev/null || true
	wait "${pids[@]}" 2>/dev/null || true
	for c in 1 2 3 4; do
		# Each distinct frame once, not in order: other clients' requests
		# may come before or after the bond's updates, and in a loaded
		# guest a client may miss a burst of them (C's too).
		echo "$label c$c: $(hex_frames <$OUT/alb.c$c | sort -u | tr '\n' ' ')"
	done
}

# Each client pings the bond once, in turn: its result and the address it
# sends to for 10.0.0.1 (the slave the bond gave it).
alb_pings() { # label
	local c n
	for c in 1 2 3 4; do
		if ip netns exec c$c ping -c 1 -W 2 10.0.0.1 >/dev/null; then
			# "10.0.0.1 dev eth0 lladdr MAC STATE"
			read -ra n <<<"$(ip -n c$c neigh show 10.0.0.1)"
			echo "$1 c$c: ping ok, 10.0.0.1 at ${n[4]:-none}"
		else
			echo "$1 c$c: ping lost"
		fi
	done
}

# Each client pings the bond once, in turn (only that: the captures
# around it are bounded).
alb_ping_each() {
	local c
	for c in 1 2 3 4; do
		ip netns exec c$c ping -c 1 -W 2 10.0.0.1 >/dev/null || echo "c$c: first ping lost"
	done
}

# The clients ARP for the bond in turn; then a slave loses its link and
# another leaves: the ARP replies each client got (the answers with the
# chosen slave's address, then the bond's updates), and where each client
# sends afterwards.
alb_clients() {
	local drv=$1
	alb_topology "$drv" miimon 50
	echo "enslaved: $(tlb_macs)"
	alb_arp_seen answer alb_ping_each
	alb_pings answer
	alb_arp_seen down ip -n fp link set p2 down
	alb_pings down
	alb_arp_seen released ip -n fs link set s3 nomaster
	alb_pings released
	echo "macs: $(tlb_macs)"
	alb_teardown
}

TIME_LIMIT_alb_clients_match_c=900
test_alb_clients_match_c() {
	same_as_c alb_clients
	local r
	r=$(cat "$SAME_AS_C_RUST")
	# One client per slave in turn (the first is the active slave with the
	# bond's address), each told by an ARP reply from its slave.
	assert_contains "$r" "answer c1: ping ok, 10.0.0.1 at 02:00:00:00:5a:01"
	assert_contains "$r" "answer c2: ping ok, 10.0.0.1 at 02:00:00:00:5a:02"
	assert_contains "$r" "answer c3: ping ok, 10.0.0.1 at 02:00:00:00:5a:03"
	assert_contains "$r" "answer c4: ping ok, 10.0.0.1 at 02:00:00:00:5a:01"
	assert_contains "$r" "answer c2: 02000000c002020000005a0208060001080006040002020000005a02"
	# s2 down: c2 moves to s3; s3 released: c2 and c3 move to s1.
	assert_contains "$r" "down c2: ping ok, 10.0.0.1 at 02:00:00:00:5a:03"
	assert_contains "$r" "released c2: ping ok, 10.0.0.1 at 02:00:00:00:5a:01"
	assert_contains "$r" "released c3: ping ok, 10.0.0.1 at 02:00:00:00:5a:01"
	echo "$r" | grep -q '^down c2: .*02000000c002020000005a0308060001' || fail "c2 not told s3's address"
	! echo "$r" | grep -q 'ping lost' || fail "traffic lost"
}

# The bond is the port of a bridge (br0, 10.0.0.1): clients c2 and c3
# were taught the addresses of s2 and s3 (as rlb teaches them; here
# permanent entries), c1 the bond's. Frames for this host that reach an
# inactive slave are readdressed to the bond's address, which the bridge
# knows as its own, so the bridge delivers them. Each client pings once;
# the Ethernet headers of the echo requests bond0 handed to the bridge,
# addressed to the bond, one line each.
alb_bridge() {
	local drv=$1 c ALB_HOST=br0
	alb_topology "$drv" miimon 50
	echo "macs: $(tlb_macs)"
	for c in 1 2 3; do
		ip -n c$c neigh replace 10.0.0.1 lladdr 02:00:00:00:5a:0$c nud permanent dev eth0 ||
			fail "c$c: neighbour"
	done
	: >$OUT/albbr.err
	ip netns exec fs timeout 60 tcpdump -Q in -nn -xx -c 3 -i bond0 \
		'icmp and ether dst 02:00:00:00:5a:01' >$OUT/albbr 2>$OUT/albbr.err &
	tcpdump_listening $OUT/albbr.err
	for c in 1 2 3; do
		if ip netns exec c$c ping -c 1 -W 2 10.0.0.1 >/dev/null; then
			echo "c$c: ping ok"
		else
			echo "c$c: ping lost"
		fi
	done
	wait
	# Destination, source, EtherType.
	hex_frames <$OUT/albbr | cut -c1-28 | sort
	alb_teardown
}

test_alb_bridge_port_rx_matches_c() {
	same_as_c alb_bridge
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "c2: ping ok"
	assert_contains "$r" "c3: ping ok"
	# c2's and c3's requests reached the bridge addressed to the bond.
	assert_contains "$r" "020000005a0102000000c0020800"
	assert_contains "$r" "020000005a0102000000c0030800"
	! echo "$r" | grep -q 'ping lost' || fail "traffic lost"
}

# /proc, ip -d link and sysfs of balance-alb bonds, and the options it
# refuses.
alb_show() {
	local drv=$1 args
	for args in "" "primary s2 miimon 50 lp_interval 3"; do
		lb_show "$drv" balance-alb "$args"
		ip -n fs link set bond0 address 02:00:00:00:5a:03
		echo "bond address set: $(tlb_macs)"
		ip -n fs link set bond0 address 02:00:00:00:0b:0b
		echo "new bond address: $(tlb_macs)"
		teardown
	done
	topology "$drv" mode balance-alb
	ip -n fs link set bond0 down
	ip -n fs link set bond0 type bond tlb_dynamic_lb 0 2>&1 || true
	ip -n fs link set bond0 type bond arp_interval 100 arp_ip_target 10.0.0.9 2>&1 || true
	teardown
	# Through sysfs, from balance-tlb with tlb_dynamic_lb 0.
	topology "$drv" mode balance-tlb tlb_dynamic_lb 0
	ip -n fs link set bond0 down
	ip -n fs link set s1 nomaster
	ip -n fs link set s2 nomaster
	ip -n fs link set s3 nomaster
	ip netns exec fs sh -c 'echo balance-alb >/sys/class/net/bond0/bonding/mode' 2>&1 || true
	echo "sysfs mode: $(ip netns exec fs cat /sys/class/net/bond0/bonding/mode)"
	echo "tlb_dynamic_lb: $(ip netns exec fs cat /sys/class/net/bond0/bonding/tlb_dynamic_lb)"
	teardown
}

test_alb_show_matches_c() {
	same_as_c alb_show
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "Bonding Mode: adaptive load balancing"
	assert_contains "$r" "Currently Active Slave: s2"
	assert_contains "$r" "sysfs mode: balance-alb 6"
	assert_contains "$r" "tlb_dynamic_lb: 1"
	# The slaves' hardware keeps an address each.
	# The active slave swaps with the slave holding the new address, or
	# takes it.
	assert_contains "$r" "bond address set: s1=02:00:00:00:5a:03 s2=02:00:00:00:5a:02 s3=02:00:00:00:5a:01 bond0=02:00:00:00:5a:03"
	assert_contains "$r" "new bond address: s1=02:00:00:00:0b:0b s2=02:00:00:00:5a:02 s3=02:00:00:00:5a:01 bond0=02:00:00:00:0b:0b"
}

ktap_run_suite bond_flows
