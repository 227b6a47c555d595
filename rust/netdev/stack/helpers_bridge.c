// SPDX-License-Identifier: GPL-2.0
/*
 * The bridge's data path (include/rvnet_bridge.h): reading the Ethernet
 * addresses of a received frame, forwarding to a port as C's
 * __br_forward + br_dev_queue_push_xmit do (without the netfilter hooks),
 * the bridge's own transmit, and the module chain's module name.
 */
#include <linux/etherdevice.h>
#include <linux/if_bridge.h>
#include <linux/if_vlan.h>
#include <linux/compat.h>
#include <linux/module.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>
#include "../../../include/rvnet_bridge.h"

void rvnet_skb_set_pkt_host(struct sk_buff *skb)
{
	skb->pkt_type = PACKET_HOST;
}

/* br_dev_xmit: the MAC header is where data starts; the forwarding path
 * expects data after it, as on receive. */
bool rvnet_skb_pull_eth(struct sk_buff *skb)
{
	if (!pskb_may_pull(skb, ETH_HLEN))
		return false;
	skb_reset_mac_header(skb);
	skb_pull(skb, ETH_HLEN);
	return true;
}

/* __br_forward + br_forward_finish + br_dev_queue_push_xmit, without the
 * bridge netfilter hooks (rvnet has no br_netfilter). */
void rvnet_br_forward(struct sk_buff *skb, struct net_device *to, bool local_orig)
{
	skb->dev = to;
	if (!local_orig) {
		if (skb_warn_if_lro(skb)) {
			kfree_skb(skb);
			return;
		}
		skb_forward_csum(skb);
	} else {
		skb_clear_tstamp(skb);
	}
	skb_push(skb, ETH_HLEN);
	if (!is_skb_forwardable(skb->dev, skb))
		goto drop;
	if (skb->ip_summed == CHECKSUM_PARTIAL && eth_type_vlan(skb->protocol)) {
		int depth;

		if (!vlan_get_protocol_and_depth(skb, skb->protocol, &depth))
			goto drop;
		skb_set_network_header(skb, depth);
	}
	dev_queue_xmit(skb);
	return;
drop:
	kfree_skb(skb);
}

unsigned long rvnet_jiffies_to_clock_t(unsigned long j)
{
	return jiffies_to_clock_t(j);
}

unsigned long rvnet_clock_t_to_jiffies(unsigned long c)
{
	return clock_t_to_jiffies(c);
}

unsigned int rvnet_jiffies_to_msecs(unsigned long j)
{
	return jiffies_to_msecs(j);
}

const char *rvnet_module_name(const void *mod)
{
	return ((const struct module *)mod)->name;
}

int rvnet_dev_set_promiscuity(struct net_device *dev, int inc)
{
	ASSERT_RTNL();
	return dev_set_promiscuity(dev, inc);
}

int rvnet_dev_set_allmulti(struct net_device *dev, int inc)
{
	ASSERT_RTNL();
	return dev_set_allmulti(dev, inc);
}

/* br_stp_change_bridge_id: the address changes, its assignment type does
 * not, listeners hear of it. */
void rvnet_dev_addr_set_notify(struct net_device *dev, const u8 *mac)
{
	ASSERT_RTNL();
	eth_hw_addr_set(dev, mac);
	call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
}

bool rvnet_netif_oper_up(const struct net_device *dev)
{
	return netif_oper_up(dev);
}

bool rvnet_dev_dont_bridge(const struct net_device *dev)
{
	return dev->priv_flags & IFF_DONT_BRIDGE;
}

bool rvnet_dev_is_loopback(const struct net_device *dev)
{
	return dev->flags & IFF_LOOPBACK;
}

/* br_fdb.c fdb_fill_info, from the values the driver computed. */
int rvnet_fdb_fill(struct sk_buff *skb, const struct rvnet_fdb_msg *m, u32 portid, u32 seq,
		   int type, unsigned int flags)
{
	struct nda_cacheinfo ci;
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;

	nlh = nlmsg_put(skb, portid, seq, type, sizeof(*ndm), flags);
	if (!nlh)
		return -EMSGSIZE;
	ndm = nlmsg_data(nlh);
	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_pad1 = 0;
	ndm->ndm_pad2 = 0;
	ndm->ndm_flags = m->ndm_flags;
	ndm->ndm_type = 0;
	ndm->ndm_ifindex = m->ifindex;
	ndm->ndm_state = m->state;
	if (nla_put(skb, NDA_LLADDR, ETH_ALEN, m->addr) ||
	    nla_put_u32(skb, NDA_MASTER, m->master) ||
	    nla_put_u32(skb, NDA_FLAGS_EXT, m->ext_flags))
		goto fail;
	ci.ndm_used = m->used;
	ci.ndm_confirmed = 0;
	ci.ndm_updated = m->updated;
	ci.ndm_refcnt = 0;
	if (nla_put(skb, NDA_CACHEINFO, sizeof(ci), &ci))
		goto fail;
	if (m->vid && nla_put(skb, NDA_VLAN, sizeof(u16), &m->vid))
		goto fail;
	nlmsg_end(skb, nlh);
	return 0;
fail:
	nlmsg_cancel(skb, nlh);
	return -EMSGSIZE;
}

