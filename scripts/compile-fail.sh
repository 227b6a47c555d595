#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile-fail cases of the safe layer (tests/compile-fail/<name>.rs): each
# case is a small module that uses rust/netdev the way drivers do
# (`#[path = "../../rust/netdev/mod.rs"] pub mod netdev;`, safe code only)
# and carries one line
#
#   //! expect: <substring of the rustc error that must stop the build>
#
# or `//! expect: builds` for a positive control (a harness that cannot
# build anything must not pass). Each case is built as its own out-of-tree
# module in a temporary folder, against the cached kernel and with the
# bindings `make` generated, like the real modules. A failing case passes
# only if the build fails AND its output contains the expected text (so a
# case broken by a typo is reported, not counted as closed); a control
# passes only if it builds, C helpers and modpost included.
#
# A case `include!("../../tests/compile-fail/common/case_module.rs")`s
# the module boilerplate (tests/compile-fail/common/ holds no case); the
# cases that declare their own module need its `init` to use the case.
#
# Usage: scripts/compile-fail.sh [NAME]...   (default: every case)
# Prints KTAP-style "ok N name" / "not ok N name" lines and, last,
# "compile-fail: N passed, N failed"; exits non-zero on any failure.
# RVNET_CF_KEEP=1 keeps the temporary folder; RVNET_CF_JOBS sets parallelism.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/env.sh
kdir=$(scripts/kernel.sh --path-only)
[ -f "$kdir/Module.symvers" ] || kdir=$(scripts/kernel.sh)
llvm=()
[ "${DEBUG:-}" != kasan ] || llvm=(LLVM=1)

# The bindings come from the top-level Kbuild (make); build them if missing.
if [ ! -f rust/netdev/bindings_generated.rs ]; then
	make -s modules >/dev/null 2>&1 || { echo "compile-fail: make modules failed"; exit 1; }
fi

