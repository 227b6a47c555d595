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
#
# rvnet_install_modules CMOD... also refuses those C modules for as long as
# the tree is installed (the upstream suites: nothing may fall back to the
# C driver): the kernel's modules are linked one file at a time and
# theirs are left out, so modprobe finds them by no route (name, alias,
# another module's dependency, the kernel's own request_module), as
# module_blacklist= on the command line would refuse them, without a
# guest of their own. $RVNET_MODROOT/refused lists them.

RVNET_MODROOT=/tmp/rvnet-modroot

rvnet_install_modules() {
	local kver cur dst src=$RVNET_RESULTS/modroot m ko
	kver=$(uname -r)
	[ -d "$src/lib/modules/$kver/updates" ] ||
		{ echo "no make install output in $src" >&2; return 1; }
	cur=$(readlink -f "/lib/modules/$kver")
	dst=$RVNET_MODROOT/lib/modules/$kver
	rm -rf "$RVNET_MODROOT"
	mkdir -p "$dst"
	echo "$cur" >"$RVNET_MODROOT/virtme-moddir"
	if [ $# = 0 ]; then
		ln -s "$cur/kernel" "$dst/kernel"
	else
		cp -rs "$(readlink -f "$cur/kernel")/." "$dst/kernel" || return 1
		for m in "$@"; do
			# A loaded one would still serve: out first.
			if [ -e "/sys/module/$m/refcnt" ]; then rmmod "$m" || return 1; fi
			ko=$(find "$dst/kernel" -name "$m.ko*")
			[ -n "$ko" ] || { echo "refuse $m: no such module" >&2; return 1; }
			rm -f $ko
		done
	fi
	: >"$RVNET_MODROOT/refused"
	[ $# = 0 ] || printf '%s\n' "$@" >"$RVNET_MODROOT/refused"
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
