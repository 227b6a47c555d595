// SPDX-License-Identifier: GPL-2.0
/*
 * Standalone re-implementation of the Linux 6.12 bonding transmit hash
 * (drivers/net/bonding/bond_main.c) on plain buffers, used to generate
 * reference vectors for the Rust `txsel::hash` module.
 *
 * It works on *raw Ethernet frames* for the layer2, layer2+3, layer3+4 and
 * vlan+srcmac policies, parsing the headers with the kernel's own struct
 * layouts and the same bounds checks as the kernel functions named in the
 * comments, so it also checks the contract of txsel's FlowKeys (what the
 * kernel side must extract). For encap2+3/encap3+4 the result of
 * __skb_flow_dissect() is given field by field and stored into a
 * struct flow_keys image, as the dissector would.
 *
 * Input, one case per line, fields separated by spaces (hex without 0x):
 *   policy frame_hex vlan_present vlan_tci l4hash_present l4hash
 *   enc_present enc_addr_type enc_src32 enc_dst32 enc_proto enc_frag
 *   enc_l4_present enc_l4 enc_icmp_present enc_type enc_code enc_echo_id
 * enc_addr_type: 0 none, 1 IPv4 (first 4 bytes of src/dst), 2 IPv6, 3 TIPC.
 * Output: the 32-bit hash in decimal, one line per case.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

/* ntohs()/htons() without libc network headers */
static u16 ntohs(u16 v)
{
	u8 b[2];

	memcpy(b, &v, 2);
	return (u16)(b[0] << 8 | b[1]);
}

static u16 htons(u16 v)
{
	u8 b[2] = { (u8)(v >> 8), (u8)v };
	u16 r;

	memcpy(&r, b, 2);
	return r;
}

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_DCCP 33
#define IPPROTO_ESP 50
#define IPPROTO_AH 51
#define IPPROTO_ICMPV6 58
#define IPPROTO_SCTP 132
#define IPPROTO_UDPLITE 136
#define IP_MF 0x2000
#define IP_OFFSET 0x1FFF

/* include/uapi/linux/if_bonding.h */
#define BOND_XMIT_POLICY_LAYER2 0
#define BOND_XMIT_POLICY_LAYER34 1
#define BOND_XMIT_POLICY_LAYER23 2
#define BOND_XMIT_POLICY_ENCAP23 3
#define BOND_XMIT_POLICY_ENCAP34 4
#define BOND_XMIT_POLICY_VLAN_SRCMAC 5

/* FLOW_DISSECTOR_KEY_* address types */
#define ADDR_NONE 0
#define ADDR_V4 1
#define ADDR_V6 2
#define ADDR_TIPC 3

struct ethhdr {
	u8 h_dest[6];
	u8 h_source[6];
	u16 h_proto; /* __be16 */
} __attribute__((packed));

struct iphdr {
	u8 ihl_version; /* ihl is the low nibble of the first byte */
	u8 tos;
	u16 tot_len;
	u16 id;
	u16 frag_off; /* __be16 */
	u8 ttl;
	u8 protocol;
	u16 check;
	u32 saddr; /* __be32 */
	u32 daddr;
};

struct ipv6hdr {
	u8 vtc;
	u8 flow_lbl[3];
	u16 payload_len;
	u8 nexthdr;
	u8 hop_limit;
	u8 saddr[16];
	u8 daddr[16];
};

struct icmphdr {
	u8 type;
	u8 code;
	u16 checksum;
	u16 echo_id; /* __be16 un.echo.id */
	u16 echo_sequence;
};

/* The parts of struct flow_keys (include/net/flow_dissector.h) used. */
struct flow_keys {
	u16 addr_type;
	union {
		struct {
			u32 src, dst;
		} v4addrs;
		struct {
			u8 src[16], dst[16];
		} v6addrs;
		struct {
			u32 key;
		} tipckey;
	} addrs;
	u32 ports; /* __be32 ports.ports: src port then dst port in memory */
	struct {
		u8 type;
		u8 code;
		u16 id;
	} icmp; /* struct flow_dissector_key_icmp */
};

/* The encap dissector result given on the input line. */
struct encap_in {
	int present, addr_type, frag, l4_present, icmp_present;
	u8 src[16], dst[16], l4[4];
	u8 proto, type, code;
	u16 echo_id;
};

/* bond_pull_data() with skb == NULL: only the linear buffer. */
static const u8 *bond_pull_data(const u8 *data, int hlen, int n)
{
	return n <= hlen ? data : NULL;
}

