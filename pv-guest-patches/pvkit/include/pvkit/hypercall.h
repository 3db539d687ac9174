/* SPDX-License-Identifier: MIT */
/* pvkit: hypercall wrappers, through the hypercall page or a bare `syscall` (selectable). */
#ifndef PVKIT_HYPERCALL_H
#define PVKIT_HYPERCALL_H

#include "lib.h"
#include <public/xen.h>

/*
 * How hypercalls are issued. PV_HCALL_PAGE calls hypercall_page + nr * 32 (the page the loader
 * filled because of the HYPERCALL_PAGE ELF note); PV_HCALL_SYSCALL executes `syscall` inline,
 * as post-XSA-466 Linux does. The kit starts in PAGE mode when the image has the note and the
 * page was filled, else in SYSCALL mode; the command line option "hcall=syscall" or
 * "hcall=page" overrides it.
 */
enum pv_hcall_mode {
	PV_HCALL_PAGE,
	PV_HCALL_SYSCALL,
};

void pv_hypercall_set_mode(enum pv_hcall_mode mode);
enum pv_hcall_mode pv_hypercall_get_mode(void);
/* True when this image carries a HYPERCALL_PAGE note (not built with PVKIT_NO_HYPERCALL_PAGE). */
bool pv_hypercall_page_present(void);
/* True when the loader wrote the hypercall page (its first byte is no longer the 0xC3 fill). */
bool pv_hypercall_page_filled(void);

/* Issue hypercall nr with up to five arguments; returns RAX (>= 0 or -XEN_E*). */
long pv_hypercall(unsigned int nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

#define PV_HC_PTR(p) ((uint64_t)(uintptr_t)(p))

static inline long HYPERVISOR_set_trap_table(const struct trap_info *table)
{
	return pv_hypercall(__HYPERVISOR_set_trap_table, PV_HC_PTR(table), 0, 0, 0, 0);
}

static inline long HYPERVISOR_mmu_update(const struct mmu_update *req, unsigned int count,
					 unsigned int *done, domid_t domid)
{
	return pv_hypercall(__HYPERVISOR_mmu_update, PV_HC_PTR(req), count, PV_HC_PTR(done), domid,
			    0);
}

static inline long HYPERVISOR_set_gdt(const xen_pfn_t *frames, unsigned int entries)
{
	return pv_hypercall(__HYPERVISOR_set_gdt, PV_HC_PTR(frames), entries, 0, 0, 0);
}

static inline long HYPERVISOR_stack_switch(uint64_t ss, uint64_t sp)
{
	return pv_hypercall(__HYPERVISOR_stack_switch, ss, sp, 0, 0, 0);
}

static inline long HYPERVISOR_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall)
{
	return pv_hypercall(__HYPERVISOR_set_callbacks, event, failsafe, syscall, 0, 0);
}

static inline long HYPERVISOR_fpu_taskswitch(int set)
{
	return pv_hypercall(__HYPERVISOR_fpu_taskswitch, (uint64_t)set, 0, 0, 0, 0);
}

static inline long HYPERVISOR_set_debugreg(unsigned int reg, uint64_t value)
{
	return pv_hypercall(__HYPERVISOR_set_debugreg, reg, value, 0, 0, 0);
}

static inline long HYPERVISOR_get_debugreg(unsigned int reg)
{
	return pv_hypercall(__HYPERVISOR_get_debugreg, reg, 0, 0, 0, 0);
}

static inline long HYPERVISOR_update_descriptor(uint64_t maddr, uint64_t desc)
{
	return pv_hypercall(__HYPERVISOR_update_descriptor, maddr, desc, 0, 0, 0);
}

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
	return pv_hypercall(__HYPERVISOR_memory_op, cmd, PV_HC_PTR(arg), 0, 0, 0);
}

static inline long HYPERVISOR_multicall(struct multicall_entry *calls, unsigned int count)
{
	return pv_hypercall(__HYPERVISOR_multicall, PV_HC_PTR(calls), count, 0, 0, 0);
}

static inline long HYPERVISOR_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags)
{
	return pv_hypercall(__HYPERVISOR_update_va_mapping, va, pte, flags, 0, 0);
}

static inline long HYPERVISOR_set_timer_op(uint64_t abs_ns)
{
	return pv_hypercall(__HYPERVISOR_set_timer_op, abs_ns, 0, 0, 0, 0);
}

static inline long HYPERVISOR_event_channel_op(unsigned int cmd, void *arg)
{
	return pv_hypercall(__HYPERVISOR_event_channel_op, cmd, PV_HC_PTR(arg), 0, 0, 0);
}

static inline long HYPERVISOR_xen_version(unsigned int cmd, void *arg)
{
	return pv_hypercall(__HYPERVISOR_xen_version, cmd, PV_HC_PTR(arg), 0, 0, 0);
}

static inline long HYPERVISOR_console_io(unsigned int cmd, unsigned int len, const char *buf)
{
	return pv_hypercall(__HYPERVISOR_console_io, cmd, len, PV_HC_PTR(buf), 0, 0);
}

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *ops, unsigned int count)
{
	return pv_hypercall(__HYPERVISOR_grant_table_op, cmd, PV_HC_PTR(ops), count, 0, 0);
}

static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
	return pv_hypercall(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0);
}

static inline long HYPERVISOR_vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
	return pv_hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu, PV_HC_PTR(arg), 0, 0);
}

static inline long HYPERVISOR_set_segment_base(unsigned int which, uint64_t base)
{
	return pv_hypercall(__HYPERVISOR_set_segment_base, which, base, 0, 0, 0);
}

static inline long HYPERVISOR_mmuext_op(const struct mmuext_op *ops, unsigned int count,
					unsigned int *done, domid_t domid)
{
	return pv_hypercall(__HYPERVISOR_mmuext_op, PV_HC_PTR(ops), count, PV_HC_PTR(done), domid,
			    0);
}

static inline long HYPERVISOR_sched_op(unsigned int cmd, void *arg)
{
	return pv_hypercall(__HYPERVISOR_sched_op, cmd, PV_HC_PTR(arg), 0, 0, 0);
}

static inline long HYPERVISOR_callback_op(unsigned int cmd, const void *arg)
{
	return pv_hypercall(__HYPERVISOR_callback_op, cmd, PV_HC_PTR(arg), 0, 0, 0);
}

static inline long HYPERVISOR_physdev_op(unsigned int cmd, void *arg)
{
	return pv_hypercall(__HYPERVISOR_physdev_op, cmd, PV_HC_PTR(arg), 0, 0, 0);
}

#endif /* PVKIT_HYPERCALL_H */
