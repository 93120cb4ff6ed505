#!/bin/sh
# Run every unit test binary and every end-to-end script; each prints
# "PASS name" or "FAIL name" lines. Ends with "N passed, N failed".
# Environment: B (build dir, default build), CHAPBOOK (the tool).
B=${B:-build}
export CHAPBOOK=${CHAPBOOK:-$PWD/$B/chapbook}
export TOP=$PWD
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$B"/test_*; do
	[ -x "$t" ] || continue
	echo "== ${t##*/}"
	"$t" 2>&1 | tee -a "$log"
done
for s in tests/e2e/*.sh; do
	[ -f "$s" ] || continue
	echo "== ${s##*/}"
	sh "$s" 2>&1 | tee -a "$log"
done
passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
echo
grep '^FAIL ' "$log" | sed 's/^/  /'
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