/* proto_ports_offset(), include/linux/in.h */
static int proto_ports_offset(int proto)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_DCCP:
	case IPPROTO_ESP:
	case IPPROTO_SCTP:
	case IPPROTO_UDPLITE:
		return 0;
	case IPPROTO_AH:
		return 4;
	default:
		return -1;
	}
}

/* __skb_flow_get_ports(), net/core/flow_dissector.c */
static u32 skb_flow_get_ports(int thoff, u8 ip_proto, const u8 *data, int hlen)
{
	int poff = proto_ports_offset(ip_proto);
	u32 ports;

	if (poff >= 0 && thoff + poff + 4 <= hlen) {
		memcpy(&ports, data + thoff + poff, sizeof(ports));
		return ports;
	}
	return 0;
}

/* icmp_has_id(), net/core/flow_dissector.c */
static int icmp_has_id(u8 type)
{
	switch (type) {
	case 8: /* ICMP_ECHO */
	case 0: /* ICMP_ECHOREPLY */
	case 13: /* ICMP_TIMESTAMP */
	case 14: /* ICMP_TIMESTAMPREPLY */
	case 128: /* ICMPV6_ECHO_REQUEST */
	case 129: /* ICMPV6_ECHO_REPLY */
		return 1;
	}
	return 0;
}

