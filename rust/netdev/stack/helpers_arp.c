// SPDX-License-Identifier: GPL-2.0
/*
 * rvnet C helpers for ARP probing link monitors; see include/rvnet_arp.h.
 * Included at the end of helpers.c.
 */
#include <linux/if_vlan.h>
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/arp.h>
#include <net/ip6_route.h>
#include <net/ndisc.h>
#include <net/route.h>
#include "../../../include/rvnet_arp.h"

unsigned long rvnet_msecs_to_jiffies(unsigned int ms)
{
	return msecs_to_jiffies(ms);
}

struct net_device *rvnet_route_output_dev_rcu(struct net *net, __be32 daddr)
{
	struct rtable *rt = ip_route_output(net, daddr, 0, 0, 0, RT_SCOPE_LINK);
	struct net_device *dev;

	if (IS_ERR(rt))
		return NULL;
	/* The route held its device; under RCU the device outlives the
	 * reference (an unregistration waits for readers after taking
	 * routes off it, a freed route drops it after a grace period). */
	dev = rt->dst.dev;
	ip_rt_put(rt);
	return dev;
}

__be32 rvnet_confirm_addr_rcu(struct net_device *dev, __be32 dst, __be32 local)
{
	struct in_device *in_dev = __in_dev_get_rcu(dev);

	if (!in_dev)
		return 0;
	return inet_confirm_addr(dev_net(dev), in_dev, dst, local, RT_SCOPE_HOST);
}

static int rvnet_upper_has_ip(struct net_device *upper,
			      struct netdev_nested_priv *priv)
{
	__be32 ip = *(__be32 *)priv->data;

	return ip == rvnet_confirm_addr_rcu(upper, 0, ip);
}

bool rvnet_dev_or_upper_has_ip_rcu(struct net_device *dev, __be32 ip)
{
	struct netdev_nested_priv priv = {
		.data = (void *)&ip,
	};

	if (ip == rvnet_confirm_addr_rcu(dev, 0, ip))
		return true;
	return netdev_walk_all_upper_dev_rcu(dev, rvnet_upper_has_ip, &priv);
}

struct rvnet_walk {
	int (*fn)(struct net_device *upper, void *data);
	void *data;
};

static int rvnet_walk_one(struct net_device *upper,
			  struct netdev_nested_priv *priv)
{
	struct rvnet_walk *w = priv->data;

	return w->fn(upper, w->data);
}

int rvnet_walk_all_upper_rcu(struct net_device *dev,
			     int (*fn)(struct net_device *upper, void *data),
			     void *data)
{
	struct rvnet_walk w = { .fn = fn, .data = data };
	struct netdev_nested_priv priv = { .data = &w };

	return netdev_walk_all_upper_dev_rcu(dev, rvnet_walk_one, &priv);
}

bool rvnet_netif_is_macvlan(const struct net_device *dev)
{
	return netif_is_macvlan(dev);
}

bool rvnet_vlan_dev_tag(const struct net_device *dev, u16 *proto, u16 *vid)
{
	if (!is_vlan_dev(dev))
		return false;
	*proto = ntohs(vlan_dev_vlan_proto(dev));
	*vid = vlan_dev_vlan_id(dev);
	return true;
}

/* bond_handle_vlan(): the inner tags in the packet, the outer one as
 * accelerated tag; false (the skb freed) if a tag could not be inserted. */
static bool rvnet_handle_vlan(struct sk_buff **pskb, const u16 *protos,
			      const u16 *vids, unsigned int n)
{
	unsigned int i;

	for (i = 1; i < n; i++) {
		if (!vids[i])
			continue;
		*pskb = vlan_insert_tag_set_proto(*pskb, htons(protos[i]), vids[i]);
		if (!*pskb) {
			net_err_ratelimited("failed to insert inner VLAN tag\n");
			return false;
		}
	}
	if (n && vids[0])
		__vlan_hwaccel_put_tag(*pskb, htons(protos[0]), vids[0]);
	return true;
}

