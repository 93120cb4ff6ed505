#!/usr/bin/python3
"""epub_pages.py EPUB A5.pdf A5.style [--min-inside N] - the EPUB's print page numbers
against the A5 PDF they come from.

Checks, printing one PASS/FAIL line each (exit 1 on any FAIL):
  - the page list (nav.xhtml) holds exactly the A5's printed page numbers,
    in order: every page with a page label and text on it;
  - the NCX pageList has the same labels and targets;
  - for every page-list entry, the text after its marker in the EPUB is
    the text that opens that page in the A5 PDF (pdftotext of the page's
    text block, between the margins of A5.style, so the running head and
    the folio are left out). A marker may stand before the word the page
    begins inside (a hyphenated word) or before a link the page begins
    inside: the page's first words must then start within that word or
    link. A contents of several pages is marked where it begins (a nav's
    list may hold nothing but its entries), so its pages after the first
    are only checked to be listed;
  - every marker is an empty span with role doc-pagebreak, epub:type
    pagebreak and an aria-label that is its page's number.
Run with Debian's python3 (pikepdf); needs pdftotext (poppler-utils).
"""
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from posixpath import dirname, join, normpath

import pikepdf

XHTML = "{http://www.w3.org/1999/xhtml}"
OPS = "{http://www.idpf.org/2007/ops}"
OPF = "{http://www.idpf.org/2007/opf}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "aside",
          "nav", "ol", "ul", "div", "body", "blockquote"}

failed = 0


def report(ok, name, why=""):
    global failed
    if ok:
        print("PASS " + name)
    else:
        failed += 1
        print("FAIL " + name + (": " + why if why else ""))


def norm(s):
    s = unicodedata.normalize("NFKC", s).replace("\u00ad", "")
    return re.sub(r"\s+", " ", s).strip()


def mm(value):
    """A length of a style file in points."""
    m = re.match(r"\s*([0-9.]+)\s*(mm|pt|in)\s*$", value)
    n, unit = float(m.group(1)), m.group(2)
    return n * {"mm": 72 / 25.4, "pt": 1.0, "in": 72.0}[unit]


def style_keys(path):
    keys = {}
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0]
        if "=" in line:
            k, v = line.split("=", 1)
            keys[k.strip()] = v.strip()
    return keys


def style_margins(path):
    keys = style_keys(path)
    return mm(keys["margin-top"]), mm(keys["margin-bottom"])


class Stream:
    """A page's text in reading order, with where each marker stands."""

    def __init__(self):
        self.parts = []
        self.len = 0
        self.marks = {}      # id -> [offset, inside a block's text, element]
        self.block = 0       # where the last block began or ended

    def add(self, s):
        self.parts.append(s)
        self.len += len(s)

    def text(self):
        return "".join(self.parts)


def local(tag):
    return tag.split("}", 1)[1] if "}" in tag else tag


def text_of(el):
    return "".join(el.itertext())


def walk(el, st):
    """Append el's text to st, noting markers (iteratively)."""
    stack = [(el, 0)]
    while stack:
        e, state = stack.pop()
        if state == 0:
            name = local(e.tag)
            if name in ("head", "script"):
                continue
            types = (e.get(OPS + "type") or "").split()
            if "pagebreak" in types or e.get("role") == "doc-pagebreak":
                # the unit the marker stands before: the link right after
                # it, else the first word after it
                inside = bool("".join(st.parts)[st.block:].strip())
                st.marks[e.get("id")] = [st.len, inside, e]
            if name in BLOCKS:
                st.add(" ")
                st.block = st.len
            if e.text:
                st.add(e.text)
            stack.append((e, 1))
            for c in reversed(list(e)):
                stack.append((c, 0))
        else:
            if local(e.tag) in BLOCKS:
                st.add(" ")
                st.block = st.len
            if e.tail:
                stack_tail = e.tail
                st.add(stack_tail)


def next_link(el, parent_of):
    """The <a> that directly follows marker el (only whitespace between),
    or None."""
    if el.tail and el.tail.strip():
        return None
    p = parent_of.get(el)
    if p is None:
        return None
    kids = list(p)
    i = kids.index(el)
    if i + 1 < len(kids) and local(kids[i + 1].tag) == "a":
        return kids[i + 1]
    return None


def pdf_page_text(pdf_path, page, box, top, bottom):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-r", "72",
         "-x", "0", "-y", str(int(top - 2)), "-W", str(int(w)),
         "-H", str(int(h - top - bottom + 4)), pdf_path, "-"],
        capture_output=True, text=True, check=True).stdout
    return out


def opening_words(text):
    """The words of a page's first line that must follow its marker: a
    list number or bullet left out, and the line's last word (it may be
    the first part of a hyphenated word) unless it is the only one."""
    lines = [l for l in text.splitlines() if l.strip()]
    if not lines:
        return ""
    words = norm(lines[0]).split(" ")
    if words and re.fullmatch(r"(\d+\.|•)", words[0]):
        words = words[1:]
    # a link's printed address, or its tail begun on the page before: the
    # EPUB, which prints no addresses, marks the page just after the link
    if words and re.fullmatch(r"[^()\s]*\)", words[0]):
        words = words[1:]
    words = [w for w in words
             if not re.fullmatch(r"\([^()\s]*[./][^()\s]*\)", w)]
    if len(words) > 1:
        words = words[:-1]
    return " ".join(words)


