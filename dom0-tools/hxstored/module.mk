# SPDX-License-Identifier: GPL-2.0-only
# hxstored: the daemon, its ASan/UBSan twin for the tests, unit/protocol tests, fuzzer, benchmark.

HXSTORED_DIR := dom0-tools/hxstored
HXSTORED_CORE := log path perms quota node store txn watch domain conn proto ops_node ops_misc \
	control ring ring_host ring_xen sock uring state state_load
HXSTORED_CORE_SRCS := $(HXSTORED_CORE:%=$(HXSTORED_DIR)/%.c)
HXSTORED_SRCS := $(HXSTORED_CORE_SRCS) $(HXSTORED_DIR)/main.c
HXSTORED_HDRS := $(wildcard $(HXSTORED_DIR)/*.h)
# libhx is built by dom0-tools/lib/module.mk, which make reads after this fragment.
HXSTORED_LIBHX := $(O)/dom0-tools/lib/libhx.a
HXSTORED_LIBHX_SAN := $(O)/dom0-tools/lib/san/libhx.a
HXSTORED_LIBHX_HDRS := $(wildcard dom0-tools/lib/include/hx/*.h)
HXSTORED_CFLAGS := -I dom0-tools/lib/include -I $(HXSTORED_DIR) -MMD -MP
HXSTORED_OUT := $(O)/$(HXSTORED_DIR)

HXSTORED_OBJS := $(HXSTORED_SRCS:$(HXSTORED_DIR)/%.c=$(HXSTORED_OUT)/%.o)
HXSTORED_SAN_OBJS := $(HXSTORED_SRCS:$(HXSTORED_DIR)/%.c=$(HXSTORED_OUT)/san/%.o)
HXSTORED_SAN_CORE := $(HXSTORED_CORE_SRCS:$(HXSTORED_DIR)/%.c=$(HXSTORED_OUT)/san/%.o)
HXSTORED_FUZZ_CORE := $(HXSTORED_CORE_SRCS:$(HXSTORED_DIR)/%.c=$(HXSTORED_OUT)/fuzz/%.o)
HXSTORED_BIN := $(HXSTORED_OUT)/hxstored
HXSTORED_SAN_BIN := $(HXSTORED_OUT)/san/hxstored

$(HXSTORED_OBJS): $(HXSTORED_OUT)/%.o: $(HXSTORED_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(HOSTCC) $(HOST_CFLAGS) $(HXSTORED_CFLAGS) -c $< -o $@

$(HXSTORED_SAN_OBJS): $(HXSTORED_OUT)/san/%.o: $(HXSTORED_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) $(HXSTORED_CFLAGS) -c $< -o $@

$(HXSTORED_BIN): $(HXSTORED_OBJS)
	@echo "  LD      $@"
	@$(HOSTCC) $(HOST_CFLAGS) -o $@ $^

$(HXSTORED_SAN_BIN): $(HXSTORED_SAN_OBJS)
	@echo "  LD      $@"
	@$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) -o $@ $^

# --- tests -----------------------------------------------------------------------------------
HXSTORED_TEST_CFLAGS := $(HXSTORED_CFLAGS) -I tests/unit/hxstored
HXSTORED_UNIT_SRCS := tests/unit/hxstored/test_unit.c tests/unit/hxstored/test_store.c \
	tests/unit/hxstored/test_node.c tests/unit/hxstored/stubs.c
HXSTORED_UNIT_BIN := $(O)/tests/unit/hxstored/hxstored-unit
HXSTORED_PROTO_SRCS := $(wildcard tests/proto/hxstored/*.c)
HXSTORED_PROTO_BIN := $(O)/tests/proto/hxstored/hxstored-proto
HXSTORED_FUZZ_SRC := tests/fuzz/hxstored_fuzz.c
HXSTORED_FUZZ_BIN := $(O)/tests/fuzz/hxstored-fuzz
HXSTORED_BENCH_SRCS := tests/bench/hxstored/bench.c
HXSTORED_BENCH_BIN := $(O)/tests/bench/hxstored/hxstored-bench
HXSTORED_SHIM_SRC := tests/bench/hxstored/xenshim.c
HXSTORED_SHIM := $(O)/tests/bench/hxstored/xenshim.so

$(HXSTORED_UNIT_BIN): $(HXSTORED_UNIT_SRCS) $(HXSTORED_SAN_CORE) $(HXSTORED_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) $(HXSTORED_TEST_CFLAGS) -o $@ \
		$(HXSTORED_UNIT_SRCS) $(HXSTORED_SAN_CORE)

$(HXSTORED_PROTO_BIN): $(HXSTORED_PROTO_SRCS) $(HXSTORED_LIBHX_SAN) $(HXSTORED_LIBHX_HDRS) \
		$(wildcard tests/proto/hxstored/*.h)
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) $(HXSTORED_TEST_CFLAGS) -o $@ \
		$(HXSTORED_PROTO_SRCS) $(HXSTORED_LIBHX_SAN)

$(HXSTORED_BENCH_BIN): $(HXSTORED_BENCH_SRCS) $(HXSTORED_LIBHX) $(HXSTORED_LIBHX_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(HOSTCC) $(HOST_CFLAGS) -I dom0-tools/lib/include -o $@ $(HXSTORED_BENCH_SRCS) $(HXSTORED_LIBHX)

# LD_PRELOAD shim that lets Debian's xenstored run without /dev/xen, for side-by-side numbers.
$(HXSTORED_SHIM): $(HXSTORED_SHIM_SRC)
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(HOSTCC) -O2 -g -Wall -Werror -shared -fPIC -o $@ $<

# libFuzzer harness: the daemon core rebuilt with clang and coverage instrumentation.
HXSTORED_FUZZ_FLAGS := -g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
$(HXSTORED_FUZZ_CORE): $(HXSTORED_OUT)/fuzz/%.o: $(HXSTORED_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "  CLANG   $@"
	@clang $(HXSTORED_FUZZ_FLAGS) $(HXSTORED_CFLAGS) -c $< -o $@

$(HXSTORED_FUZZ_BIN): $(HXSTORED_FUZZ_SRC) $(HXSTORED_FUZZ_CORE) tests/unit/hxstored/stubs.c
	@mkdir -p $(dir $@)
	@echo "  CLANG   $@"
	@clang $(HXSTORED_FUZZ_FLAGS) -fsanitize=fuzzer $(HXSTORED_TEST_CFLAGS) -o $@ \
		$(HXSTORED_FUZZ_SRC) tests/unit/hxstored/stubs.c $(HXSTORED_FUZZ_CORE)

.PHONY: fuzz-hxstored
fuzz-hxstored: $(HXSTORED_FUZZ_BIN)
	@mkdir -p $(O)/fuzz/hxstored-corpus
	$(HXSTORED_FUZZ_BIN) -runs=$${FUZZ_RUNS:-10000000} -max_len=8192 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=$(O)/fuzz/ \
		$(O)/fuzz/hxstored-corpus tests/fuzz/hxstored-seeds

-include $(HXSTORED_OBJS:.o=.d) $(HXSTORED_SAN_OBJS:.o=.d) $(HXSTORED_FUZZ_CORE:.o=.d)

ALL_TARGETS += $(HXSTORED_BIN) $(HXSTORED_SAN_BIN) $(HXSTORED_UNIT_BIN) $(HXSTORED_PROTO_BIN) \
	$(HXSTORED_FUZZ_BIN) $(HXSTORED_BENCH_BIN) $(HXSTORED_SHIM)
DEPS_PKGS += clang libclang-rt-14-dev xenstore-utils xen-utils-4.17
CHECK_SOURCES += $(HXSTORED_SRCS) $(HXSTORED_UNIT_SRCS) $(HXSTORED_PROTO_SRCS) \
	$(HXSTORED_FUZZ_SRC) $(HXSTORED_BENCH_SRCS) $(HXSTORED_SHIM_SRC)
CHECK_HEADERS += $(HXSTORED_HDRS) $(wildcard tests/unit/hxstored/*.h tests/proto/hxstored/*.h)
FUZZ_TARGETS += fuzz-hxstored
