/* SPDX-License-Identifier: GPL-2.0-only */
/* The 16550 UART on COM1: the hypervisor's console. */
#ifndef ASM_SERIAL_H
#define ASM_SERIAL_H

#include <hospes/cmdline.h>
#include <hospes/types.h>

/*
 * Programs COM1 from opts (baud 0 keeps the firmware's divisor) and makes it the console.
 * Returns false if no UART answers at COM1 (the console then stays silent; the log ring still
 * fills).
 */
bool serial_init(const struct serial_options *opts);

/* Reads one byte if one is waiting; -1 otherwise. */
int serial_getc(void);

#endif /* ASM_SERIAL_H */
