// SPDX-License-Identifier: GPL-2.0
/*
 * rvnet C helpers for the IP tunnel core; see include/rvnet_iptunnel.h.
 * Included at the end of helpers.c.
 */
#include <linux/if_arp.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/dst.h>
#include <net/dst_cache.h>
#include <net/dst_metadata.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_fib.h>
#include <net/ip_tunnels.h>
#include <net/route.h>
#include <net/xfrm.h>
#include "../../../include/rvnet_iptunnel.h"

void rvnet_netdev_setup_iptunnel(struct net_device *dev, unsigned short type,
				 unsigned char addr_len)
{
	dev->header_ops = &ip_tunnel_header_ops;
	dev->type = type;
	dev->flags = IFF_NOARP;
	dev->addr_len = addr_len;
	dev->lltx = true;
	netif_keep_dst(dev);
}

int rvnet_netdev_set_type_unregistered(struct net_device *dev, unsigned short type)
{
	if (dev->reg_state != NETREG_UNINITIALIZED)
		return -EBUSY;
	dev->type = type;
	return 0;
}

void rvnet_netdev_set_addr4(struct net_device *dev, __be32 saddr, __be32 daddr)
{
	__dev_addr_set(dev, &saddr, 4);
	memcpy(dev->broadcast, &daddr, 4);
}

void rvnet_netdev_set_mtu_limits(struct net_device *dev, unsigned int min,
				 unsigned int max)
{
	dev->min_mtu = min;
	dev->max_mtu = max;
}

void rvnet_netdev_set_needed_headroom(struct net_device *dev,
				      unsigned int headroom)
{
	WRITE_ONCE(dev->needed_headroom, headroom);
}

unsigned int rvnet_netdev_lower_hlen(const struct net_device *dev)
{
	return dev->hard_header_len + dev->needed_headroom;
}

static atomic_long_t *rvnet_dev_stat(struct net_device *dev,
				     enum rvnet_dev_stat which)
{
	switch (which) {
	case RVNET_STAT_RX_ERRORS:
		return &dev->stats.__rx_errors;
	case RVNET_STAT_RX_CRC_ERRORS:
		return &dev->stats.__rx_crc_errors;
	case RVNET_STAT_RX_FIFO_ERRORS:
		return &dev->stats.__rx_fifo_errors;
	case RVNET_STAT_RX_FRAME_ERRORS:
		return &dev->stats.__rx_frame_errors;
	case RVNET_STAT_RX_DROPPED:
		return &dev->stats.__rx_dropped;
	case RVNET_STAT_MULTICAST:
		return &dev->stats.__multicast;
	case RVNET_STAT_TX_ERRORS:
		return &dev->stats.__tx_errors;
	case RVNET_STAT_TX_DROPPED:
		return &dev->stats.__tx_dropped;
	case RVNET_STAT_TX_CARRIER_ERRORS:
		return &dev->stats.__tx_carrier_errors;
	case RVNET_STAT_TX_FIFO_ERRORS:
		return &dev->stats.__tx_fifo_errors;
	case RVNET_STAT_COLLISIONS:
		return &dev->stats.__collisions;
	case RVNET_STAT_RX_LENGTH_ERRORS:
		return &dev->stats.__rx_length_errors;
	}
	return NULL;
}

void rvnet_dev_stats_inc(struct net_device *dev, enum rvnet_dev_stat which)
{
	atomic_long_t *c = rvnet_dev_stat(dev, which);

	if (c)
		atomic_long_inc(c);
}

unsigned long rvnet_dev_stats_get(const struct net_device *dev,
				  enum rvnet_dev_stat which)
{
	atomic_long_t *c = rvnet_dev_stat((struct net_device *)dev, which);

	return c ? atomic_long_read(c) : 0;
}

void rvnet_dst_cache_reset(struct dst_cache *dst_cache)
{
	dst_cache_reset(dst_cache);
}

bool rvnet_xfrm4_policy_check_in(struct sk_buff *skb)
{
	return xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb);
}

int rvnet_inet_ecn_set_ce(struct sk_buff *skb)
{
	return INET_ECN_set_ce(skb);
}

int rvnet_inet_ecn_set_ect1(struct sk_buff *skb)
{
	return INET_ECN_set_ect1(skb);
}

bool rvnet_net_has_fallback_tunnels(const struct net *net)
{
	return net_has_fallback_tunnels(net);
}

bool rvnet_net_is_dying(const struct net *net)
{
	return !refcount_read(&net->ns.count);
}

