# SPDX-License-Identifier: GPL-2.0
#
# Modules as users load them (sourced inside the guest): `make install`
# puts the built rvnet modules in /lib/modules/<kernel>/updates, runs depmod
# and installs scripts/modprobe/rvnet.conf, so that `modprobe rvnet_vlan`
# works and `ip link add ... type vlan|bond`, `tc qdisc add ... teql0` load
# the rvnet modules on demand.
#
# scripts/check.sh runs `make install INSTALL_MOD_PATH=$RVNET_RESULTS/modroot`
# on the host after the build (kbuild in a TCG guest took minutes). In a
# virtme-ng guest /lib/modules is a tmpfs holding one symlink, <kernel> ->
# the test kernel tree's .virtme_mods/lib/modules/0.0.0 (host files,
# read-only, shared by every checkout), and /etc is the host's, read-only.
# rvnet_install_modules builds a writable module tree of the same shape in
# the guest's /tmp (the kernel's own modules linked, not copied), adds the
# installed updates/ and runs depmod on it as `make install` does on /,
# points /lib/modules/<kernel> at it, and copies the snippet to
# /run/modprobe.d (read like /etc/modprobe.d, see modprobe.d(5)). Nothing on
# the host changes.

RVNET_MODROOT=/tmp/rvnet-modroot

rvnet_install_modules() {
	local kver cur dst src=$RVNET_RESULTS/modroot
	kver=$(uname -r)
	[ -d "$src/lib/modules/$kver/updates" ] ||
		{ echo "no make install output in $src" >&2; return 1; }
	cur=$(readlink -f "/lib/modules/$kver")
	dst=$RVNET_MODROOT/lib/modules/$kver
	rm -rf "$RVNET_MODROOT"
	mkdir -p "$dst"
	echo "$cur" >"$RVNET_MODROOT/virtme-moddir"
	ln -s "$cur/kernel" "$dst/kernel"
	ln -s "$(readlink -f "$cur/build")" "$dst/build"
	cp -L "$cur"/modules.builtin "$cur"/modules.builtin.modinfo "$cur"/modules.order "$dst/"
	cp -r "$src/lib/modules/$kver/updates" "$dst/"
	depmod -a -b "$RVNET_MODROOT" "$kver" || return 1
	ln -sfn "$dst" "/lib/modules/$kver"
	mkdir -p /run/modprobe.d
	cp "$src/etc/modprobe.d/rvnet.conf" /run/modprobe.d/rvnet.conf
}

# Back to virtme-ng's module tree, without the snippet.
rvnet_uninstall_modules() {
	local kver
	kver=$(uname -r)
	rm -f /run/modprobe.d/rvnet.conf
	[ -f "$RVNET_MODROOT/virtme-moddir" ] || return 0
	ln -sfn "$(cat "$RVNET_MODROOT/virtme-moddir")" "/lib/modules/$kver"
	rm -rf "$RVNET_MODROOT"
}
