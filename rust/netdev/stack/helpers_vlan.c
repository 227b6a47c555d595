// SPDX-License-Identifier: GPL-2.0
/* rvnet C helpers for 802.1Q devices; see include/rvnet_vlan.h. */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/capability.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/rtnetlink.h>
#include <linux/u64_stats_sync.h>
#include "../../../include/rvnet_vlan.h"
/* The VLAN group layout shared with the built-in vlan_core. */
#include <8021q/vlan.h>	/* -I$(srctree)/net, see Kbuild */

int rvnet_vlan_priv_init(struct vlan_dev_priv *vlan, struct net_device *real_dev,
			 __be16 proto, u16 vid, u16 flags)
{
	memset(vlan, 0, sizeof(*vlan));
	vlan->vlan_pcpu_stats = netdev_alloc_pcpu_stats(struct vlan_pcpu_stats);
	if (!vlan->vlan_pcpu_stats)
		return -ENOMEM;
	vlan->vlan_proto = proto;
	vlan->vlan_id = vid;
	vlan->flags = flags;
	vlan->real_dev = real_dev;
	netdev_hold(real_dev, &vlan->dev_tracker, GFP_KERNEL);
	return 0;
}

void rvnet_vlan_priv_release(struct vlan_dev_priv *vlan)
{
	struct vlan_priority_tci_mapping *pm;
	int i;

	for (i = 0; i < ARRAY_SIZE(vlan->egress_priority_map); i++) {
		while ((pm = vlan->egress_priority_map[i]) != NULL) {
			vlan->egress_priority_map[i] = pm->next;
			kfree(pm);
		}
	}
	free_percpu(vlan->vlan_pcpu_stats);
	vlan->vlan_pcpu_stats = NULL;
	if (vlan->real_dev)
		netdev_put(vlan->real_dev, &vlan->dev_tracker);
	vlan->real_dev = NULL;
}

int rvnet_vlan_set_egress(struct vlan_dev_priv *vlan, u32 skb_prio, u16 vlan_prio)
{
	struct vlan_priority_tci_mapping *mp, *np;
	u32 vlan_qos = (vlan_prio << VLAN_PRIO_SHIFT) & VLAN_PRIO_MASK;

	for (mp = vlan->egress_priority_map[skb_prio & 0xF]; mp; mp = mp->next) {
		if (mp->priority == skb_prio) {
			if (mp->vlan_qos && !vlan_qos)
				vlan->nr_egress_mappings--;
			else if (!mp->vlan_qos && vlan_qos)
				vlan->nr_egress_mappings++;
			WRITE_ONCE(mp->vlan_qos, vlan_qos);
			return 0;
		}
	}
	np = kmalloc(sizeof(*np), GFP_KERNEL);
	if (!np)
		return -ENOBUFS;
	np->next = vlan->egress_priority_map[skb_prio & 0xF];
	np->priority = skb_prio;
	np->vlan_qos = vlan_qos;
	/* Publish the fields before the entry (readers: smp_rmb()). */
	smp_wmb();
	vlan->egress_priority_map[skb_prio & 0xF] = np;
	if (vlan_qos)
		vlan->nr_egress_mappings++;
	return 0;
}

void rvnet_vlan_set_ingress(struct vlan_dev_priv *vlan, u32 skb_prio, u16 vlan_prio)
{
	if (vlan->ingress_priority_map[vlan_prio & 0x7] && !skb_prio)
		vlan->nr_ingress_mappings--;
	else if (!vlan->ingress_priority_map[vlan_prio & 0x7] && skb_prio)
		vlan->nr_ingress_mappings++;
	vlan->ingress_priority_map[vlan_prio & 0x7] = skb_prio;
}

u16 rvnet_vlan_egress_qos_mask(const struct vlan_dev_priv *vlan, u32 skb_prio)
{
	struct vlan_priority_tci_mapping *mp;

	smp_rmb(); /* coupled with smp_wmb() in rvnet_vlan_set_egress() */
	for (mp = vlan->egress_priority_map[skb_prio & 0xF]; mp; mp = mp->next) {
		if (mp->priority == skb_prio)
			return READ_ONCE(mp->vlan_qos);
	}
	return 0;
}

