/* SPDX-License-Identifier: GPL-2.0-only */
/* Domain and vCPU life cycle, and the guest console lines. */
#include <asm/cpu.h>
#include <asm/paging.h>
#include <hospes/bug.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/event_channel.h>
#include <hospes/grant_table.h>
#include <hospes/heap.h>
#include <hospes/irq.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pvconsole.h>
#include <hospes/pagetype.h>
#include <hospes/pvmm.h>
#include <hospes/sched.h>
#include <hospes/setup.h>
#include <hospes/timer.h>
#include <hospes/vcpu_op.h>
#include <public/sched.h>

struct domain *dom0;

static const char *const shutdown_names[] = {"poweroff", "reboot",   "suspend",
					     "crash",	 "watchdog", "soft_reset"};

/* pvclock parameters: ns = ((tsc_delta << shift) * mul) >> 32 (shift may be negative). */
void time_fill_vcpu(struct vcpu_time_info *t)
{
	uint64_t khz = tsc_khz ? tsc_khz : 1000000;
	uint64_t scale = (1000000ULL << 32) / khz;
	int shift = 0;

	while (scale >= (1ULL << 32)) {
		scale >>= 1;
		shift++;
	}
	while (scale < (1ULL << 31)) {
		scale <<= 1;
		shift--;
	}
	t->version++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->tsc_timestamp = rdtsc();
	t->system_time = time_now_ns();
	t->tsc_to_system_mul = (uint32_t)scale;
	t->tsc_shift = (int8_t)shift;
	t->flags = 1; /* XEN_PVCLOCK_TSC_STABLE_BIT */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->version++;
}

struct domain *domain_create(uint16_t domid, unsigned int nr_vcpus, bool privileged)
{
	struct domain *d;

	uint64_t free_before = frame_pool_free_count(&frame_pool);

	if (nr_vcpus == 0 || nr_vcpus > MAX_VIRT_CPUS)
		return NULL;
	/* Whole pages, so that destroying a domain gives back exactly what creating it took. */
	_Static_assert(sizeof(*d) <= PAGE_SIZE, "struct domain fits a page");
	d = alloc_hv_pages(0);
	if (!d)
		return NULL;
	d->domid = domid;
	d->free_frames_before = free_before;
	d->is_privileged = privileged;
	spin_lock_init(&d->lock);
	vpit_init(&d->vpit);
	d->shared_info = alloc_hv_pages(0);
	if (!d->shared_info)
		goto err_free_domain;
	d->shared_info_maddr = __pa(d->shared_info);
	/* The guest maps shared_info: it is the domain's page as far as PTE checks go. */
	frame_table[d->shared_info_maddr >> PAGE_SHIFT].state = FRAME_GUEST;
	frame_table[d->shared_info_maddr >> PAGE_SHIFT].owner = domid;
	frame_table[d->shared_info_maddr >> PAGE_SHIFT].count_info = PGC_XEN_HEAP; /* lent */
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = alloc_hv_pages(VCPU_ORDER);

		if (!v)
			goto err_free_vcpus;
		v->id = i;
		v->domain = d;
		v->state = VCPU_OFFLINE;
		v->info = &d->shared_info->vcpu_info[i];
		v->info->evtchn_upcall_mask = 1; /* events start masked */
		time_fill_vcpu(&v->info->time);
		vcpu_op_vcpu_init(v);
		d->vcpus[i] = v;
		d->nr_vcpus = i + 1;
	}
	if (evtchn_domain_init(d))
		goto err_free_vcpus;
	timer_domain_init(d);
	return d;

err_free_vcpus:
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		free_hv_pages(d->vcpus[i], VCPU_ORDER);
	frame_table[d->shared_info_maddr >> PAGE_SHIFT].state = FRAME_HV;
	free_hv_pages(d->shared_info, 0);
err_free_domain:
	free_hv_pages(d, 0);
	return NULL;
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	if (d->is_shutdown)
		return;
	d->is_shutdown = true;
	d->shutdown_reason = (uint8_t)reason;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		d->vcpus[i]->state = VCPU_DOWN;
	printk(LOG_ERR, "Hospes: domain %u shut down: %s\n", d->domid,
	       reason < ARRAY_SIZE(shutdown_names) ? shutdown_names[reason] : "unknown");
	if (d == dom0) {
		printk(LOG_ERR, "Hospes: the initial domain is gone; %s\n",
		       reason == SHUTDOWN_reboot && !hv_opts.noreboot ? "rebooting" : "halting");
		if (reason == SHUTDOWN_reboot && !hv_opts.noreboot)
			panic("initial domain asked for a reboot");
	} else if (dom0 && dom0->is_privileged && dom0->nr_vcpus) {
		/* The toolstack learns of it as on Xen (xenstored's @releaseDomain follows). */
		evtchn_send_virq(dom0->vcpus[0], VIRQ_DOM_EXC);
	}
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
	va_list ap;
	struct vcpu *v = current_vcpu();

	va_start(ap, fmt);
	vsnprintf(d->crash_reason, sizeof(d->crash_reason), fmt, ap);
	va_end(ap);
	printk(LOG_ERR, "Hospes: domain %u crashed: %s (last hypercall %llu)\n", d->domid,
	       d->crash_reason,
	       v && v->domain == d ? (unsigned long long)v->arch.last_hypercall : 0ULL);
	domain_shutdown(d, SHUTDOWN_crash);
}

void domain_destroy(struct domain *d)
{
	uint64_t freed = 0, kept = 0;

	pvconsole_detach(d);
	irq_domain_destroy(d);
	gnttab_domain_destroy(d);
	pv_domain_release_frames(d, &freed, &kept);
	evtchn_domain_destroy(d);
	pv_free_lent_page(d->shared_info);
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		free_hv_pages(d->vcpus[i], VCPU_ORDER);
	uint16_t domid = d->domid;
	uint64_t before = d->free_frames_before, tot = d->tot_pages;

	free_hv_pages(d, 0);
	printk(LOG_DEBUG, "domain %u: %llu of %llu frames returned\n", domid,
	       (unsigned long long)freed, (unsigned long long)tot);
	if (kept)
		printk(LOG_INFO, "domain %u: %llu frames still mapped by other domains\n", domid,
		       (unsigned long long)kept);
	printk(LOG_ERR,
	       "Hospes: domain %u destroyed; free frames %llu (%llu before it was built)\n", domid,
	       (unsigned long long)frame_pool_free_count(&frame_pool), (unsigned long long)before);
}
