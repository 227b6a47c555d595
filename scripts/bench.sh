#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rust vs C side by side in one guest boot (project issue 7): builds the
# modules and the UDP sender, boots ONE guest (scripts/vm.sh) that runs
# tests/bench-guest.sh, then prints the table and writes it to
# results/bench/bench.md (raw samples raw.tsv, guest console console.log,
# set-up facts meta.txt, beside it).
#
# Usage: scripts/bench.sh          (the benchmark: medians of 5, A/A control)
#        scripts/bench.sh --quick  (one run of each row with smaller counts:
#                                   a few minutes, for development)
#        scripts/bench.sh --check  (only the host-side script checks)
#        scripts/bench.sh --table DIR  (the table again from a saved
#                                   results/bench folder, e.g. a guest that
#                                   ran out of time: its finished rows)
# Kernel: the production variant (DEBUG=none, scripts/kernel.sh) unless
# DEBUG is set: `DEBUG= scripts/bench.sh` measures on the debug test
# kernel. The guest gets every host CPU (at most the kernel's NR_CPUS, 4;
# RVNET_VM_CPUS overrides); fast-path rows are taken with one sender and
# with one sender per CPU (RVNET_BENCH_ALLCPU=0 skips the latter).
# Environment (passed to the guest): RVNET_BENCH_RUNS (5), RVNET_BENCH_CPU
# (1), RVNET_BENCH_ALLCPU (1), RVNET_BENCH_PERF (1: flat perf profile of
# every fast-path measurement into results/bench/perf/), RVNET_BENCH_SECONDS (1 s per fast-path run), RVNET_BENCH_NDEV
# (300 devices per control-path round), RVNET_BENCH_NVLAN (VLANs per
# round, NDEV), RVNET_BENCH_NDEL (20 devices deleted one by one),
# RVNET_BENCH_NSLAVE (50), RVNET_BENCH_AA (1: A/A series C' for the fast
# path; 0 saves its time), RVNET_BENCH_PG_COUNT, RVNET_BENCH_UDP_COUNT and
# RVNET_BENCH_RX_COUNT (fixed packet counts instead of calibration),
# RVNET_BENCH_NBOND (bonds per control-path round, 100), RVNET_BENCH_NFDB
# (5000 FDB entries), RVNET_BENCH_NFO (5 failovers per bond_failover
# figure and run), RVNET_BENCH_ONLY
# (a comma or space separated subset of the figure groups below, default
# all: only those run, and the table has only their rows).
set -euo pipefail

# The production kernel unless DEBUG is set (even to empty: the test kernel).
export DEBUG=${DEBUG-none}
kernel_desc() {
	case "$DEBUG" in
	none) echo "production config: no lockdep, kmemleak or debug objects, PREEMPT_VOLUNTARY" ;;
	kasan) echo "debug config with KASAN" ;;
	*) echo "debug config: lockdep, kmemleak, DEBUG_OBJECTS, PREEMPT" ;;
	esac
}
quick=""
table_only=""
if [ "${1:-}" = --table ]; then
	table_only=$(cd "${2:?--table DIR}" && pwd)
	shift 2
fi
if [ "${1:-}" = --quick ]; then
	quick=1
	shift
	export RVNET_BENCH_RUNS=${RVNET_BENCH_RUNS:-1} RVNET_BENCH_AA=${RVNET_BENCH_AA:-0} \
		RVNET_BENCH_SECONDS=${RVNET_BENCH_SECONDS:-0.5} RVNET_BENCH_NDEV=${RVNET_BENCH_NDEV:-200} \
		RVNET_BENCH_NBOND=${RVNET_BENCH_NBOND:-50} RVNET_BENCH_NSLAVE=${RVNET_BENCH_NSLAVE:-30} \
		RVNET_BENCH_NFDB=${RVNET_BENCH_NFDB:-2000} RVNET_BENCH_NDEL=${RVNET_BENCH_NDEL:-5}
