#!/usr/bin/python3
"""pagecheck.py - page make-up as a book designer checks it, read back from
a PDF's own text positions (mutool draw -F stext).

usage: pagecheck.py --style STYLE --kind a5|handout [--label NAME] FILE.pdf

Checks, each printed as a PASS or FAIL line:
  - no blank page;
  - every page of running text stops within one body line of the text
    block's foot, unless it ends a part (the next page opens with a part
    title) or ends the text; handout: within two lines, except the last;
  - no page before the last page of text is under 40% full;
  - facing pages (A5: 2-3, 4-5, ...) end level, within 1.5 pt, unless one
    of them ends a part;
  - no heading or contents entry has a one-word last line;
  - no heading, box title or contents entry over entries of its own ends
    a page;
  - A5: the page count is a multiple of 4;
  - handout: page 1 holds the title and running text (no cover page).
Exit status 1 when any check fails.
"""
import argparse
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

PT = {"pt": 1.0, "mm": 72.0 / 25.4, "in": 72.0}


def read_style(path):
    """The style's numbers that matter here, in points."""
    vals = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if "=" not in line:
                continue
            k, v = (s.strip() for s in line.split("=", 1))
            m = re.fullmatch(r"([0-9.]+)(pt|mm|in)", v)
            vals[k] = float(m.group(1)) * PT[m.group(2)] if m else v
    return vals


class Line:
    def __init__(self, y, x0, x1, size, font, text, bottom=None):
        self.y, self.x0, self.x1 = y, x0, x1
        self.size, self.font, self.text = size, font, text
        # the foot of the line's type: its glyphs' boxes (the font's
        # descender) at the line's size, or 0.3 em below the baseline
        self.bottom = bottom if bottom is not None else y + 0.3 * size

    def words(self):
        return [w for w in self.text.split() if re.search(r"\w", w)]


def read_pages(pdf):
    """Pages as (width, height, [Line]) with y measured down from the top."""
    out = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", pdf],
                         capture_output=True, check=True).stdout
    pages = []
    for page in ET.fromstring(out).iter("page"):
        lines = []
        for line in page.iter("line"):
            chars, size, font = [], 0.0, ""
            for fnt in line.iter("font"):
                for ch in fnt.iter("char"):
                    quad = [float(v) for v in ch.get("quad", "").split()]
                    chars.append((float(ch.get("x")), float(ch.get("y")),
                                  ch.get("c"), float(fnt.get("size")),
                                  fnt.get("name"),
                                  max(quad[1::2]) if quad else None))
            if not chars or not "".join(c[2] for c in chars).strip():
                continue
            # the line's dominant size and font: its most common
            sizes = {}
            for c in chars:
                if c[2].strip():
                    sizes[(c[3], c[4])] = sizes.get((c[3], c[4]), 0) + 1
            size, font = max(sizes, key=sizes.get)
            y = max(c[1] for c in chars if c[3] == size)
            feet = [c[5] for c in chars if c[3] == size and c[5] is not None]
            text = "".join(c[2] for c in chars)
            lines.append(Line(y, chars[0][0], chars[-1][0], size, font,
                              re.sub(r"\s+", " ", text).strip(),
                              max(feet) if feet else None))
        # mutool may split one baseline into several lines: merge them
        lines.sort(key=lambda l: (round(l.y, 1), l.x0))
        merged = []
        for l in lines:
            if merged and abs(merged[-1].y - l.y) < 0.5:
                m = merged[-1]
                big = m if m.size >= l.size else l
                merged[-1] = Line(m.y, m.x0, l.x1, big.size, big.font,
                                  m.text + " " + l.text,
                                  max(m.bottom, l.bottom))
            else:
                merged.append(l)
        pages.append((float(page.get("width")), float(page.get("height")),
                      merged))
    return pages