unsigned int rvnet_vlan_egress_list(const struct vlan_dev_priv *vlan, u32 *from, u8 *to,
				    unsigned int max, bool all)
{
	struct vlan_priority_tci_mapping *pm;
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(vlan->egress_priority_map); i++) {
		for (pm = vlan->egress_priority_map[i]; pm; pm = pm->next) {
			if ((!all && !pm->vlan_qos) || n >= max)
				continue;
			from[n] = pm->priority;
			to[n] = (pm->vlan_qos >> VLAN_PRIO_SHIFT) & 0x7;
			n++;
		}
	}
	return n;
}

void rvnet_vlan_fold_stats(const struct vlan_dev_priv *vlan, struct rtnl_link_stats64 *s)
{
	u32 rx_errors = 0, tx_dropped = 0;
	int i;

	for_each_possible_cpu(i) {
		u64 rxpackets, rxbytes, rxmulticast, txpackets, txbytes;
		const struct vlan_pcpu_stats *p = per_cpu_ptr(vlan->vlan_pcpu_stats, i);
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&p->syncp);
			rxpackets = u64_stats_read(&p->rx_packets);
			rxbytes = u64_stats_read(&p->rx_bytes);
			rxmulticast = u64_stats_read(&p->rx_multicast);
			txpackets = u64_stats_read(&p->tx_packets);
			txbytes = u64_stats_read(&p->tx_bytes);
		} while (u64_stats_fetch_retry(&p->syncp, start));

		s->rx_packets += rxpackets;
		s->rx_bytes += rxbytes;
		s->multicast += rxmulticast;
		s->tx_packets += txpackets;
		s->tx_bytes += txbytes;
		rx_errors += READ_ONCE(p->rx_errors);
		tx_dropped += READ_ONCE(p->tx_dropped);
	}
	s->rx_errors = rx_errors;
	s->tx_dropped = tx_dropped;
}

int rvnet_vlan_group_prealloc(struct net_device *real_dev, __be16 proto, u16 vid)
{
	struct vlan_info *vi = rtnl_dereference(real_dev->vlan_info);
	struct net_device **array;
	int pidx;

	ASSERT_RTNL();
	if (!vi)
		return -ENODEV;
	pidx = vlan_proto_idx(proto);
	if (pidx < 0)
		return -EINVAL;
	if (vi->grp.vlan_devices_arrays[pidx][vid / VLAN_GROUP_ARRAY_PART_LEN])
		return 0;
	array = kzalloc(sizeof(*array) * VLAN_GROUP_ARRAY_PART_LEN, GFP_KERNEL_ACCOUNT);
	if (!array)
		return -ENOBUFS;
	/* paired with smp_rmb() in __vlan_group_get_device() */
	smp_wmb();
	vi->grp.vlan_devices_arrays[pidx][vid / VLAN_GROUP_ARRAY_PART_LEN] = array;
	return 0;
}

int rvnet_vlan_group_set(struct net_device *real_dev, __be16 proto, u16 vid,
			 struct net_device *vlandev, bool on)
{
	struct vlan_info *vi = rtnl_dereference(real_dev->vlan_info);
	struct net_device *old;
	int pidx;

	ASSERT_RTNL();
	if (!vi || vid >= VLAN_N_VID)
		return -ENOENT;
	pidx = vlan_proto_idx(proto);
	if (pidx < 0 || !vi->grp.vlan_devices_arrays[pidx][vid / VLAN_GROUP_ARRAY_PART_LEN])
		return -ENOENT;	/* no slot: the VID was not added */
	old = vlan_group_get_device(&vi->grp, proto, vid);
	if (on) {
		if (old == vlandev)
			return 0;
		if (old)
			return -EEXIST;	/* another device's VID */
		vlan_group_set_device(&vi->grp, proto, vid, vlandev);
		vi->grp.nr_vlan_devs++;
	} else if (old == vlandev) {
		vlan_group_set_device(&vi->grp, proto, vid, NULL);
		vi->grp.nr_vlan_devs--;
	}
	return 0;
}

struct net_device *rvnet_vlan_group_find(struct net_device *real_dev, __be16 proto, u16 vid)
{
	ASSERT_RTNL();
	return vlan_find_dev(real_dev, proto, vid);
}

u32 rvnet_skb_priority(const struct sk_buff *skb)
{
	return skb->priority;
}

struct net_device *rvnet_netdev_upper_next_rcu(struct net_device *dev, struct list_head **iter)
{
	return netdev_upper_get_next_dev_rcu(dev, iter);
}

bool rvnet_netdev_is_unregistering(const struct net_device *dev)
{
	return dev->reg_state == NETREG_UNREGISTERING;
}

u64 rvnet_netdev_features(const struct net_device *dev)
{
	return READ_ONCE(dev->features);
}

