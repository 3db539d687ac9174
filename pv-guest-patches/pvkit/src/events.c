/* SPDX-License-Identifier: MIT */
/* pvkit: 2-level event channels — binding, masking, the upcall scan, and blocking. */
#include <pvkit/console.h>
#include <pvkit/events.h>
#include <pvkit/hypercall.h>
#include <pvkit/mm.h>
#include <public/callback.h>
#include <public/sched.h>
#include <public/version.h>

extern char pv_event_entry[];
extern char pv_failsafe_entry[];

struct evtchn_slot {
	pv_evtchn_handler_t fn;
	void *data;
};

static struct evtchn_slot slots[NR_EVENT_CHANNELS];
static uint64_t upcalls;

static struct vcpu_info *this_vcpu(void)
{
	return pv_vcpu_info;
}

static long register_callback(uint16_t type, void *entry)
{
	struct callback_register cb = {
		.type = type,
		.flags = 0,
		.address = (uintptr_t)entry,
	};

	return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

long pv_events_init(bool use_set_callbacks)
{
	long rc;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pv_shared_info->evtchn_mask); i++)
		PV_WRITE_ONCE(pv_shared_info->evtchn_mask[i], ~0ULL);
	if (use_set_callbacks)
		return HYPERVISOR_set_callbacks((uintptr_t)pv_event_entry,
						(uintptr_t)pv_failsafe_entry, 0);
	rc = register_callback(CALLBACKTYPE_event, pv_event_entry);
	if (rc)
		return rc;
	return register_callback(CALLBACKTYPE_failsafe, pv_failsafe_entry);
}

void pv_events_disable(void)
{
	PV_WRITE_ONCE(this_vcpu()->evtchn_upcall_mask, 1);
	pv_barrier();
}

void pv_events_enable(void)
{
	struct vcpu_info *v = this_vcpu();

	pv_barrier();
	PV_WRITE_ONCE(v->evtchn_upcall_mask, 0);
	pv_mb();
	/* Anything that arrived while masked: any hypercall returns through the upcall check. */
	if (PV_READ_ONCE(v->evtchn_upcall_pending))
		HYPERVISOR_xen_version(XENVER_version, NULL);
}

bool pv_events_enabled(void)
{
	return !PV_READ_ONCE(this_vcpu()->evtchn_upcall_mask);
}

void pv_evtchn_mask(evtchn_port_t port)
{
	pv_set_bit(port, pv_shared_info->evtchn_mask);
}

void pv_evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = {.port = port};

	/*
	 * The hypervisor clears the mask bit itself and raises the upcall if the port went
	 * pending while masked; clearing the bit here first would hide that from it.
	 */
	if (HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op))
		pv_clear_bit(port, pv_shared_info->evtchn_mask);
}

bool pv_evtchn_is_pending(evtchn_port_t port)
{
	return pv_test_bit(port, pv_shared_info->evtchn_pending);
}

bool pv_evtchn_is_masked(evtchn_port_t port)
{
	return pv_test_bit(port, pv_shared_info->evtchn_mask);
}

void pv_evtchn_clear(evtchn_port_t port)
{
	pv_clear_bit(port, pv_shared_info->evtchn_pending);
}

uint64_t pv_evtchn_upcall_count(void)
{
	return PV_READ_ONCE(upcalls);
}

void pv_evtchn_set_handler(evtchn_port_t port, pv_evtchn_handler_t fn, void *data)
{
	if (port >= NR_EVENT_CHANNELS)
		return;
	pv_evtchn_mask(port);
	slots[port].data = data;
	slots[port].fn = fn;
	if (fn)
		pv_evtchn_unmask(port);
}

static void scan_word(unsigned int word)
{
	uint64_t pend = PV_READ_ONCE(pv_shared_info->evtchn_pending[word]) &
			~PV_READ_ONCE(pv_shared_info->evtchn_mask[word]);

	while (pend) {
		unsigned int bit = (unsigned int)__builtin_ctzll(pend);
		evtchn_port_t port = word * 64 + bit;

		pend &= pend - 1;
		pv_evtchn_clear(port);
		if (slots[port].fn)
			slots[port].fn(port, slots[port].data);
		else
			pv_printf("pvkit: event on port %u with no handler\n", port);
	}
}

void pv_evtchn_do_upcall(void)
{
	struct vcpu_info *v = this_vcpu();

	upcalls++;
	while (PV_READ_ONCE(v->evtchn_upcall_pending)) {
		uint64_t sel;

		PV_WRITE_ONCE(v->evtchn_upcall_pending, 0);
		sel = pv_xchg(&v->evtchn_pending_sel, 0);
		while (sel) {
			unsigned int word = (unsigned int)__builtin_ctzll(sel);

			sel &= sel - 1;
			scan_word(word);
		}
	}
}

long pv_evtchn_alloc_unbound(domid_t remote_dom, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {.dom = DOMID_SELF, .remote_dom = remote_dom};
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	if (rc == 0)
		*port = op.port;
	return rc;
}

long pv_evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
				evtchn_port_t *local_port)
{
	struct evtchn_bind_interdomain op = {.remote_dom = remote_dom, .remote_port = remote_port};
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

	if (rc == 0)
		*local_port = op.local_port;
	return rc;
}

long pv_evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_virq op = {.virq = virq, .vcpu = vcpu};
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

	if (rc == 0)
		*port = op.port;
	return rc;
}

long pv_evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_ipi op = {.vcpu = vcpu};
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

	if (rc == 0)
		*port = op.port;
	return rc;
}

long pv_evtchn_send(evtchn_port_t port)
{
	struct evtchn_send op = {.port = port};

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

long pv_evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = {.port = port};

	return HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
}

long pv_evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *out)
{
	*out = (struct evtchn_status){.dom = dom, .port = port};
	return HYPERVISOR_event_channel_op(EVTCHNOP_status, out);
}

long pv_evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu op = {.port = port, .vcpu = vcpu};

	return HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);
}

long pv_block(void)
{
	return HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

long pv_yield(void)
{
	return HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}
