#!/bin/sh
# The A4 handout passes the same checks as the A5 PDF (tests/e2e/pdf.sh):
# every sentence, no word outside the text block, no widow or orphan,
# fonts embedded, qpdf and pdftotext clean.
PDF_KIND=handout exec sh "${TOP:-.}/tests/e2e/pdf.sh"
