/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypercall dispatch for 64-bit PV guests, and the vCPU-state hypercalls of the x86 PV ABI. */
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/pv_emul.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/domctl.h>
#include <hospes/errno.h>
#include <hospes/grant_table.h>
#include <hospes/guest_access.h>
#include <hospes/hypercall.h>
#include <hospes/lib.h>
#include <hospes/pvmm.h>
#include <public/callback.h>

static long do_set_trap_table(uint64_t table, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct arch_vcpu *a = &current_vcpu()->arch;
	struct pv_trap_entry traps[256];

	if (!table) { /* a NULL table clears every entry */
		memset(a->traps, 0, sizeof(a->traps));
		return 0;
	}
	memcpy(traps, a->traps, sizeof(traps));
	for (unsigned int i = 0; i < 256; i++) {
		struct trap_info t;

		if (copy_from_guest(&t, table + i * sizeof(t), sizeof(t)))
			return -EFAULT;
		if (!t.address)
			break;
		traps[t.vector] = (struct pv_trap_entry){t.address, t.flags};
	}
	memcpy(a->traps, traps, sizeof(traps));
	return 0;
}

static long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall, uint64_t a4,
			     uint64_t a5)
{
	struct arch_vcpu *a = &current_vcpu()->arch;

	a->event_callback = event;
	a->failsafe_callback = failsafe;
	a->syscall_callback = syscall;
	return 0;
}

static long do_callback_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct arch_vcpu *a = &current_vcpu()->arch;
	struct callback_register cb;
	uint64_t addr;

	if (cmd != CALLBACKOP_register && cmd != CALLBACKOP_unregister)
		return -ENOSYS;
	if (copy_from_guest(&cb, arg, cmd == CALLBACKOP_register ? sizeof(cb) : 4))
		return -EFAULT;
	addr = cmd == CALLBACKOP_register ? cb.address : 0;
	switch (cb.type) {
	case CALLBACKTYPE_event:
		a->event_callback = addr;
		return 0;
	case CALLBACKTYPE_failsafe:
		a->failsafe_callback = addr;
		return 0;
	case CALLBACKTYPE_syscall:
		a->syscall_callback = addr;
		a->syscall_masks_events = cb.flags & CALLBACKF_mask_events;
		return 0;
	case CALLBACKTYPE_syscall32:
	case CALLBACKTYPE_sysenter:
	case CALLBACKTYPE_nmi:
		return 0; /* accepted: no 32-bit user mode, NMIs are never forwarded yet */
	default:
		return -EINVAL;
	}
}

static long do_stack_switch(uint64_t ss, uint64_t sp, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct arch_vcpu *a = &current_vcpu()->arch;

	if (!guest_range_ok(sp - 1, 1))
		return -EINVAL;
	a->kernel_ss = ss;
	a->kernel_sp = sp;
	return 0;
}

static long do_set_segment_base(uint64_t which, uint64_t base, uint64_t a3, uint64_t a4,
				uint64_t a5)
{
	struct arch_vcpu *a = &current_vcpu()->arch;

	if (!guest_range_ok(base, 0) && which != 3)
		return -EINVAL;
	switch (which) {
	case SEGBASE_FS:
		a->fs_base = base;
		wrmsr(MSR_FS_BASE, base);
		return 0;
	case SEGBASE_GS_USER:
		a->gs_base_user = base;
		if (!a->kernel_mode)
			wrmsr(MSR_GS_BASE, base);
		return 0;
	case SEGBASE_GS_KERNEL:
		a->gs_base_kernel = base;
		if (a->kernel_mode)
			wrmsr(MSR_GS_BASE, base);
		return 0;
	case SEGBASE_GS_USER_SEL:
		return pv_load_user_gs_sel(a, base);
	default:
		return -EINVAL;
	}
}

static long do_fpu_taskswitch(uint64_t set, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	current_vcpu()->arch.fpu_ts = set != 0;
	write_cr0(set ? read_cr0() | CR0_TS : read_cr0() & ~CR0_TS);
	return 0;
}

