#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPsec ESP offload through a bond (C: bond_main.c bond_xfrmdev_ops,
# bond_ipsec_add_sa/_del_sa/_free_sa/_offload_ok, bond_ipsec_add_sa_all
# and bond_ipsec_del_sa_all in bond_change_active_slave,
# BOND_XFRM_FEATURES in bond_setup and bond_option_mode_set; the test
# kernels have CONFIG_XFRM_OFFLOAD and INET_ESP_OFFLOAD): the bond's
# esp-hw-offload features per mode and a slave without offload (veth)
# against C bonding in the same boot (same_as_c), and states offloaded to
# netdevsim slaves (their debugfs `ipsec` file lists the states a device
# holds), moved on failover and release (not when a trunk mode's enslave
# makes the first slave current), deleted.
#
# C bonding is not run with an offloading slave: this kernel's
# bond_ipsec_add_sa calls the slave's xdo_dev_state_add while
# xs->xso.real_dev is still the bond (it sets real_dev after the call,
# the 6.12 backport of upstream's offload race fixes without the xfrm
# API change that hands drivers their device), so netdevsim takes the
# bond's private data for its own; and its bond_ipsec_del_sa_all clears
# real_dev before the slave's delete, which netdevsim dereferences.
# cost: 79 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"

# An AEAD key for rfc4106(gcm(aes)): 128-bit key and 32-bit salt, the
# one algorithm netdevsim offloads.
IPSEC_KEY=0x0102030405060708090a0b0c0d0e0f1011121314

# The ESP lines of `ethtool -k` of a device, on one line.
esp_features() { # NS DEV
	ip netns exec "$1" ethtool -k "$2" | grep -E 'esp' | tr -d '\t' | tr '\n' ' '
	echo
}

# Adds an ESP state offloaded through DEV in namespace NS, outbound
# (192.0.2.1 -> 192.0.2.2) or inbound (the reverse); prints its outcome.
sa_add() { # NS DEV out|in SPI
	local src=192.0.2.1 dst=192.0.2.2
	if [ "$3" = in ]; then
		src=192.0.2.2 dst=192.0.2.1
	fi
	outcome ip -n "$1" xfrm state add src $src dst $dst proto esp spi "$4" reqid 1 \
		mode transport aead 'rfc4106(gcm(aes))' $IPSEC_KEY 128 offload dev "$2" dir "$3"
}

# The states of namespace $1 (`ip xfrm state`), keys masked.
sa_show() { # NS
	ip -n "$1" xfrm state | sed -E 's/0x[0-9a-f]{40}/KEY/'
}

# The bond's features through its modes: created without a mode
# (balance-rr: the ESP offloads toggleable, off), with active-backup (on:
# C registers the bond, then sets the mode, which wants them) and
# balance-xor, then made active-backup and balance-xor, one switched on
# by hand in balance-xor.
# $1 = driver; prints each bond's ESP lines.
features_case() {
	load_bonding "$1"
	netns_add bf
	ip -n bf -batch - <<-EOF || fail "$1: features set-up"
		link add bond0 type bond
		link add bond1 type bond mode active-backup
		link add bond2 type bond mode balance-xor
	EOF
	local d
	for d in bond0 bond1 bond2; do
		expect_driver "$d" "$BOND_DRV" bf
		echo "$d: $(esp_features bf $d)"
	done
	ip -n bf link set bond0 type bond mode active-backup || fail "$1: bond0 active-backup"
	echo "bond0 active-backup: $(esp_features bf bond0)"
	ip -n bf link set bond0 type bond mode balance-xor || fail "$1: bond0 balance-xor"
	echo "bond0 balance-xor: $(esp_features bf bond0)"
	echo "on: $(outcome ip netns exec bf ethtool -K bond2 esp-hw-offload on)"
	echo "bond2 on: $(esp_features bf bond2)"
	ip -n bf link set bond1 type bond mode active-backup || fail "$1: bond1 active-backup"
	echo "bond1 set active-backup: $(esp_features bf bond1)"
	# The mode set to the mode the bond has: C's bond_option_mode_set
	# wants the ESP offloads of the mode again, whatever ethtool set.
	echo "off: $(outcome ip netns exec bf ethtool -K bond1 esp-hw-offload off)"
	echo "bond1 off: $(esp_features bf bond1)"
	ip -n bf link set bond1 type bond mode active-backup || fail "$1: bond1 active-backup again"
	echo "bond1 off, set active-backup: $(esp_features bf bond1)"
	ip netns exec bf ethtool -K bond1 esp-hw-offload off || fail "$1: bond1 off again"
	ip netns exec bf sh -c 'echo active-backup >/sys/class/net/bond1/bonding/mode' ||
		fail "$1: bond1 sysfs mode"
	echo "bond1 off, sysfs active-backup: $(esp_features bf bond1)"
	ip -n bf link set bond2 type bond mode balance-xor || fail "$1: bond2 balance-xor again"
	echo "bond2 on, set balance-xor: $(esp_features bf bond2)"
	# Every mode: as set, switched off and on by hand, each followed by
	# the same mode set again.
	local m
	for m in balance-rr active-backup balance-xor broadcast 802.3ad balance-tlb balance-alb; do
		ip -n bf link set bond0 type bond mode $m || fail "$1: bond0 $m"
		echo "bond0 $m: $(esp_features bf bond0)"
		echo "  $(outcome ip netns exec bf ethtool -K bond0 esp-hw-offload off)"
		ip -n bf link set bond0 type bond mode $m || fail "$1: bond0 $m off, again"
		echo "bond0 $m off, again: $(esp_features bf bond0)"
		echo "  $(outcome ip netns exec bf ethtool -K bond0 esp-hw-offload on)"
		echo "bond0 $m on: $(esp_features bf bond0)"
		ip -n bf link set bond0 type bond mode $m || fail "$1: bond0 $m on, again"
		echo "bond0 $m on, again: $(esp_features bf bond0)"
	done
	ip netns del bf
	unload_bonding
}

