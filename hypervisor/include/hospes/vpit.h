/* SPDX-License-Identifier: GPL-2.0-only */
/* A virtual i8254 channel 2 (ports 0x42, 0x43, 0x61) for PV domains; pure logic, unit-tested. */
#ifndef HOSPES_VPIT_H
#define HOSPES_VPIT_H

#include <hospes/types.h>

#define VPIT_HZ	     1193182u
#define VPIT_CH2     0x42
#define VPIT_CONTROL 0x43
#define VPIT_PORT_B  0x61 /* bit 0: channel 2 gate, bit 5: channel 2 output */

/*
 * Channel 2 as kernels use it to calibrate their clocks and to beep: a control word selects
 * the access mode (LSB, MSB, LSB then MSB) and the counting mode; the count written starts
 * counting down at VPIT_HZ from the moment it is complete, on the hypervisor's clock. The
 * channel counts while port B's gate bit is set and holds its value while it is clear. Modes
 * 2 and 3 reload at zero; the others wrap through 0xffff. Counter latch commands are honoured.
 * Channels 0 and 1 are the hypervisor's: their ports read as all ones elsewhere.
 */
struct vpit {
	uint64_t start_ns; /* when counting (re)started from 'count' */
	uint64_t stop_ns;  /* with the gate clear: when it stopped */
	uint16_t reload;   /* the count last written (0 means 65536) */
	uint16_t count;	   /* the value counting started from */
	uint16_t latch;	   /* a latched value, read before the live one */
	uint8_t mode;	   /* counting mode 0-5 */
	uint8_t access;	   /* 1 LSB, 2 MSB, 3 LSB then MSB */
	uint8_t wr_msb;	   /* access 3: the next write is the MSB */
	uint8_t rd_msb;	   /* access 3: the next read is the MSB */
	uint8_t latched;   /* bytes of 'latch' left to read */
	uint8_t lsb;	   /* access 3: the LSB written, waiting for its MSB */
	bool gate;	   /* port B bit 0 */
	bool loaded;	   /* a count was written since the last control word */
};

/* A channel with the gate low and nothing loaded, as after reset. */
void vpit_init(struct vpit *p);

/* True for the ports vpit_read/vpit_write serve. */
static inline bool vpit_port(unsigned int port)
{
	return port == VPIT_CH2 || port == VPIT_CONTROL || port == VPIT_PORT_B;
}

/*
 * One byte from a vpit_port() at time now_ns: channel 2's count (port 0x42), all ones (the
 * write-only control port), or port B's gate and output bits over 'hw_port_b' (the rest of the
 * byte, from the hardware or zero).
 */
uint8_t vpit_read(struct vpit *p, unsigned int port, uint64_t now_ns, uint8_t hw_port_b);

/* One byte to a vpit_port(); control words for channels 0 and 1 are ignored. */
void vpit_write(struct vpit *p, unsigned int port, uint8_t val, uint64_t now_ns);

#endif /* HOSPES_VPIT_H */
