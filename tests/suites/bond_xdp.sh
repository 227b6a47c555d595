#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Native XDP of a bond against C bonding's in one boot (C: bond_main.c
# bond_xdp_set, bond_xdp_get_xmit_slave, the XDP parts of bond_enslave and
# __bond_release_one, bond_options.c's mode and xmit_hash_policy checks;
# C bonding.ko and rvnet_bond loaded in turn by same_as_c, every bond
# checked to be served by the loaded one). The programs are
# tests/tools/xdp_bond.c, compiled here with clang. A program attached to
# the bond is installed on each veth slave (its ndo_bpf, not shown by
# `ip link` on the slave): seen in the slave's XDP counters (ethtool -S
# rx_queue_0_xdp_drops of frames its peer sent). Traffic: an XDP_TX
# program on the bond sends each frame a peer sent back out of the slave
# the bond's xmit policy chooses (bpf_master_redirect_enabled_key and
# ndo_xdp_get_xmit_slave), seen by independent AF_PACKET sockets and
# tcpdump on the peers.
# cost: 241 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"

FLOWS="python3 $RVNET_ROOT/tests/lib/flows.py run"
FLOWS_RUNS="python3 $RVNET_ROOT/tests/lib/flows.py runs"
OUT=/tmp/bond-xdp
mkdir -p $OUT
OBJ=$OUT/xdp_bond.o

unload_all() {
	unload_modules rvnet_bond bonding
}

load() { # c|rust
	use_driver bond "$1"
	BOND_DRV=$(driver_module bond "$1")
}

# The test programs, compiled once per boot.
xdp_obj() {
	[ -s $OBJ ] && return 0
	clang -O2 -target bpf -c "$RVNET_ROOT/tests/tools/xdp_bond.c" -o $OBJ ||
		fail "clang: tests/tools/xdp_bond.c"
}

# Bond side bx (bond0 over a1 a2), peer side bp (b1 b2, up, not bonded):
# topo MODE [BOND OPTIONS...]
topo() {
	netns_add bx bp
	no_ipv6 bx bp
	ip -batch - <<-EOF || fail "veth pairs"
		link add a1 netns bx address 02:00:00:00:6a:01 type veth peer name b1 netns bp address 02:00:00:00:6b:01
		link add a2 netns bx address 02:00:00:00:6a:02 type veth peer name b2 netns bp address 02:00:00:00:6b:02
	EOF
	ip -n bp -batch - <<-EOF || fail "peers up"
		link set b1 up
		link set b2 up
	EOF
	ip -n bx -batch - <<-EOF || fail "bond0 $*"
		link add bond0 type bond mode $*
		link set a1 master bond0
		link set a2 master bond0
		link set bond0 up
	EOF
	expect_driver bond0 "$BOND_DRV" bx
}

# Attaches section SEC of the test programs to DEV natively: xdp NS DEV SEC
xdp() {
	ip -n "$1" link set dev "$2" xdpdrv obj $OBJ sec "$3"
}

# The XDP drops a veth counted on receive: drops NS DEV
drops() {
	ip netns exec "$1" ethtool -S "$2" | awk '/rx_queue_0_xdp_drops:/ { print $2 }'
}

# N frames of one UDP flow from each peer in $@ (bp's b1, b2), after
# which the counters are read (flows.py waits until the peer is quiet).
send() { # N PEER...
	local n=$1 p
	shift
	for p in "$@"; do
		echo "--tx bp:$p --rx bp:$p --set seq:$n --quiet 0.3"
	done | $FLOWS_RUNS >/dev/null || fail "flows.py from $*"
}

# The bond's XDP messages in the kernel log since sequence number SEQ
# (whole lines with their level, as logged).
xdp_msgs() { # SEQ
	kmsg_lines "$1" 'bond[0-9]: .*(XDP|xdp|ndo_bpf)'
}

