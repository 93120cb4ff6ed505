#!/bin/sh
# The imposed booklet checked from the PDFs themselves: for every sheet k
# of the A4 (and US Letter) booklet, the text of each half-sheet (pdftotext
# -x -y -W -H) matches the A5 page the saddle-stitch formula puts there
# (front N-2k+2 | 2k-1, back 2k | N-2k+1, N = pages padded to a multiple
# of 4 with blanks before the back cover); qpdf --check clean and all fonts
# embedded in the booklets and the handout; with --bleed --crop-marks the
# A5 PDF has MediaBox > BleedBox = TrimBox + 3 mm and every crop-mark
# stroke lies outside the TrimBox; --test-sheet gives one sheet (2 pages).
# Run from the repo root; CHAPBOOK is the tool.
: "${CHAPBOOK:?}"
cd "${TOP:-.}" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }

booklet=content/booklet.xml
id=$(sed -n 's:.*<identifier>\(.*\)</identifier>.*:\1:p' "$booklet" | head -1)
"$CHAPBOOK" build --format a5,booklet -o "$tmp/a4" "$booklet" >/dev/null 2>"$tmp/err"
rc=$?
a5="$tmp/a4/$id-a5.pdf"
bk="$tmp/a4/$id-booklet-a4.pdf"
if [ $rc = 0 ] && [ -s "$a5" ] && [ -s "$bk" ]; then pass "booklet build"
else fail "booklet build" "exit $rc: $(head -2 "$tmp/err")"; exit 0; fi
"$CHAPBOOK" build --format booklet --sheet letter -o "$tmp/us" "$booklet" >/dev/null 2>&1
us="$tmp/us/$id-booklet-letter.pdf"
"$CHAPBOOK" build --format handout -o "$tmp/h" "$booklet" >/dev/null 2>&1
ho="$tmp/h/$id-handout-a4.pdf"

# The first five words of some text on stdin, one line.
words() { tr -s ' \t\n\f' '\n\n\n\n' | sed '/^$/d' | head -5 | tr '\n' ' '; }

n=$(pdfinfo "$a5" | sed -n 's/^Pages: *//p')
N=$(( (n + 3) / 4 * 4 ))
p=1
while [ $p -le "$n" ]; do
	pdftotext -f $p -l $p "$a5" - 2>/dev/null | words >"$tmp/page.$p"
	p=$((p + 1))
done

# The A5 page (1-based) at padded position q, or 0 for a blank: blanks
# go before the back cover (the last page).
page_at() {
	if [ "$1" -lt "$n" ]; then echo "$1"
	elif [ "$1" = "$N" ]; then echo "$n"
	else echo 0; fi
}

