#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the rvnet test kernel with virtme-ng (host root filesystem, this
# checkout visible read-only at the same path) and run one command in it.
#
# Usage: scripts/vm.sh RESULTS_DIR COMMAND...
# RESULTS_DIR is writable in the guest; the console goes to
# RESULTS_DIR/console.log (console-$RVNET_VM_NAME.log when several guests
# share RESULTS_DIR). RVNET_VM_CPUS sets the vCPUs (default 2),
# RVNET_VM_APPEND adds to the kernel command line (a suite's "# guest:"
# line in scripts/check.sh, e.g. kmemleak=off). vng's exit
# status is not the guest command's: callers read their results from
# RESULTS_DIR.
#
# TCG is the default: KVM guests hang at decompression on these machines.
# If /dev/kvm exists, a time-limited probe decides once per kernel tree.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
results=$1
shift
kdir=$("$root/scripts/kernel.sh")
venv=${RVNET_CACHE:-/opt/rvnet-cache}/venv
vng=$venv/bin/vng
# vng runs virtme-run by name: it must find the venv's, not another one.
export PATH="$venv/bin:$PATH"
mkdir -p "$results"

accel=(--disable-kvm)
probe="$kdir/.rvnet-kvm-probe"
if [ -e /dev/kvm ] && [ -z "${RVNET_NO_KVM:-}" ]; then
	if [ ! -f "$probe" ]; then
		tmp=$(mktemp -d)
		timeout 45 "$vng" -r "$kdir" --rwdir "$tmp" -e "echo ok > $tmp/kvm" \
			>/dev/null 2>&1 </dev/null || true
		if [ -f "$tmp/kvm" ]; then echo kvm >"$probe"; else echo tcg >"$probe"; fi
		rm -rf "$tmp"
	fi
	[ "$(cat "$probe")" = kvm ] && accel=()
fi

# virtme-ng mounts the host root over 9p without a page cache, so every exec
# in the guest reads its binary and libraries from the host page by page
# (`true` took 130 ms under TCG). The host root does not change while a
# guest runs: cache=loose halves that. A later rootflags= wins, so this
# repeats virtme-ng 1.42's own root flags (scripts/setup.sh pins it) and
# adds the cache. The read-write --rwdir mounts keep virtme's uncached ones.
rootflags="rootflags=version=9p2000.L,trans=virtio,access=any,msize=524288,cache=loose"

console=$results/console${RVNET_VM_NAME:+-$RVNET_VM_NAME}.log
timeout "${RVNET_VM_TIMEOUT:-4500}" "$vng" "${accel[@]}" -r "$kdir" --cpus "${RVNET_VM_CPUS:-2}" \
	--memory 2G --append "$rootflags${RVNET_VM_APPEND:+ $RVNET_VM_APPEND}" --rwdir "$results" -v -e "$*" >"$console" 2>&1 </dev/null || true
