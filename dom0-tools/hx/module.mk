# SPDX-License-Identifier: GPL-2.0-only
# hx: the toolstack CLI (table-driven, one file per command group).

hx_DIR := dom0-tools/hx
hx_OUT := $(O)/$(hx_DIR)
hx_SRCS := $(addprefix $(hx_DIR)/,main.c cmd_table.c)
hx_HDRS := $(hx_DIR)/hx.h
hx_LIBS :=
hx_LDLIBS :=
hx_CFLAGS := $(HOST_CFLAGS) -Wno-format-truncation -I$(hx_DIR)

# Command groups, each with the library it drives.
ifeq ($(CONFIG_TOOLS_CONTAINERS),y)
hx_SRCS += $(addprefix $(hx_DIR)/,container.c container_info.c)
hx_HDRS += $(hx_DIR)/container.h
hx_CFLAGS += -Idom0-tools/containers/include -DHX_WITH_CONTAINERS
hx_LIBS += $(containers_LIB)
hx_LDLIBS += $(containers_LDLIBS)
endif

hx_OBJS := $(patsubst $(hx_DIR)/%.c,$(hx_OUT)/%.o,$(hx_SRCS))
hx_BIN := $(hx_OUT)/hx

ALL_TARGETS += $(hx_BIN)
CHECK_SOURCES += $(hx_SRCS)
CHECK_HEADERS += $(hx_HDRS)

$(hx_OUT)/%.o: $(hx_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(HOSTCC) $(hx_CFLAGS) -MMD -MP -c $< -o $@

$(hx_BIN): $(hx_OBJS) $(hx_LIBS)
	@echo "  LD      $@"
	@$(HOSTCC) $(hx_CFLAGS) -o $@ $(hx_OBJS) $(hx_LIBS) $(hx_LDLIBS)

-include $(hx_OBJS:.o=.d)
