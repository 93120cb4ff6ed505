#!/bin/sh
# epub-book.sh - what the EPUB says about itself and how its parts link,
# for the default booklet and the cover booklet (tests/cover/, XML and
# Markdown, which must give the same bytes):
#   the cover: the booklet's own image embedded as it is, or the print
#     cover drawn (a PNG 1600 px wide in the A5's proportion); a cover page
#     first in the spine with the image's alt text; cover-image in the
#     manifest; <meta name="cover"> for older readers; a cover landmark;
#     an image that is not one is refused at <cover>;
#   identity: dc:identifier from the booklet's identifier and publisher
#     only (a changed word keeps it, another publisher changes it), dc:date
#     the review date, dc:description the standfirst as plain text;
#   accessibility: conformance and a11y:certifiedBy only where the booklet
#     records an evaluation; a summary that says what the metadata cannot;
#   citations: every link to an entry is a doc-biblioref, every citation
#     has a back link from each entry it cites, in order, lettered a, b ...
#     and named "Back to citation 1 of 2" when there are several; one
#     bibliography landmark, labelled by the References heading, and no
#     sections made landmarks.
: "${CHAPBOOK:?}" "${TOP:?}"
cd "$TOP" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
opts="--styles $TOP/styles --fonts $TOP/fonts"
export SOURCE_DATE_EPOCH=1700000000

