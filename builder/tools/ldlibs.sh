#!/bin/sh
# ldlibs.sh CC: the libraries build/chapbook links, printed for the link
# command. Those Debian ships as static archives (libxml2, ICU, libhyphen,
# libdeflate, cmark, libyaml, libjpeg) are linked into the program when
# their archives are there, so that a start loads fewer shared libraries
# and resolves fewer symbols (README "Speed": 7.2 M instructions before
# main with all of them shared, 4.0 M so). libharu and HarfBuzz have no
# archive, and they load FreeType, libpng and zlib as shared libraries
# anyway. libzip is not linked at all: the EPUB writer loads it when it
# first zips (render/epub/zipdl.c), so that a check or a PDF build does not
# resolve libcrypto's symbols. Without its archive a library is linked
# shared, as before.
cc=${1:-cc}
static=
shared=
for l in xml2 hyphen deflate cmark yaml jpeg icui18n icuuc icudata; do
	f=$($cc -print-file-name=lib$l.a)
	if [ -f "$f" ]; then static="$static -l$l"; else shared="$shared -l$l"; fi
done
if [ -n "$static" ]; then
	static="-Wl,-Bstatic$static -Wl,-Bdynamic"
fi
# what the archives need in turn (ICU is C++; libxml2 wants liblzma)
echo "$static$shared -lhpdf -lharfbuzz-subset -lharfbuzz -lfreetype -lpng -llzma -lz -lstdc++ -lm -ldl -pthread"
