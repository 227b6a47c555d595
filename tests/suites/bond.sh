#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rvnet_bond: the same bonding topologies against Linux's C bonding and the
# Rust driver in one boot (they both claim link kind "bond" and
# /proc/net/bonding, so they are loaded in turn), plus the Rust driver's
# own checks. load_* set BOND_DRV, the module every bond must then be served
# by.
# cost: 376 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
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

# Bonds and their slaves carry IFF_BONDING, whose devices C bonding.ko
# takes for its own (its notifier casts their private data to struct
# bonding): it must not load while rvnet_bond is loaded (module-chain
# veto), and loads again once rvnet_bond is gone.
test_rust_refuses_c_bonding() {
	load_rust
	ip link add bond9 type bond
	expect_driver bond9 rvnet_bond
	local out log
	out=$(modprobe bonding max_bonds=0 2>&1) && fail "C bonding loaded beside rvnet_bond"
	echo "modprobe: $out"
	if module_loaded bonding; then fail "bonding loaded"; fi
	log=$(window_dmesg)
	assert_contains "$log" "refusing to load bonding while rvnet_bond is loaded"
	ip link del bond9
	unload_all
	modprobe bonding max_bonds=0 || fail "modprobe bonding after rmmod rvnet_bond"
	ip link add bond9 type bond
	expect_driver bond9 bonding
	ip link del bond9
	unload_all
}

# A slave gets no IPv6 address configuration while enslaved (C sets
# IFF_NO_ADDRCONF before opening it) and gets it back once released:
# $1 = driver; prints the slave's IPv6 address count by scope.
slave_addrconf() {
	load "$1"
	netns_add bs
	ip -n bs -batch - <<-EOF || fail "slave_addrconf set-up"
		link add d1 type veth peer name e1
		link add bond0 type bond mode active-backup
		link set d1 master bond0
		link set bond0 up
		link set e1 up
	EOF
	expect_driver bond0 "$BOND_DRV" bs
	echo "enslaved: $(ip -n bs -6 -o addr show dev d1 | wc -l) addresses"
	ip -n bs link set d1 nomaster
	ip -n bs link set d1 up
	echo "released: $(ip -n bs -6 -o addr show dev d1 scope link | wc -l) link-local"
	ip netns del bs
	unload_all
}

test_slave_addrconf_matches_c() {
	same_as_c slave_addrconf
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "enslaved: 0 addresses"
	assert_contains "$r" "released: 1 link-local"
}

# The slaves' receive filters: promiscuity and all-multicast counts, the
# link-layer multicast list and the unicast/multicast filter entries
# (three dumps and one awk: a fork per device and list took a minute per
# test in the TCG guest).
show_filters() {
	{
		ip -n rf -d -o link show
		echo @maddr
		ip -n rf maddr show
		echo @fdb
		bridge -n rf fdb show
	} | awk -v devs="d1 d2" '
	function sorted(s,   a, n, i, j, t, out) {
		n = split(s, a, "\n")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		for (i = 1; i <= n; i++)
			if (a[i] != "")
				out = out a[i] "\n"
		return out
	}
	/^@/ { sec = $0; next }
	sec == "" {
		d = $2; sub(/@.*/, "", d); sub(/:$/, "", d)
		fl = $3; gsub(/[<>]/, "", fl)
		n = split(fl, f, ","); pf = ""
		for (i = 1; i <= n; i++)
			if (f[i] == "PROMISC" || f[i] == "ALLMULTI")
				pf = pf (pf == "" ? "" : ",") f[i]
		p = "-"; a = "-"
		for (i = 1; i < NF; i++) {
			if ($i == "promiscuity") p = $(i + 1)
			if ($i == "allmulti") a = $(i + 1)
		}
		head[d] = d " promiscuity " p " allmulti " a " " pf
		next
	}
	sec == "@maddr" && /^[0-9]+:/ { d = $2; next }
	sec == "@maddr" && $1 == "link" {
		l = $0; sub(/^[[:space:]]*link[[:space:]]*/, "", l)
		maddr[d] = maddr[d] "  maddr " l "\n"
		next
	}
	sec == "@fdb" {
		for (i = 1; i < NF; i++)
			if ($i == "dev") {
				d = $(i + 1); l = $0; sub(" dev " d, "", l)
				fdb[d] = fdb[d] "  fdb " l "\n"
			}
	}
	END {
		n = split(devs, dl, " ")
		for (i = 1; i <= n; i++)
			printf "%s\n%s%s", head[dl[i]], sorted(maddr[dl[i]]), sorted(fdb[dl[i]])
	}'
}

# The bond's receive filters on its slaves through one mode's life: $1 =
# driver, $2 = mode. Fixed slave addresses, so the IPv6 groups of the bond
# (and the solicited-node group of its link-local address) are the same
# for C and Rust.
rx_filters() {
	local mode=$2
	load "$1"
	netns_add rf
	ip -n rf -batch - <<-EOF || fail "rx_filters set-up"
		link add d1 address 02:00:00:00:01:01 type veth peer name e1
		link add d2 address 02:00:00:00:01:02 type veth peer name e2
		link add bond0 type bond mode $mode miimon 100
		link set d1 master bond0
		link set d2 master bond0
		link set e1 up
		link set e2 up
		link set bond0 up
		maddr add 01:00:5e:01:02:03 dev bond0
	EOF
	expect_driver bond0 "$BOND_DRV" rf
	bridge -n rf fdb add 02:11:22:33:44:55 dev bond0 self permanent ||
		fail "unicast filter entry on bond0"
	echo "== $mode: up, a multicast and a unicast address"
	show_filters
	ip -n rf link set bond0 promisc on
	ip -n rf link set bond0 allmulticast on
	echo "== promisc and allmulti on"
	show_filters
	if [ "$mode" = active-backup ]; then
		ip -n rf link set bond0 type bond active_slave d2
		echo "== d2 made active"
		show_filters
	fi
	ip -n rf link set bond0 down
	echo "== bond down"
	show_filters
	ip -n rf link set bond0 up
	ip -n rf maddr add 01:00:5e:01:02:04 dev bond0
	echo "== bond up again, another multicast address"
	show_filters
	ip -n rf link set d2 nomaster
	echo "== d2 released"
	show_filters
	ip -n rf link set bond0 promisc off
	ip -n rf link set bond0 allmulticast off
	echo "== promisc and allmulti off"
	show_filters
	ip -n rf link set d1 nomaster
	echo "== d1 released"
	show_filters
	ip netns del rf
	unload_all
}

test_rx_filters_active_backup_match_c() {
	same_as_c rx_filters active-backup
	local r
	r=$(cat "$SAME_AS_C_RUST")
	# The filters moved with the active slave.
	assert_contains "$r" "maddr 01:00:5e:01:02:03"
	assert_contains "$r" "d2 promiscuity 1 allmulti 1"
}

