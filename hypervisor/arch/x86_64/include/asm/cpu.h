/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-CPU data: struct percpu, and struct cpu_info at the top of every CPU's stack. */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <asm/desc.h>
#include <asm/layout.h>
#include <hospes/types.h>
#include <generated/config.h>

/*
 * Everything one physical CPU owns. Written by that CPU only, except online (set once by the
 * CPU itself, read by the boot CPU) and the fields the boot CPU fills before starting it.
 */
struct percpu {
	uint64_t syscall_rsp; /* scratch: guest RSP at `syscall` (pv/entry.S, via KERNEL_GS_BASE) */
	uint64_t syscall_stack; /* where the guest frame starts on this CPU's stack */
	unsigned int id;
	uint32_t apic_id;
	volatile bool online;
	void *stack;	    /* STACK_SIZE bytes, cpu_info at the top */
	void *ist_stack[3]; /* NMI, #DF, #MC */
	uint8_t *gdt;	    /* the hypervisor page of this CPU's GDT window */
	struct tss64 tss __aligned(16);
	uint64_t apic_ticks_per_ms;
	uint64_t idle_loops;
};

#define PERCPU_SYSCALL_RSP   0
#define PERCPU_SYSCALL_STACK 8

/* Sits at the top of each CPU stack, so it is found from %rsp whatever a guest did to %gs. */
struct cpu_info {
	struct percpu *pc;
	unsigned int cpu_id;
	uint32_t pad0;
	void *current_vcpu;
	uint64_t reserved[29];
};
_Static_assert(sizeof(struct cpu_info) == CPU_INFO_SIZE, "cpu_info size is used by head.S");

static inline struct cpu_info *get_cpu_info(void)
{
	uint64_t sp;

	__asm__("mov %%rsp, %0" : "=r"(sp));
	return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 - CPU_INFO_SIZE);
}

struct vcpu;

static inline struct vcpu *current_vcpu(void)
{
	return (struct vcpu *)get_cpu_info()->current_vcpu;
}

static inline void set_current_vcpu(struct vcpu *v)
{
	get_cpu_info()->current_vcpu = v;
}

static inline struct percpu *this_cpu(void)
{
	return get_cpu_info()->pc;
}

static inline unsigned int smp_processor_id(void)
{
	return get_cpu_info()->cpu_id;
}

_Static_assert(__builtin_offsetof(struct percpu, syscall_rsp) == PERCPU_SYSCALL_RSP, "entry.S");
_Static_assert(__builtin_offsetof(struct percpu, syscall_stack) == PERCPU_SYSCALL_STACK, "entry.S");

extern struct percpu *percpu_table[CONFIG_NR_CPUS];
extern unsigned int nr_cpus_online;

#endif /* ASM_CPU_H */
