#!/usr/bin/python3
"""pdfx_check.py - checks a print-shop PDF against PDF/X-4 (ISO 15930-7) as
chapbook writes it for `--print`: a CMYK output intent with its ICC profile,
no RGB anywhere, text and rules in black ink only (never rich black), marks
in the registration colour, no annotations, trim and bleed boxes, /ID,
Trapped, GTS_PDFXVersion in Info and XMP, PDF 1.6.

    /usr/bin/python3 tests/pdfx_check.py FILE.pdf [--bleed-mm 3] [--gs [--profile ICC]]

Prints "PASS X-<name> <what>" or "FAIL X-<name> <what>: <where>" per
condition and exits 1 when any fails (2 when the file cannot be read).
--gs adds a second opinion from Ghostscript (X-gs): pdfwrite in PDF/X mode
with the file's own output profile, failing on any "not permitted in PDF/X"
or "reverting to normal PDF" message. What each side can and cannot tell is
in README.md ("Checking the PDFs").
"""

import argparse
import os
import subprocess
import sys
import tempfile

import pikepdf
from pikepdf import Array, Name, Stream

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfcommon import (Ctx, Report, Walker, colour_space, font_program, inherited,  # noqa: E402
                       is_dict, key, rect, uses_rgb, xmp_property, xmp_root)

MM = 72 / 25.4
FILL_OPS = {"f", "F", "f*", "B", "B*", "b", "b*"}
STROKE_OPS = {"S", "s", "B", "B*", "b", "b*"}
RULE_MAX = 2.0           # a filled shape this thin (pt) is a rule
BOX_TOLERANCE = 0.05     # pt
DEF_PS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pdfx_def.ps")


def cmyk_of(cls, vals):
    """(c, m, y, k) for a DeviceCMYK / ICC CMYK / DeviceGray colour, else None."""
    if cls["family"] == "cmyk" and len(vals) == 4:
        return tuple(vals)
    if cls["family"] == "gray" and len(vals) == 1:
        return (0.0, 0.0, 0.0, 1.0 - vals[0])
    return None


def rich_black(cls, vals):
    """Why a colour is rich black for text or a rule, or None: black ink with
    other inks under it (K >= 50% with any C, M or Y), or all four inks."""
    c = cmyk_of(cls, vals)
    if c is None:
        return None
    cy, ma, ye, k = c
    if k >= 0.5 and cy + ma + ye > 0:
        return "%g %g %g %g" % c
    if k > 0 and cy > 0 and ma > 0 and ye > 0:
        return "%g %g %g %g" % c
    return None


def is_registration(cls):
    return cls["family"] == "separation" and cls.get("name") == "/All"


def describe(cls):
    if cls["family"] == "separation":
        return f"Separation {cls.get('name')}"
    return cls["family"] + (" (ICC)" if cls.get("icc") else "")


