#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rvnet_sit (IPv6, IPv4 and MPLS in IPv4, link kind sit) against Linux's
# C sit.ko in one boot: every behaviour runs once per driver inside one
# test (same_as_c: C then Rust, outputs diffed), and the values expected
# here are checked on C's output (so the diff checks them on Rust's). The
# fallback device sit0, the link attributes (modes, 6rd, ISATAP) and
# errors, the legacy ioctls (ip tunnel add/change/del, prl, 6rd), the
# bytes on the underlay (tcpdump -xx, outer IP ID and checksums masked:
# ip6ip with TTL/TOS inherited, 6to4 and 6rd destinations, ISATAP),
# packets from a peer without a tunnel (tests/lib/tunnel_peer.py: 6to4
# source and destination spoofing, ISATAP sources in and out of the
# PRL, the sit0 catch-all), unload and teardown under traffic.
# cost: 151 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"
source "$RVNET_ROOT/tests/lib/tunnel.sh"
# A failed command inside $(...) fails the test too.
shopt -s inherit_errexit

# The tunnel-less peer's protocol (peer, tests/lib/tunnel.sh).
TUNNEL_PROTO=sit
# The decoder of the tunnel's packets on an underlay (tunnel_netns_move;
# TUNNEL_WIRE is ECHO6, below).
TUNNEL_FRAME=frame6

# The driver (c|rust) of the test, the one behind a device, the sit
# devices of a namespace (tests/lib/tunnel.sh).
use() { tunnel_use sit "$1"; }
sitdrv() { # c|rust DEV [NETNS]
	expect_driver "$2" "$(driver_module sit "$1")" "${3:-}"
	tunnel_one_module sit "$1"
}
links() { tunnel_links sit "$@"; } # NS [DEV]

# ---- 1. the fallback device sit0 ----

fallback_case() { # c|rust
	use "$1"
	netns_add sf1 # made after the load: gets its own sit0
	sitdrv "$1" sit0
	sitdrv "$1" sit0 sf1
	echo "init: $(ip -d -j link show sit0 | jq -c -S ".[] | $NORM")"
	echo "netns: $(links sf1 sit0)"
	ip -n sf1 tunnel show sit0
	outcome ip -n sf1 link del sit0
	if ip -n sf1 link show sit0 >/dev/null 2>&1; then
		echo "after del: sit0 exists"
	else
		echo "after del: sit0 gone"
	fi
	outcome ip -n sf1 link set sit0 type sit remote 10.1.2.3 pmtudisc
	outcome ip -n sf1 link set sit0 netns 1
	outcome ip -n sf1 link set sit0 up
	echo "up: $(links sf1 sit0 | jq -c '{flags, operstate}')"
	# net.core.fb_tunnels_only_for_init_net=1: a new namespace gets none.
	sysctl -qw net.core.fb_tunnels_only_for_init_net=1
	netns_add sf2
	sysctl -qw net.core.fb_tunnels_only_for_init_net=0
	echo "fb_tunnels_only_for_init_net=1: $(ip -n sf2 -j link show | jq -c '[.[].ifname]')"
}

test_rust_fallback_matches_c() {
	same_as_c fallback_case
	local o
	o=$(c_out)
	assert_contains "$o" '"ifname":"sit0"'
	assert_contains "$o" '"info_kind":"sit"'
	assert_contains "$o" '"link_type":"sit"'
	assert_contains "$o" '"prefix":"2002::","prefixlen":16'
	assert_contains "$o" '"ttl":64'
	assert_contains "$o" "sit0: ipv6/ip remote any local any ttl 64 nopmtudisc 6rd-prefix 2002::/16"
	assert_contains "$o" "ip -n sf1 link del sit0: rc 0"
	assert_contains "$o" "after del: sit0 exists"
	assert_contains "$o" "type sit remote 10.1.2.3 pmtudisc: rc 2: RTNETLINK answers: Invalid argument"
	assert_contains "$o" "netns 1: rc 2"
	assert_contains "$o" 'fb_tunnels_only_for_init_net=1: ["lo"]'
}

# ---- 2. create, show, change, delete over netlink; errors ----

