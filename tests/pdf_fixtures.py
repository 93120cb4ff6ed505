#!/usr/bin/python3
"""Small PDFs written by hand with pikepdf to test the checkers themselves:
a tagged PDF/UA-1 document ("ua") and a PDF/X-4 print file ("x4"), each
conforming, and broken variants of them, one per condition a checker must
catch (BREAKS below: variant name -> the condition it must FAIL).

    pdf_fixtures.py ua OUT.pdf [--break NAME] [--font TTF]
    pdf_fixtures.py x4 OUT.pdf --profile ICC [--break NAME] [--font TTF]
    pdf_fixtures.py breaks ua|x4     # one line per variant: NAME CONDITION

The font (default fonts/CharisSIL-Regular.ttf) is embedded whole as a Type 0
font with Identity-H codes (glyph ids) and a ToUnicode CMap, as chapbook does.
Run with /usr/bin/python3 (Debian's python3-pikepdf).
"""

import argparse
import os
import sys

import pikepdf
from pikepdf import Array, Dictionary, Name, String

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfcommon import TrueType, cmap_for_bfchar  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FONT = os.path.join(TOP, "fonts", "CharisSIL-Regular.ttf")
MM = 72 / 25.4

# variant -> the condition the checker must report as FAIL
BREAKS = {
    "ua": {
        "untagged-text": "01-005",
        "untagged-path": "01-005",
        "mcid-not-in-tree": "01-005",
        "artifact-in-tagged": "01-003",
        "tagged-in-artifact": "01-004",
        "suspects": "01-007",
        "rolemap-missing": "02-001",
        "rolemap-circular": "02-003",
        "rolemap-standard": "02-004",
        "no-xmp": "06-001",
        "no-pdfuaid": "06-002",
        "no-dc-title": "06-003",
        "no-displaydoctitle": "07-001",
        "displaydoctitle-false": "07-002",
        "td-outside-tr": "09-004",
        "lbody-in-l": "09-005",
        "toci-link-direct": "09-006",
        "unmapped-code": "10-001",
        "no-lang": "11-001",
        "figure-no-alt": "13-004",
        "first-heading-h2": "14-002",
        "skipped-heading": "14-003",
        "h-and-hn": "14-007",
        "text-annot-not-in-annot": "28-002",
        "text-annot-no-contents": "28-004",
        "no-tabs": "28-008",
        "tabs-r": "28-009",
        "link-no-structparent": "28-011",
        "link-in-span": "28-011",
        "link-no-contents": "28-012",
        "reference-xobject": "30-001",
        "form-mcid-twice": "30-002",
        "cidtogidmap-bad": "31-004",
        "no-cidtogidmap": "31-005",
        "font-not-embedded": "31-009",
        "glyph-missing": "31-011",
        "wrong-width": "31-016",
        "no-tounicode": "31-027",
        "tounicode-zero": "31-028",
        "tounicode-fffe": "31-029",
        "notdef": "31-030",
        "no-markinfo": "struct-markinfo",
        "no-document": "struct-document",
        "parenttree-wrong": "struct-parenttree",
        "li-without-lbl": "struct-lists",
        "no-bibentry": "struct-bibentry",
        "no-toc": "struct-toc",
        "pdf-1.4": "meta-version",
        "no-dc-creator": "meta-xmp",
    },
    "x4": {
        "rgb-text": "X-rgb",
        "rgb-stroke": "X-rgb",
        "rgb-in-form": "X-rgb",
        "iccrgb-scn": "X-rgb",
        "rgb-image": "X-rgb",
        "rgb-separation-alt": "X-rgb",
        "rich-black-text": "X-richblack",
        "rich-black-rule": "X-richblack",
        "marks-cmyk": "X-registration",
        "registration-in-trim": "X-registration",
        "annotation": "X-annots",
        "no-trimbox": "X-boxes",
        "bleed-2mm": "X-boxes",
        "bleed-outside-media": "X-boxes",
        "no-outputintent": "X-outputintent",
        "profile-rgb": "X-outputintent",
        "no-condition-id": "X-outputintent",
        "no-id": "X-id",
        "no-trapped": "X-info",
        "no-gts-version": "X-info",
        "no-xmp-pdfxid": "X-xmp",
        "version-1.4": "X-version",
        "font-not-embedded": "X-fonts",
        "encrypted": "X-encryption",
    },
}


