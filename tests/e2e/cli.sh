#!/bin/sh
# The command line as a user meets it: --help and --version, every option
# documented in chapbook(1) and the README, both spellings of option
# values, paper and format names in any case, one line per file written
# and the time, -q, an unknown command named; diagnostics with the source
# line, a caret, a hint and a closing count, coloured only on a terminal;
# `chapbook new` starters that build as they are; styles beside the
# booklet overriding the defaults, and a missing style naming every place
# looked.
: "${CHAPBOOK:?}" "${TOP:?}"
cd "$TOP" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
skip() { echo "SKIP $1${2:+: $2}"; }
# ok NAME COMMAND...: PASS if the command succeeds, else FAIL
ok() { what_=$1; shift; if "$@"; then pass "$what_"; else fail "$what_"; fi; }

# ---- help, version ---------------------------------------------------------
"$CHAPBOOK" --help >"$tmp/help" 2>"$tmp/err"
ok "--help exits 0 on standard output" \
	test $? = 0 -a ! -s "$tmp/err" -a "$(head -1 "$tmp/help")" = "usage: chapbook COMMAND [OPTIONS] [BOOKLET]"
for cmd in check build watch new; do
	"$CHAPBOOK" $cmd --help >"$tmp/help-$cmd" 2>&1
	rc=$?
	ok "$cmd --help exits 0 and shows its usage" \
		test $rc = 0 -a "$(head -1 "$tmp/help-$cmd" | cut -d' ' -f1-3)" = "usage: chapbook $cmd"
	"$CHAPBOOK" help $cmd | cmp -s - "$tmp/help-$cmd"
	ok "help $cmd is $cmd --help" test $? = 0
done
v=$("$CHAPBOOK" --version)
case $v in "chapbook "[0-9]*.[0-9]*.[0-9]*) pass "--version: $v" ;; *) fail "--version" "$v" ;; esac

# Every option any --help lists is in the man page and the README.
groff -man -Tutf8 -P-cbou builder/chapbook.1 2>/dev/null | sed 's/‐/-/g' >"$tmp/man.txt"
opts=$(cat "$tmp"/help-* | grep -o -- '--[a-z][a-z-]*' | sort -u)
missing_man="" missing_readme=""
for o in $opts --version; do
	grep -q -- "$o\b" "$tmp/man.txt" || missing_man="$missing_man $o"
	grep -q -- "$o\b" README.md || missing_readme="$missing_readme $o"
done
ok "every option is in chapbook(1)" test -z "$missing_man"
[ -z "$missing_man" ] || echo "  missing from chapbook(1):$missing_man"
ok "every option is in the README" test -z "$missing_readme"
[ -z "$missing_readme" ] || echo "  missing from README.md:$missing_readme"
for w in check build watch new "EXIT STATUS" SOURCE_DATE_EPOCH NO_COLOR /proc/self/exe share/chapbook; do
	grep -q -- "$w" "$tmp/man.txt" || fail "chapbook(1) describes $w"
done
warn=$(groff -man -ww -z builder/chapbook.1 2>&1)
ok "chapbook(1) formats without a warning" test -z "$warn"

# ---- usage errors ----------------------------------------------------------
"$CHAPBOOK" new2 >"$tmp/out" 2>"$tmp/err"
rc=$?
ok "an unknown command is named, with the commands (exit 2)" \
	test $rc = 2 -a "$(head -1 "$tmp/err")" = "chapbook: error: unknown command 'new2'; commands: check, build, new, watch"
"$CHAPBOOK" build --frmat epub >/dev/null 2>"$tmp/err"
rc=$?
ok "an unknown option gets a guess (exit 2)" \
	test $rc = 2 -a "$(head -1 "$tmp/err")" = "chapbook: error: unknown option '--frmat'; did you mean '--format'?"

# ---- option spellings, output lines ----------------------------------------
"$CHAPBOOK" build --format=EPUB,Booklet --sheet A4 --output="$tmp/o1" content/booklet.xml 2>"$tmp/err1"
rc1=$?
"$CHAPBOOK" build --format epub,booklet --sheet=a4 -o "$tmp/o2" content/booklet.xml 2>"$tmp/err2"
rc2=$?
ok "--opt=value and --opt value, A4 and a4, EPUB and epub build the same" \
	test $rc1 = 0 -a $rc2 = 0 -a "$(LC_ALL=C ls "$tmp/o1")" = "mums-bonding-booklet-a4.pdf
mums-bonding.epub" -a "$(LC_ALL=C ls "$tmp/o2")" = "$(LC_ALL=C ls "$tmp/o1")"
cmp -s "$tmp/o1/mums-bonding-booklet-a4.pdf" "$tmp/o2/mums-bonding-booklet-a4.pdf"
ok "... byte for byte" test $? = 0
# one "wrote PATH (SIZE)" line per file, in build order, then the time
sed -n 's/^chapbook: wrote \(.*\) (\([0-9.]*\) \(bytes\|KiB\|MiB\))$/\1/p' "$tmp/err2" >"$tmp/written"
ok "one line per file written, with its size" \
	test "$(cat "$tmp/written")" = "$tmp/o2/mums-bonding.epub