config_case() { # c|rust
	use "$1"
	netns_add sc
	ip -n sc -batch - <<'EOF'
link add d0 type dummy
link set d0 up
link add s1 type sit local 10.0.0.1 remote 10.0.0.2
link add s2 type sit local 10.0.1.1 remote 10.0.1.2 ttl 64 tos 0x10 pmtudisc
link add s3 type sit local 10.0.2.1 remote 10.0.2.2 ttl inherit tos inherit nopmtudisc dev d0
link add s4 type sit local 10.0.3.1 remote 10.0.3.2 mode ipip fwmark 5
link add s5 type sit local 10.0.4.1 remote 10.0.4.2 mode any ttl 1
link add s6 type sit local 10.0.5.1 mode mplsip
link add s7 type sit local 10.0.6.1 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8
link add s8 type sit local 10.0.7.1 isatap
link add s9 type sit local 10.0.8.1 remote 10.0.8.2 encap fou encap-sport auto encap-dport 5555
EOF
	local t
	for t in s1 s2 s3 s4 s5 s6 s7 s8 s9; do
		sitdrv "$1" $t sc
	done
	links sc
	ip -n sc tunnel show | sort
	ip -n sc -batch - <<'EOF'
link set s1 type sit remote 10.0.0.3 ttl 32 tos 0x20
link set s3 type sit pmtudisc ttl 10 tos 0x04
link set s4 type sit mode ip6ip fwmark 0
link set s7 type sit 6rd-prefix 2001:db8:100::/40
link set s6 up
EOF
	echo "changed:"
	links sc s1
	links sc s3
	links sc s4
	links sc s6
	links sc s7
	ip -n sc link del s2
	if ip -n sc link show s2 >/dev/null 2>&1; then
		fail "s2 survived ip link del"
	fi
	echo "deleted s2: $(ip -n sc -j link show type sit | jq -c '[.[].ifname]')"
}

test_rust_create_show_matches_c() {
	same_as_c config_case
	local o
	o=$(c_out)
	assert_contains "$o" '"ifname":"s1"'
	assert_contains "$o" '"proto":"ip6ip"'
	assert_contains "$o" '"proto":"ipip"'
	assert_contains "$o" '"proto":"mplsip"'
	assert_contains "$o" '"proto":"any"'
	assert_contains "$o" '"fwmark":"0x5"'
	assert_contains "$o" '"isatap":true'
	assert_contains "$o" '"prefix":"2001:db8::","prefixlen":32'
	assert_contains "$o" '"relay_prefix":"10.0.0.0","relay_prefixlen":8'
	assert_contains "$o" '"prefix":"2001:db8:100::","prefixlen":40'
	assert_contains "$o" '"remote":"10.0.0.3"'
	assert_contains "$o" '"link":"d0"'
	assert_contains "$o" '"fou"'
	assert_contains "$o" 'deleted s2: ["sit0","s1","s3","s4","s5","s6","s7","s8","s9"]'
}

errors_case() { # c|rust
	use "$1"
	netns_add se
	ip -n se -batch - <<'EOF'
link add s1 type sit local 10.0.0.1 remote 10.0.0.2
link add s2 type sit local 10.0.1.1 remote 10.0.1.2
link add s3 type sit local 10.0.2.1
EOF
	sitdrv "$1" s1 se
	# The same endpoints twice; no endpoint at all (sit0's); a change
	# onto another tunnel's endpoints; the point-to-point nature
	# changed; a protocol sit does not carry (IFLA_IPTUN_PROTO = 9: UDP);
	# changing sit0; 6rd prefixes with bits past their length or too
	# long with the relay prefix.
	outcome ip -n se link add x1 type sit local 10.0.0.1 remote 10.0.0.2
	outcome ip -n se link add x2 type sit
	outcome ip -n se link set s2 type sit local 10.0.0.1 remote 10.0.0.2
	outcome ip -n se link set s3 type sit remote 10.0.2.2
	outcome ip -n se link set s1 type sit remote any
	outcome ip netns exec se python3 "$RVNET_ROOT/tests/lib/rtnl.py" newlink x3 sit 9=u8:17
	outcome ip -n se link set sit0 type sit local 10.0.7.1
	outcome ip -n se link add x4 type sit local 10.0.9.1 6rd-prefix 2001:db8::1/32
	outcome ip -n se link add x5 type sit local 10.0.9.2 6rd-prefix 2001:db8::/60 6rd-relay_prefix 10.0.0.0/8
	outcome ip -n se link set s3 type sit 6rd-prefix 2001:db8::/60 6rd-relay_prefix 10.0.0.0/8
	local m
	for m in 70000 65556 65555 1280 1279 60; do
		outcome ip -n se link set s1 mtu $m
	done
	ip -n se -d -j link show s1 | jq -c '.[0] | {mtu, min_mtu, max_mtu}'
	outcome ip -n se link add x6 mtu 1300 type sit local 10.0.8.1 remote 10.0.8.2
	outcome ip -n se link add x7 mtu 1000 type sit local 10.0.8.3 remote 10.0.8.4
	echo "x6 mtu: $(ip -n se -j link show x6 | jq '.[0].mtu')"
	outcome ip -n se link del s1
	outcome ip -n se link del s1
	echo "left: $(ip -n se -j link show type sit | jq -c '[.[].ifname]')"
}

