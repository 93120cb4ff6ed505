#!/bin/sh
# The screen PDFs of the default booklet are accessible (issue 12): the A5
# and the handout pass every Matterhorn condition tests/pdfua_check.py
# checks (with one BibEntry per reference), pdfinfo -struct-text holds
# every sentence in reading order, each heading at its level and each list
# item (tests/pdf_struct_text.py), and qpdf is clean. Their links say what
# they do. The imposed booklet is for printing: untagged, but with its
# language and metadata. The screen PDFs stay screen PDFs: RGB, live
# links (tests/pdfx_check.py must find both).
# The words are real: spaces between them on a line, and a line that
# breaks at a space ends in one, so the structure text is checked strictly
# (STRUCT_TEXT_OPTS=--loose would forgive words run together).
: "${CHAPBOOK:?}"
cd "${TOP:-.}" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS pdfua: $1"; }
fail() { echo "FAIL pdfua: $1${2:+: $2}"; }
PY=/usr/bin/python3
STRUCT_TEXT_OPTS=${STRUCT_TEXT_OPTS-}

booklet=content/booklet.xml
id=$(sed -n 's:.*<identifier>\(.*\)</identifier>.*:\1:p' "$booklet" | head -1)
nrefs=$(grep -c '<reference ' "$booklet")
if "$CHAPBOOK" build -q --format a5,handout,booklet -o "$tmp/out" "$booklet" \
	>"$tmp/build.out" 2>&1; then pass "build"
else fail "build" "$(head -3 "$tmp/build.out")"; exit 0; fi

# The sentences as print shows them: a link whose text is not its address
# is followed by the address ("PANDAS (pandasfoundation.org.uk)").
cp tests/data/sentences.txt "$tmp/sentences.txt"
sed -n 's#.*<link href="https*://\([^"]*\)">\([^<]*\)</link>.*#\1 \2#p' "$booklet" |
	while read -r addr text; do
		addr=${addr%/}
		case $text in *"$addr"*|http*) continue ;; esac
		sed -i "s|$text |$text ($addr) |g" "$tmp/sentences.txt"
	done
for kind in a5 handout-a4; do
	pdf=$tmp/out/$id-$kind.pdf
	# the handout has no contents page
	toc=
	[ "$kind" = handout-a4 ] && toc=--no-toc
	if $PY tests/pdfua_check.py --bibentries "$nrefs" $toc "$pdf" >"$tmp/ua.out" 2>&1
	then pass "$kind: every Matterhorn condition checked ($(tail -1 "$tmp/ua.out"))"
	else fail "$kind: Matterhorn conditions" \
		"$(grep '^FAIL' "$tmp/ua.out" | head -3 | tr '\n' ' ')"; fi
	# shellcheck disable=SC2086
	if $PY tests/pdf_struct_text.py $STRUCT_TEXT_OPTS --sentences "$tmp/sentences.txt" \
		"$pdf" >"$tmp/st.out" 2>&1
	then pass "$kind: structure text: sentences in order, headings, list items${STRUCT_TEXT_OPTS:+ ($STRUCT_TEXT_OPTS)}"
	else fail "$kind: structure text" \
		"$(grep '^FAIL' "$tmp/st.out" | head -3 | tr '\n' ' ')"; fi
	if qpdf --check "$pdf" >"$tmp/qpdf.out" 2>&1 &&
	   ! grep -qi warning "$tmp/qpdf.out"; then pass "$kind: qpdf --check"
	else fail "$kind: qpdf --check" "$(grep -im1 'warning\|error' "$tmp/qpdf.out")"; fi
done

# What the links say, the imposed booklet's metadata, and the screen PDFs
# still RGB with links (all read back with pikepdf).
$PY - "$tmp/out/$id-a5.pdf" "$tmp/out/$id-booklet-a4.pdf" >"$tmp/meta.out" 2>&1 <<'EOF'
import sys
import pikepdf
a5, bk = (pikepdf.open(p) for p in sys.argv[1:3])
words = [str(a.get("/Contents", "")) for p in a5.pages for a in p.obj.get("/Annots", [])]
ok = lambda w: w.startswith(("Go to page ", "Open http://", "Open https://", "Call "))
print("words", len(words), sum(1 for w in words if ok(w)),
      int(any(w == "Call 0300 330 0700" for w in words)),
      int(any(w.startswith("Go to page ") and ": What is bonding" in w for w in words)))
meta = bk.open_metadata()
print("booklet", str(bk.Root.get("/Lang", "")), int("/StructTreeRoot" in bk.Root),
      int(bool(meta.get("dc:title"))), bk.pdf_version)
EOF
set -- $(sed -n 's/^words //p' "$tmp/meta.out")
if [ "${1:-0}" -gt 0 ] && [ "$1" = "$2" ] && [ "$3" = 1 ] && [ "$4" = 1 ]; then
	pass "every link says what it does ($1 links: Go to page N: title, Open URL, Call number)"
else fail "links say what they do" "$(cat "$tmp/meta.out")"; fi
set -- $(sed -n 's/^booklet //p' "$tmp/meta.out")
if [ "$1" = en-GB ] && [ "$2" = 0 ] && [ "$3" = 1 ] && [ "$4" = 1.7 ]; then
	pass "imposed booklet: untagged, /Lang en-GB, XMP title, PDF 1.7"
else fail "imposed booklet: language and metadata" "$(cat "$tmp/meta.out")"; fi
$PY tests/pdfx_check.py "$tmp/out/$id-a5.pdf" >"$tmp/x.out" 2>&1
if grep -q '^FAIL X-rgb' "$tmp/x.out" && grep -q '^FAIL X-annots' "$tmp/x.out"; then
	pass "the screen A5 stays RGB with live links"
else fail "the screen A5 stays RGB with live links" "$(grep 'X-rgb\|X-annots' "$tmp/x.out")"; fi