test_rx_filters_balance_rr_match_c() {
	same_as_c rx_filters balance-rr
	assert_contains "$(cat "$SAME_AS_C_RUST")" "d1 promiscuity 1 allmulti 1"
}

test_rx_filters_balance_xor_match_c() {
	same_as_c rx_filters balance-xor
}

test_rx_filters_broadcast_match_c() {
	same_as_c rx_filters broadcast
}

test_rx_filters_8023ad_match_c() {
	same_as_c rx_filters 802.3ad
}

# A VLAN on a bond whose slaves filter VLANs (each slave a bond itself, over
# a veth): the VID goes down through both bonds (ndo_vlan_rx_add_vid), a
# slave enslaved while the VLAN exists gets it (vlan_vids_add_by_dev), a
# released one drops it; the bond's VLAN features and traffic over the
# VLAN are compared with C. $1 = driver; prints ethtool -k's VLAN lines and
# the pings' outcome.
vlan_on_bond() {
	load "$1"
	netns_add vb vp
	ip -n vb -batch - <<-EOF || fail "vlan_on_bond set-up"
		link add d1 address 02:00:00:00:02:01 type veth peer name e1 netns vp
		link add d2 address 02:00:00:00:02:02 type veth peer name e2 netns vp
		link add in1 type bond mode active-backup
		link add in2 type bond mode active-backup
		link set d1 master in1
		link set d2 master in2
		link add bond0 type bond mode active-backup miimon 50
		link set in1 master bond0
		link set bond0 up
		link add link bond0 name bond0.10 type vlan id 10
		link set bond0.10 up
		addr add 10.9.0.1/24 dev bond0.10
	EOF
	ip -n vp -batch - <<-EOF || fail "vlan_on_bond peer"
		link add br0 type bridge
		link set e1 master br0
		link set e2 master br0
		link set e1 up
		link set e2 up
		link set br0 up
		link add link br0 name br0.10 type vlan id 10
		link set br0.10 up
		addr add 10.9.0.2/24 dev br0.10
	EOF
	expect_driver bond0 "$BOND_DRV" vb
	expect_driver in1 "$BOND_DRV" vb
	local f
	for f in bond0 in1; do
		echo "$f: $(ip netns exec vb ethtool -k $f | grep -E '^(rx|tx)-vlan|vlan-challenged' | tr -d '\t' | tr '\n' ' ')"
	done
	ip netns exec vb ping -c 2 -i 0.2 -W 2 10.9.0.2 >/dev/null && echo "ping over in1: ok" ||
		echo "ping over in1: failed"
	# in2 joins while the VLAN exists, then becomes the only slave.
	ip -n vb link set in2 master bond0
	ip -n vb link set in1 nomaster
	ip netns exec vb ping -c 2 -i 0.2 -W 2 10.9.0.2 >/dev/null && echo "ping over in2: ok" ||
		echo "ping over in2: failed"
	ip -n vb link del bond0.10
	ip -n vb link set in2 nomaster
	ip -n vb link del d2
	ip netns del vb
	ip netns del vp
	unload_all
}

test_vlan_on_bond_matches_c() {
	same_as_c vlan_on_bond
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "ping over in2: ok"
	assert_contains "$r" "rx-vlan-filter: on"
}

# ethtool -k of a device, without the IPsec offload lines (C bonding
# offers ESP offload through its xfrmdev_ops, which rvnet_bond lacks).
features_of() { # NS DEV
	ip netns exec "$1" ethtool -k "$2" | grep -v -E '^Features|esp-' | tr -d '\t'
}

# The bond's features follow its slaves: after enslaving, after a slave
# drops TSO and checksumming (NETDEV_FEAT_CHANGE), after a release; a VLAN
# above inherits the bond's vlan_features. $1 = driver; prints ethtool -k
# of the bond and its VLAN, and the GSO limits.
features_follow() {
	load "$1"
	netns_add bf
	ip -n bf -batch - <<-EOF || fail "features_follow set-up"
		link add d1 type veth peer name e1
		link add d2 type veth peer name e2
		link add bond0 type bond mode balance-xor
	EOF
	expect_driver bond0 "$BOND_DRV" bf
	# Without slaves: FSO and nocache-copy on (netdev_base_features'
	# NETIF_F_ALL_FOR_ALL, kept by netdev_add_tso_features).
	echo "== no slaves"
	features_of bf bond0
	ip -n bf link set d1 master bond0
	ip -n bf link set d2 master bond0
	ip -n bf link add link bond0 name bond0.5 type vlan id 5
	echo "== two slaves"
	features_of bf bond0
	echo "-- bond0.5"
	features_of bf bond0.5
	ip netns exec bf ethtool -K d2 tso off tx off >/dev/null 2>&1 || true
	echo "== d2 without TSO and tx checksumming"
	features_of bf bond0
	echo "-- bond0.5"
	features_of bf bond0.5
	ip -n bf -d -j link show bond0 | jq -c '.[0] | {gso_max_size, gso_max_segs, tso_max_size, tso_max_segs}'
	ip -n bf link set d1 nomaster
	echo "== d1 released"
	features_of bf bond0
	ip netns del bf
	unload_all
}

test_features_follow_slaves_match_c() {
	same_as_c features_follow
	assert_contains "$(cat "$SAME_AS_C_RUST")" "rx-vlan-filter: on"
	assert_contains "$(cat "$SAME_AS_C_RUST")" "tx-nocache-copy: on"
}

# The bond's counters are its slaves', folded (C: bond_get_stats): after
# pings, after a slave is released (nothing goes back) and after more
# pings on the slave left. Static neighbours and no IPv6: the only frames
# are the pings. $1 = driver, $2 = mode; prints the bond's stats64.
stats_fold() {
	load "$1"
	topology "$2" miimon 50
	ip -n ba neigh replace 10.7.0.2 lladdr "$(ip -n bb -j link show bond0 | jq -r '.[0].address')" dev bond0 nud permanent
	ip -n bb neigh replace 10.7.0.1 lladdr "$(ip -n ba -j link show bond0 | jq -r '.[0].address')" dev bond0 nud permanent
	ip netns exec ba ping -c 8 -i 0.05 -W 2 10.7.0.2 >/dev/null || fail "$1 $2: ping"
	echo "== $2: 8 pings"
	ip -n ba -s -j link show bond0 | jq -c '.[0].stats64'
	ip -n ba link set a2 nomaster
	echo "== a2 released"
	ip -n ba -s -j link show bond0 | jq -c '.[0].stats64'
	ip netns exec ba ping -c 4 -i 0.05 -W 2 10.7.0.2 >/dev/null || fail "$1 $2: ping over a1"
	echo "== 4 more pings over a1"
	ip -n ba -s -j link show bond0 | jq -c '.[0].stats64'
	teardown
	unload_all
}

