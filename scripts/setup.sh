#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything rvnet needs on a Debian 12 machine, idempotently:
# Debian packages, a pinned bindgen-cli and a pinned virtme-ng.
set -euo pipefail

BINDGEN_VERSION=0.69.5
VIRTME_NG_VERSION=1.42

PKGS=(
	linux-source-6.12 rustc-web rust-web-src rust-web-clippy rustfmt-web
	libclang-dev clang llvm lld
	build-essential flex bison bc libelf-dev libssl-dev cpio kmod xz-utils
	zstd rsync python3-pip qemu-system-x86 iproute2 iputils-ping ethtool jq
	net-tools vlan busybox-static udev procps psmisc python3-venv tcpdump
	netsniff-ng util-linux bash-builtins libteam-utils bridge-utils
)
# netsniff-ng: mausezahn, which the upstream forwarding selftests' lib.sh
# requires (tests/suites/upstream.sh); util-linux: taskset (stress suite);
# bash-builtins: the loadable `sleep` of the test shells (tests/lib/bash-env.sh);
# libteam-utils: teamd and teamdctl, the LACP partner of tests/suites/bond_lacp.sh;
# bridge-utils: brctl, which reads the bridge through sysfs (tests/suites/bridge.sh).

. "$(dirname "$0")/env.sh"
# cargo (bindgen-cli, host tests): a fresh Debian 12 has none; Debian's
# cargo-web matches rustc-web. It conflicts with Debian's cargo/rustup
# packages, so it is only added when no cargo is found at all.
command -v cargo >/dev/null || PKGS+=(cargo-web)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# iproute2 6.15 from bookworm-backports: Debian 12's 6.1 lacks what the
# upstream bridge selftests ask of `ip`/`bridge` (tests/suites/upstream_bridge.sh)
# and prints some newer attributes wrong.
IPROUTE2_MIN=6.15
if ! ip -V 2>/dev/null | grep -qE "iproute2-(6\.(1[5-9]|[2-9][0-9])|[7-9])"; then
	echo "setup: installing iproute2 >= $IPROUTE2_MIN from bookworm-backports"
	src=/etc/apt/sources.list.d/bookworm-backports.sources
	if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
		cat >"$src" <<-EOF
			Types: deb
			URIs: http://deb.debian.org/debian
			Suites: bookworm-backports
			Components: main
			Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		EOF
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends -t bookworm-backports iproute2 >/dev/null
	ip -V
fi

if ! command -v bindgen >/dev/null ||
	! bindgen --version | grep -q "$BINDGEN_VERSION"; then
	echo "setup: installing bindgen-cli $BINDGEN_VERSION"
	cargo install --locked --quiet "bindgen-cli@$BINDGEN_VERSION"
fi

# virtme-ng in its own venv (Debian's python refuses system-wide pip).
venv=${RVNET_CACHE:-/opt/rvnet-cache}/venv
if ! "$venv/bin/pip" show virtme-ng 2>/dev/null | grep -q "^Version: $VIRTME_NG_VERSION\$"; then
	echo "setup: installing virtme-ng $VIRTME_NG_VERSION in $venv"
	/usr/bin/python3 -m venv "$venv"
	"$venv/bin/pip" install --quiet "virtme-ng==$VIRTME_NG_VERSION"
fi
# virtme-ng links the test kernel's modules under /lib/modules in the guest.
mkdir -p /lib/modules
echo "setup: done"
