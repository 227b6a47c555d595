#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the vng guest (started by scripts/bench.sh): Rust vs C
# side-by-side measurements in one boot.
#
#   fast path  transmit: pktgen on rdummy vs dummy, and on a VLAN over a
#              dummy (rvnet_vlan vs 8021q); UDP (tests/tools/udpflood)
#              through teql0 of rvnet_teql vs sch_teql, and straight over a
#              dummy (the raw limit). Receive: pktgen sends 802.1Q-tagged
#              frames on a veth whose peer, in a namespace, carries the VLAN
#              device (rx pps of the VLAN device); untagged frames into the
#              bare peer are the raw limit. pktgen through a bond
#              (each mode of BOND_MODES, layer3+4, two dummy slaves;
#              802.3ad: two veths to a partner bond; rvnet_bond vs
#              bonding); active-backup failover time (bond_fo_once).
#              UDP through an ipip tunnel over a dummy
#              (encapsulation; rvnet_ipip vs ipip) and over a veth whose
#              peer decapsulates (rx pps of the peer tunnel). Each
#              fast-path figure twice: one sender pinned
#              to one CPU, then one sender per guest CPU (series "_all",
#              pktgen threads DEV@CPU or one udpflood per CPU), so that
#              contention shows.
#   control    per kind (dummy, VLAN; ipip and gre: NTUN tunnels, one
#              local address, as many remotes): ip -batch creation of NDEV devices,
#              deletion of NDEL of them one by one, then of the rest in one
#              batch
#              (ip link del group: unregister_netdevice_many; bonds too);
#              tc -batch attach/detach of NSLAVE teql slaves; ip -batch
#              enslave/release of NSLAVE dummies to one bond
#   memory     per kind, over the NDEV devices: per-cache /proc/slabinfo
#              deltas (objects x object size) plus Percpu from /proc/meminfo
#
# Every figure is taken RUNS times; within a run C, then Rust, then (fast
# path, A/A noise control) C again as series "C2". Raw samples go to
# OUT/raw.tsv ("id impl run value"), set-up facts to OUT/meta.txt; OUT/
# finished marks a complete run, OUT/error the line that failed.
#
# Usage: tests/bench-guest.sh OUT_DIR UDPFLOOD_BINARY
# Environment: RVNET_BENCH_RUNS (5), RVNET_BENCH_CPU (1: the one-sender
# series' CPU), RVNET_BENCH_ALLCPU (1: also the one-sender-per-CPU series),
# RVNET_BENCH_SECONDS (target length of one fast-path run, 1),
# RVNET_BENCH_NDEV (devices per control-path round, 300),
# RVNET_BENCH_NVLAN (VLANs per round, NDEV), RVNET_BENCH_NDEL (devices
# deleted one by one, 20: under TCG each waits ~0.3 s of RCU grace
# periods), RVNET_BENCH_NSLAVE (50), RVNET_BENCH_AA (1: run the C' series),
# RVNET_BENCH_PG_COUNT / RVNET_BENCH_UDP_COUNT / RVNET_BENCH_RX_COUNT
# (fixed packet counts instead of calibration), RVNET_BENCH_NBOND (bonds
# per control-path round, 100), RVNET_BENCH_NFDB (FDB entries, 5000),
# RVNET_BENCH_NTUN (tunnels per control-path round of ipip_ctl/gre_ctl,
# and the tunnels beside the measured one in the ipip/gre lookup-cost
# rows, 1000),
# RVNET_BENCH_NFO (failovers per bond_failover figure and run, 5),
# RVNET_BENCH_PERF (see perf_start), RVNET_BENCH_ONLY (figure groups to run,
# comma or space separated, default all: see FIGURE_GROUPS).
#
# Adding a kind to the control path: write ctl_<kind>_setup IMPL (load the
# module, create lower devices), ctl_<kind>_line IMPL I (the ip -batch line
# creating device number I, named ctl<I>, in group $GROUP),
# ctl_<kind>_driver IMPL (what `ethtool -i` reports) and
# ctl_<kind>_teardown IMPL, then call `control <kind> <id-prefix> <count>`
# in the run loop and add the ids to scripts/bench.sh's table.
set -euo pipefail
shopt -s inherit_errexit

OUT=${1:?usage: bench-guest.sh OUT_DIR UDPFLOOD}
FLOOD=${2:?usage: bench-guest.sh OUT_DIR UDPFLOOD}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib/splat.sh"
RUNS=${RVNET_BENCH_RUNS:-5}
CPU=${RVNET_BENCH_CPU:-1}
# Every fast-path figure is taken with one sender pinned to CPU, then (when
# the guest has more than one CPU and RVNET_BENCH_ALLCPU is not 0) with one
# sender per CPU, so that contention shows: series "_all".
NCPU=$(nproc)
ALLCPU=${RVNET_BENCH_ALLCPU:-1}
SENDERS=$CPU
NSEND=1
SUF=""
SECONDS_PER_RUN=${RVNET_BENCH_SECONDS:-1}
NDEV=${RVNET_BENCH_NDEV:-300}
NVLAN=${RVNET_BENCH_NVLAN:-$NDEV}
NDEL=${RVNET_BENCH_NDEL:-20}
NSLAVE=${RVNET_BENCH_NSLAVE:-50}
AA=${RVNET_BENCH_AA:-1}
NBOND=${RVNET_BENCH_NBOND:-100}
NFO=${RVNET_BENCH_NFO:-5}
ONLY=${RVNET_BENCH_ONLY:-}
# The figure groups RVNET_BENCH_ONLY selects from (scripts/bench.sh keeps
# the same list for the table).
FIGURE_GROUPS="rdummy vlan vlan_rx teql_udp dummy_ctl vlan_ctl teql_ctl bond bond_failover bond_ctl bridge bridge_learn ipip gre ipip_ctl gre_ctl"
RDUMMY_KO=$ROOT/samples/rdummy/rdummy.ko
TEQL_KO=$ROOT/drivers/teql/rvnet_teql.ko
VLAN_KO=$ROOT/drivers/vlan/rvnet_vlan.ko
IPIP_KO=$ROOT/drivers/ipip/rvnet_ipip.ko
GRE_KO=$ROOT/drivers/gre/rvnet_gre.ko
BOND_KO=$ROOT/drivers/bond/rvnet_bond.ko
BRIDGE_KO=$ROOT/drivers/bridge/rvnet_bridge.ko
NFDB=${RVNET_BENCH_NFDB:-5000}
NTUN=${RVNET_BENCH_NTUN:-1000}
RAW=$OUT/raw.tsv
META=$OUT/meta.txt
TMP=$(mktemp -d)
PG=/proc/net/pktgen
# Interface group of the control-path devices (ip link del group).
GROUP=77
# Namespace holding the receiving side of the VLAN rx test.
RXNS=bench_rx

trap 'echo "bench-guest: line $LINENO failed: $BASH_COMMAND" | tee -a "$OUT/error" >&2' ERR

: >"$RAW"
: >"$META"
rm -f "$OUT/finished" "$OUT/error"

log() { echo "bench: $*" >&2; }
die() {
	echo "bench-guest: $*" | tee -a "$OUT/error" >&2
	exit 1
}
now_ns() { date +%s%N; }
record() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RAW"
	perf_report "$1-$2-$3"
}

# RVNET_BENCH_PERF=1: every fast-path measurement runs under `perf record
# -C SENDERS` (cpu-clock samples at 4 kHz on the sending CPUs) and record() writes the flat profile
# of the measurement it records to OUT/perf/ID-IMPL-RUN.txt. It slows the
# figures down: a profiling run, not the benchmark.
PERF=${RVNET_BENCH_PERF:-}
PERF_PID=""
perf_start() {
	[ -n "$PERF" ] || return 0
	rm -f "$TMP/perf.data" "$TMP/perf.last"
	perf record -q -C "${SENDERS// /,}" -e cpu-clock -F 4000 -o "$TMP/perf.data" >/dev/null 2>&1 &
	PERF_PID=$!
	# perf takes seconds to set up under TCG: wait for its output file
	# (written once the events are open), then a second more.
	local i
	for i in $(seq 50); do
		[ ! -s "$TMP/perf.data" ] || break
		sleep 0.2
	done
	sleep 1
}
perf_stop() {
	[ -n "$PERF_PID" ] || return 0
	# TERM: a background job of a non-interactive shell ignores INT; perf
	# record writes its data on either.
	kill -TERM "$PERF_PID"
	wait "$PERF_PID" || true
	PERF_PID=""
	[ ! -f "$TMP/perf.data" ] || mv "$TMP/perf.data" "$TMP/perf.last"
}
perf_report() {
	[ -f "$TMP/perf.last" ] || return 0
	mkdir -p "$OUT/perf"
	perf report -i "$TMP/perf.last" --kallsyms=/proc/kallsyms --no-children --sort dso,sym \
		--stdio 2>/dev/null |
		grep -v '^#' | grep -v '^$' | head -40 >"$OUT/perf/$1.txt" || true
	rm -f "$TMP/perf.last"
}
meta() { echo "$*" >>"$META"; }
pin() { taskset -c "$CPU" "$@"; }
# driver_of DEV [NETNS]
driver_of() {
	if [ -n "${2:-}" ]; then
		ip netns exec "$2" ethtool -i "$1" 2>/dev/null | sed -n 's/^driver: //p' || true
	else
		ethtool -i "$1" 2>/dev/null | sed -n 's/^driver: //p' || true
	fi
}
loaded() { lsmod | grep -q "^$1 "; }

