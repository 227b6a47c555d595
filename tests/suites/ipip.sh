#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rvnet_ipip (IPv4-in-IPv4, link kind ipip) against Linux's C ipip.ko in
# one boot: every behaviour runs once per driver inside one test
# (same_as_c: C then Rust, outputs diffed), and the values expected here
# are checked on C's output (so the diff checks them on Rust's). The fallback device
# tunl0, the link attributes and errors, the legacy ioctl path (ip tunnel),
# the bytes on the underlay (tcpdump -xx, outer IP ID and checksums
# masked), packets from a peer without a tunnel (tests/lib/tunnel_peer.py),
# unload and teardown under traffic, and rvnet_ipip's /proc/net/tunnels.
# cost: 145 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"
source "$RVNET_ROOT/tests/lib/tunnel.sh"
# A failed command inside $(...) fails the test too.
shopt -s inherit_errexit

# The tunnel-less peer's protocol (peer, tests/lib/tunnel.sh).
TUNNEL_PROTO=ipip
# The tunnel's packets on an underlay and their decoder (tunnel_netns_move).
TUNNEL_WIRE='ip proto 4'
TUNNEL_FRAME=frame

# Load driver $1 (c|rust) alone; both are unloaded when the test ends (the
# harness does not know these modules, and tunl0 in the initial namespace
# would fail left_guest_clean).
use() {
	use_driver ipip "$1"
	trap 'unload_modules rvnet_ipip ipip' EXIT
}

# State and check the driver behind ipip device DEV: rvnet_ipip names
# itself to `ethtool -i`. C ipip.ko sets no ethtool_ops, so for its
# devices the kernel reports the link kind, "ipip", which is also what a
# driver of ours without drvinfo would show: for C the check adds that
# ipip.ko is loaded and rvnet_ipip is not (one owner of the kind).
ipdrv() { # c|rust DEV [NETNS]
	expect_driver "$2" "$(driver_module ipip "$1")" "${3:-}"
	[ "$1" = c ] || return 0
	module_loaded ipip || fail "C ipip.ko is not loaded"
	if module_loaded rvnet_ipip; then
		fail "rvnet_ipip is loaded beside C ipip.ko"
	fi
}

# ipip devices of netns $1 (or one, $2), one normalised JSON line each.
links() { # ns [dev]
	if [ -n "${2:-}" ]; then
		ip -n "$1" -d -j link show "$2" | jq -c -S ".[] | $NORM"
	else
		ip -n "$1" -d -j link show type ipip | jq -c -S ".[] | $NORM"
	fi
}

# ---- 1. the fallback device tunl0 ----

fallback_case() { # c|rust
	use "$1"
	netns_add if1 # made after the load: gets its own tunl0
	ipdrv "$1" tunl0
	ipdrv "$1" tunl0 if1
	echo "init: $(ip -d -j link show tunl0 | jq -c -S ".[] | $NORM")"
	echo "netns: $(links if1 tunl0)"
	outcome ip -n if1 link del tunl0
	if ip -n if1 link show tunl0 >/dev/null 2>&1; then
		echo "after del: tunl0 exists"
	else
		echo "after del: tunl0 gone"
	fi
	outcome ip -n if1 link set tunl0 type ipip remote 10.1.2.3
	outcome ip -n if1 link set tunl0 up
	echo "up: $(links if1 tunl0 | jq -c '{flags, operstate}')"
	# net.core.fb_tunnels_only_for_init_net=1: a new namespace gets none.
	sysctl -qw net.core.fb_tunnels_only_for_init_net=1
	netns_add if2
	sysctl -qw net.core.fb_tunnels_only_for_init_net=0
	echo "fb_tunnels_only_for_init_net=1: $(ip -n if2 -j link show | jq -c '[.[].ifname]')"
}

