/* SPDX-License-Identifier: GPL-2.0-only */
/* Emulation of the few instructions a PV guest kernel needs but may not run: CPUID (forced), CRs. */
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <hospes/domain.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>

#define XEN_CPUID_FIRST_LEAF 0x40000000
#define XEN_CPUID_LEAF(i)    (XEN_CPUID_FIRST_LEAF + (i))

static uint64_t *reg_ptr(struct cpu_regs *r, unsigned int n)
{
	uint64_t *const map[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
				   &r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
				   &r->r12, &r->r13, &r->r14, &r->r15};

	return map[n & 15];
}

/*
 * The PV CPUID policy: the host's leaves with what a PV guest must not use hidden (monitor,
 * VMX, x2APIC, TSC deadline, PCID, INVPCID, LA57...), plus Xen's hypervisor leaves.
 */
static void pv_cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
	if (leaf >= XEN_CPUID_FIRST_LEAF && leaf < XEN_CPUID_FIRST_LEAF + 0x100) {
		*r = (struct cpuid_regs){0, 0, 0, 0};
		switch (leaf - XEN_CPUID_FIRST_LEAF) {
		case 0: /* signature "XenVMMXenVMM", highest leaf */
			r->eax = XEN_CPUID_LEAF(5);
			r->ebx = 0x566e6558; /* "XenV" */
			r->ecx = 0x65584d4d; /* "MMXe" */
			r->edx = 0x4d4d566e; /* "nVMM" */
			break;
		case 1: /* version 4.17 */
			r->eax = (4u << 16) | 17u;
			break;
		case 2: /* hypercall pages: one, via MSR 0x40000000 */
			r->eax = 1;
			r->ebx = 0x40000000;
			break;
		default:
			break;
		}
		return;
	}
	*r = cpuid_count(leaf, sub);
	if (leaf == 1) {
		r->ecx &= ~((1u << 3) | (1u << 5) | (1u << 21) | (1u << 24) | (1u << 17));
		r->ecx |= 1u << 31;		      /* hypervisor present */
		r->edx &= ~((1u << 12) | (1u << 22)); /* MTRR, ACPI thermal */
	} else if (leaf == 7 && sub == 0) {
		r->ebx &= ~((1u << 10) | (1u << 1)); /* INVPCID, TSC_ADJUST */
		r->ecx &= ~(1u << 16);		     /* LA57 */
	}
}

/* `ud2; .ascii "xen"; cpuid`: the forced-emulation prefix PV guests use for CPUID. */
static bool emulate_fep_cpuid(struct cpu_regs *regs)
{
	static const uint8_t fep[7] = {0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2};
	uint8_t insn[7];
	struct cpuid_regs r;

	if (copy_from_guest(insn, regs->rip, sizeof(insn)) || memcmp(insn, fep, sizeof(fep)))
		return false;
	pv_cpuid((uint32_t)regs->rax, (uint32_t)regs->rcx, &r);
	regs->rax = r.eax;
	regs->rbx = r.ebx;
	regs->rcx = r.ecx;
	regs->rdx = r.edx;
	regs->rip += sizeof(insn);
	return true;
}

/* MOV from CR0/CR2/CR3/CR4 (0f 20 /r); the guest sees its own view. */
static bool emulate_mov_from_cr(struct vcpu *v, struct cpu_regs *regs)
{
	uint8_t insn[4];
	unsigned int len = 3, modrm, rex = 0, cr, reg;
	uint64_t val;

	if (copy_from_guest(insn, regs->rip, sizeof(insn)))
		return false;
	if ((insn[0] & 0xf0) == 0x40) {
		rex = insn[0];
		memmove(insn, insn + 1, 3);
		len = 4;
	}
	if (insn[0] != 0x0f || insn[1] != 0x20)
		return false;
	modrm = insn[2];
	if ((modrm >> 6) != 3)
		return false;
	cr = ((modrm >> 3) & 7) | ((rex & 4) << 1);
	reg = (modrm & 7) | ((rex & 1) << 3);
	switch (cr) {
	case 0:
		val = read_cr0() | (v->arch.fpu_ts ? CR0_TS : 0);
		break;
	case 2:
		val = v->info->arch.cr2;
		break;
	case 3:
		val = v->arch.kernel_mode || !v->arch.guest_table_user ? v->arch.guest_table
								       : v->arch.guest_table_user;
		break;
	case 4:
		val = read_cr4();
		break;
	default:
		return false;
	}
	*reg_ptr(regs, reg) = val;
	regs->rip += len;
	return true;
}

bool pv_emulate(struct vcpu *v, struct cpu_regs *regs)
{
	if (regs->vector == 6)
		return emulate_fep_cpuid(regs);
	if (v->arch.kernel_mode && emulate_mov_from_cr(v, regs))
		return true;
	return false;
}