test_rust_errors_match_c() {
	same_as_c errors_case
	local o
	o=$(c_out)
	assert_contains "$o" "remote 10.0.0.2: rc 2: RTNETLINK answers: File exists"
	assert_contains "$o" "link add x2 type sit: rc 2: RTNETLINK answers: File exists"
	assert_contains "$o" "link set s3 type sit remote 10.0.2.2: rc 2: RTNETLINK answers: Invalid argument"
	assert_contains "$o" "6rd-prefix 2001:db8::1/32: rc 2"
	assert_contains "$o" "mtu 70000: rc 2"
	assert_contains "$o" "mtu 1280: rc 0"
	assert_contains "$o" "mtu 1279: rc 2"
	assert_contains "$o" "x6 mtu: 1300"
	assert_contains "$o" 'left: ["sit0","s2","s3","x6"]'
}

# ---- 3. the legacy ioctls: tunnels, PRL, 6rd ----

ioctl_case() { # c|rust
	use "$1"
	netns_add st
	outcome ip -n st tunnel add s2 mode sit remote 10.9.0.2 local 10.9.0.1 ttl 10 tos 0x08
	sitdrv "$1" s2 st
	links st s2
	ip -n st tunnel show | sort
	outcome ip -n st tunnel add s3 mode sit remote 10.9.0.2 local 10.9.0.1
	outcome ip -n st tunnel add mode sit remote 10.9.0.5 local 10.9.0.1
	outcome ip -n st tunnel change s2 mode sit remote 10.9.0.3 local 10.9.0.1 ttl 20 tos inherit
	links st s2
	outcome ip -n st tunnel change s2 mode sit remote 10.9.0.3 local 10.9.0.1 ttl inherit tos 0x04
	ip -n st tunnel show s2
	outcome ip -n st tunnel change s2 mode sit local 10.9.0.1
	# ISATAP and its potential router list.
	outcome ip -n st tunnel add is1 mode isatap local 10.9.1.1
	sitdrv "$1" is1 st
	outcome ip -n st tunnel prl prl-default 10.9.1.7 dev is1
	outcome ip -n st tunnel prl prl-nodefault 10.9.1.8 dev is1
	outcome ip -n st tunnel prl prl-default 10.9.1.8 dev is1
	outcome ip -n st tunnel prl prl-default 10.9.1.9 dev is1
	ip -n st tunnel show is1
	outcome ip -n st tunnel prl prl-delete 10.9.1.7 dev is1
	outcome ip -n st tunnel prl prl-delete 10.9.1.99 dev is1
	ip -n st tunnel show is1
	outcome ip -n st tunnel prl prl-default 10.9.1.7 dev sit0
	# 6rd.
	outcome ip -n st tunnel 6rd dev s2 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8
	ip -n st tunnel show s2
	outcome ip -n st tunnel 6rd dev s2 6rd-prefix 2001:db8::1/32
	outcome ip -n st tunnel 6rd dev s2 6rd-reset
	ip -n st tunnel show s2
	outcome ip -n st tunnel 6rd dev sit0 6rd-prefix 2001:db8:100::/40 6rd-relay_prefix 10.0.0.0/8
	outcome ip -n st tunnel add s4 mode sit local 10.9.2.1
	ip -n st tunnel show s4
	links st s4
	ip -n st link add s5 type sit local 10.9.3.1 ttl 5
	echo "s5: $(links st s5 | jq -c '.linkinfo.info_data')"
	outcome ip -n st tunnel del s2
	outcome ip -n st tunnel del sit0
	ip -n st tunnel show | sort
}

