# SPDX-License-Identifier: GPL-2.0
#
# What the IP tunnel suites (ipip.sh, gre.sh, sit.sh) share: checks of
# the C half of a same_as_c, one deterministic ping, and captures of the
# underlay as hex (errors compared rather than fatal: ktap.sh's outcome).
#
#   c_has TEXT / c_out                the C output of the last same_as_c
#   pingt NS PING-ARGS...             one echo, 12 bytes of payload
#   ping6t NS PING-ARGS...            the same in IPv6
#   quiet_ipv6 NS...                  no IPv6 autoconfiguration (no_ipv6: ktap.sh)
#   capture_proto FILTER NS DEV N CMD...
#                                     N packets matching FILTER on NS DEV
#                                     while CMD runs, hex from the IP
#                                     header, one a line
#   peer NS [ARGS]                    the tunnel-less peer
#                                     (tests/lib/tunnel_peer.py, protocol
#                                     $TUNNEL_PROTO) in NS, jobs on stdin
#   $NORM                             jq: `ip -d -j link` less what differs
#                                     between runs of one driver
#   flood NS DST                      a ping flood in the background
#                                     (its pid in FLOOD)
#   tunnel_rmmod KIND NS_A NS_B DEV LEFT_RE DST...
#                                     rmmod of the Rust module under a
#                                     flood from NS_A through DEV
#   tunnel_teardown KIND NS_A NS_B DEV DST_A DST_B [JQ]
#                                     the underlay and the namespaces
#                                     deleted under floods both ways
#   tx_above NS DEV N                 DEV has sent more than N packets
#   tunnel_use KIND c|rust            load KIND's driver alone (use_driver);
#                                     both unloaded when the test ends
#   tunnel_one_module KIND c|rust     after expect_driver: for C, its
#                                     module loaded and ours not (C's
#                                     tunnels have no ethtool driver name,
#                                     the kernel reports the kind, which
#                                     ours would show too)
#   tunnel_links KIND NS [DEV]        KIND's devices of NS (or DEV), one
#                                     normalised JSON line each
#   tunnel_netns_move KIND FB NS DEV CIDR DST ARGS...
#                                     DEV (made in NS with ARGS, CIDR on
#                                     it, DST behind it) moved to other
#                                     namespaces, and NS deleted; a ping's
#                                     frames on NS's a0 (the suite's
#                                     TUNNEL_WIRE filter) printed by its
#                                     TUNNEL_FRAME decoder
#   tunnel_netns_move_expect NS DEV FB
#                                     its checks, on the C output

# `ip -d -j link` without what differs between runs of one driver.
NORM='del(.ifindex, .link_index, .link_netnsid)'

peer() { # ns [args]: the tunnel-less peer, in netns $1
	local ns=$1
	shift
	ip netns exec "$ns" python3 "$RVNET_ROOT/tests/lib/tunnel_peer.py" --proto "$TUNNEL_PROTO" "$@"
}

# Run a command, print "CMD: rc N: OUTPUT" (errors are compared, not
# fatal; ping's timings are left out).

# Assert that the C output of the last same_as_c contains "$1" (the
# comparison alone would pass if both drivers were wrong the same way).
c_has() {
	grep -qF -- "$1" "${SAME_AS_C_RUST%.rust}.c" || fail "C output lacks: $1"
}

# The C output of the last same_as_c.
c_out() {
	cat "${SAME_AS_C_RUST%.rust}.c"
}

pingt() { # ns ping-args... (one deterministic echo: no timestamp in 12 bytes)
	local ns=$1
	shift
	ip netns exec "$ns" ping -n -c 1 -W 3 -s 12 -p a5 "$@" >/dev/null || fail "ping -n $ns $*"
}