# ---- shared pieces --------------------------------------------------------

class Font:
    """A TrueType file embedded as Type 0 / CIDFontType2, Identity-H, CID = GID."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        self.tt = TrueType(self.data)
        self.cmap = self.tt.cmap()
        self.used = {}  # gid -> text

    def encode(self, text):
        """The hex string (for a content stream) of text in glyph ids."""
        out = []
        for ch in text:
            gid = self.cmap.get(ord(ch))
            if gid is None:
                raise ValueError(f"the fixture font has no glyph for {ch!r}")
            self.used[gid] = ch
            out.append("%04X" % gid)
        return "<" + "".join(out) + ">"

    def raw(self, gid):
        """The hex string of one glyph id, with no Unicode meaning recorded."""
        return "<%04X>" % gid

    def objects(self, pdf, brk=None):
        """The Type 0 font dictionary for everything encoded so far."""
        gids = sorted(self.used)
        w = Array()
        for gid in gids:
            width = round(self.tt.width1000(gid))
            if brk == "wrong-width" and gid == gids[0]:
                width += 100
            w.extend([gid, Array([width])])
        desc = Dictionary(Type=Name.FontDescriptor, FontName=Name("/CharisSIL"),
                          Flags=32, FontBBox=Array([-500, -300, 1500, 1000]),
                          ItalicAngle=0, Ascent=800, Descent=-250, CapHeight=650, StemV=80)
        if brk != "font-not-embedded":
            desc.FontFile2 = pdf.make_stream(self.data)
        cid = Dictionary(Type=Name.Font, Subtype=Name.CIDFontType2,
                         BaseFont=Name("/CharisSIL"),
                         CIDSystemInfo=Dictionary(Registry=String("Adobe"),
                                                  Ordering=String("Identity"), Supplement=0),
                         FontDescriptor=pdf.make_indirect(desc), W=w, DW=1000)
        if brk == "cidtogidmap-bad":
            cid.CIDToGIDMap = Name("/Glyphs")
        elif brk != "no-cidtogidmap":
            cid.CIDToGIDMap = Name.Identity
        font = Dictionary(Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/CharisSIL"),
                          Encoding=Name("/Identity-H"), DescendantFonts=Array([pdf.make_indirect(cid)]))
        if brk != "no-tounicode":
            pairs = [(g, t) for g, t in self.used.items()]
            if brk == "unmapped-code":
                pairs = pairs[1:]
            elif brk == "tounicode-zero":
                pairs[0] = (pairs[0][0], "\0")
            elif brk == "tounicode-fffe":
                pairs[0] = (pairs[0][0], "\ufffe")
            font.ToUnicode = pdf.make_stream(cmap_for_bfchar(pairs))
        return pdf.make_indirect(font)


def text(font, size, x, y, s):
    return f"BT /F1 {size} Tf {x:.2f} {y:.2f} Td {font.encode(s)} Tj ET\n"


def xmp_packet(props):
    """An XMP packet holding the given properties: {qualified name: value};
    dc:title/dc:creator/dc:language values are written as rdf:Alt/Seq/Bag."""
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
          "pdfxid": "http://www.npes.org/pdfx/ns/id/", "pdf": "http://ns.adobe.com/pdf/1.3/",
          "xmp": "http://ns.adobe.com/xap/1.0/"}
    used = sorted({k.split(":")[0] for k in props})
    decl = " ".join(f'xmlns:{p}="{ns[p]}"' for p in used)
    body = []
    for k, v in props.items():
        if k == "dc:title":
            body.append(f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{v}</rdf:li></rdf:Alt></dc:title>')
        elif k == "dc:creator":
            body.append(f"<dc:creator><rdf:Seq><rdf:li>{v}</rdf:li></rdf:Seq></dc:creator>")
        elif k == "dc:language":
            body.append(f"<dc:language><rdf:Bag><rdf:li>{v}</rdf:li></rdf:Bag></dc:language>")
        else:
            body.append(f"<{k}>{v}</{k}>")
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description rdf:about="" {decl}>' + "".join(body) +
            "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
            '<?xpacket end="w"?>').encode("utf-8")


def metadata_stream(pdf, props):
    return pdf.make_stream(xmp_packet(props), Type=Name.Metadata, Subtype=Name("/XML"))


def new_page(pdf, box, content, font, extra_res=None):
    res = Dictionary(Font=Dictionary(F1=font))
    for k, v in (extra_res or {}).items():
        res[k] = v
    page = pdf.make_indirect(Dictionary(Type=Name.Page, MediaBox=Array(box), Resources=res,
                                        Contents=pdf.make_stream(content.encode("latin-1"))))
    pdf.pages.append(pikepdf.Page(page))
    return pdf.pages[-1].obj


# ---- the tagged (PDF/UA-1) fixture -----------------------------------------

class Tree:
    """Builds a structure tree and its ParentTree as content is tagged."""

    def __init__(self, pdf, root_type="Document"):
        self.pdf = pdf
        self.root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array()))
        self.parents = {}   # ParentTree key -> elem or Array
        self.next_key = 0
        self.doc = self.elem(root_type, self.root)

    def elem(self, s, parent, **extra):
        e = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + s), P=parent, K=Array()))
        for k, v in extra.items():
            e["/" + k] = v
        parent.K.append(e)
        return e

    def page_key(self, page, count):
        """Gives a page its /StructParents and an array for its MCIDs."""
        page.StructParents = self.next_key
        arr = Array([None] * count)
        self.parents[self.next_key] = arr
        self.next_key += 1
        return arr

    def mcid(self, e, page, arr, mcid):
        e.K.append(mcid)
        e.Pg = page
        arr[mcid] = e

    def form_mcid(self, e, page, form, mcid):
        """Tags marked content inside a form XObject (an MCR with /Stm)."""
        e.K.append(Dictionary(Type=Name.MCR, Pg=page, Stm=form, MCID=mcid))
        form.StructParents = self.next_key
        self.parents[self.next_key] = Array([e])
        self.next_key += 1

    def objr(self, e, annot, page):
        e.K.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=page))
        annot.StructParent = self.next_key
        self.parents[self.next_key] = e
        self.next_key += 1

    def finish(self):
        nums = Array()
        for k in sorted(self.parents):
            nums.extend([k, self.parents[k]])
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=nums))
        self.root.ParentTreeNextKey = self.next_key
        return self.root


def link_annot(pdf, rect, brk, action, contents):
    a = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array(rect), Border=Array([0, 0, 0]),
                   A=action)
    if brk != "link-no-contents":
        a.Contents = String(contents)
    return pdf.make_indirect(a)


def ua_page1(pdf, font, tree, sect, brk):
    """Cover-like page: title, a paragraph over two lines, a rule (artifact), the contents."""
    h1 = "H2" if brk == "first-heading-h2" else "H1"
    title_tag = "Standfirst"
    c = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n" + text(font, 9, 200, 30, "1") + "EMC\n"
    c += f"/{h1} <</MCID 0>> BDC\n" + text(font, 18, 50, 540, "A tiny tagged booklet") + "EMC\n"
    c += f"/{title_tag} <</MCID 1>> BDC\n"
    if brk == "artifact-in-tagged":
        c += "/Artifact BMC 0 0 0 RG 50 520 m 60 520 l S EMC\n"
    c += text(font, 11, 50, 510, "The first sentence of the fixture, which ")
    c += text(font, 11, 50, 496, "runs on to a second line. A second sentence.") + "EMC\n"
    c += "/Artifact BMC 0 0 0 RG 1 w 50 480 m 370 480 l S EMC\n"
    c += "/Link <</MCID 2>> BDC\n" + text(font, 11, 50, 460, "Contents: A section") + "EMC\n"
    if brk == "untagged-text":
        c += text(font, 11, 50, 440, "Loose text")
    if brk == "untagged-path":
        c += "0 0 0 rg 50 430 100 1 re f\n"
    if brk == "mcid-not-in-tree":
        c += "/P <</MCID 3>> BDC\n" + text(font, 11, 50, 440, "Lost") + "EMC\n"
    if brk == "tagged-in-artifact":
        c += "/Artifact BMC\n/P <</MCID 3>> BDC\n" + text(font, 11, 50, 440, "Hidden") + "EMC\nEMC\n"
    if brk == "figure-no-alt":
        c += "/Figure <</MCID 3>> BDC 0 0 0 rg 50 400 20 20 re f EMC\n"
    if brk == "notdef":
        c += "/Artifact BMC BT /F1 11 Tf 50 380 Td " + font.raw(0) + " Tj ET EMC\n"
    if brk == "glyph-missing":
        c += "/Artifact BMC BT /F1 11 Tf 50 380 Td " + font.raw(font.tt.num_glyphs + 5) + " Tj ET EMC\n"
    extra = {}
    if brk in ("form-mcid-twice", "reference-xobject"):
        form = pdf.make_stream(b"0 0 0 rg 0 0 10 10 re f", Type=Name.XObject, Subtype=Name.Form,
                               BBox=Array([0, 0, 10, 10]))
        if brk == "reference-xobject":
            form.Ref = Dictionary(F=String("other.pdf"), Page=0)
            c += "/Artifact BMC /Fm0 Do EMC\n"
        else:
            form.write(b"/P <</MCID 0>> BDC 0 0 0 rg 0 0 10 10 re f EMC")
            c += "q 1 0 0 1 50 380 cm /Fm0 Do Q q 1 0 0 1 70 380 cm /Fm0 Do Q\n"
        extra["/XObject"] = Dictionary(Fm0=pdf.make_indirect(form))
    page = new_page(pdf, [0, 0, 420, 595], c, font_placeholder(pdf), extra)
    arr = tree.page_key(page, 4 if brk in ("figure-no-alt",) else 3)
    tree.mcid(tree.elem(h1, sect), page, arr, 0)
    standfirst = tree.elem(title_tag, sect)
    tree.mcid(standfirst, page, arr, 1)
    if brk == "figure-no-alt":
        tree.mcid(tree.elem("Figure", sect), page, arr, 3)
    if brk == "no-toc":
        link = tree.elem("Link", tree.elem("P", sect))
    elif brk == "toci-link-direct":
        link = tree.elem("Link", tree.elem("TOCI", tree.elem("TOC", sect)))
    else:
        link = tree.elem("Link" if brk != "link-in-span" else "Span",
                         tree.elem("Reference", tree.elem("TOCI", tree.elem("TOC", sect))))
    tree.mcid(link, page, arr, 2)
    if brk == "form-mcid-twice":
        tree.form_mcid(tree.elem("P", sect), page, page.Resources.XObject.Fm0, 0)
    return page, link


def font_placeholder(pdf):
    """The font dictionary is written once all text is known (fixed up in finish)."""
    return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type0))


def ua_page2(pdf, font, tree, sect, brk):
    """A section with a numbered list (one item has a web link) and a bibliography."""
    h2 = "H3" if brk == "skipped-heading" else "H2"
    c = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n" + text(font, 9, 200, 30, "2") + "EMC\n"
    c += f"/{h2} <</MCID 0>> BDC\n" + text(font, 14, 50, 540, "A section") + "EMC\n"
    c += "/Lbl <</MCID 1>> BDC\n" + text(font, 11, 50, 515, "1.") + "EMC\n"
    c += "/LBody <</MCID 2>> BDC\n" + text(font, 11, 70, 515, "The first item of the list.") + "EMC\n"
    c += "/Lbl <</MCID 3>> BDC\n" + text(font, 11, 50, 500, "2.") + "EMC\n"
    c += "/LBody <</MCID 4>> BDC\n" + text(font, 11, 70, 500, "The second item, with a link:") + "EMC\n"
    c += "/Link <</MCID 5>> BDC\n" + text(font, 11, 70, 486, "example.org") + "EMC\n"
    c += "/H2 <</MCID 6>> BDC\n" + text(font, 14, 50, 450, "References") + "EMC\n"
    c += "/BibEntry <</MCID 7>> BDC\n" + text(font, 10, 50, 430, "Author, A. (2020) A title. Publisher.") + "EMC\n"
    page = new_page(pdf, [0, 0, 420, 595], c, font_placeholder(pdf))
    arr = tree.page_key(page, 8)
    tree.mcid(tree.elem(h2, sect), page, arr, 0)
    lst = tree.elem("L", sect, A=Dictionary(O=Name.List, ListNumbering=Name.Decimal))
    for n, (lbl, body) in enumerate(((1, 2), (3, 4))):
        li = tree.elem("LI", lst)
        if not (brk == "li-without-lbl" and n == 0):
            tree.mcid(tree.elem("Lbl", li), page, arr, lbl)
        lbody = tree.elem("LBody", lst if (brk == "lbody-in-l" and n == 0) else li)
        tree.mcid(lbody, page, arr, body)
        if n == 1:
            link = tree.elem("Link", lbody)
            tree.mcid(link, page, arr, 5)
    tree.mcid(tree.elem("H2", sect), page, arr, 6)
    bib = tree.elem("L", sect)
    entry = tree.elem("LBody", tree.elem("LI", bib))
    tree.mcid(tree.elem("BibEntry" if brk != "no-bibentry" else "P", entry), page, arr, 7)
    if brk == "h-and-hn":
        tree.elem("H", sect)
    if brk == "td-outside-tr":
        tree.elem("TD", tree.elem("Table", sect))
    return page, link


def build_ua(font_path, brk=None):
    """The tagged fixture: two pages, PDF 1.7, every PDF/UA-1 key chapbook writes."""
    pdf = pikepdf.new()
    font = Font(font_path)
    tree = Tree(pdf, "Document" if brk != "no-document" else "Sect")
    p1, toc_link = ua_page1(pdf, font, tree, tree.elem("Sect", tree.doc), brk)
    p2, web_link = ua_page2(pdf, font, tree, tree.elem("Sect", tree.doc), brk)
    a1 = link_annot(pdf, [50, 455, 200, 472], brk,
                    Dictionary(S=Name.GoTo, D=Array([p2, Name.Fit])), "Go to A section, page 2")
    a2 = link_annot(pdf, [70, 482, 140, 498], brk,
                    Dictionary(S=Name.URI, URI=String("https://example.org/")), "https://example.org/")
    p1.Annots, p2.Annots = Array([a1]), Array([a2])
    if brk == "link-no-structparent":
        tree.objr(toc_link, a1, p1)
        del a1["/StructParent"]
    else:
        tree.objr(toc_link, a1, p1)
    tree.objr(web_link, a2, p2)
    if brk in ("text-annot-not-in-annot", "text-annot-no-contents"):
        note = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Text,
                                            Rect=Array([300, 500, 320, 520])))
        if brk == "text-annot-not-in-annot":
            note.Contents = String("A note")
            tree.objr(tree.elem("P", tree.doc.K[1]), note, p2)
        else:
            tree.objr(tree.elem("Annot", tree.doc.K[1]), note, p2)
        p2.Annots.append(note)
    for p in (p1, p2):
        if brk == "tabs-r":
            p.Tabs = Name.R
        elif brk != "no-tabs":
            p.Tabs = Name.S
    root = tree.finish()
    if brk == "parenttree-wrong":
        root.ParentTree.Nums[1][1] = root.ParentTree.Nums[1][0]
    roles = {"rolemap-missing": None,
             "rolemap-circular": Dictionary(Standfirst=Name("/Intro"), Intro=Name("/Standfirst")),
             "rolemap-standard": Dictionary(Standfirst=Name.P, P=Name("/Span"))}
    rolemap = roles.get(brk, Dictionary(Standfirst=Name.P))
    if rolemap is not None:
        root.RoleMap = rolemap
    ua_catalog(pdf, root, brk)
    fix_fonts(pdf, font, brk)
    return pdf, ("1.4" if brk == "pdf-1.4" else "1.7")


def ua_catalog(pdf, root, brk):
    pdf.Root.StructTreeRoot = root
    if brk != "no-markinfo":
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        if brk == "suspects":
            pdf.Root.MarkInfo.Suspects = True
    if brk != "no-lang":
        pdf.Root.Lang = String("en-GB")
    if brk == "displaydoctitle-false":
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=False)
    elif brk != "no-displaydoctitle":
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    props = {"dc:title": "A tiny tagged booklet", "dc:creator": "chapbook tests",
             "dc:language": "en-GB", "pdfuaid:part": "1"}
    for b, k in (("no-pdfuaid", "pdfuaid:part"), ("no-dc-title", "dc:title"),
                 ("no-dc-creator", "dc:creator")):
        if brk == b:
            del props[k]
    if brk != "no-xmp":
        pdf.Root.Metadata = metadata_stream(pdf, props)
    pdf.docinfo.Title = String("A tiny tagged booklet")


def fix_fonts(pdf, font, brk):
    """Writes the real font dictionary where the pages' placeholders are."""
    real = font.objects(pdf, brk)
    for page in pdf.pages:
        page.obj.Resources.Font.F1 = real
        for _, xo in page.obj.Resources.get("/XObject", Dictionary()).items():
            if xo.get("/Subtype") == Name.Form:
                xo.Resources = Dictionary(Font=Dictionary(F1=real))


