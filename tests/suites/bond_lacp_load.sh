#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cost: 69 (seconds in its own 2-vCPU guest, debug kernel: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
#
# Bonding mode 802.3ad under load, the benchmark's set-up
# (tests/bench-guest.sh bond_lacp_partner) as a functional test: bond0
# (fast rate, layer3+4) over a1 a2 against a bond of the same driver in
# namespace lb that drops every IPv4 frame at b1/b2's ingress (tc; LACPDUs
# pass), and pktgen sending UDP frames through bond0 from 999 source
# ports in sequence, first from one CPU, then from every CPU at once (the
# benchmark's "all CPUs" rows). C bonding and rvnet_bond are loaded in
# turn (tests/lib/lacp.sh) and what each shows is compared (same_as_c).
#
# Nothing is timed; the checks are counts:
# - a tc counter on each slave's egress counts the IPv4 frames the bond
#   handed that slave (before the veth: a frame the veth drops still
#   counts). Every frame pktgen sent must be on a slave (none dropped by
#   the bond for want of a usable slave), and how many each slave got is
#   the per-flow choice of the hash over both ports: C's numbers, frame
#   for frame. A port that left distribution for a while would have moved
#   flows to the other one;
# - both ports' LACP states (sysfs, read with builtins all through each
#   flood) are in sync, collecting and distributing (63) at every read,
#   and /proc counts no churn.
#
# scripts/check.sh runs this suite in a guest of its own with the vCPUs
# below (two pktgen threads need two CPUs).
# guest: cpus=2
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"
source "$RVNET_ROOT/tests/lib/lacp.sh"
# A failed command inside $(...) fails the test too.
shopt -s inherit_errexit

# Frames each pktgen thread sends (in turn from source ports 1000-1998:
# pktgen stops below udp_src_max).
LOAD_COUNT=50000
PG=/proc/net/pktgen

# The IPv4 frames tc counted at $1's egress.
egress_ip() {
	tc -s -j filter show dev "$1" egress |
		jq '[.[] | select(.options.actions) | .options.actions[0].stats.packets] | add // 0'
}

