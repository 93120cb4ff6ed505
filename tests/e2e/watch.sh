#!/bin/sh
# `chapbook watch`: started in the background, it builds; a save in place,
# an editor's save by rename, a change of style sheet each rebuild and say
# what changed; a broken save is reported, keeps the last good outputs and
# the watch goes on; an unrelated file changes nothing; SIGTERM ends it
# with no temporary file left. Every wait is bounded (WAIT tenths of a
# second, default 300) and the watcher is always killed.
: "${CHAPBOOK:?}" "${TOP:?}"
cd "$TOP" || exit 1
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
WAIT=${WAIT:-300}

# wait_for N PATTERN: until the log has N lines matching PATTERN.
wait_for() {
	i=0
	while [ "$(grep -c -- "$2" "$tmp/log")" -lt "$1" ]; do
		i=$((i + 1))
		if [ $i -gt "$WAIT" ] || ! kill -0 "$pid" 2>/dev/null; then
			return 1
		fi
		sleep 0.1
	done
}
# title: the title inside the EPUB built last
title() { unzip -p "$tmp/w/out/test-booklet.epub" '*.opf' 2>/dev/null | sed -n 's:.*<dc\:title[^>]*>\(.*\)</dc\:title>.*:\1:p'; }
retitle() { sed "s:<title>Test booklet</title>:<title>$1</title>:" tests/bad/ok.xml; }

mkdir -p "$tmp/w/styles"
cp tests/bad/ok.xml "$tmp/w/b.xml"
cp styles/* "$tmp/w/styles/"
"$CHAPBOOK" watch --format epub -o "$tmp/w/out" "$tmp/w/b.xml" 2>"$tmp/log" &
pid=$!
if wait_for 1 '^chapbook: built 1 file' && wait_for 1 '^chapbook: watching '; then
	pass "watch builds first"
else
	fail "watch builds first" "$(head -3 "$tmp/log")"; exit 0
fi

# 1. a save in place
retitle "Saved in place" >"$tmp/w/b.xml"
if wait_for 2 '^chapbook: built 1 file' && [ "$(title)" = "Saved in place" ]; then
	pass "a save in place rebuilds"
else fail "a save in place rebuilds" "title '$(title)'"; fi
grep -qx 'chapbook: changed: b.xml' "$tmp/log" && pass "... and says what changed" ||
	fail "... and says what changed" "$(grep changed "$tmp/log")"

# 2. an editor's save: write a new file, rename it over the booklet; an
# unrelated file changes at the same time
retitle "Saved by rename" >"$tmp/w/.b.xml.new"
echo notes >"$tmp/w/notes.txt"
mv "$tmp/w/.b.xml.new" "$tmp/w/b.xml"
if wait_for 3 '^chapbook: built 1 file' && [ "$(title)" = "Saved by rename" ]; then
	pass "a save by rename rebuilds"
else fail "a save by rename rebuilds" "title '$(title)'"; fi

# 3. a broken save: reported, old outputs kept, still watching
retitle "Broken" | sed 's/ref="ayers2016 nct2016"/ref="ayers2061 nct2016"/' >"$tmp/w/b.xml"
if wait_for 1 "error: unknown citation key 'ayers2061'" && wait_for 1 '^chapbook: waiting for the next save'; then
	pass "a broken save is reported"
else fail "a broken save is reported" "$(tail -3 "$tmp/log")"; fi
[ "$(title)" = "Saved by rename" ] && pass "... and the last good output stays" ||
	fail "... and the last good output stays" "title '$(title)'"

# 4. fixed again
retitle "Fixed" >"$tmp/w/b.xml"
if wait_for 4 '^chapbook: built 1 file' && [ "$(title)" = "Fixed" ]; then
	pass "the next good save rebuilds"
else fail "the next good save rebuilds" "title '$(title)'"; fi

# 5. the style sheet
echo "/* changed */" >>"$tmp/w/styles/epub.css"
if wait_for 5 '^chapbook: built 1 file' && grep -qx 'chapbook: changed: epub.css' "$tmp/log"; then
	pass "a style sheet change rebuilds"
else fail "a style sheet change rebuilds" "$(grep changed "$tmp/log" | tail -1)"; fi

grep -q notes.txt "$tmp/log" && fail "an unrelated file is ignored" "$(grep notes.txt "$tmp/log")" ||
	pass "an unrelated file is ignored"

kill "$pid"
wait "$pid" 2>/dev/null
rc=$?
pid=""
[ $rc = 143 ] && pass "SIGTERM ends watch (status 143)" || fail "SIGTERM ends watch (status 143)" "status $rc"
left=$(find "$tmp/w" -name '*.tmp.*')
[ -z "$left" ] && pass "watch leaves no temporary file" || fail "watch leaves no temporary file" "$left"

# Nothing to watch: said at once, exit 2 (not a wait for ever).
"$CHAPBOOK" watch "$tmp/nowhere/b.xml" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && grep -qx "chapbook: error: cannot watch $tmp/nowhere: No such file or directory" "$tmp/err" &&
	pass "watch of a booklet in no directory exits 2 at once" ||
	fail "watch of a booklet in no directory exits 2 at once" "rc=$rc $(head -1 "$tmp/err")"
exit 0
