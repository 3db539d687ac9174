/* SPDX-License-Identifier: GPL-2.0-only */
/* The backend side of a PV console ring (io/console.h), safe against a guest's corrupt indices. */
#ifndef HOSPES_XENCONS_H
#define HOSPES_XENCONS_H

#include <hospes/types.h>
#include <public/io/console.h>

/*
 * Takes up to len bytes the guest wrote to r->out and advances out_cons past them. A guest that
 * claims more than the ring holds (out_prod - out_cons > sizeof(out)) loses that output:
 * out_cons jumps to out_prod and *corrupt is set. Returns the byte count.
 */
size_t xencons_take_output(struct xencons_interface *r, char *buf, size_t len, bool *corrupt);

/*
 * Appends up to n bytes of s to r->in, as room allows, and advances in_prod. Indices that claim
 * more than the ring holds are reset (in_cons = in_prod) and *corrupt is set. Returns the count.
 */
size_t xencons_put_input(struct xencons_interface *r, const char *s, size_t n, bool *corrupt);

#endif /* HOSPES_XENCONS_H */
