/* SPDX-License-Identifier: MIT */
/* Guest test: grant tables v1 — setup, grant to self, copy, map/unmap (VA and PTE), refusals. */
#include <pvkit/pvkit.h>

const char pv_test_title[] = "grants: v1 table, self-grant copy and map, refusals";

static uint8_t shared_page[PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);
static uint8_t map_window[PAGE_SIZE] PV_ALIGNED(PAGE_SIZE); /* VA used for grant mappings */
static uint8_t copy_buf[PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);

static domid_t self_domid(void)
{
	struct evtchn_status st;
	evtchn_port_t p;

	if (pv_evtchn_alloc_unbound(DOMID_SELF, &p))
		return DOMID_INVALID;
	pv_evtchn_status(DOMID_SELF, p, &st);
	pv_evtchn_close(p);
	return st.u.unbound.dom;
}

static void test_setup(void)
{
	struct gnttab_query_size qs;
	struct gnttab_get_version gv = {.dom = DOMID_SELF};

	PV_CHECK_EQ(pv_gnttab_query_size(&qs), 0);
	pv_printf("grant table: %u frames, at most %u\n", qs.nr_frames, qs.max_nr_frames);
	PV_CHECK(qs.max_nr_frames >= 1 && qs.nr_frames <= qs.max_nr_frames, "sizes");
	PV_CHECK_EQ(pv_gnttab_init(1), 0);
	PV_CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1), 0);
	PV_CHECK_EQ(gv.version, 1);
	PV_CHECK_EQ(pv_gnttab_query_size(&qs), 0);
	PV_CHECK(qs.nr_frames >= 1, "at least the frame we set up");
	PV_CHECK_EQ(pv_gnttab_nr_entries(), PAGE_SIZE / sizeof(struct grant_entry_v1));
}

static void test_copy(domid_t self, grant_ref_t ref)
{
	unsigned int i, same = 1;

	memset(copy_buf, 0, sizeof(copy_buf));
	PV_CHECK_EQ(pv_gnttab_copy_from(self, ref, 100, copy_buf + 8, 64), GNTST_okay);
	for (i = 0; i < 64; i++)
		same &= copy_buf[8 + i] == shared_page[100 + i];
	PV_CHECK(same, "copied bytes match the granted page");
	PV_CHECK_EQ(copy_buf[7], 0);
	PV_CHECK_EQ(copy_buf[72], 0);
	/* A copy may not cross the end of the source page. */
	PV_CHECK_EQ(pv_gnttab_copy_from(self, ref, 4000, copy_buf, 200), GNTST_bad_copy_arg);
	PV_CHECK_EQ(pv_gnttab_copy_from(self, pv_gnttab_nr_entries() + 10, 0, copy_buf, 8),
		    GNTST_bad_gntref);
}

#define PTE_FRAME(e) (((e)&0x000ffffffffff000ULL) >> PAGE_SHIFT)

static void invlpg(const void *va)
{
	struct mmuext_op op = {.cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = (uintptr_t)va};

	PV_CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
}

/*
 * GNTMAP_contains_pte, as Linux's gntdev maps into user space on PV: host_addr is the machine
 * address of an L1 entry (here map_window's own), the guest's avail bits land in PTE bits 9-11,
 * a misaligned entry address is refused (XSA-227), and the unmap clears the entry.
 */
