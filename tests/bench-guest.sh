#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the vng guest (started by scripts/bench.sh): Rust vs C
# side-by-side measurements in one boot.
#
#   fast path  pktgen on rdummy vs dummy, and on a VLAN over a dummy
#              (rvnet_vlan vs 8021q); UDP (tests/tools/udpflood) through
#              teql0 of rvnet_teql vs sch_teql, and straight over a dummy
#              (the raw limit); everything pinned to one CPU
#   control    ip -batch create/delete of NDEV devices (rdummy vs dummy);
#              tc -batch attach/detach of NSLAVE teql slaves
#   memory     Slab + Percpu from /proc/meminfo over NDEV devices
#
# Every figure is taken RUNS times, C then Rust in each run. Raw samples go
# to OUT/raw.tsv ("id impl run value"), set-up facts to OUT/meta.txt; OUT/
# finished marks a complete run, OUT/error the line that failed.
#
# Usage: tests/bench-guest.sh OUT_DIR UDPFLOOD_BINARY
# Environment: RVNET_BENCH_RUNS (5), RVNET_BENCH_CPU (1),
# RVNET_BENCH_SECONDS (target length of one fast-path run, 1.5),
# RVNET_BENCH_NDEV (50), RVNET_BENCH_NSLAVE (20), RVNET_BENCH_ONLY (all
# groups; a comma- or space-separated subset of: rdummy vlan teql_udp devices
# teql_ctl, e.g. "teql_ctl" for the TEQL attach/detach figures only). Under TCG one device
# deletion or teql attach/detach waits for RCU grace periods (0.2 to 0.5 s
# each), so the defaults are far below issue 7's 1000 devices / 100 slaves;
# with KVM or on hardware, RVNET_BENCH_NDEV=1000 RVNET_BENCH_NSLAVE=100.
set -euo pipefail
shopt -s inherit_errexit

OUT=${1:?usage: bench-guest.sh OUT_DIR UDPFLOOD}
FLOOD=${2:?usage: bench-guest.sh OUT_DIR UDPFLOOD}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RVNET_BENCH_RUNS:-5}
CPU=${RVNET_BENCH_CPU:-1}
SECONDS_PER_RUN=${RVNET_BENCH_SECONDS:-1.5}
NDEV=${RVNET_BENCH_NDEV:-50}
NSLAVE=${RVNET_BENCH_NSLAVE:-20}
ONLY=${RVNET_BENCH_ONLY:-rdummy vlan teql_udp devices teql_ctl}
ONLY=${ONLY//,/ }
RDUMMY_KO=$ROOT/samples/rdummy/rdummy.ko
TEQL_KO=$ROOT/drivers/teql/rvnet_teql.ko
VLAN_KO=$ROOT/drivers/vlan/rvnet_vlan.ko
RAW=$OUT/raw.tsv
META=$OUT/meta.txt
TMP=$(mktemp -d)
PG=/proc/net/pktgen

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
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RAW"; }
meta() { echo "$*" >>"$META"; }
pin() { taskset -c "$CPU" "$@"; }
driver_of() { ethtool -i "$1" 2>/dev/null | sed -n 's/^driver: //p' || true; }
loaded() { lsmod | grep -q "^$1 "; }
# want GROUP: the group is selected by RVNET_BENCH_ONLY.
want() { [[ " $ONLY " == *" $1 "* ]]; }

expect_driver() {
	local d
	d=$(driver_of "$1")
	[ "$d" = "$2" ] || die "$1 is served by '$d', expected '$2'"
}

# --- TEQL module handling: C and Rust both register teql0 -------------------

teql_unload() {
	! loaded rvnet_teql || rmmod rvnet_teql
	! loaded sch_teql || rmmod sch_teql
}

teql_load() {
	teql_unload
	case $1 in
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

vlan_unload() {
	! loaded rvnet_vlan || rmmod rvnet_vlan
	! loaded 8021q || rmmod 8021q
}

vlan_load() {
	vlan_unload
	case $1 in
	C) modprobe 8021q ;;
	Rust) insmod "$VLAN_KO" ;;
	esac
	ip link add vd0 type dummy
	ip link set vd0 up
	ip link add link vd0 name vd0.10 type vlan id 10
	ip link set vd0.10 up
	case $1 in
	C) expect_driver vd0.10 "802.1Q VLAN Support" ;;
	Rust) expect_driver vd0.10 rvnet_vlan ;;
	esac
}