test_stats_fold_balance_rr_match_c() {
	same_as_c stats_fold balance-rr
	# 12 requests sent, whichever slave carried them.
	assert_contains "$(cat "$SAME_AS_C_RUST")" '"tx":{"bytes":1176,"packets":12'
}

test_stats_fold_active_backup_match_c() {
	same_as_c stats_fold active-backup
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
	# Traffic across the failover got answers. How many depends on the
	# guest's timing, which a functional test does not assert (the
	# failover time is measured against C in scripts/bench.sh).
	local rx
	rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' /tmp/bond-ping.$$)
	rm -f /tmp/bond-ping.$$
	[ "${rx:-0}" -ge 1 ] || fail "$drv: no reply to the ping across the failover"
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
		# The monitor brought both slaves up (updelay 200 ms in one
		# set-up: bounded, not a sleep; C's state is the comparison's).
		wait_for 30 slaves_mii_are ba up a1 a2 || true
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
	# At once if the monitor saw a2 up already, else once it does.
	wait_for 10 ab_active_is a2 || fail "primary not made active"
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

# The start of a log comparison: driver $1 loaded, namespace $2, and in it
# bond0 with the options that follow, served by $BOND_DRV; LOG_SEQ is the
# kmsg sequence number before the bond (kmsg_lines, logged_since).
log_case_begin() { # DRIVER NS OPTION...
	load "$1"
	netns_add "$2"
	LOG_SEQ=$(kmsg --next)
	ip -n "$2" link add bond0 type bond "${@:3}" || fail "$1: bond0 ${*:3}"
	expect_driver bond0 "$BOND_DRV" "$2"
}

# active_slave naming a device that is not the bond's slave: C tells a
# slave of another bond ("not our slave") from a device that is no bond's
# slave ("not bonding slave"), through netlink (changelink and newlink:
# C registers the new bond first, so its lines name it, a template's
# (bond%d) number too, then unregisters it, which logs its release; the
# failed bonds took an ifindex each) and sysfs.
# $1 = driver; prints the errors, the next ifindex and the log lines.
active_slave_errors() {
	log_case_begin "$1" be mode active-backup
	local z="ip -n be" seq=$LOG_SEQ out
	$z link add bond1 type bond mode active-backup
	$z link add d1 type veth peer name e1
	$z link add d2 type veth peer name e2
	$z link set d1 master bond1 || fail "$1: d1 not enslaved"
	out=$($z link set bond0 type bond active_slave d1 2>&1) && fail "$1: another bond's slave made active"
	echo "other bond's: $out"
	out=$($z link set bond0 type bond active_slave d2 2>&1) && fail "$1: a non-slave made active"
	echo "no slave: $out"
	out=$($z link add bond2 type bond mode active-backup active_slave d1 2>&1) &&
		fail "$1: bond2 made with another bond's slave active"
	echo "new bond: $out"
	out=$($z link add type bond mode active-backup active_slave d1 2>&1) &&
		fail "$1: a bond named by the template made with another bond's slave active"
	echo "new bond, template name: $out"
	$z link add d3 type veth peer name e3
	echo "next ifindex: $($z -o link show d3 | cut -d: -f1)"
	ip netns exec be sh -c 'echo d1 >/sys/class/net/bond0/bonding/active_slave' 2>/dev/null &&
		fail "$1: sysfs made another bond's slave active"
	echo "== messages"
	kmsg_lines "$seq" 'Device is not|Released all slaves'
	ip netns del be
	unload_all
}

test_active_slave_errors_match_c() {
	same_as_c active_slave_errors
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "<3>bond0: (slave d1): Device is not our slave"
	assert_contains "$r" "<3>bond0: (slave d2): Device is not bonding slave"
	assert_contains "$r" "<6>bond2 (unregistering): Released all slaves"
	# The template's bond is named as C names it (bond2 again: the first
	# bond2 is gone), not "bond%d".
	assert_eq "$(grep -c '^<3>bond2: (slave d1): Device is not our slave' <<<"$r")" 2 \
		"newlink's 'not our slave' lines naming bond2"
}

test_rust_bad_options() {
	load_rust
	local out
	out=$(ip link add bond5 type bond mode balance-rr primary lo 2>&1) && fail "primary in balance-rr"
	assert_contains "$out" "option not supported in mode"
	out=$(ip link add bond5 type bond updelay 100 2>&1) && fail "updelay without miimon"
	ip link add bond5 type bond
	expect_driver bond5 rvnet_bond
	ip link add t1 type ipip remote 192.0.2.1
	# balance-rr: the bond takes ipip's type, then fails to give it its
	# address (C: no ndo_set_mac_address) and is Ethernet again.
	out=$(ip link set t1 master bond5 2>&1) && fail "ipip enslaved in balance-rr"
	assert_contains "$out" "Operation not supported"
	ip -j link show bond5 | jq -e '.[0].link_type == "ether"' >/dev/null || fail "bond5 not Ethernet again"
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

# IFLA_BOND_MODE is an option set even when it names the current mode (C:
# bond_changelink, __bond_opt_set): accepted while the bond is down and
# without slaves, refused (EBUSY, ENOTEMPTY) once it is up or has one,
# while the other options still set. $1 = driver; prints the mode, the
# errors (errno from rtnl.py) and the lines C's bond_opt_error_interpret
# logs for them.
mode_set_steps() {
	load "$1"
	netns_add bm
	local z="ip -n bm" out seq
	seq=$(kmsg --next)
	local R="ip netns exec bm python3 $RVNET_ROOT/tests/lib/rtnl.py"
	mode_is() {
		echo "$*: $($z -j -d link show bond0 | jq -c '.[0].linkinfo.info_data | {mode, miimon}')"
	}
	$z link add bond0 type bond mode active-backup
	expect_driver bond0 "$BOND_DRV" bm
	$z link set bond0 type bond mode active-backup || fail "$1: same mode refused while down"
	$z link set bond0 type bond mode balance-xor || fail "$1: mode change refused while down"
	mode_is down
	$z link set bond0 up
	out=$($z link set bond0 type bond mode balance-xor 2>&1) && fail "$1: same mode accepted while up"
	echo "up, same mode: $out"
	out=$($R changelink bond0 bond 1=u8:2 2>&1) && fail "$1: same mode accepted while up (rtnl)"
	echo "up, same mode (rtnl): $out"
	out=$($z link set bond0 type bond mode active-backup 2>&1) && fail "$1: mode change accepted while up"
	echo "up, other mode: $out"
	$z link set bond0 type bond miimon 100 || fail "$1: miimon refused while up"
	mode_is up
	$z link set bond0 down
	$z link add d1 type veth peer name e1
	$z link set d1 master bond0
	out=$($R changelink bond0 bond 1=u8:2 2>&1) && fail "$1: same mode accepted with a slave"
	echo "slave, same mode (rtnl): $out"
	mode_is slave
	echo "== messages"
	kmsg_lines "$seq" '^<[0-7]>([a-z_]+: )?bond0: option '
	ip netns del bm
	unload_all
}

test_mode_set_matches_c() {
	same_as_c mode_set_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "up, same mode (rtnl): error: 16 unable to set option because the bond is up"
	assert_contains "$r" "slave, same mode (rtnl): error: 39 unable to set option because the bond device has slaves"
	assert_contains "$r" "<3>bond0: option mode: unable to set because the bond device is up"
}

# Whether a line matching ERE was logged since kmsg sequence number SEQ.
logged_since() { # SEQ ERE
	kmsg --bare --from "$1" | grep -qE "$2"
}

# The lines C's bond_enslave, __bond_release_one, bond_change_active_slave
# and bond_select_active_slave log at each step that decides them (no
# monitor timing): a slave enslaved with its link down, one made active,
# one backup, the active one released (the next takes over), the one
# whose address the bond keeps released ("still in use"), a slave
# enslaved down that the monitor brings up (made active, the carrier
# coming up with it: waited for, its lines are certain), a balance-xor
# slave, and the slaves the bonds' deletion releases. $1 = driver.
slave_log_steps() {
	log_case_begin "$1" bl mode active-backup miimon 100
	local z="ip -n bl" seq=$LOG_SEQ i
	$z link set bond0 up
	for i in 1 2 3; do
		$z link add d$i address 02:00:00:00:00:0$i type veth peer name e$i
	done
	# e3 stays down: d3's link is down.
	$z link set e1 up
	$z link set e2 up
	$z link set d3 master bond0 || fail "$1: d3 not enslaved"
	$z link set d1 master bond0 || fail "$1: d1 not enslaved"
	$z link set d2 master bond0 || fail "$1: d2 not enslaved"
	$z link set d1 nomaster || fail "$1: d1 not released"
	$z link set d3 nomaster || fail "$1: d3 not released"
	$z link set d2 nomaster || fail "$1: d2 not released"
	$z link add bond1 type bond mode active-backup miimon 100
	$z link set bond1 up
	$z link set e1 down
	$z link set d1 master bond1 || fail "$1: d1 not enslaved to bond1"
	# The monitor brings d1 up: it becomes active, the carrier with it.
	$z link set e1 up
	wait_for 10 logged_since "$seq" 'bond1: active interface up!' ||
		fail "$1: bond1's carrier not logged up"
	$z link add bond2 type bond mode balance-xor miimon 100
	$z link set bond2 up
	$z link set d2 master bond2 || fail "$1: d2 not enslaved to bond2"
	$z link del bond2
	$z link del bond1
	$z link del bond0
	echo "== messages"
	kmsg_lines "$seq" '^<[0-7]>([a-z_]+: )?bond[0-9]( \(unregistering\))?: (\(slave [a-z0-9]+\): )?(Enslaving|Releasing|making interface|the permanent HWaddr|active interface up|now running without)'
	ip netns del bl
	unload_all
}

test_slave_log_matches_c() {
	same_as_c slave_log_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "<6>bond0: (slave d3): Enslaving as a backup interface with a down link"
	assert_contains "$r" "<6>bond0: (slave d1): making interface the new active one"
	assert_contains "$r" "<6>bond0: (slave d1): Enslaving as an active interface with an up link"
	assert_contains "$r" "<6>bond0: (slave d2): Enslaving as a backup interface with an up link"
	assert_contains "$r" "<6>bond0: (slave d2): making interface the new active one"
	assert_contains "$r" "<4>bond0: (slave d3): the permanent HWaddr of slave - 02:00:00:00:00:03 - is still in use by bond"
	assert_contains "$r" "<6>bond1: (slave d1): Enslaving as a backup interface with a down link"
	assert_contains "$r" "<6>bond1: (slave d1): making interface the new active one"
	assert_contains "$r" "<6>bond1: active interface up!"
	assert_contains "$r" "<6>bond2: (slave d2): Enslaving as an active interface with an up link"
	assert_contains "$r" "<6>bond2 (unregistering): (slave d2): Releasing backup interface"
}

# The MII monitor's log lines (C's bond_miimon_inspect and
# bond_miimon_commit): a carrier lost and back within the downdelay (on
# the active, then on a backup slave), lost for good, back and lost again
# within the updelay, back for good; then a balance-tlb slave whose driver
# reports no speed (dummy): C keeps it down when its carrier returns. The
# delays are long (100 s) so that each step is seen before it runs out,
# however slow the guest; how far a delay ran ("after N ms") is timing
# and left out. The monitor's lines are ratelimited (net_ratelimit(), as
# C): every line is let through. $1 = driver.
miimon_log_steps() {
	net_ratelimit_off
	log_case_begin "$1" bm mode active-backup miimon 100 downdelay 100000
	local z="ip -n bm" seq=$LOG_SEQ i
	$z link set bond0 up
	for i in 1 2; do
		$z link add d$i address 02:00:00:00:00:0$i type veth peer name e$i
		$z link set e$i up
		$z link set d$i master bond0 || fail "$1: d$i not enslaved"
	done
	miimon_log_step "$1" "$seq" "e1 down" "d1\\): link status down for active"
	miimon_log_step "$1" "$seq" "e1 up" "d1\\): link status up again"
	miimon_log_step "$1" "$seq" "e2 down" "d2\\): link status down for backup"
	miimon_log_step "$1" "$seq" "e2 up" "d2\\): link status up again"
	$z link set bond0 type bond downdelay 0 updelay 100000 || fail "$1: delays"
	miimon_log_step "$1" "$seq" "e2 down" "d2\\): link status definitely down"
	miimon_log_step "$1" "$seq" "e2 up" "d2\\): link status up, enabling"
	miimon_log_step "$1" "$seq" "e2 down" "d2\\): link status down again"
	$z link set bond0 type bond updelay 0 || fail "$1: updelay 0"
	miimon_log_step "$1" "$seq" "e2 up" "d2\\): link status definitely up"
	$z link add bond1 type bond mode balance-tlb miimon 100
	$z link set bond1 up
	$z link add m1 type dummy
	$z link set m1 master bond1 || fail "$1: m1 not enslaved"
	$z link set m1 up
	$z link set m1 carrier off
	wait_for 10 logged_since "$seq" "bond1: \\(slave m1\\): link status definitely down" ||
		fail "$1: m1 down not logged"
	$z link set m1 carrier on
	wait_for 10 logged_since "$seq" "bond1: \\(slave m1\\): failed to get link speed/duplex" ||
		fail "$1: m1's unknown speed not logged"
	# Each tick warns again: stop it.
	$z link set m1 carrier off
	$z link del bond1
	$z link del bond0
	echo "== messages"
	kmsg_lines "$seq" '^<[0-7]>([a-z_]+: )?bond[0-9]: \(slave [a-z0-9]+\): (link status|failed to get link speed)' |
		sed -E 's/after [0-9]+ ms/after N ms/' | uniq
	ip netns del bm
	unload_all
}

# One step of miimon_log_steps: `ip link set` ARGS in bm, then waits for
# the line ERE. $1 = driver, $2 = kmsg sequence number.
miimon_log_step() { # DRIVER SEQ "DEV up|down" ERE
	# shellcheck disable=SC2086 # the words of $3 are ip's arguments
	ip -n bm link set $3 || fail "$1: ip link set $3"
	wait_for 30 logged_since "$2" "bond0: \\(slave $4" || fail "$1: after $3, no '$4' logged"
}

test_miimon_link_log_matches_c() {
	same_as_c miimon_log_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "<6>bond0: (slave d1): link status down for active interface, disabling it in 100000 ms"
	assert_contains "$r" "<6>bond0: (slave d1): link status up again after N ms"
	assert_contains "$r" "<6>bond0: (slave d2): link status down for backup interface, disabling it in 100000 ms"
	assert_contains "$r" "<6>bond0: (slave d2): link status definitely down, disabling slave"
	assert_contains "$r" "<6>bond0: (slave d2): link status up, enabling it in 100000 ms"
	assert_contains "$r" "<6>bond0: (slave d2): link status down again after N ms"
	assert_contains "$r" "<6>bond0: (slave d2): link status definitely up, 10000 Mbps full duplex"
	assert_contains "$r" "<6>bond1: (slave m1): link status definitely down, disabling slave"
	assert_contains "$r" "<4>bond1: (slave m1): failed to get link speed/duplex"
}

# The bond's rescuer threads: one per bond's own workqueue.
bond_rescuers() {
	echo "rescuers: $(ps -e -o comm= | grep '^kworker/R-bond' | sort | tr '\n' ' ')"
}

# Each bond has a workqueue of its own (C bond_init's
# alloc_ordered_workqueue named after the bond, WQ_MEM_RECLAIM: its
# rescuer thread is kworker/R-<bond>), named when the bond registers, kept
# across a rename, destroyed with the bond. $1 = driver.
workqueue_steps() {
	load "$1"
	ip link add bond0 type bond mode active-backup miimon 100 || fail "$1: bond0"
	ip link add bondx type bond || fail "$1: bondx"
	expect_driver bond0 "$BOND_DRV"
	expect_driver bondx "$BOND_DRV"
	bond_rescuers
	ip link set bond0 name bondy || fail "$1: rename"
	bond_rescuers
	ip link del bondy
	bond_rescuers
	ip link del bondx
	bond_rescuers
	unload_all
}

test_workqueue_per_bond_matches_c() {
	same_as_c workqueue_steps
	assert_contains "$(cat "$SAME_AS_C_RUST")" "rescuers: kworker/R-bond0 kworker/R-bondx "
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

rmmod_with_traffic() { # MODE
	load_rust
	topology "$1"
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

test_rust_rmmod_with_traffic() {
	rmmod_with_traffic balance-rr
}

test_rust_tlb_rmmod_with_traffic() {
	rmmod_with_traffic balance-tlb
}

test_rust_alb_rmmod_with_traffic() {
	rmmod_with_traffic balance-alb
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

# ARP monitor options: what `ip -d link` and /proc show as they change,
# and the errors of bad values (C's messages and codes, and the lines
# logged for them, those of bond1 by the bond being created: C's
# bond_newlink registers it first). $1 = driver.
arp_option_steps() {
	load "$1"
	netns_add bz
	local z="ip -n bz" out seq
	seq=$(kmsg --next)
	arp_show() {
		echo "== $*"
		$z -j -d link show bond0 | jq -c '.[0].linkinfo.info_data |
			{mode, miimon, arp_interval, arp_ip_target, ns_ip6_target, arp_validate, arp_all_targets, arp_missed_max}'
		ip netns exec bz grep -E -A3 '^(MII Polling|ARP Polling)' /proc/net/bonding/bond0
	}
	$z link add bond0 type bond mode active-backup arp_interval 100 \
		arp_ip_target 10.7.0.2,10.7.0.9 arp_validate all arp_all_targets all arp_missed_max 3
	expect_driver bond0 "$BOND_DRV" bz
	arp_show created
	$z link set bond0 type bond miimon 100
	arp_show "miimon 100"
	$z link set bond0 type bond arp_interval 200 arp_validate filter_backup arp_ip_target 10.7.0.3
	arp_show "arp_interval 200"
	$z link set bond0 type bond arp_ip_target 10.7.0.4,10.7.0.5,10.7.0.6
	arp_show "three targets"
	$z link set bond0 type bond ns_ip6_target 2001:db8::2,fe80::1:0:0:2,::ffff:10.0.0.1
	arp_show "NS targets"
	$z link set bond0 type bond mode balance-xor
	arp_show "mode balance-xor"
	$z link set bond0 type bond mode 802.3ad
	arp_show "mode 802.3ad"
	# (ip sends at most 16 targets: the table's limit is not reachable.)
	local bad
	local -a cmds=(
		"miimon 100 arp_interval 100"
		"miimon 100 arp_validate active"
		"mode 802.3ad arp_interval 100"
		"mode 802.3ad arp_validate active"
		"mode 802.3ad arp_missed_max 3"
		"arp_missed_max 0"
		"arp_ip_target 255.255.255.255"
		"arp_ip_target 0.0.0.0"
		"arp_ip_target 10.0.0.1,10.0.0.1"
		"ns_ip6_target ff02::1"
		"ns_ip6_target ::1"
		"ns_ip6_target 2001:db8::5,2001:db8::5"
	)
	for bad in "${cmds[@]}"; do
		# shellcheck disable=SC2086
		out=$($z link add bond1 type bond $bad 2>&1) && fail "$1: accepted: $bad"
		echo "$bad: $out"
	done
	# The set of a live bond is refused as a whole.
	out=$($z link set bond0 type bond arp_interval 100 2>&1) && fail "$1: arp_interval in 802.3ad"
	echo "live 802.3ad arp_interval: $out"
	arp_show "after the errors"
	echo "== messages"
	kmsg_lines "$seq" '^<[0-7]>([a-z_]+: )?bond[01]: .*(option |target)'
	ip netns del bz
	unload_all
}

test_arp_options_match_c() {
	same_as_c arp_option_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" '"arp_ip_target":["10.7.0.2","10.7.0.9"],"ns_ip6_target":null,"arp_validate":"all","arp_all_targets":"all","arp_missed_max":3'
	assert_contains "$r" "ARP IP target/s (n.n.n.n form): 10.7.0.4, 10.7.0.5, 10.7.0.6"
	assert_contains "$r" "NS IPv6 target/s (xx::xx form): 2001:db8::2, fe80::1:0:0:2, ::ffff:10.0.0.1"
	assert_contains "$r" "ARP monitoring cannot be used with MII monitoring"
	assert_contains "$r" "option not supported in mode"
	assert_contains "$r" "<3>bond1: invalid ARP target 255.255.255.255 specified for addition"
}

# Bond ba/bond0 (10.7.0.1, with NS targets 2001:db8::1) over a1 a2 with
# OPTIONS; its peer bb answers ARP for 10.7.0.2 (and NS for 2001:db8::2)
# on a bridge over b1 b2 (arp_cut: a1's probes go unanswered and a1 hears
# nothing, while its carrier stays up and its probes still reach the
# bridge).
#   arp_topology OPTIONS...
arp_topology() {
	netns_pair -d ba bb a1 b1 a2 b2
	local v6a="" v6b=""
	case $* in
	*ns_ip6_target*)
		v6a="addr add 2001:db8::1/64 dev bond0 nodad"
		v6b="addr add 2001:db8::2/64 dev br0 nodad"
		;;
	*)
		no_ipv6 ba
		no_ipv6 bb
		;;
	esac
	# The peer first: the slaves have carrier from their enslavement on,
	# and the monitor's first state does not depend on when the peer's
	# ports came up.
	ip -n bb -batch - <<-EOF || fail "bb: bridge"
		link add br0 type bridge
		link set b1 master br0
		link set b2 master br0
		link set b1 up
		link set b2 up
		link set br0 up
		addr add 10.7.0.2/24 dev br0
		$v6b
	EOF
	ip -n ba -batch - <<-EOF || fail "ba: bond"
		link set a1 address 02:00:00:00:0a:01
		link set a2 address 02:00:00:00:0a:02
		link add bond0 type bond $*
		link set a1 master bond0
		link set a2 master bond0
		link set bond0 up
		addr add 10.7.0.1/24 dev bond0
		$v6a
	EOF
	expect_driver bond0 "$BOND_DRV" ba
}

# Drops (arp_cut) or lets through again (arp_uncut) every frame the
# peer's b1 sends towards a1 (the probes' answers, and anything else that
# would count as received on a1).
arp_cut() {
	tc -n bb qdisc add dev b1 clsact
	tc -n bb filter add dev b1 egress protocol all matchall action drop
}

arp_uncut() {
	tc -n bb qdisc del dev b1 clsact
}

arp_state() {
	ip netns exec ba grep -E '^(Currently Active Slave|MII Status|Link Failure Count)' /proc/net/bonding/bond0 |
		tr '\n' ' '
	echo
}

# With an NS target (2001:db8::2): how often each slave is in the
# target's solicited-node group (a backup of active-backup with
# arp_validate is, so that it hears the active slave's solicitations).
ns_groups() {
	local d
	for d in a1 a2; do
		echo -n "$d $(ip -n ba maddr show dev $d | awk '/33:33:ff:00:00:02/ { n++ } END { print n + 0 }') "
	done
	echo
}

# One step of arp_failover_steps ($1 names it, for the errors): the MII
# status of a1 ($2) and a2 ($3) reached, the bond's state, its NS groups
# if it monitors with NS, a ping across. The bond's options: ARP_OPTS.
arp_step() { # name a1-status a2-status
	wait_for 20 slaves_mii_are ba "$2" a1 || fail "$1: a1 not $2: $(arp_state)"
	wait_for 20 slaves_mii_are ba "$3" a2 || fail "$1: a2 not $3: $(arp_state)"
	arp_state
	[[ $ARP_OPTS != *ns_ip6_target* ]] || ns_groups
	ip netns exec ba ping -c 2 -i 0.2 -W 2 10.7.0.2 >/dev/null || fail "$1: ping"
}

# ARP monitor failover: $1 = driver, then the bond's options. a1's
# replies stop, it goes down (the active slave moves in active-backup),
# then ARP reaches it again and a1 is up again.
arp_failover_steps() {
	local drv=$1
	shift
	load "$drv"
	arp_topology "$@"
	ARP_OPTS=$*
	echo "== $*"
	arp_step "$drv $*: up" up up
	arp_cut
	arp_step "$drv $*: a1 cut" down up
	arp_uncut
	wait_for 20 slaves_mii_are ba up a1 || fail "$drv $*: a1 not back: $(arp_state)"
	arp_state
	ip -n ba -j -d link show a1 | jq -c '.[0].linkinfo.info_slave_data | {state, mii_status, link_failure_count}'
	teardown
	unload_all
}

# Each arp_validate variant of active-backup, a load-balancing mode, and
# the NS monitor (IPv6 targets: advertisements validated on the active
# slave, the backup kept up by the solicitations it hears).
TIME_LIMIT_arp_failover_matches_c=900

test_arp_failover_matches_c() {
	local opts
	for opts in "mode active-backup arp_validate none arp_ip_target 10.7.0.2" \
		"mode active-backup arp_validate all arp_ip_target 10.7.0.2" \
		"mode active-backup arp_validate filter_backup arp_ip_target 10.7.0.2" \
		"mode balance-rr arp_validate none arp_ip_target 10.7.0.2" \
		"mode active-backup arp_validate active ns_ip6_target 2001:db8::2"; do
		# shellcheck disable=SC2086
		same_as_c arp_failover_steps $opts arp_interval 200
		local r
		r=$(cat "$SAME_AS_C_RUST")
		# a1 down once its probes went unanswered (the counts before
		# depend on when the peer's veths came up: compared with C).
		case $opts in
		*active-backup*) assert_contains "$r" "Currently Active Slave: a2 MII Status: up MII Status: down" ;;
		*) assert_contains "$r" "MII Status: up MII Status: down Link Failure Count: " ;;
		esac
		case $opts in
		*ns_ip6_target*)
			# a2 in the group while a backup, a1 once it is one.
			assert_contains "$r" "a1 0 a2 1"
			assert_contains "$r" "a1 1 a2 0"
			;;
		esac
	done
}

