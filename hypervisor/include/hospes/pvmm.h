/* SPDX-License-Identifier: GPL-2.0-only */
/* PV memory management: guest page-table walks and checked updates of guest PTEs. */
#ifndef HOSPES_PVMM_H
#define HOSPES_PVMM_H

#include <asm/traps.h>
#include <hospes/types.h>

/* An M2P entry of a frame no domain has at a PFN. */
#define INVALID_M2P_ENTRY (~0ULL)

struct vcpu;
struct domain;

/*
 * Checks that a guest L1 entry could be installed by domain d now (no reference taken): not
 * present, or flags allowed and a frame d owns, writable only if the frame can take the
 * writable type. Returns 0 or -EINVAL/-EPERM.
 */
int pv_l1e_check(struct domain *d, uint64_t pte);

/* Page-table hypercalls (pv/mmu.c, pv/mmuext.c, pv/descriptor.c, common/memory_op.c). */
long do_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags, uint64_t unused4,
			  uint64_t unused5);
long do_update_va_mapping_otherdomain(uint64_t va, uint64_t pte, uint64_t flags, uint64_t domid,
				      uint64_t unused5);
long do_mmu_update(uint64_t ureqs, uint64_t count, uint64_t pdone, uint64_t foreigndom,
		   uint64_t unused5);
long do_mmuext_op(uint64_t uops, uint64_t count, uint64_t pdone, uint64_t foreigndom,
		  uint64_t unused5);
long do_set_gdt(uint64_t uframes, uint64_t entries, uint64_t a3, uint64_t a4, uint64_t a5);
long do_update_descriptor(uint64_t maddr, uint64_t desc, uint64_t a3, uint64_t a4, uint64_t a5);
long do_memory_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);

struct pt_env;
struct pt_dom;
/* The page-type rules over the real frame table (hooks: direct map, frame release, flush). */
const struct pt_env *pv_pt_env(void);
struct pt_dom pv_pt_dom(const struct domain *d);
/* Serialises every type and reference-count change (waiters answer TLB-flush IPIs). */
void pv_mm_lock_acquire(void);
void pv_mm_lock_release(void);
/*
 * Lends the hypervisor's page at maddr to d (shared_info, grant-table frames): d may map it,
 * references are counted, but it never returns to the allocator through them.
 */
void pv_share_xen_page(struct domain *d, paddr_t maddr);
/* The domain with this id, or NULL. */
struct domain *pv_domain_by_id(uint16_t domid);
/*
 * The count of a batched hypercall (mmu_update, mmuext_op): 32 bits, as on Xen; with bit 31 (a
 * continuation) the ops done so far are read from *pdone into *done.
 */
#define PV_BATCH_PREEMPTED (1U << 31)
uint32_t pv_batch_count(uint64_t count, uint64_t pdone, uint32_t *done);
/* Not RAM and not the hypervisor's devices: a privileged domain may map the frame. */
bool pv_io_frame(uint64_t mfn);
/* Flushes this CPU's TLB, global entries included. */
void pv_flush_tlb_local(void);
/*
 * Flushes every online CPU's TLB (IPI) and waits for them, within a bound: a CPU that cannot
 * answer (interrupts off) still flushes before it runs guest code again.
 */
void pv_flush_tlb_all(void);
/*
 * Flushes the TLBs that may hold domid's entries: the CPUs that loaded its tables since they
 * last loaded another's (IPI for the others, waited for as above).
 */
void pv_flush_tlb_domain(uint16_t domid);
/* This CPU's CR3 now holds domid's tables (DOMID_INVALID: the idle ones); call after the write. */
void pv_tlb_note_cr3(uint16_t domid);
/* Makes this CPU's share of a pending flush request. */
void pv_flush_poll(void);
/* Installs the flush IPI handler (once, on the boot CPU). */
void pv_tlbflush_init(void);
/* Machine frame of the L1 table holding va's entry under the L4 at l4_maddr; 0 if none. */
uint64_t pv_l1_table_of(paddr_t l4_maddr, uint64_t va);
/* Maps v's GDT frames (or the zero page) into this CPU's GDT window; on every switch to v. */
void pv_gdt_load(struct vcpu *v);
/*
 * Makes mfn v's kernel (or user) L4, with its L4 type reference, dropping the old one; reloads
 * CR3 if v is current in that mode. For VCPUOP_initialise and the like. 0 or -EINVAL.
 */
int pv_set_baseptr(struct vcpu *v, uint64_t mfn, bool user);
/*
 * A general and a writable-type reference on a frame of d the hypervisor keeps writing into
 * (a registered vcpu_info): it can then never become a page table. 0 or -EINVAL.
 */
int pv_get_page_writable(struct domain *d, uint64_t mfn);
/* L4 type references on a new vCPU's kernel L4 and (if not 0) user L4; both or none. */
int pv_get_l4_refs(struct domain *d, paddr_t l4, paddr_t ul4);
/*
 * Grant tables: a general (and, writable, a writable-type) reference on d's frame mfn, 0 or
 * -EINVAL, counted in frame_info.foreign when held for another domain (for_other); its put
 * (owner: d's id; the frame may be an orphan by then); and a grant PTE (pte, or 0 to remove
 * it) at va in v's kernel tables.
 */
int pv_grant_get_frame(struct domain *d, uint64_t mfn, bool writable, bool for_other);
void pv_grant_put_frame(uint16_t owner, uint64_t mfn, bool writable, bool for_other);
int pv_grant_set_l1e(struct vcpu *v, uint64_t va, uint64_t pte);
/*
 * GNTMAP_contains_pte: writes the grant PTE pte (or, pte 0, removes the one mapping frame) at
 * machine address pte_maddr, an 8-byte aligned entry of one of d's L1 tables. 0 or -EINVAL.
 */
int pv_grant_set_pte(struct domain *d, uint64_t pte_maddr, uint64_t frame, uint64_t pte);
/*
 * Frees a hypervisor page lent to a dying domain (shared_info, a grant-table frame); if other
 * domains still map it, it is orphaned instead and their last unmap frees it.
 */
void pv_free_lent_page(void *p);
/*
 * domain_destroy's frame pass: drops what d maps of other domains, then frees each frame d owns
 * (counted in *freed) or, if other domains still map it, orphans it (counted in *kept).
 */
void pv_domain_release_frames(struct domain *d, uint64_t *freed, uint64_t *kept);
/* Takes the references the initial domain's start-of-day tables need; pins the L4. */
int pv_dom0_take_tables(struct domain *d, paddr_t l4_maddr);

/* A #PF the hypervisor resolves itself (writable page tables). False: bounce it to the guest. */
bool pv_mm_handle_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2);

/*
 * VMASST_TYPE_writable_pagetables: emulates a guest kernel's store (MOV, XCHG, CMPXCHG, AND, OR,
 * BTS/BTR/BTC) to a read-only mapped L1 page of its own, validating the new entry as
 * mmu_update does. True if emulated (regs advanced).
 */
bool pv_ptwr_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2);

/* Sets up the machine-to-phys table (RW for us, read-only for guests at MACH2PHYS_VIRT_START). */
void m2p_init(void);
void m2p_set(uint64_t mfn, uint64_t pfn);
/* Machine address of the (contiguous) M2P table. */
paddr_t m2p_maddr(void);

#endif /* HOSPES_PVMM_H */
