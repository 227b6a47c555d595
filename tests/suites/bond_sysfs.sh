#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rvnet_bond's sysfs against C bonding's in one boot (C: bond_sysfs.c,
# bond_sysfs_slave.c, bond_options.c): /sys/class/net/bonding_masters in
# two namespaces, /sys/class/net/<bond>/bonding/*
# (every file, its mode and value, in every supported mode), writes and
# their errors (with the lines they log), <slave>/bonding_slave/*, a
# bond configured through sysfs the way Debian's ifenslave hooks do, and
# files held open across deletion and rmmod.
# cost: 44 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"
source "$RVNET_ROOT/tests/lib/sysfs.sh"

unload_all() {
	unload_modules rvnet_bond bonding
}

# Loads driver $1 (c|rust); BOND_DRV is the module behind every bond.
load() {
	use_driver bond "$1"
	BOND_DRV=$(driver_module bond "$1")
}

B=/sys/class/net/sb0/bonding
M=/sys/class/net/bonding_masters

# Two veth pairs, the sv ends with fixed addresses, their peers up.
veths() {
	ip -batch - <<-EOF
		link add sv0 address 02:00:00:00:07:01 type veth peer name sw0
		link add sv1 address 02:00:00:00:07:02 type veth peer name sw1
		link set sw0 up
		link set sw1 up
	EOF
}

del_veths() {
	ip link del sv0 2>/dev/null || true
	ip link del sv1 2>/dev/null || true
}

# The trees of a bond in each supported mode with two slaves (802.3ad:
# down, so that no state machine moves while it is read).
trees_case() {
	local mode
	load "$1"
	for mode in balance-rr active-backup balance-xor broadcast 802.3ad; do
		veths
		ip link add sb0 address 02:00:00:00:07:10 type bond mode $mode miimon 100
		expect_driver sb0 "$BOND_DRV"
		ip link set sv0 master sb0
		ip link set sv1 master sb0
		[ $mode = 802.3ad ] || ip link set sb0 up
		echo "== $mode: bonding/"
		sysfs_dump $B
		echo "== $mode: sv0/bonding_slave/"
		sysfs_dump /sys/class/net/sv0/bonding_slave
		echo "== $mode: sv1/bonding_slave/"
		sysfs_dump /sys/class/net/sv1/bonding_slave
		ip link set sv1 nomaster
		[ ! -e /sys/class/net/sv1/bonding_slave ] || fail "$mode: sv1/bonding_slave left after release"
		ip link del sb0
		[ ! -e /sys/class/net/sv0/bonding_slave ] || fail "$mode: sv0/bonding_slave left with its bond"
		del_veths
	done
	unload_all
}
test_sysfs_trees_match_c() { same_as_c trees_case; }

# The bonding lines logged since kmsg sequence number SEQ whose bond
# (or C's bond_sysfs.c prefix "bonding") is NAME, whole lines with their
# level (a module prefix before the name would show), those about the
# options: their errors and warnings (enslave errors too).
option_msgs() { # SEQ NAME
	kmsg_lines "$1" "^<[0-7]>([a-z_]+: )?$2: .*(option |target|no command|Unable to set|not a multiple|Invalid ad_actor|Device is not|Could not set|Error: |being created|being deleted|already exists|creation failed|non-existent)"
}

# Writes and their errors (the replies and C's log lines), on a bond
# without slaves, with slaves, up.
writes_case() {
	local w seq
	load "$1"
	seq=$(kmsg --next)
	veths
	ip link add sb0 address 02:00:00:00:07:10 type bond
	expect_driver sb0 "$BOND_DRV"
	echo "== no slaves, down"
	for w in mode:foo mode:7 mode:1 mode:active-backup fail_over_mac:none fail_over_mac:bogus \
		miimon:-1 miimon:abc miimon:100 updelay:250 downdelay:200 peer_notif_delay:0 \
		arp_missed_max:0 arp_missed_max:3 arp_validate:7 arp_validate:all arp_all_targets:all \
		arp_all_targets:2 xmit_hash_policy:9 xmit_hash_policy:layer3+4 packets_per_slave:5 \
		lacp_rate:fast lacp_active:off ad_select:count ad_actor_sys_prio:100 ad_user_port_key:5 \
		ad_actor_system:02:00:00:00:00:01 coupled_control:off tlb_dynamic_lb:1 \
		primary_reselect:better primary_reselect:4 primary:sv0 use_carrier:1 use_carrier:2 \
		num_grat_arp:1 num_unsol_na:256 all_slaves_active:0 resend_igmp:1 lp_interval:1 \
		lp_interval:0 min_links:2 min_links:-1 arp_ip_target:+192.0.2.1 \
		arp_ip_target:+192.0.2.1 arp_ip_target:+192.0.2.2 arp_ip_target:-192.0.2.9 \
		arp_ip_target:+bad arp_ip_target:x192.0.2.1 arp_ip_target:+255.255.255.255 \
		arp_ip_target:-192.0.2.1 arp_interval:200 miimon:100 active_slave:sv0; do
		sysfs_write "$B/${w%%:*}" "${w#*:}"
	done
	sysfs_dump $B
	echo "== slaves"
	for w in slaves:+sv0 slaves:+sv0 slaves:+nosuch0 slaves:sv1 slaves:-sv1 slaves:+sv1 \
		mode:balance-rr fail_over_mac:none queue_id:sv0:0 queue_id:sv0:x queue_id:nosuch0:0; do
		sysfs_write "$B/${w%%:*}" "${w#*:}"
	done
	ip link set sb0 up
	# The slaves' links come up first (updelay 250 ms): the active_slave
	# writes below need an up slave.
	wait_for 30 slaves_mii_are - up sv0 sv1 || fail "$1: the slaves' links did not come up"
	echo "== up"
	for w in mode:active-backup active_slave:nosuch0 active_slave:lo active_slave:sv1 \
		active_slave: primary:sv1 primary: miimon:0 miimon:50 slaves:-sv0; do
		sysfs_write "$B/${w%%:*}" "${w#*:}"
	done
	sysfs_dump $B
	sysfs_dump /sys/class/net/sv1/bonding_slave
	ip -d -j link show sb0 | jq -c '.[0].linkinfo.info_data'
	echo "== messages"
	option_msgs "$seq" sb0
	ip link del sb0
	del_veths
	unload_all
}
test_sysfs_writes_match_c() {
	same_as_c writes_case
	assert_contains "$(cat "$SAME_AS_C_RUST")" "<3>sb0: option mode: invalid value (foo)"
}