# ---- the PDF/X-4 fixture ---------------------------------------------------

BLEED = 3 * MM


def x4_content(font, brk, trim):
    x0, y0, x1, y1 = trim
    rich = "0.6 0.5 0.5 1"
    body_k = "0.1 0.1 0.1 rg" if brk == "rgb-text" else (rich + " k" if brk == "rich-black-text" else "0 0 0 1 k")
    c = "q 0 0.55 0.2 0.45 k %.3f %.3f %.3f %.3f re f Q\n" % (x0 - BLEED, y1 - 120, x1 - x0 + 2 * BLEED, 120 + BLEED)
    c += "q 0 0 0 0 k " + text(font, 20, x0 + 30, y1 - 70, "A print fixture") + "Q\n"
    c += "q " + body_k + " " + text(font, 10, x0 + 30, y1 - 160, "Body text is set in black ink only.") + "Q\n"
    c += "q 0.8 g " + text(font, 10, x0 + 30, y1 - 175, "Grey text is a tint of black.") + "Q\n"
    rule = {"rgb-stroke": "0 0 0 RG", "rich-black-rule": rich + " K"}.get(brk, "0 0 0 1 K")
    c += f"q {rule} 0.5 w {x0 + 30:.2f} {y1 - 185:.2f} m {x1 - 30:.2f} {y1 - 185:.2f} l S Q\n"
    c += f"q 1 0 0 1 {x0 + 30:.2f} {y0 + 60:.2f} cm /Fm0 Do Q\n"
    c += f"q 40 0 0 20 {x0 + 30:.2f} {y0 + 100:.2f} cm /Im0 Do Q\n"
    if brk == "iccrgb-scn":
        c += "q /CSrgb cs 0.2 0.3 0.4 scn " + text(font, 10, x0 + 30, y0 + 140, "ICC RGB") + "Q\n"
    if brk == "rgb-separation-alt":
        c += "q /CSspot cs 1 scn " + text(font, 10, x0 + 30, y0 + 140, "Spot") + "Q\n"
    if brk == "registration-in-trim":
        c += "q /CSall CS 1 SCN 0.25 w %.2f %.2f m %.2f %.2f l S Q\n" % (x0 + 30, y0 + 30, x0 + 90, y0 + 30)
    marks = "0 0 0 1 K 1 1 1 1 K" if brk == "marks-cmyk" else "/CSall CS 1 SCN"
    c += f"q {marks} 0.25 w\n"
    off, ln = BLEED + 2, 12
    for cx, cy, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        c += "%.2f %.2f m %.2f %.2f l S\n" % (cx + sx * off, cy, cx + sx * (off + ln), cy)
        c += "%.2f %.2f m %.2f %.2f l S\n" % (cx, cy + sy * off, cx, cy + sy * (off + ln))
    return c + "Q\n"


