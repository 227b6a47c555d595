#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rvnet_gre (GRE over IPv4: link kinds gre and gretap) against Linux's C
# ip_gre.ko in one boot: every behaviour runs once per driver inside one
# test (same_as_c: C then Rust, outputs diffed), and the values expected
# here are checked on C's output (so the diff checks them on Rust's). The
# fallback devices gre0 and gretap0, the link attributes and errors, the
# legacy ioctl path (ip tunnel), the bytes on the underlay (tcpdump -xx:
# GRE flags, key, sequence numbers and checksum, outer TTL/TOS/DF),
# packets from a peer without a tunnel (tests/lib/tunnel_peer.py: keys,
# checksum and sequence errors and their counters, malformed headers),
# unload and teardown under traffic.
# cost: 268 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"
source "$RVNET_ROOT/tests/lib/tunnel.sh"
# A failed command inside $(...) fails the test too.
shopt -s inherit_errexit

# The tunnel-less peer's protocol (peer, tests/lib/tunnel.sh).
TUNNEL_PROTO=gre
# The tunnel's packets on an underlay and their decoder (tunnel_netns_move).
TUNNEL_WIRE='ip proto 47'
TUNNEL_FRAME=frame
# The devices of a namespace by name.
names() { # ns
	ip -n "$1" -j link show | jq -c '[.[].ifname]'
}

# Fixed Ethernet addresses for the gretap devices (theirs are random).
TMAC_A=02:00:00:00:71:01
TMAC_B=02:00:00:00:71:02

# Load driver $1 (c|rust) alone; both are unloaded when the test ends
# (gre0 and gretap0 in the initial namespace would fail left_guest_clean).
use() {
	use_driver gre "$1"
	trap 'unload_modules rvnet_gre ip_gre' EXIT
}

# State and check the driver behind GRE device DEV: rvnet_gre names itself
# to `ethtool -i`; C ip_gre.ko sets no ethtool_ops for gre (the kernel
# reports the kind) and the Ethernet default for gretap: for C the check
# adds that ip_gre.ko is loaded and rvnet_gre is not (one owner of GRE
# version 0).
gredrv() { # c|rust DEV [NETNS]
	if [ "$1" = rust ]; then
		expect_driver "$2" rvnet_gre "${3:-}"
		return 0
	fi
	module_loaded ip_gre || fail "C ip_gre.ko is not loaded"
	if module_loaded rvnet_gre; then
		fail "rvnet_gre is loaded beside C ip_gre.ko"
	fi
	local d
	d=$(ip ${3:+-n "$3"} -d -j link show "$2" | jq -r '.[0].linkinfo.info_kind')
	[[ $d == gre || $d == gretap || $d == erspan ]] || fail "$2 is not a GRE device ($d)"
}

# GRE devices of netns $1 (or one, $2), one normalised JSON line each.
links() { # ns [dev]
	if [ -n "${2:-}" ]; then
		ip -n "$1" -d -j link show "$2" | jq -c -S ".[] | $NORM"
	else
		{
			ip -n "$1" -d -j link show type gre
			ip -n "$1" -d -j link show type gretap
			ip -n "$1" -d -j link show type erspan
		} | jq -c -S ".[] | $NORM"
	fi
}

# ---- 1. the fallback devices gre0 and gretap0 ----

fallback_case() { # c|rust
	use "$1"
	netns_add gf1 # made after the load: gets its own
	gredrv "$1" gre0
	gredrv "$1" gretap0 gf1
	gredrv "$1" erspan0 gf1
	echo "init: $(ip -d -j link show gre0 | jq -c -S ".[] | $NORM")"
	echo "netns: $(links gf1 gre0)"
	echo "netns: $(links gf1 gretap0)"
	echo "netns: $(links gf1 erspan0)"
	outcome ip -n gf1 link del gre0
	outcome ip -n gf1 link del gretap0
	outcome ip -n gf1 link del erspan0
	echo "after del: $(names gf1)"
	outcome ip -n gf1 link set gre0 type gre remote 10.1.2.3
	outcome ip -n gf1 link set gretap0 type gretap key 5
	outcome ip -n gf1 link set gre0 up
	echo "up: $(links gf1 gre0 | jq -c '{flags, operstate}')"
	sysctl -qw net.core.fb_tunnels_only_for_init_net=1
	netns_add gf2
	sysctl -qw net.core.fb_tunnels_only_for_init_net=0
	echo "fb_tunnels_only_for_init_net=1: $(names gf2)"
}

test_rust_fallback_matches_c() {
	same_as_c fallback_case
	local o
	o=$(c_out)
	assert_contains "$o" '"ifname":"gre0"'
	assert_contains "$o" '"ifname":"gretap0"'
	assert_contains "$o" '"info_kind":"gretap"'
	assert_contains "$o" '"link_type":"gre"'
	assert_contains "$o" 'after del: ["lo",'
	assert_contains "$o" '"gre0","gretap0","erspan0"]'
	assert_contains "$o" 'fb_tunnels_only_for_init_net=1: ["lo"]'
}

# ---- 2. create, show, change, delete; errors ----

config_case() { # c|rust
	use "$1"
	netns_add gc
	ip -n gc -batch - <<EOF
link add d0 type dummy
link set d0 up
link add g1 type gre local 10.0.0.1 remote 10.0.0.2
link add g2 type gre local 10.0.1.1 remote 10.0.1.2 key 42 csum seq ttl 64 tos 0x10
link add g3 type gre local 10.0.2.1 remote 10.0.2.2 ikey 1.2.3.4 okey 7 icsum oseq ttl inherit tos inherit nopmtudisc ignore-df dev d0
link add g4 type gre local 10.0.3.1 fwmark 9
link add g5 type gre local 10.0.4.1 remote 10.0.4.2 encap fou encap-sport auto encap-dport 5555
link add g6 type gre local 10.0.5.1 remote 10.0.5.2 encap gue encap-sport 1234 encap-dport 5556 encap-csum key 3
link add t1 address $TMAC_A type gretap local 10.1.0.1 remote 10.1.0.2
link add t2 address $TMAC_B type gretap local 10.1.1.1 remote 10.1.1.2 key 8 csum seq ttl 3
link add s1 address 02:00:00:00:72:01 type erspan local 10.2.0.1 remote 10.2.0.2 seq key 10 erspan_ver 1 erspan 123
link add s2 address 02:00:00:00:72:02 type erspan local 10.2.1.1 remote 10.2.1.2 seq key 11 erspan_ver 2 erspan_dir egress erspan_hwid 7
link add s3 address 02:00:00:00:72:03 type erspan local 10.2.2.1 remote 10.2.2.2 erspan_ver 0
EOF
	local t
	for t in g1 g2 g3 g4 g5 g6 t1 t2 s1 s2 s3; do
		gredrv "$1" $t gc
	done
	links gc
	ip -n gc -batch - <<'EOF'
link set g1 type gre local 10.0.0.1 remote 10.0.0.3 key 5 csum ttl 32
link set g2 type gre local 10.0.1.1 remote 10.0.1.2 ttl 64
link set t1 type gretap local 10.1.0.1 remote 10.1.0.2 seq
link set s1 type erspan local 10.2.0.1 remote 10.2.0.3 seq key 12 erspan_ver 1 erspan 456
link set s2 type erspan local 10.2.1.1 remote 10.2.1.2 seq key 11 erspan_ver 2 erspan_dir ingress erspan_hwid 63
link set g4 up
EOF
	echo "changed:"
	links gc g1
	links gc g2
	links gc t1
	links gc s1
	links gc s2
	links gc g4
	echo "features g2: $(ip netns exec gc ethtool -k g2 | grep -E 'generic-segmentation|tx-gre')"
	echo "features t1: $(ip netns exec gc ethtool -k t1 | grep -E 'generic-segmentation|tx-gre')"
	ip -n gc link del g2
	ip -n gc link del t2
	echo "deleted g2 t2: $(names gc)"
}