void rvnet_skb_set_pkt_type_broadcast(struct sk_buff *skb)
{
	skb->pkt_type = PACKET_BROADCAST;
}

u16 rvnet_skb_icmp_type_code(const struct sk_buff *skb)
{
	return icmp_hdr(skb)->type << 8 | icmp_hdr(skb)->code;
}

int rvnet_ip_encap_hlen(const struct ip_tunnel_encap *e)
{
	return ip_encap_hlen((struct ip_tunnel_encap *)e);
}

int rvnet_ip_tunnel_encap(struct sk_buff *skb, const struct ip_tunnel_encap *e,
			  u8 *proto, __be32 saddr, __be32 daddr)
{
	struct flowi4 fl4;

	memset(&fl4, 0, sizeof(fl4));
	fl4.saddr = saddr;
	fl4.daddr = daddr;
	return ip_tunnel_encap(skb, (struct ip_tunnel_encap *)e, proto, &fl4);
}

struct rtable *rvnet_iptun_route(struct net *net, int proto, __be32 daddr,
				 __be32 *saddr, __be32 key, u8 tos, int oif,
				 u32 mark, u32 hash, int *err)
{
	struct flowi4 fl4;
	struct rtable *rt;

	ip_tunnel_init_flow(&fl4, proto, daddr, *saddr, key, tos, net, oif,
			    mark, hash, 0);
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		*err = PTR_ERR(rt);
		return NULL;
	}
	*saddr = fl4.saddr;
	return rt;
}

struct net_device *rvnet_rt_dev(const struct rtable *rt)
{
	return rt->dst.dev;
}

unsigned int rvnet_rt_headroom(const struct rtable *rt)
{
	return LL_RESERVED_SPACE(rt->dst.dev) + rt->dst.header_len;
}

int rvnet_rt_hoplimit(const struct rtable *rt)
{
	return ip4_dst_hoplimit(&rt->dst);
}

void rvnet_rt_put(struct rtable *rt)
{
	ip_rt_put(rt);
}

unsigned int rvnet_rt_mtu(const struct rtable *rt)
{
	return dst_mtu(&rt->dst);
}

bool rvnet_skb_cow_head(struct sk_buff *skb, unsigned int headroom)
{
	return skb_cow_head(skb, headroom) != 0;
}

void rvnet_skb_set_inner_ipproto(struct sk_buff *skb, u8 proto)
{
	skb_set_inner_ipproto(skb, proto);
}

u32 rvnet_skb_get_hash(struct sk_buff *skb)
{
	return skb_get_hash(skb);
}

unsigned int rvnet_skb_valid_dst_mtu(const struct sk_buff *skb)
{
	return skb_valid_dst(skb) ? dst_mtu(skb_dst(skb)) : 0;
}

void rvnet_skb_dst_update_pmtu_no_confirm(struct sk_buff *skb, u32 mtu)
{
	skb_dst_update_pmtu_no_confirm(skb, mtu);
}

void rvnet_skb_rt6_update_mtu(struct sk_buff *skb, u32 mtu, bool unicast_daddr)
{
#if IS_ENABLED(CONFIG_IPV6)
	struct rt6_info *rt6;

	if (!skb_valid_dst(skb))
		return;
	rt6 = dst_rt6_info(skb_dst(skb));
	if (mtu < dst_mtu(skb_dst(skb)) && mtu >= IPV6_MIN_MTU &&
	    (unicast_daddr || rt6->rt6i_dst.plen == 128)) {
		rt6->rt6i_flags |= RTF_MODIFIED;
		dst_metric_set(skb_dst(skb), RTAX_MTU, mtu);
	}
#endif
}

bool rvnet_skb_has_dst(const struct sk_buff *skb)
{
	return skb_dst(skb) != NULL;
}

__be32 rvnet_skb_rt_nexthop(const struct sk_buff *skb, __be32 daddr)
{
	return rt_nexthop(skb_rtable(skb), daddr);
}

void rvnet_icmp_ndo_send_frag_needed(struct sk_buff *skb, u32 mtu)
{
	icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
}

void rvnet_icmpv6_ndo_send_pkt_too_big(struct sk_buff *skb, u32 mtu)
{
	icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
}

void rvnet_dst_link_failure(struct sk_buff *skb)
{
	dst_link_failure(skb);
}

static_assert(sizeof(struct ip_tunnel_parm) == RVNET_IP_TUNNEL_PARM_LEN);