bool rvnet_arp_send_request(struct net_device *dev, __be32 dest, __be32 src,
			    const u16 *protos, const u16 *vids, unsigned int n)
{
	struct sk_buff *skb;

	skb = arp_create(ARPOP_REQUEST, ETH_P_ARP, dest, dev, src, NULL,
			 dev->dev_addr, NULL);
	if (!skb) {
		net_err_ratelimited("ARP packet allocation failed\n");
		return false;
	}
	if (!rvnet_handle_vlan(&skb, protos, vids, n))
		return false;
	arp_xmit(skb);
	return true;
}

bool rvnet_arp_send_reply(struct net_device *dev, __be32 ip_dst, __be32 ip_src,
			  const u8 *mac_dst, u16 tci)
{
	struct sk_buff *skb;

	if (dev->addr_len != ETH_ALEN)
		return false;
	skb = arp_create(ARPOP_REPLY, ETH_P_ARP, ip_dst, dev, ip_src, mac_dst,
			 dev->dev_addr, mac_dst);
	if (!skb)
		return false;
	skb->dev = dev;
	if (tci)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), tci);
	arp_xmit(skb);
	return true;
}

bool rvnet_ip_dev_is_any_bridge(struct net *net, __be32 ip)
{
	struct net_device *dev = ip_dev_find(net, ip);
	bool br;

	if (!dev)
		return false;
	br = netif_is_any_bridge_master(dev);
	dev_put(dev);
	return br;
}

bool rvnet_ipv6_mod_enabled(void)
{
	return ipv6_mod_enabled();
}

struct net_device *rvnet_route6_output_dev_rcu(struct net *net,
					       const struct in6_addr *daddr)
{
	struct flowi6 fl6;
	struct dst_entry *dst;
	struct net_device *dev = NULL;

	memset(&fl6, 0, sizeof(fl6));
	fl6.daddr = *daddr;
	dst = ip6_route_output(net, NULL, &fl6);
	/* As for IPv4: under RCU the device outlives the route's reference. */
	if (!dst->error)
		dev = dst->dev;
	dst_release(dst);
	return dev;
}

bool rvnet_ipv6_dev_get_saddr(struct net_device *dev,
			      const struct in6_addr *daddr,
			      struct in6_addr *saddr)
{
	return !ipv6_dev_get_saddr(dev_net(dev), dev, daddr, 0, saddr);
}

static int rvnet_confirm_addr6(struct net_device *dev,
			       struct netdev_nested_priv *priv)
{
	struct in6_addr *addr = (struct in6_addr *)priv->data;

	return ipv6_chk_addr(dev_net(dev), addr, dev, 0);
}

bool rvnet_dev_or_upper_has_ip6_rcu(struct net_device *dev,
				    const struct in6_addr *addr)
{
	struct netdev_nested_priv priv = {
		.data = (void *)addr,
	};

	if (rvnet_confirm_addr6(dev, &priv))
		return true;
	return netdev_walk_all_upper_dev_rcu(dev, rvnet_confirm_addr6, &priv);
}

bool rvnet_ns_send(struct net_device *dev, const struct in6_addr *daddr,
		   const struct in6_addr *saddr, const u16 *protos,
		   const u16 *vids, unsigned int n)
{
	struct in6_addr mcaddr;
	struct sk_buff *skb;

	skb = ndisc_ns_create(dev, daddr, saddr, 0);
	if (!skb) {
		net_err_ratelimited("NS packet allocation failed\n");
		return false;
	}
	addrconf_addr_solict_mult(daddr, &mcaddr);
	if (!rvnet_handle_vlan(&skb, protos, vids, n))
		return false;
	ndisc_send_skb(skb, &mcaddr, saddr);
	return true;
}

int rvnet_ndisc_solicited_mc(const struct in6_addr *target,
			     struct net_device *dev, u8 *mac)
{
	struct in6_addr mcaddr;

	addrconf_addr_solict_mult(target, &mcaddr);
	return ndisc_mc_map(&mcaddr, mac, dev, 0);
}

int rvnet_skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len)
{
	return skb_copy_bits(skb, offset, to, len);
}
