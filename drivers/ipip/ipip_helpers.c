// SPDX-License-Identifier: GPL-2.0
/*
 * The rvnet C helpers, compiled into this module (see include/rvnet_helpers.h),
 * and its log_ecn_error parameter (as C's).
 */
#define RVNET_HAS_LOG_ECN_ERROR
#include "../../rust/netdev/helpers.c"

RVNET_LOG_ECN_ERROR_PARAM();
