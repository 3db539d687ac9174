/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor heap: small objects from size-class pages, large ones as whole pages. */
#ifndef HOSPES_HEAP_H
#define HOSPES_HEAP_H

#include <hospes/types.h>

/* Returns size bytes aligned to 16 (to a page from 4 KiB up), or NULL. Never sleeps. */
void *xmalloc(size_t size);
/* As xmalloc, zero-filled. */
void *xzalloc(size_t size);
/* Frees what xmalloc returned; NULL is ignored. */
void xfree(void *p);

/* Bytes currently handed out (for the banner and leak tests). */
uint64_t heap_used(void);

#endif /* HOSPES_HEAP_H */
