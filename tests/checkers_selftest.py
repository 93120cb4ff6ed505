#!/usr/bin/python3
"""checkers_selftest.py - tests the PDF checkers themselves (run by
tests/e2e/checkers.sh): each must PASS the conforming fixture that
tests/pdf_fixtures.py writes and FAIL, on the condition it names, every
broken variant of it; and the built CMYK profile must be what the print
files need. Prints "PASS checkers: ..." / "FAIL checkers: ..." lines.

    /usr/bin/python3 tests/checkers_selftest.py --profile build/FOGRA39L-chapbook.icc
"""

import argparse
import io
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdf_fixtures  # noqa: E402
import pdf_struct_text  # noqa: E402
import pdfua_check  # noqa: E402
import pdfx_check  # noqa: E402

failed = 0

# A booklet source and sentences matching the tagged fixture, for pdf_struct_text.
FIXTURE_BOOKLET = """<booklet><meta><title>A tiny tagged booklet</title></meta>
<part><section><title>A section</title>
<ol><li><p>The first item of the list.</p></li>
<li><p>The second item, with a link: <link href="https://example.org/">example.org</link></p></li></ol>
</section><section><title>References</title></section></part></booklet>
"""
FIXTURE_SENTENCES = """# the tagged fixture's sentences in reading order
A tiny tagged booklet
The first sentence of the fixture, which runs on to a second line.
A second sentence.
A section
The first item of the list.
The second item, with a link:
"""


def say(ok, what):
    global failed
    if not ok:
        failed += 1
    print(("PASS" if ok else "FAIL") + " checkers: " + what)


def failures(report):
    return sorted(c for c, ok in report.results.items() if not ok)


def first_fail_lines(report_text, n=3):
    return [ln for ln in report_text.splitlines() if ln.startswith("FAIL")][:n]


def ua_checks(tmp):
    out = io.StringIO()
    path = os.path.join(tmp, "ua.pdf")
    pdf, v = pdf_fixtures.build_ua(pdf_fixtures.DEFAULT_FONT)
    pdf_fixtures.save(pdf, v, path, None)
    r = pdfua_check.run(path, bibentries=1, out=out)
    r.finish()
    say(r.failed == 0, f"pdfua_check passes the tagged fixture ({r.passed} conditions)"
        + ("" if r.failed == 0 else ": " + "; ".join(first_fail_lines(out.getvalue()))))
    for brk, cond in pdf_fixtures.BREAKS["ua"].items():
        bpath = os.path.join(tmp, f"ua-{brk}.pdf")
        pdf, v = pdf_fixtures.build_ua(pdf_fixtures.DEFAULT_FONT, brk)
        pdf_fixtures.save(pdf, v, bpath, brk)
        r = pdfua_check.run(bpath, bibentries=1, out=io.StringIO())
        say(cond in failures(r), f"pdfua_check fails {cond} on the fixture with {brk}"
            + ("" if cond in failures(r) else f" (it failed {failures(r) or 'nothing'})"))
    # --no-toc (a PDF without a contents page, the handout): the fixture's
    # TOC is then what fails
    r = pdfua_check.run(path, bibentries=1, out=io.StringIO(), toc=False)
    say(failures(r) == ["struct-toc"],
        f"pdfua_check --no-toc fails struct-toc on the fixture, which has a TOC"
        f" (it failed {failures(r) or 'nothing'})")
    return path


