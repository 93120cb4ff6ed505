#!/bin/sh
# The PDF checkers tested on themselves: tests/pdfua_check.py (Matterhorn
# Protocol / PDF/UA-1), tests/pdfx_check.py (PDF/X-4, with Ghostscript's
# opinion) and tests/pdf_struct_text.py (pdfinfo -struct-text) must pass the
# conforming fixtures tests/pdf_fixtures.py writes and fail each broken
# variant on its condition; the CMYK profile make builds must be a CMYK
# output profile with a fixed date that matches the FOGRA39L data.
# Debian's python3 (python3-pikepdf); run from the repo root.
cd "${TOP:-.}" || exit 1
exec /usr/bin/python3 tests/checkers_selftest.py --profile "${B:-build}/FOGRA39L-chapbook.icc"