# Attaching in each mode: refused with C's message where C has no native
# XDP, else installed on both slaves (their peers' frames dropped) and
# removed from both by the detach.
attach_modes() { # DRV
	load "$1"
	xdp_obj
	local seq spec
	seq=$(kmsg --next)
	for spec in balance-rr active-backup balance-xor "balance-xor xmit_hash_policy layer3+4" \
		"balance-xor xmit_hash_policy vlan+srcmac" broadcast 802.3ad \
		"802.3ad xmit_hash_policy vlan+srcmac" balance-tlb balance-alb; do
		topo $spec
		echo "$spec: $(outcome xdp bx bond0 xdp/drop)"
		echo "  bond0: $(ip -n bx -j link show bond0 | jq -c '.[0].xdp.mode // "none"')"
		if ip -n bx -j link show bond0 | jq -e '.[0].xdp' >/dev/null; then
			send 3 b1 b2
			echo "  drops: a1 $(drops bx a1) a2 $(drops bx a2)"
			ip -n bx link set dev bond0 xdpdrv off || fail "$spec: detach"
			send 2 b1 b2
			echo "  after detach: a1 $(drops bx a1) a2 $(drops bx a2)"
		fi
		netns_del_test
	done
	echo "log:"
	xdp_msgs "$seq"
	unload_all
}

test_attach_each_mode_matches_c() {
	same_as_c attach_modes
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "balance-rr: xdp bx bond0 xdp/drop: rc 0: "
	assert_contains "$r" "balance-tlb: xdp bx bond0 xdp/drop: rc 2: Error: No native XDP support for the current bonding mode"
	assert_contains "$r" "  drops: a1 3 a2 3"
	assert_contains "$r" "  after detach: a1 3 a2 3"
	# The ack has the message; C logs it only without one.
	[ "$(sed -n '/^log:$/,$p' <<<"$r" | wc -l)" = 1 ] || fail "XDP errors logged despite the ack"
}

# What a program on the bond refuses, and what it does to slaves that
# join and leave.
refusals() { # DRV
	load "$1"
	xdp_obj
	local seq
	seq=$(kmsg --next)
	topo balance-rr
	echo "attach: $(outcome xdp bx bond0 xdp/drop)"
	echo "replace: $(outcome ip -n bx -force link set dev bond0 xdpdrv obj $OBJ sec xdp/drop)"
	# A slave's own program, under a bond with one: refused by the core.
	echo "on a slave: $(outcome xdp bx a1 xdp)"
	ip -n bx link add du0 type dummy
	echo "dummy: $(outcome ip -n bx link set du0 master bond0)"
	ip -n bx link add a3 type veth peer name b3 netns bp
	ip -n bp link set b3 up
	xdp bx a3 xdp || fail "program on a3"
	echo "own program: $(outcome ip -n bx link set a3 master bond0)"
	ip -n bx link set a3 xdpdrv off
	echo "veth: $(outcome ip -n bx link set a3 master bond0)"
	send 2 b1 b2 b3
	echo "drops: a1 $(drops bx a1) a2 $(drops bx a2) a3 $(drops bx a3)"
	# A released slave loses the program.
	ip -n bx link set a2 nomaster
	ip -n bx link set a2 up
	send 2 b1 b2 b3
	echo "a2 released: a1 $(drops bx a1) a2 $(drops bx a2) a3 $(drops bx a3)"
	ip -n bx link set dev bond0 xdpdrv off
	send 1 b1 b3
	echo "detached: a1 $(drops bx a1) a3 $(drops bx a3)"
	# Options a program forbids (bond down, no slaves).
	ip -n bx link add bond1 type bond mode balance-xor
	expect_driver bond1 "$BOND_DRV" bx
	echo "bond1: $(outcome xdp bx bond1 xdp)"
	outcome ip -n bx link set bond1 type bond mode balance-alb
	outcome ip -n bx link set bond1 type bond mode broadcast
	outcome ip netns exec bx sh -c 'echo balance-tlb >/sys/class/net/bond1/bonding/mode'
	outcome ip -n bx link set bond1 type bond mode 802.3ad
	outcome ip -n bx link set bond1 type bond xmit_hash_policy vlan+srcmac
	outcome ip netns exec bx sh -c 'echo vlan+srcmac >/sys/class/net/bond1/bonding/xmit_hash_policy'
	outcome ip -n bx link set bond1 type bond xmit_hash_policy layer3+4
	ip -n bx -d -j link show bond1 | jq -c '.[0] | {mode: .linkinfo.info_data.mode, xmit_hash_policy: .linkinfo.info_data.xmit_hash_policy, xdp: (.xdp.mode // "none")}'
	ip -n bx link set dev bond1 xdpdrv off
	echo "no program: $(outcome ip -n bx link set bond1 type bond xmit_hash_policy vlan+srcmac)"
	netns_del_test
	echo "log:"
	xdp_msgs "$seq"
	unload_all
}

