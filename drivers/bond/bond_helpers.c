// SPDX-License-Identifier: GPL-2.0
/* The rvnet C helpers, compiled into this module (see include/rvnet_helpers.h),
 * and its parameters (C bonding's max_bonds and tx_queues). */
#define RVNET_HAS_INT_PARAM
#define RVNET_HAS_INT_PARAM2
#include "../../rust/netdev/helpers.c"
#include <linux/if_bonding.h>

RVNET_INT_PARAM(max_bonds, BOND_DEFAULT_MAX_BONDS, "Max number of bonded devices");
RVNET_INT_PARAM2(tx_queues, BOND_DEFAULT_TX_QUEUES, "Max number of transmit queues (default = 16)");
