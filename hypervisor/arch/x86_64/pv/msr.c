/* SPDX-License-Identifier: GPL-2.0-only */
/* RDMSR/WRMSR from a PV guest: the MSR policy (segment bases, EFER, PAT, APIC base...). */
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/pv_emul.h>
#include <hospes/console.h>
#include <hospes/domain.h>

#define MSR_IA32_TSC		  0x00000010
#define MSR_PLATFORM_INFO	  0x000000ce
#define MSR_MISC_FEATURES_ENABLES 0x00000140
#define MSR_DEBUGCTL		  0x000001d9
#define MSR_MISC_ENABLE		  0x000001a0
#define EFER_LMA		  (1u << 10)
#define APIC_BASE_DEFAULT	  0xfee00000ULL
#define APIC_BASE_ENABLE	  (1ULL << 11)
#define APIC_BASE_BSP		  (1ULL << 8)
#define MISC_ENABLE_PERF_AVAIL	  (1ULL << 7)
#define MISC_ENABLE_BTS_UNAVAIL	  (1ULL << 11)
#define MISC_ENABLE_PEBS_UNAVAIL  (1ULL << 12)
#define MISC_ENABLE_MONITOR	  (1ULL << 18)

static bool is_canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

static bool cpu_is_intel(void)
{
	struct cpuid_regs r = cpuid(0);

	return r.ebx == 0x756e6547 && r.edx == 0x49656e69 && r.ecx == 0x6c65746e;
}

static uint64_t guest_efer(void)
{
	return rdmsr(MSR_EFER) & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE);
}

/* The guest's value of msr; false if the guest may not read it (#GP). */
static bool guest_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	struct arch_vcpu *a = &v->arch;

	switch (msr) {
	case MSR_FS_BASE:
		*val = a->fs_base;
		return true;
	case MSR_GS_BASE:
		*val = a->kernel_mode ? a->gs_base_kernel : a->gs_base_user;
		return true;
	case MSR_KERNEL_GS:
		*val = a->kernel_mode ? a->gs_base_user : a->gs_base_kernel;
		return true;
	case MSR_EFER:
		*val = guest_efer();
		return true;
	case MSR_PAT: /* the PAT guest PTEs are interpreted with */
		*val = rdmsr(MSR_PAT);
		return true;
	case MSR_APIC_BASE:
		*val = APIC_BASE_DEFAULT | APIC_BASE_ENABLE | (v->id == 0 ? APIC_BASE_BSP : 0);
		return true;
	case MSR_IA32_TSC:
		*val = rdtsc();
		return true;
	case MSR_PLATFORM_INFO: /* no CPUID faulting offered */
	case MSR_MISC_FEATURES_ENABLES:
	case MSR_DEBUGCTL: /* no LBR/BTF for PV guests */
		*val = 0;
		return true;
	case MSR_MISC_ENABLE: /* Intel only (XSA-333): no MONITOR, no perfmon, no BTS/PEBS */
		if (!cpu_is_intel())
			return false;
		*val = (rdmsr(MSR_MISC_ENABLE) & ~(MISC_ENABLE_PERF_AVAIL | MISC_ENABLE_MONITOR)) |
		       MISC_ENABLE_BTS_UNAVAIL | MISC_ENABLE_PEBS_UNAVAIL;
		return true;
	default:
		return false;
	}
}

/* Writes val to msr for the guest; false if refused (#GP). */
static bool guest_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
	struct arch_vcpu *a = &v->arch;
	uint64_t cur;

	switch (msr) {
	case MSR_FS_BASE:
		if (!is_canonical(val))
			return false;
		a->fs_base = val;
		wrmsr(MSR_FS_BASE, val);
		return true;
	case MSR_GS_BASE:
	case MSR_KERNEL_GS: {
		bool kernel_base = (msr == MSR_GS_BASE) == a->kernel_mode;

		if (!is_canonical(val))
			return false;
		if (kernel_base)
			a->gs_base_kernel = val;
		else
			a->gs_base_user = val;
		if (msr == MSR_GS_BASE)
			wrmsr(MSR_GS_BASE, val);
		return true;
	}
	case MSR_MISC_FEATURES_ENABLES:
	case MSR_DEBUGCTL:
		return val == 0;
	case MSR_EFER: /* may only write back what it reads */
	case MSR_PAT:
	case MSR_APIC_BASE:
		return guest_rdmsr(v, msr, &cur) && cur == val;
	default:
		return false;
	}
}

bool emulate_rdmsr(struct vcpu *v, struct cpu_regs *regs)
{
	uint32_t msr = (uint32_t)regs->rcx;
	uint64_t val;

	if (!guest_rdmsr(v, msr, &val)) {
		if (v->arch.traps[VEC_GP].address)
			return false;
		/* No #GP handler yet (early boot): read as 0, as Xen does. */
		printk(LOG_DEBUG, "Hospes: d%u: faking RDMSR 0x%08x\n", v->domain->domid, msr);
		val = 0;
	}
	regs->rax = (uint32_t)val;
	regs->rdx = val >> 32;
	return true;
}

bool emulate_wrmsr(struct vcpu *v, struct cpu_regs *regs)
{
	uint32_t msr = (uint32_t)regs->rcx;
	uint64_t val = ((regs->rdx & 0xffffffffULL) << 32) | (regs->rax & 0xffffffffULL);

	return guest_wrmsr(v, msr, val);
}
