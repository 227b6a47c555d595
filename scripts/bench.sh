#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rust vs C side by side in one guest boot (project issue 7): builds the
# modules and the UDP sender, boots ONE guest (scripts/vm.sh) that runs
# tests/bench-guest.sh, then prints the table and writes it to
# results/bench/bench.md (raw samples raw.tsv, guest console console.log,
# set-up facts meta.txt, beside it).
#
# Usage: scripts/bench.sh
# Environment (passed to the guest): RVNET_BENCH_RUNS (5), RVNET_BENCH_CPU
# (1), RVNET_BENCH_SECONDS (1.5 s per fast-path run), RVNET_BENCH_NDEV
# (50), RVNET_BENCH_NSLAVE (20), RVNET_BENCH_PG_COUNT and
# RVNET_BENCH_UDP_COUNT (fixed packet counts instead of calibration),
# RVNET_BENCH_ONLY (comma-separated subset of
# rdummy,vlan,teql_udp,devices,teql_ctl; the table shows only those).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dest=$root/results/bench
# The guest writes to a private folder: scripts/check.sh, run by others in
# this checkout, starts with `rm -rf results`.
out=$(mktemp -d /var/tmp/rvnet-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
start=$(date +%s)

# Another guest on this 2-core machine halves what ours gets.
others() { pgrep -c -f '^[^ ]*qemu-system' || true; }
busy_before=$(others)
[ "$busy_before" = 0 ] ||
	echo "bench: warning: $busy_before other QEMU guest(s) running; figures will be noisy" >&2

echo "== modules"
# Only the modules measured here, so that a driver being edited elsewhere in
# the checkout does not stop the benchmark. If even these fail to build (the
# shared rust/netdev is mid-edit), the last built .ko files are used and the
# table says so.
kos=(samples/rdummy/rdummy.ko drivers/teql/rvnet_teql.ko drivers/vlan/rvnet_vlan.ko)
stale=""
if ! make -s modules RVNET_DIRS="samples/rdummy drivers/teql drivers/vlan" >"$out/build.log" 2>&1; then
	for ko in "${kos[@]}"; do
		[ -f "$ko" ] || {
			tail -40 "$out/build.log"
			echo "bench: module build failed and $ko does not exist" >&2
			exit 1
		}
	done
	stale="modules did not build from the current tree; used the last built $(
		for ko in "${kos[@]}"; do echo -n "$(basename "$ko") ($(date -u -r "$ko" '+%F %T UTC')) "; done)"
	tail -20 "$out/build.log" >&2
	echo "bench: warning: $stale" >&2
fi
echo "== tools"
mkdir -p "$dest"
gcc -O2 -Wall -Werror -o "$dest/udpflood" tests/tools/udpflood.c
cp "$dest/udpflood" "$out/udpflood"

guest_env=""
for v in RVNET_BENCH_RUNS RVNET_BENCH_CPU RVNET_BENCH_SECONDS RVNET_BENCH_NDEV \
	RVNET_BENCH_NSLAVE RVNET_BENCH_PG_COUNT RVNET_BENCH_UDP_COUNT RVNET_BENCH_ONLY; do
	[ -z "${!v:-}" ] || guest_env="$guest_env $v=${!v}"
done

echo "== guest (one boot; TCG takes several minutes)"
RVNET_VM_TIMEOUT=${RVNET_VM_TIMEOUT:-1200} \
	scripts/vm.sh "$out" "$guest_env $root/tests/bench-guest.sh $out $out/udpflood"
busy_after=$(others)
save() {
	rm -rf "$dest"
	mkdir -p "$dest"
	cp -r "$out"/. "$dest"/
}
if [ ! -f "$out/finished" ]; then
	save
	echo "bench: the guest did not finish (console: $dest/console.log)" >&2
	[ ! -f "$out/error" ] || cat "$out/error" >&2
	tail -30 "$out/console.log" >&2
	exit 1
fi

metaval() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" "$out/meta.txt" | head -1; }
host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
# The accelerator scripts/vm.sh chose (its probe result, kept per kernel).
accel="QEMU TCG (no KVM)"
probe="$("$root/scripts/kernel.sh")/.rvnet-kvm-probe"
if [ -e /dev/kvm ] && [ -z "${RVNET_NO_KVM:-}" ] && [ "$(cat "$probe" 2>/dev/null)" = kvm ]; then
	accel="QEMU KVM"
fi

