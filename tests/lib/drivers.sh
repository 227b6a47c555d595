# SPDX-License-Identifier: GPL-2.0
#
# Which driver serves a link kind in the guest: the rvnet module (insmod
# from the tree) or its C counterpart (modprobe), never both. Sourced by
# the suites that run the same test against each (`use_driver vlan c`).
#
#   use_driver KIND c|rust [PARAM=VALUE...]  unload both, load one (the Rust
#                                            module's dependencies first)
#   driver_module KIND c|rust                the module expected behind a device
#   module_loaded MODULE
#   unload_modules MODULE...                 rmmod those loaded, in order
#   hex_frames <TCPDUMP_XX_OUTPUT            each captured frame as one hex line
#   load_bonding c|rust, unload_bonding     bonding driver, BOND_DRV its module

# KIND -> "rust-module rust-ko c-module default-params" (the parameters
# given to either module first: no bond made at load)
driver_pair() {
	case $1 in
	vlan) echo "rvnet_vlan drivers/vlan/rvnet_vlan.ko 8021q" ;;
	bond) echo "rvnet_bond drivers/bond/rvnet_bond.ko bonding max_bonds=0" ;;
	teql) echo "rvnet_teql drivers/teql/rvnet_teql.ko sch_teql" ;;
	bridge) echo "rvnet_bridge drivers/bridge/rvnet_bridge.ko bridge" ;;
	ipip) echo "rvnet_ipip drivers/ipip/rvnet_ipip.ko ipip" ;;
	gre) echo "rvnet_gre drivers/gre/rvnet_gre.ko ip_gre" ;;
	sit) echo "rvnet_sit drivers/sit/rvnet_sit.ko sit" ;;
	*) fail "driver_pair: unknown kind '$1'" ;;
	esac
}

# KIND -> the modules the Rust module uses symbols of, which insmod
# (unlike modprobe of the C module) does not load: kernel modules
# (modprobed) and rvnet ones (a path in the tree, insmodded).
driver_deps() {
	case $1 in
	# xfrm4_tunnel_register; /proc/net/tunnels
	ipip) echo "tunnel4 drivers/tunnels/rvnet_tunnels.ko" ;;
	# gre_add_protocol, gre_parse_header; /proc/net/tunnels
	gre) echo "gre drivers/tunnels/rvnet_tunnels.ko" ;;
	# xfrm4_tunnel_register; /proc/net/tunnels
	sit) echo "tunnel4 drivers/tunnels/rvnet_tunnels.ko" ;;
	esac
}

# Loads the dependencies DEP... of driver_deps (what is loaded stays).
load_deps() { # DEP...
	local dep m
	for dep in "$@"; do
		case $dep in
		*.ko)
			m=$(basename "$dep" .ko)
			module_loaded "$m" || insmod "$RVNET_ROOT/$dep" || fail "insmod $dep"
			;;
		*) modprobe "$dep" || fail "modprobe $dep" ;;
		esac
	done
}

# A loaded module has a refcount in sysfs (a built-in one has not); sysfs
# goes before rmmod returns and is there when insmod returns.
module_loaded() {
	[ -e "/sys/module/$1/refcnt" ]
}

unload_modules() {
	local m
	for m in "$@"; do
		if module_loaded "$m"; then
			rmmod "$m" || fail "rmmod $m"
		fi
	done
	return 0
}

driver_module() {
	local rmod rko cmod cparams
	read -r rmod rko cmod cparams <<<"$(driver_pair "$1")"
	if [ "$2" = c ]; then echo "$cmod"; else echo "$rmod"; fi
}

