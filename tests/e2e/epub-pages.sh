#!/bin/sh
# epub-pages.sh - the EPUB carries the A5 booklet's page numbers: for the
# default booklet and for one whose pages begin inside paragraphs, words
# and links (tests/make-long-paragraphs.sh), tests/epub_pages.py checks
# that the page list is the A5's printed numbers and that the text after
# every marker is the text that opens its page in the A5 PDF. An EPUB
# built alone (--format epub, the A5 laid out quietly) is byte-identical
# to one built with the PDFs; when the A5 cannot be laid out, an EPUB-only
# build still writes the EPUB, without page numbers, and says so.
: "${CHAPBOOK:?}" "${TOP:?}"
cd "$TOP" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
opts="--styles $TOP/styles --fonts $TOP/fonts"
export SOURCE_DATE_EPOCH=1700000000

# build NAME BOOKLET FORMATS: into $tmp/NAME
build() {
	"$CHAPBOOK" build -q $opts --format "$3" -o "$tmp/$1" "$2" >"$tmp/$1.log" 2>&1
}

if build default content/booklet.xml epub,a5; then
	/usr/bin/python3 tests/epub_pages.py "$tmp/default/mums-bonding.epub" \
		"$tmp/default/mums-bonding-a5.pdf" styles/a5.style |
		sed 's/^\(PASS\|FAIL\) /\1 default booklet: /'
else
	fail "build the default booklet" "$(head -3 "$tmp/default.log")"
fi

sh tests/make-long-paragraphs.sh >"$tmp/long.xml"
if build long "$tmp/long.xml" epub,a5; then
	/usr/bin/python3 tests/epub_pages.py "$tmp/long/long-paragraphs.epub" \
		"$tmp/long/long-paragraphs-a5.pdf" styles/a5.style --min-inside 5 |
		sed 's/^\(PASS\|FAIL\) /\1 long paragraphs: /'
else
	fail "build the long-paragraph booklet" "$(head -3 "$tmp/long.log")"
fi

# An EPUB alone: the same bytes, the page numbers included, no other file.
if build alone content/booklet.xml epub &&
   cmp -s "$tmp/alone/mums-bonding.epub" "$tmp/default/mums-bonding.epub" &&
   [ "$(ls "$tmp/alone")" = mums-bonding.epub ]; then
	pass "an EPUB built alone is the EPUB built with the PDFs, page numbers and all"
else
	fail "an EPUB built alone is the EPUB built with the PDFs" \
		"$(ls "$tmp/alone" 2>&1 | tr '\n' ' ') $(head -3 "$tmp/alone.log")"
fi

# An A5 style that cannot be used: the EPUB alone is still built, without
# page numbers, with a warning; the A5 PDF is refused.
mkdir "$tmp/styles" && cp styles/* "$tmp/styles/" &&
sed -i 's/^body-size = .*/body-size = 10qq/' "$tmp/styles/a5.style"
if "$CHAPBOOK" build --styles "$tmp/styles" --fonts fonts --format epub \
	-o "$tmp/nostyle" content/booklet.xml >"$tmp/nostyle.log" 2>&1 &&
   grep -q 'warning: the EPUB has no print page numbers' "$tmp/nostyle.log" &&
   unzip -p "$tmp/nostyle/mums-bonding.epub" OEBPS/nav.xhtml >"$tmp/nav.xhtml" &&
   ! grep -q 'page-list' "$tmp/nav.xhtml" &&
   ! unzip -p "$tmp/nostyle/mums-bonding.epub" OEBPS/package.opf | grep -q printPageNumbers; then
	pass "a broken A5 style: the EPUB alone is built without page numbers, with a warning"
else
	fail "a broken A5 style: the EPUB alone is built without page numbers, with a warning" \
		"$(cat "$tmp/nostyle.log")"
fi
if ! "$CHAPBOOK" build --styles "$tmp/styles" --fonts fonts --format epub,a5 \
	-o "$tmp/nostyle2" content/booklet.xml >"$tmp/nostyle2.log" 2>&1 &&
   grep -q 'a5.style:.*error' "$tmp/nostyle2.log" && [ ! -e "$tmp/nostyle2/mums-bonding.epub" ]; then
	pass "a broken A5 style fails a build that asks for the A5 PDF"
else
	fail "a broken A5 style fails a build that asks for the A5 PDF" "$(cat "$tmp/nostyle2.log")"
fi
exit 0