{
	echo "# rvnet: Rust vs C, side by side"
	echo
	echo "$(date -u +%Y-%m-%d), host: $(nproc) CPUs, $host_cpu; guest: $accel," \
		"$(metaval guest_cpus) vCPUs, kernel $(metaval guest_kernel) (debug config:" \
		"lockdep, kmemleak, DEBUG_OBJECTS); $(metaval runs) runs per figure, C and Rust" \
		"alternating; fast path pinned to guest CPU $(metaval cpu); guest time" \
		"$(metaval guest_seconds) s."
	echo
	[ -z "$stale" ] || { echo "**Warning: $stale.**"; echo; }
	if [ "$busy_before" != 0 ] || [ "$busy_after" != 0 ]; then
		echo "**Warning: other QEMU guests were running during this benchmark; figures are noisy.**"
		echo
	fi
	echo "| kind | test | C median [min-max] | Rust median [min-max] | Rust/C | raw limit |"
	echo "|---|---|---|---|---|---|"
	awk -F'\t' -v ndev="$(metaval ndev)" -v nslave="$(metaval nslave)" '
	function sortv(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	}
	function stat(id, impl,   n, i, a) {
		n = 0
		for (i = 1; i <= cnt[id, impl]; i++) a[++n] = val[id, impl, i] + 0
		if (n == 0) { MED = ""; return "-" }
		sortv(a, n)
		MED = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		return fmt(MED, unit[id]) " [" fmt(a[1], unit[id]) "-" fmt(a[n], unit[id]) "]"
	}
	function fmt(v, u) {
		if (u == "pps") return (v >= 1e6) ? sprintf("%.2fM", v / 1e6) : sprintf("%.1fk", v / 1e3)
		if (u == "us") return (v >= 1e5) ? sprintf("%.0f ms", v / 1e3) : sprintf("%.1f ms", v / 1e3)
		return sprintf("%.0f B", v)
	}
	{ cnt[$1, $2]++; val[$1, $2, cnt[$1, $2]] = $4 }
	END {
		n = 0
		id[++n] = "pg64";        kind[n] = "rdummy vs dummy"; label[n] = "pktgen, 64 B frames, pps";   u[n] = "pps"
		id[++n] = "pg1500";      kind[n] = "rdummy vs dummy"; label[n] = "pktgen, 1500 B frames, pps"; u[n] = "pps"
		id[++n] = "vlan_pg64";   kind[n] = "VLAN on dummy"; label[n] = "pktgen, 64 B frames, pps";   u[n] = "pps"
		id[++n] = "vlan_pg1500"; kind[n] = "VLAN on dummy"; label[n] = "pktgen, 1500 B frames, pps"; u[n] = "pps"
		id[++n] = "udp64";       kind[n] = "TEQL (2 dummy slaves)"; label[n] = "UDP sendmmsg, 64 B frames, pps";   u[n] = "pps"
		id[++n] = "udp1500";     kind[n] = "TEQL (2 dummy slaves)"; label[n] = "UDP sendmmsg, 1500 B frames, pps"; u[n] = "pps"
		id[++n] = "dev_create";  kind[n] = "rdummy vs dummy"; label[n] = "create " ndev " devices (ip -batch)"; u[n] = "us"
		id[++n] = "dev_delete";  kind[n] = "rdummy vs dummy"; label[n] = "delete " ndev " devices (ip -batch)"; u[n] = "us"
		id[++n] = "dev_mem";     kind[n] = "rdummy vs dummy"; label[n] = "kernel memory per device (Slab+Percpu)"; u[n] = "B"
		id[++n] = "teql_attach"; kind[n] = "TEQL"; label[n] = "attach " nslave " slaves (tc -batch)"; u[n] = "us"
		id[++n] = "teql_detach"; kind[n] = "TEQL"; label[n] = "detach " nslave " slaves (tc -batch)"; u[n] = "us"
		for (i = 1; i <= n; i++) {
			unit[id[i]] = u[i]
			c = stat(id[i], "C");    cm = MED
			r = stat(id[i], "Rust"); rm = MED
			w = stat(id[i], "raw")
			if (cm == "" && rm == "") continue # not selected (RVNET_BENCH_ONLY)
			if (w == "-") w = (u[i] == "pps" && id[i] ~ /^pg/) ? "n/a (C dummy is the floor)" : "-"
			else if (id[i] ~ /^vlan/) w = w " (pktgen on the dummy, no VLAN)"
			else w = w " (one dummy, no teql)"
			if (cm != "" && rm != "" && cm > 0) {
				ratio = sprintf("%.2f", rm / cm)
				if (u[i] == "pps") ratio = ratio " (higher = Rust faster)"
				else if (u[i] == "us") ratio = ratio " (lower = Rust faster)"
				else ratio = ratio " (lower = Rust smaller)"
			} else ratio = "-"
			printf "| %s | %s | %s | %s | %s | %s |\n", kind[i], label[i], c, r, ratio, w
		}
	}' "$out/raw.tsv"
	echo
	echo "Counts: $(grep '^count_' "$out/meta.txt" | tr '\n' ' ')"
} >"$out/bench.md"

save
cat "$dest/bench.md"
echo
echo "bench: table in $dest/bench.md, raw samples in $dest/raw.tsv ($(($(date +%s) - start)) s)"
