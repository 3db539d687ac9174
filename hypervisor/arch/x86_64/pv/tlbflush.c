/* SPDX-License-Identifier: GPL-2.0-only */
/* TLB flushes for guest page-table changes: this CPU, or every CPU with an IPI and acks. */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <hospes/pvmm.h>
#include <hospes/spinlock.h>

/* Not in asm/traps.h yet, to keep this branch's shared edits small: the lead may move it. */
#define VEC_IPI_TLB_FLUSH 0xf4
#define FLUSH_WAIT_MS	  2

static uint64_t flush_gen;		    /* last flush requested */
static uint64_t flush_done[CONFIG_NR_CPUS]; /* last flush each CPU made */

void pv_flush_tlb_local(void)
{
	uint64_t cr4 = read_cr4();

	if (cr4 & CR4_PGE) { /* global entries too */
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

void pv_flush_poll(void)
{
	unsigned int me = smp_processor_id();
	uint64_t gen = __atomic_load_n(&flush_gen, __ATOMIC_ACQUIRE);

	if (__atomic_load_n(&flush_done[me], __ATOMIC_RELAXED) < gen) {
		pv_flush_tlb_local();
		__atomic_store_n(&flush_done[me], gen, __ATOMIC_RELEASE);
	}
}

static void flush_ipi(struct cpu_regs *regs)
{
	(void)regs;
	pv_flush_poll();
}

void pv_tlbflush_init(void)
{
	irq_set_handler(VEC_IPI_TLB_FLUSH, flush_ipi);
}

void pv_flush_tlb_all(void)
{
	unsigned int me = smp_processor_id();
	uint64_t gen = __atomic_add_fetch(&flush_gen, 1, __ATOMIC_ACQ_REL), deadline;

	pv_flush_tlb_local();
	__atomic_store_n(&flush_done[me], gen, __ATOMIC_RELEASE);
	if (nr_cpus_online <= 1)
		return;
	apic_send_ipi_all_but_self(VEC_IPI_TLB_FLUSH);
	deadline = rdtsc() + (tsc_khz ? tsc_khz : 1000000) * FLUSH_WAIT_MS;
	for (unsigned int i = 0; i < CONFIG_NR_CPUS; i++) {
		const struct percpu *pc = percpu_table[i];

		if (i == me || !pc || !pc->online)
			continue;
		/*
		 * A CPU running a guest (interrupts on) acks at once; one waiting for the mm lock
		 * acks from there. One spinning elsewhere with interrupts off is not waited for
		 * past the deadline (it may wait for us): the IPI stays pending, so it flushes
		 * before it runs guest code again.
		 */
		while (__atomic_load_n(&flush_done[i], __ATOMIC_ACQUIRE) < gen &&
		       rdtsc() < deadline)
			cpu_relax();
	}
}
