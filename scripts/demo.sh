#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job: boot a guest, load the rvnet drivers, build a small topology
# with `ip link`, and show what the drivers expose in /proc.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/results/demo
rm -rf "$out"
mkdir -p "$out"
[ -n "${RVNET_SKIP_SETUP:-}" ] || "$root/scripts/setup.sh"
make -s -C "$root" modules
"$root/scripts/vm.sh" "$out" "$root/tests/demo-guest.sh $out"
if [ -f "$out/demo.txt" ]; then
	cat "$out/demo.txt"
else
	echo "demo: the guest did not finish; console:" >&2
	tail -40 "$out/console.log" >&2
	exit 1
fi
