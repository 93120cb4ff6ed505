#!/bin/sh
# `chapbook check` on the broken booklets of tests/bad: each diagnostic
# (message, line, column) and exit code as listed in tests/bad/EXPECT; where
# a booklet has a NAME.err beside it, the whole report exactly (every
# diagnostic, the source line, the caret's column, the hint and the closing
# count: one error for one slip); a failed `build` leaves no output behind.
# Also the real booklet is clean.
: "${CHAPBOOK:?}"
cd "$TOP/tests/bad" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }

grep -v '^#' EXPECT | while IFS='|' read -r file code strict line; do
	[ -n "$file" ] || continue
	"$CHAPBOOK" check "$file" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = "$code" ]; then pass "check $file exits $code"
	else fail "check $file exits $code" "got $rc: $(head -1 "$tmp/err")"; fi
	"$CHAPBOOK" check --strict "$file" >/dev/null 2>&1
	rc=$?
	if [ "$rc" = "$strict" ]; then pass "check --strict $file exits $strict"
	else fail "check --strict $file exits $strict" "got $rc"; fi
	if [ -n "$line" ]; then
		if grep -qxF "$line" "$tmp/err"; then pass "check $file diagnostic"
		else fail "check $file diagnostic" "expected '$line', got '$(head -1 "$tmp/err")'"; fi
	elif [ -s "$tmp/err" ]; then
		fail "check $file is silent" "$(head -1 "$tmp/err")"
	else
		pass "check $file is silent"
	fi
	if [ -f "${file%.xml}.err" ]; then
		if diff -u "${file%.xml}.err" "$tmp/err" >"$tmp/diff"; then
			pass "check $file report, caret and hint"
		else
			fail "check $file report, caret and hint" "$(tail -n +3 "$tmp/diff" | grep '^[-+]' | head -4 | tr '\n' ' ')"
		fi
	fi
	if [ "$code" != 0 ]; then
		rm -rf "$tmp/o"; mkdir "$tmp/o"
		"$CHAPBOOK" build -o "$tmp/o" "$file" >/dev/null 2>&1
		if [ $? != 0 ] && [ -z "$(ls -A "$tmp/o")" ]; then
			pass "build $file fails and writes nothing"
		else
			fail "build $file fails and writes nothing" "$(ls -A "$tmp/o")"
		fi
	fi
done

# The real booklet is clean, even with warnings as errors.
if "$CHAPBOOK" check --strict "$TOP/content/booklet.xml" >"$tmp/out" 2>&1; then
	pass "content/booklet.xml passes check --strict"
else
	fail "content/booklet.xml passes check --strict" "$(head -3 "$tmp/out")"
fi
# Usage and I/O failures exit 2.
"$CHAPBOOK" check "$tmp/no-such-booklet.xml" 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q "no-such-booklet.xml: error: cannot read booklet: No such file or directory" "$tmp/err"; then
	pass "missing booklet exits 2 with a diagnostic"
else
	fail "missing booklet exits 2 with a diagnostic" "rc=$rc $(cat "$tmp/err")"
fi
"$CHAPBOOK" frobnicate >/dev/null 2>&1
[ $? = 2 ] && pass "unknown command exits 2" || fail "unknown command exits 2"
"$CHAPBOOK" build --format nonsense ok.xml >/dev/null 2>&1
[ $? = 2 ] && pass "unknown format exits 2" || fail "unknown format exits 2"