static size_t rvnet_fdb_nlmsg_size(void)
{
	return NLMSG_ALIGN(sizeof(struct ndmsg)) + nla_total_size(ETH_ALEN) +
	       nla_total_size(sizeof(u32)) + nla_total_size(sizeof(u32)) +
	       nla_total_size(sizeof(u16)) + nla_total_size(sizeof(struct nda_cacheinfo)) +
	       nla_total_size(0) + nla_total_size(sizeof(u8));
}

/* br_fdb.c fdb_notify without switchdev: any context (GFP_ATOMIC). */
void rvnet_fdb_notify(struct net *net, const struct rvnet_fdb_msg *m, int type)
{
	struct sk_buff *skb;
	int err = -ENOBUFS;

	skb = nlmsg_new(rvnet_fdb_nlmsg_size(), GFP_ATOMIC);
	if (!skb)
		goto errout;
	err = rvnet_fdb_fill(skb, m, 0, 0, type, 0);
	if (err < 0) {
		kfree_skb(skb);
		goto errout;
	}
	rtnl_notify(skb, net, 0, RTNLGRP_NEIGH, NULL, GFP_ATOMIC);
	return;
errout:
	rtnl_set_sk_err(net, RTNLGRP_NEIGH, err);
}

/* One entry of br_fdb_dump: entries before the resume point are skipped. */
int rvnet_fdb_dump_entry(struct sk_buff *skb, struct netlink_callback *cb, int *idx,
			 const struct rvnet_fdb_msg *m)
{
	int err;

	if (*idx >= cb->args[2]) {
		err = rvnet_fdb_fill(skb, m, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				     RTM_NEWNEIGH, NLM_F_MULTI);
		if (err < 0)
			return err;
	}
	*idx += 1;
	return 0;
}

/* The bridge device's own address lists (br_fdb_dump with no filter). */
int rvnet_fdb_dflt_dump(struct sk_buff *skb, struct netlink_callback *cb,
			struct net_device *dev, int *idx)
{
	return ndo_dflt_fdb_dump(skb, cb, dev, NULL, idx);
}

bool rvnet_nda_flags_ext(struct nlattr **tb, u32 *out)
{
	if (!tb[NDA_FLAGS_EXT])
		return false;
	*out = nla_get_u32(tb[NDA_FLAGS_EXT]);
	return true;
}

void rvnet_dev_bridge_port_flag(struct net_device *dev, bool on)
{
	ASSERT_RTNL();
	if (on)
		dev->priv_flags |= IFF_BRIDGE_PORT;
	else
		dev->priv_flags &= ~IFF_BRIDGE_PORT;
}

/* br_fill_ifinfo up to IFLA_PROTINFO: header, name, master, MTU,
 * operstate, address, link. */
struct nlmsghdr *rvnet_br_ifinfo_begin(struct sk_buff *skb, u32 pid, u32 seq, int event,
				       unsigned int flags, const struct net_device *dev,
				       int master_ifindex)
{
	u8 operstate = netif_running(dev) ? READ_ONCE(dev->operstate) : IF_OPER_DOWN;
	struct ifinfomsg *hdr;
	struct nlmsghdr *nlh;

	nlh = nlmsg_put(skb, pid, seq, event, sizeof(*hdr), flags);
	if (!nlh)
		return NULL;
	hdr = nlmsg_data(nlh);
	hdr->ifi_family = AF_BRIDGE;
	hdr->__ifi_pad = 0;
	hdr->ifi_type = dev->type;
	hdr->ifi_index = dev->ifindex;
	hdr->ifi_flags = dev_get_flags(dev);
	hdr->ifi_change = 0;
	if (nla_put_string(skb, IFLA_IFNAME, dev->name) ||
	    nla_put_u32(skb, IFLA_MASTER, master_ifindex) ||
	    nla_put_u32(skb, IFLA_MTU, dev->mtu) ||
	    nla_put_u8(skb, IFLA_OPERSTATE, operstate) ||
	    (dev->addr_len && nla_put(skb, IFLA_ADDRESS, dev->addr_len, dev->dev_addr)) ||
	    (dev->ifindex != dev_get_iflink(dev) &&
	     nla_put_u32(skb, IFLA_LINK, dev_get_iflink(dev)))) {
		nlmsg_cancel(skb, nlh);
		return NULL;
	}
	return nlh;
}

