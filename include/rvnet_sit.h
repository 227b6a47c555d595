/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers for sit, IPv6 in IPv4 (rust/netdev/stack/sit.rs): the
 * IPv6 side of its transmit and receive paths (next-hop neighbours,
 * ISATAP, the device's prefixes) and its receive delivery. Defined in
 * rust/netdev/stack/helpers_sit.c.
 */
#ifndef RVNET_SIT_H
#define RVNET_SIT_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/route.h>

/* rt->rt_type is RTN_UNICAST or RTN_LOCAL. */
bool rvnet_rt_is_unicast_or_local(const struct rtable *rt);
/* dst_neigh_lookup(skb_dst(skb), daddr): copies the neighbour's 16-byte
 * key to key and releases it; false without a route or a neighbour. */
bool rvnet_skb_dst_neigh_key6(struct sk_buff *skb, const u8 *daddr, u8 *key);
/* dev->priv_flags |= IFF_ISATAP. */
void rvnet_netdev_set_isatap(struct net_device *dev);
/* ipv6_chk_prefix(addr, dev) / ipv6_chk_custom_prefix(addr, plen, dev). */
bool rvnet_ipv6_chk_prefix(const u8 *addr, struct net_device *dev);
bool rvnet_ipv6_chk_custom_prefix(const u8 *addr, unsigned int plen,
				  struct net_device *dev);
/* __in6_dev_get(dev) != NULL (caller under RCU). */
bool rvnet_netdev_has_inet6(const struct net_device *dev);
/* skb->ndisc_nodetype = type (NDISC_NODETYPE_*: 1 host, 2 nodefault,
 * 3 default, as passed by the layer's enum). */
void rvnet_skb_set_ndisc_nodetype(struct sk_buff *skb, u8 type);
/* ipip6_rcv's start on a found tunnel: the outer header becomes the mac
 * header, the network header the inner one (at data), IPCB flags
 * cleared, skb->dev the tunnel. */
void rvnet_skb_sit_rx_start(struct sk_buff *skb, struct net_device *dev);
/* netif_is_l3_master(skb->dev) ? IPCB(skb)->iif : 0. */
int rvnet_skb_l3_sifindex(const struct sk_buff *skb);
/* netif_is_l3_master(dev). */
bool rvnet_netdev_is_l3_master(const struct net_device *dev);
/* netif_rx(skb). */
void rvnet_netif_rx(struct sk_buff *skb);

#endif /* RVNET_SIT_H */
