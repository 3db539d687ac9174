# SPDX-License-Identifier: GPL-2.0-only
# The guest ABI headers (Xen 4.17 64-bit PV): each must compile on its own, freestanding and hosted.
PUBLIC_HDRS := $(sort $(wildcard hypervisor/include/public/*.h hypervisor/include/public/io/*.h))
CHECK_HEADERS_HV += $(PUBLIC_HDRS)
CHECK_HEADERS += $(PUBLIC_HDRS)