int rvnet_ip_tunnel_parm_kern_to_uapi(const struct ip_tunnel_parm_kern *kp,
				      void *out)
{
	struct ip_tunnel_parm p;

	if (!ip_tunnel_flags_is_be16_compat(kp->i_flags) ||
	    !ip_tunnel_flags_is_be16_compat(kp->o_flags))
		return -EFAULT;
	memset(&p, 0, sizeof(p));
	strscpy(p.name, kp->name);
	p.link = kp->link;
	p.i_flags = ip_tunnel_flags_to_be16(kp->i_flags);
	p.o_flags = ip_tunnel_flags_to_be16(kp->o_flags);
	p.i_key = kp->i_key;
	p.o_key = kp->o_key;
	memcpy(&p.iph, &kp->iph, min(sizeof(p.iph), sizeof(kp->iph)));
	memcpy(out, &p, sizeof(p));
	return 0;
}

void rvnet_ip_tunnel_parm_uapi_to_kern(const void *in,
				       struct ip_tunnel_parm_kern *kp)
{
	struct ip_tunnel_parm p;

	memcpy(&p, in, sizeof(p));
	strscpy(kp->name, p.name);
	kp->link = p.link;
	ip_tunnel_flags_from_be16(kp->i_flags, p.i_flags);
	ip_tunnel_flags_from_be16(kp->o_flags, p.o_flags);
	kp->i_key = p.i_key;
	kp->o_key = p.o_key;
	memcpy(&kp->iph, &p.iph, min(sizeof(kp->iph), sizeof(p.iph)));
}

static_assert(sizeof(struct ip_tunnel_encap) == 8);

struct metadata_dst *rvnet_ip_tun_rx_dst(struct sk_buff *skb)
{
	IP_TUNNEL_DECLARE_FLAGS(flags) = { };
	struct metadata_dst *md = ip_tun_rx_dst(skb, flags, 0, 0);

	if (md)
		ip_tunnel_md_udp_encap(skb, &md->u.tun_info);
	return md;
}

void rvnet_metadata_dst_release(struct metadata_dst *md)
{
	dst_release(&md->dst);
}

void rvnet_skb_set_metadata_dst(struct sk_buff *skb, struct metadata_dst *md)
{
	skb_dst_set(skb, &md->dst);
}

bool rvnet_skb_md_key(const struct sk_buff *skb, struct rvnet_md_key *k)
{
	const struct ip_tunnel_info *info = skb_tunnel_info(skb);

	if (!info || !(info->mode & IP_TUNNEL_INFO_TX) ||
	    ip_tunnel_info_af(info) != AF_INET)
		return false;
	k->src = info->key.u.ipv4.src;
	k->dst = info->key.u.ipv4.dst;
	k->tos = info->key.tos;
	k->ttl = info->key.ttl;
	k->df = test_bit(IP_TUNNEL_DONT_FRAGMENT_BIT, info->key.tun_flags);
	k->flags = (u32)info->key.tun_flags[0];
	k->key32 = tunnel_id_to_key32(info->key.tun_id);
	return true;
}

struct rtable *rvnet_md_tunnel_route(struct sk_buff *skb, struct net *net,
				     u8 *proto, u8 tos, u32 hash,
				     __be32 *saddr, int *hlen, int *err,
				     bool *encap_err)
{
	struct ip_tunnel_info *info = skb_tunnel_info(skb);
	const struct ip_tunnel_key *key;
	struct rtable *rt = NULL;
	struct flowi4 fl4;
	bool use_cache;

	if (!info) {
		*err = -EINVAL;
		return NULL;
	}
	key = &info->key;
	ip_tunnel_init_flow(&fl4, *proto, key->u.ipv4.dst, key->u.ipv4.src,
			    tunnel_id_to_key32(key->tun_id), tos, net, 0,
			    skb->mark, hash, key->flow_flags);
	*hlen = ip_encap_hlen(&info->encap);
	if (ip_tunnel_encap(skb, &info->encap, proto, &fl4) < 0) {
		*encap_err = true;
		return NULL;
	}
	use_cache = ip_tunnel_dst_cache_usable(skb, info);
	if (use_cache)
		rt = dst_cache_get_ip4(&info->dst_cache, &fl4.saddr);
	if (!rt) {
		rt = ip_route_output_key(net, &fl4);
		if (IS_ERR(rt)) {
			*err = PTR_ERR(rt);
			return NULL;
		}
		if (use_cache)
			dst_cache_set_ip4(&info->dst_cache, &rt->dst, fl4.saddr);
	}
	*saddr = fl4.saddr;
	return rt;
}

#ifndef RVNET_HAS_LOG_ECN_ERROR
bool rvnet_log_ecn_error(void)
{
	return false;
}
#endif
