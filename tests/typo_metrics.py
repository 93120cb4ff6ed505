#!/usr/bin/python3
"""typo_metrics.py - how even a PDF's word spacing is, measured from the
glyphs on the page (issue 11's measure), so that engines and fonts compare
fairly.

    /usr/bin/python3 tests/typo_metrics.py [options] FILE.pdf

Reads every character with its quad from `mutool draw -F stext -O
inhibit-spaces` (MuPDF), regroups characters into lines by page and
baseline, and keeps body text only: lines whose characters are all at the
body size (the size most characters have; --include-size adds another),
leaving out contents lines (dot leaders). Sizes within SIZE_TOL of each
other are one size: MuPDF reports text drawn with horizontal scaling (font
expansion, the Tz operator) at size * sqrt(scale), 10.05 pt for 10 pt
widened by 1%. A character MuPDF gives no width (the second and third
letters of a ligature such as "ffi", which it places at the glyph's end)
belongs to the glyph before it. On each page the text block's right edge is the most common right
end of its body lines; a line ending there (within 0.15 em, or beyond it, as
with margin protrusion) fills the measure and counts as justified; the
others are paragraph last lines. Headings, quotations, the bibliography and
running heads are left out by their size; a list marker's gap ("1." or a
bullet at the start of a line) is not a word gap.

Gaps come from glyph quads, never from space characters (mutool would
insert spaces for gaps itself; real space glyphs are skipped): a word gap is
a gap between two consecutive glyphs wider than 0.1 em. The natural word
space is the median gap of the paragraph last lines; each justified line's
ratio is its mean word gap divided by it.

Printed, as one Markdown table row: p95 and max of the ratios, the lines
over 1.5x, hyphenated line ends (a body line ending in a hyphen that line
breaking inserted: a soft hyphen, or a hyphen followed by a lower-case
continuation on the next body line, unless the hyphenated compound also
appears whole inside a line elsewhere in the document), the longest run of
consecutive hyphenated lines, the number of justified lines and the natural
space. --max-p95, --max-ratio, --max-over and --max-hyphen-run make it exit
1 when a figure is worse; exit 2 on a usage or reading error.
"""

import argparse
import collections
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

GAP_MIN_EM = 0.1       # narrower gaps are kerning or run joins, not spaces
FULL_TOL_EM = 0.15     # a line this close to the right edge fills it
SPLIT_EM = 2.0         # a gap this wide separates two lines on a baseline
SIZE_TOL = 0.015       # sizes this close (relative) are one size
OVER = 1.5
HYPHENS = ('-', '\u2010', '\u00ad')
SPACES = (' ', '\u00a0', '\u2009', '\u202f', '\u2002', '\u2003', '\t')
MARKER = re.compile(r'^(\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)]$|^[\u2022\u25e6\u25aa\u2013\u2014*]$')
PUNCT = '()[]{}\u2018\u2019\u201c\u201d"\'.,;:!?\u2026'


class Glyph:
    __slots__ = ('x0', 'x1', 'c', 'size')

    def __init__(self, x0, x1, c, size):
        self.x0, self.x1, self.c, self.size = x0, x1, c, size


class Line:
    """A run of glyphs on one baseline of one page, in x order."""

    def __init__(self, page, y, glyphs):
        self.page, self.y, self.glyphs = page, y, glyphs
        self.size = glyphs[0].size
        self.x0, self.x1 = glyphs[0].x0, glyphs[-1].x1
        self.words, self.gaps = [], []
        word = glyphs[0].c
        for a, b in zip(glyphs, glyphs[1:]):
            g = b.x0 - a.x1
            if g > GAP_MIN_EM * self.size:
                self.gaps.append(g)
                self.words.append(word)
                word = ''
            word += b.c
        self.words.append(word)
        self.full = False

    def text(self):
        return ' '.join(self.words)

    def word_gaps(self):
        """The gaps between words, without a list marker's."""
        if len(self.words) > 1 and MARKER.match(self.words[0]):
            return self.gaps[1:]
        return self.gaps

    def has_leaders(self):
        run = 0
        for w in self.words:
            run = run + 1 if len(w) == 1 and w in '.\u00b7\u2026_' else 0
            if run >= 3:
                return True
        return False


