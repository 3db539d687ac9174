/* SPDX-License-Identifier: GPL-2.0-only */
/* The guests' console: output to the serial line, serial input to the domain that owns it. */
#include <asm/paging.h>
#include <asm/serial.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/event_channel.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pvconsole.h>
#include <hospes/spinlock.h>
#include <hospes/xencons.h>

#define INPUT_SIZE 1024u /* serial bytes waiting for the owner; a power of two */

/*
 * lock covers the owner, its ring and the input buffer. Order: lock, then an event-channel
 * table's lock, then the console's.
 */
static spinlock_t lock = SPINLOCK_INIT;
static struct domain *owner;
static struct xencons_interface *ring; /* the owner's console ring; NULL: none */
static evtchn_port_t ring_port;
static char input[INPUT_SIZE];
static uint32_t in_head, in_tail; /* free-running: bytes [in_tail, in_head) wait */
static uint64_t next_poll_ns;	  /* boot CPU only */
static bool ring_warned;

void pvconsole_set_owner(struct domain *d)
{
	spin_lock(&lock);
	owner = d;
	ring = NULL;
	in_head = in_tail = 0;
	spin_unlock(&lock);
}

void pvconsole_attach_ring(struct domain *d, pfn_t mfn, evtchn_port_t port)
{
	spin_lock(&lock);
	owner = d;
	ring = __va(mfn << PAGE_SHIFT);
	ring_port = port;
	ring_warned = false;
	spin_unlock(&lock);
}

void pvconsole_detach(struct domain *d)
{
	spin_lock(&lock);
	if (owner == d) {
		owner = NULL;
		ring = NULL;
	}
	spin_unlock(&lock);
}

static void ring_corrupt(struct domain *d)
{
	if (!ring_warned)
		pr_warn("Hospes: domain %u: console ring indices out of range; ring reset\n",
			d->domid);
	ring_warned = true;
}

/* Moves waiting input into the owner's ring; true if any moved. Lock held, ring set. */
static bool ring_fill(void)
{
	bool moved = false, bad = false;

	while (in_tail != in_head) {
		uint32_t off = in_tail % INPUT_SIZE;
		size_t n = MIN(in_head - in_tail, INPUT_SIZE - off);
		size_t done = xencons_put_input(ring, &input[off], n, &bad);

		in_tail += (uint32_t)done;
		moved |= done != 0;
		if (done < n)
			break;
	}
	if (bad)
		ring_corrupt(owner);
	return moved;
}

/* Copies the owner's pending output out of its ring (a bounded amount per call). */
static void ring_drain(struct domain *d)
{
	char buf[256];
	bool bad = false;

	for (unsigned int round = 0; round < 64; round++) {
		size_t n = xencons_take_output(ring, buf, sizeof(buf), &bad);

		if (!n)
			break;
		guest_console_write(d, buf, n);
	}
	if (bad)
		ring_corrupt(d);
}

void pvconsole_notify(struct domain *d, evtchn_port_t port)
{
	bool raise = false;

	spin_lock(&lock);
	if (d == owner && ring && port == ring_port) {
		ring_drain(d);
		raise = ring_fill();
	}
	if (raise)
		evtchn_raise(d, ring_port);
	spin_unlock(&lock);
}

long pvconsole_read(struct domain *d, char *buf, size_t len)
{
	size_t n = 0;

	if (!d->is_privileged)
		return -EPERM;
	spin_lock(&lock);
	if (d == owner && !ring)
		for (; n < len && in_tail != in_head; n++)
			buf[n] = input[in_tail++ % INPUT_SIZE];
	spin_unlock(&lock);
	return (long)n;
}

uint64_t pvconsole_poll(uint64_t now_ns)
{
	bool got = false;
	int c;

	/* The timer path calls this often: not due yet costs no lock (only CPU 0 writes it). */
	if (now_ns < next_poll_ns)
		return next_poll_ns;
	spin_lock(&lock);
	if (!owner) {
		spin_unlock(&lock);
		return UINT64_MAX;
	}
	next_poll_ns = now_ns + PVCONSOLE_POLL_NS;
	/* A full buffer leaves bytes in the UART: they come on a later poll. */
	while (in_head - in_tail < INPUT_SIZE && (c = serial_getc()) >= 0) {
		input[in_head++ % INPUT_SIZE] = (char)c;
		got = true;
	}
	if (got && ring && ring_fill())
		evtchn_raise(owner, ring_port);
	else if (got && !ring)
		evtchn_send_virq(owner->vcpus[0], VIRQ_CONSOLE);
	spin_unlock(&lock);
	return next_poll_ns;
}

/* Any domain but the owner: whole lines, each prefixed with the domain. */
static void write_lines(struct domain *d, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = buf[i];

		if (c == '\n' || d->con_len == sizeof(d->con_buf) - 1) {
			d->con_buf[d->con_len] = '\0';
			printk(LOG_ERR, "(d%u) %s\n", d->domid, d->con_buf);
			d->con_len = 0;
			if (c == '\n')
				continue;
		}
		if (c != '\r')
			d->con_buf[d->con_len++] = c;
	}
}

void guest_console_write(struct domain *d, const char *buf, size_t n)
{
	/* As Xen does for its console domain: a terminal stream, not log lines. */
	if (d == __atomic_load_n(&owner, __ATOMIC_ACQUIRE))
		console_write_raw(buf, n);
	else
		write_lines(d, buf, n);
}
