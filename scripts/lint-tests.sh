#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lint of the QEMU suites (tests/suites/*.sh, or the files given): rejects
# the shell forms in which a failed check does not fail its test, and tests
# that do not say which driver they test.
#
#   negation-not-last   `! cmd` as a statement that is not the last of its
#                       function: bash's `set -e` ignores a negated command,
#                       so it checks nothing (write `cmd && fail ..` or
#                       `assert_fails cmd`)
#   test-chain-not-last `[ a ] && [ b ]` (or `test`) not last: set -e ignores
#                       every command of an && list but the last, so a false
#                       `[ a ]` passes (write `check`/`|| fail`)
#   bare-test-in-subst  a bare `[ ]`/`test`/`!`/`grep -q` statement (no `||`)
#                       in a function the suite calls inside `$(...)` or
#                       `<(...)`: set -e does not reach into a command
#                       substitution whose status is not checked
#   local-masks-status  `local x=$(...)`: `local` returns 0 whatever the
#                       substitution did (write `local x; x=$(...)`)
#   no-driver           a test_* function that never calls expect_driver,
#                       directly or through the suite's functions it calls,
#                       and has no `# driver: none (why)` comment in its body
#                       or right above it
#   trap-aborts         `trap 'a; b' EXIT` where a command before the last
#                       has no `|| true`: the trap runs under the test's
#                       set -e, so a failing `a` (a device already gone)
#                       skips `b` and fails the test for its clean-up
#   cost                a suite without a `# cost: SECONDS` line (queue order
#                       of scripts/check.sh before its first measured run)
#
# The check is line-based (awk over the function bodies), so keep each
# statement on its own line. `scripts/lint-tests.sh --self-test` runs it on
# tests/lint/bad-suite.sh, which must trip every rule.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