test_rust_create_show_matches_c() {
	same_as_c config_case
	local o
	o=$(c_out)
	assert_contains "$o" '"ifname":"g1"'
	assert_contains "$o" '"ikey":"0.0.0.42"'
	assert_contains "$o" '"iseq":true'
	assert_contains "$o" '"ignore_df":true'
	assert_contains "$o" '"fwmark":"0x9"'
	assert_contains "$o" '"fou"'
	assert_contains "$o" '"ikey":"1.2.3.4"'
	assert_contains "$o" '"remote":"10.0.0.3"'
	assert_contains "$o" '"address":"02:00:00:00:71:01"'
	# MTU: 1500 less 20 + 4 (gre), + 12 (key, csum, seq), + 14 (gretap).
	assert_eq "$(links gc g1 | jq .mtu) $(links gc t1 | jq .mtu)" "1468 1458" "MTU after the changes"
	assert_contains "$o" '"gre0","gretap0","erspan0","d0","g1","g3","g4","g5","g6","t1","s1","s2","s3"]'
	assert_contains "$o" '"erspan_index":456'
	assert_contains "$o" '"erspan_dir":"ingress"'
	assert_contains "$o" '"erspan_hwid":"0x3f"'
}

errors_case() { # c|rust
	use "$1"
	netns_add ge
	ip -n ge -batch - <<'EOF'
link add g1 type gre local 10.0.0.1 remote 10.0.0.2 key 1
link add g2 type gre local 10.0.1.1 remote 10.0.1.2
EOF
	gredrv "$1" g1 ge
	local R="ip netns exec ge python3 $RVNET_ROOT/tests/lib/rtnl.py"
	# The same endpoints and key twice; another key is another tunnel;
	# no endpoint (gre0's); a change onto another tunnel's parameters;
	# GRE version or routing flags (IFLA_GRE_IFLAGS/OFLAGS = 2/3); a
	# gretap remote of 0 (IFLA_GRE_REMOTE = 7); bad gretap addresses;
	# changing gre0.
	outcome ip -n ge link add g9 type gre local 10.0.0.1 remote 10.0.0.2 key 1
	outcome ip -n ge link add g9 type gre local 10.0.0.1 remote 10.0.0.2 key 2
	outcome ip -n ge link add g8 type gre
	outcome ip -n ge link set g2 type gre local 10.0.0.1 remote 10.0.0.2 key 1
	outcome $R newlink g7 gre 2=raw:0001
	outcome $R newlink g7 gre 3=raw:4000
	outcome $R newlink t7 gretap 7=raw:00000000
	outcome ip -n ge link add t6 address 01:00:00:00:00:01 type gretap remote 10.0.9.1
	outcome ip -n ge link add t6 address 00:00:00:00:00:00 type gretap remote 10.0.9.1
	# erspan: without sequence numbers and a key; a session id over 10
	# bits; version 3 (IFLA_GRE_ERSPAN_VER = 22, with the key and
	# sequence flags and key 1); an index over 20 bits.
	outcome ip -n ge link add s9 type erspan local 10.0.9.1 remote 10.0.9.2 erspan_ver 1 erspan 1
	outcome ip -n ge link add s9 type erspan local 10.0.9.1 remote 10.0.9.2 seq key 1024 erspan_ver 1
	outcome $R newlink s9 erspan 2=raw:3000 3=raw:3000 4=raw:00000001 5=raw:00000001 22=u8:3
	outcome $R newlink s9 erspan 2=raw:3000 3=raw:3000 4=raw:00000001 5=raw:00000001 21=u32:1048576
	outcome ip -n ge link set gre0 type gre local 10.0.7.1
	outcome ip -n ge link set g1 type gre local 10.0.0.1 remote 10.0.0.2 ignore-df
	local m
	for m in 70000 65508 65507 68 67; do
		outcome ip -n ge link set g1 mtu $m
	done
	outcome ip -n ge link del g1
	outcome ip -n ge link del g1
	echo "left: $(names ge)"
}

test_rust_errors_match_c() {
	same_as_c errors_case
	local o
	o=$(c_out)
	assert_contains "$o" "key 1: rc 2: RTNETLINK answers: File exists"
	assert_contains "$o" "key 2: rc 0"
	assert_contains "$o" "gre 2=raw:0001: rc 1"
	assert_contains "$o" "gretap 7=raw:00000000: rc 1"
	assert_contains "$o" "erspan_ver 1 erspan 1: rc 2: RTNETLINK answers: Invalid argument"
	assert_contains "$o" "key 1024 erspan_ver 1: rc 2: RTNETLINK answers: Invalid argument"
	assert_contains "$o" "22=u8:3: rc 1: error: 22"
	assert_contains "$o" "21=u32:1048576: rc 1: error: 22"
	# IP_MAX_MTU less the outer IPv4 and the keyed GRE header (28 bytes).
	assert_contains "$o" "mtu 65508: rc 2"
	assert_contains "$o" "mtu 65507: rc 0"
	assert_contains "$o" "mtu 67: rc 2"
	assert_contains "$o" '"gre0","gretap0","erspan0","g2","g9"]'
}

# External mode (collect_metadata): one per kind and namespace; a gre one
# has no link-layer type (ARPHRD_NONE). ga's gx0 is external: a
# tunnel_key action gives each packet its outer header and key; gb's plain
# keyed tunnel g0 answers, and the reply comes back through gx0 with its
# outer header and key as metadata, which flower's enc_ keys match.
md_case() { # c|rust
	use "$1"
	netns_pair ga gb a0 b0
	no_ipv6 ga gb
	ip -n ga -batch - <<'EOF'
addr add 192.168.93.1/24 dev a0
link add gx0 type gre external
addr add 10.96.0.1/24 dev gx0
link set gx0 up
link add tx0 type gretap external
EOF
	ip -n gb -batch - <<'EOF'
addr add 192.168.93.2/24 dev b0
link add g0 type gre local 192.168.93.2 remote 192.168.93.1 key 66
addr add 10.96.0.2/24 dev g0
link set g0 up
EOF
	gredrv "$1" gx0 ga
	gredrv "$1" tx0 ga
	echo "gx0: $(links ga gx0 | jq -c '{flags, mtu, link_type, info_data: .linkinfo.info_data}')"
	echo "tx0: $(links ga tx0 | jq -c '{flags, mtu, link_type, info_data: .linkinfo.info_data}')"
	outcome ip -n ga link add gx1 type gre external
	outcome ip -n ga link add tx1 type gretap external
	outcome ip -n gb link set g0 type gre local 192.168.93.2 remote 192.168.93.1 key 66 external
	tc -n ga qdisc add dev gx0 clsact
	tc -n ga filter add dev gx0 egress matchall \
		action tunnel_key set src_ip 192.168.93.1 dst_ip 192.168.93.2 id 66 ttl 33 tos 0x10 nocsum
	tc -n ga filter add dev gx0 ingress protocol ip flower \
		enc_src_ip 192.168.93.2 enc_dst_ip 192.168.93.1 enc_key_id 66 action pass
	local f
	for f in $(capture_proto "ip proto 47" ga a0 2 pingt ga 10.96.0.2); do
		frame "$f"
	done
	echo "ingress matched by enc_ keys: $(tc -n ga -s -j filter show dev gx0 ingress |
		jq '[.[] | select(.options.actions) | .options.actions[0].stats.packets] | add')"
	echo "gx0: $(ip -n ga -s -j link show gx0 | jq -c '.[0].stats64 | {rx: .rx.packets, tx: .tx.packets, tx_errors: .tx.errors, tx_dropped: .tx.dropped}')"
}