test_esp_features_match_c() {
	same_as_c features_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "bond0: tx-esp-segmentation: off esp-hw-offload: off esp-tx-csum-hw-offload: off"
	assert_contains "$r" "bond1: tx-esp-segmentation: on esp-hw-offload: on esp-tx-csum-hw-offload: on"
	assert_contains "$r" "bond0 active-backup: tx-esp-segmentation: on esp-hw-offload: on esp-tx-csum-hw-offload: on"
	assert_contains "$r" "bond0 balance-xor: tx-esp-segmentation: off esp-hw-offload: off esp-tx-csum-hw-offload: off"
	assert_contains "$r" "bond2 on: tx-esp-segmentation: off esp-hw-offload: on"
	echo "$r" | grep -q '^bond1 off: .*esp-hw-offload: off' ||
		fail "ethtool did not switch esp-hw-offload off"
	assert_contains "$r" "bond1 off, set active-backup: tx-esp-segmentation: on esp-hw-offload: on"
	assert_contains "$r" "bond1 off, sysfs active-backup: tx-esp-segmentation: on esp-hw-offload: on"
	assert_contains "$r" "bond2 on, set balance-xor: tx-esp-segmentation: off esp-hw-offload: off"
	assert_contains "$r" "bond0 active-backup off, again: tx-esp-segmentation: on esp-hw-offload: on"
	assert_contains "$r" "bond0 broadcast on, again: tx-esp-segmentation: off esp-hw-offload: off"
}

# States offloaded through a bond without slaves (ENODEV: refused), an
# active-backup bond whose active slave is a veth (no xfrmdev_ops:
# EOPNOTSUPP, the state stays in software with the bond's message) and a
# balance-xor bond over a veth. $1 = driver; prints the outcomes, the
# states and the bond's messages.
no_offload_case() {
	load_bonding "$1"
	netns_add bv
	local seq
	seq=$(kmsg --next)
	ip -n bv -batch - <<-EOF || fail "$1: no_offload set-up"
		link add a1 type veth peer name b1
		link add a2 type veth peer name b2
		link set b1 up
		link set b2 up
		link add bond0 type bond
		link set bond0 type bond mode active-backup
		link add bond1 type bond mode balance-xor
		link set bond0 up
		link set bond1 up
	EOF
	expect_driver bond0 "$BOND_DRV" bv
	expect_driver bond1 "$BOND_DRV" bv
	echo "no slave: $(sa_add bv bond0 out 0x100)"
	ip -n bv link set a1 master bond0 || fail "$1: a1 into bond0"
	ip -n bv link set a2 master bond1 || fail "$1: a2 into bond1"
	echo "veth: $(sa_add bv bond0 out 0x101)"
	echo "veth in: $(sa_add bv bond0 in 0x102)"
	echo "balance-xor veth: $(sa_add bv bond1 out 0x103)"
	sa_show bv
	echo "== messages"
	kmsg_lines "$seq" 'bond[0-9]: .*(ipsec|xdo_dev|SA)'
	ip -n bv xfrm state flush
	ip netns del bv
	unload_bonding
}

