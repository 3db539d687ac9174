/* SPDX-License-Identifier: MIT */
/* Guest test: 2-level event channels — loopback, IPI, masks, status, close, errors, upcalls. */
#include <pvkit/pvkit.h>

const char pv_test_title[] = "events: event channels, masks, upcalls, set_callbacks";

static volatile unsigned int hits[NR_EVENT_CHANNELS];

static void count(evtchn_port_t port, void *data)
{
	hits[port]++;
}

static domid_t self_domid(void)
{
	struct evtchn_status st;
	evtchn_port_t p;

	if (pv_evtchn_alloc_unbound(DOMID_SELF, &p))
		return DOMID_INVALID;
	pv_evtchn_status(DOMID_SELF, p, &st);
	pv_evtchn_close(p);
	return st.u.unbound.dom;
}

static void test_loopback(evtchn_port_t *pa, evtchn_port_t *pb)
{
	struct evtchn_status st;
	evtchn_port_t a, b;

	PV_CHECK_EQ(pv_evtchn_alloc_unbound(DOMID_SELF, &a), 0);
	PV_CHECK(a != 0, "port 0 is never handed out");
	PV_CHECK_EQ(pv_evtchn_status(DOMID_SELF, a, &st), 0);
	PV_CHECK_EQ(st.status, EVTCHNSTAT_unbound);
	PV_CHECK_EQ(pv_evtchn_bind_interdomain(DOMID_SELF, a, &b), 0);
	PV_CHECK(b != a && b != 0, "distinct local port %u", b);
	PV_CHECK_EQ(pv_evtchn_status(DOMID_SELF, a, &st), 0);
	PV_CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
	PV_CHECK_EQ(st.u.interdomain.port, b);
	PV_CHECK_EQ(st.u.interdomain.dom, self_domid());
	PV_CHECK_EQ(st.vcpu, 0);
	*pa = a;
	*pb = b;
}

static void test_delivery(evtchn_port_t a, evtchn_port_t b)
{
	uint64_t upcalls = pv_evtchn_upcall_count();

	/* Events off: the send only marks the port pending. */
	pv_evtchn_set_handler(a, count, NULL);
	PV_CHECK_EQ(pv_evtchn_send(b), 0);
	PV_CHECK(pv_evtchn_is_pending(a), "port %u pending", a);
	PV_CHECK_EQ(hits[a], 0);
	PV_CHECK_EQ(pv_shared_info->vcpu_info[0].evtchn_upcall_pending, 1);
	pv_events_enable();
	PV_CHECK_EQ(hits[a], 1);
	PV_CHECK(!pv_evtchn_is_pending(a), "handler cleared the pending bit");
	PV_CHECK_EQ(pv_evtchn_upcall_count(), upcalls + 1);
	/* Events on: delivered before the send hypercall returns. */
	PV_CHECK_EQ(pv_evtchn_send(b), 0);
	PV_CHECK_EQ(hits[a], 2);
	/* Sending on a gives the event to b's end, which has no handler: stays masked/pending. */
	PV_CHECK_EQ(pv_evtchn_send(a), 0);
	PV_CHECK(pv_evtchn_is_pending(b) && pv_evtchn_is_masked(b), "b pending and masked");
	pv_evtchn_clear(b);
}

static void test_masking(evtchn_port_t a, evtchn_port_t b)
{
	pv_evtchn_mask(a);
	PV_CHECK_EQ(pv_evtchn_send(b), 0);
	PV_CHECK_EQ(hits[a], 2); /* masked: no upcall */
	PV_CHECK(pv_evtchn_is_pending(a), "still pending while masked");
	pv_evtchn_unmask(a); /* EVTCHNOP_unmask re-raises it */
	PV_CHECK_EQ(hits[a], 3);
	/* Blocking with an event pending returns at once and delivers it. */
	pv_events_disable();
	PV_CHECK_EQ(pv_evtchn_send(b), 0);
	PV_CHECK_EQ(hits[a], 3);
	PV_CHECK_EQ(pv_block(), 0);
	PV_CHECK_EQ(hits[a], 4);
	PV_CHECK(pv_events_enabled(), "SCHEDOP_block enabled events");
}

static void test_ipi_and_close(void)
{
	struct evtchn_status st;
	evtchn_port_t c, t1, t2;

	PV_CHECK_EQ(pv_evtchn_bind_ipi(0, &c), 0);
	pv_evtchn_set_handler(c, count, NULL);
	PV_CHECK_EQ(pv_evtchn_send(c), 0);
	PV_CHECK_EQ(hits[c], 1);
	PV_CHECK_EQ(pv_evtchn_status(DOMID_SELF, c, &st), 0);
	PV_CHECK_EQ(st.status, EVTCHNSTAT_ipi);
	PV_CHECK_EQ(pv_evtchn_close(c), 0);
	PV_CHECK_EQ(pv_evtchn_status(DOMID_SELF, c, &st), 0);
	PV_CHECK_EQ(st.status, EVTCHNSTAT_closed);
	PV_CHECK_EQ(pv_evtchn_send(c), -XEN_EINVAL);
	PV_CHECK_EQ(pv_evtchn_close(c), -XEN_EINVAL);
	PV_CHECK_EQ(pv_evtchn_send(4000), -XEN_EINVAL);
	PV_CHECK_EQ(pv_evtchn_send(NR_EVENT_CHANNELS + 5), -XEN_EINVAL);
	PV_CHECK_EQ(pv_evtchn_bind_virq(VIRQ_DEBUG, 0, &t1), 0);
	PV_CHECK_EQ(pv_evtchn_bind_virq(VIRQ_DEBUG, 0, &t2), -XEN_EEXIST);
	PV_CHECK_EQ(pv_evtchn_bind_virq(NR_VIRQS, 0, &t2), -XEN_EINVAL);
	PV_CHECK_EQ(pv_evtchn_status(DOMID_SELF, t1, &st), 0);
	PV_CHECK_EQ(st.status, EVTCHNSTAT_virq);
	PV_CHECK_EQ(st.u.virq, VIRQ_DEBUG);
	PV_CHECK_EQ(pv_evtchn_close(t1), 0);
}

static void test_many_ports(void)
{
	evtchn_port_t ports[64];
	unsigned int i, j, ok = 0, distinct = 1;

	for (i = 0; i < ARRAY_SIZE(ports); i++)
		ok += pv_evtchn_alloc_unbound(DOMID_SELF, &ports[i]) == 0;
	PV_CHECK_EQ(ok, ARRAY_SIZE(ports));
	for (i = 0; i < ARRAY_SIZE(ports); i++)
		for (j = i + 1; j < ARRAY_SIZE(ports); j++)
			distinct &= ports[i] != ports[j];
	PV_CHECK(distinct, "64 distinct ports");
	for (i = 0, ok = 0; i < ARRAY_SIZE(ports); i++)
		ok += pv_evtchn_close(ports[i]) == 0;
	PV_CHECK_EQ(ok, ARRAY_SIZE(ports));
}

void test_main(void)
{
	evtchn_port_t a, b;

	test_loopback(&a, &b);
	test_delivery(a, b);
	test_masking(a, b);
	test_ipi_and_close();
	test_many_ports();
	/* The older set_callbacks hypercall registers the same entry point. */
	PV_CHECK_EQ(pv_events_init(true), 0);
	pv_evtchn_set_handler(a, count, NULL);
	PV_CHECK_EQ(pv_evtchn_send(b), 0);
	PV_CHECK_EQ(hits[a], 5);
}