# Runs "$@" while tcpdump captures N packets matching FILTER on NS DEV (it
# ends by itself after N: no quiet period to wait out), then prints each
# packet as hex from its IP header on (after the 14-byte Ethernet header),
# one a line.
capture_proto() { # filter ns dev n cmd...
	local filter=$1 ns=$2 dev=$3 n=$4 dir
	shift 4
	dir=$(mktemp -d)
	local err=$dir/cap.err out=$dir/cap.txt i
	: >"$err"
	ip netns exec "$ns" tcpdump -Z root -l -n -xx -c "$n" -i "$dev" "$filter" >"$out" 2>"$err" &
	local pid=$!
	tcpdump_listening -t 15 "$err"
	"$@" || fail "capture of: $*"
	# Until tcpdump has its N (bounded: 30 s, a starved guest's tcpdump
	# reads late).
	for ((i = 0; i < 300; i++)); do
		[ -d "/proc/$pid" ] || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" || true
	awk '/^\t0x/ { for (i = 2; i <= NF; i++) f = f $i; next }
		{ if (f != "") print substr(f, 29); f = "" }
		END { if (f != "") print substr(f, 29) }' "$out"
	rm -rf "$dir"
}

# IPv6 without autoconfiguration in namespaces $@ (devices made later
# included): no link-local addresses, router solicitations or DAD on the
# tunnels, only the addresses the tests give (nodad).
quiet_ipv6() { # ns...
	local ns
	for ns in "$@"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.addr_gen_mode=1 \
			net.ipv6.conf.all.addr_gen_mode=1 net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.default.router_solicitations=0
	done
}

ping6t() { # ns ping-args... (as pingt, IPv6)
	local ns=$1
	shift
	ip netns exec "$ns" ping -6 -n -c 1 -W 3 -s 12 -p a5 "$@" >/dev/null || fail "ping -6 -n $ns $*"
}

flood() { # ns dst: a ping flood in the background, its pid in FLOOD
	ip netns exec "$1" ping -q -f -s 100 "$2" >/dev/null 2>&1 &
	FLOOD=$!
}

tx_above() { # ns dev n (polled: a sysfs read, not ip | jq at ~1 s a call)
	local n
	n=$(ip netns exec "$1" cat "/sys/class/net/$2/statistics/tx_packets") || return 1
	[ "$n" -gt "$3" ]
}

# The tunnels' rate-limited log lines, C's and ours: "non-ECT from"
# (ip_tunnel_rcv, ipip6_rcv: an ECN error, while log_ecn_error is set)
# and sit's "Src/Dst spoofed". tunnel_log_open lets every line through
# (net_ratelimit_off: one burst of net_ratelimit() would not last both
# halves of a test) and marks the log; tunnel_log_lines prints what came
# since, without the timestamps and the modules' prefixes (C's
# "ip_tunnel: " or "sit: ", ours "rvnet_sit: "...).
tunnel_log_open() {
	net_ratelimit_off
	TUNNEL_LOG_MARK=$(dmesg_now)
}
tunnel_log_lines() {
	dmesg_since "$TUNNEL_LOG_MARK" '(non-ECT from|spoofed)' |
		sed -E 's/^\[[^]]*\] [a-z_]+: /log: /'
}

tunnel_use() { # kind c|rust
	use_driver "$1" "$2"
	# shellcheck disable=SC2064 # the module names, now
	trap "unload_modules $(driver_module "$1" rust) $(driver_module "$1" c)" EXIT
}

tunnel_one_module() { # kind c|rust
	local rmod cmod
	rmod=$(driver_module "$1" rust)
	cmod=$(driver_module "$1" c)
	[ "$2" = c ] || return 0
	module_loaded "$cmod" || fail "C $cmod.ko is not loaded"
	if module_loaded "$rmod"; then
		fail "$rmod is loaded beside C $cmod.ko"
	fi
}

tunnel_links() { # kind ns [dev]
	if [ -n "${3:-}" ]; then
		ip -n "$2" -d -j link show "$3" | jq -c -S ".[] | $NORM"
	else
		ip -n "$2" -d -j link show type "$1" | jq -c -S ".[] | $NORM"
	fi
}

