# chapbook - build the tool, the default booklet, and run the tests.
# `make` installs missing Debian packages (as root), builds build/chapbook
# and every output of the default booklet into out/. `make test` runs the suite.

CC      ?= cc
OPT     ?= -O2 -g
SAN     ?=
CFLAGS_ALL = -std=c11 $(OPT) $(SAN) -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L \
	-I/usr/include/libxml2 -Ibuilder -Ibuild
LDLIBS  = -lxml2 -lzip -lhpdf -lhyphen -lm
B       ?= build
BOOKLET ?= content/booklet.xml
OUT     ?= out

# Packages needed to build, and (TEST_DEBS) to run the checks in `make test`.
DEBS      = pkg-config libxml2-dev libzip-dev libhpdf-dev libhyphen-dev hyphen-en-gb
TEST_DEBS = libxml2-utils epubcheck default-jre-headless qpdf poppler-utils mupdf-tools unzip valgrind

SRCS      = $(wildcard builder/*.c)
LIB_OBJS  = $(patsubst builder/%.c,$(B)/%.o,$(filter-out builder/main.c,$(SRCS))) $(B)/schema.o
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(patsubst tests/unit/%.c,$(B)/%,$(UNIT_SRCS))

.PHONY: all deps test-deps booklet test bench clean check-asan check-valgrind release fuzz
.DELETE_ON_ERROR:

all: deps $(B)/chapbook booklet

deps:
	@DEBS="$(DEBS)" sh tests/install-deps.sh

test-deps:
	@DEBS="$(DEBS) $(TEST_DEBS)" sh tests/install-deps.sh

booklet: $(B)/chapbook
	./$(B)/chapbook build -o $(OUT) $(BOOKLET)

$(B)/chapbook: $(B)/main.o $(LIB_OBJS)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS)

$(B)/%.o: builder/%.c $(wildcard builder/*.h) | $(B)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The RelaxNG schema is compiled into the binary as a C string.
$(B)/schema.c: builder/booklet.rng | $(B)
	{ echo '/* generated from builder/booklet.rng */'; \
	  echo 'const char schema_rng[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@

$(B)/schema.o: $(B)/schema.c
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(B)/test_%: tests/unit/test_%.c tests/unit/check.h $(LIB_OBJS)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(LIB_OBJS) $(LDLIBS)

$(B):
	mkdir -p $(B)

test: test-deps $(B)/chapbook $(UNIT_BINS)
	@B=$(B) sh tests/run.sh

clean:
	rm -rf build build-* out dist
