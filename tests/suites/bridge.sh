#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cost: 273 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
#
# rvnet_bridge against Linux's C bridge in one boot. The hosts on the
# bridge's ports are plain veth ends in their own namespaces, and where a
# frame lands is seen there by AF_PACKET sockets (tests/lib/flows.py),
# not by the bridge: every forwarding, flooding and link-local decision
# is compared with C's, frame by frame (same_as_c).
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"
source "$RVNET_ROOT/tests/lib/sysfs.sh"
# A failed command inside $(...) fails the test too.
shopt -s inherit_errexit

# The longest cases (about 120 s each in a three-lane run) took 300-316 s
# in a run with six guests on the two CPUs.
TIME_LIMIT_sysfs_matches_c=600
TIME_LIMIT_port_flags_forwarding_matches_c=600

OUT=/tmp/bridge-compare
mkdir -p $OUT
FLOWS="python3 $RVNET_ROOT/tests/lib/flows.py"
AMAC=02:00:00:00:aa:01
BMAC=02:00:00:00:bb:01
CMAC=02:00:00:00:cc:01
BRMAC=02:00:00:00:00:b0

use() { # c|rust
	use_driver bridge "$1"
}

bdrv() {
	driver_module bridge "$1"
}

# A bridge br0 in namespace bs with ports pa, pb, pc, whose peers a0, b0,
# c0 are the hosts in namespaces ha, hb, hc (IPv6 off: no stray frames).
topo() { # driver [ip link add options...]
	local drv=$1 h
	shift
	use "$drv"
	netns_add bs ha hb hc
	no_ipv6 ha hb hc bs
	ip -n bs link add br0 address $BRMAC type bridge "$@"
	expect_driver br0 "$(bdrv "$drv")" bs
	for h in a:$AMAC b:$BMAC c:$CMAC; do
		local n=${h%%:*} mac=${h#*:}
		ip link add p$n netns bs address "02:00:00:00:0$n:0$n" type veth peer name ${n}0 netns h$n address "$mac"
		ip -n h$n link set ${n}0 up
		ip -n bs link set p$n master br0
		ip -n bs link set p$n up
	done
	ip -n bs link set br0 up
}

untopo() {
	netns_unpair bs ha hb hc
}

# Where frames from a0 land (b0, c0, and br0 itself: local delivery).
from_a() { # set
	$FLOWS run --tx ha:a0 --rx hb:b0,hc:c0,bs:br0 --set "$1" --src $AMAC --quiet 0.8 |
		grep -v '^order'
}

LL="01:80:c2:00:00:00/01:80:c2:00:00:01/01:80:c2:00:00:02/01:80:c2:00:00:03/01:80:c2:00:00:0e/01:80:c2:00:00:10"
MC="ff:ff:ff:ff:ff:ff/01:00:5e:00:00:01/33:33:00:00:00:01"

forwarding_case() {
	topo "$1"
	echo "== unknown unicast, broadcast, multicast, the bridge's own address"
	from_a "to:$BMAC/$MC/$BRMAC"
	echo "== link-local group addresses (STP off)"
	from_a "to:$LL"
	echo "== b0 speaks: learned; a0 -> b0 now goes to b0 only"
	$FLOWS run --tx hb:b0 --rx ha:a0,hc:c0 --set "to:$AMAC" --src $BMAC --quiet 0.5 | grep -v '^order'
	from_a "to:$BMAC"
	echo "== group_fwd_mask 0x4008 forwards LLDP and 802.1X"
	ip -n bs link set br0 type bridge group_fwd_mask 0x4008
	from_a "to:$LL"
	untopo
}
test_forwarding_matches_c() { same_as_c forwarding_case; }

# Whether port $1's forward-delay timer (C's, armed when the port is
# enabled) is not running (rvnet_bridge has none).
fwd_delay_expired() { # port
	ip -n bs -j -d link show "$1" | jq -e '.[0].linkinfo.info_slave_data.forward_delay_timer == 0' >/dev/null
}

# Whether the operstate of each of bs's devices $@ is up: linkwatch (a
# delayed work, later under load) made its change and sent its messages.
bs_oper_up() { # dev...
	local d files=() want=""
	for d in "$@"; do
		files+=("/sys/class/net/$d/operstate")
		want+="up "
	done
	[ "$(ip netns exec bs cat "${files[@]}" | tr '\n' ' ')" = "$want" ]
}

# Port flags on traffic: flood, bcast_flood, mcast_flood, learning,
# isolated and hairpin, set with `ip link set PORT type bridge_slave`.
port_flags_case() {
	# A short forward delay: C's port forward-delay timer (armed when a
	# port is enabled, even without STP) has expired before `state 2`
	# (rvnet_bridge has no such timer: a learning port stays learning).
	topo "$1" forward_delay 200
	echo "== pb: flood off, pc: bcast_flood off"
	ip -n bs link set pb type bridge_slave flood off
	ip -n bs link set pc type bridge_slave bcast_flood off mcast_flood off
	from_a "to:$BMAC/$MC"
	echo "== pb: learning off: b0 is never learned"
	ip -n bs link set pb type bridge_slave flood on learning off
	$FLOWS run --tx hb:b0 --rx ha:a0,hc:c0 --set "to:$AMAC" --src $BMAC --quiet 0.5 | grep -v '^order'
	from_a "to:$BMAC"
	echo "== pa and pb isolated: a0 reaches only c0"
	ip -n bs link set pc type bridge_slave bcast_flood on mcast_flood on
	ip -n bs link set pa type bridge_slave isolated on
	ip -n bs link set pb type bridge_slave isolated on
	from_a "to:ff:ff:ff:ff:ff:ff/$BMAC"
	echo "== hairpin on pa: a0 hears its own flood (rx on a0 counts incoming only)"
	ip -n bs link set pa type bridge_slave isolated off hairpin on
	ip -n bs link set pb type bridge_slave isolated off
	$FLOWS run --tx ha:a0 --rx hb:b0,hc:c0 --set "to:02:00:00:00:dd:01" --src $AMAC --quiet 0.5 | grep -v '^order'
	echo "== state learning on pc: nothing leaves through it"
	wait_for 30 fwd_delay_expired pc || fail "pc's forward-delay timer still runs"
	ip -n bs link set pc type bridge_slave state 2
	from_a "to:ff:ff:ff:ff:ff:ff"
	ip -n bs -j -d link show pc | jq -c '.[0].linkinfo.info_slave_data.state'
	untopo
}
test_port_flags_forwarding_matches_c() { same_as_c port_flags_case; }

# `ip -d link show PORT` and bad port options, as C.
port_show_case() {
	topo "$1"
	ip -n bs -d -j link show pa | jq -S '.[0].linkinfo | .info_slave_data |= del(.forward_delay_timer)'
	ip -n bs link set pa type bridge_slave cost 7 priority 9 guard on root_block on fastleave on \
		group_fwd_mask 0x4001 learning off flood off mcast_flood off bcast_flood off isolated on hairpin on
	ip -n bs -d -j link show pa | jq -S '.[0].linkinfo | .info_slave_data |= del(.forward_delay_timer)'
	local c
	for c in "cost 0" "cost 65536" "priority 64" "group_fwd_mask 2" "state 5" "locked on mab on"; do
		echo "== bridge_slave $c"
		ip -n bs link set pa type bridge_slave $c 2>&1 && echo "(no error)"
	done
	echo "== state 4 (blocking) on a bridge without STP"
	ip -n bs link set pb type bridge_slave state 4
	ip -n bs -j -d link show pb | jq -c '.[0].linkinfo.info_slave_data.state'
	ip -n bs link set pb down
	echo "== state 3 on a port that is down"
	ip -n bs link set pb type bridge_slave state 3 2>&1 && echo "(no error)"
	untopo
}
test_port_show_matches_c() { same_as_c port_show_case; }

# The FDB through netlink: `bridge fdb show/add/replace/del/get` and the
# `bridge monitor fdb` events of learning, adding and deleting, as C.
fdb_show() {
	ip netns exec bs bridge -j fdb show br br0 | jq -c 'sort_by(.mac, .ifname, (.vlan // 0)) | .[]'
}

fdb_case() {
	topo "$1"
	ip netns exec bs bridge monitor fdb >$OUT/monitor.$1 2>&1 &
	local mon=$!
	sleep 0.5
	echo "== b0 and c0 speak"
	$FLOWS run --tx hb:b0 --rx ha:a0 --set "to:$AMAC" --src $BMAC --quiet 0.2 | grep -v '^order'
	$FLOWS run --tx hc:c0 --rx ha:a0 --set "to:$AMAC" --src $CMAC --quiet 0.2 | grep -v '^order'
	fdb_show
	echo "== user entries"
	local c
	for c in "add 02:00:00:00:ee:01 dev pc master static" \
		"add 02:00:00:00:ee:02 dev pc master" \
		"add 02:00:00:00:ee:03 dev pb master dynamic" \
		"add 02:00:00:00:ee:04 dev pb master static vlan 1" \
		"add 02:00:00:00:ee:05 dev br0 self" \
		"add 02:00:00:00:ee:01 dev pc master static" \
		"add 02:00:00:00:ee:06 dev pc master static vlan 5" \
		"add 02:00:00:00:ee:07 dev pc master static sticky" \
		"replace 02:00:00:00:ee:01 dev pb master static" \
		"replace $CMAC dev pc master static" \
		"add 02:00:00:00:ee:08 dev pc master extern_learn" \
		"replace 02:00:00:00:ee:08 dev pb master extern_learn" \
		"add 02:00:00:00:ee:09 dev br0 self extern_learn" \
		"add 02:00:00:00:ee:09 dev br0 self extern_learn permanent" \
		"add 02:00:00:00:ee:0a dev pc master use" \
		"add 02:00:00:00:ee:0b dev br0 self use" \
		"replace $BMAC dev pc master use" \
		"del 02:00:00:00:ee:03 dev pb master" \
		"del 02:00:00:00:ee:03 dev pb master" \
		"del 02:00:00:00:ee:04 dev pb master vlan 7"; do
		echo "== bridge fdb $c"
		ip netns exec bs bridge fdb $c 2>&1 && echo ok
	done
	fdb_show
	echo "== frames to the static entry go to c0... now b0 (replaced)"
	from_a "to:02:00:00:00:ee:01/02:00:00:00:ee:02"
	echo "== bridge fdb get"
	ip netns exec bs bridge -j fdb get $BMAC br br0 | jq -c '.[] | del(.used, .updated)'
	ip netns exec bs bridge fdb get 02:00:00:00:99:99 br br0 2>&1 && echo "(found)"
	echo "== fdb_flush on pc, then on the bridge"
	ip -n bs link set pc type bridge_slave fdb_flush
	ip -n bs link set br0 type bridge fdb_flush
	fdb_show
	sleep 0.5
	kill $mon
	wait $mon || true
	echo "== monitor (sorted: a flush goes in table order)"
	sed 's/ used [0-9]*\/[0-9]*//' $OUT/monitor.$1 | sort
	untopo
}
test_fdb_matches_c() { same_as_c fdb_case; }

# `bridge link show/set`, `bridge vlan show` and `bridge monitor link`
# (AF_BRIDGE link messages, IFLA_PROTINFO), as C.
link_case() {
	# No forward-delay timers (forward_delay 0: neither bridge arms
	# them): their expiry, announced by both, would land in or out of
	# the monitor's window depending on the machine's load.
	topo "$1" forward_delay 0
	# The ports' and the bridge's own carrier/operstate messages
	# (linkwatch, delayed under load) come before the monitor starts:
	# their states waited for (a bound: the comparison with C judges),
	# then time for the messages.
	wait_for 10 bs_oper_up pa pb pc br0 || true
	sleep 1.5
	ip netns exec bs bridge monitor link >$OUT/linkmon.$1 2>&1 &
	local mon=$! c
	sleep 0.5
	ip netns exec bs bridge -j -d link show | jq -S -c '.[] | del(.ifindex, .link_index, .forward_delay_timer)'
	for c in "dev pa hairpin on" "dev pb learning off cost 5 priority 3 isolated on" \
		"dev pc state 2" "dev pc state 5" "dev pb guard on root_block on flood off" \
		"dev br0 hairpin on"; do
		echo "== bridge link set $c"
		ip netns exec bs bridge link set $c 2>&1 && echo ok
		sleep 0.3
	done
	ip netns exec bs bridge -j -d link show | jq -S -c '.[] | del(.ifindex, .link_index, .forward_delay_timer)'
	echo "== bridge vlan show"
	ip netns exec bs bridge -j vlan show | jq -S -c '.'
	echo "== pc down and up"
	ip -n bs link set pc down
	sleep 0.5
	ip -n bs link set pc up
	# pc's carrier message comes from linkwatch too (a bound).
	wait_for 10 bs_oper_up pc || true
	sleep 1
	kill $mon
	wait $mon || true
	echo "== monitor"
	cat $OUT/linkmon.$1
	untopo
}
test_bridge_link_matches_c() { same_as_c link_case; }

# `ip -d link show` of a bridge with options, minus what differs between
# any two bridges (ifindex, timers that run).
show_case() {
	use "$1"
	netns_add bs
	ip -n bs link add br0 address $BRMAC type bridge ageing_time 1234 group_fwd_mask 0x4000 \
		hello_time 300 max_age 1000 forward_delay 900 priority 100
	expect_driver br0 "$(bdrv "$1")" bs
	ip -n bs -d -j link show br0 | jq -S '.[0] | del(.ifindex) | .linkinfo.info_data |= del(.gc_timer)'
	ip -n bs -d link show br0 | sed -n '3p' | sed 's/gc_timer *[0-9.]*//'
	echo "== with a port: MTU and address follow the port"
	ip link add pa netns bs mtu 1400 address 02:00:00:00:00:01 type veth peer name a0 netns bs
	ip -n bs link set br0 address 02:00:00:00:00:ff
	ip -n bs link set pa master br0
	ip -n bs -j link show br0 | jq -c '.[0] | [.mtu, .address, .operstate]'
	ip -n bs link set pa nomaster
	ip -n bs -j link show br0 | jq -c '.[0] | [.mtu, .address]'
	ip netns del bs
}
test_link_show_matches_c() { same_as_c show_case; }

# A bridge's carrier and operstate as they follow its ports: C turns the
# carrier off whenever the bridge id changes while no port forwards (an
# address given at creation, the first port's address taken), so the
# carrier that a forwarding port brings back makes the operstate UP; a
# bridge never selected for keeps its first carrier (UNKNOWN). linkwatch
# sets operstate later (delayed work): each state is waited for, as C's
# (a bound: the comparison with C judges). $1 = driver.
oper_case() {
	use "$1"
	netns_add bs
	local b
	ip -n bs link add br0 address $BRMAC type bridge forward_delay 0
	ip -n bs link add br1 type bridge forward_delay 0
	for b in br0 br1; do
		expect_driver $b "$(bdrv "$1")" bs
		ip -n bs link set $b up
	done
	oper_show "bridges up, no port" br0:down br1:unknown
	for b in 0 1; do
		ip -n bs link add p$b type veth peer name q$b
		ip -n bs link set q$b up
		ip -n bs link set p$b up
		ip -n bs link set p$b master br$b
	done
	oper_show "a forwarding port each" br0:up br1:up
	ip -n bs link set p0 nomaster
	ip -n bs link set p1 nomaster
	oper_show "ports released" br0:down br1:down
	ip -n bs link set p1 master br1
	oper_show "br1's port back" br0:down br1:up
	ip -n bs link set br1 address 02:00:00:00:00:b1
	ip -n bs link set q1 down
	oper_show "br1 addressed, its port's carrier off" br0:down br1:down
	ip netns del bs
}

# Whether bs's devices have the operstates DEV:STATE... given.
oper_is() { # dev:state...
	local d
	for d in "$@"; do
		[ "$(ip netns exec bs cat "/sys/class/net/${d%%:*}/operstate")" = "${d#*:}" ] || return 1
	done
}

# After a label, each bridge's flags and operstate once they reached
# the states C reaches (waited for: a bound).
oper_show() { # label dev:state...
	echo "== $1"
	shift
	wait_for 10 oper_is "$@" || true
	ip -n bs -j link show type bridge | jq -c '.[] | [.ifname, .flags, .operstate]'
}
test_operstate_matches_c() {
	same_as_c oper_case
	assert_contains "$(cat "$SAME_AS_C_RUST")" '["br0",["BROADCAST","MULTICAST","UP","LOWER_UP"],"UP"]'
}

# /sys/class/net/<br>/bridge/, brif/, <port>/brport/ (C: br_sysfs_br.c,
# br_sysfs_if.c): files, modes, values, writes and their errors; brctl
# (which reads sysfs); a renamed port's brif link; brport gone with the
# port.
sysfs_case() {
	local w v B=/sys/class/net/sbr0 P=/sys/class/net/sp0/brport
	use "$1"
	ip link add sbr0 address $BRMAC type bridge
	expect_driver sbr0 "$(bdrv "$1")"
	ip link add sp0 address 02:00:00:00:05:01 type veth peer name sq0
	ip link add sp1 address 02:00:00:00:05:02 type veth peer name sq1
	ip link set sp0 master sbr0
	ip link set sp1 master sbr0
	ip link set sq0 up
	ip link set sp0 up
	ip link set sbr0 up
	echo "== bridge/"
	sysfs_dump $B/bridge
	echo "== brif/"
	sysfs_dump $B/brif
	echo "== sp0/brport/"
	sysfs_dump $P
	echo "== bridge writes"
	for w in forward_delay:1000 hello_time:300 hello_time:5000 max_age:700 max_age:100 \
		ageing_time:6000 ageing_time:abc ageing_time:12x ageing_time:0x1f4 ageing_time:010 \
		group_fwd_mask:0x4000 group_fwd_mask:1 priority:4096 priority:70000 \
		group_addr:01:80:c2:00:00:0e group_addr:01:80:c2:00:00:01 group_addr:02:80:c2:00:00:0e \
		group_addr:nonsense no_linklocal_learn:1 flush:1 stp_state:0 vlan_filtering:0 \
		vlan_protocol:0x8100 vlan_protocol:0x0800 default_pvid:1 default_pvid:4095 \
		vlan_stats_enabled:0 vlan_stats_enabled:2 vlan_stats_per_port:0 root_port:1; do
		sysfs_write "$B/bridge/${w%%:*}" "${w#*:}"
	done
	echo "== port writes"
	for w in path_cost:50 path_cost:0 path_cost:x path_cost:70x priority:10 priority:64 \
		hairpin_mode:1 learning:0 unicast_flood:0 multicast_flood:0 broadcast_flood:0 \
		isolated:1 bpdu_guard:1 root_block:1 group_fwd_mask:0x8 group_fwd_mask:2 flush:1 \
		backup_port: state:1 port_no:3; do
		sysfs_write "$P/${w%%:*}" "${w#*:}"
	done
	if v=$(cat $P/flush 2>&1); then
		echo "read flush: $v"
	else
		echo "read flush: ${v##*: }"
	fi
	echo "== after the writes"
	sysfs_dump $B/bridge
	sysfs_dump $P
	ip -d -j link show sp0 | jq -c '.[0].linkinfo.info_slave_data | del(.forward_delay_timer)'
	echo "== brctl"
	brctl show sbr0
	brctl showstp sbr0 | sed -E "s/(gc timer|forward delay timer)[[:space:]]+[0-9.]+/\1 <t>/g"
	brctl showmacs sbr0
	echo "== sp1 renamed sp9: its brif link follows"
	ip link set sp1 name sp9
	sysfs_dump $B/brif
	readlink /sys/class/net/sp9/brport/bridge
	echo "== sp0 leaves: its brport and brif link go"
	ip link set sp0 nomaster
	ls $B/brif
	[ ! -e $P ] || fail "$P left behind"
	ip link del sbr0
	[ -e /sys/class/net/sp9/brport ] && fail "sp9/brport left behind with its bridge"
	ip link del sp0
	ip link del sp9
}
test_sysfs_matches_c() { same_as_c sysfs_case; }

# The bridge ioctls as brctl uses them (C: br_ioctl.c): addbr/delbr
# (SIOCBRADDBR, SIOCSIFBR), addif/delif (SIOCBRADDIF), the errors brctl
# prints for each refusal, and `brctl show` with no bridge (SIOCGIFBR
# BRCTL_GET_BRIDGES).
ioctl_case() {
	use "$1"
	outcome brctl addbr ibr0
	expect_driver ibr0 "$(bdrv "$1")"
	outcome brctl addbr ibr0
	ip link add iv0 address 02:00:00:00:06:01 type veth peer name iw0
	ip link add iv1 address 02:00:00:00:06:02 type veth peer name iw1
	outcome brctl addif ibr0 iv0
	outcome brctl addif ibr0 iv0
	outcome brctl addif ibr0 nosuch0
	outcome brctl addif ibr0 ibr0
	outcome brctl addif iv1 iv0
	outcome brctl addif nosuch0 iv1
	outcome brctl addif ibr0 iv1
	brctl show ibr0
	ip -d -j link show iv1 | jq -c '.[0].linkinfo.info_slave_kind'
	outcome brctl delif ibr0 iw1
	outcome brctl delif ibr0 iv1
	outcome brctl delif ibr0 iv1
	ip link set ibr0 up
	outcome brctl delbr ibr0
	ip link set ibr0 down
	outcome brctl delbr iv1
	outcome brctl delbr ibr0
	outcome brctl delbr ibr0
	echo "== a name with %d"
	outcome brctl addbr 'xbr%d'
	expect_driver xbr0 "$(bdrv "$1")"
	ip -d -j link show xbr0 | jq -c '.[0] | {ifname, kind: .linkinfo.info_kind, stp: .linkinfo.info_data.stp_state}'
	ip link del xbr0
	echo "== no bridge left"
	outcome brctl show
	ip link del iv0
	ip link del iv1
}
test_ioctl_matches_c() { same_as_c ioctl_case; }

# The legacy bridge ioctls (C: br_ioctl.c), issued directly as libbridge
# does (tests/lib/brioctl.py: SIOCGIFBR and SIOCDEVPRIVATE BRCTL_*, the
# structures byte for byte, running timers masked), and brctl's setters,
# which fall back to them when a sysfs write is refused. STP stays off
# (rvnet_bridge refuses it).
legacy_case() {
	use "$1"
	ip link add lbr0 address $BRMAC type bridge
	expect_driver lbr0 "$(bdrv "$1")"
	ip link add lv0 address 02:00:00:00:07:01 type veth peer name lw0
	ip link add lv1 address 02:00:00:00:07:02 type veth peer name lw1
	sysctl -qw net.ipv6.conf.lw0.disable_ipv6=1 net.ipv6.conf.lv0.disable_ipv6=1
	ip link set lv0 master lbr0
	ip link set lv1 master lbr0
	ip link set lw0 up
	ip link set lv0 up
	ip link set lbr0 up
	python3 "$RVNET_ROOT/tests/lib/brioctl.py" version -- bridges 8 -- bridges 0 -- info lbr0 -- info lv0 \
		-- ports lbr0 0 -- ports lbr0 -1 -- ports lbr0 2 -- pinfo lbr0 1 -- pinfo lbr0 2 -- pinfo lbr0 9 \
		-- fdb lbr0 100 0 -- fdb lbr0 100 100 \
		-- set lbr0 8 1000 -- set lbr0 9 300 -- set lbr0 9 5000 -- set lbr0 10 700 -- set lbr0 10 100 \
		-- set lbr0 11 6000 -- set lbr0 14 0 -- set lbr0 15 4096 -- set lbr0 16 1 10 -- set lbr0 16 1 64 \
		-- set lbr0 16 9 1 -- set lbr0 17 2 50 -- set lbr0 17 2 0 -- set lbr0 99 0 \
		-- info lbr0 -- pinfo lbr0 1 -- pinfo lbr0 2
	echo "== brctl setters"
	outcome brctl sethello lbr0 20
	outcome brctl setmaxage lbr0 2
	outcome brctl setfd lbr0 4
	outcome brctl setportprio lbr0 lv0 99
	outcome brctl setpathcost lbr0 lv1 0
	outcome brctl setpathcost lbr0 lv1 33
	outcome brctl setageing lbr0 30
	outcome brctl hairpin lbr0 lv0 on
	brctl showstp lbr0 | sed -E "s/(gc timer|forward delay timer)[[:space:]]+[0-9.]+/\1 <t>/g"
	ip link del lbr0
	ip link del lv0
	ip link del lv1
}
test_legacy_ioctls_match_c() { same_as_c legacy_case; }

# The bridge's address without a user-set one: the lowest port address,
# then zero when the last port goes (C); its MTU: the smallest port's.
addr_case() {
	use "$1"
	netns_add bs
	ip -n bs link add br0 type bridge
	expect_driver br0 "$(bdrv "$1")" bs
	ip link add pa netns bs mtu 1400 address 02:00:00:00:00:09 type veth peer name a0 netns bs
	ip link add pb netns bs mtu 1300 address 02:00:00:00:00:03 type veth peer name b0 netns bs
	ip -n bs link set pa master br0
	ip -n bs -j link show br0 | jq -c '.[0] | [.mtu, .address]'
	ip -n bs link set pb master br0
	ip -n bs -j link show br0 | jq -c '.[0] | [.mtu, .address]'
	ip -n bs link set pb address 02:00:00:00:00:0a
	ip -n bs -j link show br0 | jq -c '.[0] | [.mtu, .address]'
	ip -n bs link set pa mtu 1200
	ip -n bs -j link show br0 | jq -c '.[0] | [.mtu, .address]'
	ip -n bs link set br0 mtu 1000
	ip -n bs link set pa nomaster
	ip -n bs -j link show br0 | jq -c '.[0] | [.mtu, .address]'
	ip -n bs link set pb nomaster
	ip -n bs -j link show br0 | jq -c '.[0] | [.mtu, .address]'
	ip netns del bs
}
test_address_and_mtu_follow_ports_matches_c() { same_as_c addr_case; }

# The bridge's features: C's set without ports, then what its ports offer
# (br_features_recompute), recomputed when a port's change or a port goes.
features_case() {
	use "$1"
	netns_add bs
	ip -n bs link add br0 type bridge
	expect_driver br0 "$(bdrv "$1")" bs
	ip -n bs link add pa type veth peer name a0
	ip -n bs link add d0 type dummy
	echo "== no port"
	ip netns exec bs ethtool -k br0
	ip -n bs link set pa master br0
	ip -n bs link set d0 master br0
	echo "== veth and dummy ports"
	ip netns exec bs ethtool -k br0
	ip netns exec bs ethtool -K pa tx off sg off 2>&1
	echo "== the veth's tx checksum and sg off"
	ip netns exec bs ethtool -k br0
	ip -n bs link set d0 nomaster
	echo "== the dummy gone"
	ip netns exec bs ethtool -k br0
	ip netns del bs
}
test_features_follow_ports_matches_c() { same_as_c features_case; }

# Extended statistics (RTM_GETSTATS, `ip link xstats`) of the bridge and
# of a port, raw and as ip prints them; a device that left has none.
xstats_case() {
	use "$1"
	netns_add bs
	ip -n bs link add br0 type bridge
	expect_driver br0 "$(bdrv "$1")" bs
	ip -n bs link add pa type veth peer name a0
	ip -n bs link set pa master br0
	ip -n bs link set pa up
	ip -n bs link set br0 up
	local d
	for d in br0 pa; do
		echo "== $d"
		ip netns exec bs $RTNL xstats $d
	done
	echo "== ip link xstats"
	ip -n bs link xstats type bridge dev br0
	ip -n bs link xstats type bridge_slave dev pa
	ip -n bs link set pa nomaster
	echo "== pa released"
	ip netns exec bs $RTNL xstats pa
	ip netns del bs
}
test_xstats_matches_c() { same_as_c xstats_case; }

# A port's path cost follows its link speed when its carrier comes up,
# unless the user set one (C: br_port_carrier_check). The port is a C
# bond: no slave, no speed (cost 100); a 10G veth enslaved brings its
# carrier up with the veth's speed (cost 2).
cost_case() {
	use "$1"
	unload_modules rvnet_bond
	modprobe bonding max_bonds=0 || fail "modprobe bonding"
	netns_add bs
	ip -n bs link add br0 type bridge
	expect_driver br0 "$(bdrv "$1")" bs
	ip -n bs link add bd0 type bond mode active-backup
	ip -n bs link add bd1 type bond mode active-backup
	ip -n bs link add v0 type veth peer name w0
	ip -n bs link add v1 type veth peer name w1
	ip -n bs link set w0 up
	ip -n bs link set w1 up
	local p
	for p in bd0 bd1; do ip -n bs link set $p master br0 up; done
	ip -n bs link set br0 up
	ip -n bs link set bd1 type bridge_slave cost 50
	bridge -n bs -j link show | jq -c '[.[] | [.ifname, .cost]]'
	ip -n bs link set v0 master bd0
	ip -n bs link set v1 master bd1
	bridge -n bs -j link show | jq -c '[.[] | [.ifname, .cost]]'
	ip netns del bs
	rmmod bonding || fail "rmmod bonding"
}
test_path_cost_follows_carrier_matches_c() { same_as_c cost_case; }

# Bad requests: the same errno and message as C.
errors_case() {
	use "$1"
	netns_add bs
	ip -n bs link add br0 type bridge
	ip -n bs link add br1 type bridge
	expect_driver br0 "$(bdrv "$1")" bs
	ip -n bs link add d0 type dummy
	local c
	for c in "link set lo master br0" "link set br1 master br0" "link set br0 master br0" \
		"link set br0 type bridge hello_time 50" "link set br0 type bridge max_age 5000" \
		"link set br0 type bridge group_fwd_mask 1" "link set br0 type bridge group_fwd_mask 0x7" \
		"link set br0 type bridge group_address 01:80:c2:00:00:01" \
		"link set br0 type bridge group_address 01:80:c2:00:00:20" \
		"link add br2 type bridge vlan_protocol 802.1ad vlan_default_pvid 4095" \
		"link add br3 address 01:00:00:00:00:01 type bridge" \
		"link set br0 netns 1"; do
		echo "== ip $c"
		ip -n bs $c 2>&1 && echo "(no error)"
	done
	ip -n bs link set d0 master br0
	echo "== d0 in br0, then into br1"
	ip -n bs link set d0 master br1 2>&1 && echo "(no error)"
	ip netns del bs
}
test_errors_match_c() { same_as_c errors_case; }

# What rvnet_bridge does not implement is refused by name, never ignored.
test_rust_unimplemented_options_refused() {
	use rust
	netns_add bs
	ip -n bs link add br0 type bridge
	expect_driver br0 rvnet_bridge bs
	local o out
	for o in "stp_state 1" "vlan_filtering 1" "mcast_querier 1" "nf_call_iptables 1" \
		"mcast_router 2" "vlan_stats_enabled 1"; do
		if out=$(ip -n bs link set br0 type bridge $o 2>&1); then
			fail "'$o' accepted"
		fi
		assert_contains "$out" "not supported"
	done
	# The defaults are accepted (tools set them explicitly), and snooping
	# off (what this bridge does: the upstream selftests ask for it).
	check "defaults" ip -n bs link set br0 type bridge stp_state 0 vlan_filtering 0 mcast_snooping 1 mcast_snooping 0
	ip netns del bs
}

# /proc/net/bridge/<br>: ports, states and the FDB counts follow the
# bridge; a learned address ages out after ageing_time.
test_rust_proc_and_ageing() {
	topo rust ageing_time 150
	local p=/proc/net/bridge/br0
	check "proc file" ip netns exec bs test -r $p
	local s
	s=$(ip netns exec bs cat $p)
	assert_contains "$s" "Bridge: br0 (rvnet_bridge)"
	assert_contains "$s" "Ageing time: 1.50 s"
	assert_contains "$s" "pa                  1 0x8001 forwarding       2 learning flood mcast_flood bcast_flood"
	$FLOWS run --tx hb:b0 --rx ha:a0 --set "to:$AMAC" --src $BMAC --quiet 0.2 >/dev/null
	s=$(ip netns exec bs cat $p)
	assert_contains "$s" "learned 1,"
	learned_gone() { ip netns exec bs grep -q "learned 0," $p; }
	wait_for 10 learned_gone || fail "learned entry never aged out: $(ip netns exec bs cat $p)"
	ip -n bs link set pc down
	s=$(ip netns exec bs cat $p)
	assert_contains "$s" "pc                  3 0x8003 disabled"
	ip -n bs link set pc nomaster
	s=$(ip netns exec bs cat $p)
	[[ $s != *"pc "* ]] || fail "pc still listed: $s"
	untopo
}

# IFLA_BR_FDB_N_LEARNED of br0 (iproute2 6.1 does not print it).
n_learned() {
	ip netns exec bs python3 "$RVNET_ROOT/tests/lib/rtnl.py" infodata br0 |
		sed -n 's/^48=//p' | python3 -c 'import sys; print(int.from_bytes(bytes.fromhex(sys.stdin.read().strip()), "little"))'
}

# 10,000 random sources from one host: at most fdb_max_learned of them
# are learned, and all of them age out, as C.
learn_limit_case() {
	# Learned with the default ageing (300 s), then aged with 10 s: under
	# load the 10,000 frames took longer than 10 s to send, and entries
	# aged before they were counted.
	topo "$1"
	ip netns exec bs python3 "$RVNET_ROOT/tests/lib/rtnl.py" changelink br0 bridge 49=u32:3000
	ip netns exec ha mausezahn a0 -q -a rand -b ff:ff:ff:ff:ff:ff -c 10000 -t udp
	echo "learned: $(n_learned)"
	ip -n bs link set br0 type bridge ageing_time 1000
	# Ageing 10 s; each look costs a python start (seconds under TCG).
	local i n
	for i in $(seq 15); do
		n=$(n_learned)
		[ "$n" != 0 ] || break
		sleep 2
	done
	echo "after ageing: $n"
	untopo
}
test_learn_limit_and_age_out_matches_c() { same_as_c learn_limit_case; }

# Every IFLA_BR_* and IFLA_BRPORT_* attribute with payloads of every
# size (empty, 1, 2, 4, 8 and 16 bytes of 0x00 and of 0xff), sent raw over
# netlink: each gets an answer (accepted or an errno), none a splat, and
# the bridge still forwards afterwards (rvnet_bridge has no netlink
# policy: the typed getters check every size).
test_rust_bad_attributes_no_splat() {
	topo rust
	ip -n ha addr add 10.41.0.1/24 dev a0
	ip -n hb addr add 10.41.0.2/24 dev b0
	local t p out
	out=$(for t in $(seq 1 49); do
		for p in "" 00 ff 0000 ffff 00000000 ffffffff 0000000000000000 \
			ffffffffffffffff 00000000000000000000000000000000 ffffffffffffffffffffffffffffffff; do
			echo "changelink br0 bridge $t=raw:$p"
			echo "slavechangelink pc bridge $t=raw:$p"
		done
	done | ip netns exec bs python3 "$RVNET_ROOT/tests/lib/rtnl.py" batch 2>&1)
	# Every request got an answer.
	assert_eq "$(grep -cE '^[0-9]+ (ok|error)' <<<"$out")" 1078 "answers to 1078 requests"
	# Put back what the sweep may have changed on the path a0 -> b0.
	ip -n bs link set br0 type bridge ageing_time 30000 group_fwd_mask 0
	ip -n bs link set pa type bridge_slave learning on flood on mcast_flood on bcast_flood on isolated off state 3
	ip -n bs link set pb type bridge_slave learning on flood on mcast_flood on bcast_flood on isolated off state 3
	expect_driver br0 rvnet_bridge bs
	check "ping across the bridge after the sweep" ip netns exec ha ping -c 2 -i 0.2 -W 2 10.41.0.2
	untopo
}

# C bridge.ko never runs beside rvnet_bridge: refused while it is loaded,
# and rvnet_bridge cannot register while C's is.
test_rust_c_bridge_refused_while_loaded() {
	# driver: none (module loading only)
	use rust
	local out
	if out=$(modprobe bridge 2>&1); then
		fail "C bridge loaded beside rvnet_bridge"
	fi
	module_loaded bridge && fail "bridge is loaded"
	dmesg | grep -q "rvnet_bridge: refusing to load bridge" || fail "no log line: $out"
	unload_modules rvnet_bridge
	check "C bridge loads alone" modprobe bridge
	if insmod "$RVNET_ROOT/drivers/bridge/rvnet_bridge.ko" 2>/dev/null; then
		fail "rvnet_bridge loaded beside C bridge"
	fi
	unload_modules bridge
}

# Deleting the bridge, its ports, its namespace and the module while
# traffic flows through it: no splat, no leak (the harness checks).
test_rust_teardown_under_traffic() {
	topo rust
	ip -n ha addr add 10.40.0.1/24 dev a0
	ip -n hb addr add 10.40.0.2/24 dev b0
	check "ping across the bridge" ip netns exec ha ping -c 2 -i 0.2 -W 2 10.40.0.2
	ip netns exec ha ping -f -w 4 10.40.0.2 >/dev/null 2>&1 &
	local pid=$!
	sleep 1
	ip -n bs link set pb nomaster
	ip -n bs link set pb master br0
	ip -n bs link del pc
	ip netns del bs
	sleep 1
	unload_modules rvnet_bridge
	wait $pid || true
	untopo
}

ktap_run_suite bridge