class Paint(Walker):
    """Walks every page for colour: RGB anywhere, rich black text and rules,
    the registration colour outside the trim and nowhere else."""

    def __init__(self, pdf):
        super().__init__(pdf)
        self.rgb, self.rich, self.registration = [], [], []
        self.trim = None
        self.text_colours = {}
        self.marks = 0
        self.seen_patterns = set()

    def walk_all(self):
        for n, page in enumerate(self.pdf.pages, 1):
            self.trim = rect(inherited(page.obj, "/TrimBox"))
            if self.trim is None:
                self.registration.append(f"page {n}: no TrimBox to tell marks from artwork")
            group = page.obj.get("/Group")
            if group is not None and uses_rgb(colour_space(group.get("/CS", Name.DeviceGray), None)):
                self.rgb.append(f"page {n}: transparency group in RGB")
            self.walk_page(page.obj, f"page {n}")

    def on_colour_op(self, op, ctx):
        g = ctx.gs
        cls = g.fill_cs if op.islower() else g.stroke_cs
        if op in ("rg", "RG"):
            self.rgb.append(f"{ctx.where}: {op} operator")
        elif op in ("cs", "CS", "sc", "scn", "SC", "SCN") and uses_rgb(cls):
            self.rgb.append(f"{ctx.where}: {op} in an {describe(cls)} colour space")
        if op in ("scn", "SCN") and ctx.args and isinstance(ctx.args[-1], Name):
            self._pattern(ctx.args[-1], ctx)

    def _pattern(self, name, ctx):
        pats = ctx.resources.get("/Pattern") if ctx.resources is not None else None
        pat = pats.get(name) if pats is not None else None
        if pat is None or key(pat) in self.seen_patterns:
            return
        self.seen_patterns.add(key(pat))
        if int(pat.get("/PatternType", 0)) == 2:
            sh = pat.get("/Shading")
            if sh is not None and uses_rgb(colour_space(sh.get("/ColorSpace"), ctx.resources)):
                self.rgb.append(f"{ctx.where}: shading pattern {name} in RGB")
        elif isinstance(pat, Stream):
            self.on_form(pat, ctx)
            self._do_stream(pat, name, ctx)

    def _do_stream(self, stream, name, ctx):
        sub = Ctx(f"{ctx.where} pattern {name}", ctx.page, stream,
                  stream.get("/Resources", ctx.resources), ctx.gs.copy())
        self._walk(stream, sub, 1)

    def on_form(self, form, ctx):
        group = form.get("/Group")
        if group is not None and "/CS" in group and uses_rgb(colour_space(group.CS, ctx.resources)):
            self.rgb.append(f"{ctx.where}: form transparency group in RGB")
        return True

    def on_paint(self, kind, ctx):
        if kind == "text":
            self._text(ctx)
        elif kind == "path":
            self._path(ctx)
        elif kind in ("image", "inline-image"):
            self._image(kind, ctx)
        elif kind == "shading":
            shs = ctx.resources.get("/Shading") if ctx.resources is not None else None
            sh = shs.get(ctx.args[0]) if shs is not None and ctx.args else None
            if sh is not None and uses_rgb(colour_space(sh.get("/ColorSpace"), ctx.resources)):
                self.rgb.append(f"{ctx.where}: shading in RGB")

    def _text(self, ctx):
        g = ctx.gs
        mode = g.render % 4
        used = []
        if mode in (0, 2):
            used.append((g.fill_cs, g.fill))
        if mode in (1, 2):
            used.append((g.stroke_cs, g.stroke))
        for cls, vals in used:
            label = describe(cls) + " " + " ".join("%g" % v for v in vals)
            self.text_colours[label] = self.text_colours.get(label, 0) + 1
            why = rich_black(cls, vals)
            if why:
                self.rich.append(f"{ctx.where}: text in {why}")
            if is_registration(cls):
                self.registration.append(f"{ctx.where}: text in the registration colour")

    def _outside_trim(self, pts):
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        t, e = self.trim, 0.01
        return (max(xs) <= t[0] + e or min(xs) >= t[2] - e or
                max(ys) <= t[1] + e or min(ys) >= t[3] - e)

    def _path(self, ctx):
        """Marks are paths whose every subpath lies outside the TrimBox; rules
        are strokes and fills thinner than RULE_MAX."""
        g, op = ctx.gs, ctx.op
        subpaths = [sp for sp in ctx.path if sp]
        if not subpaths:
            return
        outside = [self._outside_trim(sp) for sp in subpaths] if self.trim else [False]
        pts = [p for sp in subpaths for p in sp]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        thin = min(max(xs) - min(xs), max(ys) - min(ys)) <= RULE_MAX
        paints = []
        if op in FILL_OPS:
            paints.append(("fill", g.fill_cs, g.fill))
        if op in STROKE_OPS:
            paints.append(("stroke", g.stroke_cs, g.stroke))
        for what, cls, vals in paints:
            if all(outside):
                self.marks += len(subpaths)
                if not is_registration(cls):
                    self.registration.append(f"{ctx.where}: marks outside the trim in {describe(cls)}")
                continue
            if is_registration(cls):
                self.registration.append(f"{ctx.where}: {what} in the registration colour " +
                                         ("inside the trim" if self.trim else "and no TrimBox"))
            if what == "stroke" or thin:
                why = rich_black(cls, vals)
                if why:
                    self.rich.append(f"{ctx.where}: rule in {why}")

    def _image(self, kind, ctx):
        if kind == "inline-image":
            ii = ctx.image
            try:
                mask = ii.image_mask
                cs = None if mask else ii.obj.get("/CS", ii.obj.get("/ColorSpace"))
            except (AttributeError, pikepdf.PdfError):
                return
        else:
            xo = ctx.image
            mask = bool(xo.get("/ImageMask", False))
            cs = xo.get("/ColorSpace")
        if mask:
            if uses_rgb(ctx.gs.fill_cs):
                self.rgb.append(f"{ctx.where}: image mask painted in RGB")
            return
        if cs is None:
            if kind == "image" and ctx.image.get("/Filter") == Name.JPXDecode:
                self.rgb.append(f"{ctx.where}: JPEG 2000 image with its own colour space (not checked)")
            return
        if uses_rgb(colour_space(cs, ctx.resources)):
            self.rgb.append(f"{ctx.where}: {'inline ' if kind == 'inline-image' else ''}RGB image")


