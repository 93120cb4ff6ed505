#!/bin/sh
# Several booklets in one run (`chapbook build A B ...`): the outputs are
# byte-identical to those of separate runs; a broken booklet among good
# ones gets its diagnostic and a non-zero exit while the good ones are
# still built; the exit code is the worst of the booklets'; two booklets
# with one identifier are refused (the later one); check takes several too.
: "${CHAPBOOK:?}" "${TOP:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
export SOURCE_DATE_EPOCH=1700000000
cd "$TOP" || exit 1

# A: the XML booklet under another identifier; B: the Markdown booklet.
sed 's|<identifier>mums-bonding</identifier>|<identifier>many-a</identifier>|' \
	content/booklet.xml > "$tmp/a.xml"
cp content/booklet.md "$tmp/b.md"
"$CHAPBOOK" build -q --styles styles --fonts fonts -o "$tmp/sep" "$tmp/a.xml" 2>"$tmp/err" &&
"$CHAPBOOK" build -q --styles styles --fonts fonts -o "$tmp/sep" "$tmp/b.md" 2>>"$tmp/err"
rc1=$?
"$CHAPBOOK" build -q --styles styles --fonts fonts -o "$tmp/one" "$tmp/a.xml" "$tmp/b.md" 2>>"$tmp/err"
rc2=$?
if [ "$rc1" = 0 ] && [ "$rc2" = 0 ]; then pass "many: two booklets build in one run"
else fail "many: two booklets build in one run" "exit $rc1/$rc2: $(head -1 "$tmp/err")"; fi
n=0 same=0
for f in "$tmp/sep"/*; do
	n=$((n + 1))
	cmp -s "$f" "$tmp/one/${f##*/}" && same=$((same + 1))
done
if [ "$n" = 8 ] && [ "$same" = 8 ] && [ "$(ls "$tmp/one" | wc -l)" = 8 ]; then
	pass "many: the 8 outputs of one run are byte-identical to two runs'"
else fail "many: the 8 outputs of one run are byte-identical to two runs'" "$same of $n the same"; fi

# A broken booklet between two good ones: its diagnostic, exit 1, the good
# ones built, nothing of the broken one, no temporary files.
"$CHAPBOOK" build --styles styles --fonts fonts -o "$tmp/mixed" "$tmp/a.xml" \
	tests/bad/unknown-key.xml "$tmp/b.md" >/dev/null 2>"$tmp/err"
rc=$?
alone=$("$CHAPBOOK" check tests/bad/unknown-key.xml 2>&1 | grep ': error: ' | head -1)
if [ "$rc" = 1 ] && [ -n "$alone" ] && grep -qF -- "$alone" "$tmp/err"; then
	pass "many: a broken booklet gets its diagnostic and exit 1"
else fail "many: a broken booklet gets its diagnostic and exit 1" "exit $rc: $(head -3 "$tmp/err")"; fi
if [ -f "$tmp/mixed/many-a-a5.pdf" ] && [ -f "$tmp/mixed/mums-bonding.epub" ] &&
   [ "$(ls "$tmp/mixed" | wc -l)" = 8 ]; then
	pass "many: the good booklets are still built, nothing of the broken one"
else fail "many: the good booklets are still built, nothing of the broken one" "$(ls "$tmp/mixed" | tr '\n' ' ')"; fi
if grep -q "built 4 files from $tmp/a.xml" "$tmp/err" &&
   grep -q "built 4 files from $tmp/b.md" "$tmp/err"; then
	pass "many: each booklet's report names it"
else fail "many: each booklet's report names it" "$(grep built "$tmp/err")"; fi
left=$(find "$tmp/mixed" -name '*.tmp.*' | head -1)
if [ -z "$left" ]; then pass "many: no temporary files left"
else fail "many: no temporary files left" "$left"; fi

# The worst exit code wins: a missing booklet (2) beside a broken one (1).
"$CHAPBOOK" build -q -o "$tmp/worst" tests/bad/unknown-key.xml "$tmp/missing.xml" \
	"$tmp/a.xml" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" = 2 ] && grep -q "missing.xml" "$tmp/err" && [ -f "$tmp/worst/many-a.epub" ]; then
	pass "many: exit code is the worst of the booklets'"
