#!/bin/sh
# The failure policy, as README states it: exit codes from what failed;
# a build is all or nothing (a blocked output path leaves every previous
# output exactly as it was); SIGINT, SIGTERM and SIGHUP leave no temporary
# file; outputs follow the umask; running out of memory is exit 3 with a
# message and nothing left behind; errors are never lost among warnings;
# check --strict and build --strict agree and say why they failed.
: "${CHAPBOOK:?}" "${TOP:?}"
cd "$TOP" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
opts="--styles $TOP/styles --fonts $TOP/fonts"
outs="mums-bonding.epub mums-bonding-a5.pdf mums-bonding-booklet-a4.pdf mums-bonding-handout-a4.pdf"

# old_outputs DIR: fills DIR with stand-ins for the four outputs, each
# with its own text, so that any replacement shows.
old_outputs() {
	mkdir -p "$1"
	for f in $outs; do echo "old $f" >"$1/$f"; done
}
# unchanged DIR: the stand-ins are all there, untouched, and nothing else.
unchanged() {
	for f in $outs; do
		[ "$(cat "$1/$f" 2>/dev/null)" = "old $f" ] || { echo "$f changed"; return 1; }
	done
	extra=$(ls -A "$1" | grep -v -x -F "$(printf '%s\n' $outs)")
	[ -z "$extra" ] || { echo "left: $extra"; return 1; }
}
leftovers() { find "$1" -name '*.tmp.*' | head -3 | tr '\n' ' '; }

# ---- exit codes ------------------------------------------------------------
mkdir "$tmp/dir.xml"
for cmd in check "build -o $tmp/o"; do
	"$CHAPBOOK" $cmd "$tmp/dir.xml" 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && grep -q "dir.xml: error: cannot read booklet: not a regular file" "$tmp/err"; then
		pass "${cmd%% *}: a directory given as the booklet is a usage error (2)"
	else fail "${cmd%% *}: a directory given as the booklet is a usage error (2)" "rc=$rc $(head -1 "$tmp/err")"; fi
done
"$CHAPBOOK" build --styles "$tmp/no-styles" --fonts fonts -o "$tmp/o" content/booklet.xml 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q "no-styles/a5.style: error: cannot read style: No such file or directory" "$tmp/err" &&
   [ ! -e "$tmp/o/mums-bonding.epub" ]; then
	pass "a missing style is an I/O error (2) and nothing is written"
else fail "a missing style is an I/O error (2) and nothing is written" "rc=$rc $(head -1 "$tmp/err")"; fi
mkdir "$tmp/badstyles"
cp styles/* "$tmp/badstyles/"
sed 's/^body-size *=.*/body-size = large/' styles/a5.style >"$tmp/badstyles/a5.style"
"$CHAPBOOK" build --styles "$tmp/badstyles" --fonts fonts -o "$tmp/o" content/booklet.xml 2>"$tmp/err"
rc=$?
if [ $rc = 1 ] && grep -q "a5.style:[0-9:]*: error: " "$tmp/err"; then
	pass "a bad style value is an error in the input (1)"
else fail "a bad style value is an error in the input (1)" "rc=$rc $(head -1 "$tmp/err")"; fi
SOURCE_DATE_EPOCH=yesterday "$CHAPBOOK" build -o "$tmp/o" content/booklet.xml 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q "SOURCE_DATE_EPOCH" "$tmp/err"; then
	pass "a malformed SOURCE_DATE_EPOCH is a usage error (2)"
else fail "a malformed SOURCE_DATE_EPOCH is a usage error (2)" "rc=$rc $(head -1 "$tmp/err")"; fi

# ---- all or nothing ----------------------------------------------------------
# The handout's path is a directory: the EPUB, A5 and booklet written
# before it are not put in place, nor left behind.
old_outputs "$tmp/blocked"
rm "$tmp/blocked/mums-bonding-handout-a4.pdf"
mkdir "$tmp/blocked/mums-bonding-handout-a4.pdf"
"$CHAPBOOK" build $opts -o "$tmp/blocked" content/booklet.xml 2>"$tmp/err"
rc=$?
rmdir "$tmp/blocked/mums-bonding-handout-a4.pdf" &&
	echo "old mums-bonding-handout-a4.pdf" >"$tmp/blocked/mums-bonding-handout-a4.pdf"
