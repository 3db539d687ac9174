/* SPDX-License-Identifier: GPL-2.0-only */
/* SMP bring-up: per-CPU data and stacks, INIT-SIPI-SIPI, and the idle loop. */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <hospes/bug.h>
#include <hospes/console.h>
#include <hospes/heap.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/sched.h>

extern char trampoline_start[], trampoline_end[], tramp32[], tramp64[];
extern char tramp_gdtr[], tramp_jump32[], tramp_jump64[], tramp_cr3[], tramp_efer[];
extern char tramp_stack[], tramp_cpu[], tramp_idle_cr3[], tramp_gdt[];
extern char boot_stack[], boot_l4[];

struct percpu *percpu_table[CONFIG_NR_CPUS];
unsigned int nr_cpus_online;
static struct percpu boot_percpu;

static void cpu_set_info(struct percpu *pc)
{
	struct cpu_info *ci = (struct cpu_info *)((char *)pc->stack + STACK_SIZE - CPU_INFO_SIZE);

	memset(ci, 0, sizeof(*ci));
	ci->pc = pc;
	ci->cpu_id = pc->id;
}

static bool cpu_alloc_resources(struct percpu *pc, bool need_stack)
{
	if (need_stack && !(pc->stack = alloc_hv_pages(STACK_ORDER)))
		return false;
	for (unsigned int i = 0; i < 3; i++)
		if (!(pc->ist_stack[i] = alloc_hv_pages(1)))
			return false;
	pc->gdt = alloc_hv_pages(0);
	return pc->gdt != NULL;
}

void smp_init_boot_cpu(void)
{
	struct percpu *pc = &boot_percpu;

	pc->id = 0;
	pc->stack = boot_stack;
	if (!cpu_alloc_resources(pc, false))
		panic("out of memory for the boot CPU's stacks");
	cpu_set_info(pc);
	percpu_table[0] = pc;
	desc_init_cpu(pc);
	pc->online = true;
	nr_cpus_online = 1;
}

__noreturn void cpu_idle(void)
{
	for (;;) {
		this_cpu()->idle_loops++;
		safe_halt();
	}
}

/* First C code on an application processor, on its own stack and the final page tables. */
__noreturn void start_secondary(struct percpu *pc);

__noreturn void start_secondary(struct percpu *pc)
{
	write_cr4(read_cr4() | CR4_PGE);
	desc_init_cpu(pc);
	apic_init_cpu();
	pc->apic_ticks_per_ms = apic_timer_calibrate(tsc_khz);
	pv_syscall_init_cpu();
	__atomic_store_n(&pc->online, true, __ATOMIC_RELEASE);
	sched_idle(); /* runs the vCPUs placed on this CPU as they become runnable */
}

/* Offset of a trampoline label from its start (linker symbols: compare as integers). */
static size_t tramp_off(const char *sym)
{
	return (size_t)((uintptr_t)sym - (uintptr_t)trampoline_start);
}

static void trampoline_install(paddr_t base)
{
	uint8_t *t = __va(base);
	size_t len = tramp_off(trampoline_end);

#define TRAMP_FIELD(f) (t + tramp_off(f))
	memcpy(t, trampoline_start, len);
	*(uint32_t *)(TRAMP_FIELD(tramp_gdtr) + 2) = (uint32_t)(base + tramp_off(tramp_gdt));
	*(uint32_t *)TRAMP_FIELD(tramp_jump32) = (uint32_t)(base + tramp_off(tramp32));
	*(uint32_t *)TRAMP_FIELD(tramp_jump64) = (uint32_t)(base + tramp_off(tramp64));
	*(uint64_t *)TRAMP_FIELD(tramp_cr3) = __pa(boot_l4);
	*(uint64_t *)TRAMP_FIELD(tramp_efer) = pte_nx ? EFER_LME | EFER_NXE : EFER_LME;
	*(uint64_t *)TRAMP_FIELD(tramp_idle_cr3) = paging_idle_cr3();
}

static void trampoline_set_cpu(paddr_t base, struct percpu *pc)
{
	uint8_t *t = __va(base);

	*(uint64_t *)TRAMP_FIELD(tramp_stack) =
		(uint64_t)(uintptr_t)pc->stack + STACK_SIZE - CPU_INFO_SIZE;
	*(uint64_t *)TRAMP_FIELD(tramp_cpu) = (uint64_t)(uintptr_t)pc;
#undef TRAMP_FIELD
}

static bool boot_one_cpu(struct percpu *pc, paddr_t tramp_pa)
{
	trampoline_set_cpu(tramp_pa, pc);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	apic_send_init(pc->apic_id);
	udelay(10000);
	for (int i = 0; i < 2 && !pc->online; i++) {
		apic_send_startup(pc->apic_id, tramp_pa);
		udelay(200);
	}
	/* Emulated CPUs can take a while: wait up to 2 s. */
	for (unsigned int ms = 0; ms < 2000 && !__atomic_load_n(&pc->online, __ATOMIC_ACQUIRE);
	     ms++)
		udelay(1000);
	return pc->online;
}

unsigned int smp_boot_cpus(const struct acpi_info *acpi, unsigned int maxcpus, paddr_t tramp_pa)
{
	uint32_t self = this_cpu()->apic_id;

	if (!acpi->have_madt || !tramp_pa)
		return nr_cpus_online;
	trampoline_install(tramp_pa);
	for (unsigned int i = 0; i < acpi->nr_cpus; i++) {
		struct percpu *pc;

		if (acpi->cpus[i].apic_id == self)
			continue;
		if (maxcpus && nr_cpus_online >= maxcpus)
			break;
		pc = xzalloc(sizeof(*pc));
		if (!pc || !cpu_alloc_resources(pc, true)) {
			pr_err("CPU with APIC ID %u: out of memory; not started\n",
			       acpi->cpus[i].apic_id);
			break;
		}
		pc->id = nr_cpus_online;
		pc->apic_id = acpi->cpus[i].apic_id;
		cpu_set_info(pc);
		percpu_table[pc->id] = pc;
		if (!boot_one_cpu(pc, tramp_pa)) {
			pr_err("CPU with APIC ID %u did not start; left out\n", pc->apic_id);
			percpu_table[pc->id] = NULL;
			continue; /* its memory stays allocated: the CPU might still wake up */
		}
		pr_info("CPU%u online (APIC ID %u, APIC timer %llu kHz)\n", pc->id, pc->apic_id,
			(unsigned long long)pc->apic_ticks_per_ms);
		nr_cpus_online++;
	}
	return nr_cpus_online;
}