# The churn counters of /proc's slave details, in one line.
churn_counts() {
	bond_proc
	local rest=$PROC l out=""
	while [[ $rest == *" Churned Count: "* ]]; do
		rest=${rest#*" Churned Count: "}
		l=${rest%%$'\n'*}
		out+="$l "
	done
	echo "$out"
}

# pktgen's name for bond0 on CPU $1's thread (one device, several threads).
pg_dev() {
	if [ "$1" = 0 ]; then echo bond0; else echo "bond0@$1"; fi
}

# Every pktgen thread stops and lets its devices go.
pg_stop() {
	[ -e $PG/pgctrl ] || return 0
	echo stop >$PG/pgctrl 2>/dev/null || true
	local t
	for t in $PG/kpktgend_*; do
		echo rem_device_all >"$t" 2>/dev/null || true
	done
}

# One flood from the pktgen threads of CPUs $@ (LOAD_COUNT frames each),
# the ports' states read all through it; prints what it counted.
flood() {
	local drv=$1 cpu d c s pid n before_churn handed=0 sent=0 res
	shift
	local -A seen before
	local -a cpus=("$@")
	for d in a1 a2; do
		before[$d]=$(egress_ip $d)
	done
	before_churn=$(churn_counts)
	for cpu in "${cpus[@]}"; do
		d=$(pg_dev "$cpu")
		echo rem_device_all >$PG/kpktgend_"$cpu"
		echo "add_device $d" >$PG/kpktgend_"$cpu"
		for c in "count $LOAD_COUNT" "pkt_size 64" "clone_skb 0" "burst 1" "delay 0" \
			"dst 10.9.0.2" "dst_mac $B1" "udp_src_min 1000" "udp_src_max 1999"; do
			echo "$c" >"$PG/$d" || fail "pktgen $d: $c"
		done
	done
	echo start >$PG/pgctrl &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		for d in a1 a2; do
			for s in actor partner; do
				c=""
				read -r c </sys/class/net/$d/bonding_slave/ad_${s}_oper_port_state || true
				seen["$d $s $c"]=1
			done
		done
		sleep 0.05
	done
	wait $pid || fail "$drv: pktgen start"
	for cpu in "${cpus[@]}"; do
		d=$(pg_dev "$cpu")
		res=""
		IFS= read -r -d '' res <"$PG/$d" || true
		[[ $res == *"Result: OK:"* ]] || fail "$drv: pktgen $d: $res"
		n=$(sed -n 's/.*pkts-sofar: \([0-9]*\).*/\1/p' <<<"$res")
		assert_eq "$n" "$LOAD_COUNT" "$drv: frames pktgen sent on $d"
		sent=$((sent + n))
		echo "$drv $d: $(grep -A1 '^Result:' <<<"$res" | tr '\n' ' ')" >&2
		echo rem_device_all >$PG/kpktgend_"$cpu"
	done
	echo "== ${#cpus[@]} sender(s)"
	echo "states during the flood: $(printf '%s\n' "${!seen[@]}" | sort | tr '\n' ';')"
	for d in a1 a2; do
		c=$(($(egress_ip $d) - before[$d]))
		handed=$((handed + c))
		echo "$d: $c frames"
		# What the veths dropped (their peer's backlog full) and the
		# LACPDUs so far: timing, for the log only.
		echo "$drv $d: tx $(ip -s -j link show $d | jq -c '.[0].stats64.tx | {packets, dropped}') LACPDU Tx $(xstat_of $d "LACPDU Tx") Rx $(xstat_of $d "LACPDU Rx")" >&2
	done
	echo "frames the bond did not hand to a slave: $((sent - handed))"
	assert_eq "$((sent - handed))" 0 "$drv: frames sent on bond0 but on no slave (${#cpus[@]} senders)"
	assert_eq "$(churn_counts)" "$before_churn" "$drv: churn counts during the flood"
	bond_in_sync "$B1" || fail "$drv: bond0 out of sync after the flood: $(bond_proc; echo "$PROC")"
}

# What lacp_load leaves behind when a check fails half-way.
load_cleanup() {
	pg_stop
	ip -n $PEER link del bond0 2>/dev/null || true
	teardown
	rmmod pktgen 2>/dev/null || true
}

lacp_load() {
	local drv=$1
	load "$drv"
	modprobe pktgen || fail "modprobe pktgen"
	netns_add $PEER
	ip -batch - <<-EOF || fail "bond0 over a1 a2"
		link add a1 address $A1 type veth peer name b1 address $B1 netns $PEER
		link add a2 address $A2 type veth peer name b2 address $B2 netns $PEER
		link add bond0 type bond mode 802.3ad lacp_rate fast xmit_hash_policy layer3+4
		link set a1 master bond0
		link set a2 master bond0
		link set bond0 up
		addr add 10.9.0.1/24 dev bond0
	EOF
	ip -n $PEER -batch - <<-EOF || fail "peer bond"
		link add bond0 type bond mode 802.3ad lacp_rate fast
		link set b1 master bond0
		link set b2 master bond0
		link set bond0 up
	EOF
	expect_driver bond0 "$BOND_DRV"
	tc -n $PEER -batch - <<-EOF || fail "tc drop on b1 b2"
		qdisc add dev b1 clsact
		filter add dev b1 ingress protocol ip pref 1 matchall action drop
		qdisc add dev b2 clsact
		filter add dev b2 ingress protocol ip pref 1 matchall action drop
	EOF
	tc -batch - <<-EOF || fail "tc counters on a1 a2"
		qdisc add dev a1 clsact
		filter add dev a1 egress protocol ip pref 1 matchall action pass
		qdisc add dev a2 clsact
		filter add dev a2 egress protocol ip pref 1 matchall action pass
	EOF
	expect_driver bond0 "$BOND_DRV" $PEER
	wait_for $CONVERGE_SECS bond_in_sync $B1 || fail "$drv: bond0 not in sync with lb's bond0: $(bond_proc; echo "$PROC")"
	flood "$drv" 0
	local -a all
	mapfile -t all < <(seq 0 $(($(nproc) - 1)))
	flood "$drv" "${all[@]}"
	ip -n $PEER link del bond0
	teardown
	rmmod pktgen || fail "rmmod pktgen"
	unload_all
}

TIME_LIMIT_lacp_under_load_matches_c=900

test_lacp_under_load_matches_c() {
	trap load_cleanup EXIT
	[ "$(nproc)" -ge 2 ] || fail "this guest has $(nproc) CPU(s): two senders need two"
	same_as_c lacp_load
	local r d n
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "== 2 sender(s)"
	# Every read of every state during both floods: 63.
	assert_eq "$(grep -c '^states during the flood: a1 actor 63;a1 partner 63;a2 actor 63;a2 partner 63;$' <<<"$r")" 2 \
		"ports in distribution during both floods"
	assert_eq "$(grep -c '^frames the bond did not hand to a slave: 0$' <<<"$r")" 2 "frames lost in the bond"
	# The reference spreads: each port carried over a fifth of the frames
	# of each flood.
	for d in a1 a2; do
		for n in $(sed -n "s/^$d: \([0-9]*\) frames\$/\1/p" <<<"$r"); do
			[ "$n" -gt $((LOAD_COUNT / 5)) ] || fail "$d carried $n frames of a flood"
		done
	done
}

ktap_run_suite bond_lacp_load
