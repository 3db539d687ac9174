/* SPDX-License-Identifier: GPL-2.0-only */
/* Forced into every hypervisor object (-include): all symbols are local to the one image. */
#ifndef HOSPES_COMPILER_H
#define HOSPES_COMPILER_H

/*
 * The image is built position-independent so that every access is RIP-relative (the image
 * lives far above the top 2 GiB that -mcmodel=kernel could reach), and linked at a fixed
 * address. Hidden visibility keeps the compiler from going through a GOT.
 */
#pragma GCC visibility push(hidden)

#endif /* HOSPES_COMPILER_H */
