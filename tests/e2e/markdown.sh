#!/bin/sh
# markdown.sh - Markdown booklets end to end: content/booklet.md and
# content/booklet.xml give byte-identical outputs (all four, and the same
# --dump-layout); tests/md/every.md (every construct, CSL-YAML and CSL-JSON
# references, pandoc's citations with prefixes and suffixes, nocite) builds
# with --strict, passes epubcheck, and prints what it cites; pandoc
# --citeproc builds both files; and each broken booklet of tests/md/bad gives
# the exit codes and the diagnostic that tests/md/bad/EXPECT lists (and,
# where a NAME.err is beside it, exactly that whole report: caret and hint
# included), and a failed build of it writes nothing.
: "${CHAPBOOK:?}" "${TOP:?}"
EPUBCHECK_JAR=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
cd "$TOP" || exit 1

# ---- the default booklet, both ways: the same bytes -------------------------
outs="mums-bonding.epub mums-bonding-a5.pdf mums-bonding-booklet-a4.pdf mums-bonding-handout-a4.pdf"
"$CHAPBOOK" build --dump-layout -o "$tmp/xml" content/booklet.xml >"$tmp/xml.layout" 2>"$tmp/err.xml"
rx=$?
"$CHAPBOOK" build -q --dump-layout -o "$tmp/md" content/booklet.md >"$tmp/md.layout" 2>"$tmp/err.md"
rm=$?
if [ $rx = 0 ] && [ $rm = 0 ] && [ ! -s "$tmp/err.md" ]; then
	pass "markdown: content/booklet.md builds silently"
else
	fail "markdown: content/booklet.md builds silently" "exit $rx/$rm: $(head -2 "$tmp/err.md")"
fi
for f in $outs; do
	if [ -s "$tmp/xml/$f" ] && cmp -s "$tmp/xml/$f" "$tmp/md/$f"; then
		pass "markdown: $f from booklet.md is byte-identical to booklet.xml's"
	else
		fail "markdown: $f from booklet.md is byte-identical to booklet.xml's"
	fi
done
if [ -s "$tmp/xml.layout" ] && cmp -s "$tmp/xml.layout" "$tmp/md.layout"; then
	pass "markdown: --dump-layout is the same"
else
	fail "markdown: --dump-layout is the same" "$(diff "$tmp/xml.layout" "$tmp/md.layout" | head -3)"
fi
if "$CHAPBOOK" check --strict content/booklet.md >"$tmp/out" 2>&1; then
	pass "markdown: content/booklet.md passes check --strict"
else
	fail "markdown: content/booklet.md passes check --strict" "$(head -3 "$tmp/out")"
fi

# ---- every construct --------------------------------------------------------
every=tests/md/every.md
if "$CHAPBOOK" build --strict --styles styles --fonts fonts -o "$tmp/every" "$every" \
	>/dev/null 2>"$tmp/err"; then
	pass "markdown: $every builds with --strict"
else
	fail "markdown: $every builds with --strict" "$(head -3 "$tmp/err")"
fi
if java -jar "$EPUBCHECK_JAR" "$tmp/every/every-construct.epub" >"$tmp/epubcheck" 2>&1 &&
   grep -q 'Messages: 0 fatals / 0 errors / 0 warnings' "$tmp/epubcheck"; then
	pass "markdown: $every EPUB passes epubcheck"
else
	fail "markdown: $every EPUB passes epubcheck" "$(grep -E 'ERROR|WARNING|FATAL' "$tmp/epubcheck" | head -3)"
