#!/bin/sh
# `make bench`: median wall time and peak RSS of `chapbook build` for the
# booklet, a 10x and a 100x booklet (tests/make-long-booklet.sh), each for
# EPUB only, the A5 PDF only, both, and all four outputs. Runs: N1 (default
# 100) for the booklet, N10 (default 10) for 10x, N100 (default 3) for
# 100x: about 30 s in all on an idle 2-core machine.
# Targets (issue 3), on EPUB + A5 PDF together: the booklet under 25 ms; the
# 100x booklet under 1 s and 150 MB; time growing no faster than linearly
# (10x -> 100x at most 10 times slower). All four outputs are reported too.
# Issue 9: a booklet with one 5 MB paragraph, all four outputs, under 200 MB.
# Exits 1 when a target is missed (BENCH_STRICT=0 only reports).
# Timing: tests/benchrun.c (fork to exit, monotonic clock; peak RSS from
# wait4). Environment: B (build dir), N1, N10, N100.
B=${B:-build}
tool=$PWD/$B/chapbook
N1=${N1:-100}
N10=${N10:-10}
N100=${N100:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh tests/make-long-booklet.sh 10 > "$tmp/x10.xml"
sh tests/make-long-booklet.sh 100 > "$tmp/x100.xml"

# run FILE FORMAT N: prints "median_ms peak_rss_kb". One checked run first
# (it also warms the page cache), then N timed by benchrun from fork to
# exit.
run() {
	"$tool" build --format "$2" --styles styles --fonts fonts \
		-o "$tmp/out" "$1" >/dev/null 2>"$tmp/err" ||
		{ echo "bench: build of $1 ($2) failed: $(head -1 "$tmp/err")" >&2; exit 2; }
	"$B/benchrun" "$3" "$tool" build --format "$2" --styles styles \
		--fonts fonts -o "$tmp/out" "$1" || exit 2
}

status=0
printf '%-8s %-26s %5s %12s %12s\n' size outputs runs median_ms peak_rss_MB
for size in 1 10 100; do
	case $size in
	1) f=content/booklet.xml; n=$N1 ;;
	10) f=$tmp/x10.xml; n=$N10 ;;
	100) f=$tmp/x100.xml; n=$N100 ;;
	esac
	for fmt in epub a5 epub,a5 epub,a5,booklet,handout; do
		set -- $(run "$f" "$fmt" "$n") || exit 2
		[ $# = 2 ] || exit 2
		printf '%-8s %-26s %5s %12s %12.1f\n' "${size}x" "$fmt" "$n" "$1" "$(awk -v k="$2" 'BEGIN { print k / 1024 }')"
		if [ "$fmt" = epub,a5 ]; then
			eval "ms_$size=$1"
			case $size in
			1) lim_ms=25; lim_mb= ;;
			100) lim_ms=1000; lim_mb=150 ;;
			*) lim_ms=; lim_mb= ;;
			esac
			if [ -n "$lim_ms" ]; then
				ok=$(awk -v m="$1" -v l="$lim_ms" 'BEGIN { print (m < l) ? 1 : 0 }')
				if [ "$ok" = 1 ]; then echo "  PASS ${size}x EPUB + A5 PDF under $lim_ms ms"
				else echo "  MISS ${size}x EPUB + A5 PDF under $lim_ms ms (median $1 ms)"; status=1; fi
			fi
			if [ -n "$lim_mb" ]; then
				if [ "$2" -lt $((lim_mb * 1024)) ]; then echo "  PASS ${size}x under $lim_mb MB"
				else echo "  MISS ${size}x under $lim_mb MB"; status=1; fi
			fi
		fi
	done
done
# Memory on one 5 MB paragraph (tests/make-big-paragraph.sh), all four
# outputs, one run: peak RSS under 200 MB.
sh tests/make-big-paragraph.sh 5 > "$tmp/para5.xml"
set -- $(run "$tmp/para5.xml" epub,a5,booklet,handout 1) || exit 2
[ $# = 2 ] || exit 2
printf '%-8s %-26s %5s %12s %12.1f\n' 5MB-para epub,a5,booklet,handout 1 "$1" "$(awk -v k="$2" 'BEGIN { print k / 1024 }')"
if [ "$2" -lt $((200 * 1024)) ]; then echo "  PASS 5 MB paragraph under 200 MB"
else echo "  MISS 5 MB paragraph under 200 MB"; status=1; fi

growth=$(awk -v a="$ms_10" -v b="$ms_100" 'BEGIN { printf "%.1f", b / a }')
if awk -v g="$growth" 'BEGIN { exit !(g <= 10) }'; then
	echo "  PASS growth 10x -> 100x: x$growth (linear is x10)"
else
	echo "  MISS growth 10x -> 100x: x$growth (linear is x10)"; status=1
fi
[ "${BENCH_STRICT:-1}" = 0 ] && exit 0
exit $status
