// SPDX-License-Identifier: GPL-2.0
/* The rvnet C helpers, compiled into this module (see include/rvnet_helpers.h). */
#include "../../rust/netdev/helpers.c"
