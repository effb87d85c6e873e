# PACT - power and carbon tracker.  Plain GNU make; see README.md.
#   make            build build/libpact.so, build/libpact.a, build/pact, tools
#   make run        install missing Debian packages, build, track a default job
#   make check      install, build, run every test (ends "N passed, N failed")
#   make asan       the tests under AddressSanitizer + UBSan
#   make install    PREFIX=/usr/local (binary, library, header, .pc, man page)
#   make bench      benchmarks under bench/ (figures go in README.md)

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
SAN     ?=
OPT     ?= -O2 -g
CFLAGS  ?=
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $(OPT) -fPIC \
           -fvisibility=hidden -Iinclude -Isrc $(SAN) \
           -DPACT_DATADIR='"$(PREFIX)/share/pact"'
LDLIBS  += -lgsl -lgslcblas -ldl -lpthread -lm
LDFLAGS += $(SAN)
# pact top only; libncursesw is small and lazily paged in.
CURSES_LIBS := $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo)

LIB_SRCS  := $(sort $(shell find src -name '*.c' -not -path 'src/cli/*'))
CLI_SRCS  := $(sort $(wildcard src/cli/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
TOOLS     := $(patsubst tools/%.c,$(BUILD)/%,$(wildcard tools/*.c))
TESTS     := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
HELPERS   := $(patsubst tests/helpers/%.c,$(BUILD)/tests/helpers/%,$(wildcard tests/helpers/*.c))
FAKES     := $(patsubst tests/fakes/%.c,$(BUILD)/fakes/%.so,$(wildcard tests/fakes/*.c))
BENCHES   := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))

.PHONY: all deps run check test asan install lint bench clean gpu-burn
all: $(BUILD)/libpact.so $(BUILD)/libpact.a $(BUILD)/pact $(TOOLS)

deps:
	@sh scripts/deps.sh

$(BUILD)/obj/%.o: %.c $(wildcard include/pact/*.h) $(shell find src -name '*.h')
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libpact.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libpact.so: $(LIB_OBJS) libpact.map
	$(CC) -shared -Wl,--version-script=libpact.map -Wl,-soname,libpact.so.0 \
	    $(LDFLAGS) -o $@ $(LIB_OBJS) $(LDLIBS)

$(BUILD)/pact: $(CLI_OBJS) $(BUILD)/libpact.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libpact.a $(LDLIBS) $(CURSES_LIBS)

$(BUILD)/%: tools/%.c $(BUILD)/libpact.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libpact.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/t.h $(BUILD)/libpact.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(BUILD)/libpact.a $(LDLIBS)

$(BUILD)/tests/helpers/%: tests/helpers/%.c $(wildcard include/pact/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/fakes/%.so: tests/fakes/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fvisibility=default -shared $(LDFLAGS) -o $@ $< -lpthread -lm

$(BUILD)/bench/%: bench/%.c $(BUILD)/libpact.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libpact.a $(LDLIBS)

test-progs: all $(TESTS) $(HELPERS) $(FAKES)

run: deps all
	@sh scripts/run-default.sh $(BUILD)

check: deps
	@$(MAKE) --no-print-directory test

test: test-progs
	@sh tests/run.sh $(BUILD)

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT='-O1 -g' \
	    SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' test

lint:
	@sh scripts/lint.sh

bench: all $(BENCHES) $(HELPERS)
	@sh bench/run.sh $(BUILD)

gpu-burn:
	@sh workloads/gpu/build.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	    $(DESTDIR)$(PREFIX)/include/pact $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/pact
	install -m 755 $(BUILD)/pact $(DESTDIR)$(PREFIX)/bin/pact
	install -m 755 $(BUILD)/libpact.so $(DESTDIR)$(PREFIX)/lib/libpact.so.0
	ln -sf libpact.so.0 $(DESTDIR)$(PREFIX)/lib/libpact.so
	install -m 644 include/pact/pact.h $(DESTDIR)$(PREFIX)/include/pact/pact.h
	sed 's|@PREFIX@|$(PREFIX)|g' libpact.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/pact.pc
	install -m 644 docs/pact.1 $(DESTDIR)$(PREFIX)/share/man/man1/pact.1
	cp -r data/. $(DESTDIR)$(PREFIX)/share/pact/
	if [ -f scripts/install-python.sh ]; then sh scripts/install-python.sh "$(DESTDIR)" "$(PREFIX)"; fi

clean:
	rm -rf build build-asan

