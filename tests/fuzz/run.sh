#!/bin/sh
# Run each libFuzzer target given as an argument for FUZZ_SECONDS, in
# parallel (one per core), from fresh seed corpora: content/booklet.xml,
# tests/cover/booklet.xml (a citation in its standfirst), tests/md/*.xml,
# tests/bad/*.xml and tests/fuzz/regressions/*. Crash inputs are written to
# $FUZZ_B/crash-<target>-*; exits non-zero when any target fails.
# Environment: FUZZ_B (default build-fuzz), FUZZ_SECONDS (default 1800).
B=${FUZZ_B:-build-fuzz}
secs=${FUZZ_SECONDS:-1800}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
pids=
for t in "$@"; do
	corpus=$B/corpus-$t
	mkdir -p "$corpus"
	cp content/booklet.xml tests/bad/*.xml tests/md/*.xml "$corpus"/
	cp tests/cover/booklet.xml "$corpus"/cover-booklet.xml
	[ -d tests/fuzz/regressions ] && cp tests/fuzz/regressions/* "$corpus"/ 2>/dev/null
	echo "== $t: $secs s, log $B/$t.log"
	"$B/$t" -max_len=65536 -max_total_time="$secs" -timeout=30 -rss_limit_mb=4096 \
		-print_final_stats=1 -artifact_prefix="$B/crash-$t-" \
		"$corpus" >"$B/$t.log" 2>&1 &
	pids="$pids $!:$t"
done
rc=0
for p in $pids; do
	if wait "${p%%:*}"; then
		echo "PASS fuzz ${p#*:}"
	else
		echo "FAIL fuzz ${p#*:} (see $B/${p#*:}.log)"
		rc=1
	fi
	grep -E '^(#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss)' "$B/${p#*:}.log" | tail -3
done
exit $rc
