"""Shared reading for the PDF checkers in tests/ (pdfua_check.py, pdfx_check.py,
pdf_fixtures.py): the PASS/FAIL report, a content-stream walker that follows
form XObjects with the graphics state the checkers need (CTM, colours, marked
content, font), TrueType tables, ToUnicode CMaps, number trees and XMP.

Runs with Debian's python3-pikepdf (pikepdf 6); use /usr/bin/python3.
"""

import re
import struct
import sys
import xml.etree.ElementTree as ET

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream


# ---- report -------------------------------------------------------------

class Report:
    """One PASS or FAIL line per condition, printed in condition order by
    finish(); status() is the exit status (1 when any condition failed)."""

    MAX_DETAILS = 3

    def __init__(self, out=sys.stdout):
        self.out = out
        self.failed = 0
        self.passed = 0
        self.lines = []
        self.results = {}   # condition -> True (passed) / False

    def check(self, cond, title, problems, note=""):
        """Records 'PASS cond title (note)' or 'FAIL cond title: first problems'
        (repeated problems are counted, not repeated)."""
        problems = grouped(list(problems))
        if problems:
            self.failed += 1
            shown = "; ".join(str(p) for p in problems[: self.MAX_DETAILS])
            more = len(problems) - self.MAX_DETAILS
            if more > 0:
                shown += f"; and {more} more"
            line = f"FAIL {cond} {title}: {shown}"
        else:
            self.passed += 1
            line = f"PASS {cond} {title}" + (f" ({note})" if note else "")
        self.results[cond] = not problems
        # Matterhorn numbers (NN-NNN) first, in order, then the named checks
        order = (0, cond) if re.fullmatch(r"\d\d-\d\d\d", cond) else (1, cond)
        self.lines.append((order, line))

    def finish(self):
        for _, line in sorted(self.lines):
            print(line, file=self.out)
        print(f"{self.passed} passed, {self.failed} failed", file=self.out)

    def status(self):
        return 1 if self.failed else 0


def grouped(items):
    """['page 1: text', 'page 1: text', 'page 2: path'] ->
    ['page 1: text (2 times)', 'page 2: path']."""
    counts = {}
    for i in items:
        counts[i] = counts.get(i, 0) + 1
    return [i if n == 1 else f"{i} ({n} times)" for i, n in counts.items()]


# ---- objects ------------------------------------------------------------

def key(obj):
    """A hashable identity for a PDF object: its object number when indirect."""
    if obj.is_indirect:
        return obj.objgen
    return ("direct", id(obj))


def is_dict(obj):
    return isinstance(obj, (Dictionary, Stream))


def inherited(page_obj, attr):
    """A page attribute, looked up through the page tree as the spec says."""
    node, seen = page_obj, set()
    while node is not None and is_dict(node) and key(node) not in seen:
        seen.add(key(node))
        if attr in node:
            return node[attr]
        node = node.get("/Parent")
    return None


def rect(obj):
    """A PDF rectangle as (x0, y0, x1, y1) with x0 <= x1, y0 <= y1, or None."""
    if obj is None:
        return None
    a = [float(v) for v in obj]
    return (min(a[0], a[2]), min(a[1], a[3]), max(a[0], a[2]), max(a[1], a[3]))


def number_tree(node, out=None, depth=0):
    """The entries of a number tree (e.g. the ParentTree) as {int: object}."""
    out = {} if out is None else out
    if node is None or depth > 32 or not is_dict(node):
        return out
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums) - 1, 2):
            out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []):
        number_tree(kid, out, depth + 1)
    return out


# ---- XMP ----------------------------------------------------------------

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}


def xmp_root(pdf):
    """The parsed XMP packet of the catalog's /Metadata, or None (and why)."""
    meta = pdf.Root.get("/Metadata")
    if meta is None or not isinstance(meta, Stream):
        return None, "the catalog has no /Metadata stream"
    try:
        data = meta.read_bytes()
        return ET.fromstring(data.strip().rstrip(b"\0")), ""
    except (ET.ParseError, pikepdf.PdfError) as e:
        return None, f"XMP is not well-formed XML: {e}"