# expect_driver DEV DRIVER [NETNS]
expect_driver() {
	local d
	d=$(driver_of "$1" "${3:-}")
	[ "$d" = "$2" ] || die "$1 is served by '$d', expected '$2'"
}

# want GROUP: is this figure group selected (RVNET_BENCH_ONLY)?
want() { [ -z "$ONLY" ] || [[ " ${ONLY//,/ } " == *" $1 "* ]]; }
for g in ${ONLY//,/ }; do
	[[ " $FIGURE_GROUPS " == *" $g "* ]] || die "RVNET_BENCH_ONLY: unknown group '$g' (groups: $FIGURE_GROUPS)"
done

# The fast path runs C, Rust and, for the A/A noise control, C again (C2:
# the C driver measured a second time), in an order rotated by the run
# number: run 1 C Rust C2, run 2 Rust C2 C, run 3 C2 C Rust, ... A fixed
# order let a drift within each run (the first measurement was faster on
# a busy host: C'/C and Rust/C both ~0.75 on some rows of 2026-12-04)
# favour whichever went first in every median.
fast_impls() {
	local l=(C Rust) n
	[ "$AA" != 1 ] || l+=(C2)
	n=$(((${run:-1} - 1) % ${#l[@]}))
	echo "${l[@]:n}" "${l[@]:0:n}"
}
lang() { [ "$1" = Rust ] && echo Rust || echo C; }

# Per-phase guest seconds, written to meta at the end.
declare -A PHASE_S
phase_t0=0
phase_begin() { phase_t0=$(now_ns); }
phase_end() { PHASE_S[$1]=$((${PHASE_S[$1]:-0} + ($(now_ns) - phase_t0) / 1000000)); }

# --- TEQL module handling: C and Rust both register teql0 -------------------

teql_unload() {
	! loaded rvnet_teql || rmmod rvnet_teql
	! loaded sch_teql || rmmod sch_teql
}

teql_load() {
	teql_unload
	case $(lang "$1") in
	C)
		modprobe sch_teql
		loaded sch_teql || die "sch_teql not loaded"
		! loaded rvnet_teql || die "rvnet_teql loaded while measuring C"
		[ "$(driver_of teql0)" != rvnet_teql ] || die "teql0 served by rvnet_teql"
		ip link show teql0 >/dev/null
		;;
	Rust)
		insmod "$TEQL_KO"
		! loaded sch_teql || die "sch_teql loaded while measuring Rust"
		expect_driver teql0 rvnet_teql
		;;
	esac
}

# --- VLAN module handling: C 8021q and Rust both serve link kind vlan ---------

# kind_module IMPL CMOD RMOD RKO [PARAMS...]: the C module CMOD (by
# name) or the Rust one (RKO), with PARAMS, with neither loaded before.
kind_module() {
	local impl=$1 cmod=$2 rmod=$3 rko=$4
	shift 4
	! loaded "$rmod" || rmmod "$rmod"
	! loaded "$cmod" || rmmod "$cmod"
	case $(lang "$impl") in
	C)
		modprobe "$cmod" "$@"
		! loaded "$rmod" || die "$rmod loaded while measuring C"
		;;
	Rust)
		insmod "$rko" "$@"
		! loaded "$cmod" || die "$cmod loaded while measuring Rust"
		;;
	esac
}

vlan_unload() {
	! loaded rvnet_vlan || rmmod rvnet_vlan
	! loaded 8021q || rmmod 8021q
}

vlan_module() { kind_module "$1" 8021q rvnet_vlan "$VLAN_KO"; }

vlan_driver() { [ "$(lang "$1")" = C ] && echo "802.1Q VLAN Support" || echo rvnet_vlan; }

# vlan_load IMPL: the module, vd0.10 over dummy vd0 (transmit) and vb.10
# over the veth peer vb in namespace RXNS (receive).
vlan_load() {
	vlan_module "$1"
	ip link add vd0 type dummy
	ip link set vd0 up
	ip link add link vd0 name vd0.10 type vlan id 10
	ip link set vd0.10 up
	expect_driver vd0.10 "$(vlan_driver "$1")"
	ip -n $RXNS link add link vb name vb.10 type vlan id 10
	ip -n $RXNS addr add 198.18.0.2/24 dev vb.10
	ip -n $RXNS link set vb.10 up
	expect_driver vb.10 "$(vlan_driver "$1")" $RXNS
}

# --- ipip: C ipip and rvnet_ipip both serve link kind ipip -----------------

ipip_unload() {
	! loaded rvnet_ipip || rmmod rvnet_ipip
	! loaded ipip || rmmod ipip
}

# rvnet_ipip needs tunnel4.ko, which insmod does not load.
ipip_module() { modprobe tunnel4 && tunnels_module && kind_module "$1" ipip rvnet_ipip "$IPIP_KO"; }
# rvnet_ipip and rvnet_gre write their lines of rvnet_tunnels's
# /proc/net/tunnels (loaded for C's turn too: it has no devices).
tunnels_module() { loaded rvnet_tunnels || insmod "$ROOT/drivers/tunnels/rvnet_tunnels.ko"; }

# C ipip.ko has no ethtool_ops: the kernel reports the link kind.
ipip_driver() { [ "$(lang "$1")" = C ] && echo ipip || echo rvnet_ipip; }

# tun_load IMPL KIND U I: a KIND tunnel <KIND>d0 over dummy <KIND>u0
# (encapsulation only: the outer packets end in the dummy; UDP to
# 10.I.0.2 goes through it), and <KIND>t0 over va with its peer <KIND>r0
# over vb in RXNS (encapsulation, the veth, decapsulation: <KIND>r0's
# rx_packets; UDP to 10.<I+1>.0.2); underlay subnets 198.18.U and
# 198.18.<U+1>. No GRE key, checksum or sequence numbers. pktgen refuses
# devices without an Ethernet header: the sender is udpflood.
tun_load() {
	local impl=$1 k=$2 u=$3 i=$4
	"${k}_module" "$impl"
	ip link add ${k}u0 type dummy
	ip addr add 198.18.$u.1/24 dev ${k}u0
	ip link set ${k}u0 up
	ip link add ${k}d0 type $k local 198.18.$u.1 remote 198.18.$u.2
	ip addr add 10.$i.0.1/24 dev ${k}d0
	ip link set ${k}d0 up
	expect_driver ${k}d0 "$("${k}_driver" "$impl")"
	ip addr add 198.18.$((u + 1)).1/24 dev va
	ip -n $RXNS addr add 198.18.$((u + 1)).2/24 dev vb
	ip link add ${k}t0 type $k local 198.18.$((u + 1)).1 remote 198.18.$((u + 1)).2
	ip addr add 10.$((i + 1)).0.1/24 dev ${k}t0
	ip link set ${k}t0 up
	ip -n $RXNS link add ${k}r0 type $k local 198.18.$((u + 1)).2 remote 198.18.$((u + 1)).1
	ip -n $RXNS addr add 10.$((i + 1)).0.2/24 dev ${k}r0
	ip -n $RXNS link set ${k}r0 up
	expect_driver ${k}r0 "$("${k}_driver" "$impl")" $RXNS
	# The underlay's neighbour, resolved before the flood.
	ping -q -c 1 -W 2 198.18.$((u + 1)).2 >/dev/null
}

