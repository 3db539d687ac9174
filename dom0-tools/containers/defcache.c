/* SPDX-License-Identifier: GPL-2.0-only */
/* Definitions known to pass the schema, by content, so that creating one again skips it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

/*
 * <root>/.valid/<xx> holds a header naming the schema, then the exact text of one definition
 * that passed the schema; xx is one byte of its hash (256 slots at most, a newer definition
 * replaces an older one of the same slot). A hit needs the header and every byte to match,
 * so a stale, torn or foreign file is a miss, never a wrong answer. Only the schema pass is
 * skipped: the semantic checks always run.
 */
#define DEFCACHE_HDR_MAX 64

static uint64_t fnv64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* "hxct-valid <schema hash>\n" and the slot path of xml. */
static void defcache_names(const struct ct_ctx *ctx, const char *xml, size_t len, char *hdr,
			   char *path, size_t plen)
{
	static uint64_t schema;
	uint64_t h;

	if (!schema)
		schema = fnv64(0xcbf29ce484222325ULL, ct_schema_xsd, ct_schema_xsd_len);
	snprintf(hdr, DEFCACHE_HDR_MAX, "hxct-valid %016llx\n", (unsigned long long)schema);
	h = fnv64(schema, xml, len);
	snprintf(path, plen, "%s/.valid/%02x", ctx->root, (unsigned)(h & 0xff));
}

bool ct_defcache_has(const struct ct_ctx *ctx, const char *xml, size_t len)
{
	char hdr[DEFCACHE_HDR_MAX], path[CT_PATH_MAX], *buf;
	size_t hl, want;
	ssize_t n;
	bool hit;
	int fd;

	defcache_names(ctx, xml, len, hdr, path, sizeof(path));
	hl = strlen(hdr);
	want = hl + len;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	buf = malloc(want + 1);
	/* one byte more than a match has: a longer file is a miss */
	n = buf ? read(fd, buf, want + 1) : -1;
	close(fd);
	hit = n == (ssize_t)want && !memcmp(buf, hdr, hl) && !memcmp(buf + hl, xml, len);
	free(buf);
	return hit;
}

void ct_defcache_add(const struct ct_ctx *ctx, const char *xml, size_t len)
{
	char hdr[DEFCACHE_HDR_MAX], path[CT_PATH_MAX], tmp[CT_PATH_MAX];
	size_t hl;
	int fd;

	defcache_names(ctx, xml, len, hdr, path, sizeof(path));
	hl = strlen(hdr);
	snprintf(tmp, sizeof(tmp), "%s/.valid", ctx->root);
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		return;
	snprintf(tmp, sizeof(tmp), "%s/.valid/.tmp-%d", ctx->root, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	/* written whole, then renamed: readers see a complete entry or none */
	if (write(fd, hdr, hl) != (ssize_t)hl || write(fd, xml, len) != (ssize_t)len) {
		close(fd);
		unlink(tmp);
		return;
	}
	close(fd);
	if (rename(tmp, path) < 0)
		unlink(tmp);
}
