/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers for the IP tunnel core (rust/netdev/stack/iptunnel.rs):
 * static inlines and macros of include/net/ip_tunnels.h, route.h,
 * inet_ecn.h and xfrm.h that the tunnel drivers' transmit and receive
 * paths need. The tunnel logic itself (table, lookup, transmit and
 * receive decisions) is Rust; these only reach fields and inlines.
 * Defined in rust/netdev/stack/helpers_iptunnel.c.
 */
#ifndef RVNET_IPTUNNEL_H
#define RVNET_IPTUNNEL_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/route.h>

/* Device set-up of a layer-3 tunnel (ipip_tunnel_setup, ip_tunnel_setup). */
void rvnet_netdev_setup_iptunnel(struct net_device *dev, unsigned short type,
				 unsigned char addr_len);
/* The device address and broadcast of a layer-3 tunnel: its endpoints. */
void rvnet_netdev_set_addr4(struct net_device *dev, __be32 saddr, __be32 daddr);
void rvnet_netdev_set_mtu_limits(struct net_device *dev, unsigned int min,
				 unsigned int max);
void rvnet_netdev_set_needed_headroom(struct net_device *dev,
				      unsigned int headroom);
unsigned int rvnet_netdev_lower_hlen(const struct net_device *dev);
/* DEV_STATS_INC(dev, field), field by index (enum rvnet_dev_stat). */
enum rvnet_dev_stat {
	RVNET_STAT_RX_ERRORS,
	RVNET_STAT_RX_CRC_ERRORS,
	RVNET_STAT_RX_FIFO_ERRORS,
	RVNET_STAT_RX_FRAME_ERRORS,
	RVNET_STAT_RX_DROPPED,
	RVNET_STAT_MULTICAST,
	RVNET_STAT_TX_ERRORS,
	RVNET_STAT_TX_DROPPED,
	RVNET_STAT_TX_CARRIER_ERRORS,
	RVNET_STAT_TX_FIFO_ERRORS,
	RVNET_STAT_COLLISIONS,
	RVNET_STAT_RX_LENGTH_ERRORS,
};
void rvnet_dev_stats_inc(struct net_device *dev, enum rvnet_dev_stat which);
unsigned long rvnet_dev_stats_get(const struct net_device *dev,
				  enum rvnet_dev_stat which);

struct dst_cache;
void rvnet_dst_cache_reset(struct dst_cache *dst_cache);

bool rvnet_net_has_fallback_tunnels(const struct net *net);
bool rvnet_net_is_dying(const struct net *net);

/* The tunnel ioctl block: struct ip_tunnel_parm (uapi, 52 bytes) <->
 * struct ip_tunnel_parm_kern (ndo_tunnel_ctl's, from ipmr and addrconf). */
struct ip_tunnel_parm_kern;
#define RVNET_IP_TUNNEL_PARM_LEN 52
int rvnet_ip_tunnel_parm_kern_to_uapi(const struct ip_tunnel_parm_kern *kp,
				      void *out);
void rvnet_ip_tunnel_parm_uapi_to_kern(const void *in,
				       struct ip_tunnel_parm_kern *kp);

/* dev->type = type while dev is being registered (ndo_init); -EBUSY once
 * it is registered. */
int rvnet_netdev_set_type_unregistered(struct net_device *dev, unsigned short type);

/* Receive. */
bool rvnet_xfrm4_policy_check_in(struct sk_buff *skb);
int rvnet_inet_ecn_set_ce(struct sk_buff *skb);
int rvnet_inet_ecn_set_ect1(struct sk_buff *skb);
void rvnet_skb_set_pkt_type_broadcast(struct sk_buff *skb);

/* icmp_hdr(skb)->type << 8 | code. */
u16 rvnet_skb_icmp_type_code(const struct sk_buff *skb);

