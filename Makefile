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
LDLIBS += -lm -pthread
B       ?= build
BOOKLET ?= content/booklet.xml
OUT     ?= out

# Packages needed to build, and (TEST_DEBS) to run the checks in `make test`.
DEBS       = pkg-config libxml2-dev libzip-dev libhpdf-dev libhyphen-dev libdeflate-dev hyphen-en-gb
DEBS      += libharfbuzz-dev
DEBS      += libfreetype-dev libpng-dev libjpeg62-turbo-dev
DEBS      += argyll icc-profiles-free
TEST_DEBS  = libxml2-utils epubcheck default-jre-headless qpdf poppler-utils mupdf-tools unzip valgrind fonts-dejavu-core
TEST_DEBS += python3-pikepdf ghostscript

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
SRCS      = $(shell find builder -name '*.c' | LC_ALL=C sort)
HDRS      = $(shell find builder -name '*.h')
LIB_OBJS  = $(patsubst builder/%.c,$(B)/obj/%.o,$(filter-out builder/main.c,$(SRCS))) $(B)/obj/schema.o
LIB_OBJS += $(B)/obj/icc.o
UNIT_SRCS = $(shell find tests/unit -name 'test_*.c' | LC_ALL=C sort)
UNIT_BINS = $(addprefix $(B)/,$(basename $(notdir $(UNIT_SRCS))))
vpath test_%.c $(sort $(dir $(UNIT_SRCS)))

.PHONY: all deps test-deps booklet test bench clean check-asan check-valgrind release fuzz fuzz-build
.DELETE_ON_ERROR:

all: deps $(B)/chapbook booklet $(ICC_PROFILE)

deps:
	@DEBS="$(DEBS)" sh tests/install-deps.sh

test-deps:
	@DEBS="$(DEBS) $(TEST_DEBS)" sh tests/install-deps.sh

booklet: $(B)/chapbook
	./$(B)/chapbook build -o $(OUT) $(BOOKLET)

$(B)/chapbook: $(B)/obj/main.o $(LIB_OBJS)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS)

$(B)/obj/%.o: builder/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The RelaxNG schema is compiled into the binary as a C string.
$(B)/schema.c: builder/source/booklet.rng | $(B)
	{ echo '/* generated from builder/source/booklet.rng */'; \
	  echo 'const char schema_rng[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@

$(B)/obj/schema.o: $(B)/schema.c
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

$(B)/test_%: test_%.c tests/unit/unit.h $(LIB_OBJS)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(LIB_OBJS) $(LDLIBS)

$(B):
	mkdir -p $(B)

$(ICC_PROFILE): tests/build-icc.sh | deps $(B)
	ICC_QUALITY=$(ICC_QUALITY) sh tests/build-icc.sh $(ICC_TI3) $@

test: test-deps $(B)/chapbook $(UNIT_BINS) $(ICC_PROFILE)
	@B=$(B) sh tests/run.sh

# Every output built with --strict into dist/, with SHA256SUMS and manifest.txt.
release: deps $(B)/chapbook
	B=$(B) BOOKLET=$(BOOKLET) sh tests/release.sh

# The whole suite built with AddressSanitizer and UBSan in build-asan/.
# allocator_may_return_null: an allocation too large for the machine
# returns NULL, as it does without ASan, so the out-of-memory path runs.
check-asan:
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	$(MAKE) B=build-asan OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer" test

# build, a build that is rolled back, and check of a few broken booklets
# under valgrind.
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
	for f in $(VG_BAD); do \
		$(VG) ./$(B)/chapbook check tests/bad/$$f >/dev/null 2>$$tmp/vg.log; \
		if [ $$? = 99 ]; then failed=1; echo "FAIL valgrind check $$f"; cat $$tmp/vg.log; \
		else echo "PASS valgrind check $$f"; fi; \
	done; rm -rf $$tmp; \
	if [ $$failed = 0 ]; then echo "valgrind: no errors"; else echo "valgrind: errors"; exit 1; fi

# Median wall time and peak RSS: booklet, 10x and 100x, then hostile input
# (40,000 <em>, a 32,000-key <cite>, 50,000 references, a 5 MB paragraph),
# each against its target with PASS or MISS (a minute or two; N1, N10,
# N100, NHOSTILE set the runs, BENCH_PARTS=hostile runs only that part;
# exits 1 when a target is missed).
bench: deps $(B)/chapbook $(B)/benchrun
	B=$(B) sh tests/bench.sh

$(B)/benchrun: tests/benchrun.c
	@mkdir -p $(B)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<

clean:
	rm -rf build build-* out dist

# ---- fuzzing (clang, libFuzzer) -------------------------------------------
# `make fuzz` runs each target for FUZZ_SECONDS (FUZZ_SECONDS=10 is a smoke
# run). Seeds: the booklet and tests/bad/*.xml. Crashes land in build-fuzz/.
FUZZ_B       = build-fuzz
FUZZ_CC      = clang
FUZZ_SECONDS ?= 1800
FUZZ_TARGETS = fuzz_load fuzz_layout fuzz_font fuzz_face fuzz_image
FUZZ_CFLAGS  = -std=c11 -O1 -g -fno-omit-frame-pointer -D_POSIX_C_SOURCE=200809L \
	$(INCS) -Ibuilder -I$(FUZZ_B) -fsanitize=address,undefined
FUZZ_OBJS    = $(patsubst builder/%.c,$(FUZZ_B)/obj/%.o,$(filter-out builder/main.c,$(SRCS))) $(FUZZ_B)/obj/schema.o
FUZZ_OBJS   += $(FUZZ_B)/obj/icc.o

$(FUZZ_B)/obj/%.o: builder/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/obj/schema.o: $(B)/schema.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_B)/obj/icc.o: $(B)/icc.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(LDLIBS)

.SECONDARY: $(FUZZ_OBJS)

fuzz-build: $(addprefix $(FUZZ_B)/,$(FUZZ_TARGETS))

fuzz: deps fuzz-build
	@FUZZ_B=$(FUZZ_B) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_TARGETS)