epub() { # epub NAME BOOKLET: build the EPUB alone into $tmp/NAME
	"$CHAPBOOK" build -q $opts --format epub -o "$tmp/$1" "$2" >"$tmp/$1.log" 2>&1 &&
		ls "$tmp/$1"/*.epub
}

default=$(epub default content/booklet.xml) || fail "build the default booklet" "$(cat "$tmp/default.log")"
cover=$(epub cover tests/cover/booklet.xml) || fail "build the cover booklet" "$(cat "$tmp/cover.log")"
covermd=$(epub covermd tests/cover/booklet.md) || fail "build the cover booklet (Markdown)" "$(cat "$tmp/covermd.log")"
if cmp -s "$cover" "$covermd"; then
	pass "the cover booklet in Markdown gives the EPUB of its XML"
else
	fail "the cover booklet in Markdown gives the EPUB of its XML"
fi

# A citation in the standfirst, in every output: the handout sets the
# standfirst above its text and the A5 on its cover (which the EPUB draws,
# here from the cover page laid out alone: no picture of its own). Each
# shows the citation; nothing crashes.
mkdir "$tmp/sfcite"
grep -v '<cover ' tests/cover/booklet.xml >"$tmp/sfcite/booklet.xml"
for b in tests/cover/booklet.xml "$tmp/sfcite/booklet.xml"; do
	rm -rf "$tmp/sfout"
	if "$CHAPBOOK" build -q $opts -o "$tmp/sfout" "$b" >"$tmp/sf.log" 2>&1 &&
	   pdftotext -l 1 "$tmp/sfout/sleep-newborn-handout-a4.pdf" - | tr '\n' ' ' |
		grep -q "when they do (NCT, 2016)" &&
	   pdftotext -l 1 "$tmp/sfout/sleep-newborn-a5.pdf" - | tr '\n' ' ' |
		grep -q "when they do (NCT, 2016)" &&
	   unzip -l "$tmp/sfout/sleep-newborn.epub" | grep -q "OEBPS/cover"; then
		pass "a citation in the standfirst: all four outputs of $(basename "$(dirname "$b")")/booklet.xml, the citation on the handout and the A5 cover"
	else
		fail "a citation in the standfirst: all four outputs of $b" "$(head -3 "$tmp/sf.log")"
	fi
done

# identity: a corrected word keeps the identifier; the publisher is part of it
sed 's/most mums want to feel/most mothers want to feel/' content/booklet.xml >"$tmp/typo.xml"
sed 's#<publisher>NCT</publisher>#<publisher>NCT Cymru</publisher>#' content/booklet.xml >"$tmp/pub.xml"
typo=$(epub typo "$tmp/typo.xml") || fail "build the corrected booklet" "$(cat "$tmp/typo.log")"
pub=$(epub pub "$tmp/pub.xml") || fail "build the other publisher's booklet" "$(cat "$tmp/pub.log")"

# a cover that is not an image
mkdir "$tmp/notimg" && cp tests/cover/booklet.xml "$tmp/notimg/" &&
	cp tests/cover/booklet.md "$tmp/notimg/cover.png"
if "$CHAPBOOK" build -q $opts --format epub -o "$tmp/notimg/out" "$tmp/notimg/booklet.xml" \
	>"$tmp/notimg.log" 2>&1; then
	fail "a cover that is not an image is refused"
elif line=$(grep -n '<cover ' tests/cover/booklet.xml | cut -d: -f1) &&
     grep -q "booklet.xml:$line:5: error: cover image 'cover.png' is not a PNG or JPEG image" "$tmp/notimg.log" &&
     [ ! -e "$tmp/notimg/out/sleep-newborn.epub" ]; then
	pass "a cover that is not an image is refused at <cover>, nothing written"
else
	fail "a cover that is not an image is refused at <cover>" "$(cat "$tmp/notimg.log")"
fi

/usr/bin/python3 - "$default" "$cover" "$typo" "$pub" tests/cover/cover.png <<'PY'
import re, struct, sys, zipfile
import xml.etree.ElementTree as ET
from posixpath import dirname, join, normpath

default, cover, typo, pub, cover_png = sys.argv[1:6]
X = "{http://www.w3.org/1999/xhtml}"
OPS = "{http://www.idpf.org/2007/ops}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
failed = 0


def report(ok, name, why=""):
    global failed
    print(("PASS " if ok else "FAIL ") + name + ("" if ok or not why else ": " + str(why)))
    failed += not ok


class Book:
    def __init__(self, path):
        self.z = zipfile.ZipFile(path)
        c = ET.fromstring(self.z.read("META-INF/container.xml"))
        self.opf_path = next(c.iter("{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")).get("full-path")
        self.base = dirname(self.opf_path)
        self.opf = ET.fromstring(self.z.read(self.opf_path))
        self.items = {i.get("id"): i for i in self.opf.iter(OPF + "item")}
        self.spine = [self.items[r.get("idref")].get("href") for r in self.opf.iter(OPF + "itemref")]

    def read(self, href):
        return self.z.read(normpath(join(self.base, href)))

    def page(self, href):
        return ET.fromstring(self.read(href))

    def dc(self, name):
        return [e.text for e in self.opf.iter(DC + name)]

    def meta(self, prop):
        return [e.text for e in self.opf.iter(OPF + "meta") if e.get("property") == prop]

    def item_with(self, prop):
        return [i for i in self.items.values() if prop in (i.get("properties") or "").split()]


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", data[16:24])


def check_cover(b, name, want_bytes=None, want_alt=None):
    imgs = b.item_with("cover-image")
    ok = len(imgs) == 1
    report(ok, name + ": one manifest item is the cover-image", len(imgs))
    if not ok:
        return
    img = imgs[0]
    data = b.read(img.get("href"))
    metas = [m for m in b.opf.iter(OPF + "meta") if m.get("name") == "cover"]
    report(len(metas) == 1 and metas[0].get("content") == img.get("id"),
           name + ": <meta name=\"cover\"> names it (older readers)")
    first = b.page(b.spine[0])
    body = first.find(X + "body")
    im = [e for e in body.iter(X + "img")]
    report(len(im) == 1 and im[0].get("src") == img.get("href") and im[0].get("alt")
           and im[0].get("role") == "doc-cover" and "cover" in (im[0].get(OPS + "type") or ""),
           name + ": the first page of the spine is the cover page, its image with alt text",
           b.spine[0])
    alt = im[0].get("alt") if im else None
    nav = b.page(b.item_with("nav")[0].get("href"))
    marks = [a.get("href") for a in nav.iter(X + "a") if a.get(OPS + "type") == "cover"]
    report(marks == [b.spine[0]], name + ": a cover landmark", marks)
    if want_bytes is not None:
        report(data == want_bytes and img.get("media-type") == "image/png",
               name + ": the booklet's own cover image, embedded as it is")
        report(alt == want_alt, name + ": its alt text is the booklet's", alt)
    else:
        size = png_size(data)
        report(img.get("media-type") == "image/png" and size == (1600, round(1600 * 210 / 148)),
               name + ": the print cover drawn, 1600 px wide in the A5's proportion", size)
        report(alt and "Mums: bonding" in alt, name + ": alt text gives the cover's words", alt)


d, c = Book(default), Book(cover)
check_cover(d, "default booklet")
want = open(cover_png, "rb").read()
c_alt = re.search(r'<cover image="cover.png" alt="([^"]*)"', open("tests/cover/booklet.xml").read()).group(1)
check_cover(c, "cover booklet", want, c_alt)

# identity and Dublin Core
t, p = Book(typo), Book(pub)
report(d.dc("identifier") == t.dc("identifier") and d.dc("identifier")[0].startswith("urn:uuid:"),
       "a corrected word keeps the book's identifier", (d.dc("identifier"), t.dc("identifier")))
report(d.dc("identifier") != p.dc("identifier"),
       "another publisher makes another identifier")
report(d.dc("date") == ["2020-01"] and c.dc("date") == ["2021-03-15"],
       "dc:date is the review date", (d.dc("date"), c.dc("date")))
report(d.dc("description") == ["Mums often expect an instant bond with their babies. Dr Susan Pawlby and Dr Lucy Findlay explain why bonding can take time and suggest some helpful tips."]
       and c.dc("description") == ["How much babies sleep, and how to rest when they do (NCT, 2016)."],
       "dc:description is the standfirst as plain text", (d.dc("description"), c.dc("description")))
report(d.meta("dcterms:modified") == ["2023-11-14T22:13:20Z"],
       "dcterms:modified is SOURCE_DATE_EPOCH", d.meta("dcterms:modified"))

# accessibility claims
report(not d.meta("dcterms:conformsTo") and not d.meta("a11y:certifiedBy"),
       "no evaluation on record: no conformance claimed",
       (d.meta("dcterms:conformsTo"), d.meta("a11y:certifiedBy")))
report(c.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
       and c.meta("a11y:certifiedBy") == ["NCT digital accessibility team"],
       "an evaluation on record: conformance claimed with its evaluator",
       (c.meta("dcterms:conformsTo"), c.meta("a11y:certifiedBy")))
for b, name in ((d, "default booklet"), (c, "cover booklet")):
    feats = b.meta("schema:accessibilityFeature")
    summary = (b.meta("schema:accessibilitySummary") or [""])[0]
    report({"printPageNumbers", "pageNavigation", "alternativeText"} <= set(feats)
           and "visual" in b.meta("schema:accessMode"),
           name + ": page numbers, page navigation, the cover's alt text declared", feats)
    # the summary tells what the metadata cannot, not the feature list again
    report("printed A5 booklet" in summary and "links back" in summary
           and not re.search(r"table of contents|structur|reading order", summary, re.I),
           name + ": the summary says what the metadata cannot", summary)
report("No accessibility evaluation" in d.meta("schema:accessibilitySummary")[0]
       and "No accessibility evaluation" not in c.meta("schema:accessibilitySummary")[0],
       "the summary says when no evaluation was made")

# citations and back links
for b, name in ((d, "default booklet"), (c, "cover booklet")):
    pages = {h: b.page(h) for h in b.spine}
    entries, citing, ids = {}, {}, {}
    bad = []
    for h, root in pages.items():
        for e in root.iter():
            if e.get("id"):
                ids.setdefault(h, set()).add(e.get("id"))
    for h, root in pages.items():        # citations in reading order
        for span in root.iter(X + "span"):
            if span.get("class") != "citation":
                continue
            for a in span.iter(X + "a"):
                href = a.get("href") or ""
                if "#ref-" not in href and "references.xhtml#" not in href:
                    continue
                if a.get("role") != "doc-biblioref":
                    bad.append("%s: link %s without doc-biblioref" % (h, href))
                entry = href.split("#")[1]
                lst = citing.setdefault(entry, [])
                want = "%s#%s" % (h, span.get("id"))
                if not lst or lst[-1] != want:
                    lst.append(want)
    for h, root in pages.items():
        for li in root.iter(X + "li"):
            if li.get(OPS + "type") != "biblioentry":
                continue
            backs = [a for a in li.iter(X + "a") if a.get("role") == "doc-backlink"]
            got = [(a.get("href") if "#" in a.get("href") and not a.get("href").startswith("#")
                    else h + a.get("href")) for a in backs]
            want = citing.get(li.get("id"), [])
            if got != want:
                bad.append("%s: back links %s, citations %s" % (li.get("id"), got, want))
            n = len(backs)
            for k, a in enumerate(backs):
                text = "".join(a.itertext())
                name_ = a.get("aria-label")
                if n > 1 and (not text.endswith(" " + "abcdefghijklmnopqrstuvwxyz"[k])
                              or name_ != "Back to citation %d of %d" % (k + 1, n)):
                    bad.append("%s: back link %d of %d reads '%s', named '%s'" % (li.get("id"), k + 1, n, text, name_))
                if n == 1 and name_ != "Back to citation":
                    bad.append("%s: back link named '%s'" % (li.get("id"), name_))
    several = sum(1 for v in citing.values() if len(v) > 1)
    report(not bad and citing and several,
           name + ": every citation is a doc-biblioref with a back link from its entry "
           "(%d entries cited, %d of them more than once)" % (len(citing), several),
           "; ".join(bad[:6]))
    # landmarks: one bibliography, labelled by its heading; sections are not regions
    bibs, regions = [], []
    for h, root in pages.items():
        for e in root.iter():
            if e.tag != X + "a" and (e.get("role") == "doc-bibliography" or
                                     "bibliography" in (e.get(OPS + "type") or "").split()):
                bibs.append((h, e))
            if (local := e.tag.split("}")[1]) == "section" and e.get("role") is None and \
                    (e.get("aria-labelledby") or e.get("aria-label")):
                regions.append("%s#%s" % (h, e.get("id")))
    ok = len(bibs) == 1
    if ok:
        h, e = bibs[0]
        head = [x for x in e if x.tag in (X + "h1", X + "h2")]
        ok = (e.tag == X + "section" and e.get("role") == "doc-bibliography" and head
              and e.get("aria-labelledby") == head[0].get("id")
              and "".join(head[0].itertext()) == "References")
    report(ok, name + ": one bibliography landmark, the section that holds the References heading",
           [(h, ET.tostring(e, "unicode")[:120]) for h, e in bibs])
    report(not regions, name + ": no section is made a landmark", regions)
sys.exit(1 if failed else 0)
PY
exit 0
