#!/bin/sh
# chapbook build --print: the print-shop files (issue 12), the A5 and the
# imposed booklet only, named -a5-print.pdf and -booklet-a4-print.pdf (a
# Letter booklet: -booklet-letter-print.pdf), each passing
# tests/pdfx_check.py with Ghostscript's opinion and qpdf --check; two
# builds byte-identical (the /ID is a hash of the content), and a file
# whose content differs has another /ID; --print with a format that has
# no print version, or with --test-sheet, is a usage error.
: "${CHAPBOOK:?}"
cd "${TOP:-.}" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS print: $1"; }
fail() { echo "FAIL print: $1${2:+: $2}"; }
PY=/usr/bin/python3

booklet=content/booklet.xml
id=$(sed -n 's:.*<identifier>\(.*\)</identifier>.*:\1:p' "$booklet" | head -1)
SOURCE_DATE_EPOCH=1700000000 "$CHAPBOOK" build -q --print -o "$tmp/one" "$booklet" \
	>"$tmp/build.out" 2>&1
rc=$?
got=$(ls "$tmp/one" 2>/dev/null | tr '\n' ' ')
if [ $rc = 0 ] && [ "$got" = "$id-a5-print.pdf $id-booklet-a4-print.pdf " ]; then
	pass "writes the A5 and the booklet, nothing else ($got)"
else fail "writes the A5 and the booklet" "exit $rc: $got $(head -2 "$tmp/build.out")"; fi

for f in "$tmp/one/$id-a5-print.pdf" "$tmp/one/$id-booklet-a4-print.pdf"; do
	name=${f##*/}
	if $PY tests/pdfx_check.py --gs "$f" >"$tmp/x.out" 2>&1; then
		pass "$name: PDF/X-4 ($(tail -1 "$tmp/x.out"), Ghostscript included)"
	else fail "$name: PDF/X-4" "$(grep '^FAIL' "$tmp/x.out" | head -3 | tr '\n' ' ')"; fi
	if qpdf --check "$f" >"$tmp/qpdf.out" 2>&1 && ! grep -qi warning "$tmp/qpdf.out"
	then pass "$name: qpdf --check"
	else fail "$name: qpdf --check" "$(grep -im1 'warning\|error' "$tmp/qpdf.out")"; fi
done

# US Letter sheets say so in the name, and pass too.
"$CHAPBOOK" build -q --print --format booklet --sheet letter -o "$tmp/letter" \
	"$booklet" >/dev/null 2>&1
f=$tmp/letter/$id-booklet-letter-print.pdf
if [ -f "$f" ] && $PY tests/pdfx_check.py "$f" >"$tmp/x.out" 2>&1; then
	pass "a Letter booklet: ${f##*/}, PDF/X-4"
else fail "a Letter booklet" "$(ls "$tmp/letter" 2>/dev/null) $(grep '^FAIL' "$tmp/x.out" | head -2)"; fi

# Reproducible, with an /ID that follows the content.
SOURCE_DATE_EPOCH=1700000000 "$CHAPBOOK" build -q --print -o "$tmp/two" "$booklet" >/dev/null 2>&1
SOURCE_DATE_EPOCH=1700086400 "$CHAPBOOK" build -q --print --format a5 -o "$tmp/three" "$booklet" >/dev/null 2>&1
if cmp -s "$tmp/one/$id-a5-print.pdf" "$tmp/two/$id-a5-print.pdf" &&
   cmp -s "$tmp/one/$id-booklet-a4-print.pdf" "$tmp/two/$id-booklet-a4-print.pdf"; then
	pass "two builds are byte-identical"
else fail "two builds are byte-identical"; fi
pdf_id() { $PY -c 'import sys, pikepdf; print(bytes(pikepdf.open(sys.argv[1]).trailer.ID[0]).hex())' "$1" 2>/dev/null; }
i1=$(pdf_id "$tmp/one/$id-a5-print.pdf")
i3=$(pdf_id "$tmp/three/$id-a5-print.pdf")
ib=$(pdf_id "$tmp/one/$id-booklet-a4-print.pdf")
if [ -n "$i1" ] && [ -n "$i3" ] && [ "$i1" != "$i3" ] && [ "$i1" != "$ib" ]; then
	pass "the /ID follows the content ($i1)"
else fail "the /ID follows the content" "'$i1' '$i3' '$ib'"; fi

# What --print does not make.
"$CHAPBOOK" build -q --print --format epub -o "$tmp/no" "$booklet" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q 'print-shop' "$tmp/err" && [ ! -e "$tmp/no" ]; then
	pass "--print --format epub is a usage error (exit 2)"
else fail "--print --format epub is a usage error" "exit $rc: $(head -1 "$tmp/err")"; fi
"$CHAPBOOK" build -q --print --test-sheet -o "$tmp/no" "$booklet" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q 'test-sheet' "$tmp/err"; then
	pass "--print --test-sheet is a usage error (exit 2)"
else fail "--print --test-sheet is a usage error" "exit $rc: $(head -1 "$tmp/err")"; fi
