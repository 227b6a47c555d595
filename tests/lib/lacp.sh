#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 802.3ad test topology shared by the bond_lacp suites (sourced after
# ktap.sh and drivers.sh): bond0 of the initial namespace over veths a1 a2
# whose peers b1 b2 are in namespace lb (each suite makes its own), the
# driver under test loaded in turn (C bonding or rvnet_bond), and builtin
# readers of the bond's /proc file and LACP counters.

PEER=lb
A1=02:00:00:00:0a:01
A2=02:00:00:00:0a:02
B1=02:00:00:00:0b:01
B2=02:00:00:00:0b:02
# teamd's pid while one runs (teamd_start).
TEAMD_PID=""
# team0's MAC (teamd's "hwaddr"): the LACP system ID teamd sends.
TMAC=02:00:00:00:0b:00
# teamd's lacp runner: active, fast rate, both ports in its config (teamd
# adds them; the team driver brings a port up when it adds it).
TEAMD_CONF='{"device":"team0","hwaddr":"'$TMAC'","runner":{"name":"lacp","active":true,"fast_rate":true,"tx_hash":["eth","ipv4"]},"link_watch":{"name":"ethtool"},"ports":{"b1":{},"b2":{}}}'
# Convergence bounds (a bound, not a timing: fast-rate LACP with the
# aggregator selection and wait-while timers converges in a few seconds).
CONVERGE_SECS=60

unload_all() {
	unload_modules rvnet_bond bonding
}

# Loads driver $1 (c|rust); BOND_DRV is the module every bond must then be
# served by.
load() {
	use_driver bond "$1"
	BOND_DRV=$(driver_module bond "$1")
}

# Everything a test made goes (its EXIT trap too, so that a failed test
# leaves no device for the next one): teamd first, then the bond and the
# veths (deleting a1 deletes b1), then the namespace. -force: on past a
# device that is already gone.
teardown() {
	teamd_stop
	ip -force -batch - >/dev/null 2>&1 <<-EOF || true
		link del bond0
		link del a1
		link del a2
		netns del $PEER
	EOF
}

# Whether process $1 exited (gone, or a zombie not yet waited for).
proc_gone() {
	local s
	{ read -r s <"/proc/$1/stat"; } 2>/dev/null || return 0
	[[ $s == *") Z "* ]]
}

# SIGTERM: teamd removes its ports and deletes team0 (bounded, then
# SIGKILL).
teamd_stop() {
	[ -n "$TEAMD_PID" ] || return 0
	kill "$TEAMD_PID" 2>/dev/null || true
	wait_for 10 proc_gone "$TEAMD_PID" || kill -KILL "$TEAMD_PID" 2>/dev/null || true
	wait "$TEAMD_PID" 2>/dev/null || true
	TEAMD_PID=""
}

# /proc/net/bonding/bond0 of this namespace in PROC (a builtin read).
bond_proc() {
	PROC=""
	{ IFS= read -r -d '' PROC </proc/net/bonding/bond0; } 2>/dev/null || true
}

# How many times $2 occurs in $1, in COUNT (no process).
count() {
	local s=${1//"$2"/}
	COUNT=$(((${#1} - ${#s}) / ${#2}))
}

# The bond's active aggregator has $1 ports and partner system $2.
bond_agg() {
	bond_proc
	[[ $PROC == *$'\tNumber of ports: '"$1"$'\n'* ]] || return 1
	[[ $PROC == *$'\tPartner Mac Address: '"$2"$'\n'* ]]
}

# The actor and partner port states of /proc's slave details, in ST:
# (a1 actor, a1 partner, a2 actor, a2 partner). Parameter expansion, not a
# `read` loop: read takes a here-string a byte at a time, and the waits
# for convergence polled 75 lines 10 times a second (90 s of a test).
proc_states() {
	bond_proc
	ST=()
	local rest=$PROC l
	while [[ $rest == *$'\n    port state: '* ]]; do
		rest=${rest#*$'\n    port state: '}
		l=${rest%%$'\n'*}
		ST+=("${l##* }")
	done
}

# Converged with the partner $1: both ports in the active aggregator,
# actor and partner states 63 (active, short timeout, aggregating, in
# sync, collecting, distributing), so that the LACPDUs no longer change.
bond_in_sync() {
	bond_agg 2 "$1" || return 1
	proc_states
	[ "${ST[*]}" = "63 63 63 63" ]
}

# 802.3ad counter $2 of device $1, the bond or a slave (RTM_GETSTATS, what
# `ip link xstats type bond|bond_slave` shows); nothing if absent.
xstat_of() {
	local l pre="bond $2 "
	[ "$1" = bond0 ] || pre="slave $2 "
	while IFS= read -r l; do
		if [[ $l == "$pre"* ]]; then
			echo "${l#"$pre"}"
		fi
	done < <($RTNL bondxstats "$1")
}

xstat_is() {
	[ "$(xstat_of "$1" "$2")" = "$3" ]
}

# Whether a1 and a2 have carrier: their peers b1 b2 are up (teamd added
# them to team0).
peers_up() {
	local c1="" c2=""
	read -r c1 </sys/class/net/a1/carrier 2>/dev/null || return 1
	read -r c2 </sys/class/net/a2/carrier 2>/dev/null || return 1
	[ "$c1$c2" = 11 ]
}

# teamd in namespace lb (a job of the test, so the runner's kill of the
# test's process group reaches it too), team0 up with 10.9.0.2; its log
# next to the test's results (or in /tmp).
teamd_start() {
	TEAMD_LOG=${RVNET_TEST_MARK:-/tmp/bond-lacp.mark}
	TEAMD_LOG=${TEAMD_LOG%.mark}.teamd.log
	ip netns exec $PEER teamd -c "$TEAMD_CONF" >>"$TEAMD_LOG" 2>&1 &
	TEAMD_PID=$!
	wait_for 30 peers_up || fail "teamd did not add b1 b2: $(<"$TEAMD_LOG")"
	ip -n $PEER -batch - <<-EOF || fail "team0 up"
		link set team0 up
		addr add 10.9.0.2/24 dev team0
	EOF
}