why=$(unchanged "$tmp/blocked")
if [ $rc = 2 ] && [ -z "$why" ] &&
   grep -q "mums-bonding-handout-a4.pdf: error: cannot write output file: Is a directory" "$tmp/err"; then
	pass "a blocked handout path leaves every previous output as it was"
else fail "a blocked handout path leaves every previous output as it was" "rc=$rc $why $(head -1 "$tmp/err")"; fi
# The same with no previous outputs: none appears.
mkdir -p "$tmp/blocked2/mums-bonding-handout-a4.pdf"
"$CHAPBOOK" build $opts -o "$tmp/blocked2" content/booklet.xml 2>/dev/null
left=$(ls -A "$tmp/blocked2")
if [ "$left" = "mums-bonding-handout-a4.pdf" ]; then pass "a blocked handout path writes no other output"
else fail "a blocked handout path writes no other output" "$left"; fi

# ---- umask ---------------------------------------------------------------------
(umask 027 && "$CHAPBOOK" build $opts -o "$tmp/umask/sub" content/booklet.xml) 2>"$tmp/err"
modes=$(cd "$tmp/umask/sub" 2>/dev/null && stat -c %a $outs | sort -u | tr '\n' ' ')
dmode=$(stat -c %a "$tmp/umask/sub" 2>/dev/null)
if [ "$modes" = "640 " ] && [ "$dmode" = 750 ]; then pass "outputs follow the umask (027: files 640, directories 750)"
else fail "outputs follow the umask (027: files 640, directories 750)" "files '$modes' directory '$dmode'"; fi

# ---- signals -------------------------------------------------------------------
# A build of the 100x booklet is interrupted once a temporary file exists
# (the EPUB is done, the PDFs are being laid out). env --default-signal
# undoes the shell's ignoring SIGINT in background jobs.
sh tests/make-long-booklet.sh 100 >"$tmp/x100.xml"
for sig in INT TERM HUP; do
	case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
	dir=$tmp/sig$sig
	old_outputs "$dir"
	env --default-signal=INT,TERM,HUP "$CHAPBOOK" build $opts -o "$dir" "$tmp/x100.xml" 2>/dev/null &
	pid=$!
	i=0
	while [ -z "$(leftovers "$dir")" ] && [ $i -lt 6000 ] && kill -0 $pid 2>/dev/null; do
		sleep 0.01
		i=$((i + 1))
	done
	seen=$(leftovers "$dir")
	kill -$sig $pid 2>/dev/null
	wait $pid 2>/dev/null
	rc=$?
	why=$(unchanged "$dir")
	if [ -z "$seen" ]; then
		fail "SIG$sig mid-build leaves no temporary file" "no temporary file was seen before the build ended (rc=$rc)"
	elif [ $rc = $want ] && [ -z "$why" ]; then
		pass "SIG$sig mid-build leaves no temporary file and the old outputs (status $rc)"
	else fail "SIG$sig mid-build leaves no temporary file and the old outputs" "rc=$rc, want $want; $why"; fi
done

# ---- out of memory -------------------------------------------------------------
# Under a virtual memory limit that the default booklet builds within,
# a 300x booklet runs out: exit 3, one message, the old outputs untouched.
# Sanitizer builds reserve terabytes of address space and cannot start
# under any limit: then this is skipped.
limit=
for l in 65536 98304 131072 196608 262144; do
	if (ulimit -v $l && "$CHAPBOOK" build $opts -o "$tmp/probe" content/booklet.xml) >/dev/null 2>&1; then
		limit=$l
		break
	fi
done
if [ -z "$limit" ]; then
	echo "SKIP out of memory (the tool cannot build the booklet under a 256 MB address-space limit: a sanitizer build?)"
else
	sh tests/make-long-booklet.sh 300 >"$tmp/x300.xml"
	old_outputs "$tmp/oom"
	(ulimit -v $limit && exec "$CHAPBOOK" build $opts -o "$tmp/oom" "$tmp/x300.xml") 2>"$tmp/err"
	rc=$?
	why=$(unchanged "$tmp/oom")
	if [ $rc = 3 ] && [ "$(cat "$tmp/err")" = "chapbook: error: out of memory" ] && [ -z "$why" ]; then
		pass "out of memory (limit $((limit / 1024)) MB): exit 3, one message, nothing left behind"
	else fail "out of memory (limit $((limit / 1024)) MB): exit 3, one message, nothing left behind" "rc=$rc $why $(head -c 300 "$tmp/err")"; fi
fi