test_rust_external_mode_matches_c() {
	same_as_c md_case
	local o
	o=$(c_out)
	assert_contains "$o" '"link_type":"none"'
	assert_contains "$o" '"external":true'
	assert_contains "$o" "link add gx1 type gre external: rc 2: RTNETLINK answers: File exists"
	assert_contains "$o" "Enabling collect_md on an existing device is not supported"
	# The request: outer TTL 33, TOS 0x10 and key 66 from the tunnel key.
	assert_contains "$o" "tos=0x10 df=0 ttl=33 proto=47 | flags=0x2000 proto=0x0800 key=66"
	assert_contains "$o" "ingress matched by enc_ keys: 1"
	assert_contains "$o" 'gx0: {"rx":1,"tx":1,"tx_errors":0,"tx_dropped":0}'
}

# The legacy ioctls (SIOCADDTUNNEL & co. on gre0), which `ip tunnel` uses.
ioctl_case() { # c|rust
	use "$1"
	netns_add gt
	outcome ip -n gt tunnel add g2 mode gre remote 10.9.0.2 local 10.9.0.1 ttl 10 tos 0x08 key 77 csum
	gredrv "$1" g2 gt
	links gt g2
	ip -n gt tunnel show | sort
	outcome ip -n gt tunnel add g3 mode gre remote 10.9.0.2 local 10.9.0.1 key 77
	outcome ip -n gt tunnel change g2 mode gre remote 10.9.0.3 local 10.9.0.1 ttl 20 ikey 5 okey 6 seq
	links gt g2
	ip -n gt tunnel show g2
	ip -n gt link add g4 type gre local 10.9.1.1 remote 10.9.1.2 ttl 5 key 3 iseq
	ip -n gt tunnel show g4
	outcome ip -n gt tunnel del g2
	outcome ip -n gt tunnel del gre0
	ip -n gt tunnel show | sort
}

test_rust_ioctl_tunnel_matches_c() {
	same_as_c ioctl_case
	local o
	o=$(c_out)
	assert_contains "$o" "tunnel add g2 mode gre remote 10.9.0.2 local 10.9.0.1 ttl 10 tos 0x08 key 77 csum: rc 0"
	assert_contains "$o" "g2: gre/ip remote 10.9.0.3 local 10.9.0.1 ttl 20 tos 0x08 ikey 5 okey 6"
	assert_contains "$o" 'add tunnel "gre0" failed: File exists'
	assert_contains "$o" 'delete tunnel "gre0" failed: Operation not permitted'
	assert_contains "$o" "g4: gre/ip remote 10.9.1.2 local 10.9.1.1 ttl 5 key 3"
}

# ---- 3. traffic: two namespaces, a gre and a gretap tunnel each side ----

# ga (a0 192.168.93.1) and gb (b0 192.168.93.2) joined by a veth pair;
# gre g0 (inner 10.93.0.x) with options $2 and gretap e0 (inner
# 10.94.0.x) with options $3 on both sides ("@" in them: the side's veth).
# No IPv6; static neighbours over the gretap.
tunnels_pair() { # c|rust GRE-ARGS TAP-ARGS
	netns_pair ga gb a0 b0
	no_ipv6 ga gb
	printf '%s\n' "addr add 192.168.93.1/24 dev a0" \
		"link add g0 type gre local 192.168.93.1 remote 192.168.93.2 ${2//@/a0}" \
		"addr add 10.93.0.1/24 dev g0" "link set g0 up" \
		"link add e0 address $TMAC_A type gretap local 192.168.93.1 remote 192.168.93.2 ${3//@/a0}" \
		"addr add 10.94.0.1/24 dev e0" "link set e0 up" \
		"neigh add 10.94.0.2 lladdr $TMAC_B dev e0" | ip -n ga -batch -
	printf '%s\n' "addr add 192.168.93.2/24 dev b0" \
		"link add g0 type gre local 192.168.93.2 remote 192.168.93.1 ${2//@/b0}" \
		"addr add 10.93.0.2/24 dev g0" "link set g0 up" \
		"link add e0 address $TMAC_B type gretap local 192.168.93.2 remote 192.168.93.1 ${3//@/b0}" \
		"addr add 10.94.0.2/24 dev e0" "link set e0 up" \
		"neigh add 10.94.0.1 lladdr $TMAC_A dev e0" | ip -n gb -batch -
	gredrv "$1" g0 ga
	gredrv "$1" e0 gb
}

