#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rvnet_teql: the same striping topology against Linux's C sch_teql and the
# Rust driver in one boot, plus the Rust driver's own checks. teql0 belongs
# to the qdisc module loaded (rvnet_teql or sch_teql): load_* check which.
# cost: 50 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"

unload_all() {
	unload_modules rvnet_teql sch_teql
}

# Loads driver $1 (c|rust).
load() {
	use_driver teql "$1" max_equalizers=2
	expect_driver teql0 "$(driver_module teql "$1")"
}

load_rust() {
	load rust
}

load_c() {
	load c
}

# Two namespaces joined by two veth pairs, teql over both ends.
topology() {
	netns_pair ta tb a1 b1 a2 b2
	ip link set teql0 netns ta
	ip link set teql1 netns tb
	for x in 1 2; do
		ip netns exec ta tc qdisc add dev a$x root teql0
		ip netns exec tb tc qdisc add dev b$x root teql1
	done
	ip -n ta link set teql0 up
	ip -n tb link set teql1 up
	ip -n ta addr add 10.9.0.1/24 dev teql0
	ip -n tb addr add 10.9.0.2/24 dev teql1
}

teardown() {
	netns_unpair ta tb
	sleep 0.2
}

txp() {
	ip -n "$1" -s -j link show "$2" | jq '.[0].stats64.tx.packets'
}

striping_checks() {
	topology
	ip netns exec ta ping -c 40 -i 0.02 -W 2 10.9.0.2 >/dev/null || fail "ping over teql"
	local t1 t2
	t1=$(txp ta a1)
	t2=$(txp ta a2)
	[ "$t1" -ge 10 ] || fail "a1 not used: a1=$t1 a2=$t2"
	[ "$t2" -ge 10 ] || fail "a2 not used: a1=$t1 a2=$t2"
	ip -n ta -s -j link show teql0 | jq -e '.[0].stats64.tx.packets >= 40' >/dev/null ||
		fail "teql0 counters: $(ip -n ta -s link show teql0)"
	# Traffic survives one slave going down.
	ip -n ta link set a1 down
	ip -n tb link set b1 down
	ip netns exec ta ping -c 10 -i 0.05 -W 2 10.9.0.2 >/dev/null || fail "ping with one slave down"
	# Bulk flow.
	ip netns exec ta ping -c 200 -i 0 -s 1400 -W 2 10.9.0.2 >/dev/null || fail "bulk flow"
	teardown
}

test_c_striping() {
	load_c
	striping_checks
	unload_all
}

test_rust_striping() {
	load_rust
	striping_checks
	unload_all
}

test_rust_proc_and_stats() {
	load_rust
	topology
	ip netns exec ta ping -c 20 -i 0.02 -W 2 10.9.0.2 >/dev/null || fail "ping over teql"
	local p
	p=$(ip netns exec ta cat /proc/net/teql)
	echo "$p"
	assert_contains "$p" "teql0"
	echo "$p" | grep -qE 'a1:UP,LOWER_UP:[1-9]' || fail "a1 not counted"
	echo "$p" | grep -qE 'a2:UP,LOWER_UP:[1-9]' || fail "a2 not counted"
	ip netns exec ta tc -s qdisc show dev a1 | grep -q 'qdisc teql0' || fail "tc -s qdisc"
	teardown
	unload_all
}

test_rust_bad_input() {
	load_rust
	ip link add s1 type dummy
	ip link add s2 mtu 1000 type dummy
	local out
	out=$(tc qdisc add dev s1 root teql7 2>&1) && fail "unknown equalizer accepted"
	tc qdisc add dev s1 root teql0
	expect_driver teql0 rvnet_teql
	ip link set s1 up
	ip link set teql0 up
	out=$(tc qdisc add dev s2 root teql0 2>&1) && fail "smaller-MTU slave accepted by a running master"
	assert_contains "$out" "slave cannot carry"
	ip netns add tc1
	ip link add s3 netns tc1 type dummy
	# A slave in another namespace is accepted, as C's sch_teql does
	# (tc-testing attaches teql0 from a test namespace); deleting the
	# namespace detaches it (checked by rmmod below).
	check "slave in another namespace" ip netns exec tc1 tc qdisc add dev s3 root teql1
	# Not as root: the parent exists (prio 1:), so only teql's rule refuses.
	tc qdisc add dev s2 root handle 1: prio
	out=$(tc qdisc add dev s2 parent 1:1 teql0 2>&1) && fail "non-root teql accepted"
	assert_contains "$out" "teql can only be used as root"
	tc qdisc del dev s2 root
	ip netns del tc1
	ip link set teql0 down
	ip link del s1
	ip link del s2
	unload_all
}

test_rust_rmmod_busy_then_clean() {
	load_rust
	topology
	ip netns exec ta ping -f -c 100000 -W 1 10.9.0.2 >/dev/null 2>&1 &
	local pid=$!
	sleep 1
	local out refs
	refs=$(cat /sys/module/rvnet_teql/refcnt)
	[ "$refs" -gt 0 ] || fail "no module reference held by the attached slaves"
	out=$(rmmod rvnet_teql 2>&1) && fail "rmmod succeeded with slaves attached"
	# kmod refuses a module with references (EBUSY), nothing else.
	assert_contains "$out" "rvnet_teql is in use"
	kill $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	# Removing the slaves (here: with their namespaces) releases the module.
	teardown
	rmmod rvnet_teql
	! ip link show teql0 2>/dev/null || fail "teql0 survived rmmod"
}

