#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cost: 63 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
#
# VLAN seen on the wire and from a peer that is not a VLAN device: frames
# captured with `tcpdump -xx` are checked byte for byte (TPID, VID, PCP
# from the egress map, DEI, QinQ), and the far veth tags and untags with
# tc's act_vlan. Every scenario runs on Linux's C 8021q, then on
# rvnet_vlan, and the observations (bytes, counters, traffic results)
# must be identical, besides matching the values expected here.
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"
# A failed command inside $(...) fails the test too.
shopt -s inherit_errexit

FLOWS="python3 $RVNET_ROOT/tests/lib/flows.py run"

# flows.py runs with the given lines of jobs (one python process).
flows_runs() { # jobs
	python3 "$RVNET_ROOT/tests/lib/flows.py" runs <<<"$1"
}
OUT=/tmp/vlan-wire
mkdir -p $OUT
AMAC=02:00:00:00:0a:0a
BMAC=02:00:00:00:0b:0b
# flows.py's frames: source MAC of the seq set, the trailing marker.
SMAC_HEX=02000000aa01
MARK_HEX=52564e46

use() { # c|rust
	use_driver vlan "$1"
}

want_driver() {
	driver_module vlan "$1"
}

# Namespaces wa (a0) and wb (b0) joined by a veth pair; b0 is a plain
# device, never a VLAN.
pair() { # driver
	use "$1"
	ip netns add wa
	ip netns add wb
	no_ipv6 wa wb
	ip link add a0 netns wa address $AMAC type veth peer name b0 netns wb address $BMAC
	ip -n wa link set a0 up
	ip -n wb link set b0 up
}

unpair() {
	ip netns del wa 2>/dev/null || true
	ip netns del wb 2>/dev/null || true
	sleep 0.2
}

vlan_add() { # driver netns lower name [ip link vlan args...]
	local drv=$1 ns=$2 lower=$3 name=$4
	shift 4
	ip -n "$ns" link add link "$lower" name "$name" type vlan "$@"
	ip -n "$ns" link set "$name" up
	expect_driver "$name" "$(want_driver "$drv")" "$ns"
}

# Runs "$@" while tcpdump captures on NS DEV; prints the hex of every
# captured frame that carries flows.py's marker, one frame a line.
capture() { # ns dev cmd...
	local ns=$1 dev=$2 pcap=$OUT/cap.pcap i
	shift 2
	rm -f $pcap $OUT/cap.err
	ip netns exec "$ns" tcpdump -Z root -U -i "$dev" -w $pcap 2>$OUT/cap.err &
	local pid=$!
	# Polled with builtins (no process per turn): tcpdump says it listens.
	local err=""
	for i in $(seq 100); do
		IFS= read -r -d '' err <$OUT/cap.err || true
		[[ $err != *"listening on"* ]] || break
		sleep 0.1
	done
	[[ $err == *"listening on"* ]] || fail "tcpdump did not start: $err"
	"$@" >$OUT/cap.cmd || fail "capture of: $*"
	# Until tcpdump has written every marked frame: at least as many as
	# flows.py's receivers got (they passed the captured device), and
	# their count the same twice in a row (bounded: 100 looks, a minute
	# or more, for a command whose frames do not come; a fixed 0.3 s once
	# ended the capture too early on a loaded TCG host, and a starved
	# tcpdump may write nothing for two looks).
	local n=-1 m want
	want=$(grep -cv -e '^order ' -e ' -$' $OUT/cap.cmd || true)
	sleep 0.3
	for i in $(seq 100); do
		m=$(marked_frames $pcap | wc -l)
		if [ "$m" -gt 0 ] && [ "$m" -ge "$want" ] && [ "$m" = "$n" ]; then
			break
		fi
		n=$m
		sleep 0.1
	done
	kill $pid
	wait $pid || true
	marked_frames $pcap
}

# The marked frames of pcap $1, one hex line each.
marked_frames() {
	tcpdump -r "$1" -nn -xx 2>/dev/null | awk '
		/^\t0x/ { for (i = 2; i <= NF; i++) f = f $i; next }
		{ if (f != "") print f; f = "" }
		END { if (f != "") print f }' | grep "$MARK_HEX" || true
}

# The Ethernet header and tags of a captured frame (the bytes before the
# IPv4 header 0x45).
hdr() {
	sed 's/0800450.*$/0800/'
}

tci() { # pcp dei vid
	printf '%04x' $((($1 << 13) | ($2 << 12) | $3))
}

