/* SPDX-License-Identifier: GPL-2.0-only */
/* libFuzzer harness: a byte stream from one client through hxstored's framing and handlers. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conn.h"
#include "domain.h"
#include "log.h"
#include "quota.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_src {
	const uint8_t *data;
	size_t size, off;
	unsigned chunk;
};

static struct fuzz_src fuzz_in;

/* Hands out the input in chunks, so messages also arrive split across reads. */
static ssize_t fuzz_recv(struct xs_conn *c, char *buf, size_t len)
{
	size_t n = fuzz_in.size - fuzz_in.off;

	if (c->id & 1)
		return 0; /* the watcher connection sends nothing */
	if (n == 0)
		return -1;
	if (n > fuzz_in.chunk)
		n = fuzz_in.chunk;
	if (n > len)
		n = len;
	memcpy(buf, fuzz_in.data + fuzz_in.off, n);
	fuzz_in.off += n;
	return (ssize_t)n;
}

static ssize_t fuzz_send(struct xs_conn *c, const char *buf, size_t len)
{
	return (ssize_t)len;
}

static const struct xs_transport fuzz_tp = {
	.name = "fuzz",
	.recv = fuzz_recv,
	.send = fuzz_send,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xs_caller who = {.domid = 0, .target = DOMID_NONE, .privileged = true};
	struct xs_conn *watcher, *c;

	if (size < 2)
		return 0;
	log_threshold = LOG_LVL_ERROR;
	quota_defaults(&quota_global);
	quota_global.v[QUOTA_NODES] = 64;
	if (domain_init() || store_init())
		return 0;
	/* byte 0: who the client is; byte 1: read chunk size */
	if (data[0] & 1) {
		who.privileged = false;
		who.domid = 1u + (data[0] >> 1) % 4u;
		who.target = data[0] & 0x80 ? 2 : DOMID_NONE;
	}
	fuzz_in =
		(struct fuzz_src){.data = data + 2, .size = size - 2, .chunk = 1u + data[1] * 64u};
	watcher = conn_new(&fuzz_tp, NULL, -1, &who);
	c = conn_new(&fuzz_tp, NULL, -1, &who);
	if (watcher && c) {
		while (!c->dead && fuzz_in.off < fuzz_in.size)
			conn_service(c);
		conn_service(c); /* input exhausted: the client goes away */
	}
	conn_fini();
	store_fini();
	domain_fini();
	return 0;
}
