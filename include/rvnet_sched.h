/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rvnet C helpers for queueing disciplines and direct transmission on a
 * lower device (static inlines of sch_generic.h, netdevice.h, neighbour.h).
 * Defined in rust/netdev/helpers_sched.c.
 */
#ifndef RVNET_SCHED_H
#define RVNET_SCHED_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/sch_generic.h>

/* Qdisc */
struct net_device *rvnet_qdisc_dev(const struct Qdisc *sch);
void *rvnet_qdisc_priv(struct Qdisc *sch);
const struct Qdisc_ops *rvnet_qdisc_ops(const struct Qdisc *sch);
bool rvnet_qdisc_is_root(const struct Qdisc *sch);
int rvnet_qdisc_drop(struct sk_buff *skb, struct Qdisc *sch, struct sk_buff **to_free);
void rvnet_qdisc_bstats_update(struct Qdisc *sch, const struct sk_buff *skb);
void rvnet_qdisc_set_qlen(struct Qdisc *sch, unsigned int qlen);
int rvnet_register_qdisc(struct Qdisc_ops *ops);
void rvnet_unregister_qdisc(struct Qdisc_ops *ops);

/* skb->next links for Rust-side queues */
struct sk_buff *rvnet_skb_next(const struct sk_buff *skb);
void rvnet_skb_set_next(struct sk_buff *skb, struct sk_buff *next);

/* Transmission on queue 0 of a lower device, bypassing its qdisc. */
const struct Qdisc *rvnet_txq0_qdisc_sleeping(struct net_device *dev);
void rvnet_txq0_reset(struct net_device *dev);
unsigned int rvnet_txq0_qdisc_qlen(struct net_device *dev);
int rvnet_xmit_direct(struct sk_buff *skb, struct net_device *dev);
int rvnet_neigh_resolve(struct sk_buff *skb, bool queue, struct net_device *dev);
void rvnet_skb_back_to_network(struct sk_buff *skb, struct net_device *dev);

/* net_device fields a master writes under RTNL */
void rvnet_netdev_set_flags_raw(struct net_device *dev, unsigned int set, unsigned int clear);
unsigned short rvnet_netdev_hard_header_len(const struct net_device *dev);
void rvnet_netdev_setup_void(struct net_device *dev, unsigned short hard_header_len);
unsigned short rvnet_ll_max_header(void);
void rvnet_netif_keep_dst(struct net_device *dev);

/*
 * The module's one int parameter, declared with RVNET_INT_PARAM in its
 * helpers file after defining RVNET_HAS_INT_PARAM (else it returns -1).
 */
int rvnet_param_int_value(void);

#define RVNET_INT_PARAM(name, def, desc)				\
	static int name = def;						\
	module_param(name, int, 0444);					\
	MODULE_PARM_DESC(name, desc);					\
	int rvnet_param_int_value(void) { return name; }

/*
 * A second int parameter (bonding's tx_queues), declared with
 * RVNET_INT_PARAM2 after defining RVNET_HAS_INT_PARAM2 (else -1).
 */
int rvnet_param_int_value2(void);

#define RVNET_INT_PARAM2(name, def, desc)				\
	static int name = def;						\
	module_param(name, int, 0);					\
	MODULE_PARM_DESC(name, desc);					\
	int rvnet_param_int_value2(void) { return name; }

#endif /* RVNET_SCHED_H */