# The probes a balance-rr bond with arp_interval 100 and OPTIONS sends,
# as its peer's b1 receives them (byte for byte, each distinct frame once,
# of 9 that match FILTER), after CMDS (ip -batch lines) in the bond's
# namespace; IPv6 is off there unless the probes are NS ones.
#   probe_frames DRIVER OPTIONS CMDS FILTER
probe_frames() {
	local drv=$1 opts=$2 cmds=$3 filter=$4
	load "$drv"
	netns_pair -d ba bb a1 b1 a2 b2
	[[ $opts == *ns_ip6_target* ]] || no_ipv6 ba
	no_ipv6 bb
	ip -n ba -batch - <<-EOF || fail "ba: bond"
		link set a1 address 02:00:00:00:0a:01
		link set a2 address 02:00:00:00:0a:02
		link add bond0 type bond mode balance-rr arp_interval 100 $opts
		link set a1 master bond0
		link set a2 master bond0
		link set bond0 up
		link add link bond0 name bond0.10 type vlan id 10
		link set bond0.10 up
		$cmds
	EOF
	expect_driver bond0 "$BOND_DRV" ba
	local out=$RVNET_RESULTS/bond.probe_frames.$drv
	: >"$out.err"
	ip netns exec bb timeout 40 tcpdump -Q in -nn -xx -c 9 -i b1 "($filter) or (vlan and $filter)" \
		>"$out" 2>>"$out.err" &
	local pid=$!
	ip -n bb link set b1 up
	ip -n bb link set b2 up
	wait $pid || fail "$drv: fewer than 9 probes on b1 within 40 s: $(<"$out.err")"
	hex_frames <"$out" | sort -u
	teardown
	unload_all
}

