/* SPDX-License-Identifier: GPL-2.0-only */
/* Putting a PV vCPU on this CPU: page tables, segment bases, then its saved frame. */
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <hospes/domain.h>
#include <hospes/lib.h>
#include <hospes/pvmm.h>

__noreturn void pv_enter_frame(const struct cpu_regs *src);

void pv_fpu_save(struct vcpu *v)
{
	__asm__ volatile("clts; fxsave64 %0" : "=m"(v->arch.fpu));
	v->arch.fpu_valid = true;
}

bool pv_fpu_image_ok(const uint8_t *img)
{
	static uint32_t mask;
	uint32_t mxcsr;

	if (!mask) { /* the CPU's MXCSR_MASK, 0 in the image meaning the SSE2 default */
		static uint8_t probe[512] __attribute__((aligned(16)));
		uint64_t cr0 = read_cr0(); /* the caller's virtual CR0.TS stays as it was */

		__asm__ volatile("clts; fxsave64 %0" : "=m"(probe));
		write_cr0(cr0);
		memcpy(&mask, probe + 28, sizeof(mask));
		mask = mask ? mask : 0xffbf;
	}
	memcpy(&mxcsr, img + 24, sizeof(mxcsr));
	return !(mxcsr & ~mask); /* FXRSTOR faults on reserved MXCSR bits */
}

/* Loads v's FPU state; a vCPU that never ran gets FNINIT's state and MXCSR's reset value. */
static void fpu_restore(struct vcpu *v)
{
	static const uint32_t mxcsr_reset = 0x1f80;

	__asm__ volatile("clts");
	if (v->arch.fpu_valid)
		__asm__ volatile("fxrstor64 %0" : : "m"(v->arch.fpu));
	else
		__asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr_reset));
}

void pv_run_vcpu(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	set_current_vcpu(v);
	v->running = true;
	write_cr3(a->kernel_mode || !a->guest_table_user ? a->guest_table : a->guest_table_user);
	pv_tlb_note_cr3(v->domain->domid);
	pv_gdt_load(v);
	wrmsr(MSR_FS_BASE, a->fs_base);
	wrmsr(MSR_GS_BASE, a->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
	fpu_restore(v);
	write_cr0(a->fpu_ts ? read_cr0() | CR0_TS : read_cr0() & ~CR0_TS);
	time_fill_vcpu(&v->info->time);
	pv_enter_frame(&a->regs);
}