test_rust_ioctl_tunnel_matches_c() {
	same_as_c ioctl_case
	local o
	o=$(c_out)
	assert_contains "$o" "tunnel add s2 mode sit remote 10.9.0.2 local 10.9.0.1 ttl 10 tos 0x08: rc 0"
	assert_contains "$o" "s2: ipv6/ip remote 10.9.0.2 local 10.9.0.1 ttl 10 tos 0x08"
	assert_contains "$o" "No buffer space available"
	assert_contains "$o" "6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8"
	assert_contains "$o" "s4: ipv6/ip remote any local 10.9.2.1 ttl inherit 6rd-prefix 2001:db8:100::/40 6rd-relay_prefix 10.0.0.0/8"
	assert_contains "$o" "is1: ipv6/ip remote any local 10.9.1.1 pdr 10.9.1.9 pr 10.9.1.8 ttl inherit"
	assert_contains "$o" "prl-delete 10.9.1.99 dev is1: rc 1: is1: ioctl 89f6 failed: No such device or address"
	assert_contains "$o" "s2: ipv6/ip remote 10.9.0.3 local 10.9.0.1 ttl 20 tos 0x04 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8"
	assert_contains "$o" "sit1: ipv6/ip remote 10.9.0.5 local 10.9.0.1"
	assert_contains "$o" 'delete tunnel "sit0" failed: Operation not permitted'
}

# ---- 4. traffic: two namespaces, tunnels each side ----

# sa (a0 192.168.91.1) and sb (b0 192.168.91.2) joined by a veth pair,
# the tunnels of $2 (ip -batch lines) in sa and of $3 in sb.
tunnels_pair() { # c|rust BATCH_A BATCH_B
	netns_pair sa sb a0 b0
	quiet_ipv6 sa sb
	ip -n sa addr add 192.168.91.1/24 dev a0
	ip -n sb addr add 192.168.91.2/24 dev b0
	ip -n sa -batch - <<<"$2"
	ip -n sb -batch - <<<"$3"
}

# A point-to-point tunnel t0 from $1 to $2 over $3, inner 2001:db8:91::$4
# (ip -batch lines).
p2p() { # local remote dev n
	printf '%s\n' "link add t0 type sit local $1 remote $2 dev $3" \
		"addr add 2001:db8:91::$4/64 dev t0 nodad" "link set t0 up"
}