def x4_resources(pdf, brk, profile_bytes):
    all_alt = Array([Name.Separation, Name.All, Name.DeviceCMYK,
                     Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([0, 0, 0, 0]),
                                C1=Array([1, 1, 1, 1]), N=1)])
    res = {"/ColorSpace": Dictionary(CSall=all_alt)}
    if brk == "iccrgb-scn":
        srgb = pdf.make_stream(profile_bytes, N=3)
        res["/ColorSpace"].CSrgb = Array([Name.ICCBased, srgb])
    if brk == "rgb-separation-alt":
        res["/ColorSpace"].CSspot = Array([
            Name.Separation, Name("/Spot"), Name.DeviceRGB,
            Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([0, 0, 0]), C1=Array([1, 0, 0]), N=1)])
    form_ops = b"0.5 0.5 0.5 rg 0 0 40 10 re f" if brk == "rgb-in-form" else b"0 0 0 0.3 k 0 0 40 10 re f"
    form = pdf.make_stream(form_ops, Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, 40, 10]))
    if brk == "rgb-image":
        img = pdf.make_stream(bytes([255, 0, 0] * 4), Type=Name.XObject, Subtype=Name.Image, Width=2,
                              Height=2, ColorSpace=Name.DeviceRGB, BitsPerComponent=8)
    else:
        img = pdf.make_stream(bytes([0, 128, 0, 0] * 4), Type=Name.XObject, Subtype=Name.Image, Width=2,
                              Height=2, ColorSpace=Name.DeviceCMYK, BitsPerComponent=8)
    res["/XObject"] = Dictionary(Fm0=form, Im0=img)
    return res


