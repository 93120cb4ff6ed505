#!/bin/sh
# epubcheck.sh - any booklet `check` accepts gives an EPUB that epubcheck
# accepts: every fixture under content/ and tests/ that checks clean
# (content/booklet.xml itself is epub.sh's) is built and run through
# epubcheck, all in one JVM (EpubCheckMany.java: about 1 s a file there,
# 6 s each as separate runs). Among them id-collision.xml,
# whose author ids are the ones the renderers generate (cite-1, ref-KEY,
# section-1, toc, ...), and standfirst-links.xml, whose standfirst holds a
# link and a citation that the title page must link.
: "${CHAPBOOK:?}" "${TOP:?}"
JAR=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
if ! command -v java >/dev/null 2>&1 || [ ! -f "$JAR" ]; then
	fail "epubcheck of accepted fixtures" "java or $JAR missing (make test-deps)"
	exit 0
fi
cd "$TOP" || exit 1

n=0
for f in $(find content tests -name '*.xml' | LC_ALL=C sort); do
	[ "$f" = content/booklet.xml ] && continue
	"$CHAPBOOK" check "$f" >/dev/null 2>&1 || continue
	n=$((n + 1))
	out=$tmp/$n
	if "$CHAPBOOK" build --epub --styles styles --fonts fonts -o "$out" "$f" \
		>"$tmp/$n.log" 2>&1 && [ -f "$(ls "$out"/*.epub 2>/dev/null)" ]; then
		echo "$f $(ls "$out"/*.epub)" >>"$tmp/list"
	else
		fail "build --epub $f" "$(head -1 "$tmp/$n.log")"
	fi
done
[ "$n" -gt 5 ] && pass "epubcheck: $n accepted fixtures found" ||
	fail "epubcheck: accepted fixtures found" "only $n"

# epubcheck, one JVM for all; a result line per EPUB. Where Java cannot
# run a source file (no jdk.compiler module), one epubcheck run per file.
java -Xss1024k -cp "$JAR" "$TOP/tests/e2e/EpubCheckMany.java" \
	$(awk '{ print $2 }' "$tmp/list") >"$tmp/check.out" 2>"$tmp/check.err"
if ! grep -q '^epubcheck: ' "$tmp/check.out"; then
	while read -r f epub; do
		if java -jar "$JAR" "$epub" >"$tmp/one.log" 2>&1 &&
		   grep -q '^Messages: 0 fatals / 0 errors / 0 warnings' "$tmp/one.log"; then
			echo "epubcheck: OK $epub"
		else
			echo "epubcheck: FAIL $epub"
			grep -E '^(ERROR|WARNING|FATAL)' "$tmp/one.log" >&2
		fi
	done <"$tmp/list" >"$tmp/check.out" 2>"$tmp/check.err"
fi
while read -r f epub; do
	if grep -qxF "epubcheck: OK $epub" "$tmp/check.out"; then
		pass "epubcheck accepts the EPUB of $f"
	else
		fail "epubcheck accepts the EPUB of $f" \
			"$(grep -F "$epub" "$tmp/check.out" "$tmp/check.err" | head -n 4)"
	fi
done <"$tmp/list"

# The standfirst's link and citation are links on the title page.
epub=$(awk '$1 == "tests/bad/standfirst-links.xml" { print $2 }' "$tmp/list")
if [ -n "$epub" ] && unzip -p "$epub" OEBPS/title.xhtml >"$tmp/title.xhtml" 2>/dev/null &&
   grep -q '<a href="https://www.nct.org.uk/">NCT</a>' "$tmp/title.xhtml" &&
   grep -q '<span class="citation" id="cite-1">(<a href="references.xhtml#ref-nct2016" role="doc-biblioref">NCT, 2016</a>)</span>' "$tmp/title.xhtml"; then
	pass "the standfirst's link and citation are linked on the title page"
else
	fail "the standfirst's link and citation are linked on the title page" \
		"$(grep -o '<p class="standfirst".*' "$tmp/title.xhtml" 2>/dev/null)"
fi
exit 0
