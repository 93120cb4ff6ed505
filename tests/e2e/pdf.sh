#!/bin/sh
# The A5 PDF of the default booklet checked with the real tools: qpdf
# --check, pdffonts (all embedded), pdfinfo (page size), pdftotext (every
# expected sentence, no warnings), the outline (one entry per part and
# section), link annotations (every contents entry and citation), and a
# geometry check over `pdftotext -bbox`: no word outside the text block of
# styles/a5.style (running head and folio excepted) and no widow or orphan.
# Run from the repo root; CHAPBOOK is the tool.
: "${CHAPBOOK:?}"
cd "${TOP:-.}" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# PDF_KIND=handout runs the same checks on the A4 handout (tests/e2e/handout.sh).
kind=${PDF_KIND:-a5}
tag=$kind
pass() { echo "PASS $tag: $1"; }
fail() { echo "FAIL $tag: $1${2:+: $2}"; }
check() { # name, then a command whose success means PASS
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

booklet=content/booklet.xml
id=$(sed -n 's:.*<identifier>\(.*\)</identifier>.*:\1:p' "$booklet" | head -1)
if [ "$kind" = a5 ]; then
	style=styles/a5.style; format=a5; pdf="$tmp/out/$id-a5.pdf"
	want_size="419.53 x 595.28 pts"
else
	style=styles/a4-handout.style; format=handout
	pdf="$tmp/out/$id-handout-a4.pdf"; want_size="595.28 x 841.89 pts"
fi
mkdir "$tmp/out"
"$CHAPBOOK" build --format $format -o "$tmp/out" "$booklet" >"$tmp/build.out" 2>"$tmp/build.err"
rc=$?
if [ $rc = 0 ] && [ -s "$pdf" ]; then pass "pdf build"
else fail "pdf build" "exit $rc: $(head -3 "$tmp/build.err")"; exit 0; fi
mkdir "$tmp/h"
"$CHAPBOOK" build --format handout -o "$tmp/h" "$booklet" >/dev/null 2>&1
hsize=$(pdfinfo "$tmp/h/$id-handout-a4.pdf" 2>/dev/null | sed -n 's/^Page size: *//p' |
	awk '{ printf "%.2f x %.2f %s", $1, $3, $4 }')
if [ "$hsize" = "595.28 x 841.89 pts" ]; then pass "pdf handout built (A4)"
else fail "pdf handout built (A4)" "$hsize"; fi
if grep -q 'overfull\|does not fit' "$tmp/build.err"; then
	fail "pdf no overfull lines" "$(grep -m1 'fit' "$tmp/build.err")"
else pass "pdf no overfull lines"; fi

# qpdf: structure clean, no warnings
qpdf --check "$pdf" >"$tmp/qpdf.out" 2>&1
rc=$?
if [ $rc = 0 ] && ! grep -qi 'warning' "$tmp/qpdf.out"; then
	pass "pdf qpdf --check"
else fail "pdf qpdf --check" "exit $rc: $(grep -im1 'warning\|error' "$tmp/qpdf.out")"; fi

# fonts: every font embedded, no warnings
pdffonts "$pdf" >"$tmp/fonts.out" 2>"$tmp/fonts.err"
nf=$(tail -n +3 "$tmp/fonts.out" | wc -l)
notemb=$(tail -n +3 "$tmp/fonts.out" | awk '{ n = NF - 4; if ($n != "yes") print $1 }')
if [ "$nf" -gt 0 ] && [ -z "$notemb" ]; then pass "pdf fonts embedded"
else fail "pdf fonts embedded" "$notemb"; fi
if [ -s "$tmp/fonts.err" ]; then fail "pdffonts silent" "$(head -1 "$tmp/fonts.err")"
else pass "pdffonts silent"; fi

# page size: A5
size=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Page size: *//p' |
	awk '{ printf "%.2f x %.2f %s", $1, $3, $4 }')
