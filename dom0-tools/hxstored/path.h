/* SPDX-License-Identifier: GPL-2.0-only */
/* Xenstore path rules: validation, relative-to-absolute resolution, ancestry tests. */
#ifndef HXSTORED_PATH_H
#define HXSTORED_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PATH_BUF_MAX 3200 /* > HX_XS_ABS_PATH_MAX + a domain prefix */

/*
 * Validates in and writes its absolute form to out (size PATH_BUF_MAX). A relative path is put
 * under /local/domain/<domid>/ and *rel_off gets the prefix length (0 for absolute paths).
 * allow_special admits "@introduceDomain", "@releaseDomain" and "@releaseDomain/<domid>".
 * Returns 0 or EINVAL.
 */
int path_resolve(const char *in, uint32_t domid, bool allow_special, char *out, size_t *rel_off);

/* True when s holds only path characters, no "//", no trailing '/' (except "/"). */
bool path_is_valid(const char *s);

/* True when p is a path at or below anc ("/" is an ancestor of everything). */
bool path_is_under(const char *p, const char *anc);

/* Depth of p below anc (0 when equal); p must be under anc. */
unsigned path_depth_below(const char *p, const char *anc);

/* Length of the parent part of an absolute path ("/a/b" -> 2, "/a" -> 1). */
size_t path_parent_len(const char *p);

/* Last component of an absolute path (after the last '/'). */
const char *path_basename(const char *p);

/* Length of "/local/domain/<domid>/" if p lies strictly under it, else 0. */
size_t path_local_off(const char *p, uint32_t domid);

#endif /* HXSTORED_PATH_H */
