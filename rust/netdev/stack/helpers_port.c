// SPDX-License-Identifier: GPL-2.0
/*
 * Masters of lower devices (include/rvnet_port.h): rx_handler data, skb
 * sharing, upper/lower links, slave flags and lower-device addressing.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ethtool.h>
#include <linux/mii.h>
#include <linux/rtnetlink.h>
#include <linux/pkt_sched.h>
#include <generated/utsrelease.h>
#include <net/xdp.h>
#include "../../../include/rvnet_port.h"

void *rvnet_rx_handler_data_rcu(const struct net_device *dev)
{
	return rcu_dereference(dev->rx_handler_data);
}

struct sk_buff *rvnet_skb_share_check(struct sk_buff *skb)
{
	return skb_share_check(skb, GFP_ATOMIC);
}

u8 rvnet_skb_pkt_type(const struct sk_buff *skb)
{
	return skb->pkt_type;
}

/*
 * A new skb holding a whole Ethernet frame for dev (as bonding's
 * ad_lacpdu_send builds one): data at the MAC header, network header after
 * it, protocol from the frame, control priority.
 */
struct sk_buff *rvnet_skb_from_control_frame(struct net_device *dev, const void *frame,
					     unsigned int len)
{
	struct sk_buff *skb;

	if (len < ETH_HLEN)
		return NULL;
	skb = dev_alloc_skb(len);
	if (!skb)
		return NULL;
	skb->dev = dev;
	skb_reset_mac_header(skb);
	skb->network_header = skb->mac_header + ETH_HLEN;
	skb->protocol = ((const struct ethhdr *)frame)->h_proto;
	skb->priority = TC_PRIO_CONTROL;
	skb_put_data(skb, frame, len);
	return skb;
}

int rvnet_dev_mc_add(struct net_device *dev, const u8 *addr)
{
	return dev_mc_add(dev, addr);
}

int rvnet_dev_mc_del(struct net_device *dev, const u8 *addr)
{
	return dev_mc_del(dev, addr);
}

int rvnet_master_upper_dev_link(struct net_device *lower, struct net_device *upper,
				void *upper_priv, void *upper_info,
				struct netlink_ext_ack *extack)
{
	return netdev_master_upper_dev_link(lower, upper, upper_priv, upper_info, extack);
}

/*
 * Sets or clears IFF_SLAVE (as bonding does right after linking; the
 * link's own CHANGEUPPER messages tell user space).
 */
void rvnet_set_slave_flag(struct net_device *dev, bool on)
{
	ASSERT_RTNL();
	if (on)
		dev->flags |= IFF_SLAVE;
	else
		dev->flags &= ~IFF_SLAVE;
}

/*
 * Sets or clears a private flag of a lower device under RTNL (bonding's
 * IFF_BONDING and IFF_NO_ADDRCONF on its slaves).
 */
void rvnet_dev_priv_flag(struct net_device *dev, u64 flag, bool on)
{
	ASSERT_RTNL();
	if (on)
		dev->priv_flags |= flag;
	else
		dev->priv_flags &= ~flag;
}

/* The frame of an xdp_buff: data to data_end. */
const void *rvnet_xdp_frame(const struct xdp_buff *xdp, u32 *len)
{
	*len = xdp->data_end > xdp->data ? xdp->data_end - xdp->data : 0;
	return xdp->data;
}

unsigned char rvnet_addr_assign_type(const struct net_device *dev)
{
	return READ_ONCE(dev->addr_assign_type);
}

unsigned short rvnet_dev_type(const struct net_device *dev)
{
	return dev->type;
}

bool rvnet_dev_has_set_mac(const struct net_device *dev)
{
	return dev->netdev_ops->ndo_set_mac_address;
}

int rvnet_dev_set_mac(struct net_device *dev, const u8 *addr, struct netlink_ext_ack *extack)
{
	struct sockaddr_storage ss;

	ASSERT_RTNL();
	if (dev->addr_len > sizeof(ss.__data))
		return -EINVAL;
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = dev->type;
	memcpy(ss.__data, addr, dev->addr_len);
	return dev_set_mac_address(dev, (struct sockaddr *)&ss, extack);
}

/* @dev takes @from's address (bond_set_dev_addr): NET_ADDR_STOLEN. */
int rvnet_dev_take_addr(struct net_device *dev, const struct net_device *from)
{
	int err;

	ASSERT_RTNL();
	if (dev->addr_len != from->addr_len)
		return -EINVAL;
	err = dev_pre_changeaddr_notify(dev, from->dev_addr, NULL);
	if (err)
		return err;
	__dev_addr_set(dev, from->dev_addr, from->addr_len);
	dev->addr_assign_type = NET_ADDR_STOLEN;
	call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	return 0;
}

/* The hardware address an ndo_set_mac_address call carries. */
const u8 *rvnet_sockaddr_hwaddr(const void *addr)
{
	return ((const struct sockaddr *)addr)->sa_data;
}

/* Stores @mac as @dev's address (what ndo_set_mac_address does). */
void rvnet_eth_hw_addr_set(struct net_device *dev, const u8 *mac)
{
	ASSERT_RTNL();
	eth_hw_addr_set(dev, mac);
}

void rvnet_dev_random_addr(struct net_device *dev)
{
	ASSERT_RTNL();
	eth_hw_addr_random(dev);
	call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
}

