/* SPDX-License-Identifier: MIT */
/* pvkit: the one place hypercalls are issued, through the hypercall page or a bare syscall. */
#include <pvkit/asm.h>
#include <pvkit/hypercall.h>

_Static_assert(PVKIT_HCALL_IRET == __HYPERVISOR_iret, "iret number");
_Static_assert(PVKIT_HCALL_SLOT == HYPERCALL_PAGE_SLOT_SIZE, "hypercall page slot size");
_Static_assert(PVKIT_FLAT_KERNEL_SS == FLAT_KERNEL_SS, "kernel SS");
_Static_assert(PVKIT_FLAT_USER_CS == FLAT_USER_CS, "user CS");

extern uint8_t hypercall_page[PAGE_SIZE];
extern const uint8_t pvkit_have_hypercall_page;

/* Read by the assembly iret path too: non-zero means "jump to the page's iret slot". */
uint8_t pvkit_hcall_use_page;

void pv_hypercall_set_mode(enum pv_hcall_mode mode)
{
	pvkit_hcall_use_page = mode == PV_HCALL_PAGE;
}

enum pv_hcall_mode pv_hypercall_get_mode(void)
{
	return pvkit_hcall_use_page ? PV_HCALL_PAGE : PV_HCALL_SYSCALL;
}

bool pv_hypercall_page_present(void)
{
	return pvkit_have_hypercall_page;
}

bool pv_hypercall_page_filled(void)
{
	return PV_READ_ONCE(hypercall_page[0]) != 0xc3;
}

long pv_hypercall(unsigned int nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	register uint64_t r10 __asm__("r10") = a4;
	register uint64_t r8 __asm__("r8") = a5;
	uint64_t rax = nr;

	/* The page has 128 slots; numbers past it can only go through a bare syscall. */
	if (pvkit_hcall_use_page && nr < PAGE_SIZE / PVKIT_HCALL_SLOT) {
		uint64_t entry = (uintptr_t)&hypercall_page[nr * PVKIT_HCALL_SLOT];

		__asm__ __volatile__("call *%[entry]"
				     : "+a"(rax), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
				     : [entry] "r"(entry)
				     : "rcx", "r9", "r11", "memory");
	} else {
		__asm__ __volatile__("syscall"
				     : "+a"(rax), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
				     :
				     : "rcx", "r9", "r11", "memory");
	}
	return (long)rax;
}