fi
nr_cpus=4
export RVNET_VM_CPUS=${RVNET_VM_CPUS:-$(($(nproc) < nr_cpus ? $(nproc) : nr_cpus))}

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dest=$root/results/bench
# The guest writes to a private folder: scripts/check.sh, run by others in
# this checkout, starts with `rm -rf results`.
out=$(mktemp -d /var/tmp/rvnet-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
if [ -n "$table_only" ]; then
	cp -r "$table_only"/. "$out"/
fi
start=$(date +%s)

# Figure groups (RVNET_BENCH_ONLY); tests/bench-guest.sh has the same list.
groups="rdummy vlan vlan_rx teql_udp dummy_ctl vlan_ctl teql_ctl bond bond_failover bond_ctl bridge bridge_learn ipip gre ipip_ctl gre_ctl"
only=$(echo "${RVNET_BENCH_ONLY:-}" | tr ', ' '\n\n' | sed '/^$/d' | paste -sd, -)
for g in ${only//,/ }; do
	[[ " $groups " == *" $g "* ]] || {
		echo "bench: RVNET_BENCH_ONLY: unknown group '$g' (groups: $groups)" >&2
		exit 1
	}
done

# Host-side checks of the shell scripts, before spending a guest boot.
check_scripts() {
	local f
	for f in scripts/bench.sh tests/bench-guest.sh; do
		bash -n "$f" || { echo "bench: $f: syntax error" >&2; return 1; }
	done
	if command -v shellcheck >/dev/null; then
		shellcheck -S warning scripts/bench.sh tests/bench-guest.sh || return 1
	else
		echo "bench: shellcheck not installed; bash -n only" >&2
	fi
}
echo "== checks"
check_scripts
if [ "${1:-}" = --check ]; then
	echo "bench: scripts OK"
	exit 0
fi

# Another guest on this 2-core machine halves what ours gets.
others() { pgrep -c -f '^[^ ]*qemu-system' || true; }
save() {
	rm -rf "$src" "$dest"
	mkdir -p "$dest"
	cp -r "$out"/. "$dest"/
}
partial=""
if [ -n "$table_only" ]; then
	busy_before=0 busy_after=0 src=$out/src
	[ -f "$out/finished" ] || partial=1
else
busy_before=$(others)
[ "$busy_before" = 0 ] ||
	echo "bench: warning: $busy_before other QEMU guest(s) running; figures will be noisy" >&2

echo "== modules"
# Built in a private copy of the working tree (tracked and untracked files,
# build products aside): the kernel variant differs from the checkout's
# (the debug test kernel), and kbuild does not notice a changed KDIR in a
# tree built before (same relative command lines), so the checkout's
# objects are neither reused nor disturbed. Only the modules measured here.
# Inside $out, the guest's --rwdir (the guest does not see the host's
# /var/tmp otherwise); left out of results/bench.
src=$out/src
mkdir "$src"
git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$src"
if ! make -C "$src" -s modules RVNET_DIRS="samples/rdummy drivers/teql drivers/vlan drivers/bond drivers/bridge drivers/tunnels drivers/ipip drivers/gre" \
	>"$out/build.log" 2>&1; then
	tail -40 "$out/build.log"
	echo "bench: module build failed (DEBUG=$DEBUG)" >&2
	exit 1
fi
echo "== tools"
mkdir -p "$dest"
gcc -O2 -Wall -Werror -o "$dest/udpflood" tests/tools/udpflood.c
cp "$dest/udpflood" "$out/udpflood"

guest_env=""
for v in RVNET_BENCH_RUNS RVNET_BENCH_CPU RVNET_BENCH_ALLCPU RVNET_BENCH_PERF RVNET_BENCH_SECONDS RVNET_BENCH_NDEV \
	RVNET_BENCH_NVLAN RVNET_BENCH_NDEL RVNET_BENCH_NSLAVE RVNET_BENCH_AA \
	RVNET_BENCH_PG_COUNT RVNET_BENCH_UDP_COUNT RVNET_BENCH_RX_COUNT RVNET_BENCH_NBOND \
	RVNET_BENCH_NFDB RVNET_BENCH_NTUN RVNET_BENCH_NFO; do
	[ -z "${!v:-}" ] || guest_env="$guest_env $v=${!v}"
done
[ -z "$only" ] || guest_env="$guest_env RVNET_BENCH_ONLY=$only"

echo "== guest (one boot; TCG takes several minutes)"
# (ipip, gre and their control rows alone took more than 2400 s.)
RVNET_VM_TIMEOUT=${RVNET_VM_TIMEOUT:-4500} \
	scripts/vm.sh "$out" "$guest_env $src/tests/bench-guest.sh $out $out/udpflood"
busy_after=$(others)
if [ ! -f "$out/finished" ]; then
	save
	echo "bench: the guest did not finish (console: $dest/console.log)" >&2
	[ ! -f "$out/error" ] || cat "$out/error" >&2
	tail -30 "$out/console.log" >&2
	echo "bench: its finished rows: scripts/bench.sh --table $dest" >&2
	exit 1
fi
fi

# The bonding modes of results written before meta.txt listed them.
bond_modes_default="xor:balance-xor rr:balance-rr ab:active-backup bc:broadcast"
metaval() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" "$out/meta.txt" | head -1; }
host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
# The accelerator scripts/vm.sh chose (its probe result, kept per kernel).
accel="QEMU TCG (no KVM)"
probe="$("$root/scripts/kernel.sh")/.rvnet-kvm-probe"
if [ -e /dev/kvm ] && [ -z "${RVNET_NO_KVM:-}" ] && [ "$(cat "$probe" 2>/dev/null)" = kvm ]; then
	accel="QEMU KVM"
fi

# footer KEY TITLE [SED]: meta.txt's lines starting with KEY as a list
# under TITLE (SED: the sed -n script printing them; default: KEY cut).
footer() {
	grep -q "^$1" "$out/meta.txt" || return 0
	echo
	echo "$2"
	echo
	sed -n "${3:-s/^$1 /- /p}" "$out/meta.txt"
}

{
	echo "# rvnet: Rust vs C, side by side"
	echo
	echo "$(date -u +%Y-%m-%d), host: $(nproc) CPUs, $host_cpu; guest: $accel," \
		"$(metaval guest_cpus) vCPUs, kernel $(metaval guest_kernel) ($(kernel_desc));" \
		"$(metaval runs) runs per figure, C, Rust and" \
		"(fast path, A/A control if on) C' again in each run; fast path: one sender pinned to guest CPU" \
		"$(metaval cpu), then (rows \"all CPUs\") one sender per guest CPU; guest time" \
		"$(metaval guest_seconds) s${quick:+ (--quick: one run, smaller counts)}; modules from" \
		"$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD || echo ' plus uncommitted changes')."
	echo
	[ -z "$only" ] || { echo "Only the figure groups $only (RVNET_BENCH_ONLY)."; echo; }
	if [ -n "$partial" ]; then
		echo "**Partial: the guest ran out of time; the rows it finished, each over the runs it completed.**"
		echo
	fi
	if [ "$busy_before" != 0 ] || [ "$busy_after" != 0 ]; then
		echo "**Warning: other QEMU guests were running during this benchmark; figures are noisy.**"
		echo
	fi
	echo "| kind | test | C median [min-max] | Rust median [min-max] | Rust/C [per-run min-max] | A/A C'/C [per-run min-max] | raw limit | Rust/raw [per-run min-max] |"
	echo "|---|---|---|---|---|---|---|---|"
	awk -F'\t' -v prod="$([ "$DEBUG" = none ] && echo 1)" -v ncpu="$(metaval guest_cpus)" -v nfdb="$(metaval nfdb)" -v ndev="$(metaval ndev)" -v nvlan="$(metaval nvlan)" -v ndel="$(metaval ndel)" \
		-v nslave="$(metaval nslave)" -v nbond="$(metaval nbond)" -v ntun="$(metaval ntun)" -v only="$only" \
		-v nfo="$(metaval nfo)" -v bond_modes="$(sed -n 's/^bond_modes //p' "$out/meta.txt" | grep . || echo "$bond_modes_default")" '
	function sortv(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	}
	# median of a[1..n] (sorted in place) into MED, min into MIN, max into MAX
	function med(a, n) {
		sortv(a, n)
		MED = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		MIN = a[1]; MAX = a[n]
	}
	function stat(id, impl,   n, r, a) {
		n = 0
		for (r in runs) if ((id, impl, r) in val) a[++n] = val[id, impl, r] + 0
		if (n == 0) { MED = ""; return "-" }
		med(a, n)
		return fmt(MED, unit[id]) " [" fmt(MIN, unit[id]) "-" fmt(MAX, unit[id]) "]"
	}
	# ratio(id, x, y): median(x)/median(y) and the range of per-run x/y
	function ratio(id, x, y,   n, r, a, mx, my) {
		stat(id, x); mx = MED
		stat(id, y); my = MED
		if (mx == "" || my == "" || my == 0) return "-"
		n = 0
		for (r in runs)
			if ((id, x, r) in val && (id, y, r) in val && val[id, y, r] > 0)
				a[++n] = val[id, x, r] / val[id, y, r]
		med(a, n)
		return sprintf("%.2f [%.2f-%.2f]", mx / my, MIN, MAX)
	}
	function fmt(v, u) {
		if (u == "pps") return (v >= 1e6) ? sprintf("%.2fM", v / 1e6) : sprintf("%.1fk", v / 1e3)
		if (u == "us") return (v >= 1e5) ? sprintf("%.0f ms", v / 1e3) : sprintf("%.1f ms", v / 1e3)
		return sprintf("%.0f B", v)
	}
	{ val[$1, $2, $3] = $4; runs[$3] = 1 }
	# row(GROUP, ID, KIND, LABEL, UNIT): a table row, if GROUP is selected
	function row(g, i_, k, l, un) {
		if (only != "" && index("," only ",", "," g ",") == 0) return
		id[++n] = i_; kind[n] = k; label[n] = l; u[n] = un
	}
	# ctl(GROUP, PREFIX, KIND, N, ONE, MANY): the control-path rows of a
	# kind (tests/bench-guest.sh control()): creation of N, deletion one by
	# one and in a batch, memory per device.
	function ctl(g, p, k, n_, one, many) {
		row(g, p "_create", k, "create " n_ " " many " (ip -batch)", "us")
		row(g, p "_delete", k, "delete " ndel " of them one by one (ip -batch)", "us")
		row(g, p "_delete_batch", k, "delete the other " (n_ - ndel) " at once (ip link del group)", "us")
		row(g, p "_mem", k, "kernel memory per " one " (slabinfo + Percpu)", "B")
		row(g, p "_mem_debug", k, "debug-kernel records per " one " (kmemleak, debugobjects)", "B")
	}
	END {
		n = 0
		row("rdummy", "pg64", "rdummy vs dummy", "pktgen tx, 64 B frames, pps", "pps")
		row("rdummy", "pg1500", "rdummy vs dummy", "pktgen tx, 1500 B frames, pps", "pps")
		row("vlan", "vlan_pg64", "VLAN on dummy", "pktgen tx, 64 B frames, pps", "pps")
		row("vlan", "vlan_pg1500", "VLAN on dummy", "pktgen tx, 1500 B frames, pps", "pps")
		row("vlan_rx", "vlan_rx64", "VLAN on veth peer", "pktgen rx (tagged), 64 B frames, pps", "pps")
		row("vlan_rx", "vlan_rx1500", "VLAN on veth peer", "pktgen rx (tagged), 1500 B frames, pps", "pps")
		row("teql_udp", "udp64", "TEQL (2 dummy slaves)", "UDP sendmmsg, 64 B frames, pps", "pps")
		row("teql_udp", "udp1500", "TEQL (2 dummy slaves)", "UDP sendmmsg, 1500 B frames, pps", "pps")
		ctl("dummy_ctl", "dev", "rdummy vs dummy", ndev, "device", "devices")
		ctl("vlan_ctl", "vlan", "VLAN on dummy", nvlan, "VLAN", "VLANs")
		row("teql_ctl", "teql_attach", "TEQL", "attach " nslave " slaves (tc -batch)", "us")
		row("teql_ctl", "teql_detach", "TEQL", "detach " nslave " slaves (tc -batch)", "us")
		# One pair of rows per mode of the guest'"'"'s BOND_MODES ("short:mode").
		nm = split(bond_modes, bm, " ")
		for (j = 1; j <= nm; j++) {
			bs = bm[j]; sub(/:.*/, "", bs)
			bk = bm[j]; sub(/^[^:]*:/, "", bk)
			bk = "bond " bk (bk == "802.3ad" ? " (2 veth slaves, 802.3ad partner)" : " (2 dummy slaves)")
			row("bond", "bond_" bs "_pg64", bk, "pktgen tx, 64 B frames, pps", "pps")
			row("bond", "bond_" bs "_pg1500", bk, "pktgen tx, 1500 B frames, pps", "pps")
		}
		row("bond_failover", "bond_fo_mii", "bond active-backup miimon 10 (2 dummy slaves)",
			"failover time: active slave'"'"'s carrier off (sysfs) until bonding/active_slave (read in a loop) names the other, median of " nfo, "us")
		row("bond_failover", "bond_fo_arp", "bond active-backup arp_interval 50 (2 veth slaves, bridged to the target)",
			"failover time: the bridge stops delivering to the active slave (its ARP replies stop; sysfs) until bonding/active_slave names the other, median of " nfo, "us")
		row("bond_ctl", "bond_enslave", "bond", "enslave " nslave " dummies (ip -batch)", "us")
		row("bond_ctl", "bond_release", "bond", "release " nslave " dummies (ip -batch)", "us")
		ctl("bond_ctl", "bond", "bond", nbond, "bond", "bonds")
		row("bridge", "br_fwd64", "bridge (veth to veth)", "pktgen forwarded, 64 B frames, pps", "pps")
		row("bridge", "br_fwd1500", "bridge (veth to veth)", "pktgen forwarded, 1500 B frames, pps", "pps")
		row("bridge", "br_fwd_fdb64", "bridge (veth to veth)", "the same, 64 B, with " nfdb " more FDB entries, pps", "pps")
		row("ipip", "ipip_tx64", "ipip over dummy", "UDP sendmmsg encapsulated, 64 B frames, pps", "pps")
		row("ipip", "ipip_tx1500", "ipip over dummy", "UDP sendmmsg encapsulated, 1500 B frames, pps", "pps")
		row("ipip", "ipip_rx64", "ipip over veth, ipip peer", "UDP sendmmsg, decapsulated by the peer, 64 B frames, pps", "pps")
		row("ipip", "ipip_rx1500", "ipip over veth, ipip peer", "UDP sendmmsg, decapsulated by the peer, 1500 B frames, pps", "pps")
		row("gre", "gre_tx64", "gre over dummy", "UDP sendmmsg encapsulated, 64 B frames, pps", "pps")
		row("gre", "gre_tx1500", "gre over dummy", "UDP sendmmsg encapsulated, 1500 B frames, pps", "pps")
		row("gre", "gre_rx64", "gre over veth, gre peer", "UDP sendmmsg, decapsulated by the peer, 64 B frames, pps", "pps")
		row("gre", "gre_rx1500", "gre over veth, gre peer", "UDP sendmmsg, decapsulated by the peer, 1500 B frames, pps", "pps")
		row("ipip", "ipip_rx_ntun64", "ipip over veth, ipip peer", "the same, 64 B, with " ntun " more ipip tunnels beside it on the receiver, pps", "pps")
		row("gre", "gre_rx_ntun64", "gre over veth, gre peer", "the same, 64 B, with " ntun " more gre tunnels beside it on the receiver, pps", "pps")
		ctl("ipip_ctl", "ipip", "ipip", ntun, "tunnel", "tunnels")
		ctl("gre_ctl", "gre", "gre", ntun, "tunnel", "tunnels")
		row("bridge_learn", "br_learn", "bridge (veth to veth)", "learning " nfdb " new addresses (one frame each), pps", "pps")
		row("bridge_learn", "br_fdb_mem", "bridge", "kernel memory per learned FDB entry (slabinfo + Percpu)", "B")
		row("bridge_learn", "br_fdb_mem_debug", "bridge", "debug-kernel records per learned FDB entry", "B")
		for (i = 1; i <= n; i++) { unit[id[i]] = u[i]; unit[id[i] "_all"] = u[i] }
		for (i = 1; i <= n; i++) {
			emit(id[i], kind[i], label[i], u[i])
			# The one-sender-per-CPU series of a fast-path row.
			if (u[i] == "pps" && (id[i] "_all", "C", 1) in val)
				emit(id[i] "_all", kind[i], label[i] ", all " ncpu " CPUs sending", u[i])
		}
	}
	function emit(idv, k, lab, un,   c, r, w, ratio_s, aa, rr) {
		# The production kernel keeps no debug records.
		if (prod && idv ~ /_debug$/) return
		c = stat(idv, "C")
		r = stat(idv, "Rust")
		w = stat(idv, "raw")
		rr = ratio(idv, "Rust", "raw")
		if (w == "-") {
			w = (un == "pps" && idv ~ /^pg/) ? "n/a (C dummy is the floor)" : "-"
			if (un == "pps" && idv ~ /^pg/) rr = "= Rust/C"
		}
		else if (idv ~ /^vlan_pg/) w = w " (pktgen on the dummy, no VLAN)"
		else if (idv ~ /^bond_lacp_/) w = w " (pktgen on one veth slave, no bond)"
		else if (idv ~ /^bond_/) w = w " (pktgen on one dummy, no bond)"
		else if (idv ~ /^vlan_rx/) w = w " (untagged into the bare veth peer)"
		else if (idv ~ /^(ipip|gre)_tx/) w = w " (UDP straight over a dummy, no tunnel)"
		else if (idv ~ /^br_fwd/) w = w " (pktgen on the receiver'"'"'s veth peer, no bridge)"
		else w = w " (one dummy, no teql)"
		ratio_s = ratio(idv, "Rust", "C")
		if (ratio_s != "-") {
			if (un == "pps") ratio_s = ratio_s " (higher = Rust faster)"
			else if (un == "us") ratio_s = ratio_s " (lower = Rust faster)"
			else ratio_s = ratio_s " (lower = Rust smaller)"
		}
		aa = ratio(idv, "C2", "C")
		printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", k, lab, c, r, ratio_s, aa, w, rr
	}' "$out/raw.tsv"
	echo
	echo "Counts: $(grep '^count_' "$out/meta.txt" | tr '\n' ' ')"
	echo
	echo "Guest $(grep '^phase_seconds' "$out/meta.txt" || echo "phase_seconds: -")"
	footer top_caches "Caches that grew most (run 1, bytes per device):"
	footer bond_split "Bond slaves' tx packets (run 1, both sizes; xor, rr and 802.3ad: each carries over a fifth, active-backup, balance-tlb before its first rebalance and balance-alb (one destination): one, broadcast: both all):" \
		's/^bond_split\(_all\)\{0,1\} /- \1 /p'
	footer bond_failover "Bond failovers (run 1, microseconds each; the poll period and the time the failure's sysfs writes took are the resolution):" \
		's/^bond_failover /- /p; s/^bond_lacp_formed /- 802.3ad aggregator formed: /p'
	footer bond_tx_lost "Bond frames pktgen counted as sent but no slave carried (the figure counts only what the slaves carried):" \
		's/^bond_tx_lost\(_all\)\{0,1\} /- \1 /p'
	footer tx_drops "Transmit drops with several senders (counted < sent; the figure counts what went out):"
	footer rx_drops "Receive drops (received < sent; the rx figure counts only what arrived):"
} >"$out/bench.md"

save
cat "$dest/bench.md"
echo
echo "bench: table in $dest/bench.md, raw samples in $dest/raw.tsv ($(($(date +%s) - start)) s)"
