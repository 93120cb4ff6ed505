#!/bin/sh
# slow.sh - a hang guard over hostile input: the booklets tests/bad/slow/make.sh
# generates (each once quadratic somewhere) are checked, and the 50,000
# references built, each under a generous time limit (SLOW_LIMIT seconds,
# default 20; the targets, far below it, are timed by `make bench`). Also
# each gives its expected result: the diagnostics stay right at scale.
: "${CHAPBOOK:?}" "${TOP:?}"
limit=${SLOW_LIMIT:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
sh "$TOP/tests/bad/slow/make.sh" "$tmp" || { fail "slow: generate"; exit 0; }

# guard NAME EXPECTED-EXIT COMMAND...: the command ends within the limit
# with the expected exit code; its stderr is in $tmp/err.
guard() {
	name=$1 want=$2
	shift 2
	timeout "$limit" "$@" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc = 124 ]; then fail "$name within ${limit}s" "timed out"
	elif [ $rc = "$want" ]; then pass "$name within ${limit}s (exit $want)"
	else fail "$name within ${limit}s (exit $want)" "got $rc: $(head -1 "$tmp/err")"; fi
}

guard "check 40,000 <em> on one line" 0 "$CHAPBOOK" check "$tmp/many-em.xml"
# the last <cite> on that line sits far to the right: its column is exact
guard "check --strict 40,000 <em> on one line" 0 "$CHAPBOOK" check --strict "$tmp/many-em.xml"

guard "check one <cite> of 32,000 keys" 0 "$CHAPBOOK" check "$tmp/many-keys.xml"
n=$(grep -c "warning: '.*' is cited twice in one citation" "$tmp/err")
[ "$n" = 2 ] && pass "each key repeated in one <cite> is reported once" ||
	fail "each key repeated in one <cite> is reported once" "$n warnings"

guard "check 50,000 references" 0 "$CHAPBOOK" check --strict "$tmp/many-refs.xml"
guard "build 50,000 references" 0 "$CHAPBOOK" build --styles "$TOP/styles" \
	--fonts "$TOP/fonts" -o "$tmp/out" "$tmp/many-refs.xml"

guard "check 50,000 bare '&' on one line" 1 "$CHAPBOOK" check "$tmp/many-amp.xml"
n=$(grep -c "many-amp.xml:14:[0-9]*: error: bare '&' in text" "$tmp/err")
last=$(grep "error: bare '&' in text" "$tmp/err" | tail -1 | cut -d: -f2-3)
# "    <p>" then "é & " 50,000 times: the last '&' is at 7 + 4 * 49,999 + 3
[ "$n" = 50000 ] && [ "$last" = "14:200006" ] && pass "each of 50,000 slips at its own column" ||
	fail "each of 50,000 slips at its own column" "$n errors, the last at $last"

guard "check 20,000 unknown keys against 5,000 references" 1 "$CHAPBOOK" check "$tmp/many-unknown.xml"
grep -q "many-unknown.xml:14:[0-9]*: error: unknown citation key 'u1'" "$tmp/err" &&
	pass "unknown keys are still reported" ||
	fail "unknown keys are still reported" "$(head -1 "$tmp/err")"
exit 0
