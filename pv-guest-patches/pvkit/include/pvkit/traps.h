/* SPDX-License-Identifier: MIT */
/* pvkit: exception handling through set_trap_table — reporting, and catching expected faults. */
#ifndef PVKIT_TRAPS_H
#define PVKIT_TRAPS_H

#include "lib.h"

#define X86_EXC_DE     0
#define X86_EXC_DB     1
#define X86_EXC_BP     3
#define X86_EXC_OF     4
#define X86_EXC_BR     5
#define X86_EXC_UD     6
#define X86_EXC_NM     7
#define X86_EXC_DF     8
#define X86_EXC_TS     10
#define X86_EXC_NP     11
#define X86_EXC_SS     12
#define X86_EXC_GP     13
#define X86_EXC_PF     14
#define X86_EXC_MF     16
#define X86_EXC_AC     17
#define X86_EXC_XM     19
#define PV_VEC_SOFT    0x21 /* a software-interrupt vector the kit installs with DPL 1 */
#define PV_VEC_UPCALL  256  /* not a CPU vector: marks an event-channel upcall frame */
#define PV_VEC_SYSCALL 257  /* not a CPU vector: a `syscall` from guest user mode */

/* The frame the entry stubs build: registers, then the exception frame the hypervisor bounced. */
struct pv_trap_frame {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint64_t vector;
	uint64_t error_code; /* 0 for vectors without one */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* What pv_exception_catch() reports about a fault. */
struct pv_exception {
	unsigned int vector;
	uint64_t error_code;
	uint64_t rip;
	uint64_t cs;
	uint64_t cr2; /* vcpu_info.arch.cr2, for #PF */
};

/* Installs the trap table (vectors 0-19 and PV_VEC_SOFT); returns the hypercall's result. */
long pv_traps_init(void);

/*
 * Runs fn(arg). If it faults, the fault is recorded in *ex, execution resumes here and 1 is
 * returned; otherwise 0. Catches nest one deep only.
 */
int pv_exception_catch(void (*fn)(void *arg), void *arg, struct pv_exception *ex);

/*
 * Guest user mode. pv_usermode_init() makes the kernel page table the user one too
 * (MMUEXT_NEW_USER_BASEPTR; the hypervisor marks every guest mapping user-accessible), sets
 * the kernel stack used on entry from user mode (stack_switch) and registers the syscall
 * callback. pv_enter_user() then runs rip in user mode on stack rsp; it comes back only as an
 * exception or a `syscall` (vector PV_VEC_SYSCALL), which pv_exception_catch() or a hook sees.
 */
long pv_usermode_init(void);
void pv_enter_user(uint64_t rip, uint64_t rsp) PV_NORETURN;

/* A per-vector hook tried before anything else; return true if the fault was handled. */
typedef bool (*pv_trap_hook_t)(struct pv_trap_frame *frame);
void pv_trap_set_hook(unsigned int vector, pv_trap_hook_t hook);

/* Called by the entry stubs. An unexpected exception is reported and ends the test in ERROR. */
void pv_trap_dispatch(struct pv_trap_frame *frame);

#endif /* PVKIT_TRAPS_H */