test_no_offload_slave_matches_c() {
	same_as_c no_offload_case
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "no slave: ip -n bv xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100"
	echo "$r" | grep -q '^no slave: .*: rc 2: .*Device failed to offload this state' ||
		fail "a state through a bond without slaves was not refused"
	echo "$r" | grep -q '^veth: .*: rc 0: .*bonding: Slave does not support ipsec offload' ||
		fail "no software fallback with the bond's message for a veth slave"
	if echo "$r" | grep -q 'crypto offload parameters'; then
		fail "a state is offloaded through a veth slave"
	fi
}

# The netdevsim device (its netdev's name) made with ID $1.
nsim_new() { # ID
	echo "$1 1" >/sys/bus/netdevsim/new_device || fail "netdevsim $1"
	wait_for 10 nsim_has_netdev "$1" || fail "netdevsim $1 has no netdev"
	ls "/sys/bus/netdevsim/devices/netdevsim$1/net/"
}

nsim_has_netdev() { # ID
	[ -n "$(ls "/sys/bus/netdevsim/devices/netdevsim$1/net/" 2>/dev/null)" ]
}

# The SA table of netdevsim $1 (its debugfs `ipsec` file), keys masked.
nsim_sas() { # ID
	sed -E 's/key=.*/key=KEY/' "/sys/kernel/debug/netdevsim/netdevsim$1/ports/0/ipsec"
}

# Links ns1 (namespace bn) to a new netdevsim 733 in namespace bp
# (np, 192.0.2.2) and sends three echo requests from bond0 under an
# outbound policy that uses the offloaded state.
nsim_peer_traffic() {
	local np fa fb ia ib
	np=$(nsim_new 733)
	netns_add bp
	ip link set "$np" netns bp name np || fail "np to bp"
	ip -n bp addr add 192.0.2.2/24 dev np
	ip -n bp link set np up
	ia=$(ip -n bn -j link show ns1 | jq '.[0].ifindex')
	ib=$(ip -n bp -j link show np | jq '.[0].ifindex')
	exec {fa}</run/netns/bn {fb}</run/netns/bp
	echo "$fa:$ia $fb:$ib" >/sys/bus/netdevsim/link_device || fail "link ns1 and np"
	exec {fa}<&- {fb}<&-
	ip -n bn xfrm policy add src 192.0.2.1 dst 192.0.2.2 dir out \
		tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode transport ||
		fail "xfrm policy"
	ip netns exec bn ping -c 3 -i 0.2 -W 1 192.0.2.2 >/dev/null 2>&1 || true
	ip -n bn xfrm policy flush
}

# The first line of nsim_sas (`SA count=N tx=N`).
nsim_count() { # ID
	sed -n 1p "/sys/kernel/debug/netdevsim/netdevsim$1/ports/0/ipsec"
}