# tun_others KIND LOCAL add|del: NTUN tunnels of KIND from LOCAL in the
# receiver's namespace (group 78), or their deletion.
tun_others() {
	local k=$1 l=$2 i f=$TMP/tun_others_$1
	if [ "$3" = add ]; then
		for i in $(seq 1 "$NTUN"); do
			echo "link add lk$i group 78 type $k local $l remote $(tun_remote "$i")"
		done >"$f"
		ip -n $RXNS -batch "$f"
		[ "$(ip -n $RXNS -o link show group 78 | wc -l)" = "$NTUN" ] || die "$k: $NTUN more tunnels not created"
	else
		ip -n $RXNS link del group 78
	fi
}

tun_down() { # KIND U
	local k=$1 u=$2
	ip link del ${k}d0
	ip link del ${k}t0
	ip -n $RXNS link del ${k}r0
	ip link del ${k}u0
	ip addr del 198.18.$((u + 1)).1/24 dev va
	ip -n $RXNS addr del 198.18.$((u + 1)).2/24 dev vb
	"${k}_unload"
}

# --- gre: C ip_gre and rvnet_gre both serve link kind gre ----------------

gre_unload() {
	! loaded rvnet_gre || rmmod rvnet_gre
	! loaded ip_gre || rmmod ip_gre
}

# rvnet_gre needs gre.ko (the GRE demultiplexer), which insmod does not
# load.
gre_module() { modprobe gre && tunnels_module && kind_module "$1" ip_gre rvnet_gre "$GRE_KO"; }

# C ip_gre.ko has no ethtool_ops for gre: the kernel reports the link kind.
gre_driver() { [ "$(lang "$1")" = C ] && echo gre || echo rvnet_gre; }

vlan_down() {
	ip link del vd0
	ip -n $RXNS link del vb.10
	vlan_unload
}

# --- bonding module handling: C bonding and Rust both serve link kind bond -----

bond_unload() {
	! loaded rvnet_bond || rmmod rvnet_bond
	! loaded bonding || rmmod bonding
}

# bond_module IMPL: C bonding without its default bond0, or rvnet_bond.
bond_module() { kind_module "$1" bonding rvnet_bond "$BOND_KO" max_bonds=0; }

bond_driver() { [ "$(lang "$1")" = C ] && echo bonding || echo rvnet_bond; }

# The bonding modes measured on the fast path, as "short:mode" (the row
# ids are bond_<short>_pg<size>; scripts/bench.sh makes the table's rows
# from this list, written to meta). Adding a mode is one word here (and
# its split check in bond_pg_run).
BOND_MODES="xor:balance-xor rr:balance-rr ab:active-backup bc:broadcast lacp:802.3ad tlb:balance-tlb alb:balance-alb"
# Namespace of the 802.3ad partner.
LACPNS=bench_lacp

# bond_load IMPL [MODE]: bond bb0 (MODE, default balance-xor; layer3+4)
# over dummies bs1, bs2; 802.3ad: over veths bs1, bs2 (a dummy has no
# speed or duplex: C keeps such a port out of the aggregator) to a
# partner, see bond_lacp_partner.
bond_load() {
	local mode=${2:-balance-xor}
	bond_module "$1"
	if [ "$mode" = 802.3ad ]; then
		bond_lacp_partner
		ip link add bb0 type bond mode 802.3ad lacp_rate fast xmit_hash_policy layer3+4
	else
		ip link add bb0 type bond mode "$mode" xmit_hash_policy layer3+4
		ip link add bs1 type dummy
		ip link add bs2 type dummy
	fi
	ip link set bs1 master bb0
	ip link set bs2 master bb0
	ip link set bb0 up
	expect_driver bb0 "$(bond_driver "$1")"
	[ "$(ip -o link show master bb0 | wc -l)" = 2 ] || die "bb0 ($1) does not have 2 slaves"
	[ "$mode" != 802.3ad ] || bond_lacp_wait "$1"
}

# bond_lacp_partner: veths bs1, bs2 whose peers pv1, pv2 are the slaves of
# an 802.3ad bond pb0 (fast rate) in namespace LACPNS, served by the
# module under test (C bonding and rvnet_bond are never loaded together).
# The partner drops every IPv4 frame at pv1/pv2's ingress (tc, before the
# bond's receive handler; LACPDUs pass), so a transmitted frame costs the
# same veth hop and drop for both drivers and the partner's receive path
# is not measured.
bond_lacp_partner() {
	local p
	ip netns add $LACPNS
	ip link add bs1 type veth peer name pv1 netns $LACPNS
	ip link add bs2 type veth peer name pv2 netns $LACPNS
	ip -n $LACPNS link add pb0 type bond mode 802.3ad lacp_rate fast
	for p in pv1 pv2; do
		ip -n $LACPNS link set $p master pb0
		tc -n $LACPNS qdisc add dev $p clsact
		tc -n $LACPNS filter add dev $p ingress protocol ip pref 1 matchall action drop
	done
	ip -n $LACPNS link set pb0 up
}

# bond_lacp_wait IMPL: both slaves in bb0's active aggregator, with the
# partner's system id (pb0's address) in it, and both ports' actor and
# partner states 63 (in sync, collecting, distributing): a port is in the
# aggregator ~2 s (the wait-while timer) before it may transmit, and a
# run started then loses frames or splits them unevenly (seen with
# rvnet_bond, which had no raw-slave run before its own to wait for it).
bond_lacp_wait() {
	local i f=/proc/net/bonding/bb0 pmac
	pmac=$(ip -n $LACPNS -br link show pb0 | awk '{ print $3 }')
	for i in $(seq 150); do
		if grep -A6 '^Active Aggregator Info' "$f" | grep -q 'Number of ports: 2' &&
			grep -A6 '^Active Aggregator Info' "$f" | grep -qi "Partner Mac Address: $pmac" &&
			[ "$(grep -c 'port state: 63$' "$f")" = 4 ]; then
			[ "$run" != 1 ] || [ -n "$SUF" ] || meta "bond_lacp_formed $1 after $((i / 5)) s"
			return 0
		fi
		sleep 0.2
	done
	die "bb0 ($1): no 802.3ad aggregator of 2 ports with partner $pmac: $(cat "$f")"
}

bond_down() {
	ip link del bb0
	ip link del bs1
	ip link del bs2
	if ip netns list | grep -qw $LACPNS; then
		ip -n $LACPNS link del pb0
		ip netns del $LACPNS
	fi
	bond_unload
}

# --- bridge module handling: C bridge and Rust both serve link kind bridge -----

bridge_unload() {
	! loaded rvnet_bridge || rmmod rvnet_bridge
	! loaded bridge || rmmod bridge
}

bridge_driver() { [ "$(lang "$1")" = C ] && echo bridge || echo rvnet_bridge; }

# bridge_load IMPL: bridge bbr with ports bpa (its veth peer ba is the
# pktgen device) and va (its peer vb in RXNS is the receiver); vb's
# address is a static entry on va, so frames to it are forwarded, not
# flooded.
bridge_load() {
	kind_module "$1" bridge rvnet_bridge "$BRIDGE_KO"
	ip link add bbr type bridge
	ip link add ba type veth peer name bpa
	ip link set bpa master bbr
	ip link set va master bbr
	ip link set ba up
	ip link set bpa up
	ip link set bbr up
	bridge fdb add "$RXMAC" dev va master static
	expect_driver bbr "$(bridge_driver "$1")"
	local i
	for i in $(seq 50); do
		[ "$(bridge -j link show dev va | jq -r '.[0].state')" != forwarding ] || return 0
		sleep 0.2
	done
	die "bbr ($1): va is not forwarding"
}

bridge_down() {
	ip link del bbr
	ip link del ba
	bridge_unload
}

# bridge_learn_once IMPL RUN: NFDB frames from NFDB new source addresses
# through bbr (pktgen, so each frame is one learning); records the rate
# and the kernel memory per learned entry.
bridge_learn_once() {
	local impl=$1 run=$2 v n
	bridge_load "$impl"
	settle
	slab_snapshot "$TMP/fdb_before"
	v=$(pktgen_pps ba 64 "$NFDB" "dst_mac $RXMAC" "src_mac 02:bb:00:00:00:00" \
		"src_mac_count $NFDB")
	record br_learn "$impl" "$run" "$v"
	n=$(ip -d -j link show bbr | jq '.[0].linkinfo.info_data.fdb_n_learned')
	[ "$n" -ge $((NFDB * 9 / 10)) ] || die "bbr ($impl) learned $n of $NFDB"
	[ "$run" != 1 ] || meta "br_learned $impl $n of $NFDB"
	settle
	slab_snapshot "$TMP/fdb_after"
	mem_delta "$TMP/fdb_before" "$TMP/fdb_after" "$n" br_fdb_mem "$impl" "$run"
	bridge_down
}