case $size in
"$want_size") pass "pdf page size ($want_size)" ;;
*) fail "pdf page size ($want_size)" "$size" ;;
esac

# geometry from the style: lengths in pt
len() {
	sed -n "s/^$1 *= *//p" "$style" | awk '{
		v = $1 + 0
		if ($1 ~ /mm$/) v = v * 72 / 25.4
		else if ($1 ~ /in$/) v = v * 72
		print v }'
}
W=$(len page-width); H=$(len page-height)
MT=$(len margin-top); MB=$(len margin-bottom)
MI=$(len margin-inner); MO=$(len margin-outer)
FB=$(len footer-baseline); FTS=$(len footer-size)
HB=$(len header-baseline); HS=$(len header-size)
PI=$(len paragraph-indent); LEAD=$(len body-leading)
# every expected sentence in the text block (hyphenated line ends joined;
# running heads and folios left out, so that a sentence running over a
# page break reads on)
pdftotext -enc UTF-8 -x 0 -y "$(awk -v t="$MT" 'BEGIN { printf "%d", t - 2 }')" \
	-W "$(awk -v w="$W" 'BEGIN { printf "%d", w + 1 }')" \
	-H "$(awk -v h="$H" -v t="$MT" -v b="$MB" 'BEGIN { printf "%d", h - t - b + 4 }')" \
	"$pdf" "$tmp/text.txt" 2>"$tmp/text.err"
if [ -s "$tmp/text.err" ]; then fail "pdftotext silent" "$(head -1 "$tmp/text.err")"
else pass "pdftotext silent"; fi
# one long line, words joined across line breaks by the marks chapbook
# puts in the text layer (tests/pdf_flat_text.sh says which)
sh tests/pdf_flat_text.sh "$tmp/text.txt" "$booklet" >"$tmp/flat.txt"
# print shows the address of a link whose text is not its address, after
# the text: "PANDAS (pandasfoundation.org.uk)". Every such link must read
# so; the sentences are then matched without the addresses.
sed -n 's#.*<link href="\(https*://[^"]*\)">\([^<]*\)</link>.*#\1 \2#p' "$booklet" |
	while read -r href text; do
		addr=$(printf '%s' "$href" | sed 's,^https*://,,; s,/*$,,')
		case $text in *"$addr"*|http*) continue ;; esac
		printf '%s (%s)\n' "$text" "$addr"
	done | sort -u >"$tmp/addr.txt"
# (an address may break at a dot or slash: the text without spaces says so
# too)
tr -d ' ' <"$tmp/flat.txt" >"$tmp/flat.bare"
naddr=0 badaddr=
while IFS= read -r shown; do
	naddr=$((naddr + 1))
	grep -qF -- "$shown" "$tmp/flat.txt" ||
		grep -qF -- "$(printf '%s' "$shown" | tr -d ' ')" "$tmp/flat.bare" ||
		badaddr="$badaddr $shown;"