test_refusals_match_c() {
	same_as_c refusals
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "dummy: ip -n bx link set du0 master bond0: rc 2: Error: Slave does not support XDP"
	assert_contains "$r" "own program: ip -n bx link set a3 master bond0: rc 2: Error: Slave has XDP program loaded, please unload before enslaving"
	assert_contains "$r" "drops: a1 2 a2 2 a3 2"
	assert_contains "$r" "a2 released: a1 4 a2 2 a3 4"
	assert_contains "$r" "detached: a1 4 a3 4"
	assert_contains "$r" "mode balance-alb: rc 2: "
	assert_contains "$r" "Operation not supported"
}

# A slave refusing the program after another took it (veth refuses XDP
# while its peer's MTU is above what one page holds: "Peer MTU is too
# large to set XDP", ERANGE): the attach fails with the slave's message,
# the slaves done so far get the old program back (C's bond_xdp_set
# unwinds them: none here, so no slave drops a frame) and the bond has
# none; once the peer's MTU is back, the attach works.
rollback() { # DRV
	load "$1"
	xdp_obj
	local seq
	seq=$(kmsg --next)
	topo balance-rr
	ip -n bp link set b2 mtu 9000 || fail "b2 mtu 9000"
	echo "attach: $(outcome xdp bx bond0 xdp/drop)"
	echo "  bond0: $(ip -n bx -j link show bond0 | jq -c '.[0].xdp.mode // "none"')"
	send 2 b1 b2
	echo "  drops: a1 $(drops bx a1) a2 $(drops bx a2)"
	ip -n bp link set b2 mtu 1500 || fail "b2 mtu 1500"
	echo "again: $(outcome xdp bx bond0 xdp/drop)"
	echo "  bond0: $(ip -n bx -j link show bond0 | jq -c '.[0].xdp.mode // "none"')"
	send 2 b1 b2
	echo "  drops: a1 $(drops bx a1) a2 $(drops bx a2)"
	# With the program on a2, its peer's MTU cannot grow again.
	echo "b2 mtu: $(outcome ip -n bp link set b2 mtu 9000)"
	ip -n bx link set dev bond0 xdpdrv off || fail "detach"
	send 1 b1 b2
	echo "  detached: a1 $(drops bx a1) a2 $(drops bx a2)"
	netns_del_test
	echo "log:"
	xdp_msgs "$seq"
	unload_all
}

test_attach_rollback_matches_c() {
	same_as_c rollback
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "attach: xdp bx bond0 xdp/drop: rc 2: Error: veth: Peer MTU is too large to set XDP"
	grep -A2 '^attach: ' <<<"$r" | grep -qx '  bond0: "none"' || fail "the bond kept the refused program"
	grep -A2 '^attach: ' <<<"$r" | grep -qx '  drops: a1 0 a2 0' || fail "a slave kept the program"
	grep -A2 '^again: ' <<<"$r" | grep -qx '  drops: a1 2 a2 2' || fail "no program after the fix"
	assert_contains "$r" "again: xdp bx bond0 xdp/drop: rc 0: "
	assert_contains "$r" "  detached: a1 2 a2 2"
	assert_contains "$r" "bond0: (slave a2): Error -34 calling ndo_bpf"
}

# A bond (bond1, over a1) enslaved to a bond (bond0): bond0's program
# reaches a1 through bond1's ndo_bpf; a program attached to a1 itself
# (the core allows it: bond1 has no program of its own) then makes
# bond1 refuse to remove bond0's ("Slave has XDP program loaded").
nested_topo() {
	netns_add bx bp
	no_ipv6 bx bp
	ip link add a1 netns bx type veth peer name b1 netns bp || fail "veth pair"
	ip -n bp link set b1 up
	ip -n bx -batch - <<-EOF || fail "nested bonds"
		link add bond1 type bond mode balance-rr
		link set a1 master bond1
		link add bond0 type bond mode balance-rr
		link set bond1 master bond0
		link set bond0 up
	EOF
	expect_driver bond0 "$BOND_DRV" bx
	expect_driver bond1 "$BOND_DRV" bx
	xdp bx bond0 xdp/drop || fail "program on bond0"
	send 2 b1
	echo "bond0's program: a1 $(drops bx a1)"
	echo "on a1: $(outcome xdp bx a1 xdp)"
	send 2 b1
	echo "a1's own: a1 $(drops bx a1)"
}

