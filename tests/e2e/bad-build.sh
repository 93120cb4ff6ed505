#!/bin/sh
# Bad input that only a build meets: a word wider than the page, a font
# file that is not a font, a 50 MB paragraph, a booklet over the size limit.
# Each gets a clear diagnostic and the right exit code, and a failed build
# leaves no output (nor temporary file) behind.
: "${CHAPBOOK:?}"
cd "$TOP" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
opts="--styles $TOP/styles --fonts $TOP/fonts"

# A word longer than the measure: set overfull with a warning naming the
# paragraph; --strict refuses it and writes nothing.
"$CHAPBOOK" build --format a5 $opts -o "$tmp/w" tests/bad/long-word.xml 2>"$tmp/err"
rc=$?
if [ $rc = 0 ] && grep -q '^tests/bad/long-word.xml:14:5: warning: line [0-9]* of this paragraph does not fit the measure' "$tmp/err"; then
	pass "word wider than the page is reported with its line"
else fail "word wider than the page is reported with its line" "rc=$rc $(head -1 "$tmp/err")"; fi
"$CHAPBOOK" build --strict --format a5 $opts -o "$tmp/ws" tests/bad/long-word.xml 2>/dev/null
rc=$?
if [ $rc = 1 ] && [ -z "$(ls -A "$tmp/ws" 2>/dev/null)" ]; then
	pass "build --strict refuses an overfull line and writes nothing"
else fail "build --strict refuses an overfull line and writes nothing" "rc=$rc"; fi

# A font file that is not a font.
mkdir "$tmp/fonts"
cp fonts/*.ttf "$tmp/fonts/"
printf 'this is not a font\n' >"$tmp/fonts/CharisSIL-Italic.ttf"
"$CHAPBOOK" build --format a5 --styles "$TOP/styles" --fonts "$tmp/fonts" -o "$tmp/f" content/booklet.xml 2>"$tmp/err"
rc=$?
if [ $rc != 0 ] && grep -q 'error: cannot load font .*CharisSIL-Italic.ttf' "$tmp/err" && [ -z "$(ls -A "$tmp/f" 2>/dev/null)" ]; then
	pass "a font that is not a font is an error naming it"
else fail "a font that is not a font is an error naming it" "rc=$rc $(head -1 "$tmp/err")"; fi

# A 50 MB paragraph is within the limits: it loads and checks.
{ sed -n '1,/<title>Article<\/title>/p' tests/bad/ok.xml
  awk 'BEGIN { printf "    <p>"; for (i = 0; i < 6500000; i++) printf "bonding "; print "</p>" }'
  sed -n '/Bonding takes time/,$p' tests/bad/ok.xml; } >"$tmp/big.xml"
size=$(wc -c <"$tmp/big.xml")
"$CHAPBOOK" check "$tmp/big.xml" 2>"$tmp/err"
rc=$?
if [ "$size" -gt 50000000 ] && [ $rc = 0 ]; then pass "a 50 MB paragraph loads and checks"
else fail "a 50 MB paragraph loads and checks" "size=$size rc=$rc $(head -1 "$tmp/err")"; fi

# Over the 64 MiB limit: refused before parsing.
{ cat "$tmp/big.xml"; head -c 20000000 /dev/zero | tr '\0' ' '; } >"$tmp/huge.xml"
"$CHAPBOOK" check "$tmp/huge.xml" 2>"$tmp/err"
rc=$?
if [ $rc != 0 ] && grep -q 'larger than the limit of 64 MiB' "$tmp/err"; then
	pass "a booklet over 64 MiB is refused"
else fail "a booklet over 64 MiB is refused" "rc=$rc $(head -1 "$tmp/err")"; fi
# A full output directory (a 100 KiB tmpfs; needs root, else skipped):
# the output that does not fit is a clear error with exit 2, and the build
# is all or nothing: not even the EPUB that fitted is left, nor any
# temporary file.
mkdir "$tmp/full"
if mount -t tmpfs -o size=100k tmpfs "$tmp/full" 2>/dev/null; then
	"$CHAPBOOK" build -o "$tmp/full" content/booklet.xml 2>"$tmp/err"
	rc=$?
	left=$(ls -A "$tmp/full")
	if [ $rc = 2 ] && grep -q 'error: cannot write output file: No space left on device' "$tmp/err" && [ -z "$left" ]; then
		pass "a full output directory is an error and leaves nothing"
	else fail "a full output directory is an error and leaves nothing" "rc=$rc $(head -1 "$tmp/err") $left"; fi
	umount "$tmp/full"
else
	echo "SKIP a full output directory (cannot mount a tmpfs here)"
fi
exit 0
