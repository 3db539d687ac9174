/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest memory access: the only way hypervisor code reads or writes a guest address. */
#ifndef HOSPES_GUEST_ACCESS_H
#define HOSPES_GUEST_ACCESS_H

#include <hospes/types.h>

/* A guest virtual address: an integer, never dereferenced directly. */
typedef uint64_t guest_va_t;

/*
 * True if [va, va+len) is a canonical guest range that does not touch the hypervisor's
 * reserved slots. It says nothing about whether the range is mapped.
 */
bool guest_range_ok(guest_va_t va, size_t len);

/*
 * Copy through the current guest's page tables. Return 0, or -EFAULT if the range is not a
 * guest range or any byte of it is not mapped (writable, for copy_to_guest): nothing then is
 * known about how much was copied.
 */
int copy_from_guest(void *dst, guest_va_t src, size_t len);
int copy_to_guest(guest_va_t dst, const void *src, size_t len);

/* Called by the #PF/#GP handler for faults in hypervisor mode: resumes at a fixup if any. */
bool extable_fixup(uint64_t *rip);

#endif /* HOSPES_GUEST_ACCESS_H */
