/* SPDX-License-Identifier: GPL-2.0-only */
/* Emulation of the instructions a PV guest may not run natively: CPUID, CRs, MSRs, I/O, HLT. */
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/pv_emul.h>
#include <asm/time.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/guest_access.h>
#include <hospes/hypercall.h>
#include <hospes/lib.h>
#include <public/sched.h>

#define XEN_CPUID_FIRST_LEAF 0x40000000
#define XEN_CPUID_LEAF(i)    (XEN_CPUID_FIRST_LEAF + (i))
#define BIT(n)		     (1u << (n))

/* CR4 bits a guest sees from the host, and the ones it may set itself (shadowed only). */
#define CR4_GUEST_VISIBLE (CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT)
#define CR4_DE		  (1ul << 3)
#define CR4_GUEST_CONTROL CR4_DE

uint64_t *pv_reg(struct cpu_regs *r, unsigned int n)
{
	uint64_t *const map[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
				   &r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
				   &r->r12, &r->r13, &r->r14, &r->r15};

	return map[n & 15];
}

static void pv_cpuid_xen_leaves(uint32_t leaf, struct cpuid_regs *r)
{
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
	case 2: /* hypercall pages: one, via MSR 0x40000000; MMU_PT_UPDATE_PRESERVE_AD */
		r->eax = 1;
		r->ebx = 0x40000000;
		r->ecx = 1;
		break;
	case 3: /* TSC: default mode, guest TSC frequency in kHz */
		r->ecx = (uint32_t)tsc_khz;
		break;
	default:
		break;
	}
}

/* Standard leaves: the host's, with what a PV guest must not see or use hidden. */
static void pv_cpuid_std_leaves(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
	*r = cpuid_count(leaf, sub);
	switch (leaf) {
	case 1: /* no MONITOR, VMX, SMX, EST, TM2, xTPR, PDCM, PCID, DCA, x2APIC, TSC deadline,
		 * XSAVE/OSXSAVE/AVX/F16C/FMA, DS-CPL; no VME, PSE, MCE, MTRR, PGE, MCA, PSE36, DS,
		 * ACPI, TM, PBE. Hypervisor present. */
		r->ecx &= ~(BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(12) |
			    BIT(14) | BIT(15) | BIT(17) | BIT(18) | BIT(21) | BIT(24) | BIT(26) |
			    BIT(27) | BIT(28) | BIT(29));
		r->ecx |= BIT(31);
		r->edx &= ~(BIT(1) | BIT(3) | BIT(7) | BIT(12) | BIT(13) | BIT(14) | BIT(17) |
			    BIT(21) | BIT(22) | BIT(29) | BIT(31));
		break;
	case 5:	  /* MONITOR/MWAIT */
	case 6:	  /* thermal and power */
	case 0xa: /* PMU */
	case 0xd: /* XSAVE state */
		*r = (struct cpuid_regs){0, 0, 0, 0};
		break;
	case 7: /* keep BMI1/2, ERMS, RDSEED, ADX, CLFLUSHOPT, CLWB, SHA only */
		if (sub == 0) {
			r->ebx &= BIT(3) | BIT(8) | BIT(9) | BIT(18) | BIT(19) | BIT(23) | BIT(24) |
				  BIT(29);
			r->ecx = 0;
			r->edx = 0;
		} else {
			*r = (struct cpuid_regs){0, 0, 0, 0};
		}
		break;
	case 0x80000001: /* no SVM, MONITORX; no 1G pages, RDTSCP */
		r->ecx &= ~(BIT(2) | BIT(29));
		r->edx &= ~(BIT(26) | BIT(27));
		break;
	default:
		break;
	}
}

/* The PV CPUID policy (linux-pv-boot.md 3.4), plus Xen's hypervisor leaves. */
static void pv_cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
	if (leaf >= XEN_CPUID_FIRST_LEAF && leaf < XEN_CPUID_FIRST_LEAF + 0x100)
		pv_cpuid_xen_leaves(leaf, r);
	else
		pv_cpuid_std_leaves(leaf, sub, r);
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

/* The guest's virtual CR0.TS, kept in the hardware while the vCPU runs. */
static void set_guest_ts(struct vcpu *v, bool ts)
{
	v->arch.fpu_ts = ts;
	write_cr0(ts ? read_cr0() | CR0_TS : read_cr0() & ~CR0_TS);
}

/* The guest's view of its control registers. */
static bool read_guest_cr(struct vcpu *v, unsigned int cr, uint64_t *val)
{
	switch (cr) {
	case 0:
		*val = (read_cr0() & ~CR0_TS) | (v->arch.fpu_ts ? CR0_TS : 0);
		return true;
	case 2:
		*val = v->info->arch.cr2;
		return true;
	case 3:
		*val = v->arch.guest_table;
		return true;
	case 4:
		*val = (read_cr4() & CR4_GUEST_VISIBLE) | (v->arch.cr4_guest & CR4_GUEST_CONTROL);
		return true;
	default:
		return false;
	}
}

/*
 * MOV to CR: CR0 may only change TS (fpu_taskswitch), CR2 is the guest's own, CR4 keeps the
 * host's bits and shadows the guest-controlled ones. CR3 (a new base pointer) is not emulated
 * yet: #GP.
 */
static bool write_guest_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
	switch (cr) {
	case 0:
		if ((val ^ read_cr0()) & ~CR0_TS)
			printk(LOG_WARN, "Hospes: d%u: CR0 write 0x%llx: only TS may change\n",
			       v->domain->domid, (unsigned long long)val);
		set_guest_ts(v, (val & CR0_TS) != 0);
		return true;
	case 2:
		v->info->arch.cr2 = val;
		return true;
	case 4:
		v->arch.cr4_guest = val & CR4_GUEST_CONTROL;
		return true;
	default:
		return false;
	}
}