# ---- document-level checks ---------------------------------------------------

def check_output_intent(r, pdf):
    intents = [oi for oi in pdf.Root.get("/OutputIntents", []) if is_dict(oi) and oi.get("/S") == Name.GTS_PDFX]
    problems = []
    note = ""
    if len(intents) != 1:
        problems.append(f"{len(intents)} OutputIntents with /S /GTS_PDFX (want exactly one)")
    for oi in intents[:1]:
        ident = str(oi.get("/OutputConditionIdentifier", "")).strip()
        if not ident:
            problems.append("no OutputConditionIdentifier")
        if ident and ident != "Custom" and not str(oi.get("/RegistryName", "")).strip():
            problems.append(f"identifier {ident} without a RegistryName")
        prof = oi.get("/DestOutputProfile")
        if not isinstance(prof, Stream):
            problems.append("no embedded DestOutputProfile")
            continue
        problems += icc_problems(prof)
        note = f"{ident}, {len(prof.read_bytes())} byte profile"
    r.check("X-outputintent", "one GTS_PDFX OutputIntent: CMYK output profile (N 4) and condition",
            problems, note)


def icc_problems(prof):
    """What is wrong with an output intent's ICC profile (N = 4, an output
    profile for CMYK, a sane header)."""
    data = prof.read_bytes()
    n = int(prof.get("/N", 0))
    out = [] if n == 4 else [f"profile /N is {n}, not 4"]
    if len(data) < 128 or data[36:40] != b"acsp":
        return out + ["not an ICC profile (no 'acsp' signature)"]
    size = int.from_bytes(data[0:4], "big")
    if size != len(data):
        out.append(f"ICC header size {size} but {len(data)} bytes")
    if data[12:16] != b"prtr":
        out.append(f"profile class {data[12:16].decode('latin-1')!r}, not 'prtr' (output)")
    if data[16:20] != b"CMYK":
        out.append(f"colour space {data[16:20].decode('latin-1')!r}, not 'CMYK'")
    if data[20:24] not in (b"Lab ", b"XYZ "):
        out.append(f"connection space {data[20:24]!r}")
    if data[8] > 4:
        out.append(f"ICC version {data[8]}.x (PDF/X-4 allows up to 4)")
    return out


def check_pages(r, pdf, bleed):
    annots, boxes = [], []
    for n, page in enumerate(pdf.pages, 1):
        obj = page.obj
        if len(obj.get("/Annots", [])):
            kinds = sorted({str(a.get("/Subtype", "?")) for a in obj.Annots if is_dict(a)})
            annots.append(f"page {n}: {len(obj.Annots)} annotations ({', '.join(kinds)})")
        media = rect(inherited(obj, "/MediaBox"))
        trim = rect(obj.get("/TrimBox"))
        bb = rect(obj.get("/BleedBox"))
        crop = rect(inherited(obj, "/CropBox")) or media
        if trim is None:
            boxes.append(f"page {n}: no TrimBox")
            continue
        if bb is None:
            boxes.append(f"page {n}: no BleedBox")
            continue
        want = (trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed)
        if any(abs(a - b) > BOX_TOLERANCE for a, b in zip(bb, want)):
            boxes.append(f"page {n}: BleedBox {fmt(bb)} is not the TrimBox {fmt(trim)} "
                         f"plus {bleed / MM:g} mm ({bleed:.3f} pt)")
        if not inside(bb, crop) or not inside(bb, media):
            boxes.append(f"page {n}: BleedBox {fmt(bb)} is not inside the MediaBox/CropBox {fmt(media)}")
    r.check("X-annots", "no annotations", annots)
    r.check("X-boxes", f"TrimBox, BleedBox = TrimBox + {bleed / MM:g} mm, inside the MediaBox", boxes,
            f"{len(pdf.pages)} pages")


