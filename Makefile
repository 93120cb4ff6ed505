# chapbook - build the tool, the default booklet, and run the tests.
# `make` installs missing Debian packages (as root), builds build/chapbook
# and every output of the default booklet into out/. `make test` runs the suite.

CC      ?= cc
OPT     ?= -O2 -g
SAN     ?=
CFLAGS_ALL = -std=c11 $(OPT) $(SAN) -pthread -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L \
	$(INCS) -Ibuilder -I$(B)
# System headers and libraries, one library per line so that additions merge.
INCS    = -I/usr/include/libxml2
INCS   += -I/usr/include/harfbuzz
INCS   += -I/usr/include/freetype2
LDLIBS  = -lxml2 -lzip -lhpdf -lhyphen -ldeflate
LDLIBS += -lharfbuzz-subset -lharfbuzz
LDLIBS += -lfreetype -lpng -ljpeg -lz
LDLIBS += -licui18n -licuuc
LDLIBS += -lcmark -lyaml
LDLIBS += -lm -pthread
LDFLAGS_FAST = -Wl,-O1 -Wl,--as-needed
B       ?= build
BOOKLET ?= content/booklet.xml
OUT     ?= out

# `make install`: the program in BINDIR, the default styles and fonts in
# DATADIR (compiled in as the last place to look), the man page in MANDIR.
# DESTDIR stages the whole tree elsewhere (for packaging).
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/chapbook
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=
# `make release VERSION=1.2`: the release's name (default: the review date).
VERSION ?=

# Packages needed to build, and (TEST_DEBS) to run the checks in `make test`.
DEBS       = pkg-config libxml2-dev libzip-dev libhpdf-dev libhyphen-dev libdeflate-dev hyphen-en-gb
DEBS      += libharfbuzz-dev
DEBS      += libfreetype-dev libpng-dev libjpeg62-turbo-dev
DEBS      += argyll icc-profiles-free
DEBS      += libicu-dev
DEBS      += libcmark-dev libyaml-dev
TEST_DEBS  = libxml2-utils epubcheck default-jre-headless qpdf poppler-utils mupdf-tools unzip valgrind fonts-dejavu-core
TEST_DEBS += python3-pikepdf ghostscript
TEST_DEBS += groff-base bsdutils
TEST_DEBS += pandoc
TEST_DEBS += chromium
# ... to run `make bench` (pandoc is its yardstick) ...
BENCH_DEBS = pandoc
# ... and to make a release (pdfinfo for the page counts).
RELEASE_DEBS = poppler-utils

# Ace by DAISY, the EPUB accessibility checker, from the npm registry (npm
# must be on the PATH), pinned, into build/ace/ once (not committed): no
# Electron or Chrome download; it runs Debian's chromium through
# tests/ace-chromium.sh. Shared by build-asan/ (ACE_DIR is not under B).
ACE_VERSION = 1.4.6
ACE_DIR    ?= build/ace
ACE         = $(ACE_DIR)/node_modules/.bin/ace-puppeteer

# The CMYK output profile for PDF/X-4 print files, built from Fogra's FOGRA39L
# characterisation data (icc-profiles-free, zlib licence) with ArgyllCMS
# colprof: about 5 s of CPU, once. ICC_QUALITY=m gives a finer profile
# (about 18 s, 120 KB instead of 28 KB); see README "The CMYK output profile".
ICC_TI3     = /usr/share/color/icc/FOGRA39L.ti3
ICC_PROFILE = $(B)/FOGRA39L-chapbook.icc
ICC_QUALITY ?= l

# builder/ holds one folder per stage of the pipeline; objects mirror it
# under $(B)/obj/. Unit tests mirror it under tests/unit/; their binaries
# are $(B)/test_NAME.
SRCS      = $(shell find builder -name '*.c' -not -path 'builder/tools/*' | LC_ALL=C sort)
HDRS      = $(shell find builder -name '*.h')
LIB_OBJS  = $(patsubst builder/%.c,$(B)/obj/%.o,$(filter-out builder/main.c,$(SRCS))) \
	$(B)/obj/starters.o