# --- fast path: pktgen (Ethernet devices) -----------------------------------

# pg_name DEV CPU: the pktgen device name on CPU's thread (DEV@CPU when
# several threads send on one device).
pg_name() { if [ "$NSEND" = 1 ]; then echo "$1"; else echo "$1@$2"; fi; }

# pktgen_run DEV FRAME_SIZE COUNT [PGSET...]: prints "pps usec" from
# pktgen's result; the extra arguments are further pgset commands. One
# pktgen thread per CPU of SENDERS, each sending COUNT packets: pps is
# their sum, usec the longest.
pktgen_run() {
	local dev=$1 size=$2 count=$3 cpu name c res usec pps tot=0 maxus=0
	shift 3
	for cpu in $SENDERS; do
		name=$(pg_name "$dev" "$cpu")
		echo rem_device_all >"$PG/kpktgend_$cpu"
		echo "add_device $name" >"$PG/kpktgend_$cpu"
		for c in "count $count" "pkt_size $size" "clone_skb 0" "burst 1" "delay 0" \
			"dst 198.18.0.2" "dst_mac 02:00:00:00:00:02" "$@"; do
			echo "$c" >"$PG/$name"
		done
	done
	perf_start
	echo start >$PG/pgctrl
	perf_stop
	for cpu in $SENDERS; do
		name=$(pg_name "$dev" "$cpu")
		res=$(grep -A1 '^Result:' "$PG/$name")
		grep -q 'Result: OK' <<<"$res" || die "pktgen on $name: $res"
		usec=$(sed -n 's/^Result: OK: \([0-9][0-9]*\)(.*/\1/p' <<<"$res")
		pps=$(sed -n 's/^ *\([0-9][0-9]*\)pps .*/\1/p' <<<"$res")
		tot=$((tot + pps))
		((usec <= maxus)) || maxus=$usec
		echo rem_device_all >"$PG/kpktgend_$cpu"
	done
	echo "$tot $maxus"
}

# pktgen_pps DEV FRAME_SIZE COUNT: transmit packets per second.
pktgen_pps() {
	local v
	v=$(pktgen_run "$@")
	echo "${v% *}"
}

rxp() { ip netns exec $RXNS cat "/sys/class/net/$1/statistics/rx_packets"; }

# rx_pps RXDEV FRAME_SIZE COUNT [PGSET...]: pktgen on va sends COUNT frames
# to RXDEV (in RXNS, behind va's peer vb); pps = RXDEV's rx_packets delta
# over pktgen's elapsed time, so that drops lower the figure.
rx_pps() { rx_pps_via va "$@"; }

# rx_pps_via TXDEV RXDEV FRAME_SIZE COUNT [PGSET...]: as rx_pps, pktgen on
# TXDEV.
rx_pps_via() {
	local txdev=$1 rxdev=$2 size=$3 count=$4 before after v usec delta
	shift 4
	before=$(rxp "$rxdev")
	v=$(pktgen_run "$txdev" "$size" "$count" "dst_mac $RXMAC" \
		"src_min 198.18.0.1" "src_max 198.18.0.1" "$@")
	after=$(rxp "$rxdev")
	usec=${v#* }
	delta=$((after - before))
	[ "$delta" -ge $((count * NSEND)) ] ||
		meta "rx_drops $rxdev size=$size senders=$NSEND sent=$((count * NSEND)) received=$delta"
	[ "$delta" -gt 0 ] || die "$rxdev received nothing"
	echo $((delta * 1000000 / usec))
}

# --- fast path: UDP sender (any routed device) -------------------------------

txp() { cat "/sys/class/net/$1/statistics/tx_packets"; }
txd() { cat "/sys/class/net/$1/statistics/tx_dropped"; }

# udp_pps DEV DST FRAME_SIZE COUNT: COUNT datagrams whose Ethernet frame on
# the (lower) dummy is FRAME_SIZE bytes, from one sender pinned to each CPU
# of SENDERS; pps from DEV's tx counter over the longest sender's time.
udp_pps() { udp_pps_counted txp "$@"; }

# udp_pps_counted COUNTER DEV DST FRAME_SIZE COUNT: as udp_pps, counting
# with COUNTER DEV (txp: sent by DEV; rxp: received by DEV in RXNS).
udp_pps_counted() {
	local counter=$1 dev=$2 dst=$3 size=$4 count=$5 before after out sent=0 ns=0 delta cpu s e
	local -a pids=()
	before=$($counter "$dev")
	perf_start
	for cpu in $SENDERS; do
		taskset -c "$cpu" "$FLOOD" "$dst" 9 $((size - 42)) "$count" >"$TMP/flood.$cpu" &
		pids+=($!)
	done
	for s in "${pids[@]}"; do
		wait "$s" || die "udpflood failed on $dev"
	done
	perf_stop
	after=$($counter "$dev")
	for cpu in $SENDERS; do
		out=$(cat "$TMP/flood.$cpu")
		s=$(sed -n 's/.*sent=\([0-9]*\).*/\1/p' <<<"$out")
		e=$(sed -n 's/.*elapsed_ns=\([0-9]*\).*/\1/p' <<<"$out")
		sent=$((sent + s))
		((e <= ns)) || ns=$e
	done
	delta=$((after - before))
	# One sender: the counter must account for (nearly) everything sent.
	# Several: the device's qdisc (teql0: 100 packets) may drop what they
	# push at once; the figure counts what went out, the drops are noted.
	if [ "$NSEND" = 1 ]; then
		[ "$delta" -ge $((sent * 99 / 100)) ] || die "$dev counted $delta of $sent ($out)"
	else
		[ "$delta" -ge $((sent / 2)) ] || die "$dev counted $delta of $sent ($out)"
		[ "$delta" -ge "$sent" ] || meta "tx_drops $dev size=$size senders=$NSEND sent=$sent counted=$delta"
	fi
	echo $((delta * 1000000000 / ns))
}

teql_topology_up() {
	ip link add tq1 type dummy
	ip link add tq2 type dummy
	ip link set tq1 up
	ip link set tq2 up
	tc qdisc add dev tq1 root teql0
	tc qdisc add dev tq2 root teql0
	ip link set teql0 up
	ip addr add 10.77.0.1/24 dev teql0
}

teql_topology_down() {
	ip link set teql0 down
	ip addr flush dev teql0
	ip link del tq1
	ip link del tq2
}

# count_for PPS: packets for one run of SECONDS_PER_RUN.
count_for() {
	awk -v p="$1" -v s="$SECONDS_PER_RUN" 'BEGIN { c = int(p * s); if (c < 20000) c = 20000; print c }'
}

# --- memory ---------------------------------------------------------------------

# The debug kernel's own bookkeeping (one kmemleak / debug-objects record
# per allocation) is left out of the per-device figure; scripts/bench.sh
# reports it apart.
DEBUG_CACHES='^(kmemleak_object|debug_objects_cache)$'

slab_total() {
	awk -v dbg="$DEBUG_CACHES" 'NR > 2 && $1 !~ dbg { t += $2 * $4 } END { printf "%d\n", t }' /proc/slabinfo
}

# settle: drop reclaimable slab (dentries and inodes that guest commands
# pull in over 9p) until the slab total (debug caches aside) moves by less
# than 64 KiB in a second: dentries and many net objects are freed after an
# RCU grace period, which takes a while under TCG. At most 8 tries.
settle() {
	local prev cur i
	prev=$(slab_total)
	for i in 1 2 3 4 5 6 7 8; do
		echo 2 >/proc/sys/vm/drop_caches
		sleep 1
		cur=$(slab_total)
		(((cur > prev ? cur - prev : prev - cur) < 65536)) && return 0
		prev=$cur
	done
	log "slab still moving after $i s ($((cur - prev)) B)"
}

# slab_snapshot FILE: "cache bytes" (active objects x object size) per
# cache, then "Percpu bytes" from /proc/meminfo.
slab_snapshot() {
	awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo >"$1"
	awk '/^Percpu:/ { print "Percpu", $2 * 1024 }' /proc/meminfo >>"$1"
}

# mem_delta BEFORE AFTER N ID IMPL RUN: records ID (bytes per device over
# all caches but the debug ones, plus Percpu) and ID_debug; on the first
# run, the five caches that grew most go to meta.
mem_delta() {
	local before=$1 after=$2 n=$3 id=$4 impl=$5 run=$6 v
	v=$(awk -v n="$n" -v dbg="$DEBUG_CACHES" '
		NR == FNR { b[$1] = $2; next }
		{ d = $2 - b[$1]; if ($1 ~ dbg) dt += d; else t += d }
		END { printf "%d %d\n", t / n, dt / n }' "$before" "$after")
	record "$id" "$impl" "$run" "${v% *}"
	record "${id}_debug" "$impl" "$run" "${v#* }"
	[ "$run" != 1 ] || meta "top_caches $id $impl (bytes per device): $(
		awk -v n="$n" 'NR == FNR { b[$1] = $2; next }
			{ d = ($2 - b[$1]) / n; if (d >= 8) printf "%d %s\n", d, $1 }' "$before" "$after" |
			sort -rn | head -6 | awk '{ printf "%s=%s ", $2, $1 }')"
	[ "$run" != 1 ] || meta "shrunk_caches $id $impl (bytes per device): $(
		awk -v n="$n" 'NR == FNR { b[$1] = $2; next }
			{ d = ($2 - b[$1]) / n; if (d <= -8) printf "%d %s\n", d, $1 }' "$before" "$after" |
			sort -n | head -4 | awk '{ printf "%s=%s ", $2, $1 }')"
}