def build_x4(font_path, profile, brk=None):
    """The print fixture: one A5 page with 3 mm bleed and crop marks, PDF 1.6."""
    with open(profile, "rb") as f:
        icc = f.read()
    pdf = pikepdf.new()
    font = Font(font_path)
    slug = 15 * MM
    w, h = 148 * MM, 210 * MM
    trim = (slug, slug, slug + w, slug + h)
    bleed = {"bleed-2mm": 2 * MM, "bleed-outside-media": slug + 5}.get(brk, BLEED)
    content = x4_content(font, brk, trim)
    page = new_page(pdf, [0, 0, w + 2 * slug, h + 2 * slug], content, font_placeholder(pdf),
                    x4_resources(pdf, brk, icc))
    if brk != "no-trimbox":
        page.TrimBox = Array([round(v, 3) for v in trim])
    page.BleedBox = Array([round(trim[0] - bleed, 3), round(trim[1] - bleed, 3),
                           round(trim[2] + bleed, 3), round(trim[3] + bleed, 3)])
    if brk == "annotation":
        page.Annots = Array([pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([60, 60, 120, 80]), Border=Array([0, 0, 0]),
            A=Dictionary(S=Name.URI, URI=String("https://example.org/"))))])
    fix_fonts(pdf, font, brk)
    x4_catalog(pdf, brk, icc)
    return pdf, ("1.4" if brk == "version-1.4" else "1.6")


