# SPDX-License-Identifier: GPL-2.0
#
# sysfs helpers shared by the suites that diff sysfs trees with C's
# (bridge, bond_sysfs); sourced after ktap.sh.

# A sysfs directory as tools see it: each entry with its mode and, if
# readable, its value (timers that run are only checked to be numbers),
# links with their targets.
sysfs_dump() { # dir
	local f p mode v
	# One stat for the directory and bash's own reads: a process per file
	# costs ~0.1 s in the TCG guest (this case reads ~300 files).
	while read -r f mode; do
		p=$1/$f
		if [ -L "$p" ]; then
			echo "$f -> $(readlink "$p")"
			continue
		fi
		if [ $((0$mode & 0444)) -eq 0 ]; then
			echo "$f $mode"
			continue
		fi
		v=$(<"$p")
		case $f in
		gc_timer | forward_delay_timer)
			[[ $v =~ ^[0-9]+$ ]] || fail "$p: '$v' is not a number"
			v="<timer>"
			;;
		esac
		echo "$f $mode $v"
	done < <(cd "$1" && shopt -s nullglob && set -- * && { [ $# = 0 ] || LC_ALL=C stat -c '%n %a' -- "$@"; } | LC_ALL=C sort)
}

# Writes VALUE to a sysfs file; prints ok or the error.
sysfs_write() { # file value
	local err
	if err=$( (printf '%s' "$2" >"$1") 2>&1); then
		echo "$(basename "$1") <- '$2': ok"
	else
		echo "$(basename "$1") <- '$2': ${err##*: }"
	fi
}