# The detach refused by the inner bond's slave, with its extack; once
# a1's own program is gone the detach works.
nested_detach() { # DRV
	load "$1"
	xdp_obj
	local seq
	seq=$(kmsg --next)
	nested_topo
	echo "detach: $(outcome ip -n bx link set dev bond0 xdpdrv off)"
	echo "  bond0: $(ip -n bx -j link show bond0 | jq -c '.[0].xdp.mode // "none"')"
	ip -n bx link set dev a1 xdpdrv off || fail "a1's own program off"
	echo "detach again: $(outcome ip -n bx link set dev bond0 xdpdrv off)"
	echo "  bond0: $(ip -n bx -j link show bond0 | jq -c '.[0].xdp.mode // "none"')"
	netns_del_test
	echo "log:"
	xdp_msgs "$seq"
	unload_all
}

test_nested_detach_refused_matches_c() {
	same_as_c nested_detach
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "bond0's program: a1 2"
	assert_contains "$r" "a1's own: a1 2"
	assert_contains "$r" "detach: ip -n bx link set dev bond0 xdpdrv off: rc 2: Error: Slave has XDP program loaded, please unload before enslaving"
	assert_contains "$r" "detach again: ip -n bx link set dev bond0 xdpdrv off: rc 0: "
	assert_contains "$r" "bond0: (slave bond1): Error -95 calling ndo_bpf"
}

# The inner bond released from bond0 while a1 has its own program: the
# removal of bond0's program from bond1 fails, C's warnings are logged
# and the release goes on. rvnet_bond only: C bonding keeps the program
# on bond1 then and never puts it (its bond_uninit does not), a leak.
test_nested_release_unload_fails() {
	load rust
	xdp_obj
	local seq log link
	seq=$(kmsg --next)
	nested_topo
	ip -n bx link set bond1 nomaster || fail "bond1 nomaster"
	# bond1 read apart: a bond1 gone would show no master either.
	link=$(ip -n bx -j link show bond1) || fail "bond1 gone"
	assert_eq "$(jq -r '.[0].master // "none"' <<<"$link")" none "bond1's master"
	log=$(xdp_msgs "$seq")
	echo "$log"
	assert_contains "$log" "bond1: (slave a1): Error: Slave has XDP program loaded, please unload before enslaving"
	assert_contains "$log" "bond0: (slave bond1): failed to unload XDP program"
	netns_del_test
	unload_all
}

# Frames the peers send, bounced by an XDP_TX program on the bond out of
# the slave the bond chooses (the peers run an XDP_PASS program: a veth
# takes XDP frames only with NAPI on). balance-xor layer3+4: which peer
# gets each frame of the hash set back (the sender's own socket sees its
# outgoing copy too); active-backup: frames sent to the backup come back
# to the active slave's peer byte for byte.
bounce() { # DRV
	load "$1"
	xdp_obj
	topo balance-xor xmit_hash_policy layer3+4
	xdp bx bond0 xdp/tx || fail "XDP_TX on bond0"
	xdp bp b1 xdp || fail "XDP_PASS on b1"
	xdp bp b2 xdp || fail "XDP_PASS on b2"
	$FLOWS_RUNS <<-EOF | grep -v 'order '
		--tx bp:b1 --rx bp:b1,bp:b2 --set hash --prefix 'from b1 '
		--tx bp:b2 --rx bp:b1,bp:b2 --set hash --prefix 'from b2 '
	EOF
	netns_del_test
	topo active-backup
	xdp bx bond0 xdp/tx || fail "XDP_TX on bond0"
	xdp bp b1 xdp || fail "XDP_PASS on b1"
	xdp bp b2 xdp || fail "XDP_PASS on b2"
	# Fresh files: tcpdump_listening must not read the last capture's.
	: >$OUT/sent.err
	: >$OUT/back.err
	ip netns exec bp timeout 30 tcpdump -i b2 -Q out -nn -xx -c 4 -l >$OUT/sent 2>$OUT/sent.err &
	local t1=$!
	ip netns exec bp timeout 30 tcpdump -i b1 -Q in -nn -xx -c 4 -l >$OUT/back 2>$OUT/back.err &
	local t2=$!
	tcpdump_listening $OUT/sent.err $OUT/back.err
	$FLOWS --tx bp:b2 --rx bp:b1 --set seq:4 | grep -v '^order'
	wait $t1 || fail "tcpdump on b2"
	wait $t2 || fail "tcpdump on b1"
	local sent back
	sent=$(hex_frames <$OUT/sent)
	back=$(hex_frames <$OUT/back)
	[ "$(wc -l <<<"$back")" = 4 ] || fail "$1: $(wc -l <<<"$back") frames back on b1, expected 4"
	assert_eq "$back" "$sent" "$1: frames back on b1 vs sent on b2"
	echo "back on b1:"
	echo "$back"
	netns_del_test
	unload_all
}

