#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Style and lint gates for the kernel-side Rust: rustfmt with the kernel's
# own configuration, clippy (Debian's clippy for the same rustc) over every
# module with the kernel's lint set, and "no unsafe in drivers".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/env.sh"
kdir=$("$root/scripts/kernel.sh")
rc=0

mapfile -t files < <(cd "$root" && git ls-files -co --exclude-standard '*.rs' |
	grep -v '^rust/txsel/' | grep -v bindings_generated)
if ! (cd "$root" && /usr/bin/rustfmt --edition 2021 --config-path "$kdir/.rustfmt.toml" \
	--check "${files[@]}"); then
	echo "lint: rustfmt differences (run: make fmt)"
	rc=1
fi

# Drivers and samples must not contain unsafe code: it all lives in rust/netdev.
if grep -nE '\bunsafe\b' $(printf '%s\n' "${files[@]}" | grep -E '^(drivers|samples)/' |
	sed "s|^|$root/|") 2>/dev/null; then
	echo "lint: unsafe code outside rust/netdev"
	rc=1
fi
# `AtomicDrop` (drop allowed in RCU-callback/softirq context) is checked by
# the `atomic_drop!` macro; a hand-written impl in a driver would skip the check.
if grep -nE 'impl\b.*\bAtomicDrop\b.*\bfor\b' $(printf '%s\n' "${files[@]}" |
	grep -E '^(drivers|samples)/' | sed "s|^|$root/|") 2>/dev/null; then
	echo "lint: implement AtomicDrop with netdev's atomic_drop! macro, not by hand"
	rc=1
fi

# The benchmark's shell scripts: bash -n, and shellcheck if installed.
if ! "$root/scripts/bench.sh" --check >/dev/null; then
	echo "lint: scripts/bench.sh --check failed"
	rc=1
fi

# The QEMU suites: fragile shell forms, driver declarations, the manifest.
if ! "$root/scripts/lint-tests.sh" || ! "$root/scripts/lint-tests.sh" --self-test >/dev/null ||
	! "$root/scripts/manifest.sh" --check; then
	echo "lint: tests/suites (scripts/lint-tests.sh, scripts/manifest.sh --check)"
	rc=1
fi

# Clippy over every module. RVNET_CLIPPY_LOG=FILE: the log of a build
# made with clippy already (`make modules CLIPPY=1`, as scripts/check.sh
# builds), whose warnings are read instead. Otherwise clippy builds every
# module again, in a copy of the tree (the guests of a running check may
# be loading the tree's modules, which an in-place rebuild would rewrite).
log=$(mktemp)
copy=$(mktemp -d /tmp/rvnet-lint.XXXXXX)
trap 'rm -rf "$copy" "$log"' EXIT
if [ -n "${RVNET_CLIPPY_LOG:-}" ]; then
	cp "$RVNET_CLIPPY_LOG" "$log" || rc=1
else
	(cd "$root" && git ls-files -z -co --exclude-standard | grep -zv bindings_generated |
		tar -cf - --null -T -) | tar -C "$copy" -xf -
	llvm=()
	[ "${DEBUG:-}" != kasan ] || llvm=(LLVM=1)
	make -C "$kdir" M="$copy" RUSTC=/usr/bin/rustc BINDGEN=bindgen CLIPPY=1 "${llvm[@]}" \
		CLIPPY_DRIVER=/usr/bin/clippy-driver modules >"$log" 2>&1 || { cat "$log"; rc=1; }
fi
if grep -q '^warning\|^error' "$log"; then
	grep -A8 '^warning\|^error' "$log"
	echo "lint: clippy/rustc warnings"
	rc=1
fi
[ $rc = 0 ] && echo "lint: clean"
exit $rc
