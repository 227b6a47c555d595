/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the kernel's header definitions (struct flow_keys, ...) and its
 * functions: the parts of struct bonding the hash reads, and the flow
 * dissector entry point, which is NOT the kernel's: __skb_flow_dissect()
 * (net/core/flow_dissector.c) is too entangled (BPF hooks, net
 * namespaces, MPLS/PPPoE/TIPC/GRE parsers, RCU) to be extracted and built
 * here. For the encap policies, main.c stores the dissector's result given
 * on the input line into the kernel's own struct flow_keys layout.
 */
struct flow_dissector;

static struct flow_dissector *const flow_keys_bonding_ptr;
#define flow_keys_bonding (*flow_keys_bonding_ptr)

struct bonding {
	struct net_device *dev;
	struct {
		int xmit_policy;
	} params;
};

static inline struct net *dev_net(const struct net_device *dev)
{
	(void)dev;
	return NULL;
}

static bool __skb_flow_dissect(const struct net *net, const struct sk_buff *skb,
			       struct flow_dissector *flow_dissector, void *target_container,
			       const void *data, __be16 proto, int nhoff, int hlen,
			       unsigned int flags);
