#!/bin/sh
# `make release` (tests/release.sh): artifacts named after the booklet's
# identifier and review date (or VERSION), SHA256SUMS that verify, a
# manifest with page counts; two releases give byte-identical archives
# (owner 0, fixed times and modes, whatever the umask); a failing release
# (a broken booklet, --strict warnings, a bad VERSION) leaves the previous
# dist/ exactly as it was and nothing beside it.
: "${CHAPBOOK:?}" "${TOP:?}"
cd "$TOP" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
ok() { what_=$1; shift; if "$@"; then pass "$what_"; else fail "$what_"; fi; }
release() { CHAPBOOK="$CHAPBOOK" sh tests/release.sh >"$tmp/out" 2>"$tmp/err"; }
# snapshot DIR: every file under DIR with its checksum and mode
snapshot() { (cd "$1" && find . -type f -exec sha256sum {} + | LC_ALL=C sort && find . -exec stat -c '%a %n' {} + | LC_ALL=C sort); }

DIST=$tmp/a/dist release
rc=$?
name=mums-bonding-2020-01
ok "a release succeeds" test $rc = 0
[ $rc = 0 ] || { head -5 "$tmp/err"; exit 0; }
want="SHA256SUMS
manifest.txt
$name-a5.pdf
$name-booklet-a4.pdf
$name-handout-a4.pdf
$name.epub
$name.tar.gz"
ok "artifacts named IDENTIFIER-REVIEWDATE" test "$(LC_ALL=C ls "$tmp/a/dist")" = "$want"
(cd "$tmp/a/dist" && sha256sum -c --quiet SHA256SUMS) >/dev/null 2>&1
ok "SHA256SUMS verifies every artifact" test $? = 0 -a "$(wc -l <"$tmp/a/dist/SHA256SUMS")" = 6
pages=$(awk '/\.pdf / { print $3 }' "$tmp/a/dist/manifest.txt" | tr '\n' ' ')
ok "the manifest gives each PDF's page count ($pages)" \
	sh -c "echo '$pages' | grep -qE '^([1-9][0-9]* ){3}$'"
tar tvzf "$tmp/a/dist/$name.tar.gz" >"$tmp/list"
ok "the archive holds NAME/ with outputs, manifest and SHA256SUMS" \
	test "$(awk '{ print $6 }' "$tmp/list" | tr '\n' ' ')" = "$name/ $name/SHA256SUMS $name/manifest.txt $name/$name-a5.pdf $name/$name-booklet-a4.pdf $name/$name-handout-a4.pdf $name/$name.epub "
ok "... owned by 0/0, dated by the review date" \
	test "$(awk '{ print $2, $4 }' "$tmp/list" | sort -u)" = "0/0 2020-01-01"
ok "... gzip with no name and no time stored" \
	test "$(od -An -tx1 -N8 "$tmp/a/dist/$name.tar.gz" | tr -d ' ')" = 1f8b080000000000

# The same again elsewhere, a second later, under another umask.
sleep 1
(umask 077 && DIST=$tmp/b/dist release)
ok "a second release succeeds" test $? = 0
cmp -s "$tmp/a/dist/$name.tar.gz" "$tmp/b/dist/$name.tar.gz"
ok "two releases give byte-identical archives" test $? = 0
cmp -s "$tmp/a/dist/SHA256SUMS" "$tmp/b/dist/SHA256SUMS"
ok "... and identical SHA256SUMS" test $? = 0

VERSION=1.2.3 DIST=$tmp/v/dist release
ok "VERSION names the release" test $? = 0 -a -f "$tmp/v/dist/mums-bonding-1.2.3.tar.gz" -a -f "$tmp/v/dist/mums-bonding-1.2.3-a5.pdf"
SOURCE_DATE_EPOCH=1700000000 DIST=$tmp/e/dist release
ok "SOURCE_DATE_EPOCH dates the archive" \
	sh -c "tar tvzf '$tmp/e/dist/$name.tar.gz' | awk '{ print \$4 }' | sort -u | grep -qx 2023-11-14"

# Failing releases leave the previous dist/ untouched.
snapshot "$tmp/a/dist" >"$tmp/before"
for case in "broken booklet|BOOKLET=tests/bad/unknown-key.xml" \
	"warnings under --strict|BOOKLET=tests/bad/uncited.xml" \
	"a bad VERSION|VERSION=../x"; do
	what=${case%%|*}
	env "${case#*|}" DIST="$tmp/a/dist" CHAPBOOK="$CHAPBOOK" sh tests/release.sh >/dev/null 2>"$tmp/err"
	rc=$?
	snapshot "$tmp/a/dist" >"$tmp/after"
	if [ $rc != 0 ] && cmp -s "$tmp/before" "$tmp/after" &&
	   [ "$(ls -A "$tmp/a")" = dist ]; then
		pass "a failing release ($what) leaves dist/ as it was"
	else
		fail "a failing release ($what) leaves dist/ as it was" "rc=$rc $(ls -A "$tmp/a" | tr '\n' ' ') $(head -1 "$tmp/err")"
	fi
done
# A successful one replaces it, leaving nothing beside it.
DIST=$tmp/a/dist release
ok "a successful release replaces dist/ and leaves nothing beside it" \
	test $? = 0 -a "$(ls -A "$tmp/a")" = dist -a -f "$tmp/a/dist/$name.tar.gz"
exit 0