/* icmp_is_err(), include/linux/icmp.h */
static int icmp_is_err(int type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/* icmpv6_is_err(), include/linux/icmpv6.h */
static int icmpv6_is_err(int type)
{
	return type >= 1 && type <= 4;
}

/* skb_flow_get_icmp_tci(), net/core/flow_dissector.c */
static void skb_flow_get_icmp_tci(struct flow_keys *fk, const u8 *data, int thoff, int hlen)
{
	struct icmphdr ih;

	if (thoff + (int)sizeof(ih) > hlen)
		return;
	memcpy(&ih, data + thoff, sizeof(ih));
	fk->icmp.type = ih.type;
	fk->icmp.code = ih.code;
	if (icmp_has_id(ih.type))
		fk->icmp.id = ih.echo_id ? ntohs(ih.echo_id) : 1;
	else
		fk->icmp.id = 0;
}

/* bond_eth_hash() */
static u32 bond_eth_hash(const u8 *data, int mhoff, int hlen)
{
	struct ethhdr ep;

	data = bond_pull_data(data, hlen, mhoff + sizeof(struct ethhdr));
	if (!data)
		return 0;
	memcpy(&ep, data + mhoff, sizeof(ep));
	return ep.h_dest[5] ^ ep.h_source[5] ^ ntohs(ep.h_proto);
}

/* bond_flow_ip() */
static int bond_flow_ip(struct flow_keys *fk, const u8 *data, int hlen, u16 l2_proto,
			int *nhoff, int *ip_proto, int l34)
{
	if (l2_proto == ETH_P_IP) {
		struct iphdr iph;

		data = bond_pull_data(data, hlen, *nhoff + sizeof(iph));
		if (!data)
			return 0;
		memcpy(&iph, data + *nhoff, sizeof(iph));
		/* iph_to_flow_copy_v4addrs() */
		fk->addr_type = ADDR_V4;
		fk->addrs.v4addrs.src = iph.saddr;
		fk->addrs.v4addrs.dst = iph.daddr;
		*nhoff += (iph.ihl_version & 0xf) << 2;
		/* ip_is_fragment() */
		if (!(iph.frag_off & htons(IP_MF | IP_OFFSET)))
			*ip_proto = iph.protocol;
	} else if (l2_proto == ETH_P_IPV6) {
		struct ipv6hdr iph6;

		data = bond_pull_data(data, hlen, *nhoff + sizeof(iph6));
		if (!data)
			return 0;
		memcpy(&iph6, data + *nhoff, sizeof(iph6));
		/* iph_to_flow_copy_v6addrs() */
		fk->addr_type = ADDR_V6;
		memcpy(fk->addrs.v6addrs.src, iph6.saddr, 16);
		memcpy(fk->addrs.v6addrs.dst, iph6.daddr, 16);
		*nhoff += sizeof(iph6);
		*ip_proto = iph6.nexthdr;
	} else {
		return 0;
	}

	if (l34 && *ip_proto >= 0)
		fk->ports = skb_flow_get_ports(*nhoff, *ip_proto, data, hlen);
	return 1;
}

/* __skb_flow_dissect() stand-in for the encap policies: the dissector's
 * result is an input, stored as the dissector stores it (a fragment stops
 * it before the transport header: no ICMP, no ports).
 */
static int encap_dissect(struct flow_keys *fk, const struct encap_in *e)
{
	if (!e->present)
		return 0;
	fk->addr_type = e->addr_type;
	if (e->addr_type == ADDR_V4) {
		memcpy(&fk->addrs.v4addrs.src, e->src, 4);
		memcpy(&fk->addrs.v4addrs.dst, e->dst, 4);
	} else if (e->addr_type == ADDR_V6) {
		memcpy(fk->addrs.v6addrs.src, e->src, 16);
		memcpy(fk->addrs.v6addrs.dst, e->dst, 16);
	} else if (e->addr_type == ADDR_TIPC) {
		memcpy(&fk->addrs.tipckey.key, e->src, 4);
	}
	if (e->frag)
		return 1;
	if ((e->proto == IPPROTO_ICMP || e->proto == IPPROTO_ICMPV6) && e->icmp_present) {
		/* __skb_flow_dissect_icmp() -> skb_flow_get_icmp_tci() */
		u8 hdr[8] = { e->type, e->code, 0, 0 };
		u16 id = htons(e->echo_id);

		memcpy(hdr + 4, &id, 2);
		skb_flow_get_icmp_tci(fk, hdr, 0, sizeof(hdr));
	}
	/* __skb_flow_dissect_ports() */
	if (proto_ports_offset(e->proto) >= 0 && e->l4_present)
		memcpy(&fk->ports, e->l4, 4);
	return 1;
}

/* bond_flow_dissect() */
static int bond_flow_dissect(int policy, const u8 *data, u16 l2_proto, int nhoff, int hlen,
			     struct flow_keys *fk, const struct encap_in *e)
{
	int l34 = policy == BOND_XMIT_POLICY_LAYER34;
	int ip_proto = -1;

	switch (policy) {
	case BOND_XMIT_POLICY_ENCAP23:
	case BOND_XMIT_POLICY_ENCAP34:
		memset(fk, 0, sizeof(*fk));
		return encap_dissect(fk, e);
	default:
		break;
	}

	fk->ports = 0;
	memset(&fk->icmp, 0, sizeof(fk->icmp));
	if (!bond_flow_ip(fk, data, hlen, l2_proto, &nhoff, &ip_proto, l34))
		return 0;

	if (ip_proto == IPPROTO_ICMP || ip_proto == IPPROTO_ICMPV6) {
		skb_flow_get_icmp_tci(fk, data, nhoff, hlen);
		if (ip_proto == IPPROTO_ICMP) {
			if (!icmp_is_err(fk->icmp.type))
				return 1;
			nhoff += 8; /* sizeof(struct icmphdr) */
		} else {
			if (!icmpv6_is_err(fk->icmp.type))
				return 1;
			nhoff += 8; /* sizeof(struct icmp6hdr) */
		}
		return bond_flow_ip(fk, data, hlen, l2_proto, &nhoff, &ip_proto, l34);
	}
	return 1;
}

/* ipv6_addr_hash(), include/net/ipv6.h, 64-bit unaligned-access variant */
static u32 ipv6_addr_hash(const u8 *a)
{
#if __SIZEOF_LONG__ == 8
	unsigned long ul[2], x;

	memcpy(ul, a, 16);
	x = ul[0] ^ ul[1];
	return (u32)(x ^ (x >> 32));
#else
	u32 w[4];

	memcpy(w, a, 16);
	return w[0] ^ w[1] ^ w[2] ^ w[3];
#endif
}

/* flow_get_u32_src(), net/core/flow_dissector.c */
static u32 flow_get_u32_src(const struct flow_keys *flow)
{
	switch (flow->addr_type) {
	case ADDR_V4:
		return flow->addrs.v4addrs.src;
	case ADDR_V6:
		return ipv6_addr_hash(flow->addrs.v6addrs.src);
	case ADDR_TIPC:
		return flow->addrs.tipckey.key;
	default:
		return 0;
	}
}

/* flow_get_u32_dst(), net/core/flow_dissector.c */
static u32 flow_get_u32_dst(const struct flow_keys *flow)
{
	switch (flow->addr_type) {
	case ADDR_V4:
		return flow->addrs.v4addrs.dst;
	case ADDR_V6:
		return ipv6_addr_hash(flow->addrs.v6addrs.dst);
	default:
		return 0;
	}
}

/* bond_vlan_srcmac_hash() */
static u32 bond_vlan_srcmac_hash(const u8 *data, int mhoff, int hlen, int vlan_present,
				 u16 vlan_tci)
{
	u32 srcmac_vendor = 0, srcmac_dev = 0;
	struct ethhdr mac_hdr;
	u16 vlan = 0;
	int i;

	data = bond_pull_data(data, hlen, mhoff + sizeof(struct ethhdr));
	if (!data)
		return 0;
	memcpy(&mac_hdr, data + mhoff, sizeof(mac_hdr));
	for (i = 0; i < 3; i++)
		srcmac_vendor = (srcmac_vendor << 8) | mac_hdr.h_source[i];
	for (i = 3; i < 6; i++)
		srcmac_dev = (srcmac_dev << 8) | mac_hdr.h_source[i];
	if (vlan_present)
		vlan = vlan_tci;
	return vlan ^ srcmac_vendor ^ srcmac_dev;
}

/* bond_ip_hash() */
static u32 bond_ip_hash(u32 hash, struct flow_keys *flow, int xmit_policy)
{
	hash ^= flow_get_u32_dst(flow) ^ flow_get_u32_src(flow);
	hash ^= (hash >> 16);
	hash ^= (hash >> 8);
	if (xmit_policy == BOND_XMIT_POLICY_LAYER34 || xmit_policy == BOND_XMIT_POLICY_ENCAP34)
		return hash >> 1;
	return hash;
}

/* __bond_xmit_hash() */
static u32 __bond_xmit_hash(int policy, const u8 *data, u16 l2_proto, int mhoff, int nhoff,
			    int hlen, int vlan_present, u16 vlan_tci, const struct encap_in *e)
{
	struct flow_keys flow;
	u32 hash;

	memset(&flow, 0xa5, sizeof(flow)); /* stack garbage, as in C */
	if (policy == BOND_XMIT_POLICY_VLAN_SRCMAC)
		return bond_vlan_srcmac_hash(data, mhoff, hlen, vlan_present, vlan_tci);

	if (policy == BOND_XMIT_POLICY_LAYER2 ||
	    !bond_flow_dissect(policy, data, l2_proto, nhoff, hlen, &flow, e))
		return bond_eth_hash(data, mhoff, hlen);

	if (policy == BOND_XMIT_POLICY_LAYER23 || policy == BOND_XMIT_POLICY_ENCAP23) {
		hash = bond_eth_hash(data, mhoff, hlen);
	} else {
		if (flow.icmp.id)
			memcpy(&hash, &flow.icmp, sizeof(hash));
		else
			memcpy(&hash, &flow.ports, sizeof(hash));
	}
	return bond_ip_hash(hash, &flow, policy);
}

/* bond_xmit_hash() */
static u32 bond_xmit_hash(int policy, const u8 *data, int hlen, int vlan_present, u16 vlan_tci,
			  int l4_hash_present, u32 l4_hash, const struct encap_in *e)
{
	u16 proto = 0;

	if (policy == BOND_XMIT_POLICY_ENCAP34 && l4_hash_present)
		return l4_hash;
	if (hlen >= 14)
		proto = (u16)(data[12] << 8 | data[13]); /* skb->protocol */
	return __bond_xmit_hash(policy, data, proto, 0, 14, hlen, vlan_present, vlan_tci, e);
}

static int unhex(const char *s, u8 *out, int max)
{
	int n = 0;

	if (s[0] == '-')
		return 0;
	while (s[0] && s[1] && n < max) {
		unsigned int b;

		if (sscanf(s, "%2x", &b) != 1)
			return -1;
		out[n++] = (u8)b;
		s += 2;
	}
	return n;
}

int main(void)
{
	static char frame_hex[8192], src_hex[64], dst_hex[64], l4_hex[16];
	static u8 frame[4096];
	unsigned int policy, vp, tci, lhp, lh, ep, at, proto, frag, l4p, ip, type, code, id;

	while (scanf("%u %8191s %x %x %x %x %x %x %63s %63s %x %x %x %15s %x %x %x %x", &policy,
		     frame_hex, &vp, &tci, &lhp, &lh, &ep, &at, src_hex, dst_hex, &proto, &frag,
		     &l4p, l4_hex, &ip, &type, &code, &id) == 18) {
		struct encap_in e = { 0 };
		int hlen = unhex(frame_hex, frame, sizeof(frame));

		if (hlen < 0)
			return 2;
		e.present = ep;
		e.addr_type = at;
		unhex(src_hex, e.src, 16);
		unhex(dst_hex, e.dst, 16);
		e.proto = proto;
		e.frag = frag;
		e.l4_present = l4p;
		unhex(l4_hex, e.l4, 4);
		e.icmp_present = ip;
		e.type = type;
		e.code = code;
		e.echo_id = id;
		printf("%u\n", bond_xmit_hash(policy, frame, hlen, vp, tci, lhp, lh, &e));
	}
	return 0;
}
