# SPDX-License-Identifier: GPL-2.0-only
# libhxct: the container runtime library (static), plus an ASan/UBSan build for unit tests.

ifeq ($(CONFIG_TOOLS_CONTAINERS),y)

containers_DIR := dom0-tools/containers
containers_OUT := $(O)/$(containers_DIR)
containers_SRCS := $(addprefix $(containers_DIR)/,error.c config.c defcache.c util.c state.c spare.c cgroup.c \
	net.c rootfs.c security.c spawn.c monitor.c lifecycle.c info.c exec.c oci.c rootless.c)
containers_HDRS := $(wildcard $(containers_DIR)/include/hxct/*.h) $(containers_DIR)/internal.h
containers_SCHEMA_C := $(containers_OUT)/schema_xsd.c
containers_OBJS := $(patsubst $(containers_DIR)/%.c,$(containers_OUT)/%.o,$(containers_SRCS)) \
	$(containers_OUT)/schema_xsd.o
containers_SAN_OBJS := $(patsubst $(containers_DIR)/%.c,$(containers_OUT)/san/%.o,$(containers_SRCS)) \
	$(containers_OUT)/san/schema_xsd.o
containers_LIB := $(containers_OUT)/libhxct.a
containers_SAN_LIB := $(containers_OUT)/libhxct-san.a
# snprintf truncation is deliberate (bounded paths and messages); GCC cannot see that.
containers_CFLAGS := $(HOST_CFLAGS) -Wno-format-truncation -I$(containers_DIR)/include -I$(containers_DIR) \
	$(shell pkg-config --cflags libxml-2.0 json-c 2>/dev/null || echo -I/usr/include/libxml2)
# What a program linking libhxct.a needs.
containers_LDLIBS := -lxml2 -ljson-c -lseccomp -lcap-ng -luuid
# The same for a static link (hx): libxml2's own dependencies (ICU, which is C++, zlib, lzma).
containers_STATIC_LDLIBS := -Wl,--start-group $(containers_LDLIBS) -licuuc -licudata -lz -llzma \
	-lstdc++ -lm -Wl,--end-group

ALL_TARGETS += $(containers_LIB) $(containers_SAN_LIB)
DEPS_PKGS += pkg-config xxd libxml2-dev libicu-dev zlib1g-dev liblzma-dev libjson-c-dev uuid-dev \
	libcap-ng-dev libseccomp-dev \
	busybox-static crun lxc iproute2 tar
CHECK_SOURCES += $(containers_SRCS)
CHECK_HEADERS += $(containers_HDRS)

$(containers_SCHEMA_C): $(containers_DIR)/schema/container.xsd
	@mkdir -p $(dir $@)
	@echo "  XXD     $@"
	@echo '/* Generated from $< by xxd: the XML Schema of container definitions. */' > $@.tmp
	@xxd -i -n ct_schema_xsd < $< >> $@.tmp
	@sed -i 's/^unsigned char/const unsigned char/; s/^unsigned int/const unsigned int/' $@.tmp
	@mv $@.tmp $@

$(containers_OUT)/%.o: $(containers_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(HOSTCC) $(containers_CFLAGS) -MMD -MP -c $< -o $@

$(containers_OUT)/san/%.o: $(containers_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(HOSTCC) $(containers_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

$(containers_OUT)/schema_xsd.o $(containers_OUT)/san/schema_xsd.o: $(containers_SCHEMA_C)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(HOSTCC) -std=c11 -O2 -c $< -o $@

$(containers_LIB): $(containers_OBJS)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

$(containers_SAN_LIB): $(containers_SAN_OBJS)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

-include $(containers_OBJS:.o=.d) $(containers_SAN_OBJS:.o=.d)

endif
