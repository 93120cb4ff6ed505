#!/bin/sh
# epub.sh - end-to-end checks of the EPUB of the default booklet: epubcheck
# clean (0 errors, 0 warnings), mimetype first and stored, every expected
# sentence present, citation and back links resolve, dcterms:modified from
# SOURCE_DATE_EPOCH, reference entries as the seed prints them, and two
# builds byte-identical. (Ace by DAISY: ace.sh.) Prints one "PASS name" / "FAIL name" per assertion.
# Environment: CHAPBOOK (the tool), TOP (repo root; default: cwd).
TOP=${TOP:-$PWD}
CHAPBOOK=${CHAPBOOK:-$TOP/build/chapbook}
BOOKLET=$TOP/content/booklet.xml
SENTENCES=$TOP/tests/data/sentences.txt
REFERENCES=$TOP/tests/data/references.txt
EPUBCHECK_JAR=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }

build() { # build into directory $1; prints the .epub path
	mkdir -p "$1" &&
	SOURCE_DATE_EPOCH=1700000000 "$CHAPBOOK" build --epub -o "$1" "$BOOKLET" \
		>"$1.log" 2>&1 || return 1
	set -- "$1"/*.epub
	[ $# = 1 ] && [ -f "$1" ] || return 1
	echo "$1"
}

if ! epub=$(build "$tmp/a"); then
	fail epub_build "$(tail -n 5 "$tmp/a.log" 2>/dev/null)"
	exit 0
fi
pass epub_build

# Two builds, identical bytes.
if epub2=$(build "$tmp/b") && cmp -s "$epub" "$epub2"; then
	pass epub_reproducible
else
	fail epub_reproducible "second build differs or failed"
fi

# epubcheck: no fatals, errors or warnings.
if ! command -v java >/dev/null 2>&1 || [ ! -f "$EPUBCHECK_JAR" ]; then
	fail epub_epubcheck "java or $EPUBCHECK_JAR missing (make test-deps)"
else
	java -jar "$EPUBCHECK_JAR" "$epub" >"$tmp/epubcheck.log" 2>&1
	if grep -q '^Messages: 0 fatals / 0 errors / 0 warnings' "$tmp/epubcheck.log"; then
		pass epub_epubcheck
	else
		fail epub_epubcheck "$(grep -E '^(ERROR|WARNING|FATAL|Messages)' "$tmp/epubcheck.log" | head -n 10)"
	fi
fi

# mimetype: first entry, stored, no extra field (its content at offset 38).
first=$(unzip -v "$epub" 2>/dev/null | awk '$1 ~ /^[0-9]+$/ && NF >= 8 { print $2, $NF; exit }')
magic=$(head -c 58 "$epub" | tail -c 28)
if [ "$first" = "Stored mimetype" ] && [ "$magic" = "mimetypeapplication/epub+zip" ]; then
	pass epub_mimetype_first_stored
else
	fail epub_mimetype_first_stored "first entry '$first', bytes 30-57 '$magic'"
fi

mkdir "$tmp/x" && (cd "$tmp/x" && unzip -q "$epub") || { fail epub_unzip; exit 0; }
opf=$(sed -n 's/.*full-path="\([^"]*\)".*/\1/p' "$tmp/x/META-INF/container.xml")
dir=$tmp/x/$(dirname "$opf")

# dcterms:modified from SOURCE_DATE_EPOCH=1700000000.
if grep -q '<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>' "$tmp/x/$opf"; then
	pass epub_modified_date
else
	fail epub_modified_date "$(grep -o '<meta property="dcterms:modified">[^<]*' "$tmp/x/$opf")"
fi

# Every XHTML page has a <title>, lang and xml:lang.
bad=""
for f in "$dir"/*.xhtml; do
	grep -q '<title>[^<]' "$f" && grep -q '<html[^>]* lang="' "$f" &&
		grep -q '<html[^>]* xml:lang="' "$f" || bad="$bad ${f##*/}"
done
[ -z "$bad" ] && pass epub_pages_title_lang || fail epub_pages_title_lang "$bad"