# Frames sent through VLAN devices with several skb priorities, captured
# on the lower device.
egress() { # driver
	pair "$1"
	vlan_add "$1" wa a0 a0.10 id 10 egress-qos-map 1:2 3:5 6:7
	vlan_add "$1" wa a0 a0.20 protocol 802.1ad id 20 egress-qos-map 3:4
	vlan_add "$1" wa a0 a0.100 protocol 802.1ad id 100 egress-qos-map 5:1
	vlan_add "$1" wa a0.100 a0.100.200 id 200 egress-qos-map 5:7
	# One capture for all the frames (tcpdump starts slowly under TCG).
	local p jobs="" labels=()
	for p in 0 3 4 6; do
		jobs+="--tx wa:a0.10 --rx wb:b0 --set seq:1 --dst $BMAC --prio $p"$'\n'
		labels+=("a0.10 prio $p")
	done
	jobs+="--tx wa:a0.20 --rx wb:b0 --set seq:1 --dst $BMAC --prio 3"$'\n'
	labels+=("a0.20 prio 3")
	jobs+="--tx wa:a0.100.200 --rx wb:b0 --set seq:1 --dst $BMAC --prio 5"
	labels+=("a0.100.200 prio 5")
	local frames i=0 f
	# All six sends in one python process (flows.py runs).
	frames=$(capture wa a0 flows_runs "$jobs")
	for f in $frames; do
		echo "${labels[$i]}: $f"
		i=$((i + 1))
	done
	# The peer received each frame once.
	grep -c ' b0$' $OUT/cap.cmd
	unpair
}

