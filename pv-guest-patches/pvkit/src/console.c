/* SPDX-License-Identifier: MIT */
/* pvkit: console sinks (console_io hypercall, PV console ring) and printf on top of them. */
#include <pvkit/console.h>
#include <pvkit/hypercall.h>
#include <public/sched.h>

static bool console_io_on = true;
static struct xencons_interface *cons_ring;
static evtchn_port_t cons_port;

void pv_console_io_enable(bool on)
{
	console_io_on = on;
}

void pv_console_ring_init(struct xencons_interface *ring, evtchn_port_t port)
{
	cons_ring = ring;
	cons_port = port;
}

size_t pv_console_ring_write(const char *buf, size_t len)
{
	struct xencons_interface *r = cons_ring;
	XENCONS_RING_IDX cons, prod;
	size_t done = 0;

	if (!r)
		return 0;
	cons = PV_READ_ONCE(r->out_cons);
	prod = r->out_prod;
	pv_mb();
	while (done < len && prod - cons < sizeof(r->out))
		r->out[MASK_XENCONS_IDX(prod++, r->out)] = buf[done++];
	pv_wmb();
	r->out_prod = prod;
	return done;
}

static void ring_write_all(const char *buf, size_t len)
{
	struct evtchn_send send = {.port = cons_port};

	while (len) {
		size_t n = pv_console_ring_write(buf, len);

		buf += n;
		len -= n;
		HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);
		/* Wait for the backend so that nothing is lost if the guest stops right after. */
		while (PV_READ_ONCE(cons_ring->out_cons) != PV_READ_ONCE(cons_ring->out_prod))
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
}

void pv_console_write(const char *buf, size_t len)
{
	if (console_io_on)
		HYPERVISOR_console_io(CONSOLEIO_write, (unsigned int)len, buf);
	if (cons_ring)
		ring_write_all(buf, len);
}

long pv_console_io_read(char *buf, unsigned int len)
{
	return HYPERVISOR_console_io(CONSOLEIO_read, len, buf);
}

void pv_puts(const char *s)
{
	pv_console_write(s, strlen(s));
}

int pv_vprintf(const char *fmt, va_list ap)
{
	char buf[512];
	int n = pv_vsnprintf(buf, sizeof(buf), fmt, ap);

	pv_console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}

int pv_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pv_vprintf(fmt, ap);
	va_end(ap);
	return n;
}
