# SPDX-License-Identifier: GPL-2.0-only
# Unit tests of libhxct, built with ASan/UBSan against libhxct-san.a (run by 40-containers-unit).

ifeq ($(CONFIG_TOOLS_CONTAINERS),y)

ctunit_DIR := tests/unit/containers
ctunit_OUT := $(O)/$(ctunit_DIR)
ctunit_SRCS := $(ctunit_DIR)/test_config.c
ctunit_BIN := $(ctunit_OUT)/test_config

ALL_TARGETS += $(ctunit_BIN)
CHECK_SOURCES += $(ctunit_SRCS)

$(ctunit_BIN): $(ctunit_SRCS) $(containers_SAN_LIB)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(HOSTCC) $(containers_CFLAGS) $(SAN_FLAGS) -o $@ $(ctunit_SRCS) $(containers_SAN_LIB) \
		$(containers_LDLIBS)

endif
