#!/bin/sh
# `make release`: every output of the booklet built with --strict, named
# NAME = IDENTIFIER-VERSION (VERSION defaults to the review date), with
# SHA256SUMS and manifest.txt, bundled in NAME.tar.gz, all in DIST:
#
#   DIST/NAME.epub, NAME-a5.pdf, ...   the outputs
#   DIST/manifest.txt                  sizes, page counts, checksums, versions
#   DIST/NAME.tar.gz                   NAME/ holding the outputs, the
#                                      manifest and their SHA256SUMS
#   DIST/SHA256SUMS                    every file above
#
# The archive is reproducible: names sorted, owner 0, modes fixed, times
# from SOURCE_DATE_EPOCH or the review date, gzip without name or time.
# Everything is made in a new directory beside DIST, which replaces DIST
# only when all of it succeeded: a failed release leaves DIST as it was.
# Environment: B (build dir), CHAPBOOK (default ./$B/chapbook), BOOKLET,
# DIST (default dist), VERSION, SOURCE_DATE_EPOCH.
set -eu
B=${B:-build}
BOOKLET=${BOOKLET:-content/booklet.xml}
DIST=${DIST:-dist}
VERSION=${VERSION:-}
tool=${CHAPBOOK:-./$B/chapbook}
top=$(pwd)
die() { echo "release: $*" >&2; exit 1; }

command -v pdfinfo >/dev/null ||
	die "pdfinfo is missing (Debian poppler-utils; 'make release' installs it)"
DIST=${DIST%/}
parent=$(dirname "$DIST")
base=$(basename "$DIST")
mkdir -p "$parent"
work=$(cd "$(mktemp -d "$parent/.$base.new.XXXXXX")" && pwd)
old=""
trap 'rm -rf "$work"; [ -z "$old" ] || rm -rf "$old"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# The name: the booklet's identifier and review date (or VERSION).
meta=$("$tool" check --strict --meta "$BOOKLET") || die "$BOOKLET does not pass check --strict"
id=$(printf '%s\n' "$meta" | sed -n 's/^identifier: //p')
reviewed=$(printf '%s\n' "$meta" | sed -n 's/^reviewed: //p')
version=${VERSION:-$reviewed}
case $version in
"" | *[!A-Za-z0-9._-]* | [!A-Za-z0-9]*) die "bad version '$version' (letters, digits, '.', '_', '-')" ;;
esac
name=$id-$version

# Every date in the release: SOURCE_DATE_EPOCH, else the review date.
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
	epoch=$SOURCE_DATE_EPOCH
else
	case $reviewed in
	????) day=$reviewed-01-01 ;;
	????-??) day=$reviewed-01 ;;
	*) day=$reviewed ;;
	esac
	epoch=$(date -u -d "$day" +%s) || die "cannot read the review date '$reviewed'"
fi

# The outputs, renamed ID-SUFFIX -> NAME-SUFFIX.
"$tool" build --strict -q -o "$work/build" "$BOOKLET"
chapbook_version=$("$tool" --version)
source_sum=$(sha256sum <"$BOOKLET" | cut -d' ' -f1)
mkdir "$work/$name"
for f in "$work/build"/*; do
	b=$(basename "$f")
	mv "$f" "$work/$name/$name${b#"$id"}"
done
cd "$work/$name"
outs=$(LC_ALL=C ls | grep -E '\.(epub|pdf)$') || die "no outputs"
{
	echo "chapbook release manifest"
	echo "release: $name"
	echo "tool: $chapbook_version"
	echo "source: $BOOKLET"
	echo "source-sha256: $source_sum"
	echo "source-date-epoch: $epoch"
	echo
	printf '%-44s %10s %6s  %s\n' file bytes pages sha256
	for f in $outs; do
		case $f in
		*.pdf)
			pages=$(pdfinfo "$f" | sed -n 's/^Pages: *//p')
			[ -n "$pages" ] || die "pdfinfo gives no page count for $f" ;;
		*) pages=- ;;
		esac
		printf '%-44s %10s %6s  %s\n' "$f" "$(wc -c <"$f" | tr -d ' ')" "$pages" \
			"$(sha256sum <"$f" | cut -d' ' -f1)"
	done
} >manifest.txt
sha256sum $outs manifest.txt >SHA256SUMS
sha256sum -c --quiet SHA256SUMS
cd "$work"
tar --sort=name --format=gnu --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
	--mode='u+rwX,go+rX,go-w' -cf - "$name" | gzip -9n >"$name.tar.gz"

# The new DIST: the outputs, the manifest, the archive, their checksums.
mkdir dist
mv "$name"/*.epub "$name"/*.pdf "$name/manifest.txt" "$name.tar.gz" dist/
(cd dist && sha256sum $outs manifest.txt "$name.tar.gz" >SHA256SUMS)
cd "$top"

# Swap: the old DIST is kept aside until the new one is in place (and put
# back if that fails).
if [ -e "$DIST" ]; then
	old=$(mktemp -d "$parent/.$base.old.XXXXXX")
	mv "$DIST" "$old/"
fi
if ! mv "$work/dist" "$DIST"; then
	[ -z "$old" ] || mv "$old/$base" "$DIST"
	die "cannot put $DIST in place"
fi
cat "$DIST/manifest.txt"
echo "release: $DIST/$name.tar.gz"