static long do_vm_assist(uint64_t cmd, uint64_t type, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct domain *d = current_vcpu()->domain;
	const uint64_t known = (1ULL << VMASST_TYPE_writable_pagetables) |
			       (1ULL << VMASST_TYPE_architectural_iopl) |
			       (1ULL << VMASST_TYPE_runstate_update_flag) |
			       (1ULL << VMASST_TYPE_m2p_strict);

	if (type >= 64 || !(known & (1ULL << type)))
		return -EINVAL;
	if (cmd == VMASST_CMD_enable)
		d->vm_assist |= 1ULL << type;
	else if (cmd == VMASST_CMD_disable)
		d->vm_assist &= ~(1ULL << type);
	else
		return -ENOSYS;
	return 0;
}

static const hypercall_fn_t hypercall_table[64] = {
	[__HYPERVISOR_set_trap_table] = do_set_trap_table,
	[__HYPERVISOR_mmu_update] = do_mmu_update,
	[__HYPERVISOR_set_gdt] = do_set_gdt,
	[__HYPERVISOR_update_descriptor] = do_update_descriptor,
	[__HYPERVISOR_memory_op] = do_memory_op,
	[__HYPERVISOR_update_va_mapping_otherdomain] = do_update_va_mapping_otherdomain,
	[__HYPERVISOR_mmuext_op] = do_mmuext_op,
	[__HYPERVISOR_stack_switch] = do_stack_switch,
	[__HYPERVISOR_set_callbacks] = do_set_callbacks,
	[__HYPERVISOR_fpu_taskswitch] = do_fpu_taskswitch,
	[__HYPERVISOR_sched_op_compat] = do_sched_op_compat,
	[__HYPERVISOR_update_va_mapping] = do_update_va_mapping,
	[__HYPERVISOR_set_timer_op] = do_set_timer_op,
	[__HYPERVISOR_xen_version] = do_xen_version,
	[__HYPERVISOR_console_io] = do_console_io,
	[__HYPERVISOR_vm_assist] = do_vm_assist,
	[__HYPERVISOR_set_segment_base] = do_set_segment_base,
	[__HYPERVISOR_sched_op] = do_sched_op,
	[__HYPERVISOR_callback_op] = do_callback_op,
	[__HYPERVISOR_multicall] = do_multicall,
	[__HYPERVISOR_event_channel_op_compat] = do_event_channel_op_compat,
	[__HYPERVISOR_vcpu_op] = do_vcpu_op,
	[__HYPERVISOR_event_channel_op] = do_event_channel_op,
	[__HYPERVISOR_set_debugreg] = do_set_debugreg,
	[__HYPERVISOR_get_debugreg] = do_get_debugreg,
	[__HYPERVISOR_grant_table_op] = do_grant_table_op,
	[__HYPERVISOR_physdev_op] = do_physdev_op,
	[__HYPERVISOR_platform_op] = do_platform_op,
	[__HYPERVISOR_sysctl] = do_sysctl,
	[__HYPERVISOR_domctl] = do_domctl,
};

long hypercall_call(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	if (nr >= ARRAY_SIZE(hypercall_table) || !hypercall_table[nr])
		return -ENOSYS;
	return hypercall_table[nr](a1, a2, a3, a4, a5);
}

void pv_syscall(struct cpu_regs *regs)
{
	struct vcpu *v = current_vcpu();
	long rc;

	if (!v->arch.kernel_mode) {
		pv_bounce_syscall(v, regs);
		return;
	}
	v->arch.last_hypercall = regs->rax;
	if (regs->rax == __HYPERVISOR_iret) {
		do_iret(regs);
		return;
	}
	rc = hypercall_call(regs->rax, regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8);
	regs->rax = (uint64_t)rc;
}

void pv_syscall_init_cpu(void)
{
	/* Guests use the FPU and SSE natively: FXSAVE-capable, SSE exceptions, x87 errors native. */
	write_cr0((read_cr0() & ~CR0_EM) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	extern char pv_syscall_entry[];
	struct percpu *pc = this_cpu();

	pc->syscall_stack = (uint64_t)(uintptr_t)guest_cpu_regs() + sizeof(struct cpu_regs);
	wrmsr(MSR_STAR, ((uint64_t)(GUEST_CS32 & ~3) << 48) | ((uint64_t)HV_CS64 << 32));
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)pv_syscall_entry);
	wrmsr(MSR_FMASK, (1u << 8) | (1u << 9) | (1u << 10) | (1u << 14) | (1u << 18));
	wrmsr(MSR_KERNEL_GS, (uint64_t)(uintptr_t)pc);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