def inside(a, b):
    return (a[0] >= b[0] - BOX_TOLERANCE and a[1] >= b[1] - BOX_TOLERANCE and
            a[2] <= b[2] + BOX_TOLERANCE and a[3] <= b[3] + BOX_TOLERANCE)


def fmt(box):
    return "[" + " ".join("%.2f" % v for v in box) + "]"


def check_document(r, pdf):
    ids = pdf.trailer.get("/ID")
    r.check("X-id", "the trailer has an /ID",
            [] if isinstance(ids, Array) and len(ids) == 2 else ["no /ID in the trailer"])
    info = pdf.docinfo
    problems = []
    trapped = info.get("/Trapped")
    if trapped not in (Name("/False"), Name("/True")):
        problems.append(f"/Trapped is {trapped if trapped is not None else 'missing'} (want /False or /True)")
    version = str(info.get("/GTS_PDFXVersion", ""))
    if version != "PDF/X-4":
        problems.append(f"/GTS_PDFXVersion is {version or 'missing'!r}")
    for k in ("/Title", "/CreationDate", "/ModDate"):
        if not str(info.get(k, "")).strip():
            problems.append(f"no {k}")
    r.check("X-info", "Info: Trapped, GTS_PDFXVersion (PDF/X-4), Title and dates", problems,
            f"Trapped {trapped}")
    root, why = xmp_root(pdf)
    problems = [] if root is not None else [why]
    xv = xmp_property(root, "pdfxid", "GTS_PDFXVersion")
    if xv != ["PDF/X-4"]:
        problems.append(f"pdfxid:GTS_PDFXVersion is {xv or 'missing'}")
    xt = xmp_property(root, "pdf", "Trapped")
    if trapped is not None and xt != [str(trapped)[1:]]:
        problems.append(f"pdf:Trapped {xt or 'missing'} does not match Info /Trapped {trapped}")
    for prefix, prop in (("dc", "title"), ("xmp", "CreateDate"), ("xmp", "ModifyDate")):
        if not [v for v in xmp_property(root, prefix, prop) if v.strip()]:
            problems.append(f"no {prefix}:{prop}")
    r.check("X-xmp", "XMP: pdfxid:GTS_PDFXVersion PDF/X-4, pdf:Trapped, dc:title, dates", problems)
    v = tuple(int(x) for x in pdf.pdf_version.split("."))
    r.check("X-version", "PDF 1.6 (PDF/X-4 is defined on PDF 1.6)",
            [] if v == (1, 6) else [f"PDF {pdf.pdf_version}"], f"PDF {pdf.pdf_version}")
    r.check("X-encryption", "not encrypted", ["the file is encrypted"] if pdf.is_encrypted else [])
    actions = []
    if "/OpenAction" in pdf.Root and is_dict(pdf.Root.OpenAction) and \
            pdf.Root.OpenAction.get("/S") == Name.JavaScript:
        actions.append("JavaScript /OpenAction")
    if "/AA" in pdf.Root:
        actions.append("catalog /AA")
    if "/Names" in pdf.Root and "/JavaScript" in pdf.Root.Names:
        actions.append("document JavaScript")
    r.check("X-actions", "no JavaScript or additional actions", actions)


def check_fonts(r, pdf):
    missing = {}
    for n, page in enumerate(pdf.pages, 1):
        for res in resource_dicts(page.obj):
            for name, font in res.get("/Font", {}).items():
                if font.get("/Subtype") == Name.Type3:
                    continue
                kind, _ = font_program(font)
                if kind is None:
                    missing[key(font)] = f"page {n}: {str(font.get('/BaseFont', name))[1:]} not embedded"
    r.check("X-fonts", "every font is embedded", list(missing.values()))


