#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cost: 38 (seconds in a 1-vCPU guest, three lanes on 2 CPUs: clean-clone CI of 144e18a, the queue order of a run without results/suite-times)
#
# What the programs that manage bridges do to one, step by step, against
# rvnet_bridge and C's bridge in one boot, the outputs diffed (same_as_c):
# a container runtime (CNI's bridge plugin and Docker), LXC with OpenWrt's
# netifd, libvirt. Each step is the system call the program makes
# (netlink through `ip`/`bridge`, the bridge ioctls through `brctl` and
# tests/lib/brioctl.py, sysfs read and written by the shell), so a
# difference in any of the interfaces shows; the hosts behind the ports
# then reach each other through the bridge.
source "$(dirname "$0")/../lib/ktap.sh"
source "$RVNET_ROOT/tests/lib/drivers.sh"
shopt -s inherit_errexit

BRIOCTL="python3 $RVNET_ROOT/tests/lib/brioctl.py"

use() { # c|rust
	use_driver bridge "$1"
}

bdrv() {
	driver_module bridge "$1"
}

vethct2_gone() { ! ip -n rt link show vethct2 >/dev/null 2>&1; }

# CNI's bridge plugin (and Docker's libnetwork): the bridge made over
# netlink with the gateway address, one veth per container with its end
# moved into the container's namespace, hairpin mode over netlink
# (`LinkSetHairpin`: an AF_BRIDGE RTM_SETLINK with IFLA_PROTINFO, as
# `bridge link set ... hairpin on`), Docker's sysfs write for it; then the
# containers reach the gateway and each other.
container_case() {
	use "$1"
	netns_add rt ct1 ct2
	ip -n rt link add cni0 address 02:00:00:00:c0:01 type bridge
	expect_driver cni0 "$(bdrv "$1")" rt
	ip -n rt addr add 10.88.0.1/16 dev cni0
	ip -n rt link set cni0 up
	local c i=2
	for c in ct1 ct2; do
		ip -n rt link add veth$c address 02:00:00:00:c1:0$i type veth peer name eth0 \
			netns $c address 02:00:00:00:c2:0$i
		ip -n rt link set veth$c master cni0
		ip -n rt link set veth$c up
		outcome bridge -n rt link set dev veth$c hairpin on
		ip -n $c addr add 10.88.0.$i/16 dev eth0
		ip -n $c link set eth0 up
		i=$((i + 1))
	done
	echo "== hairpin set over netlink, then cleared through sysfs (Docker)"
	ip netns exec rt cat /sys/class/net/vethct1/brport/hairpin_mode
	outcome ip netns exec rt sh -c 'echo 0 >/sys/class/net/vethct2/brport/hairpin_mode'
	ip netns exec rt cat /sys/class/net/vethct2/brport/hairpin_mode
	bridge -n rt -d -j link show | jq -c '.[] | [.ifname, .master, .state, .hairpin]'
	echo "== the containers reach the gateway and each other"
	outcome ip netns exec ct1 ping -c 1 -W 5 10.88.0.1
	outcome ip netns exec ct1 ping -c 1 -W 5 10.88.0.3
	outcome ip netns exec ct2 ping -c 1 -W 5 10.88.0.2
	bridge -n rt -j fdb show br cni0 | jq -c 'sort_by(.mac, .ifname, (.vlan // 0)) | .[] | [.mac, .ifname, .vlan, .state, .flags]'
	echo "== a container goes (its end is deleted with its namespace)"
	ip netns del ct2
	wait_for 30 vethct2_gone || fail "vethct2 still there"
	ip netns exec rt ls /sys/class/net/cni0/brif
	ip netns del rt
	ip netns del ct1
}
test_container_runtime_matches_c() { same_as_c container_case; }

