/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driver of the kernel's bond_xmit_hash() (appended after the functions
 * extracted from the Linux 6.12 sources): reads one case per line, builds
 * a linear sk_buff around the frame and prints bond_xmit_hash().
 *
 * Input, fields separated by spaces (hex without 0x), as written by
 * tests/common/mod.rs c_line():
 *   policy frame_hex vlan_present vlan_tci l4hash_present l4hash
 *   enc_present enc_addr_type enc_src enc_dst enc_proto enc_frag
 *   enc_l4_present enc_l4 enc_icmp_present enc_type enc_code enc_echo_id
 * enc_addr_type: 0 none, 1 IPv4 (first 4 bytes of src/dst), 2 IPv6, 3 TIPC.
 */

/* What __skb_flow_dissect() found, for the encap policies. */
static struct encap_in {
	int present, addr_type, frag, l4_present, icmp_present;
	u8 src[16], dst[16], l4[4];
	u8 proto, type, code;
	u16 echo_id;
} cur;

/*
 * The flow dissector's result stored as __skb_flow_dissect() stores it
 * with flow_keys_bonding's keys (control, basic, v4/v6 addrs, TIPC, ports,
 * ICMP): addresses by __skb_flow_dissect's IPv4/IPv6/TIPC branches, ports
 * by __skb_flow_dissect_ports(), ICMP by __skb_flow_dissect_icmp(), which
 * calls the kernel's skb_flow_get_icmp_tci() on the ICMP header.
 */
static bool __skb_flow_dissect(const struct net *net, const struct sk_buff *skb,
			       struct flow_dissector *flow_dissector, void *target_container,
			       const void *data, __be16 proto, int nhoff, int hlen,
			       unsigned int flags)
{
	struct flow_keys *fk = target_container;

	(void)net, (void)skb, (void)flow_dissector, (void)data, (void)proto;
	(void)nhoff, (void)hlen, (void)flags;
	if (!cur.present)
		return false;
	switch (cur.addr_type) {
	case 1:
		fk->control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
		memcpy(&fk->addrs.v4addrs.src, cur.src, 4);
		memcpy(&fk->addrs.v4addrs.dst, cur.dst, 4);
		break;
	case 2:
		fk->control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS;
		memcpy(&fk->addrs.v6addrs.src, cur.src, 16);
		memcpy(&fk->addrs.v6addrs.dst, cur.dst, 16);
		break;
	case 3:
		fk->control.addr_type = FLOW_DISSECTOR_KEY_TIPC;
		memcpy(&fk->addrs.tipckey.key, cur.src, 4);
		break;
	}
	fk->basic.ip_proto = cur.proto;
	/* A fragment: FLOW_DIS_IS_FRAGMENT, no L4 keys. */
	if (cur.frag)
		return true;
	if ((cur.proto == IPPROTO_ICMP || cur.proto == IPPROTO_ICMPV6) && cur.icmp_present) {
		u8 hdr[8] = { cur.type, cur.code, 0, 0, cur.echo_id >> 8, cur.echo_id & 0xff };

		skb_flow_get_icmp_tci(NULL, &fk->icmp, hdr, 0, sizeof(hdr));
	}
	if (proto_ports_offset(cur.proto) >= 0 && cur.l4_present)
		memcpy(&fk->ports.ports, cur.l4, 4);
	return true;
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
		struct bonding bond = { .params.xmit_policy = policy };
		struct sk_buff skb = { 0 };
		int hlen = unhex(frame_hex, frame, sizeof(frame));

		if (hlen < 0)
			return 2;
		memset(&cur, 0, sizeof(cur));
		cur.present = ep;
		cur.addr_type = at;
		unhex(src_hex, cur.src, 16);
		unhex(dst_hex, cur.dst, 16);
		cur.proto = proto;
		cur.frag = frag;
		cur.l4_present = l4p;
		unhex(l4_hex, cur.l4, 4);
		cur.icmp_present = ip;
		cur.type = type;
		cur.code = code;
		cur.echo_id = id;

		skb.data = frame;
		skb.len = hlen;
		/* eth_type_trans() on an Ethernet frame: h_proto. */
		if (hlen >= ETH_HLEN)
			memcpy(&skb.protocol, frame + 12, 2);
		skb.network_header = ETH_HLEN;
		skb.vlan_present = vp;
		skb.vlan_tci = tci;
		skb.l4_hash = lhp;
		skb.hash = lh;
		printf("%u\n", bond_xmit_hash(&bond, &skb));
	}
	return 0;
}
