#!/usr/bin/python3
"""pdf_struct_text.py - checks what a screen reader gets from a tagged PDF:
the structure tree with its text, as poppler's `pdfinfo -struct-text`
prints it, against the booklet it was made from.

    /usr/bin/python3 tests/pdf_struct_text.py FILE.pdf
        [--sentences tests/data/sentences.txt] [--booklet content/booklet.xml]
        [--title-level 1] [--part-level 1] [--section-level 2]
        [--experience-level 3] [--loose]

Checks, one PASS/FAIL line each:
  struct-text-tree       pdfinfo prints a structure tree, silently
  struct-text-sentences  every sentence of --sentences is in the tree's text,
                         in reading order (whitespace collapsed; words must
                         not run together: a line's last word needs its space)
  struct-text-headings   the booklet's title, part, section and experience
                         titles are H1..H6 elements at the given levels, in
                         order (a level of 0 skips that kind)
  struct-text-lists      every <li> of the booklet is an LI whose LBody
                         starts with the item's text, in order
--loose also accepts a sentence, a heading or a list item found only when
spaces and hyphens are ignored (words run together at line ends or between
runs, or a hyphenated break).
Exits 1 when any check fails.
"""

import argparse
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfcommon import Report  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Elem:
    __slots__ = ("type", "parent", "kids", "texts", "order")

    def __init__(self, type_, parent):
        self.type, self.parent, self.kids, self.texts = type_, parent, [], []

    def text(self):
        """All text of the element and its descendants, in order."""
        out = []
        stack = [self]
        while stack:
            e = stack.pop()
            if isinstance(e, str):
                out.append(e)
            else:
                stack.extend(reversed(e.texts))
        return "".join(out)


def parse_struct_text(output):
    """The tree pdfinfo -struct-text prints: indentation two spaces a level;
    element lines 'Type (block)', text lines '"..."', attribute lines '/Key'."""
    root = Elem("(root)", None)
    stack = [(-1, root)]
    elems = []
    for line in output.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if stack else root
        if body.startswith('"') and body.endswith('"') and len(body) >= 2:
            parent.texts.append(body[1:-1])
        elif body.startswith("/") or body.startswith("Object "):
            continue
        else:
            e = Elem(body.split(" ")[0].rstrip(":"), parent)
            parent.kids.append(e)
            parent.texts.append(e)
            elems.append(e)
            stack.append((indent, e))
    return root, elems


def norm(s):
    # chapbook's text layer: a soft hyphen is a hyphen added at a line end
    # (no letter of the text); U+2010 HYPHEN is a real hyphen that ends a
    # line ("self-" of "self-esteem"), the source's "-"
    s = unicodedata.normalize("NFC", s).replace("\u00ad", "").replace("\u2010", "-")
    return re.sub(r"\s+", " ", s).strip()


def bare(s):
    return re.sub(r"[\s\-\u00ad]", "", unicodedata.normalize("NFC", s))


def read_sentences(path):
    with open(path, encoding="utf-8") as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]


def check_sentences(r, flat, sentences, loose):
    pos, bpos = 0, 0
    flat_bare = bare(flat)
    missing, order, glued = [], [], []
    for s in sentences:
        i = flat.find(norm(s), pos)
        if i >= 0:
            pos = i + len(norm(s))
            bpos = len(bare(flat[:pos]))
            continue
        if flat.find(norm(s)) >= 0:
            order.append(f"out of order: {s[:60]}")
            continue
        j = flat_bare.find(bare(s), bpos)
        if j >= 0 and loose:
            bpos = j + len(bare(s))
            continue
        if j >= 0 or flat_bare.find(bare(s)) >= 0:
            glued.append(f"only with spaces and hyphens ignored: {s[:60]}")
        else:
            missing.append(f"missing: {s[:60]}")
    r.check("struct-text-sentences", f"every sentence in the structure tree, in order ({len(sentences)})",
            missing + order + glued)