test_rust_fallback_matches_c() {
	same_as_c fallback_case
	local o
	o=$(c_out)
	assert_contains "$o" '"ifname":"tunl0"'
	assert_contains "$o" '"info_kind":"ipip"'
	assert_contains "$o" '"link_type":"ipip"'
	assert_contains "$o" "ip -n if1 link del tunl0: rc 0"
	assert_contains "$o" "after del: tunl0 exists"
	assert_contains "$o" 'fb_tunnels_only_for_init_net=1: ["lo"]'
}

# ---- 2. create, show, change, delete; errors ----

config_case() { # c|rust
	use "$1"
	netns_add ic
	ip -n ic -batch - <<'EOF'
link add d0 type dummy
link set d0 up
link add t1 type ipip local 10.0.0.1 remote 10.0.0.2
link add t2 type ipip local 10.0.1.1 remote 10.0.1.2 ttl 64 tos 0x10 pmtudisc
link add t3 type ipip local 10.0.2.1 remote 10.0.2.2 ttl inherit tos inherit nopmtudisc dev d0
link add t4 type ipip local 10.0.3.1 remote 10.0.3.2 mode mplsip fwmark 5
link add t5 type ipip local 10.0.4.1 remote 10.0.4.2 mode any ttl 1
link add t6 type ipip local 10.0.5.1
link add t7 type ipip remote 10.0.6.2
link add t8 type ipip local 10.0.7.1 remote 10.0.7.2 encap fou encap-sport auto encap-dport 5555
link add t9 type ipip local 10.0.8.1 remote 10.0.8.2 encap gue encap-sport 1234 encap-dport 5556 encap-csum
EOF
	local t
	for t in t1 t2 t3 t4 t5 t6 t7 t8 t9; do
		ipdrv "$1" $t ic
	done
	links ic
	ip -n ic -batch - <<'EOF'
link set t1 type ipip remote 10.0.0.3 ttl 32 tos 0x20
link set t3 type ipip pmtudisc ttl 10 tos 0x04
link set t4 type ipip mode ipip fwmark 0
link set t6 up
EOF
	echo "changed:"
	links ic t1
	links ic t3
	links ic t4
	links ic t6
	ip -n ic link del t2
	if ip -n ic link show t2 >/dev/null 2>&1; then
		fail "t2 survived ip link del"
	fi
	echo "deleted t2: $(ip -n ic -j link show type ipip | jq -c '[.[].ifname]')"
}

test_rust_create_show_matches_c() {
	same_as_c config_case
	local o
	o=$(c_out)
	assert_contains "$o" '"ifname":"t1"'
	assert_contains "$o" '"local":"10.0.0.1","pmtudisc":true,"proto":"any","remote":"10.0.0.2","ttl":0'
	assert_contains "$o" '"ttl":64'
	assert_contains "$o" '"fwmark":"0x5"'
	assert_contains "$o" '"proto":"mplsip"'
	assert_contains "$o" '"proto":"any"'
	assert_contains "$o" '"remote":"10.0.0.3"'
	assert_contains "$o" '"link":"d0"'
	assert_contains "$o" 'deleted t2: ["tunl0","t1","t3","t4","t5","t6","t7","t8","t9"]'
	# FOU and GUE: the encapsulation shown, the MTU 8 (FOU) and 12 (GUE)
	# bytes below an unencapsulated tunnel's.
	assert_contains "$o" '"fou"'
	assert_contains "$o" '"gue"'
	assert_eq "$(links ic t8 | jq .mtu) $(links ic t9 | jq .mtu)" "1472 1468" "FOU/GUE MTU"
}

