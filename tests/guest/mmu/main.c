/* SPDX-License-Identifier: MIT */
/* Guest test: PV MMU — page walks, update_va_mapping, mmu_update, mmuext pins, GDT, refusals. */
#include <pvkit/pvkit.h>

const char pv_test_title[] = "mmu: page tables, mmu_update, mmuext_op, set_gdt, refusals";

#define PTE_ADDR_MASK 0x000ffffffffff000ULL

static uint8_t page[PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);
static uint8_t new_l1[PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);
static uint8_t gdt[PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);

static void poke(void *p)
{
	*(volatile uint8_t *)p = 1;
}

static long mmu_set(const void *va, uint64_t val)
{
	struct mmu_update u = {.ptr = pv_l1e_maddr(va) | MMU_NORMAL_PT_UPDATE, .val = val};
	unsigned int done = 0;
	long rc = HYPERVISOR_mmu_update(&u, 1, &done, DOMID_SELF);

	return rc ? rc : (long)done - 1;
}

static void test_walk(void)
{
	uint64_t e = *pv_l1e_ptr(page), pt = *pv_l1e_ptr(pv_l1e_ptr(page));

	pv_printf("L1 entry of %p: 0x%llx; of its own L1 table: 0x%llx\n", (void *)page,
		  (unsigned long long)e, (unsigned long long)pt);
	PV_CHECK_EQ((e & PTE_ADDR_MASK) >> PAGE_SHIFT, pv_virt_to_mfn(page));
	PV_CHECK((e & (PTE_PRESENT | PTE_RW)) == (PTE_PRESENT | PTE_RW), "data page RW");
	PV_CHECK((pt & PTE_PRESENT) && !(pt & PTE_RW), "page-table pages are mapped read-only");
}

static void test_mmu_update(void)
{
	struct pv_exception ex;
	uint64_t orig = *pv_l1e_ptr(page);
	uint64_t table_ro = *pv_l1e_ptr(pv_l1e_ptr(page));

	PV_CHECK_EQ(mmu_set(page, orig & ~PTE_RW), 0);
	PV_CHECK(pv_exception_catch(poke, page, &ex) && ex.vector == X86_EXC_PF,
		 "write after mmu_update cleared RW faults");
	PV_CHECK_EQ(mmu_set(page, orig), 0);
	PV_CHECK_EQ(pv_exception_catch(poke, page, &ex), 0);
	/* Refusal: a writable mapping of a page-table page. */
	PV_CHECK(mmu_set(page, table_ro | PTE_RW) < 0, "RW mapping of an L1 table refused");
	PV_CHECK_EQ(*pv_l1e_ptr(page), orig);
	/* On an ordinary writable page, MMU_NORMAL_PT_UPDATE is a plain 8-byte write (Xen 4.17). */
	struct mmu_update plain = {.ptr = (pv_virt_to_mfn(page) << PAGE_SHIFT) + 16,
				   .val = 0x1234567887654321ULL};
	PV_CHECK_EQ(HYPERVISOR_mmu_update(&plain, 1, NULL, DOMID_SELF), 0);
	PV_CHECK_EQ(PV_READ_ONCE(((uint64_t *)page)[2]), plain.val);
}

static void test_update_va_mapping(void)
{
	PV_CHECK(HYPERVISOR_update_va_mapping(0x800000000000ULL, 0, UVMF_INVLPG) < 0,
		 "non-canonical VA refused");
	PV_CHECK(HYPERVISOR_update_va_mapping(HYPERVISOR_VIRT_START + 0x1000, 0, UVMF_INVLPG) < 0,
		 "hypervisor VA refused");
	PV_CHECK_EQ(pv_map_mfn(page, pv_virt_to_mfn(page), true), 0);
	PV_CHECK_EQ(HYPERVISOR_update_va_mapping((uintptr_t)page, *pv_l1e_ptr(page),
						 UVMF_TLB_FLUSH | UVMF_ALL),
		    0);
}

static void test_mmuext(void)
{
	struct mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};
	xen_pfn_t mfn = pv_virt_to_mfn(new_l1);

	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	op = (struct mmuext_op){.cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = (uintptr_t)page};
	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	op = (struct mmuext_op){.cmd = MMUEXT_TLB_FLUSH_ALL};
	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	op = (struct mmuext_op){.cmd = 99};
	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_ENOSYS);

	/* Pinning as L1 needs the page to have no writable mapping; then it cannot get one. */
	op = (struct mmuext_op){.cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = mfn};
	PV_CHECK(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF) < 0, "pin of a RW-mapped page");
	PV_CHECK_EQ(pv_map_mfn(new_l1, mfn, false), 0);
	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	PV_CHECK(pv_map_mfn(new_l1, mfn, true) < 0, "RW mapping of a pinned L1 refused");
	op = (struct mmuext_op){.cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = mfn};
	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	PV_CHECK_EQ(pv_map_mfn(new_l1, mfn, true), 0);
	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_EINVAL);
}