else fail "many: exit code is the worst of the booklets'" "exit $rc: $(head -2 "$tmp/err")"; fi

# One identifier, two booklets: the later one is refused, the first built.
"$CHAPBOOK" build -q --styles styles --fonts fonts -o "$tmp/dup" content/booklet.xml \
	"$tmp/b.md" >/dev/null 2>"$tmp/err"
rc=$?
xml_epub=$(ls "$tmp/dup" 2>/dev/null | wc -l)
if [ "$rc" = 1 ] && grep -q "$tmp/b.md.*identifier 'mums-bonding' is also that of content/booklet.xml" "$tmp/err" &&
   [ "$xml_epub" = 4 ]; then
	pass "many: a second booklet with the same identifier is refused"
else fail "many: a second booklet with the same identifier is refused" "exit $rc, $xml_epub files: $(head -2 "$tmp/err")"; fi

# check takes several booklets: clean ones print nothing, the exit is 1
# for a broken one among them.
"$CHAPBOOK" check "$tmp/a.xml" "$tmp/b.md" >"$tmp/out" 2>&1
rc1=$?
"$CHAPBOOK" check "$tmp/a.xml" tests/bad/unknown-key.xml "$tmp/b.md" >/dev/null 2>"$tmp/err"
rc2=$?
if [ "$rc1" = 0 ] && [ ! -s "$tmp/out" ] && [ "$rc2" = 1 ] && grep -qF -- "$alone" "$tmp/err"; then
	pass "many: check of several booklets"
else fail "many: check of several booklets" "exit $rc1/$rc2"; fi

# Warnings are each booklet's own: a character missing from the fonts is
# reported for every booklet that has it, as separate runs report it.
sed 's|<title>Bonding with your baby</title>|<title>Bonding with your baby ☃</title>|' \
	"$tmp/a.xml" > "$tmp/s1.xml"
sed 's|<identifier>many-a</identifier>|<identifier>many-s</identifier>|' \
	"$tmp/s1.xml" > "$tmp/s2.xml"
"$CHAPBOOK" build -q --styles styles --fonts fonts -o "$tmp/snow" "$tmp/s1.xml" \
	"$tmp/s2.xml" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" = 0 ] && [ "$(grep -c "s1.xml:.*no glyph for U+2603" "$tmp/err")" = 1 ] &&
   [ "$(grep -c "s2.xml:.*no glyph for U+2603" "$tmp/err")" = 1 ]; then
	pass "many: each booklet gets its own missing-glyph warning"
else fail "many: each booklet gets its own missing-glyph warning" "exit $rc: $(grep -c 'no glyph' "$tmp/err") warnings"; fi

# Many booklets go through in windows (32 at a time): a clash of
# identifiers across a window's edge is found like any other, and every
# other booklet is built.
mkdir -p "$tmp/win"
i=1
while [ "$i" -le 34 ]; do
	id=win-$i
	[ "$i" = 33 ] && id=win-2
	sed "s|<identifier>many-a</identifier>|<identifier>$id</identifier>|" \
		"$tmp/a.xml" > "$tmp/win/w$i.xml"
	set -- "$@" "$tmp/win/w$i.xml"
	i=$((i + 1))
done
"$CHAPBOOK" build -q --format a5 --styles styles --fonts fonts -o "$tmp/wout" "$@" \
	>/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" = 1 ] && [ "$(grep -c ': error: ' "$tmp/err")" = 1 ] &&
   grep -q "w33.xml: error: its identifier 'win-2' is also that of $tmp/win/w2.xml" "$tmp/err" &&
   [ "$(ls "$tmp/wout" | wc -l)" = 33 ]; then
	pass "many: 34 booklets, a clash across the first 32's edge refused, 33 built"
else fail "many: 34 booklets, a clash across the first 32's edge refused, 33 built" "exit $rc, $(ls "$tmp/wout" | wc -l) files: $(head -2 "$tmp/err")"; fi
