#!/bin/sh
# ace.sh - Ace by DAISY finds no accessibility violation in the EPUB of
# the default booklet nor in that of the cover booklet (tests/cover/: its
# own cover image, an evaluation on record): every assertion of its
# report.json passes. ACE is the ace-puppeteer command (make test installs
# it into build/ace/ and sets it); its browser is Debian's chromium
# through tests/ace-chromium.sh. About 7 s a book.
: "${CHAPBOOK:?}" "${TOP:?}"
cd "$TOP" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
if [ -z "$ACE" ] || [ ! -x "$ACE" ]; then
	fail "Ace by DAISY" "ACE is not set to ace-puppeteer (make test installs it)"
	exit 0
fi
export PUPPETEER_EXECUTABLE_PATH="$TOP/tests/ace-chromium.sh"
for booklet in content/booklet.xml tests/cover/booklet.xml; do
	name=$(echo "$booklet" | tr / -)
	if ! "$CHAPBOOK" build -q --styles styles --fonts fonts --format epub \
		-o "$tmp/$name" "$booklet" >"$tmp/$name.log" 2>&1; then
		fail "Ace: build $booklet" "$(head -3 "$tmp/$name.log")"
		continue
	fi
	set -- "$tmp/$name"/*.epub
	if ! "$ACE" -s -f -o "$tmp/$name-ace" "$1" >"$tmp/$name-ace.log" 2>&1 ||
	   [ ! -f "$tmp/$name-ace/report.json" ]; then
		fail "Ace runs on $booklet" "$(tail -5 "$tmp/$name-ace.log")"
		continue
	fi
	/usr/bin/python3 - "$tmp/$name-ace/report.json" "$booklet" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bad = []
for a in r.get("assertions", []):
    for b in a.get("assertions", []):
        if b["earl:result"]["earl:outcome"] != "pass":
            bad.append("%s: %s (%s)" % (a["earl:testSubject"]["url"],
                                        b["earl:test"]["dct:title"],
                                        b["earl:test"].get("earl:impact")))
ok = r["earl:result"]["earl:outcome"] == "pass" and not bad
print(("PASS " if ok else "FAIL ") + "Ace by DAISY: no violations in the EPUB of " + sys.argv[2] +
      ("" if ok else ": " + "; ".join(bad[:10])))
PY
done
exit 0
