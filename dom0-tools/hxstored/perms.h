/* SPDX-License-Identifier: GPL-2.0-only */
/* Node permissions: parsing "<letter><domid>" lists, formatting them, and access decisions. */
#ifndef HXSTORED_PERMS_H
#define HXSTORED_PERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PERM_READ  1u
#define PERM_WRITE 2u
#define PERM_BOTH  3u

#define DOMID_NONE 0xffffffffu

/* Entry 0 names the owner and the default access of every domain not listed after it. */
struct xs_perm {
	uint32_t domid;
	uint8_t perm; /* PERM_* */
};

/* The caller of an access check. */
struct xs_caller {
	uint32_t domid;
	uint32_t target; /* domain whose rights it also has (SET_TARGET), or DOMID_NONE */
	bool privileged; /* control domain or a socket client */
};

/*
 * Parses n NUL-terminated entries packed in buf (len bytes). Returns the entry count (>= 1) or
 * -EINVAL for a malformed entry. out must hold max entries; more entries give -E2BIG.
 */
int perms_parse(const char *buf, size_t len, struct xs_perm *out, unsigned max);

/* Writes entries as "r5\0n0\0..." into buf; returns the length or 0 if it does not fit. */
size_t perms_format(const struct xs_perm *p, unsigned n, char *buf, size_t len);

/* The access bits caller has on a node with these permissions. */
unsigned perms_access(const struct xs_perm *p, unsigned n, const struct xs_caller *c);

/* True when caller may act as the owner (change permissions). */
bool perms_is_owner(const struct xs_perm *p, const struct xs_caller *c);

#endif /* HXSTORED_PERMS_H */
