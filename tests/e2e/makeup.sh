#!/bin/sh
# Page make-up as a book designer checks it (tests/pagecheck.py, reading
# the geometry back from each PDF) on two differently shaped booklets: the
# default one and tests/fixtures/makeup/booklet.xml (long three-line
# headings, five experiences, a long list, short parts). For each: the A5
# (full pages, level spreads, nothing stranded, a multiple of 4 pages, no
# blank page, balanced headings and contents entries), the imposed booklet
# (no blank half-sheet), the A4 handout and the US Letter handout (title
# and text on page 1, no page but the last more than two lines short).
# Then a booklet with four pages of contents (the 10x article). Then the
# cover picture: drawn on the cover, refused when too large; and
# link addresses as numbered notes (link-address = note).
# Run from the repo root; CHAPBOOK is the tool.
: "${CHAPBOOK:?}"
cd "${TOP:-.}" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS makeup: $1"; }
fail() { echo "FAIL makeup: $1${2:+: $2}"; }
PY=/usr/bin/python3

# pagecheck LABEL KIND STYLE PDF: every check of tests/pagecheck.py, as
# one PASS or FAIL line per check.
pagecheck() {
	$PY tests/pagecheck.py --label "$1" --kind "$2" --style "$3" "$4" 2>&1 |
		sed 's/^/  /' >"$tmp/pc.out"
	if ! grep -q '^  FAIL' "$tmp/pc.out" && grep -q '^  PASS' "$tmp/pc.out"; then
		pass "$1: $(grep -c '^  PASS' "$tmp/pc.out") page checks"
	else
		grep '^  FAIL' "$tmp/pc.out"
		fail "$1: page checks" "$(grep -c '^  FAIL' "$tmp/pc.out") failed"
	fi
}