void rvnet_nlmsg_end(struct sk_buff *skb, struct nlmsghdr *nlh)
{
	nlmsg_end(skb, nlh);
}

void rvnet_nlmsg_cancel(struct sk_buff *skb, struct nlmsghdr *nlh)
{
	nlmsg_cancel(skb, nlh);
}

struct nlattr *rvnet_nla_nest_start_flag(struct sk_buff *skb, int type)
{
	return nla_nest_start(skb, type);
}

/* br_nlmsg_size, without the multicast attributes of this build: an
 * upper bound for one link message with port attributes and VLAN 1. */
struct sk_buff *rvnet_br_ifinfo_alloc(void)
{
	size_t size = NLMSG_ALIGN(sizeof(struct ifinfomsg)) + nla_total_size(IFNAMSIZ) +
		      nla_total_size(MAX_ADDR_LEN) + 3 * nla_total_size(4) +
		      nla_total_size(1) + nla_total_size(0) + 512 + 64;

	return nlmsg_new(size, GFP_ATOMIC);
}

void rvnet_br_ifinfo_send(struct sk_buff *skb, struct net *net)
{
	rtnl_notify(skb, net, 0, RTNLGRP_LINK, NULL, GFP_ATOMIC);
}

void rvnet_br_ifinfo_error(struct net *net, int err)
{
	rtnl_set_sk_err(net, RTNLGRP_LINK, err);
}

struct nlattr *rvnet_ifinfo_attr(const struct nlmsghdr *nlh, int type)
{
	return nlmsg_find_attr(nlh, sizeof(struct ifinfomsg), type);
}

int rvnet_nla_parse_nested(struct nlattr **tb, int maxtype, const struct nlattr *nla)
{
	return nla_parse_nested_deprecated(tb, maxtype, nla, NULL, NULL);
}

bool rvnet_nla_is_nested(const struct nlattr *nla)
{
	return nla->nla_type & NLA_F_NESTED;
}

/* The bridge ioctls (rust/netdev/stack/bridge_ioctl.rs). */
void rvnet_brioctl_set(int (*hook)(struct net *net, unsigned int cmd, void __user *uarg))
{
	brioctl_set(hook);
}

/* SIOCBRADDIF/SIOCBRDELIF: the bridge's name (cut at ':', as
 * br_ioctl_stub) and the port's ifindex from the user's ifreq. */
int rvnet_bridge_ifreq(void __user *uarg, char *name, int *ifindex)
{
	struct ifreq ifr;
	void __user *data;
	char *colon;

	if (get_user_ifreq(&ifr, &data, uarg))
		return -EFAULT;
	ifr.ifr_name[IFNAMSIZ - 1] = 0;
	colon = strchr(ifr.ifr_name, ':');
	if (colon)
		*colon = 0;
	memcpy(name, ifr.ifr_name, IFNAMSIZ);
	*ifindex = ifr.ifr_ifindex;
	return 0;
}

bool rvnet_netif_device_present(const struct net_device *dev)
{
	return netif_device_present(dev);
}

/* br_dev_read_uargs: the unsigned long[nr] (2 <= nr <= 4) of a legacy
 * bridge command, from a 32-bit caller too; args[1] is then a user
 * pointer (compat_ptr for a 32-bit caller). */
int rvnet_read_uargs(void __user *data, u64 *args, unsigned int nr)
{
	unsigned int i;

	if (nr < 2 || nr > 4)
		return -EINVAL;
	if (in_compat_syscall()) {
		unsigned int cargs[4];

		if (copy_from_user(cargs, data, nr * sizeof(*cargs)))
			return -EFAULT;
		for (i = 0; i < nr; ++i)
			args[i] = cargs[i];
		args[1] = (u64)(unsigned long)compat_ptr(cargs[1]);
	} else {
		unsigned long nargs[4];

		if (copy_from_user(nargs, data, nr * sizeof(*nargs)))
			return -EFAULT;
		for (i = 0; i < nr; ++i)
			args[i] = nargs[i];
	}
	return 0;
}
