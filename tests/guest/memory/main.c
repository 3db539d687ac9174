/* SPDX-License-Identifier: MIT */
/* Guest test: memory_op — memory maps, reservations, populate_physmap, M2P/p2m upkeep. */
#include <pvkit/pvkit.h>
#include <public/memory.h>

const char pv_test_title[] = "memory: memory maps, decrease/increase/populate, M2P updates";

static uint8_t victim[PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);
static struct xen_e820_entry map[64];

static long reservation(unsigned int cmd, xen_pfn_t *frames, unsigned int n)
{
	struct xen_memory_reservation r = {
		.extent_start = (uintptr_t)frames,
		.nr_extents = n,
		.extent_order = 0,
		.domid = DOMID_SELF,
	};

	return HYPERVISOR_memory_op(cmd, &r);
}

static long current_pages(void)
{
	domid_t self = DOMID_SELF;

	return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

static void test_maps(void)
{
	struct xen_memory_map mm = {.nr_entries = ARRAY_SIZE(map), .buffer = (uintptr_t)map};
	uint64_t ram = 0;
	unsigned int i;
	domid_t self = DOMID_SELF;
	long rc;

	PV_CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &mm), 0);
	PV_CHECK(mm.nr_entries >= 1 && mm.nr_entries <= ARRAY_SIZE(map), "%u host entries",
		 mm.nr_entries);
	for (i = 0; i < mm.nr_entries; i++)
		if (map[i].type == XEN_E820_RAM)
			ram += map[i].size;
	pv_printf("host E820: %u entries, %llu MiB RAM\n", mm.nr_entries,
		  (unsigned long long)(ram >> 20));
	PV_CHECK(ram >= (pv_start_info->nr_pages << PAGE_SHIFT), "host RAM covers dom0");
	mm = (struct xen_memory_map){.nr_entries = ARRAY_SIZE(map), .buffer = (uintptr_t)map};
	/* A PV dom0 without a map set by the toolstack: Xen 4.17 answers -ENOSYS. */
	rc = HYPERVISOR_memory_op(XENMEM_memory_map, &mm);
	pv_printf("own memory map: rc %ld, %u entries\n", rc, rc ? 0 : mm.nr_entries);
	PV_CHECK(rc == 0 || rc == -XEN_ENOSYS, "memory_map: %ld", rc);
	if (rc == 0)
		PV_CHECK(mm.nr_entries >= 1, "own map has entries");
	PV_CHECK(HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self) >= current_pages(),
		 "maximum >= current reservation");
}

/* Gives victim's frame back to the hypervisor; returns its (old) MFN. */
static xen_pfn_t give_back(xen_pfn_t pfn)
{
	xen_pfn_t mfn = pv_pfn_to_mfn(pfn);
	long before = current_pages();

	PV_CHECK_EQ(pv_unmap_va(victim), 0);
	PV_CHECK_EQ(reservation(XENMEM_decrease_reservation, &mfn, 1), 1);
	PV_CHECK_EQ(current_pages(), before - 1);
	((xen_pfn_t *)pv_start_info->mfn_list)[pfn] = ~0ULL;
	return mfn;
}

