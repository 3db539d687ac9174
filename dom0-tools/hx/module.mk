# SPDX-License-Identifier: GPL-2.0-only
# hx: the toolstack CLI (table-driven, one file per command group).

hx_DIR := dom0-tools/hx
hx_OUT := $(O)/$(hx_DIR)
hx_SRCS := $(addprefix $(hx_DIR)/,main.c cmd_table.c)
hx_HDRS := $(hx_DIR)/hx.h
hx_LIBS :=
hx_LDLIBS :=
# hx links statically: each command is a short-lived process, and loading a dozen shared
# objects (libxml2 alone pulls ICU and libstdc++) took more page faults and CPU than a container
# start's own work. Command groups therefore add static libraries (.a of Debian -dev packages).
hx_LDFLAGS := -static
hx_CFLAGS := $(HOST_CFLAGS) -Wno-format-truncation -I$(hx_DIR)

# Command groups, each with the library it drives.
ifeq ($(CONFIG_TOOLS_CONTAINERS),y)
hx_SRCS += $(addprefix $(hx_DIR)/,container.c container_info.c)
hx_HDRS += $(hx_DIR)/container.h
hx_CFLAGS += -Idom0-tools/containers/include -DHX_WITH_CONTAINERS
hx_LIBS += $(containers_LIB)
hx_LDLIBS += $(containers_STATIC_LDLIBS)
endif

# Drops glibc's notes on functions that want shared NSS/dlopen at run time in a static link
# (libxml2's HTTP client, ICU plugins, libcap-ng's capng_change_id: none is used by hx).
hx_LD_FILTER := awk '/: in function /{ h = $$0; next } \
	/in statically linked applications requires at runtime/{ h = ""; next } \
	{ if (h != "") print h; h = ""; print } END { if (h != "") print h }'

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
	@$(HOSTCC) $(hx_CFLAGS) $(hx_LDFLAGS) -o $@ $(hx_OBJS) $(hx_LIBS) $(hx_LDLIBS) 2>$@.ld; \
		rc=$$?; $(hx_LD_FILTER) $@.ld >&2; rm -f $@.ld; exit $$rc

-include $(hx_OBJS:.o=.d)
