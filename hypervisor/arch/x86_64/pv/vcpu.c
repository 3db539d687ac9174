/* SPDX-License-Identifier: GPL-2.0-only */
/* Putting a PV vCPU on this CPU: page tables, segment bases, then its saved frame. */
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <hospes/domain.h>
#include <hospes/pvmm.h>

__noreturn void pv_enter_frame(const struct cpu_regs *src);

void pv_run_vcpu(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	set_current_vcpu(v);
	v->running = true;
	write_cr3(a->kernel_mode || !a->guest_table_user ? a->guest_table : a->guest_table_user);
	pv_gdt_load(v);
	wrmsr(MSR_FS_BASE, a->fs_base);
	wrmsr(MSR_GS_BASE, a->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
	write_cr0(a->fpu_ts ? read_cr0() | CR0_TS : read_cr0() & ~CR0_TS);
	time_fill_vcpu(&v->info->time);
	pv_enter_frame(&a->regs);
}