/* Makes mfn back the victim page: M2P (hypercall), p2m (ours), and the mapping. */
static void install(xen_pfn_t pfn, xen_pfn_t mfn)
{
	struct mmu_update u = {.ptr = (mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, .val = pfn};

	PV_CHECK_EQ(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
	PV_CHECK_EQ(pv_mfn_to_pfn(mfn), pfn);
	((xen_pfn_t *)pv_start_info->mfn_list)[pfn] = mfn;
	PV_CHECK_EQ(pv_map_mfn(victim, mfn, true), 0);
	PV_WRITE_ONCE(victim[100], 0x77);
	PV_CHECK_EQ(PV_READ_ONCE(victim[100]), 0x77);
}

static unsigned int bits_of(xen_pfn_t mfn)
{
	unsigned int b = 0;

	while (mfn >> b)
		b++;
	return b;
}

/*
 * XENMEM_exchange: a frame still mapped cannot go; an unmapped one above the address limit is
 * swapped for a new one under it; one already under the limit may stay where it is (the
 * contents are undefined either way).
 */
static void test_exchange(xen_pfn_t pfn)
{
	xen_pfn_t in = pv_pfn_to_mfn(pfn), out = pfn;
	unsigned int limit = bits_of(in) - 1 + PAGE_SHIFT; /* just below the frame's address */
	struct xen_memory_exchange x = {
		.in = {.extent_start = (uintptr_t)&in, .nr_extents = 1, .domid = DOMID_SELF},
		.out = {.extent_start = (uintptr_t)&out,
			.nr_extents = 1,
			.mem_flags = XENMEMF_address_bits(limit),
			.domid = DOMID_SELF},
	};

	PV_CHECK(HYPERVISOR_memory_op(XENMEM_exchange, &x) < 0, "exchange of a mapped frame");
	PV_CHECK_EQ(x.nr_exchanged, 0);
	PV_CHECK_EQ(pv_unmap_va(victim), 0);
	out = pfn;
	PV_CHECK_EQ(HYPERVISOR_memory_op(XENMEM_exchange, &x), 0);
	PV_CHECK_EQ(x.nr_exchanged, 1);
	pv_printf("exchanged mfn 0x%llx for mfn 0x%llx (address bits %u)\n", (unsigned long long)in,
		  (unsigned long long)out, limit);
	PV_CHECK(out != in, "a new frame");
	PV_CHECK(out < (1ULL << (limit - PAGE_SHIFT)), "under the address limit");
	PV_CHECK_EQ(pv_mfn_to_pfn(out), pfn);
	install(pfn, out);
	/* Under 4 GiB already: any frame under the limit will do, the same one included. */
	PV_CHECK_EQ(pv_unmap_va(victim), 0);
	in = out;
	out = pfn;
	x.nr_exchanged = 0;
	x.out.mem_flags = XENMEMF_address_bits(32);
	PV_CHECK_EQ(HYPERVISOR_memory_op(XENMEM_exchange, &x), 0);
	PV_CHECK_EQ(x.nr_exchanged, 1);
	PV_CHECK(out < (1ULL << 20), "below 4 GiB");
	PV_CHECK_EQ(pv_mfn_to_pfn(out), pfn);
	install(pfn, out);
}

void test_main(void)
{
	xen_pfn_t pfn = (uintptr_t)victim >> PAGE_SHIFT, mfn, old, foreign = 0;

	test_maps();
	/* decrease_reservation, then increase_reservation hands out a (new) frame. */
	old = give_back(pfn);
	PV_CHECK_EQ(reservation(XENMEM_decrease_reservation, &old, 1), 0); /* no longer ours */
	mfn = 0;
	PV_CHECK_EQ(reservation(XENMEM_increase_reservation, &mfn, 1), 1);
	pv_printf("gave back mfn 0x%llx, got mfn 0x%llx\n", (unsigned long long)old,
		  (unsigned long long)mfn);
	PV_CHECK(mfn != 0, "increase_reservation wrote the MFN");
	install(pfn, mfn);
	/* populate_physmap: IN the GPFN, OUT (PV) the MFN, with the M2P already pointing back. */
	old = give_back(pfn);
	mfn = pfn;
	PV_CHECK_EQ(reservation(XENMEM_populate_physmap, &mfn, 1), 1);
	PV_CHECK(mfn != pfn || pv_mfn_to_pfn(mfn) == pfn, "populate returned an MFN");
	PV_CHECK_EQ(pv_mfn_to_pfn(mfn), pfn);
	install(pfn, mfn);
	test_exchange(pfn);
	/* Frames that are not ours cannot be given back. */
	PV_CHECK_EQ(reservation(XENMEM_decrease_reservation, &foreign, 1), 0);
}
