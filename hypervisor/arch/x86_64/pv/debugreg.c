/* SPDX-License-Identifier: GPL-2.0-only */
/* PV debug registers: set_debugreg/get_debugreg with Xen's validation, and #DB's DR6. */
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/pv.h>
#include <asm/pv_emul.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>

#define DR6_DEFAULT	   0xffff0ff0ULL /* reserved-one bits (and "no RTM/bus-lock" event) */
#define DR6_RESERVED_ZERO  0x00001000ULL
#define DR6_EVENT_BITS	   0x0000e00fULL /* B0-B3, BD, BS, BT */
#define DR7_RESERVED_ONE   0x00000400ULL
#define DR7_RESERVED_ZERO  0x0000d800ULL
#define DR7_GENERAL_DETECT 0x00002000ULL
#define DR7_ACTIVE_MASK	   0x000000ffULL
#define DR7_CONTROL_SHIFT  16
#define DR7_RW_IO	   2u

static uint64_t dr6_adjust(uint64_t v)
{
	return (v | DR6_DEFAULT) & ~DR6_RESERVED_ZERO;
}

static uint64_t dr7_adjust(uint64_t v)
{
	return (v & ~DR7_RESERVED_ZERO) | DR7_RESERVED_ONE;
}

/* DR7 checks: no general detect, no I/O breakpoints (the guest cannot set CR4.DE for real). */
static long dr7_check(uint64_t v)
{
	if (v != (uint32_t)v)
		return -EINVAL;
	if (v & DR7_GENERAL_DETECT)
		return -EPERM;
	if (!(v & DR7_ACTIVE_MASK))
		return 0;
	for (unsigned int i = DR7_CONTROL_SHIFT; i < 32; i += 4)
		if (((v >> i) & 3) == DR7_RW_IO)
			return -EPERM;
	return 0;
}

/*
 * The values are kept per vCPU; the hardware registers stay the hypervisor's, so guest
 * breakpoints never fire inside the hypervisor (breakpoints are not armed yet).
 */
long do_set_debugreg(uint64_t reg, uint64_t value, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct arch_vcpu *a = &current_vcpu()->arch;
	long rc;

	switch (reg) {
	case 0:
	case 1:
	case 2:
	case 3: /* a breakpoint address must be a guest address */
		if (!guest_range_ok(value, sizeof(uint64_t)))
			return -EPERM;
		a->debugreg[reg] = value;
		return 0;
	case 4:
	case 6:
		if (value != (uint32_t)value)
			return -EINVAL;
		a->debugreg[6] = dr6_adjust(value);
		return 0;
	case 5:
	case 7:
		rc = dr7_check(value);
		if (rc)
			return rc;
		a->debugreg[7] = dr7_adjust(value);
		return 0;
	default:
		return -ENODEV;
	}
}

long do_get_debugreg(uint64_t reg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	const struct arch_vcpu *a = &current_vcpu()->arch;

	switch (reg) {
	case 0:
	case 1:
	case 2:
	case 3:
		return (long)a->debugreg[reg];
	case 4:
	case 6:
		return (long)dr6_adjust(a->debugreg[6]);
	case 5:
	case 7:
		return (long)dr7_adjust(a->debugreg[7]);
	default:
		return -ENODEV;
	}
}

void pv_debug_trap(struct vcpu *v)
{
	uint64_t dr6;

	__asm__ volatile("mov %%db6, %0" : "=r"(dr6));
	__asm__ volatile("mov %0, %%db6" : : "r"(DR6_DEFAULT));
	v->arch.debugreg[6] = dr6_adjust(v->arch.debugreg[6]) | (dr6 & DR6_EVENT_BITS);
}