# One captured GRE packet (hex from the outer IP header) as "outer FIELDS
# | gre FIELDS | HEX" with the fields no tunnel decides masked: outer IP
# ID and checksum, the GRE checksum (it covers the inner ID), the inner
# IP ID and checksum, ICMP checksum and id.
frame() { # hex
	local h=$1 v=() g flags=0 off=48 glen
	v+=($((16#${h:2:2})) $((16#${h:12:2} >> 6 & 1)) $((16#${h:16:2})) $((16#${h:18:2})))
	g=${h:40}
	flags=$((16#${g:0:4}))
	glen=8
	local desc
	desc=$(printf 'flags=0x%04x proto=0x%s' $flags "${g:4:4}")
	if ((flags & 0x8000)); then
		g="${g:0:8}xxxx${g:12}"
		glen=$((glen + 8))
	fi
	if ((flags & 0x2000)); then
		desc+=" key=$((16#${g:glen:8}))"
		glen=$((glen + 8))
	fi
	if ((flags & 0x1000)); then
		desc+=" seq=$((16#${g:glen:8}))"
		glen=$((glen + 8))
	fi
	local inner=${g:glen} ers=""
	case ${g:4:4} in
	6558) inner=${inner:28} ;;
	88be) # ERSPAN type I (a 4-byte GRE header): the frame alone; type
		# II: base header and index, then the frame
		if [ "$glen" = 8 ]; then
			inner=${inner:28}
		else
			ers="${inner:0:16}"
			inner=${inner:44}
		fi
		;;
	22eb) # type III: the timestamp (hex digits 8-15) masked
		ers="${inner:0:8}xxxxxxxx${inner:16:8}"
		inner=${inner:52}
		;;
	esac
	# IPv4 ID and checksum, ICMP checksum and id (hex digits 8, 20, 44, 48).
	inner="${inner:0:8}xxxx${inner:12:8}xxxx${inner:24:20}xxxxxxxx${inner:52}"
	printf 'tos=0x%02x df=%d ttl=%d proto=%d | %s | %s%s%s%s\n' "${v[0]}" "${v[1]}" "${v[2]}" "${v[3]}" \
		"$desc" "${h:0:8}xxxx${h:12:8}xxxx${h:24:16}" "${g:0:glen}" "$ers" "$inner"
}

wire_pings() {
	pingt ga -M dont -Q 0xba 10.93.0.2
	pingt ga -M 'do' -t 33 10.93.0.2
	pingt ga -Q 0x10 10.94.0.2
	ip -n ga link set g0 type gre local 192.168.93.1 remote 192.168.93.2 ttl inherit tos inherit nopmtudisc key 9 csum seq
	ip -n gb link set g0 type gre local 192.168.93.2 remote 192.168.93.1 ttl inherit tos inherit nopmtudisc key 9 csum seq
	pingt ga -M dont -t 33 -Q 0xbb 10.93.0.2
	pingt ga -M dont -t 34 10.93.0.2
}

wire_case() { # c|rust
	use "$1"
	tunnels_pair "$1" "ttl 64 tos 0x10 pmtudisc" "key 4 seq csum ttl 50"
	local f
	for f in $(capture_proto "ip proto 47" ga a0 10 wire_pings); do
		frame "$f"
	done
	local ns dev
	for ns in ga gb; do
		for dev in g0 e0; do
			echo "$ns $dev: $(ip -n $ns -s -j link show $dev | jq -c '.[0].stats64 | {rx: .rx.packets, rx_bytes: .rx.bytes, tx: .tx.packets, tx_bytes: .tx.bytes, rx_errors: .rx.errors, tx_errors: .tx.errors, tx_dropped: .tx.dropped}')"
		done
	done
	echo "mtu: $(ip -n ga -j link show g0 | jq '.[0].mtu') $(ip -n ga -j link show e0 | jq '.[0].mtu')"
}

test_rust_traffic_wire_matches_c() {
	same_as_c wire_case
	local o
	o=$(c_out)
	assert_eq "$(echo "$o" | grep -c '^tos')" 10 "captured packets"
	# Requests (odd lines): gre with the template's TOS and TTL, gretap
	# with key, sequence and checksum, then gre inheriting TTL and TOS.
	local req
	req=$(echo "$o" | grep '^tos' | awk 'NR % 2 == 1' | cut -d'|' -f1,2)
	assert_eq "$req" "tos=0x12 df=1 ttl=64 proto=47 | flags=0x0000 proto=0x0800 
tos=0x10 df=1 ttl=64 proto=47 | flags=0x0000 proto=0x0800 
tos=0x00 df=1 ttl=50 proto=47 | flags=0xb000 proto=0x6558 key=4 seq=0 
tos=0xba df=0 ttl=33 proto=47 | flags=0xb000 proto=0x0800 key=9 seq=0 
tos=0x00 df=0 ttl=34 proto=47 | flags=0xb000 proto=0x0800 key=9 seq=1 " "outer and GRE headers of the requests"
	assert_contains "$o" 'ga g0: {"rx":4,'
	# Key, checksum and sequence numbers: 12 bytes more than plain GRE;
	# gretap: 1500 - 20 - 16 - 14.
	assert_contains "$o" "mtu: 1464 1450"
}

# ---- 3c. erspan: mirrored frames ----

# ga and gb with an erspan pair of each version (s1: type II, index 5;
# s2: type III, egress, hardware id 9; s0: type I) over one veth; frames
# sent through them (erspan devices are Ethernet devices) are captured
# on the underlay: GRE with sequence numbers, the ERSPAN header (type
# III's timestamp masked), the frame; the far side hands them up.
erspan_pings() {
	pingt ga 10.97.1.2
	pingt ga 10.97.2.2
	pingt ga 10.97.0.2
}

erspan_case() { # c|rust
	use "$1"
	netns_pair ga gb a0 b0
	no_ipv6 ga gb
	local ns me peer mac pmac
	for ns in ga gb; do
		me=1 peer=2 mac=01 pmac=02
		[ $ns = ga ] || { me=2 peer=1 mac=02 pmac=01; }
		printf '%s\n' "addr add 192.168.93.$me/24 dev ${ns:1:1}0" \
			"link add s1 address 02:00:00:00:73:$mac type erspan local 192.168.93.$me remote 192.168.93.$peer seq key 21 erspan_ver 1 erspan 5" \
			"link add s2 address 02:00:00:00:74:$mac type erspan local 192.168.93.$me remote 192.168.93.$peer seq key 22 erspan_ver 2 erspan_dir egress erspan_hwid 9" \
			"link add s0 address 02:00:00:00:75:$mac type erspan local 192.168.93.$me remote 192.168.93.$peer erspan_ver 0" \
			"addr add 10.97.1.$me/24 dev s1" "addr add 10.97.2.$me/24 dev s2" "addr add 10.97.0.$me/24 dev s0" \
			"link set s1 up" "link set s2 up" "link set s0 up" \
			"neigh add 10.97.1.$peer lladdr 02:00:00:00:73:$pmac dev s1" \
			"neigh add 10.97.2.$peer lladdr 02:00:00:00:74:$pmac dev s2" \
			"neigh add 10.97.0.$peer lladdr 02:00:00:00:75:$pmac dev s0" | ip -n $ns -batch -
	done
	gredrv "$1" s1 ga
	gredrv "$1" s2 gb
	local f
	for f in $(capture_proto "ip proto 47" ga a0 6 erspan_pings); do
		frame "$f"
	done
	for ns in ga gb; do
		echo "$ns: $(ip -n $ns -s -j link show | jq -c '[.[] | select(.ifname | test("^s[012]$")) | {(.ifname): [.stats64.rx.packets, .stats64.tx.packets, .stats64.rx.errors]}] | add')"
	done
	echo "mtu: $(ip -n ga -j link show | jq -c '[.[] | select(.ifname | test("^s[012]$")) | .mtu]')"
}

test_rust_erspan_wire_matches_c() {
	same_as_c erspan_case
	local o
	o=$(c_out)
	assert_eq "$(echo "$o" | grep -c '^tos')" 6 "captured packets"
	assert_contains "$o" "proto=47 | flags=0x1000 proto=0x88be seq=0"
	assert_contains "$o" "proto=47 | flags=0x1000 proto=0x22eb seq=0"
	assert_contains "$o" "proto=47 | flags=0x0000 proto=0x88be"
	assert_contains "$o" 'ga: {"s1":[1,1,0],"s2":[1,1,0],"s0":[1,1,0]}'
}

# External-mode erspan (collect_metadata): one per namespace. ga's sx0 is
# external; gb is a peer without a tunnel (tests/lib/tunnel_peer.py) that
# mirrors echo requests to it as ERSPAN type II (session 21, index 5),
# type III (session 22, egress, hardware id 9) and type I. sx0 hands the
# frames up with the outer addresses, session id and ERSPAN metadata,
# which flower's enc_ and erspan_opts keys match on its ingress; the
# replies leave through tunnel_key actions with erspan_opts on its egress
# (type II for 10.98.0.2, type III for 10.98.0.3, none for 10.98.0.4:
# dropped) and are captured on the underlay byte for byte.
ERSPAN_MAC=02-00-00-00-76-01
erspan_md_jobs() {
	local A=192.168.93.1 B=192.168.93.2 M=$ERSPAN_MAC
	peer gb --wait 1 >"$ERSPAN_PEER_OUT" <<EOF
send v1 $B $A ers1:21:5:$M:10.98.0.2:10.98.0.1 seq=1
send v2 $B $A ers2:22:1:9:$M:10.98.0.3:10.98.0.1 seq=2
send type-i $B $A ers0:$M:10.98.0.4:10.98.0.1
send v1-other-index $B $A ers1:21:6:$M:10.98.0.2:10.98.0.1 seq=3
EOF
}

erspan_md_case() { # c|rust
	use "$1"
	netns_pair ga gb a0 b0
	netns_add gc
	no_ipv6 ga gb
	ip -n ga -batch - <<EOF
addr add 192.168.93.1/24 dev a0
link add sx0 address ${ERSPAN_MAC//-/:} type erspan external
addr add 10.98.0.1/24 dev sx0
link set sx0 up
neigh add 10.98.0.2 lladdr 02:00:00:00:99:01 dev sx0
neigh add 10.98.0.3 lladdr 02:00:00:00:99:01 dev sx0
neigh add 10.98.0.4 lladdr 02:00:00:00:99:01 dev sx0
EOF
	ip -n gb addr add 192.168.93.2/24 dev b0
	gredrv "$1" sx0 ga
	echo "sx0: $(links ga sx0 | jq -c '{flags, mtu, info_data: .linkinfo.info_data}')"
	outcome ip -n ga link add sx1 type erspan external
	outcome ip -n gc link add sx2 type erspan external erspan_ver 2
	outcome ip -n gc link add sx3 type erspan local 10.2.0.1 remote 10.2.0.2 seq key 3 erspan_ver 1 erspan 7
	outcome ip -n gc link set sx3 type erspan local 10.2.0.1 remote 10.2.0.2 seq key 3 erspan_ver 1 erspan 7 external
	echo "sx2: $(links gc sx2 | jq -c '{flags, mtu, info_data: .linkinfo.info_data}')"
	tc -n ga qdisc add dev sx0 clsact
	tc -n ga filter add dev sx0 egress protocol ip flower dst_ip 10.98.0.2 \
		action tunnel_key set src_ip 192.168.93.1 dst_ip 192.168.93.2 id 21 erspan_opts 1:5:0:0 ttl 33 nocsum
	tc -n ga filter add dev sx0 egress protocol ip flower dst_ip 10.98.0.3 \
		action tunnel_key set src_ip 192.168.93.1 dst_ip 192.168.93.2 id 22 erspan_opts 2:0:1:9 tos 0x10 nocsum
	tc -n ga filter add dev sx0 ingress protocol ip flower enc_src_ip 192.168.93.2 \
		enc_dst_ip 192.168.93.1 enc_key_id 21 erspan_opts 1:5:0:0/1:0xfffff:0:0 action pass
	tc -n ga filter add dev sx0 ingress protocol ip flower enc_key_id 22 \
		erspan_opts 2:0:1:9/2:0:1:0x3f action pass
	tc -n ga filter add dev sx0 ingress protocol ip flower enc_key_id 0 action pass
	ERSPAN_PEER_OUT=$(mktemp)
	local f
	for f in $(capture_proto "ip proto 47 and src host 192.168.93.1" ga a0 3 erspan_md_jobs); do
		frame "$f"
	done
	cat "$ERSPAN_PEER_OUT"
	rm -f "$ERSPAN_PEER_OUT"
	echo "ingress matched (v1, v2, type I): $(tc -n ga -s -j filter show dev sx0 ingress |
		jq -c '[.[] | select(.options.actions) | .options.actions[0].stats.packets]')"
	echo "sx0: $(ip -n ga -s -j link show sx0 | jq -c '.[0].stats64 | {rx: .rx.packets, rx_errors: .rx.errors, tx: .tx.packets, tx_errors: .tx.errors, tx_dropped: .tx.dropped}')"
}

test_rust_erspan_external_matches_c() {
	same_as_c erspan_md_case
	local o
	o=$(c_out)
	assert_contains "$o" '"external":true'
	assert_contains "$o" "link add sx1 type erspan external: rc 2: RTNETLINK answers: File exists"
	assert_contains "$o" "link add sx2 type erspan external erspan_ver 2: rc 0"
	assert_contains "$o" "Enabling collect_md on an existing device is not supported"
	assert_eq "$(echo "$o" | grep -c '^tos')" 3 "captured packets"
	# The replies: type II with index 5 and TTL 33, type III egress with
	# hardware id 9 and TOS 0x10, each with a GRE sequence number and no
	# key (the session id is in the ERSPAN header).
	assert_contains "$o" "ttl=33 proto=47 | flags=0x1000 proto=0x88be seq=0 |"
	assert_contains "$o" "tos=0x10 df=0 ttl=64 proto=47 | flags=0x1000 proto=0x22eb seq=1 |"
	assert_contains "$o" "v1: gre 192.168.93.1>192.168.93.2 tos 0x00 ttl 33 seq 0 erspan v1 id 21 t 0 index 5 teb"
	assert_contains "$o" "v2: gre 192.168.93.1>192.168.93.2 tos 0x10 ttl 64 seq 1 erspan v2 id 22 t 0 dir 1 hwid 9 teb"
	assert_contains "$o" "type-i: nothing"
	assert_contains "$o" "v1-other-index: gre 192.168.93.1>192.168.93.2 tos 0x00 ttl 33 seq 2 erspan v1 id 21"
	assert_contains "$o" "ingress matched (v1, v2, type I): [1,1,1]"
	assert_contains "$o" 'sx0: {"rx":4,"rx_errors":0,"tx":3,"tx_errors":0,"tx_dropped":1}'
}

# ---- 3e. NBMA and multicast gre (header operations) ----

# NBMA: ga's g1 has no remote end; each neighbour's hardware address is
# the outer destination (static entries, as opennhrp installs them): the
# echo requests to 10.99.0.2 and 10.99.0.3 leave for 192.168.93.2 and .3
# (gb's NBMA tunnels answer), captured byte for byte. g2 has no local
# address either: its neighbours' address is 0, the header is incomplete
# and nothing is sent.
nbma_pings() {
	pingt ga 10.99.0.2
	pingt ga 10.99.0.3
}

# A packet socket on gb's g1 while ga pings it: the link-level source
# address of the request in and the reply out is the outer IPv4 source
# (ipgre_header_parse through dev_parse_header, 4 bytes).
PKT_ADDRS='
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0003))
s.bind(("g1", 0))
s.settimeout(10)
print("ready", flush=True)
for _ in range(2):
    data, a = s.recvfrom(2048)
    print("proto=0x%04x pkttype=%d hatype=%d addr=%s" % (a[1], a[2], a[3], a[4].hex()), flush=True)
