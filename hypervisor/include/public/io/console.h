/* SPDX-License-Identifier: MIT */
/* Guest ABI: the PV console ring shared between a domU and its console backend (Xen 4.17). */
#ifndef HOSPES_PUBLIC_IO_CONSOLE_H
#define HOSPES_PUBLIC_IO_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

/* Free-running indices; the byte at index i lives at ring[i & (size - 1)]. */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

/*
 * One page, at start_info.console.domU.mfn. The guest writes out[] and advances out_prod, then
 * notifies the event channel; the backend consumes and advances out_cons. In the other direction
 * the backend fills in[] and advances in_prod; the guest advances in_cons.
 */
struct xencons_interface {
	char in[1024];
	char out[2048];
	XENCONS_RING_IDX in_cons;
	XENCONS_RING_IDX in_prod;
	XENCONS_RING_IDX out_cons;
	XENCONS_RING_IDX out_prod;
	/* Xen 4.17 ends here; later releases append a uint8_t "connection" flag at 3088. */
};
_Static_assert(sizeof(struct xencons_interface) == 3088, "xencons_interface size");
_Static_assert(offsetof(struct xencons_interface, out) == 1024, "xencons_interface.out");
_Static_assert(offsetof(struct xencons_interface, in_cons) == 3072, "xencons_interface.in_cons");
_Static_assert(offsetof(struct xencons_interface, in_prod) == 3076, "xencons_interface.in_prod");
_Static_assert(offsetof(struct xencons_interface, out_cons) == 3080, "xencons.out_cons");
_Static_assert(offsetof(struct xencons_interface, out_prod) == 3084, "xencons.out_prod");

#endif /* HOSPES_PUBLIC_IO_CONSOLE_H */
