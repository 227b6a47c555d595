// SPDX-License-Identifier: GPL-2.0
/*
 * rvnet C helpers for sit; see include/rvnet_sit.h. Included at the end
 * of helpers.c. Every call is to the built-in IPv6 and core code.
 */
#include <net/addrconf.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/ndisc.h>
#include <net/neighbour.h>
#include <net/l3mdev.h>
#include "../../../include/rvnet_sit.h"

bool rvnet_rt_is_unicast_or_local(const struct rtable *rt)
{
	return rt->rt_type == RTN_UNICAST || rt->rt_type == RTN_LOCAL;
}

bool rvnet_skb_dst_neigh_key6(struct sk_buff *skb, const u8 *daddr, u8 *key)
{
	struct dst_entry *dst = skb_dst(skb);
	struct neighbour *n;

	if (!dst)
		return false;
	n = dst_neigh_lookup(dst, daddr);
	if (!n)
		return false;
	memcpy(key, n->primary_key, sizeof(struct in6_addr));
	neigh_release(n);
	return true;
}

void rvnet_netdev_set_isatap(struct net_device *dev)
{
	dev->priv_flags |= IFF_ISATAP;
}

bool rvnet_ipv6_chk_prefix(const u8 *addr, struct net_device *dev)
{
	return ipv6_chk_prefix((const struct in6_addr *)addr, dev);
}

bool rvnet_ipv6_chk_custom_prefix(const u8 *addr, unsigned int plen,
				  struct net_device *dev)
{
	return ipv6_chk_custom_prefix((const struct in6_addr *)addr, plen, dev);
}

bool rvnet_netdev_has_inet6(const struct net_device *dev)
{
	return __in6_dev_get(dev) != NULL;
}

void rvnet_skb_set_ndisc_nodetype(struct sk_buff *skb, u8 type)
{
#if IS_ENABLED(CONFIG_IPV6_NDISC_NODETYPE)
	skb->ndisc_nodetype = type;
#endif
}

void rvnet_skb_sit_rx_start(struct sk_buff *skb, struct net_device *dev)
{
	skb->mac_header = skb->network_header;
	skb_reset_network_header(skb);
	IPCB(skb)->flags = 0;
	skb->dev = dev;
}

int rvnet_skb_l3_sifindex(const struct sk_buff *skb)
{
	return netif_is_l3_master(skb->dev) ? IPCB(skb)->iif : 0;
}

bool rvnet_netdev_is_l3_master(const struct net_device *dev)
{
	return netif_is_l3_master(dev);
}

void rvnet_netif_rx(struct sk_buff *skb)
{
	netif_rx(skb);
}