# order PDF NAME: check every half of every sheet side against the formula.
order() {
	pdf=$1 name=$2
	sides=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
	if [ "$sides" != $((N / 2)) ]; then
		fail "$name sides" "$sides sheet sides for $n pages"; return
	fi
	pass "$name sides ($sides for $n pages)"
	w=$(pdfinfo "$pdf" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\1/p')
	h=$(pdfinfo "$pdf" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\2/p')
	hw=$(awk -v w="$w" 'BEGIN { printf "%d", w / 2 }')
	hh=$(awk -v h="$h" 'BEGIN { printf "%d", h + 1 }')
	bad= k=1
	while [ $k -le $((N / 4)) ]; do
		for spec in "f 0 $((N - 2 * k + 2))" "f 1 $((2 * k - 1))" \
			    "b 0 $((2 * k))" "b 1 $((N - 2 * k + 1))"; do
			set -- $spec
			side=$((2 * k - 1))
			[ "$1" = b ] && side=$((2 * k))
			x=0
			[ "$2" = 1 ] && x=$((hw + 1))
			want=$(page_at "$3")
			got=$(pdftotext -f $side -l $side -x $x -y 0 -W "$hw" \
				-H "$hh" "$pdf" - 2>/dev/null | words)
			if [ "$want" = 0 ]; then exp=""
			else exp=$(cat "$tmp/page.$want"); fi
			if [ "$got" != "$exp" ]; then
				# which A5 page is it, then?
				is=blank q=1
				while [ $q -le "$n" ]; do
					[ -n "$got" ] && [ "$got" = "$(cat "$tmp/page.$q")" ] && is=$q
					q=$((q + 1))
				done
				bad="$bad sheet $k $1 half $2: page $is, want $want;"
			fi
		done
		k=$((k + 1))
	done
	if [ -z "$bad" ]; then pass "$name saddle-stitch order ($N pages)"
	else fail "$name saddle-stitch order" "$bad"; fi
}
order "$bk" "booklet a4"
order "$us" "booklet letter"

# Print is not a screen: the A5 PDF draws links and citations in the
# style's link-color, the imposed booklet (for paper) draws the same pages
# with them in print-link-color; nothing else changes colour.
# glyphs per text colour (mutool) near the style's link-color and
# print-link-color (within 1 per channel: mutool rounds), and in all
counts() {
	mutool draw -F stext -o - "$1" 2>/dev/null | /usr/bin/python3 -c '
import re, sys
def rgb(h): return [int(h[i:i + 2], 16) for i in (0, 2, 4)]
style = dict(re.findall(r"^([a-z-]+) *= *#([0-9a-f]{6})", open(sys.argv[1]).read(), re.M))
cols = re.findall(r"<char [^>]*color=\"#([0-9a-f]{6})\"", sys.stdin.read())
near = lambda key: sum(1 for c in cols if max(abs(a - b) for a, b in zip(rgb(c), rgb(style[key]))) <= 1)
print(near("link-color"), near("print-link-color"), len(cols))' styles/a5.style
}
set -- $(counts "$a5"); la5=$1 pa5=$2 ta5=$3
set -- $(counts "$bk"); lbk=$1 pbk=$2 tbk=$3
if [ "${la5:-0}" -gt 0 ] && [ "$lbk" = 0 ] && [ "$pbk" = $((pa5 + la5)) ] && [ "$ta5" = "$tbk" ]; then
	pass "print draws links in print-link-color ($la5 glyphs; screen A5 keeps link-color)"
else fail "print draws links in print-link-color" "a5: $la5 link, $pa5 text of $ta5; booklet: $lbk link, $pbk text of $tbk"; fi

# The half-sheet texts must tell pages apart for the order check to mean
# anything: body pages are distinct.
dups=$(cat "$tmp"/page.* | sort | uniq -d | sed '/^ *$/d' | head -1)
if [ -z "$dups" ]; then pass "booklet pages distinguishable"
else fail "booklet pages distinguishable" "$dups"; fi

# qpdf clean and every font embedded.
clean() {
	pdf=$1 name=$2
	if [ ! -s "$pdf" ]; then fail "$name built"; return; fi
	out=$(qpdf --check "$pdf" 2>&1)
	if [ $? = 0 ] && ! echo "$out" | grep -qi warning; then
		pass "$name qpdf --check"
	else fail "$name qpdf --check" "$(echo "$out" | grep -im1 'warning\|error')"; fi
	nf=$(pdffonts "$pdf" 2>/dev/null | tail -n +3 | wc -l)
	notemb=$(pdffonts "$pdf" 2>/dev/null | tail -n +3 |
		awk '{ n = NF - 4; if ($n != "yes") print $1 }')
	if [ "$nf" -gt 0 ] && [ -z "$notemb" ]; then pass "$name fonts embedded"
	else fail "$name fonts embedded" "$nf fonts; not embedded: $notemb"; fi
}
clean "$bk" "booklet a4"
clean "$us" "booklet letter"
clean "$ho" "handout"

# Bleed and crop marks on the A5 PDF.
"$CHAPBOOK" build --format a5 --bleed --crop-marks -o "$tmp/bl" "$booklet" >/dev/null 2>&1
bl="$tmp/bl/$id-a5.pdf"
clean "$bl" "bleed a5"
pdfinfo -box -f 1 -l "$n" "$bl" >"$tmp/box" 2>/dev/null
boxes=$(awk '
	/MediaBox:/ { m0 = $4; m1 = $5; m2 = $6; m3 = $7 }
	/BleedBox:/ { b0 = $4; b1 = $5; b2 = $6; b3 = $7 }
	/TrimBox:/ {
		t0 = $4; t1 = $5; t2 = $6; t3 = $7; pages++
		mm3 = 3 * 72 / 25.4
		# media at least 3 mm beyond the trim each side
		if (t0 - m0 < mm3 || t1 - m1 < mm3 || m2 - t2 < mm3 ||
		    m3 - t3 < mm3) bad = bad " media" pages
		# bleed = trim + 8.5 pt each side (0.02 pt rounding)
		d = 8.504
		if ((t0 - b0 - d) ^ 2 > 0.0004 || (t1 - b1 - d) ^ 2 > 0.0004 ||
		    (b2 - t2 - d) ^ 2 > 0.0004 || (b3 - t3 - d) ^ 2 > 0.0004)
			bad = bad " bleed" pages
		# trim = A5
		if ((t2 - t0 - 419.53) ^ 2 > 0.01 || (t3 - t1 - 595.28) ^ 2 > 0.01)
			bad = bad " trim" pages
	}
	END { print pages + 0, bad }' "$tmp/box")
set -- $boxes
if [ "$1" = "$n" ] && [ $# = 1 ]; then
	pass "bleed boxes (MediaBox > BleedBox = TrimBox + 3 mm, $n pages)"
else fail "bleed boxes" "$boxes"; fi
# Crop marks: the strokes drawn outside any q/Q group (the page content is
# drawn inside one), from page 1 and an inner page; every one must lie
# outside the TrimBox and there must be eight (two per corner).
marks_ok=1 detail=
for pg in 1 3; do
	obj=$(qpdf --show-pages "$bl" | awk -v p="page $pg:" '
		index($0, p) == 1 { want = 1; next }
		want && /^ +[0-9]+ 0 R/ { print $1; exit }')
	trim=$(sed -n "s/^Page *$pg TrimBox: *//p" "$tmp/box")
	res=$(qpdf --show-object="$obj" --filtered-stream-data "$bl" 2>/dev/null |
	      awk -v trim="$trim" '
		BEGIN { split(trim, t, " +"); depth = 0 }
		$NF == "q" { depth++ }
		$NF == "Q" { depth-- }
		depth == 0 && NF == 3 && $3 == "m" { x = $1; y = $2 }
		depth == 0 && NF == 3 && $3 == "l" {
			n++
			outside = (x <= t[1] + 0.01 && $1 <= t[1] + 0.01) ||
				  (x >= t[3] - 0.01 && $1 >= t[3] - 0.01) ||
				  (y <= t[2] + 0.01 && $2 <= t[2] + 0.01) ||
				  (y >= t[4] - 0.01 && $2 >= t[4] - 0.01)
			if (!outside) { bad++; where = where " " x "," y "-" $1 "," $2 }
			x = $1; y = $2
		}
		END { print n + 0, bad + 0, where }')
	set -- $res
	if [ "$1" -lt 8 ] || [ "$2" != 0 ]; then
		marks_ok=0 detail="$detail page $pg: $res;"
	fi
done
if [ $marks_ok = 1 ]; then pass "crop marks outside the TrimBox"
else fail "crop marks outside the TrimBox" "$detail"; fi

# The test sheet: one sheet, front and back, labelled, in a file of its
# own: building it beside a booklet leaves the booklet as it was.
"$CHAPBOOK" build --format booklet -o "$tmp/ts" "$booklet" >/dev/null 2>&1
before=$(cksum <"$tmp/ts/$id-booklet-a4.pdf")
"$CHAPBOOK" build --format booklet --test-sheet -o "$tmp/ts" "$booklet" >/dev/null 2>&1
ts="$tmp/ts/$id-booklet-a4-test.pdf"
after=$(cksum <"$tmp/ts/$id-booklet-a4.pdf")
if [ -s "$ts" ] && [ "$before" = "$after" ]; then
	pass "test sheet written to its own file, the booklet untouched"
else fail "test sheet written to its own file, the booklet untouched" "$(ls "$tmp/ts")"; fi
"$CHAPBOOK" build --format booklet --sheet letter --test-sheet -o "$tmp/ts" "$booklet" >/dev/null 2>&1
if [ -s "$tmp/ts/$id-booklet-letter-test.pdf" ]; then pass "letter test sheet named -booklet-letter-test.pdf"
else fail "letter test sheet named -booklet-letter-test.pdf" "$(ls "$tmp/ts")"; fi
np=$(pdfinfo "$ts" 2>/dev/null | sed -n 's/^Pages: *//p')
txt=$(pdftotext "$ts" - 2>/dev/null)
if [ "$np" = 2 ] && echo "$txt" | grep -q "sheet 1 front" &&
   echo "$txt" | grep -q "sheet 1 back" && ! echo "$txt" | grep -q "sheet 2"; then
	pass "test sheet is sheet 1 only"
else fail "test sheet is sheet 1 only" "$np pages"; fi
clean "$ts" "test sheet"
exit 0
