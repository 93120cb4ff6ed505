#!/bin/sh
# Builds chapbook's CMYK output profile for PDF/X-4 (`--print`) from Fogra's
# FOGRA39L characterisation data (Debian icc-profiles-free, zlib licence)
# with ArgyllCMS colprof (Debian argyll), reproducibly.
#   sh tests/build-icc.sh FOGRA39L.ti3 OUT.icc
# ICC_QUALITY: colprof's l (default), m, h or u. colprof stamps the ICC
# header with the wall-clock time; the date field (bytes 24-35) is set to
# 2006-12-01 00:00:00 instead, when the data were published (the .ti3's
# CREATED), so two builds are byte-identical. The profile ID (bytes 84-99,
# an MD5 that would cover the date) is left zero by colprof; this checks it.
ti3=${1:?usage: build-icc.sh FOGRA39L.ti3 OUT.icc}
out=${2:?usage: build-icc.sh FOGRA39L.ti3 OUT.icc}
quality=${ICC_QUALITY:-l}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$ti3" "$tmp/FOGRA39L.ti3" || exit 2
# -nc: no copy of the measurements inside; -l330: total ink limit 330%, as
# the FOGRA39 reference profile (ISO Coated v2); -D/-C/-A/-M: fixed strings
# (the default description would be this temporary path).
if ! colprof -q"$quality" -nc -l330 \
	-D "FOGRA39L coated offset (built by chapbook with ArgyllCMS colprof)" \
	-C "From FOGRA39L.ti3 (Fogra, via icc-profiles-free, zlib licence). No warranty." \
	-A "chapbook" -M "FOGRA39" \
	-O "$tmp/out.icc" "$tmp/FOGRA39L" >"$tmp/log" 2>&1; then
	cat "$tmp/log" >&2
	echo "build-icc.sh: colprof failed" >&2
	exit 1
fi
id=$(od -An -tx1 -j84 -N16 "$tmp/out.icc" | tr -d ' \n')
if [ "$id" != 00000000000000000000000000000000 ]; then
	echo "build-icc.sh: colprof wrote a profile ID; the fixed date would invalidate it" >&2
	exit 1
fi
# dateTimeNumber: year 2006 (0x07d6), month 12, day 1, 00:00:00
printf '\007\326\000\014\000\001\000\000\000\000\000\000' |
	dd of="$tmp/out.icc" bs=1 seek=24 conv=notrunc 2>/dev/null || exit 1
mv "$tmp/out.icc" "$out"
