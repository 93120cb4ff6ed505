#!/usr/bin/python3
"""pdfua_check.py - checks a PDF against the machine-checkable conditions of
the Matterhorn Protocol 1.1 (PDF/UA-1) that apply to chapbook's PDFs, and
against the structure chapbook promises (issue 12): MarkInfo, a Document
root, a consistent ParentTree, labelled lists, a tagged contents page and
bibliography, PDF 1.7 and complete XMP.

    /usr/bin/python3 tests/pdfua_check.py FILE.pdf [--bibentries N] [--no-toc]

Prints one line per condition, "PASS <id> <what>" or "FAIL <id> <what>:
<where>", with the Matterhorn number as the id (or struct-*/meta-* for
chapbook's own rules), and exits 1 when any condition fails (2 when the
file cannot be read). Which conditions are not checked, and why, is listed
in NOT_CHECKED (printed by --list).
"""

import argparse
import os
import re
import sys

import pikepdf
from pikepdf import Array, Name, Stream

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfcommon import (Report, ToUnicode, TrueType, Walker, cid_to_gid,  # noqa: E402
                       cid_widths, descendant, font_codes, font_program, is_dict, key,
                       number_tree, xmp_property, xmp_root)

STANDARD_TYPES = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct
Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note
Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form""".split())

# ISO 32000-1, Table 118: the predefined CMaps (31-006)
PREDEFINED_CMAPS = set("""GB-EUC-H GB-EUC-V GBpc-EUC-H GBpc-EUC-V GBK-EUC-H GBK-EUC-V GBKp-EUC-H
GBKp-EUC-V GBK2K-H GBK2K-V UniGB-UCS2-H UniGB-UCS2-V UniGB-UTF16-H UniGB-UTF16-V B5pc-H B5pc-V
HKscs-B5-H HKscs-B5-V ETen-B5-H ETen-B5-V ETenms-B5-H ETenms-B5-V CNS-EUC-H CNS-EUC-V
UniCNS-UCS2-H UniCNS-UCS2-V UniCNS-UTF16-H UniCNS-UTF16-V 83pv-RKSJ-H 90ms-RKSJ-H 90ms-RKSJ-V
90msp-RKSJ-H 90msp-RKSJ-V 90pv-RKSJ-H Add-RKSJ-H Add-RKSJ-V EUC-H EUC-V Ext-RKSJ-H Ext-RKSJ-V
H V UniJIS-UCS2-H UniJIS-UCS2-V UniJIS-UCS2-HW-H UniJIS-UCS2-HW-V UniJIS-UTF16-H UniJIS-UTF16-V
KSC-EUC-H KSC-EUC-V KSCms-UHC-H KSCms-UHC-V KSCms-UHC-HW-H KSCms-UHC-HW-V KSCpc-EUC-H
UniKS-UCS2-H UniKS-UCS2-V UniKS-UTF16-H UniKS-UTF16-V Identity-H Identity-V""".split())

# Matterhorn 1.1 machine-checkable conditions this checker does not test.
NOT_CHECKED = {
    "02-002/09-001..003/01-001/01-002/01-006": "need a human (semantics, reading order)",
    "11-005, 28-005, 28-010 forms": "chapbook writes no form fields (28-010 is checked: no widgets)",
    "15-003 table headers": "chapbook writes no tables (09-004 still checks table syntax)",
    "17-002/17-003 formulas": "chapbook writes no Formula elements",
    "20-001..003 optional content": "chapbook writes no optional content",
    "21-001, 28-016 embedded files": "chapbook embeds no files",
    "25-001 XFA": "chapbook writes no XFA",
    "28-006, 28-014, 28-015 multimedia": "chapbook writes no media annotations",
    "31-001..003 for predefined CMaps other than Identity": "reported as a failure of 31-006 instead",
    "31-012..015 CharSet/CIDSet": "needs a Type 1 / CFF parser; chapbook writes neither set",
    "31-017/018/022/023/026 simple TrueType cmaps": "chapbook writes Type 0 fonts only",
    "31-030 for simple fonts": "only Type 0 (CIDFontType2) glyph ids are checked",
}

LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
PAINT_KINDS = ("text", "path", "image", "inline-image", "shading")


# ---- the structure tree ----------------------------------------------------

class Node:
    __slots__ = ("elem", "raw", "std", "parent", "kids", "lang", "mcids", "objrs")

    def __init__(self, elem, raw, std, parent, lang):
        self.elem, self.raw, self.std, self.parent = elem, raw, std, parent
        self.kids, self.lang, self.mcids, self.objrs = [], lang, [], []


class StructTree:
    """The structure tree read once: elements in document (pre-)order with their
    standard types, and who owns each MCID and each annotation."""

    def __init__(self, pdf):
        self.problems = []          # structural problems (struct-root)
        self.nodes = []
        self.mcid_owner = {}        # (page or stream key, mcid) -> Node
        self.objr_owner = {}        # annotation key -> Node
        self.root = pdf.Root.get("/StructTreeRoot")
        self.rolemap = {}
        self.top = []
        if self.root is None or not is_dict(self.root):
            self.root = None
            return
        rm = self.root.get("/RoleMap")
        if rm is not None and is_dict(rm):
            self.rolemap = {str(k)[1:]: str(v)[1:] for k, v in rm.items() if isinstance(v, Name)}
        self.catalog_lang = str(pdf.Root.get("/Lang", "")) or None
        self._walk()

    def resolve(self, s):
        """The standard type a (possibly role-mapped) type stands for, or None."""
        seen = set()
        while s not in STANDARD_TYPES:
            if s in seen or s not in self.rolemap:
                return None
            seen.add(s)
            s = self.rolemap[s]
        return s

    def _walk(self):
        kids = self.root.get("/K")
        items = list(kids) if isinstance(kids, Array) else ([kids] if kids is not None else [])
        stack = [(k, None, None, self.catalog_lang) for k in reversed(items)]
        seen = set()
        while stack:
            obj, parent, page, lang = stack.pop()
            if isinstance(obj, int):
                self._mcid(parent, page, None, int(obj))
                continue
            if not is_dict(obj):
                continue
            t = obj.get("/Type")
            if t == Name.MCR:
                stm = obj.get("/Stm")
                self._mcid(parent, obj.get("/Pg", page), stm, int(obj.get("/MCID", -1)))
                continue
            if t == Name.OBJR:
                if parent is not None and "/Obj" in obj:
                    parent.objrs.append(obj.Obj)
                    self.objr_owner[key(obj.Obj)] = parent
                continue
            if "/S" not in obj:
                self.problems.append("a structure element without /S")
                continue
            if key(obj) in seen:
                self.problems.append(f"element {obj.objgen} is reached twice")
                continue
            seen.add(key(obj))
            raw = str(obj.S)[1:]
            lang = str(obj.get("/Lang", "")) or lang
            node = Node(obj, raw, self.resolve(raw) or raw, parent, lang)
            self.nodes.append(node)
            if parent is None:
                self.top.append(node)
                want_p = self.root
            else:
                parent.kids.append(node)
                want_p = parent.elem
            p = obj.get("/P")
            if p is None or key(p) != key(want_p):
                self.problems.append(f"{raw} element {obj.objgen}: /P is not its parent")
            kids = obj.get("/K")
            items = list(kids) if isinstance(kids, Array) else ([kids] if kids is not None else [])
            pg = obj.get("/Pg", page)
            stack.extend((k, node, pg, lang) for k in reversed(items))

    def _mcid(self, node, page, stm, mcid):
        if node is None:
            self.problems.append("an MCID directly under the StructTreeRoot")
            return
        owner = stm if stm is not None else page
        if owner is None:
            self.problems.append(f"{node.raw} element holds MCID {mcid} with no /Pg")
            return
        node.mcids.append((key(owner), mcid))
        if (key(owner), mcid) in self.mcid_owner:
            self.problems.append(f"MCID {mcid} is claimed by two elements")
        self.mcid_owner[(key(owner), mcid)] = node


# ---- the content ------------------------------------------------------------

class Content(Walker):
    """Walks every page: marked content (01-003..005), MCIDs used, fonts and codes."""

    def __init__(self, pdf, tree):
        super().__init__(pdf)
        self.tree = tree
        self.stack = []             # [(tag, mcid owner key or None, mcid, artifact)]
        self.untagged, self.art_in_tagged, self.tagged_in_art = [], [], []
        self.not_in_tree = []
        self.counts = {"tagged": 0, "artifact": 0}
        self.used_mcids = {}        # owner key -> [mcid, ...]
        self.fonts = {}             # font key -> (font, set of codes, where)
        self.form_uses = {}         # form key -> count
        self.forms_with_mcid = set()
        self.ref_xobjects = []
        self.balance = []
        self.page_no = 0

    def walk_all(self):
        for n, page in enumerate(self.pdf.pages, 1):
            self.page_no = n
            self.stack = []
            self.walk_page(page.obj, f"page {n}")
            if self.stack:
                self.balance.append(f"page {n}: {len(self.stack)} BDC/BMC without EMC")

    def _owner(self, ctx):
        """The object an MCID met here is relative to: the form (when it has
        StructParents) or the page."""
        c = ctx
        while c is not None and c.stream is not None:
            if "/StructParents" in c.stream:
                return key(c.stream)
            c = c.parent
        return key(ctx.page)

    def on_marked(self, op, tag, props, ctx):
        if op == "end":
            if self.stack:
                self.stack.pop()
            else:
                self.balance.append(f"{ctx.where}: EMC without BDC/BMC")
            return
        mcid = None
        if props is not None and is_dict(props) and "/MCID" in props:
            mcid = int(props.MCID)
        artifact = tag == "/Artifact"
        if artifact and any(e[2] is not None for e in self.stack):
            self.art_in_tagged.append(f"{ctx.where}: Artifact inside MCID {self._mcid_now()}")
        if mcid is not None and any(e[3] for e in self.stack):
            self.tagged_in_art.append(f"{ctx.where}: MCID {mcid} inside an Artifact")
        owner = None
        if mcid is not None:
            owner = self._owner(ctx)
            self.used_mcids.setdefault(owner, []).append(mcid)
            if ctx.stream is not None:
                self.forms_with_mcid.add(key(ctx.stream))
        self.stack.append((tag, owner, mcid, artifact))

    def _mcid_now(self):
        for e in reversed(self.stack):
            if e[2] is not None:
                return e[2]
        return None

    def on_paint(self, kind, ctx):
        artifact = any(e[3] for e in self.stack)
        tagged = None
        for e in reversed(self.stack):
            if e[2] is not None:
                tagged = (e[1], e[2])
                break
        what = {"text": "text", "path": "path", "image": "image", "inline-image": "inline image",
                "shading": "shading"}[kind]
        if tagged is None and not artifact:
            self.untagged.append(f"{ctx.where}: {what} outside marked content")
        elif tagged is not None and not artifact and tagged not in self.tree.mcid_owner:
            self.not_in_tree.append(f"{ctx.where}: {what} in MCID {tagged[1]}, "
                                    "which the structure tree does not reach")
        self.counts["artifact" if artifact else "tagged"] += 1
        if kind == "text":
            self._text(ctx)

    def _text(self, ctx):
        font = ctx.gs.font
        if font is None:
            return
        k = key(font)
        entry = self.fonts.setdefault(k, (font, set(), ctx.where))
        for arg in ctx.args:
            strings = [a for a in arg if isinstance(a, pikepdf.String)] \
                if isinstance(arg, Array) else ([arg] if isinstance(arg, pikepdf.String) else [])
            for s in strings:
                codes = font_codes(font, bytes(s))
                if codes is not None:
                    entry[1].update(codes)

    def on_form(self, form, ctx):
        k = key(form)
        self.form_uses[k] = self.form_uses.get(k, 0) + 1
        if "/Ref" in form:
            self.ref_xobjects.append(f"{ctx.where}: a reference XObject")
        return True


# ---- the checks ----------------------------------------------------------------

def check_content(r, pdf, tree, content):
    r.check("01-003", "no Artifact inside tagged content", content.art_in_tagged)
    r.check("01-004", "no tagged content inside an Artifact", content.tagged_in_art)
    n = content.counts
    r.check("01-005", "all content tagged (MCID in the structure tree) or Artifact",
            content.untagged + content.not_in_tree,
            f"{n['tagged']} tagged and {n['artifact']} artifact painting operations")
    mi = pdf.Root.get("/MarkInfo")
    r.check("01-007", "MarkInfo /Suspects is not true",
            ["/Suspects true"] if mi is not None and mi.get("/Suspects") is True else [])
    r.check("content", "content streams parse, BDC/BMC and EMC balance",
            content.errors + content.balance)
    r.check("30-001", "no reference XObjects", content.ref_xobjects)
    twice = [f"form {k[0]} holds MCIDs and is drawn {content.form_uses[k]} times"
             for k in content.forms_with_mcid if content.form_uses.get(k, 0) > 1]
    r.check("30-002", "forms with MCIDs are drawn once", twice)


def check_rolemap(r, tree):
    unmapped = sorted({n.raw for n in tree.nodes if tree.resolve(n.raw) is None})
    r.check("02-001", "non-standard structure types map to standard ones",
            [f"/{t} does not map to a standard type" for t in unmapped],
            f"RoleMap: {len(tree.rolemap)} entries" if tree.rolemap else "no RoleMap needed")
    circular = []
    for start in tree.rolemap:
        s, seen = start, set()
        while s in tree.rolemap and s not in STANDARD_TYPES:
            if s in seen:
                circular.append(f"/{start} maps round in a circle")
                break
            seen.add(s)
            s = tree.rolemap[s]
    r.check("02-003", "no circular role mapping", circular)
    r.check("02-004", "standard types are not remapped",
            [f"/{t} is remapped" for t in tree.rolemap if t in STANDARD_TYPES])


def check_metadata(r, pdf):
    root, why = xmp_root(pdf)
    r.check("06-001", "XMP metadata stream in the catalog", [why] if root is None else [])
    part = xmp_property(root, "pdfuaid", "part")
    r.check("06-002", "XMP has the PDF/UA identifier (pdfuaid:part 1)",
            [] if part and part[0].strip() == "1" else
            [f"pdfuaid:part is {part[0]!r}" if part else "no pdfuaid:part"])
    title = [t for t in xmp_property(root, "dc", "title") if t.strip()]
    r.check("06-003", "XMP has dc:title", [] if title else ["no dc:title"],
            title[0] if title else "")
    vp = pdf.Root.get("/ViewerPreferences")
    ddt = vp.get("/DisplayDocTitle") if vp is not None else None
    r.check("07-001", "ViewerPreferences has DisplayDocTitle",
            [] if ddt is not None else ["no /DisplayDocTitle"])
    r.check("07-002", "DisplayDocTitle is not false", ["/DisplayDocTitle false"] if ddt is False else [])
    lang = str(pdf.Root.get("/Lang", ""))
    creator = xmp_property(root, "dc", "creator")
    dclang = xmp_property(root, "dc", "language")
    problems = [] if creator else ["no dc:creator"]
    if not dclang:
        problems.append("no dc:language")
    elif lang and lang not in dclang:
        problems.append(f"dc:language {dclang} does not include the catalog /Lang {lang}")
    r.check("meta-xmp", "XMP has dc:creator and dc:language (chapbook)", problems)
    version = tuple(int(x) for x in pdf.pdf_version.split("."))
    r.check("meta-version", "PDF 1.7 or later (chapbook, PDF/UA-1 is ISO 32000-1)",
            [] if version >= (1, 7) else [f"PDF {pdf.pdf_version}"], f"PDF {pdf.pdf_version}")


def check_syntax(r, tree):
    """09-004..006: table, list and TOC elements where ISO 32000-1 allows them."""
    rules = {
        "09-004": ("table", {"TR": {"Table", "THead", "TBody", "TFoot"}, "TH": {"TR"}, "TD": {"TR"},
                             "THead": {"Table"}, "TBody": {"Table"}, "TFoot": {"Table"}},
                   {"Table": {"TR", "THead", "TBody", "TFoot", "Caption"}, "TR": {"TH", "TD"},
                    "THead": {"TR"}, "TBody": {"TR"}, "TFoot": {"TR"}}),
        "09-005": ("list", {"LI": {"L"}, "LBody": {"LI"}, "Lbl": {"LI", "TOCI"}},
                   {"L": {"LI", "L", "Caption"}, "LI": {"Lbl", "LBody"}}),
        "09-006": ("TOC", {"TOCI": {"TOC"}},
                   {"TOC": {"TOC", "TOCI", "Caption"}, "TOCI": {"Lbl", "Reference", "NonStruct", "P", "TOC"}}),
    }
    for cond, (what, parents, children) in rules.items():
        problems, count = [], 0
        for n in tree.nodes:
            ptype = n.parent.std if n.parent is not None else "(root)"
            if n.std in parents or n.std in children:
                count += 1
            if n.std in parents and ptype not in parents[n.std]:
                problems.append(f"{n.raw} inside {ptype}")
            if n.std in children:
                problems += [f"{k.raw} inside {n.raw}" for k in n.kids if k.std not in children[n.std]]
        r.check(cond, f"{what} elements nest as ISO 32000-1 says", problems,
                f"{count} {what} elements" if count else f"no {what} elements")


def check_lang(r, pdf, tree):
    lang = str(pdf.Root.get("/Lang", ""))
    bad = [] if not lang or LANG_RE.match(lang) else [f"/Lang {lang!r} is not a language tag"]
    if lang and not bad:
        r.check("11-001", "natural language of the content (catalog /Lang)", [], lang)
    else:
        missing = [f"{n.raw} element has text and no /Lang" for n in tree.nodes if n.mcids and not n.lang]
        if not tree.nodes and not lang:
            missing = ["no catalog /Lang and no tagged content"]
        r.check("11-001", "natural language of the content (catalog /Lang)", bad + missing)
    ok = bool(lang) and not bad
    alt = [f"{n.raw} has Alt/ActualText/E and no language" for n in tree.nodes
           if not n.lang and any(k in n.elem for k in ("/Alt", "/ActualText", "/E"))]
    r.check("11-002", "language of Alt, ActualText and E", alt)
    outline = pdf.Root.get("/Outlines")
    r.check("11-003", "language of the outline",
            [] if ok or outline is None else ["outline entries and no catalog /Lang"])
    has_contents = any("/Contents" in a for p in pdf.pages for a in p.obj.get("/Annots", []))
    r.check("11-004", "language of annotation /Contents",
            [] if ok or not has_contents else ["annotation /Contents and no catalog /Lang"])
    r.check("11-006", "language of the metadata",
            [] if ok or "/Metadata" not in pdf.Root else ["metadata and no catalog /Lang"])


def check_headings(r, tree):
    heads = [n for n in tree.nodes if re.fullmatch(r"H[1-6]?", n.std)]
    numbered = [n for n in heads if n.std != "H"]
    r.check("14-002", "the first numbered heading is H1",
            [f"the first heading is {numbered[0].raw}"] if numbered and numbered[0].std != "H1" else [],
            f"{len(numbered)} numbered headings" if numbered else "no numbered headings")
    skips = []
    for a, b in zip(numbered, numbered[1:]):
        if int(b.std[1]) > int(a.std[1]) + 1:
            skips.append(f"{b.std} follows {a.std}")
    r.check("14-003", "no heading level skipped", skips)
    many = [f"{n.raw} holds {c} H elements" for n in tree.nodes
            for c in [sum(1 for k in n.kids if k.std == "H")] if c > 1]
    r.check("14-006", "no element holds more than one H", many)
    both = numbered and len(numbered) < len(heads)
    r.check("14-007", "not both H and H1..H6", ["both H and numbered headings"] if both else [])


def check_elements(r, tree):
    figs = [n for n in tree.nodes if n.std == "Figure"]
    r.check("13-004", "every Figure has Alt or ActualText",
            [f"{n.raw} element {n.elem.objgen} has no Alt" for n in figs
             if "/Alt" not in n.elem and "/ActualText" not in n.elem],
            f"{len(figs)} figures" if figs else "no figures")
    notes = [n for n in tree.nodes if n.std == "Note"]
    ids = [str(n.elem.get("/ID", "")) for n in notes]
    r.check("19-003", "every Note has an ID", ["a Note without /ID"] * ids.count(""))
    dup = sorted({i for i in ids if i and ids.count(i) > 1})
    r.check("19-004", "Note IDs are unique", [f"ID {i} used twice" for i in dup])


def check_encryption(r, pdf):
    enc = pdf.trailer.get("/Encrypt")
    if enc is None:
        r.check("26-001", "an encrypted file has /P", [], "not encrypted")
        r.check("26-002", "encryption allows assistive technology (P bit 10)", [], "not encrypted")
        return
    p = enc.get("/P")
    r.check("26-001", "an encrypted file has /P", [] if p is not None else ["no /P"])
    r.check("26-002", "encryption allows assistive technology (P bit 10)",
            [] if p is not None and int(p) & 512 else ["bit 10 of /P is clear"])


def annotations(pdf):
    for n, page in enumerate(pdf.pages, 1):
        for a in page.obj.get("/Annots", []):
            if is_dict(a):
                yield n, page.obj, a


def check_annotations(r, pdf, tree):
    pt = number_tree(tree.root.get("/ParentTree")) if tree.root is not None else {}
    p002, p004, p007, p010, p011, p012, p017, tabs = [], [], [], [], [], [], [], []
    links = 0
    pages_with = {}
    for n, page, a in annotations(pdf):
        sub = str(a.get("/Subtype", ""))[1:]
        hidden = int(a.get("/F", 0)) & 2
        if sub == "Popup" or hidden:
            continue
        pages_with[n] = page
        node = tree.objr_owner.get(key(a))
        where = f"page {n} {sub} annotation"
        contents = str(a.get("/Contents", "")).strip()
        if sub == "TrapNet":
            p007.append(where)
        if sub == "PrinterMark":
            if node is not None or "/StructParent" in a:
                p017.append(where + " is in the structure")
            continue
        if sub not in ("Widget", "Link") and (node is None or node.std != "Annot"):
            p002.append(where + " is not in an Annot element")
        if sub != "Widget" and not contents and (node is None or "/Alt" not in node.elem):
            p004.append(where + " has no /Contents")
        if sub == "Widget" and (node is None or node.std != "Form"):
            p010.append(where + " is not in a Form element")
        if sub == "Link":
            links += 1
            sp = a.get("/StructParent")
            if sp is None:
                p011.append(where + " has no /StructParent")
            elif node is None or node.std != "Link":
                p011.append(where + f" is in {node.raw if node else 'no'} element, not Link")
            elif key(pt.get(int(sp), Array())) != key(node.elem):
                p011.append(where + f": ParentTree[{int(sp)}] is not its Link element")
            if not contents:
                p012.append(where + " has no /Contents")
    for n, page in pages_with.items():
        t = page.get("/Tabs")
        tabs.append((n, t))
    note = f"{links} link annotations" if links else "no link annotations"
    r.check("28-002", "other annotations are in Annot elements", p002)
    r.check("28-004", "annotations have /Contents or Alt", p004, note)
    r.check("28-007", "no TrapNet annotations", p007)
    r.check("28-008", "pages with annotations have /Tabs",
            [f"page {n} has no /Tabs" for n, t in tabs if t is None], f"{len(tabs)} pages")
    r.check("28-009", "/Tabs is /S", [f"page {n} has /Tabs {t}" for n, t in tabs if t is not None and t != Name.S])
    r.check("28-010", "widget annotations are in Form elements", p010)
    r.check("28-011", "link annotations are in Link elements (StructParent, OBJR)", p011, note)
    r.check("28-012", "link annotations have /Contents", p012, note)
    r.check("28-017", "PrinterMark annotations are not in the structure", p017)


# -- fonts

def check_fonts(r, content):
    res = {c: [] for c in ("31-001", "31-004", "31-005", "31-006", "31-009", "31-011", "31-016",
                           "31-019", "31-021", "31-024", "31-025", "31-027", "31-028", "31-029",
                           "31-030", "10-001")}
    for font, codes, where in content.fonts.values():
        name = str(font.get("/BaseFont", "?"))[1:]
        tag = f"{name} ({where})"
        if font.get("/Subtype") == Name.Type0:
            check_type0(font, codes, tag, res)
        else:
            check_simple(font, codes, tag, res)
        check_tounicode(font, codes, tag, res)
    n = len(content.fonts)
    note = f"{n} fonts used" if n else "no text"
    titles = {
        "31-001": "Type 0 CIDSystemInfo agrees with a non-Identity CMap",
        "31-004": "CIDToGIDMap is Identity or a stream",
        "31-005": "Type 2 CIDFonts have a CIDToGIDMap",
        "31-006": "CMaps are predefined or embedded",
        "31-009": "fonts used for text are embedded",
        "31-011": "embedded fonts hold every glyph shown",
        "31-016": "widths in the font dictionary match the font program",
        "31-019": "non-symbolic TrueType fonts have an Encoding",
        "31-021": "non-symbolic TrueType Encoding is MacRoman or WinAnsi",
        "31-024": "symbolic TrueType fonts have no Encoding",
        "31-025": "symbolic TrueType programs have a cmap",
        "31-027": "fonts have ToUnicode (or a standard encoding)",
        "31-028": "no ToUnicode value is 0",
        "31-029": "no ToUnicode value is U+FEFF or U+FFFE",
        "31-030": "no character shown is .notdef (glyph 0)",
        "10-001": "every character code shown maps to Unicode",
    }
    for cond in ("10-001",) + tuple(sorted(c for c in res if c.startswith("31"))):
        r.check(cond, titles[cond], res[cond], note)


def load_program(font):
    kind, stream = font_program(font)
    if stream is None:
        return kind, None, None
    try:
        data = stream.read_bytes()
    except pikepdf.PdfError as e:
        return kind, None, f"font program cannot be read: {e}"
    if kind != "/FontFile2":
        return kind, None, None
    try:
        return kind, TrueType(data), None
    except (ValueError, IndexError) as e:
        return kind, None, f"font program is not TrueType: {e}"


def check_type0(font, codes, tag, res):
    enc = font.get("/Encoding")
    cid = descendant(font)
    if isinstance(enc, Name):
        if str(enc)[1:] not in PREDEFINED_CMAPS:
            res["31-006"].append(f"{tag}: CMap {enc} is neither predefined nor embedded")
        elif enc not in (Name("/Identity-H"), Name("/Identity-V")):
            res["31-006"].append(f"{tag}: predefined CMap {enc} (not verified by this checker)")
    elif isinstance(enc, Stream):
        a, b = enc.get("/CIDSystemInfo"), cid.get("/CIDSystemInfo")
        if a is None or b is None or str(a.get("/Registry")) != str(b.get("/Registry")) \
                or str(a.get("/Ordering")) != str(b.get("/Ordering")):
            res["31-001"].append(f"{tag}: CIDSystemInfo of the CMap and the CIDFont differ")
        res["10-001"].append(f"{tag}: embedded CMap (codes not decoded by this checker)")
    if cid.get("/Subtype") == Name.CIDFontType2:
        m = cid.get("/CIDToGIDMap")
        if m is None:
            res["31-005"].append(f"{tag}: no /CIDToGIDMap")
        elif m != Name.Identity and not isinstance(m, Stream):
            res["31-004"].append(f"{tag}: /CIDToGIDMap is {m}")
    kind, tt, why = load_program(font)
    if kind is None:
        res["31-009"].append(f"{tag}: not embedded")
    if why:
        res["31-009"].append(f"{tag}: {why}")
    if tt is None or cid.get("/Subtype") != Name.CIDFontType2:
        return
    widths, dw = cid_widths(cid)
    for _, code in sorted(codes):
        gid = cid_to_gid(cid, code)
        if gid == 0:
            res["31-030"].append(f"{tag}: code {code:04X} shows .notdef")
        if gid >= tt.num_glyphs:
            res["31-011"].append(f"{tag}: glyph {gid} is not in the font ({tt.num_glyphs} glyphs)")
            continue
        w = widths.get(code, dw)
        if abs(w - tt.width1000(gid)) > 1:
            res["31-016"].append(f"{tag}: CID {code} width {w:g}, program {tt.width1000(gid):.1f}")


def check_simple(font, codes, tag, res):
    sub = font.get("/Subtype")
    if sub == Name.Type3:
        return
    kind, tt, why = load_program(font)
    if kind is None:
        res["31-009"].append(f"{tag}: not embedded")
    if sub != Name.TrueType:
        return
    desc = font.get("/FontDescriptor")
    symbolic = bool(int(desc.get("/Flags", 0)) & 4) if desc is not None else False
    enc = font.get("/Encoding")
    if symbolic:
        if enc is not None:
            res["31-024"].append(f"{tag}: symbolic with an /Encoding")
        if tt is not None and "cmap" not in tt.tables:
            res["31-025"].append(f"{tag}: symbolic without a cmap")
        return
    if enc is None:
        res["31-019"].append(f"{tag}: no /Encoding")
        return
    base = enc.get("/BaseEncoding") if is_dict(enc) else enc
    if base not in (Name.MacRomanEncoding, Name.WinAnsiEncoding):
        res["31-021"].append(f"{tag}: encoding {base}")


def check_tounicode(font, codes, tag, res):
    tu = font.get("/ToUnicode")
    simple_std = font.get("/Subtype") != Name.Type0 and (
        font.get("/Encoding") in (Name.MacRomanEncoding, Name.WinAnsiEncoding, Name.MacExpertEncoding)
        or font.get("/Subtype") == Name.TrueType)
    if tu is None or not isinstance(tu, Stream):
        if not simple_std:
            res["31-027"].append(f"{tag}: no /ToUnicode")
            if codes:
                res["10-001"].append(f"{tag}: no /ToUnicode for {len(codes)} codes")
        return
    cmap = ToUnicode(tu.read_bytes())
    res["10-001"] += [f"{tag}: {p}" for p in cmap.problems]
    for units in cmap.raw.values():
        if 0 in units:
            res["31-028"].append(f"{tag}: a code maps to U+0000")
        if 0xFEFF in units or 0xFFFE in units:
            res["31-029"].append(f"{tag}: a code maps to U+FEFF or U+FFFE")
    for code in sorted(codes):
        text = cmap.map.get(code)
        if not text:
            res["10-001"].append(f"{tag}: code {code[1]:0{2 * code[0]}X} has no Unicode")


# -- chapbook's structure (issue 12)

def check_structure(r, pdf, tree, content, bibentries, toc=True):
    mi = pdf.Root.get("/MarkInfo")
    r.check("struct-markinfo", "MarkInfo /Marked true",
            [] if mi is not None and mi.get("/Marked") is True else ["no /MarkInfo << /Marked true >>"])
    if tree.root is None:
        r.check("struct-root", "a StructTreeRoot with elements", ["no /StructTreeRoot"])
    else:
        r.check("struct-root", "a StructTreeRoot; each element once, /P its parent",
                tree.problems if tree.nodes else ["the structure tree is empty"],
                f"{len(tree.nodes)} elements")
    top = [n.std for n in tree.top]
    r.check("struct-document", "the tree has one Document element at its root",
            [] if top == ["Document"] else [f"the root holds {top or 'nothing'}"])
    r.check("struct-parenttree", "ParentTree agrees with the MCIDs in the content",
            parent_tree_problems(pdf, tree, content))
    check_lists(r, tree)
    bibs = sum(1 for n in tree.nodes if n.std == "BibEntry")
    want = f"{bibentries}" if bibentries is not None else "at least one"
    ok = bibs == bibentries if bibentries is not None else bibs > 0
    r.check("struct-bibentry", f"BibEntry elements for the references ({want})",
            [] if ok else [f"{bibs} BibEntry elements"], f"{bibs} BibEntry")
    if toc:
        r.check("struct-toc", "a TOC whose every TOCI holds a Reference with a Link and its OBJR",
                toc_problems(tree))
    else:
        tocs = sum(1 for n in tree.nodes if n.std in ("TOC", "TOCI"))
        r.check("struct-toc", "no TOC (--no-toc: a PDF without a contents page)",
                [f"{tocs} TOC and TOCI elements"] if tocs else [])


def parent_tree_problems(pdf, tree, content):
    if tree.root is None:
        return ["no /StructTreeRoot"]
    if "/ParentTree" not in tree.root:
        return ["no /ParentTree"]
    pt = number_tree(tree.root.ParentTree)
    problems = []
    owners = {key(p.obj): (f"page {n}", p.obj) for n, p in enumerate(pdf.pages, 1)}
    for owner, mcids in content.used_mcids.items():
        label, obj = owners.get(owner, (f"form {owner[0]}", pdf.get_object(owner)))
        dup = sorted({m for m in mcids if mcids.count(m) > 1})
        if dup and not (owner not in owners and content.form_uses.get(owner, 0) > 1):
            problems.append(f"{label}: MCID {dup[0]} used twice")
        sp = obj.get("/StructParents")
        if sp is None:
            problems.append(f"{label}: MCIDs and no /StructParents")
            continue
        arr = pt.get(int(sp))
        if not isinstance(arr, Array):
            problems.append(f"{label}: ParentTree[{int(sp)}] is not an array")
            continue
        for m in sorted(set(mcids)):
            node = tree.mcid_owner.get((owner, m))
            if m >= len(arr) or not is_dict(arr[m]):
                problems.append(f"{label}: ParentTree has no element for MCID {m}")
            elif node is not None and key(arr[m]) != key(node.elem):
                problems.append(f"{label}: ParentTree says MCID {m} is in {str(arr[m].get('/S'))}, "
                                f"the tree says {node.raw}")
    used = {(o, m) for o, ms in content.used_mcids.items() for m in ms}
    for (owner, m), node in tree.mcid_owner.items():
        if (owner, m) not in used:
            problems.append(f"{node.raw} element holds MCID {m}, which no content has")
    keys = list(pt)
    nxt = tree.root.get("/ParentTreeNextKey")
    if keys and nxt is not None and int(nxt) <= max(keys):
        problems.append(f"ParentTreeNextKey {int(nxt)} is not above {max(keys)}")
    return problems


def check_lists(r, tree):
    problems, items = [], 0
    for n in tree.nodes:
        if n.std != "L":
            continue
        attrs = n.elem.get("/A")
        numbering = None
        for a in (attrs if isinstance(attrs, Array) else [attrs] if attrs is not None else []):
            if is_dict(a) and "/ListNumbering" in a:
                numbering = str(a.ListNumbering)[1:]
        lis = [k for k in n.kids if k.std == "LI"]
        items += len(lis)
        has_lbl = any(k.std == "Lbl" for li in lis for k in li.kids)
        for li in lis:
            kinds = [k.std for k in li.kids]
            if kinds.count("LBody") != 1:
                problems.append(f"LI with {kinds.count('LBody')} LBody")
            if numbering not in (None, "None") and "Lbl" not in kinds:
                problems.append(f"LI without Lbl in a list numbered {numbering}")
        if has_lbl and numbering is None:
            problems.append("a list with Lbl elements and no ListNumbering attribute")
    r.check("struct-lists", "each LI has one LBody; labelled lists have Lbl and ListNumbering",
            problems, f"{items} list items")


def toc_problems(tree):
    tocs = [n for n in tree.nodes if n.std == "TOC"]
    if not tocs:
        return ["no TOC element"]
    problems = []
    tocis = [n for n in tree.nodes if n.std == "TOCI"]
    if not tocis:
        problems.append("TOC without TOCI")
    for t in tocis:
        refs = [k for k in t.kids if k.std == "Reference"]
        links = [d for ref in refs for d in descendants(ref) if d.std == "Link" and d.objrs]
        if not refs:
            problems.append("a TOCI without Reference")
        elif not links:
            problems.append("a TOCI whose Reference has no Link with an annotation")
    return problems


def descendants(node):
    stack = list(node.kids)
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.kids)


# ---- main -----------------------------------------------------------------------

def run(path, bibentries=None, out=sys.stdout, toc=True):
    """Checks one file; returns the Report (report.status() is the exit status)."""
    r = Report(out)
    pdf = pikepdf.open(path)
    tree = StructTree(pdf)
    content = Content(pdf, tree)
    content.walk_all()
    check_content(r, pdf, tree, content)
    check_rolemap(r, tree)
    check_metadata(r, pdf)
    check_syntax(r, tree)
    check_lang(r, pdf, tree)
    check_elements(r, tree)
    check_headings(r, tree)
    check_encryption(r, pdf)
    check_annotations(r, pdf, tree)
    check_fonts(r, content)
    check_structure(r, pdf, tree, content, bibentries, toc)
    return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf", nargs="?")
    ap.add_argument("--bibentries", type=int, help="the number of BibEntry elements expected")
    ap.add_argument("--list", action="store_true", help="list the conditions not checked")
    ap.add_argument("--no-toc", action="store_true",
                    help="the PDF has no contents page: struct-toc wants no TOC element")
    a = ap.parse_args(argv)
    if a.list:
        for cond, why in NOT_CHECKED.items():
            print(f"{cond}: {why}")
        return 0
    if not a.pdf:
        ap.error("no PDF given")
    try:
        r = run(a.pdf, a.bibentries, toc=not a.no_toc)
    except (pikepdf.PdfError, OSError) as e:
        print(f"pdfua_check: {a.pdf}: {e}", file=sys.stderr)
        return 2
    r.finish()
    return r.status()


if __name__ == "__main__":
    sys.exit(main())