def xmp_property(root, prefix, name):
    """The values of one XMP property (attribute or element form), as strings.

    rdf:Alt / rdf:Seq / rdf:Bag items are returned one by one."""
    if root is None:
        return []
    qname = "{%s}%s" % (NS[prefix], name)
    values = []
    for desc in root.iter("{%s}Description" % NS["rdf"]):
        if qname in desc.attrib:
            values.append(desc.attrib[qname])
        for el in desc.findall(qname):
            items = el.findall(".//{%s}li" % NS["rdf"])
            if items:
                values.extend((li.text or "") for li in items)
            else:
                values.append(el.text or "")
    return values


# ---- TrueType -----------------------------------------------------------

class TrueType:
    """The few tables of an embedded TrueType program the checkers read."""

    def __init__(self, data):
        self.tables = {}
        if len(data) < 12:
            raise ValueError("font program shorter than its header")
        ntables = struct.unpack(">H", data[4:6])[0]
        for i in range(ntables):
            rec = data[12 + 16 * i: 28 + 16 * i]
            if len(rec) < 16:
                raise ValueError("truncated table directory")
            tag, _, off, length = struct.unpack(">4sLLL", rec)
            self.tables[tag.decode("latin-1")] = data[off: off + length]
        head, maxp, hhea = (self.tables.get(t) for t in ("head", "maxp", "hhea"))
        if not head or not maxp or not hhea:
            raise ValueError("no head, maxp or hhea table")
        self.units_per_em = struct.unpack(">H", head[18:20])[0]
        self.num_glyphs = struct.unpack(">H", maxp[4:6])[0]
        nmetrics = struct.unpack(">H", hhea[34:36])[0]
        hmtx = self.tables.get("hmtx", b"")
        self.advances = [struct.unpack(">H", hmtx[4 * i: 4 * i + 2])[0]
                         for i in range(min(nmetrics, len(hmtx) // 4))]

    def advance(self, gid):
        """The advance width of a glyph in font units."""
        if not self.advances:
            return 0
        return self.advances[min(gid, len(self.advances) - 1)]

    def width1000(self, gid):
        """The advance width in PDF glyph space (1/1000 em)."""
        return self.advance(gid) * 1000.0 / self.units_per_em

    def cmap(self):
        """{code point: glyph id} from the Unicode cmap subtables (format 4, 12)."""
        data = self.tables.get("cmap")
        out = {}
        if not data:
            return out
        n = struct.unpack(">H", data[2:4])[0]
        subtables = []
        for i in range(n):
            pid, eid, off = struct.unpack(">HHL", data[4 + 8 * i: 12 + 8 * i])
            if (pid, eid) in ((3, 1), (3, 10), (0, 3), (0, 4), (0, 6)):
                subtables.append(off)
        for off in subtables:
            fmt = struct.unpack(">H", data[off: off + 2])[0]
            if fmt == 4:
                self._cmap4(data, off, out)
            elif fmt == 12:
                self._cmap12(data, off, out)
        return out

    @staticmethod
    def _cmap4(data, off, out):
        segx2 = struct.unpack(">H", data[off + 6: off + 8])[0]
        ends = off + 14
        starts = ends + segx2 + 2
        deltas = starts + segx2
        ranges = deltas + segx2
        for s in range(segx2 // 2):
            end, start = (struct.unpack(">H", data[p + 2 * s: p + 2 * s + 2])[0]
                          for p in (ends, starts))
            delta = struct.unpack(">h", data[deltas + 2 * s: deltas + 2 * s + 2])[0]
            roff = struct.unpack(">H", data[ranges + 2 * s: ranges + 2 * s + 2])[0]
            for c in range(start, end + 1):
                if c == 0xFFFF:
                    continue
                if roff == 0:
                    gid = (c + delta) & 0xFFFF
                else:
                    p = ranges + 2 * s + roff + 2 * (c - start)
                    gid = struct.unpack(">H", data[p: p + 2])[0]
                    gid = (gid + delta) & 0xFFFF if gid else 0
                if gid:
                    out.setdefault(c, gid)

    @staticmethod
    def _cmap12(data, off, out):
        ngroups = struct.unpack(">L", data[off + 12: off + 16])[0]
        for g in range(ngroups):
            start, end, gid = struct.unpack(">LLL", data[off + 16 + 12 * g: off + 28 + 12 * g])
            for c in range(start, end + 1):
                out.setdefault(c, gid + c - start)


# ---- ToUnicode CMaps ----------------------------------------------------

_CMAP_TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[|\]|(-?\d+)|([A-Za-z_][A-Za-z0-9_.]*)")


class ToUnicode:
    """A ToUnicode CMap: codespace ranges and code -> text mappings.

    Codes are (length in bytes, value) pairs; problems lists what could not be read."""

    def __init__(self, data):
        self.codespace = []   # (nbytes, lo, hi)
        self.map = {}         # (nbytes, code) -> str
        self.raw = {}         # (nbytes, code) -> list of UTF-16 code units
        self.problems = []
        self._parse(data)

    def _parse(self, data):
        toks = []
        for m in _CMAP_TOKEN.finditer(data):
            if m.group(1) is not None:
                toks.append(("hex", re.sub(rb"\s", b"", m.group(1))))
            elif m.group(0) in (b"[", b"]"):
                toks.append((m.group(0).decode(), None))
            elif m.group(2) is not None:
                toks.append(("int", int(m.group(2))))
            else:
                toks.append(("op", m.group(3).decode()))
        i = 0
        while i < len(toks):
            kind, val = toks[i]
            i += 1
            if kind != "op":
                continue
            if val == "begincodespacerange":
                i = self._section(toks, i, "endcodespacerange", self._codespace)
            elif val == "beginbfchar":
                i = self._section(toks, i, "endbfchar", self._bfchar)
            elif val == "beginbfrange":
                i = self._section(toks, i, "endbfrange", self._bfrange)
            elif val in ("begincidrange", "begincidchar", "beginnotdefrange"):
                self.problems.append(f"'{val}' in a ToUnicode CMap")
        for k, units in self.raw.items():
            try:
                self.map[k] = struct.pack(">%dH" % len(units), *[u & 0xFFFF for u in units]) \
                    .decode("utf-16-be")
            except (UnicodeDecodeError, struct.error):
                self.map[k] = None

    @staticmethod
    def _section(toks, i, end, handler):
        items = []
        while i < len(toks) and toks[i] != ("op", end):
            items.append(toks[i])
            i += 1
        handler(items)
        return i + 1

    def _codespace(self, items):
        for j in range(0, len(items) - 1, 2):
            lo, hi = items[j][1], items[j + 1][1]
            if items[j][0] == "hex" and items[j + 1][0] == "hex":
                self.codespace.append((len(lo) // 2, int(lo or b"0", 16), int(hi or b"0", 16)))

    def _put(self, hexcode, units, nbytes=None):
        nbytes = nbytes or len(hexcode) // 2
        self.raw[(nbytes, int(hexcode, 16) if isinstance(hexcode, bytes) else hexcode)] = units

    @staticmethod
    def _units(hexdst):
        return [int(hexdst[k: k + 4], 16) for k in range(0, len(hexdst) - 3, 4)] or [0]

    def _bfchar(self, items):
        for j in range(0, len(items) - 1, 2):
            (k1, src), (k2, dst) = items[j], items[j + 1]
            if k1 == "hex" and k2 == "hex":
                self._put(src, self._units(dst))
            else:
                self.problems.append("bfchar entry that is not <code> <unicode>")

    def _bfrange(self, items):
        j = 0
        while j + 2 < len(items):
            (k1, lo), (k2, hi) = items[j], items[j + 1]
            if k1 != "hex" or k2 != "hex":
                self.problems.append("bfrange entry that is not <lo> <hi> ...")
                return
            nbytes, a, b = len(lo) // 2, int(lo, 16), int(hi, 16)
            if items[j + 2][0] == "[":
                j += 3
                c = a
                while j < len(items) and items[j][0] != "]":
                    self._put(c, self._units(items[j][1]), nbytes)
                    c += 1
                    j += 1
                j += 1
            else:
                units = self._units(items[j + 2][1])
                for c in range(a, b + 1):
                    self._put(c, units[:-1] + [units[-1] + c - a], nbytes)
                j += 3


def cmap_for_bfchar(pairs):
    """A ToUnicode CMap (bytes) mapping 2-byte codes to text: [(code, str)]."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <FFFF>", b"endcodespacerange"]
    pairs = sorted(pairs)
    for start in range(0, len(pairs), 100):
        chunk = pairs[start: start + 100]
        lines.append(b"%d beginbfchar" % len(chunk))
        for code, text in chunk:
            lines.append(b"<%04X> <%s>" % (code, text.encode("utf-16-be").hex().upper().encode()))
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines) + b"\n"


# ---- fonts --------------------------------------------------------------

def font_codes(font, data):
    """Split a shown string into character codes for a font: [(nbytes, code)].

    Type 0 fonts with Identity-H/V use two-byte codes; simple fonts one byte.
    Returns None for a Type 0 font whose CMap the checkers do not decode."""
    if font.get("/Subtype") == Name.Type0:
        enc = font.get("/Encoding")
        if enc in (Name("/Identity-H"), Name("/Identity-V")):
            return [(2, (data[i] << 8) | data[i + 1]) for i in range(0, len(data) - 1, 2)]
        return None
    return [(1, b) for b in data]


def descendant(font):
    """The CIDFont of a Type 0 font, or the font itself."""
    if font.get("/Subtype") == Name.Type0:
        kids = font.get("/DescendantFonts")
        if kids is not None and len(kids):
            return kids[0]
    return font


def font_program(font):
    """(kind, stream) of the embedded font program, or (None, None)."""
    desc = descendant(font).get("/FontDescriptor")
    if desc is None:
        return None, None
    for k in ("/FontFile2", "/FontFile", "/FontFile3"):
        if k in desc:
            return k, desc[k]
    return None, None


def cid_widths(cidfont):
    """{cid: width} from a CIDFont's /W array, and its /DW."""
    widths = {}
    w = cidfont.get("/W", [])
    i = 0
    while i < len(w):
        first = int(w[i])
        if i + 1 < len(w) and isinstance(w[i + 1], Array):
            for n, v in enumerate(w[i + 1]):
                widths[first + n] = float(v)
            i += 2
        elif i + 2 < len(w):
            for c in range(first, int(w[i + 1]) + 1):
                widths[c] = float(w[i + 2])
            i += 3
        else:
            break
    return widths, float(cidfont.get("/DW", 1000))


def cid_to_gid(cidfont, cid):
    """The glyph id of a CID in a CIDFontType2 (Identity or a stream map)."""
    m = cidfont.get("/CIDToGIDMap")
    if m is None or m == Name.Identity:
        return cid
    if isinstance(m, Stream):
        data = m.read_bytes()
        if 2 * cid + 1 < len(data):
            return (data[2 * cid] << 8) | data[2 * cid + 1]
        return 0
    return cid


# ---- colour spaces ------------------------------------------------------

def colour_space(cs, resources, depth=0):
    """Classify a colour space: returns a dict with 'family' (gray, rgb, cmyk,
    lab, separation, devicen, pattern, indexed, unknown), 'n' components,
    'name' (for Separation), 'base' (classified base / alternate)."""
    if depth > 8:
        return {"family": "unknown", "n": 1}
    if isinstance(cs, Name):
        simple = {"/DeviceGray": ("gray", 1), "/G": ("gray", 1), "/DeviceRGB": ("rgb", 3),
                  "/RGB": ("rgb", 3), "/DeviceCMYK": ("cmyk", 4), "/CMYK": ("cmyk", 4),
                  "/Pattern": ("pattern", 1), "/CalRGB": ("rgb", 3), "/CalGray": ("gray", 1)}
        if str(cs) in simple:
            fam, n = simple[str(cs)]
            return {"family": fam, "n": n, "device": True}
        res = resources.get("/ColorSpace") if resources is not None else None
        if res is not None and cs in res:
            return colour_space(res[cs], resources, depth + 1)
        return {"family": "unknown", "n": 1, "why": f"undefined colour space {cs}"}
    if isinstance(cs, Array) and len(cs):
        kind = str(cs[0])
        if kind in ("/ICCBased",):
            n = int(cs[1].get("/N", 0))
            fam = {1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "unknown")
            return {"family": fam, "n": n, "icc": True}
        if kind in ("/CalRGB",):
            return {"family": "rgb", "n": 3}
        if kind in ("/CalGray",):
            return {"family": "gray", "n": 1}
        if kind == "/Lab":
            return {"family": "lab", "n": 3}
        if kind in ("/Indexed", "/I"):
            base = colour_space(cs[1], resources, depth + 1)
            return {"family": "indexed", "n": 1, "base": base}
        if kind == "/Separation":
            alt = colour_space(cs[2], resources, depth + 1)
            return {"family": "separation", "n": 1, "name": str(cs[1]), "base": alt}
        if kind == "/DeviceN":
            alt = colour_space(cs[2], resources, depth + 1)
            return {"family": "devicen", "n": len(cs[1]),
                    "names": [str(x) for x in cs[1]], "base": alt}
        if kind == "/Pattern":
            base = colour_space(cs[1], resources, depth + 1) if len(cs) > 1 else None
            return {"family": "pattern", "n": 1, "base": base}
        return colour_space(cs[0], resources, depth + 1)
    return {"family": "unknown", "n": 1}


def uses_rgb(cls):
    """True when a classified colour space is or rests on RGB."""
    if cls is None:
        return False
    if cls["family"] == "rgb":
        return True
    return uses_rgb(cls.get("base"))


# ---- content walking ----------------------------------------------------

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def mat_mul(m, n):
    """m then n (PDF order: a point is transformed by m, then by n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def apply(m, x, y):
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


TEXT_SHOW = {"Tj", "TJ", "'", '"'}
PATH_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
PATH_BUILD = {"m", "l", "c", "v", "y", "re", "h"}


class GState:
    __slots__ = ("ctm", "fill_cs", "stroke_cs", "fill", "stroke", "font", "render")

    def __init__(self):
        self.ctm = IDENTITY
        self.fill_cs = self.stroke_cs = {"family": "gray", "n": 1, "device": True}
        self.fill = self.stroke = [0.0]
        self.font = None
        self.render = 0

    def copy(self):
        g = GState()
        for s in GState.__slots__:
            setattr(g, s, getattr(self, s))
        return g


class Walker:
    """Walks page content and the form XObjects it draws, keeping the state
    the checkers need. Subclasses override the on_* hooks.

    where: a string naming the stream for messages ("page 3", "page 3 form /Fm0")."""

    MAX_DEPTH = 12

    def __init__(self, pdf):
        self.pdf = pdf
        self.errors = []

    # hooks
    def on_paint(self, kind, ctx):
        """kind: 'text', 'path', 'image', 'shading', 'inline-image'."""

    def on_marked(self, op, tag, props, ctx):
        """BMC/BDC (op 'begin') and EMC (op 'end'); props is a dict or None."""

    def on_form(self, form, ctx):
        """A form XObject about to be walked; return False to skip it."""
        return True

    def on_form_done(self, form, ctx):
        """A form XObject has been walked."""

    # driving
    def walk_page(self, page_obj, where):
        resources = inherited(page_obj, "/Resources")
        ctx = Ctx(where, page_obj, None, resources, GState())
        self._walk(page_obj, ctx, 0)

    def _walk(self, stream_or_page, ctx, depth):
        try:
            ops = pikepdf.parse_content_stream(stream_or_page)
        except (pikepdf.PdfError, ValueError) as e:
            self.errors.append(f"{ctx.where}: content stream cannot be parsed: {e}")
            return
        stack = []
        path = []
        for ins in ops:
            op = str(ins.operator)
            args = list(ins.operands)
            ctx.args = args
            ctx.op = op
            g = ctx.gs
            if op == "q":
                stack.append(g.copy())
            elif op == "Q":
                if stack:
                    ctx.gs = stack.pop()
            elif op == "cm" and len(args) == 6:
                g.ctm = mat_mul(tuple(float(a) for a in args), g.ctm)
            elif op in PATH_BUILD:
                pts = self._path_points(op, args, g.ctm)
                if op in ("m", "re") or not path:
                    path.append(pts)
                else:
                    path[-1].extend(pts)
            elif op in PATH_PAINT:
                ctx.path = path
                self.on_paint("path", ctx)
                path = []
            elif op == "n":
                path = []
            elif op in TEXT_SHOW:
                self.on_paint("text", ctx)
            elif op == "Tf" and len(args) == 2:
                fonts = ctx.resources.get("/Font") if ctx.resources is not None else None
                g.font = fonts.get(args[0]) if fonts is not None else None
                if g.font is None:
                    self.errors.append(f"{ctx.where}: font {args[0]} not in resources")
            elif op == "Tr" and args:
                g.render = int(args[0])
            elif op in ("cs", "CS") and args:
                cls = colour_space(args[0], ctx.resources)
                if op == "cs":
                    g.fill_cs, g.fill = cls, [0.0] * cls["n"]
                else:
                    g.stroke_cs, g.stroke = cls, [0.0] * cls["n"]
                self.on_colour_op(op, ctx)
            elif op in ("sc", "scn", "SC", "SCN"):
                vals = [float(a) for a in args if not isinstance(a, Name)]
                if op in ("sc", "scn"):
                    g.fill = vals
                else:
                    g.stroke = vals
                self.on_colour_op(op, ctx)
            elif op in ("g", "G", "rg", "RG", "k", "K"):
                fam = {"g": "gray", "rg": "rgb", "k": "cmyk"}[op.lower()]
                cls = {"family": fam, "n": len(args), "device": True}
                vals = [float(a) for a in args]
                if op.islower():
                    g.fill_cs, g.fill = cls, vals
                else:
                    g.stroke_cs, g.stroke = cls, vals
                self.on_colour_op(op, ctx)
            elif op in ("BMC", "BDC"):
                props = None
                if op == "BDC" and len(args) > 1:
                    props = args[1]
                    if isinstance(props, Name):
                        pr = ctx.resources.get("/Properties") if ctx.resources is not None else None
                        props = pr.get(props) if pr is not None else None
                self.on_marked("begin", str(args[0]) if args else None, props, ctx)
            elif op == "EMC":
                self.on_marked("end", None, None, ctx)
            elif op == "sh":
                self.on_paint("shading", ctx)
            elif op == "INLINE IMAGE":
                ctx.image = args[0] if args else None
                self.on_paint("inline-image", ctx)
            elif op == "Do" and args:
                self._do(args[0], ctx, depth)
        return

    def on_colour_op(self, op, ctx):
        """A colour operator (cs CS sc scn SC SCN g G rg RG k K) was met; the
        colour space and values are already in ctx.gs."""

    @staticmethod
    def _path_points(op, args, ctm):
        nums = [float(a) for a in args]
        if op == "re" and len(nums) == 4:
            x, y, w, h = nums
            pts = [(x, y), (x + w, y), (x, y + h), (x + w, y + h)]
        else:
            pts = [(nums[i], nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
        return [apply(ctm, x, y) for x, y in pts]

    def _do(self, name, ctx, depth):
        xobjs = ctx.resources.get("/XObject") if ctx.resources is not None else None
        xo = xobjs.get(name) if xobjs is not None else None
        if xo is None:
            self.errors.append(f"{ctx.where}: XObject {name} not in resources")
            return
        sub = xo.get("/Subtype")
        if sub == Name.Image:
            ctx.image = xo
            self.on_paint("image", ctx)
            return
        if sub != Name.Form:
            return
        if depth >= self.MAX_DEPTH:
            self.errors.append(f"{ctx.where}: form XObjects nested too deep")
            return
        if not self.on_form(xo, ctx):
            return
        g = ctx.gs.copy()
        if "/Matrix" in xo:
            g.ctm = mat_mul(tuple(float(a) for a in xo.Matrix), g.ctm)
        res = xo.get("/Resources", ctx.resources)
        sub_ctx = Ctx(f"{ctx.where} form {name}", ctx.page, xo, res, g)
        sub_ctx.parent = ctx
        self._walk(xo, sub_ctx, depth + 1)
        self.on_form_done(xo, sub_ctx)


class Ctx:
    """Where the walker is: the page, the form being drawn (stream), resources, state."""

    def __init__(self, where, page, stream, resources, gs):
        self.where = where
        self.page = page
        self.stream = stream
        self.resources = resources
        self.gs = gs
        self.args = []
        self.path = []      # the path being painted: one list of points per subpath
        self.image = None
        self.op = None
        self.parent = None