test_netdevsim_offload_follows_active_slave() {
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug ||
		fail "debugfs"
	modprobe netdevsim || fail "modprobe netdevsim"
	load_bonding rust
	netns_add bn
	local n1 n2 seq states
	n1=$(nsim_new 731)
	n2=$(nsim_new 732)
	ip link set "$n1" netns bn name ns1 || fail "ns1 to bn"
	ip link set "$n2" netns bn name ns2 || fail "ns2 to bn"
	seq=$(kmsg --next)
	ip -n bn -batch - <<-EOF || fail "netdevsim set-up"
		link add bond0 type bond
		link set bond0 type bond mode active-backup
		link set ns1 master bond0
		link set ns2 master bond0
		link set bond0 up
		addr add 192.0.2.1/24 dev bond0
	EOF
	expect_driver bond0 rvnet_bond bn
	assert_eq "$(ip netns exec bn cat /sys/class/net/bond0/bonding/active_slave)" ns1
	echo "bond0: $(esp_features bn bond0)"
	assert_contains "$(sa_add bn bond0 out 0x201)" ": rc 0: "
	assert_contains "$(sa_add bn bond0 in 0x202)" ": rc 0: "
	sa_show bn
	assert_contains "$(sa_show bn)" "crypto offload parameters: dev bond0 dir out mode crypto"
	assert_contains "$(sa_show bn)" "crypto offload parameters: dev bond0 dir in mode crypto"
	echo "== ns1 active"
	nsim_sas 731
	assert_eq "$(nsim_count 731)" "SA count=2 tx=0"
	assert_contains "$(nsim_sas 731)" "tx ipaddr=192.0.2.2"
	assert_contains "$(nsim_sas 731)" "rx ipaddr=192.0.2.1"
	assert_contains "$(nsim_sas 731)" "spi=0x00000201 proto=0x32"
	assert_eq "$(nsim_count 732)" "SA count=0 tx=0"
	# Traffic: ns1 linked to a netdevsim peer (bp's np, 192.0.2.2); the
	# echo requests leave bond0 under the offloaded state, so ns1 sees
	# them with it (netdevsim's tx counter; the peer has no state and
	# does not answer).
	nsim_peer_traffic
	assert_eq "$(nsim_count 731)" "SA count=2 tx=3"
	# Failover: the states move to the new active slave.
	ip -n bn link set bond0 type bond active_slave ns2 || fail "active_slave ns2"
	echo "== ns2 active"
	nsim_sas 732
	assert_eq "$(nsim_count 731)" "SA count=0 tx=3"
	assert_eq "$(nsim_count 732)" "SA count=2 tx=0"
	assert_contains "$(nsim_sas 732)" "spi=0x00000202 proto=0x32"
	# A state deleted leaves the slave holding it.
	ip -n bn xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x201 ||
		fail "delete 0x201"
	assert_eq "$(nsim_count 732)" "SA count=1 tx=0"
	# The active slave released: the other one takes the state.
	ip -n bn link set ns2 nomaster || fail "ns2 nomaster"
	assert_eq "$(ip netns exec bn cat /sys/class/net/bond0/bonding/active_slave)" ns1
	assert_eq "$(nsim_count 732)" "SA count=0 tx=0"
	assert_eq "$(nsim_count 731)" "SA count=1 tx=3"
	# No slave left: the state stays the bond's, on no device.
	ip -n bn link set ns1 nomaster || fail "ns1 nomaster"
	assert_eq "$(nsim_count 731)" "SA count=0 tx=3"
	ip -n bn link set ns1 master bond0 || fail "ns1 master again"
	assert_eq "$(nsim_count 731)" "SA count=1 tx=3"
	ip -n bn xfrm state flush || fail "xfrm flush"
	assert_eq "$(nsim_count 731)" "SA count=0 tx=3"
	# balance-xor (C: the state goes to curr_active_slave, the first
	# slave up, but no packet is offloaded: bond_ipsec_offload_ok).
	ip -n bn -batch - <<-EOF || fail "balance-xor set-up"
		link set ns1 nomaster
		link add bond1 type bond mode balance-xor
		link set ns2 master bond1
		link set ns1 master bond1
		link set bond1 up
	EOF
	assert_contains "$(sa_add bn bond1 out 0x203)" ": rc 0: "
	assert_eq "$(nsim_count 732)" "SA count=1 tx=0"
	assert_eq "$(nsim_count 731)" "SA count=0 tx=3"
	# The current slave released: the next one up becomes current by a
	# change of active slave (bond_select_active_slave), which moves the
	# state; released too, the state is on no slave.
	ip -n bn link set ns2 nomaster || fail "ns2 out of bond1"
	assert_eq "$(nsim_count 732)" "SA count=0 tx=0"
	assert_eq "$(nsim_count 731)" "SA count=1 tx=3"
	ip -n bn link set ns1 nomaster || fail "ns1 out of bond1"
	assert_eq "$(nsim_count 731)" "SA count=0 tx=3"
	# C's enslave makes the first slave up current in the trunk modes
	# without bond_change_active_slave: the state stays on no slave...
	ip -n bn link set ns2 master bond1 || fail "ns2 into bond1 again"
	ip -n bn link set ns1 master bond1 || fail "ns1 into bond1 again"
	assert_eq "$(nsim_count 732)" "SA count=0 tx=0"
	assert_eq "$(nsim_count 731)" "SA count=0 tx=3"
	# ... until the next change of active slave adds it to the new one.
	ip -n bn link set ns2 nomaster || fail "ns2 out of bond1 again"
	assert_eq "$(nsim_count 731)" "SA count=1 tx=3"
	# The bond going down flushes its offloaded states (the xfrm core's
	# NETDEV_DOWN with NETIF_F_HW_ESP).
	ip netns exec bn ethtool -K bond1 esp-hw-offload on || fail "bond1 esp on"
	ip -n bn link set bond1 down
	assert_eq "$(nsim_count 731)" "SA count=0 tx=3"
	# The states read apart: a failed `ip xfrm state` would count none.
	states=$(ip -n bn xfrm state) || fail "ip xfrm state"
	assert_eq "$(grep -c 'spi 0x00000203' <<<"$states")" 0 "states of spi 0x203 left"
	echo "== messages"
	kmsg --from "$seq" | grep -E 'bond[0-9]|netdevsim' || true
	ip -n bn link del bond0
	ip -n bn link del bond1
	echo 731 >/sys/bus/netdevsim/del_device
	echo 732 >/sys/bus/netdevsim/del_device
	echo 733 >/sys/bus/netdevsim/del_device
	ip netns del bn
	ip netns del bp
	unload_bonding
	modprobe -r netdevsim || true
}

ktap_run_suite bond_ipsec
