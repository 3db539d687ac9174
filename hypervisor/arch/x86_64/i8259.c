/* SPDX-License-Identifier: GPL-2.0-only */
/* Legacy 8259 PICs: moved off the exception vectors and masked; interrupts come via APICs. */
#include <asm/i8259.h>
#include <asm/io.h>

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1

/*
 * The firmware may leave the master PIC on vectors 8-15, where a timer tick would look like a
 * double fault. Re-initialise both to vectors 0x20-0x2f (spurious ones land on a harmless
 * vector) and mask every line.
 */
void i8259_disable(void)
{
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	outb(PIC1_CMD, 0x11); /* ICW1: edge, cascade, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, 0x20); /* ICW2: vector base */
	outb(PIC2_DATA, 0x28);
	outb(PIC1_DATA, 0x04); /* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}
