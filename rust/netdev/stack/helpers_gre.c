// SPDX-License-Identifier: GPL-2.0
/*
 * rvnet C helpers for GRE; see include/rvnet_gre.h.
 * Included at the end of helpers.c.
 */
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <net/dst_metadata.h>
#include <net/erspan.h>
#include <net/gre.h>
#include <net/icmp.h>
#include <linux/icmpv6.h>
#include <net/ip_tunnels.h>
#include <net/route.h>
#include "../../../include/rvnet_gre.h"

void rvnet_gre_build_header(struct sk_buff *skb, int hdr_len, u32 flags,
			    __be16 proto, __be32 key, __be32 seq)
{
	IP_TUNNEL_DECLARE_FLAGS(f) = { };

	f[0] = flags;
	gre_build_header(skb, hdr_len, f, proto, key, seq);
}

bool rvnet_gre_looped_multicast(const struct sk_buff *skb)
{
	return ipv4_is_multicast(ip_hdr(skb)->daddr) &&
	       rt_is_output_route(skb_rtable(skb));
}

void rvnet_icmp_send_port_unreach(struct sk_buff *skb)
{
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
}

void rvnet_skb_eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	skb->protocol = eth_type_trans(skb, dev);
	skb_postpull_rcsum(skb, eth_hdr(skb), ETH_HLEN);
}

int rvnet_skb_quoted_ihl(const struct sk_buff *skb)
{
	return ((const struct iphdr *)skb->data)->ihl * 4;
}

struct metadata_dst *rvnet_gre_rx_dst(struct sk_buff *skb, u32 flags, __be32 key)
{
	IP_TUNNEL_DECLARE_FLAGS(f) = { };

	f[0] = flags & (BIT(IP_TUNNEL_CSUM_BIT) | BIT(IP_TUNNEL_KEY_BIT));
	return ip_tun_rx_dst(skb, f, key32_to_tunnel_id(key), 0);
}

int rvnet_icmp_relay_icmpv6(struct sk_buff *skb, unsigned int tun_hlen)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	int type = icmp_hdr(skb)->type;
	unsigned int data_len = 0;

	if (type == ICMP_TIME_EXCEEDED)
		data_len = icmp_hdr(skb)->un.reserved[1] * 4; /* RFC 4884 4.1 */
	return ip6_err_gen_icmpv6_unreach(skb, iph->ihl * 4 + tun_hlen, type, data_len);
}

void rvnet_erspan_build_header(struct sk_buff *skb, u32 id, u32 index,
			       bool truncate)
{
	erspan_build_header(skb, id, index, truncate, true);
}

void rvnet_erspan_build_header_v2(struct sk_buff *skb, u32 id, u8 dir,
				  u16 hwid, bool truncate)
{
	erspan_build_header_v2(skb, id, dir, hwid, truncate, true);
}

int rvnet_pskb_trim(struct sk_buff *skb, unsigned int len)
{
	return pskb_trim(skb, len);
}

struct metadata_dst *rvnet_erspan_rx_dst(struct sk_buff *skb, u32 flags,
					 __be32 key, const void *md)
{
	IP_TUNNEL_DECLARE_FLAGS(f) = { };
	struct metadata_dst *tun_dst;
	struct ip_tunnel_info *info;

	BUILD_BUG_ON(sizeof(struct erspan_metadata) != RVNET_ERSPAN_MD_SIZE);
	f[0] = flags;
	tun_dst = ip_tun_rx_dst(skb, f, key32_to_tunnel_id(key),
				sizeof(struct erspan_metadata));
	if (!tun_dst)
		return NULL;
	info = &tun_dst->u.tun_info;
	memcpy(ip_tunnel_info_opts(info), md, sizeof(struct erspan_metadata));
	__set_bit(IP_TUNNEL_ERSPAN_OPT_BIT, info->key.tun_flags);
	info->options_len = sizeof(struct erspan_metadata);
	return tun_dst;
}

bool rvnet_skb_md_erspan_opts(const struct sk_buff *skb, void *md)
{
	const struct ip_tunnel_info *info = skb_tunnel_info(skb);

	if (!info || info->options_len < sizeof(struct erspan_metadata))
		return false;
	memcpy(md, ip_tunnel_info_opts(info), sizeof(struct erspan_metadata));
	return true;
}

bool rvnet_skb_transport_offset(const struct sk_buff *skb, int *off)
{
	if (!skb_transport_header_was_set(skb))
		return false;
	*off = skb_transport_offset(skb);
	return true;
}

bool rvnet_skb_pull_linear(struct sk_buff *skb, unsigned int len)
{
	if (len > skb_headlen(skb))
		return false;
	__skb_pull(skb, len);
	return true;
}

bool rvnet_skb_csum_start_before_data(const struct sk_buff *skb)
{
	return skb->ip_summed == CHECKSUM_PARTIAL &&
	       skb_checksum_start(skb) < skb->data;
}