# --- control path: kinds --------------------------------------------------------

# dummy: C dummy (built in) vs rdummy.
ctl_dummy_setup() { :; }
ctl_dummy_kind() { [ "$1" = C ] && echo dummy || echo rdummy; }
ctl_dummy_line() { echo "link add ctl$2 group $GROUP type $(ctl_dummy_kind "$1")"; }
ctl_dummy_driver() { ctl_dummy_kind "$1"; }
ctl_dummy_teardown() { :; }

# vlan: VLAN ids 1..N on one up dummy, C 8021q vs rvnet_vlan.
ctl_vlan_setup() {
	vlan_module "$1"
	ip link add ctlvl type dummy
	ip link set ctlvl up
}
ctl_vlan_line() { echo "link add link ctlvl name ctl$2 group $GROUP type vlan id $2"; }
ctl_vlan_driver() { vlan_driver "$1"; }
ctl_vlan_teardown() {
	ip link del ctlvl
	vlan_unload
}

# bond: bonds in balance-xor without slaves, C bonding vs rvnet_bond.
ctl_bond_setup() { bond_module "$1"; }
ctl_bond_line() { echo "link add ctl$2 group $GROUP type bond mode balance-xor"; }
ctl_bond_driver() { bond_driver "$1"; }
ctl_bond_teardown() { bond_unload; }

# ipip, gre: NTUN tunnels from one local address (on an up dummy) to as
# many remotes, C ipip/ip_gre vs rvnet_ipip/rvnet_gre; each enters the
# kind's hash table (ip_tunnel_add), the cost C's lookup pays too.
ctl_tun_setup() { # KIND IMPL
	"${1}_module" "$2"
	ip link add ctltu type dummy
	ip addr add 198.18.200.1/24 dev ctltu
	ip link set ctltu up
}
# tun_remote I: the I-th remote end (172.16.0.0/12 has room for NTUN).
tun_remote() { echo "172.$((16 + $1 / 65536)).$(($1 / 256 % 256)).$(($1 % 256))"; }
ctl_tun_line() { # KIND IMPL I
	echo "link add ctl$3 group $GROUP type $1 local 198.18.200.1 remote $(tun_remote "$3")"
}
ctl_tun_teardown() { # KIND
	ip link del ctltu
	"${1}_unload"
}
ctl_ipip_setup() { ctl_tun_setup ipip "$1"; }
ctl_ipip_line() { ctl_tun_line ipip "$@"; }
ctl_ipip_driver() { ipip_driver "$1"; }
ctl_ipip_teardown() { ctl_tun_teardown ipip; }
ctl_gre_setup() { ctl_tun_setup gre "$1"; }
ctl_gre_line() { ctl_tun_line gre "$@"; }
ctl_gre_driver() { gre_driver "$1"; }
ctl_gre_teardown() { ctl_tun_teardown gre; }

group_count() { ip -o link show group $GROUP | wc -l; }

# control KIND ID IMPL RUN N: create N devices of KIND with ip -batch,
# measure memory, delete NDEL of them one by one, then the rest with one
# `ip link del group` (unregister_netdevice_many); records ID_create,
# ID_mem, ID_delete (one by one), ID_delete_batch.
control() {
	local kind=$1 id=$2 impl=$3 run=$4 n=$5 ndel=$NDEL i t0 t1 add del
	((ndel < n)) || ndel=$((n - 1))
	add=$TMP/ctl_${kind}_${impl}_$n
	del=$TMP/ctl_del_$ndel
	[ -f "$add" ] || for i in $(seq 1 "$n"); do "ctl_${kind}_line" "$impl" "$i"; done >"$add"
	[ -f "$del" ] || for i in $(seq 1 "$ndel"); do echo "link del ctl$i"; done >"$del"
	"ctl_${kind}_setup" "$impl"
	[ "$(group_count)" = 0 ] || die "group $GROUP not empty before $kind ($impl)"
	settle
	slab_snapshot "$TMP/mem0"
	t0=$(now_ns)
	pin ip -batch "$add"
	t1=$(now_ns)
	record "${id}_create" "$impl" "$run" $(((t1 - t0) / 1000))
	[ "$(group_count)" = "$n" ] || die "$(group_count) of $n $kind devices created ($impl)"
	expect_driver ctl1 "$("ctl_${kind}_driver" "$impl")"
	expect_driver "ctl$n" "$("ctl_${kind}_driver" "$impl")"
	settle
	slab_snapshot "$TMP/mem1"
	mem_delta "$TMP/mem0" "$TMP/mem1" "$n" "${id}_mem" "$impl" "$run"
	t0=$(now_ns)
	pin ip -batch "$del"
	t1=$(now_ns)
	record "${id}_delete" "$impl" "$run" $(((t1 - t0) / 1000))
	[ "$(group_count)" = $((n - ndel)) ] || die "one-by-one deletion of $kind ($impl) left $(group_count)"
	t0=$(now_ns)
	pin ip link del group $GROUP
	t1=$(now_ns)
	record "${id}_delete_batch" "$impl" "$run" $(((t1 - t0) / 1000))
	[ "$(group_count)" = 0 ] || die "$(group_count) $kind devices survived the group deletion ($impl)"
	"ctl_${kind}_teardown" "$impl"
}

# teql_slaves_once IMPL: attach then detach NSLAVE dummies (created once,
# before the runs) with tc -batch.
teql_slaves_once() {
	local impl=$1 t0 t1 t2 t3 n
	teql_load "$impl"
	t0=$(now_ns)
	pin tc -batch "$TMP/ts_attach"
	t1=$(now_ns)
	n=$(tc qdisc show | grep -c 'qdisc teql0' || true)
	[ "$n" = "$NSLAVE" ] || die "$n of $NSLAVE teql slaves attached ($impl)"
	[ "$impl" = Rust ] && expect_driver teql0 rvnet_teql
	t2=$(now_ns)
	pin tc -batch "$TMP/ts_detach"
	t3=$(now_ns)
	n=$(tc qdisc show | grep -c 'qdisc teql0' || true)
	[ "$n" = 0 ] || die "$n teql slaves left after detach ($impl)"
	teql_unload
	echo "$(((t1 - t0) / 1000)) $(((t3 - t2) / 1000))"
}

bond_slaves() { ip -o link show master bench_bond | wc -l; }

# bond_slaves_once IMPL: enslave then release the NSLAVE dummies (the teql
# slave candidates, down) to one up bond with ip -batch.
bond_slaves_once() {
	local impl=$1 t0 t1 t2 t3 n
	bond_module "$impl"
	ip link add bench_bond type bond mode balance-xor
	ip link set bench_bond up
	expect_driver bench_bond "$(bond_driver "$impl")"
	t0=$(now_ns)
	pin ip -batch "$TMP/bs_enslave"
	t1=$(now_ns)
	n=$(bond_slaves)
	[ "$n" = "$NSLAVE" ] || die "$n of $NSLAVE dummies enslaved ($impl)"
	t2=$(now_ns)
	pin ip -batch "$TMP/bs_release"
	t3=$(now_ns)
	n=$(bond_slaves)
	[ "$n" = 0 ] || die "$n slaves left after release ($impl)"
	ip link del bench_bond
	bond_unload
	echo "$(((t1 - t0) / 1000)) $(((t3 - t2) / 1000))"
}

# --- set-up -------------------------------------------------------------------