# ARP probes: to a target on the bond (from its address), one behind a
# VLAN above the bond (tagged, from the VLAN's address) and one without a
# route (from 0.0.0.0). $1 = driver.
arp_probe_frames() {
	probe_frames "$1" "arp_ip_target 10.7.0.2,10.8.0.2,192.0.2.1" \
		$'addr add 10.7.0.1/24 dev bond0\naddr add 10.8.0.1/24 dev bond0.10' arp
}

test_arp_probe_frames_match_c() {
	same_as_c arp_probe_frames
	local r
	r=$(cat "$SAME_AS_C_RUST")
	# The untagged request for 10.7.0.2 from 10.7.0.1 by the bond's MAC.
	assert_contains "$r" "ffffffffffff020000000a0108060001080006040001020000000a010a070001000000000000"
	assert_contains "$r" "8100000a08060001"
	assert_contains "$r" "00000000000000000000c0000201"
}

# NS probes (the solicitations for the targets, not the bond's own DAD
# ones), the same three kinds (from :: without a route). $1 = driver.
ns_probe_frames() {
	probe_frames "$1" "ns_ip6_target 2001:db8::2,2001:db8:1::2,2001:db8:9::1" \
		$'addr add 2001:db8::1/64 dev bond0 nodad\naddr add 2001:db8:1::1/64 dev bond0.10 nodad' \
		"icmp6 and ip6[40] == 135 and ip6[48:4] == 0x20010db8"
}

