/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helper filling plain flow keys from an skb for the bonding
 * transmit hashes: Ethernet header, the IP header as bonding's
 * bond_flow_ip() reads it, the header embedded in an ICMP error, and for
 * the encap policies the result of __skb_flow_dissect() with bonding's key
 * set. Defined in rust/netdev/helpers_flow.c.
 */
#ifndef RVNET_FLOW_H
#define RVNET_FLOW_H

#include <linux/types.h>

struct sk_buff;

/* What to extract (bits of `what`). */
#define RVNET_FLOW_ETH		0x01	/* MAC addresses and h_proto */
#define RVNET_FLOW_L3		0x02	/* IP header as bond_flow_ip() reads it */
#define RVNET_FLOW_L4		0x04	/* ... and the L4 ports word */
#define RVNET_FLOW_ENCAP	0x08	/* __skb_flow_dissect() result */
#define RVNET_FLOW_VLAN		0x10	/* accelerated VLAN tag */
#define RVNET_FLOW_L4HASH	0x20	/* skb->hash if skb->l4_hash */

/* Address families of struct rvnet_ip_keys. */
#define RVNET_FLOW_AF_NONE	0
#define RVNET_FLOW_AF_V4	4
#define RVNET_FLOW_AF_V6	6
#define RVNET_FLOW_AF_TIPC	7

struct rvnet_ip_keys {
	u8 family;
	u8 ip_proto;
	u8 is_fragment;
	u8 has_l4;
	u8 has_icmp;
	u8 icmp_type;
	u8 icmp_code;
	u8 pad;
	u16 icmp_id;		/* host order */
	u8 l4[4];		/* wire order */
	u8 src[16];		/* wire order */
	u8 dst[16];
};

struct rvnet_flow_keys {
	u8 dst_mac[6];
	u8 src_mac[6];
	u16 ethertype;		/* host order */
	u16 vlan_tci;
	u8 has_vlan;
	u8 has_ip;
	u8 has_inner;
	u8 has_encap;
	u8 has_l4_hash;
	u32 l4_hash;
	struct rvnet_ip_keys ip;
	struct rvnet_ip_keys inner;
	struct rvnet_ip_keys encap;
};

void rvnet_flow_dissector_init(void);
void rvnet_skb_flow_keys(const struct sk_buff *skb, unsigned int what,
			 struct rvnet_flow_keys *k);

#endif /* RVNET_FLOW_H */