LIB_OBJS += $(B)/obj/icc.o
LIB_OBJS += $(B)/obj/hyphdata.o
UNIT_SRCS = $(shell find tests/unit -name 'test_*.c' | LC_ALL=C sort)
UNIT_BINS = $(addprefix $(B)/,$(basename $(notdir $(UNIT_SRCS))))
vpath test_%.c $(sort $(dir $(UNIT_SRCS)))

.PHONY: all deps test-deps booklet test bench clean check-asan check-valgrind release fuzz fuzz-build \
	install uninstall FORCE
.DELETE_ON_ERROR:

all: deps $(B)/chapbook booklet $(ICC_PROFILE)

deps:
	@DEBS="$(DEBS)" sh tests/install-deps.sh

test-deps:
	@DEBS="$(DEBS) $(TEST_DEBS)" sh tests/install-deps.sh

booklet: $(B)/chapbook
	./$(B)/chapbook build -o $(OUT) $(BOOKLET)

# The program links the libraries Debian ships as archives statically
# (builder/tools/ldlibs.sh); the unit tests link them all shared.
$(B)/chapbook: $(B)/obj/main.o $(LIB_OBJS) builder/tools/ldlibs.sh
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_FAST) -o $@ $(B)/obj/main.o $(LIB_OBJS) \
		$(shell sh builder/tools/ldlibs.sh $(CC))

$(B)/obj/%.o: builder/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The output profile of print files is compiled in too (render/pdf/icc.h).
$(B)/icc.c: $(ICC_PROFILE)
	{ echo '/* generated from $(ICC_PROFILE) (render/pdf/icc.h) */'; \
	  echo '#include "render/pdf/icc.h"'; \
	  echo 'const unsigned char icc_output_profile[] = {'; \
	  od -An -v -tu1 $< | sed -e 's/^ *//' -e 's/  */,/g' -e 's/$$/,/'; \
	  echo '};'; \
	  echo 'const size_t icc_output_profile_len = sizeof icc_output_profile;'; \
	} > $@