/* __dev_set_mtu for a device being unregistered (no notifier can veto). */
int rvnet_dev_set_mtu_force(struct net_device *dev, unsigned int mtu)
{
	ASSERT_RTNL();
	return __dev_set_mtu(dev, mtu);
}

/*
 * As bond_update_speed_duplex(): false when speed or duplex is unknown.
 * The driver's get_link_ksettings may sleep (phylib takes a mutex): say so
 * on every call, so that a call from atomic context or an RCU read-side
 * section is reported by a test kernel (CONFIG_DEBUG_ATOMIC_SLEEP) even
 * when this device's driver happens not to sleep.
 */
bool rvnet_speed_duplex(struct net_device *dev, u32 *speed, u8 *duplex)
{
	struct ethtool_link_ksettings ecmd;

	might_sleep();
	ASSERT_RTNL();
	if (__ethtool_get_link_ksettings(dev, &ecmd) < 0)
		return false;
	if (ecmd.base.speed == 0 || ecmd.base.speed == ((__u32)-1))
		return false;
	if (ecmd.base.duplex != DUPLEX_FULL && ecmd.base.duplex != DUPLEX_HALF)
		return false;
	*speed = ecmd.base.speed;
	*duplex = ecmd.base.duplex;
	return true;
}

/*
 * The link as the device's driver reports it (bond_check_dev_link with
 * use_carrier 0): ethtool get_link first, else the MII ioctls
 * (SIOCGMIIPHY, then SIOCGMIIREG of MII_BMSR: its link status bit; the
 * mii data overlays the ifreq, no user memory). 1 up, 0 down, -1 if
 * neither answers. May sleep (ethtool_op_get_link runs a pending
 * link-watch event, whose dev_deactivate waits for a grace period): said
 * on every call, as in rvnet_speed_duplex.
 */
int rvnet_reported_link(struct net_device *dev)
{
	int (*ioctl)(struct net_device *, struct ifreq *, int);
	struct mii_ioctl_data *mii;
	struct ifreq ifr;

	might_sleep();
	if (dev->ethtool_ops && dev->ethtool_ops->get_link)
		return dev->ethtool_ops->get_link(dev) ? 1 : 0;
	ioctl = dev->netdev_ops->ndo_eth_ioctl;
	if (ioctl) {
		strscpy_pad(ifr.ifr_name, dev->name, IFNAMSIZ);
		mii = if_mii(&ifr);
		if (ioctl(dev, &ifr, SIOCGMIIPHY) == 0) {
			mii->reg_num = MII_BMSR;
			if (ioctl(dev, &ifr, SIOCGMIIREG) == 0)
				return !!(mii->val_out & BMSR_LSTATUS);
		}
	}
	return -1;
}

/*
 * Calls the netdevice notifiers with @event for @dev if it is registered
 * (a device being unregistered, or gone from its notifiers' view, is told
 * nothing, as C's callers only announce their own live device).
 */
void rvnet_netdev_announce(struct net_device *dev, unsigned long event)
{
	ASSERT_RTNL();
	if (dev->reg_state == NETREG_REGISTERED)
		call_netdevice_notifiers(event, dev);
}

/*
 * A LAG lower device's state for its master's listeners
 * (netdev_lower_state_changed: NETDEV_CHANGELOWERSTATE with a
 * netdev_lag_lower_state_info; rtnetlink sends RTM_NEWLINK for @dev).
 */
void rvnet_lag_lower_state_changed(struct net_device *dev, bool link_up, bool tx_enabled)
{
	struct netdev_lag_lower_state_info info = {
		.link_up = link_up,
		.tx_enabled = tx_enabled,
	};

	ASSERT_RTNL();
	netdev_lower_state_changed(dev, &info);
}

/*
 * NETDEV_BONDING_INFO for bonding slave @dev (netdev_bonding_info_change:
 * C bonding's bond_netdev_notify_work, read by mlx4/mlx5): the slave's
 * ifslave (name, link, state, link failure count) and its bond's ifbond
 * (mode, slave count, miimon). slave_id is zero (C leaves it unset).
 */
void rvnet_bonding_info_change(struct net_device *dev, s8 link, s8 state, u32 link_failure_count,
			       s32 bond_mode, s32 num_slaves, s32 miimon)
{
	struct netdev_bonding_info info = {};

	ASSERT_RTNL();
	strscpy(info.slave.slave_name, dev->name, sizeof(info.slave.slave_name));
	info.slave.link = link;
	info.slave.state = state;
	info.slave.link_failure_count = link_failure_count;
	info.master.bond_mode = bond_mode;
	info.master.num_slaves = num_slaves;
	info.master.miimon = miimon;
	netdev_bonding_info_change(dev, &info);
}

/* A link state change of @dev waits for linkwatch (bond_should_notify_peers). */
bool rvnet_linkwatch_pending(const struct net_device *dev)
{
	return test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state);
}

/* netif_is_bond_slave: a slave of some bond, whichever driver serves it. */
bool rvnet_is_bond_slave(const struct net_device *dev)
{
	return netif_is_bond_slave(dev);
}

/* A random locally administered unicast address (eth_random_addr). */
void rvnet_eth_random_addr(u8 *addr)
{
	eth_random_addr(addr);
}

/* The kernel release the module was built for (UTS_RELEASE). */
const char *rvnet_uts_release(void)
{
	return UTS_RELEASE;
}