vlan_down() {
	ip link del vd0
	vlan_unload
}

# --- fast path: pktgen (Ethernet devices) -----------------------------------

# pktgen_pps DEV FRAME_SIZE COUNT: prints packets per second.
pktgen_pps() {
	local dev=$1 size=$2 count=$3 t=$PG/kpktgend_$CPU c
	echo rem_device_all >"$t"
	echo "add_device $dev" >"$t"
	for c in "count $count" "pkt_size $size" "clone_skb 0" "burst 1" "delay 0" \
		"dst 198.18.0.2" "dst_mac 02:00:00:00:00:02"; do
		echo "$c" >"$PG/$dev"
	done
	echo start >$PG/pgctrl
	grep -q 'Result: OK' "$PG/$dev" || die "pktgen on $dev: $(grep Result "$PG/$dev")"
	sed -n 's/^ *\([0-9][0-9]*\)pps .*/\1/p' "$PG/$dev"
	echo rem_device_all >"$t"
}

# --- fast path: UDP sender (any routed device) -------------------------------

txp() { cat "/sys/class/net/$1/statistics/tx_packets"; }

# udp_pps DEV DST FRAME_SIZE COUNT: COUNT datagrams whose Ethernet frame on
# the (lower) dummy is FRAME_SIZE bytes; pps from DEV's tx counter.
udp_pps() {
	local dev=$1 dst=$2 size=$3 count=$4 before after out sent ns delta
	before=$(txp "$dev")
	out=$(pin "$FLOOD" "$dst" 9 $((size - 42)) "$count")
	after=$(txp "$dev")
	sent=$(sed -n 's/.*sent=\([0-9]*\).*/\1/p' <<<"$out")
	ns=$(sed -n 's/.*elapsed_ns=\([0-9]*\).*/\1/p' <<<"$out")
	delta=$((after - before))
	# The counter must account for (nearly) everything sent.
	[ "$delta" -ge $((sent * 99 / 100)) ] || die "$dev counted $delta of $sent ($out)"
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

# --- control path and memory --------------------------------------------------

# Slab + Percpu in kB, after dropping reclaimable caches (dentries and
# inodes that guest commands pull in over 9p would otherwise swamp the
# per-device figure).
mem_kb() {
	echo 2 >/proc/sys/vm/drop_caches
	awk '/^(Slab|Percpu):/ { s += $2 } END { print s }' /proc/meminfo
}

# devices_once IMPL: create then delete NDEV devices with ip -batch.
devices_once() {
	local impl=$1 kind m0 m1 t0 t1 t2 t3 n
	[ "$impl" = C ] && kind=dummy || kind=rdummy
	sleep 2 # let RCU-deferred frees of the previous round land
	m0=$(mem_kb)
	t0=$(now_ns)
	pin ip -batch "$TMP/add_$kind"
	t1=$(now_ns)
	m1=$(mem_kb)
	n=$(find /sys/class/net -maxdepth 1 -name 'bd*' | wc -l)
	[ "$n" = "$NDEV" ] || die "$n of $NDEV $kind devices created"
	expect_driver bd1 "$kind"
	expect_driver "bd$NDEV" "$kind"
	t2=$(now_ns)
	pin ip -batch "$TMP/del"
	t3=$(now_ns)
	! ip link show bd1 >/dev/null 2>&1 || die "bd1 survived deletion"
	echo "$(((t1 - t0) / 1000)) $(((t3 - t2) / 1000)) $(((m1 - m0) * 1024 / NDEV))"
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

# --- set-up -------------------------------------------------------------------

start=$(date +%s)
dmesg -C
teql_unload
loaded rdummy || insmod "$RDUMMY_KO"
modprobe pktgen
[ -e "$PG/kpktgend_$CPU" ] || die "no pktgen thread for CPU $CPU"

for i in $(seq 1 "$NDEV"); do
	echo "link add bd$i type dummy" >>"$TMP/add_dummy"
	echo "link add bd$i type rdummy" >>"$TMP/add_rdummy"
	echo "link del bd$i" >>"$TMP/del"
done
for i in $(seq 1 "$NSLAVE"); do
	echo "link add ts$i type dummy" >>"$TMP/ts_add"
	echo "qdisc add dev ts$i root teql0" >>"$TMP/ts_attach"
	echo "qdisc del dev ts$i root" >>"$TMP/ts_detach"
	echo "link del ts$i" >>"$TMP/ts_del"
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

meta "guest_kernel=$(uname -r)"
meta "guest_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
meta "guest_cpus=$(nproc)"
meta "runs=$RUNS cpu=$CPU ndev=$NDEV nslave=$NSLAVE"
meta "only=${ONLY// /,}"

# Calibrate packet counts on the C side so one run lasts SECONDS_PER_RUN.
declare -A PGC UDPC
for size in 64 1500; do
	want rdummy || want vlan || want teql_udp || break
	p=$(pktgen_pps dm0 "$size" 20000)
	PGC[$size]=${RVNET_BENCH_PG_COUNT:-$(count_for "$p")}
	p=$(udp_pps rawd 10.78.0.2 "$size" 20000)
	UDPC[$size]=${RVNET_BENCH_UDP_COUNT:-$(count_for "$p")}
	meta "count_pktgen_$size=${PGC[$size]} count_udp_$size=${UDPC[$size]}"
	log "calibrated $size B: pktgen ${PGC[$size]}, udp ${UDPC[$size]} packets"
done

# --- the runs -------------------------------------------------------------------

for run in $(seq 1 "$RUNS"); do
	log "run $run/$RUNS ($(($(date +%s) - start)) s)"
	for size in 64 1500; do
		want teql_udp || break
		v=$(udp_pps rawd 10.78.0.2 "$size" "${UDPC[$size]}")
		record "udp$size" raw "$run" "$v"
	done
	for impl in C Rust; do
		want rdummy || break
		[ "$impl" = C ] && dev=dm0 || dev=rd0
		for size in 64 1500; do
			v=$(pktgen_pps "$dev" "$size" "${PGC[$size]}")
			record "pg$size" "$impl" "$run" "$v"
			# pktgen straight on the dummy is the raw limit under a VLAN.
			[ "$impl" = C ] && record "vlan_pg$size" raw "$run" "$v"
		done
	done
	for impl in C Rust; do
		want vlan || break
		vlan_load "$impl"
		for size in 64 1500; do
			v=$(pktgen_pps vd0.10 "$size" "${PGC[$size]}")
			record "vlan_pg$size" "$impl" "$run" "$v"
		done
		vlan_down
	done
	for impl in C Rust; do
		want teql_udp || break
		teql_load "$impl"
		teql_topology_up
		for size in 64 1500; do
			v=$(udp_pps teql0 10.77.0.2 "$size" "${UDPC[$size]}")
			record "udp$size" "$impl" "$run" "$v"
		done
		# Both slaves must have carried traffic (striping works).
		[ "$(txp tq1)" -gt 1000 ] && [ "$(txp tq2)" -gt 1000 ] ||
			die "teql ($impl) did not stripe: tq1=$(txp tq1) tq2=$(txp tq2)"
		teql_topology_down
		teql_unload
	done
	for impl in C Rust; do
		want devices || break
		v=$(devices_once "$impl")
		read -r create delete mem <<<"$v"
		record dev_create "$impl" "$run" "$create"
		record dev_delete "$impl" "$run" "$delete"
		record dev_mem "$impl" "$run" "$mem"
	done
	for impl in C Rust; do
		want teql_ctl || break
		v=$(teql_slaves_once "$impl")
		read -r attach detach <<<"$v"
		record teql_attach "$impl" "$run" "$attach"
		record teql_detach "$impl" "$run" "$detach"
	done
done

ip link del dm0
ip link del rd0
ip link del rawd
ip -batch "$TMP/ts_del"
meta "guest_seconds=$(($(date +%s) - start))"
if dmesg | grep -qE 'BUG:|WARNING:|Oops|circular locking|suspicious RCU'; then
	dmesg >"$OUT/dmesg.txt"
	die "kernel splat during the benchmark (see dmesg.txt)"
fi
rm -rf "$TMP"
echo done >"$OUT/finished"
log "done in $(($(date +%s) - start)) s"