use_driver() {
	local kind=$1 which=$2 rmod rko cmod cparams
	shift 2
	read -r rmod rko cmod cparams <<<"$(driver_pair "$kind")"
	unload_modules "$rmod" "$cmod"
	case $which in
	c) modprobe "$cmod" ${cparams:-} "$@" || fail "modprobe $cmod" ;;
	rust)
		load_deps $(driver_deps "$kind")
		insmod "$RVNET_ROOT/$rko" ${cparams:-} "$@" || fail "insmod $rko"
		;;
	*) fail "use_driver: '$which' is neither c nor rust" ;;
	esac
}

# Loads bonding driver $1 (c|rust) and sets BOND_DRV, the module every
# bond must then be served by; unload_bonding unloads either.
load_bonding() {
	use_driver bond "$1"
	BOND_DRV=$(driver_module bond "$1")
}

unload_bonding() {
	unload_modules rvnet_bond bonding
}

# Whether every SLAVE has MII status STATUS as its bond sees it
# (bonding_slave/mii_status: up, going down, down, going back), in
# namespace NS ("-" for the test's own: read with builtins; else one
# shell there, ns_read). A predicate for wait_for.
#   slaves_mii_are NS STATUS SLAVE...
slaves_mii_are() {
	local ns=$1 want=$2 s v got="" exp="" files=()
	shift 2
	for s; do
		files+=("/sys/class/net/$s/bonding_slave/mii_status")
		exp+="$want;"
	done
	if [ "$ns" = - ]; then
		for s in "${files[@]}"; do
			v=""
			IFS= read -r v <"$s" 2>/dev/null
			got+="$v;"
		done
	else
		while IFS= read -r v; do got+="$v;"; done < <(ns_read "$ns" "${files[@]}" 2>/dev/null)
	fi
	[ "$got" = "$exp" ]
}

# Waits (bounded, 10 s each, or SECONDS with -t) until every tcpdump
# whose standard error goes to one of the files says it listens; fails
# the test otherwise.
#   tcpdump_listening [-t SECONDS] ERRFILE...
tcpdump_listening() {
	local f e i tenths=100
	if [ "${1:-}" = -t ]; then
		tenths=$(($2 * 10))
		shift 2
	fi
	for f in "$@"; do
		e=""
		for ((i = 0; i < tenths; i++)); do
			IFS= read -r -d '' e <"$f" || true
			[[ $e != *"listening on"* ]] || break
			sleep 0.1
		done
		[[ $e == *"listening on"* ]] || fail "tcpdump did not start: $e"
	done
}

# Waits until none of the capture FILEs (tcpdump writing in the
# background) has grown for QUIET seconds and MIN seconds have passed;
# returns 1 after MAX seconds (a bound, not a timing). For frames a
# kernel sends after a change in numbers that may differ between the
# drivers: quiet, not a fixed time (a starved guest sends late) nor the
# count C sends (a late extra frame shows). Sizes read with builtins.
#   captures_quiet QUIET MIN MAX FILE...
captures_quiet() {
	local quiet=$1 min=$2 max=$3 t0=$SECONDS still=0 last now
	shift 3
	last=$(capture_sizes "$@")
	while [ $((SECONDS - t0)) -lt "$max" ]; do
		sleep 1
		now=$(capture_sizes "$@")
		if [ "$now" != "$last" ]; then
			last=$now
			still=0
		else
			still=$((still + 1))
		fi
		[ "$still" -lt "$quiet" ] || [ $((SECONDS - t0)) -lt "$min" ] || return 0
	done
	return 1
}

capture_sizes() { # FILE...
	local f t s=""
	for f; do
		t=""
		{ IFS= read -r -d '' t <"$f"; } 2>/dev/null || true
		s+="${#t} "
	done
	echo "$s"
}

# The hex of each frame tcpdump -xx printed, one frame a line.
hex_frames() {
	local l f=""
	while IFS= read -r l; do
		if [[ $l == $'\t0x'* ]]; then
			l=${l#*:}
			l=${l// /}
			f+=$l
		elif [ -n "$f" ]; then
			echo "$f"
			f=""
		fi
	done
	[ -z "$f" ] || echo "$f"
}
