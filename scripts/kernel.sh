#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) and print the path of the rvnet test kernel tree.
#
# The tree lives outside the checkout, in $RVNET_CACHE (default
# /opt/rvnet-cache; not under /var/cache, which virtme-ng hides from the
# guest), in a folder named for the kernel version and a hash of
# everything that changes the build: the config fragments, the toolchain
# versions and the variant. A changed key builds a new tree; an unchanged one
# is reused by CI and later sessions. Out-of-tree modules must be built
# against this exact path (the Rust target is keyed by it).
#
# Usage: scripts/kernel.sh [--path-only]
# Variants (one variable, DEBUG): unset = the test kernel (base.config +
# debug.config: lockdep, kmemleak, debug objects, full preemption);
# DEBUG=kasan = that plus KASAN (built with LLVM=1); DEBUG=none = the
# production kernel (base.config + prod.config, no checkers, voluntary
# preemption), which scripts/bench.sh boots by default.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${RVNET_CACHE:-/opt/rvnet-cache}
tarball=/usr/src/linux-source-6.12.tar.xz
. "$(dirname "$0")/env.sh"
rustc=/usr/bin/rustc

frags=("$here/kconfig/base.config")
llvm=()
variant=""
case "${DEBUG:-}" in
"") frags+=("$here/kconfig/debug.config") ;;
kasan)
	frags+=("$here/kconfig/debug.config" "$here/kconfig/kasan.config")
	llvm=(LLVM=1)
	variant=-kasan
	;;
none)
	frags+=("$here/kconfig/prod.config")
	variant=-prod
	;;
lite)
	frags+=("$here/kconfig/lite.config")
	variant=-lite
	;;
*)
	echo "kernel: DEBUG=$DEBUG: unknown variant (unset, lite, kasan or none)" >&2
	exit 1
	;;
esac

version=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key=$( {
	cat "${frags[@]}"
	echo "$version ${llvm[*]}"
	"$rustc" --version
	bindgen --version
	clang --version | head -1
	gcc --version | head -1
} | sha256sum | cut -c1-12)
tree="$cache/linux-${version%%-*}-$key$variant"

if [ "${1:-}" = --path-only ]; then
	echo "$tree"
	exit 0
fi

mkopts=(-C "$tree" RUSTC="$rustc" BINDGEN=bindgen "${llvm[@]}")

mkdir -p "$cache"
# One lock per tree: building one variant does not hold up users of another.
exec 9>"$tree.lock"
flock 9

if [ ! -f "$tree/.rvnet-built" ]; then
	echo "kernel: building $tree (key $key)" >&2
	start=$(date +%s)
	rm -rf "$tree"
	mkdir -p "$tree"
	tar xf "$tarball" --strip-components=1 -C "$tree"
	cat "${frags[@]}" >"$tree/.rvnet.config"
	make "${mkopts[@]}" -s allnoconfig KCONFIG_ALLCONFIG="$tree/.rvnet.config" >&2
	# Every line of the fragments must have survived dependency resolution.
	bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) grep -qxF "$line" "$tree/.config" || { echo "kernel: lost $line" >&2; bad=1; } ;;
		"# CONFIG_"*" is not set") grep -q "^${line#\# }" "$tree/.config" 2>/dev/null ||
			! grep -q "^$(echo "$line" | sed 's/# \(CONFIG_[A-Z0-9_]*\).*/\1/')=" "$tree/.config" ||
			{ echo "kernel: lost $line" >&2; bad=1; } ;;
		esac
	done <"$tree/.rvnet.config"
	[ $bad = 0 ] || { echo "kernel: config fragment not satisfied" >&2; exit 1; }
	make "${mkopts[@]}" -s -j"$(($(nproc) + 1))" bzImage modules >&2
	echo $(($(date +%s) - start)) >"$tree/.rvnet-build-seconds"
	touch "$tree/.rvnet-built"
	echo "kernel: built in $(cat "$tree/.rvnet-build-seconds") s" >&2
fi
echo "$tree"
