#!/bin/sh
# `make release`: build every output of the booklet with --strict into
# dist/, with SHA256SUMS (sha256sum format) and manifest.txt: each output's
# size and page count, the chapbook version and the source's checksum.
# Environment: B (build dir), BOOKLET, DIST (default dist).
set -eu
B=${B:-build}
BOOKLET=${BOOKLET:-content/booklet.xml}
DIST=${DIST:-dist}
tool=./$B/chapbook
rm -rf "$DIST"
mkdir -p "$DIST"
"$tool" build --strict -o "$DIST" "$BOOKLET"
version=$("$tool" --version)
srcsum=$(sha256sum < "$BOOKLET" | cut -d' ' -f1)
cd "$DIST"
outs=$(ls | grep -E '\.(epub|pdf)$' | sort)
[ -n "$outs" ] || { echo "release: no outputs" >&2; exit 1; }
sha256sum $outs > SHA256SUMS
{
	echo "chapbook release manifest"
	echo "version: $version"
	echo "source: $BOOKLET"
	echo "source-sha256: $srcsum"
	echo "source-date-epoch: ${SOURCE_DATE_EPOCH:-unset (review date)}"
	echo
	printf '%-36s %10s %6s  %s\n' file bytes pages sha256
	for f in $outs; do
		size=$(wc -c < "$f" | tr -d ' ')
		case $f in
		*.pdf) pages=$(pdfinfo "$f" | sed -n 's/^Pages: *//p') ;;
		*) pages=- ;;
		esac
		printf '%-36s %10s %6s  %s\n' "$f" "$size" "$pages" \
			"$(sha256sum < "$f" | cut -d' ' -f1)"
	done
} > manifest.txt
sha256sum -c --quiet SHA256SUMS
cat manifest.txt