/* External mode (collect_md). */
struct metadata_dst;
struct metadata_dst *rvnet_ip_tun_rx_dst(struct sk_buff *skb);
void rvnet_metadata_dst_release(struct metadata_dst *md);
void rvnet_skb_set_metadata_dst(struct sk_buff *skb, struct metadata_dst *md);
struct rvnet_md_key {
	__be32 src;
	__be32 dst;
	u8 tos;
	u8 ttl;
	bool df;
	/* The key's IP_TUNNEL_*_BIT flags (first word) and tunnel id as a
	 * 32-bit GRE key (tunnel_id_to_key32). */
	u32 flags;
	__be32 key32;
};
bool rvnet_skb_md_key(const struct sk_buff *skb, struct rvnet_md_key *k);
struct rtable *rvnet_md_tunnel_route(struct sk_buff *skb, struct net *net,
				     u8 *proto, u8 tos, u32 hash,
				     __be32 *saddr, int *hlen, int *err,
				     bool *encap_err);

/* Transmit. */
struct ip_tunnel_encap;
/* ip_encap_hlen(e): the FOU/GUE header length, or -EINVAL. */
int rvnet_ip_encap_hlen(const struct ip_tunnel_encap *e);
/* ip_tunnel_encap(skb, e, proto, fl4) with a flow of saddr/daddr: pushes
 * the FOU/GUE header, sets *proto to IPPROTO_UDP. */
int rvnet_ip_tunnel_encap(struct sk_buff *skb, const struct ip_tunnel_encap *e,
			  u8 *proto, __be32 saddr, __be32 daddr);
struct rtable *rvnet_iptun_route(struct net *net, int proto, __be32 daddr,
				 __be32 *saddr, __be32 key, u8 tos, int oif,
				 u32 mark, u32 hash, int *err);
struct net_device *rvnet_rt_dev(const struct rtable *rt);
unsigned int rvnet_rt_headroom(const struct rtable *rt);
int rvnet_rt_hoplimit(const struct rtable *rt);
void rvnet_rt_put(struct rtable *rt);
unsigned int rvnet_rt_mtu(const struct rtable *rt);
bool rvnet_skb_cow_head(struct sk_buff *skb, unsigned int headroom);
void rvnet_skb_set_inner_ipproto(struct sk_buff *skb, u8 proto);
u32 rvnet_skb_get_hash(struct sk_buff *skb);
/* dst_mtu(skb_dst(skb)) if skb_valid_dst(skb), else 0. */
unsigned int rvnet_skb_valid_dst_mtu(const struct sk_buff *skb);
void rvnet_skb_dst_update_pmtu_no_confirm(struct sk_buff *skb, u32 mtu);
/* tnl_update_pmtu's IPv6 route metric update (RTF_MODIFIED, RTAX_MTU). */
void rvnet_skb_rt6_update_mtu(struct sk_buff *skb, u32 mtu, bool unicast_daddr);
bool rvnet_skb_has_dst(const struct sk_buff *skb);
__be32 rvnet_skb_rt_nexthop(const struct sk_buff *skb, __be32 daddr);
void rvnet_icmp_ndo_send_frag_needed(struct sk_buff *skb, u32 mtu);
void rvnet_icmpv6_ndo_send_pkt_too_big(struct sk_buff *skb, u32 mtu);
void rvnet_dst_link_failure(struct sk_buff *skb);

/*
 * log_ecn_error, the parameter of C's ipip, ip_gre and sit (0644: changeable
 * at run time), declared with RVNET_LOG_ECN_ERROR_PARAM in a tunnel
 * module's helpers file after defining RVNET_HAS_LOG_ECN_ERROR; other
 * modules read false.
 */
bool rvnet_log_ecn_error(void);

#define RVNET_LOG_ECN_ERROR_PARAM()					\
	static bool log_ecn_error = true;				\
	module_param(log_ecn_error, bool, 0644);			\
	MODULE_PARM_DESC(log_ecn_error,					\
			 "Log packets received with corrupted ECN");	\
	bool rvnet_log_ecn_error(void)					\
	{								\
		return READ_ONCE(log_ecn_error);			\
	}

#endif /* RVNET_IPTUNNEL_H */