lint() {
	awk '
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	function report(line, rule, msg) {
		printf "%s:%d: %s: %s\n", file, line, rule, msg
		bad++
	}
	FNR == 1 {
		if (NR > 1) finish()
		file = FILENAME
		nf = 0; infn = ""; heredoc = ""; cont = 0; hascost = 0
		delete fname; delete fstart; delete body; delete nstmt
		delete stmt; delete sline; delete nonedecl; delete pending
		prevcomment = ""
	}
	/^# cost: [0-9]+/ { hascost = 1 }
	{
		line = $0
		if (heredoc != "") {
			if (trim(line) == heredoc) heredoc = ""
			next
		}
		if (match(line, /<<-?[ \t]*["\047]?[A-Za-z_]+/)) {
			h = substr(line, RSTART, RLENGTH)
			sub(/^<<-?[ \t]*/, "", h); gsub(/["\047]/, "", h)
			heredoc = h
		}
		if (infn == "" && match(line, /^[A-Za-z_][A-Za-z0-9_]*\(\)[ \t]*\{/)) {
			name = line; sub(/\(\).*/, "", name)
			nf++; fname[nf] = name; fstart[nf] = FNR
			nonedecl[nf] = (prevcomment ~ /# driver: none \(/)
			rest = line; sub(/^[^{]*\{/, "", rest)
			# A one-line function, maybe with a comment after it.
			if (rest ~ /\}[ \t]*(#.*)?$/) {
				sub(/\}[ \t]*(#.*)?$/, "", rest)
				addstmt(nf, rest, FNR)
				body[nf] = rest
			} else {
				infn = nf
				body[nf] = ""
			}
			prevcomment = ""
			next
		}
		if (infn != "") {
			if (line ~ /^\}/) { infn = ""; next }
			body[infn] = body[infn] "\n" line
			if (line ~ /# driver: none \(/) nonedecl[infn] = 1
			t = trim(line)
			if (t == "" || t ~ /^#/) next
			if (cont) stmt[infn, nstmt[infn]] = stmt[infn, nstmt[infn]] " " t
			else addstmt(infn, t, FNR)
			cont = (t ~ /(\\|\|\||&&|\|)$/)
			next
		}
		if (line ~ /^#/) prevcomment = prevcomment "\n" line
		else if (trim(line) != "") prevcomment = ""
	}
	function addstmt(f, t, l) {
		t = trim(t); sub(/;$/, "", t)
		if (t == "") return
		nstmt[f]++
		stmt[f, nstmt[f]] = t
		sline[f, nstmt[f]] = l
	}
	function finish(   f, g, i, n, t, last, changed, reach, called) {
		# Which functions are called inside $(...) or <(...).
		for (f = 1; f <= nf; f++)
			for (g = 1; g <= nf; g++)
				if (index(body[g], "$(" fname[f] " ") || index(body[g], "$(" fname[f] ")") ||
				    index(body[g], "<(" fname[f] " ") || index(body[g], "<(" fname[f] ")"))
					insubst[f] = 1
		for (f = 1; f <= nf; f++) {
			n = nstmt[f]
			for (i = 1; i <= n; i++) {
				t = stmt[f, i]
				last = (i == n)
				if (t ~ /^![ \t]/ && t !~ /\|\|/ && !last)
					report(sline[f, i], "negation-not-last", fname[f] ": " t)
				if (t ~ /^(\[|\[\[|test )/ && t ~ /&&[ \t]*(\[|\[\[|test )/ && t !~ /\|\|/ && !last)
					report(sline[f, i], "test-chain-not-last", fname[f] ": " t)
				if ((f in insubst) && t ~ /^(\[|\[\[|test |![ \t]|grep -q)/ && t !~ /\|\|/)
					report(sline[f, i], "bare-test-in-subst", fname[f] " (called in $(...)): " t)
				if (t ~ /^local [A-Za-z_][A-Za-z0-9_]*=["]?\$\(/)
					report(sline[f, i], "local-masks-status", fname[f] ": " t)
				if (t ~ /^trap \047[^\047]*;/) {
					q = t; sub(/^trap \047/, "", q); sub(/\047.*/, "", q)
					np = split(q, parts, ";")
					for (k = 1; k < np; k++) {
						c = trim(parts[k]); sub(/^(do|then|else)[ \t]+/, "", c)
						if (c == "" || c ~ /^(for|while|if|done|fi)([ \t]|$)/ || c ~ /\|\|/) continue
						report(sline[f, i], "trap-aborts", fname[f] ": " c " (add || true)")
						break
					}
				}
			}
		}
		# expect_driver reachable through the suite functions each calls.
		for (f = 1; f <= nf; f++) reach[f] = (index(body[f], "expect_driver") > 0)
		changed = 1
		while (changed) {
			changed = 0
			for (f = 1; f <= nf; f++) {
				if (reach[f]) continue
				for (g = 1; g <= nf; g++)
					if (reach[g] && calls(body[f], fname[g])) { reach[f] = 1; changed = 1; break }
			}
		}
		for (f = 1; f <= nf; f++)
			if (fname[f] ~ /^test_/ && !reach[f] && !nonedecl[f])
				report(fstart[f], "no-driver", fname[f] " never calls expect_driver (or say: # driver: none (why))")
		if (!hascost) report(1, "cost", "no \"# cost: SECONDS\" line")
		delete insubst
	}
	function calls(text, name,   s, p, before, after) {
		s = text
		while ((p = index(s, name)) > 0) {
			before = (p == 1) ? "" : substr(s, p - 1, 1)
			after = substr(s, p + length(name), 1)
			if (before !~ /[A-Za-z0-9_]/ && after !~ /[A-Za-z0-9_]/) return 1
			s = substr(s, p + length(name))
		}
		return 0
	}
	END { if (NR > 0) finish(); exit bad > 0 }
	' "$@"
}

if [ "${1:-}" = --self-test ]; then
	out=$(lint "$root/tests/lint/bad-suite.sh")
	rc=0
	for rule in negation-not-last test-chain-not-last bare-test-in-subst local-masks-status trap-aborts no-driver cost; do
		echo "$out" | grep -q ": $rule: " || { echo "lint-tests self-test: rule $rule not triggered"; rc=1; }
	done
	# The good forms in the sample must pass: exactly the expected findings.
	n=$(echo "$out" | grep -c .)
	[ "$n" = "$(grep -c '# BAD' "$root/tests/lint/bad-suite.sh")" ] ||
		{ echo "lint-tests self-test: $n findings, expected one per # BAD line:"; echo "$out"; rc=1; }
	[ $rc = 0 ] && echo "lint-tests self-test: ok"
	exit $rc
fi

if [ $# -eq 0 ]; then
	set -- "$root"/tests/suites/*.sh
fi
lint "$@"
