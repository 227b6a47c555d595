#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/manifest: the QEMU tests that must run, one `suite test` line per
# test_* function of tests/suites/*.sh (sorted; every suite also reports
# no_kernel_splat and left_guest_clean, which are implied). scripts/check.sh fails when a listed
# test does not report, a test that is not listed reports, or a listed test
# skips, so adding or removing a test means updating the manifest:
#
#   scripts/manifest.sh            print the manifest the suites define
#   scripts/manifest.sh --update   write it to tests/manifest
#   scripts/manifest.sh --check    fail if tests/manifest differs (lint)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
manifest=$root/tests/manifest

generate() {
	local f s
	for f in "$root"/tests/suites/*.sh; do
		s=$(basename "$f" .sh)
		sed -nE 's/^(test_[A-Za-z0-9_]+)[[:space:]]*\(\).*/\1/p' "$f" |
			sed "s/^test_/$s /"
	done | LC_ALL=C sort
}

case "${1:-}" in
"") generate ;;
--update) generate >"$manifest" ;;
--check)
	if ! diff -u "$manifest" <(generate); then
		echo "manifest: tests/manifest is not what tests/suites/*.sh define (run: scripts/manifest.sh --update)"
		exit 1
	fi
	;;
*)
	sed -n '3,/^set/p' "$0" | sed -n 's/^# \{0,1\}//p' >&2
	exit 2
	;;
esac
