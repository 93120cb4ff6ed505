#!/bin/sh
# Word-spacing evenness of chapbook's A5 beside LaTeX's, by one method in
# one run (issue 11): content/booklet.md through pandoc's LaTeX template
# (which loads microtype: protrusion and font expansion under pdflatex) on
# the same A5 page with the same margins and body size as styles/a5.style,
# the bibliography left out (chapbook sets its own ragged right, which the
# measure skips), then tests/typo_metrics.py over both PDFs. Not a test:
# a table for people comparing engines. Needs pandoc and pdflatex
# (texlive-latex-recommended, lmodern).
# Usage: CHAPBOOK=build/chapbook sh tests/typo-peers.sh
: "${CHAPBOOK:?}"
for t in pandoc pdflatex; do
	command -v $t >/dev/null || { echo "typo-peers: $t is not installed" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
M=tests/typo_metrics.py
"$CHAPBOOK" build -o "$tmp" --format a5 content/booklet.md >/dev/null 2>&1 || exit 1
pandoc content/booklet.md --citeproc -M suppress-bibliography=true -s \
	-V papersize=a5 -V fontsize=11pt \
	-V geometry:top=17mm,bottom=22.6mm,inner=15mm,outer=19mm,twoside \
	-o "$tmp/latex.tex" || exit 1
(cd "$tmp" && pdflatex -interaction=batchmode latex.tex >/dev/null 2>&1 &&
	pdflatex -interaction=batchmode latex.tex >/dev/null 2>&1) ||
	{ echo "typo-peers: pdflatex failed" >&2; exit 1; }
$PY $M --header --label "chapbook A5" "$tmp"/*-a5.pdf
$PY $M --label "LaTeX (pdflatex, microtype; pandoc's template)" "$tmp/latex.pdf"
