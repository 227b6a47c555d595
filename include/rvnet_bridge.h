/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers for the bridge's data path (forwarding a frame to a
 * port, the bridge's own transmit) and for module vetoes.
 * Defined in rust/netdev/stack/helpers_bridge.c.
 */
#ifndef RVNET_BRIDGE_H
#define RVNET_BRIDGE_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

void rvnet_skb_set_pkt_host(struct sk_buff *skb);
bool rvnet_skb_pull_eth(struct sk_buff *skb);
void rvnet_br_forward(struct sk_buff *skb, struct net_device *to, bool local_orig);
unsigned long rvnet_jiffies_to_clock_t(unsigned long j);
unsigned long rvnet_clock_t_to_jiffies(unsigned long c);
unsigned int rvnet_jiffies_to_msecs(unsigned long j);
const char *rvnet_module_name(const void *mod);
int rvnet_dev_set_promiscuity(struct net_device *dev, int inc);
int rvnet_dev_set_allmulti(struct net_device *dev, int inc);
void rvnet_dev_addr_set_notify(struct net_device *dev, const u8 *mac);
bool rvnet_netif_oper_up(const struct net_device *dev);
bool rvnet_dev_dont_bridge(const struct net_device *dev);
bool rvnet_dev_is_loopback(const struct net_device *dev);

/* FDB entries as netlink neighbour messages (AF_BRIDGE RTM_NEWNEIGH) */
struct netlink_callback;
struct rvnet_fdb_msg {
	u8 addr[6];
	u16 vid;
	u16 state;
	u8 ndm_flags;
	int ifindex;
	int master;
	u32 ext_flags;
	u32 used;
	u32 updated;
};
int rvnet_fdb_fill(struct sk_buff *skb, const struct rvnet_fdb_msg *m, u32 portid, u32 seq,
		   int type, unsigned int flags);
void rvnet_fdb_notify(struct net *net, const struct rvnet_fdb_msg *m, int type);
int rvnet_fdb_dump_entry(struct sk_buff *skb, struct netlink_callback *cb, int *idx,
			 const struct rvnet_fdb_msg *m);
int rvnet_fdb_dflt_dump(struct sk_buff *skb, struct netlink_callback *cb,
			struct net_device *dev, int *idx);
bool rvnet_nda_flags_ext(struct nlattr **tb, u32 *out);
void rvnet_dev_bridge_port_flag(struct net_device *dev, bool on);

/* AF_BRIDGE link messages (br_fill_ifinfo, br_ifinfo_notify) */
struct nlmsghdr *rvnet_br_ifinfo_begin(struct sk_buff *skb, u32 pid, u32 seq, int event,
				       unsigned int flags, const struct net_device *dev,
				       int master_ifindex);
void rvnet_nlmsg_end(struct sk_buff *skb, struct nlmsghdr *nlh);
void rvnet_nlmsg_cancel(struct sk_buff *skb, struct nlmsghdr *nlh);
struct nlattr *rvnet_nla_nest_start_flag(struct sk_buff *skb, int type);
struct sk_buff *rvnet_br_ifinfo_alloc(void);
void rvnet_br_ifinfo_send(struct sk_buff *skb, struct net *net);
void rvnet_br_ifinfo_error(struct net *net, int err);
struct nlattr *rvnet_ifinfo_attr(const struct nlmsghdr *nlh, int type);
int rvnet_nla_parse_nested(struct nlattr **tb, int maxtype, const struct nlattr *nla);
bool rvnet_nla_is_nested(const struct nlattr *nla);

/* The bridge ioctls */
void rvnet_brioctl_set(int (*hook)(struct net *net, unsigned int cmd, void __user *uarg));
int rvnet_bridge_ifreq(void __user *uarg, char *name, int *ifindex);
bool rvnet_netif_device_present(const struct net_device *dev);
int rvnet_read_uargs(void __user *data, u64 *args, unsigned int nr);

#endif /* RVNET_BRIDGE_H */