test_xdp_tx_bounce_matches_c() {
	same_as_c bounce
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "back on b1:"
	# Each frame of the hash set came back to one peer or the other.
	if grep -E '^from b[12] ' <<<"$r" | grep -vqE ' (b1,b1|b1,b2|b2,b2)$'; then
		fail "a frame not bounced: $(grep -E '^from b[12] ' <<<"$r" | grep -vE ' (b1,b1|b1,b2|b2,b2)$' | head -3)"
	fi
	grep -qE ' b1,b2$' <<<"$r" || fail "no frame of b1 bounced to b2 or back"
}

# Frames redirected to the bond by an XDP program on another device (the
# bond's ndo_xdp_xmit, allowed by its xdp_features: those its slaves
# have, which their peers' XDP programs give them, NETDEV_XDP_FEAT_CHANGE)
# go out of the slave the bond chooses: active-backup, byte for byte to
# the active slave's peer; balance-xor layer3+4, which peer gets each
# frame of the hash set.
redirect() { # DRV
	load "$1"
	xdp_obj
	local mode idx t1 t2 sent back
	for mode in active-backup "balance-xor xmit_hash_policy layer3+4"; do
		topo $mode
		ip -n bx link add a3 type veth peer name b3 netns bp
		ip -n bx link set a3 up
		ip -n bp link set b3 up
		xdp bp b1 xdp || fail "XDP_PASS on b1"
		xdp bp b2 xdp || fail "XDP_PASS on b2"
		idx=$(ip -n bx -j link show bond0 | jq '.[0].ifindex')
		clang -O2 -target bpf -DREDIRECT_IFINDEX="$idx" -c "$RVNET_ROOT/tests/tools/xdp_bond.c" \
			-o $OUT/redirect.o || fail "clang: redirect program"
		ip -n bx link set a3 xdpdrv obj $OUT/redirect.o sec xdp/redirect || fail "redirect on a3"
		echo "== $mode"
		if [ "$mode" = active-backup ]; then
			: >$OUT/sent.err
			: >$OUT/back.err
			ip netns exec bp timeout 30 tcpdump -i b3 -Q out -nn -xx -c 4 -l >$OUT/sent 2>$OUT/sent.err &
			t1=$!
			ip netns exec bp timeout 30 tcpdump -i b1 -Q in -nn -xx -c 4 -l >$OUT/back 2>$OUT/back.err &
			t2=$!
			tcpdump_listening $OUT/sent.err $OUT/back.err
			$FLOWS --tx bp:b3 --rx bp:b1,bp:b2 --set seq:4 | grep -v '^order'
			wait $t1 || fail "tcpdump on b3"
			wait $t2 || fail "tcpdump on b1"
			sent=$(hex_frames <$OUT/sent)
			back=$(hex_frames <$OUT/back)
			[ "$(wc -l <<<"$back")" = 4 ] || fail "$1: $(wc -l <<<"$back") frames on b1, expected 4"
			assert_eq "$back" "$sent" "$1: frames on b1 vs sent on b3"
		else
			$FLOWS --tx bp:b3 --rx bp:b1,bp:b2 --set hash | grep -v '^order'
		fi
		netns_del_test
	done
	unload_all
}

test_redirect_to_bond_matches_c() {
	same_as_c redirect
	local r
	r=$(cat "$SAME_AS_C_RUST")
	assert_contains "$r" "seq0003 b1"
	grep -qE ' b2$' <<<"$r" || fail "no redirected frame went out of a2"
	if grep -E '^(v4|v6|arp|lldp)' <<<"$r" | grep -qE ' -$'; then
		fail "a redirected frame was lost: $(grep -E ' -$' <<<"$r" | head -3)"
	fi
}

ktap_run_suite bond_xdp