# One captured packet (hex from the outer IPv4 header) as "outer FIELDS |
# inner FIELDS | HEX" with what no tunnel decides masked: the outer IP ID
# and checksum, the inner flow label, the ICMPv6 checksum and id.
frame6() { # hex
	local h=$1 tc
	tc=$(((16#${h:40:2} & 15) << 4 | 16#${h:42:1}))
	printf 'tos=0x%02x df=%d ttl=%d proto=%d | inner tc=0x%02x hlim=%d icmp6=%d | %s\n' \
		$((16#${h:2:2})) $((16#${h:12:2} >> 6 & 1)) $((16#${h:16:2})) $((16#${h:18:2})) \
		"$tc" $((16#${h:54:2})) $((16#${h:120:2})) \
		"${h:0:8}xxxx${h:12:8}xxxx${h:24:19}xxxxx${h:48:76}xxxxxxxx${h:132}"
}

# Echo requests and replies in IPv6 in IPv4 (not the MLD reports IPv6
# may send): next header ICMPv6, type 128 or 129.
ECHO6='ip proto 41 and ip[26] == 58 and (ip[60] == 128 or ip[60] == 129)'
TUNNEL_WIRE=$ECHO6

wire_pings() {
	# ttl 64 tos 0x10 (DF): inner ECT(0) and CE
	ping6t sa -Q 0xba 2001:db8:91::2
	ping6t sa -Q 0xbb 2001:db8:91::2
	ip -n sa link set t0 type sit ttl inherit tos inherit nopmtudisc
	ip -n sb link set t0 type sit ttl inherit tos inherit nopmtudisc
	# ttl inherit tos inherit nopmtudisc: inner hop limit 33, ECT(0), CE
	ping6t sa -t 33 -Q 0xba 2001:db8:91::2
	ping6t sa -t 33 -Q 0xbb 2001:db8:91::2
	# 6to4: the NBMA tunnel's destination from the inner one.
	ping6t sa 2002:c0a8:5b02::1
	# 6rd (prefix 2001:db8::/32, the whole IPv4 address embedded).
	ping6t sa 2001:db8:c0a8:5b0c::1
	# ISATAP: the destination from the next hop's interface id.
	ping6t sa -I is0 fe80::5efe:c0a8:5b16
}

wire_case() { # c|rust
	use "$1"
	# Each NBMA tunnel has its own local address (one per local address
	# and link: the same one twice is EEXIST); 6to4 and 6rd addresses
	# embed it, the ISATAP link-local one too.
	tunnels_pair "$1" "addr add 192.168.91.11/24 dev a0
addr add 192.168.91.21/24 dev a0
link add t0 type sit local 192.168.91.1 remote 192.168.91.2 ttl 64 tos 0x10
addr add 2001:db8:91::1/64 dev t0 nodad
link set t0 up
link add s6 type sit local 192.168.91.1
addr add 2002:c0a8:5b01::1/16 dev s6 nodad
link set s6 up
link add r6 type sit local 192.168.91.11 6rd-prefix 2001:db8::/32
addr add 2001:db8:c0a8:5b0b::1/32 dev r6 nodad
link set r6 up
link add is0 type sit local 192.168.91.21 isatap
addr add fe80::5efe:c0a8:5b15/64 dev is0 nodad
link set is0 up" "addr add 192.168.91.12/24 dev b0
addr add 192.168.91.22/24 dev b0
link add t0 type sit local 192.168.91.2 remote 192.168.91.1 ttl 64 tos 0x10
addr add 2001:db8:91::2/64 dev t0 nodad
link set t0 up
link add s6 type sit local 192.168.91.2
addr add 2002:c0a8:5b02::1/16 dev s6 nodad
link set s6 up
link add r6 type sit local 192.168.91.12 6rd-prefix 2001:db8::/32
addr add 2001:db8:c0a8:5b0c::1/32 dev r6 nodad
link set r6 up
link add is0 type sit local 192.168.91.22 isatap
addr add fe80::5efe:c0a8:5b16/64 dev is0 nodad
link set is0 up"
	local d
	for d in t0 s6 r6 is0; do
		sitdrv "$1" $d sa
		sitdrv "$1" $d sb
	done
	local f
	for f in $(capture_proto "$ECHO6" sa a0 14 wire_pings); do
		frame6 "$f"
	done
	local dev
	for dev in t0 s6 r6 is0; do
		echo "sa $dev: $(ip -n sa -s -j link show $dev | jq -c '.[0].stats64 | {rx_errors: .rx.errors, tx_errors: .tx.errors, tx_dropped: .tx.dropped, tx_carrier: .tx.carrier_errors}')"
	done
	echo "mtu: $(ip -n sa -j link show t0 | jq '.[0].mtu') $(ip -n sa -j link show s6 | jq '.[0].mtu')"
}

# The request frames (odd lines) as captured on a0, with the tunnel's
# header fields expected for each case.
wire_expect() { # output
	local req
	req=$(echo "$1" | grep '^tos' | awk 'NR % 2 == 1' | cut -d'|' -f1,2)
	assert_eq "$req" "tos=0x12 df=1 ttl=64 proto=41 | inner tc=0xba hlim=64 icmp6=128 
tos=0x12 df=1 ttl=64 proto=41 | inner tc=0xbb hlim=64 icmp6=128 
tos=0xba df=0 ttl=33 proto=41 | inner tc=0xba hlim=33 icmp6=128 
tos=0xba df=0 ttl=33 proto=41 | inner tc=0xbb hlim=33 icmp6=128 
tos=0x00 df=1 ttl=64 proto=41 | inner tc=0x00 hlim=64 icmp6=128 
tos=0x00 df=1 ttl=64 proto=41 | inner tc=0x00 hlim=64 icmp6=128 
tos=0x00 df=1 ttl=64 proto=41 | inner tc=0x00 hlim=64 icmp6=128 " "outer headers of the requests"
	assert_eq "$(echo "$1" | grep -c '^tos')" 14 "captured packets"
	# The outer destinations: 6to4 192.168.91.2, 6rd .12, ISATAP .22.
	assert_eq "$(echo "$1" | grep '^tos' | awk 'NR % 2 == 1' | cut -d'|' -f3 | cut -c34-41 | tr '\n' ' ')" \
		"c0a85b02 c0a85b02 c0a85b02 c0a85b02 c0a85b02 c0a85b0c c0a85b16 " "outer destinations"
	assert_contains "$1" 'sa t0: {"rx_errors":0,"tx_errors":0'
}

test_rust_traffic_wire_matches_c() {
	same_as_c wire_case
	local o
	o=$(c_out)
	wire_expect "$o"
	assert_contains "$o" "mtu: 1480 1480"
}

# ---- 5. receive: packets from a peer without a tunnel ----

rx_case() { # c|rust
	use "$1"
	netns_pair sa sb a0 b0
	quiet_ipv6 sa sb
	ip -n sa -batch - <<'EOF'
addr add 192.168.91.1/24 dev a0
addr add 192.168.91.4/24 dev a0
addr add 192.168.91.5/24 dev a0
link add t0 type sit local 192.168.91.1 remote 192.168.91.2
addr add 2001:db8:91::1/64 dev t0 nodad
link set t0 up
link add s6 type sit local 192.168.91.1
addr add 2002:c0a8:5b01::1/16 dev s6 nodad
link set s6 up
link add is0 type sit local 192.168.91.4 isatap
addr add fe80::5efe:c0a8:5b04/64 dev is0 nodad
link set is0 up
EOF
	ip -n sb -batch - <<'EOF'
addr add 192.168.91.2/24 dev b0
addr add 192.168.91.3/24 dev b0
EOF
	sitdrv "$1" t0 sa
	sitdrv "$1" s6 sa
	sitdrv "$1" is0 sa
	sitdrv "$1" sit0 sa
	local cnt="sh ip -n sa -s -j link show type sit | jq -r '.[] | \"  \\(.ifname) rx \\(.stats64.rx.packets) \\(.stats64.rx.bytes) errors \\(.stats64.rx.errors) tx \\(.stats64.tx.packets)\"'"
	local A=192.168.91.1 B=192.168.91.2 C=192.168.91.3 D=192.168.91.4 E=192.168.91.5
	tunnel_log_open
	peer sb --wait 1 <<EOF
send matched $B $A echo6:2001:db8:91::2,2001:db8:91::1
send ecn-ce-outer $B $A echo6:2001:db8:91::2,2001:db8:91::1 tos=0x03
send 6to4 $C $A echo6:2002:c0a8:5b03::2,2002:c0a8:5b01::1
$cnt
send 6to4-src-spoofed $C $A echo6:2002:c0a8:5b09::2,2002:c0a8:5b01::1
send 6to4-dst-spoofed $C $A echo6:2002:c0a8:5b03::2,2002:c0a8:5b07::1
$cnt
send isatap-host $C $D echo6:fe80::5efe:c0a8:5b03,fe80::5efe:c0a8:5b04
send isatap-wrong-host $C $D echo6:fe80::5efe:c0a8:5b09,fe80::5efe:c0a8:5b04
send isatap-not-isatap $C $D echo6:2001:db8:77::9,fe80::5efe:c0a8:5b04
$cnt
sh ip netns exec sa ip tunnel prl prl-default $C dev is0
send isatap-prl $C $D echo6:2001:db8:77::9,fe80::5efe:c0a8:5b04
$cnt
send unknown $C $E echo6:2001:db8:77::9,2001:db8:78::1
sh ip -n sa link set sit0 up
send unknown-sit0-up $C $E echo6:2001:db8:77::9,2001:db8:78::1
$cnt
sh ip -n sa link set t0 down
send tunnel-down $B $A echo6:2001:db8:91::2,2001:db8:91::1
$cnt
EOF
	tunnel_log_lines
}

test_rust_receive_matches_c() {
	local o
	splat_mark
	same_as_c rx_case
	o=$(c_out)
	assert_contains "$o" "matched: sit 192.168.91.1>192.168.91.2 tos 0x00 ttl 64: 2001:db8:91::1>2001:db8:91::2 icmp6 129"
	assert_contains "$o" "6to4: sit 192.168.91.1>192.168.91.3"
	assert_contains "$o" "6to4-src-spoofed: nothing"
	assert_contains "$o" "6to4-dst-spoofed: nothing"
	# Each logged (rate-limited warnings, as C's packet_is_spoofed).
	assert_contains "$o" "log: Src spoofed 192.168.91.3/2002:c0a8:5b09::2 -> 192.168.91.1/2002:c0a8:5b01::1"
	assert_contains "$o" "log: Dst spoofed 192.168.91.3/2002:c0a8:5b03::2 -> 192.168.91.1/2002:c0a8:5b07::1"
	# A CE outer header over a not-ECT inner packet: dropped, logged.
	assert_contains "$o" "ecn-ce-outer: nothing"
	assert_contains "$o" "log: non-ECT from 192.168.91.2 with TOS=0x3"
	assert_eq "$(grep -c '^log: ' <<<"$o")" 3 "log lines"
	# Both spoofed packets dropped and counted as receive errors on s6.
	assert_contains "$o" "  s6 rx 1 64 errors 2 tx 1"
	# ISATAP: two sources refused (counted), then one in the PRL taken.
	assert_contains "$o" "  is0 rx 1 64 errors 2 tx 1"
	assert_contains "$o" "  is0 rx 2 128 errors 2 tx 1"
	# t0 down: its packet falls to s6 (same local address, any remote).
	assert_contains "$o" "  s6 rx 2 128 errors 2 tx 1"
	assert_contains "$o" "isatap-host: sit 192.168.91.4>192.168.91.3"
	assert_contains "$o" "isatap-wrong-host: nothing"
	assert_contains "$o" "unknown: icmp 3/3 from 192.168.91.5"
	assert_contains "$o" "  sit0 rx 1 "
	assert_eq "$(splats_since_mark)" "" "kernel log"
}

# ---- 6. unload and teardown under traffic ----

rmmod_case() { # c|rust
	use "$1"
	tunnels_pair "$1" "$(p2p 192.168.91.1 192.168.91.2 a0 1)" "$(p2p 192.168.91.2 192.168.91.1 b0 2)"
	ip -n sa link add t1 type sit local 192.168.91.1 remote 192.168.91.9
	ip link add tz type sit local 10.77.0.1 remote 10.77.0.2
	sitdrv "$1" tz
	tunnel_rmmod sit sa sb t0 'sit0|t0|t1|tz' 2001:db8:91::2
}
test_rust_rmmod_under_traffic() { rmmod_case rust; }

teardown_case() { # c|rust
	use "$1"
	tunnels_pair "$1" "$(p2p 192.168.91.1 192.168.91.2 a0 1)" "$(p2p 192.168.91.2 192.168.91.1 b0 2)"
	sitdrv "$1" t0 sa
	tunnel_teardown sit sa sb t0 2001:db8:91::2 2001:db8:91::1
}

test_rust_underlay_and_netns_del_matches_c() {
	same_as_c teardown_case
	c_has 't0 after its underlay went: {"ifname":"t0"'
}

move_case() { # c|rust
	use "$1"
	tunnels_pair "$1" "$(p2p 192.168.91.1 192.168.91.2 a0 1)" "$(p2p 192.168.91.2 192.168.91.1 b0 2)"
	sitdrv "$1" t0 sa
	tunnel_netns_move sit sit0 sa t0 2001:db8:91::1/64 2001:db8:91::2 \
		local 192.168.91.1 remote 192.168.91.2 dev a0
}

test_rust_netns_move_matches_c() {
	same_as_c move_case
	tunnel_netns_move_expect sa t0 sit0
}

ktap_run_suite sit
