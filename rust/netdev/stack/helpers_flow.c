// SPDX-License-Identifier: GPL-2.0
/*
 * Flow keys for the bonding transmit hashes (include/rvnet_flow.h). Reads
 * the same bytes as drivers/net/bonding/bond_main.c (bond_eth_hash,
 * bond_vlan_srcmac_hash, bond_flow_ip, skb_flow_get_icmp_tci,
 * __skb_flow_dissect with the bonding key set); the hash arithmetic itself
 * is done in Rust by rust/txsel. Nothing is allocated; headers outside the
 * linear area are copied to the stack (skb_header_pointer).
 */
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/if_vlan.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/mutex.h>
#include <net/flow_dissector.h>
#include <net/ip.h>
#include "../../../include/rvnet_flow.h"

/* The key set bonding registers as flow_keys_bonding. */
static const struct flow_dissector_key rvnet_bond_dissector_keys[] = {
	{ FLOW_DISSECTOR_KEY_CONTROL, offsetof(struct flow_keys, control) },
	{ FLOW_DISSECTOR_KEY_BASIC, offsetof(struct flow_keys, basic) },
	{ FLOW_DISSECTOR_KEY_IPV4_ADDRS, offsetof(struct flow_keys, addrs.v4addrs) },
	{ FLOW_DISSECTOR_KEY_IPV6_ADDRS, offsetof(struct flow_keys, addrs.v6addrs) },
	{ FLOW_DISSECTOR_KEY_TIPC, offsetof(struct flow_keys, addrs.tipckey) },
	{ FLOW_DISSECTOR_KEY_PORTS, offsetof(struct flow_keys, ports) },
	{ FLOW_DISSECTOR_KEY_ICMP, offsetof(struct flow_keys, icmp) },
	{ FLOW_DISSECTOR_KEY_VLAN, offsetof(struct flow_keys, vlan) },
	{ FLOW_DISSECTOR_KEY_FLOW_LABEL, offsetof(struct flow_keys, tags) },
	{ FLOW_DISSECTOR_KEY_GRE_KEYID, offsetof(struct flow_keys, keyid) },
};

static struct flow_dissector rvnet_bond_dissector __read_mostly;
static bool rvnet_bond_dissector_ready;
static DEFINE_MUTEX(rvnet_bond_dissector_lock);

/* Idempotent; process context. Readers only run after one call returned. */
void rvnet_flow_dissector_init(void)
{
	mutex_lock(&rvnet_bond_dissector_lock);
	if (!rvnet_bond_dissector_ready) {
		skb_flow_dissector_init(&rvnet_bond_dissector, rvnet_bond_dissector_keys,
					ARRAY_SIZE(rvnet_bond_dissector_keys));
		smp_store_release(&rvnet_bond_dissector_ready, true);
	}
	mutex_unlock(&rvnet_bond_dissector_lock);
}

/* The ICMP header start (type, code, echo id), 8 bytes as the kernel reads. */
static void rvnet_flow_icmp(const struct sk_buff *skb, int thoff, struct rvnet_ip_keys *k)
{
	struct icmphdr _ih;
	const struct icmphdr *ih = skb_header_pointer(skb, thoff, sizeof(_ih), &_ih);

	if (!ih)
		return;
	k->has_icmp = 1;
	k->icmp_type = ih->type;
	k->icmp_code = ih->code;
	k->icmp_id = ntohs(ih->un.echo.id);
}

/*
 * One IP header at @nhoff as bond_flow_ip() reads it; on success returns
 * the transport offset, else -1.
 */
static int rvnet_flow_ip(const struct sk_buff *skb, __be16 proto, int nhoff, bool l4,
			 struct rvnet_ip_keys *k)
{
	int poff;

	if (proto == htons(ETH_P_IP)) {
		struct iphdr _iph;
		const struct iphdr *iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);