$tmp/o2/mums-bonding-booklet-a4.pdf"
kib=$(sed -n 's/^chapbook: wrote .*booklet-a4.pdf (\([0-9.]*\) KiB)$/\1/p' "$tmp/err2")
real=$(wc -c <"$tmp/o2/mums-bonding-booklet-a4.pdf")
ok "the size printed is the file's ($kib KiB, $real bytes)" \
	awk -v k="$kib" -v r="$real" 'BEGIN { exit !(k != "" && (k * 1024 - r) ^ 2 < 52 ^ 2) }'
ok "the last line gives the count and the time" \
	grep -qx 'chapbook: built 2 files in [0-9.]* m\?s' "$tmp/err2"
"$CHAPBOOK" build -q --format epub -o "$tmp/o3" content/booklet.xml >"$tmp/out" 2>"$tmp/err"
ok "-q: a successful build prints nothing" test $? = 0 -a ! -s "$tmp/err" -a ! -s "$tmp/out" -a -s "$tmp/o3/mums-bonding.epub"
"$CHAPBOOK" check content/booklet.xml >"$tmp/out" 2>"$tmp/err"
ok "a clean check prints nothing" test $? = 0 -a ! -s "$tmp/err" -a ! -s "$tmp/out"
"$CHAPBOOK" check --meta content/booklet.xml >"$tmp/out" 2>"$tmp/err"
ok "check --meta prints identifier, review date and title" \
	test "$(cat "$tmp/out")" = "identifier: mums-bonding
reviewed: 2020-01
title: Mums: bonding with and getting to know your baby"
"$CHAPBOOK" build -v --format a5 -o "$tmp/o4" content/booklet.xml 2>"$tmp/err"
ok "-v says where the style and fonts came from" \
	grep -qx "chapbook: used content/../styles/a5.style (in the booklet's parent directory)" "$tmp/err"

# ---- diagnostics -----------------------------------------------------------
"$CHAPBOOK" check tests/bad/unknown-key.xml 2>"$tmp/err"
cat >"$tmp/want" <<'EOF'
tests/bad/unknown-key.xml:14:27: error: unknown citation key 'ayers2061'; did you mean 'ayers2016'?
   14 |     <p>Bonding takes time <cite ref="ayers2061 nct2016"/>.</p>
      |                           ^
tests/bad/unknown-key.xml:18:5: warning: reference 'ayers2016' is never cited
   18 |     <reference id="ayers2016" type="article-journal">
      |     ^
chapbook: 1 error, 1 warning
EOF
cmp -s "$tmp/err" "$tmp/want"
ok "source line, caret under the column, closing count" test $? = 0
[ $? = 0 ] || diff "$tmp/want" "$tmp/err" | head -8
ok "no colour when standard error is a file" test "$(grep -c "$(printf '\033')" "$tmp/err")" = 0
if command -v script >/dev/null; then
	script -qec "$CHAPBOOK check tests/bad/unknown-key.xml" /dev/null </dev/null >"$tmp/tty" 2>&1
	ok "colour on a terminal" grep -q "$(printf '\033')\[1;31merror:" "$tmp/tty"
	NO_COLOR=1 script -qec "$CHAPBOOK check tests/bad/unknown-key.xml" /dev/null </dev/null >"$tmp/tty" 2>&1
	ok "no colour on a terminal with NO_COLOR" test -s "$tmp/tty" -a "$(grep -c "$(printf '\033')" "$tmp/tty")" = 0
else
	skip "colour on a terminal" "no script(1)"