start=$(date +%s)
dmesg -C
# Quieter guest: no udev reacting to thousands of device events, no
# periodic kmemleak scan of all memory (objects are still tracked).
if udevadm control --exit 2>/dev/null; then meta "udevd stopped"; fi
if [ -w /sys/kernel/debug/kmemleak ] && echo scan=off >/sys/kernel/debug/kmemleak; then
	meta "kmemleak automatic scan off"
fi
[ -r /proc/slabinfo ] || die "no /proc/slabinfo (CONFIG_SLUB_DEBUG)"
teql_unload
vlan_unload
bond_unload
bridge_unload
loaded rdummy || insmod "$RDUMMY_KO"
modprobe pktgen
# A FIFO nobody writes: fo_sleep's timed read.
mkfifo "$TMP/fo_fifo"
exec {FO_FD}<>"$TMP/fo_fifo"
[ -e "$PG/kpktgend_$CPU" ] || die "no pktgen thread for CPU $CPU"

for i in $(seq 1 "$NSLAVE"); do
	echo "link add ts$i type dummy" >>"$TMP/ts_add"
	echo "qdisc add dev ts$i root teql0" >>"$TMP/ts_attach"
	echo "qdisc del dev ts$i root" >>"$TMP/ts_detach"
	echo "link del ts$i" >>"$TMP/ts_del"
	echo "link set ts$i master bench_bond" >>"$TMP/bs_enslave"
	echo "link set ts$i nomaster" >>"$TMP/bs_release"
done

# pktgen targets: the C dummy and the Rust rdummy, both up.
ip link add dm0 type dummy
ip link add rd0 type rdummy
ip link set dm0 up
ip link set rd0 up
expect_driver dm0 dummy
expect_driver rd0 rdummy
# The raw limit for UDP: straight over one dummy, no virtual device on top.
ip link add rawd type dummy
ip link set rawd up
ip addr add 10.78.0.1/24 dev rawd
expect_driver rawd dummy
# The teql slave candidates, reused by every attach/detach round.
ip -batch "$TMP/ts_add"
# Receive side: veth va (pktgen) -> vb in namespace RXNS. The VLAN device
# vb.10 comes and goes with the module under test; vb itself has
# 198.18.1.2 for the raw limit (untagged frames). Datagrams go to UDP
# port 9 with no socket: no ICMP answers (rate limit 0) to disturb.
ip netns add $RXNS
ip link add va type veth peer name vb netns $RXNS
ip link set va up
ip -n $RXNS link set vb up
ip -n $RXNS addr add 198.18.1.2/24 dev vb
ip netns exec $RXNS sysctl -qw net.ipv4.icmp_msgs_per_sec=0 net.ipv4.icmp_msgs_burst=0
expect_driver va veth
expect_driver vb veth $RXNS
RXMAC=$(ip -n $RXNS -br link show vb | awk '{ print $3 }')
# Bridged frames are for vb's address but not its IP address (forwarding
# is off in RXNS: dropped after the route lookup, raw and bridged alike).
BR_DST=198.18.9.2
# NFDB static entries behind bridge port bpa (the lookup-cost row).
awk -v n="$NFDB" 'BEGIN { for (i = 0; i < n; i++)
	printf "fdb add 02:aa:%02x:%02x:%02x:01 dev bpa master static\n", int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' >"$TMP/fdb_add"

meta "guest_kernel=$(uname -r)"
meta "guest_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
meta "guest_cpus=$(nproc)"
meta "bond_modes $BOND_MODES"
meta "runs=$RUNS cpu=$CPU ncpu=$NCPU allcpu=$ALLCPU ndev=$NDEV nvlan=$NVLAN nbond=$NBOND ndel=$NDEL nslave=$NSLAVE nfdb=$NFDB ntun=$NTUN nfo=$NFO aa=$AA only=${ONLY:-all}"

# Calibrate packet counts on the C side (raw paths) so one run lasts
# SECONDS_PER_RUN.
declare -A PGC UDPC RXC BRC
for size in 64 1500; do
	PGC[$size]=- UDPC[$size]=- RXC[$size]=- BRC[$size]=-
	if [ -n "${RVNET_BENCH_PG_COUNT:-}" ]; then
		PGC[$size]=$RVNET_BENCH_PG_COUNT
	elif want rdummy || want vlan || want bond; then
		PGC[$size]=$(count_for "$(pktgen_pps dm0 "$size" 20000)")
	fi
	if [ -n "${RVNET_BENCH_UDP_COUNT:-}" ]; then
		UDPC[$size]=$RVNET_BENCH_UDP_COUNT
	elif want teql_udp || want ipip || want gre; then
		UDPC[$size]=$(count_for "$(udp_pps rawd 10.78.0.2 "$size" 20000)")
	fi
	if [ -n "${RVNET_BENCH_RX_COUNT:-}" ]; then
		RXC[$size]=$RVNET_BENCH_RX_COUNT
	elif want vlan_rx; then
		RXC[$size]=$(count_for "$(rx_pps vb "$size" 20000 "dst 198.18.1.2")")
	fi
	if [ -n "${RVNET_BENCH_RX_COUNT:-}" ]; then
		BRC[$size]=$RVNET_BENCH_RX_COUNT
	elif want bridge; then
		BRC[$size]=$(count_for "$(rx_pps vb "$size" 20000 "dst $BR_DST")")
	fi
	meta "count_pktgen_$size=${PGC[$size]} count_udp_$size=${UDPC[$size]} count_rx_$size=${RXC[$size]} count_bridge_$size=${BRC[$size]}"
	log "calibrated $size B: pktgen ${PGC[$size]}, udp ${UDPC[$size]}, rx ${RXC[$size]} packets"
done

# --- the runs -------------------------------------------------------------------

# pktgen_carried WHAT SLAVES COPIES DEV SIZE COUNT [PGSET...]: pktgen's
# pps on DEV, scaled down by the share of the frames sent that the
# SLAVES' tx counters show (divided by COPIES: broadcast sends each frame
# on both). pktgen counts a frame the bond or a veth dropped (both return
# NETDEV_TX_OK) as sent; a veth drops when its peer's backlog is full.
# Such losses go to meta (WHAT names the measurement).
pktgen_carried() {
	local what=$1 slaves=$2 copies=$3 s b=0 a=0 sent v bd sd=0
	shift 3
	bd=$(txd "$1")
	for s in $slaves; do
		b=$((b + $(txp "$s")))
		sd=$((sd - $(txd "$s")))
	done
	v=$(pktgen_pps "$@")
	for s in $slaves; do
		a=$((a + $(txp "$s")))
		sd=$((sd + $(txd "$s")))
	done
	sent=$(($3 * NSEND))
	a=$(((a - b) / copies))
	if ((a < sent)); then
		meta "bond_tx_lost$SUF $what size=$2 sent=$sent carried=$a tx_dropped: $1 $(($(txd "$1") - bd)), slaves $sd"
		v=$((v * a / sent))
	fi
	echo "$v"
}

# bond_pg_run IMPL RUN SHORT MODE: pktgen through bb0 in MODE with 1000
# UDP source ports in sequence, so that the layer3+4 hash spreads the
# flows over both slaves; each mode's split is checked.
bond_pg_run() {
	local impl=$1 run=$2 short=$3 mode=$4 size v before1 before2 d1 d2 opened
	bond_load "$impl" "$mode"
	opened=$SECONDS
	# 802.3ad's raw limit: pktgen on one veth slave (its peer drops).
	if [ "$short" = lacp ] && [ "$impl" = C ]; then
		for size in 64 1500; do
			v=$(pktgen_carried "bs1 raw" bs1 1 bs1 "$size" "${PGC[$size]}")
			record "bond_${short}_pg$size$SUF" raw "$run" "$v"
		done
	fi
	before1=$(txp bs1)
	before2=$(txp bs2)
	for size in 64 1500; do
		v=$(pktgen_carried "$mode $impl" "bs1 bs2" "$([ "$short" = bc ] && echo 2 || echo 1)" \
			bb0 "$size" "${PGC[$size]}" "udp_src_min 1000" "udp_src_max 1999")
		record "bond_${short}_pg$size$SUF" "$impl" "$run" "$v"
	done
	d1=$(($(txp bs1) - before1))
	d2=$(($(txp bs2) - before2))
	case $short in
	# Both slaves carried a fair share (the hash or the rotation spreads).
	xor | rr | lacp) ((d1 * 5 > d1 + d2 && d2 * 5 > d1 + d2)) ;;
	# One slave carried (nearly) everything. balance-tlb: until its
	# first rebalance, 10 s after the bond opens, every new hash bucket
	# goes to the least loaded slave by the loads of the last rebalance
	# (all 0: the first slave), in C as in rvnet_bond. balance-alb: its
	# IPv4 unicast hash is of the destination address alone, one bucket
	# here. A run that outlasts the rebalance (runs of 1 s and more under
	# TCG) sees the buckets dealt again by load, so the second slave
	# takes its share (balance-alb's one bucket may move to it).
	tlb | alb) ((SECONDS - opened >= 9 || d1 < (d1 + d2) / 100 || d2 < (d1 + d2) / 100)) ;;
	ab) ((d1 < (d1 + d2) / 100 || d2 < (d1 + d2) / 100)) ;;
	# Every frame went out on both, but for a clone that failed under
	# memory pressure (GFP_ATOMIC; C skips that slave too): 0.1 %.
	bc) ((d1 > 0 && (d1 > d2 ? d1 - d2 : d2 - d1) * 1000 <= d1)) ;;
	esac || die "bond $mode ($impl): unexpected split bs1=$d1 bs2=$d2"
	[ "$run" != 1 ] || meta "bond_split$SUF $mode $impl bs1=$d1 bs2=$d2"
	bond_down
}