def x4_catalog(pdf, brk, icc):
    if brk != "no-outputintent":
        n = 3 if brk == "profile-rgb" else 4
        dest = pdf.make_stream(icc if n == 4 else rgb_profile(icc), N=n)
        oi = Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFX, DestOutputProfile=dest,
                        OutputCondition=String("Offset printing, coated paper (FOGRA39)"),
                        RegistryName=String("http://www.color.org"), Info=String("FOGRA39L"))
        if brk != "no-condition-id":
            oi.OutputConditionIdentifier = String("FOGRA39")
        pdf.Root.OutputIntents = Array([oi])
    props = {"dc:title": "A print fixture", "xmp:CreateDate": "2020-01-01T00:00:00Z",
             "xmp:ModifyDate": "2020-01-01T00:00:00Z", "pdf:Trapped": "False",
             "pdfxid:GTS_PDFXVersion": "PDF/X-4"}
    if brk == "no-xmp-pdfxid":
        del props["pdfxid:GTS_PDFXVersion"]
    pdf.Root.Metadata = metadata_stream(pdf, props)
    info = pdf.docinfo
    info.Title = String("A print fixture")
    info.CreationDate = info.ModDate = String("D:20200101000000Z")
    if brk != "no-trapped":
        info.Trapped = Name("/False")
    if brk != "no-gts-version":
        info.GTS_PDFXVersion = String("PDF/X-4")