test_rust_slave_unregister_while_flowing() {
	load_rust
	topology
	ip netns exec ta ping -f -c 100000 -W 1 10.9.0.2 >/dev/null 2>&1 &
	local pid=$!
	sleep 1
	expect_driver teql0 rvnet_teql ta
	ip -n ta link del a1
	sleep 0.5
	kill $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	ip netns exec ta cat /proc/net/teql | grep -v a1: | grep -q a2: ||
		fail "a2 lost: $(ip netns exec ta cat /proc/net/teql)"
	ip netns exec ta ping -c 5 -i 0.1 -W 2 10.9.0.2 >/dev/null || fail "ping after slave removal"
	teardown
	unload_all
}

# The master's queue length (packets waiting in teql0's own qdisc) in ta.
master_qlen() {
	ip netns exec ta tc -j -s qdisc show dev teql0 | jq '.[0].qlen'
}

# Every slave down: the master finds them all busy, stops its queue and
# keeps what it was given. When the last slave's qdisc goes, that is
# dropped (C's teql_destroy resets the queue) and the queue runs again, so
# later packets are dropped too (C keeps the queue stopped: they would
# wait for a slave that may never come, holding their sockets and so
# their namespace; stress saw a namespace never torn down that way). The
# namespace then goes, and teql0 comes back to the initial namespace.
test_rust_last_slave_gone_frees_queue() {
	load_rust
	topology
	ip -n ta link set a1 down
	ip -n ta link set a2 down
	ip netns exec ta ping -c 3 -i 0.2 -W 1 10.9.0.2 >/dev/null 2>&1 || true
	local n
	n=$(master_qlen)
	[ "$n" -gt 0 ] || fail "nothing waits in teql0's queue with every slave down (qlen $n)"
	ip netns exec ta tc qdisc del dev a1 root
	ip netns exec ta tc qdisc del dev a2 root
	assert_eq "$(master_qlen)" 0 "teql0's queue once its last slave went"
	ip netns exec ta ping -c 3 -i 0.2 -W 1 10.9.0.2 >/dev/null 2>&1 || true
	assert_eq "$(master_qlen)" 0 "teql0's queue after more packets without a slave"
	teardown
	# (a bound, not a timing: the namespace's cleanup is asynchronous)
	check "teql0 back in the initial namespace" wait_for 60 ip link show teql0
	unload_all
}

# Attach then detach many slaves with tc -batch (their cost against C is
# scripts/bench.sh's teql_ctl row, not a functional test's business).
NCTL=20
ctl_files() {
	local i
	: >/tmp/teql_attach
	: >/tmp/teql_detach
	: >/tmp/teql_dummies
	for i in $(seq 1 $NCTL); do
		dev_exists "cs$i" || echo "link add cs$i type dummy" >>/tmp/teql_dummies
		echo "qdisc add dev cs$i root teql0" >>/tmp/teql_attach
		echo "qdisc del dev cs$i root" >>/tmp/teql_detach
	done
	# One process for the devices (each command a process costs the guest).
	[ ! -s /tmp/teql_dummies ] || ip -batch /tmp/teql_dummies
}

ctl_cleanup() {
	local i
	: >/tmp/teql_dummies
	for i in $(seq 1 $NCTL); do
		! dev_exists "cs$i" || echo "link del cs$i" >>/tmp/teql_dummies
	done
	[ ! -s /tmp/teql_dummies ] || ip -batch /tmp/teql_dummies
}

attach_detach_case() {
	ctl_files
	load "$1"
	tc -batch /tmp/teql_attach
	assert_eq "$(tc qdisc show | grep -c 'qdisc teql0')" $NCTL "teql slaves attached"
	tc -batch /tmp/teql_detach
	assert_eq "$(tc qdisc show | grep -c 'qdisc teql0' || true)" 0 "teql slaves left after detach"
	unload_all
	ctl_cleanup
}
test_c_attach_detach_many() { attach_detach_case c; }
test_rust_attach_detach_many() { attach_detach_case rust; }

# Detaching frees the old slave arrays from RCU callbacks, which are code of
# the module: rmmod right after must wait for them (rcu_barrier in the
# registrations' drop) instead of freeing the module text under them.
test_rust_rmmod_right_after_detach() {
	ctl_files
	local round s
	splat_mark
	for round in 1 2 3; do
		load_rust
		tc -batch /tmp/teql_attach
		assert_eq "$(tc qdisc show | grep -c 'qdisc teql0')" $NCTL "slaves attached in round $round"
		tc -batch /tmp/teql_detach
		rmmod rvnet_teql
		sleep 0.2
		s=$(splats_since_mark)
		[ -z "$s" ] || fail "kernel splat in round $round: $(echo "$s" | tail -5)"
	done
	ctl_cleanup
}

ktap_run_suite teql