# ---- diagnostics -----------------------------------------------------------------
# 1,500 warnings, then an error: the error is printed, the warnings over
# the cap are summed up in one line, and the closing count counts them all.
{ sed -n '1,/<title>Article<\/title>/p' tests/bad/ok.xml
  awk 'BEGIN { for (i = 0; i < 1500; i++) print "    <p>Twice <cite ref=\"ayers2016 ayers2016\"/>.</p>" }'
  echo '    <p>Unknown <cite ref="nosuchkey"/>.</p>'
  sed -n '/Bonding takes time/,$p' tests/bad/ok.xml; } >"$tmp/many.xml"
"$CHAPBOOK" check "$tmp/many.xml" 2>"$tmp/err"
rc=$?
nw=$(grep -c ': warning: ' "$tmp/err")
if [ $rc = 1 ] && grep -q "many.xml:1514:16: error: unknown citation key 'nosuchkey'" "$tmp/err" &&
   [ "$nw" = 1000 ] && [ "$(tail -2 "$tmp/err" | head -1)" = "chapbook: note: ... and 500 more warnings" ] &&
   [ "$(tail -1 "$tmp/err")" = "chapbook: 1 error, 1500 warnings" ]; then
	pass "an error after 1,500 warnings is printed; the warnings over 1,000 are summed up"
else fail "an error after 1,500 warnings is printed; the warnings over 1,000 are summed up" "rc=$rc warnings=$nw $(tail -1 "$tmp/err")"; fi

# check --strict and build --strict agree, and say why they failed.
"$CHAPBOOK" check --strict tests/bad/uncited.xml 2>"$tmp/check.err"
rc1=$?
"$CHAPBOOK" build --strict $opts -o "$tmp/strict" tests/bad/uncited.xml 2>"$tmp/build.err"
rc2=$?
if [ $rc1 = 1 ] && [ $rc2 = 1 ] && cmp -s "$tmp/check.err" "$tmp/build.err" &&
   [ "$(tail -1 "$tmp/check.err")" = "chapbook: error: failed because of 1 warning and --strict" ] &&
   [ -z "$(ls -A "$tmp/strict" 2>/dev/null)" ]; then
	pass "check --strict and build --strict agree and say that --strict failed them"
else fail "check --strict and build --strict agree and say that --strict failed them" "rc $rc1/$rc2 $(tail -1 "$tmp/build.err")"; fi
# ---- libzip is loaded when an EPUB is zipped, not before ---------------------
# A libzip.so that is not libzip on the library path: check and a PDF build
# never load it and succeed; an EPUB build says what is wrong, exits 2 and
# writes nothing (not even the PDFs of the same build).
so=$(objdump -p "$(${CC:-cc} -print-file-name=libzip.so)" 2>/dev/null | awk '$1 == "SONAME" { print $2 }')
mkdir -p "$tmp/fakezip"
echo 'int not_libzip(void) { return 0; }' >"$tmp/fakezip/z.c"
if [ -n "$so" ] && ${CC:-cc} -shared -fPIC -Wl,-soname,"$so" -o "$tmp/fakezip/$so" "$tmp/fakezip/z.c"; then
	LD_LIBRARY_PATH="$tmp/fakezip" "$CHAPBOOK" check content/booklet.xml 2>"$tmp/err"
	rc1=$?
	LD_LIBRARY_PATH="$tmp/fakezip" "$CHAPBOOK" build --format a5 $opts -o "$tmp/zpdf" content/booklet.xml 2>"$tmp/err"
	rc2=$?
	LD_LIBRARY_PATH="$tmp/fakezip" "$CHAPBOOK" build $opts -o "$tmp/zall" content/booklet.xml 2>"$tmp/err"
	rc3=$?
	if [ $rc1 = 0 ] && [ $rc2 = 0 ] && [ -s "$tmp/zpdf/mums-bonding-a5.pdf" ] && [ $rc3 = 2 ] &&
	   grep -q "mums-bonding.epub: error: cannot build EPUB zip: $so has no zip_" "$tmp/err" &&
	   [ -z "$(ls -A "$tmp/zall" 2>/dev/null)" ]; then
		pass "check and PDF builds never load libzip; a broken libzip fails an EPUB build (2) with nothing written"
	else fail "check and PDF builds never load libzip; a broken libzip fails an EPUB build (2) with nothing written" "rc $rc1/$rc2/$rc3 $(head -1 "$tmp/err")"; fi
else fail "a stand-in libzip could be built" "soname '$so'"; fi
exit 0