static void test_gdt(void)
{
	xen_pfn_t frame = pv_virt_to_mfn(gdt);
	uint64_t flat_data = 0x00cff3000000ffffULL; /* DPL 3, writable, 4 GiB */
	uint64_t maddr = (frame << PAGE_SHIFT) + 2 * 8;
	uint16_t ss;

	PV_CHECK(HYPERVISOR_set_gdt(&frame, 16) < 0, "GDT frame still writable: refused");
	PV_CHECK_EQ(pv_map_mfn(gdt, frame, false), 0);
	PV_CHECK_EQ(HYPERVISOR_set_gdt(&frame, 16), 0);
	PV_CHECK_EQ(HYPERVISOR_update_descriptor(maddr, flat_data), 0);
	PV_CHECK_EQ(((volatile uint64_t *)gdt)[2] & ~0x0000600000000000ULL,
		    flat_data & ~0x0000600000000000ULL);
	PV_CHECK_EQ(HYPERVISOR_update_descriptor(maddr + 4, flat_data), -XEN_EINVAL);
	/* The reserved flat selectors keep working with a guest GDT loaded. */
	__asm__ __volatile__("mov %%ss, %0" : "=r"(ss));
	PV_CHECK_EQ(ss, FLAT_KERNEL_SS);
	PV_CHECK(HYPERVISOR_set_gdt(&frame, FIRST_RESERVED_GDT_ENTRY + 1) < 0, "too many entries");
}

static void flush_page(const void *va)
{
	struct mmuext_op op = {.cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = (uintptr_t)va};

	HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static uint64_t bad_pte;

static void store_bad_pte(void *e)
{
	*(volatile uint64_t *)e = bad_pte;
}

/* Writable page tables: the kernel's own stores to a read-only L1, emulated and validated. */
static void test_ptwr(void)
{
	volatile uint64_t *e = (volatile uint64_t *)pv_l1e_ptr(page);
	uint64_t orig = *e, ad = PTE_ACCESSED | PTE_DIRTY, expected = orig;
	struct pv_exception ex;
	uint8_t cf;

	PV_CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
	*e = orig & ~PTE_RW; /* MOV */
	flush_page(page);
	PV_CHECK_EQ(*e & ~ad, orig & ~PTE_RW & ~ad);
	PV_CHECK(pv_exception_catch(poke, page, &ex) && ex.vector == X86_EXC_PF,
		 "store through the emulated read-only PTE faults");
	__asm__ __volatile__("lock orq $2, %0" : "+m"(*e)); /* LOCK OR */
	flush_page(page);
	PV_CHECK_EQ(pv_exception_catch(poke, page, &ex), 0);
	__asm__ __volatile__("lock andb $0xfd, %0" : "+m"(*(volatile uint8_t *)e)); /* LOCK AND */
	PV_CHECK_EQ(*e & PTE_RW, 0);
	__asm__ __volatile__("lock btsq $1, %0; setc %1" : "+m"(*e), "=r"(cf)); /* LOCK BTS */
	PV_CHECK_EQ(cf, 0);
	PV_CHECK_EQ(*e & PTE_RW, PTE_RW);
	__asm__ __volatile__("lock btsq $9, %0; setc %1" : "+m"(*e), "=r"(cf));
	__asm__ __volatile__("lock btrq $9, %0; setc %1" : "+m"(*e), "=r"(cf)); /* LOCK BTR */
	PV_CHECK_EQ(cf, 1);
	expected = *e;
	PV_CHECK_EQ(__atomic_exchange_n(e, expected & ~PTE_RW, __ATOMIC_SEQ_CST), expected);
	PV_CHECK(!__atomic_compare_exchange_n(e, &expected, orig, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST),
		 "CMPXCHG with a stale value fails");
	PV_CHECK_EQ(expected, *e);
	PV_CHECK(__atomic_compare_exchange_n(e, &expected, orig, false, __ATOMIC_SEQ_CST,
					     __ATOMIC_SEQ_CST),
		 "CMPXCHG with the current value succeeds");
	flush_page(page);
	PV_CHECK_EQ(pv_exception_catch(poke, page, &ex), 0);
	/* Refusal: the emulated store is validated like mmu_update; the kernel gets the #PF. */
	bad_pte = *pv_l1e_ptr(pv_l1e_ptr(page)) | PTE_RW;
	PV_CHECK(pv_exception_catch(store_bad_pte, (void *)e, &ex) && ex.vector == X86_EXC_PF,
		 "RW mapping of an L1 table by a direct store refused");
	PV_CHECK_EQ(*e, orig);
}

void test_main(void)
{
	test_walk();
	test_mmu_update();
	test_update_va_mapping();
	test_mmuext();
	test_ptwr();
	test_gdt();
}
