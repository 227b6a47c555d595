#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rvnet_bond: the same bonding topologies against Linux's C bonding and the
# Rust driver in one boot (they both claim link kind "bond" and
# /proc/net/bonding, so they are loaded in turn), plus the Rust driver's
# own checks. load_* set BOND_DRV, the module every bond must then be served
# by (topology checks it).
# cost: 248 (seconds in a 1-vCPU guest, three lanes on 2 CPUs, 2026-12-02: the queue order of a run without results/suite-times)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"

unload_all() {
	unload_modules rvnet_bond bonding
}

# Loads driver $1 (c|rust).
load() {
	use_driver bond "$1"
	BOND_DRV=$(driver_module bond "$1")
}

load_rust() {
	load rust
}

load_c() {
	load c
}

# The driver module expected behind a bond for $1.
want_driver() {
	driver_module bond "$1"
}

no_ipv6() {
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
}

# Two namespaces joined by two veth pairs with fixed addresses; a bond
# over each side: topology MODE [BOND OPTIONS...]
topology() {
	local mode=$1 n x i=0
	shift
	netns_pair -d ba bb a1 b1 a2 b2
	no_ipv6 ba
	no_ipv6 bb
	# One `ip -batch` per side (each command a process costs ~0.5 s in
	# the guest); -batch stops at the first command that fails.
	for n in ba bb; do
		x=${n#b}
		i=$((i + 1))
		ip -n $n -batch - <<-EOF || fail "$n: bond topology"
			link set ${x}1 address 02:00:00:00:0$x:01
			link set ${x}2 address 02:00:00:00:0$x:02
			link add bond0 type bond mode $mode $*
			link set ${x}1 master bond0
			link set ${x}2 master bond0
			link set bond0 up
			addr add 10.7.0.$i/24 dev bond0
		EOF
		expect_driver bond0 "$BOND_DRV" $n
	done
}

teardown() {
	netns_unpair ba bb
}

ping_modes() {
	local drv=$1 mode
	load "$drv"
	for mode in balance-rr active-backup balance-xor broadcast; do
		topology "$mode"
		expect_driver bond0 "$(want_driver "$drv")" ba
		ip netns exec ba ping -c 5 -i 0.1 -W 2 10.7.0.2 >/dev/null || fail "$drv $mode: ping"
		ip -n ba -d link show a1 | grep -q SLAVE || fail "a1 not a slave"
		ip -n ba -d link show bond0 | grep -q MASTER || fail "bond0 not a master"
		teardown
	done
	unload_all
}

test_c_ping_each_mode() {
	ping_modes c
}

test_rust_ping_each_mode() {
	ping_modes rust
}

test_rust_module_holds_kind() {
	load_rust
	ip link add bond9 type bond
	expect_driver bond9 rvnet_bond
	ip link del bond9
	unload_all
}

# The per-flow slave choice of every xmit_hash_policy is compared with C
# in bond_flows.sh (which slave carries each of 108 frame kinds); the
# totals of two slaves that this suite compared once could not fail for a
# hash that picked the wrong slave for every flow.

failover() {
	local drv=$1
	load "$drv"
	topology active-backup miimon 50
	ip netns exec ba ping -c 3 -i 0.1 -W 2 10.7.0.2 >/dev/null || fail "ping before failover"
	! grep -q 'Currently Active Slave: a1' /proc/net/bonding/bond0 2>/dev/null ||
		fail "/proc of the init namespace shows ns ba's bond"
	ip netns exec ba grep -q 'Currently Active Slave: a1' /proc/net/bonding/bond0 ||
		fail "a1 not active: $(ip netns exec ba cat /proc/net/bonding/bond0)"
	ip netns exec ba ping -i 0.05 -c 60 -W 1 10.7.0.2 >/tmp/bond-ping.$$ 2>&1 &
	local pid=$!
	sleep 0.5
	ip -n bb link set b1 down
	wait $pid || true
	local p
	p=$(ip netns exec ba cat /proc/net/bonding/bond0)
	echo "$p"
	assert_contains "$p" "Currently Active Slave: a2"
	echo "$p" | grep -A3 'Slave Interface: a1' | grep -q 'MII Status: down' || fail "a1 not down"
	echo "$p" | grep -A6 'Slave Interface: a1' | grep -q 'Link Failure Count: 1' || fail "a1 failure count"
	# Ping survived: most replies came back.
	local rx
	rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' /tmp/bond-ping.$$)
	rm -f /tmp/bond-ping.$$
	[ "${rx:-0}" -ge 40 ] || fail "$drv: only ${rx:-0}/60 replies across the failover"
	ip netns exec ba ping -c 3 -i 0.1 -W 2 10.7.0.2 >/dev/null || fail "ping after failover"
	ip -n ba -j -d link show bond0 | jq -e '.[0].linkinfo.info_data.active_slave == "a2"' >/dev/null ||
		fail "ip -d link: active_slave not a2"
	teardown
	unload_all
}

test_c_active_backup_failover() {
	failover c
}

test_rust_active_backup_failover() {
	failover rust
}

# /proc/net/bonding/bond0 and the bond attributes of `ip -d link` in
# several set-ups, for one driver.
show_all() {
	local drv=$1
	load "$drv"
	local args
	for args in "balance-rr packets_per_slave 3" "active-backup miimon 100 updelay 200 downdelay 300" \
		"balance-xor xmit_hash_policy layer3+4" "broadcast miimon 10"; do
		# shellcheck disable=SC2086
		topology $args
		sleep 0.3
		echo "== $args"
		ip netns exec ba cat /proc/net/bonding/bond0
		ip -n ba -j -d link show bond0 | jq -c '.[0].linkinfo.info_data'
		ip -n ba -j -d link show a1 | jq -c '.[0].flags'
		teardown
	done
	unload_all
}

# Runs every mode for C and for Rust: the slowest test of the suite.
TIME_LIMIT_proc_and_link_show_match_c=900

test_proc_and_link_show_match_c() {
	same_as_c show_all
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "Bonding Mode: fault-tolerance (active-backup)"
	assert_contains "$r" "Transmit Hash Policy: layer3+4 (1)"
}

test_rust_primary_and_active_slave() {
	load_rust
	topology active-backup miimon 50
	ip -n ba link set bond0 type bond primary a2
	ip netns exec ba grep -q 'Primary Slave: a2 (primary_reselect always)' /proc/net/bonding/bond0 ||
		fail "primary: $(ip netns exec ba cat /proc/net/bonding/bond0)"
	ip netns exec ba grep -q 'Currently Active Slave: a2' /proc/net/bonding/bond0 || fail "primary not made active"
	ip -n ba link set bond0 type bond active_slave a1
	ip netns exec ba grep -q 'Currently Active Slave: a1' /proc/net/bonding/bond0 || fail "active_slave a1"
	ip netns exec ba ping -c 3 -i 0.1 -W 2 10.7.0.2 >/dev/null || fail "ping on a1"
	ip -n ba -j -d link show bond0 | jq -e '.[0].linkinfo.info_data.primary == "a2"' >/dev/null || fail "primary in ip -d"
	teardown
	unload_all
}

# The active slave of ba's bond0 per its /proc file, and a2's MII status.
ab_state() {
	ip netns exec ba grep -E '^(Primary Slave|Currently Active Slave|MII Status)' /proc/net/bonding/bond0 | tr '\n' ' '
	echo
}

ab_active_is() { # SLAVE
	ip netns exec ba grep -q "Currently Active Slave: $1" /proc/net/bonding/bond0
}

# primary_reselect: $1 = driver; prints the active slave after each step.
# Equal speeds: "better" keeps the current slave, "failure" too, "always"
# goes back to the primary (and each option change reselects at once).
primary_reselect_steps() {
	load "$1"
	topology active-backup miimon 50 primary_reselect failure
	ip -n ba link set bond0 type bond primary a2
	wait_for 10 ab_active_is a2 || fail "$1: primary a2 not active"
	ab_state
	ip -n bb link set b2 down
	wait_for 10 ab_active_is a1 || fail "$1: no failover to a1"
	ab_state
	ip -n bb link set b2 up
	wait_for 10 eval "ab_state | grep -q 'MII Status: up MII Status: up MII Status: up'" || fail "$1: a2 not back"
	ab_state
	ip -n ba link set bond0 type bond primary_reselect better
	ab_state
	ip -n ba -j -d link show bond0 | jq -c '.[0].linkinfo.info_data.primary_reselect'
	ip -n ba link set bond0 type bond primary_reselect always
	ab_state
	local out
	out=$(ip -n ba link set bond0 type bond primary_reselect 3 2>&1) && fail "$1: primary_reselect 3 accepted"
	echo "bad: $out"
	teardown
	unload_all
}

test_primary_reselect_matches_c() {
	same_as_c primary_reselect_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "Primary Slave: a2 (primary_reselect better)"
	assert_contains "$r" "Currently Active Slave: a2"
}

# Per-slave prio (`ip link set SLAVE type bond_slave prio N`): $1 =
# driver; prints the active slave after each step. Without a primary the
# highest prio up slave becomes active at once; with one, C only warns.
# actor_port_prio outside 802.3ad is refused.
slave_prio_steps() {
	load "$1"
	topology active-backup miimon 50
	wait_for 10 ab_active_is a1 || fail "$1: a1 not active"
	ab_state
	ip -n ba link set a2 type bond_slave prio 10
	wait_for 10 ab_active_is a2 || fail "$1: a2 (prio 10) not made active"
	ab_state
	ip -n ba -j -d link show a2 | jq -c '.[0].linkinfo.info_slave_data | {prio, queue_id}'
	# a2's link down and up: a1 takes over, then a2 (the higher prio)
	# takes it back as soon as its link is up.
	ip -n bb link set b2 down
	wait_for 10 ab_active_is a1 || fail "$1: no failover to a1"
	ip -n bb link set b2 up
	wait_for 10 ab_active_is a2 || fail "$1: a2 (prio 10) not active again once up"
	ab_state
	ip -n ba link set a1 type bond_slave prio 20 queue_id 0
	ab_state
	ip -n ba link set bond0 type bond primary a2
	ab_state
	ip -n ba link set a1 type bond_slave prio 30
	ab_state
	local out
	out=$(ip netns exec ba $RTNL slavechangelink a1 bond 10=u16:5) && fail "$1: actor_port_prio accepted in active-backup"
	echo "actor_port_prio: $out"
	teardown
	unload_all
}

test_slave_prio_matches_c() {
	same_as_c slave_prio_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" '{"prio":10,"queue_id":0}'
	assert_contains "$r" "option not supported in mode"
}

# The bond's address changed while it is up: every slave takes it (C's
# bond_set_mac_address; not Ethernet's "busy while up"); a multicast one
# is refused; a released slave gets its own address back. $1 = driver;
# prints each device's address after each step.
mac_steps() {
	load "$1"
	topology active-backup miimon 50
	local show='.[] | select(.ifname != "lo") | "\(.ifname) \(.address)"'
	ip -n ba link set bond0 address 02:00:00:00:0c:01
	ip -n ba -j link show | jq -r "$show"
	local out
	out=$(ip -n ba link set bond0 address 01:00:00:00:0c:01 2>&1) && fail "$1: multicast address accepted"
	echo "multicast: $out"
	ip -n ba link set a2 nomaster
	ip -n ba -j link show | jq -r "$show"
	teardown
	unload_all
}

test_mac_change_matches_c() {
	same_as_c mac_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "a1 02:00:00:00:0c:01"
	assert_contains "$r" "a2 02:00:00:00:0a:02"
}

# Enslave errors: $1 = driver; prints the messages.
enslave_errors() {
	load "$1"
	ip link add bond0 type bond
	ip link add bond1 type bond
	expect_driver bond0 "$BOND_DRV"
	ip link add d1 type veth peer name e1
	ip link add d2 type veth peer name e2
	local out
	out=$(ip link set bond0 master bond0 2>&1) && fail "bond enslaved to itself"
	echo "self: $out"
	ip link add mv0 link d1 type macvlan
	out=$(ip link set d1 master bond0 2>&1) && fail "device with an rx_handler enslaved"
	echo "busy: $out"
	ip link del mv0
	ip link set d2 up
	out=$(ip link set d2 master bond0 2>&1) && fail "enslaved while up"
	echo "up: $out"
	ip link set d2 down
	# A loop: bond1 below bond0, then bond0 below bond1.
	ip link set bond1 master bond0
	out=$(ip link set bond0 master bond1 2>&1) && fail "loop accepted"
	echo "loop: $(echo "$out" | head -1 | cut -c1-20)"
	ip link set bond1 nomaster
	ip link del d1
	ip link del d2
	ip link del bond1
	ip link del bond0
	unload_all
}

test_enslave_errors_match_c() {
	same_as_c enslave_errors
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "Cannot enslave bond to itself"
	assert_contains "$r" "Device is in use and cannot be enslaved"
}

test_rust_bad_options() {
	load_rust
	local out
	out=$(ip link add bond5 type bond mode balance-tlb 2>&1) && fail "balance-tlb accepted"
	assert_contains "$out" "not supported"
	out=$(ip link add bond5 type bond mode balance-rr primary lo 2>&1) && fail "primary in balance-rr"
	assert_contains "$out" "option not supported in mode"
	out=$(ip link add bond5 type bond updelay 100 2>&1) && fail "updelay without miimon"
	ip link add bond5 type bond
	expect_driver bond5 rvnet_bond
	ip link add t1 type ipip remote 192.0.2.1
	out=$(ip link set t1 master bond5 2>&1) && fail "non-Ethernet slave accepted"
	assert_contains "$out" "only Ethernet"
	ip link del t1
	# ipip's fallback tunl0 goes with the module (the suite leaves the
	# guest as it found it).
	unload_modules ipip
	ip link add d1 type veth peer name e1
	ip link set d1 master bond5
	out=$(ip link set bond5 type bond mode active-backup 2>&1) && fail "mode change with slaves"
	assert_contains "$out" "has slaves"
	ip link del d1
	ip link del bond5
	unload_all
}

# In a namespace: the init namespace's udev may give a new bond a persistent
# MAC (NET_ADDR_SET), and then the bond does not take its first slave's.
test_rust_release_restores_mac_mtu() {
	load_rust
	ip netns add bz
	local z="ip -n bz"
	$z link add bond0 mtu 1400 type bond
	expect_driver bond0 rvnet_bond bz
	$z link add d1 address 02:00:00:00:0d:01 type veth peer name e1
	$z link add d2 address 02:00:00:00:0d:02 type veth peer name e2
	$z link set d1 master bond0
	$z link set d2 master bond0
	$z -j link show d2 | jq -e '.[0].address == "02:00:00:00:0d:01" and .[0].mtu == 1400' >/dev/null ||
		fail "slave did not take the bond's MAC/MTU: $($z link show d2)"
	$z -j link show bond0 | jq -e '.[0].address == "02:00:00:00:0d:01"' >/dev/null ||
		fail "bond did not take the first slave's MAC"
	$z link set d2 nomaster
	$z -j link show d2 | jq -e '.[0].address == "02:00:00:00:0d:02" and .[0].mtu == 1500' >/dev/null ||
		fail "release did not restore MAC/MTU: $($z link show d2)"
	! $z link show d2 | grep -q SLAVE || fail "IFF_SLAVE left on d2"
	# The slave's unregistration releases it.
	$z link del d1
	! ip netns exec bz grep -q 'Slave Interface' /proc/net/bonding/bond0 || fail "deleted slave still listed"
	ip netns del bz
	sleep 0.3
	unload_all
}

test_rust_rmmod_with_traffic() {
	load_rust
	topology balance-rr
	ip netns exec ba ping -f -c 100000 -W 1 10.7.0.2 >/dev/null 2>&1 &
	local pid=$!
	sleep 1
	rmmod rvnet_bond
	kill $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	! ip -n ba link show bond0 2>/dev/null || fail "bond0 survived rmmod"
	! ip -n ba link show a1 | grep -q SLAVE || fail "a1 still a slave"
	ip -n ba -j link show a1 | jq -e '.[0].address == "02:00:00:00:0a:01"' >/dev/null || fail "a1 MAC not restored"
	teardown
}

test_rust_proc_per_netns() {
	load_rust
	ip netns add bx
	ip -n bx link add bond3 type bond
	expect_driver bond3 rvnet_bond bx
	[ ! -e /proc/net/bonding/bond3 ] || fail "bond3 of ns bx visible in the init namespace"
	ip netns exec bx test -e /proc/net/bonding/bond3 || fail "bond3 missing in its namespace"
	ip -n bx link set bond3 name bond4
	ip netns exec bx test -e /proc/net/bonding/bond4 || fail "rename not followed"
	ip netns del bx
	sleep 0.3
	unload_all
}

ktap_run_suite bond