errors_case() { # c|rust
	use "$1"
	netns_add ie
	ip -n ie -batch - <<'EOF'
link add t1 type ipip local 10.0.0.1 remote 10.0.0.2
link add t2 type ipip local 10.0.1.1 remote 10.0.1.2
EOF
	ipdrv "$1" t1 ie
	# The same endpoints twice; no endpoint at all (tunl0's); a change
	# onto another tunnel's endpoints; a protocol ip refuses to send
	# (IFLA_IPTUN_PROTO = 9: UDP); changing tunl0.
	outcome ip -n ie link add t9 type ipip local 10.0.0.1 remote 10.0.0.2
	outcome ip -n ie link add t9 type ipip
	outcome ip -n ie link set t2 type ipip local 10.0.0.1 remote 10.0.0.2
	outcome ip netns exec ie python3 "$RVNET_ROOT/tests/lib/rtnl.py" newlink t8 ipip 9=u8:17
	outcome ip -n ie link set tunl0 type ipip local 10.0.7.1
	local m
	for m in 70000 65516 65515 68 67 60; do
		outcome ip -n ie link set t1 mtu $m
	done
	ip -n ie -d -j link show t1 | jq -c '.[0] | {mtu, min_mtu, max_mtu}'
	outcome ip -n ie link add t8 mtu 60 type ipip local 10.0.8.1 remote 10.0.8.2
	echo "t8 mtu: $(ip -n ie -j link show t8 | jq '.[0].mtu')"
	outcome ip -n ie link del t1
	outcome ip -n ie link del t1
	echo "left: $(ip -n ie -j link show type ipip | jq -c '[.[].ifname]')"
}

test_rust_errors_match_c() {
	same_as_c errors_case
	local o
	o=$(c_out)
	assert_contains "$o" "remote 10.0.0.2: rc 2: RTNETLINK answers: File exists"
	assert_contains "$o" "mtu 70000: rc 2"
	assert_contains "$o" "mtu 60: rc 2"
	assert_contains "$o" "mtu 68: rc 0"
	assert_contains "$o" "mtu 67: rc 2"
	assert_contains "$o" 'left: ["tunl0","t2","t8"]'
}

# The legacy ioctls (SIOCADDTUNNEL & co. on tunl0), which `ip tunnel` uses.
ioctl_case() { # c|rust
	use "$1"
	netns_add it
	outcome ip -n it tunnel add t2 mode ipip remote 10.9.0.2 local 10.9.0.1 ttl 10 tos 0x08
	ipdrv "$1" t2 it
	links it t2
	ip -n it tunnel show | sort
	outcome ip -n it tunnel add t3 mode ipip remote 10.9.0.2 local 10.9.0.1
	outcome ip -n it tunnel change t2 mode ipip remote 10.9.0.3 local 10.9.0.1 ttl 20 tos inherit
	links it t2
	outcome ip -n it tunnel change t2 mode ipip remote 10.9.0.3 local 10.9.0.1 ttl inherit nopmtudisc
	ip -n it tunnel show t2
	ip -n it link add t4 type ipip local 10.9.1.1 remote 10.9.1.2 ttl 5
	ip -n it tunnel show t4
	outcome ip -n it tunnel del t2
	outcome ip -n it tunnel del tunl0
	ip -n it tunnel show | sort
}

test_rust_ioctl_tunnel_matches_c() {
	same_as_c ioctl_case
	local o
	o=$(c_out)
	assert_contains "$o" "tunnel add t2 mode ipip remote 10.9.0.2 local 10.9.0.1 ttl 10 tos 0x08: rc 0"
	assert_contains "$o" "t2: ip/ip remote 10.9.0.2 local 10.9.0.1 ttl 10 tos 0x08"
	assert_contains "$o" "t2: ip/ip remote 10.9.0.3 local 10.9.0.1 ttl 20 tos inherit"
	assert_contains "$o" 'add tunnel "tunl0" failed: File exists'
	assert_contains "$o" 'delete tunnel "tunl0" failed: Operation not permitted'
	assert_contains "$o" "t4: any/ip remote 10.9.1.2 local 10.9.1.1 ttl 5"
}

# ---- 3. traffic: two namespaces, a tunnel each side ----

