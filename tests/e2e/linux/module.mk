# SPDX-License-Identifier: GPL-2.0-only
# ubench: static in-guest Linux microbenchmarks, put in the initramfs by tests/bench/50-linux-guest.

ubench_DIR := tests/e2e/linux
ubench_BIN := $(O)/$(ubench_DIR)/ubench

ALL_TARGETS += $(ubench_BIN)
CHECK_SOURCES += $(ubench_DIR)/ubench.c
DEPS_PKGS += libc6-dev

# Static (glibc's libc.a) so it runs in the busybox initramfs; stripped to keep that small.
$(ubench_BIN): $(ubench_DIR)/ubench.c
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(HOSTCC) $(filter-out -g,$(HOST_CFLAGS)) -static -s -o $@ $<

# xenctl: sysctl through /dev/xen/privcmd from a Linux domain (suites 51 and 52), and the
# toolstack interfaces (privcmd foreign maps, gntalloc/gntdev, evtchn: suite 53). The gntdev,
# gntalloc and evtchn ioctls come from Linux's UAPI headers (linux-libc-dev).
xenctl_BIN := $(O)/$(ubench_DIR)/xenctl
xenctl_SRCS := $(ubench_DIR)/xenctl.c $(ubench_DIR)/xenctl-toolstack.c
ALL_TARGETS += $(xenctl_BIN)
CHECK_SOURCES += $(xenctl_SRCS)
DEPS_PKGS += linux-libc-dev

$(xenctl_BIN): $(xenctl_SRCS) $(ubench_DIR)/xenctl.h $(wildcard hypervisor/include/public/*.h)
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(HOSTCC) $(filter-out -g,$(HOST_CFLAGS)) -Ihypervisor/include -static -s -o $@ $(xenctl_SRCS)