# blank_halves PDF: the number of half-sheets of an imposed booklet with
# no text on them.
blank_halves() {
	sides=$(pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p')
	w=$(pdfinfo "$1" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\1/p')
	h=$(pdfinfo "$1" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\2/p')
	hw=$(awk -v w="$w" 'BEGIN { printf "%d", w / 2 }')
	hh=$(awk -v h="$h" 'BEGIN { printf "%d", h + 1 }')
	n=0 s=1
	while [ "$s" -le "${sides:-0}" ]; do
		for x in 0 $((hw + 1)); do
			t=$(pdftotext -f $s -l $s -x $x -y 0 -W "$hw" -H "$hh" "$1" - 2>/dev/null | tr -d ' \n\f')
			[ -z "$t" ] && n=$((n + 1))
		done
		s=$((s + 1))
	done
	echo "$n"
}

for booklet in content/booklet.xml tests/fixtures/makeup/booklet.xml; do
	id=$(sed -n 's:.*<identifier>\(.*\)</identifier>.*:\1:p' "$booklet" | head -1)
	out="$tmp/$id"
	if ! "$CHAPBOOK" build --format a5,booklet,handout --styles styles --fonts fonts \
		-o "$out" "$booklet" >/dev/null 2>"$tmp/err"; then
		fail "$id build" "$(head -2 "$tmp/err")"
		continue
	fi
	pagecheck "$id A5" a5 styles/a5.style "$out/$id-a5.pdf"
	pagecheck "$id handout A4" handout styles/a4-handout.style "$out/$id-handout-a4.pdf"
	nb=$(blank_halves "$out/$id-booklet-a4.pdf")
	if [ "$nb" = 0 ]; then pass "$id imposed booklet has no blank page"
	else fail "$id imposed booklet has no blank page" "$nb blank half-sheets"; fi
	"$CHAPBOOK" build --format handout --sheet letter --styles styles --fonts fonts \
		-o "$out" "$booklet" >/dev/null 2>"$tmp/err"
	letter="$out/$id-handout-letter.pdf"
	size=$(pdfinfo "$letter" 2>/dev/null | sed -n 's/^Page size: *//p' |
		awk '{ printf "%.0f x %.0f", $1, $3 }')
	if [ "$size" = "612 x 792" ]; then pass "$id handout on Letter paper (-handout-letter.pdf)"
	else fail "$id handout on Letter paper" "page size '$size': $(head -1 "$tmp/err")"; fi
	[ -s "$letter" ] && pagecheck "$id handout Letter" handout styles/a4-handout.style "$letter"
done

# A booklet whose contents runs over four pages (the article ten times,
# tests/make-long-booklet.sh): those pages full and level in spreads like
# the text's (the space above a part's entry stretches), no part's entry
# left at a page's foot without its first entry.
sh tests/make-long-booklet.sh 10 > "$tmp/x10.xml"
if "$CHAPBOOK" build --format a5 --styles styles --fonts fonts \
	-o "$tmp/x10" "$tmp/x10.xml" >/dev/null 2>"$tmp/err"; then
	pagecheck "10x booklet A5 (four pages of contents)" a5 styles/a5.style \
		"$tmp/x10/mums-bonding-a5.pdf"
else
	fail "10x booklet build" "$(head -2 "$tmp/err")"
fi

# The default A5's word spacing is no worse than before the page make-up
# changed its measure (issue 10; tests/typo_metrics.py): p95 1.62, max
# 2.30, 7 lines over 1.5 times the natural space, hyphens 2 in a row.
if $PY tests/typo_metrics.py --max-p95 1.62 --max-ratio 2.30 --max-over 7 \
	--max-hyphen-run 2 "$tmp/mums-bonding/mums-bonding-a5.pdf" >"$tmp/typo" 2>&1; then
	pass "A5 word spacing no worse than before: $(tail -1 "$tmp/typo")"
else fail "A5 word spacing no worse than before" "$(tail -1 "$tmp/typo")"; fi

# The cover picture: the fixture's cover.png drawn once on the A5's cover
# and on the imposed booklet; the default booklet has none.
np=$(pdfimages -list "$tmp/partners-first-months/partners-first-months-a5.pdf" 2>/dev/null | tail -n +3 | awk '$1 == 1' | wc -l)
nb=$(pdfimages -list "$tmp/partners-first-months/partners-first-months-booklet-a4.pdf" 2>/dev/null | tail -n +3 | wc -l)
nd=$(pdfimages -list "$tmp/mums-bonding/mums-bonding-a5.pdf" 2>/dev/null | tail -n +3 | wc -l)
if [ "$np" = 1 ] && [ "$nb" = 1 ] && [ "$nd" = 0 ]; then pass "cover picture on the cover page, only"
else fail "cover picture on the cover page, only" "a5 page 1: $np, booklet: $nb, default: $nd"; fi

# A picture its file says is too large is refused when the build decodes
# it, at the <cover> element, and nothing is written.
mkdir "$tmp/big"
sed 's|<cover image="cover.png"|<cover image="huge.png"|' tests/fixtures/makeup/booklet.xml >"$tmp/big/booklet.xml"
$PY - "$tmp/big/huge.png" <<'PYEOF'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 9000, 100, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PYEOF
line=$(grep -n '<cover ' "$tmp/big/booklet.xml" | cut -d: -f1)
"$CHAPBOOK" build --format a5 --styles styles --fonts fonts -o "$tmp/big/out" "$tmp/big/booklet.xml" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 1 ] && grep -q "booklet.xml:$line:[0-9]*: error: cover image: PNG image is 9000 x 100 pixels; the limit is 8000 on each side" "$tmp/err" &&
   [ -z "$(ls -A "$tmp/big/out" 2>/dev/null)" ]; then
	pass "an oversized cover picture is an error at <cover>, nothing written"
else fail "an oversized cover picture is an error at <cover>, nothing written" "exit $rc: $(head -1 "$tmp/err")"; fi
# A picture with more pixels than print needs is embedded at the style's
# image-max-ppi (300 in styles/a5.style), screen and print alike.
mkdir -p "$tmp/dense"
cp tests/fixtures/makeup/booklet.xml "$tmp/dense/"
$PY - "$tmp/dense/cover.png" <<'PYEOF'
import struct, sys, zlib
w, h = 3000, 2000
row = b"\0" + bytes((x * 7 % 256, x % 256, 255 - x % 256)[i] for x in range(w) for i in range(3))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(row * h)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PYEOF
# ... and the EPUB's cover is that picture shrunk to 1600 pixels wide, a
# JPEG (a booklet's own picture within 1600 x 2560 goes in as it is).
if "$CHAPBOOK" build --format epub --styles styles --fonts fonts -o "$tmp/dense/epub" \
	"$tmp/dense/booklet.xml" >"$tmp/dense.log" 2>&1; then
	(cd "$tmp/dense" && unzip -q -o epub/*.epub OEBPS/cover.jpg 2>/dev/null)
	dims=$($PY -c "import sys; from PIL import Image; print('%dx%d' % Image.open(sys.argv[1]).size)" "$tmp/dense/OEBPS/cover.jpg" 2>/dev/null)
	if [ "$dims" = 1600x1067 ]; then pass "a dense cover picture is a 1600-pixel JPEG in the EPUB"
	else fail "a dense cover picture is a 1600-pixel JPEG in the EPUB" "cover.jpg: '$dims'"; fi
else fail "EPUB with a dense cover picture" "$(head -2 "$tmp/dense.log")"; fi
for mode in screen print; do
	flag=; [ $mode = print ] && flag=--print
	if "$CHAPBOOK" build --format a5 $flag --styles styles --fonts fonts -o "$tmp/dense/$mode" \
		"$tmp/dense/booklet.xml" >"$tmp/dense.log" 2>&1; then
		ppi=$(pdfimages -list "$tmp/dense/$mode"/*.pdf | awk 'NR > 2 && $1 == 1 { print $13 }')
		if [ -n "$ppi" ] && [ "$ppi" -le 300 ] && [ "$ppi" -ge 295 ]; then
			pass "a dense cover picture embedded at 300 ppi ($mode: $ppi)"
		else fail "a dense cover picture embedded at 300 ppi ($mode)" "ppi '$ppi'"; fi
	else fail "build with a dense cover picture ($mode)" "$(head -2 "$tmp/dense.log")"; fi
done

# link-address = note: the default booklet and the fixture with their
# addresses as numbered notes at the ends of their parts; the pages still
# pass every page check, the A5 every Matterhorn condition checked, and the
# EPUB's page markers still open their pages' text.
mkdir -p "$tmp/note/styles"
cp styles/* "$tmp/note/styles/"
sed -i 's/^link-address = after$/link-address = note\nlink-notes-title = Web addresses/' "$tmp/note/styles/a5.style"
for booklet in content/booklet.xml tests/fixtures/makeup/booklet.xml; do
	out="$tmp/note/$(basename "$(dirname "$booklet")")"
	if ! "$CHAPBOOK" build --format epub,a5 --styles "$tmp/note/styles" --fonts fonts \
		-o "$out" "$booklet" >"$tmp/note.log" 2>&1; then
		fail "notes: build $booklet" "$(head -3 "$tmp/note.log")"
		continue
	fi
	pdf=$(ls "$out"/*-a5.pdf)
	words=$(pdftotext "$pdf" - | tr '\n' ' ')
	case $words in
	*"Web addresses"*"1. "*) pass "notes: $booklet lists its addresses" ;;
	*) fail "notes: $booklet lists its addresses" ;;
	esac
	pagecheck "notes: $booklet A5" a5 "$tmp/note/styles/a5.style" "$pdf"
	nrefs=$(grep -c '<reference ' "$booklet")
	if $PY tests/pdfua_check.py --bibentries "$nrefs" "$pdf" >"$tmp/ua.out" 2>&1; then
		pass "notes: $booklet A5 passes the Matterhorn checks"
	else fail "notes: $booklet A5 passes the Matterhorn checks" "$(grep FAIL "$tmp/ua.out" | head -2)"; fi
	$PY tests/epub_pages.py "$out"/*.epub "$pdf" "$tmp/note/styles/a5.style" |
		sed "s#^\(PASS\|FAIL\) #\1 makeup: notes: $booklet: #"
done
exit 0
