#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of the no_std logic crates (cargo test). Prints cargo's own
# summary lines; the caller sums them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/env.sh"
for crate in "$root"/rust/*/Cargo.toml; do
	(cd "$(dirname "$crate")" && cargo test --quiet 2>&1)
done
