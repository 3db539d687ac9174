/* SPDX-License-Identifier: MIT */
/* pvkit: pvclock reads (version protocol), wallclock and timer hypercalls. */
#include <pvkit/hypercall.h>
#include <pvkit/mm.h>
#include <pvkit/time.h>
#include <public/vcpu.h>

uint64_t pv_pvclock_scale(const struct vcpu_time_info *t, uint64_t tsc)
{
	uint64_t delta = tsc - t->tsc_timestamp;

	if (t->tsc_shift < 0)
		delta >>= -t->tsc_shift;
	else
		delta <<= t->tsc_shift;
	return t->system_time + (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
}

uint64_t pv_time_now_ns(void)
{
	const volatile struct vcpu_time_info *src = &pv_vcpu_info->time;
	struct vcpu_time_info snap = {0};
	uint32_t version;
	uint64_t tsc;

	do {
		version = src->version;
		pv_rmb();
		snap.tsc_timestamp = src->tsc_timestamp;
		snap.system_time = src->system_time;
		snap.tsc_to_system_mul = src->tsc_to_system_mul;
		snap.tsc_shift = src->tsc_shift;
		tsc = pv_rdtsc();
		pv_rmb();
	} while ((version & 1) || version != src->version);
	return pv_pvclock_scale(&snap, tsc);
}

uint64_t pv_tsc_khz(void)
{
	const struct vcpu_time_info *t = &pv_vcpu_info->time;
	uint64_t khz;

	if (!t->tsc_to_system_mul)
		return 0;
	khz = (1000000ULL << 32) / t->tsc_to_system_mul;
	if (t->tsc_shift < 0)
		khz <<= -t->tsc_shift;
	else
		khz >>= t->tsc_shift;
	return khz;
}

void pv_wallclock(uint64_t *sec, uint32_t *nsec)
{
	const volatile struct shared_info *s = pv_shared_info;
	uint32_t version;
	uint64_t ns, wsec;
	uint32_t wnsec;

	do {
		version = s->wc_version;
		pv_rmb();
		wsec = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
		wnsec = s->wc_nsec;
		pv_rmb();
	} while ((version & 1) || version != s->wc_version);
	ns = pv_time_now_ns() + wnsec;
	*sec = wsec + ns / 1000000000ULL;
	*nsec = (uint32_t)(ns % 1000000000ULL);
}

long pv_timer_set(uint64_t abs_ns)
{
	return HYPERVISOR_set_timer_op(abs_ns);
}

long pv_timer_singleshot(uint64_t abs_ns, uint32_t flags)
{
	struct vcpu_set_singleshot_timer t = {.timeout_abs_ns = abs_ns, .flags = flags};

	return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
}

long pv_timer_stop_singleshot(void)
{
	return HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
}

long pv_timer_stop_periodic(void)
{
	return HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
}

void pv_delay_ns(uint64_t ns)
{
	uint64_t end = pv_time_now_ns() + ns;

	while (pv_time_now_ns() < end)
		pv_cpu_relax();
}
