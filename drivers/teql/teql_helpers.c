// SPDX-License-Identifier: GPL-2.0
/* The rvnet C helpers, compiled into this module, and its parameter. */
#define RVNET_HAS_INT_PARAM
#include "../../rust/netdev/helpers.c"

RVNET_INT_PARAM(max_equalizers, 1, "Max number of link equalizers");
