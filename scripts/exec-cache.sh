#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The programs the guest tests start most, and every library they link, in
# one tar file (bin/, lib/) that tests/run-guest.sh unpacks to a tmpfs and
# puts first in PATH and LD_LIBRARY_PATH. The guest's root is this host's,
# over 9p: even with cache=loose (scripts/vm.sh) every exec opens its binary
# and each library with round trips to the host. Measured under TCG:
# `ip link show lo` 220 ms from 9p, 135 ms from tmpfs; the vlan and bond
# suites 17 % faster. Made here, natively, because the guest paid 40 s to
# resolve and copy the same files one exec at a time.
#
# Usage: scripts/exec-cache.sh OUT.tar
set -euo pipefail
out=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/lib"
# Python is left out: it finds its library relative to its binary.
for b in ip tc bridge grep sed awk mawk cat cmp diff sort uniq wc head tail cut tr \
	seq tcpdump ping jq mausezahn teamd teamdctl date timeout mkdir rm ls readlink \
	basename dirname env stat touch mv cp ln printf expr xargs find ethtool \
	modprobe insmod rmmod lsmod brctl vconfig ifenslave bash nstat ss \
	mktemp tee dd od hexdump xxd sysctl pgrep pkill kill true false flock; do
	p=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$b" 2>/dev/null) || continue
	[ "${p#/}" != "$p" ] && [ -x "$p" ] || continue
	# Scripts (egrep, ifenslave's wrappers) gain nothing: binaries only.
	[ "$(head -c 4 "$p")" = $'\x7fELF' ] || continue
	cp -L "$p" "$tmp/bin/$b"
done
ldd "$tmp"/bin/* 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u |
	while read -r l; do cp -L "$l" "$tmp/lib/"; done
tar -C "$tmp" -cf "$out.tmp" bin lib
mv "$out.tmp" "$out"
