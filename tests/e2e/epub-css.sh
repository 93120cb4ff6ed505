#!/bin/sh
# epub-css.sh - styles/epub.css leaves colours to the reader (night,
# sepia and e-ink themes, forced dark modes): no background colours, no
# text colours, and every colour it does name has at least 4.5:1 contrast
# (WCAG 2.x relative luminance) against white and against black. It hides
# [hidden], hyphenates (hyphens and -webkit-hyphens), keeps widows and
# orphans, and makes back links at least 24 by 24 CSS pixels (WCAG 2.2
# target size).
: "${TOP:?}"
/usr/bin/python3 - "$TOP/styles/epub.css" <<'PY'
import re, sys

NAMED = {"black": "000000", "white": "ffffff", "red": "ff0000",
         "green": "008000", "blue": "0000ff", "gray": "808080",
         "grey": "808080", "silver": "c0c0c0", "purple": "800080",
         "navy": "000080", "maroon": "800000"}
css = open(sys.argv[1], encoding="utf-8").read()
css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
rules = []   # (selector, [(property, value)])
for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
    decls = []
    for d in body.split(";"):
        if ":" in d:
            k, v = d.split(":", 1)
            decls.append((k.strip().lower(), v.strip().lower()))
    rules.append((" ".join(sel.split()), decls))
failed = 0


def report(ok, name, why=""):
    global failed
    print(("PASS " if ok else "FAIL ") + name + ("" if ok or not why else ": " + why))
    failed += not ok


def lum(hexs):
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hexs[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def colours(value):
    """Every colour a value names, as rrggbb (rgb() and names included)."""
    out = []
    for h in re.findall(r"#([0-9a-f]{3,8})\b", value):
        if len(h) in (3, 4):
            h = "".join(c * 2 for c in h[:3])
        out.append(h[:6])
    for r, g, b in re.findall(r"rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)", value):
        out.append("%02x%02x%02x" % (int(r), int(g), int(b)))
    for w in re.findall(r"[a-z]+", value):
        if w in NAMED:
            out.append(NAMED[w])
    return out


bg = [(s, k, v) for s, ds in rules for k, v in ds
      if k.startswith("background") and v not in ("none", "transparent")]
report(not bg, "epub.css sets no background", "; ".join("%s { %s: %s }" % x for x in bg))
fg = [(s, k, v) for s, ds in rules for k, v in ds
      if k == "color" and v not in ("inherit", "currentcolor", "initial")]
report(not fg, "epub.css sets no text colour", "; ".join("%s { %s: %s }" % x for x in fg))
low, n = [], 0
for s, ds in rules:
    for k, v in ds:
        for c in colours(v):
            n += 1
            y = lum(c)
            w, b = 1.05 / (y + 0.05), (y + 0.05) / 0.05
            if w < 4.5 or b < 4.5:
                low.append("#%s in %s { %s } (%.2f:1 on white, %.2f:1 on black)" % (c, s, k, w, b))
report(not low, "every colour in epub.css has 4.5:1 on white and on black (%d colours)" % n,
       "; ".join(low))


def has(selector, prop, pred):
    return any(s == selector and k == prop and pred(v) for s, ds in rules for k, v in ds)


def anywhere(prop, pred):
    return any(k == prop and pred(v) for s, ds in rules for k, v in ds)


report(has("[hidden]", "display", lambda v: v == "none"), "[hidden] { display: none }")
report(anywhere("hyphens", lambda v: v == "auto") and
       anywhere("-webkit-hyphens", lambda v: v == "auto"),
       "hyphens: auto, with -webkit-hyphens")
report(anywhere("widows", lambda v: v.isdigit()) and anywhere("orphans", lambda v: v.isdigit()),
       "widows and orphans")


def px(v):
    m = re.fullmatch(r"([0-9.]+)px", v)
    return float(m.group(1)) if m else 0


report(has("a.backlink", "min-width", lambda v: px(v) >= 24) and
       has("a.backlink", "min-height", lambda v: px(v) >= 24) and
       has("a.backlink", "display", lambda v: v == "inline-block"),
       "back links are at least 24 by 24 CSS pixels")
sys.exit(1 if failed else 0)
PY
