/* SPDX-License-Identifier: GPL-2.0-only */
/* The backend side of a PV console ring: indices are read once, checked, then used. */
#include <hospes/xencons.h>

size_t xencons_take_output(struct xencons_interface *r, char *buf, size_t len, bool *corrupt)
{
	XENCONS_RING_IDX cons = __atomic_load_n(&r->out_cons, __ATOMIC_RELAXED);
	XENCONS_RING_IDX prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
	size_t n = 0;

	if ((XENCONS_RING_IDX)(prod - cons) > sizeof(r->out)) {
		*corrupt = true;
		__atomic_store_n(&r->out_cons, prod, __ATOMIC_RELEASE);
		return 0;
	}
	while (n < len && cons != prod) {
		buf[n++] = r->out[MASK_XENCONS_IDX(cons, r->out)];
		cons++;
	}
	__atomic_store_n(&r->out_cons, cons, __ATOMIC_RELEASE);
	return n;
}

size_t xencons_put_input(struct xencons_interface *r, const char *s, size_t n, bool *corrupt)
{
	XENCONS_RING_IDX cons = __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE);
	XENCONS_RING_IDX prod = __atomic_load_n(&r->in_prod, __ATOMIC_RELAXED);
	size_t done = 0;

	if ((XENCONS_RING_IDX)(prod - cons) > sizeof(r->in)) {
		*corrupt = true;
		cons = prod;
		__atomic_store_n(&r->in_cons, cons, __ATOMIC_RELAXED);
	}
	while (done < n && (XENCONS_RING_IDX)(prod - cons) < sizeof(r->in)) {
		r->in[MASK_XENCONS_IDX(prod, r->in)] = s[done++];
		prod++;
	}
	__atomic_store_n(&r->in_prod, prod, __ATOMIC_RELEASE);
	return done;
}