def resource_dicts(page_obj):
    """The page's resources and those of the forms it uses, transitively."""
    first = inherited(page_obj, "/Resources")
    todo, seen = [first] if first is not None else [], set()
    while todo:
        res = todo.pop()
        if key(res) in seen:
            continue
        seen.add(key(res))
        yield res
        for _, xo in res.get("/XObject", {}).items():
            if xo.get("/Subtype") == Name.Form and "/Resources" in xo:
                todo.append(xo.Resources)


def check_colour(r, pdf):
    paint = Paint(pdf)
    paint.walk_all()
    r.check("X-rgb", "no RGB: no rg/RG, no sc/scn in RGB spaces, no RGB images (forms included)",
            paint.rgb + paint.errors)
    colours = ", ".join(f"{c} x{n}" for c, n in sorted(paint.text_colours.items()))
    r.check("X-richblack", "text and rules in black ink only, never rich black", paint.rich,
            f"text colours: {colours}" if colours else "no text")
    r.check("X-registration", "marks outside the trim in Separation /All, and nothing else in it",
            paint.registration, f"{paint.marks} mark strokes")


# ---- Ghostscript's opinion -------------------------------------------------------

GS_BAD = ("not permitted in PDF/X", "reverting to normal PDF", "aborting conversion", "Error", "error:")


def check_gs(r, pdf, path, fallback_profile=None):
    """Runs gs -dPDFX (pdfwrite) over the file with its own output profile
    (or fallback_profile when it has none)."""
    oi = [o for o in pdf.Root.get("/OutputIntents", []) if is_dict(o) and o.get("/S") == Name.GTS_PDFX]
    prof = oi[0].get("/DestOutputProfile") if oi else None
    if isinstance(prof, Stream):
        data = prof.read_bytes()
    elif fallback_profile:
        with open(fallback_profile, "rb") as f:
            data = f.read()
    else:
        r.check("X-gs", "Ghostscript -dPDFX accepts the file",
                ["no output profile to give Ghostscript (see --profile)"])
        return
    with tempfile.TemporaryDirectory() as tmp:
        icc = os.path.join(tmp, "output.icc")
        with open(icc, "wb") as f:
            f.write(data)
        cmd = ["gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", f"--permit-file-read={icc}",
               "-dPDFX", "-sDEVICE=pdfwrite", "-sColorConversionStrategy=CMYK",
               f"-sPDFXProfile={icc}", f"-sOutputFile={os.path.join(tmp, 'out.pdf')}",
               DEF_PS, os.path.abspath(path)]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as e:
            r.check("X-gs", "Ghostscript -dPDFX accepts the file", [f"gs did not run: {e}"])
            return
    said = [ln.strip() for ln in (p.stdout + p.stderr).splitlines() if ln.strip()]
    bad = [ln for ln in said if any(b in ln for b in GS_BAD)]
    if p.returncode != 0:
        bad.append(f"gs exited {p.returncode}")
    # gs splits its messages over two lines; show each whole
    joined = [" ".join(said[max(0, said.index(b) - 1): said.index(b) + 1]) for b in bad if b in said]
    r.check("X-gs", "Ghostscript -dPDFX accepts the file (no 'reverting to normal PDF')",
            joined or bad, "gs pdfwrite, PDF/X-3 mode")


# ---- main -------------------------------------------------------------------------

def run(path, bleed_mm=3.0, gs=False, profile=None, out=sys.stdout):
    """Checks one file; returns the Report."""
    r = Report(out)
    pdf = pikepdf.open(path)
    check_output_intent(r, pdf)
    check_colour(r, pdf)
    check_pages(r, pdf, bleed_mm * MM)
    check_document(r, pdf)
    check_fonts(r, pdf)
    if gs:
        check_gs(r, pdf, path, profile)
    return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf")
    ap.add_argument("--bleed-mm", type=float, default=3.0, help="the bleed (default 3 mm)")
    ap.add_argument("--gs", action="store_true", help="also ask Ghostscript (gs -dPDFX)")
    ap.add_argument("--profile", help="CMYK profile for Ghostscript when the file has no output intent")
    a = ap.parse_args(argv)
    try:
        r = run(a.pdf, a.bleed_mm, a.gs, a.profile)
    except (pikepdf.PdfError, OSError) as e:
        print(f"pdfx_check: {a.pdf}: {e}", file=sys.stderr)
        return 2
    r.finish()
    return r.status()


if __name__ == "__main__":
    sys.exit(main())
