# SPDX-License-Identifier: GPL-2.0
#
# Sourced by every bash the test suites start (ktap.sh exports BASH_ENV),
# upstream selftest scripts included: `sleep` becomes bash's loadable
# builtin (package bash-builtins, scripts/setup.sh), so a polling loop does
# not start a process per turn (a fork and exec costs the TCG guest with
# its debug kernel ~0.3 s). It sleeps as long as /bin/sleep does.
enable -f /usr/lib/bash/sleep sleep 2>/dev/null || true
