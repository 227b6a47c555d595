# SPDX-License-Identifier: GPL-2.0
#
# Modules as users load them (sourced inside the guest): `make install`
# puts the built rvnet modules in /lib/modules/<kernel>/updates, runs depmod
# and installs scripts/modprobe/rvnet.conf, so that `modprobe rvnet_vlan`
# works and `ip link add ... type vlan|bond`, `tc qdisc add ... teql0` load
# the rvnet modules on demand.
#
# In a virtme-ng guest /lib/modules is a tmpfs holding one symlink,
# <kernel> -> the test kernel tree's .virtme_mods/lib/modules/0.0.0 (host
# files, read-only, shared by every checkout), and /etc is the host's,
# read-only. rvnet_install_modules builds a writable module tree of the
# same shape in the guest's /tmp (the kernel's own modules linked, not
# copied), runs `make install` into it as root would into /, points
# /lib/modules/<kernel> at it, and copies the snippet to /run/modprobe.d
# (a directory modprobe reads like /etc/modprobe.d, see modprobe.d(5)).
# Nothing on the host changes.

RVNET_MODROOT=/tmp/rvnet-modroot

rvnet_install_modules() {
	local kver cur dst
	kver=$(uname -r)
	cur=$(readlink -f "/lib/modules/$kver")
	dst=$RVNET_MODROOT/lib/modules/$kver
	rm -rf "$RVNET_MODROOT"
	mkdir -p "$dst"
	echo "$cur" >"$RVNET_MODROOT/virtme-moddir"
	ln -s "$cur/kernel" "$dst/kernel"
	ln -s "$(readlink -f "$cur/build")" "$dst/build"
	cp -L "$cur"/modules.builtin "$cur"/modules.builtin.modinfo "$cur"/modules.order "$dst/"
	# KDIR given: the Makefile's own look-up takes the build lock, which
	# the read-only guest root cannot.
	make -s -C "$RVNET_ROOT" install INSTALL_MOD_PATH="$RVNET_MODROOT" \
		KDIR="$(readlink -f "$cur/build")" >/dev/null || return 1
	ln -sfn "$dst" "/lib/modules/$kver"
	mkdir -p /run/modprobe.d
	cp "$RVNET_MODROOT/etc/modprobe.d/rvnet.conf" /run/modprobe.d/rvnet.conf
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