# The Rust module KIND's rmmod while NS_A floods each DST (through its
# tunnel DEV, which tunnels_pair made): it must go, with every device
# whose name matches LEFT_RE (looked for in the initial namespace, NS_A
# and NS_B), and nothing may load a module of KIND again. A dump, not a
# lookup by name: `ip link show tunl0` asks for the index by name
# (SIOCGIFINDEX), which loads "netdev-tunl0", the C module, again.
tunnel_rmmod() { # kind ns_a ns_b dev left_re dst...
	local kind=$1 na=$2 nb=$3 dev=$4 re=$5 dst pids=() left
	shift 5
	splat_mark
	for dst in "$@"; do
		flood "$na" "$dst"
		pids+=("$FLOOD")
	done
	wait_for 10 tx_above "$na" "$dev" 20 || fail "no flood through $dev: $(ip -n "$na" -s link show "$dev")"
	rmmod "$(driver_module "$kind" rust)" || fail "rmmod under traffic"
	left=$(ip -j link show; ip -n "$na" -j link show; ip -n "$nb" -j link show)
	left=$(echo "$left" | jq -r '.[].ifname' | grep -xE "$re" || true)
	assert_eq "$left" "" "$kind devices left after rmmod"
	if module_loaded "$(driver_module "$kind" c)" || module_loaded "$(driver_module "$kind" rust)"; then
		fail "a $kind module is loaded again after rmmod"
	fi
	kill "${pids[@]}" || true
	wait "${pids[@]}" || true
	assert_eq "$(splats_since_mark)" "" "kernel log"
}

# The teardown half of a same_as_c: floods both ways through tunnel DEV
# (NS_A to DST_A, NS_B to DST_B), NS_A's underlay a0 deleted under them
# and what is left of DEV printed (JQ: a filter of its `ip -d -j link`
# entry), then both namespaces deleted with their tunnels and senders;
# the module goes once their devices did (unloading waits for them).
tunnel_teardown() { # kind ns_a ns_b dev dst_a dst_b [jq]
	local kind=$1 na=$2 nb=$3 dev=$4 da=$5 db=$6 fa
	local jqf=${7:-'{ifname, flags, operstate, mtu, link, info_data: .linkinfo.info_data}'}
	splat_mark
	flood "$na" "$da"
	fa=$FLOOD
	flood "$nb" "$db"
	wait_for 10 tx_above "$na" "$dev" 20 || fail "no flood through $dev"
	ip -n "$na" link del a0
	echo "$dev after its underlay went: $(ip -n "$na" -d -j link show "$dev" | jq -c ".[0] | $jqf")"
	outcome ip netns exec "$na" ping -n -c 1 -W 1 "$da"
	kill "$fa" "$FLOOD" || true
	wait "$fa" "$FLOOD" || true
	ip netns del "$nb"
	ip netns del "$na"
	unload_modules "$(driver_module "$kind" rust)" "$(driver_module "$kind" c)"
	assert_eq "$(splats_since_mark)" "" "kernel log"
}

# The names of the devices of netns $1, on one line.
ifnames() { # ns
	ip -n "$1" -j link show | jq -r '[.[].ifname] | join(" ")'
}

# Whether netns $1 lacks device $2.
dev_gone() { # ns dev (polled: one ip, no jq)
	! ip -n "$1" link show dev "$2" >/dev/null 2>&1
}