static void test_map_pte(domid_t self, grant_ref_t ref)
{
	uint64_t pte_ma = pv_l1e_maddr(map_window);
	const volatile uint64_t *pte = pv_l1e_ptr(map_window);
	xen_pfn_t own = PTE_FRAME(*pte);
	struct gnttab_map_grant_ref m = {.host_addr = pte_ma + 1,
					 .flags = GNTMAP_host_map | GNTMAP_contains_pte |
						  GNTMAP_application_map |
						  (1u << GNTMAP_guest_avail0),
					 .ref = ref,
					 .dom = self};
	struct gnttab_unmap_grant_ref u = {.host_addr = pte_ma};

	PV_CHECK(pte_ma != 0, "map_window has an L1 entry");
	PV_CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1), 0);
	PV_CHECK_EQ(m.status, GNTST_general_error);
	m.host_addr = pte_ma;
	PV_CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1), 0);
	PV_CHECK_EQ(m.status, GNTST_okay);
	PV_CHECK_EQ(PTE_FRAME(*pte), pv_virt_to_mfn(shared_page));
	PV_CHECK(*pte & (1ULL << 9), "guest avail bit 0 in the PTE: 0x%llx",
		 (unsigned long long)*pte);
	invlpg(map_window);
	PV_CHECK_EQ(PV_READ_ONCE(map_window[77]), shared_page[77]);
	u.handle = m.handle;
	PV_CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1), 0);
	PV_CHECK_EQ(u.status, GNTST_okay);
	PV_CHECK_EQ(*pte & PTE_PRESENT, 0);
	PV_CHECK_EQ(pv_map_mfn(map_window, own, true), 0);
}

static void test_map(domid_t self, grant_ref_t ref)
{
	grant_handle_t h;
	struct grant_entry_v1 *e = &pv_gnttab_table()[ref];

	PV_CHECK_EQ(pv_gnttab_map(self, ref, map_window, false, &h), GNTST_okay);
	PV_CHECK_EQ(PV_READ_ONCE(map_window[123]), shared_page[123]);
	/* Through the grant mapping into shared_page: two VAs the compiler cannot know alias. */
	PV_WRITE_ONCE(map_window[5], 0xee);
	pv_barrier();
	PV_CHECK_EQ(PV_READ_ONCE(shared_page[5]), 0xee);
	PV_CHECK(e->flags & (GTF_reading | GTF_writing), "in use flags 0x%x", e->flags);
	PV_CHECK(!pv_gnttab_end_access(ref), "cannot revoke a mapped grant");
	PV_CHECK_EQ(pv_gnttab_unmap(map_window, h), GNTST_okay);
	PV_CHECK_EQ(pv_gnttab_unmap(map_window, h), GNTST_bad_handle);
	PV_CHECK(!(e->flags & (GTF_reading | GTF_writing)), "released flags 0x%x", e->flags);
	PV_CHECK(pv_gnttab_end_access(ref), "revoke after unmap");
	PV_CHECK(pv_gnttab_map(self, ref, map_window, false, &h) < 0, "revoked ref refused");
}

static void test_readonly(domid_t self)
{
	grant_handle_t h;
	grant_ref_t ro = pv_gnttab_grant_access(self, pv_virt_to_mfn(shared_page), true);

	PV_CHECK(ro != 0, "second grant");
	PV_CHECK(pv_gnttab_map(self, ro, map_window, false, &h) < 0, "RW map of an RO grant");
	PV_CHECK_EQ(pv_gnttab_map(self, ro, map_window, true, &h), GNTST_okay);
	PV_CHECK_EQ(PV_READ_ONCE(map_window[200]), PV_READ_ONCE(shared_page[200]));
	PV_CHECK_EQ(pv_gnttab_unmap(map_window, h), GNTST_okay);
	PV_CHECK(pv_gnttab_end_access(ro), "revoke the RO grant");
}

void test_main(void)
{
	domid_t self = self_domid();
	grant_ref_t ref;
	unsigned int i;

	pv_printf("my domid: %u\n", self);
	PV_CHECK(self < DOMID_FIRST_RESERVED, "own domid %u", self);
	for (i = 0; i < PAGE_SIZE; i++)
		shared_page[i] = (uint8_t)(i * 7 + 3);
	test_setup();
	ref = pv_gnttab_grant_access(self, pv_virt_to_mfn(shared_page), false);
	PV_CHECK(ref >= GNTTAB_NR_RESERVED_ENTRIES, "grant ref %u", ref);
	test_copy(self, ref);
	test_map_pte(self, ref);
	test_map(self, ref);
	test_readonly(self);
}