# Plain text of all pages: block ends become spaces, other tags vanish
# (so "(<a>NCT, 2016</a>)." reads as in print), entities decoded,
# whitespace collapsed.
for f in "$dir"/*.xhtml; do
	tr '\n\t' '  ' <"$f" | sed -e 's/<\/\(p\|li\|h[1-6]\|title\|section\|aside\|nav\|ol\|ul\|blockquote\|div\|head\|body\)>/ /g' \
		-e 's/<[^>]*>//g'
	echo
done | tr '\n' ' ' | sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' \
	-e "s/&apos;/'/g" -e 's/&amp;/\&/g' -e 's/  */ /g' >"$tmp/text"

if [ ! -f "$SENTENCES" ]; then
	fail epub_sentences "$SENTENCES missing"
else
	missing=0 total=0
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in '#'*|'') continue ;; esac
		line=$(printf '%s' "$line" | sed -e 's/^ *//' -e 's/ *$//' -e 's/  */ /g')
		total=$((total + 1))
		if ! grep -qF -- "$line" "$tmp/text"; then
			missing=$((missing + 1))
			fail epub_sentence "missing: $line"
		fi
	done <"$SENTENCES"
	[ "$missing" = 0 ] && pass "epub_sentences ($total found)"
fi

# Reference entries exactly as the seed prints them (references.txt).
if [ -f "$REFERENCES" ]; then
	missing=0
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in '#'*|'') continue ;; esac
		if ! grep -qF -- "$line" "$tmp/text"; then
			missing=$((missing + 1))
			fail epub_reference_entry "missing: $line"
		fi
	done <"$REFERENCES"
	[ "$missing" = 0 ] && pass epub_reference_entries
fi

# ids of file $1 (relative to the package directory), one per line.
ids_of() { grep -o ' id="[^"]*"' "$dir/$1" 2>/dev/null | sed 's/ id="\(.*\)"/\1/'; }
# ids of the biblioentries in file $1.
biblio_ids_of() {
	xmllint --xpath "//*[@*[local-name()='type']='biblioentry']/@id" "$dir/$1" 2>/dev/null |
		grep -o 'id="[^"]*"' | sed 's/id="\(.*\)"/\1/'
}

# Citation links resolve to biblioentries.
bad="" n=0
for f in "$dir"/*.xhtml; do
	for h in $(xmllint --xpath "//*[@class='citation']/*[local-name()='a']/@href" "$f" 2>/dev/null |
		   grep -o 'href="[^"#:]*#[^"]*"' | sed 's/href="\(.*\)"/\1/'); do
		n=$((n + 1))
		biblio_ids_of "${h%%#*}" | grep -qxF -- "${h#*#}" || bad="$bad ${f##*/}:$h"
	done
done
if [ "$n" -gt 0 ] && [ -z "$bad" ]; then
	pass "epub_citation_links ($n)"
else
	fail epub_citation_links "${bad:-no citation links found}"
fi

# Every biblioentry has a back link to an existing id; one entry per
# <reference> in the booklet.
bad="" n=0
for f in "$dir"/*.xhtml; do
	entries=$(biblio_ids_of "${f##*/}" | wc -l)
	[ "$entries" -gt 0 ] || continue
	n=$((n + entries))
	for id in $(biblio_ids_of "${f##*/}"); do
		h=$(xmllint --xpath "//*[@id='$id']//*[@role='doc-backlink']/@href" "$f" 2>/dev/null |
		    grep -o 'href="[^"]*"' | sed 's/href="\(.*\)"/\1/')
		if [ -z "$h" ]; then
			bad="$bad $id:no-backlink"
			continue
		fi
		file=${h%%#*}
		[ -n "$file" ] || file=${f##*/}
		ids_of "$file" | grep -qxF -- "${h#*#}" || bad="$bad $id:$h"
	done
done
refs=$(grep -c '<reference ' "$BOOKLET")
if [ "$n" = "$refs" ] && [ -z "$bad" ]; then
	pass "epub_back_links ($n)"
else
	fail epub_back_links "entries $n of $refs;$bad"
fi

# Every local link in every page (nav included) reaches an existing id.
bad=""
for f in "$dir"/*.xhtml; do
	for h in $(grep -o 'href="[^"#:]*#[^"]*"' "$f" | sed 's/href="\(.*\)"/\1/'); do
		file=${h%%#*}
		[ -n "$file" ] || file=${f##*/}
		ids_of "$file" | grep -qxF -- "${h#*#}" || bad="$bad ${f##*/}:$h"
	done
done
[ -z "$bad" ] && pass epub_internal_links || fail epub_internal_links "$bad"

exit 0
