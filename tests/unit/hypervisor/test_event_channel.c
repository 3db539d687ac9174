/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/event_channel.c: port state machine and 2-level pending bits. */
#include <stdlib.h>
#include <string.h>
#include <hospes/errno.h>
#include <hospes/event_channel.h>
#include "../harness.h"

static struct evtchn_table ta, tb;
static struct shared_info shinfo;

static void test_alloc_and_loopback(void)
{
	struct evtchn_status st;
	domid_t dom;
	evtchn_port_t tgt;
	int a, b;

	evtchn_table_init(&ta, 0, 2);
	a = evtchn_alloc_unbound(&ta, 0);
	CHECK_EQ(a, 1); /* port 0 is never handed out */
	CHECK_EQ(evtchn_get_status(&ta, (evtchn_port_t)a, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_unbound);
	CHECK_EQ(st.u.unbound.dom, 0);
	CHECK_EQ(evtchn_send_target(&ta, (evtchn_port_t)a, &dom, &tgt), 0); /* unbound: dropped */
	b = evtchn_bind_interdomain(&ta, &ta, (evtchn_port_t)a);
	CHECK_EQ(b, 2);
	CHECK_EQ(evtchn_get_status(&ta, (evtchn_port_t)a, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(st.u.interdomain.port, b);
	CHECK_EQ(evtchn_send_target(&ta, (evtchn_port_t)b, &dom, &tgt), 1);
	CHECK_EQ(tgt, a);
	CHECK_EQ(dom, 0);
	/* Binding again fails: a is no longer unbound. */
	CHECK_EQ(evtchn_bind_interdomain(&ta, &ta, (evtchn_port_t)a), -EINVAL);
	/* Closing b leaves a unbound, offered to the same domain. */
	CHECK_EQ(evtchn_close(&ta, (evtchn_port_t)b, &ta), 0);
	CHECK_EQ(evtchn_get_status(&ta, (evtchn_port_t)a, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_unbound);
	CHECK_EQ(evtchn_get_status(&ta, (evtchn_port_t)b, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_closed);
	CHECK_EQ(evtchn_close(&ta, (evtchn_port_t)b, &ta), -EINVAL);
	CHECK_EQ(evtchn_close(&ta, (evtchn_port_t)a, NULL), 0);
}

static void test_interdomain(void)
{
	domid_t dom;
	evtchn_port_t tgt;
	int a, b;

	evtchn_table_init(&ta, 1, 1);
	evtchn_table_init(&tb, 2, 1);
	a = evtchn_alloc_unbound(&ta, 3); /* offered to domain 3 only */
	CHECK_EQ(evtchn_bind_interdomain(&tb, &ta, (evtchn_port_t)a), -EINVAL);
	CHECK_EQ(evtchn_close(&ta, (evtchn_port_t)a, NULL), 0);
	a = evtchn_alloc_unbound(&ta, 2);
	b = evtchn_bind_interdomain(&tb, &ta, (evtchn_port_t)a);
	CHECK(b > 0);
	CHECK(evtchn_peer(&ta, (evtchn_port_t)a, &dom) && dom == 2);
	CHECK_EQ(evtchn_send_target(&tb, (evtchn_port_t)b, &dom, &tgt), 1);
	CHECK_EQ(dom, 1);
	CHECK_EQ(tgt, a);
	CHECK_EQ(evtchn_close(&ta, (evtchn_port_t)a, &tb), 0);
	CHECK_EQ(tb.port[b].state, EVTCHNSTAT_unbound);
	CHECK_EQ(tb.port[b].remote_dom, 1);
}

/* A port served by the hypervisor: sends go to DOMID_XEN; the guest may close it. */
static void test_hypervisor_port(void)
{
	struct evtchn_status st;
	domid_t dom;
	evtchn_port_t tgt;
	int p;

	evtchn_table_init(&ta, 1, 1);
	p = evtchn_bind_hypervisor(&ta);
	CHECK_EQ(p, 1);
	CHECK_EQ(evtchn_get_status(&ta, (evtchn_port_t)p, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(st.u.interdomain.dom, DOMID_XEN);
	CHECK_EQ(evtchn_send_target(&ta, (evtchn_port_t)p, &dom, &tgt), 1);
	CHECK_EQ(dom, DOMID_XEN);
	CHECK(evtchn_peer(&ta, (evtchn_port_t)p, &dom));
	CHECK_EQ(dom, DOMID_XEN);
	/* No domain can bind to it, and closing it needs no peer table. */
	CHECK_EQ(evtchn_bind_interdomain(&tb, &ta, (evtchn_port_t)p), -EINVAL);
	CHECK_EQ(evtchn_close(&ta, (evtchn_port_t)p, NULL), 0);
	CHECK_EQ(evtchn_get_status(&ta, (evtchn_port_t)p, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_closed);
}

static void test_virq_ipi(void)
{
	struct evtchn_status st;
	domid_t dom;
	evtchn_port_t tgt;
	int t0, t1, d, ipi;

	evtchn_table_init(&ta, 0, 2);
	t0 = evtchn_bind_virq(&ta, VIRQ_TIMER, 0);
	t1 = evtchn_bind_virq(&ta, VIRQ_TIMER, 1);
	CHECK(t0 > 0 && t1 > 0 && t0 != t1);
	CHECK_EQ(evtchn_bind_virq(&ta, VIRQ_TIMER, 0), -EEXIST);
	CHECK_EQ(evtchn_bind_virq(&ta, VIRQ_TIMER, 2), -ENOENT);
	CHECK_EQ(evtchn_bind_virq(&ta, NR_VIRQS, 0), -EINVAL);
	CHECK_EQ(evtchn_bind_virq(&ta, VIRQ_CONSOLE, 1), -EINVAL); /* global: vCPU 0 only */
	CHECK_EQ(evtchn_virq_to_port(&ta, 1, VIRQ_TIMER), t1);
	CHECK_EQ(evtchn_notify_vcpu(&ta, (evtchn_port_t)t1), 1);
	CHECK_EQ(evtchn_send_target(&ta, (evtchn_port_t)t0, &dom, &tgt), -EINVAL);
	CHECK_EQ(evtchn_get_status(&ta, (evtchn_port_t)t1, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_virq);
	CHECK_EQ(st.u.virq, VIRQ_TIMER);
	CHECK_EQ(st.vcpu, 1);
	CHECK_EQ(evtchn_set_vcpu(&ta, (evtchn_port_t)t1, 0), -EINVAL); /* per-vCPU VIRQ */
	CHECK_EQ(evtchn_close(&ta, (evtchn_port_t)t1, NULL), 0);
	CHECK_EQ(evtchn_virq_to_port(&ta, 1, VIRQ_TIMER), 0);
	d = evtchn_bind_virq(&ta, VIRQ_DOM_EXC, 0);
	CHECK_EQ(evtchn_set_vcpu(&ta, (evtchn_port_t)d, 1), 0);
	CHECK_EQ(evtchn_notify_vcpu(&ta, (evtchn_port_t)d), 1);
	ipi = evtchn_bind_ipi(&ta, 1);
	CHECK(ipi > 0);
	CHECK_EQ(evtchn_bind_ipi(&ta, 5), -ENOENT);
	CHECK_EQ(evtchn_send_target(&ta, (evtchn_port_t)ipi, &dom, &tgt), 1);
	CHECK_EQ(tgt, ipi);
	CHECK_EQ(evtchn_set_vcpu(&ta, (evtchn_port_t)ipi, 0), -EINVAL);
}

static void test_bad_ports(void)
{
	struct evtchn_status st;
	domid_t dom;
	evtchn_port_t tgt;

	evtchn_table_init(&ta, 0, 1);
	CHECK_EQ(evtchn_close(&ta, 0, NULL), -EINVAL);
	CHECK_EQ(evtchn_close(&ta, NR_EVENT_CHANNELS, NULL), -EINVAL);
	CHECK_EQ(evtchn_close(&ta, 0xffffffffu, NULL), -EINVAL);
	CHECK_EQ(evtchn_send_target(&ta, 4000, &dom, &tgt), -EINVAL);
	CHECK_EQ(evtchn_send_target(&ta, NR_EVENT_CHANNELS + 5, &dom, &tgt), -EINVAL);
	CHECK_EQ(evtchn_get_status(&ta, NR_EVENT_CHANNELS, &st), -EINVAL);
	CHECK_EQ(evtchn_bind_interdomain(&ta, &ta, 0), -EINVAL);
	CHECK_EQ(evtchn_bind_interdomain(&ta, &ta, 0x80000000u), -EINVAL);
	CHECK_EQ(evtchn_set_vcpu(&ta, 77, 0), -EINVAL);
	CHECK_EQ(evtchn_notify_vcpu(&ta, 77), -EINVAL);
	CHECK_EQ(evtchn_virq_to_port(&ta, 99, 0), 0);
}

static void test_exhaustion(void)
{
	unsigned int n = 0;
	int p;

	evtchn_table_init(&ta, 0, 1);
	while ((p = evtchn_alloc_unbound(&ta, 0)) > 0)
		n++;
	CHECK_EQ(p, -ENOSPC);
	CHECK_EQ(n, NR_EVENT_CHANNELS - 1);
	CHECK_EQ(evtchn_close(&ta, 100, NULL), 0);
	CHECK_EQ(evtchn_alloc_unbound(&ta, 0), 100); /* lowest free port reused */
}

static void test_2l_pending(void)
{
	struct vcpu_info *vi = &shinfo.vcpu_info[0];

	memset(&shinfo, 0, sizeof(shinfo));
	CHECK(evtchn_2l_set_pending(&shinfo, vi, 70));
	CHECK_EQ(shinfo.evtchn_pending[1], 1ULL << 6);
	CHECK_EQ(vi->evtchn_pending_sel, 2);
	CHECK_EQ(vi->evtchn_upcall_pending, 1);
	CHECK(!evtchn_2l_set_pending(&shinfo, vi, 70)); /* already pending */
	CHECK(!evtchn_2l_set_pending(&shinfo, vi, 71)); /* selector already set */
	/* Masked: pending only. */
	memset(&shinfo, 0, sizeof(shinfo));
	shinfo.evtchn_mask[0] = 1ULL << 5;
	CHECK(!evtchn_2l_set_pending(&shinfo, vi, 5));
	CHECK_EQ(shinfo.evtchn_pending[0], 1ULL << 5);
	CHECK_EQ(vi->evtchn_upcall_pending, 0);
	CHECK(evtchn_2l_unmask(&shinfo, vi, 5)); /* unmask re-raises */
	CHECK_EQ(shinfo.evtchn_mask[0], 0);
	CHECK_EQ(vi->evtchn_upcall_pending, 1);
	CHECK(!evtchn_2l_unmask(&shinfo, vi, 9)); /* not pending */
	CHECK(!evtchn_2l_set_pending(&shinfo, vi, NR_EVENT_CHANNELS));
	CHECK(!evtchn_2l_unmask(&shinfo, vi, NR_EVENT_CHANNELS + 1));
}

static const struct unit_test tests[] = {
	{"alloc_unbound and loopback bind, close back to unbound", test_alloc_and_loopback},
	{"interdomain bind checks the offered domain", test_interdomain},
	{"a port served by the hypervisor", test_hypervisor_port},
	{"VIRQ and IPI bindings, per-vCPU rules", test_virq_ipi},
	{"bad ports are refused", test_bad_ports},
	{"table exhaustion and reuse", test_exhaustion},
	{"2-level pending, selector, mask and unmask", test_2l_pending},
};

int main(void)
{
	return unit_run("event_channel", tests, sizeof(tests) / sizeof(tests[0]));
}
