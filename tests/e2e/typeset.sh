#!/bin/sh
# The typesetter end to end on unusual input, each case a copy of the
# default booklet, style or fonts with one thing changed: soft hyphens
# (U+00AD) are invisible in the A5 PDF's text unless a line breaks there
# (where the added hyphen extracts as U+00AD, ending its line); a
# character Charis SIL lacks is reported once, at the booklet line where it
# first occurs, however many PDFs are built; an out-of-range style value is
# an error at its line (page-width = 1e300pt used to loop for ever); a font
# file cut short is an error naming it. Run from the repo root; CHAPBOOK is
# the tool.
: "${CHAPBOOK:?}"
cd "${TOP:-.}" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS typeset: $1"; }
fail() { echo "FAIL typeset: $1${2:+: $2}"; }
booklet=content/booklet.xml
id=$(sed -n 's:.*<identifier>\(.*\)</identifier>.*:\1:p' "$booklet" | head -1)
shy=$(printf '\302\255')
build() { # dir booklet [options...]: build into dir, stderr in dir.err
	dir=$1 src=$2
	shift 2
	mkdir -p "$dir"
	timeout 60 "$CHAPBOOK" build --styles styles --fonts fonts -o "$dir" \
		"$@" "$src" >/dev/null 2>"$dir.err"
}

# Soft hyphens: in every word of the first three paragraphs with 8 letters
# or more, after its fourth letter (and "disappointment" at each syllable).
sed -e "31,32s/\([A-Za-z]\{4\}\)\([a-z]\{4,\}\)/\1$shy\2/g" \
    -e "36s/\([A-Za-z]\{4\}\)\([a-z]\{4,\}\)/\1$shy\2/g" \
    -e "s/disappoint${shy}ment/dis${shy}ap${shy}point${shy}ment/" \
	"$booklet" >"$tmp/shy.xml"
if ! grep -q "$shy" "$tmp/shy.xml"; then fail "soft hyphens in the test booklet"
elif build "$tmp/shy" "$tmp/shy.xml" --format a5; then
	pdftotext "$tmp/shy/$id-a5.pdf" "$tmp/shy.txt"
	# only where a line breaks: the added hyphen, marked as one (U+00AD)
	if grep -q "$shy." "$tmp/shy.txt"; then
		fail "soft hyphens are not drawn" "$(grep -m1 "$shy." "$tmp/shy.txt")"
	else pass "soft hyphens are not drawn"; fi
	# joined at line-end soft hyphens, the words read whole
	LC_ALL=C awk -v shy="$shy" '{ n = length($0) - length(shy)
		if (n >= 0 && substr($0, n + 1) == shy) printf "%s", substr($0, 1, n)
		else printf "%s ", $0 }' "$tmp/shy.txt" >"$tmp/joined.txt"
	if grep -q "disappointment" "$tmp/joined.txt" &&
	   grep -q "relationship" "$tmp/joined.txt" &&
	   [ "$(grep -c "$shy\$" "$tmp/shy.txt")" -gt 0 ]; then
		pass "words with soft hyphens read whole"
	else fail "words with soft hyphens read whole"; fi
else fail "build with soft hyphens" "$(head -2 "$tmp/shy.err")"; fi

# Missing glyphs: an emoji on lines 31 and 36, a CJK ideograph on 36 and 39.
smile=$(printf '\360\237\230\200') zhong=$(printf '\344\270\255')
sed -e "31s/Of course/Of $smile course/" \
    -e "36s/The process/The $zhong $smile process/" \
    -e "39s/<p>/<p>$zhong /" "$booklet" >"$tmp/glyph.xml"
if build "$tmp/glyph" "$tmp/glyph.xml"; then
	n1=$(grep -c 'U+1F600' "$tmp/glyph.err")
	n2=$(grep -c 'U+4E2D' "$tmp/glyph.err")
	if [ "$n1" = 1 ] && [ "$n2" = 1 ]; then
		pass "a missing glyph is reported once per character"
	else fail "a missing glyph is reported once per character" "$n1, $n2"; fi
	if grep -q "^$tmp/glyph.xml:31:\([0-9]*:\)\? warning: no glyph for U+1F600" "$tmp/glyph.err" &&
	   grep -q "^$tmp/glyph.xml:36:\([0-9]*:\)\? warning: no glyph for U+4E2D.*CharisSIL" "$tmp/glyph.err"; then
		pass "a missing glyph is reported where it first occurs"
	else fail "a missing glyph is reported where it first occurs" "$(grep -m1 U+ "$tmp/glyph.err")"; fi
else fail "build with missing glyphs" "$(head -2 "$tmp/glyph.err")"; fi

# Out-of-range style values: an error at the key's line, promptly.
for v in 1e300pt 100000mm +infpt 0pt -3mm; do
	mkdir -p "$tmp/st"
	sed "s/^page-width = .*/page-width = $v/" styles/a5.style >"$tmp/st/a5.style"
	line=$(grep -n '^page-width' "$tmp/st/a5.style" | cut -d: -f1)
	timeout 20 "$CHAPBOOK" build --format a5 --styles "$tmp/st" --fonts fonts \
		-o "$tmp/st/out" "$booklet" >/dev/null 2>"$tmp/st.err"
	rc=$?
	if [ $rc = 1 ] && grep -q "^$tmp/st/a5.style:$line:\([0-9]*:\)\? error: page-width: " "$tmp/st.err"; then
		pass "page-width = $v is an error at its line"
	else fail "page-width = $v is an error at its line" "exit $rc: $(head -1 "$tmp/st.err")"; fi
done

# A font file cut inside its 'name' table.
mkdir -p "$tmp/fonts"
cp fonts/*.ttf "$tmp/fonts/"
name=$(od -A n -t x1 -j 12 -N 400 fonts/CharisSIL-Regular.ttf | tr -d ' \n' |
	awk '{ for (i = 1; i < length($0); i += 32)
		if (substr($0, i, 8) == "6e616d65") {
			printf "%d\n", ("0x" substr($0, i + 16, 8)) + 0; exit } }')
if [ -n "$name" ] && [ "$name" -gt 0 ]; then
	head -c "$((name + 100))" fonts/CharisSIL-Regular.ttf >"$tmp/fonts/CharisSIL-Regular.ttf"
	"$CHAPBOOK" build --format a5 --styles styles --fonts "$tmp/fonts" \
		-o "$tmp/cut" "$booklet" >/dev/null 2>"$tmp/cut.err"
	rc=$?
	if [ $rc != 0 ] && grep -q "CharisSIL-Regular.ttf.*table 'name'.*cut short" "$tmp/cut.err" &&
	   [ ! -e "$tmp/cut/$id-a5.pdf" ]; then
		pass "a font cut short is an error naming it"
	else fail "a font cut short is an error naming it" "exit $rc: $(head -1 "$tmp/cut.err")"; fi
else fail "find the name table of Charis SIL"; fi
exit 0
