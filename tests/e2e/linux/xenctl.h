/* SPDX-License-Identifier: GPL-2.0-only */
/* xenctl: what its parts share (privcmd's ABI, the hypercall helpers, the subcommands). */
#ifndef XENCTL_H
#define XENCTL_H

#include <stdint.h>
#include <sys/ioctl.h>
#include <public/domctl.h>
#include <public/sysctl.h>

/*
 * Linux's privcmd ABI (include/uapi/xen/privcmd.h, which user space cannot include as is):
 * one hypercall with its number and 5 args; mapping another domain's frames into a VMA of
 * /dev/xen/privcmd by MFN lists (v1: errors in the top nibble of arr; v2: per-frame errno in
 * err) or by MFN ranges.
 */
struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};
struct privcmd_mmap_entry {
	uint64_t va;
	uint64_t mfn;
	uint64_t npages;
};
struct privcmd_mmap {
	int num;
	uint16_t dom;
	struct privcmd_mmap_entry *entry;
};
struct privcmd_mmapbatch {
	int num;
	uint16_t dom;
	uint64_t addr;
	uint64_t *arr;
};
struct privcmd_mmapbatch_v2 {
	unsigned int num;
	uint16_t dom;
	uint64_t addr;
	const uint64_t *arr;
	int *err;
};
#define IOCTL_PRIVCMD_HYPERCALL	    _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define IOCTL_PRIVCMD_MMAP	    _IOC(_IOC_NONE, 'P', 2, sizeof(struct privcmd_mmap))
#define IOCTL_PRIVCMD_MMAPBATCH	    _IOC(_IOC_NONE, 'P', 3, sizeof(struct privcmd_mmapbatch))
#define IOCTL_PRIVCMD_MMAPBATCH_V2  _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))
#define PRIVCMD_MMAPBATCH_MFN_ERROR 0xf0000000U

#define HYPERCALL_MEMORY_OP	    12
#define HYPERCALL_SYSCTL	    35
#define HYPERCALL_DOMCTL	    36

extern int privcmd; /* /dev/xen/privcmd */

/* A hypercall through privcmd: its result, or a negative errno. */
int hypercall(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
int sysctl(struct xen_sysctl *s);

/* Runs subcommand name (foreign, grant, evtchn, xenbus, all); the exit status. */
int toolstack_main(const char *name);

#endif /* XENCTL_H */