class Checker:
    def __init__(self, label):
        self.label, self.failed = label, 0

    def result(self, ok, what, detail=""):
        if ok:
            print(f"PASS {self.label}: {what}")
        else:
            self.failed += 1
            print(f"FAIL {self.label}: {what}: {detail}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", required=True)
    ap.add_argument("--kind", choices=["a5", "handout"], required=True)
    ap.add_argument("--label")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("pdf")
    a = ap.parse_args()
    st = read_style(a.style)
    ck = Checker(a.label or a.kind)
    pages = read_pages(a.pdf)
    n = len(pages)
    top = st["margin-top"]
    leading = st["body-leading"]
    body = st["body-size"]
    part_size = st["part-size"]
    contents_title = st.get("contents-title", "Contents")

    def in_block(l, h):
        return top - 2 <= l.y <= h - st["margin-bottom"] + 2

    # 1. blank pages
    blank = [i + 1 for i, (_, _, ls) in enumerate(pages) if not ls]
    ck.result(not blank, f"no blank page ({n} pages)",
              f"blank: {blank}")

    # Which pages are running text: body-size lines inside the block, not
    # the cover (A5 page 1), not the contents, not the last (back) page.
    def kind_of(i):
        w, h, ls = pages[i]
        text = [l for l in ls if in_block(l, h)]
        if a.kind == "a5" and i == 0:
            return "cover"
        if a.kind == "a5" and i == n - 1:
            return "back"
        if text and text[0].text.startswith(contents_title) and \
                text[0].size > body:
            return "contents"
        if text and text[0].text.startswith("Notes") and len(text) <= 2:
            return "notes"
        return "text" if text else "other"

    kinds = [kind_of(i) for i in range(n)]
    if a.verbose:
        print(kinds, file=sys.stderr)

    def opens_part(i):
        w, h, ls = pages[i]
        text = [l for l in ls if in_block(l, h)]
        return bool(text) and abs(text[0].size - part_size) < 0.3

    def last_baseline(i):
        w, h, ls = pages[i]
        text = [l for l in ls if in_block(l, h)]
        return max(l.y for l in text) if text else None

    text_pages = [i for i in range(n) if kinds[i] == "text"]
    ends_part = {}
    for i in text_pages:
        nxt = i + 1
        ends_part[i] = (nxt >= n or kinds[nxt] != "text" or opens_part(nxt))

    # 2. full pages: the foot of the last line's type (its descender, as
    # the font states it) lies within one line (its own leading) of the
    # block's foot, and never below it
    def leading_of(l):
        for key in ("bib", "quote"):
            if abs(l.size - st.get(key + "-size", -1)) < 0.2:
                return st[key + "-leading"]
        return leading

    if text_pages:
        h = pages[text_pages[0]][1]
        foot = h - st["margin-bottom"]
        deepest = max(max(l.bottom for l in pages[i][2]
                          if in_block(l, pages[i][1])) for i in text_pages)
        ck.result(deepest <= foot + 0.5, "text stays inside the text block",
                  f"a line's foot at {deepest:.1f} below the block's foot "
                  f"{foot:.1f}")
        lines_allowed = 2 if a.kind == "handout" else 1
        short = []
        for i in text_pages:
            if a.kind == "a5" and ends_part[i]:
                continue
            if a.kind == "handout" and i == text_pages[-1]:
                continue
            w, h, ls = pages[i]
            last = max((l for l in ls if in_block(l, h)), key=lambda l: l.y)
            lead = leading_of(last)
            gap = foot - last.bottom
            if gap > lines_allowed * lead + 0.5:
                short.append(f"p{i + 1} {gap / lead:.1f} lines short")
        ck.result(not short, "every page of running text reaches the foot",
                  "; ".join(short))
        # a part that ends early must not leave a page mostly empty in the
        # middle of the booklet
        sparse = []
        for i in text_pages[:-1]:
            w, h, ls = pages[i]
            body_lines = [l for l in ls if in_block(l, h)]
            first = min(l.y for l in body_lines)
            fill = (last_baseline(i) - first + leading) / (foot - top)
            if fill < 0.4:
                sparse.append(f"p{i + 1} {fill:.0%} full")
        ck.result(not sparse, "no page mid-booklet under 40% full",
                  "; ".join(sparse))

    # 3. level spreads (A5: pages 2-3, 4-5, ... by PDF page index 1-2, ...)
    if a.kind == "a5":
        uneven = []
        for i in range(1, n - 1, 2):
            j = i + 1
            if kinds[i] != "text" or kinds[j] != "text":
                continue
            if ends_part[i] or ends_part[j]:
                continue
            d = abs(last_baseline(i) - last_baseline(j))
            if d > 1.5:
                uneven.append(f"p{i + 1}-{j + 1} differ by {d:.1f} pt")
        ck.result(not uneven, "facing pages end level", "; ".join(uneven))

    # 4. one-word last lines of headings and contents entries: a heading
    # is a run of consecutive lines larger than the body (or bold at body
    # size) at one leading; its last line must hold more than one word.
    bad = []
    for i, (w, h, ls) in enumerate(pages):
        ls = [l for l in ls if in_block(l, h)]
        groups, cur = [], []
        for l in ls:
            head = l.size > body + 0.3 or (
                "Bold" in l.font and abs(l.size - body) < 0.3)
            if kinds[i] == "contents":
                head = True
            if head and cur and abs(cur[-1].size - l.size) < 0.3 and \
                    l.y - cur[-1].y < l.size * 1.6 and \
                    not re.search(r"\d\s*$", cur[-1].text):
                cur.append(l)
                continue
            if cur:
                groups.append(cur)
            cur = [l] if head else []
        if cur:
            groups.append(cur)
        for g in groups:
            if len(g) > 1:
                last = re.sub(r"[ .]*\d+\s*$", "", g[-1].text)
                words = [x for x in last.split() if re.search(r"\w", x)]
                if len(words) <= 1:
                    bad.append(f"p{i + 1} '{g[0].text[:30]}…' ends in "
                               f"'{last}'")
    ck.result(not bad, "no one-word last line in headings or contents",
              "; ".join(bad))

    # 5. nothing stranded: no page of text or contents ends with a heading
    # (a line larger than the body, or bold) whose next page does not go
    # on with one: a heading, a box's title or a contents entry over
    # entries of its own goes with what it heads
    def heading_like(l):
        return l.size > body + 0.3 or "Bold" in l.font

    stranded = []
    for i in range(n - 1):
        if kinds[i] not in ("text", "contents"):
            continue
        w, h, ls = pages[i]
        ls = [l for l in ls if in_block(l, h)]
        nw, nh, nls = pages[i + 1]
        nls = [l for l in nls if in_block(l, nh)]
        if not ls or not nls:
            continue
        last = max(ls, key=lambda l: l.y)
        first = min(nls, key=lambda l: (l.y, l.x0))
        if heading_like(last) and not heading_like(first):
            stranded.append(f"p{i + 1} ends with '{last.text[:40]}'")
    ck.result(not stranded, "no heading or contents entry ends a page",
              "; ".join(stranded))

    # 6. page count and first page
    if a.kind == "a5":
        ck.result(n % 4 == 0, f"page count {n} is a multiple of 4",
                  f"{n} pages")
    else:
        w, h, ls = pages[0]
        has_title = any(l.size > body + 0.3 for l in ls)
        has_text = sum(1 for l in ls if abs(l.size - body) < 0.3) >= 5
        ck.result(has_title and has_text,
                  "page 1 opens with the title and the text",
                  f"title {has_title}, running text {has_text}")
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main())
