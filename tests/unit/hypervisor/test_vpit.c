/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the virtual i8254 channel 2 (hypervisor/common/vpit.c). */
#include <hospes/vpit.h>

#include "../harness.h"

#define MS 1000000ULL
#define T0 5000000000ULL /* any start time: counting is relative */

static uint16_t read16(struct vpit *p, uint64_t now)
{
	uint8_t lo = vpit_read(p, VPIT_CH2, now, 0);

	return (uint16_t)(lo | vpit_read(p, VPIT_CH2, now, 0) << 8);
}

/* What Linux's quick PIT calibration does: gate up, mode 0 LSB/MSB, count 0xffff. */
static void start_mode0(struct vpit *p, uint16_t count)
{
	vpit_init(p);
	vpit_write(p, VPIT_PORT_B, 0x01, T0);
	vpit_write(p, VPIT_CONTROL, 0xb0, T0);
	vpit_write(p, VPIT_CH2, (uint8_t)count, T0);
	vpit_write(p, VPIT_CH2, (uint8_t)(count >> 8), T0);
}

static void test_countdown(void)
{
	struct vpit p;

	start_mode0(&p, 0xffff);
	CHECK_EQ(read16(&p, T0), 0xffff);
	CHECK_EQ(read16(&p, T0 + MS), 0xffff - 1193);		       /* 1.193182 MHz */
	CHECK_EQ(read16(&p, T0 + 50 * MS), 0xffff - 59659);	       /* still above zero */
	CHECK_EQ(read16(&p, T0 + 60 * MS), (0xffff - 71590) & 0xffff); /* wrapped */
	/* Only the LSB/MSB order matters: an odd read leaves the MSB next. */
	CHECK_EQ(vpit_read(&p, VPIT_CH2, T0, 0), 0xff);
	CHECK_EQ(vpit_read(&p, VPIT_CH2, T0 + MS, 0), (0xffff - 1193) >> 8);
}

static void test_out_and_port_b(void)
{
	struct vpit p;

	start_mode0(&p, 1193); /* terminal count after 1 ms */
	CHECK_EQ(vpit_read(&p, VPIT_PORT_B, T0 + MS / 2, 0xc0), 0xc1); /* gate, OUT low */
	CHECK_EQ(vpit_read(&p, VPIT_PORT_B, T0 + 2 * MS, 0xc0), 0xe1); /* OUT high */
	CHECK_EQ(vpit_read(&p, VPIT_PORT_B, T0 + 2 * MS, 0xff), 0xff); /* hardware bits kept */
}

static void test_latch_and_readback(void)
{
	struct vpit p;

	start_mode0(&p, 0xffff);
	vpit_write(&p, VPIT_CONTROL, 0x80, T0 + MS);	 /* latch channel 2 */
	vpit_write(&p, VPIT_CONTROL, 0x80, T0 + 3 * MS); /* ignored: one is pending */
	CHECK_EQ(read16(&p, T0 + 10 * MS), 0xffff - 1193);
	CHECK_EQ(read16(&p, T0 + 10 * MS), 0xffff - 11931); /* live again */
	vpit_write(&p, VPIT_CONTROL, 0xd8, T0 + 2 * MS);    /* read-back: count of channel 2 */
	CHECK_EQ(read16(&p, T0 + 20 * MS), 0xffff - 2386);
	vpit_write(&p, VPIT_CONTROL, 0xd4, T0 + 2 * MS); /* read-back of channel 1 only */
	CHECK_EQ(read16(&p, T0 + 20 * MS), 0xffff - 23863);
}

static void test_gate_holds(void)
{
	struct vpit p;

	start_mode0(&p, 0xffff);
	vpit_write(&p, VPIT_PORT_B, 0x00, T0 + MS);
	CHECK_EQ(read16(&p, T0 + 100 * MS), 0xffff - 1193);
	vpit_write(&p, VPIT_PORT_B, 0x01, T0 + 100 * MS);
	CHECK_EQ(read16(&p, T0 + 101 * MS), 0xffff - 2386);
	/* A count written with the gate low waits for the gate. */
	vpit_init(&p);
	vpit_write(&p, VPIT_CONTROL, 0xb0, T0);
	vpit_write(&p, VPIT_CH2, 0x00, T0);
	vpit_write(&p, VPIT_CH2, 0x10, T0);
	CHECK_EQ(read16(&p, T0 + 5 * MS), 0x1000);
}

static void test_modes_and_access(void)
{
	struct vpit p;

	vpit_init(&p);
	vpit_write(&p, VPIT_PORT_B, 0x01, T0);
	vpit_write(&p, VPIT_CONTROL, 0x96, T0); /* LSB only, mode 3 */
	vpit_write(&p, VPIT_CH2, 100, T0);
	CHECK_EQ(vpit_read(&p, VPIT_CH2, T0, 0), 100);
	/* 100 ticks a period: at 150 ticks, 50 into the second period, the output is low. */
	CHECK_EQ(vpit_read(&p, VPIT_CH2, T0 + 150 * 1000000000ULL / VPIT_HZ + 1, 0), 50);
	CHECK_EQ(vpit_read(&p, VPIT_PORT_B, T0 + 160 * 1000000000ULL / VPIT_HZ + 1, 0) & 0x20, 0);
	CHECK_EQ(vpit_read(&p, VPIT_PORT_B, T0 + 110 * 1000000000ULL / VPIT_HZ + 1, 0) & 0x20,
		 0x20);
	vpit_write(&p, VPIT_CONTROL, 0xa0, T0); /* MSB only, mode 0 */
	vpit_write(&p, VPIT_CH2, 0x12, T0);
	CHECK_EQ(vpit_read(&p, VPIT_CH2, T0, 0), 0x12);
	/* Channel 0's control word and the other ports leave channel 2 alone. */
	vpit_write(&p, VPIT_CONTROL, 0x34, T0);
	vpit_write(&p, 0x40, 0x55, T0);
	CHECK_EQ(vpit_read(&p, VPIT_CH2, T0, 0), 0x12);
	CHECK_EQ(vpit_read(&p, VPIT_CONTROL, T0, 0), 0xff);
	/* A clock that never moved, or went back, counts nothing. */
	CHECK_EQ(vpit_read(&p, VPIT_CH2, T0 - MS, 0), 0x12);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"mode 0 count-down at 1.193182 MHz, LSB/MSB order", test_countdown},
		{"OUT in port B over the hardware bits", test_out_and_port_b},
		{"counter latch and read-back commands", test_latch_and_readback},
		{"the gate holds and releases the count", test_gate_holds},
		{"modes 3 and 0, LSB-only and MSB-only access", test_modes_and_access},
	};

	return unit_run("vpit", tests, ARRAY_SIZE(tests));
}