# ia (a0 192.168.91.1) and ib (b0 192.168.91.2) joined by a veth pair,
# tunnel t0 each side (inner 10.91.0.1 and .2), with the ipip options
# $2 in ia and $3 in ib (words).
tunnels_pair() { # c|rust ARGS_A ARGS_B
	netns_pair ia ib a0 b0
	printf '%s\n' "addr add 192.168.91.1/24 dev a0" \
		"link add t0 type ipip local 192.168.91.1 remote 192.168.91.2 $2" \
		"addr add 10.91.0.1/24 dev t0" "link set t0 up" | ip -n ia -batch -
	printf '%s\n' "addr add 192.168.91.2/24 dev b0" \
		"link add t0 type ipip local 192.168.91.2 remote 192.168.91.1 $3" \
		"addr add 10.91.0.2/24 dev t0" "link set t0 up" | ip -n ib -batch -
	ipdrv "$1" t0 ia
	ipdrv "$1" t0 ib
}

# One captured packet (hex from the outer IP header) as "outer FIELDS |
# inner FIELDS | HEX" with the fields no tunnel decides masked: outer and
# inner IP ID and checksum, ICMP checksum and id.
frame() { # hex
	local h=$1 i v=()
	for i in 1 6 8 9 21 28 40; do
		v+=($((16#${h:$((i * 2)):2})))
	done
	h="${h:0:8}xxxx${h:12:8}xxxx${h:24:24}xxxx${h:52:8}xxxx${h:64:20}xxxxxxxx${h:92}"
	printf 'tos=0x%02x df=%d ttl=%d proto=%d | inner tos=0x%02x ttl=%d icmp=%d | %s\n' \
		"${v[0]}" $((v[1] >> 6 & 1)) "${v[2]}" "${v[3]}" "${v[4]}" "${v[5]}" "${v[6]}" "$h"
}

wire_pings() {
	# ttl 64 tos 0x10 pmtudisc: inner ECT(0) and CE, inner DF off
	pingt ia -M dont -Q 0xba 10.91.0.2
	pingt ia -M dont -Q 0xbb 10.91.0.2
	ip -n ia link set t0 type ipip ttl inherit tos inherit nopmtudisc
	ip -n ib link set t0 type ipip ttl inherit tos inherit nopmtudisc
	# ttl inherit tos inherit nopmtudisc: inner TTL 33, ECT(0), CE; DF
	# off, then on in the inner header
	pingt ia -M dont -t 33 -Q 0xba 10.91.0.2
	pingt ia -M dont -t 33 -Q 0xbb 10.91.0.2
	pingt ia -M 'do' -t 33 -Q 0x00 10.91.0.2
}

wire_case() { # c|rust
	use "$1"
	tunnels_pair "$1" "ttl 64 tos 0x10 pmtudisc" "ttl 64 tos 0x10 pmtudisc"
	local f
	for f in $(capture_proto "ip proto 4" ia a0 10 wire_pings); do
		frame "$f"
	done
	local dev
	for dev in ia ib; do
		echo "$dev t0: $(ip -n $dev -s -j link show t0 | jq -c '.[0].stats64 | {rx: .rx.packets, rx_bytes: .rx.bytes, tx: .tx.packets, tx_bytes: .tx.bytes, rx_errors: .rx.errors, tx_errors: .tx.errors, tx_dropped: .tx.dropped}')"
	done
	echo "mtu: $(ip -n ia -j link show t0 | jq '.[0].mtu')"
}

# The request frames (odd lines) as captured on a0, with the tunnel's
# header fields expected for each inner TOS, TTL and DF.
wire_expect() { # output
	local req
	req=$(echo "$1" | grep '^tos' | awk 'NR % 2 == 1' | cut -d'|' -f1,2)
	assert_eq "$req" "tos=0x12 df=1 ttl=64 proto=4 | inner tos=0xba ttl=64 icmp=8 
tos=0x12 df=1 ttl=64 proto=4 | inner tos=0xbb ttl=64 icmp=8 
tos=0xba df=0 ttl=33 proto=4 | inner tos=0xba ttl=33 icmp=8 
tos=0xba df=0 ttl=33 proto=4 | inner tos=0xbb ttl=33 icmp=8 
tos=0x00 df=1 ttl=33 proto=4 | inner tos=0x00 ttl=33 icmp=8 " "outer headers of the requests"
	assert_eq "$(echo "$1" | grep -c '^tos')" 10 "captured packets"
	assert_contains "$1" 'ia t0: {"rx":5,"rx_bytes":200,"tx":5,"tx_bytes":200'
	assert_contains "$1" 'ib t0: {"rx":5,"rx_bytes":200,"tx":5,"tx_bytes":200'
}

test_rust_traffic_wire_matches_c() {
	same_as_c wire_case
	local o
	o=$(c_out)
	wire_expect "$o"
	assert_contains "$o" "mtu: 1480"
}

# ---- 3b. external mode (collect_metadata) ----

# ia's tx0 is `external` (one per namespace): a tunnel_key action gives
# each packet its outer header; ib's plain tunnel t0 answers, and the
# reply comes back through tx0 (the catch-all) with its outer header as
# metadata, which flower's enc_ keys match on tx0's ingress.
md_case() { # c|rust
	use "$1"
	netns_pair ia ib a0 b0
	ip -n ia -batch - <<'EOF'
addr add 192.168.91.1/24 dev a0
link add tx0 type ipip external
addr add 10.92.0.1/24 dev tx0
link set tx0 up
EOF
	ip -n ib -batch - <<'EOF'
addr add 192.168.91.2/24 dev b0
link add t0 type ipip local 192.168.91.2 remote 192.168.91.1
addr add 10.92.0.2/24 dev t0
link set t0 up
EOF
	ipdrv "$1" tx0 ia
	echo "tx0: $(links ia tx0 | jq -c '{flags, mtu, info_data: .linkinfo.info_data}')"
	outcome ip -n ia link add tx1 type ipip external
	outcome ip -n ia link set tx0 type ipip external
	tc -n ia qdisc add dev tx0 clsact
	tc -n ia filter add dev tx0 egress matchall \
		action tunnel_key set src_ip 192.168.91.1 dst_ip 192.168.91.2 ttl 33 tos 0x10
	tc -n ia filter add dev tx0 ingress protocol ip flower \
		enc_src_ip 192.168.91.2 enc_dst_ip 192.168.91.1 action pass
	local f
	for f in $(capture_proto "ip proto 4" ia a0 2 pingt ia 10.92.0.2); do
		frame "$f"
	done
	echo "ingress matched by enc_ keys: $(tc -n ia -s -j filter show dev tx0 ingress |
		jq '[.[] | select(.options.actions) | .options.actions[0].stats.packets] | add')"
	echo "tx0: $(ip -n ia -s -j link show tx0 | jq -c '.[0].stats64 | {rx: .rx.packets, tx: .tx.packets, tx_errors: .tx.errors}')"
}

test_rust_external_mode_matches_c() {
	same_as_c md_case
	local o
	o=$(c_out)
	assert_contains "$o" '"external":true'
	assert_contains "$o" "ip -n ia link add tx1 type ipip external: rc 2: RTNETLINK answers: File exists"
	# The request's outer header from the tunnel key: TTL 33, TOS 0x10.
	assert_contains "$o" "tos=0x10 df=0 ttl=33 proto=4 | inner tos=0x00 ttl=64 icmp=8"
	assert_contains "$o" "ingress matched by enc_ keys: 1"
	assert_contains "$o" 'tx0: {"rx":1,"tx":1,"tx_errors":0}'
}

# ---- 4. receive: packets from a peer without a tunnel ----

rx_case() { # c|rust
	use "$1"
	netns_pair ia ib a0 b0
	ip -n ia -batch - <<'EOF'
addr add 192.168.91.1/24 dev a0
link add t0 type ipip local 192.168.91.1 remote 192.168.91.2
addr add 10.91.0.1/24 dev t0
link set t0 up
EOF
	ip -n ib -batch - <<'EOF'
addr add 192.168.91.2/24 dev b0
addr add 192.168.91.3/24 dev b0
EOF
	ipdrv "$1" t0 ia
	ipdrv "$1" tunl0 ia
	local cnt="sh ip -n ia -s -j link show type ipip | jq -r '.[] | \"  \\(.ifname) rx \\(.stats64.rx.packets) \\(.stats64.rx.bytes) errors \\(.stats64.rx.errors) dropped \\(.stats64.rx.dropped) tx \\(.stats64.tx.packets)\"'"
	local A=192.168.91.1 B=192.168.91.2 C=192.168.91.3
	local ecnlog
	ecnlog=/sys/module/$(driver_module ipip "$1")/parameters/log_ecn_error
	tunnel_log_open
	peer ib --wait 1 <<EOF
send matched $B $A echo:10.91.0.2:10.91.0.1
$cnt
send ecn-ect0-outer $B $A echo:10.91.0.2:10.91.0.1 tos=0x02
send ecn-ce-outer $B $A echo:10.91.0.2:10.91.0.1 tos=0x03
$cnt
sh echo 0 >$ecnlog
send ecn-ce-outer-unlogged $B $A echo:10.91.0.2:10.91.0.1 tos=0x03
sh echo 1 >$ecnlog; cat $ecnlog
$cnt
send unknown-remote $C $A echo:10.91.0.3:10.91.0.1
$cnt
sh ip -n ia link set tunl0 up
send unknown-remote-tunl0-up $C $A echo:10.91.0.3:10.91.0.1
$cnt
sh ip -n ia link set tunl0 down
sh ip -n ia link add tw type ipip local $A && ip -n ia link set tw up
send any-remote-tunnel $C $A echo:10.91.0.3:10.91.0.1
$cnt
sh ip -n ia link del tw && ip -n ia link add tr type ipip remote $C && ip -n ia link set tr up
send any-local-tunnel $C $A echo:10.91.0.3:10.91.0.1
$cnt
sh ip -n ia link set tr down
send tunnel-down $C $A echo:10.91.0.3:10.91.0.1
send short-inner-0 $B $A short:0
send short-inner-10 $B $A short:10
send short-inner-24 $B $A short:24
$cnt
EOF
	tunnel_log_lines
}

test_rust_receive_matches_c() {
	local o
	splat_mark
	same_as_c rx_case
	o=$(c_out)
	assert_contains "$o" "matched: ipip 192.168.91.1>192.168.91.2 tos 0x00 ttl 64: 10.91.0.1>10.91.0.2 icmp 0"
	assert_contains "$o" "unknown-remote: icmp 3/3 from 192.168.91.1"
	assert_contains "$o" "any-remote-tunnel: ipip 192.168.91.1>192.168.91.2"
	assert_contains "$o" "  tw rx 1 "
	assert_contains "$o" "  tr rx 1 "
	assert_contains "$o" "tunnel-down: icmp 3/3 from 192.168.91.1"
	assert_contains "$o" "short-inner-10: nothing"
	# ECN (RFC 6040): a not-ECT inner packet under an ECT(0) outer header
	# is delivered, under a CE one dropped (a frame error); both logged
	# while log_ecn_error is set (module parameter, as C's).
	assert_contains "$o" "ecn-ect0-outer: ipip 192.168.91.1>192.168.91.2 tos 0x00 ttl 64: 10.91.0.1>10.91.0.2 icmp 0"
	assert_contains "$o" "ecn-ce-outer: nothing"
	assert_contains "$o" "log: non-ECT from 192.168.91.2 with TOS=0x2"
	assert_contains "$o" "log: non-ECT from 192.168.91.2 with TOS=0x3"
	assert_eq "$(grep -c '^log: ' <<<"$o")" 2 "ECN log lines (none with log_ecn_error 0)"
	assert_eq "$(splats_since_mark)" "" "kernel log"
}

# ---- 5. unload and teardown under traffic ----

rmmod_case() { # c|rust
	use "$1"
	tunnels_pair "$1" "" ""
	ip -n ia link add t1 type ipip local 192.168.91.1 remote 192.168.91.9
	ip link add tz type ipip local 10.77.0.1 remote 10.77.0.2
	ipdrv "$1" tz
	tunnel_rmmod ipip ia ib t0 'tunl0|t0|t1|tz' 10.91.0.2
}
test_rust_rmmod_under_traffic() { rmmod_case rust; }

teardown_case() { # c|rust
	use "$1"
	tunnels_pair "$1" "dev a0" "dev b0"
	tunnel_teardown ipip ia ib t0 10.91.0.2 10.91.0.1
}

test_rust_underlay_and_netns_del_matches_c() {
	same_as_c teardown_case
	c_has 't0 after its underlay went: {"ifname":"t0"'
}

move_case() { # c|rust
	use "$1"
	tunnels_pair "$1" "dev a0" ""
	tunnel_netns_move ipip tunl0 ia t0 10.91.0.1/24 10.91.0.2 \
		local 192.168.91.1 remote 192.168.91.2 dev a0
}

test_rust_netns_move_matches_c() {
	same_as_c move_case
	tunnel_netns_move_expect ia t0 tunl0
}

# ---- 6. rvnet_ipip's /proc/net/tunnels ----

test_rust_proc_tunnels() {
	use rust
	tunnels_pair rust "dev a0 ttl 64 tos 0x10 pmtudisc" ""
	pingt ia 10.91.0.2
	pingt ia 10.91.0.2
	local f lines want
	mapfile -t lines < <(ip netns exec ia cat /proc/net/tunnels)
	printf '%s\n' "${lines[@]}"
	want="Iface Kind Local Remote Ikey Okey Link TTL TOS PMTUDisc RxPackets RxBytes TxPackets TxBytes RxErrors TxErrors PMTU"
	read -ra f <<<"${lines[0]}"
	assert_eq "${f[*]}" "$want" "header"
	# One line per tunnel of this namespace: t0 and tunl0 (not ib's).
	assert_eq "${#lines[@]}" 3 "lines"
	local l t0=""
	for l in "${lines[@]:1}"; do
		read -ra f <<<"$l"
		[ "${f[0]}" != t0 ] || t0=$l
		[[ ${f[0]} == t0 || ${f[0]} == tunl0 ]] || fail "unexpected line: $l"
	done
	[ -n "$t0" ] || fail "no line for t0"
	read -ra f <<<"$t0"
	assert_eq "${#f[@]}" 17 "t0's columns"
	assert_eq "${f[1]} ${f[2]} ${f[3]}" "ipip 192.168.91.1 192.168.91.2" "kind local remote"
	[[ ${f[6]} == a0 || ${f[6]} == "$(ip -n ia -j link show a0 | jq '.[0].ifindex')" ]] || fail "link: ${f[6]}"
	assert_eq "${f[7]}" 64 "TTL"
	# TOS 0x10, written in hex (0x10) or decimal (16).
	[[ ${f[8]} =~ ^(0x[0-9a-fA-F]+|[0-9]+)$ ]] || fail "TOS: ${f[8]}"
	assert_eq "$((f[8]))" 16 "TOS ${f[8]}"
	[[ ${f[9]} =~ ^(1|yes|on|true)$ ]] || fail "PMTUDisc: ${f[9]}"
	local s
	s=$(ip -n ia -s -j link show t0 | jq -r '.[0].stats64 | "\(.rx.packets) \(.rx.bytes) \(.tx.packets) \(.tx.bytes) \(.rx.errors) \(.tx.errors)"')
	assert_eq "${f[10]} ${f[11]} ${f[12]} ${f[13]} ${f[14]} ${f[15]}" "$s" "counters against ip -s link"
	[ "${f[12]}" -ge 2 ] || fail "TxPackets ${f[12]} after two pings"
	[[ ${f[16]} =~ ^[0-9]+$ ]] || fail "PMTU: ${f[16]}"
	ipdrv rust tunl0 ia
}

ktap_run_suite ipip