def fail(msg):
    print('typo_metrics: ' + msg, file=sys.stderr)
    sys.exit(2)


def read_lines(pdf):
    """Every line of the PDF, pages in order, top to bottom."""
    try:
        out = subprocess.run(
            ['mutool', 'draw', '-q', '-F', 'stext', '-O', 'inhibit-spaces',
             '-o', '-', pdf], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        fail('cannot read %s with mutool: %s' % (pdf, e))
    try:
        root = ET.fromstring(out)
    except ET.ParseError as e:
        fail('mutool output for %s: %s' % (pdf, e))
    lines = []
    for pno, page in enumerate(root.iter('page'), 1):
        rows = collections.defaultdict(list)
        for font in page.iter('font'):
            size = float(font.get('size'))
            last = None
            for ch in font.iter('char'):
                c = ch.get('c')
                if c is None or c in SPACES:
                    last = None
                    continue
                q = [float(v) for v in ch.get('quad').split()]
                x0, x1 = min(q[0::2]), max(q[0::2])
                if x1 - x0 < 1e-3 and last is not None:
                    last.c += c      # more letters of a ligature
                    continue
                last = Glyph(x0, x1, c, size)
                rows[round(float(ch.get('y')), 1)].append(last)
        for y in sorted(rows):
            gl = sorted(rows[y], key=lambda g: g.x0)
            start = 0
            for i in range(1, len(gl) + 1):
                if i == len(gl) or gl[i].x0 - gl[i - 1].x1 > SPLIT_EM * gl[i].size:
                    lines.append(Line(pno, y, gl[start:i]))
                    start = i
    return lines


def same_size(a, b):
    return abs(a - b) <= SIZE_TOL * max(a, b)


def canonical_sizes(lines):
    """Each glyph's size replaced by its size class: sizes are taken most
    common first, and a size within SIZE_TOL of one already taken joins
    it. Returns the classes' character counts."""
    count = collections.Counter()
    for ln in lines:
        for g in ln.glyphs:
            count[round(g.size, 3)] += 1
    canon, total = {}, collections.Counter()
    for s, n in count.most_common():
        c = next((k for k in total if same_size(k, s)), s)
        canon[s] = c
        total[c] += n
    for ln in lines:
        for g in ln.glyphs:
            g.size = canon[round(g.size, 3)]
        ln.size = ln.glyphs[0].size
    return total


def body_lines(lines, extra):
    """The body size (the size most characters have) and, in document
    order, the lines set wholly in it or in one of the extra sizes,
    contents lines (dot leaders) left out."""
    count = canonical_sizes(lines)
    if not count:
        return 0, []
    size = count.most_common(1)[0][0]
    sizes = [size] + list(extra)
    body = [ln for ln in lines
            if any(all(same_size(g.size, s) for g in ln.glyphs)
                   for s in sizes) and not ln.has_leaders()]
    return size, body


def mark_full(body, size):
    """Mark the lines that fill the measure, page by page."""
    by_page = collections.defaultdict(list)
    for ln in body:
        by_page[ln.page].append(ln)
    for lns in by_page.values():
        ends = collections.Counter(round(ln.x1, 1) for ln in lns
                                   if len(ln.words) > 1)
        if not ends:
            continue
        edge, n = ends.most_common(1)[0]
        if n < 2:
            continue
        for ln in lns:
            ln.full = ln.x1 >= edge - FULL_TOL_EM * size


def strip_word(w):
    return w.strip(PUNCT)


def hyphen_ends(body):
    """For each body line, whether it ends in a hyphen line breaking
    inserted (see the module comment)."""
    whole = set()
    for ln in body:
        for w in ln.words:
            w = strip_word(w)
            if any(h in w[:-1] for h in HYPHENS[:2]):
                whole.add(w.lower())
    flags = []
    for i, ln in enumerate(body):
        last = ln.words[-1]
        nxt = body[i + 1].words[0] if i + 1 < len(body) else ''
        hy = False
        if last.endswith('\u00ad'):
            hy = True
        elif last[-1:] in HYPHENS and len(last) > 1 and last[-2].isalpha() \
                and nxt[:1].islower():
            compound = (strip_word(last[:-1]) + last[-1] +
                        strip_word(nxt)).lower()
            hy = compound not in whole
        flags.append(hy)
    return flags


def percentile(values, p):
    """Linear interpolation between closest ranks (numpy's default)."""
    v = sorted(values)
    if not v:
        return 0.0
    k = (len(v) - 1) * p
    lo, hi = math.floor(k), math.ceil(k)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def measure(pdf, extra=()):
    """The figures of the module comment; lines in the extra sizes count
    too, each against the natural space of its own size."""
    lines = read_lines(pdf)
    size, body = body_lines(lines, extra)
    groups = collections.defaultdict(list)
    for ln in body:
        groups[next((s for s in groups if same_size(s, ln.size)),
                    ln.size)].append(ln)
    ratios, natural = [], {}
    for s, lns in groups.items():
        mark_full(lns, s)
        last_gaps = [g for ln in lns if not ln.full for g in ln.word_gaps()]
        natural[s] = percentile(last_gaps, 0.5)
        for ln in lns:
            gaps = ln.word_gaps()
            if ln.full and gaps and natural[s] > 0:
                ln.ratio = sum(gaps) / len(gaps) / natural[s]
                ratios.append(ln.ratio)
    flags = hyphen_ends(body)
    run = best = 0
    for f in flags:
        run = run + 1 if f else 0
        best = max(best, run)
    return {
        'size': size, 'body': body, 'flags': flags,
        'natural': natural.get(size, 0.0),
        'ratios': ratios, 'p95': percentile(ratios, 0.95),
        'max': max(ratios) if ratios else 0.0,
        'over': sum(1 for r in ratios if r > OVER),
        'hyphens': sum(flags), 'run': best,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('pdf')
    ap.add_argument('--label', help='the row label (default: the file name)')
    ap.add_argument('--header', action='store_true',
                    help='print the table header first')
    ap.add_argument('--verbose', action='store_true',
                    help='list every body line with its ratio first')
    ap.add_argument('--include-size', type=float, action='append',
                    default=[], metavar='PT',
                    help='also measure lines at this size (repeatable)')
    ap.add_argument('--max-p95', type=float)
    ap.add_argument('--max-ratio', type=float)
    ap.add_argument('--max-over', type=int)
    ap.add_argument('--max-hyphen-run', type=int)
    a = ap.parse_args()
    m = measure(a.pdf, a.include_size)
    if a.verbose:
        for ln, hy in zip(m['body'], m['flags']):
            r = getattr(ln, 'ratio', None)
            print('p%-3d %s %s %s' % (
                ln.page, '%.2f' % r if r is not None else
                ('last' if not ln.full else '----'),
                'H' if hy else ' ', ln.text()))
    if a.header:
        print('| | gap/natural p95 | max | lines over 1.5x | hyphenated '
              'line ends | longest hyphen run | justified lines | natural '
              'space |')
        print('|---|---|---|---|---|---|---|---|')
    print('| %s | %.2f | %.2f | %d | %d | %d | %d | %.2f pt (%.3f em) |' % (
        a.label or a.pdf.rsplit('/', 1)[-1], m['p95'], m['max'], m['over'],
        m['hyphens'], m['run'], len(m['ratios']), m['natural'],
        m['natural'] / m['size'] if m['size'] else 0))
    worse = []
    if a.max_p95 is not None and m['p95'] > a.max_p95:
        worse.append('p95 %.2f > %.2f' % (m['p95'], a.max_p95))
    if a.max_ratio is not None and m['max'] > a.max_ratio:
        worse.append('max %.2f > %.2f' % (m['max'], a.max_ratio))
    if a.max_over is not None and m['over'] > a.max_over:
        worse.append('%d lines over %.1fx > %d' % (m['over'], OVER,
                                                  a.max_over))
    if a.max_hyphen_run is not None and m['run'] > a.max_hyphen_run:
        worse.append('hyphen run %d > %d' % (m['run'], a.max_hyphen_run))
    for w in worse:
        print('typo_metrics: %s: %s' % (a.pdf, w), file=sys.stderr)
    return 1 if worse else 0


if __name__ == '__main__':
    sys.exit(main())
