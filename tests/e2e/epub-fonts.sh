#!/bin/sh
# epub-fonts.sh - embedded fonts are optional: by default the EPUB carries
# none; with epub-fonts = yes in the A5 style it carries each print face
# (regular, italic, bold, bold italic) as font/ttf in the manifest, with an
# @font-face rule each and the body set in them, subset so that every
# character of the book's pages that the face has is still mapped (cmap
# kept: browsers and reading systems need it) and the file is smaller than
# the face; epubcheck accepts the book.
: "${CHAPBOOK:?}" "${TOP:?}"
cd "$TOP" || exit 1
JAR=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
export SOURCE_DATE_EPOCH=1700000000

mkdir "$tmp/styles" && cp styles/* "$tmp/styles/" &&
	printf '\n# the print faces in the EPUB\nepub-fonts = yes\n' >>"$tmp/styles/a5.style"
if ! "$CHAPBOOK" build -q --styles styles --fonts fonts --format epub -o "$tmp/plain" \
	content/booklet.xml >"$tmp/plain.log" 2>&1 ||
   ! "$CHAPBOOK" build -q --styles "$tmp/styles" --fonts fonts --format epub -o "$tmp/fonts" \
	content/booklet.xml >"$tmp/fonts.log" 2>&1; then
	fail "build with and without epub-fonts" "$(cat "$tmp/plain.log" "$tmp/fonts.log")"
	exit 0
fi
if unzip -l "$tmp/plain/mums-bonding.epub" | grep -q '\.ttf'; then
	fail "no fonts in the EPUB by default"
else
	pass "no fonts in the EPUB by default"
fi

/usr/bin/python3 - "$tmp/fonts/mums-bonding.epub" fonts <<'PY'
import re, struct, sys, zipfile
epub, fontdir = sys.argv[1:3]
z = zipfile.ZipFile(epub)
failed = 0


def report(ok, name, why=""):
    global failed
    print(("PASS " if ok else "FAIL ") + name + ("" if ok or not why else ": " + str(why)))
    failed += not ok


def tables(d):
    n = struct.unpack(">H", d[4:6])[0]
    out = {}
    for i in range(n):
        tag, _, off, ln = struct.unpack(">4sIII", d[12 + 16 * i:28 + 16 * i])
        out[tag.decode("latin-1")] = d[off:off + ln]
    return out


def cmap(d):
    """The code points a font maps (formats 4 and 12)."""
    t = tables(d).get("cmap")
    cps = set()
    if not t:
        return cps
    n = struct.unpack(">H", t[2:4])[0]
    for i in range(n):
        pid, eid, off = struct.unpack(">HHI", t[4 + 8 * i:12 + 8 * i])
        fmt = struct.unpack(">H", t[off:off + 2])[0]
        if fmt == 4:
            segs = struct.unpack(">H", t[off + 6:off + 8])[0] // 2
            ends = struct.unpack(">%dH" % segs, t[off + 14:off + 14 + 2 * segs])
            starts = struct.unpack(">%dH" % segs, t[off + 16 + 2 * segs:off + 16 + 4 * segs])
            deltas = struct.unpack(">%dh" % segs, t[off + 16 + 4 * segs:off + 16 + 6 * segs])
            ro_at = off + 16 + 6 * segs
            ros = struct.unpack(">%dH" % segs, t[ro_at:ro_at + 2 * segs])
            for k in range(segs):
                for c in range(starts[k], ends[k] + 1):
                    if c == 0xFFFF:
                        continue
                    if ros[k] == 0:
                        g = (c + deltas[k]) & 0xFFFF
                    else:
                        at = ro_at + 2 * k + ros[k] + 2 * (c - starts[k])
                        g = struct.unpack(">H", t[at:at + 2])[0]
                        g = (g + deltas[k]) & 0xFFFF if g else 0
                    if g:
                        cps.add(c)
        elif fmt == 12:
            ngroups = struct.unpack(">I", t[off + 12:off + 16])[0]
            for k in range(ngroups):
                s, e, g = struct.unpack(">III", t[off + 16 + 12 * k:off + 28 + 12 * k])
                cps.update(range(s, e + 1))
    return cps


opf = z.read("OEBPS/package.opf").decode()
items = re.findall(r'<item id="([^"]*)" href="(fonts/[^"]*)" media-type="([^"]*)"', opf)
report(len(items) == 4 and all(t == "font/ttf" for _, _, t in items),
       "four faces in the manifest as font/ttf", items)
css = z.read("OEBPS/style.css").decode()
faces = re.findall(r'@font-face\s*\{[^}]*src:\s*url\("([^"]*)"\)', css)
report(sorted(faces) == sorted(h for _, h, _ in items) and
       re.search(r'body\s*\{\s*font-family:\s*"chapbook-text"', css),
       "an @font-face rule for each, the body set in them", faces)
text = set()
for n in z.namelist():
    if n.endswith(".xhtml"):
        s = z.read(n).decode()
        s = re.sub(r"<[^>]*>", "", s)
        text.update(ord(c) for c in s if ord(c) >= 0x20)
style = open("styles/a5.style").read()
src = {k: v.strip() for k, v in re.findall(r"^(font-[a-z-]+)\s*=\s*(\S+)", style, re.M)}
order = ["font-regular", "font-italic", "font-bold", "font-bold-italic"]
for (fid, href, _), key in zip(sorted(items), order):
    sub = z.read("OEBPS/" + href)
    orig = open(fontdir + "/" + src[key], "rb").read()
    t = tables(sub)
    have = cmap(orig) & text
    lost = have - cmap(sub)
    report("cmap" in t and "name" in t and not lost and len(sub) < len(orig) / 4,
           "%s: %s subset (%d of %d bytes), every character the pages use is mapped"
           % (href, src[key], len(sub), len(orig)),
           "tables %s, lost %s" % (sorted(t), sorted(lost)[:10]))
sys.exit(1 if failed else 0)
PY

if ! command -v java >/dev/null 2>&1 || [ ! -f "$JAR" ]; then
	fail "epubcheck of the EPUB with fonts" "java or $JAR missing (make test-deps)"
elif java -jar "$JAR" "$tmp/fonts/mums-bonding.epub" >"$tmp/check.log" 2>&1 &&
     grep -q '^Messages: 0 fatals / 0 errors / 0 warnings' "$tmp/check.log"; then
	pass "epubcheck accepts the EPUB with fonts"
else
	fail "epubcheck accepts the EPUB with fonts" "$(grep -E '^(ERROR|WARNING|FATAL)' "$tmp/check.log" | head -5)"
fi
exit 0