# raw_bond SIZE RUN VALUE: pktgen straight on one dummy is the raw limit
# of every bonding row.
raw_bond() {
	local m
	for m in $BOND_MODES; do
		# 802.3ad's slaves are veths: bond_pg_run takes its raw limit.
		[ "${m#*:}" != 802.3ad ] || continue
		record "bond_${m%%:*}_pg$1$SUF" raw "$2" "$3"
	done
}

# --- bonding failover time (group bond_failover) ---------------------------
#
# How long an active-backup bond takes to leave a failed active slave: t0
# just before the failure is made, t1 when the shell, reading
# /sys/class/net/bb0/bonding/active_slave with a builtin (no process) in
# a loop, sees the other slave named there. The failure is made by sysfs
# writes too (no process). Resolution: the loop's period (its measured
# mean goes to meta, with the time the failure's writes took, inside
# t1 - t0). NFO failovers per driver and run, alternating between the two
# slaves (each comes back up before the next); the run's figure is their
# median (NFO: RVNET_BENCH_NFO).
# Namespace of the ARP target (behind a C bridge over the slaves' veth
# peers).
FONS=bench_fo
FO_TARGET=198.18.40.2

# fo_now: microseconds (EPOCHREALTIME: no process).
fo_now() { FO_T=${EPOCHREALTIME//[.,]/}; }
# fo_sleep S: sleep S seconds without a process (read -t on a FIFO nobody
# writes; FO_FD is opened at set-up).
fo_sleep() { read -r -t "$1" -u "$FO_FD" _ || true; }

# fo_pair: FO_CUR the active slave of bb0, FO_OTHER the other one.
fo_pair() {
	FO_CUR=""
	read -r FO_CUR </sys/class/net/bb0/bonding/active_slave || true
	case $FO_CUR in
	bs1) FO_OTHER=bs2 ;;
	bs2) FO_OTHER=bs1 ;;
	*) die "bb0: active slave '$FO_CUR'" ;;
	esac
}

# fo_until_active SLAVE T0: polls until SLAVE is bb0's active slave; FO_DT
# the microseconds since T0, FO_N the polls that did not see it.
fo_until_active() {
	local want=$1 t0=$2 a
	FO_N=0
	while :; do
		a=""
		read -r a </sys/class/net/bb0/bonding/active_slave || true
		fo_now
		[ "$a" != "$want" ] || break
		((FO_T - t0 < 10000000)) || die "bb0: active slave '$a', not $want, 10 s after the failure"
		FO_N=$((FO_N + 1))
	done
	FO_DT=$((FO_T - t0))
}

# fo_until_up SLAVE: bb0's monitor has SLAVE up again (10 s at most).
fo_until_up() {
	local s="" i
	for i in $(seq 1000); do
		read -r s </sys/class/net/"$1"/bonding_slave/mii_status || true
		[ "$s" != up ] || return 0
		fo_sleep 0.01
	done
	die "bb0: slave $1 not up again ($s)"
}

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

# fo_series IMPL RUN ID FAIL RESTORE: NFO failovers of bb0, FAIL SLAVE
# making the active slave fail, RESTORE SLAVE undoing it; records ID.
fo_series() {
	local impl=$1 run=$2 id=$3 fail=$4 restore=$5 k t0 t1 v=() polls=0 us=0 fus=0
	fo_until_up bs1
	fo_until_up bs2
	for k in $(seq "$NFO"); do
		fo_pair
		fo_now
		t0=$FO_T
		"$fail" "$FO_CUR"
		fo_now
		t1=$FO_T
		fo_until_active "$FO_OTHER" "$t0"
		v+=("$FO_DT")
		fus=$((fus + t1 - t0))
		us=$((us + FO_DT - (t1 - t0)))
		polls=$((polls + FO_N + 1))
		"$restore" "$FO_CUR"
		fo_until_up "$FO_CUR"
	done
	record "$id" "$impl" "$run" "$(median "${v[@]}")"
	[ "$run" != 1 ] || meta "bond_failover $id $impl: ${v[*]} us; poll period $((us / polls)) us; failure made in $((fus / NFO)) us"
}

fo_carrier_off() { echo 0 >"/sys/class/net/$1/carrier"; }
fo_carrier_on() { echo 1 >"/sys/class/net/$1/carrier"; }
# fo_flood SLAVE 0|1: whether the bridge floods frames to SLAVE's peer
# (pv1 or pv2): with learning off, every frame the slave receives is
# flooded to it.
fo_flood() {
	local f
	for f in unicast_flood multicast_flood broadcast_flood; do
		echo "$2" >"/sys/class/net/pv${1#bs}/brport/$f"
	done
}
fo_deaf() { fo_flood "$1" 0; }
fo_hear() { fo_flood "$1" 1; }

# bond_fo_once IMPL RUN: the two failover figures of one driver.
#   bond_fo_mii: miimon 10 over dummies bs1, bs2; the failure is the
#     active slave's carrier off (a sysfs write: dummy's
#     ndo_change_carrier).
#   bond_fo_arp: arp_interval 50, arp_ip_target FO_TARGET (arp_validate
#     none, arp_missed_max 2) over veths bs1, bs2 whose peers pv1, pv2 are
#     ports of a C bridge fbr, with learning off, beside fv0, whose peer
#     ft0 in namespace FONS has the target's address: every frame, the
#     target's replies and the bond's own broadcasts, is flooded to both
#     slaves, so the backup stays up. The failure: the bridge stops
#     flooding to the active slave's peer (its brport/*_flood files): its
#     ARP replies stop.
bond_fo_once() {
	local impl=$1 run=$2 s
	bond_module "$impl"
	ip link add bb0 type bond mode active-backup miimon 10
	ip link add bs1 type dummy
	ip link add bs2 type dummy
	ip link set bs1 master bb0
	ip link set bs2 master bb0
	ip link set bb0 up
	expect_driver bb0 "$(bond_driver "$impl")"
	fo_series "$impl" "$run" bond_fo_mii fo_carrier_off fo_carrier_on
	ip link del bb0
	ip link del bs1
	ip link del bs2
	bridge_unload
	modprobe bridge
	ip netns add $FONS
	ip link add fbr type bridge
	ip link add bs1 type veth peer name pv1
	ip link add bs2 type veth peer name pv2
	ip link add fv0 type veth peer name ft0 netns $FONS
	for s in pv1 pv2 fv0; do
		ip link set $s master fbr
		ip link set $s type bridge_slave learning off
		ip link set $s up
	done
	ip link set fbr up
	ip -n $FONS addr add $FO_TARGET/24 dev ft0
	ip -n $FONS link set ft0 up
	ip link add bb0 type bond mode active-backup arp_interval 50 arp_ip_target $FO_TARGET
	ip link set bs1 master bb0
	ip link set bs2 master bb0
	ip addr add 198.18.40.1/24 dev bb0
	ip link set bb0 up
	expect_driver bb0 "$(bond_driver "$impl")"
	fo_series "$impl" "$run" bond_fo_arp fo_deaf fo_hear
	ip link del bb0
	ip link del bs1
	ip link del bs2
	ip link del fv0
	ip link del fbr
	ip netns del $FONS
	bridge_unload
	bond_unload
}

