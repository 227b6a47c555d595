#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the guest for `make demo`: loads every rvnet module, builds a
# topology and prints the /proc files. Output: $1/demo.txt.
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
exec >"$out/demo.txt.part" 2>&1
set -x
uname -r
# rvnet_tunnels first: the tunnel modules use it (and tunnel4, gre).
modprobe tunnel4
modprobe gre
for ko in "$root"/drivers/tunnels/rvnet_tunnels.ko "$root"/samples/*/*.ko "$root"/drivers/*/*.ko; do
	[ -e "$ko" ] && ! [ -e "/sys/module/$(basename "$ko" .ko)" ] || continue
	# rvnet_bond makes bond0 at load as C bonding does (max_bonds=1):
	# the demo makes its bonds itself.
	case $ko in */rvnet_bond.ko) insmod "$ko" max_bonds=0 ;; *) insmod "$ko" ;; esac
done
lsmod

# rdummy: two devices in the host namespace, one in a namespace "blue".
ip link add rd0 type rdummy
ip link add rd1 address 02:00:00:00:00:01 type rdummy
ip netns add blue
ip -n blue link add rdblue type rdummy
ip link set rd0 up
ip addr add 198.51.100.1/24 dev rd0
ping -c 3 -i 0.2 -W 1 198.51.100.2 >/dev/null
ethtool -i rd0
ip -d -s link show rd0
cat /proc/net/rdummy
ip netns exec blue cat /proc/net/rdummy

# TEQL: teql0 stripes over two veth pairs into namespace "red", where the
# peer ends carry the address.
ip netns add red
ip link add t1 type veth peer name r1 netns red
ip link add t2 type veth peer name r2 netns red
for x in 1 2; do
	ip link set t$x up
	ip -n red link set r$x up
	ip -n red addr add 10.9.0.2/24 dev r$x
	tc qdisc add dev t$x root teql0
done
ip link set teql0 up
ip addr add 10.9.0.1/24 dev teql0
ping -c 6 -i 0.2 -W 2 10.9.0.2
ethtool -i teql0
tc -s qdisc show dev t1
cat /proc/net/teql

# Bonding: bond0 (active-backup, miimon) over two veth pairs into namespace
# "green", where a second bond answers; the active slave's link fails and
# bond0 fails over.
ip netns add green
ip link add g1 type veth peer name h1 netns green
ip link add g2 type veth peer name h2 netns green
for n in "" "-n green"; do
	# shellcheck disable=SC2086
	ip $n link add bond0 type bond mode active-backup miimon 100
done
for x in 1 2; do
	ip link set g$x master bond0
	ip -n green link set h$x master bond0
done
ip link set bond0 up
ip -n green link set bond0 up
ip addr add 10.8.0.1/24 dev bond0
ip -n green addr add 10.8.0.2/24 dev bond0
ping -c 3 -i 0.2 -W 2 10.8.0.2
ethtool -i bond0
ip -d link show bond0
cat /proc/net/bonding/bond0
ip -n green link set h1 down
sleep 0.5
ping -c 3 -i 0.2 -W 2 10.8.0.2
cat /proc/net/bonding/bond0

# IP aliases: eth0:N labels on rd0 (no device is created), shown with their
# real device; a rename of rd0 relabels them and the view follows.
ip addr add 198.51.100.10/24 brd + dev rd0 label rd0:1
/sbin/ifconfig rd0:web 203.0.113.7 netmask 255.255.255.0
ip -4 addr show dev rd0
cat /proc/net/ip_aliases
ip link set rd0 down
ip link set rd0 name rdlan
ip link set rdlan up
cat /proc/net/ip_aliases
cat /proc/net/ip_aliases_events
set +x
mv "$out/demo.txt.part" "$out/demo.txt"
