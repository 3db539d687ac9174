/* SPDX-License-Identifier: GPL-2.0-only */
/* 16550 UART driver for COM1: polled output, polled input. */
#include <asm/io.h>
#include <asm/serial.h>
#include <hospes/console.h>
#include <hospes/lib.h>

#define COM1_BASE 0x3f8
#define UART_RBR  0 /* receive buffer (DLAB=0) */
#define UART_THR  0 /* transmit holding (DLAB=0) */
#define UART_DLL  0 /* divisor low (DLAB=1) */
#define UART_IER  1
#define UART_DLM  1 /* divisor high (DLAB=1) */
#define UART_FCR  2
#define UART_IIR  2 /* read: bits 7:6 set once a 16550A's FIFOs are on */
#define UART_LCR  3
#define UART_MCR  4
#define UART_LSR  5
#define UART_SCR  7
#define LSR_DR	  0x01
#define LSR_THRE  0x20
#define LCR_DLAB  0x80

static unsigned int tx_fifo = 1; /* bytes the transmitter takes once THRE says empty */

/* THRE means the transmit FIFO is empty: then a whole FIFO's worth goes at once. */
static void serial_write(const char *s, size_t len)
{
	while (len) {
		size_t n = MIN(len, (size_t)tx_fifo);

		for (unsigned int spin = 0; spin < 1000000; spin++)
			if (inb(COM1_BASE + UART_LSR) & LSR_THRE)
				break;
		for (size_t i = 0; i < n; i++)
			outb(COM1_BASE + UART_THR, (uint8_t)s[i]);
		s += n;
		len -= n;
	}
}

static const struct console_dev serial_console = {.write = serial_write};

/* A UART is there if its scratch register keeps what we write. */
static bool uart_present(void)
{
	outb(COM1_BASE + UART_SCR, 0x5a);
	if (inb(COM1_BASE + UART_SCR) != 0x5a)
		return false;
	outb(COM1_BASE + UART_SCR, 0xa5);
	return inb(COM1_BASE + UART_SCR) == 0xa5;
}

bool serial_init(const struct serial_options *opts)
{
	uint8_t lcr;

	if (!uart_present())
		return false;
	lcr = (uint8_t)((opts->data_bits - 5) | ((opts->stop_bits == 2) << 2));
	if (opts->parity == PARITY_ODD)
		lcr |= 0x08;
	else if (opts->parity == PARITY_EVEN)
		lcr |= 0x18;
	outb(COM1_BASE + UART_IER, 0);
	if (opts->baud) {
		uint16_t div = (uint16_t)(115200 / opts->baud);

		outb(COM1_BASE + UART_LCR, LCR_DLAB);
		outb(COM1_BASE + UART_DLL, (uint8_t)div);
		outb(COM1_BASE + UART_DLM, (uint8_t)(div >> 8));
	}
	outb(COM1_BASE + UART_LCR, lcr);
	outb(COM1_BASE + UART_FCR, 0x07); /* FIFOs on and cleared */
	tx_fifo = (inb(COM1_BASE + UART_IIR) & 0xc0) == 0xc0 ? 16 : 1;
	outb(COM1_BASE + UART_MCR, 0x03); /* DTR, RTS */
	console_set_dev(&serial_console);
	return true;
}

int serial_getc(void)
{
	if (!(inb(COM1_BASE + UART_LSR) & LSR_DR))
		return -1;
	return inb(COM1_BASE + UART_RBR);
}
