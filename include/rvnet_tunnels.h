/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/net/tunnels, one file that several rvnet modules write to: the
 * module rvnet_tunnels owns the file in every namespace and a registry of
 * providers (drivers/tunnels/tunnels_registry.c); rvnet_ipip, rvnet_gre and
 * rvnet_sit each register one for as long as they are loaded
 * (rust/netdev/proc/shared_proc.rs).
 */
#ifndef RVNET_TUNNELS_H
#define RVNET_TUNNELS_H

#include <linux/list.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

struct rvnet_tunnels_provider {
	struct list_head list;
	/* Writes the provider's lines of net's file; process context. */
	int (*show)(struct seq_file *m, struct net *net);
};

/* Exported by rvnet_tunnels: add a provider; it stays until unregistered. */
void rvnet_tunnels_register(struct rvnet_tunnels_provider *p);
/* Exported by rvnet_tunnels: remove a provider, after any show running it
 * has returned. */
void rvnet_tunnels_unregister(struct rvnet_tunnels_provider *p);
/* rvnet_tunnels' own: every provider's lines, in registration order. */
int rvnet_tunnels_show_all(struct seq_file *m, struct net *net);

#endif
