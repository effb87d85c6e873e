# PACT - power and carbon tracker.  Plain GNU make; see README.md.
#   make            build build/libpact.so, build/libpact.a, build/pact, tools
#   make run        install missing Debian packages, build, track a default job
#   make check      install, build, run every test (ends "N passed, N failed")
#   make asan       the tests under AddressSanitizer + UBSan
#   make tsan       the tests where threads meet, under ThreadSanitizer
#   make fuzz       libFuzzer (clang) on every parser, FUZZ_TIME s each
#   make install    PREFIX=/usr/local (binary, library, header, .pc, man page)
#   make bench      benchmarks under bench/ (figures go in README.md)

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
SAN     ?=
OPT     ?= -O2 -g
CFLAGS  ?=
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $(OPT) -fPIC \
           -fvisibility=hidden -Iinclude -Isrc -Itools $(SAN) \
           -DPACT_DATADIR='"$(PREFIX)/share/pact"'
LDLIBS  += -lgsl -lgslcblas -ldl -lpthread -lm
LDFLAGS += $(SAN)
# pact top only; libncursesw is small and lazily paged in.
CURSES_LIBS := $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo)

LIB_SRCS  := $(sort $(shell find src -name '*.c' -not -path 'src/cli/*' -not -path 'src/report/*' -not -path 'src/top/*'))
CLI_SRCS  := $(sort $(wildcard src/cli/*.c))
# pact report (src/report/, cairo) and pact top (src/top/, ncurses) are
# programs of their own that pact runs, so a tracking pact loads neither.
REPORT_SRCS := $(sort $(wildcard src/report/*.c))
TOP_SRCS  := $(sort $(wildcard src/top/*.c))
CAIRO_CFLAGS := $(shell pkg-config --cflags cairo fontconfig 2>/dev/null)
CAIRO_LIBS   := $(shell pkg-config --libs cairo fontconfig 2>/dev/null || echo -lcairo -lfontconfig)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
REPORT_OBJS := $(REPORT_SRCS:%.c=$(BUILD)/obj/%.o)
TOP_OBJS  := $(TOP_SRCS:%.c=$(BUILD)/obj/%.o)
TOOLS     := $(patsubst tools/%.c,$(BUILD)/%,$(wildcard tools/*.c))
# The PSU emulator (test tooling, not in libpact): build/libpsu_emu.a.
EMU_OBJS  := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tools/psu_emu/*.c))
EMU_LIB   := $(BUILD)/libpsu_emu.a
TESTS     := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
HELPERS   := $(patsubst tests/helpers/%.c,$(BUILD)/tests/helpers/%,$(wildcard tests/helpers/*.c))
FAKES     := $(patsubst tests/fakes/%.c,$(BUILD)/fakes/%.so,$(wildcard tests/fakes/*.c))
# Slurm plugins (contrib/slurm), built where Slurm's public headers are.
SLURM_PLUGINS := $(if $(SAN),,$(if $(wildcard /usr/include/slurm/spank.h),\
    $(BUILD)/slurm/spank_pact.so $(BUILD)/slurm/acct_gather_energy_pact.so))
SLURM_PLUGINDIR ?= $(shell pkg-config --variable=libdir slurm 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)/slurm-wlm
BENCHES   := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))
FUZZERS   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZERS:%=$(BUILD)/fuzz/replay_%)

.PHONY: all deps run check test asan tsan install lint bench clean gpu-burn fuzz slurm
all: $(BUILD)/libpact.so $(BUILD)/libpact.a $(BUILD)/pact $(BUILD)/pact-report \
     $(BUILD)/pact-top $(TOOLS)

deps:
	@sh scripts/deps.sh

$(BUILD)/obj/%.o: %.c $(wildcard include/pact/*.h) $(shell find src -name '*.h')
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/tools/%.o: tools/%.c $(wildcard include/pact/*.h) $(shell find src tools -name '*.h')
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/obj/src/report/%.o: CFLAGS += $(CAIRO_CFLAGS)

$(BUILD)/libpact.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libpact.so: $(LIB_OBJS) libpact.map
	$(CC) -shared -Wl,--version-script=libpact.map -Wl,-soname,libpact.so.0 \
	    $(LDFLAGS) -o $@ $(LIB_OBJS) $(LDLIBS)

$(EMU_LIB): $(EMU_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/pact: $(CLI_OBJS) $(BUILD)/libpact.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libpact.a $(LDLIBS)

$(BUILD)/pact-report: $(REPORT_OBJS) $(BUILD)/libpact.a
	$(CC) $(LDFLAGS) -o $@ $(REPORT_OBJS) $(BUILD)/libpact.a $(CAIRO_LIBS) $(LDLIBS)

$(BUILD)/pact-top: $(TOP_OBJS) $(BUILD)/obj/src/cli/control.o $(BUILD)/libpact.a
	$(CC) $(LDFLAGS) -o $@ $(TOP_OBJS) $(BUILD)/obj/src/cli/control.o \
	    $(BUILD)/libpact.a $(LDLIBS) $(CURSES_LIBS)

$(BUILD)/%: tools/%.c $(EMU_LIB) $(BUILD)/libpact.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(EMU_LIB) $(BUILD)/libpact.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/t.h $(EMU_LIB) $(BUILD)/libpact.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(EMU_LIB) $(BUILD)/libpact.a $(LDLIBS)

# pact report's readers live in the CLI: their test links them directly.
REPORT_LIB_OBJS := $(filter-out %/main.o %/cmd_report.o,$(REPORT_OBJS))
$(BUILD)/tests/test_report_read: tests/unit/test_report_read.c tests/t.h $(REPORT_LIB_OBJS) $(BUILD)/libpact.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(REPORT_LIB_OBJS) $(BUILD)/libpact.a $(CAIRO_LIBS) $(LDLIBS)

$(BUILD)/tests/helpers/%: tests/helpers/%.c $(wildcard include/pact/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/fakes/%.so: tests/fakes/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fvisibility=default -shared $(LDFLAGS) -o $@ $< -lpthread -lm

$(BUILD)/bench/%: bench/%.c $(BUILD)/libpact.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libpact.a $(LDLIBS)

# The fuzz targets built with a plain main that replays their corpora
# (tests/cli/test_fuzz_replay.sh); `make fuzz` builds them with libFuzzer.
$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c \
        $(wildcard tests/fuzz/*.h) $(BUILD)/libpact.a $(BUILD)/obj/src/cli/plan.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/fuzz $(LDFLAGS) -o $@ $< tests/fuzz/replay_main.c \
	    $(BUILD)/obj/src/cli/plan.o $(BUILD)/libpact.a $(LDLIBS)

test-progs: all $(TESTS) $(HELPERS) $(FAKES) $(FUZZ_REPLAY) $(SLURM_PLUGINS)

run: deps all
	@sh scripts/run-default.sh $(BUILD)

check: deps
	@$(MAKE) --no-print-directory test

test: test-progs
	@sh tests/run.sh $(BUILD)

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT='-O1 -g' \
	    SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' test

# The unit tests that drive the tracker from several threads.
TSAN_TESTS := test_lifecycle test_tracker
tsan:
	@$(MAKE) --no-print-directory BUILD=build-tsan OPT='-O1 -g' \
	    SAN='-fsanitize=thread' $(TSAN_TESTS:%=build-tsan/tests/%)
	@for t in $(TSAN_TESTS); do \
	    TSAN_OPTIONS='halt_on_error=1 exitcode=66' build-tsan/tests/$$t \
	        || { echo "FAIL: $$t under ThreadSanitizer"; exit 1; }; \
	done

lint:
	@sh scripts/lint.sh

FUZZ_TIME ?= 20
fuzz:
	@sh tests/fuzz/run.sh $(FUZZ_TIME)

bench: all $(BENCHES) $(HELPERS)
	@sh bench/run.sh $(BUILD)


slurm: $(SLURM_PLUGINS)

$(BUILD)/slurm/spank_pact.so: contrib/slurm/spank_pact.c contrib/slurm/spank_pact.map $(BUILD)/libpact.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fvisibility=default -shared -Wl,--version-script=contrib/slurm/spank_pact.map \
	    $(LDFLAGS) -o $@ $< $(BUILD)/libpact.a $(LDLIBS)

$(BUILD)/slurm/acct_gather_energy_pact.so: contrib/slurm/acct_gather_energy_pact.c \
    contrib/slurm/node_state.c contrib/slurm/node_state.h contrib/slurm/acct_gather_energy_pact.map
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fvisibility=default -Icontrib/slurm -shared \
	    -Wl,--version-script=contrib/slurm/acct_gather_energy_pact.map \
	    $(LDFLAGS) -o $@ contrib/slurm/acct_gather_energy_pact.c contrib/slurm/node_state.c -lm

gpu-burn:
	@sh workloads/gpu/build.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	    $(DESTDIR)$(PREFIX)/include/pact $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/pact
	install -m 755 $(BUILD)/pact $(BUILD)/pact-report $(BUILD)/pact-top \
	    $(DESTDIR)$(PREFIX)/bin/
	install -m 755 $(BUILD)/libpact.so $(DESTDIR)$(PREFIX)/lib/libpact.so.0
	ln -sf libpact.so.0 $(DESTDIR)$(PREFIX)/lib/libpact.so
	install -m 644 include/pact/pact.h $(DESTDIR)$(PREFIX)/include/pact/pact.h
	sed 's|@PREFIX@|$(PREFIX)|g' libpact.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/pact.pc
	install -m 644 docs/pact.1 $(DESTDIR)$(PREFIX)/share/man/man1/pact.1
	cp -r data/. $(DESTDIR)$(PREFIX)/share/pact/
	if [ -n "$(SLURM_PLUGINS)" ]; then install -d $(DESTDIR)$(SLURM_PLUGINDIR) && \
	    install -m 755 $(SLURM_PLUGINS) $(DESTDIR)$(SLURM_PLUGINDIR)/; fi
	if [ -f scripts/install-python.sh ]; then sh scripts/install-python.sh "$(DESTDIR)" "$(PREFIX)"; fi

clean:
	rm -rf build build-asan build-tsan build-fuzz