# A tunnel moved to another namespace (`ip link set DEV netns mx`) keeps
# its table entry, routes and underlay in NS, where it was made (C's
# tunnel->net, shown as link-netns): traffic to DST flows from mx through
# NS's underlay (two pings), NS refuses a second tunnel with the same ARGS, NS's
# fallback device FB stays. Deleting mx deletes the tunnel and its entry
# in NS (the same tunnel can be made again there); deleting NS deletes the
# tunnel it made, wherever it lives (in my, flooding DST through it).
# MOVE_LLADDR: the link-layer address to give DEV when made again (an
# Ethernet tunnel whose peer has a permanent neighbour entry).
tunnel_netns_move() { # kind fb ns dev cidr dst args...
	local kind=$1 fb=$2 na=$3 dev=$4 cidr=$5 dst=$6 id
	shift 6
	local ping=pingt nodad=""
	netns_add mx my
	if [[ $dst == *:* ]]; then
		ping=ping6t nodad=nodad
		quiet_ipv6 mx my
	else
		no_ipv6 mx my
	fi
	outcome ip -n "$na" link set "$fb" netns mx
	ip -n "$na" link set "$dev" netns mx || fail "$dev to mx"
	printf '%s\n' "addr add $cidr dev $dev $nodad" "link set $dev up" | ip -n mx -batch -
	"$ping" mx "$dst"
	"$ping" mx "$dst"
	# One more, its request and reply as the home underlay carries them.
	local f
	for f in $(capture_proto "$TUNNEL_WIRE" "$na" a0 2 "$ping" mx "$dst"); do
		echo "on $na's a0 ($dev in mx): $("$TUNNEL_FRAME" "$f")"
	done
	echo "$dev in mx: $(ip -n mx -d -j link show "$dev" | jq -c -S ".[] | $NORM")"
	echo "$dev in mx: $(ip -n mx -s -j link show "$dev" | jq -c '.[0].stats64 | {rx: .rx.packets, tx: .tx.packets, rx_bytes: .rx.bytes, tx_bytes: .tx.bytes}')"
	id=$(ip -n mx -j link show "$dev" | jq -r '.[0].link_netnsid // "none"')
	echo "link-netns: $(ip -n mx netns list-id | grep -E "^nsid $id " || echo "nsid $id")"
	echo "$na: $(ifnames "$na")"
	outcome ip -n "$na" link add t9 type "$kind" "$@"
	ip -n mx link set "$dev" netns "$na" || fail "$dev back to $na"
	echo "$dev back in $na: $(ip -n "$na" -d -j link show "$dev" | jq -c -S ".[] | $NORM | {ifname, link_netnsid, flags}")"
	ip -n "$na" link set "$dev" netns mx || fail "$dev to mx again"
	ip netns del mx
	wait_for 10 ip -n "$na" link add "$dev" type "$kind" "$@" || fail "$dev not made again in $na after mx went"
	[ -z "${MOVE_LLADDR:-}" ] || ip -n "$na" link set "$dev" address "$MOVE_LLADDR"
	echo "$na after mx went: $(ifnames "$na")"
	ip -n "$na" link set "$dev" netns my || fail "$dev to my"
	echo "my with $dev: $(ifnames my)"
	printf '%s\n' "addr add $cidr dev $dev $nodad" "link set $dev up" | ip -n my -batch -
	"$ping" my "$dst"
	flood my "$dst"
	wait_for 10 tx_above my "$dev" 20 || fail "no flood through $dev in my"
	ip netns del "$na"
	wait_for 10 dev_gone my "$dev" || true
	echo "my after $na went, $dev was there: $(ifnames my)"
	kill "$FLOOD" || true
	wait "$FLOOD" || true
	ip netns del my
}

# What tunnel_netns_move shows with C (same_as_c compared Rust's with it).
tunnel_netns_move_expect() { # ns dev fb
	local o na=$1 dev=$2 fb=$3
	o=$(c_out)
	assert_contains "$o" "ip -n $na link set $fb netns mx: rc 2: Error: The interface netns is immutable."
	assert_contains "$o" "(iproute2 netns name: $na)"
	assert_eq "$(grep -cF "on $na's a0 ($dev in mx): " <<<"$o" || true)" 2 "frames of the moved $dev on the home underlay"
	assert_contains "$o" "rc 2: RTNETLINK answers: File exists"
	assert_contains "$o" "$dev back in $na: {\"flags\""
	assert_contains "$o" "$na after mx went: lo"
	assert_eq "$(grep -cE "^my with $dev: lo( [a-z0-9]+)* $dev\$" <<<"$o" || true)" 1 "$dev moved into my"
	assert_contains "$o" "my after $na went, $dev was there: lo"
	assert_eq "$(grep -E "^my after $na went, $dev was there: " <<<"$o" | sed 's/^[^:]*: //' | tr ' ' '\n' | grep -cx "$dev" || true)" 0 "$dev gone with $na"
}
