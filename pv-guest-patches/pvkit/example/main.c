/* SPDX-License-Identifier: MIT */
/* pvkit example guest: hello, one hypercall, one event to itself. Copy this to start a guest. */
#include <pvkit/pvkit.h>
#include <public/version.h>

const char pv_test_title[] = "pvkit example: hello, xen_version, an event to myself";

static volatile unsigned int events_seen;

static void on_event(evtchn_port_t port, void *data)
{
	events_seen++;
}

void test_main(void)
{
	evtchn_port_t a, b;
	long version;

	pv_printf("Hello from a PV guest!\n");

	/* A hypercall: which hypervisor version is this? */
	version = HYPERVISOR_xen_version(XENVER_version, NULL);
	pv_printf("hypervisor version %ld.%ld\n", version >> 16, version & 0xffff);
	PV_CHECK(version > 0, "xen_version returned %ld", version);

	/* An event: a loopback channel (an unbound port, then bind to it), send, see the upcall. */
	PV_CHECK_EQ(pv_evtchn_alloc_unbound(DOMID_SELF, &a), 0);
	PV_CHECK_EQ(pv_evtchn_bind_interdomain(DOMID_SELF, a, &b), 0);
	pv_evtchn_set_handler(a, on_event, NULL);
	pv_events_enable();
	PV_CHECK_EQ(pv_evtchn_send(b), 0);
	PV_CHECK_EQ(events_seen, 1);
	pv_printf("event on port %u delivered %u time(s)\n", a, events_seen);
}
