# chapbook - build the tool, the default booklet, and run the tests.
# `make` installs missing Debian packages (as root), builds build/chapbook
# and every output of the default booklet into out/. `make test` runs the suite.

CC      ?= cc
OPT     ?= -O2 -g
SAN     ?=
CFLAGS_ALL = -std=c11 $(OPT) $(SAN) -pthread -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L \
	-I/usr/include/libxml2 -Ibuilder -I$(B)
LDLIBS  = -lxml2 -lzip -lhpdf -lhyphen -ldeflate -lcmark -lyaml -lm -pthread
B       ?= build
BOOKLET ?= content/booklet.xml
OUT     ?= out

# Packages needed to build, and (TEST_DEBS) to run the checks in `make test`.
DEBS      = pkg-config libxml2-dev libzip-dev libhpdf-dev libhyphen-dev libdeflate-dev hyphen-en-gb \
	libcmark-dev libyaml-dev
TEST_DEBS = libxml2-utils epubcheck default-jre-headless qpdf poppler-utils mupdf-tools unzip valgrind fonts-dejavu-core \
	pandoc

# builder/ holds one folder per stage of the pipeline; objects mirror it
# under $(B)/obj/. Unit tests mirror it under tests/unit/; their binaries
# are $(B)/test_NAME.
SRCS      = $(shell find builder -name '*.c' | LC_ALL=C sort)
HDRS      = $(shell find builder -name '*.h')
LIB_OBJS  = $(patsubst builder/%.c,$(B)/obj/%.o,$(filter-out builder/main.c,$(SRCS))) $(B)/obj/schema.o
UNIT_SRCS = $(shell find tests/unit -name 'test_*.c' | LC_ALL=C sort)
UNIT_BINS = $(addprefix $(B)/,$(basename $(notdir $(UNIT_SRCS))))
vpath test_%.c $(sort $(dir $(UNIT_SRCS)))

.PHONY: all deps test-deps booklet test bench clean check-asan check-valgrind release fuzz fuzz-build
.DELETE_ON_ERROR:

all: deps $(B)/chapbook booklet

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

$(B)/test_%: test_%.c tests/unit/unit.h $(LIB_OBJS)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(LIB_OBJS) $(LDLIBS)

$(B):
	mkdir -p $(B)

test: test-deps $(B)/chapbook $(UNIT_BINS)
	@B=$(B) sh tests/run.sh

# Every output built with --strict into dist/, with SHA256SUMS and manifest.txt.
release: deps $(B)/chapbook
	B=$(B) BOOKLET=$(BOOKLET) sh tests/release.sh

# The whole suite built with AddressSanitizer and UBSan in build-asan/.
check-asan:
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	$(MAKE) B=build-asan OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer" test

# build and check of a few broken booklets under valgrind.
VG = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
VG_BAD = unknown-key.xml not-well-formed.xml duplicate-key.xml billion-laughs.xml invalid-utf8.xml uncited.xml
check-valgrind: test-deps $(B)/chapbook
	@tmp=$$(mktemp -d); failed=0; \
	if $(VG) ./$(B)/chapbook build -o $$tmp $(BOOKLET) >/dev/null 2>$$tmp/vg.log; \
	then echo "PASS valgrind build $(BOOKLET)"; \
	else failed=1; echo "FAIL valgrind build $(BOOKLET)"; cat $$tmp/vg.log; fi; \
	for f in $(VG_BAD); do \
		$(VG) ./$(B)/chapbook check tests/bad/$$f >/dev/null 2>$$tmp/vg.log; \
		if [ $$? = 99 ]; then failed=1; echo "FAIL valgrind check $$f"; cat $$tmp/vg.log; \
		else echo "PASS valgrind check $$f"; fi; \
	done; rm -rf $$tmp; \
	if [ $$failed = 0 ]; then echo "valgrind: no errors"; else echo "valgrind: errors"; exit 1; fi

# Median wall time and peak RSS: booklet, 10x and 100x (about a minute;
# N1, N10, N100 set the runs; exits 1 when a target is missed).
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
FUZZ_TARGETS = fuzz_load fuzz_layout fuzz_font fuzz_md
FUZZ_CFLAGS  = -std=c11 -O1 -g -fno-omit-frame-pointer -D_POSIX_C_SOURCE=200809L \
	-I/usr/include/libxml2 -Ibuilder -I$(FUZZ_B) -fsanitize=address,undefined
FUZZ_OBJS    = $(patsubst builder/%.c,$(FUZZ_B)/obj/%.o,$(filter-out builder/main.c,$(SRCS))) $(FUZZ_B)/obj/schema.o

$(FUZZ_B)/obj/%.o: builder/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/obj/schema.o: $(B)/schema.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(LDLIBS)

.SECONDARY: $(FUZZ_OBJS)

fuzz-build: $(addprefix $(FUZZ_B)/,$(FUZZ_TARGETS))

fuzz: deps fuzz-build
	@FUZZ_B=$(FUZZ_B) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_TARGETS)