test_egress_tags_bytes_match_c() {
	local c r e=${BMAC//:/}$SMAC_HEX
	c=$(egress c)
	r=$(egress rust)
	echo "$r"
	local want
	want="a0.10 prio 0: ${e}8100$(tci 0 0 10)0800
a0.10 prio 3: ${e}8100$(tci 5 0 10)0800
a0.10 prio 4: ${e}8100$(tci 0 0 10)0800
a0.10 prio 6: ${e}8100$(tci 7 0 10)0800
a0.20 prio 3: ${e}88a8$(tci 4 0 20)0800
a0.100.200 prio 5: ${e}88a8$(tci 1 0 100)8100$(tci 7 0 200)0800
6"
	assert_eq "$(echo "$c" | hdr)" "$want" "C's frames"
	assert_eq "$(echo "$r" | hdr)" "$want" "rvnet_vlan's frames"
	assert_eq "$r" "$c" "frames differ from C"
}

# The peer tags with act_vlan (egress push, ingress pop) and pings the
# VLAN's address from its plain device; the VLAN's ingress map turns the
# PCP into skb->priority, counted by tc filters on the VLAN device.
peer_tc() { # driver 802.1Q|802.1ad
	pair "$1"
	vlan_add "$1" wa a0 a0.30 protocol "$2" id 30 ingress-qos-map 3:6
	ip -n wa addr add 10.20.0.1/24 dev a0.30
	ip -n wb addr add 10.20.0.2/24 dev b0
	tc -n wb qdisc add dev b0 clsact
	tc -n wb filter add dev b0 egress matchall action vlan push id 30 protocol "$2" priority 3
	tc -n wb filter add dev b0 ingress matchall action vlan pop
	tc -n wa qdisc add dev a0.30 clsact
	tc -n wa filter add dev a0.30 ingress pref 1 basic match 'meta(priority eq 6)' action pass
	tc -n wa filter add dev a0.30 ingress pref 2 basic match 'meta(priority eq 3)' action pass
	tc -n wa filter add dev a0.30 ingress pref 3 matchall action pass
	ping_result ping wb -c 3 -i 0.2 -W 2 10.20.0.1
	tc -n wa -s filter show dev a0.30 ingress | awk '
		/pref/ { for (i = 1; i <= NF; i++) if ($i == "pref") p = $(i + 1) }
		/Sent/ { print "pref " p ": " $4 " pkt" }'
	# What the peer's plain device got: untagged by its own tc action.
	ip -n wb -s -j link show b0 | jq -r '"peer rx >= 3: \(.[0].stats64.rx.packets >= 3)"'
	unpair
}

peer_compare() { # 802.1Q|802.1ad
	local c r
	c=$(peer_tc c "$1")
	r=$(peer_tc rust "$1")
	echo "C: $c"
	echo "Rust: $r"
	assert_contains "$c" "ping: ok"
	assert_contains "$c" "pref 2: 0 pkt"
	assert_contains "$c" "pref 3: 0 pkt"
	[ "$(echo "$c" | sed -n 's/^pref 1: \([0-9]*\) pkt/\1/p')" -ge 3 ] || fail "C: priority 6 not counted"
	assert_eq "$r" "$c" "act_vlan peer: differs from C"
}

test_act_vlan_peer_8021q_ingress_map_matches_c() { peer_compare 802.1Q; }
test_act_vlan_peer_8021ad_ingress_map_matches_c() { peer_compare 802.1ad; }

# Frames with a tag written in the frame (PCP 1, DEI set, VID 10) from the
# peer, captured on the VLAN device: with reorder_hdr off the VLAN device
# shows the tag, DEI included; with it on, the tag is gone.
reorder() { # driver
	pair "$1"
	local o
	for o in off on; do
		vlan_add "$1" wa a0 a0.10 id 10 reorder_hdr $o
		echo "reorder_hdr $o: $(capture wa a0.10 $FLOWS --tx wb:b0 --rx wa:a0.10 --set tag:8100=0x300a --dst $AMAC)"
		grep -c ' a0.10$' $OUT/cap.cmd
		ip -n wa link del a0.10
	done
	vlan_add "$1" wa a0 a0.11 protocol 802.1ad id 11 reorder_hdr off
	echo "802.1ad off: $(capture wa a0.11 $FLOWS --tx wb:b0 --rx wa:a0.11 --set tag:88a8=0xb00b --dst $AMAC)"
	unpair
}

test_reorder_hdr_on_traffic_matches_c() {
	local c r e=${AMAC//:/}${BMAC//:/}
	c=$(reorder c)
	r=$(reorder rust)
	echo "$r"
	local want="reorder_hdr off: ${e}8100$(tci 1 1 10)0800
1
reorder_hdr on: ${e}0800
1
802.1ad off: ${e}88a8$(tci 5 1 11)0800"
	assert_eq "$(echo "$c" | hdr)" "$want" "C's frames"
	assert_eq "$(echo "$r" | hdr)" "$want" "rvnet_vlan's frames"
	assert_eq "$r" "$c" "frames differ from C"
}

# Lower device down and up again under a VLAN with or without
# loose_binding. Without it the VLAN is taken down with its lower device,
# which flushes the routes through it; with it the VLAN stays up and its
# routes survive. Seen by pinging through a route via the VLAN.
ping_result() { # label netns ping-args...
	local label=$1 ns=$2
	shift 2
	if ip netns exec "$ns" ping "$@" >/dev/null 2>&1; then
		echo "$label: ok"
	else
		echo "$label: lost"
	fi
}

loose() { # driver
	pair "$1"
	ip -n wb addr add 10.21.0.2/24 dev b0
	ip -n wb addr add 10.99.0.5/32 dev b0
	tc -n wb qdisc add dev b0 clsact
	tc -n wb filter add dev b0 egress matchall action vlan push id 40
	tc -n wb filter add dev b0 ingress matchall action vlan pop
	local o
	for o in off on; do
		vlan_add "$1" wa a0 a0.40 id 40 loose_binding $o
		ip -n wa addr add 10.21.0.1/24 dev a0.40
		ip -n wa route add 10.99.0.0/24 via 10.21.0.2 dev a0.40
		ping_result "$o before" wa -c 1 -W 2 10.99.0.5
		ip -n wa link set a0 down
		echo "$o lower down: $(ip -n wa -j link show a0.40 | jq -r '.[0] | "\(.flags | index("UP") != null) \(.operstate)"')"
		ip -n wa link set a0 up
		echo "$o lower up: $(ip -n wa -j link show a0.40 | jq -r '.[0] | "\(.flags | index("UP") != null)"')"
		ping_result "$o after" wa -c 2 -i 0.3 -W 2 10.99.0.5
		ip -n wa link del a0.40
	done
	unpair
}

test_loose_binding_on_traffic_matches_c() {
	local c r
	c=$(loose c)
	r=$(loose rust)
	echo "C: $c"
	echo "Rust: $r"
	assert_contains "$c" "off before: ok"
	assert_contains "$c" "off after: lost"
	assert_contains "$c" "on after: ok"
	assert_eq "$r" "$c" "loose_binding differs from C"
}

ktap_run_suite vlan_wire