bool rvnet_netif_reduces_vlan_mtu(struct net_device *dev)
{
	return netif_reduces_vlan_mtu(dev);
}

/* What vlan_dev_init() takes from the lower device. */
void rvnet_netdev_inherit_from(struct net_device *dev, struct net_device *real_dev)
{
	if (is_zero_ether_addr(dev->dev_addr)) {
		eth_hw_addr_set(dev, real_dev->dev_addr);
		dev->addr_assign_type = NET_ADDR_STOLEN;
	}
	if (is_zero_ether_addr(dev->broadcast))
		memcpy(dev->broadcast, real_dev->broadcast, dev->addr_len);
	dev->needed_headroom = real_dev->needed_headroom + VLAN_HLEN;
	dev->gso_max_size = real_dev->gso_max_size;
	dev->gso_max_segs = real_dev->gso_max_segs;
	netif_inherit_tso_max(dev, real_dev);
	dev->dev_id = real_dev->dev_id;
	dev->priv_flags |= (real_dev->priv_flags & IFF_XMIT_DST_RELEASE);
	netif_carrier_off(dev);
}

bool rvnet_netdev_addr_equal(const struct net_device *a, const struct net_device *b)
{
	return ether_addr_equal(a->dev_addr, b->dev_addr);
}

void rvnet_vlan_ioctl_set(rvnet_vlan_ioctl_hook_t hook)
{
	vlan_ioctl_set(hook);
}

unsigned long rvnet_copy_from_user(void *to, const void __user *from, unsigned long n)
{
	return copy_from_user(to, from, n);
}

unsigned long rvnet_copy_to_user(void __user *to, const void *from, unsigned long n)
{
	return copy_to_user(to, from, n);
}

bool rvnet_net_admin_capable(const struct net *net)
{
	return ns_capable(net->user_ns, CAP_NET_ADMIN);
}

void rvnet_dev_net_set(struct net_device *dev, struct net *net)
{
	dev_net_set(dev, net);
}

void rvnet_netdev_set_link_ops(struct net_device *dev, const struct rtnl_link_ops *ops)
{
	dev->rtnl_link_ops = ops;
}

unsigned int rvnet_netdev_priv_flags(const struct net_device *dev)
{
	return dev->priv_flags;
}

static bool rvnet_vlan_inherit_address(struct net_device *dev, struct net_device *real)
{
	if (dev->addr_assign_type != NET_ADDR_STOLEN)
		return false;
	eth_hw_addr_set(dev, real->dev_addr);
	call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	return true;
}

/* As 8021q's vlan_sync_address(): follow a lower device's new address. */
void rvnet_vlan_sync_address(struct net_device *vlandev, struct vlan_dev_priv *vlan,
			     struct net_device *real)
{
	if (ether_addr_equal(vlan->real_dev_addr, real->dev_addr))
		return;
	if (rvnet_vlan_inherit_address(vlandev, real))
		goto out;
	if (!ether_addr_equal(vlandev->dev_addr, vlan->real_dev_addr) &&
	    ether_addr_equal(vlandev->dev_addr, real->dev_addr))
		dev_uc_del(real, vlandev->dev_addr);
	if (ether_addr_equal(vlandev->dev_addr, vlan->real_dev_addr) &&
	    !ether_addr_equal(vlandev->dev_addr, real->dev_addr))
		dev_uc_add(real, vlandev->dev_addr);
out:
	ether_addr_copy(vlan->real_dev_addr, real->dev_addr);
}

void rvnet_vlan_note_real_addr(struct vlan_dev_priv *vlan, const struct net_device *real)
{
	ether_addr_copy(vlan->real_dev_addr, real->dev_addr);
}

/* As 8021q's vlan_transfer_features(). */
void rvnet_vlan_transfer_features(struct net_device *vlandev, struct net_device *real)
{
	netif_inherit_tso_max(vlandev, real);
	if (vlan_hw_offload_capable(real->features, vlan_dev_priv(vlandev)->vlan_proto))
		vlandev->hard_header_len = real->hard_header_len;
	else
		vlandev->hard_header_len = real->hard_header_len + VLAN_HLEN;
	netdev_update_features(vlandev);
}

void rvnet_netif_addr_lock_bh(struct net_device *dev)
{
	netif_addr_lock_bh(dev);
}

void rvnet_netif_addr_unlock_bh(struct net_device *dev)
{
	netif_addr_unlock_bh(dev);
}