# OpenWrt's netifd and LXC: the bridge made with SIOCBRADDBR (`brctl
# addbr`), configured through sysfs (netifd's system_bridge_set_*), "is it
# a bridge" by its bridge/ directory, ports added with SIOCBRADDIF once
# that directory is there (LXC's lxc_bridge_attach), a port's bridge found
# by globbing brif/*/bridge and reading the link (netifd's
# system_get_bridge); then the ports go with SIOCBRDELIF and the bridge
# with SIOCBRDELBR.
netifd_case() {
	use "$1"
	netns_add nf lx
	outcome ip netns exec nf brctl addbr br-lan
	expect_driver br-lan "$(bdrv "$1")" nf
	local f v p
	for f in stp_state:0 forward_delay:200 hello_time:200 max_age:2000 ageing_time:30000 \
		priority:32767 group_fwd_mask:0 multicast_snooping:0 bridge_id:0; do
		v=${f#*:}
		f=${f%%:*}
		outcome ip netns exec nf sh -c "echo $v >/sys/class/net/br-lan/bridge/$f"
		echo "$f=$(ip netns exec nf cat /sys/class/net/br-lan/bridge/$f 2>&1)"
	done
	ip -n nf link add eth1 address 02:00:00:00:1f:01 type veth peer name eth0 netns lx \
		address 02:00:00:00:1e:01
	ip -n nf link add wlan0 address 02:00:00:00:1f:02 type veth peer name wl0 \
		address 02:00:00:00:1e:02
	ip -n nf link add lxcveth address 02:00:00:00:1f:03 type dummy
	check "br-lan is a bridge" ip netns exec nf test -d /sys/class/net/br-lan/bridge
	if ip netns exec nf test -d /sys/class/net/eth1/bridge; then fail "eth1 looks like a bridge"; fi
	for p in eth1 wlan0 lxcveth; do
		outcome ip netns exec nf brctl addif br-lan $p
	done
	outcome ip netns exec nf brctl addif br-lan eth1
	outcome ip netns exec nf brctl addif br-lan nosuchdev
	echo "== each port's bridge by glob and readlink"
	for p in eth1 wlan0 lxcveth; do
		ip netns exec nf sh -c 'for l in /sys/devices/virtual/net/*/brif/$1/bridge; do
			echo "$1: $l $(basename "$(readlink "$l")")"; done' - "$p"
	done
	ip netns exec nf ls /sys/class/net/br-lan/brif
	ip netns exec nf brctl show br-lan | sed 's/[0-9a-f]\{4\}\.[0-9a-f]\{12\}/<id>/'
	echo "== a host behind the bridge reaches it"
	ip -n nf addr add 192.168.1.1/24 dev br-lan
	ip -n nf link set br-lan up
	ip -n nf link set eth1 up
	ip -n lx addr add 192.168.1.2/24 dev eth0
	ip -n lx link set eth0 up
	outcome ip netns exec lx ping -c 1 -W 5 192.168.1.1
	echo "== teardown"
	outcome ip netns exec nf brctl delbr br-lan
	ip -n nf link set br-lan down
	for p in eth1 wlan0 lxcveth; do
		outcome ip netns exec nf brctl delif br-lan $p
	done
	outcome ip netns exec nf brctl delif br-lan eth1
	outcome ip netns exec nf brctl delbr br-lan
	outcome ip netns exec nf brctl delbr br-lan
	ip netns del nf
	ip netns del lx
}
test_netifd_and_lxc_match_c() { same_as_c netifd_case; }

# libvirt: the bridge made over netlink (virNetDevBridgeCreate), STP and
# its forward delay set through sysfs and, as libvirt falls back when
# sysfs refuses, through the legacy ioctls (BRCTL_SET_BRIDGE_STP_STATE,
# BRCTL_SET_BRIDGE_FORWARD_DELAY); a tap port with a fe:54 address
# (virNetDevTapCreateInBridgePort); with macTableManager=libvirt the port
# stops learning and flooding unknown unicast (brport/learning,
# brport/unicast_flood) and the guest's address is a static FDB entry;
# vlan_filtering read as libvirt checks it.
libvirt_case() {
	use "$1"
	netns_add lv
	ip -n lv link add virbr0 address 52:54:00:00:00:01 type bridge
	expect_driver virbr0 "$(bdrv "$1")" lv
	outcome ip netns exec lv sh -c 'echo 0 >/sys/class/net/virbr0/bridge/stp_state'
	outcome ip netns exec lv sh -c 'echo 0 >/sys/class/net/virbr0/bridge/forward_delay'
	ip netns exec lv $BRIOCTL set virbr0 14 0 -- set virbr0 8 0 -- info virbr0
	ip netns exec lv cat /sys/class/net/virbr0/bridge/stp_state \
		/sys/class/net/virbr0/bridge/forward_delay /sys/class/net/virbr0/bridge/vlan_filtering
	ip -n lv tuntap add vnet0 mode tap
	ip -n lv link set vnet0 address fe:54:00:00:00:02
	ip -n lv link set vnet0 master virbr0
	ip -n lv link set vnet0 up
	ip -n lv link set virbr0 up
	outcome ip netns exec lv sh -c 'echo 0 >/sys/class/net/vnet0/brport/learning'
	outcome ip netns exec lv sh -c 'echo 0 >/sys/class/net/vnet0/brport/unicast_flood'
	outcome bridge -n lv fdb add 52:54:00:aa:bb:cc dev vnet0 master static
	ip netns exec lv cat /sys/class/net/vnet0/brport/learning /sys/class/net/vnet0/brport/unicast_flood
	bridge -n lv -d -j link show dev vnet0 | jq -c '.[] | [.ifname, .state, .learning, .flood]'
	bridge -n lv -j fdb show brport vnet0 | jq -c 'sort_by(.mac, (.vlan // 0)) | .[] | [.mac, .vlan, .state, .flags]'
	ip -n lv -d -j link show virbr0 | jq -c '.[0].linkinfo.info_data | [.stp_state, .forward_delay, .vlan_filtering]'
	outcome ip -n lv link del virbr0
	ip -n lv -j link show vnet0 | jq -c '.[0] | [.ifname, .master]'
	ip netns del lv
}
test_libvirt_matches_c() { same_as_c libvirt_case; }

ktap_run_suite bridge_clients