def struct_text_checks(tmp, ua_path):
    booklet = os.path.join(tmp, "fixture.xml")
    sentences = os.path.join(tmp, "sentences.txt")
    with open(booklet, "w", encoding="utf-8") as f:
        f.write(FIXTURE_BOOKLET)
    with open(sentences, "w", encoding="utf-8") as f:
        f.write(FIXTURE_SENTENCES)
    levels = {"title": 1, "part": 1, "section": 2, "experience": 3}
    out = io.StringIO()
    r = pdf_struct_text.run(ua_path, sentences, booklet, levels, out=out)
    r.finish()
    say(r.failed == 0, f"pdf_struct_text passes the tagged fixture ({r.passed} checks)"
        + ("" if r.failed == 0 else ": " + "; ".join(first_fail_lines(out.getvalue()))))
    # the same checks against a wrong expectation or a broken file
    swapped = os.path.join(tmp, "swapped.txt")
    lines = FIXTURE_SENTENCES.splitlines()
    lines[2], lines[3] = lines[3], lines[2]
    with open(swapped, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    cases = [
        ("sentences out of reading order", ua_path, swapped, booklet, "struct-text-sentences"),
        ("a heading one level too deep", "skipped-heading", sentences, booklet, "struct-text-headings"),
        ("a list item's LBody outside its LI", "lbody-in-l", sentences, booklet, "struct-text-lists"),
        ("an untagged file", "untagged-pdf", sentences, booklet, "struct-text-tree"),
    ]
    for what, variant, sents, book, cond in cases:
        path = variant
        if not variant.endswith(".pdf"):
            path = os.path.join(tmp, f"st-{variant}.pdf")
            if variant == "untagged-pdf":
                pdf, v = pdf_fixtures.build_x4(pdf_fixtures.DEFAULT_FONT, ARGS.profile)
                pdf_fixtures.save(pdf, v, path, None)
            else:
                pdf, v = pdf_fixtures.build_ua(pdf_fixtures.DEFAULT_FONT, variant)
                pdf_fixtures.save(pdf, v, path, variant)
        r = pdf_struct_text.run(path, sents, book, levels, out=io.StringIO())
        say(cond in failures(r), f"pdf_struct_text fails {cond} on {what}")
    # words run together at a line end are caught, and --loose accepts them
    glued = os.path.join(tmp, "glued.txt")
    with open(glued, "w", encoding="utf-8") as f:
        f.write("The first item of thelist.\n")
    r = pdf_struct_text.run(ua_path, glued, None, levels, out=io.StringIO())
    say("struct-text-sentences" in failures(r), "pdf_struct_text fails words run together")
    r = pdf_struct_text.run(ua_path, glued, None, levels, loose=True, out=io.StringIO())
    say(not failures(r), "pdf_struct_text --loose accepts words run together")


def x4_checks(tmp, profile):
    out = io.StringIO()
    path = os.path.join(tmp, "x4.pdf")
    pdf, v = pdf_fixtures.build_x4(pdf_fixtures.DEFAULT_FONT, profile)
    pdf_fixtures.save(pdf, v, path, None)
    r = pdfx_check.run(path, gs=True, out=out)
    r.finish()
    say(r.failed == 0, f"pdfx_check --gs passes the PDF/X-4 fixture ({r.passed} conditions)"
        + ("" if r.failed == 0 else ": " + "; ".join(first_fail_lines(out.getvalue()))))
    gs_cases = {"annotation", "no-trimbox"}
    for brk, cond in pdf_fixtures.BREAKS["x4"].items():
        bpath = os.path.join(tmp, f"x4-{brk}.pdf")
        pdf, v = pdf_fixtures.build_x4(pdf_fixtures.DEFAULT_FONT, profile, brk)
        pdf_fixtures.save(pdf, v, bpath, brk)
        r = pdfx_check.run(bpath, gs=brk in gs_cases, out=io.StringIO())
        say(cond in failures(r), f"pdfx_check fails {cond} on the fixture with {brk}"
            + ("" if cond in failures(r) else f" (it failed {failures(r) or 'nothing'})"))
        if brk in gs_cases:
            say("X-gs" in failures(r), f"Ghostscript -dPDFX rejects the fixture with {brk}")


def profile_checks(profile):
    """The built profile: a CMYK output (prtr) profile with a Lab PCS, the
    fixed header date, and within 1 dE of the FOGRA39L data it came from."""
    with open(profile, "rb") as f:
        data = f.read()
    ok = data[36:40] == b"acsp" and data[12:16] == b"prtr" and data[16:20] == b"CMYK" \
        and data[20:24] == b"Lab "
    say(ok, f"{os.path.basename(profile)} is a CMYK output profile (prtr, Lab PCS, {len(data)} bytes)")
    say(data[24:36] == bytes([7, 214, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0]) and data[84:100] == bytes(16),
        "the profile header carries the fixed date 2006-12-01, no wall-clock time")
    p = subprocess.run(["profcheck", ti3_path(), profile], capture_output=True, text=True)
    m = re.search(r"avg\. = ([0-9.]+)", p.stdout + p.stderr)
    avg = float(m.group(1)) if m else 99
    say(avg < 1.0, f"profcheck: the profile reproduces FOGRA39L.ti3 to an average dE of {avg:.2f} (< 1)")


def ti3_path():
    return os.environ.get("ICC_TI3", "/usr/share/color/icc/FOGRA39L.ti3")


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--profile", required=True, help="the built CMYK profile")
    ARGS = ap.parse_args()
    if not os.path.exists(ARGS.profile):
        say(False, f"no profile at {ARGS.profile} (make builds it)")
        return 1
    profile_checks(ARGS.profile)
    with tempfile.TemporaryDirectory() as tmp:
        ua = ua_checks(tmp)
        struct_text_checks(tmp, ua)
        x4_checks(tmp, ARGS.profile)
    return 1 if failed else 0


ARGS = None

if __name__ == "__main__":
    sys.exit(main())
