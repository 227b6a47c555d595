#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cost: 235 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
#
# Bonding mode 802.3ad (LACP) against an independent partner: a C team
# device driven by teamd's lacp runner (libteam-utils, scripts/setup.sh).
# Linux's C bonding and rvnet_bond both claim link kind "bond" and
# /proc/net/bonding, so they are loaded in turn (tests/lib/drivers.sh);
# every scenario runs on C bonding too, and the "_match_c" tests compare
# what each driver shows and sends (same_as_c).
#
# The bond is bond0 of the initial namespace, over veths a1 a2 whose peers
# b1 b2 are in namespace lb (teamd's team0 there, or a second bond): the
# test shell reads the bond's /proc file with a builtin while it waits,
# where a bond in a namespace would cost an `ip netns exec` per poll. The
# MACs of every device are fixed (a bond takes its first slave's), so the
# LACPDUs and /proc of the two drivers can be compared byte for byte.
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"
source "$RVNET_ROOT/tests/lib/lacp.sh"
# A failed command inside $(...) fails the test too.
shopt -s inherit_errexit

OUT=/tmp/bond-lacp
mkdir -p $OUT
# The churn timers run 60 s.
SETTLE_SECS=120

# bond0 (mode 802.3ad and the options given) over a1 a2; their peers b1
# b2 in namespace lb stay down (a team port must be down when it is added;
# bond_up_peers brings them up for a partner that is not a team).
#   lacp_topology [BOND OPTIONS...]
lacp_topology() {
	netns_add $PEER
	# One `ip -batch` (each command a process costs ~0.5 s in the guest);
	# -batch stops at the first command that fails.
	ip -batch - <<-EOF || fail "bond topology (mode 802.3ad $*)"
		link add a1 address $A1 type veth peer name b1 address $B1 netns $PEER
		link add a2 address $A2 type veth peer name b2 address $B2 netns $PEER
		link add bond0 type bond mode 802.3ad $*
		link set a1 master bond0
		link set a2 master bond0
		link set bond0 up
		addr add 10.9.0.1/24 dev bond0
	EOF
	expect_driver bond0 "$BOND_DRV"
}

bond_up_peers() {
	ip -n $PEER -batch - <<-EOF || fail "b1 b2 up"
		link set b1 up
		link set b2 up
	EOF
}

# And settled: C's churn machines say "none" once their timer (60 s from
# the port's start) expires with the port in sync; from there /proc no
# longer changes.
bond_settled() {
	bond_in_sync "$1" || return 1
	count "$PROC" $'Churn State: none\n'
	[ "$COUNT" = 4 ]
}