/* MOV from/to CR0/CR2/CR3/CR4 (0f 20 /r, 0f 22 /r). */
static bool emulate_mov_cr(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *in)
{
	unsigned int modrm = in->b[in->p + 2], cr, reg;
	uint64_t val;

	if ((modrm >> 6) != 3)
		return false;
	cr = ((modrm >> 3) & 7) | ((in->rex & 4u) << 1);
	reg = (modrm & 7) | ((in->rex & 1u) << 3);
	if (in->b[in->p + 1] == 0x20) {
		if (!read_guest_cr(v, cr, &val))
			return false;
		*pv_reg(regs, reg) = val;
	} else if (!write_guest_cr(v, cr, *pv_reg(regs, reg))) {
		return false;
	}
	regs->rip += in->p + 3;
	return true;
}

/* MOV from/to DR0-DR7 (0f 21 /r, 0f 23 /r): the get_debugreg/set_debugreg rules. */
static bool emulate_mov_dr(struct cpu_regs *regs, const struct pv_insn *in)
{
	unsigned int modrm = in->b[in->p + 2], dr, reg;

	if ((modrm >> 6) != 3 || (in->rex & 4u))
		return false;
	dr = (modrm >> 3) & 7;
	reg = (modrm & 7) | ((in->rex & 1u) << 3);
	if (in->b[in->p + 1] == 0x21) {
		/* dr < 8: get_debugreg cannot fail, the value may look negative */
		*pv_reg(regs, reg) = (uint64_t)do_get_debugreg(dr, 0, 0, 0, 0);
	} else if (do_set_debugreg(dr, *pv_reg(regs, reg), 0, 0, 0)) {
		return false;
	}
	regs->rip += in->p + 3;
	return true;
}

/* Reads the instruction at RIP and consumes its prefixes. False if it cannot be read. */
static bool fetch_insn(const struct cpu_regs *regs, struct pv_insn *in)
{
	static const uint8_t seg_of[6] = {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65};

	*in = (struct pv_insn){.seg = -1};
	if (copy_from_guest(in->b, regs->rip, sizeof(in->b)) &&
	    copy_from_guest(in->b, regs->rip, 4)) /* at the end of a mapping */
		return false;
	for (; in->p < 12; in->p++) {
		uint8_t c = in->b[in->p];
		bool is_seg = false;

		for (int s = 0; s < 6; s++)
			if (seg_of[s] == c) {
				in->seg = s;
				is_seg = true;
			}
		if (is_seg)
			continue;
		if (c == 0x66)
			in->opsz16 = true;
		else if (c == 0x67)
			in->addr32 = true;
		else if (c == 0xf3 || c == 0xf2)
			in->rep = true;
		else if (c == 0xf0)
			return false; /* LOCK: never on what we emulate */
		else
			break;
	}
	if ((in->b[in->p] & 0xf0) == 0x40)
		in->rex = in->b[in->p++];
	return true;
}

/* 0f xx instructions that fault with #GP in ring 3. Only from guest kernel mode. */
static bool emulate_0f(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *in)
{
	uint8_t op = in->b[in->p + 1];
	unsigned int len = in->p + 2;

	switch (op) {
	case 0x20:
	case 0x22:
		return emulate_mov_cr(v, regs, in);
	case 0x21:
	case 0x23:
		return emulate_mov_dr(regs, in);
	case 0x06: /* CLTS */
		set_guest_ts(v, false);
		break;
	case 0x09: /* WBINVD: the initial domain flushes, others are ignored (as on Xen) */
		if (v->domain->is_privileged)
			__asm__ volatile("wbinvd" ::: "memory");
		break;
	case 0x30:
		if (!emulate_wrmsr(v, regs))
			return false;
		break;
	case 0x32:
		if (!emulate_rdmsr(v, regs))
			return false;
		break;
	case 0x01: /* RDTSCP (0f 01 f9; only traps with CR4.TSD): TSC_AUX reads 0 */
		if (in->b[in->p + 2] != 0xf9)
			return false;
		regs->rcx = 0;
		len++;
		/* fall through */
	case 0x31: { /* RDTSC (only traps with CR4.TSD) */
		uint64_t t = rdtsc();

		regs->rax = (uint32_t)t;
		regs->rdx = t >> 32;
		break;
	}
	default:
		return false;
	}
	regs->rip += len;
	return true;
}

/* HLT from guest kernel mode: block until an event (SCHEDOP_block). */
static bool emulate_hlt(struct cpu_regs *regs, const struct pv_insn *in)
{
	regs->rip += in->p + 1;
	do_sched_op(SCHEDOP_block, 0, 0, 0, 0);
	return true;
}

/* A #GP(0) from the guest: a privileged or IOPL-sensitive instruction it may use. */
static bool emulate_privileged(struct vcpu *v, struct cpu_regs *regs)
{
	struct pv_insn in;
	uint8_t op;

	if (!fetch_insn(regs, &in))
		return false;
	op = in.b[in.p];
	if (emulate_portio(v, regs, &in))
		return true;
	if ((op == 0xfa || op == 0xfb) && pv_iopl_ok(v)) { /* CLI/STI: no-ops, as on Xen */
		regs->rip += in.p + 1;
		return true;
	}
	if (!v->arch.kernel_mode)
		return false;
	if (op == 0x0f)
		return emulate_0f(v, regs, &in);
	if (op == 0xf4)
		return emulate_hlt(regs, &in);
	return false;
}

bool pv_emulate(struct vcpu *v, struct cpu_regs *regs)
{
	if (regs->vector == VEC_UD)
		return emulate_fep_cpuid(regs);
	return emulate_privileged(v, regs);
}