		if (!iph)
			return -1;
		k->family = RVNET_FLOW_AF_V4;
		memcpy(k->src, &iph->saddr, 4);
		memcpy(k->dst, &iph->daddr, 4);
		k->ip_proto = iph->protocol;
		k->is_fragment = ip_is_fragment(iph);
		nhoff += iph->ihl << 2;
	} else if (proto == htons(ETH_P_IPV6)) {
		struct ipv6hdr _iph6;
		const struct ipv6hdr *iph6 = skb_header_pointer(skb, nhoff, sizeof(_iph6), &_iph6);

		if (!iph6)
			return -1;
		k->family = RVNET_FLOW_AF_V6;
		memcpy(k->src, &iph6->saddr, 16);
		memcpy(k->dst, &iph6->daddr, 16);
		k->ip_proto = iph6->nexthdr;
		nhoff += sizeof(*iph6);
	} else {
		return -1;
	}
	poff = proto_ports_offset(k->ip_proto);
	if (l4 && poff >= 0) {
		u8 _p[4];
		const u8 *p = skb_header_pointer(skb, nhoff + poff, sizeof(_p), _p);

		if (p) {
			memcpy(k->l4, p, 4);
			k->has_l4 = 1;
		}
	}
	if (k->ip_proto == IPPROTO_ICMP || k->ip_proto == IPPROTO_ICMPV6)
		rvnet_flow_icmp(skb, nhoff, k);
	return nhoff;
}

static void rvnet_flow_encap(const struct sk_buff *skb, struct rvnet_flow_keys *k)
{
	struct rvnet_ip_keys *e = &k->encap;
	struct flow_keys fk;

	if (!smp_load_acquire(&rvnet_bond_dissector_ready))
		return;
	memset(&fk, 0, sizeof(fk));
	if (!__skb_flow_dissect(NULL, skb, &rvnet_bond_dissector, &fk, skb->data,
				skb->protocol, skb_network_offset(skb), skb_headlen(skb), 0))
		return;
	k->has_encap = 1;
	switch (fk.control.addr_type) {
	case FLOW_DISSECTOR_KEY_IPV4_ADDRS:
		e->family = RVNET_FLOW_AF_V4;
		memcpy(e->src, &fk.addrs.v4addrs.src, 4);
		memcpy(e->dst, &fk.addrs.v4addrs.dst, 4);
		break;
	case FLOW_DISSECTOR_KEY_IPV6_ADDRS:
		e->family = RVNET_FLOW_AF_V6;
		memcpy(e->src, &fk.addrs.v6addrs.src, 16);
		memcpy(e->dst, &fk.addrs.v6addrs.dst, 16);
		break;
	case FLOW_DISSECTOR_KEY_TIPC:
		e->family = RVNET_FLOW_AF_TIPC;
		memcpy(e->src, &fk.addrs.tipckey.key, 4);
		break;
	default:
		e->family = RVNET_FLOW_AF_NONE;
	}
	e->ip_proto = fk.basic.ip_proto;
	e->is_fragment = !!(fk.control.flags & FLOW_DIS_IS_FRAGMENT);
	memcpy(e->l4, &fk.ports.ports, 4);
	e->has_l4 = 1;
	e->has_icmp = 1;
	e->icmp_type = fk.icmp.type;
	e->icmp_code = fk.icmp.code;
	e->icmp_id = fk.icmp.id;
}

void rvnet_skb_flow_keys(const struct sk_buff *skb, unsigned int what, struct rvnet_flow_keys *k)
{
	memset(k, 0, sizeof(*k));
	if (what & RVNET_FLOW_ETH) {
		struct ethhdr _eh;
		const struct ethhdr *eh = skb_header_pointer(skb, 0, sizeof(_eh), &_eh);

		if (eh) {
			memcpy(k->dst_mac, eh->h_dest, ETH_ALEN);
			memcpy(k->src_mac, eh->h_source, ETH_ALEN);
			k->ethertype = ntohs(eh->h_proto);
		}
	}
	if ((what & RVNET_FLOW_VLAN) && skb_vlan_tag_present(skb)) {
		k->has_vlan = 1;
		k->vlan_tci = skb_vlan_tag_get(skb);
	}
	if ((what & RVNET_FLOW_L4HASH) && skb->l4_hash) {
		k->has_l4_hash = 1;
		k->l4_hash = skb->hash;
	}
	if (what & RVNET_FLOW_L3) {
		bool l4 = what & RVNET_FLOW_L4;
		int thoff = rvnet_flow_ip(skb, skb->protocol, skb_network_offset(skb), l4, &k->ip);

		if (thoff >= 0) {
			k->has_ip = 1;
			/* An ICMP error carries the header that caused it. */
			if (k->ip.has_icmp &&
			    rvnet_flow_ip(skb, skb->protocol, thoff + sizeof(struct icmphdr), l4,
					  &k->inner) >= 0)
				k->has_inner = 1;
		}
	}
	if (what & RVNET_FLOW_ENCAP)
		rvnet_flow_encap(skb, k);
}