fi
mkdir "$tmp/typo"
cp styles/* "$tmp/typo/"
sed -i 's/^body-size/body-sise/' "$tmp/typo/a5.style"
"$CHAPBOOK" build --format a5 --styles "$tmp/typo" -o "$tmp/o5" content/booklet.xml 2>"$tmp/err"
ok "a style key typo: did you mean, with the line and a caret" \
	grep -A2 -x "$tmp/typo/a5.style:[0-9]*:1: error: unknown style key 'body-sise'; did you mean 'body-size'?" "$tmp/err" |
	sed -n 3p | grep -qx '      | ^'

# ---- chapbook new ----------------------------------------------------------
"$CHAPBOOK" new --xml "$tmp/Sleep Guide" 2>"$tmp/err"
rc=$?
ok "new --xml writes DIR/booklet.xml" test $rc = 0 -a -f "$tmp/Sleep Guide/booklet.xml"
sed 's/my-booklet/sleep-guide/g' content/starter/booklet.xml | cmp -s - "$tmp/Sleep Guide/booklet.xml"
ok "... the repository's starter, named after the directory" test $? = 0
"$CHAPBOOK" build --strict -o "$tmp/Sleep Guide/out" "$tmp/Sleep Guide/booklet.xml" >/dev/null 2>"$tmp/err"
rc=$?
ok "the XML starter builds as it is, warning-free" test $rc = 0 -a -f "$tmp/Sleep Guide/out/sleep-guide-a5.pdf"
[ $rc = 0 ] || head -5 "$tmp/err"
shown=""
for el in meta title standfirst author honorific given family publisher language reviewed identifier \
	part section p em strong link cite ol ul li experience reference editor literal \
	container-title volume issue page publisher-place URL accessed; do
	grep -q "<$el[ >]" content/starter/booklet.xml || shown="$shown <$el>"
done
for k in article tips further references; do
	grep -q "kind=\"$k\"" content/starter/booklet.xml || shown="$shown $k-part"
done
for t in article-journal book chapter report webpage; do
	grep -q "type=\"$t\"" content/starter/booklet.xml || shown="$shown $t"
done
for sc in mailto: tel: https:; do
	grep -q "href=\"$sc" content/starter/booklet.xml || shown="$shown $sc"
done
ok "the XML starter shows every element, part kind, reference type and link scheme" test -z "$shown"
[ -z "$shown" ] || echo "  not shown:$shown"
"$CHAPBOOK" new --xml "$tmp/Sleep Guide" >/dev/null 2>"$tmp/err"
rc=$?
ok "new never writes over a booklet (exit 2)" \
	test $rc = 2 -a "$(head -1 "$tmp/err")" = "$tmp/Sleep Guide/booklet.xml: error: already exists; 'chapbook new' never writes over a booklet"
"$CHAPBOOK" new "$tmp/md" 2>"$tmp/err"
rc=$?
ok "new writes Markdown by default" test $rc = 0 -a -f "$tmp/md/booklet.md" -a ! -e "$tmp/md/booklet.xml"
sed 's/my-booklet/md/g' content/starter/booklet.md | cmp -s - "$tmp/md/booklet.md"
ok "... the repository's Markdown starter" test $? = 0
"$CHAPBOOK" build --strict -o "$tmp/md/out" "$tmp/md/booklet.md" >/dev/null 2>"$tmp/err"
rc=$?
if grep -q "Start tag expected" "$tmp/err"; then
	skip "the Markdown starter builds as it is" "this chapbook reads no Markdown yet (issue 14 item 1)"
else
	ok "the Markdown starter builds as it is, warning-free" test $rc = 0 -a -f "$tmp/md/out/md-a5.pdf"
	[ $rc = 0 ] || head -5 "$tmp/err"
fi

# ---- where styles come from ------------------------------------------------
# A booklet with a styles/ of its own: its a5.style wins (a narrower
# page), the rest comes from the defaults.
mkdir -p "$tmp/own/styles"
cp content/booklet.xml "$tmp/own/"
sed 's/^page-width *=.*/page-width = 400pt/' styles/a5.style >"$tmp/own/styles/a5.style"
"$CHAPBOOK" build -v --format a5,epub -o "$tmp/own/out" "$tmp/own/booklet.xml" >/dev/null 2>"$tmp/err"
w=$(pdfinfo "$tmp/own/out/mums-bonding-a5.pdf" 2>/dev/null | sed -n 's/^Page size: *\([0-9.]*\) x.*/\1/p')
ok "styles/ beside the booklet overrides the default style ($w pt wide)" \
	test "$w" = 400 -a -f "$tmp/own/out/mums-bonding.epub"
ok "... and -v says so" grep -qx "chapbook: used $tmp/own/styles/a5.style (beside the booklet)" "$tmp/err"
# A copied program, away from any styles: the error lists every place.
mkdir -p "$tmp/lone/bin" "$tmp/lone/book"
cp "$CHAPBOOK" "$tmp/lone/bin/chapbook"
cp content/booklet.xml "$tmp/lone/book/"
"$tmp/lone/bin/chapbook" build -o "$tmp/lone/out" "$tmp/lone/book/booklet.xml" >/dev/null 2>"$tmp/err"
rc=$?
if [ -e /usr/local/share/chapbook/styles/epub.css ]; then
	skip "a missing style names every place looked" "chapbook is installed in /usr/local"
else
	# the last place is the data directory compiled in (PREFIX/share/chapbook)
	case $(head -1 "$tmp/err") in
	"chapbook: error: cannot find style 'epub.css': looked for $tmp/lone/book/styles/epub.css, $tmp/lone/book/../styles/epub.css, $tmp/lone/share/chapbook/styles/epub.css, $tmp/lone/styles/epub.css and /"*"/share/chapbook/styles/epub.css")
		ok "a missing style names every place looked (exit 2)" test $rc = 2 ;;
	*) fail "a missing style names every place looked (exit 2)" "rc=$rc $(head -1 "$tmp/err")" ;;
	esac
	ok "... with a hint" grep -qx "hint: put a styles/ directory beside the booklet, install chapbook (make install), or give --styles DIR" "$tmp/err"
fi
ok "... and nothing is written" test ! -e "$tmp/lone/out/mums-bonding.epub"
exit 0