test_ns_probe_frames_match_c() {
	same_as_c ns_probe_frames
	local r
	r=$(cat "$SAME_AS_C_RUST")
	# To the solicited-node group of 2001:db8::2, from 2001:db8::1.
	assert_contains "$r" "3333ff000002020000000a0186dd6000000000"
	assert_contains "$r" "20010db8000000000000000000000001ff0200000000000000000001ff000002"
	assert_contains "$r" "8100000a86dd"
	assert_contains "$r" "00000000000000000000000000000000ff0200000000000000000001ff000001"
}

# --- a non-Ethernet first slave gives the bond its type (C: bond_enslave,
# bond_setup_by_slave, bond_ether_setup) ---

# One device's link-layer view: type, flags, lengths, master and the
# bond options the type change touches; hex digits of the addresses
# masked (random), their length kept.
#   type_show NS DEV
type_show() {
	ip -n "$1" -d -j link show "$2" | jq -c '.[0] | {ifname, link_type, flags, mtu, min_mtu, max_mtu,
		txqlen, master, operstate,
		address: ((.address // "-") | gsub("[0-9a-f]"; "x")),
		broadcast: ((.broadcast // "-") | gsub("[0-9a-f]"; "x")),
		mode: .linkinfo.info_data.mode, fail_over_mac: .linkinfo.info_data.fail_over_mac,
		active_slave: .linkinfo.info_data.active_slave, slave_kind: .linkinfo.info_slave_kind}'
}

# nlmon (ARPHRD_NETLINK) enslaved to an active-backup bond that is itself a
# slave of bond1: the bond becomes link/netlink, bond1 stays Ethernet; it
# stays link/netlink without slaves and becomes Ethernet again (IFF_MASTER
# and IFF_SLAVE kept) with an Ethernet slave; an nlmon deleted while
# enslaved takes its bond with it. $1 = driver.
type_change_nlmon_steps() {
	load "$1"
	netns_add bt
	local z="ip -n bt" out
	$z link add bond1 type bond
	$z link add bond0 type bond mode active-backup
	$z link add bond2 type bond
	expect_driver bond0 "$BOND_DRV" bt
	$z link add nl0 type nlmon
	$z link set bond0 master bond1
	$z link set bond0 up
	echo "== before"
	type_show bt bond0
	$z link set nl0 master bond0 || fail "$1: nlmon refused by an active-backup bond"
	echo "== nlmon enslaved"
	type_show bt bond0
	type_show bt bond1
	type_show bt nl0
	ip netns exec bt cat /proc/net/bonding/bond0 | grep -E "^(Bonding Mode|Currently Active|MII Status|Slave Interface|Permanent HW addr)"
	out=$($z link set bond2 master bond0 2>&1) && fail "$1: an Ethernet slave beside nlmon"
	echo "ether beside nlmon: $out"
	$z link set nl0 nomaster
	echo "== released"
	type_show bt bond0
	$z link set bond2 master bond0 || fail "$1: an Ethernet slave after nlmon refused"
	echo "== ether enslaved"
	type_show bt bond0
	type_show bt bond1
	$z link set bond2 nomaster
	# The last slave of a non-Ethernet bond unregistered: the bond goes.
	$z link add bond3 type bond mode active-backup
	$z link set nl0 master bond3
	$z link del nl0
	if $z link show bond3 >/dev/null 2>&1; then
		echo "bond3 after nlmon deleted: present"
	else
		echo "bond3 after nlmon deleted: gone"
	fi
	ip netns del bt
	unload_all
}

test_type_change_nlmon_matches_c() {
	same_as_c type_change_nlmon_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" '"ifname":"bond0","link_type":"netlink"'
	assert_contains "$r" '"ifname":"bond1","link_type":"ether"'
	assert_contains "$r" "Device type is different from other slaves"
	assert_contains "$r" "bond3 after nlmon deleted: gone"
	# Back to Ethernet with both flags (upstream bond-eth-type-change.sh).
	echo "$r" | sed -n '/== ether enslaved/{n;p}' | grep -q '"link_type":"ether","flags":\[[^]]*"MASTER"[^]]*"SLAVE"' ||
		fail "bond0 not Ethernet with MASTER and SLAVE after the Ethernet slave"
}

# The refusals: 802.3ad (EINVAL with C's message), the modes that must set
# the slave's address (EOPNOTSUPP; the bond Ethernet again, its flags
# kept), a listener refusing the type change (a macvlan on the bond:
# EBUSY), a slave without `ndo_set_mac_address` after fail_over_mac was
# set back. $1 = driver.
type_change_refused_steps() {
	load "$1"
	netns_add bt
	local z="ip -n bt" out m
	$z link add nl0 type nlmon
	for m in 802.3ad balance-rr balance-xor broadcast balance-tlb; do
		$z link add bond0 type bond mode $m
		expect_driver bond0 "$BOND_DRV" bt
		$z link set bond0 up
		out=$($z link set nl0 master bond0 2>&1) && fail "$1: nlmon enslaved in $m"
		echo "$m: $out"
		type_show bt bond0
		$z link del bond0
	done
	$z link add bond0 type bond mode active-backup
	$z link add mv0 link bond0 type macvlan
	out=$($z link set nl0 master bond0 2>&1) && fail "$1: type change under a macvlan"
	echo "macvlan above: $out"
	type_show bt bond0
	ip netns del bt
	unload_all
}

test_type_change_refused_matches_c() {
	same_as_c type_change_refused_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "802.3ad: Error: 8023AD mode requires Ethernet devices."
	assert_contains "$r" "balance-rr: RTNETLINK answers: Operation not supported"
	assert_contains "$r" "macvlan above: RTNETLINK answers: Device or resource busy"
	if echo "$r" | grep '"ifname":"bond0"' | grep -v '"link_type":"ether"'; then
		fail "a refused bond is not Ethernet"
	fi
}

# Tunnels (C ipip and gre, ARPHRD_TUNNEL/ARPHRD_IPGRE, point-to-point)
# enslaved to active-backup: the bond takes their type, lengths and
# point-to-point flags. $1 = driver.
type_change_tunnel_steps() {
	load "$1"
	netns_add bt
	local z="ip -n bt" k
	for k in ipip gre; do
		$z link add t1 type $k local 192.0.2.1 remote 192.0.2.2
		$z link add bond0 type bond mode active-backup
		expect_driver bond0 "$BOND_DRV" bt
		$z link set t1 master bond0 || fail "$1: $k refused"
		echo "== $k"
		type_show bt bond0
		$z link set bond0 up
		type_show bt bond0
		$z link set t1 nomaster
		$z link del bond0
		$z link del t1
	done
	ip netns del bt
	unload_all
	# Their fallback devices (tunl0, gre0...) go with the modules.
	unload_modules ipip ip_gre
}

test_type_change_tunnel_matches_c() {
	same_as_c type_change_tunnel_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" '"ifname":"bond0","link_type":"ipip","flags":["POINTOPOINT","NOARP","MASTER"]'
	assert_contains "$r" '"ifname":"bond0","link_type":"gre"'
}

# A gre tunnel without a remote end (NBMA: its header operations take
# the outer destination from the neighbour's address) as the slave of an
# active-backup bond: the bond's headers are built by the slave's header
# operations (C: bond_header_ops). ga's bond0 (10.99.0.1) pings gb's NBMA
# tunnel (10.99.0.2 at 192.168.93.2) through a static neighbour on the
# bond; the GRE packets on ga's underlay byte for byte from the outer IP
# header on (IP ids, checksums and the ICMP id masked). The gre driver is
# Linux's ip_gre in both runs. $1 = driver.
type_change_nbma_steps() {
	local h f
	unload_modules rvnet_gre
	modprobe ip_gre || fail "modprobe ip_gre"
	load "$1"
	netns_pair ga gb a0 b0
	no_ipv6 ga gb
	ip -n ga -batch - <<-EOF || fail "ga"
		addr add 192.168.93.1/24 dev a0
		link add g1 type gre local 192.168.93.1 key 9
		link add bond0 type bond mode active-backup
		link set g1 master bond0
		addr add 10.99.0.1/24 dev bond0
		link set bond0 up
		neigh add 10.99.0.2 lladdr 192.168.93.2 dev bond0
	EOF
	expect_driver bond0 "$BOND_DRV" ga
	module_loaded ip_gre || fail "C ip_gre.ko is not loaded"
	ip -n gb -batch - <<-EOF || fail "gb"
		addr add 192.168.93.2/24 dev b0
		link add g1 type gre local 192.168.93.2 key 9
		addr add 10.99.0.2/24 dev g1
		link set g1 up
		neigh add 10.99.0.1 lladdr 192.168.93.1 dev g1
	EOF
	type_show ga bond0
	ip -n ga neigh show dev bond0
	f=$(mktemp)
	: >"$f.err"
	ip netns exec ga timeout 60 tcpdump -Q inout -nn -xx -c 2 -i a0 'ip proto 47' >"$f" 2>"$f.err" &
	tcpdump_listening "$f.err"
	outcome ip netns exec ga ping -n -c 1 -W 3 -s 12 -p a5 10.99.0.2
	wait
	# Outer IPv4, GRE (key), inner IPv4, ICMP.
	for h in $(hex_frames <"$f"); do
		h=${h:28}
		echo "${h:0:8}xxxx${h:12:8}xxxx${h:24:16} ${h:40:16} ${h:56:8}xxxx${h:68:8}xxxx${h:80:16} ${h:96:4}xxxxxxxx${h:108}"
	done
	rm -f "$f" "$f.err"
	ip netns del ga
	ip netns del gb
	unload_all
	unload_modules ip_gre
}

test_type_change_nbma_gre_traffic_matches_c() {
	same_as_c type_change_nbma_steps
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" '"ifname":"bond0","link_type":"gre"'
	assert_contains "$r" "10.99.0.2 lladdr 192.168.93.2 PERMANENT"
	assert_contains "$r" "ping -n -c 1 -W 3 -s 12 -p a5 10.99.0.2: rc 0"
	# The request: to the neighbour's outer address, keyed.
	assert_contains "$r" "xxxx4000402fxxxxc0a85d01c0a85d02 2000080000000009 "
	assert_contains "$r" "0a6300010a630002 0800xxxxxxxx0001"
}

ktap_run_suite bond
