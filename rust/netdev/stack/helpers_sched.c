// SPDX-License-Identifier: GPL-2.0
/* rvnet C helpers for qdiscs and direct transmission; see include/rvnet_sched.h. */
#include <linux/if_arp.h>
#include <linux/moduleparam.h>
#include <net/dst.h>
#include <net/neighbour.h>
#include <net/pkt_sched.h>
#include "../../../include/rvnet_sched.h"

struct net_device *rvnet_qdisc_dev(const struct Qdisc *sch)
{
	return qdisc_dev(sch);
}

void *rvnet_qdisc_priv(struct Qdisc *sch)
{
	return qdisc_priv(sch);
}

const struct Qdisc_ops *rvnet_qdisc_ops(const struct Qdisc *sch)
{
	return sch->ops;
}

bool rvnet_qdisc_is_root(const struct Qdisc *sch)
{
	return sch->parent == TC_H_ROOT;
}

int rvnet_qdisc_drop(struct sk_buff *skb, struct Qdisc *sch, struct sk_buff **to_free)
{
	return qdisc_drop(skb, sch, to_free);
}

void rvnet_qdisc_bstats_update(struct Qdisc *sch, const struct sk_buff *skb)
{
	qdisc_bstats_update(sch, skb);
}

void rvnet_qdisc_set_qlen(struct Qdisc *sch, unsigned int qlen)
{
	sch->q.qlen = qlen;
}

int rvnet_register_qdisc(struct Qdisc_ops *ops)
{
	return register_qdisc(ops);
}

void rvnet_unregister_qdisc(struct Qdisc_ops *ops)
{
	unregister_qdisc(ops);
}

struct sk_buff *rvnet_skb_next(const struct sk_buff *skb)
{
	return skb->next;
}

void rvnet_skb_set_next(struct sk_buff *skb, struct sk_buff *next)
{
	skb->next = next;
}

const struct Qdisc *rvnet_txq0_qdisc_sleeping(struct net_device *dev)
{
	return rcu_access_pointer(netdev_get_tx_queue(dev, 0)->qdisc_sleeping);
}

/* Drops what waits in the qdisc of @dev's transmit queue 0 (RTNL held). */
void rvnet_txq0_reset(struct net_device *dev)
{
	dev_reset_queue(dev, netdev_get_tx_queue(dev, 0), NULL);
}

unsigned int rvnet_txq0_qdisc_qlen(struct net_device *dev)
{
	struct Qdisc *q = rcu_dereference_bh(netdev_get_tx_queue(dev, 0)->qdisc);

	return q ? q->q.qlen : 0;
}

/*
 * Hand @skb to @dev's driver on tx queue 0 under the queue's trylock.
 * Returns the driver's code if it completed the skb (dev_xmit_complete:
 * the skb is gone), or NETDEV_TX_BUSY if it did not take it (lock busy,
 * queue stopped or driver busy: the caller still owns @skb).
 */
int rvnet_xmit_direct(struct sk_buff *skb, struct net_device *dev)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	int rc = NETDEV_TX_BUSY;

	/* a stopped device's driver may have freed its rings (ndo_stop) */
	if (!netif_running(dev))
		return NETDEV_TX_BUSY;
	if (!__netif_tx_trylock(txq))
		return NETDEV_TX_BUSY;
	skb->dev = dev;
	if (!netif_xmit_frozen_or_stopped(txq))
		rc = netdev_start_xmit(skb, dev, txq, false);
	__netif_tx_unlock(txq);
	return dev_xmit_complete(rc) ? rc : NETDEV_TX_BUSY;
}

/*
 * Build @dev's link-layer header for @skb from the neighbour of its route
 * (as sch_teql's __teql_resolve). Returns 0 when the header is in place (or
 * @dev needs none), 1 when @queue was set and the skb was queued on the
 * unresolved neighbour (it is gone), or a negative errno (the caller still
 * owns @skb; -EAGAIN: unresolved).
 */
int rvnet_neigh_resolve(struct sk_buff *skb, bool queue, struct net_device *dev)
{
	struct dst_entry *dst = skb_dst(skb);
	struct neighbour *n;
	int err = 0;

	if (!dev->header_ops || !dst)
		return 0;

	rcu_read_lock();
	n = dst_neigh_lookup_skb(dst, skb);
	if (!n) {
		rcu_read_unlock();
		return -ENOENT;
	}
	if (dst->dev != dev) {
		struct neighbour *mn;

		mn = __neigh_lookup_errno(n->tbl, n->primary_key, dev);
		neigh_release(n);
		if (IS_ERR(mn)) {
			rcu_read_unlock();
			return PTR_ERR(mn);
		}
		n = mn;
	}
	if (neigh_event_send(n, queue ? skb : NULL) == 0) {
		char haddr[MAX_ADDR_LEN];

		neigh_ha_snapshot(haddr, n, dev);
		if (dev_hard_header(skb, dev, ntohs(skb_protocol(skb, false)),
				    haddr, NULL, skb->len) < 0)
			err = -EINVAL;
	} else {
		err = queue ? 1 : -EAGAIN;
	}
	neigh_release(n);
	rcu_read_unlock();
	return err;
}

/* Undo a link-layer header built for a lower device. */
void rvnet_skb_back_to_network(struct sk_buff *skb, struct net_device *dev)
{
	skb->dev = dev;
	__skb_pull(skb, skb_network_offset(skb));
}

void rvnet_netdev_set_flags_raw(struct net_device *dev, unsigned int set, unsigned int clear)
{
	dev->flags = (dev->flags & ~clear) | set;
}

unsigned short rvnet_netdev_hard_header_len(const struct net_device *dev)
{
	return dev->hard_header_len;
}

void rvnet_netdev_setup_void(struct net_device *dev, unsigned short hard_header_len)
{
	dev->type = ARPHRD_VOID;
	dev->hard_header_len = hard_header_len;
	netif_keep_dst(dev);
}

void rvnet_netif_keep_dst(struct net_device *dev)
{
	netif_keep_dst(dev);
}

unsigned short rvnet_ll_max_header(void)
{
	return LL_MAX_HEADER;
}

#ifndef RVNET_HAS_INT_PARAM
int rvnet_param_int_value(void)
{
	return -1;
}
#endif

#ifndef RVNET_HAS_INT_PARAM2
int rvnet_param_int_value2(void)
{
	return -1;
}
#endif
