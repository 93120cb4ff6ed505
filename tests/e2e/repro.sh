#!/bin/sh
# Reproducible and atomic builds: two builds with SOURCE_DATE_EPOCH in two
# different directories are byte-identical; without it the dates are the
# booklet's review date; a failed build leaves the old outputs untouched and
# no temporary files; an unwritable output directory is exit 2 with a message.
: "${CHAPBOOK:?}" "${TOP:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
outs="mums-bonding.epub mums-bonding-a5.pdf mums-bonding-booklet-a4.pdf mums-bonding-handout-a4.pdf"

for d in one two; do
	mkdir -p "$tmp/$d"
	cp -R "$TOP/content" "$TOP/styles" "$TOP/fonts" "$tmp/$d/"
done
(cd "$tmp/one" && SOURCE_DATE_EPOCH=1700000000 "$CHAPBOOK" build -o out content/booklet.xml) >/dev/null 2>"$tmp/err1"
rc1=$?
sleep 1
(cd "$tmp/two" && SOURCE_DATE_EPOCH=1700000000 "$CHAPBOOK" build -o out content/booklet.xml) >/dev/null 2>"$tmp/err2"
rc2=$?
if [ "$rc1" = 0 ] && [ "$rc2" = 0 ]; then pass "repro: both builds succeed"
else fail "repro: both builds succeed" "exit $rc1/$rc2: $(head -1 "$tmp/err1")"; fi
for f in $outs; do
	a=$(sha256sum < "$tmp/one/out/$f" 2>/dev/null | cut -d' ' -f1)
	b=$(sha256sum < "$tmp/two/out/$f" 2>/dev/null | cut -d' ' -f1)
	if [ -n "$a" ] && [ -f "$tmp/one/out/$f" ] && [ "$a" = "$b" ]; then pass "repro: $f byte-identical"
	else fail "repro: $f byte-identical" "$a vs $b"; fi
done

# Without SOURCE_DATE_EPOCH: the review date (2020-01-01) at midnight UTC.
(cd "$tmp/one" && env -u SOURCE_DATE_EPOCH "$CHAPBOOK" build -o dated content/booklet.xml) >/dev/null 2>&1
cd_=$(pdfinfo -isodates "$tmp/one/dated/mums-bonding-a5.pdf" 2>/dev/null | sed -n 's/^CreationDate: *//p')
case $cd_ in
2020-01-01*) pass "repro: PDF CreationDate is the review date" ;;
*) fail "repro: PDF CreationDate is the review date" "got '$cd_'" ;;
esac
mod=$(unzip -p "$tmp/one/dated/mums-bonding.epub" '*.opf' 2>/dev/null |
	sed -n 's/.*property="dcterms:modified"[^>]*>\([^<]*\)<.*/\1/p' | head -1)
if [ "$mod" = "2020-01-01T00:00:00Z" ]; then pass "repro: EPUB dcterms:modified is the review date"
else fail "repro: EPUB dcterms:modified is the review date" "got '$mod'"; fi

# Atomicity: a broken booklet into a directory of good outputs.
mkdir -p "$tmp/keep"
cp "$tmp/one/out/"* "$tmp/keep/"
(cd "$tmp/keep" && sha256sum $outs) > "$tmp/before"
"$CHAPBOOK" build -o "$tmp/keep" "$TOP/tests/bad/unknown-key.xml" >/dev/null 2>&1
rc=$?
if [ "$rc" != 0 ]; then pass "atomic: broken booklet fails"
else fail "atomic: broken booklet fails" "exit 0"; fi
if (cd "$tmp/keep" && sha256sum -c --quiet "$tmp/before") >/dev/null 2>&1; then
	pass "atomic: old outputs unchanged"
else fail "atomic: old outputs unchanged"; fi
left=$(find "$tmp/keep" -name '*.tmp.*' | head -1)
if [ -z "$left" ]; then pass "atomic: no temporary files left"
else fail "atomic: no temporary files left" "$left"; fi

# Unwritable output directory (tests run as root: a path below a file).
: > "$tmp/file"
"$CHAPBOOK" build -o "$tmp/file/sub" "$TOP/content/booklet.xml" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" = 2 ] && [ -s "$tmp/err" ]; then pass "atomic: unwritable directory exits 2 with a diagnostic"
else fail "atomic: unwritable directory exits 2 with a diagnostic" "exit $rc: $(head -1 "$tmp/err")"; fi
left=$(find "$tmp" -name '*.tmp.*' | head -1)
if [ -z "$left" ]; then pass "atomic: no temporary files after failures"
else fail "atomic: no temporary files after failures" "$left"; fi

# A long booklet's PDFs are written on other threads when it builds every
# output (its pages compressed beside the drawing, the imposed booklet
# after the EPUB on the EPUB's thread): the same bytes as each PDF built
# alone, in turn.
sh "$TOP/tests/make-long-booklet.sh" 100 >"$tmp/x100.xml"
opts="--styles $TOP/styles --fonts $TOP/fonts"
SOURCE_DATE_EPOCH=1700000000 "$CHAPBOOK" build -q $opts -o "$tmp/all" "$tmp/x100.xml" 2>"$tmp/errl"
rca=$?
same=0 n=0
for fmt in a5 booklet handout; do
	SOURCE_DATE_EPOCH=1700000000 "$CHAPBOOK" build -q $opts --format $fmt -o "$tmp/alone-$fmt" "$tmp/x100.xml" 2>>"$tmp/errl"
	for f in "$tmp/alone-$fmt"/*.pdf; do
		n=$((n + 1))
		cmp -s "$f" "$tmp/all/$(basename "$f")" && same=$((same + 1))
	done
done
if [ "$rca" = 0 ] && [ "$n" = 3 ] && [ "$same" = 3 ]; then
	pass "repro: the 100x booklet's PDFs built with every output are those built alone"
else fail "repro: the 100x booklet's PDFs built with every output are those built alone" "exit $rca, $same of $n the same: $(head -1 "$tmp/errl")"; fi

# The EPUB is the same whichever outputs are built with it: alone and with
# the A5 it writes its pages and zips them while the cover is still being
# drawn on another thread (the cover's bytes read last); with all four it
# waits for the cover first. Its zip holds the cover last either way.
SOURCE_DATE_EPOCH=1700000000 "$CHAPBOOK" build -q $opts --format epub -o "$tmp/e1" "$TOP/content/booklet.xml" 2>"$tmp/erre"
rc1=$?
SOURCE_DATE_EPOCH=1700000000 "$CHAPBOOK" build -q $opts --format epub,a5 -o "$tmp/e2" "$TOP/content/booklet.xml" 2>>"$tmp/erre"
rc2=$?
same=0
for d in e1 e2; do
	cmp -s "$tmp/$d/mums-bonding.epub" "$tmp/one/out/mums-bonding.epub" && same=$((same + 1))
done
last=$(unzip -Z1 "$tmp/e1/mums-bonding.epub" 2>/dev/null | tail -1)
if [ "$rc1$rc2" = 00 ] && [ "$same" = 2 ] && [ "$last" = OEBPS/cover.png ]; then
	pass "repro: the EPUB built alone, with the A5 and with all four is the same, its cover last"
else fail "repro: the EPUB built alone, with the A5 and with all four is the same, its cover last" "exit $rc1/$rc2, $same of 2 the same, last entry $last: $(head -1 "$tmp/erre")"; fi