if [ $# -gt 0 ]; then
	cases=()
	for n in "$@"; do cases+=("tests/compile-fail/$n.rs"); done
else
	mapfile -t cases < <(ls tests/compile-fail/*.rs)
fi

# A harness that builds nothing would pass every case: demand a control.
grep -l '^//! expect: builds$' "${cases[@]}" >/dev/null 2>&1 || [ $# -gt 0 ] || {
	echo "compile-fail: no positive control (//! expect: builds)"
	exit 1
}

tmp=$(mktemp -d /tmp/rvnet-cf.XXXXXX)
[ -n "${RVNET_CF_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT

# Verdicts are kept per machine under $RVNET_CACHE/compile-fail, keyed by
# everything a case's build reads: the case, the layer (rust/netdev, its C
# helpers and headers), the shared case code, this script, the kernel
# tree (its path carries its configuration's key) and the compilers. A
# case whose inputs a change did not touch gets its earlier verdict (a
# build is deterministic); any change to them builds it again.
cf_cache=${RVNET_CACHE:-/opt/rvnet-cache}/compile-fail
mkdir -p "$cf_cache" 2>/dev/null || cf_cache=""
cf_inputs=$( {
	# The source files only (git's view, untracked ones included): the
	# build leaves files in rust/netdev (bindgen's .cmd, with the tree's
	# path) that differ between clones.
	git ls-files -z -co --exclude-standard rust/netdev include tests/compile-fail/common | sort -z | xargs -0 sha256sum
	sha256sum scripts/compile-fail.sh scripts/Makefile.bindgen
	echo "$kdir ${llvm[*]}"
	/usr/bin/rustc --version
	bindgen --version
	gcc --version | head -1
} | sha256sum | cut -c1-16)

# Builds one case; writes its verdict to $tmp/<name>.verdict.
one() {
	local src=$1 name expect top d out rc key
	name=$(basename "$src" .rs)
	key=""
	if [ -n "$cf_cache" ]; then
		key=$cf_cache/$name.$(cat "$src" | sha256sum | cut -c1-16).$cf_inputs
		if [ -f "$key" ]; then
			sed '1s/$/ (cached verdict: inputs unchanged)/' "$key" >"$tmp/$name.verdict"
			return
		fi
	fi
	one_build "$@"
	# Only passes are kept: a failure is built again next time.
	if [ -n "$key" ] && grep -q '^ok ' "$tmp/$name.verdict"; then
		cp "$tmp/$name.verdict" "$key.tmp" && mv "$key.tmp" "$key"
	fi
}

one_build() {
	local src=$1 name expect top d out rc
	name=$(basename "$src" .rs)
	expect=$(sed -n 's|^//! expect: ||p' "$src" | head -1)
	top=$tmp/$name
	# Same depth as drivers/<kind>/: the case's #[path] finds the layer.
	d=$top/cases/$name
	mkdir -p "$d"
	ln -s "$root/rust" "$top/rust"
	ln -s "$root/include" "$top/include"
	ln -s "$root/tests" "$top/tests"
	cp "$src" "$d/${name}_main.rs"
	echo '#include "../../rust/netdev/helpers.c"' >"$d/${name}_helpers.c"
	cat >"$d/Kbuild" <<-EOF
		obj-m += $name.o
		$name-y := ${name}_main.o ${name}_helpers.o
		ccflags-y += -I\$(srctree)/net
	EOF
	out=$top/build.log
	if [ -z "$expect" ]; then
		echo "not ok $name # no '//! expect:' line" >"$top.verdict"
		return
	fi
	if [ "$expect" = builds ]; then
		make -s -C "$kdir" M="$d" RUSTC=/usr/bin/rustc BINDGEN=bindgen "${llvm[@]}" \
			modules >"$out" 2>&1
		rc=$?
		if [ $rc = 0 ] && [ -f "$d/$name.ko" ]; then
			echo "ok $name # builds (control)" >"$top.verdict"
		else
			echo "not ok $name # control did not build: $(grep -m1 '^error' "$out")" \
				>"$top.verdict"
			sed 's/^/    # /' "$out" | head -40 >>"$top.verdict"
		fi
		return
	fi
	# Only the Rust object: the error must come from rustc.
	make -s -C "$kdir" M="$d" RUSTC=/usr/bin/rustc BINDGEN=bindgen "${llvm[@]}" \
		"${name}_main.o" >"$out" 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		echo "not ok $name # built, but must fail with: $expect" >"$top.verdict"
	elif grep -qF -- "$expect" "$out"; then
		echo "ok $name # fails as expected: $expect" >"$top.verdict"
	else
		echo "not ok $name # failed, but not with: $expect" >"$top.verdict"
		grep -A6 '^error' "$out" | head -40 | sed 's/^/    # /' >>"$top.verdict"
	fi
}
export -f one one_build
export tmp root kdir cf_cache cf_inputs
export llvm_flag="${llvm[*]}"

# Hole 13 of issue 12, a property of the layer's source rather than of a
# driver: the Drop of every module-level registration ends with the
# module's RCU barrier (ARCHITECTURE.md). RxHandlerRegistration is
# per-device (dropped while devices go, before the link kind's own Drop and
# its barrier): exempt.
# A check that finds no registration at all (the layer's files moved)
# fails too.
barrier_check() {
	local bad n
	bad=$(find rust/netdev -name '*.rs' -print0 | xargs -0 awk '
		/^impl.* Drop for [A-Za-z]*(Registration|NotifierBlock)/ {
			name = $0; sub(/.* Drop for /, "", name); sub(/[<{ ].*/, "", name)
			if (name != "RxHandlerRegistration") { inside = 1; seen = 0; n++ }
			next
		}
		inside && /barrier_deferred\(\)/ { seen = 1 }
		inside && /^}/ { if (!seen) print FILENAME ": " name; inside = 0 }
		END { print "checked " n + 0 }
	')
	n=$(echo "$bad" | sed -n 's/^checked //p')
	bad=$(echo "$bad" | grep -v '^checked ')
	if [ "$n" -lt 5 ]; then
		echo "not ok layer_registration_barrier # only $n registration Drop impls found in rust/netdev" \
			>"$tmp/layer_registration_barrier.verdict"
	elif [ -z "$bad" ]; then
		echo "ok layer_registration_barrier # each of the $n registration Drops ends with barrier_deferred" \
			>"$tmp/layer_registration_barrier.verdict"
	else
		echo "not ok layer_registration_barrier # no rcu::barrier_deferred() in the Drop of: $bad" \
			>"$tmp/layer_registration_barrier.verdict"
	fi
}

start=$(date +%s)
[ $# -gt 0 ] || { barrier_check; cases+=(layer_registration_barrier); }
printf '%s\n' "${cases[@]}" | grep '\.rs$' |
	xargs -P "${RVNET_CF_JOBS:-$(nproc)}" -I{} bash -c 'llvm=($llvm_flag); one "$@"' _ {}

echo "1..${#cases[@]}"
i=0
passed=0
failed=0
for src in "${cases[@]}"; do
	i=$((i + 1))
	name=$(basename "$src" .rs)
	if [ -f "$tmp/$name.verdict" ]; then
		v=$(cat "$tmp/$name.verdict")
	else
		v="not ok $name # harness produced no verdict"
	fi
	case $v in
	ok*) passed=$((passed + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
	# Number the verdict lines: "ok N name ...".
	echo "$v" | sed -E "1s/^(not ok|ok) /\\1 $i /"
done
echo "# compile-fail took $(($(date +%s) - start)) s"
echo "compile-fail: $passed passed, $failed failed"
[ "$failed" = 0 ]
