#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the guest for `make demo`: loads every rvnet module, builds a
# topology and prints the /proc files. Output: $1/demo.txt.
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
exec >"$out/demo.txt.part" 2>&1
set -x
uname -r
for ko in "$root"/samples/*/*.ko "$root"/drivers/*/*.ko; do
	[ -e "$ko" ] && insmod "$ko"
done
lsmod

# rdummy: two devices in the host namespace, one in a namespace "blue".
ip link add rd0 type rdummy
ip link add rd1 address 02:00:00:00:00:01 type rdummy
ip netns add blue
ip -n blue link add rdblue type rdummy
ip link set rd0 up
ip addr add 198.51.100.1/24 dev rd0
ping -c 3 -i 0.2 -W 1 198.51.100.2 >/dev/null
ethtool -i rd0
ip -d -s link show rd0
cat /proc/net/rdummy
ip netns exec blue cat /proc/net/rdummy
set +x
mv "$out/demo.txt.part" "$out/demo.txt"
