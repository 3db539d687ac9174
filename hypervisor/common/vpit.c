/* SPDX-License-Identifier: GPL-2.0-only */
/* Virtual i8254 channel 2 for PV domains: counting on the hypervisor's clock; see vpit.h. */
#include <hospes/lib.h>
#include <hospes/vpit.h>

#define NS_PER_S 1000000000ULL

void vpit_init(struct vpit *p)
{
	memset(p, 0, sizeof(*p));
	p->access = 3;
}

/* Input clock ticks since counting started (frozen while the gate is low); no overflow. */
static uint64_t vpit_ticks(const struct vpit *p, uint64_t now_ns)
{
	uint64_t end = p->gate ? now_ns : p->stop_ns, ns;

	if (!p->loaded || end <= p->start_ns)
		return 0;
	ns = end - p->start_ns;
	return ns / NS_PER_S * VPIT_HZ + ns % NS_PER_S * VPIT_HZ / NS_PER_S;
}

static uint32_t vpit_period(const struct vpit *p)
{
	return p->reload ? p->reload : 0x10000;
}

static bool vpit_periodic(const struct vpit *p)
{
	return p->mode == 2 || p->mode == 3;
}

static uint16_t vpit_value(const struct vpit *p, uint64_t now_ns)
{
	uint64_t t = vpit_ticks(p, now_ns);

	if (!p->loaded)
		return p->count;
	if (vpit_periodic(p))
		return (uint16_t)(vpit_period(p) - t % vpit_period(p));
	return (uint16_t)(p->count - t);
}

/* Mode 0 rises at terminal count; mode 3 is high for the first half period; others high. */
static bool vpit_out(const struct vpit *p, uint64_t now_ns)
{
	uint64_t t = vpit_ticks(p, now_ns);

	if (p->mode == 0)
		return p->loaded && t >= (p->count ? p->count : 0x10000);
	if (p->mode == 3 && p->loaded)
		return t % vpit_period(p) < (vpit_period(p) + 1) / 2;
	return true;
}

static void vpit_latch(struct vpit *p, uint64_t now_ns)
{
	if (p->latched)
		return; /* a second latch before the first is read is ignored, as on the chip */
	p->latch = vpit_value(p, now_ns);
	p->latched = p->access == 3 ? 2 : 1;
}

static uint8_t vpit_read_byte(struct vpit *p, uint16_t v)
{
	switch (p->access) {
	case 1:
		return (uint8_t)v;
	case 2:
		return (uint8_t)(v >> 8);
	default:
		p->rd_msb ^= 1;
		return p->rd_msb ? (uint8_t)v : (uint8_t)(v >> 8);
	}
}

uint8_t vpit_read(struct vpit *p, unsigned int port, uint64_t now_ns, uint8_t hw_port_b)
{
	uint8_t b;

	switch (port) {
	case VPIT_CH2:
		if (!p->latched)
			return vpit_read_byte(p, vpit_value(p, now_ns));
		b = vpit_read_byte(p, p->latch);
		p->latched--;
		return b;
	case VPIT_PORT_B:
		return (uint8_t)((hw_port_b & ~0x21) | (p->gate ? 1 : 0) |
				 (vpit_out(p, now_ns) ? 0x20 : 0));
	default:
		return 0xff;
	}
}

/* The count is complete: counting starts now (held at its start while the gate is low). */
static void vpit_load(struct vpit *p, uint16_t v, uint64_t now_ns)
{
	p->reload = p->count = v;
	p->start_ns = p->stop_ns = now_ns;
	p->loaded = true;
}

static void vpit_control(struct vpit *p, uint8_t val, uint64_t now_ns)
{
	unsigned int access = (val >> 4) & 3;

	if ((val >> 6) == 3) { /* read-back: bit 5 clear latches the count, bit 3 is channel 2 */
		if (!(val & 0x20) && (val & 0x08))
			vpit_latch(p, now_ns);
		return;
	}
	if ((val >> 6) != 2)
		return; /* channels 0 and 1 are not the domain's */
	if (!access) {
		vpit_latch(p, now_ns);
		return;
	}
	p->access = (uint8_t)access;
	p->mode = (uint8_t)(((val >> 1) & 7) > 5 ? ((val >> 1) & 7) - 4 : (val >> 1) & 7);
	p->count = vpit_value(p, now_ns);
	p->loaded = false;
	p->wr_msb = p->rd_msb = p->latched = 0;
}

static void vpit_gate(struct vpit *p, bool gate, uint64_t now_ns)
{
	if (gate == p->gate)
		return;
	if (!gate) {
		p->stop_ns = now_ns;
	} else if (vpit_periodic(p) || p->mode == 1 || p->mode == 5) {
		p->count = p->reload; /* a rising gate restarts these modes */
		p->start_ns = now_ns;
	} else {
		p->start_ns += now_ns - p->stop_ns; /* mode 0 and 4 resume where they held */
	}
	p->gate = gate;
}

void vpit_write(struct vpit *p, unsigned int port, uint8_t val, uint64_t now_ns)
{
	switch (port) {
	case VPIT_CONTROL:
		vpit_control(p, val, now_ns);
		return;
	case VPIT_PORT_B:
		vpit_gate(p, val & 1, now_ns);
		return;
	case VPIT_CH2:
		break;
	default:
		return;
	}
	if (p->access == 1) {
		vpit_load(p, val, now_ns);
	} else if (p->access == 2) {
		vpit_load(p, (uint16_t)(val << 8), now_ns);
	} else if (!p->wr_msb) {
		p->lsb = val;
		p->wr_msb = 1;
	} else {
		p->wr_msb = 0;
		vpit_load(p, (uint16_t)(p->lsb | val << 8), now_ns);
	}
}
