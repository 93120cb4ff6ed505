#!/bin/sh
# `make install DESTDIR=$tmp PREFIX=/usr`: the program, the default styles
# and fonts with their licence, and chapbook(1) land under $tmp/usr; from
# another directory holding only a booklet, the staged program builds it,
# finding its styles and fonts through the relocation rule (beside the
# program: nothing is installed in /usr); `make uninstall` removes every
# file it installed. make runs with this suite's build directory and
# flags (B, OPT, SAN); the program is rebuilt for the default prefix after.
: "${CHAPBOOK:?}" "${TOP:?}"
cd "$TOP" || exit 1
B=${B:-build}
tmp=$(mktemp -d)
# make with this suite's build, without the parent make's jobserver
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$TOP" B="$B" OPT="${OPT:--O2 -g}" SAN="${SAN:-}" "$@"; }
trap 'mk "$B/chapbook" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
ok() { what_=$1; shift; if "$@"; then pass "$what_"; else fail "$what_"; fi; }

stage=$tmp/stage
mk install DESTDIR="$stage" PREFIX=/usr >"$tmp/log" 2>&1
rc=$?
ok "make install DESTDIR=... PREFIX=/usr" test $rc = 0
[ $rc = 0 ] || { head -5 "$tmp/log"; exit 0; }
(cd "$stage" && find . -type f | LC_ALL=C sort) >"$tmp/files"
cat >"$tmp/want" <<'EOF'
./usr/bin/chapbook
./usr/share/chapbook/fonts/CharisSIL-Bold.ttf
./usr/share/chapbook/fonts/CharisSIL-BoldItalic.ttf
./usr/share/chapbook/fonts/CharisSIL-Italic.ttf
./usr/share/chapbook/fonts/CharisSIL-Regular.ttf
./usr/share/chapbook/fonts/OFL.txt
./usr/share/chapbook/fonts/README
./usr/share/chapbook/styles/a4-handout.style
./usr/share/chapbook/styles/a5.style
./usr/share/chapbook/styles/epub.css
./usr/share/man/man1/chapbook.1
EOF
cmp -s "$tmp/want" "$tmp/files"
ok "the program, styles, fonts with their licence and the man page are installed" test $? = 0
[ $? = 0 ] || diff "$tmp/want" "$tmp/files"
ok "the program is executable, the data is not" \
	test "$(stat -c %a "$stage/usr/bin/chapbook" "$stage/usr/share/chapbook/styles/a5.style" | tr '\n' ' ')" = "755 644 "
ok "the compiled-in data directory is PREFIX's" grep -q /usr/share/chapbook "$stage/usr/bin/chapbook"
man -l "$stage/usr/share/man/man1/chapbook.1" 2>/dev/null | grep -q '^NAME' 
ok "man chapbook reads the installed page" test $? = 0

# A booklet alone in a directory of its own, built by the staged program.
mkdir "$tmp/elsewhere"
cp content/booklet.xml "$tmp/elsewhere/skin.xml"
(cd "$tmp/elsewhere" && "$stage/usr/bin/chapbook" build -v skin.xml) >"$tmp/out" 2>"$tmp/err"
rc=$?
n=$(ls "$tmp/elsewhere/out" 2>/dev/null | wc -l)
ok "from another directory, the installed program builds a lone booklet ($n outputs)" test $rc = 0 -a "$n" = 4
[ $rc = 0 ] || head -5 "$tmp/err"
ok "... with the styles and fonts installed beside it" \
	grep -qx "chapbook: used $stage/usr/share/chapbook/styles/a5.style (installed beside the program)" "$tmp/err"
ok "... the fonts too" \
	grep -qx "chapbook: used $stage/usr/share/chapbook/fonts (installed beside the program)" "$tmp/err"
"$stage/usr/bin/chapbook" --help >/dev/null 2>&1
ok "the installed program runs" test $? = 0

mk uninstall DESTDIR="$stage" PREFIX=/usr >"$tmp/log" 2>&1
rc=$?
left=$(cd "$stage" && find . -type f)
ok "make uninstall removes every file it installed" test $rc = 0 -a -z "$left" -a ! -e "$stage/usr/share/chapbook"
[ -z "$left" ] || echo "  left: $left"
exit 0