def rgb_profile(cmyk_icc):
    """The header of an RGB display profile, enough for the N = 3 check to fail."""
    data = bytearray(cmyk_icc)
    data[12:20] = b"mntrRGB "
    return bytes(data)


# ---- writing ----------------------------------------------------------------

def save(pdf, version, path, brk):
    kw = {}
    if brk == "encrypted":
        kw["encryption"] = pikepdf.Encryption(owner="owner", user="", R=4,
                                              allow=pikepdf.Permissions(accessibility=False))
    pdf.save(path, static_id=True, force_version=version, **kw)
    if brk == "no-id":
        strip_id(path)


def strip_id(path):
    """Blanks the trailer's /ID in place (qpdf always writes one)."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    start = data.rfind(b"/ID [")
    end = data.index(b"]", start) + 1
    data[start:end] = b" " * (end - start)
    with open(path, "wb") as f:
        f.write(data)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("kind", choices=["ua", "x4", "breaks"])
    ap.add_argument("out", help="the PDF to write (for breaks: ua or x4)")
    ap.add_argument("--break", dest="brk", help="write this broken variant")
    ap.add_argument("--font", default=DEFAULT_FONT)
    ap.add_argument("--profile", help="the CMYK ICC profile (x4)")
    a = ap.parse_args(argv)
    if a.kind == "breaks":
        for name, cond in BREAKS[a.out].items():
            print(name, cond)
        return 0
    if a.brk and a.brk not in BREAKS[a.kind]:
        ap.error(f"unknown variant {a.brk}; see: pdf_fixtures.py breaks {a.kind}")
    if a.kind == "ua":
        pdf, version = build_ua(a.font, a.brk)
    else:
        if not a.profile:
            ap.error("x4 needs --profile")
        pdf, version = build_x4(a.font, a.profile, a.brk)
    save(pdf, version, a.out, a.brk)
    return 0


if __name__ == "__main__":
    sys.exit(main())