def booklet_headings(path, levels):
    """[(text, level)] in document order: the booklet title, then the titles
    of parts, sections (nested sections one level down) and experiences."""
    root = ET.parse(path).getroot()
    out = []
    meta_title = root.find("meta/title")
    if meta_title is not None and levels["title"]:
        out.append((norm("".join(meta_title.itertext())), levels["title"]))

    def walk(el, depth):
        for kid in el:
            kind = kid.tag
            if kind in ("part", "section", "experience"):
                t = kid.find("title")
                level = levels[kind] + (depth if kind == "section" else 0)
                if t is not None and levels[kind]:
                    out.append((norm("".join(t.itertext())), level))
                walk(kid, depth + (1 if kind == "section" else 0))
            elif kind != "meta":
                walk(kid, depth)
    walk(root, 0)
    return out


def same_text(a, b, loose):
    """a (from the tree) is b, or with --loose, b without spaces and hyphens."""
    return norm(a) == b or (loose and bare(a) == bare(b))


def check_headings(r, elems, expected, loose=False):
    heads = [(e, int(e.type[1])) for e in elems if re.fullmatch(r"H[1-6]", e.type)]
    problems, at = [], 0
    for text, level in expected:
        for k in range(at, len(heads)):
            if same_text(heads[k][0].text(), text, loose):
                if heads[k][1] != level:
                    problems.append(f"'{text[:50]}' is H{heads[k][1]}, want H{level}")
                at = k + 1
                break
        else:
            problems.append(f"no heading '{text[:50]}' (in order)")
    r.check("struct-text-headings", f"the booklet's headings at their levels ({len(expected)})",
            problems, f"{len(heads)} headings in the tree")


def booklet_items(path):
    """The leading text of every <li> (its first paragraph up to the first
    inline element), in document order."""
    root = ET.parse(path).getroot()
    out = []
    for li in root.iter("li"):
        p = li.find("p")
        lead = norm((p.text if p is not None else li.text) or "")
        out.append(lead[:40])
    return out


def check_lists(r, elems, items, loose=False):
    lbodies = []
    for e in elems:
        if e.type == "LI":
            bodies = [k for k in e.kids if k.type == "LBody"]
            lbodies.append(norm(bodies[0].text()) if bodies else "")
    problems, at = [], 0
    for lead in items:
        if not lead:
            continue
        for k in range(at, len(lbodies)):
            if lbodies[k].startswith(lead) or (loose and bare(lbodies[k]).startswith(bare(lead))):
                at = k + 1
                break
        else:
            problems.append(f"no LI whose LBody starts '{lead}' (in order)")
    r.check("struct-text-lists", f"every list item is an LI with its LBody ({len(items)})", problems,
            f"{len(lbodies)} LI in the tree")


def run(path, sentences, booklet, levels, loose=False, out=sys.stdout):
    r = Report(out)
    p = subprocess.run(["pdfinfo", "-struct-text", path], capture_output=True, text=True)
    root, elems = parse_struct_text(p.stdout)
    problems = []
    if p.returncode != 0:
        problems.append(f"pdfinfo exited {p.returncode}")
    if p.stderr.strip():
        problems.append(p.stderr.strip().splitlines()[0])
    if not elems:
        problems.append("no structure tree")
    r.check("struct-text-tree", "pdfinfo -struct-text prints a structure tree, silently", problems,
            f"{len(elems)} elements")
    flat = norm(root.text())
    if sentences:
        check_sentences(r, flat, read_sentences(sentences), loose)
    if booklet:
        check_headings(r, elems, booklet_headings(booklet, levels), loose)
        check_lists(r, elems, booklet_items(booklet), loose)
    return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf")
    ap.add_argument("--sentences", default=os.path.join(TOP, "tests", "data", "sentences.txt"))
    ap.add_argument("--booklet", default=os.path.join(TOP, "content", "booklet.xml"))
    ap.add_argument("--title-level", type=int, default=1)
    ap.add_argument("--part-level", type=int, default=1)
    ap.add_argument("--section-level", type=int, default=2)
    ap.add_argument("--experience-level", type=int, default=3)
    ap.add_argument("--loose", action="store_true")
    a = ap.parse_args(argv)
    levels = {"title": a.title_level, "part": a.part_level, "section": a.section_level,
              "experience": a.experience_level}
    r = run(a.pdf, a.sentences, a.booklet, levels, a.loose)
    r.finish()
    return r.status()


if __name__ == "__main__":
    sys.exit(main())
