#!/bin/sh
# Run every unit test binary and every end-to-end script; each prints
# "PASS name" or "FAIL name" lines. One that exits non-zero without a FAIL
# line (a crash, a sanitizer or leak report) counts as a failure too.
# Ends with "N passed, N failed".
# Environment: B (build dir, default build), CHAPBOOK (the tool).
B=${B:-build}
export CHAPBOOK=${CHAPBOOK:-$PWD/$B/chapbook}
export TOP=$PWD
log=$(mktemp)
out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT
# run NAME COMMAND...: its output into the log, and a FAIL line if it
# failed without saying so
run() {
	name=$1
	shift
	echo "== $name"
	"$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	cat "$out" >>"$log"
	if [ $rc != 0 ] && ! grep -q '^FAIL ' "$out"; then
		echo "FAIL $name: exited with status $rc" | tee -a "$log"
	fi
}
# the unit tests the Makefile built (UNIT_BINS), not whatever test_*
# binaries an older tree left in $B
for t in ${UNIT_BINS:-"$B"/test_*}; do
	[ -x "$t" ] || continue
	run "${t##*/}" "$t"
done
for s in tests/e2e/*.sh; do
	[ -f "$s" ] || continue
	run "${s##*/}" sh "$s"
done
passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
echo
grep '^FAIL ' "$log" | sed 's/^/  /'
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
