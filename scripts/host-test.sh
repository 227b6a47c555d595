#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of the no_std logic crates (cargo test). Prints cargo's own
# summary lines; the caller sums them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/env.sh"
# rust/txsel's kernel vectors compile bond_xmit_hash() from the 6.12
# source: the test kernel's tree once unpacked and built, else (when
# unset) the test unpacks the few files it needs from Debian's tarball.
if [ -z "${RVNET_KSRC:-}" ]; then
	tree=$("$root/scripts/kernel.sh" --path-only 2>/dev/null || true)
	if [ -n "$tree" ] && [ -f "$tree/.rvnet-built" ]; then
		export RVNET_KSRC=$tree
	fi
fi
# One target folder for every crate, kept beside the kernel cache: the
# crates share their dev-dependencies (proptest, criterion), compiled once
# per machine instead of once per crate and clean clone (cargo rebuilds
# whatever changed).
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-${RVNET_CACHE:-/opt/rvnet-cache}/cargo-target}
for crate in "$root"/rust/*/Cargo.toml; do
	(cd "$(dirname "$crate")" && cargo test --quiet 2>&1)
done
