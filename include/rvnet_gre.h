/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers for GRE (rust/netdev/stack/gre.rs): the static inlines of
 * include/net/gre.h and what the GRE demultiplexer's handlers need.
 * Defined in rust/netdev/stack/helpers_gre.c.
 */
#ifndef RVNET_GRE_H
#define RVNET_GRE_H

#include <linux/skbuff.h>

/* gre_build_header(skb, hdr_len, flags, proto, key, seq). */
void rvnet_gre_build_header(struct sk_buff *skb, int hdr_len, u32 flags,
			    __be16 proto, __be32 key, __be32 seq);
/* gre_rcv's multicast check: the outer destination is multicast and the
 * packet was looped back by our own output route. */
bool rvnet_gre_looped_multicast(const struct sk_buff *skb);
/* icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0). */
void rvnet_icmp_send_port_unreach(struct sk_buff *skb);
/* A received Ethernet frame handed up by dev: skb->protocol =
 * eth_type_trans(skb, dev); skb_postpull_rcsum(eth_hdr, ETH_HLEN). */
void rvnet_skb_eth_type_trans(struct sk_buff *skb, struct net_device *dev);
/* The GRE header length of an ICMP error's quoted packet: the quoted
 * IPv4 header's length (skb->data is at it). */
int rvnet_skb_quoted_ihl(const struct sk_buff *skb);
/* ipgre_err's relay of an ICMP error about an IPv6 payload to its sender
 * (ip6_err_gen_icmpv6_unreach past the quoted IPv4 header and tun_hlen
 * bytes of tunnel header): 0 when relayed. */
int rvnet_icmp_relay_icmpv6(struct sk_buff *skb, unsigned int tun_hlen);
/* __ipgre_rcv's receive metadata: ip_tun_rx_dst with the packet's csum
 * and key flags and its key as the tunnel id. */
struct metadata_dst;
struct metadata_dst *rvnet_gre_rx_dst(struct sk_buff *skb, u32 flags, __be32 key);
/* erspan_build_header / erspan_build_header_v2 (is_ipv4 true, as
 * erspan_xmit calls them): pushes the ERSPAN type II or III header in
 * front of the mirrored frame. */
void rvnet_erspan_build_header(struct sk_buff *skb, u32 id, u32 index,
			       bool truncate);
void rvnet_erspan_build_header_v2(struct sk_buff *skb, u32 id, u8 dir,
				  u16 hwid, bool truncate);
/* sizeof(struct erspan_metadata): the tunnel options of an external
 * erspan tunnel (checked at build time by the helpers). */
#define RVNET_ERSPAN_MD_SIZE 12
/* erspan_rcv's receive metadata (external mode): ip_tun_rx_dst with
 * flags and key as the tunnel id, carrying the RVNET_ERSPAN_MD_SIZE bytes
 * of struct erspan_metadata at md as its options (ERSPAN_OPT set). */
struct metadata_dst *rvnet_erspan_rx_dst(struct sk_buff *skb, u32 flags,
					 __be32 key, const void *md);
/* erspan_fb_xmit's options: copies the RVNET_ERSPAN_MD_SIZE bytes of the
 * packet's transmit tunnel info options to md when it has that many
 * (false otherwise). */
bool rvnet_skb_md_erspan_opts(const struct sk_buff *skb, void *md);
/* skb_transport_offset(skb) in *off if the transport header was set
 * (false otherwise). */
bool rvnet_skb_transport_offset(const struct sk_buff *skb, int *off);
/* skb_pull(skb, len) of linear bytes (false, nothing pulled, if fewer
 * than len are linear). */
bool rvnet_skb_pull_linear(struct sk_buff *skb, unsigned int len);
/* ipgre_xmit's check after pulling the header header_ops built: a
 * CHECKSUM_PARTIAL packet whose checksum starts before the data. */
bool rvnet_skb_csum_start_before_data(const struct sk_buff *skb);
/* pskb_trim(skb, len). */
int rvnet_pskb_trim(struct sk_buff *skb, unsigned int len);

#endif