done <"$tmp/addr.txt"
if [ "$naddr" -gt 0 ] && [ -z "$badaddr" ]; then pass "pdf prints link addresses ($naddr)"
else fail "pdf prints link addresses" "${badaddr:-no such link in $booklet}"; fi
while IFS= read -r shown; do
	addr=${shown##* (}
	text=${shown% (*}
	sed -i "s|$text ($addr|$text|g" "$tmp/flat.txt"
	# the address broken at a line end: "(pandasfoundation. org.uk)"
	broken=$(printf '%s' "$addr" | sed 's|\([./]\)|\1 \\?|g')
	sed -i "s|$text ($broken|$text|g" "$tmp/flat.txt"
done <"$tmp/addr.txt"
missing=0
nsent=0
while IFS= read -r line; do
	case $line in '#'*|'') continue ;; esac
	nsent=$((nsent + 1))
	if grep -qF -- "$line" "$tmp/flat.txt"; then continue; fi
	missing=$((missing + 1))
	[ $missing -le 3 ] && echo "  missing: $line"
done <tests/data/sentences.txt
if [ "$nsent" -gt 0 ] && [ $missing = 0 ]; then pass "pdf has every sentence ($nsent)"
else fail "pdf has every sentence" "$missing of $nsent missing"; fi

# outline: one entry per part and section, plus the contents
nparts=$(grep -c '<part[ >]' "$booklet")
nsect=$(grep -c '<section[ >]' "$booklet")
want=$((nparts + nsect))
mutool show "$pdf" outline >"$tmp/outline.txt" 2>"$tmp/outline.err"
nout=$(grep -c . "$tmp/outline.txt")
if [ "$nout" -ge "$want" ] && [ "$nout" -le $((want + 1)) ]; then
	pass "pdf outline has every part and section ($nout)"
else fail "pdf outline has every part and section" "$nout entries, want $want(+1)"; fi

# link annotations: internal (contents entries, citation labels) and URI
qpdf --qdf --object-streams=disable "$pdf" "$tmp/q.pdf" 2>/dev/null
awk '
/^[0-9]+ 0 obj/ { link = 0; dest = 0; uri = 0 }
/\/Subtype \/Link/ { link = 1 }
/\/Dest / || /\/S \/GoTo/ { dest = 1 }
/\/S \/URI/ { uri = 1 }
/^endobj/ { if (link && dest) nd++; if (link && uri) nu++ }
END { printf "%d %d\n", nd, nu }' "$tmp/q.pdf" >"$tmp/links.txt"
read -r ninternal nuri <"$tmp/links.txt"
ncites=$(grep -o '<cite ref="[^"]*"' "$booklet" | sed 's/.*ref="//; s/"$//' | wc -w)
nurls=$(grep -c '<URL>' "$booklet")
# the handout has no contents page: its internal links are the citations
ncontents=$want
[ "$kind" = handout ] && ncontents=0
if [ "$ninternal" -ge $((ncontents + ncites)) ]; then
	pass "pdf links for contents and citations ($ninternal >= $ncontents + $ncites)"
else fail "pdf links for contents and citations" "$ninternal < $ncontents + $ncites"; fi
if [ "$nuri" -ge "$nurls" ]; then pass "pdf URI links ($nuri >= $nurls)"
else fail "pdf URI links" "$nuri < $nurls"; fi

pdftotext -bbox "$pdf" "$tmp/bbox.html" 2>/dev/null
# one record per word: page xMin yMin xMax yMax word (y from the top)
awk '
/<page / { p++ }
/<word / {
	match($0, /xMin="[^"]*"/); x0 = substr($0, RSTART + 6, RLENGTH - 7)
	match($0, /yMin="[^"]*"/); y0 = substr($0, RSTART + 6, RLENGTH - 7)
	match($0, /xMax="[^"]*"/); x1 = substr($0, RSTART + 6, RLENGTH - 7)
	match($0, /yMax="[^"]*"/); y1 = substr($0, RSTART + 6, RLENGTH - 7)
	w = $0; sub(/^.*">/, "", w); sub(/<\/word>.*$/, "", w)
	print p, x0, y0, x1, y1, w
}' "$tmp/bbox.html" >"$tmp/words.txt"
npages=$(grep -c '<page ' "$tmp/bbox.html")

PR=$(sed -n 's/^protrusion *= *//p' "$style"); PR=${PR:-0}
BS=$(len body-size)
LC_ALL=C awk -v W="$W" -v H="$H" -v MT="$MT" -v MB="$MB" -v MI="$MI" -v MO="$MO" \
    -v FB="$FB" -v FTS="$FTS" -v HB="$HB" -v HS="$HS" -v PR="$PR" -v BS="$BS" '
{
	p = $1; x0 = $2; y0 = $3; x1 = $4; y1 = $5
	left = (p % 2 == 1) ? MI : MO; right = W - ((p % 2 == 1) ? MO : MI)
	tol = 2
	# hanging punctuation (protrusion in the style): a word ending in a
	# full stop, comma, colon, semicolon, mark, hyphen, dash or closing
	# quote may reach past the right edge, one starting with an opening
	# quote past the left, by up to its protrusion: at most 0.7 of the
	# glyph, 0.23 em of the body size in Charis SIL (a closing double
	# quote: half of 0.45 em)
	hang = PR * 0.23 * BS
	hr = $6 ~ /([.,:;!?"'"'"'-]|\342\200\231|\342\200\235|\342\200\223|\342\200\224|\342\200\220|\302\255)$/ ? hang : 0
	hl = $6 ~ /^("|'"'"'|\342\200\230|\342\200\234)/ ? hang : 0
	inx = x0 >= left - tol - hl && x1 <= right + tol + hr
	iny = y0 >= MT - tol && y1 <= H - MB + tol
	# the folio and the running head sit in their own bands
	foot = y0 >= H - FB - 1.5 * FTS && y1 <= H - FB + FTS
	head = y0 >= HB - 1.5 * HS && y1 <= HB + HS
	if (!(inx && (iny || foot || head))) {
		bad++
		if (bad <= 3) printf "  outside: page %d %s (%.1f %.1f %.1f %.1f)\n", p, $6, x0, y0, x1, y1
	}
}
END { exit bad > 0 }' "$tmp/words.txt" >"$tmp/outside.txt"
if [ $? = 0 ]; then pass "pdf words inside the text block"
else cat "$tmp/outside.txt"; fail "pdf words inside the text block"; fi

# widows and orphans, from lines (words grouped by baseline) of the body
# pages (page 3 to the last but one): a widow is a short first line of a
# page after a page that ends in a full (justified) line; an orphan is a
# full last line of a page that starts a paragraph (after a short line or
# a gap larger than the leading); a heading (taller words than the body's)
# at the head of a page is no widow. From the page with the "References"
# heading on, entries are ragged right with hanging indents: an entry starts
# at the left edge, so an entry split across pages must keep two lines on
# each side.
awk -v W="$W" -v H="$H" -v MT="$MT" -v MB="$MB" -v MI="$MI" -v MO="$MO" \
    -v PI="$PI" -v LEAD="$LEAD" -v NP="$npages" '
{
	p = $1
	if (p < 3 || p >= NP) next
	if ($3 < MT - 2 || $5 > H - MB + 2) next   # head and folio
	k = p SUBSEP sprintf("%.0f", $5)
	if (!(k in x0) || $2 < x0[k]) x0[k] = $2
	if (!(k in x1) || $4 > x1[k]) { x1[k] = $4; lastw[k] = $6 }
	yb[k] = $5
	if ($5 - $3 > ht[k]) ht[k] = $5 - $3
	txt[k] = txt[k] " " $6
	if (!(k in seen)) { seen[k] = 1; n[p]++; ys[p, n[p]] = $5 }
}
END {
	# the body line height: the most common word height
	for (k in ht) nh[sprintf("%.1f", ht[k])]++
	for (h in nh) if (nh[h] > nbody) { nbody = nh[h]; body_h = h + 0 }
	refp = NP
	for (k in txt) {
		split(k, kk, SUBSEP)
		if (txt[k] == " References" && kk[1] + 0 < refp) refp = kk[1] + 0
	}
	for (p = 3; p < NP; p++) {
		# sort this page lines by y (insertion sort)
		for (i = 2; i <= n[p]; i++)
			for (j = i; j > 1 && ys[p, j] < ys[p, j - 1]; j--) {
				t = ys[p, j]; ys[p, j] = ys[p, j - 1]; ys[p, j - 1] = t
			}
		left = (p % 2 == 1) ? MI : MO; right = W - ((p % 2 == 1) ? MO : MI)
		m = n[p]
		if (!m) continue
		if (p >= refp) {
			# lines before the first entry start, and from the last one
			head = 0
			while (head < m && x0[p SUBSEP sprintf("%.0f", ys[p, head + 1])] > left + 1) head++
			tail = 0
			while (tail < m && x0[p SUBSEP sprintf("%.0f", ys[p, m - tail])] > left + 1) tail++
			tail = (tail < m) ? tail + 1 : 0
			if (head == 1 && p > refp) {
				bad++; printf "  widow at the head of page %d\n", p
			}
			nxt = (p + 1 < NP && n[p + 1]) ? x0[(p + 1) SUBSEP sprintf("%.0f", ys[p + 1, 1])] : 0
			if (tail == 1 && p + 1 < NP && nxt > ((p + 1) % 2 == 1 ? MI : MO) + 1) {
				bad++; printf "  orphan at the foot of page %d\n", p
			}
			continue
		}
		kf = p SUBSEP sprintf("%.0f", ys[p, 1])
		kl = p SUBSEP sprintf("%.0f", ys[p, m])
		full_last[p] = x1[kl] >= right - 1
		short_first[p] = x1[kf] < right - 5
		if (m >= 2) {
			kp = p SUBSEP sprintf("%.0f", ys[p, m - 1])
			after_short = x1[kp] < right - 5
			gap = ys[p, m] - ys[p, m - 1] > LEAD * 1.3
			# a one-line paragraph or item that ends there is whole
			ends = lastw[kl] ~ /[.?!…”)]$/
			if (full_last[p] && (after_short || gap) && !ends) {
				bad++; printf "  orphan at the foot of page %d\n", p
			}
		}
		# a widow is a body line: a heading (taller words) is not one
		if (p > 3 && full_last[p - 1] && short_first[p] && m >= 2 &&
		    ht[kf] < body_h * 1.1) {
			k2 = p SUBSEP sprintf("%.0f", ys[p, 2])
			# the next line starts a new block (indent, gap or short line)
			if (x0[k2] > left + 1 || ys[p, 2] - ys[p, 1] > LEAD * 1.3) {
				bad++; printf "  widow at the head of page %d\n", p
			}
		}
	}
	exit bad > 0
}' "$tmp/words.txt" >"$tmp/widows.txt"
if [ $? = 0 ]; then pass "pdf no widows or orphans"
else cat "$tmp/widows.txt"; fail "pdf no widows or orphans"; fi

# the A5's contents page: every part and section title appears on page 2;
# the handout has none: its page 1 holds the booklet's title and the first
# part's title
if [ "$kind" = a5 ]; then
	awk '$1 == 2 { printf "%s ", $6 }' "$tmp/words.txt" >"$tmp/contents.txt"
	grep -A1 '<section\|<part' "$booklet" | sed -n 's:.*<title>\(.*\)</title>.*:\1:p' |
		while IFS= read -r t; do
			first=$(printf '%s' "$t" | cut -d' ' -f1-3)
			grep -qF -- "$first" "$tmp/contents.txt" || echo "$t"
		done >"$tmp/cmiss.txt"
	if [ ! -s "$tmp/cmiss.txt" ]; then pass "pdf contents lists every part and section"
	else fail "pdf contents lists every part and section" "$(head -1 "$tmp/cmiss.txt")"; fi
else
	awk '$1 == 1 { printf "%s ", $6 }' "$tmp/words.txt" >"$tmp/page1.txt"
	title=$(sed -n '/<meta>/,/<\/meta>/s:^ *<title>\(.*\)</title>.*:\1:p' "$booklet" | head -1 | cut -d' ' -f1-3)
	part=$(grep -A1 '<part' "$booklet" | sed -n 's:.*<title>\(.*\)</title>.*:\1:p' | head -1)
	if [ -n "$title" ] && grep -qF -- "$title" "$tmp/page1.txt" &&
	   grep -qF -- "$part" "$tmp/page1.txt"; then
		pass "pdf page 1 opens with the title and the first part"
	else fail "pdf page 1 opens with the title and the first part" "$(head -c 120 "$tmp/page1.txt")"; fi
fi
exit 0