def main():
    epub_path, pdf_path, style_path = sys.argv[1:4]
    top, bottom = style_margins(style_path)
    z = zipfile.ZipFile(epub_path)
    container = ET.fromstring(z.read("META-INF/container.xml"))
    opf_path = next(container.iter(
        "{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")).get("full-path")
    base = dirname(opf_path)
    opf = ET.fromstring(z.read(opf_path))
    items = {i.get("id"): i for i in opf.iter(OPF + "item")}
    nav_path = next(normpath(join(base, i.get("href"))) for i in items.values()
                    if "nav" in (i.get("properties") or "").split())
    spine = [normpath(join(base, items[r.get("idref")].get("href")))
             for r in opf.iter(OPF + "itemref")]

    # every file's text and markers
    streams, parents = {}, {}
    for path in spine:
        root = ET.fromstring(z.read(path))
        st = Stream()
        walk(root.find(XHTML + "body"), st)
        streams[path] = st
        parents[path] = {c: p for p in root.iter() for c in p}

    nav = ET.fromstring(z.read(nav_path))
    pagelist = [n for n in nav.iter(XHTML + "nav")
                if "page-list" in (n.get(OPS + "type") or "").split()]
    entries = []
    if pagelist:
        for a in pagelist[0].iter(XHTML + "a"):
            entries.append((norm(text_of(a)), a.get("href")))
    report(len(pagelist) == 1 and entries, "epub has a page-list nav",
           "%d page-list navs, %d entries" % (len(pagelist), len(entries)))

    # the A5's printed pages: a label, and text inside the text block
    notes_title = norm(style_keys(style_path).get("notes-title", ""))
    pdf = pikepdf.open(pdf_path)
    printed = []
    for i, pg in enumerate(pdf.pages):
        label = pg.label
        if not label:
            continue
        text = pdf_page_text(pdf_path, i + 1, [float(v) for v in pg.mediabox],
                             top, bottom)
        # a ruled notes page holds none of the booklet's text: the e-book
        # has nothing to mark there
        if norm(text) and norm(text) != notes_title:
            printed.append((label, i + 1, text))
    labels = [e[0] for e in entries]
    report(labels == [p[0] for p in printed],
           "page list = the A5's printed page numbers (%s)" % " ".join(labels),
           "epub %s, pdf %s" % (labels, [p[0] for p in printed]))

    # the NCX's pageList says the same
    ncx_item = next((i for i in items.values()
                     if i.get("media-type") == "application/x-dtbncx+xml"), None)
    if ncx_item is not None:
        ncx = ET.fromstring(z.read(normpath(join(base, ncx_item.get("href")))))
        targets = [(norm(text_of(t.find(NCX + "navLabel"))),
                    t.find(NCX + "content").get("src"))
                   for t in ncx.iter(NCX + "pageTarget")]
        report(targets == entries, "NCX pageList = the page list",
               "%s vs %s" % (targets[:4], entries[:4]))

    bymark = {p[0]: p for p in printed}
    bad = []
    kinds = {"inside a paragraph": 0, "before a broken word": 0,
             "before a link": 0}
    for label, href in entries:
        f, _, frag = href.partition("#")
        path = normpath(join(dirname(nav_path), f))
        st = streams.get(path)
        if not st or frag not in st.marks:
            bad.append("%s: no marker %s" % (label, href))
            continue
        off, inside, el = st.marks[frag]
        if (el.get("aria-label") != label or el.get("role") != "doc-pagebreak"
                or "pagebreak" not in (el.get(OPS + "type") or "").split()
                or text_of(el) or len(el)):
            bad.append("%s: marker %s" % (label, ET.tostring(el, "unicode")))
            continue
        if path == nav_path and label != entries[0][0]:
            continue   # a second contents page: marked where the contents begin
        after = norm(st.text()[off:])
        link = next_link(el, parents[path])
        unit = norm(text_of(link)) if link is not None else after.split(" ")[0]
        want = opening_words(bymark[label][2]) if label in bymark else None
        at = after.find(want) if want else -1
        if want is None or at < 0 or at > len(unit):
            bad.append("page %s: the PDF page opens with '%s', the EPUB has "
                       "'%s' after its marker" % (label, want, after[:80]))
            continue
        if inside:
            kinds["inside a paragraph"] += 1
        if at > 0 and link is not None:
            kinds["before a link"] += 1
        elif at > 0:
            kinds["before a broken word"] += 1
    report(entries and not bad,
           "the text after each marker opens its page in the A5 PDF (%d pages)"
           % len(entries), "; ".join(bad))
    print("pages begun %s" % ", ".join("%s: %d" % kv for kv in kinds.items()))
    if len(sys.argv) > 4:   # --min-inside N: pages that begin mid-paragraph
        n = int(sys.argv[5])
        report(kinds["inside a paragraph"] >= n,
               "at least %d pages begin inside a paragraph" % n,
               "%d do" % kinds["inside a paragraph"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
