/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers for link monitors that probe with ARP (bonding's ARP
 * monitor): the route to a target, the address to send from, VLAN tags on
 * the path, building and sending the request, reading a received ARP.
 * Defined in rust/netdev/stack/helpers_arp.c.
 */
#ifndef RVNET_ARP_H
#define RVNET_ARP_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>

/* msecs_to_jiffies() */
unsigned long rvnet_msecs_to_jiffies(unsigned int ms);

/* The output device of ip_route_output(net, daddr, 0, 0, 0, RT_SCOPE_LINK),
 * NULL if there is no route. Caller holds rcu_read_lock(). */
struct net_device *rvnet_route_output_dev_rcu(struct net *net, __be32 daddr);

/* bond_confirm_addr(): inet_confirm_addr() on dev's in_device (0 without
 * one), scope host. Caller holds rcu_read_lock(). */
__be32 rvnet_confirm_addr_rcu(struct net_device *dev, __be32 dst, __be32 local);

/* bond_has_this_ip(): ip is an address of dev or of any device above it.
 * Caller holds rcu_read_lock(). */
bool rvnet_dev_or_upper_has_ip_rcu(struct net_device *dev, __be32 ip);

/* netdev_walk_all_upper_dev_rcu(dev) with fn(upper, data) for each visit
 * (C's order, a device with uppers visited again after each of them); a
 * non-zero return of fn stops the walk and is returned. Caller holds
 * rcu_read_lock(). */
int rvnet_walk_all_upper_rcu(struct net_device *dev,
			     int (*fn)(struct net_device *upper, void *data),
			     void *data);

/* netif_is_macvlan(dev) */
bool rvnet_netif_is_macvlan(const struct net_device *dev);

/* is_vlan_dev(dev): its protocol (host order) and VLAN id. */
bool rvnet_vlan_dev_tag(const struct net_device *dev, u16 *proto, u16 *vid);

/* bond_arp_send(ARPOP_REQUEST): an ARP request for dest from src (and the
 * device's address) on dev, with n VLAN tags (protos host order), tags[0]
 * outermost as accelerated tag, the others inserted; false if nothing was
 * sent. */
bool rvnet_arp_send_request(struct net_device *dev, __be32 dest, __be32 src,
			    const u16 *protos, const u16 *vids, unsigned int n);

/* rlb_update_client(): an ARP reply to ip_dst/mac_dst from ip_src and
 * dev's address, sent on dev (tagged ETH_P_8021Q tci if tci != 0); false
 * if nothing was sent. */
bool rvnet_arp_send_reply(struct net_device *dev, __be32 ip_dst, __be32 ip_src,
			  const u8 *mac_dst, u16 tci);

/* rlb_arp_xmit(): the device ip_dev_find() finds for ip is a bridge
 * (netif_is_any_bridge_master). */
bool rvnet_ip_dev_is_any_bridge(struct net *net, __be32 ip);

/* IPv6 (bonding's NS monitor), with a built-in or loaded ipv6. */
bool rvnet_ipv6_mod_enabled(void);

/* The output device of ip6_route_output(net, NULL, {.daddr}), NULL if the
 * route is an error. Caller holds rcu_read_lock(). */
struct net_device *rvnet_route6_output_dev_rcu(struct net *net,
					       const struct in6_addr *daddr);

/* ipv6_dev_get_saddr(): false if dev has no source address for daddr. */
bool rvnet_ipv6_dev_get_saddr(struct net_device *dev,
			      const struct in6_addr *daddr,
			      struct in6_addr *saddr);

/* bond_has_this_ip6(): addr is an address of dev or of any device above
 * it. Caller holds rcu_read_lock(). */
bool rvnet_dev_or_upper_has_ip6_rcu(struct net_device *dev,
				    const struct in6_addr *addr);

/* bond_ns_send(): a neighbour solicitation for daddr from saddr on dev to
 * daddr's solicited-node group, tagged as rvnet_arp_send_request(); false
 * if nothing was sent. */
bool rvnet_ns_send(struct net_device *dev, const struct in6_addr *daddr,
		   const struct in6_addr *saddr, const u16 *protos,
		   const u16 *vids, unsigned int n);

/* The link-layer address of target's solicited-node group on dev
 * (addrconf_addr_solict_mult, ndisc_mc_map): 0, or an error. */
int rvnet_ndisc_solicited_mc(const struct in6_addr *target,
			     struct net_device *dev, u8 *mac);

/* skb_copy_bits() */
int rvnet_skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len);

#endif /* RVNET_ARP_H */