# bonding_masters: +NAME, -NAME and their errors (and C's log lines),
# in the initial namespace and another one (each lists its own bonds);
# gone with the module.
masters_case() {
	local w seq
	load "$1"
	seq=$(kmsg --next)
	echo "masters: '$(<$M)'"
	for w in +smb0 +smb1 +smb0 -nosuch0 smb2 + +a/b -lo '+smb%d'; do
		sysfs_write $M "$w"
	done
	expect_driver smb0 "$BOND_DRV"
	expect_driver smb2 "$BOND_DRV"
	echo "masters: '$(<$M)'"
	ip -d -j link show smb0 | jq -c '.[0] | [.operstate, .linkinfo.info_data.mode, .linkinfo.info_data.miimon]'
	netns_add bmx
	ip netns exec bmx bash -c "echo +xb0 >$M; echo \"bmx masters: \$(<$M)\""
	expect_driver xb0 "$BOND_DRV" bmx
	echo "masters: '$(<$M)'"
	ip netns exec bmx bash -c "echo -xb0 >$M; echo \"bmx masters: '\$(<$M)'\""
	ip netns exec bmx bash -c "echo +xb1 >$M"
	for w in -smb0 -smb1 -smb2 -smb0; do
		sysfs_write $M "$w"
	done
	echo "masters: '$(<$M)'"
	echo "== messages"
	option_msgs "$seq" bonding
	kmsg_lines "$seq" '^<[0-7]>([a-z_]+: )?(smb|xb)[0-9]: Released all slaves'
	# The namespace goes with a bond in it.
	ip netns del bmx
	unload_all
	[ ! -e $M ] || fail "$M left after the module"
}
test_bonding_masters_match_c() {
	same_as_c masters_case
	assert_contains "$(cat "$SAME_AS_C_RUST")" "<6>bonding: smb0 is being created..."
}

# What Debian's ifenslave hook (/etc/network/if-pre-up.d/ifenslave) does
# for "bond-mode active-backup, bond-miimon 100, bond-slaves a1 a2,
# bond-primary a1": the bond made through bonding_masters, the options
# written to bonding/ with the bond down,
# each slave taken down and added with +IF, the bond up; then traffic to
# a peer bond.
ifenslave_case() {
	load "$1"
	netns_pair -d ba bb a1 b1 a2 b2
	ip -n bb -batch - <<-EOF
		link add bond0 type bond mode active-backup miimon 100
		link set b1 master bond0
		link set b2 master bond0
		link set bond0 up
		addr add 10.8.0.2/24 dev bond0
	EOF
	ip netns exec ba bash -ec 'echo +bond0 >/sys/class/net/bonding_masters'
	expect_driver bond0 "$BOND_DRV" ba
	ip netns exec ba bash -ec '
		S=/sys/class/net/bond0/bonding
		echo active-backup >$S/mode
		echo 100 >$S/miimon
		echo 200 >$S/updelay
		echo 200 >$S/downdelay
		for s in a1 a2; do
			ip link set $s down
			echo +$s >$S/slaves
		done
		echo a1 >$S/primary
		ip link set bond0 up
		ip addr add 10.8.0.1/24 dev bond0
		for f in mode miimon updelay downdelay slaves primary; do
			echo "$f: $(<$S/$f)"
		done
	'
	ip netns exec ba ping -c 3 -i 0.2 -W 2 10.8.0.2 >/dev/null || fail "$1: ping over the sysfs-made bond"
	ip netns exec ba bash -c 'echo a1 >/sys/class/net/bond0/bonding/active_slave; cat /sys/class/net/bond0/bonding/active_slave'
	netns_unpair ba bb
	unload_all
}
test_ifenslave_config_matches_c() { same_as_c ifenslave_case; }

# A bonding/, a bonding_slave/ file and bonding_masters open while the slave is released,
# the bond deleted and the module removed: reads fail, nothing crashes.
held_open_case() {
	local v
	load "$1"
	veths
	ip link add sb0 type bond
	expect_driver sb0 "$BOND_DRV"
	ip link set sv0 master sb0
	exec 3<$B/mode 4</sys/class/net/sv0/bonding_slave/state 5<$M
	ip link set sv0 nomaster
	if v=$(cat <&4 2>&1); then echo "slave file after release: '$v'"; else echo "slave file after release: ${v##*: }"; fi
	ip link del sb0
	if v=$(cat <&3 2>&1); then echo "bond file after delete: '$v'"; else echo "bond file after delete: ${v##*: }"; fi
	unload_all
	if v=$(cat <&3 2>&1); then echo "bond file after rmmod: '$v'"; else echo "bond file after rmmod: ${v##*: }"; fi
	if v=$(cat <&5 2>&1); then echo "bonding_masters after rmmod: '$v'"; else echo "bonding_masters after rmmod: ${v##*: }"; fi
	exec 3<&- 4<&- 5<&-
	del_veths
}
test_file_held_open_matches_c() { same_as_c held_open_case; }

ktap_run_suite bond_sysfs