# Without a partner: C's receive machine goes from expired to defaulted
# (state bit 0x40 set, 0x80 clear) on both ports, and a1's port is
# attached to the active aggregator (in sync, 0x08); a2, an individual
# port in an aggregator of its own, is not. From there the LACPDUs stay
# the same.
bond_defaulted() {
	proc_states
	[ ${#ST[@]} = 4 ] || return 1
	(((ST[0] & 0xc8) == 0x48 && (ST[2] & 0xc0) == 0x40))
}

# teamd's view: $1 ports of team0 in its selected aggregator, their
# partner (the bond) current.
team_agg() {
	local v
	v=$(ip netns exec $PEER teamdctl team0 state view 2>&1) || return 1
	count "$v" ", Selected"
	[ "$COUNT" = "$1" ] || return 1
	count "$v" "state: current"
	[ "$COUNT" = "$1" ]
}

# Both sides agree on an aggregator of $1 ports with each other.
both_agg() {
	bond_agg "$1" "$TMAC" && team_agg "$1"
}

# What each side shows, for a failure message.
show_both() {
	bond_proc
	echo "--- /proc/net/bonding/bond0:"
	echo "$PROC"
	echo "--- teamdctl team0 state view:"
	ip netns exec $PEER teamdctl team0 state view 2>&1 || true
}

# One echo to team0 answered within a second.
team_echo() {
	ping -c 1 -W 1 10.9.0.2 >/dev/null 2>&1
}

# team0 answers, bounded (20 s of wait_for's sleeps between tries, each
# try waiting up to 1 s for its reply): a port both sides show in the aggregator
# (both_agg) carries traffic only once each side's mux reaches collecting
# and distributing (the bond's wait-while timer, teamd enabling the port).
ping_peer() { # what
	wait_for 20 team_echo || fail "$1: no reply from team0 (10.9.0.2)"
}

# bond0 in mode 802.3ad against teamd's lacp runner: both sides aggregate
# both links, traffic flows; a link down leaves one port in the aggregator
# and traffic flowing, and the link back up makes it two again.
lacp_with_teamd() {
	local drv=$1
	trap teardown EXIT
	load "$drv"
	lacp_topology lacp_rate fast miimon 100
	teamd_start
	wait_for $CONVERGE_SECS both_agg 2 || fail "$drv: no aggregator of 2 ports on both sides: $(show_both)"
	bond_proc
	assert_contains "$PROC" "Bonding Mode: IEEE 802.3ad Dynamic link aggregation"
	assert_contains "$PROC" $'\tNumber of ports: 2\n'
	# The partner's system is team0's MAC.
	local tmac
	tmac=$(ip netns exec $PEER cat /sys/class/net/team0/address)
	assert_eq "$tmac" "$TMAC" "team0's MAC"
	assert_contains "$PROC" $'\tPartner Mac Address: '"$tmac"$'\n'
	ping_peer "$drv, 2 ports"
	# The partner's LACPDUs were counted, on the bond and on each slave.
	local x n
	for x in bond0 a1 a2; do
		n=$(xstat_of $x "LACPDU Rx")
		[ "${n:-0}" -gt 0 ] || fail "$drv: no LACPDU Rx counted on $x: $($RTNL bondxstats $x)"
	done
	ip link set a2 down
	wait_for $CONVERGE_SECS both_agg 1 || fail "$drv: a2 down: no aggregator of 1 port on both sides: $(show_both)"
	ping_peer "$drv, a2 down"
	ip link set a2 up
	wait_for $CONVERGE_SECS both_agg 2 || fail "$drv: a2 up again: no aggregator of 2 ports on both sides: $(show_both)"
	ping_peer "$drv, a2 up again"
	teardown
	unload_all
}

test_c_lacp_with_teamd() {
	lacp_with_teamd c
}

test_rust_lacp_with_teamd() {
	lacp_with_teamd rust
}

# Whether both tcpdumps of capture_lacpdus listen (builtins).
listening() {
	local d e
	for d in b1 b2; do
		e=""
		IFS= read -r -d '' e <$OUT/cap.$d.err || true
		[[ $e == *"listening on"* ]] || return 1
	done
}

# $1 LACPDUs the bond sent on each of a1 a2, as b1 b2 received them
# (tcpdump -Q in: not what teamd sends on them), each distinct frame once:
# "b1 HEX" lines. The command given runs once both captures listen.
# Bounded: a bond that sends none within 40 s fails.
#   capture_lacpdus N [CMD...]
capture_lacpdus() {
	local n=$1 p d
	shift
	local -A pids seen
	for d in b1 b2; do
		: >$OUT/cap.$d.err
		ip netns exec $PEER timeout 40 tcpdump -Q in -nn -xx -c "$n" -i $d ether proto 0x8809 \
			>$OUT/cap.$d 2>>$OUT/cap.$d.err &
		pids[$d]=$!
	done
	wait_for 30 listening || fail "tcpdump did not start: $(cat $OUT/cap.b1.err $OUT/cap.b2.err)"
	[ $# = 0 ] || "$@" || fail "$*"
	for d in b1 b2; do
		wait "${pids[$d]}" || fail "fewer than $n LACPDUs on $d within 40 s: $(<$OUT/cap.$d.err)"
	done
	for d in b1 b2; do
		for p in $(hex_frames <$OUT/cap.$d); do
			[ -n "${seen[$d$p]:-}" ] || echo "$d $p"
			seen[$d$p]=1
		done
	done
}

# Checks the fields of an LACPDU that do not depend on the protocol's
# state (IEEE 802.1AX: slow protocols address, subtype 1, version 1, TLV
# types and lengths, reserved bytes, 124 bytes with the padding), by
# offset in the hex (two digits a byte; substrings, no subshell):
#   lacpdu_fields WHAT HEX SRC_MAC SYSTEM_MAC PORT_NUMBER
lacpdu_fields() {
	local what=$1 f=$2 src=${3//:/} sys=${4//:/} port zeros
	printf -v port %04x "$5"
	printf -v zeros '0%.0s' {1..128}
	assert_eq "${#f}" 248 "$what: frame length (hex digits; 14 + 110 bytes)"
	assert_eq "${f:0:12}" 0180c2000002 "$what: destination (slow protocols)"
	assert_eq "${f:12:12}" "$src" "$what: source (the slave's permanent MAC)"
	assert_eq "${f:24:8}" 88090101 "$what: ethertype, subtype LACP, version 1"
	assert_eq "${f:32:4}" 0114 "$what: actor TLV"
	assert_eq "${f:36:4}" ffff "$what: actor system priority"
	assert_eq "${f:40:12}" "$sys" "$what: actor system (the bond's MAC)"
	# C's ad_update_actor_keys: veth reports 10000 Mb/s
	# (AD_LINK_SPEED_10000MBPS, 7) full duplex (1): (7 << 1) | 1.
	assert_eq "${f:52:4}" 000f "$what: actor key"
	assert_eq "${f:56:4}" 00ff "$what: actor port priority"
	assert_eq "${f:60:4}" "$port" "$what: actor port number"
	# Byte 32 is the actor state; 33-35 reserved, then the partner TLV.
	assert_eq "${f:66:10}" 0000000214 "$what: reserved, partner TLV"
	# Byte 52 is the partner state; 53-55 reserved, the collector TLV and
	# its max delay (0).
	assert_eq "${f:106:14}" 00000003100000 "$what: reserved, collector TLV, max delay"
	assert_eq "${f:120}" "$zeros" "$what: reserved, terminator, padding"
}

# Driver $1's bond0 (fast rate) with its peers b1 b2 up but no partner:
# both ports settled in the defaulted state.
defaulted_bond() {
	load "$1"
	lacp_topology lacp_rate fast miimon 100
	bond_up_peers
	wait_for $CONVERGE_SECS bond_defaulted || fail "$1: ports not defaulted: $(bond_proc; echo "$PROC")"
}

# The LACPDUs the bond sends: without a partner once the ports settle in
# the defaulted state, then with teamd once both sides are in sync.
# Prints them (same_as_c compares the whole frames) and checks their fixed
# fields. Without a partner the periodic machine sends every 30 s (the
# defaulted partner asks for the long timeout): setting ad_actor_sys_prio
# (to its value) makes C send at once (bond_3ad_update_ad_actor_settings
# sets every port's NTT), the next periodic one comes within 30 s anyway.
# With teamd (fast rate) two a port, a second apart.
lacpdus() {
	local drv=$1 f d port
	defaulted_bond "$drv"
	echo "== no partner (defaulted)"
	capture_lacpdus 1 ip link set bond0 type bond ad_actor_sys_prio 65535 >$OUT/pdu.$drv
	cat $OUT/pdu.$drv
	while read -r d f; do
		if [ "$d" = b1 ]; then port=1; else port=2; fi
		lacpdu_fields "$drv $d defaulted" "$f" "${d/b/02:00:00:00:0a:0}" $A1 $port
	done <$OUT/pdu.$drv
	# teamd adds b1 b2 only while they are down.
	ip -n $PEER -batch - <<-EOF || fail "b1 b2 down"
		link set b1 down
		link set b2 down
	EOF
	teamd_start
	wait_for $CONVERGE_SECS bond_in_sync $TMAC || fail "$drv: not in sync with teamd: $(show_both)"
	echo "== teamd partner"
	capture_lacpdus 2 >$OUT/pdu.$drv
	cat $OUT/pdu.$drv
	while read -r d f; do
		if [ "$d" = b1 ]; then port=1; else port=2; fi
		lacpdu_fields "$drv $d with teamd" "$f" "${d/b/02:00:00:00:0a:0}" $A1 $port
		assert_eq "${f:64:2}${f:80:12}${f:104:2}" "3f${TMAC//:/}3f" \
			"$drv $d with teamd: actor state, partner system, partner state"
	done <$OUT/pdu.$drv
	teardown
	unload_all
}

# Both drivers run in one test, each with a partnerless and a teamd phase.
TIME_LIMIT_lacpdu_bytes_match_c=600

test_lacpdu_bytes_match_c() {
	trap teardown EXIT
	same_as_c lacpdus
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "== teamd partner"
}

# A Marker Information PDU (IEEE 802.1AX 6.5: subtype 2, TLV 1, requester
# port 1, system B1, transaction 7) sent to a1 from b1 by mausezahn; the
# bond answers with a Marker Response from a1's permanent MAC: the same
# PDU with TLV type 2. Prints the response (same_as_c compares it whole)
# and checks it field by field.
MARKER_INFO="01:80:c2:00:00:02:${B1}:88:09:02:01:01:10:00:01:${B1}:00:00:00:07:00:00:00:00"

b1_listening() {
	local e=""
	IFS= read -r -d '' e <$OUT/mk.err || true
	[[ $e == *"listening on"* ]]
}

markers() {
	local drv=$1 pid f z
	defaulted_bond "$drv"
	: >$OUT/mk.err
	ip netns exec $PEER timeout 40 tcpdump -Q in -nn -xx -c 1 -i b1 'ether proto 0x8809 and ether[14] == 2' \
		>$OUT/mk 2>>$OUT/mk.err &
	pid=$!
	wait_for 30 b1_listening || fail "tcpdump did not start: $(<$OUT/mk.err)"
	printf -v z ':00%.0s' {1..90}
	ip netns exec $PEER mausezahn b1 -q -c 1 "$MARKER_INFO$z" || fail "mausezahn"
	wait "$pid" || fail "$drv: no Marker Response on b1 within 40 s: $(<$OUT/mk.err)"
	f=$(hex_frames <$OUT/mk)
	echo "response $f"
	printf -v z '0%.0s' {1..180}
	assert_eq "${#f}" 248 "$drv: response length (hex digits; 14 + 110 bytes)"
	assert_eq "${f:0:12}" 0180c2000002 "$drv: destination (slow protocols)"
	assert_eq "${f:12:12}" "${A1//:/}" "$drv: source (a1's permanent MAC)"
	assert_eq "${f:24:8}" 88090201 "$drv: ethertype, subtype Marker, version 1"
	assert_eq "${f:32:4}" 0210 "$drv: Marker Response TLV"
	assert_eq "${f:36:28}" "0001${B1//:/}000000070000" "$drv: requester port, system, transaction, pad"
	assert_eq "${f:64:4}" 0000 "$drv: terminator"
	assert_eq "${f:68}" "$z" "$drv: reserved"
	# Then one PDU of each other kind C counts (bond_3ad.c), after the
	# Marker Information above: a Marker Response, a Marker of unknown TLV
	# type 3, a slow-protocols PDU of unknown subtype 10 (110 bytes), and
	# one too short for a LACPDU (46 bytes: the minimal frame). The
	# counters of the bond and of each slave (`ip link xstats`; LACPDU Tx
	# counts the periodic LACPDUs, a matter of time: left out), once the
	# Marker Response to the Information PDU was counted too.
	local mk=${MARKER_INFO%%:88:09:*}:88:09 body=${MARKER_INFO#*:88:09:}
	printf -v z ':00%.0s' {1..90}
	ip netns exec $PEER mausezahn b1 -q -c 1 "$mk:${body/02:01:01/02:01:02}$z" || fail "mausezahn (response)"
	ip netns exec $PEER mausezahn b1 -q -c 1 "$mk:${body/02:01:01/02:01:03}$z" || fail "mausezahn (unknown TLV)"
	ip netns exec $PEER mausezahn b1 -q -c 1 "$mk:${body/02:01:01/0a:01:01}$z" || fail "mausezahn (unknown subtype)"
	printf -v z ':00%.0s' {1..45}
	ip netns exec $PEER mausezahn b1 -q -c 1 "$mk:01$z" || fail "mausezahn (short)"
	wait_for 10 xstat_is bond0 "Marker unknown type Rx" 1 ||
		fail "$drv: the unknown Marker was not counted: $($RTNL bondxstats bond0)"
	echo "== counters"
	local d
	for d in bond0 a1 a2; do
		echo "-- $d"
		$RTNL bondxstats $d | grep -v "LACPDU Tx"
	done
	teardown
	unload_all
}

test_markers_and_pdu_counters_match_c() {
	trap teardown EXIT
	same_as_c markers
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "response 0180c2000002"
	assert_contains "$r" "Marker Rx 1"
	assert_contains "$r" "Marker response Rx 1"
	assert_contains "$r" "Marker response Tx 1"
	assert_contains "$r" "LACPDU Unknown type Rx 1"
	assert_contains "$r" "LACPDU Illegal Rx 1"
}

# /proc/net/bonding/bond0 and the link attributes of bond0 and its slaves
# once the bond settled with teamd (churn machines done: "none" 60 s
# after the ports started, so the snapshot does not depend on when it is
# taken). Compared whole: with fixed MACs, and teamd's port numbers (the
# ifindexes of b1 b2 in a fresh namespace) the same in both runs, nothing
# legitimately differs. Of `ip -d link`, the attributes a bond sets
# (flags, MTU, address, state, linkinfo with the bond and bond_slave
# data); ifindexes grow between the runs, and the queue and GSO/TSO limits
# are not 802.3ad's.
show_lacp() {
	local drv=$1
	load "$drv"
	lacp_topology lacp_rate fast ad_select bandwidth min_links 1 ad_actor_sys_prio 100 \
		ad_user_port_key 5 ad_actor_system 02:11:22:33:44:55 lacp_active on miimon 100
	teamd_start
	wait_for $SETTLE_SECS bond_settled $TMAC || fail "$drv: not settled with teamd: $(show_both)"
	bond_proc
	# Both ports join the aggregator of the port whose first LACPDU from
	# teamd was handled first (1 or 2, C as Rust: two of three clean-clone
	# runs differed there): the active aggregator is named, not numbered;
	# a port in another aggregator still shows its number.
	local agg
	agg=$(sed -n '/^Active Aggregator Info:/{n;s/^[[:space:]]*Aggregator ID: //p}' <<<"$PROC")
	[ -n "$agg" ] || fail "$drv: no active aggregator in /proc"
	sed "s/Aggregator ID: $agg\$/Aggregator ID: <active>/" <<<"$PROC"
	ip -j -d link show | jq -c '.[] | select(.ifname == "bond0" or .ifname == "a1" or .ifname == "a2")
		| {ifname, flags, mtu, operstate, address, master, linkinfo}' |
		sed "s/\"ad_aggregator_id\":$agg,/\"ad_aggregator_id\":\"<active>\",/; s/\"aggregator\":$agg,/\"aggregator\":\"<active>\",/"
	teardown
	unload_all
}

TIME_LIMIT_proc_802_3ad_match_c=600

test_proc_802_3ad_match_c() {
	trap teardown EXIT
	same_as_c show_lacp
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "Bonding Mode: IEEE 802.3ad Dynamic link aggregation"
	assert_contains "$r" "Aggregator selection policy (ad_select): bandwidth"
	assert_contains "$r" "System priority: 100"
	assert_contains "$r" "System MAC address: 02:11:22:33:44:55"
	# ad_user_port_key 5 above the speed and duplex bits: (5 << 6) | 15.
	assert_contains "$r" $'\tActor Key: 335\n'
	assert_contains "$r" $'\tPartner Mac Address: '"$TMAC"$'\n'
}

# A slave that cannot say its speed or duplex (a dummy: no ethtool link
# settings): 802.3ad cannot aggregate it. C marks it up when enslaved
# (the initial link state overwrites the unknown speed's "down"), and
# once the slave goes down and up, keeps it down until ethtool answers
# (bond_main.c: the NETDEV_UP handler and the miimon commit). What each
# driver shows of its slaves at each step.
slave_states() {
	bond_proc
	local l
	while IFS= read -r l; do
		case $l in
		"Slave Interface:"* | "MII Status:"* | "Speed:"* | "Duplex:"* | "Link Failure Count:"*) echo "$l" ;;
		esac
	done <<<"${PROC#*Slave Interface}"
}

# d1's MII Status in /proc is $1.
d1_mii() {
	bond_proc
	[[ ${PROC#*Slave Interface: d1$'\n'} == "MII Status: $1"$'\n'* ]]
}

unknown_speed() {
	local drv=$1
	load "$drv"
	lacp_topology lacp_rate fast miimon 100
	bond_up_peers
	# The next miimon tick brings a1 a2 up: waited for, so that the
	# comparison does not race it.
	wait_for 10 slaves_mii_are - up a1 a2 || fail "$drv: a1 a2 not up"
	ip link add d1 address 02:00:00:00:0d:01 type dummy || fail "dummy d1"
	ip link set d1 master bond0 || fail "d1 enslaved"
	echo "== enslaved"
	slave_states
	ip link set d1 down
	wait_for 10 d1_mii down || fail "$drv: d1 not down"
	ip link set d1 up
	# Ten monitor ticks: C's stays down for good (no later state to wait
	# for); a driver that lets it up shows it here.
	sleep 1
	echo "== down and up"
	slave_states
	ip link del d1
	teardown
	unload_all
}

test_unknown_speed_slave_matches_c() {
	trap 'ip link del d1 2>/dev/null || true; teardown' EXIT
	same_as_c unknown_speed
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" $'Slave Interface: d1\nMII Status: down\nSpeed: Unknown'
}

# A bond against a bond of the same driver (bond0 of namespace lb over b1
# b2): both settle on one aggregator of two ports, partner each other,
# and traffic flows.
bond_to_bond() {
	local drv=$1 peer_proc
	trap 'ip -n $PEER link del bond0 2>/dev/null || true; teardown' EXIT
	load "$drv"
	lacp_topology lacp_rate fast miimon 100
	ip -n $PEER -batch - <<-EOF || fail "peer bond"
		link add bond0 type bond mode 802.3ad lacp_rate fast miimon 100
		link set b1 master bond0
		link set b2 master bond0
		link set bond0 up
		addr add 10.9.0.2/24 dev bond0
	EOF
	expect_driver bond0 "$BOND_DRV" $PEER
	# The peer bond took b1's MAC, and this one a1's.
	wait_for $CONVERGE_SECS bond_in_sync $B1 || fail "$drv: bond0 not settled with lb's bond0: $(bond_proc; echo "$PROC")"
	peer_proc=$(ip netns exec $PEER cat /proc/net/bonding/bond0)
	assert_contains "$peer_proc" $'\tNumber of ports: 2\n'
	assert_contains "$peer_proc" $'\tPartner Mac Address: '"$A1"$'\n'
	ping -c 3 -i 0.2 -W 2 10.9.0.2 >/dev/null || fail "$drv: no reply from lb's bond0"
	# The peer bond goes before the namespace: rmmod of its driver follows.
	ip -n $PEER link del bond0
	teardown
	unload_all
}

test_c_lacp_bond_to_bond() {
	bond_to_bond c
}

test_rust_lacp_bond_to_bond() {
	bond_to_bond rust
}

# The 802.3ad lines of /proc that options set.
proc_options() {
	bond_proc
	local l on=0
	while IFS= read -r l; do
		[ "$l" != "802.3ad info" ] || on=1
		[ $on = 0 ] || echo "$l"
		[[ $l != "System MAC address:"* ]] || on=0
	done <<<"$PROC"
}

# Options of a live bond: C accepts min_links, ad_actor_sys_prio and
# ad_actor_system while the bond is up; lacp_rate, ad_select, lacp_active
# and ad_user_port_key only while it is down (BOND_OPTFLAG_IFDOWN: EBUSY,
# "unable to set option because the bond is up"); out-of-range values are
# refused (EINVAL). ad_select 7 and lacp_rate 3 go through rtnl.py: ip
# refuses them itself ("invalid ad_select") before the kernel sees them.
# Prints what each command said (ip -force -batch: on past a failure,
# "Command failed -:LINE" for each) and what /proc shows.
options_live() {
	local drv=$1 rc
	load "$drv"
	lacp_topology lacp_rate fast miimon 100
	bond_up_peers
	echo "== up"
	rc=0
	ip -force -batch - 2>&1 <<-EOF || rc=$?
		link set bond0 type bond min_links 2
		link set bond0 type bond ad_actor_sys_prio 200
		link set bond0 type bond ad_actor_system 00:00:00:00:00:00
		link set bond0 type bond ad_actor_system 02:11:22:33:44:66
		link set bond0 type bond lacp_rate slow
		link set bond0 type bond ad_select count
		link set bond0 type bond lacp_active off
		link set bond0 type bond ad_user_port_key 7
		link set bond0 type bond ad_actor_sys_prio 0
		link set bond0 type bond ad_actor_system 01:80:c2:00:00:02
	EOF
	echo "exit status $rc"
	proc_options
	echo "== down"
	rc=0
	ip -force -batch - 2>&1 <<-EOF || rc=$?
		link set bond0 down
		link set bond0 type bond lacp_rate slow
		link set bond0 type bond ad_select count
		link set bond0 type bond lacp_active off
		link set bond0 type bond ad_user_port_key 7
		link set bond0 type bond ad_user_port_key 1024
		link set bond0 type bond min_links 0
	EOF
	echo "exit status $rc"
	echo "ad_select 7: $($RTNL changelink bond0 bond 22=u8:7 2>&1 || echo "exit status $?")"
	echo "lacp_rate 3: $($RTNL changelink bond0 bond 21=u8:3 2>&1 || echo "exit status $?")"
	ip link set bond0 up
	proc_options
	# A slave's actor port priority (IFLA_BOND_SLAVE_ACTOR_PORT_PRIO: iproute2
	# 6.1 has no word for it), in a1's actor details.
	echo "actor_port_prio 5: $($RTNL slavechangelink a1 bond 10=u16:5 2>&1 || echo "exit status $?")"
	bond_proc
	local l
	while IFS= read -r l; do
		[[ $l != *"port priority:"* ]] || echo "$l"
	done <<<"${PROC#*Slave Interface: a1$'\n'}"
	teardown
	unload_all
}

test_lacp_options_live_match_c() {
	trap teardown EXIT
	same_as_c options_live
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "Error: unable to set option because the bond is up."
	assert_contains "$r" "Error: invalid option value."
	assert_contains "$r" "LACP rate: slow"
	assert_contains "$r" "Aggregator selection policy (ad_select): count"
	assert_contains "$r" "Min links: 0"
	assert_contains "$r" "System priority: 200"
	assert_contains "$r" "System MAC address: 02:11:22:33:44:66"
	assert_contains "$r" "    port priority: 5"
}

ktap_run_suite bond_lacp
