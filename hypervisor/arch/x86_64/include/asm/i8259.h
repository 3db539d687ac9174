/* SPDX-License-Identifier: GPL-2.0-only */
/* Legacy 8259 interrupt controllers. */
#ifndef ASM_I8259_H
#define ASM_I8259_H

/* Remaps both PICs to vectors 0x20-0x2f and masks every line. */
void i8259_disable(void);

#endif /* ASM_I8259_H */
