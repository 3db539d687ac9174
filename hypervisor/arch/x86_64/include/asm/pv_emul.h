/* SPDX-License-Identifier: GPL-2.0-only */
/* Privileged-instruction emulation for PV guests: decoded instructions, MSRs, ports, DRs. */
#ifndef ASM_PV_EMUL_H
#define ASM_PV_EMUL_H

#include <asm/traps.h>
#include <hospes/types.h>

struct vcpu;

/* An instruction at the guest's RIP, its legacy/REX prefixes already consumed. */
struct pv_insn {
	uint8_t b[16];	/* the bytes from RIP */
	unsigned int p; /* index of the opcode (after the prefixes) */
	uint8_t rex;	/* REX prefix, 0 if none */
	bool opsz16;	/* 0x66 */
	bool addr32;	/* 0x67 */
	bool rep;	/* 0xf3 (or 0xf2) */
	int seg;	/* segment override 0-5 (ES CS SS DS FS GS), -1 if none */
};

/* The guest's general register number n (0 rax ... 15 r15) in regs. */
uint64_t *pv_reg(struct cpu_regs *regs, unsigned int n);

/* RDMSR/WRMSR with the PV MSR policy. False: the guest gets #GP(0). */
bool emulate_rdmsr(struct vcpu *v, struct cpu_regs *regs);
bool emulate_wrmsr(struct vcpu *v, struct cpu_regs *regs);

/*
 * IN/OUT/INS/OUTS at insn->b[insn->p]. True if it was a port instruction the guest may run
 * (regs updated, RIP advanced, or left for a restart); false: #GP for the guest.
 */
bool emulate_portio(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *insn);

/* True if the guest's virtual IOPL lets it run IOPL-sensitive instructions in its mode. */
bool pv_iopl_ok(const struct vcpu *v);

/* A #DB taken in the guest: merges the hardware DR6 into the guest's view. */
void pv_debug_trap(struct vcpu *v);

/* sel may be loaded as a user CS (code) or SS (writable data): present, DPL 3. */
bool pv_selector_ok(uint16_t sel, bool code);

struct arch_vcpu;

/* set_segment_base(SEGBASE_GS_USER_SEL): 0 or -EINVAL for a selector %gs cannot take. */
long pv_load_user_gs_sel(struct arch_vcpu *a, uint64_t sel);

long do_set_debugreg(uint64_t reg, uint64_t value, uint64_t a3, uint64_t a4, uint64_t a5);
long do_get_debugreg(uint64_t reg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long do_physdev_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
/* platform_op (pv/platform.c): the control domain's view of CPUs, wallclock and firmware. */
long do_platform_op(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

#endif /* ASM_PV_EMUL_H */
