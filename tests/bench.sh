#!/bin/sh
# `make bench`: median wall time and peak RSS of `chapbook build` for the
# booklet, a 10x and a 100x booklet (tests/make-long-booklet.sh), each for
# EPUB only, the A5 PDF only, both, and all four outputs. Runs: N1 (default
# 100) for the booklet, N10 (default 10) for 10x, N100 (default 3) for
# 100x: about 30 s in all on an idle 2-core machine.
# Targets (issue 3), on EPUB + A5 PDF together: the booklet under 25 ms; the
# 100x booklet under 1 s and 150 MB; time growing no faster than linearly
# (10x -> 100x at most 10 times slower). All four outputs are reported too.
# Then hostile input (issue 9), generated here: 40,000 <em> on one line,
# one <cite> with 32,000 keys and 50,000 references each checked in under
# 0.5 s; the 50,000 references built (EPUB + A5 PDF) in under 5 s; one
# 5 MB paragraph built under 200 MB peak RSS. Each run is stopped at a
# generous limit (10x a check target, 4x a build target, 60 s), so a missed
# target costs seconds, not minutes: a minute or two in all.
# Every target prints PASS or MISS with its figure; exits 1 when a target
# is missed (BENCH_STRICT=0 only reports).
# First (issue 15, part "pandoc"), against pandoc and libxml2 on this
# machine in this run, as ratios: all four outputs of the booklet at least
# 20x faster than pandoc --citeproc makes the EPUB alone of
# content/booklet.md (NPAIR pairs, default 20); the 100x booklet's four
# outputs at least 30x faster than pandoc's EPUB of the 100x article
# (NPAIR100 pairs, default 1: pandoc takes 10-20 s there), its peak RSS at
# most 100 MB, its time per copy of the article no more than at 10x
# (linear growth: the per-x ratio at most 1.0); `chapbook check` of the
# booklet within 2x of a process that only parses its XML
# (tests/xmlparse.c, linked as the program is); 100 different generated
# booklets in one `chapbook build` under 25x the time of one of them.
# Timing: tests/benchrun.c (fork to exit, monotonic clock; peak RSS from
# wait4; --vs runs two commands in turn and takes their ratio pair by
# pair). Environment: B (build dir), N1, N10, N100, NHOSTILE (runs of each
# hostile check, default 3), NPAIR, NPAIR100, BENCH_PARTS ("pandoc sizes
# hostile", the default, or any of them).
B=${B:-build}
tool=$PWD/$B/chapbook
N1=${N1:-100}
N10=${N10:-10}
N100=${N100:-3}
NHOSTILE=${NHOSTILE:-3}
NPAIR=${NPAIR:-20}
NPAIR100=${NPAIR100:-1}
BENCH_PARTS=${BENCH_PARTS:-pandoc sizes hostile}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# verdict NAME FIGURE TARGET UNIT [<=|>=]: a PASS or MISS line for FIGURE <
# TARGET (or <=, or >= for a ratio that must reach its target); a FIGURE
# ">LIMIT" (a run stopped at its limit) is a miss.
# A miss sets status.
verdict() {
	op=${5:-<}
	if [ "${2#>}" = "$2" ] && awk -v f="$2" -v t="$3" -v op="$op" \
		'BEGIN { exit !(op == "<" ? f < t : op == "<=" ? f <= t : f >= t) }'; then
		r=PASS
	else
		r=MISS
		status=1
	fi
	printf '  %s %-44s %10s %-2s (target %s %s%s)\n' $r "$1" "$2" "$4" "$op" "$3" "${4:+ $4}"
}

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

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# The booklet, 10x and 100x, in four sets of outputs.
sizes() {
	sh tests/make-long-booklet.sh 10 > "$tmp/x10.xml"
	sh tests/make-long-booklet.sh 100 > "$tmp/x100.xml"
	printf '%-8s %-26s %5s %12s %12s\n' size outputs runs median_ms peak_rss_MB
	for size in 1 10 100; do
		case $size in
		1) f=content/booklet.xml; n=$N1 ;;
		10) f=$tmp/x10.xml; n=$N10 ;;
		100) f=$tmp/x100.xml; n=$N100 ;;
		esac
		for fmt in epub a5 epub,a5 epub,a5,booklet,handout; do
			set -- $(run "$f" "$fmt" "$n")
			[ $# = 2 ] || exit 2
			printf '%-8s %-26s %5s %12s %12s\n' "${size}x" "$fmt" "$n" "$1" "$(mb "$2")"
			[ "$fmt" = epub,a5 ] || continue
			eval "ms_$size=$1"
			case $size in
			1) verdict "booklet, EPUB + A5" "$1" 25 ms ;;
			100) verdict "100x booklet, EPUB + A5" "$1" 1000 ms
			     verdict "100x booklet, EPUB + A5, peak RSS" "$(mb "$2")" 150 MB ;;
			esac
		done
	done
	verdict "growth 10x -> 100x (linear is 10)" \
		"$(awk -v a="$ms_10" -v b="$ms_100" 'BEGIN { printf "%.1f", b / a }')" 10 x "<="
}

