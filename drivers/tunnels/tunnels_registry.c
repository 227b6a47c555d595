// SPDX-License-Identifier: GPL-2.0
/*
 * The providers of /proc/net/tunnels (include/rvnet_tunnels.h): a list
 * under a mutex. show holds the mutex while it calls the providers, so a
 * provider's module, which unregisters on its way out, cannot go while its
 * callback runs; the providers' callbacks take RTNL, which nothing holds
 * while taking this mutex (register and unregister run at module init and
 * exit).
 */
#include <linux/export.h>
#include <linux/mutex.h>
#include "../../include/rvnet_tunnels.h"

static LIST_HEAD(rvnet_tunnels_providers);
static DEFINE_MUTEX(rvnet_tunnels_lock);

void rvnet_tunnels_register(struct rvnet_tunnels_provider *p)
{
	mutex_lock(&rvnet_tunnels_lock);
	list_add_tail(&p->list, &rvnet_tunnels_providers);
	mutex_unlock(&rvnet_tunnels_lock);
}
EXPORT_SYMBOL_GPL(rvnet_tunnels_register);

void rvnet_tunnels_unregister(struct rvnet_tunnels_provider *p)
{
	mutex_lock(&rvnet_tunnels_lock);
	list_del(&p->list);
	mutex_unlock(&rvnet_tunnels_lock);
}
EXPORT_SYMBOL_GPL(rvnet_tunnels_unregister);

int rvnet_tunnels_show_all(struct seq_file *m, struct net *net)
{
	struct rvnet_tunnels_provider *p;
	int err = 0;

	mutex_lock(&rvnet_tunnels_lock);
	list_for_each_entry(p, &rvnet_tunnels_providers, list) {
		err = p->show(m, net);
		if (err)
			break;
	}
	mutex_unlock(&rvnet_tunnels_lock);
	return err;
}