# slave_rounds ONCE ADD_ID DEL_ID PHASE RUN: ONCE IMPL ("add del" times)
# for C then Rust, recorded as ADD_ID and DEL_ID.
slave_rounds() {
	local once=$1 add_id=$2 del_id=$3 phase=$4 run=$5 impl v add del
	phase_begin
	for impl in C Rust; do
		v=$("$once" "$impl")
		read -r add del <<<"$v"
		record "$add_id" "$impl" "$run" "$add"
		record "$del_id" "$impl" "$run" "$del"
	done
	phase_end "$phase"
}

# fast_series RUN: every fast-path figure of run RUN for the senders in
# SENDERS, recorded with suffix SUF ("" for one CPU, "_all" for every CPU).
fast_series() {
	local run=$1 impl size v dev m
	phase_begin
	for size in 64 1500; do
		if want teql_udp || want ipip || want gre; then
			v=$(udp_pps rawd 10.78.0.2 "$size" "${UDPC[$size]}")
			record "udp$size$SUF" raw "$run" "$v"
			! want ipip || record "ipip_tx$size$SUF" raw "$run" "$v"
			! want gre || record "gre_tx$size$SUF" raw "$run" "$v"
		fi
		if want vlan_rx; then
			v=$(rx_pps vb "$size" "${RXC[$size]}" "dst 198.18.1.2")
			record "vlan_rx$size$SUF" raw "$run" "$v"
		fi
	done
	if want rdummy; then
		for impl in $(fast_impls); do
			[ "$impl" = Rust ] && dev=rd0 || dev=dm0
			for size in 64 1500; do
				v=$(pktgen_pps "$dev" "$size" "${PGC[$size]}")
				record "pg$size$SUF" "$impl" "$run" "$v"
				# pktgen straight on the dummy is the raw limit under a
				# VLAN and a bond.
				if [ "$impl" = C ]; then
					record "vlan_pg$size$SUF" raw "$run" "$v"
					raw_bond "$size" "$run" "$v"
				fi
			done
		done
	elif want vlan || want bond; then
		for size in 64 1500; do
			v=$(pktgen_pps dm0 "$size" "${PGC[$size]}")
			record "vlan_pg$size$SUF" raw "$run" "$v"
			raw_bond "$size" "$run" "$v"
		done
	fi
	if want vlan || want vlan_rx; then
		for impl in $(fast_impls); do
			vlan_load "$impl"
			for size in 64 1500; do
				if want vlan; then
					v=$(pktgen_pps vd0.10 "$size" "${PGC[$size]}")
					record "vlan_pg$size$SUF" "$impl" "$run" "$v"
				fi
				if want vlan_rx; then
					v=$(rx_pps vb.10 "$size" "${RXC[$size]}" "vlan_id 10")
					record "vlan_rx$size$SUF" "$impl" "$run" "$v"
				fi
			done
			vlan_down
		done
	fi
	if want teql_udp; then
		for impl in $(fast_impls); do
			teql_load "$impl"
			teql_topology_up
			for size in 64 1500; do
				v=$(udp_pps teql0 10.77.0.2 "$size" "${UDPC[$size]}")
				record "udp$size$SUF" "$impl" "$run" "$v"
			done
			# Both slaves must have carried traffic (striping works).
			[ "$(txp tq1)" -gt 1000 ] && [ "$(txp tq2)" -gt 1000 ] ||
				die "teql ($impl) did not stripe: tq1=$(txp tq1) tq2=$(txp tq2)"
			teql_topology_down
			teql_unload
		done
	fi
	local tun
	for tun in "ipip 5 79" "gre 7 81"; do
		set -- $tun
		want "$1" || continue
		for impl in $(fast_impls); do
			tun_load "$impl" "$1" "$2" "$3"
			for size in 64 1500; do
				v=$(udp_pps "${1}d0" "10.$3.0.2" "$size" "${UDPC[$size]}")
				record "${1}_tx$size$SUF" "$impl" "$run" "$v"
				v=$(udp_pps_counted rxp "${1}r0" "10.$(($3 + 1)).0.2" "$size" "${UDPC[$size]}")
				record "${1}_rx$size$SUF" "$impl" "$run" "$v"
			done
			# The lookup cost: the same decapsulation with NTUN more
			# tunnels of the kind in the receiver's table (same local
			# end, other remotes, down: C's lookup walks them alike).
			# One sender only (the table does not change with more).
			if [ -z "$SUF" ]; then
				tun_others "$1" "198.18.$(($2 + 1)).2" add
				v=$(udp_pps_counted rxp "${1}r0" "10.$(($3 + 1)).0.2" 64 "${UDPC[64]}")
				record "${1}_rx_ntun64" "$impl" "$run" "$v"
				tun_others "$1" "198.18.$(($2 + 1)).2" del
			fi
			tun_down "$1" "$2"
		done
	done
	phase_end "fast$SUF"
	if want bridge; then
		phase_begin
		for size in 64 1500; do
			v=$(rx_pps vb "$size" "${BRC[$size]}" "dst $BR_DST")
			record "br_fwd$size$SUF" raw "$run" "$v"
			[ "$size" != 64 ] || record "br_fwd_fdb64$SUF" raw "$run" "$v"
		done
		for impl in $(fast_impls); do
			bridge_load "$impl"
			for size in 64 1500; do
				v=$(rx_pps_via ba vb "$size" "${BRC[$size]}" "dst $BR_DST")
				record "br_fwd$size$SUF" "$impl" "$run" "$v"
			done
			# The same lookup in a table of NFDB more entries.
			bridge -batch "$TMP/fdb_add"
			v=$(rx_pps_via ba vb 64 "${BRC[64]}" "dst $BR_DST")
			record "br_fwd_fdb64$SUF" "$impl" "$run" "$v"
			bridge_down
		done
		phase_end "fast_bridge$SUF"
	fi
	if want bond; then
		phase_begin
		for m in $BOND_MODES; do
			for impl in $(fast_impls); do
				bond_pg_run "$impl" "$run" "${m%%:*}" "${m#*:}"
			done
		done
		phase_end "fast_bond$SUF"
	fi
}

for run in $(seq 1 "$RUNS"); do
	log "run $run/$RUNS ($(($(date +%s) - start)) s)"
	for series in one all; do
		if [ "$series" = one ]; then
			SENDERS=$CPU SUF=""
		elif [ "$NCPU" -gt 1 ] && [ "$ALLCPU" = 1 ]; then
			SENDERS=$(seq -s ' ' 0 $((NCPU - 1))) SUF=_all
		else
			continue
		fi
		NSEND=$(wc -w <<<"$SENDERS")
		fast_series "$run"
	done
	SENDERS=$CPU NSEND=1 SUF=""
	if want bridge_learn; then
		phase_begin
		for impl in C Rust; do
			bridge_learn_once "$impl" "$run"
		done
		phase_end bridge_learn
	fi
	for impl in C Rust; do
		if want dummy_ctl; then
			phase_begin
			control dummy dev "$impl" "$run" "$NDEV"
			phase_end control_dummy
		fi
		if want vlan_ctl; then
			phase_begin
			control vlan vlan "$impl" "$run" "$NVLAN"
			phase_end control_vlan
		fi
		if want bond_ctl; then
			phase_begin
			control bond bond "$impl" "$run" "$NBOND"
			phase_end control_bond
		fi
		if want ipip_ctl; then
			phase_begin
			control ipip ipip "$impl" "$run" "$NTUN"
			phase_end control_ipip
		fi
		if want gre_ctl; then
			phase_begin
			control gre gre "$impl" "$run" "$NTUN"
			phase_end control_gre
		fi
	done
	if want bond_failover; then
		phase_begin
		for impl in $(fast_impls); do
			bond_fo_once "$impl" "$run"
		done
		phase_end bond_failover
	fi
	! want teql_ctl || slave_rounds teql_slaves_once teql_attach teql_detach teql_slaves "$run"
	! want bond_ctl || slave_rounds bond_slaves_once bond_enslave bond_release bond_slaves "$run"
done

ip link del dm0
ip link del rd0
ip link del rawd
ip link del va
ip netns del $RXNS
ip -batch "$TMP/ts_del"
meta "guest_seconds=$(($(date +%s) - start))"
meta "phase_seconds: $(for p in "${!PHASE_S[@]}"; do echo -n "$p=$((PHASE_S[$p] / 1000)) "; done)"
if dmesg | grep -qE "$RVNET_SPLAT_RE"; then
	dmesg >"$OUT/dmesg.txt"
	die "kernel splat during the benchmark (see dmesg.txt)"
fi
rm -rf "$TMP"
echo "done" >"$OUT/finished"
log "done in $(($(date +%s) - start)) s"
