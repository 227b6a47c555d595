#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/lint-tests.sh --self-test: every line marked BAD must be reported
# (one finding each), nothing else. Not a suite: never run. It has no cost
# line. # BAD (cost)

helper_in_subst() {
	[ -e /nonexistent ] # BAD (bare-test-in-subst)
	grep -q x /dev/null || fail "checked: fine"
	echo 1
}

test_negation() { # BAD (no-driver)
	! grep -q x /dev/null # BAD (negation-not-last)
	! grep -q y /dev/null || fail "fine: has ||"
	[ 1 = 1 ] && [ 2 = 3 ] # BAD (test-chain-not-last)
	local v=$(helper_in_subst) # BAD (local-masks-status)
	local w
	w=$(helper_in_subst)
	trap 'ip link del x0; ip netns del n' EXIT # BAD (trap-aborts)
	trap 'ip link del x0 2>/dev/null || true; ip netns del n' EXIT
	cat <<'X'
! not a statement: heredoc text
X
	! grep -q z /dev/null
}

# driver: none (the sample has no device)
test_declared_none() {
	[ 1 = 1 ] && [ 2 = 2 ]
}

with_driver() {
	expect_driver d0 rdummy
}

test_through_helper() {
	with_driver
	if ! grep -q x /dev/null; then echo fine; fi
}