'
packet_socket_addrs() {
	local out pid
	out=$(mktemp)
	ip netns exec gb python3 -c "$PKT_ADDRS" >"$out" 2>&1 &
	pid=$!
	wait_for 10 grep -q ready "$out" || fail "packet socket: $(cat "$out")"
	pingt ga 10.99.0.2
	wait "$pid" || fail "packet socket: $(cat "$out")"
	sed -e '/^ready$/d' -e 's/^/gb g1 packet socket: /' "$out"
	rm -f "$out"
}

nbma_case() { # c|rust
	use "$1"
	netns_pair ga gb a0 b0
	no_ipv6 ga gb
	ip -n ga -batch - <<'EOF'
addr add 192.168.93.1/24 dev a0
link add g1 type gre local 192.168.93.1 key 9
addr add 10.99.0.1/24 dev g1
link set g1 up
neigh add 10.99.0.2 lladdr 192.168.93.2 dev g1
neigh add 10.99.0.3 lladdr 192.168.93.3 dev g1
link add g2 type gre ttl 7 key 3
addr add 10.99.2.1/24 dev g2
link set g2 up
EOF
	ip -n gb -batch - <<'EOF'
addr add 192.168.93.2/24 dev b0
addr add 192.168.93.3/24 dev b0
link add g1 type gre local 192.168.93.2 key 9
addr add 10.99.0.2/24 dev g1
link set g1 up
neigh add 10.99.0.1 lladdr 192.168.93.1 dev g1
link add g3 type gre local 192.168.93.3 key 9
addr add 10.99.0.3/24 dev g3
link set g3 up
neigh add 10.99.0.1 lladdr 192.168.93.1 dev g3
EOF
	gredrv "$1" g1 ga
	gredrv "$1" g3 gb
	echo "g1: $(links ga g1 | jq -c '{flags, mtu, link_type, address, broadcast, info_data: .linkinfo.info_data}')"
	echo "g2: $(links ga g2 | jq -c '{flags, mtu, link_type, address, broadcast}')"
	ip -n ga neigh show dev g1 | sort
	local f
	for f in $(capture_proto "ip proto 47" ga a0 4 nbma_pings); do
		frame "$f"
	done
	packet_socket_addrs
	outcome ip netns exec ga ping -n -c 1 -W 1 10.99.2.2
	local nd
	for nd in ga:g1 ga:g2 gb:g1 gb:g3; do
		echo "$nd: $(ip -n "${nd%:*}" -s -j link show "${nd#*:}" | jq -c '.[0].stats64 | {rx: .rx.packets, tx: .tx.packets, tx_errors: .tx.errors, tx_dropped: .tx.dropped, tx_carrier: .tx.carrier_errors}')"
	done
}

test_rust_nbma_neighbours_match_c() {
	same_as_c nbma_case
	local o
	o=$(c_out)
	assert_contains "$o" '"flags":["NOARP","UP","LOWER_UP"]'
	assert_contains "$o" '"address":"192.168.93.1","broadcast":"0.0.0.0"'
	assert_contains "$o" "10.99.0.2 lladdr 192.168.93.2 PERMANENT"
	assert_eq "$(echo "$o" | grep -c '^tos')" 4 "captured packets"
	# The requests go to each neighbour's outer address, keyed.
	assert_contains "$o" "proto=47 | flags=0x2000 proto=0x0800 key=9 | 45000044xxxx4000402fxxxxc0a85d01c0a85d02"
	assert_contains "$o" "proto=47 | flags=0x2000 proto=0x0800 key=9 | 45000044xxxx4000402fxxxxc0a85d01c0a85d03"
	assert_contains "$o" "ping -n -c 1 -W 1 10.99.2.2: rc 1"
	assert_contains "$o" 'ga:g1: {"rx":3,"tx":3,'
	assert_contains "$o" "gb g1 packet socket: proto=0x0800 pkttype=0 hatype=778 addr=c0a85d01"
	assert_contains "$o" "gb g1 packet socket: proto=0x0800 pkttype=4 hatype=778 addr=c0a85d02"
}

# Multicast remote: g1 (local 192.168.93.1, remote 239.1.1.1, a local
# address is required) is a broadcast device that joins its group on the
# underlay while up (`ip maddr` of a0); a broadcast ping leaves for the
# group (as do pings to a neighbour whose address is the group); a
# tunnel-less peer's packet to the group is received while the
# group is joined (the answer goes to the static neighbour's address),
# not once g1 is down.
mc_pings() {
	outcome ip netns exec ga ping -n -b -c 1 -W 1 -s 12 -p a5 10.99.1.255 >>"$MC_OUT"
	outcome ip netns exec ga ping -n -c 1 -W 1 -s 12 -p a5 10.99.1.9 >>"$MC_OUT"
}

maddrs() { # ns dev: the IPv4 and link-level groups of dev
	ip -n "$1" maddr show dev "$2" | grep -v '^[0-9]' | sort
}

mc_case() { # c|rust
	use "$1"
	netns_pair ga gb a0 b0
	no_ipv6 ga gb
	ip -n ga -batch - <<'EOF'
addr add 192.168.93.1/24 dev a0
route add 239.0.0.0/8 dev a0
EOF
	ip -n gb -batch - <<'EOF'
addr add 192.168.93.2/24 dev b0
route add 239.0.0.0/8 dev b0
EOF
	# iproute2 refuses a multicast remote without a local address itself:
	# the request as netlink (IFLA_GRE_REMOTE = 7).
	outcome ip netns exec ga python3 "$RVNET_ROOT/tests/lib/rtnl.py" newlink gm9 gre 7=raw:ef010101
	ip -n ga -batch - <<'EOF'
link add g1 type gre local 192.168.93.1 remote 239.1.1.1 key 7 ttl 5
addr add 10.99.1.1/24 brd + dev g1
neigh add 10.99.1.2 lladdr 192.168.93.2 dev g1
EOF
	gredrv "$1" g1 ga
	echo "a0 groups, g1 down:"
	maddrs ga a0
	ip -n ga link set g1 up
	echo "a0 groups, g1 up:"
	maddrs ga a0
	echo "g1: $(links ga g1 | jq -c '{flags, mtu, link_type, address, broadcast, info_data: .linkinfo.info_data}')"
	outcome ip -n ga link set g1 type gre local 192.168.93.1 remote 239.1.1.2 key 7 ttl 5
	local f
	local B=192.168.93.2 G=239.1.1.1
	# The underlay's neighbours resolved first: the answer to the peer
	# leaves at once.
	pingt ga 192.168.93.2
	peer gb --wait 2 <<EOF
send mc $B $G echo:10.99.1.2:10.99.1.1 key=7
send mc-other-key $B $G echo:10.99.1.2:10.99.1.1 key=8
EOF
	ip -n ga neigh add 10.99.1.9 lladdr 239.1.1.1 dev g1
	MC_OUT=$(mktemp)
	for f in $(capture_proto "ip proto 47 and dst host 239.1.1.1" ga a0 2 mc_pings); do
		frame "$f"
	done
	cat "$MC_OUT"
	rm -f "$MC_OUT"
	ip -n ga link set g1 down
	echo "a0 groups, g1 down again:"
	maddrs ga a0
	peer gb --wait 1 <<EOF
send mc-down $B $G echo:10.99.1.2:10.99.1.1 key=7
EOF
	echo "g1: $(ip -n ga -s -j link show g1 | jq -c '.[0].stats64 | {rx: .rx.packets, multicast: .rx.multicast, tx: .tx.packets, tx_errors: .tx.errors, tx_dropped: .tx.dropped}')"
}

test_rust_multicast_remote_matches_c() {
	same_as_c mc_case
	local o
	o=$(c_out)
	assert_contains "$o" "newlink gm9 gre 7=raw:ef010101: rc 1: error: 22"
	assert_contains "$o" "$(printf 'a0 groups, g1 up:\n\tinet  224.0.0.1\n\tinet  239.1.1.1')"
	assert_contains "$o" '"broadcast":"239.1.1.1"'
	assert_contains "$o" '"BROADCAST"'
	# A ping through a neighbour whose address is the group: to the
	# group, TTL 5, keyed.
	assert_contains "$o" "ttl=5 proto=47 | flags=0x2000 proto=0x0800 key=7 | 45000044xxxx4000052fxxxxc0a85d01ef010101"
	assert_contains "$o" "mc: gre 192.168.93.1>192.168.93.2 tos 0x00 ttl 5 key 7: 10.99.1.1>10.99.1.2 icmp 0"
	assert_contains "$o" "mc-down: nothing"
}

# ---- 4. receive: packets from a peer without a tunnel ----

rx_case() { # c|rust
	use "$1"
	netns_pair ga gb a0 b0
	no_ipv6 ga gb
	ip -n ga -batch - <<'EOF'
addr add 192.168.93.1/24 dev a0
link add g0 type gre local 192.168.93.1 remote 192.168.93.2
addr add 10.93.0.1/24 dev g0
link set g0 up
link add gk type gre local 192.168.93.1 remote 192.168.93.2 key 7 icsum iseq
addr add 10.95.0.1/24 dev gk
link set gk up
link add e0 address 02:00:00:00:71:01 type gretap local 192.168.93.1 remote 192.168.93.2 key 4
addr add 10.94.0.1/24 dev e0
link set e0 up
neigh add 10.94.0.2 lladdr 02:00:00:00:99:01 dev e0
EOF
	ip -n gb -batch - <<'EOF'
addr add 192.168.93.2/24 dev b0
addr add 192.168.93.3/24 dev b0
EOF
	gredrv "$1" g0 ga
	gredrv "$1" gk ga
	local cnt="sh ip -n ga -s -j link show | jq -r '.[] | select(.ifname | test(\"^(g0|gk|e0|gre0)$\")) | \"  \\(.ifname) rx \\(.stats64.rx.packets) errors \\(.stats64.rx.errors) crc \\(.stats64.rx.crc_errors // 0) fifo \\(.stats64.rx.fifo_errors // 0) length \\(.stats64.rx.length_errors // 0) dropped \\(.stats64.rx.dropped)\"'"
	local A=192.168.93.1 B=192.168.93.2 C=192.168.93.3
	peer gb --wait 1 <<EOF
send plain $B $A echo:10.93.0.2:10.93.0.1
send keyed $B $A echo:10.95.0.2:10.95.0.1 key=7 csum seq=1
send keyed-seq-2 $B $A echo:10.95.0.2:10.95.0.1 key=7 csum seq=2
$cnt
send keyed-old-seq $B $A echo:10.95.0.2:10.95.0.1 key=7 csum seq=1
send keyed-no-seq $B $A echo:10.95.0.2:10.95.0.1 key=7 csum
send keyed-no-csum $B $A echo:10.95.0.2:10.95.0.1 key=7 seq=5
send keyed-bad-csum $B $A echo:10.95.0.2:10.95.0.1 key=7 badcsum seq=6
send keyed-seq-7 $B $A echo:10.95.0.2:10.95.0.1 key=7 csum seq=7
$cnt
send wrong-key $B $A echo:10.95.0.2:10.95.0.1 key=8 csum seq=8
send unknown-remote $C $A echo:10.93.0.3:10.93.0.1
sh ip -n ga link set gre0 up
send unknown-remote-gre0-up $C $A echo:10.93.0.3:10.93.0.1
sh ip -n ga link set gre0 down
send tap $B $A eth:02-00-00-00-71-01:10.94.0.2:10.94.0.1 key=4
send tap-no-key $B $A eth:02-00-00-00-71-01:10.94.0.2:10.94.0.1
send version-1 $B $A echo:10.93.0.2:10.93.0.1 flags=0x0001
send routing $B $A echo:10.93.0.2:10.93.0.1 flags=0x4000
send other-proto $B $A echo:10.93.0.2:10.93.0.1 proto=0x88be
send short-inner-0 $B $A short:0
send short-inner-10 $B $A short:10
$cnt
EOF
}

test_rust_receive_matches_c() {
	local o
	splat_mark
	same_as_c rx_case
	o=$(c_out)
	assert_contains "$o" "plain: gre 192.168.93.1>192.168.93.2 tos 0x00 ttl 64: 10.93.0.1>10.93.0.2 icmp 0"
	assert_contains "$o" "keyed: gre 192.168.93.1>192.168.93.2 tos 0x00 ttl 64 key 7: 10.95.0.1>10.95.0.2 icmp 0"
	assert_contains "$o" "  gk rx 2 errors 0"
	assert_contains "$o" "keyed-old-seq: nothing"
	assert_contains "$o" "keyed-seq-7: gre"
	assert_contains "$o" "wrong-key: icmp 3/3 from 192.168.93.1"
	# (The peer's address is a static neighbour of e0: no ARP in the way.)
	assert_contains "$o" "tap: gre 192.168.93.1>192.168.93.2 tos 0x00 ttl 64 key 4 teb 02-00-00-00-71-01>02-00-00-00-99-01: 10.94.0.1>10.94.0.2 icmp 0"
	assert_contains "$o" "short-inner-10: nothing"
	assert_eq "$(splats_since_mark)" "" "kernel log"
}

# ---- 4b. ICMP errors about the tunnel's packets ----

# ga's g0 sends to gb, a peer without a tunnel, which answers the packets
# with ICMP errors as a router on the path would: "fragmentation needed"
# (the route towards the remote end learns the MTU: an exception `ip route
# get` shows), "host unreachable" about an IPv4 payload (counted: the
# tunnel then answers its next sender with a link failure, ICMP host
# unreachable) and about an IPv6 payload (for the IPv6 sender, as ICMPv6:
# neither C nor rvnet_gre sends one to a local sender here).
icmp_case() { # c|rust
	use "$1"
	netns_pair ga gb a0 b0
	no_ipv6 gb
	ip netns exec ga sysctl -qw net.ipv6.conf.default.router_solicitations=0
	ip -n ga -batch - <<'EOF'
addr add 192.168.93.1/24 dev a0
link add g0 type gre local 192.168.93.1 remote 192.168.93.2
addr add 10.93.0.1/24 dev g0
addr add fd93::1/64 dev g0 nodad
link set g0 up
EOF
	ip -n gb addr add 192.168.93.2/24 dev b0
	gredrv "$1" g0 ga
	local stat="sh ip netns exec ga nstat -asz IcmpOutDestUnreachs Icmp6OutDestUnreachs | awk '{ print \"  \" \$1, \$2 }'"
	local rt="sh ip -n ga -o route get 192.168.93.2 | sed -E 's/ +/ /g; s/ uid [0-9]+//; s/ expires [0-9]+sec/ expires Nsec/'"
	peer gb --wait 2 <<EOF
trigger v4 10.93.0.1>10.93.0.2 ip netns exec ga ping -n -c 1 -W 1 10.93.0.2
senderr frag-needed 3 4 1400
$rt
$stat
trigger v4-again 10.93.0.1>10.93.0.2 ip netns exec ga ping -n -c 1 -W 1 10.93.0.2
senderr host-unreach 3 1 0
trigger v4-link-failure 10.93.0.1>10.93.0.2 ip netns exec ga ping -n -c 1 -W 1 10.93.0.2
$stat
trigger v6 fd93::1>fd93::2 ip netns exec ga ping -n -c 1 -W 1 fd93::2
senderr host-unreach-v6 3 1 0
sh sleep 0.5
$stat
EOF
}

test_rust_icmp_errors_match_c() {
	local o
	splat_mark
	same_as_c icmp_case
	o=$(c_out)
	assert_contains "$o" "v4: gre 192.168.93.1>192.168.93.2"
	assert_contains "$o" "192.168.93.2 dev a0 src 192.168.93.1"
	assert_contains "$o" "mtu 1400"
	# The unreachable error made the next packet's sender hear of a link
	# failure (ICMP host unreachable from the tunnel).
	assert_contains "$o" "v4-link-failure: gre"
	assert_contains "$o" "  IcmpOutDestUnreachs 1"
	assert_contains "$o" "v6: gre 192.168.93.1>192.168.93.2 tos 0x00 ttl 64: fd93::1>fd93::2 icmp6 128"
	assert_eq "$(splats_since_mark)" "" "kernel log"
}

# ---- 5. unload and teardown under traffic ----

test_rust_rmmod_under_traffic() {
	use rust
	tunnels_pair rust "" ""
	ip link add gz type gre local 10.77.0.1 remote 10.77.0.2
	gredrv rust gz
	tunnel_rmmod gre ga gb g0 'gre0|gretap0|g0|e0|gz' 10.93.0.2 10.94.0.2
}

teardown_case() { # c|rust
	use "$1"
	tunnels_pair "$1" "dev @" "dev @"
	# (Its link, a0's index now gone, shows as "ifN": compared as present.)
	tunnel_teardown gre ga gb g0 10.93.0.2 10.94.0.1 \
		'{ifname, flags, operstate, mtu, link: (.link != null), info_data: (.linkinfo.info_data | .link = (.link != null))}'
}

test_rust_underlay_and_netns_del_matches_c() {
	same_as_c teardown_case
	c_has 'g0 after its underlay went: {"ifname":"g0"'
}

# gre and gretap moved (the gretap one as a second run of the same
# steps, its peer's neighbour entry fixed).
move_case() { # c|rust
	use "$1"
	tunnels_pair "$1" "key 7 dev @" "dev @"
	tunnel_netns_move gre gre0 ga g0 10.93.0.1/24 10.93.0.2 \
		local 192.168.93.1 remote 192.168.93.2 key 7 dev a0
	ip netns del gb
	tunnels_pair "$1" "" "dev @"
	MOVE_LLADDR=$TMAC_A tunnel_netns_move gretap gretap0 ga e0 10.94.0.1/24 10.94.0.2 \
		local 192.168.93.1 remote 192.168.93.2 dev a0
}

test_rust_netns_move_matches_c() {
	same_as_c move_case
	tunnel_netns_move_expect ga g0 gre0
	tunnel_netns_move_expect ga e0 gretap0
}

# ---- /proc/net/tunnels: rvnet_tunnels's file, rvnet_gre's and rvnet_ipip's lines ----

# One namespace with a tunnel of each GRE kind and an ipip one: the file
# (owned by rvnet_tunnels, which both modules depend on) lists all of them
# and the four fallback devices, each once, with its kind; without
# rvnet_gre (C ip_gre serving GRE) only ipip's lines are left.
test_rust_proc_tunnels() {
	use rust
	use_driver ipip rust
	trap 'unload_modules rvnet_gre ip_gre rvnet_ipip ipip' EXIT
	netns_add pt
	no_ipv6 pt
	ip -n pt -batch - <<'EOF'
link add u0 type dummy
addr add 10.77.0.1/24 dev u0
link set u0 up
link add g1 type gre local 10.77.0.1 remote 10.77.0.2 key 0x1234 ttl 32
link add e1 type gretap local 10.77.0.1 remote 10.77.0.3 ikey 5 okey 6
link add s1 type erspan local 10.77.0.1 remote 10.77.0.4 seq key 7 erspan_ver 1 erspan 3
link add t1 type ipip local 10.77.0.1 remote 10.77.0.5
EOF
	gredrv rust g1 pt
	gredrv rust e1 pt
	gredrv rust s1 pt
	expect_driver t1 rvnet_ipip pt
	local f lines
	mapfile -t lines < <(ip netns exec pt cat /proc/net/tunnels)
	printf '%s\n' "${lines[@]}"
	read -ra f <<<"${lines[0]}"
	assert_eq "${f[*]}" "Iface Kind Local Remote Ikey Okey Link TTL TOS PMTUDisc RxPackets RxBytes TxPackets TxBytes RxErrors TxErrors PMTU" "header"
	assert_eq "$(printf '%s\n' "${lines[@]:1}" | awk '{ print $1, $2, $3, $4 }' | sort | tr '\n' ';')" \
		"e1 gretap 10.77.0.1 10.77.0.3;erspan0 erspan any any;g1 gre 10.77.0.1 10.77.0.2;gre0 gre any any;gretap0 gretap any any;s1 erspan 10.77.0.1 10.77.0.4;t1 ipip 10.77.0.1 10.77.0.5;tunl0 ipip any any;" \
		"tunnels listed (name kind local remote)"
	assert_eq "$(printf '%s\n' "${lines[@]}" | awk '$1 == "g1" || $1 == "e1" || $1 == "t1" { print $1, $5, $6, $8 }' | sort | tr '\n' ';')" \
		"e1 0x5 0x6 inherit;g1 0x1234 0x1234 32;t1 - - inherit;" "keys and TTL"
	# C ip_gre instead of rvnet_gre: rvnet_ipip's lines only.
	ip netns del pt
	use_driver gre c
	netns_add pt
	ip -n pt link add g1 type gre local 10.77.0.1 remote 10.77.0.2
	gredrv c g1 pt
	assert_eq "$(ip netns exec pt cat /proc/net/tunnels | awk 'NR > 1 { print $1, $2 }' | tr '\n' ';')" \
		"tunl0 ipip;" "lines with C ip_gre serving GRE"
}

ktap_run_suite gre