# ---- against pandoc and a bare XML parse (issue 15) ------------------------
all4="build -q --format epub,a5,booklet,handout --styles styles --fonts fonts"

# gen_many N DIR: N different booklets, DIR/gen-I.xml: the booklet with its
# own identifier, title and standfirst, and a sentence of its own in the
# article's first paragraph.
gen_many() {
	i=1
	while [ "$i" -le "$1" ]; do
		sed -e "s|<identifier>mums-bonding</identifier>|<identifier>gen-$i</identifier>|" \
		    -e "s|<title>Mums: bonding with|<title>Booklet $i: bonding with|" \
		    -e "s|<standfirst>Mums often|<standfirst>Booklet $i of $1. Mums often|" \
		    -e "s|protection towards their newborn baby.|protection towards their newborn baby, as booklet $i says.|" \
		    content/booklet.xml > "$2/gen-$i.xml"
		i=$((i + 1))
	done
}

against_pandoc() {
	command -v pandoc >/dev/null || { echo "bench: pandoc is missing (make test-deps)" >&2; exit 2; }
	sh tests/make-long-booklet.sh 10 > "$tmp/p10.xml"
	sh tests/make-long-booklet.sh 100 > "$tmp/p100.xml"
	sh tests/make-long-booklet.sh 100 content/booklet.md > "$tmp/p100.md"
	mkdir -p "$tmp/many" "$tmp/out"
	gen_many 100 "$tmp/many"
	for f in content/booklet.xml "$tmp/p100.xml" "$tmp/many/gen-1.xml"; do
		"$tool" $all4 -o "$tmp/out" "$f" 2>"$tmp/err" ||
			{ echo "bench: build of $f failed: $(head -1 "$tmp/err")" >&2; exit 2; }
	done
	pandoc --citeproc -o "$tmp/p.epub" content/booklet.md ||
		{ echo "bench: pandoc failed" >&2; exit 2; }
	echo "against pandoc $(pandoc --version | head -1 | cut -d' ' -f2) and a bare XML parse (issue 15): each ratio the median of pair-by-pair ratios of wall times"
	# ratio a_ms a_kb b_ms b_kb
	set -- $("$B/benchrun" "$NPAIR" "$tool" $all4 -o "$tmp/out" content/booklet.xml \
		--vs pandoc --citeproc -o "$tmp/p.epub" content/booklet.md); [ $# = 5 ] || exit 2
	echo "       (booklet, all four: $2 ms; pandoc, EPUB: $4 ms; $NPAIR pairs)"
	verdict "booklet, all four vs pandoc's EPUB alone" "$1" 20 x ">="
	set -- $("$B/benchrun" "$NPAIR100" "$tool" $all4 -o "$tmp/out" "$tmp/p100.xml" \
		--vs pandoc --citeproc -o "$tmp/p.epub" "$tmp/p100.md"); [ $# = 5 ] || exit 2
	echo "       (100x, all four: $2 ms; pandoc, EPUB: $4 ms; $NPAIR100 pair(s))"
	verdict "100x booklet, all four vs pandoc's EPUB" "$1" 30 x ">="
	set -- $("$B/benchrun" "$N100" "$tool" $all4 -o "$tmp/out" "$tmp/p100.xml"); [ $# = 2 ] || exit 2
	t100=$1
	verdict "100x booklet, all four, peak RSS" "$(mb "$2")" 100 MB "<="
	set -- $("$B/benchrun" "$N10" "$tool" $all4 -o "$tmp/out" "$tmp/p10.xml"); [ $# = 2 ] || exit 2
	echo "       (10x: $1 ms, $N10 runs; 100x: $t100 ms, $N100 runs)"
	verdict "time per x, 100x over 10x (linear is 1)" \
		"$(awk -v a="$1" -v b="$t100" 'BEGIN { printf "%.2f", (b / 100) / (a / 10) }')" 1 "" "<="
	set -- $("$B/benchrun" "$NPAIR" "$B/xmlparse" content/booklet.xml \
		--vs "$tool" check content/booklet.xml); [ $# = 5 ] || exit 2
	echo "       (check: $4 ms; parse only: $2 ms; $NPAIR pairs)"
	verdict "check vs parsing the XML only" "$1" 2 x "<="
	set -- $("$B/benchrun" 3 "$tool" $all4 -o "$tmp/out" "$tmp/many/gen-1.xml" \
		--vs "$tool" $all4 -o "$tmp/out" "$tmp/many"/gen-*.xml); [ $# = 5 ] || exit 2
	echo "       (one: $2 ms; 100 in one build: $4 ms, peak $(mb "$5") MB; 3 pairs)"
	verdict "100 booklets in one build vs one" "$1" 25 x "<"
	echo
}

# ---- hostile input ----------------------------------------------------------
# The generators: the small booklet tests/bad/ok.xml with its article
# paragraph replaced (gen_para AWK_PROGRAM), or with 50,000 references.
gen_para() {
	sed -n '1,/<title>Article<\/title>/p' tests/bad/ok.xml
	awk "BEGIN { $1 }"
	sed -n '/Bonding takes time/,$p' tests/bad/ok.xml
}
gen_refs() {
	sed -n '1,/<title>Article<\/title>/p' tests/bad/ok.xml
	awk -v n="$1" 'BEGIN {
		# every reference cited once, 100 to a citation
		for (p = 0; p < n / 100; p++) {
			printf "    <p>Sources <cite ref=\""
			for (j = 1; j <= 100; j++) printf "%sr%d", (j > 1 ? " " : ""), p * 100 + j
			print "\"/>.</p>"
		}
		print "  </part>\n  <part kind=\"references\" id=\"references\">\n    <title>References</title>"
		# three types, authors in scrambled order
		for (i = 1; i <= n; i++) {
			fam = sprintf("Name%05d", (i * 7919) % n)
			if (i % 3 == 0)
				printf "    <reference id=\"r%d\" type=\"book\">\n      <author><family>%s</family><given>A</given></author>\n      <issued>%d</issued>\n      <title>Book %d</title>\n      <publisher>NCT</publisher>\n    </reference>\n", i, fam, 1950 + i % 70, i
			else if (i % 3 == 1)
				printf "    <reference id=\"r%d\" type=\"article-journal\">\n      <author><family>%s</family><given>B</given></author>\n      <issued>%d</issued>\n      <title>Article %d</title>\n      <container-title>Journal</container-title>\n    </reference>\n", i, fam, 1950 + i % 70, i
			else
				printf "    <reference id=\"r%d\" type=\"webpage\">\n      <author><literal>%s</literal></author>\n      <issued>%d</issued>\n      <title>Page %d</title>\n      <URL>https://example.org/%d</URL>\n      <accessed>2020-01-16</accessed>\n    </reference>\n", i, fam, 1950 + i % 70, i, i
		}
		print "  </part>\n</booklet>"
	}'
}

# measure STOP_S STATUS RUNS COMMAND...: prints "median_ms peak_kb", or
# ">STOP_MS peak_kb" when a run was stopped after STOP_S seconds.
measure() {
	stop=$1 expect=$2 runs=$3
	shift 3
	"$B/benchrun" -t "$stop" -x "$expect" "$runs" "$@" |
		sed "s/^stopped />$((stop * 1000)) /"
}

hostile() {
	gen_para 'printf "    <p>"; for (i = 0; i < 40000; i++) printf "<em>a</em> "; print "</p>"' >"$tmp/em.xml"
	gen_para 'printf "    <p>Many <cite ref=\""; for (i = 1; i <= 32000; i++) printf "%sk%d", (i > 1 ? " " : ""), i; print "\"/>.</p>"' >"$tmp/cite.xml"
	gen_para 'printf "    <p>"; for (i = 0; i < 650000; i++) printf "bonding "; print "</p>"' >"$tmp/para.xml"
	gen_refs 50000 >"$tmp/refs.xml"
	echo
	echo "hostile input (issue 9): median of $NHOSTILE checks, one build each"
	set -- $(measure 5 0 "$NHOSTILE" "$tool" check "$tmp/em.xml"); [ $# = 2 ] || exit 2
	verdict "check: 40,000 <em>a</em> on one line" "$1" 500 ms
	# the 32,000 keys name no reference: exit 1, one error per key
	set -- $(measure 5 1 "$NHOSTILE" "$tool" check "$tmp/cite.xml"); [ $# = 2 ] || exit 2
	verdict "check: one <cite> with 32,000 keys" "$1" 500 ms
	set -- $(measure 5 0 "$NHOSTILE" "$tool" check "$tmp/refs.xml"); [ $# = 2 ] || exit 2
	verdict "check: 50,000 references" "$1" 500 ms
	set -- $(measure 20 0 1 "$tool" build --format epub,a5 --styles styles \
		--fonts fonts -o "$tmp/out" "$tmp/refs.xml"); [ $# = 2 ] || exit 2
	verdict "build EPUB + A5: 50,000 references" "$1" 5000 ms
	set -- $(measure 60 0 1 "$tool" build --styles styles \
		--fonts fonts -o "$tmp/out" "$tmp/para.xml"); [ $# = 2 ] || exit 2
	verdict "build all four: one 5 MB paragraph, peak RSS" \
		"$(mb "$2")" 200 MB
	echo "       (that build took $1 ms)"
}

for part in $BENCH_PARTS; do
	case $part in
	pandoc) against_pandoc ;;
	sizes) sizes ;;
	hostile) hostile ;;
	*) echo "bench: unknown part '$part'" >&2; exit 2 ;;
	esac
done
[ "${BENCH_STRICT:-1}" = 0 ] && exit 0
exit $status
