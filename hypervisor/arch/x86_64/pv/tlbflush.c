/* SPDX-License-Identifier: GPL-2.0-only */
/* TLB flushes for guest page-table changes: this CPU, or every CPU with an IPI and acks. */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <hospes/pvmm.h>
#include <hospes/spinlock.h>
#include <public/xen.h>

/* Not in asm/traps.h yet, to keep this branch's shared edits small: the lead may move it. */
#define VEC_IPI_TLB_FLUSH 0xf4
#define FLUSH_WAIT_MS	  2

static uint64_t flush_gen;		    /* last flush requested of any CPU */
static uint64_t flush_req[CONFIG_NR_CPUS];  /* last flush requested of each CPU */
static uint64_t flush_done[CONFIG_NR_CPUS]; /* last flush each CPU made */
/*
 * The domain whose page-table entries each CPU's TLB may hold. Guest entries are never global,
 * so the CR3 write that loads another domain's tables (or the idle ones) drops them all: a CPU
 * holds one domain's entries at most. Written by its own CPU only.
 */
static uint32_t tlb_holder[CONFIG_NR_CPUS]; /* domid + 1; 0: none */

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

void pv_tlb_note_cr3(uint16_t domid)
{
	uint32_t holder = domid == DOMID_INVALID ? 0 : domid + 1U;

	__atomic_store_n(&tlb_holder[smp_processor_id()], holder, __ATOMIC_RELEASE);
}

void pv_flush_poll(void)
{
	unsigned int me = smp_processor_id();
	uint64_t gen = __atomic_load_n(&flush_req[me], __ATOMIC_ACQUIRE);

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

/* Does the flush on this CPU if it is one of 'wanted', and on the others by IPI, then waits. */
static void flush_cpus(bool (*wanted)(unsigned int cpu, uint16_t arg), uint16_t arg)
{
	unsigned int me = smp_processor_id();
	uint64_t gen = __atomic_add_fetch(&flush_gen, 1, __ATOMIC_ACQ_REL), deadline;
	bool remote = false;

	if (wanted(me, arg)) {
		pv_flush_tlb_local();
		__atomic_store_n(&flush_done[me], gen, __ATOMIC_RELEASE);
	}
	for (unsigned int i = 0; i < CONFIG_NR_CPUS; i++) {
		const struct percpu *pc = percpu_table[i];

		if (i == me || !pc || !pc->online || !wanted(i, arg))
			continue;
		__atomic_store_n(&flush_req[i], gen, __ATOMIC_RELEASE);
		apic_send_ipi(pc->apic_id, VEC_IPI_TLB_FLUSH);
		remote = true;
	}
	if (!remote)
		return;
	deadline = rdtsc() + (tsc_khz ? tsc_khz : 1000000) * FLUSH_WAIT_MS;
	for (unsigned int i = 0; i < CONFIG_NR_CPUS; i++) {
		const struct percpu *pc = percpu_table[i];

		if (i == me || !pc || !pc->online ||
		    __atomic_load_n(&flush_req[i], __ATOMIC_ACQUIRE) != gen)
			continue;
		/*
		 * A CPU running a guest (interrupts on) acks at once; one waiting for the mm lock
		 * acks from there. One spinning elsewhere with interrupts off is not waited for
		 * past the deadline (it may wait for us): its request stays, so it flushes before
		 * it runs guest code again.
		 */
		while (__atomic_load_n(&flush_done[i], __ATOMIC_ACQUIRE) < gen &&
		       rdtsc() < deadline)
			cpu_relax();
	}
}

static bool any_cpu(unsigned int cpu, uint16_t arg)
{
	(void)cpu;
	(void)arg;
	return true;
}

static bool cpu_holds(unsigned int cpu, uint16_t domid)
{
	return __atomic_load_n(&tlb_holder[cpu], __ATOMIC_ACQUIRE) == domid + 1U;
}

void pv_flush_tlb_all(void)
{
	flush_cpus(any_cpu, 0);
}

void pv_flush_tlb_domain(uint16_t domid)
{
	flush_cpus(cpu_holds, domid);
}
