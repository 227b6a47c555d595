# SPDX-License-Identifier: GPL-2.0
# Sourced by the rvnet scripts: find the rustup toolchain (cargo, for
# bindgen-cli and the host tests) even when HOME is not root's, as in CI.
for d in "${HOME:-/root}" /root; do
	if [ -d "$d/.cargo/bin" ]; then
		export PATH="$d/.cargo/bin:$PATH"
		[ -n "${CARGO_HOME:-}" ] || export CARGO_HOME="$d/.cargo"
		[ -n "${RUSTUP_HOME:-}" ] || [ ! -d "$d/.rustup" ] || export RUSTUP_HOME="$d/.rustup"
		break
	fi
done