$(B)/obj/icc.o: $(B)/icc.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The default hyphenation patterns, compiled once here instead of on every
# run (typeset/hyph.h: hyph_builtin; used when the file still holds the
# same bytes). builder/tools/hyphgen links the compiler and the base it needs.
HYPH_DIC   = /usr/share/hyphen/hyph_en_GB.dic
HYPHGEN_OBJS = $(B)/obj/typeset/hyph.o $(patsubst builder/%.c,$(B)/obj/%.o,$(wildcard builder/base/*.c))
$(B)/hyphgen: builder/tools/hyphgen.c $(HYPHGEN_OBJS) | deps
	$(CC) $(CFLAGS_ALL) -o $@ $< $(HYPHGEN_OBJS) $(LDLIBS)

$(B)/hyphdata.c: $(B)/hyphgen $(wildcard $(HYPH_DIC))
	./$(B)/hyphgen $(HYPH_DIC) > $@

$(B)/obj/hyphdata.o: $(B)/hyphdata.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The starter booklets of `chapbook new`, compiled in the same way ('?'
# escaped: C11 has trigraphs).
STARTERS = content/starter/booklet.md content/starter/booklet.xml
$(B)/starters.c: $(STARTERS) | $(B)
	{ echo '/* generated from content/starter/ */'; \
	  for f in md xml; do \
	    echo "const char starter_$$f[] ="; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' \
	      content/starter/booklet.$$f; \
	    echo ';'; \
	  done; } > $@

$(B)/obj/starters.o: $(B)/starters.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The data directory compiled in; rewritten only when DATADIR changes, so
# that `make install PREFIX=/usr` rebuilds the one object that holds it.
$(B)/datadir.h: FORCE | $(B)
	@echo '#define CHAPBOOK_DATADIR "$(DATADIR)"' > $@.new; \
	if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi

$(B)/obj/cli/paths.o: $(B)/datadir.h

# The soname of the libzip the build links against, for the EPUB writer's
# dlopen (render/epub/zipdl.c: check and PDF builds never load libzip).
$(B)/zipsoname.h: | deps $(B)
	@so=$$(objdump -p "$$($(CC) -print-file-name=libzip.so)" | awk '$$1 == "SONAME" { print $$2 }'); \
	test -n "$$so" || { echo "make: no soname found for libzip.so" >&2; exit 1; }; \
	echo "#define ZIPDL_SONAME \"$$so\"" > $@

$(B)/obj/render/epub/zipdl.o: $(B)/zipsoname.h

$(B)/test_%: test_%.c tests/unit/unit.h $(LIB_OBJS)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(LIB_OBJS) $(LDLIBS)

$(B):
	mkdir -p $(B)

$(ICC_PROFILE): tests/build-icc.sh | deps $(B)
	ICC_QUALITY=$(ICC_QUALITY) sh tests/build-icc.sh $(ICC_TI3) $@

# OPT and SAN go to the tests that run make themselves (install.sh).
test: test-deps $(B)/chapbook $(UNIT_BINS) $(ICC_PROFILE) $(ACE)
	@B=$(B) OPT="$(OPT)" SAN="$(SAN)" ACE="$(CURDIR)/$(ACE)" UNIT_BINS="$(UNIT_BINS)" sh tests/run.sh

$(ACE):
	@command -v npm >/dev/null 2>&1 || { echo "make test needs npm (for Ace by DAISY)"; exit 1; }
	@mkdir -p $(ACE_DIR)
	cd $(ACE_DIR) && ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
		npm install --ignore-scripts --no-audit --no-fund --save-exact --loglevel=error \
		@daisy/ace@$(ACE_VERSION)

# Every output built with --strict, named after the booklet's identifier
# and review date (or VERSION), with SHA256SUMS and manifest.txt, bundled
# in one reproducible archive; dist/ is replaced only when all succeeded.
release: $(B)/chapbook
	@DEBS="$(DEBS) $(RELEASE_DEBS)" sh tests/install-deps.sh
	B=$(B) BOOKLET=$(BOOKLET) VERSION=$(VERSION) sh tests/release.sh

# The program, the default styles and fonts (with their licence) and the
# man page; `make uninstall` removes exactly these.
install: $(B)/chapbook
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/styles \
		$(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(B)/chapbook $(DESTDIR)$(BINDIR)/chapbook
	install -m 644 styles/a5.style styles/a4-handout.style styles/epub.css \
		$(DESTDIR)$(DATADIR)/styles/
	install -m 644 fonts/*.ttf fonts/OFL.txt fonts/README $(DESTDIR)$(DATADIR)/fonts/
	install -m 644 builder/chapbook.1 $(DESTDIR)$(MANDIR)/man1/chapbook.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/chapbook $(DESTDIR)$(MANDIR)/man1/chapbook.1
	rm -rf $(DESTDIR)$(DATADIR)

# The whole suite built with AddressSanitizer and UBSan in build-asan/.
# allocator_may_return_null: an allocation too large for the machine
# returns NULL, as it does without ASan, so the out-of-memory path runs.
# The hang guard of tests/e2e/slow.sh gets 120 s: sanitizers run 3-10x slower.
check-asan:
	SLOW_LIMIT=120 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	$(MAKE) B=build-asan OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer" test

# build, a build that is rolled back, new and a build of its starter, a
# usage error, and check of a few broken booklets under valgrind.
VG = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
VG_BAD = unknown-key.xml not-well-formed.xml duplicate-key.xml billion-laughs.xml invalid-utf8.xml uncited.xml
check-valgrind: test-deps $(B)/chapbook
	@tmp=$$(mktemp -d); failed=0; \
	if $(VG) ./$(B)/chapbook build -o $$tmp $(BOOKLET) >/dev/null 2>$$tmp/vg.log; \
	then echo "PASS valgrind build $(BOOKLET)"; \
	else failed=1; echo "FAIL valgrind build $(BOOKLET)"; cat $$tmp/vg.log; fi; \
	mkdir -p $$tmp/blocked/mums-bonding-handout-a4.pdf; \
	$(VG) ./$(B)/chapbook build -o $$tmp/blocked content/booklet.xml >/dev/null 2>$$tmp/vg.log; \
	if [ $$? = 2 ]; then echo "PASS valgrind build into a blocked path (rolled back)"; \
	else failed=1; echo "FAIL valgrind build into a blocked path (rolled back)"; cat $$tmp/vg.log; fi; \
	if $(VG) ./$(B)/chapbook new -q --xml $$tmp/new 2>$$tmp/vg.log && \
	   $(VG) ./$(B)/chapbook build -q --format a5 -o $$tmp/new/out $$tmp/new/booklet.xml 2>>$$tmp/vg.log && \
	   $(VG) ./$(B)/chapbook build --frmat x >/dev/null 2>&1; [ $$? = 2 ]; \
	then echo "PASS valgrind new, a build of the starter, a usage error"; \
	else failed=1; echo "FAIL valgrind new, a build of the starter, a usage error"; cat $$tmp/vg.log; fi; \
	for f in $(VG_BAD); do \
		$(VG) ./$(B)/chapbook check tests/bad/$$f >/dev/null 2>$$tmp/vg.log; \
		if [ $$? = 99 ]; then failed=1; echo "FAIL valgrind check $$f"; cat $$tmp/vg.log; \
		else echo "PASS valgrind check $$f"; fi; \
	done; rm -rf $$tmp; \
	if [ $$failed = 0 ]; then echo "valgrind: no errors"; else echo "valgrind: errors"; exit 1; fi

# Against pandoc's EPUB and a bare XML parse (issue 15's ratios), then
# median wall time and peak RSS: booklet, 10x and 100x, then hostile input
# (40,000 <em>, a 32,000-key <cite>, 50,000 references, a 5 MB paragraph),
# each against its target with PASS or MISS (a minute or two; N1, N10,
# N100, NHOSTILE set the runs, BENCH_PARTS=hostile runs only that part;
# exits 1 when a target is missed).
bench: deps $(B)/chapbook $(B)/benchrun $(B)/xmlparse
	@DEBS="$(BENCH_DEBS)" sh tests/install-deps.sh
	B=$(B) sh tests/bench.sh

$(B)/benchrun: tests/benchrun.c
	@mkdir -p $(B)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<

# The bench's yardstick for `chapbook check`: a bare libxml2 parse, linked
# as the program is.
$(B)/xmlparse: tests/xmlparse.c builder/tools/ldlibs.sh | deps
	@mkdir -p $(B)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror $(INCS) $(LDFLAGS_FAST) -o $@ $< \
		$(shell sh builder/tools/ldlibs.sh $(CC))

clean:
	rm -rf build build-* out dist

# ---- fuzzing (clang, libFuzzer) -------------------------------------------
# `make fuzz` runs each target for FUZZ_SECONDS (FUZZ_SECONDS=10 is a smoke
# run). Seeds: the booklets in content/ and tests/ (tests/fuzz/run.sh).
# Crashes land in build-fuzz/.
FUZZ_B       = build-fuzz
FUZZ_CC      = clang
FUZZ_SECONDS ?= 1800
FUZZ_TARGETS = fuzz_load fuzz_layout fuzz_face fuzz_image fuzz_md
FUZZ_CFLAGS  = -std=c11 -O1 -g -fno-omit-frame-pointer -D_POSIX_C_SOURCE=200809L \
	$(INCS) -Ibuilder -I$(FUZZ_B) -fsanitize=address,undefined
FUZZ_OBJS    = $(patsubst builder/%.c,$(FUZZ_B)/obj/%.o,$(filter-out builder/main.c builder/cli/%,$(SRCS)))
FUZZ_OBJS   += $(FUZZ_B)/obj/icc.o $(FUZZ_B)/obj/hyphdata.o

$(FUZZ_B)/obj/%.o: builder/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/obj/render/epub/zipdl.o: builder/render/epub/zipdl.c $(B)/zipsoname.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(B) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/obj/icc.o: $(B)/icc.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_B)/obj/hyphdata.o: $(B)/hyphdata.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(LDLIBS)

.SECONDARY: $(FUZZ_OBJS)

fuzz-build: $(addprefix $(FUZZ_B)/,$(FUZZ_TARGETS))

fuzz: deps fuzz-build
	@FUZZ_B=$(FUZZ_B) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_TARGETS)
