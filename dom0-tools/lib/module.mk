# SPDX-License-Identifier: GPL-2.0-only
# libhx: the toolstack's client library (xenstore client today), static, plus an ASan/UBSan copy.

LIBHX_SRCS := dom0-tools/lib/xs_client.c
LIBHX_HDRS := $(wildcard dom0-tools/lib/include/hx/*.h)
LIBHX_CFLAGS := -I dom0-tools/lib/include -MMD -MP
LIBHX_OBJS := $(LIBHX_SRCS:%.c=$(O)/%.o)
LIBHX_SAN_OBJS := $(LIBHX_SRCS:dom0-tools/lib/%.c=$(O)/dom0-tools/lib/san/%.o)
LIBHX_A := $(O)/dom0-tools/lib/libhx.a
LIBHX_SAN_A := $(O)/dom0-tools/lib/san/libhx.a

$(LIBHX_OBJS): $(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(HOSTCC) $(HOST_CFLAGS) $(LIBHX_CFLAGS) -c $< -o $@

$(LIBHX_SAN_OBJS): $(O)/dom0-tools/lib/san/%.o: dom0-tools/lib/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) $(LIBHX_CFLAGS) -c $< -o $@

$(LIBHX_A): $(LIBHX_OBJS)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

$(LIBHX_SAN_A): $(LIBHX_SAN_OBJS)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

-include $(LIBHX_OBJS:.o=.d) $(LIBHX_SAN_OBJS:.o=.d)

ALL_TARGETS += $(LIBHX_A) $(LIBHX_SAN_A)
CHECK_SOURCES += $(LIBHX_SRCS)
CHECK_HEADERS += $(LIBHX_HDRS)