fi
pdftotext "$tmp/every/every-construct-a5.pdf" "$tmp/every.raw" 2>/dev/null
# words joined across line breaks as chapbook marks them (soft hyphens,
# URLs: see tests/pdf_flat_text.sh)
sh tests/pdf_flat_text.sh "$tmp/every.raw" "$every" tests/md/*.json >"$tmp/every.txt"
# the same without spaces: a URL broken after '/' at a line's end reads on
tr -d ' \n' <"$tmp/every.txt" >"$tmp/every.bare"
# what it cites, from the metadata (CSL-YAML) and from every.json (CSL-JSON),
# with pandoc's prefixes and suffixes and its author-in-text form; nocite
# entries listed; the group with a link; the parts in their order
while IFS= read -r want; do
	if grep -qF -- "$want" "$tmp/every.txt" ||
	   grep -qF -- "$(printf '%s' "$want" | tr -d ' ')" "$tmp/every.bare"; then
		pass "markdown: every.md's A5 PDF says '$want'"
	else
		fail "markdown: every.md's A5 PDF says '$want'"
	fi
done <<'EOF'
Babies sleep a lot (Hale and Kirby, 2019). Several studies agree (Hale and Kirby, 2019; NHS, 2020)
and a longer review says more (see Ward and Lee, 2017, pp. 4–5). Charities publish advice too (The Brennan Trust, 2020; https://
Hale and Kirby (2019) found that routines help, and Ward and Lee (2017, p. 33) agree.
an escaped @hale2019 is not a citation
Sam’s experience “We kept the lights low at night and it helped.”
A dad’s story “Night feeds were easier when we took turns.”
Hale L, Kirby N. (2019) Sleep and the newborn. Journal of Sleep Tests. 12(3): 10-20.
The Brennan Trust. (2020) Sleep advice for parents. Available at: https://example.org/brennan/sleep [accessed 16th January 2021].
Unread A. (2015) A report listed but never cited. Nobody.
van den Berg A. (2018) Sleep, explained. Eds. K Jones, The parents’ guide, Test Press.
Ward P, Lee S. (Eds.) (2017) Sleep in the first year. London: Test Press.
Last reviewed 5th March 2021
EOF
if grep -q 'Tips for tired parents • Sleep when.*Sources Everything cited here.*Ward P, Lee S.*Further information Call the support' "$tmp/every.txt"; then
	pass "markdown: every.md's bibliography in the part marked {#refs}"
else
	fail "markdown: every.md's bibliography in the part marked {#refs}"
fi
ids=$(unzip -p "$tmp/every/every-construct.epub" '*.xhtml' 2>/dev/null |
	grep -o 'id="\(article\|day-and-night\|routine\|tips\|refs\|further-information\)"' | sort -u | wc -l)
if [ "$ids" = 6 ]; then pass "markdown: every.md's ids, given and pandoc's"
else fail "markdown: every.md's ids, given and pandoc's" "found $ids of 6"; fi

# ---- citation forms, both ways: the same bytes -------------------------------
# tests/md/cite-forms.md writes pandoc's prefixes, suffixes and author-in-text
# citations; cite-forms.xml says the same with prefix, suffix and form.
for f in md xml; do
	"$CHAPBOOK" build -q --strict --dump-layout --styles styles --fonts fonts \
		-o "$tmp/cf-$f" "tests/md/cite-forms.$f" >"$tmp/cf-$f.layout" 2>"$tmp/cf-$f.err"
done
same=1
for f in cite-forms.epub cite-forms-a5.pdf cite-forms-booklet-a4.pdf cite-forms-handout-a4.pdf; do
	[ -s "$tmp/cf-md/$f" ] && cmp -s "$tmp/cf-md/$f" "$tmp/cf-xml/$f" || same=0
done
cmp -s "$tmp/cf-md.layout" "$tmp/cf-xml.layout" || same=0
if [ $same = 1 ] && [ ! -s "$tmp/cf-md.err" ] && [ ! -s "$tmp/cf-xml.err" ]; then
	pass "markdown: cite-forms.md and cite-forms.xml give the same outputs"
else
	fail "markdown: cite-forms.md and cite-forms.xml give the same outputs" \
		"$(cat "$tmp/cf-md.err" "$tmp/cf-xml.err" | head -2)"
fi
pdftotext "$tmp/cf-xml/cite-forms-a5.pdf" - 2>/dev/null | tr -s ' \n' '  ' >"$tmp/cf.txt"
while IFS= read -r want; do
	if grep -qF -- "$want" "$tmp/cf.txt"; then
		pass "markdown: cite-forms' A5 PDF says '$want'"
	else
		fail "markdown: cite-forms' A5 PDF says '$want'"
	fi
done <<'EOF'
A prefix (see Gerhardt, 2014), a suffix (Gerhardt, 2014, p. 4), both (see Gerhardt, 2014, pp. 4–5)
and a suffix without a comma (NCT, 2016 online).
A group (see Ayers et al, 2016; NCT, 2016, and elsewhere).
Gerhardt (2014) says so, and Ayers et al (2016, p. 33) agree.
EOF
# an author-in-text citation is one link, name and year together
if unzip -p "$tmp/cf-xml/cite-forms.epub" '*.xhtml' 2>/dev/null |
	grep -qF '<a href="references.xhtml#ref-ayers2016" role="doc-biblioref">Ayers et al (2016, p. 33)</a>'; then
	pass "markdown: an author-in-text citation links name and year"
else
	fail "markdown: an author-in-text citation links name and year"
fi

# ---- pandoc reads the same files -------------------------------------------
if pandoc --citeproc -o "$tmp/booklet.html" content/booklet.md 2>"$tmp/err" &&
   grep -q 'Gerhardt 2014' "$tmp/booklet.html"; then
	pass "markdown: pandoc --citeproc builds content/booklet.md"
else
	fail "markdown: pandoc --citeproc builds content/booklet.md" "$(head -2 "$tmp/err")"
fi
# pandoc finds a bibliography from the working directory, chapbook beside the booklet
if (cd tests/md && pandoc --citeproc -o "$tmp/every.html" every.md) 2>"$tmp/err" &&
   grep -q 'see Ward and Lee 2017, 4–5' "$tmp/every.html" &&
   grep -q 'Brennan Trust' "$tmp/every.html"; then
	pass "markdown: pandoc --citeproc builds tests/md/every.md"
else
	fail "markdown: pandoc --citeproc builds tests/md/every.md" "$(head -2 "$tmp/err")"
fi

# ---- broken booklets --------------------------------------------------------
cd tests/md/bad || exit 1
grep -v '^#' EXPECT | while IFS='|' read -r file code strict line; do
	[ -n "$file" ] || continue
	"$CHAPBOOK" check "$file" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = "$code" ]; then pass "markdown: check $file exits $code"
	else fail "markdown: check $file exits $code" "got $rc: $(head -1 "$tmp/err")"; fi
	"$CHAPBOOK" check --strict "$file" >/dev/null 2>&1
	rc=$?
	if [ "$rc" = "$strict" ]; then pass "markdown: check --strict $file exits $strict"
	else fail "markdown: check --strict $file exits $strict" "got $rc"; fi
	if [ -n "$line" ]; then
		if grep -qxF -- "$line" "$tmp/err"; then pass "markdown: check $file diagnostic"
		else fail "markdown: check $file diagnostic" "expected '$line', got '$(head -1 "$tmp/err")'"; fi
	elif [ -s "$tmp/err" ]; then
		fail "markdown: check $file is silent" "$(head -1 "$tmp/err")"
	else
		pass "markdown: check $file is silent"
	fi
	if [ -f "${file%.md}.err" ]; then
		if diff -u "${file%.md}.err" "$tmp/err" >"$tmp/diff"; then
			pass "markdown: check $file report, caret and hint"
		else
			fail "markdown: check $file report, caret and hint" "$(tail -n +3 "$tmp/diff" | grep '^[-+]' | head -4 | tr '\n' ' ')"
		fi
	fi
	if [ "$code" != 0 ]; then
		rm -rf "$tmp/o"; mkdir "$tmp/o"
		"$CHAPBOOK" build --styles "$TOP/styles" --fonts "$TOP/fonts" -o "$tmp/o" "$file" >/dev/null 2>&1
		if [ $? != 0 ] && [ -z "$(ls -A "$tmp/o")" ]; then
			pass "markdown: build $file fails and writes nothing"
		else
			fail "markdown: build $file fails and writes nothing" "$(ls -A "$tmp/o")"
		fi
	fi
done
# A missing Markdown booklet is an I/O error, as a missing XML one is.
"$CHAPBOOK" check "$tmp/no-such-booklet.md" 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q "no-such-booklet.md: error: cannot read booklet: No such file or directory" "$tmp/err"; then
	pass "markdown: missing booklet exits 2 with a diagnostic"
else
	fail "markdown: missing booklet exits 2 with a diagnostic" "rc=$rc $(cat "$tmp/err")"
fi
